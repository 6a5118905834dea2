package io.redstart.types.zset;

import java.util.Arrays;

/**
 * A member interval of ZRANGEBYLEX, ZLEXCOUNT and ZREMRANGEBYLEX: each end is {@code -} (below
 * every member), {@code +} (above every member), or a member, inclusive or exclusive. Members
 * compare as unsigned bytes, a prefix before its extensions. Immutable.
 *
 * @param min the lower member, or null for an infinite end ({@code minKind})
 * @param minKind {@link #MINUS}, {@link #PLUS} or {@link #VALUE}
 */
public record LexRange(
    byte[] min, int minKind, boolean minExclusive, byte[] max, int maxKind, boolean maxExclusive) {

  /** The {@code -} end: below every member. */
  public static final int MINUS = 0;

  /** The {@code +} end: above every member. */
  public static final int PLUS = 1;

  /** A member end, {@code [m} or {@code (m}. */
  public static final int VALUE = 2;

  /**
   * Parses two range arguments as Redis's zslParseLexRange: {@code -} and {@code +} alone (or
   * followed by a NUL byte, where C stops reading), or {@code [} / {@code (} followed by the member
   * (the whole rest, NUL bytes included). Anything else, the empty string included, is refused with
   * null (the caller replies "min or max not valid string range item").
   */
  public static LexRange parse(byte[] min, byte[] max) {
    int minKind = kind(min);
    int maxKind = kind(max);
    if (minKind < 0 || maxKind < 0) return null;
    return new LexRange(
        minKind == VALUE ? Arrays.copyOfRange(min, 1, min.length) : null,
        minKind,
        minKind != VALUE || min[0] == '(',
        maxKind == VALUE ? Arrays.copyOfRange(max, 1, max.length) : null,
        maxKind,
        maxKind != VALUE || max[0] == '(');
  }

  private static int kind(byte[] arg) {
    if (arg.length == 0) return -1;
    return switch (arg[0]) {
      case '+' -> arg.length == 1 || arg[1] == 0 ? PLUS : -1;
      case '-' -> arg.length == 1 || arg[1] == 0 ? MINUS : -1;
      case '(', '[' -> VALUE;
      default -> -1;
    };
  }

  /** Compares a member with an end, as Redis's sdscmplex. */
  private static int compare(byte[] m, int mOff, int mLen, int kind, byte[] bound) {
    if (kind == MINUS) return 1;
    if (kind == PLUS) return -1;
    return Arrays.compareUnsigned(m, mOff, mOff + mLen, bound, 0, bound.length);
  }

  /** Whether no member can be in the range. */
  public boolean isEmpty() {
    int cmp;
    if (minKind == maxKind && minKind != VALUE) {
      cmp = 0;
    } else if (minKind == MINUS || maxKind == PLUS) {
      cmp = -1;
    } else if (minKind == PLUS || maxKind == MINUS) {
      cmp = 1;
    } else {
      cmp = Arrays.compareUnsigned(min, max);
    }
    return cmp > 0 || (cmp == 0 && (minExclusive || maxExclusive));
  }

  public boolean aboveMin(byte[] m) {
    return aboveMin(m, 0, m.length);
  }

  public boolean aboveMin(byte[] m, int off, int len) {
    int cmp = compare(m, off, len, minKind, min);
    return minExclusive ? cmp > 0 : cmp >= 0;
  }

  public boolean belowMax(byte[] m) {
    return belowMax(m, 0, m.length);
  }

  public boolean belowMax(byte[] m, int off, int len) {
    int cmp = compare(m, off, len, maxKind, max);
    return maxExclusive ? cmp < 0 : cmp <= 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LexRange r
        && minKind == r.minKind
        && maxKind == r.maxKind
        && minExclusive == r.minExclusive
        && maxExclusive == r.maxExclusive
        && Arrays.equals(min, r.min)
        && Arrays.equals(max, r.max);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(min) * 31 + Arrays.hashCode(max) + minKind * 7 + maxKind;
  }

  @Override
  public String toString() {
    return "LexRange[" + minKind + "," + maxKind + "]";
  }
}
