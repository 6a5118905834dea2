package io.redstart.store;

import java.util.Arrays;

/**
 * The keys of one hash slot of one database: an open-addressing table with linear probing and
 * backward-shift deletion (no tombstones), held in two primitive-friendly arrays so that the
 * garbage collector sees two arrays and the records, not a graph of map nodes.
 *
 * <p>{@code entries[i]} is a packed key record ({@code byte[]}, see {@link Entries}) or a {@link
 * Boxed} entry; {@code hashes[i]} caches the key's hash, never 0. An empty bucket has a null
 * entry and a 0 hash.
 *
 * <p>SCAN support: {@link #scan} visits keys by <em>home bucket</em> in reverse-binary order, as
 * Redis's dictScan does, so a key present for a whole scan is returned at least once even if the
 * table grows or shrinks between calls.
 *
 * <p>Owned by the keyspace thread.
 */
final class SlotTable {
  private static final int MIN_CAPACITY = 4;

  Object[] entries;
  int[] hashes;
  int size;
  /** Keys with an expiry in this table. */
  int volatileCount;

  SlotTable() {
    entries = new Object[MIN_CAPACITY];
    hashes = new int[MIN_CAPACITY];
  }

  int capacity() {
    return entries.length;
  }

  /**
   * Position of {@code key}, or -1. Probes the hash array alone (0 marks an empty bucket; hashes
   * are never 0) and reads an entry only when its hash matches: one cache line per probe.
   */
  int find(int hash, byte[] key) {
    int[] hs = hashes;
    int mask = hs.length - 1;
    int i = hash & mask;
    int h;
    while ((h = hs[i]) != 0) {
      if (h == hash && Entries.keyEquals(Entries.record(entries[i]), key)) return i;
      i = (i + 1) & mask;
    }
    return -1;
  }

  /** Inserts a key known to be absent; returns its position. */
  int insert(int hash, Object entry) {
    if ((size + 1) * 4L > entries.length * 3L) resize(entries.length * 2);
    int mask = entries.length - 1;
    int i = hash & mask;
    while (entries[i] != null) i = (i + 1) & mask;
    entries[i] = entry;
    hashes[i] = hash;
    size++;
    if (Entries.hasExpire(entry)) volatileCount++;
    return i;
  }

  /** Replaces the entry at {@code pos} (same key), keeping the volatile count true. */
  void replace(int pos, Object entry) {
    boolean was = Entries.hasExpire(entries[pos]);
    boolean is = Entries.hasExpire(entry);
    entries[pos] = entry;
    if (was != is) volatileCount += is ? 1 : -1;
  }

  /** Removes the entry at {@code pos}, shifting later members of its probe run back. */
  Object removeAt(int pos) {
    Object removed = entries[pos];
    if (Entries.hasExpire(removed)) volatileCount--;
    int mask = entries.length - 1;
    int hole = pos;
    int i = (pos + 1) & mask;
    while (entries[i] != null) {
      int home = hashes[i] & mask;
      // Move entry i into the hole if its home is not cyclically within (hole, i].
      if (((i - home) & mask) >= ((i - hole) & mask)) {
        entries[hole] = entries[i];
        hashes[hole] = hashes[i];
        hole = i;
      }
      i = (i + 1) & mask;
    }
    entries[hole] = null;
    hashes[hole] = 0;
    size--;
    if (entries.length > MIN_CAPACITY && size * 8L < entries.length) {
      resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size) * 2) * 2));
    }
    return removed;
  }

  private void resize(int capacity) {
    Object[] oldEntries = entries;
    int[] oldHashes = hashes;
    entries = new Object[capacity];
    hashes = new int[capacity];
    int mask = capacity - 1;
    for (int j = 0; j < oldEntries.length; j++) {
      Object e = oldEntries[j];
      if (e == null) continue;
      int i = oldHashes[j] & mask;
      while (entries[i] != null) i = (i + 1) & mask;
      entries[i] = e;
      hashes[i] = oldHashes[j];
    }
  }

  /** Heap bytes of the two arrays. */
  long tableBytes() {
    return Entries.arrayBytes(entries.length * 4) + Entries.arrayBytes(hashes.length * 4);
  }

  /**
   * Visits the keys whose home bucket is {@code cursor} (in this table's current size) and returns
   * the next cursor in reverse-binary order, or 0 when the table has been covered. Cursor bits
   * above the table's mask are kept, as dictScan keeps them, so a cursor taken in a larger table
   * stays valid in a smaller one and the other way round.
   */
  long scan(long cursor, EntryVisitor visitor) {
    int mask = entries.length - 1;
    int home = (int) (cursor & mask);
    // Members of home's chain sit in the probe run that starts at home.
    int i = home;
    while (entries[i] != null) {
      if ((hashes[i] & mask) == home) visitor.visit(entries[i]);
      i = (i + 1) & mask;
      if (i == home) break;
    }
    // Increment the reversed cursor (dictScan's algorithm).
    long v = cursor | ~((long) mask);
    v = Long.reverse(v);
    v++;
    v = Long.reverse(v);
    return v;
  }

  /** A copy of the live entries, for iteration that may mutate the table. */
  Object[] snapshotEntries() {
    Object[] out = new Object[size];
    int n = 0;
    for (Object e : entries) if (e != null) out[n++] = e;
    return n == out.length ? out : Arrays.copyOf(out, n);
  }
}
