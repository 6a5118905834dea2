package io.redstart.types.bitmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bit primitives against naive models, and BITFIELD's overflow rules against BigInteger. */
class BitsTest {
  private static int naiveBit(byte[] a, int off, int len, long i) {
    return i / 8 < len ? (a[off + (int) (i / 8)] >> (7 - (int) (i % 8))) & 1 : 0;
  }

  @Test
  void popcountAndBitposAgreeWithABitByBitScan() {
    SplittableRandom random = new SplittableRandom(3);
    for (int round = 0; round < 5000; round++) {
      int len = random.nextInt(0, 70);
      int off = random.nextInt(0, 9);
      byte[] a = new byte[off + len + random.nextInt(0, 9)];
      int style = random.nextInt(4);
      for (int i = 0; i < a.length; i++) {
        a[i] =
            switch (style) {
              case 0 -> (byte) random.nextInt(256);
              case 1 -> random.nextInt(40) == 0 ? (byte) random.nextInt(256) : 0;
              case 2 -> random.nextInt(40) == 0 ? (byte) random.nextInt(256) : (byte) 0xff;
              default -> (byte) (random.nextBoolean() ? 0 : 0xff);
            };
      }
      long ones = 0;
      long first1 = -1;
      long first0 = -1;
      for (long i = 0; i < len * 8L; i++) {
        int bit = naiveBit(a, off, len, i);
        ones += bit;
        if (bit == 1 && first1 < 0) first1 = i;
        if (bit == 0 && first0 < 0) first0 = i;
      }
      assertThat(Bits.popcount(a, off, len)).isEqualTo(ones);
      assertThat(Bits.bitpos(a, off, len, 1)).isEqualTo(first1);
      assertThat(Bits.bitpos(a, off, len, 0)).isEqualTo(first0 < 0 ? len * 8L : first0);
    }
  }

  @Test
  void fieldsReadAndWriteMostSignificantBitFirst() {
    byte[] a = new byte[10];
    Bits.setBits(a, 1, 4, 8, 0xab);
    assertThat(a[1]).isEqualTo((byte) 0x0a);
    assertThat(a[2]).isEqualTo((byte) 0xb0);
    assertThat(Bits.getUnsigned(a, 1, 9, 4, 8)).isEqualTo(0xab);
    assertThat(Bits.getSigned(a, 1, 9, 4, 8)).isEqualTo((byte) 0xab);
    assertThat(Bits.getUnsigned(a, 1, 2, 12, 8)).as("bits past the end read as 0").isEqualTo(0);
    Bits.setBits(a, 0, 0, 64, -1L);
    assertThat(Bits.getSigned(a, 0, 10, 0, 64)).isEqualTo(-1L);
    assertThat(Bits.getUnsigned(a, 0, 10, 1, 63)).isEqualTo(Long.MAX_VALUE);
    Bits.setBit(a, 0, 0, 0);
    assertThat(Bits.getBit(a, 0, 10, 0)).isZero();
    assertThat(Bits.getBit(a, 0, 10, 1)).isEqualTo(1);
    assertThat(Bits.getBit(a, 0, 10, 80)).isZero();
  }

  /**
   * Redis's own overflow fuzz, with BigInteger as the model: a value and an increment drawn from
   * twice the field's range; overflow is detected exactly when the mathematical result leaves the
   * field, WRAP keeps the result modulo 2^bits, SAT clamps it.
   */
  @Test
  void overflowDetectionWrapAndSaturationMatchArbitraryPrecision() {
    SplittableRandom random = new SplittableRandom(11);
    BigInteger longMin = BigInteger.valueOf(Long.MIN_VALUE);
    BigInteger longMax = BigInteger.valueOf(Long.MAX_VALUE);
    long[] limit = new long[1];
    for (int round = 0; round < 100_000; round++) {
      int bits = random.nextInt(1, 65);
      boolean signed = bits == 64 || random.nextBoolean();
      BigInteger range = BigInteger.ONE.shiftLeft(bits);
      BigInteger min = signed ? range.shiftRight(1).negate() : BigInteger.ZERO;
      BigInteger max = min.add(range).subtract(BigInteger.ONE);
      BigInteger inField = min.add(new BigInteger(bits, new java.util.Random(random.nextLong())));
      BigInteger incr =
          min.multiply(BigInteger.TWO)
              .add(new BigInteger(bits + 1, new java.util.Random(random.nextLong())))
              .max(longMin)
              .min(longMax);
      long value = inField.longValue();
      BigInteger sum = inField.add(incr);
      boolean expectOverflow = sum.compareTo(max) > 0 || sum.compareTo(min) < 0;
      int ow =
          signed
              ? Bits.checkSignedOverflow(value, incr.longValue(), bits, Bits.WRAP, limit)
              : Bits.checkUnsignedOverflow(value, incr.longValue(), bits, Bits.WRAP, limit);
      assertThat(ow != 0).as("%s%d %s + %s", signed ? "i" : "u", bits, inField, incr)
          .isEqualTo(expectOverflow);
      if (ow != 0) {
        BigInteger wrapped = sum.subtract(min).mod(range).add(min);
        assertThat(BigInteger.valueOf(limit[0])).isEqualTo(wrapped);
        int sat =
            signed
                ? Bits.checkSignedOverflow(value, incr.longValue(), bits, Bits.SAT, limit)
                : Bits.checkUnsignedOverflow(value, incr.longValue(), bits, Bits.SAT, limit);
        assertThat(BigInteger.valueOf(limit[0])).isEqualTo(sat > 0 ? max : min);
        assertThat(sat).isEqualTo(sum.compareTo(max) > 0 ? 1 : -1);
      }
    }
  }

  @Test
  void redisQuirksForValuesFarOutsideTheField() {
    long[] limit = new long[1];
    // SET i8 -2^63 under SAT: the wrapped comparison calls it an overflow upwards.
    assertThat(Bits.checkSignedOverflow(Long.MIN_VALUE, 0, 8, Bits.SAT, limit)).isEqualTo(1);
    assertThat(limit[0]).isEqualTo(127);
    // SET u8 -1: seen as 2^64 - 1, above the maximum.
    assertThat(Bits.checkUnsignedOverflow(-1, 0, 8, Bits.SAT, limit)).isEqualTo(1);
    assertThat(limit[0]).isEqualTo(255);
    assertThat(Bits.checkUnsignedOverflow(-1, 0, 8, Bits.WRAP, limit)).isEqualTo(1);
    assertThat(limit[0]).isEqualTo(255);
  }
}
