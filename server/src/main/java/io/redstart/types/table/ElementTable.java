package io.redstart.types.table;

import io.redstart.store.Entries;
import io.redstart.util.Hashing;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * The "hashtable" encoding of hashes and sets: an open-addressing table of byte-string elements,
 * each optionally carrying a byte-string value, with linear probing and backward-shift deletion
 * (no tombstones). It is three arrays: {@code keys[i]} (null for an empty bucket), {@code
 * values[i]} (absent for sets) and {@code hashes[i]}, the cached hash of {@code keys[i]}; the
 * garbage collector sees those arrays and the element arrays, never a graph of nodes.
 *
 * <p>Positions are bucket indexes in {@code [0, capacity())}: {@link #find} returns one, {@link
 * #keyAt}/{@link #valueAt} read it. A position stays valid until the next insertion or removal.
 * Element arrays are owned by the table once added: callers must not modify them afterwards.
 *
 * <p>Capacity is a power of two, at most three quarters full; it doubles when that would be
 * passed and halves (or more) when fewer than one bucket in eight is used, so a random bucket is
 * occupied with probability at least 1/8 and {@link #randomPosition} stays cheap.
 *
 * <p>{@link #scan} walks home buckets in reverse-binary order (Redis's dictScan cursor): an
 * element present for a whole scan is visited at least once even if the table is resized between
 * calls.
 *
 * <p>Hashes are seeded with a per-process random value, so colliding inputs cannot be prepared in
 * advance (iteration order therefore differs between processes, as in Redis).
 *
 * <p>Owned by the keyspace thread.
 */
public final class ElementTable {
  private static final int MIN_CAPACITY = 4;
  private static final int MAX_CAPACITY = 1 << 30;
  private static final long SEED = new SecureRandom().nextLong();

  private byte[][] keys;
  private byte[][] values;
  private int[] hashes;
  private int size;
  /** Heap bytes of the element and value arrays held. */
  private long payloadBytes;

  /**
   * An empty table sized for {@code expected} elements.
   *
   * @param withValues whether each element carries a value (hashes) or not (sets)
   */
  public ElementTable(boolean withValues, int expected) {
    int cap = capacityFor(expected);
    keys = new byte[cap][];
    values = withValues ? new byte[cap][] : null;
    hashes = new int[cap];
  }

  private static int capacityFor(int expected) {
    long needed = Math.max(MIN_CAPACITY, ((long) expected * 4 + 2) / 3);
    if (needed >= MAX_CAPACITY) return MAX_CAPACITY;
    int cap = Integer.highestOneBit((int) needed);
    return cap < needed ? cap << 1 : cap;
  }

  /** The hash tables use for an element. */
  public static int hash(byte[] b, int off, int len) {
    return Hashing.hash(b, off, len, SEED);
  }

  public int size() {
    return size;
  }

  public int capacity() {
    return keys.length;
  }

  public boolean hasValues() {
    return values != null;
  }

  // ---- lookups

  /** The position of the element equal to {@code k}, or -1. */
  public int find(byte[] k) {
    return find(k, 0, k.length, hash(k, 0, k.length));
  }

  /** The position of the element equal to {@code k[off, off+len)}, or -1. */
  public int find(byte[] k, int off, int len) {
    return find(k, off, len, hash(k, off, len));
  }

  private int find(byte[] k, int off, int len, int h) {
    byte[][] ks = keys;
    int mask = ks.length - 1;
    int i = h & mask;
    while (true) {
      byte[] e = ks[i];
      if (e == null) return -1;
      if (hashes[i] == h && e.length == len && Arrays.equals(e, 0, len, k, off, off + len)) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  /** The element at {@code pos}, or null for an empty bucket. Do not modify it. */
  public byte[] keyAt(int pos) {
    return keys[pos];
  }

  /** The value at {@code pos} (tables with values only). Do not modify it. */
  public byte[] valueAt(int pos) {
    return values[pos];
  }

  // ---- writes

  /**
   * Adds {@code k} (taking ownership of the array) with {@code v} (null for tables without
   * values) if absent. Returns true when added, false when {@code k} was already there (nothing
   * changes then).
   */
  public boolean add(byte[] k, byte[] v) {
    int h = hash(k, 0, k.length);
    if (find(k, 0, k.length, h) >= 0) return false;
    insert(k, v, h);
    return true;
  }

  /**
   * Sets the value of {@code k}, adding it if absent (the table takes ownership of both arrays).
   * Returns the previous value, or null when {@code k} was added.
   */
  public byte[] put(byte[] k, byte[] v) {
    int h = hash(k, 0, k.length);
    int pos = find(k, 0, k.length, h);
    if (pos < 0) {
      insert(k, v, h);
      return null;
    }
    byte[] old = values[pos];
    values[pos] = v;
    payloadBytes += Entries.arrayBytes(v.length) - Entries.arrayBytes(old.length);
    return old;
  }

  /** Replaces the value at an occupied position. */
  public void setValueAt(int pos, byte[] v) {
    byte[] old = values[pos];
    values[pos] = v;
    payloadBytes += Entries.arrayBytes(v.length) - Entries.arrayBytes(old.length);
  }

  /**
   * Adds an element known to be absent, without checking (bulk loading, conversions). The caller
   * guarantees uniqueness; a duplicate would corrupt the table's contract.
   */
  public void addUnique(byte[] k, byte[] v) {
    insert(k, v, hash(k, 0, k.length));
  }

  private void insert(byte[] k, byte[] v, int h) {
    if ((size + 1) * 4L > keys.length * 3L) {
      if (keys.length >= MAX_CAPACITY) throw new IllegalStateException("element table full");
      resize(keys.length * 2);
    }
    int mask = keys.length - 1;
    int i = h & mask;
    while (keys[i] != null) i = (i + 1) & mask;
    keys[i] = k;
    hashes[i] = h;
    if (values != null) values[i] = v;
    size++;
    payloadBytes += Entries.arrayBytes(k.length) + (v == null ? 0 : Entries.arrayBytes(v.length));
  }

  /** Removes the element equal to {@code k[off, off+len)}; false when absent. */
  public boolean remove(byte[] k, int off, int len) {
    int pos = find(k, off, len);
    if (pos < 0) return false;
    removeAt(pos);
    return true;
  }

  public boolean remove(byte[] k) {
    return remove(k, 0, k.length);
  }

  /**
   * Removes the element at {@code pos}, shifting later members of its probe run back, and shrinks
   * the table when it has become sparse. Positions taken before are invalid afterwards.
   */
  public void removeAt(int pos) {
    byte[] k = keys[pos];
    payloadBytes -=
        Entries.arrayBytes(k.length)
            + (values == null ? 0 : Entries.arrayBytes(values[pos].length));
    int mask = keys.length - 1;
    int hole = pos;
    int i = (pos + 1) & mask;
    while (keys[i] != null) {
      int home = hashes[i] & mask;
      // Move element i into the hole unless its home lies cyclically within (hole, i].
      if (((i - home) & mask) >= ((i - hole) & mask)) {
        keys[hole] = keys[i];
        hashes[hole] = hashes[i];
        if (values != null) values[hole] = values[i];
        hole = i;
      }
      i = (i + 1) & mask;
    }
    keys[hole] = null;
    hashes[hole] = 0;
    if (values != null) values[hole] = null;
    size--;
    if (keys.length > MIN_CAPACITY && size * 8L < keys.length) {
      resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size) * 2) * 2));
    }
  }

  private void resize(int capacity) {
    byte[][] oldKeys = keys;
    byte[][] oldValues = values;
    int[] oldHashes = hashes;
    keys = new byte[capacity][];
    values = oldValues == null ? null : new byte[capacity][];
    hashes = new int[capacity];
    int mask = capacity - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      byte[] k = oldKeys[j];
      if (k == null) continue;
      int i = oldHashes[j] & mask;
      while (keys[i] != null) i = (i + 1) & mask;
      keys[i] = k;
      hashes[i] = oldHashes[j];
      if (values != null) values[i] = oldValues[j];
    }
  }

  // ---- iteration and sampling

  /** The position of the first occupied bucket at or after {@code from}, or -1. */
  public int next(int from) {
    byte[][] ks = keys;
    for (int i = from; i < ks.length; i++) if (ks[i] != null) return i;
    return -1;
  }

  /** A uniformly chosen occupied position; the table must not be empty. */
  public int randomPosition(RandomGenerator random) {
    int mask = keys.length - 1;
    while (true) {
      int i = random.nextInt() & mask;
      if (keys[i] != null) return i;
    }
  }

  /**
   * {@code count} distinct occupied positions chosen uniformly, {@code count <= size()}, in
   * random order. Costs O(count) when count is small against the size, O(capacity) otherwise.
   */
  public int[] randomDistinctPositions(RandomGenerator random, int count) {
    if (count * 3L > size) {
      int[] all = new int[size];
      int n = 0;
      for (int i = 0; i < keys.length; i++) if (keys[i] != null) all[n++] = i;
      Sampling.partialShuffle(all, count, random);
      return count == all.length ? all : Arrays.copyOf(all, count);
    }
    int[] out = new int[count];
    IntSet seen = new IntSet(count);
    int n = 0;
    while (n < count) {
      int pos = randomPosition(random);
      if (seen.add(pos)) out[n++] = pos;
    }
    return out;
  }

  /**
   * Visits the positions of the elements whose home bucket is {@code cursor} (in the current
   * capacity) and returns the next cursor in reverse-binary order, or 0 when the table has been
   * covered. The visitor must not add or remove elements.
   */
  public long scan(long cursor, IntConsumer visitor) {
    int mask = keys.length - 1;
    int home = (int) (cursor & mask);
    int i = home;
    while (keys[i] != null) {
      if ((hashes[i] & mask) == home) visitor.accept(i);
      i = (i + 1) & mask;
      if (i == home) break;
    }
    long v = cursor | ~((long) mask);
    v = Long.reverse(v);
    v++;
    v = Long.reverse(v);
    return v;
  }

  /** A deep copy (COPY): same elements, fresh arrays. */
  public ElementTable copy() {
    ElementTable t = new ElementTable(values != null, 0);
    t.keys = new byte[keys.length][];
    t.values = values == null ? null : new byte[values.length][];
    t.hashes = hashes.clone();
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == null) continue;
      t.keys[i] = keys[i].clone();
      if (values != null) t.values[i] = values[i].clone();
    }
    t.size = size;
    t.payloadBytes = payloadBytes;
    return t;
  }

  /** Heap bytes: the three arrays and the elements and values they hold. */
  public long memoryUsage() {
    int cap = keys.length;
    long arrays = Entries.arrayBytes(cap * 4) * (values == null ? 2 : 3);
    return 32 + arrays + payloadBytes;
  }

  /** A small open-addressing set of non-negative ints (sampling without repetition). */
  static final class IntSet {
    private final int[] slots;

    IntSet(int expected) {
      int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
      slots = new int[cap];
      Arrays.fill(slots, -1);
    }

    /** Adds {@code v} (>= 0); false when already present. */
    boolean add(int v) {
      int mask = slots.length - 1;
      int h = v * 0x9E3779B9;
      int i = (h ^ (h >>> 16)) & mask;
      while (true) {
        int s = slots[i];
        if (s == v) return false;
        if (s < 0) {
          slots[i] = v;
          return true;
        }
        i = (i + 1) & mask;
      }
    }
  }
}
