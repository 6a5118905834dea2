package io.redstart.resp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CFormatTest {

  /**
   * printf-g.tsv: glibc's {@code printf("%.<p>g")} for thousands of doubles (bits in hex, the
   * precision, the text), written by tools/c/numbers_oracle.c ({@code gen cformat}).
   */
  @Test
  void matchesGlibcGoldenTable() throws IOException {
    List<String> mismatches = new ArrayList<>();
    int rows = 0;
    try (InputStream in = CFormatTest.class.getResourceAsStream("printf-g.tsv");
        BufferedReader r =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line; (line = r.readLine()) != null; ) {
        String[] f = line.split("\t", -1);
        double d = Double.longBitsToDouble(Long.parseUnsignedLong(f[0], 16));
        int precision = Integer.parseInt(f[1]);
        String actual = CFormat.g(d, precision);
        if (!actual.equals(f[2])) mismatches.add(line + " -> " + actual);
        rows++;
      }
    }
    assertThat(rows).isGreaterThan(4000);
    assertThat(mismatches).isEmpty();
  }

  @Test
  void g17MatchesGlibc() {
    assertThat(CFormat.g17(0.1)).isEqualTo("0.10000000000000001");
    assertThat(CFormat.g17(1.0)).isEqualTo("1");
    assertThat(CFormat.g17(-0.0)).isEqualTo("-0");
    assertThat(CFormat.g17(1.5)).isEqualTo("1.5");
    assertThat(CFormat.g17(1e20)).isEqualTo("1e+20");
    assertThat(CFormat.g17(123456789012345678.0)).isEqualTo("1.2345678901234568e+17");
    assertThat(CFormat.g17(0.0001)).isEqualTo("0.0001");
    assertThat(CFormat.g17(0.00001)).isEqualTo("1.0000000000000001e-05");
    assertThat(CFormat.g17(3.0e3)).isEqualTo("3000");
    assertThat(CFormat.g(1.0 / 3, 14)).isEqualTo("0.33333333333333");
    assertThat(CFormat.g(100, 14)).isEqualTo("100");
    assertThat(CFormat.g(1e15, 14)).isEqualTo("1e+15");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0.1|17|0.10000000000000001",
        "1e17|17|1e+17",
        "123456789012345678|17|1.2345678901234568e+17",
        "9007199254740993|17|9007199254740992",
        "1e15|17|1000000000000000",
        "1e16|17|10000000000000000",
        "1e16|16|1e+16",
        "0.0001|17|0.0001",
        "0.00001|17|1.0000000000000001e-05",
        "1e-5|1|1e-05",
        "4.9e-324|17|4.9406564584124654e-324",
        "1.7976931348623157e308|17|1.7976931348623157e+308",
        "2.5|1|2",
        "3.5|1|4",
        "0.125|2|0.12",
        "0.375|2|0.38",
        "-0.375|2|-0.38",
        "9.5|1|1e+01",
        "99.5|2|1e+02",
        "100|2|1e+02",
        "123456|6|123456",
        "1234567|6|1.23457e+06",
        "1.5|0|2",
        "3.14159|14|3.14159",
      })
  void formatsLikeC(double d, int precision, String expected) {
    assertThat(CFormat.g(d, precision)).isEqualTo(expected);
  }

  @Test
  void specialValues() {
    assertThat(CFormat.g17(0.0)).isEqualTo("0");
    assertThat(CFormat.g17(-0.0)).isEqualTo("-0");
    assertThat(CFormat.g17(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    assertThat(CFormat.g17(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    assertThat(CFormat.g17(Double.NaN)).isEqualTo("nan");
    assertThat(CFormat.g17(Double.longBitsToDouble(0xfff8000000000000L))).isEqualTo("-nan");
  }

  @Test
  void bigDecimalFormMatchesDoubleForm() {
    Random rnd = new Random(20240531L);
    for (int i = 0; i < 5000; i++) {
      double d = Double.longBitsToDouble(rnd.nextLong());
      if (!Double.isFinite(d)) continue;
      int p = 1 + rnd.nextInt(17);
      assertThat(CFormat.g(new BigDecimal(Math.abs(d)), d < 0 || 1 / d < 0, p))
          .as("%s %%.%dg", d, p)
          .isEqualTo(CFormat.g(d, p));
    }
  }

  @Test
  void bigDecimalFormGoesBeyondDoubleRange() {
    assertThat(CFormat.g(new BigDecimal("1e4000"), false, 17)).isEqualTo("1e+4000");
    assertThat(CFormat.g(new BigDecimal("1.23456789e-4000"), true, 3)).isEqualTo("-1.23e-4000");
    assertThat(CFormat.g(BigDecimal.ZERO, true, 17)).isEqualTo("-0");
  }

  /** The integer fast paths must agree with the exact BigDecimal path on every input. */
  @Test
  void fastPathsAgreeWithExactPath() {
    Random rnd = new Random(0x5eed_0005L);
    for (int i = 0; i < 300_000; i++) {
      double d =
          switch (i % 5) {
            case 0 -> Double.longBitsToDouble(rnd.nextLong());
            case 1 -> rnd.nextInt(1_000_000) / Math.pow(10, rnd.nextInt(12));
            case 2 -> (double) (rnd.nextLong() >> rnd.nextInt(64));
            case 3 -> Math.scalb(rnd.nextDouble(), rnd.nextInt(140) - 70);
            default -> {
              // Powers of ten and their neighbours, where the decimal exponent is easy to misjudge.
              double t = Math.pow(10, rnd.nextInt(40) - 20) * (1 + rnd.nextInt(9));
              t =
                  switch (rnd.nextInt(3)) {
                    case 0 -> Math.nextUp(t);
                    case 1 -> Math.nextDown(t);
                    default -> t;
                  };
              yield rnd.nextBoolean() ? t : -t;
            }
          };
      if (!Double.isFinite(d) || d == 0) continue;
      int p = 1 + rnd.nextInt(17);
      assertThat(CFormat.g(d, p))
          .as("%s %%.%dg", d, p)
          .isEqualTo(CFormat.g(new BigDecimal(Math.abs(d)), d < 0, p));
    }
  }
}
