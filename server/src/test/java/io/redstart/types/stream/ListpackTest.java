package io.redstart.types.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The listpack encodings at their boundaries: sizes, the bytes Redis writes, reading forward and
 * backward, and replacing an integer by one of another size.
 */
class ListpackTest {
  /** A listpack of these elements (strings that are canonical integers are stored as integers). */
  private static byte[] build(List<byte[]> elements) {
    long size = 0;
    for (byte[] e : elements) size += Listpack.entrySize(e, 0, e.length);
    byte[] lp = Listpack.create((int) (Listpack.HEADER_SIZE + 1 + size));
    int p = Listpack.appendPosition(lp);
    for (byte[] e : elements) p = Listpack.writeBytes(lp, p, e, 0, e.length);
    Listpack.finishAppend(lp, p, elements.size());
    return lp;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void integersTakeTheSmallestEncoding() {
    long[][] cases = {
      {0, 1},
      {127, 1},
      {128, 2},
      {-1, 2},
      {-4096, 2},
      {4095, 2},
      {4096, 3},
      {-4097, 3},
      {32767, 3},
      {-32768, 3},
      {32768, 4},
      {8388607, 4},
      {-8388608, 4},
      {8388608, 5},
      {2147483647L, 5},
      {-2147483648L, 5},
      {2147483648L, 9},
      {Long.MIN_VALUE, 9},
      {Long.MAX_VALUE, 9}
    };
    for (long[] c : cases) {
      assertThat(Listpack.intEncodedSize(c[0])).as("%d", c[0]).isEqualTo((int) c[1]);
      byte[] lp = build(List.of(b(Long.toString(c[0]))));
      int p = Listpack.first(lp);
      assertThat(Listpack.isString(lp, p)).isFalse();
      assertThat(Listpack.intValue(lp, p)).isEqualTo(c[0]);
      assertThat(Listpack.elementSize(lp, p)).isEqualTo((int) c[1] + 1);
      assertThat(Listpack.totalBytes(lp)).isEqualTo(Listpack.HEADER_SIZE + (int) c[1] + 2);
    }
  }

  @Test
  void theBytesAreRedis() {
    // lpAppend of "12", "abc", "-1": the header, 0x0C 01, 0x83 'abc' 04, 0xDF 0xFF 02, the end.
    byte[] lp = build(List.of(b("12"), b("abc"), b("-1")));
    byte[] expected = {
      17,
      0,
      0,
      0,
      3,
      0,
      12,
      1,
      (byte) 0x83,
      'a',
      'b',
      'c',
      4,
      (byte) 0xDF,
      (byte) 0xFF,
      2,
      (byte) 0xFF
    };
    assertThat(java.util.Arrays.copyOf(lp, Listpack.totalBytes(lp))).isEqualTo(expected);
  }

  @Test
  void stringsTakeTheirLengthEncoding() {
    int[][] cases = {{0, 1}, {63, 1}, {64, 2}, {4095, 2}, {4096, 5}, {70000, 5}};
    for (int[] c : cases) {
      byte[] s = b("x".repeat(c[0]));
      byte[] lp = build(List.of(s, b("007"), b("-0"), b("+1"), b("1 ")));
      int p = Listpack.first(lp);
      assertThat(Listpack.isString(lp, p)).isTrue();
      assertThat(Listpack.stringLength(lp, p)).isEqualTo(c[0]);
      assertThat(Listpack.encodedSize(lp, p)).isEqualTo(c[0] + c[1]);
      assertThat(Listpack.bytes(lp, p)).isEqualTo(s);
      for (int i = 0; i < 4; i++) {
        p = Listpack.next(lp, p);
        assertThat(Listpack.isString(lp, p)).as("non-canonical integers stay strings").isTrue();
      }
      assertThat(Listpack.next(lp, p)).isEqualTo(-1);
    }
  }

  @Test
  void walksBothWaysOverRandomElements() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 50; round++) {
      List<byte[]> elements = new ArrayList<>();
      int n = random.nextInt(1, 60);
      for (int i = 0; i < n; i++) {
        elements.add(
            switch (random.nextInt(4)) {
              case 0 -> b(Long.toString(random.nextLong()));
              case 1 -> b(Integer.toString(random.nextInt(-5000, 5000)));
              case 2 -> b("s".repeat(random.nextInt(0, 200)));
              default -> b("t".repeat(random.nextInt(4000, 5000)));
            });
      }
      byte[] lp = build(elements);
      assertThat(Listpack.numElements(lp)).isEqualTo(n);
      int p = Listpack.first(lp);
      for (int i = 0; i < n; i++) {
        assertThat(Listpack.bytes(lp, p)).isEqualTo(elements.get(i));
        p = Listpack.next(lp, p);
      }
      assertThat(p).isEqualTo(-1);
      p = Listpack.last(lp);
      for (int i = n - 1; i >= 0; i--) {
        assertThat(Listpack.bytes(lp, p)).isEqualTo(elements.get(i));
        p = Listpack.prev(lp, p);
      }
      assertThat(p).isEqualTo(-1);
    }
  }

  @Test
  void replacingAnIntegerMovesWhatFollows() {
    byte[] lp = build(List.of(b("127"), b("tail"), b("5")));
    int total = Listpack.totalBytes(lp);
    byte[] grown = Listpack.replaceInt(lp, Listpack.first(lp), 128);
    assertThat(Listpack.totalBytes(grown)).isEqualTo(total + 1);
    int p = Listpack.first(grown);
    assertThat(Listpack.intValue(grown, p)).isEqualTo(128);
    assertThat(Listpack.bytes(grown, Listpack.next(grown, p))).isEqualTo(b("tail"));
    byte[] shrunk = Listpack.replaceInt(grown, p, 3);
    assertThat(Listpack.totalBytes(shrunk)).isEqualTo(total);
    assertThat(Listpack.intValue(shrunk, Listpack.last(shrunk))).isEqualTo(5);
    assertThat(Listpack.prev(shrunk, Listpack.last(shrunk))).isEqualTo(Listpack.first(shrunk) + 2);
  }

  @Test
  void comparesElementsAsRedisDoes() {
    byte[] lp = build(List.of(b("10"), b("name")));
    int p = Listpack.first(lp);
    assertThat(Listpack.equalsBytes(lp, p, b("10"), 0, 2)).isTrue();
    assertThat(Listpack.equalsBytes(lp, p, b("010"), 0, 3)).isFalse();
    p = Listpack.next(lp, p);
    assertThat(Listpack.equalsBytes(lp, p, b("name"), 0, 4)).isTrue();
    assertThat(Listpack.equalsBytes(lp, p, b("names"), 0, 5)).isFalse();
  }
}
