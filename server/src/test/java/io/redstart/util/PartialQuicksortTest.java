package io.redstart.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PartialQuicksortTest {
  @Test
  void theRequestedRangeHoldsWhatAFullSortPutsThere() {
    SplittableRandom r = new SplittableRandom(8);
    for (int round = 0; round < 2000; round++) {
      int n = 1 + r.nextInt(300);
      Integer[] a = new Integer[n];
      int spread = r.nextBoolean() ? 5 : 1_000_000;
      for (int i = 0; i < n; i++) a[i] = r.nextInt(spread);
      Integer[] sorted = a.clone();
      Arrays.sort(sorted);
      int lo = r.nextInt(n);
      int hi = Math.min(n - 1, lo + r.nextInt(n));
      Integer[] partial = a.clone();
      PartialQuicksort.sort(partial, Comparator.naturalOrder(), lo, hi);
      assertThat(Arrays.copyOfRange(partial, lo, hi + 1))
          .containsExactly(Arrays.copyOfRange(sorted, lo, hi + 1));
      assertThat(partial).containsExactlyInAnyOrder(a);
    }
  }

  @Test
  void anEmptyRangeLeavesAPermutation() {
    Integer[] a = {5, 3, 9, 1, 7, 2, 8, 6, 4, 0};
    Integer[] b = a.clone();
    PartialQuicksort.sort(b, Comparator.naturalOrder(), 0, -1);
    assertThat(b).containsExactlyInAnyOrder(a);
  }
}
