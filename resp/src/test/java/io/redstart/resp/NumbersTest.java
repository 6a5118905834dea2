package io.redstart.resp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NumbersTest {
  private static boolean ok(String s) {
    return Numbers.isLong(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void acceptsCanonicalIntegersOnly() {
    assertThat(ok("0")).isTrue();
    assertThat(ok("-1")).isTrue();
    assertThat(ok("9223372036854775807")).isTrue();
    assertThat(ok("-9223372036854775808")).isTrue();
    assertThat(ok("9223372036854775808")).isFalse();
    assertThat(ok("-9223372036854775809")).isFalse();
    assertThat(ok("")).isFalse();
    assertThat(ok("-")).isFalse();
    assertThat(ok("+1")).isFalse();
    assertThat(ok("01")).isFalse();
    assertThat(ok("-0")).isFalse();
    assertThat(ok(" 1")).isFalse();
    assertThat(ok("1 ")).isFalse();
    assertThat(ok("1.0")).isFalse();
    assertThat(ok("123456789012345678901")).isFalse();
  }

  @Test
  void parsesAndFormatsRoundTrip() {
    for (long v : new long[] {0, 1, -1, 42, Long.MAX_VALUE, Long.MIN_VALUE, -1234567890123L}) {
      byte[] text = Numbers.toBytes(v);
      assertThat(new String(text, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
      assertThat(Numbers.parseLong(text)).isEqualTo(v);
      assertThat(Numbers.digits(v)).isEqualTo(Long.toString(v).length());
    }
  }
}
