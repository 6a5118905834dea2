package io.redstart.resp;

import java.nio.charset.StandardCharsets;

/**
 * Integer parsing and formatting over bytes with Redis's strictness (its {@code string2ll}): an
 * optional '-', no '+', no leading zeros except "0" itself, no spaces, within 64 bits.
 *
 * <p>Callers validate with {@link #isLong} and then convert with {@link #parseLong}; no
 * exceptions on the hot path.
 */
public final class Numbers {
  private Numbers() {}

  /** One more than the longest decimal text of a 64-bit integer; longer input is never one. */
  public static final int LONG_STR_SIZE = 21;

  public static boolean isLong(byte[] s) {
    return isLong(s, 0, s.length);
  }

  /** True when {@code s[off, off+len)} is a canonical signed 64-bit decimal integer. */
  public static boolean isLong(byte[] s, int off, int len) {
    if (len == 0 || len >= LONG_STR_SIZE) return false;
    if (len == 1) return s[off] >= '0' && s[off] <= '9';
    int p = off;
    int end = off + len;
    boolean negative = s[p] == '-';
    if (negative) p++;
    if (p == end || s[p] < '1' || s[p] > '9') return false;
    long acc = 0; // accumulated negatively, so that Long.MIN_VALUE is reachable
    for (; p < end; p++) {
      int d = s[p] - '0';
      if (d < 0 || d > 9) return false;
      if (acc < Long.MIN_VALUE / 10) return false;
      acc *= 10;
      if (acc < Long.MIN_VALUE + d) return false;
      acc -= d;
    }
    return negative || acc != Long.MIN_VALUE;
  }

  public static long parseLong(byte[] s) {
    return parseLong(s, 0, s.length);
  }

  /**
   * The value of a text that {@link #isLong} accepted. Throws {@link IllegalArgumentException}
   * for anything else: that is a caller's bug, not bad input.
   */
  public static long parseLong(byte[] s, int off, int len) {
    if (!isLong(s, off, len)) throw new IllegalArgumentException("not a canonical integer");
    int p = off;
    int end = off + len;
    boolean negative = s[p] == '-';
    if (negative) p++;
    long acc = 0;
    for (; p < end; p++) acc = acc * 10 - (s[p] - '0');
    return negative ? acc : -acc;
  }

  /** Decimal text of {@code v} as ASCII bytes (a fresh array). */
  public static byte[] toBytes(long v) {
    byte[] b = new byte[digits(v)];
    write(v, b, 0);
    return b;
  }

  /** Number of bytes in the decimal text of {@code v}. */
  public static int digits(long v) {
    if (v == Long.MIN_VALUE) return 20;
    int n = 1;
    if (v < 0) {
      n++;
      v = -v;
    }
    while (v >= 10) {
      v /= 10;
      n++;
    }
    return n;
  }

  /** Writes the decimal text of {@code v} into {@code dst} at {@code off}; returns its length. */
  public static int write(long v, byte[] dst, int off) {
    int n = digits(v);
    if (v == Long.MIN_VALUE) {
      byte[] t = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(t, 0, dst, off, n);
      return n;
    }
    int p = off + n;
    boolean negative = v < 0;
    if (negative) v = -v;
    do {
      dst[--p] = (byte) ('0' + (v % 10));
      v /= 10;
    } while (v != 0);
    if (negative) dst[--p] = '-';
    return n;
  }
}
