package io.redstart.types.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Stream IDs parse as Redis's streamGenericParseIDOrReply reads them (C strings, string2ull with
 * strtoull's leniency), print unsigned, and step over their edges as streamIncrID/streamDecrID.
 */
class StreamIdTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String strict(String s) {
    StreamId id = StreamId.parseStrict(b(s), 0);
    return id == null ? null : id.toString();
  }

  @Test
  void parsesCompleteAndIncompleteIds() {
    assertThat(strict("1-2")).isEqualTo("1-2");
    assertThat(strict("5")).isEqualTo("5-0");
    assertThat(StreamId.parse(b("5"), -1L).toString()).isEqualTo("5-18446744073709551615");
    assertThat(strict("18446744073709551615-18446744073709551615"))
        .isEqualTo("18446744073709551615-18446744073709551615");
    assertThat(strict("18446744073709551616")).isNull();
    assertThat(strict("")).isNull();
    assertThat(strict("1-")).isNull();
    assertThat(strict("-1")).isNull();
    assertThat(strict("1-x")).isNull();
    assertThat(strict("1-2-3")).isNull();
  }

  @Test
  void minusAndPlusAreTheEdgesUnlessStrict() {
    assertThat(StreamId.parse(b("-"), 0)).isEqualTo(StreamId.MIN);
    assertThat(StreamId.parse(b("+"), 0)).isEqualTo(StreamId.MAX);
    assertThat(strict("-")).isNull();
    assertThat(strict("+")).isNull();
    // C strings: what follows a NUL byte is not seen, its length still counts.
    assertThat(StreamId.parse(b("-\u0000x"), 0)).isEqualTo(StreamId.MIN);
    assertThat(strict("7\u0000junk")).isEqualTo("7-0");
    assertThat(strict("1".repeat(127))).isNull();
    assertThat(strict("1\u0000" + "x".repeat(126))).isNull();
    assertThat(strict("1\u0000" + "x".repeat(125))).isEqualTo("1-0");
  }

  @Test
  void strtoullLeniencyIsKept() {
    assertThat(strict("+5")).isEqualTo("5-0");
    assertThat(strict(" 5- 7")).isEqualTo("5-7");
    assertThat(strict("007-01")).isEqualTo("7-1");
    assertThat(strict("5--0")).isEqualTo("5-0");
    assertThat(strict("5--3")).isNull(); // string2ll reads -3 and refuses a negative
    assertThat(strict("5--007")).isEqualTo("5-18446744073709551609"); // strtoull negates
    assertThat(strict("5 ")).isNull();
    assertThat(strict("\t5")).isEqualTo("5-0");
  }

  @Test
  void xaddTakesMsStar() {
    StreamId.AddId a = StreamId.parseForAdd(b("12-*"));
    assertThat(a.id()).isEqualTo(new StreamId(12, 0));
    assertThat(a.seqGiven()).isFalse();
    assertThat(StreamId.parseForAdd(b("12-3")).seqGiven()).isTrue();
    assertThat(StreamId.parseForAdd(b("*-*"))).isNull();
    assertThat(StreamId.parseForAdd(b("12-**"))).isNull();
    assertThat(StreamId.parseStrict(b("12-*"), 0)).isNull();
  }

  @Test
  void incrementAndDecrementStopAtTheEdges() {
    assertThat(new StreamId(1, -1L).next()).isEqualTo(new StreamId(2, 0));
    assertThat(StreamId.MAX.next()).isNull();
    assertThat(new StreamId(2, 0).previous()).isEqualTo(new StreamId(1, -1L));
    assertThat(StreamId.MIN.previous()).isNull();
  }

  @Test
  void ordersUnsigned() {
    assertThat(new StreamId(-1L, 0).compareTo(new StreamId(1, 0))).isPositive();
    assertThat(new StreamId(1, -1L).compareTo(new StreamId(1, 1))).isPositive();
    assertThat(new StreamId(1, 1).compareTo(new StreamId(1, 1))).isZero();
    assertThat(new StreamId(-1L, -2L).toString())
        .isEqualTo("18446744073709551615-18446744073709551614");
  }
}
