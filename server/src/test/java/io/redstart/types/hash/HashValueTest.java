package io.redstart.types.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HashValueTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String s(byte[] a, int off, int len) {
    return new String(a, off, len, StandardCharsets.ISO_8859_1);
  }

  private static Map<String, String> contents(HashValue h) {
    Map<String, String> out = new LinkedHashMap<>();
    h.forEach((f, fo, fl, v, vo, vl) -> out.put(s(f, fo, fl), s(v, vo, vl)));
    return out;
  }

  @Test
  void listpackKeepsInsertionOrderThroughReplacementsOfAnySize() {
    SplittableRandom r = new SplittableRandom(4);
    HashValue h = HashValue.newListpack();
    Map<String, String> model = new LinkedHashMap<>();
    for (int step = 0; step < 20_000; step++) {
      String f = "f" + r.nextInt(60);
      if (r.nextInt(4) == 0) {
        assertThat(h.remove(b(f))).isEqualTo(model.remove(f) != null);
      } else {
        // Lengths across the one-, two- and three-byte length prefixes.
        String v = "v".repeat(r.nextInt(4) == 0 ? r.nextInt(20_000) : r.nextInt(200));
        assertThat(h.put(b(f), b(v), Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(!model.containsKey(f));
        model.put(f, v);
      }
      assertThat(h.encodingName()).isEqualTo("listpack");
    }
    assertThat(contents(h)).containsExactlyEntriesOf(model);
    for (Map.Entry<String, String> e : model.entrySet()) {
      assertThat(new String(h.get(b(e.getKey())), StandardCharsets.ISO_8859_1)).isEqualTo(e.getValue());
      assertThat(h.valueLength(b(e.getKey()))).isEqualTo(e.getValue().length());
    }
  }

  @Test
  void convertsOnTheRedisLimitsAndNeverBack() {
    HashValue h = HashValue.newListpack();
    h.put(b("a"), b("12345"), 2, 5);
    h.put(b("b"), b("1"), 2, 5);
    assertThat(h.encodingName()).isEqualTo("listpack");
    h.put(b("c"), b("1"), 2, 5);
    assertThat(h.encodingName()).isEqualTo("hashtable");
    h.remove(b("a"));
    h.remove(b("b"));
    assertThat(h.encodingName()).isEqualTo("hashtable");
    assertThat(contents(h)).containsExactly(Map.entry("c", "1"));
    HashValue v = HashValue.newListpack();
    v.put(b("f"), b("123456"), 100, 5);
    assertThat(v.encodingName()).isEqualTo("hashtable");
    HashValue f = HashValue.newListpack();
    f.put(b("field6"), b("1"), 100, 5);
    assertThat(f.encodingName()).isEqualTo("hashtable");
    HashValue args = HashValue.newListpack();
    args.convertForArguments(new byte[][] {b("HSET"), b("k"), b("f"), b("123456")}, 2, 3, 5);
    assertThat(args.encodingName()).isEqualTo("hashtable");
  }

  @Test
  void scanOfAHashtableCoversEveryPairAndTheListpackAnswersAtOnce() {
    HashValue small = HashValue.newListpack();
    small.put(b("a"), b("1"), 512, 64);
    int[] visits = {0};
    assertThat(small.scan(12345, 1, (f, fo, fl, v, vo, vl) -> visits[0]++)).isZero();
    assertThat(visits[0]).isEqualTo(1);
    HashValue big = HashValue.newHashtable(0);
    for (int i = 0; i < 500; i++) big.put(b("f" + i), b("v" + i), 0, 0);
    Map<String, String> seen = new LinkedHashMap<>();
    long cursor = 0;
    do {
      cursor = big.scan(cursor, 10, (f, fo, fl, v, vo, vl) -> seen.put(s(f, fo, fl), s(v, vo, vl)));
    } while (cursor != 0);
    assertThat(seen).hasSize(500).containsEntry("f499", "v499");
  }

  @Test
  void duplicatesAreDeepAndDigestsAgree() {
    HashValue h = HashValue.newListpack();
    h.put(b("a"), b("1"), 512, 64);
    h.put(b("b"), b("2"), 512, 64);
    HashValue c = (HashValue) h.duplicate();
    c.put(b("a"), b("changed"), 512, 64);
    assertThat(contents(h)).containsEntry("a", "1");
    HashValue t = HashValue.newHashtable(0);
    t.put(b("b"), b("2"), 0, 0);
    t.put(b("a"), b("1"), 0, 0);
    byte[] dh = new byte[20];
    byte[] dt = new byte[20];
    h.digestInto(dh);
    t.digestInto(dt);
    assertThat(dh).isEqualTo(dt);
    SplittableRandom r = new SplittableRandom(1);
    int[] n = {0};
    h.randomPairs(r, 5000, (f, fo, fl, v, vo, vl) -> n[0]++, produced -> false);
    assertThat(n[0]).isEqualTo(5000);
  }
}
