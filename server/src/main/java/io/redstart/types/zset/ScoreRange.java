package io.redstart.types.zset;

import io.redstart.util.Doubles;

/**
 * A score interval of ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE and GEO queries: {@code min} and
 * {@code max} with each end inclusive or exclusive. Immutable.
 */
public record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {

  /**
   * Parses two range arguments as Redis's zslParseRange: an optional leading {@code '('} makes the
   * end exclusive, the rest is read by C's {@code strtod} up to the argument's first NUL byte,
   * which must consume all of it. So leading white space, {@code "inf"}, hexadecimal and values
   * that overflow to infinity are accepted, and an empty text reads as 0 (strtod converts nothing
   * and stops on the terminator); NaN is refused. Returns null when either end is refused (the
   * caller replies "min or max is not a float").
   */
  public static ScoreRange parse(byte[] min, byte[] max) {
    Doubles.Scan scan = new Doubles.Scan();
    double lo = bound(min, scan);
    if (Double.isNaN(lo)) return null;
    double hi = bound(max, scan);
    if (Double.isNaN(hi)) return null;
    return new ScoreRange(lo, exclusive(min), hi, exclusive(max));
  }

  private static boolean exclusive(byte[] arg) {
    return arg.length > 0 && arg[0] == '(';
  }

  /** One end's value, or NaN when refused. */
  private static double bound(byte[] arg, Doubles.Scan scan) {
    int start = exclusive(arg) ? 1 : 0;
    int end = start;
    while (end < arg.length && arg[end] != 0) end++;
    if (end == arg.length && end > start) {
      double fast = Doubles.parse(arg, start, end - start); // string2d: stricter, same value
      if (!Double.isNaN(fast)) return fast;
    }
    Doubles.strtod(arg, start, end - start, scan);
    if (scan.end != end) return Double.NaN;
    return scan.value; // NaN when the text was a NaN: refused as well
  }

  /** Whether no score can be in the range. */
  public boolean isEmpty() {
    return min > max || (min == max && (minExclusive || maxExclusive));
  }

  /** Whether {@code v} is at or above the lower end. */
  public boolean aboveMin(double v) {
    return minExclusive ? v > min : v >= min;
  }

  /** Whether {@code v} is at or below the upper end. */
  public boolean belowMax(double v) {
    return maxExclusive ? v < max : v <= max;
  }

  public boolean contains(double v) {
    return aboveMin(v) && belowMax(v);
  }
}
