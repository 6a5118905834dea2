package io.redstart.command.bitmap;

import static io.redstart.config.KeyspaceEventFlags.GENERIC;
import static io.redstart.config.KeyspaceEventFlags.STRING;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.KeyspaceEvents;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import io.redstart.store.StringValue;
import io.redstart.types.ValueType;
import io.redstart.types.bitmap.Bits;
import java.util.ArrayList;
import java.util.List;

/**
 * The bitmap commands of Redis 7.0 (bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD
 * and BITFIELD_RO, over string values. Writes grow the string zero-filled and leave it raw, as
 * Redis does; reads see the bytes of any string encoding (an integer reads as its decimal text).
 *
 * <p>Handlers run on the keyspace thread, as every handler.
 */
public final class BitmapCommands {
  private BitmapCommands() {}

  // ---- argument helpers

  /** Length of the C string starting at {@code from}: up to the first NUL or the end. */
  static int cLength(byte[] arg, int from) {
    int n = from;
    while (n < arg.length && arg[n] != 0) n++;
    return n - from;
  }

  /**
   * Redis's master link (and, later, the AOF loader) is obeyed whatever the limits, as
   * mustObeyClient: offsets past proto-max-bulk-len are accepted from it.
   */
  private static boolean mustObey(Client c) {
    return c.replicationRole() == 2;
  }

  /**
   * A bit offset (getBitOffsetFromArgument): a non-negative integer whose byte is below
   * proto-max-bulk-len, or with {@code hash} and {@code bits > 0} the form {@code #n}, meaning n
   * fields of {@code bits} bits (multiplied with C's wrap-around). Returns -1 after replying "bit
   * offset is not an integer or out of range".
   */
  static long bitOffsetOrReply(Client c, byte[] arg, boolean hash, int bits) {
    boolean useHash = hash && bits > 0 && arg.length > 0 && arg[0] == '#';
    int from = useHash ? 1 : 0;
    if (!Numbers.isLong(arg, from, arg.length - from)) {
      c.error(Errors.BIT_OFFSET);
      return -1;
    }
    long offset = Numbers.parseLong(arg, from, arg.length - from);
    if (useHash) offset *= bits;
    if (offset < 0 || (!mustObey(c) && (offset >> 3) >= c.server().protoMaxBulkLen())) {
      c.error(Errors.BIT_OFFSET);
      return -1;
    }
    return offset;
  }

  /** A BITFIELD type: {@code i1}..{@code i64} or {@code u1}..{@code u63}. */
  private record FieldType(boolean signed, int bits) {}

  /**
   * Parses a BITFIELD type (getBitfieldTypeFromArgument: the width is read up to a NUL byte, as
   * strlen does); null after replying "Invalid bitfield type...".
   */
  private static FieldType fieldTypeOrReply(Client c, byte[] arg) {
    if (arg.length == 0 || (arg[0] != 'i' && arg[0] != 'u')) {
      c.error(Errors.BITFIELD_TYPE);
      return null;
    }
    boolean signed = arg[0] == 'i';
    int n = cLength(arg, 1);
    if (!Numbers.isLong(arg, 1, n)) {
      c.error(Errors.BITFIELD_TYPE);
      return null;
    }
    long bits = Numbers.parseLong(arg, 1, n);
    if (bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) {
      c.error(Errors.BITFIELD_TYPE);
      return null;
    }
    return new FieldType(signed, (int) bits);
  }

  /** The string a bit write works on, and whether it was created or grown. */
  private record Target(StringValue value, boolean grown) {}

  /**
   * lookupStringForBitCommand: the key's string, made raw and grown zero-filled so that bit
   * {@code maxBit} exists, or a new zero-filled string (the key is created, firing "new"). Null
   * after replying WRONGTYPE, or "string exceeds maximum allowed size" when the length would pass
   * what a Java array holds (only reachable with proto-max-bulk-len above 2 GB, or from a master).
   */
  private static Target targetOrReply(Client c, byte[] key, long maxBit) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    Object e = ks.lookupWrite(db, key);
    if (e != null && Entries.type(e) != ValueType.STRING) {
      c.error(Errors.WRONGTYPE);
      return null;
    }
    long length = (maxBit >>> 3) + 1;
    if (length > StringValue.MAX_LENGTH || length <= 0) {
      c.error(Errors.STRING_TOO_LONG);
      return null;
    }
    try {
      if (e == null) {
        StringValue v = new StringValue(new byte[(int) length]);
        db.setValue(
            key, ValueType.STRING, Entries.ENC_RAW, v, Database.NO_EXPIRE, ks.initialLru());
        c.server().events().keyCreated(c, db, key);
        return new Target(v, true);
      }
      StringValue v = db.unshareString(key);
      int before = v.length();
      long memory = v.memoryUsage();
      v.growZero((int) length);
      db.adjustUsedBytes(v.memoryUsage() - memory);
      return new Target(v, v.length() != before);
    } catch (OutOfMemoryError heapFull) {
      // One array larger than the heap has room for (SETBIT at bit 2^32-1 asks for 512 MB): the
      // allocation failed before the value changed, so it is refused as a maxmemory refusal is.
      c.error(Errors.OOM);
      return null;
    }
  }

  /** Whether the entry holds a string; replies WRONGTYPE when it does not. */
  private static boolean isStringOrReply(Client c, Object e) {
    if (Entries.type(e) == ValueType.STRING) return true;
    c.error(Errors.WRONGTYPE);
    return false;
  }

  // ---- SETBIT, GETBIT

  /** SETBIT key offset 0|1: replies the bit's old value; a change fires "setbit". */
  public static void setbit(Client c, byte[][] argv) {
    long offset = bitOffsetOrReply(c, argv[2], false, 0);
    if (offset < 0) return;
    if (!Numbers.isLong(argv[3])) {
      c.error(Errors.BIT_VALUE);
      return;
    }
    long on = Numbers.parseLong(argv[3]);
    if ((on & ~1L) != 0) {
      c.error(Errors.BIT_VALUE);
      return;
    }
    byte[] key = argv[1];
    Target t = targetOrReply(c, key, offset);
    if (t == null) return;
    byte[] a = t.value().mutableArray();
    int old = Bits.getBit(a, 0, t.value().length(), offset);
    if (t.grown() || old != on) {
      Bits.setBit(a, 0, offset, (int) on);
      c.server().events().written(c, c.db(), key, STRING, "setbit");
    }
    c.reply().integer(old);
  }

  /** GETBIT key offset: the bit, 0 past the end or for a missing key. */
  public static void getbit(Client c, byte[][] argv) {
    long offset = bitOffsetOrReply(c, argv[2], false, 0);
    if (offset < 0) return;
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    if (!isStringOrReply(c, e)) return;
    c.reply()
        .integer(
            Bits.getBit(
                Entries.stringArray(e), Entries.stringOffset(e), Entries.stringLength(e), offset));
  }

  // ---- BITCOUNT, BITPOS

  /**
   * BITCOUNT key [start end [BYTE|BIT]]. Redis's order: a missing key replies 0 and a wrong type
   * WRONGTYPE before the arguments are read, and a range with both ends negative and start after
   * end replies 0 before BYTE|BIT is checked.
   */
  public static void bitcount(Client c, byte[][] argv) {
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    if (!isStringOrReply(c, e)) return;
    byte[] a = Entries.stringArray(e);
    int off = Entries.stringOffset(e);
    long strlen = Entries.stringLength(e);
    long start;
    long end;
    int firstMask = 0;
    int lastMask = 0;
    if (argv.length == 4 || argv.length == 5) {
      long total = strlen;
      if (!Args.isLongOrReply(c, argv[2]) || !Args.isLongOrReply(c, argv[3])) return;
      start = Args.toLong(argv[2]);
      end = Args.toLong(argv[3]);
      if (start < 0 && end < 0 && start > end) {
        c.reply().integer(0);
        return;
      }
      boolean isBit = false;
      if (argv.length == 5) {
        if (Args.isCString(argv[4], "bit")) {
          isBit = true;
        } else if (!Args.isCString(argv[4], "byte")) {
          c.error(Errors.SYNTAX);
          return;
        }
      }
      if (isBit) total <<= 3;
      if (start < 0) start = total + start;
      if (end < 0) end = total + end;
      if (start < 0) start = 0;
      if (end < 0) end = 0;
      if (end >= total) end = total - 1;
      if (isBit && start <= end) {
        firstMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xff;
        lastMask = (1 << (7 - (int) (end & 7))) - 1;
        start >>= 3;
        end >>= 3;
      }
    } else if (argv.length == 2) {
      start = 0;
      end = strlen - 1;
    } else {
      c.error(Errors.SYNTAX);
      return;
    }
    if (start > end) {
      c.reply().integer(0);
      return;
    }
    long count = Bits.popcount(a, off + (int) start, (int) (end - start + 1));
    if (firstMask != 0) count -= Integer.bitCount(a[off + (int) start] & firstMask);
    if (lastMask != 0) count -= Integer.bitCount(a[off + (int) end] & lastMask);
    c.reply().integer(count);
  }

  /**
   * BITPOS key bit [start [end [BYTE|BIT]]]: the first bit set to {@code bit} in the range. A
   * missing key is all zeros (0 for a 0, -1 for a 1). Without an end a search for 0 that finds
   * none answers the first bit past the string; with an end it answers -1, as Redis.
   */
  public static void bitpos(Client c, byte[][] argv) {
    if (!Args.isLongOrReply(c, argv[2])) return;
    long bitArg = Args.toLong(argv[2]);
    if (bitArg != 0 && bitArg != 1) {
      c.error(Errors.BIT_ARGUMENT);
      return;
    }
    int bit = (int) bitArg;
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    if (e == null) {
      c.reply().integer(bit == 1 ? -1 : 0);
      return;
    }
    if (!isStringOrReply(c, e)) return;
    byte[] a = Entries.stringArray(e);
    int off = Entries.stringOffset(e);
    long strlen = Entries.stringLength(e);
    long start;
    long end;
    boolean endGiven = false;
    int firstMask = 0;
    int lastMask = 0;
    if (argv.length >= 4 && argv.length <= 6) {
      long total = strlen;
      if (!Args.isLongOrReply(c, argv[3])) return;
      start = Args.toLong(argv[3]);
      boolean isBit = false;
      if (argv.length == 6) {
        if (Args.isCString(argv[5], "bit")) {
          isBit = true;
        } else if (!Args.isCString(argv[5], "byte")) {
          c.error(Errors.SYNTAX);
          return;
        }
      }
      if (argv.length >= 5) {
        if (!Args.isLongOrReply(c, argv[4])) return;
        end = Args.toLong(argv[4]);
        endGiven = true;
      } else {
        end = isBit ? (total << 3) + 7 : total - 1;
      }
      if (isBit) total <<= 3;
      if (start < 0) start = total + start;
      if (end < 0) end = total + end;
      if (start < 0) start = 0;
      if (end < 0) end = 0;
      if (end >= total) end = total - 1;
      if (isBit && start <= end) {
        firstMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xff;
        lastMask = (1 << (7 - (int) (end & 7))) - 1;
        start >>= 3;
        end >>= 3;
      }
    } else if (argv.length == 3) {
      start = 0;
      end = strlen - 1;
    } else {
      c.error(Errors.SYNTAX);
      return;
    }
    if (start > end) {
      c.reply().integer(-1);
      return;
    }
    long bytes = end - start + 1;
    long pos = -1;
    boolean found = false;
    if (firstMask != 0) {
      int b = a[off + (int) start] & 0xff;
      b = bit == 1 ? b & ~firstMask : b | firstMask;
      if (lastMask != 0 && bytes == 1) b = bit == 1 ? b & ~lastMask : b | lastMask;
      pos = bitposOfByte(b, bit);
      if (bytes == 1 || (pos != -1 && pos != 8)) {
        found = true;
      } else {
        start++;
        bytes--;
      }
    }
    if (!found) {
      long middle = bytes - (lastMask != 0 ? 1 : 0);
      if (middle > 0) {
        pos = Bits.bitpos(a, off + (int) start, (int) middle, bit);
        if (bytes == middle || (pos != -1 && pos != middle << 3)) {
          found = true;
        } else {
          start += middle;
          bytes -= middle;
        }
      }
      if (!found) {
        int b = a[off + (int) end] & 0xff;
        b = bit == 1 ? b & ~lastMask : b | lastMask;
        pos = bitposOfByte(b, bit);
      }
    }
    if (endGiven && bit == 0 && pos == bytes << 3) {
      c.reply().integer(-1);
      return;
    }
    if (pos != -1) pos += start << 3;
    c.reply().integer(pos);
  }

  private static long bitposOfByte(int b, int bit) {
    return Bits.bitpos(new byte[] {(byte) b}, 0, 1, bit);
  }

  // ---- BITOP

  private static final int AND = 0;
  private static final int OR = 1;
  private static final int XOR = 2;
  private static final int NOT = 3;

  /**
   * BITOP AND|OR|XOR|NOT destkey key [key ...]: missing keys are empty strings, shorter strings
   * are zero-padded; replies the result's length. The result replaces the destination (of any
   * type, its TTL dropped) as a raw string; an empty result deletes it.
   */
  public static void bitop(Client c, byte[][] argv) {
    int op;
    if (Args.isCString(argv[1], "and")) {
      op = AND;
    } else if (Args.isCString(argv[1], "or")) {
      op = OR;
    } else if (Args.isCString(argv[1], "xor")) {
      op = XOR;
    } else if (Args.isCString(argv[1], "not")) {
      op = NOT;
    } else {
      c.error(Errors.SYNTAX);
      return;
    }
    if (op == NOT && argv.length != 4) {
      c.error(Errors.BITOP_NOT_ONE_KEY);
      return;
    }
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    int keys = argv.length - 3;
    byte[][] arrays = new byte[keys][];
    int[] offsets = new int[keys];
    int[] lengths = new int[keys];
    int maxLength = 0;
    for (int j = 0; j < keys; j++) {
      Object e = ks.lookupRead(db, argv[j + 3], c.noTouch());
      if (e == null) continue;
      if (!isStringOrReply(c, e)) return;
      arrays[j] = Entries.stringArray(e);
      offsets[j] = Entries.stringOffset(e);
      lengths[j] = Entries.stringLength(e);
      maxLength = Math.max(maxLength, lengths[j]);
    }
    byte[] dest = argv[2];
    KeyspaceEvents events = c.server().events();
    if (maxLength > 0) {
      byte[] result = new byte[maxLength];
      if (lengths[0] > 0) System.arraycopy(arrays[0], offsets[0], result, 0, lengths[0]);
      if (op == NOT) {
        for (int i = 0; i < maxLength; i++) result[i] = (byte) ~result[i];
      }
      for (int j = 1; j < keys; j++) {
        byte[] a = arrays[j];
        int off = offsets[j];
        int len = lengths[j];
        switch (op) {
          case AND -> {
            for (int i = 0; i < len; i++) result[i] &= a[off + i];
            java.util.Arrays.fill(result, len, maxLength, (byte) 0);
          }
          case OR -> {
            for (int i = 0; i < len; i++) result[i] |= a[off + i];
          }
          default -> {
            for (int i = 0; i < len; i++) result[i] ^= a[off + i];
          }
        }
      }
      Object old = ks.lookupWrite(db, dest);
      int lru = old == null || !ks.lfu() ? ks.initialLru() : Entries.lru(old);
      db.setString(dest, result, Entries.ENC_RAW, Database.NO_EXPIRE, lru);
      if (old == null) events.keyCreated(c, db, dest);
      events.written(c, db, dest, STRING, "set");
    } else if (db.remove(dest) != null) {
      events.written(c, db, dest, GENERIC, "del");
    }
    c.reply().integer(maxLength);
  }

  // ---- BITFIELD

  private static final int GET = 0;
  private static final int SET = 1;
  private static final int INCRBY = 2;

  /** One parsed BITFIELD operation. */
  private record FieldOp(int opcode, long offset, long value, int overflow, FieldType type) {}

  public static void bitfield(Client c, byte[][] argv) {
    bitfieldGeneric(c, argv, false);
  }

  public static void bitfieldRo(Client c, byte[][] argv) {
    bitfieldGeneric(c, argv, true);
  }

  /**
   * BITFIELD and BITFIELD_RO: every operation is parsed (and every error reported) before any
   * runs; GETs alone read the key, any write creates or grows it to the farthest bit written.
   * Replies one integer per GET/SET/INCRBY (null for an overflow under FAIL). A write that changed
   * bits fires one "setbit" and counts one change per changed field.
   */
  private static void bitfieldGeneric(Client c, byte[][] argv, boolean readOnlyCommand) {
    List<FieldOp> ops = new ArrayList<>();
    int overflow = Bits.WRAP;
    boolean readOnly = true;
    long highestWrite = 0;
    for (int j = 2; j < argv.length; j++) {
      int remaining = argv.length - j - 1;
      byte[] sub = argv[j];
      int opcode;
      if (Args.isCString(sub, "get") && remaining >= 2) {
        opcode = GET;
      } else if (Args.isCString(sub, "set") && remaining >= 3) {
        opcode = SET;
      } else if (Args.isCString(sub, "incrby") && remaining >= 3) {
        opcode = INCRBY;
      } else if (Args.isCString(sub, "overflow") && remaining >= 1) {
        byte[] name = argv[++j];
        if (Args.isCString(name, "wrap")) {
          overflow = Bits.WRAP;
        } else if (Args.isCString(name, "sat")) {
          overflow = Bits.SAT;
        } else if (Args.isCString(name, "fail")) {
          overflow = Bits.FAIL;
        } else {
          c.error(Errors.BITFIELD_OVERFLOW);
          return;
        }
        continue;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
      FieldType type = fieldTypeOrReply(c, argv[j + 1]);
      if (type == null) return;
      long offset = bitOffsetOrReply(c, argv[j + 2], true, type.bits());
      if (offset < 0) return;
      long value = 0;
      if (opcode != GET) {
        readOnly = false;
        highestWrite = Math.max(highestWrite, offset + type.bits() - 1);
        if (!Args.isLongOrReply(c, argv[j + 3])) return;
        value = Args.toLong(argv[j + 3]);
      }
      ops.add(new FieldOp(opcode, offset, value, overflow, type));
      j += opcode == GET ? 2 : 3;
    }

    byte[] key = argv[1];
    byte[] a = null;
    int off = 0;
    int len = 0;
    boolean grown = false;
    if (readOnly) {
      Object e = c.server().keyspace().lookupRead(c.db(), key, c.noTouch());
      if (e != null) {
        if (!isStringOrReply(c, e)) return;
        a = Entries.stringArray(e);
        off = Entries.stringOffset(e);
        len = Entries.stringLength(e);
      }
    } else {
      if (readOnlyCommand) {
        c.error(Errors.BITFIELD_RO_WRITE);
        return;
      }
      Target t = targetOrReply(c, key, highestWrite);
      if (t == null) return;
      a = t.value().mutableArray();
      len = t.value().length();
      grown = t.grown();
    }

    RespWriter w = c.reply();
    w.array(ops.size());
    long changes = 0;
    long[] limit = new long[1];
    for (FieldOp op : ops) {
      int bits = op.type().bits();
      if (op.opcode() == GET) {
        long v =
            a == null
                ? 0
                : op.type().signed()
                    ? Bits.getSigned(a, off, len, op.offset(), bits)
                    : Bits.getUnsigned(a, off, len, op.offset(), bits);
        w.integer(v);
        continue;
      }
      long oldValue;
      long newValue;
      long reply;
      int overflowed;
      if (op.type().signed()) {
        oldValue = Bits.getSigned(a, off, len, op.offset(), bits);
        if (op.opcode() == INCRBY) {
          overflowed = Bits.checkSignedOverflow(oldValue, op.value(), bits, op.overflow(), limit);
          newValue = overflowed != 0 ? limit[0] : oldValue + op.value();
          reply = newValue;
        } else {
          newValue = op.value();
          overflowed = Bits.checkSignedOverflow(newValue, 0, bits, op.overflow(), limit);
          if (overflowed != 0) newValue = limit[0];
          reply = oldValue;
        }
      } else {
        oldValue = Bits.getUnsigned(a, off, len, op.offset(), bits);
        if (op.opcode() == INCRBY) {
          newValue = oldValue + op.value();
          overflowed = Bits.checkUnsignedOverflow(oldValue, op.value(), bits, op.overflow(), limit);
          if (overflowed != 0) newValue = limit[0];
          reply = newValue;
        } else {
          newValue = op.value();
          overflowed = Bits.checkUnsignedOverflow(newValue, 0, bits, op.overflow(), limit);
          if (overflowed != 0) newValue = limit[0];
          reply = oldValue;
        }
      }
      if (overflowed != 0 && op.overflow() == Bits.FAIL) {
        w.nullBulk();
        continue;
      }
      w.integer(reply);
      Bits.setBits(a, off, op.offset(), bits, newValue);
      if (grown || oldValue != newValue) changes++;
    }
    if (changes > 0) {
      KeyspaceEvents events = c.server().events();
      events.signalModified(c, c.db(), key);
      events.notify(STRING, "setbit", key, c.db().id());
      c.server().incrDirty(changes);
    }
  }
}
