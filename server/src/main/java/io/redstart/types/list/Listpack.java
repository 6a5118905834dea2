package io.redstart.types.list;

import io.redstart.resp.Numbers;

/**
 * The entry codec of Redis's listpack (listpack.c, format 7.0), byte for byte: the nodes of a
 * {@link ListValue} hold their elements in this encoding, so node sizes, and therefore the way a
 * list is cut into nodes, are Redis's, and a node can be written to an RDB file as the listpack
 * blob it already is.
 *
 * <p>A complete listpack is a 6-byte header (total bytes, 32-bit little-endian; number of elements,
 * 16-bit little-endian, {@code 65535} meaning "count them"), the entries, and an end byte {@code
 * 0xFF}. An entry is an encoding (with its data) followed by a "backlen", the size of the encoding
 * in 1 to 5 bytes, written so that it can be read from right to left:
 *
 * <pre>
 * 0xxxxxxx                          integer 0..127
 * 10LLLLLL data                     string of up to 63 bytes
 * 110xxxxx xxxxxxxx                 13-bit signed integer
 * 1110LLLL LLLLLLLL data            string of up to 4095 bytes
 * 11110000 L L L L data             string, 32-bit little-endian length
 * 11110001 x x                      16-bit signed integer, little-endian
 * 11110010 x x x                    24-bit signed integer, little-endian
 * 11110011 x x x x                  32-bit signed integer, little-endian
 * 11110100 x x x x x x x x          64-bit signed integer, little-endian
 * </pre>
 *
 * An element is stored as an integer exactly when its bytes are a canonical 64-bit decimal (Redis's
 * {@code lpStringToInt64}: no sign but '-', no leading zero, no "-0", at most 20 bytes), so reading
 * it back as text gives the same bytes.
 *
 * <p>Stateless; thread-safe.
 */
public final class Listpack {
  private Listpack() {}

  /** Bytes of a listpack header. */
  public static final int HEADER_SIZE = 6;

  /** The end byte. */
  public static final int EOF = 0xFF;

  /** Header plus end byte: the size of an empty listpack. */
  public static final int EMPTY_SIZE = HEADER_SIZE + 1;

  /** The header's element count that means "unknown, count the entries". */
  public static final int NUMELE_UNKNOWN = 0xFFFF;

  /**
   * Whether {@code v} is stored as an integer (Redis's {@code lpStringToInt64}, the same rules as
   * {@code string2ll}).
   */
  static boolean isIntElement(byte[] v) {
    return Numbers.isLong(v, 0, v.length);
  }

  /** The value of an element {@link #isIntElement} accepted. */
  static long intOf(byte[] v) {
    long acc = 0;
    boolean negative = v[0] == '-';
    for (int p = negative ? 1 : 0; p < v.length; p++) acc = acc * 10 - (v[p] - '0');
    return negative ? acc : -acc;
  }

  /** Bytes of the encoding (without backlen) of an element, as lpEncodeGetType computes it. */
  static int encodedSize(byte[] v) {
    return isIntElement(v) ? encodedIntSize(intOf(v)) : encodedStringSize(v.length);
  }

  static int encodedIntSize(long v) {
    if (v >= 0 && v <= 127) return 1;
    if (v >= -4096 && v <= 4095) return 2;
    if (v >= -32768 && v <= 32767) return 3;
    if (v >= -8388608 && v <= 8388607) return 4;
    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 5;
    return 9;
  }

  static int encodedStringSize(int len) {
    if (len < 64) return 1 + len;
    if (len < 4096) return 2 + len;
    return 5 + len;
  }

  /** Bytes of the backlen that records an encoding of {@code l} bytes. */
  static int backlenSize(long l) {
    if (l <= 127) return 1;
    if (l < 16383) return 2;
    if (l < 2097151) return 3;
    if (l < 268435455) return 4;
    return 5;
  }

  /** Bytes a whole entry for {@code v} takes: encoding, data and backlen. */
  public static int entrySize(byte[] v) {
    int enc = encodedSize(v);
    return enc + backlenSize(enc);
  }

  /** Writes the entry for {@code v} at {@code pos}; returns the position after it. */
  static int write(byte[] buf, int pos, byte[] v) {
    int start = pos;
    if (isIntElement(v)) {
      pos = writeInt(buf, pos, intOf(v));
    } else {
      int len = v.length;
      if (len < 64) {
        buf[pos++] = (byte) (0x80 | len);
      } else if (len < 4096) {
        buf[pos++] = (byte) (0xE0 | (len >>> 8));
        buf[pos++] = (byte) len;
      } else {
        buf[pos++] = (byte) 0xF0;
        buf[pos++] = (byte) len;
        buf[pos++] = (byte) (len >>> 8);
        buf[pos++] = (byte) (len >>> 16);
        buf[pos++] = (byte) (len >>> 24);
      }
      System.arraycopy(v, 0, buf, pos, len);
      pos += len;
    }
    return writeBacklen(buf, pos, pos - start);
  }

  private static int writeInt(byte[] buf, int pos, long v) {
    if (v >= 0 && v <= 127) {
      buf[pos++] = (byte) v;
    } else if (v >= -4096 && v <= 4095) {
      long u = v < 0 ? (1L << 13) + v : v;
      buf[pos++] = (byte) (0xC0 | (u >>> 8));
      buf[pos++] = (byte) u;
    } else {
      int bytes;
      int tag;
      if (v >= -32768 && v <= 32767) {
        bytes = 2;
        tag = 0xF1;
      } else if (v >= -8388608 && v <= 8388607) {
        bytes = 3;
        tag = 0xF2;
      } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
        bytes = 4;
        tag = 0xF3;
      } else {
        bytes = 8;
        tag = 0xF4;
      }
      buf[pos++] = (byte) tag;
      for (int i = 0; i < bytes; i++) buf[pos++] = (byte) (v >>> (8 * i));
    }
    return pos;
  }

  private static int writeBacklen(byte[] buf, int pos, int l) {
    int n = backlenSize(l);
    // Most significant 7-bit group first, without a continuation bit; then the others, each
    // with bit 7 set, so that a reader going right to left knows when to stop.
    for (int i = 0; i < n; i++) {
      int group = (l >>> (7 * (n - 1 - i))) & 0x7f;
      buf[pos++] = (byte) (i == 0 ? group : group | 0x80);
    }
    return pos;
  }

  /** Bytes of the encoding (with data, without backlen) of the entry at {@code pos}. */
  static int encodedSizeAt(byte[] buf, int pos) {
    int b = buf[pos] & 0xff;
    if ((b & 0x80) == 0) return 1;
    if ((b & 0xC0) == 0x80) return 1 + (b & 0x3f);
    if ((b & 0xE0) == 0xC0) return 2;
    if ((b & 0xF0) == 0xE0) return 2 + (((b & 0x0f) << 8) | (buf[pos + 1] & 0xff));
    return switch (b) {
      case 0xF0 -> 5 + stringLength32(buf, pos);
      case 0xF1 -> 3;
      case 0xF2 -> 4;
      case 0xF3 -> 5;
      case 0xF4 -> 9;
      default -> throw new IllegalStateException("bad listpack encoding byte " + b);
    };
  }

  private static int stringLength32(byte[] buf, int pos) {
    return (buf[pos + 1] & 0xff)
        | (buf[pos + 2] & 0xff) << 8
        | (buf[pos + 3] & 0xff) << 16
        | (buf[pos + 4] & 0xff) << 24;
  }

  /** Bytes of the whole entry at {@code pos}. */
  static int entrySizeAt(byte[] buf, int pos) {
    int enc = encodedSizeAt(buf, pos);
    return enc + backlenSize(enc);
  }

  /** The start of the entry that ends just before {@code end}, read from its backlen. */
  static int entryBefore(byte[] buf, int end) {
    int p = end - 1;
    long val = 0;
    int shift = 0;
    while (true) {
      int b = buf[p] & 0xff;
      val |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) break;
      shift += 7;
      p--;
    }
    return p - (int) val;
  }

  /** Whether the entry at {@code pos} is an integer. */
  static boolean isInt(byte[] buf, int pos) {
    int b = buf[pos] & 0xff;
    if ((b & 0x80) == 0 || (b & 0xE0) == 0xC0) return true;
    return b >= 0xF1 && b <= 0xF4;
  }

  /** The value of the integer entry at {@code pos}. */
  static long intValue(byte[] buf, int pos) {
    int b = buf[pos] & 0xff;
    if ((b & 0x80) == 0) return b;
    if ((b & 0xE0) == 0xC0) {
      int u = ((b & 0x1f) << 8) | (buf[pos + 1] & 0xff);
      return u >= (1 << 12) ? u - (1 << 13) : u;
    }
    int bytes =
        switch (b) {
          case 0xF1 -> 2;
          case 0xF2 -> 3;
          case 0xF3 -> 4;
          default -> 8;
        };
    long v = 0;
    for (int i = 0; i < bytes; i++) v |= (long) (buf[pos + 1 + i] & 0xff) << (8 * i);
    int unused = 64 - 8 * bytes;
    return unused == 0 ? v : (v << unused) >> unused; // sign-extend
  }

  /** Offset of the data of the string entry at {@code pos}. */
  static int stringOffset(byte[] buf, int pos) {
    int b = buf[pos] & 0xff;
    if ((b & 0xC0) == 0x80) return pos + 1;
    if ((b & 0xF0) == 0xE0) return pos + 2;
    return pos + 5;
  }

  /** Length of the data of the string entry at {@code pos}. */
  static int stringLength(byte[] buf, int pos) {
    int b = buf[pos] & 0xff;
    if ((b & 0xC0) == 0x80) return b & 0x3f;
    if ((b & 0xF0) == 0xE0) return ((b & 0x0f) << 8) | (buf[pos + 1] & 0xff);
    return stringLength32(buf, pos);
  }

  /** The element at {@code pos} as its bytes (integers in decimal). */
  static byte[] elementAt(byte[] buf, int pos) {
    if (isInt(buf, pos)) return Numbers.toBytes(intValue(buf, pos));
    int off = stringOffset(buf, pos);
    return java.util.Arrays.copyOfRange(buf, off, off + stringLength(buf, pos));
  }

  /** Whether the element at {@code pos} equals {@code v}, as lpCompare. */
  static boolean elementEquals(byte[] buf, int pos, byte[] v) {
    if (isInt(buf, pos)) {
      return isIntElement(v) && intOf(v) == intValue(buf, pos);
    }
    int off = stringOffset(buf, pos);
    int len = stringLength(buf, pos);
    return len == v.length && java.util.Arrays.equals(buf, off, off + len, v, 0, len);
  }

  /**
   * Checks the entries in {@code buf[from, to)} and returns how many there are, or -1 when they are
   * not well formed (an encoding byte that does not exist, a length past the end, a backlen that
   * does not match). Used on listpacks that come from outside (RDB files, RESTORE).
   */
  static long validateEntries(byte[] buf, int from, int to) {
    long n = 0;
    int p = from;
    while (p < to) {
      int b = buf[p] & 0xff;
      if (b > 0xF4) return -1;
      int lengthBytes = (b & 0xF0) == 0xE0 ? 2 : b == 0xF0 ? 5 : 1;
      if (p + lengthBytes > to) return -1;
      long enc = b == 0xF0 ? 5L + (stringLength32(buf, p) & 0xffffffffL) : encodedSizeAt(buf, p);
      int bl = backlenSize(enc);
      if (p + enc + bl > to) return -1;
      int q = (int) (p + enc);
      for (int i = 0; i < bl; i++) {
        int group = (int) (enc >>> (7 * (bl - 1 - i))) & 0x7f;
        int expected = i == 0 ? group : group | 0x80;
        if ((buf[q + i] & 0xff) != expected) return -1;
      }
      p = q + bl;
      n++;
    }
    return n;
  }
}
