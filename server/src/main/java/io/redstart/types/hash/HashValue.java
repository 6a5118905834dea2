package io.redstart.types.hash;

import io.redstart.resp.RespWriter;
import io.redstart.store.Digest;
import io.redstart.store.Duplicable;
import io.redstart.store.Encoded;
import io.redstart.store.MemorySized;
import io.redstart.types.table.ElementTable;
import io.redstart.types.table.Sampling;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A hash value, in one of Redis 7.0's two encodings, hidden behind this API:
 *
 * <ul>
 *   <li>"listpack": field/value pairs in insertion order packed into one array ({@link
 *       PackedPairs}), while the hash has at most hash-max-listpack-entries pairs and no field or
 *       value longer than hash-max-listpack-value bytes;
 *   <li>"hashtable": an {@link ElementTable} of fields with values, once a write passes either
 *       limit. A hash never goes back to the compact encoding (Redis 7.0 does not either).
 * </ul>
 *
 * The limits are passed to each write by the caller, who reads them from the configuration at the
 * time of the write.
 *
 * <p>Field and value bytes are handed out as (array, offset, length) ranges through {@link
 * PairVisitor} and {@link #writeValue}, valid until the next write: replies are written from them
 * without copying.
 *
 * <p>For persistence: {@link #forEach} visits every pair (listpack order for the compact
 * encoding); {@link #newListpack()}, {@link #newHashtable(int)} and {@link #put} rebuild a hash,
 * {@link #isListpack()} tells which RDB encoding Redis would write.
 *
 * <p>Owned by the keyspace thread.
 */
public final class HashValue implements Encoded, MemorySized, Duplicable, Digest.Source {
  /** Receives field/value pairs as ranges of arrays that must not be modified or kept. */
  @FunctionalInterface
  public interface PairVisitor {
    void pair(byte[] f, int fOff, int fLen, byte[] v, int vOff, int vLen);
  }

  /** Redis refuses to grow a listpack past 1 GiB (LISTPACK_MAX_SAFETY_SIZE): it converts first. */
  static final long LISTPACK_SAFETY_SIZE = 1L << 30;

  private PackedPairs packed;
  private ElementTable table;

  private HashValue(PackedPairs packed, ElementTable table) {
    this.packed = packed;
    this.table = table;
  }

  /** An empty hash in the listpack encoding (a new key, as Redis's createHashObject). */
  public static HashValue newListpack() {
    return new HashValue(new PackedPairs(), null);
  }

  /** An empty hash in the hashtable encoding, sized for {@code expected} fields. */
  public static HashValue newHashtable(int expected) {
    return new HashValue(null, new ElementTable(true, expected));
  }

  public int size() {
    return packed != null ? packed.pairs() : table.size();
  }

  public boolean isListpack() {
    return packed != null;
  }

  @Override
  public String encodingName() {
    return packed != null ? "listpack" : "hashtable";
  }

  // ---- reads

  public boolean contains(byte[] field) {
    return packed != null ? packed.find(field, 0, field.length) >= 0 : table.find(field) >= 0;
  }

  /** A copy of the value of {@code field}, or null. */
  public byte[] get(byte[] field) {
    if (packed != null) {
      int p = packed.find(field, 0, field.length);
      if (p < 0) return null;
      int vp = packed.valueOf(p);
      int len = packed.lengthAt(vp);
      int d = PackedPairs.dataAt(vp, len);
      return Arrays.copyOfRange(packed.array(), d, d + len);
    }
    int pos = table.find(field);
    return pos < 0 ? null : table.valueAt(pos).clone();
  }

  /** Writes the value of {@code field} as a bulk reply; false (nothing written) when absent. */
  public boolean writeValue(byte[] field, RespWriter w) {
    if (packed != null) {
      int p = packed.find(field, 0, field.length);
      if (p < 0) return false;
      int vp = packed.valueOf(p);
      int len = packed.lengthAt(vp);
      w.bulk(packed.array(), PackedPairs.dataAt(vp, len), len);
      return true;
    }
    int pos = table.find(field);
    if (pos < 0) return false;
    w.bulk(table.valueAt(pos));
    return true;
  }

  /** The length of the value of {@code field}, or 0 when absent (HSTRLEN). */
  public int valueLength(byte[] field) {
    if (packed != null) {
      int p = packed.find(field, 0, field.length);
      return p < 0 ? 0 : packed.lengthAt(packed.valueOf(p));
    }
    int pos = table.find(field);
    return pos < 0 ? 0 : table.valueAt(pos).length;
  }

  /** Visits every pair: insertion order for the compact encoding, table order otherwise. */
  public void forEach(PairVisitor v) {
    if (packed != null) {
      byte[] b = packed.array();
      int p = 0;
      for (int i = packed.pairs(); i > 0; i--) {
        int flen = packed.lengthAt(p);
        int fd = PackedPairs.dataAt(p, flen);
        int vp = fd + flen;
        int vlen = packed.lengthAt(vp);
        int vd = PackedPairs.dataAt(vp, vlen);
        v.pair(b, fd, flen, b, vd, vlen);
        p = vd + vlen;
      }
      return;
    }
    for (int i = table.next(0); i >= 0; i = table.next(i + 1)) visitPosition(i, v);
  }

  private void visitPosition(int pos, PairVisitor v) {
    byte[] f = table.keyAt(pos);
    byte[] val = table.valueAt(pos);
    v.pair(f, 0, f.length, val, 0, val.length);
  }

  private void visitPackedAt(int p, PairVisitor v) {
    byte[] b = packed.array();
    int flen = packed.lengthAt(p);
    int fd = PackedPairs.dataAt(p, flen);
    int vp = fd + flen;
    int vlen = packed.lengthAt(vp);
    v.pair(b, fd, flen, b, PackedPairs.dataAt(vp, vlen), vlen);
  }

  // ---- writes

  /**
   * Converts to the hashtable encoding before a write of these arguments when one of them is
   * longer than {@code maxValue} or they would take the packed form past its safety size, as
   * Redis's hashTypeTryConversion (fields and values in {@code argv[from..to]}).
   */
  public void convertForArguments(byte[][] argv, int from, int to, long maxValue) {
    if (packed == null) return;
    long sum = 0;
    for (int i = from; i <= to; i++) {
      if (argv[i].length > maxValue) {
        convertToHashtable();
        return;
      }
      sum += argv[i].length;
    }
    if (packed.usedBytes() + sum > LISTPACK_SAFETY_SIZE) convertToHashtable();
  }

  /**
   * Sets {@code field} to {@code value}. The hash may keep both arrays (callers pass arrays they
   * will not modify). Converts to the hashtable encoding when the field or value is longer than
   * {@code maxValue} or, after the write, there are more than {@code maxEntries} pairs.
   *
   * @return true when the field is new, false when its value was replaced
   */
  public boolean put(byte[] field, byte[] value, long maxEntries, long maxValue) {
    if (packed != null
        && (field.length > maxValue
            || value.length > maxValue
            || packed.usedBytes() + (long) field.length + value.length + 10
                > LISTPACK_SAFETY_SIZE)) {
      convertToHashtable();
    }
    if (packed != null) {
      int p = packed.find(field, 0, field.length);
      boolean added = p < 0;
      if (added) {
        packed.append(field, 0, field.length, value, 0, value.length);
      } else {
        packed.replaceValue(p, value, 0, value.length);
      }
      if (packed.pairs() > maxEntries) convertToHashtable();
      return added;
    }
    return table.put(field, value) == null;
  }

  /** Removes {@code field}; false when absent. */
  public boolean remove(byte[] field) {
    if (packed != null) {
      int p = packed.find(field, 0, field.length);
      if (p < 0) return false;
      packed.removePair(p);
      return true;
    }
    return table.remove(field);
  }

  /** Moves the pairs to a hashtable (never back). */
  public void convertToHashtable() {
    if (packed == null) return;
    ElementTable t = new ElementTable(true, packed.pairs());
    forEach((f, fo, fl, v, vo, vl) ->
        t.addUnique(Arrays.copyOfRange(f, fo, fo + fl), Arrays.copyOfRange(v, vo, vo + vl)));
    table = t;
    packed = null;
  }

  // ---- random access

  /** Visits one pair chosen uniformly; the hash must not be empty. */
  public void randomPair(RandomGenerator random, PairVisitor v) {
    if (packed != null) {
      int p = 0;
      for (int i = random.nextInt(packed.pairs()); i > 0; i--) p = packed.after(packed.after(p));
      visitPackedAt(p, v);
    } else {
      visitPosition(table.randomPosition(random), v);
    }
  }

  /**
   * Visits {@code count} pairs chosen uniformly and independently (repetitions allowed), as
   * HRANDFIELD with a negative count. Stops early when {@code stop}, given the number produced so
   * far, says so (checked every 1024 pairs).
   */
  public void randomPairs(
      RandomGenerator random, long count, PairVisitor v, java.util.function.LongPredicate stop) {
    int[] offsets = packed != null ? packed.pairOffsets() : null;
    for (long i = 0; i < count; i++) {
      if (offsets != null) {
        visitPackedAt(offsets[random.nextInt(offsets.length)], v);
      } else {
        visitPosition(table.randomPosition(random), v);
      }
      if ((i & 1023) == 1023 && stop.test(i + 1)) return;
    }
  }

  /** Visits {@code count} distinct pairs chosen uniformly, {@code count <= size()}. */
  public void randomDistinctPairs(RandomGenerator random, int count, PairVisitor v) {
    if (packed != null) {
      int[] offsets = packed.pairOffsets();
      for (int i : Sampling.distinctIndexes(random, offsets.length, count)) {
        visitPackedAt(offsets[i], v);
      }
    } else {
      for (int pos : table.randomDistinctPositions(random, count)) visitPosition(pos, v);
    }
  }

  // ---- SCAN

  /**
   * One HSCAN call over the elements, as Redis's scanGenericCommand: the compact encoding visits
   * every pair and returns 0; the hashtable visits home buckets from {@code cursor} until about
   * {@code count} pairs were seen (at most ten times {@code count} buckets) and returns the next
   * cursor. C's wrapping arithmetic on a huge {@code count} is kept.
   */
  public long scan(long cursor, long count, PairVisitor v) {
    if (packed != null) {
      forEach(v);
      return 0;
    }
    long limit = count * 2; // fields and values both count, as in Redis
    long maxIterations = limit * 10;
    long[] seen = {0};
    do {
      cursor =
          table.scan(
              cursor,
              pos -> {
                seen[0] += 2;
                visitPosition(pos, v);
              });
    } while (cursor != 0 && maxIterations-- != 0 && Long.compareUnsigned(seen[0], limit) < 0);
    return cursor;
  }

  // ---- Encoded, MemorySized, Duplicable, Digest.Source

  @Override
  public long memoryUsage() {
    return 24 + (packed != null ? packed.memoryUsage() : table.memoryUsage());
  }

  @Override
  public Object duplicate() {
    return new HashValue(packed == null ? null : packed.copy(), table == null ? null : table.copy());
  }

  /** Each pair adds SHA1(SHA1-mix of field then value) to the digest, in any order (debug.c). */
  @Override
  public void digestInto(byte[] digest) {
    forEach(
        (f, fo, fl, v, vo, vl) -> {
          byte[] ele = new byte[20];
          Digest.mix(ele, f, fo, fl);
          Digest.mix(ele, v, vo, vl);
          Digest.xor(digest, ele);
        });
  }
}
