package io.redstart.types.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.store.Entries;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ElementTableTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String s(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static Map<String, String> contents(ElementTable t) {
    Map<String, String> out = new HashMap<>();
    for (int i = t.next(0); i >= 0; i = t.next(i + 1)) {
      out.put(s(t.keyAt(i)), t.hasValues() ? s(t.valueAt(i)) : "");
    }
    return out;
  }

  private static long expectedPayload(ElementTable t) {
    long n = 0;
    for (int i = t.next(0); i >= 0; i = t.next(i + 1)) {
      n += Entries.arrayBytes(t.keyAt(i).length);
      if (t.hasValues()) n += Entries.arrayBytes(t.valueAt(i).length);
    }
    return n;
  }

  @Test
  void behavesAsAMapUnderRandomOperations() {
    SplittableRandom r = new SplittableRandom(1);
    ElementTable t = new ElementTable(true, 0);
    Map<String, String> model = new HashMap<>();
    for (int step = 0; step < 200_000; step++) {
      String k = "k" + r.nextInt(3000);
      switch (r.nextInt(4)) {
        case 0, 1 -> {
          String v = "v" + r.nextInt(1000);
          byte[] old = t.put(b(k), b(v));
          String prev = model.put(k, v);
          assertThat(old == null ? null : s(old)).isEqualTo(prev);
        }
        case 2 -> assertThat(t.remove(b(k))).isEqualTo(model.remove(k) != null);
        default -> {
          int pos = t.find(b(k));
          assertThat(pos >= 0).isEqualTo(model.containsKey(k));
          if (pos >= 0) assertThat(s(t.valueAt(pos))).isEqualTo(model.get(k));
        }
      }
      if (step % 20_000 == 0) {
        assertThat(t.size()).isEqualTo(model.size());
        assertThat(contents(t)).isEqualTo(model);
      }
    }
    assertThat(contents(t)).isEqualTo(model);
    long arrays = Entries.arrayBytes(t.capacity() * 4) * 3;
    assertThat(t.memoryUsage()).isEqualTo(32 + arrays + expectedPayload(t));
  }

  @Test
  void growsAndShrinksKeepingAtMostThreeQuartersAndAtLeastAnEighthUsed() {
    ElementTable t = new ElementTable(false, 0);
    for (int i = 0; i < 10_000; i++) {
      assertThat(t.add(b("m" + i), null)).isTrue();
      assertThat(t.size() * 4L).isLessThanOrEqualTo(t.capacity() * 3L);
    }
    assertThat(t.add(b("m5"), null)).isFalse();
    for (int i = 0; i < 9_990; i++) {
      assertThat(t.remove(b("m" + i))).isTrue();
      if (t.capacity() > 4) assertThat(t.size() * 8L).isGreaterThanOrEqualTo(t.capacity());
    }
    assertThat(t.capacity()).isLessThanOrEqualTo(10 * 8);
    assertThat(contents(t).keySet()).hasSize(10).contains("m9999");
  }

  @Test
  void scanReturnsEveryElementPresentThroughoutDespiteResizes() {
    SplittableRandom r = new SplittableRandom(3);
    for (int round = 0; round < 50; round++) {
      ElementTable t = new ElementTable(false, 0);
      Set<String> stable = new HashSet<>();
      int n = 1 + r.nextInt(2000);
      for (int i = 0; i < n; i++) {
        t.add(b("s" + i), null);
        stable.add("s" + i);
      }
      Set<String> seen = new HashSet<>();
      List<String> transient_ = new java.util.ArrayList<>();
      long cursor = 0;
      int extra = 0;
      do {
        cursor = t.scan(cursor, pos -> seen.add(s(t.keyAt(pos))));
        // Grow or shrink between calls with elements that come and go.
        if (r.nextBoolean()) {
          for (int i = r.nextInt(300); i > 0; i--) {
            String x = "x" + extra++;
            t.add(b(x), null);
            transient_.add(x);
          }
        } else {
          for (String x : transient_) t.remove(b(x));
          transient_.clear();
        }
      } while (cursor != 0);
      assertThat(seen).containsAll(stable);
    }
  }

  @Test
  void randomPositionsAreOccupiedAndDistinctWhenAsked() {
    ElementTable t = new ElementTable(false, 0);
    for (int i = 0; i < 1000; i++) t.add(b("e" + i), null);
    for (int i = 0; i < 900; i++) t.remove(b("e" + i));
    SplittableRandom r = new SplittableRandom(5);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      int pos = t.randomPosition(r);
      assertThat(t.keyAt(pos)).isNotNull();
      seen.add(pos);
    }
    assertThat(seen).hasSize(100);
    for (int count : List.of(1, 10, 33, 34, 99, 100)) {
      int[] picked = t.randomDistinctPositions(r, count);
      Set<Integer> unique = new HashSet<>();
      for (int p : picked) {
        assertThat(t.keyAt(p)).isNotNull();
        unique.add(p);
      }
      assertThat(unique).hasSize(count);
    }
  }

  @Test
  void copiesAreDeepAndEqual() {
    ElementTable t = new ElementTable(true, 0);
    for (int i = 0; i < 100; i++) t.put(b("f" + i), b("v" + i));
    ElementTable c = t.copy();
    assertThat(contents(c)).isEqualTo(contents(t));
    c.put(b("f1"), b("changed"));
    c.remove(b("f2"));
    assertThat(s(t.valueAt(t.find(b("f1"))))).isEqualTo("v1");
    assertThat(t.find(b("f2"))).isGreaterThanOrEqualTo(0);
    assertThat(c.memoryUsage()).isNotEqualTo(t.memoryUsage());
  }

  @Test
  void samplingDenseIndexes() {
    SplittableRandom r = new SplittableRandom(9);
    for (int n : List.of(1, 2, 7, 100, 1000)) {
      for (int count : List.of(1, n / 3, n / 2, n)) {
        if (count == 0) continue;
        int[] picked = Sampling.distinctIndexes(r, n, count);
        Set<Integer> unique = new HashSet<>();
        for (int p : picked) {
          assertThat(p).isBetween(0, n - 1);
          unique.add(p);
        }
        assertThat(unique).hasSize(count);
      }
    }
  }
}
