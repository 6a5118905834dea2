package io.redstart.util;

import io.redstart.resp.CFormat;
import java.nio.charset.StandardCharsets;

/**
 * Redis's double parsing and formatting, reproduced from Redis 7.0.15 and glibc: {@code string2d}
 * (what {@code getDoubleFromObject} uses for ZADD scores, GEO coordinates and radii, weights),
 * raw {@code strtod} (what range parsing and SORT use), {@code d2string} (scores stored in a
 * listpack), {@code addReplyDouble}'s {@code "%.17g"}, and {@code fixedpoint_d2string} (GEO
 * distances).
 *
 * <p>Failure is reported without exceptions: {@link #parse} returns NaN for a rejected text, a
 * sentinel that cannot be confused with a result since Redis rejects every NaN. Callers test it
 * with {@code Double.isNaN}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Doubles {
  private Doubles() {}

  /** Exact powers of ten as doubles, for the fast path. */
  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  /** {@link #parse(byte[], int, int)} over the whole array. */
  public static double parse(byte[] s) {
    return parse(s, 0, s.length);
  }

  /** {@link #parse(byte[], int, int)} over the ISO-8859-1 bytes of {@code s}. */
  public static double parse(String s) {
    return parse(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Redis's {@code string2d}: the value of {@code s[off, off+len)} read by glibc's {@code strtod},
   * correctly rounded, or NaN when Redis rejects the text. Rejected are: an empty text; a leading
   * white-space byte; anything strtod leaves unconsumed (trailing spaces or garbage, an embedded
   * NUL); a result that overflowed to infinity or underflowed to zero with {@code ERANGE}; and NaN
   * in any spelling. Accepted are decimal and hexadecimal numbers with an optional sign ({@code
   * "+1"}, {@code ".5"}, {@code "5."}, {@code "1E3"}, {@code "0x1p-2"}), {@code inf}/{@code
   * infinity} in any case with an optional sign (so the result may be infinite), and tiny inputs
   * that round to a nonzero subnormal (glibc sets ERANGE, Redis lets them pass). No length limit,
   * and never throws for any input.
   */
  public static double parse(byte[] s, int off, int len) {
    if (len == 0) return Double.NaN;
    double fast = parseSimple(s, off, len);
    if (fast == fast) return fast;
    if (FloatParser.isSpace(s[off])) return Double.NaN;
    FloatParser p = new FloatParser();
    p.scan(s, off, len, FloatParser.BINARY64);
    if (p.end != off + len || p.kind == FloatParser.NAN || p.kind == FloatParser.NONE) {
      return Double.NaN;
    }
    if (p.rangeError && (p.kind == FloatParser.ZERO || p.kind == FloatParser.INFINITE)) {
      return Double.NaN;
    }
    return Double.longBitsToDouble(p.doubleBits());
  }

  /**
   * The common shapes, {@code [+-]digits[.digits][e[+-]digits]}, when the significant digits fit
   * in 2^53 and the power of ten is exact: then one IEEE multiplication or division rounds the
   * exact value correctly. NaN when the text needs the general parser (which may still accept it).
   */
  private static double parseSimple(byte[] s, int off, int len) {
    int p = off;
    int end = off + len;
    boolean neg = false;
    if (s[p] == '-' || s[p] == '+') {
      neg = s[p] == '-';
      p++;
    }
    long m = 0;
    int digits = 0; // significant digits taken into m
    int scale = 0; // digits after the point taken into m, or zeros skipped after it
    boolean point = false;
    boolean any = false;
    for (; p < end; p++) {
      int c = s[p];
      if (c >= '0' && c <= '9') {
        any = true;
        if (m == 0 && c == '0') {
          if (point) scale++;
          continue;
        }
        if (digits == 16) return Double.NaN;
        m = m * 10 + (c - '0');
        digits++;
        if (point) scale++;
      } else if (c == '.' && !point) {
        point = true;
      } else {
        break;
      }
    }
    if (!any) return Double.NaN;
    int exp = 0;
    if (p < end) {
      if ((s[p] | 0x20) != 'e') return Double.NaN;
      p++;
      boolean expNeg = false;
      if (p < end && (s[p] == '-' || s[p] == '+')) {
        expNeg = s[p] == '-';
        p++;
      }
      if (p == end) return Double.NaN;
      for (; p < end; p++) {
        int c = s[p];
        if (c < '0' || c > '9' || exp > 1000) return Double.NaN;
        exp = exp * 10 + (c - '0');
      }
      if (expNeg) exp = -exp;
    }
    if (m == 0) return neg ? -0.0 : 0.0;
    if (m >= (1L << 53)) return Double.NaN;
    int e10 = exp - scale;
    double v;
    if (e10 >= 0 && e10 <= 22) v = m * POW10[e10];
    else if (e10 < 0 && e10 >= -22) v = m / POW10[-e10];
    else return Double.NaN;
    return neg ? -v : v;
  }

  /**
   * The outcome of {@link #strtod}: reusable, owned by the caller (one per thread).
   *
   * <p>{@code value} is what strtod returned, {@code end} the index after the consumed text (the
   * start of the range when nothing was converted, as C's {@code *endptr = nptr}), {@code
   * rangeError} whether strtod set {@code errno} to {@code ERANGE}.
   */
  public static final class Scan {
    public double value;
    public int end;
    public boolean rangeError;
  }

  /**
   * glibc's {@code strtod} over {@code s[off, off+len)}, the byte after the range acting as the C
   * terminator: skips leading white space, converts the longest valid prefix (NaN included), and
   * reports where it stopped and whether {@code ERANGE} was set (overflow to infinity, or a tiny
   * inexact result, including one that rounds to zero). For Redis code that calls strtod itself
   * rather than string2d, such as sorted-set range bounds and SORT.
   */
  public static void strtod(byte[] s, int off, int len, Scan out) {
    FloatParser p = new FloatParser();
    p.scan(s, off, len, FloatParser.BINARY64);
    out.value = Double.longBitsToDouble(p.doubleBits());
    out.end = p.end;
    out.rangeError = p.rangeError;
  }

  /**
   * Redis's {@code double2ll}: true when {@code d} is an integer in {@code [-2^62, 2^62]}, where
   * {@code (long) d} is then exact. Redis uses this to print such doubles as integers.
   */
  public static boolean isSafeLong(double d) {
    if (!(d >= -0x1p62 && d <= 0x1p62)) return false;
    return (long) d == d;
  }

  /**
   * Redis's {@code d2string}, how a score is written into a listpack: {@code "nan"}, {@code
   * "inf"}/{@code "-inf"}, {@code "0"}/{@code "-0"}, an integer in {@code [-2^62, 2^62]} in
   * plain decimal (so 2^60 is {@code "1152921504606846976"}, not {@code %.17g}'s {@code
   * "1.152921504606847e+18"}), anything else as {@code "%.17g"}. The text reads back as the same
   * double.
   */
  public static String d2string(double v) {
    if (Double.isNaN(v)) return "nan";
    if (Double.isInfinite(v)) return v < 0 ? "-inf" : "inf";
    if (v == 0) return (1 / v < 0) ? "-0" : "0";
    if (isSafeLong(v)) return Long.toString((long) v);
    return CFormat.g17(v);
  }

  /**
   * The text of {@code addReplyDouble} (RESP2 bulk or RESP3 {@code ','} payload) in Redis 7.0.15:
   * {@code "inf"}/{@code "-inf"}, otherwise {@code "%.17g"} (so {@code "-0"}, {@code
   * "0.10000000000000001"}, {@code "1e+17"}, and glibc's {@code "nan"}/{@code "-nan"}).
   */
  public static String replyText(double d) {
    return CFormat.g17(d);
  }

  /**
   * Redis's {@code fixedpoint_d2string}, how GEO prints distances: {@code llrint(d *
   * 10^fractionalDigits)} (the product rounded in double arithmetic, then to an integer ties to
   * even) printed with exactly {@code fractionalDigits} decimals, a {@code '-'} when that integer
   * is negative; zero of either sign prints as {@code "0.000..."}. Out-of-range products give
   * x86's {@code llrint} result, {@code Long.MIN_VALUE}. Returns {@code null} where Redis returns
   * 0 (an empty result): {@code fractionalDigits} outside 1..17.
   */
  public static String fixedPoint(double d, int fractionalDigits) {
    if (fractionalDigits < 1 || fractionalDigits > 17) return null;
    if (d == 0) return "0." + "0".repeat(fractionalDigits);
    double scaled = d * POW10[fractionalDigits];
    long v;
    if (scaled >= -0x1p63 && scaled < 0x1p63) v = (long) Math.rint(scaled);
    else v = Long.MIN_VALUE; // NaN or out of range: x86's "integer indefinite"
    StringBuilder sb = new StringBuilder(24 + fractionalDigits);
    String digits;
    if (v < 0) {
      sb.append('-');
      digits = Long.toUnsignedString(-v); // Long.MIN_VALUE reads as 2^63
    } else {
      digits = Long.toString(v);
    }
    if (digits.length() <= fractionalDigits) {
      digits = "0".repeat(fractionalDigits + 1 - digits.length()) + digits;
    }
    int point = digits.length() - fractionalDigits;
    return sb.append(digits, 0, point)
        .append('.')
        .append(digits, point, digits.length())
        .toString();
  }
}
