package io.redstart.scripting;

/**
 * C's strtod on bytes: the longest prefix that is a number (optional sign; decimal with
 * fraction and exponent; hexadecimal with 0x; inf, infinity, nan), for cjson and cmsgpack.
 */
final class Strtod {
  private Strtod() {}

  /** Parses from {@code start}; end[0] is where it stopped ({@code start} when nothing parsed). */
  static double parse(byte[] d, int start, int[] end) {
    int p = start;
    boolean neg = false;
    if (p < d.length && (d[p] == '+' || d[p] == '-')) {
      neg = d[p] == '-';
      p++;
    }
    if (matches(d, p, "infinity")) {
      end[0] = p + 8;
      return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (matches(d, p, "inf")) {
      end[0] = p + 3;
      return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (matches(d, p, "nan")) {
      end[0] = p + 3;
      return Double.NaN;
    }
    if (p + 1 < d.length && d[p] == '0' && (d[p + 1] | 0x20) == 'x') {
      int q = p + 2;
      double v = 0;
      int digits = 0;
      while (q < d.length && Character.digit(d[q], 16) >= 0) {
        v = v * 16 + Character.digit(d[q], 16);
        q++;
        digits++;
      }
      if (digits == 0) {
        end[0] = p + 1; // "0" then garbage
        return neg ? -0.0 : 0;
      }
      end[0] = q;
      return neg ? -v : v;
    }
    int q = p;
    int digits = 0;
    while (q < d.length && d[q] >= '0' && d[q] <= '9') {
      q++;
      digits++;
    }
    if (q < d.length && d[q] == '.') {
      q++;
      while (q < d.length && d[q] >= '0' && d[q] <= '9') {
        q++;
        digits++;
      }
    }
    if (digits == 0) {
      end[0] = start;
      return 0;
    }
    if (q < d.length && (d[q] | 0x20) == 'e') {
      int r = q + 1;
      if (r < d.length && (d[r] == '+' || d[r] == '-')) r++;
      int ed = 0;
      while (r < d.length && d[r] >= '0' && d[r] <= '9') {
        r++;
        ed++;
      }
      if (ed > 0) q = r;
    }
    end[0] = q;
    String s = new String(d, p, q - p, java.nio.charset.StandardCharsets.US_ASCII);
    double v = Double.parseDouble(s);
    return neg ? -v : v;
  }

  private static boolean matches(byte[] d, int p, String word) {
    if (p + word.length() > d.length) return false;
    for (int i = 0; i < word.length(); i++) {
      if (Character.toLowerCase(d[p + i]) != word.charAt(i)) return false;
    }
    return true;
  }
}
