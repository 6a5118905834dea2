package io.redstart.types.table;

import java.util.random.RandomGenerator;

/**
 * Random sampling over dense index ranges, for the compact encodings (listpack pairs, intset
 * members) where the i-th element is addressable: HRANDFIELD, SRANDMEMBER and SPOP draw from here.
 */
public final class Sampling {
  private Sampling() {}

  /** Moves a uniform random choice of {@code count} elements of {@code a} to its front. */
  public static void partialShuffle(int[] a, int count, RandomGenerator random) {
    for (int i = 0; i < count && i < a.length - 1; i++) {
      int j = i + random.nextInt(a.length - i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /**
   * {@code count} distinct indexes of {@code [0, n)} chosen uniformly, in random order ({@code
   * count <= n}). O(n) when count is a large share of n, O(count) otherwise.
   */
  public static int[] distinctIndexes(RandomGenerator random, int n, int count) {
    if (count * 3L > n) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) all[i] = i;
      partialShuffle(all, count, random);
      return count == n ? all : java.util.Arrays.copyOf(all, count);
    }
    int[] out = new int[count];
    ElementTable.IntSet seen = new ElementTable.IntSet(count);
    int k = 0;
    while (k < count) {
      int i = random.nextInt(n);
      if (seen.add(i)) out[k++] = i;
    }
    return out;
  }
}
