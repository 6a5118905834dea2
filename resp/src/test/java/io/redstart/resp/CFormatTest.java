package io.redstart.resp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CFormatTest {
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
}
