package io.redstart.types.bitmap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Bit-level primitives over string bytes, the type API of the bitmap commands (Redis's
 * bitops.c). Bit 0 is the most significant bit of the first byte; a string is an array of bits
 * read left to right, and bits past its end read as 0.
 *
 * <p>Every method works on a region {@code [off, off + len)} of an array the caller owns, so the
 * commands read inline and boxed strings without copying them. Stateless; safe on any thread.
 */
public final class Bits {
  private Bits() {}

  /** Overflow behaviours of BITFIELD SET and INCRBY. */
  public static final int WRAP = 0;

  public static final int SAT = 1;
  public static final int FAIL = 2;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Number of bits set in {@code a[off, off + len)}. */
  public static long popcount(byte[] a, int off, int len) {
    long n = 0;
    int i = 0;
    for (; i + 8 <= len; i += 8) n += Long.bitCount((long) LONGS.get(a, off + i));
    for (; i < len; i++) n += Integer.bitCount(a[off + i] & 0xff);
    return n;
  }

  /**
   * The position of the first bit equal to {@code bit} in {@code a[off, off + len)}, counted from
   * {@code off}. When there is none: -1 for a 1, and {@code len * 8} for a 0, the first bit past
   * the region (which reads as 0), as Redis's redisBitpos.
   */
  public static long bitpos(byte[] a, int off, int len, int bit) {
    long skipWord = bit == 1 ? 0L : -1L;
    int skipByte = bit == 1 ? 0 : 0xff;
    int i = 0;
    while (i + 8 <= len && (long) LONGS.get(a, off + i) == skipWord) i += 8;
    while (i < len && (a[off + i] & 0xff) == skipByte) i++;
    if (i == len) return bit == 1 ? -1 : (long) len * 8;
    int b = a[off + i] & 0xff;
    int inByte = Integer.numberOfLeadingZeros(bit == 1 ? b : ~b & 0xff) - 24;
    return (long) i * 8 + inByte;
  }

  /** The bit at {@code offset}, 0 past the region. */
  public static int getBit(byte[] a, int off, int len, long offset) {
    long byteIndex = offset >>> 3;
    if (byteIndex >= len) return 0;
    return (a[off + (int) byteIndex] >> (7 - (int) (offset & 7))) & 1;
  }

  /** Sets the bit at {@code offset}, which must lie inside the region. */
  public static void setBit(byte[] a, int off, long offset, int value) {
    int i = off + (int) (offset >>> 3);
    int mask = 1 << (7 - (int) (offset & 7));
    a[i] = (byte) (value != 0 ? a[i] | mask : a[i] & ~mask);
  }

  /**
   * The {@code bits}-bit unsigned integer (1 to 64) at bit {@code offset}, most significant bit
   * first; bits past the region read as 0.
   */
  public static long getUnsigned(byte[] a, int off, int len, long offset, int bits) {
    long v = 0;
    for (int j = 0; j < bits; j++) v = (v << 1) | getBit(a, off, len, offset + j);
    return v;
  }

  /** {@link #getUnsigned} read as a two's complement integer of {@code bits} bits. */
  public static long getSigned(byte[] a, int off, int len, long offset, int bits) {
    long v = getUnsigned(a, off, len, offset, bits);
    if (bits < 64 && (v & (1L << (bits - 1))) != 0) v |= -1L << bits;
    return v;
  }

  /** Writes the low {@code bits} bits of {@code value} at bit {@code offset}, inside the region. */
  public static void setBits(byte[] a, int off, long offset, int bits, long value) {
    for (int j = 0; j < bits; j++) {
      setBit(a, off, offset + j, (int) ((value >>> (bits - 1 - j)) & 1));
    }
  }

  /**
   * Checks {@code value + incr} against an unsigned field of {@code bits} bits ({@code value} is
   * an unsigned 64-bit quantity, {@code incr} signed). Returns 0 when it fits, 1 on overflow, -1
   * on underflow; on overflow {@code limit[0]} receives the value to store: wrapped for {@link
   * #WRAP}, the bound for {@link #SAT}, nothing for {@link #FAIL}.
   *
   * <p>Redis's quirks are kept: a value above the field's maximum (a negative SET value seen as
   * unsigned) counts as an overflow whatever the increment.
   */
  public static int checkUnsignedOverflow(
      long value, long incr, int bits, int overflow, long[] limit) {
    long max = bits == 64 ? -1L : (1L << bits) - 1;
    long maxIncr = max - value;
    long minIncr = -value;
    if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxIncr)) {
      if (overflow == WRAP) {
        limit[0] = wrapUnsigned(value, incr, bits);
      } else if (overflow == SAT) {
        limit[0] = max;
      }
      return 1;
    } else if (incr < 0 && incr < minIncr) {
      if (overflow == WRAP) {
        limit[0] = wrapUnsigned(value, incr, bits);
      } else if (overflow == SAT) {
        limit[0] = 0;
      }
      return -1;
    }
    return 0;
  }

  private static long wrapUnsigned(long value, long incr, int bits) {
    long sum = value + incr;
    return bits == 64 ? sum : sum & ~(-1L << bits);
  }

  /**
   * Checks {@code value + incr} against a signed field of {@code bits} bits, as {@link
   * #checkUnsignedOverflow}. The comparisons use Redis's wrapping 64-bit arithmetic, so that its
   * answers for values far outside the field (SET i8 with -2^63) are the same.
   */
  public static int checkSignedOverflow(
      long value, long incr, int bits, int overflow, long[] limit) {
    long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
    long min = -max - 1;
    long maxIncr = max - value;
    long minIncr = min - value;
    if (value > max
        || (bits != 64 && incr > maxIncr)
        || (value >= 0 && incr > 0 && incr > maxIncr)) {
      if (overflow == WRAP) {
        limit[0] = wrapSigned(value, incr, bits);
      } else if (overflow == SAT) {
        limit[0] = max;
      }
      return 1;
    } else if (value < min
        || (bits != 64 && incr < minIncr)
        || (value < 0 && incr < 0 && incr < minIncr)) {
      if (overflow == WRAP) {
        limit[0] = wrapSigned(value, incr, bits);
      } else if (overflow == SAT) {
        limit[0] = min;
      }
      return -1;
    }
    return 0;
  }

  private static long wrapSigned(long value, long incr, int bits) {
    long c = value + incr;
    if (bits < 64) {
      long mask = -1L << bits;
      c = (c & (1L << (bits - 1))) != 0 ? c | mask : c & ~mask;
    }
    return c;
  }
}
