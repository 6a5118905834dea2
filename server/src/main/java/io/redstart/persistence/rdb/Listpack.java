package io.redstart.persistence.rdb;

import io.redstart.resp.Numbers;
import java.util.Arrays;

/**
 * Redis's listpack byte layout (listpack.c), as RDB stores small hashes, zsets, list nodes, stream
 * nodes and (RDB 11) small sets. Built here exactly as Redis builds it, so a listpack written by
 * Redstart is byte for byte the one Redis would write for the same elements.
 *
 * <pre>
 * header   total bytes (uint32 LE), element count (uint16 LE, 65535 when larger)
 * entry    encoding [+ length] + data, then backlen: the size of encoding+data in 1..5 bytes,
 *          7 bits each, read from the right
 *          0xxxxxxx                       uint 0..127
 *          10LLLLLL + data                string of 0..63 bytes
 *          110xxxxx xxxxxxxx              int -4096..4095 (13 bits, two's complement)
 *          1110LLLL LLLLLLLL + data       string of 64..4095 bytes
 *          11110000 + 4 bytes LE + data   longer string
 *          0xF1 / 0xF2 / 0xF3 / 0xF4      int of 16 / 24 / 32 / 64 bits, little-endian
 * end      0xFF
 * </pre>
 *
 * Strings that are canonical 64-bit integers (string2ll) are stored as integers, as lpAppend does.
 * Stateless; {@link Builder} and {@link Cursor} instances are not thread-safe.
 */
public final class Listpack {
  private Listpack() {}

  public static final int HEADER_SIZE = 6;
  public static final int EOF = 0xFF;
  public static final int NUMELE_UNKNOWN = 0xFFFF;

  /** Builds a listpack by appending elements. */
  public static final class Builder {
    private byte[] buf;
    private int pos = HEADER_SIZE;
    private int count;

    public Builder() {
      this(64);
    }

    public Builder(int capacity) {
      buf = new byte[Math.max(capacity, HEADER_SIZE + 1)];
    }

    public int count() {
      return count;
    }

    /** Bytes of the listpack if it were finished now (with the end byte). */
    public int bytes() {
      return pos + 1;
    }

    private void ensure(int n) {
      if (buf.length - pos >= n + 1) return;
      buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max((long) buf.length * 2, (long) pos + n + 1)));
    }

    /** Appends a string; stored as an integer when it is a canonical one (lpAppend). */
    public Builder append(byte[] s) {
      return append(s, 0, s.length);
    }

    public Builder append(byte[] s, int off, int len) {
      if (Numbers.isLong(s, off, len)) return append(Numbers.parseLong(s, off, len));
      int enclen;
      if (len < 64) {
        enclen = 1 + len;
      } else if (len < 4096) {
        enclen = 2 + len;
      } else {
        enclen = 5 + len;
      }
      ensure(enclen + 5);
      if (len < 64) {
        buf[pos++] = (byte) (len | 0x80);
      } else if (len < 4096) {
        buf[pos++] = (byte) ((len >>> 8) | 0xE0);
        buf[pos++] = (byte) len;
      } else {
        buf[pos++] = (byte) 0xF0;
        buf[pos++] = (byte) len;
        buf[pos++] = (byte) (len >>> 8);
        buf[pos++] = (byte) (len >>> 16);
        buf[pos++] = (byte) (len >>> 24);
      }
      System.arraycopy(s, off, buf, pos, len);
      pos += len;
      pos += encodeBacklen(buf, pos, enclen);
      count++;
      return this;
    }

    /** Appends an integer (lpAppendInteger). */
    public Builder append(long v) {
      ensure(9 + 5);
      int start = pos;
      if (v >= 0 && v <= 127) {
        buf[pos++] = (byte) v;
      } else if (v >= -4096 && v <= 4095) {
        long u = v < 0 ? (1L << 13) + v : v;
        buf[pos++] = (byte) ((u >>> 8) | 0xC0);
        buf[pos++] = (byte) u;
      } else if (v >= -32768 && v <= 32767) {
        long u = v < 0 ? (1L << 16) + v : v;
        buf[pos++] = (byte) 0xF1;
        buf[pos++] = (byte) u;
        buf[pos++] = (byte) (u >>> 8);
      } else if (v >= -8388608 && v <= 8388607) {
        long u = v < 0 ? (1L << 24) + v : v;
        buf[pos++] = (byte) 0xF2;
        buf[pos++] = (byte) u;
        buf[pos++] = (byte) (u >>> 8);
        buf[pos++] = (byte) (u >>> 16);
      } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
        long u = v < 0 ? (1L << 32) + v : v;
        buf[pos++] = (byte) 0xF3;
        buf[pos++] = (byte) u;
        buf[pos++] = (byte) (u >>> 8);
        buf[pos++] = (byte) (u >>> 16);
        buf[pos++] = (byte) (u >>> 24);
      } else {
        buf[pos++] = (byte) 0xF4;
        for (int i = 0; i < 8; i++) buf[pos++] = (byte) (v >>> (8 * i));
      }
      pos += encodeBacklen(buf, pos, pos - start);
      count++;
      return this;
    }

    /** The finished listpack (a fresh array of exactly its size). */
    public byte[] build() {
      byte[] lp = Arrays.copyOf(buf, pos + 1);
      lp[pos] = (byte) EOF;
      int total = pos + 1;
      lp[0] = (byte) total;
      lp[1] = (byte) (total >>> 8);
      lp[2] = (byte) (total >>> 16);
      lp[3] = (byte) (total >>> 24);
      int n = Math.min(count, NUMELE_UNKNOWN);
      lp[4] = (byte) n;
      lp[5] = (byte) (n >>> 8);
      return lp;
    }
  }

  /** Bytes lpEncodeBacklen uses for a length. */
  static int backlenSize(long l) {
    if (l <= 127) return 1;
    if (l < 16383) return 2;
    if (l < 2097151) return 3;
    if (l < 268435455) return 4;
    return 5;
  }

  /** lpEncodeBacklen: writes the reverse-encoded length at {@code p}; returns its size. */
  static int encodeBacklen(byte[] b, int p, long l) {
    int n = backlenSize(l);
    switch (n) {
      case 1 -> b[p] = (byte) l;
      case 2 -> {
        b[p] = (byte) (l >>> 7);
        b[p + 1] = (byte) ((l & 127) | 128);
      }
      case 3 -> {
        b[p] = (byte) (l >>> 14);
        b[p + 1] = (byte) (((l >>> 7) & 127) | 128);
        b[p + 2] = (byte) ((l & 127) | 128);
      }
      case 4 -> {
        b[p] = (byte) (l >>> 21);
        b[p + 1] = (byte) (((l >>> 14) & 127) | 128);
        b[p + 2] = (byte) (((l >>> 7) & 127) | 128);
        b[p + 3] = (byte) ((l & 127) | 128);
      }
      default -> {
        b[p] = (byte) (l >>> 28);
        b[p + 1] = (byte) (((l >>> 21) & 127) | 128);
        b[p + 2] = (byte) (((l >>> 14) & 127) | 128);
        b[p + 3] = (byte) (((l >>> 7) & 127) | 128);
        b[p + 4] = (byte) ((l & 127) | 128);
      }
    }
    return n;
  }

  /** lpDecodeBacklen reading leftwards from {@code p}; -1 when longer than 5 bytes. */
  static long decodeBacklen(byte[] b, int p, int min) {
    long val = 0;
    int shift = 0;
    while (true) {
      if (p < min) return -1;
      val |= (long) (b[p] & 127) << shift;
      if ((b[p] & 128) == 0) break;
      shift += 7;
      p--;
      if (shift > 28) return -1;
    }
    return val;
  }

  /** Bytes of the encoding and length fields of the entry at {@code p}; 0 when invalid. */
  static int encodedSizeBytes(int b0) {
    if ((b0 & 0x80) == 0) return 1;
    if ((b0 & 0xC0) == 0x80) return 1;
    if ((b0 & 0xE0) == 0xC0) return 1;
    if ((b0 & 0xF0) == 0xE0) return 2;
    if (b0 >= 0xF1 && b0 <= 0xF4) return 1;
    if (b0 == 0xF0) return 5;
    if (b0 == EOF) return 1;
    return 0;
  }

  /** Size of the entry at {@code p} without its backlen (lpCurrentEncodedSizeUnsafe). */
  static long encodedSize(byte[] lp, int p) {
    int b0 = lp[p] & 0xff;
    if ((b0 & 0x80) == 0) return 1;
    if ((b0 & 0xC0) == 0x80) return 1 + (b0 & 0x3F);
    if ((b0 & 0xE0) == 0xC0) return 2;
    if (b0 == 0xF1) return 3;
    if (b0 == 0xF2) return 4;
    if (b0 == 0xF3) return 5;
    if (b0 == 0xF4) return 9;
    if ((b0 & 0xF0) == 0xE0) return 2 + (((b0 & 0xF) << 8) | (lp[p + 1] & 0xff));
    if (b0 == 0xF0) {
      long len = (lp[p + 1] & 0xffL) | (lp[p + 2] & 0xffL) << 8 | (lp[p + 3] & 0xffL) << 16
          | (lp[p + 4] & 0xffL) << 24;
      return 5 + len;
    }
    if (b0 == EOF) return 1;
    return 0;
  }

  public static long totalBytes(byte[] lp) {
    return (lp[0] & 0xffL) | (lp[1] & 0xffL) << 8 | (lp[2] & 0xffL) << 16 | (lp[3] & 0xffL) << 24;
  }

  public static int headerCount(byte[] lp) {
    return (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
  }

  /**
   * lpValidateIntegrity: the header's size matches, the last byte ends the listpack, and with
   * {@code deep} every entry is well formed, its backlen agrees and the header count (unless
   * unknown) is right. Returns the element count, or -1 when invalid (with !deep: the header count).
   */
  public static long validate(byte[] lp, boolean deep) {
    int size = lp.length;
    if (size < HEADER_SIZE + 1) return -1;
    if (totalBytes(lp) != size) return -1;
    if ((lp[size - 1] & 0xff) != EOF) return -1;
    int numele = headerCount(lp);
    if (!deep) return numele;
    long count = 0;
    int p = HEADER_SIZE;
    int last = size - 1;
    while ((lp[p] & 0xff) != EOF) {
      int lenbytes = encodedSizeBytes(lp[p] & 0xff);
      if (lenbytes == 0) return -1;
      if (p + lenbytes > last) return -1;
      long entrylen = encodedSize(lp, p);
      int backlen = backlenSize(entrylen);
      long next = p + entrylen + backlen;
      if (next > last) return -1;
      long prevlen = decodeBacklen(lp, (int) next - 1, p);
      if (prevlen < 0 || prevlen + backlen != entrylen + backlen) return -1;
      p = (int) next;
      count++;
    }
    if (p != last) return -1;
    if (numele != NUMELE_UNKNOWN && numele != count) return -1;
    return count;
  }

  /**
   * Walks the elements of a listpack that passed {@link #validate} with deep checking. After each
   * successful {@link #next}, either {@link #isInt} holds and {@link #longValue} is the element, or
   * the element is the bytes {@code [stringOffset, stringOffset + stringLength)} of {@link #array}.
   */
  public static final class Cursor {
    private final byte[] lp;
    private int p = HEADER_SIZE;
    private boolean isInt;
    private long value;
    private int strOff;
    private int strLen;

    public Cursor(byte[] lp) {
      this.lp = lp;
    }

    public boolean next() {
      if (p >= lp.length || (lp[p] & 0xff) == EOF) return false;
      int b0 = lp[p] & 0xff;
      long entrylen = encodedSize(lp, p);
      isInt = true;
      if ((b0 & 0x80) == 0) {
        value = b0 & 0x7f;
      } else if ((b0 & 0xC0) == 0x80) {
        isInt = false;
        strOff = p + 1;
        strLen = b0 & 0x3F;
      } else if ((b0 & 0xE0) == 0xC0) {
        long u = ((b0 & 0x1f) << 8) | (lp[p + 1] & 0xff);
        value = u >= (1 << 12) ? u - (1 << 13) : u;
      } else if (b0 == 0xF1) {
        value = (short) ((lp[p + 1] & 0xff) | (lp[p + 2] & 0xff) << 8);
      } else if (b0 == 0xF2) {
        int u = (lp[p + 1] & 0xff) | (lp[p + 2] & 0xff) << 8 | (lp[p + 3] & 0xff) << 16;
        value = (u << 8) >> 8;
      } else if (b0 == 0xF3) {
        value = (lp[p + 1] & 0xff) | (lp[p + 2] & 0xff) << 8 | (lp[p + 3] & 0xff) << 16
            | (lp[p + 4] & 0xff) << 24;
      } else if (b0 == 0xF4) {
        long v = 0;
        for (int i = 8; i >= 1; i--) v = (v << 8) | (lp[p + i] & 0xff);
        value = v;
      } else if ((b0 & 0xF0) == 0xE0) {
        isInt = false;
        strOff = p + 2;
        strLen = (int) entrylen - 2;
      } else {
        isInt = false;
        strOff = p + 5;
        strLen = (int) entrylen - 5;
      }
      p += (int) entrylen + backlenSize(entrylen);
      return true;
    }

    public boolean isInt() {
      return isInt;
    }

    public long longValue() {
      return value;
    }

    public byte[] array() {
      return lp;
    }

    public int stringOffset() {
      return strOff;
    }

    public int stringLength() {
      return strLen;
    }

    /** The element as bytes: its text for an integer, a copy of the string otherwise. */
    public byte[] bytes() {
      return isInt ? Numbers.toBytes(value) : Arrays.copyOfRange(lp, strOff, strOff + strLen);
    }
  }
}
