package io.redstart.types.geo;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.util.Doubles;
import io.redstart.util.LongDouble;
import io.redstart.util.PartialQuicksort;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Geohash arithmetic against values redis-server 7.0.15 computes, and the partial sort. */
class GeoHashTest {
  @Test
  void scoresOfKnownPlaces() {
    assertThat(GeoHash.score(13.361389, 38.115556)).isEqualTo(3479099956230698L);
    assertThat(GeoHash.score(15.087269, 37.502669)).isEqualTo(3479447370796909L);
    // The very corners: a latitude at the limit sets bit 52, as Redis's offset of 2^26 does.
    assertThat(GeoHash.score(180, 85.05112878)).isEqualTo(13510798882111488L);
    assertThat(GeoHash.score(-180, -85.05112878)).isZero();
  }

  @Test
  void positionsPrintAsRedisPrintsThem() {
    double[] ne = GeoHash.decodeScore(13510798882111488.0);
    assertThat(LongDouble.valueOf(ne[0]).toHumanString()).isEqualTo("180");
    assertThat(LongDouble.valueOf(ne[1]).toHumanString()).isEqualTo("85.0511287799999991");
    double[] sw = GeoHash.decodeScore(0);
    assertThat(LongDouble.valueOf(sw[0]).toHumanString()).isEqualTo("-179.99999731779098511");
    assertThat(LongDouble.valueOf(sw[1]).toHumanString()).isEqualTo("-85.05112751263942528");
    double[] palermo = GeoHash.decodeScore(3479099956230698.0);
    assertThat(LongDouble.valueOf(palermo[0]).toHumanString()).isEqualTo("13.36138933897018433");
    assertThat(LongDouble.valueOf(palermo[1]).toHumanString()).isEqualTo("38.11555639549629859");
  }

  @Test
  void standardGeohashStrings() {
    assertThat(GeoHash.standardString(3479099956230698.0)).isEqualTo("sqc8b49rny0");
    assertThat(GeoHash.standardString(3479447370796909.0)).isEqualTo("sqdtr74hyu0");
    assertThat(GeoHash.standardString(13510798882111488.0)).isEqualTo("bp05b5048p0");
    assertThat(GeoHash.standardString(0)).isEqualTo("00bh0hbj200");
  }

  @Test
  void distancesWithFourDecimals() {
    double[] p = GeoHash.decodeScore(3479099956230698.0);
    double[] c = GeoHash.decodeScore(3479447370796909.0);
    assertThat(Doubles.fixedPoint(GeoHash.distance(p[0], p[1], c[0], c[1]), 4))
        .isEqualTo("166274.1516");
    double[] ne = GeoHash.decodeScore(13510798882111488.0);
    double[] sw = GeoHash.decodeScore(0);
    assertThat(Doubles.fixedPoint(GeoHash.distance(ne[0], ne[1], sw[0], sw[1]), 4))
        .isEqualTo("18919844.5891");
  }

  @Test
  void scoresConvertToUnsignedAsX86Does() {
    assertThat(GeoHash.toUint64(-1.0)).isEqualTo(-1L);
    assertThat(GeoHash.toUint64(Double.POSITIVE_INFINITY)).isZero();
    assertThat(GeoHash.toUint64(Double.NEGATIVE_INFINITY)).isEqualTo(Long.MIN_VALUE);
    assertThat(GeoHash.toUint64(0x1p63)).isEqualTo(Long.MIN_VALUE);
    assertThat(GeoHash.toUint64(0x1p64)).isZero();
    assertThat(GeoHash.toUint64(1e19)).isEqualTo(Long.parseUnsignedLong("10000000000000000000"));
    assertThat(GeoHash.toUint64(-1e30)).isEqualTo(Long.MIN_VALUE);
    // GEOPOS of a score of -1 (every bit set) is clamped to the north-east corner.
    double[] xy = GeoHash.decodeScore(-1);
    assertThat(xy).containsExactly(180, 85.05112878);
  }

  @Test
  void interleavingRoundTrips() {
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 1000; i++) {
      long x = r.nextLong() & 0xFFFFFFFFL;
      long y = r.nextLong() & 0xFFFFFFFFL;
      long sep = GeoHash.deinterleave64(GeoHash.interleave64(x, y));
      assertThat(sep & 0xFFFFFFFFL).isEqualTo(x);
      assertThat(sep >>> 32).isEqualTo(y);
    }
  }

  @Test
  void stepsByRadius() {
    assertThat(GeoHash.estimateStepsByRadius(0, 0)).isEqualTo(26);
    assertThat(GeoHash.estimateStepsByRadius(1e9, 0)).isEqualTo(1);
    assertThat(GeoHash.estimateStepsByRadius(1000, 0))
        .isEqualTo(GeoHash.estimateStepsByRadius(1000, 70) + 1);
    assertThat(GeoHash.estimateStepsByRadius(1000, 70))
        .isEqualTo(GeoHash.estimateStepsByRadius(1000, 85) + 1);
  }

  @Test
  void partialSortOrdersThePrefixLikeAFullSort() {
    SplittableRandom r = new SplittableRandom(11);
    for (int round = 0; round < 300; round++) {
      int n = r.nextInt(1, 120);
      Integer[] a = new Integer[n];
      for (int i = 0; i < n; i++) a[i] = r.nextInt(0, 20);
      Integer[] full = a.clone();
      Arrays.sort(full);
      int k = r.nextInt(0, n);
      PartialQuicksort.sort(a, Comparator.naturalOrder(), 0, k);
      for (int i = 0; i <= k; i++) assertThat(a[i]).isEqualTo(full[i]);
      Integer[] rest = a.clone();
      Arrays.sort(rest);
      assertThat(rest).containsExactly(full);
    }
  }
}
