package io.redstart.types.zset;

import io.redstart.resp.CFormat;
import io.redstart.store.Digest;
import io.redstart.store.Duplicable;
import io.redstart.store.Encoded;
import io.redstart.store.MemorySized;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * A sorted set: members (byte strings) ordered by score, then by member bytes. The type API the
 * sorted-set and geo commands are written against; they never see the encoding.
 *
 * <p>Encodings, as Redis 7.0 has them: a {@link ZListpack} (packed pairs, "listpack") while the set
 * has at most {@code zset-max-listpack-entries} members of at most {@code zset-max-listpack-value}
 * bytes, then a {@link ZSkipList} ("skiplist"). {@link #add} converts when the next member would
 * break a limit; nothing converts back except {@link #convertToListpackIfFits}, which the commands
 * that build a new set call where Redis calls zsetConvertToListpackIfNeeded (ZUNIONSTORE,
 * ZINTERSTORE, ZDIFFSTORE, GEORADIUS STORE ...).
 *
 * <p>Scores are never NaN. A listpack keeps integral scores as integers, as Redis does, so -0.0
 * stored there reads back as 0.
 *
 * <p>For persistence: {@link #forEach} walks the pairs in either order, {@link #isListpack} tells
 * which encoding Redis would write, and {@link Builder} constructs a value from loaded pairs with
 * rdb.c's encoding rules.
 *
 * <p>Owned by the keyspace thread. Cursors and member arrays handed out are valid until the next
 * change to the set.
 */
public final class ZSetValue implements Encoded, MemorySized, Duplicable, Digest.Source {
  /** The encoding thresholds in force, read from the configuration at the time of a write. */
  public record Limits(long maxEntries, long maxValue) {}

  // zsetAdd's input flags.
  public static final int ADD_INCR = 1;
  public static final int ADD_NX = 1 << 1;
  public static final int ADD_XX = 1 << 2;
  public static final int ADD_GT = 1 << 3;
  public static final int ADD_LT = 1 << 4;

  // zsetAdd's output flags.
  public static final int OUT_NAN = 1;
  public static final int OUT_ADDED = 1 << 1;
  public static final int OUT_UPDATED = 1 << 2;
  public static final int OUT_NOP = 1 << 3;

  /** Redis's LISTPACK_MAX_SAFETY_SIZE: a listpack never grows past 1 GiB. */
  private static final long LISTPACK_SAFETY_SIZE = 1L << 30;

  private ZListpack lp;
  private ZSkipList sl;

  private ZSetValue(ZListpack lp, ZSkipList sl) {
    this.lp = lp;
    this.sl = sl;
  }

  /** An empty set in the compact encoding. */
  public static ZSetValue newListpack() {
    return new ZSetValue(new ZListpack(), null);
  }

  /** An empty set in the skiplist encoding. */
  public static ZSetValue newSkiplist() {
    return new ZSetValue(null, new ZSkipList());
  }

  /**
   * The empty set ZADD creates for a new key, as zaddGenericCommand chooses: a skiplist when
   * listpacks are disabled ({@code maxEntries == 0}) or the first member is too long for one.
   */
  public static ZSetValue forFirstMember(int firstMemberLength, Limits limits) {
    if (limits.maxEntries() == 0 || limits.maxValue() < firstMemberLength) return newSkiplist();
    return newListpack();
  }

  /**
   * The empty destination ZRANGESTORE starts with for a result of {@code length} members (-1 when
   * unknown), as zrangeResultBeginStore: a skiplist when the count exceeds the entry limit.
   */
  public static ZSetValue forResultLength(long length, Limits limits) {
    return length > limits.maxEntries() ? newSkiplist() : newListpack();
  }

  // ---- encoding

  public boolean isListpack() {
    return lp != null;
  }

  @Override
  public String encodingName() {
    return lp != null ? "listpack" : "skiplist";
  }

  /**
   * Converts a listpack to the skiplist encoding; nothing when already a skiplist. SORT does this
   * to every sorted set it reads, as Redis's sortCommand (zsetConvert).
   */
  public void convertToSkiplist() {
    if (lp != null) toSkiplist();
  }

  private void toSkiplist() {
    ZSkipList s = new ZSkipList();
    s.index.reserve(lp.count);
    for (int off = lp.first(); off >= 0; off = lp.next(off))
      s.insert(lp.score(off), lp.member(off));
    sl = s;
    lp = null;
  }

  private void toListpack() {
    ZListpack l = new ZListpack((int) Math.min(Integer.MAX_VALUE - 16, listpackBytes()));
    for (ZSkipList.Node n = sl.first(); n != null; n = n.forward[0]) {
      l.append(n.member, 0, n.member.length, n.score);
    }
    lp = l;
    sl = null;
  }

  private long listpackBytes() {
    long total = 0;
    for (ZSkipList.Node n = sl.first(); n != null; n = n.forward[0]) {
      total += ZListpack.entrySize(n.member.length, n.score);
    }
    return total;
  }

  /**
   * Redis's zsetConvertToListpackIfNeeded: a skiplist becomes a listpack when it has at most {@code
   * maxEntries} members, its longest member ({@code maxMemberLength}) fits {@code maxValue}, and
   * its members total ({@code totalMemberLength}) stays within a listpack's safety size.
   */
  public void convertToListpackIfFits(Limits limits, long maxMemberLength, long totalMemberLength) {
    if (lp != null) return;
    if (sl.length <= limits.maxEntries()
        && maxMemberLength <= limits.maxValue()
        && totalMemberLength <= LISTPACK_SAFETY_SIZE) {
      toListpack();
    }
  }

  /** {@link #convertToListpackIfFits} measuring the members itself. */
  public void convertToListpackIfFits(Limits limits) {
    if (lp != null) return;
    long max = 0;
    long total = 0;
    for (ZSkipList.Node n = sl.first(); n != null; n = n.forward[0]) {
      max = Math.max(max, n.member.length);
      total += n.member.length;
    }
    convertToListpackIfFits(limits, max, total);
  }

  // ---- size and lookups

  public long size() {
    return lp != null ? lp.count : sl.length;
  }

  /** The score of {@code member}, or NaN when it is absent (a score is never NaN). */
  public double score(byte[] member) {
    if (lp != null) {
      int off = lp.find(member);
      return off < 0 ? Double.NaN : lp.score(off);
    }
    ZSkipList.Node n = sl.find(member);
    return n == null ? Double.NaN : n.score;
  }

  public boolean contains(byte[] member) {
    return lp != null ? lp.find(member) >= 0 : sl.find(member) != null;
  }

  /** The 0-based rank of {@code member} (from the highest when {@code reverse}), or -1. */
  public long rank(byte[] member, boolean reverse) {
    long r;
    if (lp != null) {
      r = lp.rank(member);
      if (r < 0) return -1;
    } else {
      ZSkipList.Node n = sl.find(member);
      if (n == null) return -1;
      r = sl.rank(n.score, n.member) - 1;
    }
    return reverse ? size() - 1 - r : r;
  }

  // ---- changes

  /**
   * Redis's zsetAdd: adds {@code member} with {@code score}, or updates it, under the {@code ADD_*}
   * flags (INCR adds to the current score, a missing member counting as 0; NX only adds; XX only
   * updates; GT and LT update only to a greater or lesser score). Converts the listpack to a
   * skiplist first when the new member would break {@code limits}. Returns {@code OUT_*} flags:
   * OUT_NAN when the score (or the incremented score) is NaN and nothing changed, else any of
   * OUT_ADDED, OUT_UPDATED, OUT_NOP (none when the score was already that value).
   *
   * @param newScore when not null, receives the member's resulting score unless OUT_NOP or OUT_NAN
   */
  public int add(byte[] member, double score, int flags, Limits limits, double[] newScore) {
    boolean incr = (flags & ADD_INCR) != 0;
    boolean nx = (flags & ADD_NX) != 0;
    boolean xx = (flags & ADD_XX) != 0;
    boolean gt = (flags & ADD_GT) != 0;
    boolean lt = (flags & ADD_LT) != 0;
    if (Double.isNaN(score)) return OUT_NAN;
    if (lp != null) {
      int off = lp.find(member);
      if (off >= 0) {
        if (nx) return OUT_NOP;
        double cur = lp.score(off);
        if (incr) {
          score += cur;
          if (Double.isNaN(score)) return OUT_NAN;
        }
        if ((lt && score >= cur) || (gt && score <= cur)) return OUT_NOP;
        if (newScore != null) newScore[0] = score;
        if (score != cur) {
          lp.delete(off);
          lp.insert(member, score);
          return OUT_UPDATED;
        }
        return 0;
      }
      if (xx) return OUT_NOP;
      if (lp.count + 1L > limits.maxEntries()
          || member.length > limits.maxValue()
          || lp.used + (long) member.length > LISTPACK_SAFETY_SIZE) {
        toSkiplist();
      } else {
        lp.insert(member, score);
        if (newScore != null) newScore[0] = score;
        return OUT_ADDED;
      }
    }
    ZSkipList.Node n = sl.find(member);
    if (n != null) {
      if (nx) return OUT_NOP;
      double cur = n.score;
      if (incr) {
        score += cur;
        if (Double.isNaN(score)) return OUT_NAN;
      }
      if ((lt && score >= cur) || (gt && score <= cur)) return OUT_NOP;
      if (newScore != null) newScore[0] = score;
      if (score != cur) {
        sl.updateScore(n, score);
        return OUT_UPDATED;
      }
      return 0;
    }
    if (xx) return OUT_NOP;
    sl.insert(score, member);
    if (newScore != null) newScore[0] = score;
    return OUT_ADDED;
  }

  /**
   * Adds a member known to be absent, without flags or conversion checks, keeping the current
   * encoding (builders of new sets that convert at the end).
   */
  public void insertNew(byte[] member, double score) {
    if (lp != null) {
      lp.insert(member, score);
    } else {
      sl.insert(score, member);
    }
  }

  /**
   * Sets the score of a member known to be present, even to an equal value of the other sign (the
   * set algebra keeps the exact result of its arithmetic, as Redis writes it in place).
   */
  public void setScore(byte[] member, double score) {
    if (lp != null) {
      int off = lp.find(member);
      lp.delete(off);
      lp.insert(member, score);
      return;
    }
    ZSkipList.Node n = sl.find(member);
    if (Double.doubleToRawLongBits(n.score) == Double.doubleToRawLongBits(score)) return;
    if (n.score == score) {
      n.score = score; // same position: only the sign of a zero changes
    } else {
      sl.updateScore(n, score);
    }
  }

  /** Removes {@code member}; returns whether it was there. */
  public boolean remove(byte[] member) {
    if (lp != null) {
      int off = lp.find(member);
      if (off < 0) return false;
      lp.delete(off);
      return true;
    }
    ZSkipList.Node n = sl.find(member);
    if (n == null) return false;
    sl.delete(n);
    return true;
  }

  /**
   * Removes the members of 0-based ranks {@code start..end} (valid, inclusive); returns how many.
   */
  public long removeRangeByRank(long start, long end) {
    if (lp != null) {
      long n = end - start + 1;
      lp.deleteRange(lp.atRank(start), n);
      return n;
    }
    return sl.deleteRangeByRank(start + 1, end + 1);
  }

  /** Removes the members whose score is in {@code range}; returns how many. */
  public long removeRangeByScore(ScoreRange range) {
    if (lp != null) {
      int off = firstOffset(range);
      if (off < 0) return 0;
      long n = 0;
      for (int p = off; p >= 0 && range.belowMax(lp.score(p)); p = lp.next(p)) n++;
      lp.deleteRange(off, n);
      return n;
    }
    return sl.deleteRangeByScore(range);
  }

  /** Removes the members in {@code range}; returns how many. */
  public long removeRangeByLex(LexRange range) {
    if (lp != null) {
      int off = firstOffset(range);
      if (off < 0) return 0;
      long n = 0;
      for (int p = off; p >= 0 && belowMax(range, p); p = lp.next(p)) n++;
      lp.deleteRange(off, n);
      return n;
    }
    return sl.deleteRangeByLex(range);
  }

  // ---- cursors

  /**
   * A position on one member, moving in score order. Valid until the set changes; reading a cursor
   * that is not {@link #valid} is an error.
   */
  public final class Cursor {
    private int off = -1;
    private ZSkipList.Node node;

    private Cursor(int off) {
      this.off = off;
    }

    private Cursor(ZSkipList.Node node) {
      this.node = node;
    }

    public boolean valid() {
      return lp != null ? off >= 0 : node != null;
    }

    public double score() {
      return lp != null ? lp.score(off) : node.score;
    }

    /** The array holding the member's bytes (do not modify), at {@link #memberOffset}. */
    public byte[] memberArray() {
      return lp != null ? lp.buf : node.member;
    }

    public int memberOffset() {
      return lp != null ? lp.memberOffset(off) : 0;
    }

    public int memberLength() {
      return lp != null ? lp.memberLength(off) : node.member.length;
    }

    /** The member's bytes; the caller may keep them but must not modify them. */
    public byte[] member() {
      return lp != null ? lp.member(off) : node.member;
    }

    /** Moves to the next higher member (invalid past the last). */
    public void next() {
      if (lp != null) {
        off = lp.next(off);
      } else {
        node = node.forward[0];
      }
    }

    /** Moves to the next lower member (invalid before the first). */
    public void prev() {
      if (lp != null) {
        off = lp.prev(off);
      } else {
        node = node.backward;
      }
    }

    /** A second cursor at the same position. */
    public Cursor copy() {
      return lp != null ? new Cursor(off) : new Cursor(node);
    }

    /** Moves one step, down when {@code reverse}. */
    public void step(boolean reverse) {
      if (reverse) {
        prev();
      } else {
        next();
      }
    }
  }

  private Cursor cursorAt(int off) {
    return new Cursor(off);
  }

  private Cursor cursorAt(ZSkipList.Node n) {
    return new Cursor(n);
  }

  /** A cursor on the member of 0-based {@code rank}, invalid when out of range. */
  public Cursor atRank(long rank) {
    if (rank < 0 || rank >= size()) return lp != null ? cursorAt(-1) : cursorAt(null);
    if (lp != null) return cursorAt(lp.atRank(rank));
    if (rank == 0) return cursorAt(sl.first());
    if (rank == sl.length - 1) return cursorAt(sl.tail);
    return cursorAt(sl.byRank(rank + 1));
  }

  /** A cursor on the lowest member (invalid when empty). */
  public Cursor first() {
    return lp != null ? cursorAt(lp.first()) : cursorAt(sl.first());
  }

  /** A cursor on the highest member (invalid when empty). */
  public Cursor last() {
    return lp != null ? cursorAt(lp.last()) : cursorAt(sl.tail);
  }

  /** A cursor on the lowest member with a score in {@code range}, invalid when none. */
  public Cursor firstInRange(ScoreRange range) {
    return lp != null ? cursorAt(firstOffset(range)) : cursorAt(sl.firstInRange(range));
  }

  /** A cursor on the highest member with a score in {@code range}, invalid when none. */
  public Cursor lastInRange(ScoreRange range) {
    return lp != null ? cursorAt(lastOffset(range)) : cursorAt(sl.lastInRange(range));
  }

  /** A cursor on the lowest member in {@code range}, invalid when none. */
  public Cursor firstInRange(LexRange range) {
    return lp != null ? cursorAt(firstOffset(range)) : cursorAt(sl.firstInLexRange(range));
  }

  /** A cursor on the highest member in {@code range}, invalid when none. */
  public Cursor lastInRange(LexRange range) {
    return lp != null ? cursorAt(lastOffset(range)) : cursorAt(sl.lastInLexRange(range));
  }

  private boolean listpackInRange(ScoreRange range) {
    if (range.isEmpty() || lp.count == 0) return false;
    return range.aboveMin(lp.score(lp.last())) && range.belowMax(lp.score(lp.first()));
  }

  private int firstOffset(ScoreRange range) {
    if (!listpackInRange(range)) return -1;
    for (int off = lp.first(); off >= 0; off = lp.next(off)) {
      double s = lp.score(off);
      if (range.aboveMin(s)) return range.belowMax(s) ? off : -1;
    }
    return -1;
  }

  private int lastOffset(ScoreRange range) {
    if (!listpackInRange(range)) return -1;
    for (int off = lp.last(); off >= 0; off = lp.prev(off)) {
      double s = lp.score(off);
      if (range.belowMax(s)) return range.aboveMin(s) ? off : -1;
    }
    return -1;
  }

  private boolean aboveMin(LexRange range, int off) {
    return range.aboveMin(lp.buf, lp.memberOffset(off), lp.memberLength(off));
  }

  private boolean belowMax(LexRange range, int off) {
    return range.belowMax(lp.buf, lp.memberOffset(off), lp.memberLength(off));
  }

  private boolean listpackInRange(LexRange range) {
    if (range.isEmpty() || lp.count == 0) return false;
    return aboveMin(range, lp.last()) && belowMax(range, lp.first());
  }

  private int firstOffset(LexRange range) {
    if (!listpackInRange(range)) return -1;
    for (int off = lp.first(); off >= 0; off = lp.next(off)) {
      if (aboveMin(range, off)) return belowMax(range, off) ? off : -1;
    }
    return -1;
  }

  private int lastOffset(LexRange range) {
    if (!listpackInRange(range)) return -1;
    for (int off = lp.last(); off >= 0; off = lp.prev(off)) {
      if (belowMax(range, off)) return aboveMin(range, off) ? off : -1;
    }
    return -1;
  }

  /** How many members have a score in {@code range} (ZCOUNT): O(log n) for a skiplist. */
  public long count(ScoreRange range) {
    if (lp != null) {
      long n = 0;
      for (int off = firstOffset(range);
          off >= 0 && range.belowMax(lp.score(off));
          off = lp.next(off)) {
        n++;
      }
      return n;
    }
    ZSkipList.Node first = sl.firstInRange(range);
    if (first == null) return 0;
    ZSkipList.Node last = sl.lastInRange(range);
    if (last == null) return 0;
    return sl.rank(last.score, last.member) - sl.rank(first.score, first.member) + 1;
  }

  /** How many members are in {@code range} (ZLEXCOUNT): O(log n) for a skiplist. */
  public long count(LexRange range) {
    if (lp != null) {
      long n = 0;
      for (int off = firstOffset(range); off >= 0 && belowMax(range, off); off = lp.next(off)) n++;
      return n;
    }
    ZSkipList.Node first = sl.firstInLexRange(range);
    if (first == null) return 0;
    ZSkipList.Node last = sl.lastInLexRange(range);
    if (last == null) return 0;
    return sl.rank(last.score, last.member) - sl.rank(first.score, first.member) + 1;
  }

  // ---- iteration, random access, scanning

  /** Receives (member, score) pairs. The member array must not be modified. */
  @FunctionalInterface
  public interface PairVisitor {
    void visit(byte[] member, int offset, int length, double score);
  }

  /** Visits every pair, from the lowest score up, or from the highest down when descending. */
  public void forEach(boolean descending, PairVisitor visitor) {
    Cursor c = descending ? last() : first();
    while (c.valid()) {
      visitor.visit(c.memberArray(), c.memberOffset(), c.memberLength(), c.score());
      c.step(descending);
    }
  }

  /** A uniformly random rank, for ZRANDMEMBER; the set must not be empty. */
  public long randomRank(RandomGenerator random) {
    return random.nextLong(size());
  }

  /** Receives the members a ZSCAN step visits, with their scores. */
  @FunctionalInterface
  public interface ScanVisitor {
    void visit(byte[] member, double score);
  }

  /**
   * One ZSCAN step over a skiplist: visits the members of one home bucket of the member index and
   * returns the next cursor, 0 when done. A member present during the whole scan is visited at
   * least once. Not for listpacks, which ZSCAN returns whole.
   */
  public long scanStep(long cursor, ScanVisitor visitor) {
    if (sl.length == 0) return 0;
    return sl.index.scan(cursor, n -> visitor.visit(n.member, n.score));
  }

  // ---- Encoded, MemorySized, Duplicable, Digest.Source

  @Override
  public long memoryUsage() {
    return 24
        + (lp != null
            ? 24 + io.redstart.store.Entries.arrayBytes(lp.buf.length)
            : sl.memoryUsage());
  }

  @Override
  public Object duplicate() {
    if (lp != null) return new ZSetValue(lp.copy(), null);
    ZSkipList copy = new ZSkipList();
    copy.index.reserve(sl.length);
    // From the highest down: each insertion lands at the head, as zsetDup does.
    for (ZSkipList.Node n = sl.tail; n != null; n = n.backward) copy.insert(n.score, n.member);
    return new ZSetValue(null, copy);
  }

  /**
   * DEBUG DIGEST's contribution, as debug.c's xorObjectDigest: for each pair, a digest mixing the
   * member and its score printed with {@code "%.17g"}, whose SHA1 is xored in, so the order does
   * not matter.
   */
  @Override
  public void digestInto(byte[] digest) {
    forEach(
        false,
        (m, off, len, score) -> {
          byte[] ele = new byte[20];
          Digest.mix(ele, m, off, len);
          Digest.mix(ele, CFormat.g17(score).getBytes(StandardCharsets.US_ASCII));
          Digest.xor(digest, ele);
        });
  }

  /**
   * Builds a sorted set from pairs loaded from an RDB file or elsewhere, in any order, with the
   * encoding rules of rdb.c: a set loaded from a listpack stays one unless it has more than {@code
   * zset-max-listpack-entries} members; a set loaded as a skiplist becomes a listpack when it fits
   * the limits.
   */
  public static final class Builder {
    private final ZSetValue value = newSkiplist();
    private long maxMemberLength;
    private long totalMemberLength;

    public Builder(long expectedSize) {
      value.sl.index.reserve((int) Math.min(expectedSize, 1 << 26));
    }

    /** Adds a pair; returns false (and adds nothing) when the member is already there or NaN. */
    public boolean add(byte[] member, double score) {
      if (Double.isNaN(score) || value.sl.find(member) != null) return false;
      value.sl.insert(score, member);
      maxMemberLength = Math.max(maxMemberLength, member.length);
      totalMemberLength += member.length;
      return true;
    }

    public long size() {
      return value.sl.length;
    }

    /** The set as loaded from a listpack encoding. */
    public ZSetValue buildFromListpack(Limits limits) {
      if (value.sl.length <= limits.maxEntries()) value.toListpack();
      return value;
    }

    /** The set as loaded from a skiplist encoding. */
    public ZSetValue buildFromSkiplist(Limits limits) {
      value.convertToListpackIfFits(limits, maxMemberLength, totalMemberLength);
      return value;
    }
  }
}
