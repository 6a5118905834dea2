package io.redstart.persistence.rdb;

import io.redstart.resp.Numbers;
import io.redstart.util.Doubles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the body of a value of any RDB type Redis 7.x writes or still loads (rdbLoadObject), into
 * an {@link RdbValue}, with Redis's integrity checks: duplicate set members, hash fields and zset
 * members, NaN scores, malformed listpacks, intsets, ziplists and zipmaps are refused as corrupt.
 * Empty collections come back as null (Redis skips such keys with a warning). Module values are
 * refused as {@link RdbException.Kind#UNSUPPORTED}.
 *
 * <p>Stateless and thread-safe.
 */
public final class RdbValueReader {
  private RdbValueReader() {}

  /** A byte array with value equality, for duplicate checks. */
  private record Key(byte[] b) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(b, k.b);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(b);
    }
  }

  /** Reads a value of {@code rdbType}; null for an empty collection. */
  public static RdbValue read(int rdbType, RdbInput in) throws IOException, RdbException {
    switch (rdbType) {
      case RdbConstants.TYPE_STRING:
        return readString(in);
      case RdbConstants.TYPE_LIST: {
        long len = in.len();
        if (len == 0) return null;
        List<byte[]> out = new ArrayList<>((int) Math.min(len, 1024));
        for (long i = 0; i < len; i++) out.add(in.string());
        return new RdbValue.ListValue(rdbType, out, null);
      }
      case RdbConstants.TYPE_SET: {
        long len = in.len();
        if (len == 0) return null;
        List<byte[]> out = new ArrayList<>((int) Math.min(len, 1024));
        Set<Key> seen = new HashSet<>();
        for (long i = 0; i < len; i++) {
          byte[] m = in.string();
          if (!seen.add(new Key(m))) throw corrupt("Duplicate set members detected", in);
          out.add(m);
        }
        return new RdbValue.SetValue(rdbType, out, null);
      }
      case RdbConstants.TYPE_ZSET, RdbConstants.TYPE_ZSET_2: {
        long len = in.len();
        if (len == 0) return null;
        List<byte[]> members = new ArrayList<>((int) Math.min(len, 1024));
        double[] scores = new double[(int) Math.min(len, 1024)];
        Set<Key> seen = new HashSet<>();
        for (long i = 0; i < len; i++) {
          byte[] m = in.string();
          double score = rdbType == RdbConstants.TYPE_ZSET_2 ? in.binaryDouble() : in.textDouble();
          if (Double.isNaN(score)) throw corrupt("Zset with NAN score detected", in);
          if (!seen.add(new Key(m))) throw corrupt("Duplicate zset fields detected", in);
          if (i == scores.length) scores = Arrays.copyOf(scores, scores.length * 2);
          scores[(int) i] = score;
          members.add(m);
        }
        return new RdbValue.ZSetValue(rdbType, members, Arrays.copyOf(scores, members.size()));
      }
      case RdbConstants.TYPE_HASH: {
        long len = in.len();
        if (len == 0) return null;
        List<byte[]> out = new ArrayList<>((int) Math.min(len * 2, 2048));
        Set<Key> seen = new HashSet<>();
        for (long i = 0; i < len; i++) {
          byte[] f = in.string();
          byte[] v = in.string();
          if (!seen.add(new Key(f))) throw corrupt("Duplicate hash fields detected", in);
          out.add(f);
          out.add(v);
        }
        return new RdbValue.HashValue(rdbType, out);
      }
      case RdbConstants.TYPE_HASH_ZIPMAP: {
        List<byte[]> pairs = Ziplist.decodeZipmap(in.string());
        if (pairs == null) throw corrupt("Zipmap integrity check failed.", in);
        return new RdbValue.HashValue(rdbType, pairs);
      }
      case RdbConstants.TYPE_LIST_ZIPLIST: {
        List<byte[]> items = Ziplist.decode(in.string());
        if (items == null) throw corrupt("List ziplist integrity check failed.", in);
        if (items.isEmpty()) return null;
        return new RdbValue.ListValue(rdbType, items, null);
      }
      case RdbConstants.TYPE_SET_INTSET: {
        byte[] blob = in.string();
        long[] values = Intset.decode(blob);
        if (values == null) throw corrupt("Intset integrity check failed.", in);
        List<byte[]> out = new ArrayList<>(values.length);
        for (long v : values) out.add(Numbers.toBytes(v));
        return new RdbValue.SetValue(rdbType, out, blob);
      }
      case RdbConstants.TYPE_ZSET_ZIPLIST: {
        List<byte[]> items = Ziplist.decode(in.string());
        if (items == null || (items.size() & 1) != 0 || hasDuplicatePairKeys(items)) {
          throw corrupt("Zset ziplist integrity check failed.", in);
        }
        if (items.isEmpty()) return null;
        return zsetFromPairs(rdbType, items, in);
      }
      case RdbConstants.TYPE_HASH_ZIPLIST: {
        List<byte[]> items = Ziplist.decode(in.string());
        if (items == null || (items.size() & 1) != 0 || hasDuplicatePairKeys(items)) {
          throw corrupt("Hash ziplist integrity check failed.", in);
        }
        if (items.isEmpty()) return null;
        return new RdbValue.HashValue(rdbType, items);
      }
      case RdbConstants.TYPE_LIST_QUICKLIST, RdbConstants.TYPE_LIST_QUICKLIST_2:
        return readQuicklist(rdbType, in);
      case RdbConstants.TYPE_STREAM_LISTPACKS,
          RdbConstants.TYPE_STREAM_LISTPACKS_2,
          RdbConstants.TYPE_STREAM_LISTPACKS_3:
        return new RdbValue.StreamValue(rdbType, StreamCodec.read(rdbType, in));
      case RdbConstants.TYPE_HASH_LISTPACK: {
        List<byte[]> items = listpackElements(in.string());
        if (items == null || (items.size() & 1) != 0 || hasDuplicatePairKeys(items)) {
          throw corrupt("Hash listpack integrity check failed.", in);
        }
        if (items.isEmpty()) return null;
        return new RdbValue.HashValue(rdbType, items);
      }
      case RdbConstants.TYPE_ZSET_LISTPACK: {
        List<byte[]> items = listpackElements(in.string());
        if (items == null || (items.size() & 1) != 0 || hasDuplicatePairKeys(items)) {
          throw corrupt("Zset listpack integrity check failed.", in);
        }
        if (items.isEmpty()) return null;
        return zsetFromPairs(rdbType, items, in);
      }
      case RdbConstants.TYPE_SET_LISTPACK: {
        List<byte[]> items = listpackElements(in.string());
        if (items == null || hasDuplicates(items)) {
          throw corrupt("Set listpack integrity check failed.", in);
        }
        if (items.isEmpty()) return null;
        return new RdbValue.SetValue(rdbType, items, null);
      }
      case RdbConstants.TYPE_MODULE, RdbConstants.TYPE_MODULE_2: {
        long id = in.len();
        throw new RdbException(
            RdbException.Kind.UNSUPPORTED,
            "The RDB file contains module data I can't load: no matching module type '"
                + moduleName(id)
                + "'",
            in.position());
      }
      default:
        throw corrupt("Unknown RDB encoding type " + rdbType, in);
    }
  }

  private static RdbException corrupt(String message, RdbInput in) {
    return RdbException.corrupt(message, in.position());
  }

  private static RdbValue readString(RdbInput in) throws IOException, RdbException {
    long len = in.lenOrEncoding();
    if ((len & RdbInput.ENCODED) == 0) return new RdbValue.Str(RdbConstants.TYPE_STRING, in.readBytes(len), false);
    int enc = (int) (len & 0x3F);
    if (enc == RdbConstants.ENC_LZF) {
      long clen = in.len();
      long olen = in.len();
      return new RdbValue.Str(RdbConstants.TYPE_STRING, lzf(in, clen, olen), false);
    }
    if (enc > RdbConstants.ENC_INT32) throw corrupt("Unknown RDB string encoding type " + enc, in);
    return new RdbValue.Str(RdbConstants.TYPE_STRING, Numbers.toBytes(in.encodedInteger(enc)), true);
  }

  private static byte[] lzf(RdbInput in, long clen, long olen) throws IOException, RdbException {
    if (olen > Integer.MAX_VALUE - 16 || olen > clen * 88 + 64) {
      throw corrupt("Invalid LZF compressed string", in);
    }
    byte[] c = in.readBytes(clen);
    byte[] out = new byte[(int) olen];
    if (Lzf.decompress(c, 0, c.length, out, out.length) != olen) {
      throw corrupt("Invalid LZF compressed string", in);
    }
    return out;
  }

  private static RdbValue readQuicklist(int rdbType, RdbInput in) throws IOException, RdbException {
    long nodes = in.len();
    if (nodes == 0) return null;
    List<byte[]> out = new ArrayList<>();
    List<RdbValue.QuicklistNode> kept =
        rdbType == RdbConstants.TYPE_LIST_QUICKLIST_2 ? new ArrayList<>() : null;
    for (long n = 0; n < nodes; n++) {
      long container = RdbConstants.QUICKLIST_NODE_PACKED;
      if (rdbType == RdbConstants.TYPE_LIST_QUICKLIST_2) {
        container = in.len();
        if (container != RdbConstants.QUICKLIST_NODE_PACKED
            && container != RdbConstants.QUICKLIST_NODE_PLAIN) {
          throw corrupt("Quicklist integrity check failed.", in);
        }
      }
      byte[] data = in.string();
      if (data.length == 0) throw corrupt("Quicklist integrity check failed.", in);
      if (container == RdbConstants.QUICKLIST_NODE_PLAIN) {
        out.add(data);
        kept.add(new RdbValue.QuicklistNode(true, data));
        continue;
      }
      List<byte[]> items =
          rdbType == RdbConstants.TYPE_LIST_QUICKLIST_2 ? listpackElements(data) : Ziplist.decode(data);
      if (items == null) {
        throw corrupt(
            rdbType == RdbConstants.TYPE_LIST_QUICKLIST_2
                ? "Listpack integrity check failed."
                : "Ziplist integrity check failed.",
            in);
      }
      // Empty nodes are skipped silently, as Redis does.
      if (kept != null && !items.isEmpty()) kept.add(new RdbValue.QuicklistNode(false, data));
      out.addAll(items);
    }
    if (out.isEmpty()) return null;
    return new RdbValue.ListValue(rdbType, out, kept);
  }

  /** The elements of a deeply validated listpack, integers as text; null when invalid. */
  public static List<byte[]> listpackElements(byte[] lp) {
    long n = Listpack.validate(lp, true);
    if (n < 0) return null;
    List<byte[]> out = new ArrayList<>((int) n);
    Listpack.Cursor c = new Listpack.Cursor(lp);
    while (c.next()) out.add(c.bytes());
    return out;
  }

  private static boolean hasDuplicatePairKeys(List<byte[]> items) {
    Set<Key> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i += 2) if (!seen.add(new Key(items.get(i)))) return true;
    return false;
  }

  private static boolean hasDuplicates(List<byte[]> items) {
    Set<Key> seen = new HashSet<>();
    for (byte[] b : items) if (!seen.add(new Key(b))) return true;
    return false;
  }

  private static RdbValue zsetFromPairs(int rdbType, List<byte[]> items, RdbInput in)
      throws RdbException {
    int n = items.size() / 2;
    List<byte[]> members = new ArrayList<>(n);
    double[] scores = new double[n];
    Doubles.Scan scan = new Doubles.Scan();
    for (int i = 0; i < n; i++) {
      members.add(items.get(2 * i));
      byte[] s = items.get(2 * i + 1);
      Doubles.strtod(s, 0, s.length, scan);
      if (Double.isNaN(scan.value)) throw corrupt("Zset with NAN score detected", in);
      scores[i] = scan.value;
    }
    return new RdbValue.ZSetValue(rdbType, members, scores);
  }

  private static final String MODULE_NAME_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /** The 9-character module type name packed in a module ID (moduleTypeNameByID). */
  public static String moduleName(long moduleId) {
    char[] name = new char[9];
    long id = moduleId >>> 10;
    for (int j = 8; j >= 0; j--) {
      name[j] = MODULE_NAME_CHARS.charAt((int) (id & 63));
      id >>>= 6;
    }
    return new String(name);
  }

  /** Skips a module value of type 7 (its opcodes make that possible without the module). */
  public static void skipModule2(RdbInput in) throws IOException, RdbException {
    in.len(); // module id
    while (true) {
      long opcode = in.len();
      if (opcode == RdbConstants.MODULE_OPCODE_EOF) return;
      switch ((int) opcode) {
        case RdbConstants.MODULE_OPCODE_SINT, RdbConstants.MODULE_OPCODE_UINT -> in.len();
        case RdbConstants.MODULE_OPCODE_STRING -> in.skipString();
        case RdbConstants.MODULE_OPCODE_FLOAT -> in.binaryFloat();
        case RdbConstants.MODULE_OPCODE_DOUBLE -> in.binaryDouble();
        default -> throw corrupt("Unknown module opcode " + opcode, in);
      }
    }
  }

  static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
