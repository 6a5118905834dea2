package io.redstart.types.set;

import io.redstart.resp.Numbers;
import io.redstart.store.Digest;
import io.redstart.store.Duplicable;
import io.redstart.store.Encoded;
import io.redstart.store.MemorySized;
import io.redstart.types.table.ElementTable;
import io.redstart.types.table.Sampling;
import java.util.function.LongPredicate;
import java.util.random.RandomGenerator;

/**
 * A set value, in one of Redis 7.0's two encodings, hidden behind this API:
 *
 * <ul>
 *   <li>"intset": the members are all integers in Redis's canonical form (string2ll: no sign but
 *       '-', no leading zeros, no spaces, 64-bit) and there are at most set-max-intset-entries of
 *       them (capped at 2^30); see {@link Intset};
 *   <li>"hashtable": an {@link ElementTable} of members, once a non-integer member arrives or the
 *       count passes the limit. Commands never convert back; only sets built anew (SINTERSTORE,
 *       SUNIONSTORE, SDIFFSTORE, SMOVE into a new key, SPOP's rebuild) start as intsets again.
 * </ul>
 *
 * Members are handed out through {@link MemberVisitor}: intset members as numbers (replies write
 * them without formatting), hashtable members as arrays that must not be modified.
 *
 * <p>For persistence: {@link #intsetBlob()} is the RDB_TYPE_SET_INTSET payload when {@link
 * #isIntset()}; {@link #forEach} visits every member otherwise; {@link #newIntset()}, {@link
 * #newHashtable(int)} and {@link #add}/{@link #addInteger} rebuild a set (add returns false on a
 * duplicate, which a loader reports as corruption), {@link #fromIntsetBlob} takes an intset blob
 * as is.
 *
 * <p>Owned by the keyspace thread.
 */
public final class SetValue implements Encoded, MemorySized, Duplicable, Digest.Source {
  /** Receives members. */
  public interface MemberVisitor {
    /** A member as a range of an array that must not be modified or kept. */
    void member(byte[] b, int off, int len);

    /** An intset member; by default passed on as its decimal text. */
    default void integer(long v) {
      byte[] t = Numbers.toBytes(v);
      member(t, 0, t.length);
    }
  }

  /** Redis caps set-max-intset-entries at 2^30 (the intset's own limits). */
  private static final long INTSET_HARD_LIMIT = 1L << 30;

  private Intset ints;
  private ElementTable table;

  private SetValue(Intset ints, ElementTable table) {
    this.ints = ints;
    this.table = table;
  }

  /** An empty intset (the start of every set built by a STORE command). */
  public static SetValue newIntset() {
    return new SetValue(new Intset(), null);
  }

  /** An empty hashtable sized for {@code expected} members. */
  public static SetValue newHashtable(int expected) {
    return new SetValue(null, new ElementTable(false, expected));
  }

  /**
   * An empty set that can hold {@code first}: an intset when it is an integer, else a hashtable
   * (Redis's setTypeCreate, used when SADD or SMOVE creates a key).
   */
  public static SetValue forMember(byte[] first) {
    return Numbers.isLong(first) ? newIntset() : newHashtable(0);
  }

  public int size() {
    return ints != null ? ints.size() : table.size();
  }

  public boolean isIntset() {
    return ints != null;
  }

  @Override
  public String encodingName() {
    return ints != null ? "intset" : "hashtable";
  }

  private static long intsetLimit(long maxIntsetEntries) {
    return Math.min(maxIntsetEntries, INTSET_HARD_LIMIT);
  }

  // ---- writes

  /**
   * Adds {@code member} (the set may keep the array; callers pass arrays they will not modify).
   * An intset becomes a hashtable when the member is not an integer or the count passes {@code
   * maxIntsetEntries}. Returns false when it was already a member.
   */
  public boolean add(byte[] member, long maxIntsetEntries) {
    if (ints != null) {
      if (Numbers.isLong(member)) {
        if (!ints.add(Numbers.parseLong(member))) return false;
        if (ints.size() > intsetLimit(maxIntsetEntries)) convertToHashtable();
        return true;
      }
      convertToHashtable();
      table.addUnique(member, null);
      return true;
    }
    return table.add(member, null);
  }

  /** Adds a member given as a range (copied when kept). */
  public boolean add(byte[] b, int off, int len, long maxIntsetEntries) {
    if (ints != null && Numbers.isLong(b, off, len)) {
      return addInteger(Numbers.parseLong(b, off, len), maxIntsetEntries);
    }
    if (table != null && table.find(b, off, len) >= 0) return false;
    return add(java.util.Arrays.copyOfRange(b, off, off + len), maxIntsetEntries);
  }

  /** Adds the member whose text is the decimal form of {@code v}. */
  public boolean addInteger(long v, long maxIntsetEntries) {
    if (ints != null) {
      if (!ints.add(v)) return false;
      if (ints.size() > intsetLimit(maxIntsetEntries)) convertToHashtable();
      return true;
    }
    return table.add(Numbers.toBytes(v), null);
  }

  /** Removes {@code member}; false when it was not one. */
  public boolean remove(byte[] member) {
    if (ints != null) return Numbers.isLong(member) && ints.remove(Numbers.parseLong(member));
    return table.remove(member);
  }

  /** Moves the members to a hashtable. */
  public void convertToHashtable() {
    if (ints == null) return;
    ElementTable t = new ElementTable(false, ints.size());
    for (int i = 0; i < ints.size(); i++) t.addUnique(Numbers.toBytes(ints.get(i)), null);
    table = t;
    ints = null;
  }

  // ---- reads

  public boolean contains(byte[] member) {
    return contains(member, 0, member.length);
  }

  public boolean contains(byte[] b, int off, int len) {
    if (ints != null) return Numbers.isLong(b, off, len) && ints.contains(Numbers.parseLong(b, off, len));
    return table.find(b, off, len) >= 0;
  }

  /** Whether the decimal text of {@code v} is a member. */
  public boolean containsInteger(long v) {
    if (ints != null) return ints.contains(v);
    byte[] t = Numbers.toBytes(v);
    return table.find(t, 0, t.length) >= 0;
  }

  /** Visits every member: ascending for an intset, table order otherwise. */
  public void forEach(MemberVisitor v) {
    if (ints != null) {
      for (int i = 0, n = ints.size(); i < n; i++) v.integer(ints.get(i));
      return;
    }
    for (int i = table.next(0); i >= 0; i = table.next(i + 1)) visitPosition(i, v);
  }

  private void visitPosition(int pos, MemberVisitor v) {
    byte[] k = table.keyAt(pos);
    v.member(k, 0, k.length);
  }

  /**
   * The first member's position for a stoppable iteration, or -1 when empty. Positions are
   * valid until the next write; with {@link #nextPosition} they visit every member once, in
   * {@link #forEach}'s order.
   */
  public int firstPosition() {
    return nextPosition(-1);
  }

  /** The position after {@code pos}, or -1 at the end. */
  public int nextPosition(int pos) {
    if (ints != null) return pos + 1 < ints.size() ? pos + 1 : -1;
    return table.next(pos + 1);
  }

  /** Visits the member at a position from {@link #firstPosition}/{@link #nextPosition}. */
  public void visitAt(int pos, MemberVisitor v) {
    if (ints != null) {
      v.integer(ints.get(pos));
    } else {
      visitPosition(pos, v);
    }
  }

  // ---- random access

  /** Visits one member chosen uniformly; the set must not be empty. */
  public void randomMember(RandomGenerator random, MemberVisitor v) {
    if (ints != null) {
      v.integer(ints.get(random.nextInt(ints.size())));
    } else {
      visitPosition(table.randomPosition(random), v);
    }
  }

  /**
   * Visits {@code count} members chosen uniformly and independently (SRANDMEMBER with a negative
   * count); stops early when {@code stop}, given the number produced so far, says so (checked
   * every 1024 members).
   */
  public void randomMembers(RandomGenerator random, long count, MemberVisitor v, LongPredicate stop) {
    for (long i = 0; i < count; i++) {
      randomMember(random, v);
      if ((i & 1023) == 1023 && stop.test(i + 1)) return;
    }
  }

  /** Visits {@code count} distinct members chosen uniformly, {@code count <= size()}. */
  public void randomDistinctMembers(RandomGenerator random, int count, MemberVisitor v) {
    if (ints != null) {
      for (int i : Sampling.distinctIndexes(random, ints.size(), count)) v.integer(ints.get(i));
    } else {
      for (int pos : table.randomDistinctPositions(random, count)) visitPosition(pos, v);
    }
  }

  /** Removes a member chosen uniformly and returns its bytes; the set must not be empty. */
  public byte[] popRandom(RandomGenerator random) {
    if (ints != null) {
      int i = random.nextInt(ints.size());
      long v = ints.get(i);
      ints.removeAt(i);
      return Numbers.toBytes(v);
    }
    int pos = table.randomPosition(random);
    byte[] k = table.keyAt(pos);
    table.removeAt(pos);
    return k;
  }

  /**
   * SPOP's strategy for a count close to the size: keeps {@code remaining} members chosen at
   * random in this value, rebuilt the way a new set is built (so an all-integer remainder becomes
   * an intset again, as in Redis), and returns a set holding every other member.
   */
  public SetValue keepRandom(RandomGenerator random, int remaining, long maxIntsetEntries) {
    SetValue popped = new SetValue(ints, table);
    SetValue kept = null;
    for (int i = 0; i < remaining; i++) {
      byte[] m = popped.popRandom(random);
      if (kept == null) kept = forMember(m);
      kept.add(m, maxIntsetEntries);
    }
    if (kept == null) kept = newIntset();
    ints = kept.ints;
    table = kept.table;
    return popped;
  }

  // ---- SCAN

  /**
   * One SSCAN call, as Redis's scanGenericCommand: an intset visits every member and returns 0;
   * a hashtable visits home buckets from {@code cursor} until {@code count} members were seen (at
   * most ten times {@code count} buckets) and returns the next cursor.
   */
  public long scan(long cursor, long count, MemberVisitor v) {
    if (ints != null) {
      forEach(v);
      return 0;
    }
    long maxIterations = count * 10;
    long[] seen = {0};
    do {
      cursor =
          table.scan(
              cursor,
              pos -> {
                seen[0]++;
                visitPosition(pos, v);
              });
    } while (cursor != 0 && maxIterations-- != 0 && Long.compareUnsigned(seen[0], count) < 0);
    return cursor;
  }

  /**
   * A set loaded from Redis's intset blob (an RDB_TYPE_SET_INTSET payload), or null when the blob
   * is corrupt (see {@link Intset#fromBlob}). Converted to a hashtable when it holds more than
   * {@code maxIntsetEntries} members, as Redis's loader does.
   */
  public static SetValue fromIntsetBlob(byte[] blob, long maxIntsetEntries) {
    Intset is = Intset.fromBlob(blob);
    if (is == null) return null;
    SetValue v = new SetValue(is, null);
    if (is.size() > intsetLimit(maxIntsetEntries)) v.convertToHashtable();
    return v;
  }

  /** Redis's intset blob (RDB_TYPE_SET_INTSET payload), or null when not an intset. */
  public byte[] intsetBlob() {
    return ints == null ? null : ints.toBlob();
  }

  // ---- Encoded, MemorySized, Duplicable, Digest.Source

  @Override
  public long memoryUsage() {
    return 24 + (ints != null ? ints.memoryUsage() : table.memoryUsage());
  }

  @Override
  public Object duplicate() {
    return new SetValue(ints == null ? null : ints.copy(), table == null ? null : table.copy());
  }

  /** Each member adds SHA1(member) to the digest, in any order (debug.c). */
  @Override
  public void digestInto(byte[] digest) {
    forEach((b, off, len) -> Digest.xor(digest, b, off, len));
  }
}
