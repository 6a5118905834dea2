package io.redstart.blocking;

import io.redstart.util.LongDouble;
import java.math.BigInteger;

/**
 * The arithmetic of Redis's {@code (long long) ceill(ftval * 1000.0)} on x86-64, where {@code
 * ftval} is a {@code long double}: the product is rounded once to the x87's 64-bit significand
 * (nearest, ties to even), rounded up to an integer, and converted to a 64-bit integer; a value out
 * of range (or infinite, or NaN) converts to the x87 "integer indefinite", {@code Long.MIN_VALUE}.
 *
 * <p>Stateless; thread-safe.
 */
final class Timeouts {
  private Timeouts() {}

  private static final BigInteger THOUSAND = BigInteger.valueOf(1000);
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final int BIAS = 16383;

  /** {@code (long long) ceill(v * 1000.0L)}, as x86-64 computes it. */
  static long ceilMillis(LongDouble v) {
    if (!v.isFinite()) return Long.MIN_VALUE;
    if (v.isZero()) return 0;
    int biased = v.signAndExponentBits() & 0x7fff;
    int lsb = (biased == 0 ? 1 : biased) - BIAS - 63;
    BigInteger p = new BigInteger(1, toBytes(v.significandBits())).multiply(THOUSAND);
    int excess = p.bitLength() - 64;
    if (excess > 0) {
      BigInteger q = p.shiftRight(excess);
      BigInteger rem = p.subtract(q.shiftLeft(excess));
      BigInteger half = BigInteger.ONE.shiftLeft(excess - 1);
      int cmp = rem.compareTo(half);
      if (cmp > 0 || (cmp == 0 && q.testBit(0))) q = q.add(BigInteger.ONE);
      if (q.bitLength() > 64) {
        q = q.shiftRight(1);
        excess++;
      }
      p = q;
      lsb += excess;
    }
    boolean negative = v.signBit();
    BigInteger whole;
    if (lsb >= 0) {
      if (p.bitLength() + lsb > 64) return Long.MIN_VALUE;
      whole = p.shiftLeft(lsb);
    } else {
      whole = p.shiftRight(-lsb);
      boolean fraction = !p.subtract(whole.shiftLeft(-lsb)).equals(BigInteger.ZERO);
      if (fraction && !negative) whole = whole.add(BigInteger.ONE);
    }
    if (negative) whole = whole.negate();
    if (whole.compareTo(LONG_MIN) < 0 || whole.compareTo(LONG_MAX) > 0) return Long.MIN_VALUE;
    return whole.longValue();
  }

  private static byte[] toBytes(long bits) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) b[i] = (byte) (bits >>> (56 - 8 * i));
    return b;
  }
}
