package io.redstart.types.list;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.store.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The quicklist and its listpack nodes, against a plain Java list as the model. */
class ListValueTest {
  @AfterEach
  void restoreThreshold() {
    ListValue.setPackedThreshold(0);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String s(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static List<String> contents(ListValue l) {
    List<String> out = new ArrayList<>();
    ListValue.Cursor c = l.cursor(0, true);
    while (c.next()) out.add(s(c.element()));
    return out;
  }

  private static List<String> reversed(ListValue l) {
    List<String> out = new ArrayList<>();
    ListValue.Cursor c = l.cursor(-1, false);
    while (c.next()) out.add(s(c.element()));
    return out;
  }

  /** The single node's listpack as hex, header and end byte included. */
  private static String onlyNodeHex(ListValue l) {
    List<byte[]> blobs = new ArrayList<>();
    l.forEachNode((plain, blob) -> blobs.add(blob));
    assertThat(blobs).hasSize(1);
    return HexFormat.of().formatHex(blobs.getFirst());
  }

  @Test
  void entriesAreEncodedAsRedisListpacks() {
    ListValue l = new ListValue(-2, 0);
    l.pushTail(b("a")); // 6-bit string: 81 'a', backlen 02
    l.pushTail(b("5")); // 7-bit uint: 05, backlen 01
    l.pushTail(b("-1")); // 13-bit int: df ff, backlen 02
    l.pushTail(b("300")); // 13-bit int: c1 2c, backlen 02
    l.pushTail(b("32767")); // 16-bit: f1 ff 7f, backlen 03
    l.pushTail(b("-8388608")); // 24-bit: f2 00 00 80, backlen 04
    l.pushTail(b("2147483647")); // 32-bit: f3 ff ff ff 7f, backlen 05
    l.pushTail(b("-9223372036854775808")); // 64-bit: f4 00.. 80, backlen 09
    l.pushTail(b("01")); // not canonical: a string
    String hex = onlyNodeHex(l);
    assertThat(hex)
        .isEqualTo(
            "2f000000"
                + "0900" // total bytes 47, 9 elements
                + "816102"
                + "0501"
                + "dfff02"
                + "c12c02"
                + "f1ff7f03"
                + "f200008004"
                + "f3ffffff7f05"
                + "f4000000000000008009"
                + "82303103"
                + "ff");
    assertThat(contents(l))
        .containsExactly(
            "a", "5", "-1", "300", "32767", "-8388608", "2147483647", "-9223372036854775808", "01");
  }

  @Test
  void longStringsUseWiderLengthsAndBacklens() {
    ListValue l = new ListValue(-5, 0);
    l.pushTail(b("x".repeat(64))); // 12-bit string: e0 40, 66 bytes, backlen 42
    String hex = onlyNodeHex(l);
    assertThat(hex).startsWith("4a000000" + "0100" + "e040").endsWith("42ff");
    ListValue big = new ListValue(-5, 0);
    big.pushTail(b("y".repeat(4096))); // 32-bit string: f0 00 10 00 00, backlen of 4101: 20 85
    String bigHex = onlyNodeHex(big);
    assertThat(bigHex).startsWith("0e100000" + "0100" + "f000100000").endsWith("2085ff");
    assertThat(contents(big).getFirst()).hasSize(4096);
  }

  @Test
  void nodesFillByBytesOrByCountAsRedis() {
    ListValue bytes = new ListValue(-1, 0); // 4 KiB listpacks
    for (int i = 0; i < 1000; i++) bytes.pushTail(b("element-" + i));
    // Each entry is 1 + 11..12 bytes + 1; a node takes elements while sz + len + 8 <= 4096.
    assertThat(bytes.nodeCount()).isGreaterThan(1);
    ListValue counted = new ListValue(5, 0);
    for (int i = 0; i < 12; i++) counted.pushTail(b("e" + i));
    assertThat(counted.nodeCount()).isEqualTo(3);
    assertThat(counted.debugObjectFields())
        .isEqualTo(
            " ql_nodes:3 ql_avg_node:4.00 ql_listpack_max:5 ql_compressed:0"
                + " ql_uncompressed_size:"
                + counted.packedBytes());
    assertThat(new ListValue(100_000, 70_000).fill()).isEqualTo(ListValue.FILL_MAX);
    assertThat(new ListValue(-9, -3).fill()).isEqualTo(-5);
    assertThat(new ListValue(-9, -3).compressDepth()).isZero();
  }

  @Test
  void averageNodeIsRoundedHalfToEvenLikeC() {
    ListValue tie = new ListValue(2, 0);
    for (int i = 0; i < 16; i++) tie.pushTail(b("e" + i)); // 8 nodes of 2
    for (int i = 1; i < 15; i += 2) assertThat(tie.remove(b("e" + i), 0, true)).isEqualTo(1);
    assertThat(tie.nodeCount()).isEqualTo(8);
    // 9 elements over 8 nodes is 1.125 exactly: C's %.2f prints 1.12 (String.format: 1.13).
    assertThat(tie.debugObjectFields()).contains(" ql_avg_node:1.12 ");
    ListValue l = new ListValue(2, 0);
    for (int i = 0; i < 17; i++) l.pushTail(b("q"));
    assertThat(l.nodeCount()).isEqualTo(9);
    assertThat(l.debugObjectFields()).contains(" ql_avg_node:1.89 ");
  }

  private static ListValue.Cursor cursorAt(ListValue l, long index) {
    ListValue.Cursor c = l.cursor(index, true);
    assertThat(c.next()).isTrue();
    return c;
  }

  @Test
  void largeElementsGetPlainNodes() {
    ListValue.setPackedThreshold(10);
    ListValue l = new ListValue(-2, 0);
    l.pushTail(b("small"));
    l.pushTail(b("0123456789abc"));
    l.pushHead(b("ABCDEFGHIJKLM"));
    l.pushTail(b("tail"));
    assertThat(l.nodeCount()).isEqualTo(4);
    List<Boolean> plain = new ArrayList<>();
    l.forEachNode((p, blob) -> plain.add(p));
    assertThat(plain).containsExactly(true, false, true, false);
    assertThat(l.set(1, b("replaced-by-a-big-one"))).isTrue();
    assertThat(contents(l))
        .containsExactly("ABCDEFGHIJKLM", "replaced-by-a-big-one", "0123456789abc", "tail");
    assertThat(l.set(1, b("tiny"))).isTrue();
    assertThat(l.set(0, b("x"))).isTrue();
    assertThat(contents(l)).containsExactly("x", "tiny", "0123456789abc", "tail");
    assertThat(l.verify()).isEqualTo(l.memoryUsage());
    assertThat(s(l.popTail())).isEqualTo("tail");
    assertThat(s(l.popTail())).isEqualTo("0123456789abc");
    assertThat(l.size()).isEqualTo(2);
    assertThat(ListValue.setPackedThreshold((1L << 32) - (1L << 20) + 1)).isFalse();
    assertThat(ListValue.setPackedThreshold(-1)).isFalse();
  }

  @Test
  void cursorRemovesWhileIteratingBothWays() {
    ListValue l = new ListValue(3, 0);
    for (String v : List.of("a", "b", "a", "a", "c", "a", "d", "a")) l.pushTail(b(v));
    assertThat(l.remove(b("a"), 2, true)).isEqualTo(2);
    assertThat(contents(l)).containsExactly("b", "a", "c", "a", "d", "a");
    assertThat(l.remove(b("a"), 2, false)).isEqualTo(2);
    assertThat(contents(l)).containsExactly("b", "a", "c", "d");
    assertThat(l.remove(b("zz"), 0, true)).isZero();
    assertThat(l.remove(b("b"), Long.MIN_VALUE, false)).isEqualTo(1);
    assertThat(reversed(l)).containsExactly("d", "c", "a");
    assertThat(l.verify()).isEqualTo(l.memoryUsage());
  }

  @Test
  void indexesFromEitherEnd() {
    ListValue l = new ListValue(2, 0);
    for (int i = 0; i < 9; i++) l.pushTail(b(Integer.toString(i)));
    for (int i = 0; i < 9; i++) {
      assertThat(s(l.get(i))).isEqualTo(Integer.toString(i));
      assertThat(s(l.get(i - 9))).isEqualTo(Integer.toString(i));
    }
    assertThat(l.get(9)).isNull();
    assertThat(l.get(-10)).isNull();
    assertThat(l.get(Long.MIN_VALUE)).isNull();
    assertThat(l.get(Long.MAX_VALUE)).isNull();
    assertThat(l.set(9, b("x"))).isFalse();
    assertThat(l.deleteRange(0, 0)).isFalse();
    assertThat(l.deleteRange(20, 1)).isFalse();
    assertThat(l.deleteRange(-3, 100)).isTrue();
    assertThat(contents(l)).containsExactly("0", "1", "2", "3", "4", "5");
    assertThat(l.deleteRange(1, 3)).isTrue();
    assertThat(contents(l)).containsExactly("0", "4", "5");
  }

  @Test
  void duplicateIsIndependentAndDigestsAlike() {
    ListValue l = new ListValue(4, 1);
    for (int i = 0; i < 30; i++) l.pushTail(b(i % 3 == 0 ? "s" + i : Integer.toString(i)));
    ListValue copy = l.duplicate();
    assertThat(contents(copy)).isEqualTo(contents(l));
    assertThat(copy.nodeCount()).isEqualTo(l.nodeCount());
    assertThat(copy.compressDepth()).isEqualTo(1);
    byte[] d1 = new byte[20];
    byte[] d2 = new byte[20];
    l.digestInto(d1);
    copy.digestInto(d2);
    assertThat(d1).isEqualTo(d2);
    copy.popHead();
    copy.set(3, b("changed"));
    assertThat(s(l.get(0))).isEqualTo("s0");
    assertThat(s(l.get(3))).isEqualTo("s3");
    byte[] d3 = new byte[20];
    copy.digestInto(d3);
    assertThat(d3).isNotEqualTo(d1);
    // The digest mixes each element in order: the same elements in another order differ.
    ListValue ab = new ListValue(-2, 0);
    ab.pushTail(b("a"));
    ab.pushTail(b("b"));
    ListValue ba = new ListValue(-2, 0);
    ba.pushTail(b("b"));
    ba.pushTail(b("a"));
    byte[] x = new byte[20];
    byte[] y = new byte[20];
    ab.digestInto(x);
    ba.digestInto(y);
    assertThat(x).isNotEqualTo(y);
    byte[] expected = new byte[20];
    Digest.mix(expected, b("a"));
    Digest.mix(expected, b("b"));
    assertThat(x).isEqualTo(expected);
  }

  @Test
  void builderTakesBackWhatForEachNodeGives() {
    ListValue.setPackedThreshold(100);
    ListValue l = new ListValue(-1, 0);
    for (int i = 0; i < 500; i++) l.pushTail(b(i % 50 == 0 ? "big".repeat(40) : "v" + i));
    ListValue.Builder builder = new ListValue.Builder(-1, 0);
    l.forEachNode(
        (plain, blob) -> {
          if (plain) {
            builder.addPlain(blob);
          } else {
            assertThat(builder.addListpack(blob)).isTrue();
          }
        });
    ListValue back = builder.build();
    assertThat(contents(back)).isEqualTo(contents(l));
    assertThat(back.nodeCount()).isEqualTo(l.nodeCount());
    assertThat(back.verify()).isEqualTo(back.memoryUsage());
    back.pushHead(b("more"));
    back.pushTail(b("more"));
    assertThat(back.size()).isEqualTo(502);
  }

  @Test
  void builderRefusesMalformedListpacks() {
    ListValue.Builder builder = new ListValue.Builder(-2, 0);
    byte[] good = HexFormat.of().parseHex("0d000000020081610281620" + "2ff");
    assertThat(builder.addListpack(good)).isTrue();
    assertThat(builder.addListpack(HexFormat.of().parseHex("07000000" + "0000" + "ff"))).isTrue();
    String[] bad = {
      "0e000000020081610281620" + "2ff", // total bytes wrong
      "0d000000030081610281620" + "2ff", // count wrong
      "0d000000020081610281620" + "200", // no end byte
      "0d000000020081610281620" + "3ff", // backlen wrong
      "0d0000000200f5610281620" + "2ff", // no such encoding
      "0d000000020085610281620" + "2ff", // string longer than the listpack
      "0600000000ff",
      "",
    };
    for (String hex : bad) {
      assertThat(builder.addListpack(HexFormat.of().parseHex(hex))).as(hex).isFalse();
    }
    assertThat(contents(builder.build())).containsExactly("a", "b");
    ListValue.Builder loose = new ListValue.Builder(2, 0);
    for (String v : List.of("1", "2", "3")) loose.addElement(b(v));
    assertThat(loose.build().nodeCount()).isEqualTo(2);
  }

  /** Random operations on every fill, checked against a Java list after each one. */
  @ParameterizedTest
  @ValueSource(ints = {-5, -2, -1, 1, 2, 3, 7, 128})
  void randomOperationsMatchTheModel(int fill) {
    for (long seed = 1; seed <= 3; seed++) {
      SplittableRandom random = new SplittableRandom(seed * 1000 + fill);
      ListValue.setPackedThreshold(random.nextBoolean() ? 0 : 300);
      ListValue l = new ListValue(fill, 0);
      List<String> model = new ArrayList<>();
      for (int step = 0; step < 3000; step++) {
        String where = "fill " + fill + " seed " + seed + " step " + step;
        int op = random.nextInt(12);
        String v = value(random);
        switch (op) {
          case 0, 1 -> {
            l.pushHead(b(v));
            model.addFirst(v);
          }
          case 2, 3 -> {
            l.pushTail(b(v));
            model.addLast(v);
          }
          case 4 -> {
            byte[] got = l.popHead();
            assertThat(got == null ? null : s(got))
                .as(where)
                .isEqualTo(model.isEmpty() ? null : model.removeFirst());
          }
          case 5 -> {
            byte[] got = l.popTail();
            assertThat(got == null ? null : s(got))
                .as(where)
                .isEqualTo(model.isEmpty() ? null : model.removeLast());
          }
          case 6 -> {
            long index = random.nextInt(-model.size() - 2, model.size() + 2);
            boolean ok = l.set(index, b(v));
            long i = index < 0 ? model.size() + index : index;
            assertThat(ok).as(where).isEqualTo(i >= 0 && i < model.size());
            if (ok) model.set((int) i, v);
          }
          case 7 -> {
            long start = random.nextInt(-model.size() - 2, model.size() + 2);
            long num = random.nextInt(0, 6);
            l.deleteRange(start, num);
            long from = start < 0 ? model.size() + start : start;
            if (from >= 0 && from < model.size()) {
              long extent = Math.min(num, model.size() - from);
              for (long k = 0; k < extent; k++) model.remove((int) from);
            }
          }
          case 8 -> {
            if (model.isEmpty()) break;
            int i = random.nextInt(model.size());
            boolean after = random.nextBoolean();
            ListValue.Cursor c = l.cursor(i, true);
            assertThat(c.next()).isTrue();
            l.insert(c, b(v), after);
            model.add(after ? i + 1 : i, v);
          }
          case 9 -> {
            if (model.isEmpty()) break;
            String target = model.get(random.nextInt(model.size()));
            long max = random.nextInt(0, 3);
            boolean fromHead = random.nextBoolean();
            long removed = l.remove(b(target), max, fromHead);
            long expected = 0;
            if (fromHead) {
              for (int k = 0; k < model.size() && (max == 0 || expected < max); ) {
                if (model.get(k).equals(target)) {
                  model.remove(k);
                  expected++;
                } else {
                  k++;
                }
              }
            } else {
              for (int k = model.size() - 1; k >= 0 && (max == 0 || expected < max); k--) {
                if (model.get(k).equals(target)) {
                  model.remove(k);
                  expected++;
                }
              }
            }
            assertThat(removed).as(where).isEqualTo(expected);
          }
          case 10 -> {
            long index = random.nextInt(-model.size() - 1, model.size() + 1);
            byte[] got = l.get(index);
            long i = index < 0 ? model.size() + index : index;
            assertThat(got == null ? null : s(got))
                .as(where)
                .isEqualTo(i >= 0 && i < model.size() ? model.get((int) i) : null);
          }
          default -> {
            if (model.isEmpty()) break;
            int from = random.nextInt(model.size());
            boolean forward = random.nextBoolean();
            ListValue.Cursor c = l.cursor(from, forward);
            int k = from;
            while (c.next()) {
              assertThat(s(c.element())).as(where).isEqualTo(model.get(k));
              k += forward ? 1 : -1;
            }
            assertThat(k).as(where).isEqualTo(forward ? model.size() : -1);
          }
        }
        assertThat(l.size()).as(where).isEqualTo(model.size());
        assertThat(l.verify()).as(where + " op " + op).isEqualTo(l.memoryUsage());
        if (step % 100 == 0) assertThat(contents(l)).as(where).isEqualTo(model);
      }
      assertThat(contents(l)).isEqualTo(model);
      assertThat(reversed(l)).isEqualTo(model.reversed());
    }
  }

  private static String value(SplittableRandom random) {
    return switch (random.nextInt(8)) {
      case 0 -> Long.toString(random.nextLong());
      case 1 -> Integer.toString(random.nextInt(-5000, 5000));
      case 2 -> "x".repeat(random.nextInt(60, 200));
      case 3 -> "big".repeat(random.nextInt(100, 1500));
      default -> "e" + random.nextInt(20);
    };
  }
}
