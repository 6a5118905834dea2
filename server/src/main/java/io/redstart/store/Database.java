package io.redstart.store;

import io.redstart.types.ValueType;
import io.redstart.util.Hashing;
import java.util.Arrays;

/**
 * One numbered database: its keys partitioned into 16384 hash-slot tables, created lazily, with a
 * bitmap of the non-empty ones. The slot of a key is its cluster hash slot ({@link HashSlots}),
 * which is also the unit of SCAN cursors, of snapshot capture and of cluster migration.
 *
 * <p>Entries are returned as opaque objects and read through {@link Entries}; a returned entry
 * stays valid until the next write to this database. Methods here do no expiry, statistics or
 * notifications: {@link Keyspace} layers those on top.
 *
 * <p>Owned by the keyspace thread.
 */
public final class Database {
  /** Pass as an expiry to keep the key's current one (SET KEEPTTL, APPEND, INCR ...). */
  public static final long KEEP_TTL = -2;

  /** Pass as an expiry for none. */
  public static final long NO_EXPIRE = -1;

  private final int id;
  private SlotTable[] slots = new SlotTable[HashSlots.SLOTS];
  private final long[] nonEmpty = new long[HashSlots.SLOTS / 64];
  private long size;
  private long volatileCount;
  /** Heap bytes of records, boxed values and tables, kept current on every write. */
  private long usedBytes;

  /** Watches writes while a background snapshot runs (see {@link WriteBarrier}); else null. */
  private WriteBarrier barrier;

  /** The active-expiry cursor: slot, then position within the slot's table. */
  int expireSlotCursor;

  int expirePosCursor;

  public Database(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  public long size() {
    return size;
  }

  public long volatileCount() {
    return volatileCount;
  }

  public long usedBytes() {
    return usedBytes;
  }

  /** The table hash of a key; never 0, which marks empty buckets. */
  static int hash(byte[] key) {
    int h = Hashing.hash(key, 0, key.length);
    return h == 0 ? 1 : h;
  }

  private static final int MEMO_MAX_KEY = 64;

  // The slot and table hash of the last key seen: a command looks its key up, then writes it, and
  // each step would compute both again. Matched by content, never by identity, so an array
  // reused with other bytes cannot fool it. Keys longer than MEMO_MAX_KEY are not remembered.
  private final byte[] memoKey = new byte[MEMO_MAX_KEY];
  private int memoLength = -1;
  private int memoSlot;
  private int memoHash;

  /** Sets {@link #memoSlot} and {@link #memoHash} for {@code key}. */
  private void memo(byte[] key) {
    int len = key.length;
    if (len == memoLength && Arrays.equals(key, 0, len, memoKey, 0, len)) return;
    memoSlot = HashSlots.slot(key);
    memoHash = hash(key);
    if (len <= MEMO_MAX_KEY) {
      System.arraycopy(key, 0, memoKey, 0, len);
      memoLength = len;
    } else {
      memoLength = -1;
    }
  }

  // ---- lookups

  /** The entry of {@code key}, expired or not, or null. */
  public Object find(byte[] key) {
    memo(key);
    SlotTable t = slots[memoSlot];
    if (t == null) return null;
    int pos = t.find(memoHash, key);
    return pos < 0 ? null : t.entries[pos];
  }

  /**
   * The entry of {@code key} for a change in place (Keyspace.lookupWrite): like {@link #find}, but
   * while a snapshot runs it first lets the snapshot capture the key's slot and copies a boxed
   * collection the snapshot still holds, so the caller may change the returned entry's value.
   */
  public Object findForWrite(byte[] key) {
    memo(key);
    int slot = memoSlot;
    SlotTable t = slots[slot];
    if (t == null) return null;
    int pos = t.find(memoHash, key);
    if (pos < 0) return null;
    Object e = t.entries[pos];
    if (barrier != null) {
      barrier.beforeWrite(this, slot);
      if (e instanceof Boxed b && !(b.value instanceof StringValue)) thaw(b);
    }
    return e;
  }

  /** Gives {@code b} a private copy of a value a snapshot still holds. */
  private void thaw(Boxed b) {
    Frozen f = b.frozen;
    if (f == null) return;
    b.frozen = null;
    if (!f.held()) return;
    if (b.value instanceof StringValue sv) {
      b.value = new StringValue(sv.toBytes());
    } else if (b.value instanceof Duplicable d) {
      b.value = d.duplicate();
    } else {
      throw new IllegalStateException("a snapshot holds a value that cannot be copied: " + b.value);
    }
    if (barrier != null) barrier.copied(ValueSizes.of(b.value));
  }

  // ---- snapshot support

  /** Installs (or, with null, removes) the barrier told about every change. */
  public void barrier(WriteBarrier b) {
    this.barrier = b;
  }

  public WriteBarrier barrier() {
    return barrier;
  }

  /** Bitmap of the non-empty slots (a copy), as a snapshot starts. */
  public long[] nonEmptySlots() {
    return nonEmpty.clone();
  }

  /**
   * The keys of one slot as they are now, their boxed values frozen with {@code claim} until the
   * snapshot releases it. Shallow: records are shared (they are not rewritten while a barrier is
   * installed), boxed values are shared and copied by the keyspace before any change.
   */
  public SlotImage captureSlot(int slot, Frozen claim) {
    SlotTable t = slots[slot];
    if (t == null || t.size == 0) return new SlotImage(new byte[0][], new Object[0]);
    byte[][] records = new byte[t.size][];
    Object[] values = new Object[t.size];
    int n = 0;
    for (Object e : t.entries) {
      if (e == null) continue;
      if (e instanceof byte[] r) {
        records[n] = r;
      } else {
        Boxed b = (Boxed) e;
        records[n] = b.meta;
        values[n] = b.value;
        b.frozen = claim;
      }
      n++;
    }
    return new SlotImage(records, values);
  }

  // ---- writes

  /**
   * Sets {@code key} to a string value, creating or replacing the key (of any type).
   *
   * @param expireAt absolute Unix ms, {@link #NO_EXPIRE} or {@link #KEEP_TTL}
   * @param encoding {@link Entries#ENC_EMBSTR}, {@link Entries#ENC_INT} or {@link Entries#ENC_RAW}:
   *     what OBJECT ENCODING reports
   * @return whether the key was created (it had no entry, not even an expired one)
   */
  public boolean setString(byte[] key, byte[] value, int encoding, long expireAt, int lru) {
    memo(key);
    int slot = memoSlot;
    int hash = memoHash;
    if (barrier != null) barrier.beforeWrite(this, slot);
    SlotTable t = table(slot);
    int pos = t.find(hash, key);
    long when = expireAt;
    if (when == KEEP_TTL) when = pos < 0 ? NO_EXPIRE : Entries.expireAt(t.entries[pos]);
    Object entry;
    if (value.length <= Entries.INLINE_MAX) {
      entry = Entries.build(ValueType.STRING, encoding, key, when, lru, value, 0, value.length);
    } else {
      byte[] meta = Entries.build(ValueType.STRING, encoding, key, when, lru, null, 0, 0);
      entry = new Boxed(meta, new StringValue(value));
    }
    store(t, slot, pos, hash, entry);
    return pos < 0;
  }

  /**
   * INCR's fast path: overwrites the digits of an entry holding an integer-encoded inline string
   * with {@code value} when its text has the same length, keeping the record (TTL, LRU/LFU, size).
   * Returns false, changing nothing, when that is not possible (another encoding or length, or a
   * snapshot running: records are never rewritten in place under a {@link WriteBarrier}); the
   * caller then stores a new record. {@code entry} must come from {@link #findForWrite}.
   */
  public boolean overwriteInteger(Object entry, long value) {
    if (barrier != null || !(entry instanceof byte[] r)) return false;
    if (Entries.stringEncoding(r) != Entries.ENC_INT) return false;
    int len = Entries.stringLength(r);
    if (io.redstart.resp.Numbers.digits(value) != len) return false;
    io.redstart.resp.Numbers.write(value, r, Entries.stringOffset(r));
    return true;
  }

  /**
   * Returns the growable value of an existing string key, converting an inline string to one
   * (encoding becomes raw), so APPEND and SETRANGE can grow it in place. Call {@link
   * #adjustUsedBytes} with the size change after mutating it.
   */
  public StringValue unshareString(byte[] key) {
    memo(key);
    int slot = memoSlot;
    int hash = memoHash;
    if (barrier != null) barrier.beforeWrite(this, slot);
    SlotTable t = slots[slot];
    int pos = t == null ? -1 : t.find(hash, key);
    if (pos < 0) throw new IllegalStateException("unshareString on a missing key");
    Object e = t.entries[pos];
    if (e instanceof Boxed b0 && b0.value instanceof StringValue) thaw(b0);
    if (e instanceof Boxed b && b.value instanceof StringValue sv) {
      if (Entries.stringEncoding(e) != Entries.ENC_RAW) {
        byte[] meta = b.meta.clone();
        meta[0] = (byte) ((meta[0] & ~0x30) | (Entries.ENC_RAW << 4));
        usedBytes -= entryBytes(e);
        b.meta = meta;
        usedBytes += entryBytes(e);
      }
      return sv;
    }
    byte[] r = (byte[]) e;
    int off = Entries.inlineValueOffset(r);
    byte[] meta = Entries.build(ValueType.STRING, Entries.ENC_RAW, Entries.key(e),
        Entries.expireAt(e), Entries.lru(e), null, 0, 0);
    StringValue sv = new StringValue(Arrays.copyOfRange(r, off, r.length));
    Boxed b = new Boxed(meta, sv);
    usedBytes -= entryBytes(e);
    t.replace(pos, b);
    usedBytes += entryBytes(b);
    return sv;
  }

  /** Sets {@code key} to a boxed value (a collection, or a {@link StringValue}). */
  public void setValue(byte[] key, ValueType type, int encoding, Object value, long expireAt, int lru) {
    memo(key);
    int slot = memoSlot;
    int hash = memoHash;
    if (barrier != null) barrier.beforeWrite(this, slot);
    SlotTable t = table(slot);
    int pos = t.find(hash, key);
    long when = expireAt;
    if (when == KEEP_TTL) when = pos < 0 ? NO_EXPIRE : Entries.expireAt(t.entries[pos]);
    byte[] meta = Entries.build(type, encoding, key, when, lru, null, 0, 0);
    store(t, slot, pos, hash, new Boxed(meta, value));
  }

  private void store(SlotTable t, int slot, int pos, int hash, Object entry) {
    long before = t.tableBytes();
    if (pos < 0) {
      boolean wasEmpty = t.size == 0;
      t.insert(hash, entry);
      size++;
      if (Entries.hasExpire(entry)) volatileCount++;
      if (wasEmpty) markNonEmpty(slot);
    } else {
      Object old = t.entries[pos];
      usedBytes -= entryBytes(old);
      if (Entries.hasExpire(old)) volatileCount--;
      if (Entries.hasExpire(entry)) volatileCount++;
      t.replace(pos, entry);
    }
    usedBytes += entryBytes(entry) + t.tableBytes() - before;
  }

  /** Removes {@code key}; returns its entry or null when absent. */
  public Object remove(byte[] key) {
    memo(key);
    int slot = memoSlot;
    SlotTable t = slots[slot];
    if (t == null) return null;
    int pos = t.find(memoHash, key);
    if (pos < 0) return null;
    if (barrier != null) barrier.beforeWrite(this, slot);
    long before = t.tableBytes();
    Object old = t.removeAt(pos);
    size--;
    if (Entries.hasExpire(old)) volatileCount--;
    usedBytes -= entryBytes(old) - (t.tableBytes() - before);
    if (t.size == 0) markEmpty(slot);
    return old;
  }

  /**
   * Sets ({@code when >= 0}) or removes ({@link #NO_EXPIRE}) the expiry of an existing key.
   * Returns false when the key does not exist.
   */
  public boolean setExpire(byte[] key, long when) {
    memo(key);
    int slot = memoSlot;
    SlotTable t = slots[slot];
    if (t == null) return false;
    int pos = t.find(memoHash, key);
    if (pos < 0) return false;
    Object e = t.entries[pos];
    boolean had = Entries.hasExpire(e);
    if (barrier != null) {
      barrier.beforeWrite(this, slot);
    } else if (had && when >= 0) {
      // In place only while no snapshot may be reading the record.
      Entries.writeExpireInPlace(Entries.record(e), when);
      return true;
    }
    Object updated;
    if (e instanceof byte[] r) {
      updated = Entries.withExpire(r, when);
    } else {
      Boxed b = (Boxed) e;
      b.meta = Entries.withExpire(b.meta, when);
      updated = b;
    }
    usedBytes -= entryBytes(e);
    if (had) volatileCount--;
    if (when >= 0) volatileCount++;
    if (updated == e) {
      // A boxed entry keeps its identity; fix the table's volatile count by hand.
      t.volatileCount += (when >= 0 ? 1 : 0) - (had ? 1 : 0);
    } else {
      t.replace(pos, updated);
    }
    usedBytes += entryBytes(updated);
    return true;
  }

  /**
   * Adds {@code entry} (taken from this or another database) under {@code key}, which must be
   * absent, keeping its type, encoding, value and LRU; the expiry is {@code expireAt}. When
   * {@code copy} is set the value is duplicated (COPY), otherwise shared (RENAME, MOVE: the caller
   * removes the source).
   */
  public void addEntry(byte[] key, Object entry, long expireAt, boolean copy) {
    if (barrier != null) barrier.beforeWrite(this, HashSlots.slot(key));
    ValueType type = Entries.type(entry);
    int enc = Entries.stringEncoding(entry);
    int lru = Entries.lru(entry);
    if (entry instanceof byte[] r) {
      int off = Entries.inlineValueOffset(r);
      int slot = HashSlots.slot(key);
      int hash = hash(key);
      SlotTable t = table(slot);
      byte[] record = Entries.build(type, enc, key, expireAt, lru, r, off, r.length - off);
      if (copy || Entries.isUnshared(entry)) Entries.markUnshared(record);
      store(t, slot, t.find(hash, key), hash, record);
      return;
    }
    Object value = ((Boxed) entry).value;
    if (copy) {
      if (!(value instanceof Duplicable d)) throw new IllegalStateException("not duplicable: " + type);
      value = d.duplicate();
    }
    int slot = HashSlots.slot(key);
    int hash = hash(key);
    SlotTable t = table(slot);
    byte[] meta = Entries.build(type, enc, key, expireAt, lru, null, 0, 0);
    Boxed moved = new Boxed(meta, value);
    if (!copy) moved.frozen = ((Boxed) entry).frozen; // a snapshot may still hold the shared value
    store(t, slot, t.find(hash, key), hash, moved);
  }

  /** Bumps the memory account after a boxed value changed size in place. */
  public void adjustUsedBytes(long delta) {
    usedBytes += delta;
  }

  /** Removes every key. */
  public void clear() {
    if (barrier != null) barrier.beforeClear(this);
    slots = new SlotTable[HashSlots.SLOTS];
    Arrays.fill(nonEmpty, 0);
    size = 0;
    volatileCount = 0;
    usedBytes = 0;
    expireSlotCursor = 0;
    expirePosCursor = 0;
  }

  /** Exchanges the contents of two databases (SWAPDB); ids stay. */
  public void swapWith(Database other) {
    // A snapshot's barrier follows the data it watches.
    WriteBarrier wb = barrier;
    barrier = other.barrier;
    other.barrier = wb;
    SlotTable[] s = slots;
    slots = other.slots;
    other.slots = s;
    long[] n = nonEmpty.clone();
    System.arraycopy(other.nonEmpty, 0, nonEmpty, 0, nonEmpty.length);
    System.arraycopy(n, 0, other.nonEmpty, 0, n.length);
    long t = size;
    size = other.size;
    other.size = t;
    t = volatileCount;
    volatileCount = other.volatileCount;
    other.volatileCount = t;
    t = usedBytes;
    usedBytes = other.usedBytes;
    other.usedBytes = t;
    expireSlotCursor = 0;
    expirePosCursor = 0;
    other.expireSlotCursor = 0;
    other.expirePosCursor = 0;
  }

  // ---- iteration

  /** The first non-empty slot at or after {@code from}, or -1. */
  public int nextNonEmptySlot(int from) {
    if (from >= HashSlots.SLOTS) return -1;
    int w = from >>> 6;
    long word = nonEmpty[w] & (-1L << (from & 63));
    while (true) {
      if (word != 0) return (w << 6) + Long.numberOfTrailingZeros(word);
      if (++w == nonEmpty.length) return -1;
      word = nonEmpty[w];
    }
  }

  /** Number of keys in one slot. */
  public int slotSize(int slot) {
    SlotTable t = slots[slot];
    return t == null ? 0 : t.size;
  }

  /** The live entries of one slot, copied, so the caller may write while iterating. */
  public Object[] slotEntries(int slot) {
    SlotTable t = slots[slot];
    return t == null ? new Object[0] : t.snapshotEntries();
  }

  /**
   * One SCAN step: visits the keys of one home bucket and returns the next cursor (0 when done).
   * The cursor packs the slot in its low 14 bits and the slot table's reverse-binary bucket
   * cursor above them.
   */
  public long scan(long cursor, EntryVisitor visitor) {
    int slot = (int) (cursor & (HashSlots.SLOTS - 1));
    long bucket = cursor >>> 14;
    SlotTable t = slots[slot];
    if (t == null || t.size == 0) {
      bucket = 0;
    } else {
      bucket = t.scan(bucket, visitor);
    }
    if (bucket != 0) return (bucket << 14) | slot;
    int next = nextNonEmptySlot(slot + 1);
    return next < 0 ? 0 : next;
  }

  /** A uniformly chosen slot among the non-empty ones weighted by size, then a random key. */
  public Object randomEntry(java.util.random.RandomGenerator random) {
    if (size == 0) return null;
    // Pick the n-th key by walking slot sizes; bounded by 16384 steps.
    long n = random.nextLong(size);
    for (int s = nextNonEmptySlot(0); s >= 0; s = nextNonEmptySlot(s + 1)) {
      SlotTable t = slots[s];
      if (n < t.size) {
        int start = random.nextInt(t.capacity());
        for (int i = 0; i < t.capacity(); i++) {
          Object e = t.entries[(start + i) & (t.capacity() - 1)];
          if (e != null) return e;
        }
      }
      n -= t.size;
    }
    return null;
  }

  /**
   * Up to {@code count} entries sampled as Redis's dictGetSomeKeys does: from a random slot and
   * position, consecutive entries, moving on to further slots; only keys with an expiry when
   * {@code volatileOnly}. The array may end with nulls when fewer were found.
   */
  public Object[] sampleEntries(java.util.random.RandomGenerator random, int count, boolean volatileOnly) {
    Object[] out = new Object[count];
    if (size == 0 || (volatileOnly && volatileCount == 0)) return out;
    int n = 0;
    int slot = nextNonEmptySlot(random.nextInt(HashSlots.SLOTS));
    if (slot < 0) slot = nextNonEmptySlot(0);
    int visitedSlots = 0;
    while (n < count && visitedSlots <= HashSlots.SLOTS) {
      SlotTable t = slots[slot];
      if (t != null && (!volatileOnly || t.volatileCount > 0)) {
        int cap = t.capacity();
        int start = random.nextInt(cap);
        for (int i = 0; i < cap && n < count; i++) {
          Object e = t.entries[(start + i) & (cap - 1)];
          if (e != null && (!volatileOnly || Entries.hasExpire(e))) out[n++] = e;
        }
      }
      visitedSlots++;
      int next = nextNonEmptySlot(slot + 1);
      slot = next < 0 ? nextNonEmptySlot(0) : next;
      if (slot < 0) break;
      if (n > 0 && visitedSlots > count) break; // enough spread; as dictGetSomeKeys' step bound
    }
    return out;
  }

  /** A random key with an expiry, or null. */
  public Object randomVolatileEntry(java.util.random.RandomGenerator random) {
    Object[] one = sampleEntries(random, 1, true);
    return one[0];
  }

  // ---- active expiry support

  /** Table of a slot, for the expiry cycle; null when the slot is empty. */
  SlotTable slotTable(int slot) {
    return slots[slot];
  }

  private SlotTable table(int slot) {
    SlotTable t = slots[slot];
    if (t == null) {
      t = new SlotTable();
      slots[slot] = t;
      usedBytes += t.tableBytes() + 32;
    }
    return t;
  }

  private void markNonEmpty(int slot) {
    nonEmpty[slot >>> 6] |= 1L << (slot & 63);
  }

  private void markEmpty(int slot) {
    nonEmpty[slot >>> 6] &= ~(1L << (slot & 63));
  }

  /** Heap bytes of one entry: its record, and a boxed value's holder and value. */
  static long entryBytes(Object e) {
    if (e instanceof byte[] r) return Entries.arrayBytes(r.length);
    Boxed b = (Boxed) e;
    return 16 + Entries.arrayBytes(b.meta.length) + ValueSizes.of(b.value);
  }
}
