package io.redstart.types.stream;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A pending entries list: {@link PendingEntry} objects sorted by ID, in chunks of at most {@value
 * #MAX_CHUNK} references found by binary search on each chunk's first ID. It stands in for Redis's
 * PEL radix trees, keyed by the entries themselves, so a pending message costs its entry object and
 * one reference in each list that holds it. New deliveries (increasing IDs) append to the last
 * chunk; a chunk splits when full and merges with a neighbour when it runs low.
 *
 * <p>Owned by the keyspace thread.
 */
final class PendingList {
  static final int MAX_CHUNK = 128;
  private static final int MERGE_BELOW = MAX_CHUNK / 4;
  private static final int MERGED_MAX = MAX_CHUNK * 3 / 4;

  private PendingEntry[][] chunks = new PendingEntry[1][];
  private int[] sizes = new int[1];
  private int chunkCount;
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Heap bytes of the list's arrays (not the entries, which are shared). */
  long arrayBytes() {
    long n = 16 + 4L * chunks.length + 16 + 4L * sizes.length;
    for (int i = 0; i < chunkCount; i++) n += 16 + 4L * chunks[i].length;
    return n;
  }

  /** The chunk that holds or would hold {@code (ms, seq)}: the last whose first is not greater. */
  private int chunkFor(long ms, long seq) {
    int lo = 0;
    int hi = chunkCount - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (chunks[mid][0].compareTo(ms, seq) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Index of {@code (ms, seq)} in a chunk, or {@code -(insertion point) - 1}. */
  private static int search(PendingEntry[] chunk, int n, long ms, long seq) {
    int lo = 0;
    int hi = n - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = chunk[mid].compareTo(ms, seq);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  PendingEntry find(long ms, long seq) {
    if (size == 0) return null;
    int ci = chunkFor(ms, seq);
    int i = search(chunks[ci], sizes[ci], ms, seq);
    return i >= 0 ? chunks[ci][i] : null;
  }

  /** The entry with the smallest ID at or above {@code (ms, seq)}, or null. */
  PendingEntry ceiling(long ms, long seq) {
    if (size == 0) return null;
    int ci = chunkFor(ms, seq);
    int i = search(chunks[ci], sizes[ci], ms, seq);
    if (i < 0) i = -i - 1;
    if (i < sizes[ci]) return chunks[ci][i];
    return ci + 1 < chunkCount ? chunks[ci + 1][0] : null;
  }

  PendingEntry first() {
    return size == 0 ? null : chunks[0][0];
  }

  PendingEntry last() {
    return size == 0 ? null : chunks[chunkCount - 1][sizes[chunkCount - 1] - 1];
  }

  /** Adds {@code e}; false (and nothing changes) when an entry with its ID is present. */
  boolean insert(PendingEntry e) {
    if (chunkCount == 0) {
      insertChunk(0, new PendingEntry[8]);
      chunks[0][0] = e;
      sizes[0] = 1;
      size = 1;
      return true;
    }
    int ci = chunkFor(e.ms, e.seq);
    int n = sizes[ci];
    int i;
    if (ci == chunkCount - 1 && chunks[ci][n - 1].compareTo(e.ms, e.seq) < 0) {
      i = n; // the usual case: a new delivery after every pending one
    } else {
      i = search(chunks[ci], n, e.ms, e.seq);
      if (i >= 0) return false;
      i = -i - 1;
    }
    if (n == MAX_CHUNK) {
      split(ci);
      if (i > sizes[ci]) {
        i -= sizes[ci];
        ci++;
      }
      n = sizes[ci];
    }
    PendingEntry[] chunk = chunks[ci];
    if (n == chunk.length) chunk = chunks[ci] = Arrays.copyOf(chunk, Math.min(MAX_CHUNK, n * 2));
    System.arraycopy(chunk, i, chunk, i + 1, n - i);
    chunk[i] = e;
    sizes[ci] = n + 1;
    size++;
    return true;
  }

  /** Removes and returns the entry with this ID, or null when absent. */
  PendingEntry remove(long ms, long seq) {
    if (size == 0) return null;
    int ci = chunkFor(ms, seq);
    PendingEntry[] chunk = chunks[ci];
    int n = sizes[ci];
    int i = search(chunk, n, ms, seq);
    if (i < 0) return null;
    PendingEntry e = chunk[i];
    System.arraycopy(chunk, i + 1, chunk, i, n - i - 1);
    chunk[--n] = null;
    sizes[ci] = n;
    size--;
    if (n == 0) {
      removeChunk(ci);
    } else if (n < MERGE_BELOW) {
      if (ci + 1 < chunkCount && n + sizes[ci + 1] <= MERGED_MAX) {
        merge(ci);
      } else if (ci > 0 && n + sizes[ci - 1] <= MERGED_MAX) {
        merge(ci - 1);
      } else if (chunk.length > 2 * n && chunk.length > 8) {
        chunks[ci] = Arrays.copyOf(chunk, Math.max(8, n * 2));
      }
    }
    return e;
  }

  /** Visits every entry in ID order. The list must not change meanwhile. */
  void forEach(Consumer<PendingEntry> visitor) {
    for (int c = 0; c < chunkCount; c++) {
      PendingEntry[] chunk = chunks[c];
      for (int i = 0, n = sizes[c]; i < n; i++) visitor.accept(chunk[i]);
    }
  }

  private void split(int ci) {
    PendingEntry[] chunk = chunks[ci];
    int n = sizes[ci];
    int half = n / 2;
    PendingEntry[] right = new PendingEntry[MAX_CHUNK];
    System.arraycopy(chunk, half, right, 0, n - half);
    Arrays.fill(chunk, half, n, null);
    sizes[ci] = half;
    insertChunk(ci + 1, right);
    sizes[ci + 1] = n - half;
  }

  /** Appends chunk {@code ci + 1} to chunk {@code ci} and drops it. */
  private void merge(int ci) {
    int a = sizes[ci];
    int b = sizes[ci + 1];
    PendingEntry[] chunk = chunks[ci];
    if (chunk.length < a + b)
      chunk = chunks[ci] = Arrays.copyOf(chunk, Math.min(MAX_CHUNK, 2 * (a + b)));
    System.arraycopy(chunks[ci + 1], 0, chunk, a, b);
    sizes[ci] = a + b;
    removeChunk(ci + 1);
  }

  private void insertChunk(int at, PendingEntry[] chunk) {
    if (chunkCount == chunks.length) {
      chunks = Arrays.copyOf(chunks, chunkCount * 2);
      sizes = Arrays.copyOf(sizes, chunkCount * 2);
    }
    System.arraycopy(chunks, at, chunks, at + 1, chunkCount - at);
    System.arraycopy(sizes, at, sizes, at + 1, chunkCount - at);
    chunks[at] = chunk;
    sizes[at] = 0;
    chunkCount++;
  }

  private void removeChunk(int at) {
    System.arraycopy(chunks, at + 1, chunks, at, chunkCount - at - 1);
    System.arraycopy(sizes, at + 1, sizes, at, chunkCount - at - 1);
    chunkCount--;
    chunks[chunkCount] = null;
    sizes[chunkCount] = 0;
  }
}
