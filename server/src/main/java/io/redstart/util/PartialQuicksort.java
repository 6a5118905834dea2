package io.redstart.util;

import java.util.Comparator;

/**
 * The partial quicksort Redis uses for SORT ... BY pattern LIMIT and GEO searches with COUNT
 * (pqsort.c: Bentley and McIlroy's "Engineering a Sort Function" quicksort that skips partitions
 * outside the requested range).
 * Only positions {@code [lrange, rrange]} end up sorted. The algorithm, pivot choices and swaps
 * are the same as Redis's, so elements that compare equal (ALPHA sorting by missing or equal
 * weights) come out in the same order as Redis's; a stable sort would not.
 *
 * <p>Stateless.
 */
public final class PartialQuicksort {
  private PartialQuicksort() {}

  /** Sorts {@code a[lrange..rrange]} into place as a full sort would put them. */
  public static <T> void sort(T[] a, Comparator<? super T> cmp, int lrange, int rrange) {
    sort(a, 0, a.length, cmp, lrange, rrange);
  }

  private static <T> void swap(T[] a, int i, int j) {
    T t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  private static <T> void vecswap(T[] a, int i, int j, int n) {
    for (int k = 0; k < n; k++) swap(a, i + k, j + k);
  }

  private static <T> int med3(T[] a, int i, int j, int k, Comparator<? super T> cmp) {
    return cmp.compare(a[i], a[j]) < 0
        ? (cmp.compare(a[j], a[k]) < 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? k : i))
        : (cmp.compare(a[j], a[k]) > 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? i : k));
  }

  /** Whether the range [lrange, rrange] misses the elements [from, from + n). */
  private static boolean outside(int from, int n, int lrange, int rrange) {
    return (lrange < from && rrange < from) || (lrange >= from + n && rrange >= from + n);
  }

  private static <T> void sort(
      T[] arr, int base, int n, Comparator<? super T> cmp, int lrange, int rrange) {
    while (true) {
      if (n < 7) {
        for (int pm = base + 1; pm < base + n; pm++) {
          for (int pl = pm; pl > base && cmp.compare(arr[pl - 1], arr[pl]) > 0; pl--) {
            swap(arr, pl, pl - 1);
          }
        }
        return;
      }
      int pm = base + n / 2;
      if (n > 7) {
        int pl = base;
        int pn = base + n - 1;
        if (n > 40) {
          int d = n / 8;
          pl = med3(arr, pl, pl + d, pl + 2 * d, cmp);
          pm = med3(arr, pm - d, pm, pm + d, cmp);
          pn = med3(arr, pn - 2 * d, pn - d, pn, cmp);
        }
        pm = med3(arr, pl, pm, pn, cmp);
      }
      swap(arr, base, pm);
      int pa = base + 1;
      int pb = pa;
      int pc = base + n - 1;
      int pd = pc;
      while (true) {
        int r;
        while (pb <= pc && (r = cmp.compare(arr[pb], arr[base])) <= 0) {
          if (r == 0) {
            swap(arr, pa, pb);
            pa++;
          }
          pb++;
        }
        while (pb <= pc && (r = cmp.compare(arr[pc], arr[base])) >= 0) {
          if (r == 0) {
            swap(arr, pc, pd);
            pd--;
          }
          pc--;
        }
        if (pb > pc) break;
        swap(arr, pb, pc);
        pb++;
        pc--;
      }
      int pn = base + n;
      int r = Math.min(pa - base, pb - pa);
      vecswap(arr, base, pb - r, r);
      r = Math.min(pd - pc, pn - pd - 1);
      vecswap(arr, pb, pn - r, r);
      if ((r = pb - pa) > 1 && !outside(base, r, lrange, rrange)) {
        sort(arr, base, r, cmp, lrange, rrange);
      }
      if ((r = pd - pc) > 1) {
        base = pn - r;
        n = r;
        if (!outside(base, n, lrange, rrange)) continue;
      }
      return;
    }
  }
}
