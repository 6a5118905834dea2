package io.redstart.types.zset;

import io.redstart.store.Entries;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The large encoding of a sorted set (OBJECT ENCODING "skiplist"): Pugh's skip list ordered by
 * score then member bytes, with spans on every link so that rank and range-by-rank are O(log n),
 * and a back link on level 0 for reverse walks; plus a hash index from member to node, so a
 * member's score is found in O(1). This is Redis's zset (zskiplist plus dict), written for the JVM:
 * a node holds its forward links in one array and its spans above level 0 in another (level 0
 * always spans one node, so three nodes in four carry no span array at all), and the index is an
 * open-addressing table over two arrays, not a graph of map entries.
 *
 * <p>Member arrays are kept by reference: callers hand over arrays they never modify again.
 *
 * <p>Memory is accounted incrementally in {@link #bytes}. Owned by the keyspace thread.
 */
final class ZSkipList {
  static final int MAX_LEVEL = 32;

  /** One element. {@code member} is null only in the header. */
  static final class Node {
    final byte[] member;
    double score;
    Node backward;
    final Node[] forward;

    /** Spans of levels 1..level-1 ({@code span[i - 1]}); null for a node of one level. */
    final int[] span;

    Node(int level, double score, byte[] member) {
      this.member = member;
      this.score = score;
      this.forward = new Node[level];
      this.span = level > 1 ? new int[level - 1] : null;
    }

    int level() {
      return forward.length;
    }
  }

  final Node header = new Node(MAX_LEVEL, 0, null);
  Node tail;
  int level = 1;
  int length;
  final MemberIndex index = new MemberIndex();

  /** Heap bytes of the nodes and members (the index reports its own). */
  long bytes = nodeBytes(MAX_LEVEL, 0) + 32;

  // Scratch for one operation at a time (the list is owned by one thread): the predecessors of a
  // position on each level, and the ranks crossed to reach them.
  private final Node[] update = new Node[MAX_LEVEL];
  private final long[] rankAt = new long[MAX_LEVEL];

  // ---- spans

  private static int span(Node x, int i) {
    return i == 0 ? 1 : x.span[i - 1];
  }

  private static void setSpan(Node x, int i, int v) {
    if (i > 0) x.span[i - 1] = v;
  }

  static long nodeBytes(int level, int memberLength) {
    long node = 40;
    long fwd = Entries.arrayBytes(level * 4);
    long spans = level > 1 ? Entries.arrayBytes((level - 1) * 4) : 0;
    long member = memberLength < 0 ? 0 : Entries.arrayBytes(memberLength);
    return node + fwd + spans + member;
  }

  long memoryUsage() {
    return bytes + index.memoryUsage();
  }

  // ---- ordering

  /** Whether {@code x} sorts before (score, member). */
  private static boolean before(Node x, double score, byte[] member) {
    return x.score < score || (x.score == score && Arrays.compareUnsigned(x.member, member) < 0);
  }

  private static boolean beforeOrAt(Node x, double score, byte[] member) {
    return x.score < score || (x.score == score && Arrays.compareUnsigned(x.member, member) <= 0);
  }

  private static int randomLevel() {
    int level = 1;
    ThreadLocalRandom r = ThreadLocalRandom.current();
    while (level < MAX_LEVEL && (r.nextInt() & 0xFFFF) < 0x4000) level++;
    return level;
  }

  // ---- lookups

  Node find(byte[] member) {
    return index.get(member);
  }

  Node first() {
    return header.forward[0];
  }

  /** The node of 1-based {@code rank}, or null. */
  Node byRank(long rank) {
    Node x = header;
    long traversed = 0;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && traversed + span(x, i) <= rank) {
        traversed += span(x, i);
        x = x.forward[i];
      }
      if (traversed == rank) return x == header ? null : x;
    }
    return null;
  }

  /** The 1-based rank of the node holding (score, member), or 0 when there is none. */
  long rank(double score, byte[] member) {
    Node x = header;
    long rank = 0;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && beforeOrAt(x.forward[i], score, member)) {
        rank += span(x, i);
        x = x.forward[i];
      }
      if (x != header && x.score == score && Arrays.equals(x.member, member)) return rank;
    }
    return 0;
  }

  // ---- insertion and removal

  /** Inserts a member known to be absent. */
  Node insert(double score, byte[] member) {
    Node[] update = this.update;
    long[] rank = this.rankAt;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      rank[i] = i == level - 1 ? 0 : rank[i + 1];
      while (x.forward[i] != null && before(x.forward[i], score, member)) {
        rank[i] += span(x, i);
        x = x.forward[i];
      }
      update[i] = x;
    }
    int lvl = randomLevel();
    if (lvl > level) {
      for (int i = level; i < lvl; i++) {
        rank[i] = 0;
        update[i] = header;
        setSpan(header, i, length);
      }
      level = lvl;
    }
    x = new Node(lvl, score, member);
    for (int i = 0; i < lvl; i++) {
      x.forward[i] = update[i].forward[i];
      update[i].forward[i] = x;
      if (i > 0) {
        setSpan(x, i, span(update[i], i) - (int) (rank[0] - rank[i]));
        setSpan(update[i], i, (int) (rank[0] - rank[i]) + 1);
      }
    }
    for (int i = lvl; i < level; i++) setSpan(update[i], i, span(update[i], i) + 1);
    x.backward = update[0] == header ? null : update[0];
    if (x.forward[0] != null) {
      x.forward[0].backward = x;
    } else {
      tail = x;
    }
    length++;
    bytes += nodeBytes(lvl, member.length);
    index.put(x);
    return x;
  }

  /** Unlinks {@code x}, whose predecessors on each level are {@code update}. */
  private void unlink(Node x, Node[] update) {
    for (int i = 0; i < level; i++) {
      if (update[i].forward[i] == x) {
        if (i > 0) setSpan(update[i], i, span(update[i], i) + span(x, i) - 1);
        update[i].forward[i] = x.forward[i];
      } else if (i > 0) {
        setSpan(update[i], i, span(update[i], i) - 1);
      }
    }
    if (x.forward[0] != null) {
      x.forward[0].backward = x.backward;
    } else {
      tail = x.backward;
    }
    while (level > 1 && header.forward[level - 1] == null) level--;
    length--;
    bytes -= nodeBytes(x.level(), x.member.length);
  }

  /** The predecessors of (score, member) on each level. */
  private Node[] predecessors(double score, byte[] member) {
    Node[] update = this.update;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && before(x.forward[i], score, member)) x = x.forward[i];
      update[i] = x;
    }
    return update;
  }

  /** Removes {@code node} (found through the index) from the list and the index. */
  void delete(Node node) {
    Node[] update = predecessors(node.score, node.member);
    unlink(node, update);
    index.remove(node.member);
  }

  /**
   * Changes the score of {@code node}; in place when its position does not change, else by
   * relinking it. Returns the node now holding the member.
   */
  Node updateScore(Node node, double newScore) {
    if ((node.backward == null || node.backward.score < newScore)
        && (node.forward[0] == null || node.forward[0].score > newScore)) {
      node.score = newScore;
      return node;
    }
    Node[] update = predecessors(node.score, node.member);
    unlink(node, update);
    index.remove(node.member);
    return insert(newScore, node.member);
  }

  // ---- ranges

  /** A range over nodes: by score or by member, as the two kinds of range queries need. */
  private interface NodeRange {
    boolean isEmpty();

    /** Whether {@code n} is at or past the range's start. */
    boolean aboveMin(Node n);

    /** Whether {@code n} is at or before the range's end. */
    boolean belowMax(Node n);
  }

  private static NodeRange byScore(ScoreRange r) {
    return new NodeRange() {
      @Override
      public boolean isEmpty() {
        return r.isEmpty();
      }

      @Override
      public boolean aboveMin(Node n) {
        return r.aboveMin(n.score);
      }

      @Override
      public boolean belowMax(Node n) {
        return r.belowMax(n.score);
      }
    };
  }

  private static NodeRange byMember(LexRange r) {
    return new NodeRange() {
      @Override
      public boolean isEmpty() {
        return r.isEmpty();
      }

      @Override
      public boolean aboveMin(Node n) {
        return r.aboveMin(n.member);
      }

      @Override
      public boolean belowMax(Node n) {
        return r.belowMax(n.member);
      }
    };
  }

  /** Whether some element lies in {@code range}. */
  private boolean inRange(NodeRange range) {
    if (range.isEmpty()) return false;
    if (tail == null || !range.aboveMin(tail)) return false;
    Node first = header.forward[0];
    return first != null && range.belowMax(first);
  }

  private Node first(NodeRange range) {
    if (!inRange(range)) return null;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && !range.aboveMin(x.forward[i])) x = x.forward[i];
    }
    x = x.forward[0];
    return x != null && range.belowMax(x) ? x : null;
  }

  private Node last(NodeRange range) {
    if (!inRange(range)) return null;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && range.belowMax(x.forward[i])) x = x.forward[i];
    }
    return x != header && range.aboveMin(x) ? x : null;
  }

  Node firstInRange(ScoreRange range) {
    return first(byScore(range));
  }

  Node lastInRange(ScoreRange range) {
    return last(byScore(range));
  }

  Node firstInLexRange(LexRange range) {
    return first(byMember(range));
  }

  Node lastInLexRange(LexRange range) {
    return last(byMember(range));
  }

  /** Removes every element with a score in {@code range}; returns how many. */
  long deleteRangeByScore(ScoreRange range) {
    return deleteRange(byScore(range));
  }

  /** Removes every element with a member in {@code range}; returns how many. */
  long deleteRangeByLex(LexRange range) {
    return deleteRange(byMember(range));
  }

  private long deleteRange(NodeRange range) {
    Node[] update = this.update;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && !range.aboveMin(x.forward[i])) x = x.forward[i];
      update[i] = x;
    }
    x = x.forward[0];
    long removed = 0;
    while (x != null && range.belowMax(x)) {
      Node next = x.forward[0];
      unlink(x, update);
      index.remove(x.member);
      removed++;
      x = next;
    }
    return removed;
  }

  /** Removes the elements of 1-based ranks {@code start..end}; returns how many. */
  long deleteRangeByRank(long start, long end) {
    Node[] update = this.update;
    Node x = header;
    long traversed = 0;
    for (int i = level - 1; i >= 0; i--) {
      while (x.forward[i] != null && traversed + span(x, i) < start) {
        traversed += span(x, i);
        x = x.forward[i];
      }
      update[i] = x;
    }
    traversed++;
    x = x.forward[0];
    long removed = 0;
    while (x != null && traversed <= end) {
      Node next = x.forward[0];
      unlink(x, update);
      index.remove(x.member);
      removed++;
      traversed++;
      x = next;
    }
    return removed;
  }

  /**
   * The member index: an open-addressing table with linear probing and backward-shift deletion,
   * over an array of nodes and an array of their members' hashes. Its SCAN visits members by home
   * bucket in reverse-binary cursor order, as Redis's dictScan, so that a member present for a
   * whole scan is returned at least once even if the table is resized between calls.
   */
  static final class MemberIndex {
    private static final int MIN_CAPACITY = 8;

    Node[] slots = new Node[MIN_CAPACITY];
    int[] hashes = new int[MIN_CAPACITY];
    int size;

    long memoryUsage() {
      return 16 + Entries.arrayBytes(slots.length * 4) + Entries.arrayBytes(hashes.length * 4);
    }

    Node get(byte[] member) {
      int h = MemberHash.hash(member);
      int mask = slots.length - 1;
      for (int i = h & mask; ; i = (i + 1) & mask) {
        Node n = slots[i];
        if (n == null) return null;
        if (hashes[i] == h && Arrays.equals(n.member, member)) return n;
      }
    }

    /** Adds or replaces the node of its member. */
    void put(Node node) {
      int h = MemberHash.hash(node.member);
      int mask = slots.length - 1;
      int i = h & mask;
      while (slots[i] != null) {
        if (hashes[i] == h && Arrays.equals(slots[i].member, node.member)) {
          slots[i] = node;
          return;
        }
        i = (i + 1) & mask;
      }
      if ((size + 1) * 4L > slots.length * 3L) {
        resize(slots.length * 2);
        mask = slots.length - 1;
        i = h & mask;
        while (slots[i] != null) i = (i + 1) & mask;
      }
      slots[i] = node;
      hashes[i] = h;
      size++;
    }

    void remove(byte[] member) {
      int h = MemberHash.hash(member);
      int mask = slots.length - 1;
      int i = h & mask;
      while (true) {
        Node n = slots[i];
        if (n == null) return;
        if (hashes[i] == h && Arrays.equals(n.member, member)) break;
        i = (i + 1) & mask;
      }
      int hole = i;
      int j = (i + 1) & mask;
      while (slots[j] != null) {
        int home = hashes[j] & mask;
        if (((j - home) & mask) >= ((j - hole) & mask)) {
          slots[hole] = slots[j];
          hashes[hole] = hashes[j];
          hole = j;
        }
        j = (j + 1) & mask;
      }
      slots[hole] = null;
      hashes[hole] = 0;
      size--;
      if (slots.length > MIN_CAPACITY && size * 8L < slots.length) {
        resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size) * 2) * 2));
      }
    }

    /** Grows the table ahead of {@code n} insertions (bulk construction). */
    void reserve(int n) {
      long needed = (long) n * 4 / 3 + 1;
      if (needed <= slots.length * 3L / 4) return;
      int cap = Integer.highestOneBit((int) Math.min(1 << 30, needed * 2 - 1));
      if (cap > slots.length) resize(cap);
    }

    private void resize(int capacity) {
      Node[] old = slots;
      int[] oldHashes = hashes;
      slots = new Node[capacity];
      hashes = new int[capacity];
      int mask = capacity - 1;
      for (int j = 0; j < old.length; j++) {
        if (old[j] == null) continue;
        int i = oldHashes[j] & mask;
        while (slots[i] != null) i = (i + 1) & mask;
        slots[i] = old[j];
        hashes[i] = oldHashes[j];
      }
    }

    /** Receives the nodes a scan step visits. */
    interface Visitor {
      void visit(Node n);
    }

    /**
     * Visits the members whose home bucket is {@code cursor} in the table's current size and
     * returns the next cursor in reverse-binary order, 0 when the table has been covered. Bits
     * above the mask are kept, as dictScan keeps them.
     */
    long scan(long cursor, Visitor visitor) {
      int mask = slots.length - 1;
      int home = (int) (cursor & mask);
      int i = home;
      while (slots[i] != null) {
        if ((hashes[i] & mask) == home) visitor.visit(slots[i]);
        i = (i + 1) & mask;
        if (i == home) break;
      }
      long v = cursor | ~((long) mask);
      v = Long.reverse(v);
      v++;
      return Long.reverse(v);
    }
  }
}
