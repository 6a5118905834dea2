package io.redstart.types.stream;

import io.redstart.resp.Numbers;
import java.util.Arrays;

/**
 * Redis's listpack format (listpack.c) over a {@code byte[]} that may be longer than the listpack
 * it holds: the stream nodes are kept in it byte for byte as Redis keeps them, so that node sizes,
 * splits and the RDB blobs match.
 *
 * <pre>
 * header   total bytes (u32 LE), element count (u16 LE, 65535 once it no longer fits)
 * element  encoding [+ data], then its backlen: the encoded size, 7 bits a byte, read from its end
 *   0xxxxxxx                7-bit unsigned integer
 *   10llllll data           string of up to 63 bytes
 *   110xxxxx x              13-bit signed integer
 *   1110llll l data         string of up to 4095 bytes
 *   11110000 l l l l data   string, 32-bit length
 *   0xF1 / 0xF2 / 0xF3 / 0xF4  16 / 24 / 32 / 64-bit signed integer, little endian
 * 0xFF     end
 * </pre>
 *
 * A string that is a canonical 64-bit integer (Redis's lpStringToInt64) is stored as an integer.
 * Positions are offsets into the array; {@code -1} stands for "no element".
 *
 * <p>Stateless; the arrays belong to their stream (keyspace thread).
 */
final class Listpack {
  private Listpack() {}

  static final int HEADER_SIZE = 6;
  static final int EOF = 0xFF;
  static final int NUMELE_UNKNOWN = 0xFFFF;

  /** A new empty listpack in an array of at least {@code capacity} bytes. */
  static byte[] create(int capacity) {
    byte[] lp = new byte[Math.max(capacity, HEADER_SIZE + 1)];
    setTotalBytes(lp, HEADER_SIZE + 1);
    lp[HEADER_SIZE] = (byte) EOF;
    return lp;
  }

  static int totalBytes(byte[] lp) {
    return (lp[0] & 0xff) | (lp[1] & 0xff) << 8 | (lp[2] & 0xff) << 16 | (lp[3] & 0xff) << 24;
  }

  static void setTotalBytes(byte[] lp, int n) {
    lp[0] = (byte) n;
    lp[1] = (byte) (n >>> 8);
    lp[2] = (byte) (n >>> 16);
    lp[3] = (byte) (n >>> 24);
  }

  static int numElements(byte[] lp) {
    return (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
  }

  private static void addElements(byte[] lp, int delta) {
    int n = numElements(lp);
    if (n == NUMELE_UNKNOWN) return;
    n += delta;
    lp[4] = (byte) n;
    lp[5] = (byte) (n >>> 8);
  }

  // ---- sizes

  /** Bytes of the encoding (without backlen) of integer {@code v}. */
  static int intEncodedSize(long v) {
    if (v >= 0 && v <= 127) return 1;
    if (v >= -4096 && v <= 4095) return 2;
    if (v >= -32768 && v <= 32767) return 3;
    if (v >= -8388608 && v <= 8388607) return 4;
    if (v >= -2147483648L && v <= 2147483647L) return 5;
    return 9;
  }

  /** Bytes of the encoding (without backlen) of a string of {@code len} bytes kept as a string. */
  static long stringEncodedSize(long len) {
    if (len < 64) return 1 + len;
    if (len < 4096) return 2 + len;
    return 5 + len;
  }

  /** Bytes of the backlen of an element whose encoding takes {@code l} bytes. */
  static int backlenSize(long l) {
    if (l <= 127) return 1;
    if (l < 16383) return 2;
    if (l < 2097151) return 3;
    if (l < 268435455) return 4;
    return 5;
  }

  /** Whole size (encoding and backlen) of integer {@code v} as an element. */
  static int intEntrySize(long v) {
    int e = intEncodedSize(v);
    return e + 1; // integer encodings are at most 9 bytes: a one-byte backlen
  }

  /** Whole size of {@code s[off, off+len)} as an element (integer encoded when it is one). */
  static long entrySize(byte[] s, int off, int len) {
    if (Numbers.isLong(s, off, len)) return intEntrySize(Numbers.parseLong(s, off, len));
    long e = stringEncodedSize(len);
    return e + backlenSize(e);
  }

  // ---- reading

  /** The encoded size (without backlen) of the element at {@code p}. */
  static int encodedSize(byte[] lp, int p) {
    int b = lp[p] & 0xff;
    if ((b & 0x80) == 0) return 1;
    if ((b & 0xC0) == 0x80) return 1 + (b & 0x3F);
    if ((b & 0xE0) == 0xC0) return 2;
    if ((b & 0xF0) == 0xE0) return 2 + (((b & 0x0F) << 8) | (lp[p + 1] & 0xff));
    return switch (b) {
      case 0xF1 -> 3;
      case 0xF2 -> 4;
      case 0xF3 -> 5;
      case 0xF4 -> 9;
      case 0xF0 -> 5 + str32Length(lp, p);
      default -> throw new IllegalStateException("bad listpack encoding " + b);
    };
  }

  private static int str32Length(byte[] lp, int p) {
    return (lp[p + 1] & 0xff)
        | (lp[p + 2] & 0xff) << 8
        | (lp[p + 3] & 0xff) << 16
        | (lp[p + 4] & 0xff) << 24;
  }

  /** The whole size (encoding and backlen) of the element at {@code p}. */
  static int elementSize(byte[] lp, int p) {
    int e = encodedSize(lp, p);
    return e + backlenSize(e);
  }

  /** The first element, or -1 when the listpack is empty. */
  static int first(byte[] lp) {
    return (lp[HEADER_SIZE] & 0xff) == EOF ? -1 : HEADER_SIZE;
  }

  /** The element after {@code p}, or -1 at the end. */
  static int next(byte[] lp, int p) {
    int n = p + elementSize(lp, p);
    return (lp[n] & 0xff) == EOF ? -1 : n;
  }

  /** The element before {@code p} (or before the end marker), or -1 before the first. */
  static int prev(byte[] lp, int p) {
    if (p <= HEADER_SIZE) return -1;
    int q = p - 1;
    long val = 0;
    int shift = 0;
    while (true) {
      int b = lp[q] & 0xff;
      val |= (long) (b & 127) << shift;
      if ((b & 128) == 0) break;
      shift += 7;
      q--;
    }
    return (int) (p - val - backlenSize(val));
  }

  /** The last element, or -1 when empty. */
  static int last(byte[] lp) {
    return prev(lp, totalBytes(lp) - 1);
  }

  /** Whether the element at {@code p} is stored as a string. */
  static boolean isString(byte[] lp, int p) {
    int b = lp[p] & 0xff;
    return (b & 0xC0) == 0x80 || (b & 0xF0) == 0xE0 || b == 0xF0;
  }

  /** Offset of the bytes of the string element at {@code p}. */
  static int stringOffset(byte[] lp, int p) {
    int b = lp[p] & 0xff;
    if ((b & 0xC0) == 0x80) return p + 1;
    if ((b & 0xF0) == 0xE0) return p + 2;
    return p + 5;
  }

  /** Length of the string element at {@code p}. */
  static int stringLength(byte[] lp, int p) {
    int b = lp[p] & 0xff;
    if ((b & 0xC0) == 0x80) return b & 0x3F;
    if ((b & 0xF0) == 0xE0) return ((b & 0x0F) << 8) | (lp[p + 1] & 0xff);
    return str32Length(lp, p);
  }

  /** The value of the integer element at {@code p}. */
  static long intValue(byte[] lp, int p) {
    int b = lp[p] & 0xff;
    if ((b & 0x80) == 0) return b;
    if ((b & 0xE0) == 0xC0) {
      int v = ((b & 0x1F) << 8) | (lp[p + 1] & 0xff);
      return v >= 4096 ? v - 8192 : v;
    }
    return switch (b) {
      case 0xF1 -> (short) ((lp[p + 1] & 0xff) | (lp[p + 2] & 0xff) << 8);
      case 0xF2 -> {
        int v = (lp[p + 1] & 0xff) | (lp[p + 2] & 0xff) << 8 | (lp[p + 3] & 0xff) << 16;
        yield (v << 8) >> 8;
      }
      case 0xF3 ->
          (lp[p + 1] & 0xff)
              | (lp[p + 2] & 0xff) << 8
              | (lp[p + 3] & 0xff) << 16
              | (lp[p + 4] & 0xff) << 24;
      case 0xF4 -> {
        long v = 0;
        for (int i = 8; i >= 1; i--) v = (v << 8) | (lp[p + i] & 0xff);
        yield v;
      }
      default -> throw new IllegalStateException("not an integer element");
    };
  }

  /**
   * The element at {@code p} read as an integer, as Redis's lpGetInteger: an integer element, or a
   * string holding a canonical integer. Returns {@code fallback} for anything else.
   */
  static long integer(byte[] lp, int p, long fallback) {
    if (!isString(lp, p)) return intValue(lp, p);
    int off = stringOffset(lp, p);
    int len = stringLength(lp, p);
    return Numbers.isLong(lp, off, len) ? Numbers.parseLong(lp, off, len) : fallback;
  }

  /** Whether the element at {@code p} can be read as an integer (see {@link #integer}). */
  static boolean isInteger(byte[] lp, int p) {
    if (!isString(lp, p)) return true;
    return Numbers.isLong(lp, stringOffset(lp, p), stringLength(lp, p));
  }

  /** Whether the element at {@code p} equals {@code s[off, off+len)} as Redis compares them. */
  static boolean equalsBytes(byte[] lp, int p, byte[] s, int off, int len) {
    if (isString(lp, p)) {
      int so = stringOffset(lp, p);
      return stringLength(lp, p) == len && Arrays.equals(lp, so, so + len, s, off, off + len);
    }
    // An integer element holds the canonical text of its value; only that text equals it.
    return Numbers.isLong(s, off, len) && Numbers.parseLong(s, off, len) == intValue(lp, p);
  }

  /** The element at {@code p} as bytes (the decimal text of an integer). */
  static byte[] bytes(byte[] lp, int p) {
    if (isString(lp, p)) {
      int so = stringOffset(lp, p);
      return Arrays.copyOfRange(lp, so, so + stringLength(lp, p));
    }
    return Numbers.toBytes(intValue(lp, p));
  }

  // ---- writing (the caller has made room: totalBytes + the element's size fits the array)

  /** Writes integer {@code v} as an element at {@code p}; returns the position after it. */
  static int writeInt(byte[] lp, int p, long v) {
    int start = p;
    if (v >= 0 && v <= 127) {
      lp[p++] = (byte) v;
    } else if (v >= -4096 && v <= 4095) {
      long u = v < 0 ? (1L << 13) + v : v;
      lp[p++] = (byte) ((u >>> 8) | 0xC0);
      lp[p++] = (byte) u;
    } else if (v >= -32768 && v <= 32767) {
      lp[p++] = (byte) 0xF1;
      lp[p++] = (byte) v;
      lp[p++] = (byte) (v >>> 8);
    } else if (v >= -8388608 && v <= 8388607) {
      lp[p++] = (byte) 0xF2;
      lp[p++] = (byte) v;
      lp[p++] = (byte) (v >>> 8);
      lp[p++] = (byte) (v >>> 16);
    } else if (v >= -2147483648L && v <= 2147483647L) {
      lp[p++] = (byte) 0xF3;
      lp[p++] = (byte) v;
      lp[p++] = (byte) (v >>> 8);
      lp[p++] = (byte) (v >>> 16);
      lp[p++] = (byte) (v >>> 24);
    } else {
      lp[p++] = (byte) 0xF4;
      for (int i = 0; i < 8; i++) lp[p++] = (byte) (v >>> (8 * i));
    }
    lp[p++] = (byte) (p - 1 - start); // backlen of an encoding of at most 9 bytes
    return p;
  }

  /**
   * Writes {@code s[off, off+len)} as an element at {@code p} (an integer when it is a canonical
   * one); returns the position after it.
   */
  static int writeBytes(byte[] lp, int p, byte[] s, int off, int len) {
    if (Numbers.isLong(s, off, len)) return writeInt(lp, p, Numbers.parseLong(s, off, len));
    int start = p;
    if (len < 64) {
      lp[p++] = (byte) (len | 0x80);
    } else if (len < 4096) {
      lp[p++] = (byte) ((len >>> 8) | 0xE0);
      lp[p++] = (byte) len;
    } else {
      lp[p++] = (byte) 0xF0;
      lp[p++] = (byte) len;
      lp[p++] = (byte) (len >>> 8);
      lp[p++] = (byte) (len >>> 16);
      lp[p++] = (byte) (len >>> 24);
    }
    System.arraycopy(s, off, lp, p, len);
    p += len;
    return writeBacklen(lp, p, p - start);
  }

  private static int writeBacklen(byte[] lp, int p, long l) {
    if (l <= 127) {
      lp[p++] = (byte) l;
    } else if (l < 16383) {
      lp[p++] = (byte) (l >>> 7);
      lp[p++] = (byte) ((l & 127) | 128);
    } else if (l < 2097151) {
      lp[p++] = (byte) (l >>> 14);
      lp[p++] = (byte) (((l >>> 7) & 127) | 128);
      lp[p++] = (byte) ((l & 127) | 128);
    } else if (l < 268435455) {
      lp[p++] = (byte) (l >>> 21);
      lp[p++] = (byte) (((l >>> 14) & 127) | 128);
      lp[p++] = (byte) (((l >>> 7) & 127) | 128);
      lp[p++] = (byte) ((l & 127) | 128);
    } else {
      lp[p++] = (byte) (l >>> 28);
      lp[p++] = (byte) (((l >>> 21) & 127) | 128);
      lp[p++] = (byte) (((l >>> 14) & 127) | 128);
      lp[p++] = (byte) (((l >>> 7) & 127) | 128);
      lp[p++] = (byte) ((l & 127) | 128);
    }
    return p;
  }

  /**
   * Marks the end of elements written from the old end up to {@code end} (a new total of {@code end
   * + 1} bytes), adding {@code added} to the element count.
   */
  static void finishAppend(byte[] lp, int end, int added) {
    lp[end] = (byte) EOF;
    setTotalBytes(lp, end + 1);
    addElements(lp, added);
  }

  /** The position where the next element is appended (the end marker's). */
  static int appendPosition(byte[] lp) {
    return totalBytes(lp) - 1;
  }

  /**
   * Replaces the element at {@code p} with integer {@code v} (Redis's lpReplaceInteger). When the
   * size changes the elements after it move; returns the array holding the result, a new one when
   * the given one was too small. The caller shifts its positions after {@code p} by the size
   * difference ({@link #intEntrySize}{@code (v) - } the old {@link #elementSize}).
   */
  static byte[] replaceInt(byte[] lp, int p, long v) {
    int old = elementSize(lp, p);
    int neu = intEntrySize(v);
    int total = totalBytes(lp);
    if (neu != old) {
      int newTotal = total + neu - old;
      if (newTotal > lp.length) lp = Arrays.copyOf(lp, newTotal);
      System.arraycopy(lp, p + old, lp, p + neu, total - p - old);
      setTotalBytes(lp, newTotal);
    }
    writeInt(lp, p, v);
    return lp;
  }
}
