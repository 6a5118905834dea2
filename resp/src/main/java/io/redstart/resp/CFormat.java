package io.redstart.resp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code printf("%.Ng")} for doubles, digit for digit as glibc prints it: the exact binary
 * value rounded half-even to N significant digits, fixed or exponent form by C's rule, trailing
 * zeros removed. Redis formats scores and RESP3 doubles with {@code %.17g}; Lua prints numbers
 * with {@code %.14g}.
 */
public final class CFormat {
  private CFormat() {}

  /** {@code %.17g}, as Redis's addReplyDouble prints a double. */
  public static String g17(double d) {
    return g(d, 17);
  }

  /** {@code %.<precision>g}; precision 0 is treated as 1, as C does. */
  public static String g(double d, int precision) {
    if (Double.isNaN(d)) return (Double.doubleToRawLongBits(d) < 0) ? "-nan" : "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (precision == 0) precision = 1;
    if (d == 0) return (1 / d < 0) ? "-0" : "0";
    if (precision <= MAX_FAST_PRECISION) {
      String fast = gFast(d, precision);
      if (fast != null) return fast;
    }
    return g(new BigDecimal(Math.abs(d)), d < 0, precision);
  }

  private static final int MAX_FAST_PRECISION = 17;
  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;
  }

  /**
   * The common cases in 64/128-bit integer arithmetic, with the same exact rounding as the
   * BigDecimal path: integers below 2^63, and fractions whose significand times the power of ten
   * needed fits in 128 bits (magnitudes from about 1e-6 up). Null for anything else.
   */
  private static String gFast(double d, int precision) {
    double abs = Math.abs(d);
    if (abs < 0x1p63 && abs == Math.rint(abs)) return integerG((long) abs, d < 0, precision);
    long bits = Double.doubleToRawLongBits(abs);
    int biased = (int) (bits >>> 52);
    if (biased == 0) return null; // subnormal
    long m = (bits & ((1L << 52) - 1)) | (1L << 52);
    int shift = 1075 - biased; // abs = m / 2^shift
    if (shift < 1) return null; // an integer of 2^63 or more
    int k = (int) Math.floor(Math.log10(abs)); // decimal exponent, perhaps off by one
    for (int attempt = 0; attempt < 3; attempt++) {
      int places = precision - 1 - k; // decimals that leave `precision` significant digits
      if (places < 0 || places > 22 || shift > 127) return null;
      long scaled = scale(m, places, shift);
      long q = scaled >>> 1; // truncated: decides whether k is the exact decimal exponent
      if (q >= POW10[precision]) {
        k++;
      } else if (q < POW10[precision - 1]) {
        k--;
      } else {
        q += scaled & 1;
        if (q == POW10[precision]) { // rounding carried into a new digit: 9.99... -> 10
          q /= 10;
          k++;
        }
        return layout(Long.toString(q), k, d < 0, precision);
      }
    }
    return null;
  }

  /**
   * {@code m * 10^places / 2^shift} (m < 2^53, places <= 22, 1 <= shift <= 127) truncated, times
   * two, plus one when rounding half-even goes up; {@code Long.MAX_VALUE} when the truncated
   * quotient is 2^62 or more.
   */
  private static long scale(long m, int places, int shift) {
    // (hi, lo) = m * 10^places, at most 2^53 * 10^22 < 2^127.
    long hi = 0;
    long lo = m;
    for (int left = places; left > 0; ) {
      int step = Math.min(left, 18);
      long f = POW10[step];
      long carry = Math.unsignedMultiplyHigh(lo, f);
      hi = hi * f + carry;
      lo = lo * f;
      left -= step;
    }
    long q;
    boolean half;
    boolean sticky;
    if (shift < 64) {
      q = (lo >>> shift) | (hi << (64 - shift));
      half = ((lo >>> (shift - 1)) & 1) != 0;
      sticky = (lo & ((1L << (shift - 1)) - 1)) != 0;
      if ((hi >>> shift) != 0) return Long.MAX_VALUE;
    } else if (shift == 64) {
      q = hi;
      half = lo < 0;
      sticky = (lo & Long.MAX_VALUE) != 0;
    } else {
      int s = shift - 64;
      q = hi >>> s;
      half = ((hi >>> (s - 1)) & 1) != 0;
      sticky = lo != 0 || (hi & ((1L << (s - 1)) - 1)) != 0;
    }
    if ((q >>> 62) != 0) return Long.MAX_VALUE;
    return q << 1 | (half && (sticky || (q & 1) != 0) ? 1 : 0);
  }

  /** {@code %.<precision>g} of the integer {@code n} (nonnegative, below 2^63). */
  private static String integerG(long n, boolean negative, int precision) {
    int digits = 1;
    while (digits < 19 && n >= POW10[digits]) digits++;
    if (digits <= precision) return negative ? "-" + n : Long.toString(n);
    long div = POW10[digits - precision];
    long q = n / div;
    long r = n % div;
    if (2 * r > div || (2 * r == div && (q & 1) != 0)) q++;
    int exponent = digits - 1;
    if (q == POW10[precision]) {
      q /= 10;
      exponent++;
    }
    return layout(Long.toString(q), exponent, negative, precision);
  }

  /**
   * %g's layout of the significant digits {@code digits} (exactly {@code precision} of them, the
   * first nonzero) with decimal exponent {@code exponent}: C's choice of form, trailing zeros
   * removed.
   */
  private static String layout(String digits, int exponent, boolean negative, int precision) {
    int last = digits.length();
    while (last > 1 && digits.charAt(last - 1) == '0') last--;
    StringBuilder sb = new StringBuilder(24);
    if (negative) sb.append('-');
    if (exponent < -4 || exponent >= precision) {
      sb.append(digits.charAt(0));
      if (last > 1) sb.append('.').append(digits, 1, last);
      sb.append('e').append(exponent < 0 ? '-' : '+');
      int ae = Math.abs(exponent);
      if (ae < 10) sb.append('0');
      return sb.append(ae).toString();
    }
    if (exponent >= 0) {
      sb.append(digits, 0, exponent + 1);
      if (last > exponent + 1) sb.append('.').append(digits, exponent + 1, last);
      return sb.toString();
    }
    sb.append("0.");
    for (int i = -1; i > exponent; i--) sb.append('0');
    return sb.append(digits, 0, last).toString();
  }

  /**
   * {@code %.<precision>g} of the number whose magnitude is {@code abs} (exact, nonnegative) and
   * whose sign is {@code negative}: the building block for formats wider than a double, such as
   * x87 {@code long double}'s {@code %.17Lg}. A negative zero prints as {@code "-0"}.
   */
  public static String g(BigDecimal abs, boolean negative, int precision) {
    if (precision == 0) precision = 1;
    String sign = negative ? "-" : "";
    if (abs.signum() == 0) return sign + "0";
    BigDecimal rounded = abs.round(new MathContext(precision, RoundingMode.HALF_EVEN));
    // Decimal exponent of the rounded value, as %e would print it.
    int exponent = rounded.precision() - rounded.scale() - 1;
    StringBuilder sb = new StringBuilder(32).append(sign);
    if (exponent < -4 || exponent >= precision) {
      String digits = rounded.unscaledValue().toString();
      sb.append(digits.charAt(0));
      String rest = stripZeros(digits.substring(1));
      if (!rest.isEmpty()) sb.append('.').append(rest);
      sb.append('e').append(exponent < 0 ? '-' : '+');
      int ae = Math.abs(exponent);
      if (ae < 10) sb.append('0');
      sb.append(ae);
      return sb.toString();
    }
    // Fixed form with precision - 1 - exponent decimals: exactly the digits already rounded.
    String plain = rounded.setScale(Math.max(0, precision - 1 - exponent)).toPlainString();
    if (plain.indexOf('.') >= 0) {
      plain = stripZeros(plain);
      if (plain.endsWith(".")) plain = plain.substring(0, plain.length() - 1);
    }
    return sb.append(plain).toString();
  }

  private static String stripZeros(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '0') end--;
    return s.substring(0, end);
  }
}
