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
    // Fast path: integers that fit in the precision print as themselves.
    if (d == Math.rint(d) && Math.abs(d) < 1e15 && precision >= 16) {
      return Long.toString((long) d);
    }
    return g(new BigDecimal(Math.abs(d)), d < 0, precision);
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
