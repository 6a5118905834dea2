package io.redstart.util;

import java.math.BigInteger;

/**
 * The conversion core behind {@link Doubles} and {@link LongDouble}: C's {@code strtod} and
 * {@code strtold} as glibc implements them in the C locale, over a byte range, for a binary
 * format of either width.
 *
 * <p>What is accepted, after any leading C-locale white space ({@code ' ' \t \n \v \f \r}) and an
 * optional {@code '+'} or {@code '-'}:
 *
 * <ul>
 *   <li>a decimal number: digits with at most one {@code '.'} (at least one digit), then an
 *       optional exponent {@code e|E [+-] digits}; an exponent without digits is not consumed;
 *   <li>a hexadecimal number: {@code 0x|0X}, hex digits with at most one {@code '.'} (at least one
 *       digit), then an optional binary exponent {@code p|P [+-] digits}; {@code "0x"} followed by
 *       no hex digit consumes only the {@code "0"};
 *   <li>{@code inf} or {@code infinity}, {@code nan} or {@code nan(chars)}, in any case.
 * </ul>
 *
 * <p>The longest such prefix is converted, correctly rounded to nearest, ties to even, as glibc
 * does. {@link #end} is the index after it, or the index where the scan began when nothing was
 * converted (C sets {@code *endptr = nptr}). {@link #rangeError} is what glibc leaves in
 * {@code errno == ERANGE}: on overflow to infinity, and on underflow (a result that is tiny after
 * rounding, below the smallest normal, and inexact, including a nonzero input that rounds to
 * zero).
 *
 * <p>The result is exact sign, {@link #kind}, {@link #significand} and {@link #exponent}: a finite
 * value is {@code significand * 2^exponent} with the significand below {@code 2^precision}
 * (unsigned for 64 bits). Decimal input is converted with exact integer arithmetic; digits beyond
 * the format's {@link Format#maxDigits} are replaced by one sticky digit, which cannot change the
 * rounding because no halfway point between two neighbours has that many significant digits.
 *
 * <p>An instance holds the outcome of its last scan and is not thread-safe; make one per call.
 */
final class FloatParser {
  /**
   * A binary floating-point format: {@code precision} significand bits (counting the leading
   * one), normal exponents in {@code [minExponent, maxExponent]}, subnormals below.
   *
   * @param maxDigits significant decimal digits kept before the rest collapses into a sticky digit
   */
  record Format(int precision, int minExponent, int maxExponent, int maxDigits) {
    /** A decimal magnitude {@code 10^n} at or above which every value overflows. */
    long overflowPow10() {
      return (long) Math.floor((maxExponent + 1) * LOG10_2) + 1;
    }

    /** A decimal magnitude {@code 10^n} at or below which every value rounds to zero. */
    long underflowPow10() {
      return (long) Math.floor((minExponent - precision) * LOG10_2) - 1;
    }
  }

  private static final double LOG10_2 = Math.log10(2);

  /** IEEE 754 binary64, C's {@code double}. */
  static final Format BINARY64 = new Format(53, -1022, 1023, 800);

  /** x87 80-bit extended precision, C's {@code long double} on x86-64. */
  static final Format X87 = new Format(64, -16382, 16383, 12_000);

  static final int NONE = 0;
  static final int ZERO = 1;
  static final int FINITE = 2;
  static final int INFINITE = 3;
  static final int NAN = 4;

  /** Exponent digits saturate here; any larger magnitude overflows or underflows anyway. */
  private static final long EXPONENT_LIMIT = 1_000_000_000L;

  /** Hex digits kept before the rest collapses into a sticky bit (80 bits, more than needed). */
  private static final int MAX_HEX_DIGITS = 20;

  int kind;
  boolean negative;
  long significand;
  int exponent;
  int end;
  boolean rangeError;

  /** C locale {@code isspace}. */
  static boolean isSpace(int c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static int hexValue(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    int l = c | 0x20;
    if (l >= 'a' && l <= 'f') return l - 'a' + 10;
    return -1;
  }

  /** True when {@code s[p, end)} starts with the lower-case ASCII {@code word}, in any case. */
  private static boolean startsWithIgnoreCase(byte[] s, int p, int end, String word) {
    if (end - p < word.length()) return false;
    for (int i = 0; i < word.length(); i++) {
      if ((s[p + i] | 0x20) != word.charAt(i)) return false;
    }
    return true;
  }

  /**
   * Scans {@code s[off, off+len)} as strtod/strtold would; the byte after the range acts as NUL.
   */
  void scan(byte[] s, int off, int len, Format f) {
    kind = NONE;
    negative = false;
    significand = 0;
    exponent = 0;
    end = off;
    rangeError = false;
    int limit = off + len;
    int p = off;
    while (p < limit && isSpace(s[p])) p++;
    boolean neg = false;
    if (p < limit && (s[p] == '+' || s[p] == '-')) {
      neg = s[p] == '-';
      p++;
    }
    if (p == limit) return;
    int c = s[p] | 0x20;
    if (c == 'i') {
      if (!startsWithIgnoreCase(s, p, limit, "inf")) return;
      p += 3;
      if (startsWithIgnoreCase(s, p, limit, "inity")) p += 5;
      negative = neg;
      kind = INFINITE;
      end = p;
      return;
    }
    if (c == 'n') {
      if (!startsWithIgnoreCase(s, p, limit, "nan")) return;
      p += 3;
      if (p < limit && s[p] == '(') {
        int q = p + 1;
        while (q < limit && isNanChar(s[q])) q++;
        if (q < limit && s[q] == ')') p = q + 1;
      }
      negative = neg;
      kind = NAN;
      end = p;
      return;
    }
    if (s[p] == '0'
        && p + 1 < limit
        && (s[p + 1] | 0x20) == 'x'
        && scanHex(s, p + 2, limit, f, neg)) {
      return;
    }
    scanDecimal(s, p, limit, f, neg);
  }

  /** Letters, digits and '_' as allowed inside {@code nan(...)}. */
  private static boolean isNanChar(int c) {
    int l = c | 0x20;
    return (l >= 'a' && l <= 'z') || isDigit(c) || c == '_';
  }

  private void scanDecimal(byte[] s, int p, int limit, Format f, boolean neg) {
    int intStart = p;
    while (p < limit && isDigit(s[p])) p++;
    int intEnd = p;
    int fracStart = p;
    int fracEnd = p;
    if (p < limit && s[p] == '.') {
      fracStart = p + 1;
      fracEnd = fracStart;
      while (fracEnd < limit && isDigit(s[fracEnd])) fracEnd++;
      p = fracEnd;
    }
    if (intEnd == intStart && fracEnd == fracStart) return; // no digits: no conversion
    long exp10 = 0;
    if (p < limit && (s[p] | 0x20) == 'e') {
      int q = p + 1;
      boolean expNeg = false;
      if (q < limit && (s[q] == '+' || s[q] == '-')) {
        expNeg = s[q] == '-';
        q++;
      }
      if (q < limit && isDigit(s[q])) {
        while (q < limit && isDigit(s[q])) {
          if (exp10 < EXPONENT_LIMIT) exp10 = exp10 * 10 + (s[q] - '0');
          q++;
        }
        if (expNeg) exp10 = -exp10;
        p = q;
      }
    }
    end = p;
    negative = neg;

    // Significant digits: from the first nonzero digit to the last nonzero digit.
    int intLen = intEnd - intStart;
    int first = -1; // digit index over the concatenation int ++ frac
    int last = -1;
    int total = intLen + (fracEnd - fracStart);
    for (int i = 0; i < total; i++) {
      if (digitAt(s, intStart, intLen, fracStart, i) != '0') {
        if (first < 0) first = i;
        last = i;
      }
    }
    if (first < 0) {
      kind = ZERO;
      return;
    }
    int n = last - first + 1;
    // The last significant digit has weight 10^(intLen - 1 - last).
    long e10 = exp10 + (intLen - 1 - last);
    long magnitude = n + e10; // value < 10^magnitude and >= 10^(magnitude - 1)
    if (magnitude - 1 >= f.overflowPow10()) {
      overflow();
      return;
    }
    if (magnitude <= f.underflowPow10()) {
      underflow();
      return;
    }
    int keep = Math.min(n, f.maxDigits());
    StringBuilder digits = new StringBuilder(keep + 1);
    for (int i = first; i < first + keep; i++) {
      digits.append((char) digitAt(s, intStart, intLen, fracStart, i));
    }
    if (keep < n) {
      // The dropped tail ends in a nonzero digit: stand in one sticky digit for it.
      e10 += n - keep - 1;
      digits.append('1');
    }
    BigInteger m = new BigInteger(digits.toString());
    if (e10 >= 0) {
      round(neg, m.multiply(BigInteger.TEN.pow((int) e10)), 0, f);
      return;
    }
    BigInteger d = BigInteger.TEN.pow((int) -e10);
    int k = Math.max(0, f.precision() + 2 - (m.bitLength() - d.bitLength())) + 1;
    BigInteger[] qr = m.shiftLeft(k).divideAndRemainder(d);
    BigInteger mag = qr[0].shiftLeft(1);
    if (qr[1].signum() != 0) mag = mag.setBit(0);
    round(neg, mag, -(long) k - 1, f);
  }

  private static int digitAt(byte[] s, int intStart, int intLen, int fracStart, int i) {
    return i < intLen ? s[intStart + i] : s[fracStart + i - intLen];
  }

  /** Scans hex digits at {@code p} (after "0x"); false, with nothing set, when there are none. */
  private boolean scanHex(byte[] s, int p, int limit, Format f, boolean neg) {
    int intStart = p;
    while (p < limit && hexValue(s[p]) >= 0) p++;
    int intEnd = p;
    int fracStart = p;
    int fracEnd = p;
    if (p < limit && s[p] == '.') {
      fracStart = p + 1;
      fracEnd = fracStart;
      while (fracEnd < limit && hexValue(s[fracEnd]) >= 0) fracEnd++;
      p = fracEnd;
    }
    if (intEnd == intStart && fracEnd == fracStart) return false;
    long exp2 = 0;
    if (p < limit && (s[p] | 0x20) == 'p') {
      int q = p + 1;
      boolean expNeg = false;
      if (q < limit && (s[q] == '+' || s[q] == '-')) {
        expNeg = s[q] == '-';
        q++;
      }
      if (q < limit && isDigit(s[q])) {
        while (q < limit && isDigit(s[q])) {
          if (exp2 < EXPONENT_LIMIT) exp2 = exp2 * 10 + (s[q] - '0');
          q++;
        }
        if (expNeg) exp2 = -exp2;
        p = q;
      }
    }
    end = p;
    negative = neg;
    int intLen = intEnd - intStart;
    int total = intLen + (fracEnd - fracStart);
    int first = -1;
    int last = -1;
    for (int i = 0; i < total; i++) {
      if (digitAt(s, intStart, intLen, fracStart, i) != '0') {
        if (first < 0) first = i;
        last = i;
      }
    }
    if (first < 0) {
      kind = ZERO;
      return true;
    }
    int n = last - first + 1;
    long e2 = exp2 + 4L * (intLen - 1 - last);
    int keep = Math.min(n, MAX_HEX_DIGITS);
    long hi = 0;
    BigInteger m = BigInteger.ZERO;
    for (int i = first; i < first + keep; i++) {
      hi = (hi << 4) | hexValue(digitAt(s, intStart, intLen, fracStart, i));
      if (((i - first) & 0xf) == 0xf) {
        m = m.shiftLeft(64).or(unsigned(hi));
        hi = 0;
      }
    }
    int rest = keep & 0xf;
    if (rest != 0) m = m.shiftLeft(4 * rest).or(BigInteger.valueOf(hi));
    if (keep < n) {
      e2 += 4L * (n - keep) - 1;
      m = m.shiftLeft(1).setBit(0);
    }
    round(neg, m, e2, f);
    return true;
  }

  /** {@code v} read as an unsigned 64-bit integer. */
  static BigInteger unsigned(long v) {
    BigInteger b = BigInteger.valueOf(v & Long.MAX_VALUE);
    return v < 0 ? b.setBit(63) : b;
  }

  private void overflow() {
    kind = INFINITE;
    rangeError = true;
  }

  private void underflow() {
    kind = ZERO;
    rangeError = true;
  }

  /**
   * Rounds {@code mag * 2^exp2} (mag positive) to format {@code f}, nearest, ties to even, setting
   * kind, significand, exponent and rangeError as glibc's strtod sets its result and errno; also
   * the rounding step of an exact sum.
   */
  void round(boolean neg, BigInteger mag, long exp2, Format f) {
    negative = neg;
    rangeError = false;
    int p = f.precision();
    int emin = f.minExponent();
    long top = mag.bitLength() - 1 + exp2; // mag * 2^exp2 is in [2^top, 2^(top+1))
    if (top > f.maxExponent()) {
      overflow();
      return;
    }
    if (top < (long) emin - p) { // below half the smallest subnormal
      underflow();
      return;
    }
    int lsb = (int) Math.max(top - (p - 1), emin - (p - 1));
    boolean[] inexact = new boolean[1];
    BigInteger q = roundAt(mag, lsb - exp2, inexact);
    if (q.bitLength() > p) {
      q = q.shiftRight(1);
      lsb++;
    }
    if (q.signum() == 0) {
      underflow();
      return;
    }
    if ((long) lsb + p - 1 > f.maxExponent()) {
      overflow();
      return;
    }
    // Tininess after rounding, as x86 detects it: would the result, rounded to p bits with an
    // unbounded exponent, still be below 2^emin?
    boolean tiny = top < emin;
    if (tiny && top == emin - 1) {
      tiny = roundAt(mag, top - (p - 1) - exp2, new boolean[1]).bitLength() <= p;
    }
    rangeError = tiny && inexact[0];
    kind = FINITE;
    significand = q.longValue();
    exponent = lsb;
  }

  /** {@code mag / 2^shift} rounded to an integer, nearest, ties to even (exact for shift <= 0). */
  private static BigInteger roundAt(BigInteger mag, long shift, boolean[] inexact) {
    if (shift <= 0) return mag.shiftLeft((int) -shift);
    if (shift > mag.bitLength() + 1) {
      inexact[0] = true;
      return BigInteger.ZERO;
    }
    int sh = (int) shift;
    BigInteger q = mag.shiftRight(sh);
    boolean half = mag.testBit(sh - 1);
    boolean sticky = mag.getLowestSetBit() < sh - 1;
    inexact[0] = half || sticky;
    if (half && (sticky || q.testBit(0))) q = q.add(BigInteger.ONE);
    return q;
  }

  /** The last finite or zero result as binary64 bits (format must have been {@link #BINARY64}). */
  long doubleBits() {
    long sign = negative ? Long.MIN_VALUE : 0;
    return switch (kind) {
      case ZERO, NONE -> sign;
      case INFINITE -> sign | 0x7ff0000000000000L;
      case NAN -> sign | 0x7ff8000000000000L;
      default -> {
        if (significand < (1L << 52)) yield sign | significand; // subnormal: exponent is -1074
        long biased = exponent + 52 + 1023;
        yield sign | (biased << 52) | (significand & ((1L << 52) - 1));
      }
    };
  }
}
