package io.redstart.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.util.LongDouble;
import org.junit.jupiter.api.Test;

/** {@code (long long) ceill(timeout * 1000.0L)} as x86-64 computes it, and the deadlines. */
class TimeoutsTest {
  private static long millis(String text) {
    LongDouble v = LongDouble.parse(text);
    assertThat(v).as(text).isNotNull();
    return Timeouts.ceilMillis(v);
  }

  @Test
  void roundsUpToWholeMilliseconds() {
    assertThat(millis("0")).isZero();
    assertThat(millis("-0")).isZero();
    assertThat(millis("1")).isEqualTo(1000);
    assertThat(millis("1.5")).isEqualTo(1500);
    assertThat(millis("0.001")).isEqualTo(1);
    assertThat(millis("0.0011")).isEqualTo(2);
    assertThat(millis("0.0001")).isEqualTo(1);
    assertThat(millis("1e-4000")).isEqualTo(1);
    assertThat(millis("0x1p-7")).isEqualTo(8);
    assertThat(millis("0x10")).isEqualTo(16000);
    // Negative values round up towards zero: -0.1 ms is 0, no timeout at all.
    assertThat(millis("-0.0001")).isZero();
    assertThat(millis("-1")).isEqualTo(-1000);
    assertThat(millis("-1.0005")).isEqualTo(-1000);
  }

  @Test
  void outOfRangeConvertsToTheIntegerIndefinite() {
    assertThat(millis("9223372036854775")).isEqualTo(9223372036854775000L);
    assertThat(millis("9223372036854776")).isEqualTo(Long.MIN_VALUE);
    assertThat(millis("1e16")).isEqualTo(Long.MIN_VALUE);
    assertThat(millis("9.2e15")).isEqualTo(9200000000000000000L);
    assertThat(millis("inf")).isEqualTo(Long.MIN_VALUE);
    assertThat(millis("-inf")).isEqualTo(Long.MIN_VALUE);
    assertThat(millis("1e4000")).isEqualTo(Long.MIN_VALUE);
    assertThat(millis("-9223372036854777")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void theProductIsRoundedToSixtyFourBitsFirst() {
    // 0.1 is not exact; its long double times 1000 rounds to exactly 100 before ceill.
    assertThat(millis("0.1")).isEqualTo(100);
    assertThat(millis("0.3")).isEqualTo(300);
    assertThat(millis("2.675")).isEqualTo(2675);
  }
}
