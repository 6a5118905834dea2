package io.redstart.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LongDoubleTest {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * strtold.tsv (tools/c/numbers_oracle.c, {@code gen strtold}): for each text, what glibc's
   * strtold consumed, whether it set ERANGE, the x87 bits, whether Redis's string2ld accepts it,
   * and the value printed as LD_STR_HUMAN, %.17Lg and %La.
   */
  @Test
  void strtoldGoldenTable() {
    List<String[]> rows = GoldenTable.rows("strtold.tsv");
    assertThat(rows).hasSizeGreaterThan(2000);
    OracleRows.assertAllMatch(rows, OracleRows::strtold);
  }

  /**
   * incrbyfloat.tsv ({@code gen incrbyfloat}): the reply to INCRBYFLOAT on a key holding a text,
   * including chains of repeated increments where each reply is the next stored value.
   */
  @Test
  void incrbyfloatGoldenTable() {
    List<String[]> rows = GoldenTable.rows("incrbyfloat.tsv");
    assertThat(rows).hasSizeGreaterThan(2500);
    OracleRows.assertAllMatch(rows, OracleRows::incr);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.5|0.1|10.6",
        "0|3.0e3|3000",
        "0|0x10|16",
        "5.0e3|2.0e2|5200",
        "0.1|0.2|0.3",
        "1|-1|0",
        "-0|-0|0",
        "-1e-30|0|0",
        // glibc: the x87 value nearest 1e308, doubled, printed in full.
        "1e308|1e308|"
            + "1999999999999999999933717593116912913211201996948311344155940959898434697376"
            + "7612374420025384377707864089349445010802644630426949918792116719484162886039"
            + "2837535918200039206381557326219209014213335878306791577877829121087126122536"
            + "7298032372604341731785068897632475826017115146362848490209054565100926878571"
            + "56096",
        "1e20|1e20|200000000000000000000",
        "1e4932|1e4932|ERR:increment would produce NaN or Infinity",
        "0|inf|ERR:increment would produce NaN or Infinity",
        "0|nan|ERR:value is not a valid float",
        "0|' 1'|ERR:value is not a valid float",
        "0|'1 '|ERR:value is not a valid float",
        "abc|1|ERR:value is not a valid float",
        "0|1e5000|ERR:value is not a valid float",
        "0|1e-5000|ERR:value is not a valid float",
      })
  void incrbyfloatExamples(String current, String increment, String reply) {
    assertThat(IncrByFloatModel.incrbyfloat(ascii(current), ascii(increment))).isEqualTo(reply);
  }

  @Test
  void repeatedSmallIncrementsKeepTheirDigits() {
    String v = "0";
    for (int i = 1; i <= 1000; i++) v = IncrByFloatModel.incrbyfloat(ascii(v), ascii("0.1"));
    assertThat(v).isEqualTo("100");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " 1",
        "\t1",
        "\n1",
        "\u000b1",
        "\f1",
        "\r1",
        "1 ",
        "1\t",
        "1x",
        "--1",
        "+-1",
        "- 1",
        ".",
        "e5",
        "1e",
        "1e+",
        "0x",
        "0x1p",
        "nan",
        "-nan",
        "NaN",
        "nan(1)",
        "1e5000",
        "-1e5000",
        "1e-5000",
        "0x1p16384",
        "0x1p-16447",
        "1,5",
        "1_0",
        "infinit",
        "1\u00002",
        "\u00001"
      })
  void parseRejects(String text) {
    assertThat(LongDouble.parse(ascii(text))).isNull();
  }

  @Test
  void parseRejectsTextsOfMaxCharsOrMore() {
    byte[] t = new byte[LongDouble.MAX_CHARS];
    java.util.Arrays.fill(t, (byte) '1');
    assertThat(LongDouble.parse(t, 0, LongDouble.MAX_CHARS - 1)).isNull(); // overflows anyway
    t[0] = '0';
    t[1] = '.';
    assertThat(LongDouble.parse(t, 0, LongDouble.MAX_CHARS - 1)).isNotNull();
    assertThat(LongDouble.parse(t, 0, LongDouble.MAX_CHARS)).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0|0x0p+0",
        "-0|-0x0p+0",
        "1|0x8p-3",
        "+1.5|0xcp-3",
        "0x10|0x8p+1",
        "0X1P+3|0x8p+0",
        ".5|0x8p-4",
        "5.|0xap-1",
        "inf|inf",
        "-Infinity|-inf",
        "0.1|0xc.ccccccccccccccdp-7",
        "0x1p-16445|0x0.000000000000001p-16385",
        "1e-4950|0x0.000000000000003p-16385",
        "0x1p-16383|0x4p-16385",
      })
  void parseAccepts(String text, String hex) {
    LongDouble v = LongDouble.parse(ascii(text));
    assertThat(v).isNotNull();
    assertThat(v.toHexString()).isEqualTo(hex);
  }

  @Test
  void hexTextReadsBackExactly() {
    Random rnd = new Random(0x5eed_0001L);
    for (int i = 0; i < 5000; i++) {
      LongDouble v = randomFinite(rnd);
      assertThat(LongDouble.parse(v.toHexString())).as(v.toHexString()).isEqualTo(v);
      int e = (v.signAndExponentBits() & 0x7fff) - 16383;
      if (!v.isZero() && Math.abs(e) < 2000) { // BigDecimal has no -0; keep the texts short
        String decimal = v.toBigDecimal().toString();
        assertThat(LongDouble.parse(decimal)).as(decimal).isEqualTo(v);
      }
    }
  }

  /** Any finite x87 value, biased towards small exponents and both ends of the range. */
  static LongDouble randomFinite(Random rnd) {
    long sig = rnd.nextLong();
    int biased =
        switch (rnd.nextInt(4)) {
          case 0 -> rnd.nextInt(0x7fff);
          case 1 -> 16383 - 80 + rnd.nextInt(160);
          case 2 -> rnd.nextInt(3);
          default -> 0x7ffe - rnd.nextInt(3);
        };
    if (biased == 0) sig &= Long.MAX_VALUE >>> rnd.nextInt(63);
    else sig |= Long.MIN_VALUE;
    return LongDouble.fromBits((rnd.nextBoolean() ? 0x8000 : 0) | biased, sig);
  }

  @Test
  void valueOfLongIsExact() {
    long[] samples = {
      0, 1, -1, 2, 10, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, 1L << 62
    };
    for (long v : samples) {
      assertThat(LongDouble.valueOf(v).toBigDecimal()).isEqualByComparingTo(BigDecimal.valueOf(v));
      assertThat(LongDouble.valueOf(v)).isEqualTo(LongDouble.parse(Long.toString(v)));
    }
    Random rnd = new Random(7);
    for (int i = 0; i < 2000; i++) {
      long v = rnd.nextLong() >> rnd.nextInt(64);
      assertThat(LongDouble.valueOf(v)).isEqualTo(LongDouble.parse(Long.toString(v)));
    }
  }

  @Test
  void valueOfDoubleIsExactAndDoubleValueRoundsBack() {
    Random rnd = new Random(8);
    for (int i = 0; i < 5000; i++) {
      double d = Double.longBitsToDouble(rnd.nextLong());
      if (Double.isNaN(d)) continue;
      LongDouble v = LongDouble.valueOf(d);
      assertThat(Double.doubleToRawLongBits(v.doubleValue()))
          .isEqualTo(Double.doubleToRawLongBits(d));
      if (Double.isFinite(d)) {
        assertThat(v.toBigDecimal()).isEqualByComparingTo(new BigDecimal(d));
      }
    }
    assertThat(LongDouble.valueOf(Double.MIN_VALUE).toHexString()).isEqualTo("0x8p-1077");
    assertThat(LongDouble.valueOf(-0.0)).isEqualTo(LongDouble.NEGATIVE_ZERO);
    assertThat(LongDouble.valueOf(Double.NaN).isNaN()).isTrue();
  }

  @Test
  void doubleValueRoundsToNearestEven() {
    // 1 + 2^-53 is halfway between 1 and the next double: ties to even gives 1.
    assertThat(LongDouble.parse("0x1.00000000000008p0").doubleValue()).isEqualTo(1.0);
    assertThat(LongDouble.parse("0x1.00000000000018p0").doubleValue())
        .isEqualTo(Math.nextUp(Math.nextUp(1.0)));
    assertThat(LongDouble.parse("1e400").doubleValue()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(LongDouble.parse("1e-400").doubleValue()).isEqualTo(0.0);
  }

  /** The sum rounded from its exact value by BigDecimal arithmetic, for normal results. */
  @Test
  void addRoundsTheExactSumOnce() {
    Random rnd = new Random(0x5eed_0002L);
    for (int i = 0; i < 20_000; i++) {
      LongDouble a = randomNear(rnd);
      LongDouble b = randomNear(rnd);
      LongDouble sum = a.add(b);
      BigDecimal exact = a.toBigDecimal().add(b.toBigDecimal());
      assertThat(sum).as("%s + %s", a, b).isEqualTo(referenceRound(exact));
      assertThat(b.add(a)).isEqualTo(sum);
    }
  }

  /** Values within a few dozen binades of 1, so that sums cancel and carry often. */
  private static LongDouble randomNear(Random rnd) {
    long sig = rnd.nextLong() | Long.MIN_VALUE;
    if (rnd.nextInt(4) == 0) sig &= -1L << rnd.nextInt(64); // short significands: exact sums
    int biased = 16383 - 40 + rnd.nextInt(80);
    return LongDouble.fromBits((rnd.nextBoolean() ? 0x8000 : 0) | biased, sig);
  }

  /** Round a (normal-range) exact value to 64 significant bits, ties to even. */
  private static LongDouble referenceRound(BigDecimal exact) {
    if (exact.signum() == 0) return LongDouble.ZERO;
    boolean neg = exact.signum() < 0;
    BigDecimal abs = exact.abs();
    // Scale by 2^k so that the integer part has exactly 64 bits.
    int k = 63 - (abs.toBigInteger().bitLength() - 1);
    if (abs.compareTo(BigDecimal.ONE) < 0) {
      k = 0;
      while (abs.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(k))).compareTo(BigDecimal.ONE)
          < 0) k++;
      k += 63;
    }
    BigDecimal scaled =
        k >= 0
            ? abs.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(k)))
            : abs.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-k)));
    BigInteger sig = scaled.setScale(0, RoundingMode.HALF_EVEN).toBigInteger();
    if (sig.bitLength() > 64) {
      sig = sig.shiftRight(1);
      k--;
    }
    int biased = 63 - k + 16383;
    return LongDouble.fromBits((neg ? 0x8000 : 0) | biased, sig.longValue());
  }

  @Test
  void addSpecialCases() {
    LongDouble one = LongDouble.valueOf(1);
    LongDouble inf = LongDouble.POSITIVE_INFINITY;
    assertThat(inf.add(LongDouble.NEGATIVE_INFINITY).isNaN()).isTrue();
    assertThat(inf.add(LongDouble.NEGATIVE_INFINITY).toHumanString()).isEqualTo("-nan");
    assertThat(inf.add(one)).isEqualTo(inf);
    assertThat(one.add(LongDouble.NEGATIVE_INFINITY)).isEqualTo(LongDouble.NEGATIVE_INFINITY);
    assertThat(LongDouble.NaN.add(one).isNaN()).isTrue();
    assertThat(one.add(one.negate())).isEqualTo(LongDouble.ZERO);
    assertThat(LongDouble.NEGATIVE_ZERO.add(LongDouble.NEGATIVE_ZERO))
        .isEqualTo(LongDouble.NEGATIVE_ZERO);
    assertThat(LongDouble.NEGATIVE_ZERO.add(LongDouble.ZERO)).isEqualTo(LongDouble.ZERO);
    assertThat(LongDouble.ZERO.add(one)).isEqualTo(one);
    // Overflow to infinity, and a far smaller operand that only breaks a tie.
    LongDouble max = LongDouble.fromBits(0x7ffe, -1L);
    assertThat(max.add(max)).isEqualTo(inf);
    LongDouble halfUlpOfOne = LongDouble.parse("0x1p-64");
    assertThat(one.add(halfUlpOfOne)).isEqualTo(one); // tie, even
    assertThat(one.add(halfUlpOfOne).add(LongDouble.parse("0x1p-16000"))).isEqualTo(one);
    assertThat(one.add(halfUlpOfOne.add(LongDouble.parse("0x1p-127"))))
        .isEqualTo(LongDouble.parse("0x1.0000000000000002p0"));
    LongDouble tiny = LongDouble.parse("0x1p-16000");
    assertThat(one.add(tiny)).isEqualTo(one);
    assertThat(one.add(tiny.negate())).isEqualTo(one);
    assertThat(LongDouble.parse("0x1p-16445").add(LongDouble.parse("0x1p-16445")).toHexString())
        .isEqualTo("0x0.000000000000002p-16385");
  }

  @Test
  void humanFormat() {
    assertThat(LongDouble.parse("0.1").toHumanString()).isEqualTo("0.1");
    assertThat(LongDouble.parse("1e20").toHumanString()).isEqualTo("100000000000000000000");
    assertThat(LongDouble.parse("-1e-18").toHumanString()).isEqualTo("0");
    assertThat(LongDouble.parse("1e-17").toHumanString()).isEqualTo("0.00000000000000001");
    assertThat(LongDouble.parse("0x1p-18").toHumanString()).isEqualTo("0.00000381469726562");
    assertThat(LongDouble.parse("0x3p-18").toHumanString()).isEqualTo("0.00001144409179688");
    assertThat(LongDouble.NEGATIVE_ZERO.toHumanString()).isEqualTo("0");
    assertThat(LongDouble.POSITIVE_INFINITY.toHumanString()).isEqualTo("inf");
    assertThat(LongDouble.parse("-1.5").toHumanBytes()).isEqualTo(ascii("-1.5"));
    String max = LongDouble.fromBits(0x7ffe, -1L).toHumanString();
    assertThat(max).hasSize(4933).startsWith("11897314953572317650");
  }

  /** LD_STR_HUMAN against a BigDecimal reading of "%.17Lf", ties at 17 decimals included. */
  @Test
  void humanFormatMatchesExactRounding() {
    Random rnd = new Random(0x5eed_0006L);
    for (int i = 0; i < 50_000; i++) {
      LongDouble v =
          switch (i % 3) {
            case 0 -> randomFinite(rnd);
            case 1 -> randomNear(rnd);
            default ->
                LongDouble.parse( // j / 2^18: exact ties in the 18th decimal
                    "0x"
                        + Long.toHexString(rnd.nextLong() >>> rnd.nextInt(64))
                        + "p-"
                        + (18 + rnd.nextInt(3)));
          };
      if (Math.abs((v.signAndExponentBits() & 0x7fff) - 16383) > 300) continue;
      String plain = v.toBigDecimal().setScale(17, RoundingMode.HALF_EVEN).toPlainString();
      if (v.signBit() && !plain.startsWith("-")) plain = "-" + plain;
      String want =
          plain.contains(".") ? plain.replaceAll("0+$", "").replaceAll("\\.$", "") : plain;
      if (want.equals("-0")) want = "0";
      assertThat(v.toHumanString()).as(v.toHexString()).isEqualTo(want);
    }
  }

  @Test
  void fromBitsRejectsNonCanonicalEncodings() {
    assertThatThrownBy(() -> LongDouble.fromBits(0x3fff, 1L))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LongDouble.fromBits(0, Long.MIN_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LongDouble.fromBits(0x10000, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LongDouble.POSITIVE_INFINITY.toBigDecimal())
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void autoFormatAgreesWithDoubleFormatting() {
    Random rnd = new Random(9);
    for (int i = 0; i < 2000; i++) {
      double d = Double.longBitsToDouble(rnd.nextLong());
      if (!Double.isFinite(d)) continue;
      assertThat(LongDouble.valueOf(d).toAutoString()).isEqualTo(io.redstart.resp.CFormat.g17(d));
    }
    assertThat(LongDouble.parse("1e4000").toAutoString()).isEqualTo("1e+4000");
    assertThat(new BigDecimal("1e4000").round(MathContext.DECIMAL32)).isNotNull();
  }
}
