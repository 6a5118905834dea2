package io.redstart.store;

import io.redstart.types.ValueType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * DEBUG DIGEST and DIGEST-VALUE, computed exactly as Redis computes them (debug.c), so datasets
 * can be compared across servers: SHA1 based, order-insensitive where the data is unordered
 * (xor), order-sensitive where it is ordered (mix: digest = SHA1(digest xor SHA1(data))).
 */
public final class Digest {
  private Digest() {}

  /** A boxed value that knows how to add itself to a digest (collections implement it). */
  public interface Source {
    /** Adds the value's content to the 20-byte {@code digest}, as Redis's xorObjectDigest. */
    void digestInto(byte[] digest);
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** digest ^= SHA1(data). */
  public static void xor(byte[] digest, byte[] data, int off, int len) {
    MessageDigest md = sha1();
    md.update(data, off, len);
    byte[] h = md.digest();
    for (int i = 0; i < 20; i++) digest[i] ^= h[i];
  }

  public static void xor(byte[] digest, byte[] data) {
    xor(digest, data, 0, data.length);
  }

  /** digest = SHA1(digest ^ SHA1(data)). */
  public static void mix(byte[] digest, byte[] data, int off, int len) {
    xor(digest, data, off, len);
    byte[] h = sha1().digest(digest);
    System.arraycopy(h, 0, digest, 0, 20);
  }

  public static void mix(byte[] digest, byte[] data) {
    mix(digest, data, 0, data.length);
  }

  public static void mix(byte[] digest, String text) {
    mix(digest, text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static final byte[] EXPIRE_MARK = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

  /** Redis's type numbers as the digest mixes them (OBJ_STRING 0 ... OBJ_STREAM 6). */
  private static int redisTypeNumber(ValueType t) {
    return switch (t) {
      case STRING -> 0;
      case LIST -> 1;
      case SET -> 2;
      case ZSET -> 3;
      case HASH -> 4;
      case STREAM -> 6;
    };
  }

  /** Adds an entry's type, value and expiry flag to {@code digest} (xorObjectDigest). */
  public static void object(byte[] digest, Object entry) {
    int type = redisTypeNumber(Entries.type(entry));
    mix(digest, new byte[] {(byte) (type >>> 24), (byte) (type >>> 16), (byte) (type >>> 8), (byte) type});
    if (Entries.type(entry) == ValueType.STRING) {
      mix(digest, Entries.stringArray(entry), Entries.stringOffset(entry), Entries.stringLength(entry));
    } else if (Entries.boxedValue(entry) instanceof Source s) {
      s.digestInto(digest);
    }
    if (Entries.hasExpire(entry)) xor(digest, EXPIRE_MARK);
  }

  /** The digest of one key's value, or 20 zero bytes when absent (DIGEST-VALUE). */
  public static byte[] value(Object entry) {
    byte[] d = new byte[20];
    if (entry != null) object(d, entry);
    return d;
  }

  /** The digest of every database (DEBUG DIGEST); all zeros when empty. */
  public static byte[] dataset(Keyspace ks) {
    byte[] fin = new byte[20];
    for (int j = 0; j < ks.databases(); j++) {
      Database db = ks.db(j);
      if (db.size() == 0) continue;
      mix(fin, new byte[] {(byte) (j >>> 24), (byte) (j >>> 16), (byte) (j >>> 8), (byte) j});
      for (int s = db.nextNonEmptySlot(0); s >= 0; s = db.nextNonEmptySlot(s + 1)) {
        for (Object e : db.slotEntries(s)) {
          byte[] d = new byte[20];
          mix(d, Entries.key(e));
          object(d, e);
          xor(fin, d);
        }
      }
    }
    return fin;
  }

  public static String hex(byte[] digest) {
    return java.util.HexFormat.of().formatHex(digest);
  }
}
