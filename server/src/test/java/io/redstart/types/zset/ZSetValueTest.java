package io.redstart.types.zset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sorted-set type against a plain model (a map and a sort), through random operations on both
 * encodings and across conversions: order, scores, ranks, ranges, removals, cursors, scans.
 */
class ZSetValueTest {
  private static final ZSetValue.Limits DEFAULT = new ZSetValue.Limits(128, 64);

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** (member, score) in the sorted set's order. */
  private record Pair(byte[] member, double score) {}

  private static final Comparator<Pair> ORDER =
      (x, y) -> {
        int c = Double.compare(x.score == 0 ? 0.0 : x.score, y.score == 0 ? 0.0 : y.score);
        return c != 0 ? c : Arrays.compareUnsigned(x.member, y.member);
      };

  private static List<Pair> sorted(Map<String, Double> model) {
    List<Pair> out = new ArrayList<>();
    model.forEach((m, s) -> out.add(new Pair(b(m), s)));
    out.sort(ORDER);
    return out;
  }

  private static List<Pair> contents(ZSetValue z) {
    List<Pair> out = new ArrayList<>();
    z.forEach(
        false, (m, off, len, s) -> out.add(new Pair(Arrays.copyOfRange(m, off, off + len), s)));
    return out;
  }

  private static void assertSame(ZSetValue z, Map<String, Double> model) {
    List<Pair> want = sorted(model);
    List<Pair> got = contents(z);
    assertThat(got).hasSize(want.size());
    for (int i = 0; i < want.size(); i++) {
      assertThat(got.get(i).member()).isEqualTo(want.get(i).member());
      assertThat(got.get(i).score() == want.get(i).score()).as("score of #%d", i).isTrue();
    }
    assertThat(z.size()).isEqualTo(model.size());
    List<Pair> reversed = new ArrayList<>();
    z.forEach(
        true, (m, off, len, s) -> reversed.add(new Pair(Arrays.copyOfRange(m, off, off + len), s)));
    for (int i = 0; i < want.size(); i++) {
      assertThat(reversed.get(want.size() - 1 - i).member()).isEqualTo(want.get(i).member());
    }
  }

  private static String member(SplittableRandom r) {
    return switch (r.nextInt(4)) {
      case 0 -> "m" + r.nextInt(60);
      case 1 -> Integer.toString(r.nextInt(40));
      case 2 -> "x".repeat(r.nextInt(1, 90));
      default -> new String(new char[] {(char) r.nextInt(256), (char) r.nextInt(256)});
    };
  }

  private static double score(SplittableRandom r) {
    return switch (r.nextInt(6)) {
      case 0 -> r.nextInt(-5, 6);
      case 1 -> r.nextDouble(-100, 100);
      case 2 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 3 -> 0;
      default -> r.nextInt(3);
    };
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void randomOperationsMatchTheModel(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ZSetValue.Limits limits =
        seed % 2 == 0 ? DEFAULT : new ZSetValue.Limits(r.nextInt(0, 40), r.nextInt(0, 70));
    ZSetValue z = ZSetValue.forFirstMember(3, limits);
    Map<String, Double> model = new HashMap<>();
    for (int step = 0; step < 3000; step++) {
      int op = r.nextInt(10);
      String m = member(r);
      switch (op) {
        case 0, 1, 2, 3 -> {
          double s = score(r);
          double[] out = new double[1];
          int flags = r.nextInt(4) == 0 ? ZSetValue.ADD_INCR : 0;
          int res = z.add(b(m), s, flags, limits, out);
          Double cur = model.get(m);
          double want = (flags & ZSetValue.ADD_INCR) != 0 && cur != null ? cur + s : s;
          if (Double.isNaN(want)) {
            assertThat(res).isEqualTo(ZSetValue.OUT_NAN);
          } else {
            assertThat((res & ZSetValue.OUT_ADDED) != 0).isEqualTo(cur == null);
            model.put(m, want);
            if ((res & ZSetValue.OUT_NOP) == 0) assertThat(out[0] == want).isTrue();
          }
        }
        case 4 -> assertThat(z.remove(b(m))).isEqualTo(model.remove(m) != null);
        case 5 -> {
          List<Pair> want = sorted(model);
          for (int i = 0; i < want.size(); i += 1 + r.nextInt(5)) {
            byte[] wm = want.get(i).member();
            assertThat(z.rank(wm, false)).isEqualTo(i);
            assertThat(z.rank(wm, true)).isEqualTo(want.size() - 1 - i);
            ZSetValue.Cursor c = z.atRank(i);
            assertThat(c.member()).isEqualTo(wm);
          }
          assertThat(z.rank(b("absent\u0000"), false)).isEqualTo(-1);
        }
        case 6 -> {
          double lo = score(r);
          double hi = score(r);
          ScoreRange range = new ScoreRange(lo, r.nextBoolean(), hi, r.nextBoolean());
          List<Pair> in = sorted(model).stream().filter(p -> range.contains(p.score())).toList();
          assertThat(z.count(range)).isEqualTo(in.size());
          ZSetValue.Cursor first = z.firstInRange(range);
          ZSetValue.Cursor last = z.lastInRange(range);
          assertThat(first.valid()).isEqualTo(!in.isEmpty());
          assertThat(last.valid()).isEqualTo(!in.isEmpty());
          if (!in.isEmpty()) {
            assertThat(first.member()).isEqualTo(in.getFirst().member());
            assertThat(last.member()).isEqualTo(in.getLast().member());
          }
          if (r.nextInt(4) == 0) {
            assertThat(z.removeRangeByScore(range)).isEqualTo(in.size());
            model.values().removeIf(range::contains);
          }
        }
        case 7 -> {
          if (model.isEmpty()) break;
          long size = model.size();
          long start = r.nextLong(size);
          long end = Math.min(size - 1, start + r.nextInt(5));
          List<Pair> want = sorted(model);
          assertThat(z.removeRangeByRank(start, end)).isEqualTo(end - start + 1);
          for (long i = start; i <= end; i++) {
            model.remove(new String(want.get((int) i).member(), StandardCharsets.ISO_8859_1));
          }
        }
        case 8 -> {
          double got = z.score(b(m));
          if (model.containsKey(m)) {
            assertThat(got == model.get(m)).as("score of %s", m).isTrue();
          } else {
            assertThat(got).isNaN();
          }
        }
        default -> {
          if (r.nextInt(10) == 0) z.convertToListpackIfFits(limits);
        }
      }
      if (step % 50 == 0) assertSame(z, model);
    }
    assertSame(z, model);
    ZSetValue copy = (ZSetValue) z.duplicate();
    assertSame(copy, model);
    assertThat(copy.encodingName()).isEqualTo(z.encodingName());
  }

  @Test
  void lexRangesOnEqualScores() {
    for (ZSetValue z : List.of(ZSetValue.newListpack(), ZSetValue.newSkiplist())) {
      for (String m : List.of("a", "b", "c", "d", "e", "ab", "")) z.insertNew(b(m), 0);
      LexRange r = LexRange.parse(b("[b"), b("(d"));
      assertThat(z.count(r)).isEqualTo(2);
      assertThat(z.firstInRange(r).member()).isEqualTo(b("b"));
      assertThat(z.lastInRange(r).member()).isEqualTo(b("c"));
      assertThat(z.count(LexRange.parse(b("-"), b("+")))).isEqualTo(7);
      assertThat(z.count(LexRange.parse(b("+"), b("-")))).isZero();
      assertThat(z.count(LexRange.parse(b("(a"), b("[ab")))).isEqualTo(1);
      assertThat(z.removeRangeByLex(LexRange.parse(b("-"), b("[b")))).isEqualTo(4);
      assertThat(z.size()).isEqualTo(3);
    }
  }

  @Test
  void lexAndScoreRangeParsing() {
    assertThat(LexRange.parse(b(""), b("+"))).isNull();
    assertThat(LexRange.parse(b("a"), b("+"))).isNull();
    assertThat(LexRange.parse(b("+x"), b("+"))).isNull();
    assertThat(LexRange.parse(b("+\u0000x"), b("-"))).isNotNull();
    assertThat(LexRange.parse(b("-"), b("-")).isEmpty()).isTrue();
    assertThat(LexRange.parse(b("[a"), b("[a")).isEmpty()).isFalse();
    assertThat(LexRange.parse(b("(a"), b("[a")).isEmpty()).isTrue();
    assertThat(ScoreRange.parse(b(""), b(""))).isEqualTo(new ScoreRange(0, false, 0, false));
    assertThat(ScoreRange.parse(b("("), b("(1"))).isEqualTo(new ScoreRange(0, true, 1, true));
    assertThat(ScoreRange.parse(b(" 1"), b("0x10"))).isEqualTo(new ScoreRange(1, false, 16, false));
    assertThat(ScoreRange.parse(b("1e400"), b("-inf")).min()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(ScoreRange.parse(b("5\u0000junk"), b("6")).min()).isEqualTo(5);
    assertThat(ScoreRange.parse(b("nan"), b("1"))).isNull();
    assertThat(ScoreRange.parse(b("1"), b("(nan"))).isNull();
    assertThat(ScoreRange.parse(b("1 "), b("2"))).isNull();
    assertThat(ScoreRange.parse(b("abc"), b("2"))).isNull();
  }

  @Test
  void listpackLosesTheSignOfZeroLikeRedis() {
    ZSetValue lp = ZSetValue.newListpack();
    lp.add(b("m"), -0.0, 0, DEFAULT, null);
    assertThat(1 / lp.score(b("m"))).isPositive();
    ZSetValue sl = ZSetValue.newSkiplist();
    sl.add(b("m"), -0.0, 0, DEFAULT, null);
    assertThat(1 / sl.score(b("m"))).isNegative();
  }

  @Test
  void conversionsFollowTheLimits() {
    ZSetValue.Limits limits = new ZSetValue.Limits(3, 5);
    ZSetValue z = ZSetValue.forFirstMember(1, limits);
    for (String m : List.of("a", "b", "c")) z.add(b(m), 1, 0, limits, null);
    assertThat(z.encodingName()).isEqualTo("listpack");
    z.add(b("d"), 1, 0, limits, null);
    assertThat(z.encodingName()).isEqualTo("skiplist");
    z.remove(b("d"));
    assertThat(z.encodingName()).isEqualTo("skiplist"); // never back by itself
    z.convertToListpackIfFits(limits);
    assertThat(z.encodingName()).isEqualTo("listpack");
    z.add(b("toolong"), 1, 0, limits, null);
    assertThat(z.encodingName()).isEqualTo("skiplist");
    assertThat(ZSetValue.forFirstMember(6, limits).encodingName()).isEqualTo("skiplist");
    assertThat(ZSetValue.forFirstMember(1, new ZSetValue.Limits(0, 64)).encodingName())
        .isEqualTo("skiplist");
  }

  @Test
  void memoryIsAccountedIncrementally() {
    ZSetValue z = ZSetValue.newSkiplist();
    long empty = z.memoryUsage();
    for (int i = 0; i < 1000; i++) z.add(b("member:" + i), i, 0, DEFAULT, null);
    long full = z.memoryUsage();
    assertThat(full).isGreaterThan(empty + 1000 * 40);
    for (int i = 0; i < 1000; i++) z.remove(b("member:" + i));
    assertThat(z.memoryUsage()).isLessThan(full / 4);
  }

  @Test
  void scanReturnsEveryMemberPresentThroughoutDespiteResizes() {
    ZSetValue z = ZSetValue.newSkiplist();
    for (int i = 0; i < 500; i++) z.add(b("k" + i), i, 0, DEFAULT, null);
    Set<String> seen = new HashSet<>();
    long cursor = 0;
    int steps = 0;
    do {
      cursor = z.scanStep(cursor, (m, s) -> seen.add(new String(m, StandardCharsets.ISO_8859_1)));
      steps++;
      // Grow and shrink the table between steps; members k0..k249 stay throughout.
      if (steps == 20) for (int i = 500; i < 3000; i++) z.add(b("k" + i), i, 0, DEFAULT, null);
      if (steps == 200) for (int i = 250; i < 3000; i++) z.remove(b("k" + i));
    } while (cursor != 0 && steps < 100_000);
    assertThat(cursor).isZero();
    for (int i = 0; i < 250; i++) assertThat(seen).contains("k" + i);
  }

  @Test
  void builderAppliesTheLoadRules() {
    ZSetValue.Builder b = new ZSetValue.Builder(3);
    assertThat(b.add(b("a"), 2)).isTrue();
    assertThat(b.add(b("b"), 1)).isTrue();
    assertThat(b.add(b("a"), 5)).isFalse();
    assertThat(b.add(b("c"), Double.NaN)).isFalse();
    ZSetValue z = b.buildFromSkiplist(DEFAULT);
    assertThat(z.encodingName()).isEqualTo("listpack");
    assertThat(contents(z).getFirst().member()).isEqualTo(b("b"));
    ZSetValue.Builder big = new ZSetValue.Builder(200);
    for (int i = 0; i < 200; i++) big.add(b("m" + i), i);
    assertThat(big.buildFromListpack(DEFAULT).encodingName()).isEqualTo("skiplist");
  }

  @Test
  void rankOfAMillionMembersIsLogarithmic() {
    ZSetValue z = ZSetValue.newSkiplist();
    int n = 200_000;
    for (int i = 0; i < n; i++) z.insertNew(b("m" + i), i);
    for (int i = 0; i < n; i += 997) {
      assertThat(z.rank(b("m" + i), false)).isEqualTo(i);
      assertThat(z.atRank(i).member()).isEqualTo(b("m" + i));
    }
    assertThat(z.count(new ScoreRange(1000, false, 2000, true))).isEqualTo(1000);
  }

  @Test
  void listpackScoresRoundTripInTheirShortestForm() {
    double[] scores = {
      0, -1, 1, 31, -32, 32, 63, 64, 8191, -8192, 8192, 1e15, -1e15, 0x1p53, -0x1p53, 0x1p53 + 2,
      -0x1p53 - 2, 1.5, -0.25, 1e300, -1e300, Double.MIN_VALUE, Double.MAX_VALUE,
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 9.223372036854776e18, 3.0000000000000004
    };
    ZListpack lp = new ZListpack();
    for (int i = 0; i < scores.length; i++) lp.insert(b("m" + i), scores[i]);
    double[] expected = scores.clone();
    Arrays.sort(expected);
    List<Double> got = new ArrayList<>();
    for (int off = lp.first(); off >= 0; off = lp.next(off)) got.add(lp.score(off));
    assertThat(got).containsExactly(Arrays.stream(expected).boxed().toArray(Double[]::new));
    List<Double> backwards = new ArrayList<>();
    for (int off = lp.last(); off >= 0; off = lp.prev(off)) backwards.add(lp.score(off));
    assertThat(backwards).hasSize(scores.length).startsWith(Double.POSITIVE_INFINITY);

    assertThat(ZListpack.scoreSize(0)).isEqualTo(1);
    assertThat(ZListpack.scoreSize(-32)).isEqualTo(1);
    assertThat(ZListpack.scoreSize(31)).isEqualTo(1);
    assertThat(ZListpack.scoreSize(32)).isEqualTo(2);
    assertThat(ZListpack.scoreSize(4095)).isEqualTo(2);
    assertThat(ZListpack.scoreSize(-4096)).isEqualTo(2);
    assertThat(ZListpack.scoreSize(4096)).isEqualTo(3);
    assertThat(ZListpack.scoreSize(1.5)).isEqualTo(9);
    assertThat(ZListpack.scoreSize(0x1p53 + 2)).isEqualTo(9);
    assertThat(ZListpack.scoreSize(Double.NEGATIVE_INFINITY)).isEqualTo(9);
    // "member:J" with a score below 32: 1 length byte, 8 bytes, 1 score byte, 1 backlen byte.
    assertThat(ZListpack.entrySize(8, 5)).isEqualTo(11);

    ZListpack negativeZero = new ZListpack();
    negativeZero.insert(b("z"), -0.0);
    assertThat(Double.doubleToRawLongBits(negativeZero.score(negativeZero.first()))).isZero();
  }
}
