package io.redstart.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The C library's and sds's text conversions as Redis's config code relies on them, quirks
 * included: {@code strtoll} (leading blanks, a sign, clamping on overflow), {@code memtoull},
 * {@code strtod} as {@code string2d} accepts it, {@code printf("%f")}, {@code sdscatrepr} and
 * {@code sdssplitlen} on single spaces.
 *
 * <p>Text here is "byte text": each char is one byte (ISO-8859-1), so that arbitrary bytes from a
 * client or a file survive unchanged.
 */
final class CText {
  private CText() {}

  /** The outcome of {@link #strtoll}: the value, and whether the whole text was consumed. */
  record Parsed(long value, boolean complete, boolean overflow) {}

  /** C's isspace in the "C" locale. */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
  }

  /**
   * glibc's strtoll with base 8 or 10: leading blanks and one sign are skipped; no digit at all
   * gives 0 with nothing consumed; overflow clamps to the limit and sets {@code overflow}. {@code
   * complete} is C's {@code *endptr == '\0'} (true for the empty text).
   */
  static Parsed strtoll(String s, int base) {
    int n = s.length();
    int i = 0;
    while (i < n && isSpace(s.charAt(i))) i++;
    boolean negative = false;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    int digitsStart = i;
    BigInteger acc = BigInteger.ZERO;
    BigInteger b = BigInteger.valueOf(base);
    while (i < n) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d >= base) break;
      acc = acc.multiply(b).add(BigInteger.valueOf(d));
      i++;
    }
    if (i == digitsStart) return new Parsed(0, n == 0, false);
    if (negative) acc = acc.negate();
    boolean overflow = false;
    long v;
    if (acc.bitLength() > 63) {
      overflow = true;
      v = negative ? Long.MIN_VALUE : Long.MAX_VALUE;
    } else {
      v = acc.longValue();
    }
    return new Parsed(v, i == n, overflow);
  }

  /**
   * Redis's memtoull: digits and an optional unit (b, k, kb, m, mb, g, gb; any case). Returns null
   * where Redis reports an error. Like the C code, a too large number saturates and the
   * multiplication wraps silently; "" and a bare unit are 0.
   */
  static Long memtoull(String s) {
    if (s.startsWith("-")) return null;
    int u = 0;
    while (u < s.length() && s.charAt(u) >= '0' && s.charAt(u) <= '9') u++;
    long mul =
        switch (s.substring(u).toLowerCase(Locale.ROOT)) {
          case "", "b" -> 1;
          case "k" -> 1000;
          case "kb" -> 1024;
          case "m" -> 1000L * 1000;
          case "mb" -> 1024L * 1024;
          case "g" -> 1000L * 1000 * 1000;
          case "gb" -> 1024L * 1024 * 1024;
          default -> -1;
        };
    if (mul < 0 || u >= 128) return null;
    if (u == 0) return 0L;
    BigInteger v = new BigInteger(s.substring(0, u));
    long value = v.bitLength() > 64 ? -1L : v.longValue();
    return value * mul;
  }

  /**
   * Redis's string2d: the whole text is a number strtod accepts (decimal, hexadecimal, inf,
   * infinity), without leading blanks, not NaN, not overflowing, and not a non-zero number that
   * underflows to zero. Returns null when refused.
   */
  static Double string2d(String s) {
    if (s.isEmpty() || isSpace(s.charAt(0))) return null;
    int i = 0;
    boolean negative = false;
    if (s.charAt(0) == '+' || s.charAt(0) == '-') {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    String rest = s.substring(i).toLowerCase(Locale.ROOT);
    if (rest.equals("inf") || rest.equals("infinity")) {
      return null; // strtod gives HUGE_VAL, which string2d refuses as a range error
    }
    if (rest.startsWith("nan")) return null;
    double d;
    boolean nonZeroDigit;
    if (rest.startsWith("0x")) {
      Double h = parseHex(rest.substring(2));
      if (h == null) return null;
      d = h;
      String mantissa = rest.substring(2).split("p")[0];
      nonZeroDigit = mantissa.chars().anyMatch(c -> c != '0' && c != '.');
    } else {
      if (!rest.matches("(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?")) return null;
      try {
        d = Double.parseDouble(rest);
      } catch (NumberFormatException e) {
        return null;
      }
      String mantissa = rest.split("e")[0];
      nonZeroDigit = mantissa.chars().anyMatch(c -> c >= '1' && c <= '9');
    }
    if (Double.isInfinite(d)) return null;
    if (d == 0 && nonZeroDigit) return null;
    return negative ? -d : d;
  }

  /** A C hexadecimal float after "0x": hex digits with an optional point and p-exponent. */
  private static Double parseHex(String s) {
    if (!s.matches("([0-9a-f]+\\.?[0-9a-f]*|\\.[0-9a-f]+)(p[+-]?\\d+)?")) return null;
    String[] parts = s.split("p");
    String mant = parts[0];
    int exp = parts.length > 1 ? parseExponent(parts[1]) : 0;
    int dot = mant.indexOf('.');
    String digits = dot < 0 ? mant : mant.substring(0, dot) + mant.substring(dot + 1);
    int fraction = dot < 0 ? 0 : mant.length() - dot - 1;
    BigDecimal v = new BigDecimal(new BigInteger(digits, 16));
    int e2 = exp - 4 * fraction;
    BigDecimal scaled =
        e2 >= 0
            ? v.multiply(new BigDecimal(BigInteger.TWO.pow(Math.min(e2, 4000))))
            : v.divide(new BigDecimal(BigInteger.TWO.pow(Math.min(-e2, 4000))));
    return scaled.doubleValue();
  }

  private static int parseExponent(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return s.startsWith("-") ? -100000 : 100000;
    }
  }

  /** {@code printf("%f")} with Redis's trimDoubleString: trailing zeros and point removed. */
  static String percentile(double d) {
    String f;
    if (d == 0) {
      f = (Double.doubleToRawLongBits(d) < 0) ? "-0.000000" : "0.000000";
    } else {
      f = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    }
    if (f.indexOf('.') >= 0) {
      int end = f.length();
      while (f.charAt(end - 1) == '0') end--;
      if (f.charAt(end - 1) == '.') end--;
      f = f.substring(0, end);
    }
    return f;
  }

  /**
   * sdscatrepr: the text in double quotes, with {@code \\ \" \n \r \t \a \b} escaped and every
   * other byte outside printable ASCII written as {@code \xhh}.
   */
  static String repr(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 7 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        default -> {
          if (c >= 0x20 && c <= 0x7e) {
            sb.append(c);
          } else {
            sb.append(String.format("\\x%02x", (int) c & 0xff));
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /**
   * sdssplitlen with a single space separator: "a b" gives "a", "", "b"; the empty text gives no
   * word at all.
   */
  static String[] splitOnSpaces(String s) {
    if (s.isEmpty()) return new String[0];
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == ' ') {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out.toArray(new String[0]);
  }

  /** C's strcasecmp equality over byte text (ASCII case folding only). */
  static boolean equalsIgnoreCase(String a, String b) {
    if (a.length() != b.length()) return false;
    for (int i = 0; i < a.length(); i++) {
      if (lower(a.charAt(i)) != lower(b.charAt(i))) return false;
    }
    return true;
  }

  /** ASCII lower case, as sdstolower in the "C" locale. */
  static String toLower(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) sb.append(lower(s.charAt(i)));
    return sb.toString();
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }
}
