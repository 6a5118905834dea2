package io.redstart.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.resp.CFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DoublesTest {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * strtod.tsv (tools/c/numbers_oracle.c, {@code gen strtod}): for each text, what glibc's strtod
   * consumed, whether it set ERANGE, the double's bits, whether Redis's string2d accepts it, and
   * the value printed as %.17g and by d2string.
   */
  @Test
  void strtodGoldenTable() {
    List<String[]> rows = GoldenTable.rows("strtod.tsv");
    assertThat(rows).hasSizeGreaterThan(2000);
    OracleRows.assertAllMatch(rows, OracleRows::strtod);
  }

  /** fixedpoint.tsv ({@code gen fixedpoint}): GEO's fixed-point text of doubles. */
  @Test
  void fixedPointGoldenTable() {
    List<String[]> rows = GoldenTable.rows("fixedpoint.tsv");
    assertThat(rows).hasSizeGreaterThan(1500);
    OracleRows.assertAllMatch(rows, OracleRows::fixedPoint);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0|0x0.0p0",
        "-0|-0x0.0p0",
        "+1|0x1.0p0",
        "1.5|0x1.8p0",
        ".5|0x1.0p-1",
        "5.|0x1.4p2",
        "1E3|0x1.f4p9",
        "3.0e3|0x1.770p11",
        "0x10|0x1.0p4",
        "-0x1.8p1|-0x1.8p1",
        "0.1|0x1.999999999999ap-4",
        "9007199254740993|0x1.0p53",
        "1e-320|0x0.00000000007e8p-1022",
        "4.9406564584124654e-324|0x0.0000000000001p-1022",
        "1.7976931348623157e308|0x1.fffffffffffffp1023",
        "inf|Infinity",
        "-INFINITY|-Infinity",
        "00012|0x1.8p3",
      })
  void parseAccepts(String text, String hexValue) {
    double expected = Double.parseDouble(hexValue);
    assertThat(Double.doubleToRawLongBits(Doubles.parse(text)))
        .isEqualTo(Double.doubleToRawLongBits(expected));
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
        "-",
        "+",
        "e5",
        "1e",
        "1e+",
        "0x",
        "0x1p",
        "nan",
        "-nan",
        "NaN",
        "nan(1)",
        "1e309",
        "-1e309",
        "1e-400",
        "2.4703282292062327e-324",
        "0x1p1024",
        "0x1p-1076",
        "1,5",
        "1_0",
        "infinit",
        "1\u00002",
        "\u00001",
        "1.5.3",
        "1d",
        "1f",
        "Infinity ",
        "0x1.8p1 "
      })
  void parseRejects(String text) {
    assertThat(Doubles.parse(ascii(text))).isNaN();
  }

  @Test
  void parseTakesAByteRange() {
    byte[] b = ascii("xx12.5yy");
    assertThat(Doubles.parse(b, 2, 4)).isEqualTo(12.5);
    assertThat(Doubles.parse(b, 2, 5)).isNaN();
  }

  /** The fast path for short decimals must agree with the general parser everywhere. */
  @Test
  void fastPathAgreesWithGeneralParser() {
    Random rnd = new Random(0x5eed_0003L);
    FloatParser p = new FloatParser();
    for (int i = 0; i < 50_000; i++) {
      StringBuilder sb = new StringBuilder();
      if (rnd.nextInt(3) == 0) sb.append(rnd.nextBoolean() ? '-' : '+');
      int ints = rnd.nextInt(10);
      for (int k = 0; k < ints; k++) sb.append((char) ('0' + rnd.nextInt(10)));
      if (rnd.nextBoolean()) {
        sb.append('.');
        int fracs = rnd.nextInt(12);
        for (int k = 0; k < fracs; k++) sb.append((char) ('0' + rnd.nextInt(10)));
      }
      if (rnd.nextInt(3) == 0) sb.append('e').append(rnd.nextInt(40) - 20);
      String text = sb.toString();
      byte[] t = ascii(text);
      double fast = Doubles.parse(t);
      p.scan(t, 0, t.length, FloatParser.BINARY64);
      boolean accepted = t.length > 0 && p.end == t.length && p.kind != FloatParser.NONE;
      if (!accepted) {
        assertThat(fast).as(text).isNaN();
      } else {
        assertThat(Double.doubleToRawLongBits(fast)).as(text).isEqualTo(p.doubleBits());
        assertThat(fast).as(text).isEqualTo(Double.parseDouble(text));
      }
    }
  }

  /** Java's own parser is correctly rounded too: the two must agree on Java-compatible texts. */
  @Test
  void agreesWithJavaOnRoundTrips() {
    Random rnd = new Random(0x5eed_0004L);
    for (int i = 0; i < 20_000; i++) {
      double d = Double.longBitsToDouble(rnd.nextLong());
      if (!Double.isFinite(d)) continue;
      for (String text :
          new String[] {CFormat.g17(d), CFormat.g(d, 1 + rnd.nextInt(20)), Double.toString(d)}) {
        double parsed = Doubles.parse(text);
        assertThat(Double.doubleToRawLongBits(parsed))
            .as(text)
            .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
      }
      assertThat(Doubles.parse(CFormat.g17(d))).isEqualTo(d);
      assertThat(Doubles.parse(Doubles.d2string(d))).isEqualTo(d);
    }
  }

  @Test
  void strtodReportsPrefixAndRange() {
    Doubles.Scan s = new Doubles.Scan();
    byte[] t = ascii("  -1.5e3xyz");
    Doubles.strtod(t, 0, t.length, s);
    assertThat(s.value).isEqualTo(-1500.0);
    assertThat(s.end).isEqualTo(8);
    assertThat(s.rangeError).isFalse();
    t = ascii("abc");
    Doubles.strtod(t, 1, 2, s);
    assertThat(s.end).isEqualTo(1);
    assertThat(s.value).isEqualTo(0.0);
    t = ascii("1e-320");
    Doubles.strtod(t, 0, t.length, s);
    assertThat(s.rangeError).isTrue();
    assertThat(s.value).isEqualTo(1e-320);
    t = ascii("1e999");
    Doubles.strtod(t, 0, t.length, s);
    assertThat(s.rangeError).isTrue();
    assertThat(s.value).isEqualTo(Double.POSITIVE_INFINITY);
    t = ascii("nan(x1)y");
    Doubles.strtod(t, 0, t.length, s);
    assertThat(s.value).isNaN();
    assertThat(s.end).isEqualTo(7);
  }

  @Test
  void d2stringAndReplyText() {
    assertThat(Doubles.d2string(0x1p60)).isEqualTo("1152921504606846976");
    assertThat(Doubles.replyText(0x1p60)).isEqualTo("1.152921504606847e+18");
    assertThat(Doubles.d2string(0x1p62)).isEqualTo("4611686018427387904");
    assertThat(Doubles.d2string(0x1p63)).isEqualTo("9.2233720368547758e+18");
    assertThat(Doubles.d2string(-0.0)).isEqualTo("-0");
    assertThat(Doubles.d2string(1.5)).isEqualTo("1.5");
    assertThat(Doubles.d2string(Double.NaN)).isEqualTo("nan");
    assertThat(Doubles.d2string(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    assertThat(Doubles.replyText(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    assertThat(Doubles.replyText(0.1)).isEqualTo("0.10000000000000001");
    assertThat(Doubles.isSafeLong(0x1p62)).isTrue();
    assertThat(Doubles.isSafeLong(-0x1p62)).isTrue();
    assertThat(Doubles.isSafeLong(0x1p62 + 1024)).isFalse();
    assertThat(Doubles.isSafeLong(0.5)).isFalse();
    assertThat(Doubles.isSafeLong(Double.NaN)).isFalse();
  }

  @Test
  void fixedPointExamples() {
    assertThat(Doubles.fixedPoint(0.0, 4)).isEqualTo("0.0000");
    assertThat(Doubles.fixedPoint(6.0642951598391699e-05, 4)).isEqualTo("0.0001");
    assertThat(Doubles.fixedPoint(-0.01, 4)).isEqualTo("-0.0100");
    assertThat(Doubles.fixedPoint(10.01, 4)).isEqualTo("10.0100");
    assertThat(Doubles.fixedPoint(0.01, 17)).isEqualTo("0.01000000000000000");
    assertThat(Doubles.fixedPoint(-0.00001, 4)).isEqualTo("0.0000");
    assertThat(Doubles.fixedPoint(1e300, 4)).isEqualTo("-922337203685477.5808");
    assertThat(Doubles.fixedPoint(1.0, 0)).isNull();
    assertThat(Doubles.fixedPoint(1.0, 18)).isNull();
  }
}
