package io.redstart.util;

import io.redstart.resp.CFormat;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * An x86-64 C {@code long double}: the x87 80-bit extended format, with a 64-bit significand whose
 * leading bit is explicit, a 15-bit exponent biased by 16383, and round to nearest, ties to even.
 * Redis keeps INCRBYFLOAT and HINCRBYFLOAT values in this type, so the digits a client sees after
 * an increment are those of this format, not of a Java {@code double}.
 *
 * <p>Layout, as the 10 bytes of the C value: {@link #signAndExponentBits()} is the upper 16 bits
 * (sign, then biased exponent), {@link #significandBits()} the lower 64. Zero has exponent 0 and
 * significand 0; subnormals have exponent 0 and the leading bit clear (value {@code significand *
 * 2^-16445}); normals have exponent 1..32766 and the leading bit set (value {@code significand *
 * 2^(exponent - 16383 - 63)}); infinities and NaNs have exponent 32767. Only these canonical
 * encodings exist here (no pseudo-denormals or unnormals).
 *
 * <p>What is reproduced from Redis 7.0.15 and glibc:
 *
 * <ul>
 *   <li>{@link #parse} is {@code string2ld}: strtold over the whole text, strictly;
 *   <li>{@link #add} is the x87 {@code +} with the default 64-bit precision control;
 *   <li>{@link #toHumanString()} is {@code ld2string(LD_STR_HUMAN)}, what INCRBYFLOAT replies and
 *       stores; {@link #toAutoString()} is {@code LD_STR_AUTO}; {@link #toHexString()} is {@code
 *       LD_STR_HEX}.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class LongDouble {
  /**
   * Redis's {@code MAX_LONG_DOUBLE_CHARS}: texts of this length or longer are never parsed, and
   * every formatted value is shorter.
   */
  public static final int MAX_CHARS = 5 * 1024;

  private static final int BIAS = 16383;
  private static final int MAX_BIASED = 0x7fff;
  private static final long LEADING_BIT = Long.MIN_VALUE;

  /** The exponent of a significand's last bit for subnormals (and the smallest normals). */
  private static final int MIN_LSB_EXPONENT = 1 - BIAS - 63;

  public static final LongDouble ZERO = new LongDouble(0, 0);
  public static final LongDouble NEGATIVE_ZERO = new LongDouble(0x8000, 0);
  public static final LongDouble POSITIVE_INFINITY = new LongDouble(MAX_BIASED, LEADING_BIT);
  public static final LongDouble NEGATIVE_INFINITY =
      new LongDouble(0x8000 | MAX_BIASED, LEADING_BIT);

  /** The quiet NaN C gets from {@code strtold("nan")}. */
  public static final LongDouble NaN = new LongDouble(MAX_BIASED, 0xC000000000000000L);

  /** The x87 "real indefinite", the NaN an invalid operation such as {@code inf + -inf} yields. */
  private static final LongDouble INDEFINITE =
      new LongDouble(0x8000 | MAX_BIASED, 0xC000000000000000L);

  private final int signExp; // sign bit 15, biased exponent bits 0..14
  private final long significand;

  private LongDouble(int signExp, long significand) {
    this.signExp = signExp;
    this.significand = significand;
  }

  /**
   * The value of the 10-byte C encoding: {@code signAndExponent} is the upper 16 bits, {@code
   * significand} the lower 64. Throws {@link IllegalArgumentException} for a non-canonical
   * encoding (a pseudo-denormal, unnormal, pseudo-infinity or pseudo-NaN).
   */
  public static LongDouble fromBits(int signAndExponent, long significand) {
    if ((signAndExponent & ~0xffff) != 0) throw new IllegalArgumentException("16 bits expected");
    int biased = signAndExponent & MAX_BIASED;
    boolean leading = significand < 0;
    if (biased == 0 ? leading : !leading) {
      throw new IllegalArgumentException("non-canonical x87 encoding");
    }
    return new LongDouble(signAndExponent, significand);
  }

  /** The upper 16 bits of the C encoding: sign (bit 15) and biased exponent. */
  public int signAndExponentBits() {
    return signExp;
  }

  /** The lower 64 bits of the C encoding: the significand, leading bit explicit. */
  public long significandBits() {
    return significand;
  }

  /** {@code (long double) v}: exact, since 64 significand bits hold every {@code long}. */
  public static LongDouble valueOf(long v) {
    if (v == 0) return ZERO;
    boolean neg = v < 0;
    long mag = neg ? -v : v; // Long.MIN_VALUE stays 2^63 read unsigned
    int shift = Long.numberOfLeadingZeros(mag);
    int biased = BIAS + 63 - shift;
    return new LongDouble((neg ? 0x8000 : 0) | biased, mag << shift);
  }

  /** {@code (long double) d}: exact, NaN becomes {@link #NaN} with the sign of {@code d}. */
  public static LongDouble valueOf(double d) {
    long bits = Double.doubleToRawLongBits(d);
    int sign = bits < 0 ? 0x8000 : 0;
    int e = (int) (bits >>> 52) & 0x7ff;
    long frac = bits & ((1L << 52) - 1);
    if (e == 0x7ff) {
      if (frac != 0) return sign == 0 ? NaN : new LongDouble(0x8000 | MAX_BIASED, NaN.significand);
      return sign == 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
    }
    if (e == 0) {
      if (frac == 0) return sign == 0 ? ZERO : NEGATIVE_ZERO;
      int shift = Long.numberOfLeadingZeros(frac); // normalise: x87 has room for every subnormal
      return new LongDouble(sign | (BIAS - 1022 - (shift - 11)), frac << shift);
    }
    return new LongDouble(sign | (e - 1023 + BIAS), LEADING_BIT | (frac << 11));
  }

  /** {@link #parse(byte[], int, int)} over the whole array. */
  public static LongDouble parse(byte[] s) {
    return parse(s, 0, s.length);
  }

  /** {@link #parse(byte[], int, int)} over the ISO-8859-1 bytes of {@code s}. */
  public static LongDouble parse(String s) {
    return parse(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Redis's {@code string2ld}: the value of {@code s[off, off+len)} read by glibc's {@code
   * strtold}, or {@code null} when Redis rejects the text. Rejected are: an empty text or one of
   * {@link #MAX_CHARS} bytes or more; a leading white-space byte; anything strtold leaves
   * unconsumed (trailing spaces or garbage, an embedded NUL); a result that overflowed to infinity
   * or underflowed to zero with {@code ERANGE}; and NaN in any spelling. Accepted are decimal and
   * hexadecimal ({@code 0x1.8p3}) numbers with an optional sign, {@code inf} and {@code infinity}
   * in any case (so the result may be infinite), and tiny inputs that round to a nonzero
   * subnormal. Never throws for any input.
   */
  public static LongDouble parse(byte[] s, int off, int len) {
    if (len == 0 || len >= MAX_CHARS || FloatParser.isSpace(s[off])) return null;
    FloatParser p = new FloatParser();
    p.scan(s, off, len, FloatParser.X87);
    if (p.end != off + len) return null;
    return switch (p.kind) {
      case FloatParser.ZERO -> p.rangeError ? null : (p.negative ? NEGATIVE_ZERO : ZERO);
      case FloatParser.INFINITE ->
          p.rangeError ? null : (p.negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY);
      case FloatParser.FINITE -> of(p);
      default -> null; // NaN, or nothing converted
    };
  }

  /** The finite result of a scan or rounding in the X87 format. */
  private static LongDouble of(FloatParser p) {
    int sign = p.negative ? 0x8000 : 0;
    if (p.significand >= 0) return new LongDouble(sign, p.significand); // subnormal
    return new LongDouble(sign | (p.exponent + 63 + BIAS), p.significand);
  }

  public boolean isNaN() {
    return (signExp & MAX_BIASED) == MAX_BIASED && significand != LEADING_BIT;
  }

  public boolean isInfinite() {
    return (signExp & MAX_BIASED) == MAX_BIASED && significand == LEADING_BIT;
  }

  /** Neither infinite nor NaN: C's {@code isfinite}, the check INCRBYFLOAT makes on its result. */
  public boolean isFinite() {
    return (signExp & MAX_BIASED) != MAX_BIASED;
  }

  /** True for both zeros. */
  public boolean isZero() {
    return significand == 0;
  }

  /** The sign bit (set for -0 and for negative NaNs too). */
  public boolean signBit() {
    return (signExp & 0x8000) != 0;
  }

  public LongDouble negate() {
    return new LongDouble(signExp ^ 0x8000, significand);
  }

  /** Exponent of the significand's last bit, for finite values. */
  private int lsbExponent() {
    int biased = signExp & MAX_BIASED;
    return biased == 0 ? MIN_LSB_EXPONENT : biased - BIAS - 63;
  }

  /**
   * {@code this + other} as the x87 FPU adds with 64-bit precision: the exact sum rounded once to
   * nearest, ties to even, to 64 significand bits, overflowing to an infinity and gradually
   * underflowing to subnormals. An exact zero sum is +0 unless both operands are -0. {@code inf +
   * -inf} is the negative "indefinite" NaN; a NaN operand is returned as is (the first if both).
   */
  public LongDouble add(LongDouble other) {
    if (isNaN()) return this;
    if (other.isNaN()) return other;
    if (isInfinite()) {
      return other.isInfinite() && other.signBit() != signBit() ? INDEFINITE : this;
    }
    if (other.isInfinite()) return other;
    if (isZero())
      return other.isZero() ? (signBit() && other.signBit() ? NEGATIVE_ZERO : ZERO) : other;
    if (other.isZero()) return this;
    int ea = lsbExponent();
    int eb = other.lsbExponent();
    BigInteger a = FloatParser.unsigned(significand);
    BigInteger b = FloatParser.unsigned(other.significand);
    // An operand whose every bit lies far below the other's last bit only decides the direction
    // of the rounding: replace it by a single bit that does the same, to keep the sum small.
    if (ea - eb > 130) {
      b = BigInteger.ONE;
      eb = ea - 70;
    } else if (eb - ea > 130) {
      a = BigInteger.ONE;
      ea = eb - 70;
    }
    int e = Math.min(ea, eb);
    a = a.shiftLeft(ea - e);
    b = b.shiftLeft(eb - e);
    if (signBit()) a = a.negate();
    if (other.signBit()) b = b.negate();
    BigInteger sum = a.add(b);
    if (sum.signum() == 0) return ZERO;
    FloatParser r = new FloatParser();
    r.round(sum.signum() < 0, sum.abs(), e, FloatParser.X87);
    return switch (r.kind) {
      case FloatParser.INFINITE -> r.negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
      case FloatParser.ZERO ->
          r.negative ? NEGATIVE_ZERO : ZERO; // not reached: sums are exact there
      default -> of(r);
    };
  }

  /** {@code (double) this}: rounded to nearest, ties to even, as C converts. */
  public double doubleValue() {
    if (isNaN()) return signBit() ? -Double.NaN : Double.NaN;
    if (isInfinite()) return signBit() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    if (isZero()) return signBit() ? -0.0 : 0.0;
    FloatParser r = new FloatParser();
    r.round(signBit(), FloatParser.unsigned(significand), lsbExponent(), FloatParser.BINARY64);
    return Double.longBitsToDouble(r.doubleBits());
  }

  /**
   * The exact value of a finite number as a {@link BigDecimal} (both zeros give 0). Throws {@link
   * ArithmeticException} for an infinity or NaN.
   */
  public BigDecimal toBigDecimal() {
    if (!isFinite()) throw new ArithmeticException("not finite");
    BigDecimal abs = exactAbs();
    return signBit() ? abs.negate() : abs;
  }

  private BigDecimal exactAbs() {
    BigInteger m = FloatParser.unsigned(significand);
    int e = lsbExponent();
    if (e >= 0) return new BigDecimal(m.shiftLeft(e));
    return new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-e)), -e);
  }

  /**
   * Redis's {@code ld2string(LD_STR_HUMAN)}: glibc's {@code "%.17Lf"} (the exact value rounded
   * half-even to 17 decimals, never an exponent), then trailing zeros and a trailing '.' removed;
   * a result of {@code "-0"} (negative zero, or a negative value that rounds to zero) becomes
   * {@code "0"}. Infinities print as {@code "inf"}/{@code "-inf"} and NaN as glibc does ({@code
   * "nan"}/{@code "-nan"}). This is INCRBYFLOAT's reply and stored value.
   */
  public String toHumanString() {
    if (isInfinite()) return signBit() ? "-inf" : "inf";
    if (isNaN()) return signBit() ? "-nan" : "nan";
    if (isZero()) return "0";
    int e = lsbExponent();
    String sign = signBit() ? "-" : "";
    if (e >= 0) { // an integer: no fraction to print
      if (e == 0) return sign + Long.toUnsignedString(significand);
      return sign + FloatParser.unsigned(significand).shiftLeft(e).toString();
    }
    // Below 2^-58 the value rounds to 0.00000000000000000, which prints as "0" either sign.
    if (e + 64 - Long.numberOfLeadingZeros(significand) <= -58) return "0";
    int shift = -e; // value = significand / 2^shift; from here on 0 < shift <= 122
    // Integer part and the fraction in units of 10^-17, rounded half-even.
    long intPart = shift < 64 ? significand >>> shift : 0;
    long frac = shift < 64 ? significand & ((1L << shift) - 1) : significand;
    long hi = Math.unsignedMultiplyHigh(frac, E17);
    long lo = frac * E17; // (hi, lo) = frac * 10^17 < 2^122
    long units;
    boolean half;
    boolean sticky;
    if (shift < 64) {
      units = (lo >>> shift) | (hi << (64 - shift));
      half = ((lo >>> (shift - 1)) & 1) != 0;
      sticky = (lo & ((1L << (shift - 1)) - 1)) != 0;
    } else if (shift == 64) {
      units = hi;
      half = lo < 0;
      sticky = (lo & Long.MAX_VALUE) != 0;
    } else {
      int s = shift - 64;
      units = hi >>> s;
      half = ((hi >>> (s - 1)) & 1) != 0;
      sticky = lo != 0 || (hi & ((1L << (s - 1)) - 1)) != 0;
    }
    if (half && (sticky || (units & 1) != 0)) units++;
    if (units == E17) { // the fraction rounded up to one
      units = 0;
      intPart++; // cannot wrap: intPart < 2^63 whenever there is a fraction to round
    }
    if (intPart == 0 && units == 0) return "0";
    StringBuilder sb = new StringBuilder(40).append(sign).append(Long.toUnsignedString(intPart));
    if (units != 0) {
      String f = Long.toString(units);
      int last = f.length();
      while (f.charAt(last - 1) == '0') last--;
      sb.append('.');
      for (int i = f.length(); i < 17; i++) sb.append('0');
      sb.append(f, 0, last);
    }
    return sb.toString();
  }

  private static final long E17 = 100_000_000_000_000_000L;

  /** {@link #toHumanString()} as ASCII bytes. */
  public byte[] toHumanBytes() {
    return toHumanString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Redis's {@code ld2string(LD_STR_AUTO)}: glibc's {@code "%.17Lg"}, infinities as {@code
   * "inf"}/{@code "-inf"}, NaN as {@code "nan"}/{@code "-nan"}, negative zero as {@code "-0"}.
   */
  public String toAutoString() {
    if (isInfinite()) return signBit() ? "-inf" : "inf";
    if (isNaN()) return signBit() ? "-nan" : "nan";
    return CFormat.g(exactAbs(), signBit(), 17);
  }

  /**
   * Redis's {@code ld2string(LD_STR_HEX)}: glibc's {@code "%La"} for the x87 format, which prints
   * the explicit leading bit: the significand's top 4 bits as one hex digit, the other 60 as up to
   * 15 hex digits without trailing zeros, and the binary exponent of that first digit (so 1 is
   * {@code 0x8p-3}; subnormals use the smallest exponent, {@code 0x0.000000000000003p-16385}).
   * Zero is {@code 0x0p+0}; infinities and NaN as {@link #toAutoString()}. Exact: parsing the text
   * gives this value back.
   */
  public String toHexString() {
    if (isInfinite()) return signBit() ? "-inf" : "inf";
    if (isNaN()) return signBit() ? "-nan" : "nan";
    StringBuilder sb = new StringBuilder(32);
    if (signBit()) sb.append('-');
    if (isZero()) return sb.append("0x0p+0").toString();
    sb.append("0x").append(Character.forDigit((int) (significand >>> 60), 16));
    long rest = significand & ((1L << 60) - 1);
    if (rest != 0) {
      String hex = Long.toHexString(rest | (1L << 60)).substring(1); // 15 digits, zero-padded
      int last = hex.length();
      while (hex.charAt(last - 1) == '0') last--;
      sb.append('.').append(hex, 0, last);
    }
    int exp = lsbExponent() + 63 - 3;
    return sb.append('p').append(exp < 0 ? '-' : '+').append(Math.abs(exp)).toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LongDouble other
        && other.signExp == signExp
        && other.significand == significand;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(significand) * 31 + signExp;
  }

  /** The exact {@link #toHexString()} form, for diagnostics. */
  @Override
  public String toString() {
    return toHexString();
  }
}
