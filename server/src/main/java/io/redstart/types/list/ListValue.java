package io.redstart.types.list;

import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.store.Digest;
import io.redstart.store.Duplicable;
import io.redstart.store.Encoded;
import io.redstart.store.Entries;
import io.redstart.store.MemorySized;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * A list, stored as Redis 7.0 stores every list: a quicklist, a doubly linked list of nodes that
 * each hold a run of elements packed in one {@code byte[]} in the listpack format ({@link
 * Listpack}), or, for an element of at least the packed threshold (1 GiB), a "plain" node holding
 * that element alone. OBJECT ENCODING says "quicklist".
 *
 * <p>Nodes are filled, split and merged by Redis's rules (quicklist.c), so a list is cut into the
 * same nodes as in Redis: {@code fill} is list-max-listpack-size when the list was created (as in
 * Redis, a list keeps the value it was created with): negative, a node's listpack may grow to 4, 8,
 * 16, 32 or 64 KiB (-1 to -5); positive, a node holds at most that many elements and never more
 * than 8 KiB (except a single element). {@code compress} (list-compress-depth) is recorded and
 * reported, but nodes are never compressed: memory is spent for speed, and what clients see does
 * not change.
 *
 * <p>Push and pop at either end are O(1) (amortized: each node's array keeps spare room at both
 * ends, so a push rarely copies); access by index walks nodes from the nearer end, O(N/node size)
 * plus O(node size). Elements are reached through {@link Cursor}s without copying.
 *
 * <p>For persistence, {@link #forEachNode} gives each node as the listpack (or plain element) that
 * RDB's {@code QUICKLIST_2} type writes as one blob, and {@link Builder} rebuilds a list from such
 * blobs. {@link #memoryUsage()} is kept current by every operation.
 *
 * <p>Owned by the keyspace thread; not thread-safe.
 */
public final class ListValue implements Encoded, MemorySized, Duplicable, Digest.Source {
  /** Byte limits of a node's listpack for fill -1 .. -5 (quicklist.c optimization_level). */
  private static final int[] OPTIMIZATION_LEVEL = {4096, 8192, 16384, 32768, 65536};

  /** Largest listpack of several elements when the fill is a count. */
  private static final int SIZE_SAFETY_LIMIT = 8192;

  /** What quicklist adds to an element's length to estimate the bytes of its entry. */
  private static final int SIZE_ESTIMATE_OVERHEAD = 8;

  /** Bounds of the fill and compress depth, as the 16-bit fields of Redis's quicklist. */
  public static final int FILL_MAX = (1 << 15) - 1;

  public static final int FILL_MIN = -5;
  public static final int COMPRESS_MAX = (1 << 16) - 1;

  /** Largest node array we build: past this a packed node is not grown, the element goes alone. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 64;

  /** Heap bytes of a list without nodes, and of a node without its array (estimates). */
  private static final long BASE_BYTES = 56;

  private static final long NODE_BYTES = 40;

  private static final long DEFAULT_PACKED_THRESHOLD = 1L << 30;

  /**
   * Elements of this many bytes or more get a plain node of their own. Process-wide, as Redis's
   * {@code packed_threshold}; only DEBUG QUICKLIST-PACKED-THRESHOLD changes it.
   */
  private static volatile long packedThreshold = DEFAULT_PACKED_THRESHOLD;

  /**
   * DEBUG QUICKLIST-PACKED-THRESHOLD: sets the size from which an element gets a plain node; 0
   * restores 1 GiB. Returns false (and changes nothing) above 4 GiB - 1 MiB, {@code bytes} read as
   * unsigned.
   */
  public static boolean setPackedThreshold(long bytes) {
    if (Long.compareUnsigned(bytes, (1L << 32) - (1L << 20)) > 0) return false;
    packedThreshold = bytes == 0 ? DEFAULT_PACKED_THRESHOLD : bytes;
    return true;
  }

  private static boolean isLarge(long size) {
    return size >= packedThreshold;
  }

  /** One node: a listpack's entries in {@code buf[start, end)}, or one plain element. */
  static final class Node {
    byte[] buf;
    int start;
    int end;
    int count;
    boolean plain;
    Node prev;
    Node next;

    /** Redis's node->sz: the listpack's bytes (header and end byte included), or the element's. */
    long sz() {
      return plain ? end - start : (long) (end - start) + Listpack.EMPTY_SIZE;
    }

    long memory() {
      return NODE_BYTES + Entries.arrayBytes(buf.length);
    }
  }

  private Node head;
  private Node tail;
  private long count;
  private int nodes;
  private final int fill;
  private final int compress;
  private long memory = BASE_BYTES;

  /**
   * An empty list whose nodes follow {@code fill} (list-max-listpack-size) and that reports {@code
   * compress} (list-compress-depth); both are clamped as Redis clamps them.
   */
  public ListValue(int fill, int compress) {
    this.fill = Math.max(FILL_MIN, Math.min(FILL_MAX, fill));
    this.compress = Math.max(0, Math.min(COMPRESS_MAX, compress));
  }

  // ---- sizes and identity

  /** Number of elements. */
  public long size() {
    return count;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  /** Number of nodes (DEBUG OBJECT's ql_nodes). */
  public int nodeCount() {
    return nodes;
  }

  /** The fill this list was created with (ql_listpack_max). */
  public int fill() {
    return fill;
  }

  /** The compress depth this list was created with. */
  public int compressDepth() {
    return compress;
  }

  @Override
  public String encodingName() {
    return "quicklist";
  }

  @Override
  public long memoryUsage() {
    return memory;
  }

  /** Sum of the nodes' listpack sizes (ql_uncompressed_size). */
  public long packedBytes() {
    long n = 0;
    for (Node x = head; x != null; x = x.next) n += x.sz();
    return n;
  }

  /**
   * The quicklist fields DEBUG OBJECT appends, as Redis prints them, each after a space: ql_nodes,
   * ql_avg_node (two decimals), ql_listpack_max, ql_compressed (0 or 1) and ql_uncompressed_size.
   */
  @Override
  public String debugObjectFields() {
    double avg = nodes == 0 ? 0 : (double) count / nodes;
    // C's %.2f rounds the double's exact value half to even; String.format would round half up.
    return " ql_nodes:"
        + nodes
        + " ql_avg_node:"
        + new BigDecimal(avg).setScale(2, RoundingMode.HALF_EVEN).toPlainString()
        + " ql_listpack_max:"
        + fill
        + " ql_compressed:"
        + (compress != 0 ? 1 : 0)
        + " ql_uncompressed_size:"
        + packedBytes();
  }

  // ---- push and pop

  /** LPUSH of one element. */
  public void pushHead(byte[] v) {
    if (isLarge(v.length)) {
      linkNode(head, plainNode(v), false);
      count++;
      return;
    }
    if (allowInsert(head, v.length)) {
      prependEntry(head, v);
    } else {
      linkNode(head, packedNode(v), false);
    }
    count++;
  }

  /** RPUSH of one element. */
  public void pushTail(byte[] v) {
    if (isLarge(v.length)) {
      linkNode(tail, plainNode(v), true);
      count++;
      return;
    }
    if (allowInsert(tail, v.length)) {
      appendEntry(tail, v);
    } else {
      linkNode(tail, packedNode(v), true);
    }
    count++;
  }

  /** Removes and returns the first element, or null when empty. */
  public byte[] popHead() {
    Node n = head;
    if (n == null) return null;
    byte[] v = n.plain ? plainValue(n) : Listpack.elementAt(n.buf, n.start);
    removeEntry(n, n.start, true);
    return v;
  }

  /** Removes and returns the last element, or null when empty. */
  public byte[] popTail() {
    Node n = tail;
    if (n == null) return null;
    int p = n.plain ? n.start : Listpack.entryBefore(n.buf, n.end);
    byte[] v = n.plain ? plainValue(n) : Listpack.elementAt(n.buf, p);
    removeEntry(n, p, true);
    return v;
  }

  private static byte[] plainValue(Node n) {
    return n.start == 0 && n.end == n.buf.length
        ? n.buf
        : Arrays.copyOfRange(n.buf, n.start, n.end);
  }

  // ---- access by index

  /** The element at {@code index} (negative from the tail), or null when out of range. */
  public byte[] get(long index) {
    Cursor c = cursor(index, true);
    return c.next() ? c.element() : null;
  }

  /**
   * A cursor whose first {@link Cursor#next} gives the element at {@code index} (negative counts
   * from the tail, -1 the last), then moves towards the tail ({@code forward}) or the head. Out of
   * range, it gives nothing.
   */
  public Cursor cursor(long index, boolean forward) {
    Cursor c = new Cursor(forward);
    long g = index >= 0 ? index : count + index; // position from the head
    if (g < 0 || g >= count) return c;
    Node n;
    if (g <= (count - 1) / 2) {
      long before = 0;
      n = head;
      while (before + n.count <= g) {
        before += n.count;
        n = n.next;
      }
      c.index = (int) (g - before);
    } else {
      long fromTail = count - 1 - g;
      long after = 0;
      n = tail;
      while (after + n.count <= fromTail) {
        after += n.count;
        n = n.prev;
      }
      c.index = (int) (n.count - 1 - (fromTail - after));
    }
    c.node = n;
    return c;
  }

  /**
   * LSET: replaces the element at {@code index}, as quicklistReplaceAtIndex (a small element
   * replaces in place, whatever the node's size; an element past the packed threshold gets a plain
   * node). Returns false when the index is out of range.
   */
  public boolean set(long index, byte[] v) {
    Cursor c = cursor(index, true);
    if (!c.next()) return false;
    Node n = c.node;
    if (!n.plain && !isLarge(v.length) && fitsInArray(n, Listpack.entrySize(v))) {
      replaceEntry(n, c.pos, v);
    } else if (n.plain) {
      if (isLarge(v.length)) {
        replaceArray(n, v, 0, v.length);
      } else {
        insert(c, v, true);
        unlinkNode(n);
      }
    } else {
      insert(c, v, true);
      if (n.count == 1) {
        unlinkNode(n);
      } else {
        removeEntry(n, Listpack.entryBefore(n.buf, n.end), true);
      }
    }
    return true;
  }

  private static boolean fitsInArray(Node n, int add) {
    return (long) (n.end - n.start) + add + Listpack.EMPTY_SIZE <= MAX_ARRAY;
  }

  // ---- ranges

  /**
   * Deletes {@code num} elements from {@code start} (negative from the tail), as quicklistDelRange:
   * the range is clipped to the list. Returns whether anything was deleted.
   */
  public boolean deleteRange(long start, long num) {
    if (num <= 0) return false;
    long extent = num;
    if (start >= 0 && extent > count - start) {
      extent = count - start;
    } else if (start < 0 && extent > -start) {
      extent = -start;
    }
    Cursor c = cursor(start, true);
    if (c.node == null) return false;
    Node n = c.node;
    long offset = c.index;
    while (extent > 0 && n != null) {
      Node next = n.next;
      long del;
      if (offset == 0 && extent >= n.count) {
        del = n.count;
        unlinkNode(n);
      } else {
        del = offset + extent >= n.count ? n.count - offset : extent;
        deleteInNode(n, (int) offset, (int) del);
      }
      extent -= del;
      n = next;
      offset = 0;
    }
    return true;
  }

  /** Deletes {@code del} entries of a packed node from its {@code offset}-th. */
  private void deleteInNode(Node n, int offset, int del) {
    if (n.plain) {
      unlinkNode(n);
      return;
    }
    int from = seekInNode(n, offset);
    int to = from;
    for (int i = 0; i < del; i++) to += Listpack.entrySizeAt(n.buf, to);
    cut(n, from, to);
    n.count -= del;
    count -= del;
    if (n.count == 0) {
      unlinkNode(n);
    } else {
      shrinkIfSparse(n);
    }
  }

  // ---- insertion in the middle

  /**
   * LINSERT: inserts {@code v} before or {@code after} the element the cursor just returned, by
   * quicklist's rules (into the node when it has room, else into a neighbour that has, else a new
   * node, else by splitting the node and merging around it). The cursor is spent afterwards.
   */
  public void insert(Cursor at, byte[] v, boolean after) {
    Node node = at.node;
    int offset = at.index;
    int pos = at.pos;
    at.node = null; // an insert invalidates the cursor, as in Redis
    boolean full = !allowInsert(node, v.length);
    boolean atTail = after && offset == node.count - 1;
    boolean atHead = !after && offset == 0;
    boolean availNext = atTail && allowInsert(node.next, v.length);
    boolean availPrev = atHead && allowInsert(node.prev, v.length);

    if (isLarge(v.length)) {
      if (node.plain || atTail || atHead) {
        linkNode(node, plainNode(v), after);
      } else {
        Node split = splitNode(node, offset, pos, after);
        Node plainNode = plainNode(v);
        linkNode(node, plainNode, after);
        linkNode(plainNode, split, after);
      }
      count++;
      return;
    }

    if (!full) {
      int at2 = after ? pos + Listpack.entrySizeAt(node.buf, pos) : pos;
      insertEntryAt(node, at2, v);
    } else if (atTail && availNext) {
      prependEntry(node.next, v);
    } else if (atHead && availPrev) {
      appendEntry(node.prev, v);
    } else if (atTail || atHead) {
      linkNode(node, packedNode(v), after);
    } else {
      Node split = splitNode(node, offset, pos, after);
      if (after) {
        prependEntry(split, v);
      } else {
        appendEntry(split, v);
      }
      linkNode(node, split, after);
      mergeAround(node);
    }
    count++;
  }

  /**
   * Splits {@code node} around its {@code offset}-th entry (at byte {@code pos}): with {@code
   * after}, the node keeps [0, offset] and the returned node gets the rest; without, the returned
   * node gets [0, offset) and the node keeps the rest. The new node is not linked.
   */
  private Node splitNode(Node node, int offset, int pos, boolean after) {
    int cutAt = after ? pos + Listpack.entrySizeAt(node.buf, pos) : pos;
    Node fresh;
    if (after) {
      fresh = packedNodeFrom(node.buf, cutAt, node.end, node.count - offset - 1);
      node.end = cutAt;
      node.count = offset + 1;
    } else {
      fresh = packedNodeFrom(node.buf, node.start, cutAt, offset);
      node.start = cutAt;
      node.count -= offset;
    }
    shrinkIfSparse(node);
    return fresh;
  }

  /** An unlinked packed node holding a copy of the {@code n} entries in {@code src[from, to)}. */
  private static Node packedNodeFrom(byte[] src, int from, int to, int n) {
    int len = to - from;
    int cap = (int) Math.min(MAX_ARRAY, len + Math.min(len >>> 1, 32768) + 16L);
    Node fresh = new Node();
    fresh.buf = new byte[cap];
    fresh.start = (cap - len) / 2;
    fresh.end = fresh.start + len;
    fresh.count = n;
    System.arraycopy(src, from, fresh.buf, fresh.start, len);
    return fresh;
  }

  /** Merges nodes around {@code center} where the fill allows, as _quicklistMergeNodes. */
  private void mergeAround(Node center) {
    Node prev = center.prev;
    Node prevPrev = prev == null ? null : prev.prev;
    Node next = center.next;
    Node nextNext = next == null ? null : next.next;
    if (allowMerge(prev, prevPrev)) merge(prevPrev, prev);
    if (allowMerge(next, nextNext)) merge(next, nextNext);
    Node target;
    if (allowMerge(center, center.prev)) {
      target = merge(center.prev, center);
    } else {
      target = center;
    }
    if (allowMerge(target, target.next)) merge(target, target.next);
  }

  /** Appends {@code b}'s entries to {@code a} (its left neighbour) and drops {@code b}. */
  private Node merge(Node a, Node b) {
    int add = b.end - b.start;
    makeRoomAtEnd(a, add);
    System.arraycopy(b.buf, b.start, a.buf, a.end, add);
    a.end += add;
    int moved = b.count;
    b.count = 0;
    unlinkNode(b);
    a.count += moved;
    return a;
  }

  // ---- search

  /**
   * LREM: removes up to {@code max} elements equal to {@code v} (all when 0), from the head when
   * {@code fromHead}, else from the tail. Returns how many were removed.
   */
  public long remove(byte[] v, long max, boolean fromHead) {
    Cursor c = cursor(fromHead ? 0 : -1, fromHead);
    long removed = 0;
    while (c.next()) {
      if (c.matches(v)) {
        c.remove();
        removed++;
        if (max != 0 && removed == max) break;
      }
    }
    return removed;
  }

  // ---- node plumbing

  private boolean allowInsert(Node n, long sz) {
    if (n == null || n.plain || isLarge(sz)) return false;
    long newSz = n.sz() + sz + SIZE_ESTIMATE_OVERHEAD;
    if (fill < 0) return newSz <= OPTIMIZATION_LEVEL[-fill - 1];
    return newSz <= SIZE_SAFETY_LIMIT && n.count < fill;
  }

  private boolean allowMerge(Node a, Node b) {
    if (a == null || b == null || a.plain || b.plain) return false;
    long mergeSz = a.sz() + b.sz() - 11;
    if (fill < 0) return mergeSz <= OPTIMIZATION_LEVEL[-fill - 1];
    return mergeSz <= SIZE_SAFETY_LIMIT && (long) a.count + b.count <= fill;
  }

  private Node plainNode(byte[] v) {
    Node n = new Node();
    n.plain = true;
    n.buf = v;
    n.start = 0;
    n.end = v.length;
    n.count = 1;
    return n;
  }

  private Node packedNode(byte[] v) {
    Node n = new Node();
    int size = Listpack.entrySize(v);
    int cap = (int) Math.min(MAX_ARRAY, size + Math.min(size, 32768) + 16L);
    n.buf = new byte[cap];
    n.start = (cap - size) / 2;
    n.end = Listpack.write(n.buf, n.start, v);
    n.count = 1;
    return n;
  }

  /** Links {@code fresh} after (or before) {@code old}; null {@code old} for an empty list. */
  private void linkNode(Node old, Node fresh, boolean after) {
    if (old == null) {
      head = tail = fresh;
    } else if (after) {
      fresh.prev = old;
      fresh.next = old.next;
      if (old.next != null) old.next.prev = fresh;
      old.next = fresh;
      if (tail == old) tail = fresh;
    } else {
      fresh.next = old;
      fresh.prev = old.prev;
      if (old.prev != null) old.prev.next = fresh;
      old.prev = fresh;
      if (head == old) head = fresh;
    }
    nodes++;
    memory += fresh.memory();
  }

  /** Removes a node and its elements from the list. */
  private void unlinkNode(Node n) {
    if (n.next != null) n.next.prev = n.prev;
    if (n.prev != null) n.prev.next = n.next;
    if (n == tail) tail = n.prev;
    if (n == head) head = n.next;
    n.prev = n.next = null;
    nodes--;
    count -= n.count;
    memory -= n.memory();
  }

  private void prependEntry(Node n, byte[] v) {
    int size = Listpack.entrySize(v);
    makeRoomAtStart(n, size);
    n.start -= size;
    Listpack.write(n.buf, n.start, v);
    n.count++;
  }

  private void appendEntry(Node n, byte[] v) {
    int size = Listpack.entrySize(v);
    makeRoomAtEnd(n, size);
    n.end = Listpack.write(n.buf, n.end, v);
    n.count++;
  }

  /** Writes a new entry at byte {@code p} of a packed node, moving the shorter side aside. */
  private void insertEntryAt(Node n, int p, byte[] v) {
    int size = Listpack.entrySize(v);
    int left = p - n.start;
    int right = n.end - p;
    if (left < right && n.start >= size) {
      System.arraycopy(n.buf, n.start, n.buf, n.start - size, left);
      n.start -= size;
      Listpack.write(n.buf, p - size, v);
    } else {
      int rel = p - n.start;
      makeRoomAtEnd(n, size);
      p = n.start + rel;
      System.arraycopy(n.buf, p, n.buf, p + size, n.end - p);
      n.end += size;
      Listpack.write(n.buf, p, v);
    }
    n.count++;
  }

  /** Replaces the entry at byte {@code p} of a packed node by one for {@code v}. */
  private void replaceEntry(Node n, int p, byte[] v) {
    int oldSize = Listpack.entrySizeAt(n.buf, p);
    int newSize = Listpack.entrySize(v);
    int delta = newSize - oldSize;
    if (delta > 0) {
      int rel = p - n.start;
      makeRoomAtEnd(n, delta);
      p = n.start + rel;
    }
    if (delta != 0) {
      System.arraycopy(n.buf, p + oldSize, n.buf, p + newSize, n.end - p - oldSize);
      n.end += delta;
    }
    Listpack.write(n.buf, p, v);
    if (delta < 0) shrinkIfSparse(n);
  }

  /**
   * Removes the entry at byte {@code p} of node {@code n} (the node itself when it was its last
   * entry, or a plain node). Returns the byte position of the entry that followed, after any
   * compaction, or -1 when the node is gone.
   */
  private int removeEntry(Node n, int p, boolean mayShrink) {
    if (n.plain) {
      unlinkNode(n);
      return -1;
    }
    int next = cut(n, p, p + Listpack.entrySizeAt(n.buf, p));
    n.count--;
    count--;
    if (n.count == 0) {
      n.count = 0;
      unlinkNode(n);
      return -1;
    }
    if (mayShrink) {
      int rel = next - n.start;
      shrinkIfSparse(n);
      next = n.start + rel;
    }
    return next;
  }

  /**
   * Removes bytes [from, to) of a node's data, closing the gap from the shorter side. Returns where
   * the byte that was at {@code to} now is.
   */
  private static int cut(Node n, int from, int to) {
    int gap = to - from;
    if (from - n.start < n.end - to) {
      System.arraycopy(n.buf, n.start, n.buf, n.start + gap, from - n.start);
      n.start += gap;
      return to;
    }
    System.arraycopy(n.buf, to, n.buf, from, n.end - to);
    n.end -= gap;
    return from;
  }

  /** The byte position of the {@code offset}-th entry of a packed node (from the nearer end). */
  static int seekInNode(Node n, int offset) {
    if (n.plain) return n.start;
    if (offset <= n.count / 2) {
      int p = n.start;
      for (int i = 0; i < offset; i++) p += Listpack.entrySizeAt(n.buf, p);
      return p;
    }
    int p = n.end;
    for (int i = n.count; i > offset; i--) p = Listpack.entryBefore(n.buf, p);
    return p;
  }

  private void makeRoomAtStart(Node n, int need) {
    if (n.start >= need) return;
    relocate(n, need, true);
  }

  private void makeRoomAtEnd(Node n, int need) {
    if (n.buf.length - n.end >= need) return;
    relocate(n, need, false);
  }

  /**
   * Gives a node {@code need} free bytes before ({@code atStart}) or after its data: by moving the
   * data within its array when at least an eighth of the data's size is spare besides, else in a
   * larger array with a quarter spare. The spare room ends up on both sides, so that pushes at
   * either end stay amortized O(1) (a node of at most a few KiB is copied after every sixteenth of
   * its size pushed); a small list costs about what Redis's exactly reallocated listpack does.
   */
  private void relocate(Node n, int need, boolean atStart) {
    int used = n.end - n.start;
    long free = (long) n.buf.length - used;
    byte[] target = n.buf;
    if (free < need + (used >>> 3)) {
      long cap = used + (long) need + Math.min(used >>> 2, 32768) + 16;
      if (cap > MAX_ARRAY) cap = Math.max((long) used + need, MAX_ARRAY);
      if (cap > MAX_ARRAY) throw new IllegalStateException("list node too large");
      target = new byte[(int) cap];
      free = cap - used;
    }
    int newStart = (int) ((free - need) / 2) + (atStart ? need : 0);
    System.arraycopy(n.buf, n.start, target, newStart, used);
    replaceArray(n, target, newStart, used);
  }

  /** Points a node at a new array holding its data from {@code start}; memory follows. */
  private void replaceArray(Node n, byte[] target, int start, int used) {
    if (target != n.buf) {
      long before = n.memory();
      n.buf = target;
      // A node being built (split off, not linked yet) is counted when it is linked.
      if (n == head || n.prev != null) memory += n.memory() - before;
    }
    n.start = start;
    n.end = start + used;
  }

  /** Gives back memory when a node's array is mostly empty. */
  private void shrinkIfSparse(Node n) {
    int used = n.end - n.start;
    if (n.buf.length <= 256 || n.buf.length <= 2 * used + 64) return;
    int cap = used + Math.min(used >>> 1, 32768) + 16;
    byte[] b = new byte[cap];
    int start = (cap - used) / 2;
    System.arraycopy(n.buf, n.start, b, start, used);
    replaceArray(n, b, start, used);
  }

  // ---- self-checks (tests)

  /**
   * Checks the structure against its bookkeeping and returns the heap bytes recomputed from
   * scratch: links both ways, node and element counts, every entry well formed, no empty node,
   * plain nodes holding one element. Throws {@link IllegalStateException} on the first flaw.
   */
  long verify() {
    long elements = 0;
    long bytes = BASE_BYTES;
    int n = 0;
    Node prev = null;
    for (Node x = head; x != null; x = x.next) {
      if (x.prev != prev) throw new IllegalStateException("broken prev link at node " + n);
      if (x.count <= 0) throw new IllegalStateException("empty node " + n);
      if (x.plain) {
        if (x.count != 1) throw new IllegalStateException("plain node with " + x.count);
      } else {
        long counted = Listpack.validateEntries(x.buf, x.start, x.end);
        if (counted != x.count) {
          throw new IllegalStateException("node " + n + " says " + x.count + ", has " + counted);
        }
      }
      elements += x.count;
      bytes += x.memory();
      prev = x;
      n++;
    }
    if (prev != tail) throw new IllegalStateException("tail is not the last node");
    if (n != nodes) throw new IllegalStateException(nodes + " nodes counted as " + n);
    if (elements != count)
      throw new IllegalStateException(count + " elements counted as " + elements);
    return bytes;
  }

  // ---- cursor

  /**
   * A position in the list that yields elements one by one towards the tail or the head, and
   * exposes the current one without copying. {@link #remove()} deletes the current element and
   * keeps the cursor usable (LREM); any other change to the list spends it.
   */
  public final class Cursor {
    private final boolean forward;
    private Node node;

    /** Offset of the current (or, before the first next(), the first) element within node. */
    private int index;

    /** Byte position of the current element, or -1 before it is positioned in node. */
    private int pos = -1;

    /** Set by remove(): the next element is at {@link #pos} already. */
    private boolean ready;

    private Cursor(boolean forward) {
      this.forward = forward;
    }

    /** Moves to the next element; false when there is none. */
    public boolean next() {
      while (node != null) {
        if (ready) {
          ready = false;
          return true;
        }
        if (pos < 0) {
          pos = seekInNode(node, index);
          return true;
        }
        if (!node.plain) {
          if (forward) {
            int p = pos + Listpack.entrySizeAt(node.buf, pos);
            if (p < node.end) {
              pos = p;
              index++;
              return true;
            }
          } else if (pos > node.start) {
            pos = Listpack.entryBefore(node.buf, pos);
            index--;
            return true;
          }
        }
        node = forward ? node.next : node.prev;
        pos = -1;
        index = forward || node == null ? 0 : node.count - 1;
      }
      return false;
    }

    /** Whether the current element is stored as an integer. */
    public boolean isInteger() {
      return !node.plain && Listpack.isInt(node.buf, pos);
    }

    /** The current element's value, when {@link #isInteger}. */
    public long integer() {
      return Listpack.intValue(node.buf, pos);
    }

    /** The array holding the current (non-integer) element; do not modify. */
    public byte[] array() {
      return node.buf;
    }

    /** Offset of the current (non-integer) element in {@link #array}. */
    public int offset() {
      return node.plain ? node.start : Listpack.stringOffset(node.buf, pos);
    }

    /** Length of the current (non-integer) element. */
    public int length() {
      return node.plain ? node.end - node.start : Listpack.stringLength(node.buf, pos);
    }

    /** A copy of the current element's bytes. */
    public byte[] element() {
      return node.plain ? plainValue(node) : Listpack.elementAt(node.buf, pos);
    }

    /** Whether the current element equals {@code v}. */
    public boolean matches(byte[] v) {
      if (node.plain) {
        return node.end - node.start == v.length
            && Arrays.equals(node.buf, node.start, node.end, v, 0, v.length);
      }
      return Listpack.elementEquals(node.buf, pos, v);
    }

    /** Writes the current element as a bulk string. */
    public void writeBulk(RespWriter w) {
      if (isInteger()) {
        w.bulkLong(integer());
      } else {
        w.bulk(array(), offset(), length());
      }
    }

    /** Deletes the current element; the next {@link #next} gives the one after it. */
    public void remove() {
      Node n = node;
      if (forward) {
        Node after = n.next;
        int p = removeEntry(n, pos, true);
        if (p < 0) {
          node = after;
          pos = -1;
          index = 0;
        } else if (p < n.end) {
          pos = p;
          ready = true;
        } else {
          node = after;
          pos = -1;
          index = 0;
        }
      } else {
        Node before = n.prev;
        boolean first = n.plain || pos == n.start;
        int rel = first ? 0 : Listpack.entryBefore(n.buf, pos) - n.start;
        int p = removeEntry(n, pos, true);
        if (p < 0 || first) {
          node = before;
          pos = -1;
          index = before == null ? 0 : before.count - 1;
        } else {
          pos = n.start + rel;
          index--;
          ready = true;
        }
      }
    }
  }

  // ---- whole-list operations

  @Override
  public ListValue duplicate() {
    ListValue copy = new ListValue(fill, compress);
    for (Node n = head; n != null; n = n.next) {
      Node c;
      if (n.plain) {
        c = new Node();
        c.plain = true;
        c.count = 1;
        c.buf = n.buf; // plain arrays are never written in place: sharing is safe
        c.start = n.start;
        c.end = n.end;
      } else {
        c = packedNodeFrom(n.buf, n.start, n.end, n.count);
      }
      copy.linkNode(copy.tail, c, true);
      copy.count += c.count;
    }
    return copy;
  }

  /** Adds every element, head to tail, to a DEBUG DIGEST (Redis mixes each one in order). */
  @Override
  public void digestInto(byte[] digest) {
    Cursor c = cursor(0, true);
    byte[] num = new byte[Numbers.LONG_STR_SIZE];
    while (c.next()) {
      if (c.isInteger()) {
        int len = Numbers.write(c.integer(), num, 0);
        Digest.mix(digest, num, 0, len);
      } else {
        Digest.mix(digest, c.array(), c.offset(), c.length());
      }
    }
  }

  // ---- persistence

  /** Receives the nodes of a list, head to tail. */
  @FunctionalInterface
  public interface NodeConsumer {
    /**
     * One node: {@code plain} false for a complete listpack (header, entries, end byte: what RDB's
     * QUICKLIST_2 type stores with container PACKED = 2), true for a plain node's single element
     * (container PLAIN = 1). The array is the caller's to keep.
     */
    void node(boolean plain, byte[] blob);
  }

  /** Gives each node, head to tail, as RDB writes it. */
  public void forEachNode(NodeConsumer consumer) {
    for (Node n = head; n != null; n = n.next) {
      consumer.node(n.plain, n.plain ? plainValue(n) : toListpack(n));
    }
  }

  private static byte[] toListpack(Node n) {
    int entries = n.end - n.start;
    int total = entries + Listpack.EMPTY_SIZE;
    byte[] lp = new byte[total];
    lp[0] = (byte) total;
    lp[1] = (byte) (total >>> 8);
    lp[2] = (byte) (total >>> 16);
    lp[3] = (byte) (total >>> 24);
    int numele = n.count < Listpack.NUMELE_UNKNOWN ? n.count : Listpack.NUMELE_UNKNOWN;
    lp[4] = (byte) numele;
    lp[5] = (byte) (numele >>> 8);
    System.arraycopy(n.buf, n.start, lp, Listpack.HEADER_SIZE, entries);
    lp[total - 1] = (byte) Listpack.EOF;
    return lp;
  }

  /**
   * Builds a list from the nodes of an RDB file (or from loose elements, for older formats), for
   * the persistence code. Nodes are appended as they come, as Redis's quicklistAppendListpack:
   * never re-split, so the list keeps the shape it was saved with.
   */
  public static final class Builder {
    private final ListValue list;

    /** A builder for a list with these list-max-listpack-size and list-compress-depth. */
    public Builder(int fill, int compress) {
      this.list = new ListValue(fill, compress);
    }

    /**
     * Appends a node from a complete listpack blob. Returns false, appending nothing, when the blob
     * is not a well-formed listpack (header, entries, end byte, count). An empty listpack is
     * accepted and skipped, as Redis skips it.
     */
    public boolean addListpack(byte[] lp) {
      if (lp.length < Listpack.EMPTY_SIZE || (lp[lp.length - 1] & 0xff) != Listpack.EOF)
        return false;
      long total =
          (lp[0] & 0xff) | (lp[1] & 0xff) << 8 | (lp[2] & 0xff) << 16 | (long) (lp[3] & 0xff) << 24;
      if (total != lp.length) return false;
      int numele = (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
      long n = Listpack.validateEntries(lp, Listpack.HEADER_SIZE, lp.length - 1);
      if (n < 0 || n > Integer.MAX_VALUE) return false;
      if (numele != Listpack.NUMELE_UNKNOWN && numele != n) return false;
      if (n == 0) return true;
      Node node = new Node();
      node.buf = lp;
      node.start = Listpack.HEADER_SIZE;
      node.end = lp.length - 1;
      node.count = (int) n;
      list.linkNode(list.tail, node, true);
      list.count += n;
      return true;
    }

    /** Appends a plain node holding one element. */
    public void addPlain(byte[] element) {
      Node node = list.plainNode(element);
      list.linkNode(list.tail, node, true);
      list.count++;
    }

    /** Appends one element as RPUSH would (for formats that store elements one by one). */
    public void addElement(byte[] element) {
      list.pushTail(element);
    }

    /** The list built so far (possibly empty: callers drop empty lists, as Redis does). */
    public ListValue build() {
      return list;
    }
  }
}
