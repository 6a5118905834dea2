package io.redstart.types.stream;

import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.store.Digest;
import io.redstart.store.Duplicable;
import io.redstart.store.Encoded;
import io.redstart.store.Entries;
import io.redstart.store.MemorySized;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * A stream (Redis's t_stream.c type API): entries in packed nodes, the stream's counters and its
 * consumer groups. The only way to a stream's content; handlers never see a node.
 *
 * <h2>Storage</h2>
 *
 * Entries live in nodes laid out byte for byte as Redis's stream listpacks ({@link Listpack}), each
 * holding up to {@code stream-node-max-entries} entries and {@code stream-node-max-bytes} bytes. A
 * node starts with a master entry (live count, deleted count, the field names of its first entry, a
 * 0 terminator); each entry follows as flags, the ID as deltas from the node's master ID, the field
 * count and names unless they equal the master's (flag 2), the values, and the number of elements
 * before this last one (so nodes can be walked backwards). XDEL and exact trimming only set the
 * deleted flag (1) and fix the counts; a node whose last live entry goes is dropped. Nodes are
 * indexed by their master ID in sorted parallel arrays ({@code nodes}, {@code masterMs}, {@code
 * masterSeq}) with an offset for the head, so trimming from the head and appending at the tail are
 * O(1); lookups binary-search the master IDs, as Redis seeks its radix tree. Only the tail node has
 * spare room; a node is shrunk to fit when the next one starts.
 *
 * <p>Consumer groups are kept by name in byte order; see {@link ConsumerGroup}.
 *
 * <p>Memory is accounted incrementally ({@link #memoryUsage} is O(1)): node arrays as allocated,
 * the index arrays, and fixed estimates for groups, consumers and pending entries.
 *
 * <p>Owned by the keyspace thread. A snapshot writer may read a value no one changes meanwhile (the
 * keyspace copies it with {@link #duplicate} before changing it).
 */
public final class StreamValue implements Encoded, MemorySized, Duplicable, Digest.Source {
  /** Entry flag: the entry is deleted (a tombstone). */
  static final int FLAG_DELETED = 1;

  /** Entry flag: the entry has the master entry's fields, whose names it omits. */
  static final int FLAG_SAMEFIELDS = 2;

  /** Largest total of field and value bytes of one entry, and of a node (1 GB). */
  public static final long LISTPACK_MAX_SIZE = 1L << 30;

  private static final int INITIAL_NODE_CAPACITY = 64;

  // Fixed memory estimates (bytes) of the parts that are not byte arrays.
  static final long PENDING_ENTRY_BYTES = 56;
  private static final long STREAM_BYTES = 96;
  private static final long GROUP_BYTES = 200;
  private static final long CONSUMER_BYTES = 120;

  static long consumerBytes(int nameLength) {
    return CONSUMER_BYTES + Entries.arrayBytes(nameLength);
  }

  static long groupBytes(int nameLength) {
    return GROUP_BYTES + Entries.arrayBytes(nameLength);
  }

  // ---- the node index: nodes [head, head + count) of the arrays

  private byte[][] nodes = new byte[2][];
  private long[] masterMs = new long[2];
  private long[] masterSeq = new long[2];
  private int head;
  private int count;

  // ---- counters

  private long length;
  private long lastMs;
  private long lastSeq;
  private long firstMs;
  private long firstSeq;
  private long maxDelMs;
  private long maxDelSeq;
  private long entriesAdded;

  private TreeMap<byte[], ConsumerGroup> groups;

  /** Bytes of the node arrays as allocated. */
  private long nodeBytes;

  /** Bytes of groups, consumers and pending entries (kept by {@link ConsumerGroup}). */
  long groupBytes;

  public StreamValue() {}

  // ---- the Encoded, MemorySized, Duplicable and Digest.Source contracts

  @Override
  public String encodingName() {
    return "stream";
  }

  @Override
  public long memoryUsage() {
    return STREAM_BYTES + 3 * (16 + 8L * nodes.length) + nodeBytes + groupBytes;
  }

  /** A deep copy with the same nodes, counters, groups, consumers and pending entries. */
  @Override
  public StreamValue duplicate() {
    StreamValue d = new StreamValue();
    int n = Math.max(2, count);
    d.nodes = new byte[n][];
    d.masterMs = new long[n];
    d.masterSeq = new long[n];
    for (int i = 0; i < count; i++) {
      byte[] lp = nodes[head + i];
      byte[] copy = Arrays.copyOf(lp, Listpack.totalBytes(lp));
      d.nodes[i] = copy;
      d.masterMs[i] = masterMs[head + i];
      d.masterSeq[i] = masterSeq[head + i];
      d.nodeBytes += Entries.arrayBytes(copy.length);
    }
    d.count = count;
    d.length = length;
    d.lastMs = lastMs;
    d.lastSeq = lastSeq;
    d.firstMs = firstMs;
    d.firstSeq = firstSeq;
    d.maxDelMs = maxDelMs;
    d.maxDelSeq = maxDelSeq;
    d.entriesAdded = entriesAdded;
    if (groups != null) {
      for (ConsumerGroup g : groups.values()) {
        ConsumerGroup ng = d.createGroup(g.name, g.lastId(), g.entriesRead);
        g.pel.forEach(e -> ng.addPending(e.id(), e.deliveryTime, e.deliveryCount, null));
        for (Consumer c : g.consumers.values()) {
          Consumer nc = ng.createConsumer(c.name, c.seenTime);
          c.pel.forEach(e -> ng.assign(ng.pel.find(e.ms, e.seq), nc));
        }
      }
    }
    return d;
  }

  /**
   * Redis's xorObjectDigest of a stream: for each live entry, "ms.seq", then each field and value
   * (integers as their decimal text) are mixed in. Consumer groups do not count.
   */
  @Override
  public void digestInto(byte[] digest) {
    Cursor cur = cursor(null, null, false);
    while (cur.next()) {
      Digest.mix(
          digest,
          (Long.toUnsignedString(cur.ms) + "." + Long.toUnsignedString(cur.seq))
              .getBytes(StandardCharsets.US_ASCII));
      int nf = cur.fieldCount();
      for (int i = 0; i < nf; i++) {
        Digest.mix(digest, cur.field(i));
        Digest.mix(digest, cur.value(i));
      }
    }
  }

  // ---- counters

  /** Number of live entries. */
  public long length() {
    return length;
  }

  /** The last ID added (or set by XSETID); 0-0 for a stream that never had one. */
  public StreamId lastId() {
    return new StreamId(lastMs, lastSeq);
  }

  /** Whether the last ID is the largest possible, so that nothing can be added. */
  public boolean lastIdIsMax() {
    return lastMs == -1L && lastSeq == -1L;
  }

  /** The first live entry's ID as recorded (0-0 when empty). */
  public StreamId firstId() {
    return new StreamId(firstMs, firstSeq);
  }

  /** The largest ID ever deleted (0-0 if none). */
  public StreamId maxDeletedId() {
    return new StreamId(maxDelMs, maxDelSeq);
  }

  /** How many entries were ever added. */
  public long entriesAdded() {
    return entriesAdded;
  }

  /** Number of nodes (XINFO STREAM's radix-tree-keys). */
  public int nodeCount() {
    return count;
  }

  /**
   * XSETID: sets the last ID, and, when given, the count of entries ever added ({@code entriesAdded
   * >= 0}) and the largest deleted ID (a non-zero one). The caller has checked them.
   */
  public void setIds(StreamId last, long entriesAdded, StreamId maxDeleted) {
    lastMs = last.ms();
    lastSeq = last.seq();
    if (entriesAdded >= 0) this.entriesAdded = entriesAdded;
    if (maxDeleted != null && !maxDeleted.isZero()) {
      maxDelMs = maxDeleted.ms();
      maxDelSeq = maxDeleted.seq();
    }
  }

  // ---- appending

  /** {@link #append} succeeded; the new ID is {@link #lastId}. */
  public static final int ADDED = 0;

  /** The ID is not greater than the last one (Redis's EDOM). */
  public static final int ID_TOO_SMALL = 1;

  /** The fields and values exceed {@link #LISTPACK_MAX_SIZE} (Redis's ERANGE). */
  public static final int TOO_LARGE = 2;

  /** "ms-*" named the last ID's millisecond, whose sequence is exhausted. */
  public static final int SEQUENCE_EXHAUSTED = 3;

  /**
   * Adds an entry (Redis's streamAppendItem): fields and values are {@code argv[from, from + 2 *
   * numFields)}, interleaved. The ID is {@code id} as given when {@code seqGiven}; "ms-*" ({@code
   * seqGiven} false) takes the next sequence in the last ID's millisecond, or 0 in a new one; null
   * generates one from {@code nowMs}, never going back: the last ID's millisecond with the sequence
   * plus one when the clock is behind it. Returns {@link #ADDED} or why not.
   *
   * @param nodeMaxBytes stream-node-max-bytes (0: no limit but 1 GB)
   * @param nodeMaxEntries stream-node-max-entries (0: no limit)
   */
  public int append(
      byte[][] argv,
      int from,
      int numFields,
      StreamId id,
      boolean seqGiven,
      long nowMs,
      long nodeMaxBytes,
      long nodeMaxEntries) {
    long ms;
    long seq;
    if (id != null) {
      if (seqGiven) {
        ms = id.ms();
        seq = id.seq();
      } else if (lastMs == id.ms()) {
        if (lastSeq == -1L) return SEQUENCE_EXHAUSTED;
        ms = lastMs;
        seq = lastSeq + 1;
      } else {
        ms = id.ms();
        seq = id.seq();
      }
    } else if (Long.compareUnsigned(nowMs, lastMs) > 0) {
      ms = nowMs;
      seq = 0;
    } else if (lastSeq != -1L) {
      ms = lastMs;
      seq = lastSeq + 1;
    } else if (lastMs != -1L) {
      ms = lastMs + 1;
      seq = 0;
    } else {
      ms = 0; // the increment wraps to 0-0, refused below
      seq = 0;
    }
    if (StreamId.compare(ms, seq, lastMs, lastSeq) <= 0) return ID_TOO_SMALL;
    long total = 0;
    for (int i = 0; i < numFields * 2; i++) total += argv[from + i].length;
    if (total > LISTPACK_MAX_SIZE) return TOO_LARGE;

    byte[] lp = count > 0 ? nodes[head + count - 1] : null;
    if (lp != null) {
      long maxBytes = nodeMaxBytes;
      if (maxBytes <= 0 || maxBytes > LISTPACK_MAX_SIZE) maxBytes = LISTPACK_MAX_SIZE;
      boolean full = false;
      if (Listpack.totalBytes(lp) + total >= maxBytes) {
        full = true;
      } else if (nodeMaxEntries != 0) {
        int p = Listpack.first(lp);
        long entries = Listpack.integer(lp, p, 0) + Listpack.integer(lp, Listpack.next(lp, p), 0);
        if (entries >= nodeMaxEntries) full = true;
      }
      if (full) {
        shrinkTail();
        lp = null;
      }
    }
    int flags;
    long mms;
    long mseq;
    int tail;
    if (lp == null) {
      mms = ms;
      mseq = seq;
      long masterSize =
          Listpack.intEntrySize(1)
              + Listpack.intEntrySize(0)
              + Listpack.intEntrySize(numFields)
              + Listpack.intEntrySize(0);
      for (int i = 0; i < numFields; i++) {
        byte[] f = argv[from + 2 * i];
        masterSize += Listpack.entrySize(f, 0, f.length);
      }
      lp = Listpack.create(INITIAL_NODE_CAPACITY);
      int p = Listpack.appendPosition(lp);
      lp = ensure(lp, (int) masterSize);
      p = Listpack.writeInt(lp, p, 1);
      p = Listpack.writeInt(lp, p, 0);
      p = Listpack.writeInt(lp, p, numFields);
      for (int i = 0; i < numFields; i++) {
        byte[] f = argv[from + 2 * i];
        p = Listpack.writeBytes(lp, p, f, 0, f.length);
      }
      p = Listpack.writeInt(lp, p, 0);
      Listpack.finishAppend(lp, p, 4 + numFields);
      addNode(lp, ms, seq);
      tail = head + count - 1;
      flags = FLAG_SAMEFIELDS;
    } else {
      tail = head + count - 1;
      mms = masterMs[tail];
      mseq = masterSeq[tail];
      int p = Listpack.first(lp);
      long live = Listpack.integer(lp, p, 0);
      byte[] grown = Listpack.replaceInt(lp, p, live + 1);
      if (grown != lp) setNode(tail, grown);
      lp = grown;
      p = Listpack.next(lp, Listpack.first(lp)); // deleted count
      p = Listpack.next(lp, p); // master field count
      long masterFields = Listpack.integer(lp, p, 0);
      flags = 0;
      if (masterFields == numFields) {
        int i = 0;
        for (; i < numFields; i++) {
          p = Listpack.next(lp, p);
          byte[] f = argv[from + 2 * i];
          if (!Listpack.equalsBytes(lp, p, f, 0, f.length)) break;
        }
        if (i == numFields) flags = FLAG_SAMEFIELDS;
      }
    }
    boolean same = (flags & FLAG_SAMEFIELDS) != 0;
    long size = entrySize(argv, from, numFields, flags, ms - mms, seq - mseq, same);
    int start = Listpack.appendPosition(lp);
    byte[] grown = ensure(lp, size);
    if (grown != lp) setNode(tail, grown);
    lp = grown;
    int p = start;
    p = Listpack.writeInt(lp, p, flags);
    p = Listpack.writeInt(lp, p, ms - mms);
    p = Listpack.writeInt(lp, p, seq - mseq);
    if (!same) p = Listpack.writeInt(lp, p, numFields);
    for (int i = 0; i < numFields; i++) {
      byte[] f = argv[from + 2 * i];
      byte[] v = argv[from + 2 * i + 1];
      if (!same) p = Listpack.writeBytes(lp, p, f, 0, f.length);
      p = Listpack.writeBytes(lp, p, v, 0, v.length);
    }
    long lpCount = numFields + 3 + (same ? 0 : numFields + 1);
    p = Listpack.writeInt(lp, p, lpCount);
    Listpack.finishAppend(lp, p, (int) (lpCount + 1));
    length++;
    entriesAdded++;
    lastMs = ms;
    lastSeq = seq;
    if (length == 1) {
      firstMs = ms;
      firstSeq = seq;
    }
    return ADDED;
  }

  /** Bytes an entry takes in a node. */
  private static long entrySize(
      byte[][] argv,
      int from,
      int numFields,
      int flags,
      long msDelta,
      long seqDelta,
      boolean same) {
    long size =
        Listpack.intEntrySize(flags)
            + Listpack.intEntrySize(msDelta)
            + Listpack.intEntrySize(seqDelta);
    if (!same) size += Listpack.intEntrySize(numFields);
    for (int i = 0; i < numFields; i++) {
      byte[] f = argv[from + 2 * i];
      byte[] v = argv[from + 2 * i + 1];
      if (!same) size += Listpack.entrySize(f, 0, f.length);
      size += Listpack.entrySize(v, 0, v.length);
    }
    return size + Listpack.intEntrySize(numFields + 3 + (same ? 0 : numFields + 1));
  }

  /** {@code lp}, or a copy with room for {@code more} bytes past its end (growing by doubling). */
  private static byte[] ensure(byte[] lp, long more) {
    long need = Listpack.totalBytes(lp) + more;
    if (need > Integer.MAX_VALUE - 16) throw new IllegalStateException("stream node too large");
    if (need <= lp.length) return lp;
    long cap = Math.max(need, Math.min((long) lp.length * 2, Integer.MAX_VALUE - 16));
    return Arrays.copyOf(lp, (int) cap);
  }

  private void setNode(int abs, byte[] lp) {
    nodeBytes += Entries.arrayBytes(lp.length) - Entries.arrayBytes(nodes[abs].length);
    nodes[abs] = lp;
  }

  /** Gives back the tail node's spare room (Redis's lpShrinkToFit as the next node starts). */
  private void shrinkTail() {
    int t = head + count - 1;
    byte[] lp = nodes[t];
    int used = Listpack.totalBytes(lp);
    if (used < lp.length) setNode(t, Arrays.copyOf(lp, used));
  }

  private void addNode(byte[] lp, long ms, long seq) {
    if (head + count == nodes.length) {
      if (head > 0 && count <= nodes.length / 2) {
        System.arraycopy(nodes, head, nodes, 0, count);
        System.arraycopy(masterMs, head, masterMs, 0, count);
        System.arraycopy(masterSeq, head, masterSeq, 0, count);
        Arrays.fill(nodes, count, head + count, null);
        head = 0;
      } else {
        int n = nodes.length * 2;
        nodes = Arrays.copyOf(nodes, n);
        masterMs = Arrays.copyOf(masterMs, n);
        masterSeq = Arrays.copyOf(masterSeq, n);
      }
    }
    int at = head + count;
    nodes[at] = lp;
    masterMs[at] = ms;
    masterSeq[at] = seq;
    count++;
    nodeBytes += Entries.arrayBytes(lp.length);
  }

  /** Drops node {@code i} (relative to the head). */
  private void removeNode(int i) {
    int abs = head + i;
    nodeBytes -= Entries.arrayBytes(nodes[abs].length);
    if (i == 0) {
      nodes[abs] = null;
      head++;
    } else {
      int tailLen = count - i - 1;
      System.arraycopy(nodes, abs + 1, nodes, abs, tailLen);
      System.arraycopy(masterMs, abs + 1, masterMs, abs, tailLen);
      System.arraycopy(masterSeq, abs + 1, masterSeq, abs, tailLen);
      nodes[head + count - 1] = null;
    }
    count--;
    if (count == 0) head = 0;
    if (nodes.length > 16 && count < nodes.length / 4) {
      int n = Math.max(2, count * 2);
      byte[][] nn = new byte[n][];
      long[] nm = new long[n];
      long[] ns = new long[n];
      System.arraycopy(nodes, head, nn, 0, count);
      System.arraycopy(masterMs, head, nm, 0, count);
      System.arraycopy(masterSeq, head, ns, 0, count);
      nodes = nn;
      masterMs = nm;
      masterSeq = ns;
      head = 0;
    }
  }

  /** The last node (relative index) whose master ID is not greater than the ID, or -1. */
  private int floorNode(long ms, long seq) {
    int lo = 0;
    int hi = count - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (StreamId.compare(masterMs[head + mid], masterSeq[head + mid], ms, seq) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  // ---- trimming

  /**
   * Trims from the head (Redis's streamTrim): by length ({@code minId} null: keep at most {@code
   * maxLen} entries) or by ID (drop entries below {@code minId}). With {@code approx} only whole
   * nodes go; otherwise the first node that must be kept in part has its leading entries marked
   * deleted. {@code limit} (0: none) caps the entries removed, counted by whole nodes. Returns the
   * number of entries removed.
   */
  public long trim(long maxLen, StreamId minId, boolean approx, long limit) {
    boolean byLength = minId == null;
    long deleted = 0;
    while (count > 0) {
      if (byLength && Long.compareUnsigned(length, maxLen) <= 0) break;
      byte[] lp = nodes[head];
      int p0 = Listpack.first(lp);
      long entries = Listpack.integer(lp, p0, 0);
      if (limit != 0 && deleted + entries > limit) break;
      boolean removeNode;
      long mms = masterMs[head];
      long mseq = masterSeq[head];
      if (byLength) {
        removeNode = Long.compareUnsigned(length - entries, maxLen) >= 0;
      } else {
        long[] last = lastEntryId(lp, mms, mseq);
        removeNode = StreamId.compare(last[0], last[1], minId.ms(), minId.seq()) < 0;
      }
      if (removeNode) {
        removeNode(0);
        length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;

      long deletedHere = 0;
      int p = Listpack.next(lp, p0); // deleted count
      p = Listpack.next(lp, p); // master field count
      long masterFields = Listpack.integer(lp, p, 0);
      for (long j = 0; j <= masterFields; j++) p = Listpack.next(lp, p); // fields, then the 0
      p = Listpack.next(lp, p);
      while (p >= 0) {
        int flagsPos = p;
        long flags = Listpack.integer(lp, p, 0);
        p = Listpack.next(lp, p);
        long msDelta = Listpack.integer(lp, p, 0);
        p = Listpack.next(lp, p);
        long seqDelta = Listpack.integer(lp, p, 0);
        p = Listpack.next(lp, p);
        boolean stop =
            byLength
                ? Long.compareUnsigned(length, maxLen) <= 0
                : StreamId.compare(mms + msDelta, mseq + seqDelta, minId.ms(), minId.seq()) >= 0;
        if (stop) break;
        long skip;
        if ((flags & FLAG_SAMEFIELDS) != 0) {
          skip = masterFields;
        } else {
          skip = Listpack.integer(lp, p, 0) * 2;
          p = Listpack.next(lp, p);
        }
        for (long j = 0; j < skip; j++) p = Listpack.next(lp, p);
        p = Listpack.next(lp, p); // past lp-count
        if ((flags & FLAG_DELETED) == 0) {
          Listpack.replaceInt(lp, flagsPos, flags | FLAG_DELETED); // same size: flags stay < 128
          deletedHere++;
          length--;
        }
      }
      deleted += deletedHere;
      updateCounts(head, entries - deletedHere, deletedHere);
      break;
    }
    if (length == 0) {
      firstMs = 0;
      firstSeq = 0;
    } else if (deleted != 0) {
      StreamId f = edgeId(true, true);
      firstMs = f.ms();
      firstSeq = f.seq();
    }
    return deleted;
  }

  /** Sets node {@code abs}'s live count and adds {@code moreDeleted} to its deleted count. */
  private void updateCounts(int abs, long live, long moreDeleted) {
    byte[] lp = nodes[abs];
    int p = Listpack.first(lp);
    byte[] g = Listpack.replaceInt(lp, p, live);
    p = Listpack.next(g, p);
    long marked = Listpack.integer(g, p, 0);
    g = Listpack.replaceInt(g, p, marked + moreDeleted);
    if (g != lp) setNode(abs, g);
  }

  /** The ID of a node's last entry, deleted or not (Redis's lpGetEdgeStreamID, last). */
  private static long[] lastEntryId(byte[] lp, long mms, long mseq) {
    int p = Listpack.last(lp);
    long lpCount = Listpack.integer(lp, p, 0);
    for (long j = 0; j < lpCount; j++) p = Listpack.prev(lp, p);
    p = Listpack.next(lp, p);
    long ms = mms + Listpack.integer(lp, p, 0);
    p = Listpack.next(lp, p);
    long seq = mseq + Listpack.integer(lp, p, 0);
    return new long[] {ms, seq};
  }

  // ---- deleting

  /**
   * XDEL of one ID (Redis's streamDeleteItem and the bookkeeping of xdelCommand): marks the entry
   * deleted (dropping its node when it was the node's last live one), raises the largest deleted
   * ID; the caller calls {@link #afterDeletes} once after a batch. Returns false when there is no
   * live entry with this ID.
   */
  public boolean delete(StreamId id) {
    Cursor cur = cursor(id, id, false);
    if (!cur.next()) return false;
    int abs = head + cur.node;
    byte[] lp = nodes[abs];
    Listpack.replaceInt(lp, cur.flagsPos, cur.flags | FLAG_DELETED);
    long live = Listpack.integer(lp, Listpack.first(lp), 0);
    if (live == 1) {
      removeNode(cur.node);
    } else {
      updateCounts(abs, live - 1, 1);
    }
    length--;
    if (StreamId.compare(id.ms(), id.seq(), maxDelMs, maxDelSeq) > 0) {
      maxDelMs = id.ms();
      maxDelSeq = id.seq();
    }
    return true;
  }

  /**
   * Fixes the recorded first ID after deletions: 0-0 when empty, the first live entry when the
   * first one went ({@code firstDeleted}).
   */
  public void afterDeletes(boolean firstDeleted) {
    if (length == 0) {
      firstMs = 0;
      firstSeq = 0;
    } else if (firstDeleted) {
      StreamId f = edgeId(true, true);
      firstMs = f.ms();
      firstSeq = f.seq();
    }
  }

  /** Whether a live entry has this ID (Redis's streamEntryExists). */
  public boolean exists(StreamId id) {
    return cursor(id, id, false).next();
  }

  /**
   * The first ({@code first}) or last entry's ID, tombstones included unless {@code
   * skipTombstones}; when there is none, the largest ID for the first, 0-0 for the last (Redis's
   * streamGetEdgeID).
   */
  public StreamId edgeId(boolean first, boolean skipTombstones) {
    Cursor cur = cursor(null, null, !first);
    cur.skipTombstones = skipTombstones;
    if (cur.next()) return cur.id();
    return first ? StreamId.MAX : StreamId.MIN;
  }

  // ---- consumer group arithmetic (entries-read and lag)

  /**
   * Whether deletions may lie in [start, end] (Redis's streamRangeHasTombstones; end -1,-1 is the
   * largest ID).
   */
  boolean rangeHasTombstones(long startMs, long startSeq, long endMs, long endSeq) {
    if (length == 0 || (maxDelMs == 0 && maxDelSeq == 0)) return false;
    if (StreamId.compare(firstMs, firstSeq, maxDelMs, maxDelSeq) > 0) return false;
    return StreamId.compare(startMs, startSeq, maxDelMs, maxDelSeq) <= 0
        && StreamId.compare(maxDelMs, maxDelSeq, endMs, endSeq) <= 0;
  }

  /**
   * The logical read counter of an ID (Redis's streamEstimateDistanceFromFirstEverEntry), or {@link
   * ConsumerGroup#ENTRIES_READ_UNKNOWN} when it cannot be known.
   */
  public long estimateDistanceFromFirstEverEntry(long ms, long seq) {
    if (entriesAdded == 0) return 0;
    int cmpLast = StreamId.compare(ms, seq, lastMs, lastSeq);
    if (length == 0 && cmpLast < 1) return entriesAdded;
    if (cmpLast == 0) return entriesAdded;
    if (cmpLast > 0) return ConsumerGroup.ENTRIES_READ_UNKNOWN;
    int cmpFirst = StreamId.compare(ms, seq, firstMs, firstSeq);
    boolean noDeletes = maxDelMs == 0 && maxDelSeq == 0;
    if (noDeletes || StreamId.compare(maxDelMs, maxDelSeq, firstMs, firstSeq) < 0) {
      if (cmpFirst < 0) return entriesAdded - length;
      if (cmpFirst == 0) return entriesAdded - length + 1;
    }
    return ConsumerGroup.ENTRIES_READ_UNKNOWN;
  }

  /** A group's lag (entries not yet delivered), or null when it cannot be known (XINFO). */
  public Long lag(ConsumerGroup g) {
    if (entriesAdded == 0) return 0L;
    if (g.entriesRead != ConsumerGroup.ENTRIES_READ_UNKNOWN
        && !rangeHasTombstones(g.lastMs, g.lastSeq, -1L, -1L)) {
      return entriesAdded - g.entriesRead;
    }
    long read = estimateDistanceFromFirstEverEntry(g.lastMs, g.lastSeq);
    return read == ConsumerGroup.ENTRIES_READ_UNKNOWN ? null : entriesAdded - read;
  }

  // ---- consumer groups

  public int groupCount() {
    return groups == null ? 0 : groups.size();
  }

  /** The groups, by name. */
  public Collection<ConsumerGroup> groups() {
    return groups == null ? List.of() : groups.values();
  }

  public ConsumerGroup group(byte[] name) {
    return groups == null ? null : groups.get(name);
  }

  /** Creates a group; null when one with that name exists. */
  public ConsumerGroup createGroup(byte[] name, StreamId lastId, long entriesRead) {
    if (groups == null) groups = new TreeMap<>(Arrays::compareUnsigned);
    if (groups.containsKey(name)) return null;
    ConsumerGroup g = new ConsumerGroup(this, name.clone(), lastId, entriesRead);
    groups.put(g.name, g);
    groupBytes += groupBytes(g.name.length);
    return g;
  }

  /** Destroys a group with its consumers and pending entries. */
  public void destroyGroup(ConsumerGroup g) {
    groups.remove(g.name);
    groupBytes -= groupBytes(g.name.length) + (long) g.pel.size() * PENDING_ENTRY_BYTES;
    for (Consumer c : g.consumers.values()) groupBytes -= consumerBytes(c.name.length);
  }

  // ---- radix tree shape, for XINFO

  /**
   * The number of nodes Redis's radix tree of these node keys (16-byte big-endian master IDs) has
   * (XINFO STREAM's radix-tree-nodes): a compressed radix tree with one node per run of
   * single-child positions, one per branching position and one per key end.
   */
  public long radixTreeNodes() {
    if (count == 0) return 1;
    byte[][] keys = new byte[count][];
    for (int i = 0; i < count; i++) keys[i] = key(masterMs[head + i], masterSeq[head + i]);
    return raxNodes(keys, 0, count, 0);
  }

  private static byte[] key(long ms, long seq) {
    byte[] k = new byte[16];
    for (int i = 0; i < 8; i++) {
      k[i] = (byte) (ms >>> (56 - 8 * i));
      k[8 + i] = (byte) (seq >>> (56 - 8 * i));
    }
    return k;
  }

  /** Nodes of the subtree at depth {@code d} holding the sorted keys [lo, hi). */
  private static long raxNodes(byte[][] keys, int lo, int hi, int d) {
    if (hi - lo == 1) return d == 16 ? 1 : 2;
    int l = d;
    while (l < 16 && keys[lo][l] == keys[hi - 1][l]) l++;
    long n = l > d ? 2 : 1; // a compressed run to the branching point, then the branching node
    int i = lo;
    while (i < hi) {
      int j = i + 1;
      while (j < hi && keys[j][l] == keys[i][l]) j++;
      n += raxNodes(keys, i, j, l + 1);
      i = j;
    }
    return n;
  }

  // ---- iteration

  /**
   * A cursor over the live entries with IDs in [start, end] (null: from the first, to the last),
   * forward or backward ({@code rev}), as Redis's streamIterator. The stream must not change while
   * it is used.
   */
  public Cursor cursor(StreamId start, StreamId end, boolean rev) {
    return new Cursor(start, end, rev);
  }

  /** Number of live entries in [start, end], at most {@code max} (0: no limit). */
  public long count(StreamId start, StreamId end, boolean rev, long max) {
    Cursor cur = cursor(start, end, rev);
    long n = 0;
    while ((max == 0 || n < max) && cur.next()) n++;
    return n;
  }

  /** See {@link #cursor}. Its accessors describe the entry the last {@link #next} found. */
  public final class Cursor {
    private final long startMs;
    private final long startSeq;
    private final long endMs;
    private final long endSeq;
    private final boolean rev;
    boolean skipTombstones = true;
    private boolean done;

    /** The node being read (relative index), or -1 before the first. */
    int node = -1;

    private boolean started;
    private byte[] lp;
    private long mms;
    private long mseq;
    private long masterFields;
    private int masterFieldsStart;

    /** Forward: the next entry's flags; backward: the lp-count ending the next entry. */
    private int p = -1;

    long ms;
    long seq;
    int flags;
    int flagsPos;
    private int fieldCount;

    /** First value (same fields), or first field of the field/value pairs. */
    private int elementsPos;

    private int[] fieldPos = new int[4];
    private int[] valuePos = new int[4];
    private boolean located;

    Cursor(StreamId start, StreamId end, boolean rev) {
      this.startMs = start == null ? 0 : start.ms();
      this.startSeq = start == null ? 0 : start.seq();
      this.endMs = end == null ? -1L : end.ms();
      this.endSeq = end == null ? -1L : end.seq();
      this.rev = rev;
      if (count == 0) {
        done = true;
      } else if (!rev) {
        int n = (startMs != 0 || startSeq != 0) ? floorNode(startMs, startSeq) : 0;
        node = n < 0 ? -1 : n - 1;
      } else {
        int n = (endMs != 0 || endSeq != 0) ? floorNode(endMs, endSeq) : count - 1;
        node = (n < 0 ? count - 1 : n) + 1;
      }
    }

    /** Moves to the next entry in range; false when there is none. */
    public boolean next() {
      if (done) return false;
      while (true) {
        if (!started || p < 0) {
          node += rev ? -1 : 1;
          if (node < 0 || node >= count) {
            done = true;
            return false;
          }
          enterNode();
          started = true;
          if (p < 0) continue;
        }
        if (rev) {
          long lpCount = Listpack.integer(lp, p, 0);
          if (lpCount == 0) {
            p = -1; // the master entry: this node is done
            continue;
          }
          int q = p;
          for (long j = 0; j < lpCount; j++) q = Listpack.prev(lp, q);
          parseEntry(q);
          p = Listpack.prev(lp, q);
        } else {
          int after = parseEntry(p);
          p = after;
        }
        boolean deleted = (flags & FLAG_DELETED) != 0;
        if (skipTombstones && deleted) continue;
        if (!rev) {
          if (StreamId.compare(ms, seq, startMs, startSeq) < 0) continue;
          if (StreamId.compare(ms, seq, endMs, endSeq) > 0) {
            done = true;
            return false;
          }
        } else {
          if (StreamId.compare(ms, seq, endMs, endSeq) > 0) continue;
          if (StreamId.compare(ms, seq, startMs, startSeq) < 0) {
            done = true;
            return false;
          }
        }
        located = false;
        return true;
      }
    }

    private void enterNode() {
      lp = nodes[head + node];
      mms = masterMs[head + node];
      mseq = masterSeq[head + node];
      int q = Listpack.first(lp); // live count
      q = Listpack.next(lp, q); // deleted count
      q = Listpack.next(lp, q); // master field count
      masterFields = Listpack.integer(lp, q, 0);
      q = Listpack.next(lp, q);
      masterFieldsStart = q;
      if (rev) {
        p = Listpack.last(lp);
      } else {
        for (long j = 0; j < masterFields; j++) q = Listpack.next(lp, q);
        p = Listpack.next(lp, q); // past the master's 0 terminator
      }
    }

    /**
     * Reads the entry whose flags are at {@code q}; returns where the next entry starts (or -1).
     */
    private int parseEntry(int q) {
      flagsPos = q;
      flags = (int) Listpack.integer(lp, q, 0);
      q = Listpack.next(lp, q);
      ms = mms + Listpack.integer(lp, q, 0);
      q = Listpack.next(lp, q);
      seq = mseq + Listpack.integer(lp, q, 0);
      q = Listpack.next(lp, q);
      long skip;
      if ((flags & FLAG_SAMEFIELDS) != 0) {
        fieldCount = (int) masterFields;
        skip = masterFields;
      } else {
        fieldCount = (int) Listpack.integer(lp, q, 0);
        q = Listpack.next(lp, q);
        skip = 2L * fieldCount;
      }
      elementsPos = q;
      if (rev) return -1; // the caller moves backwards by itself
      for (long j = 0; j < skip; j++) q = Listpack.next(lp, q);
      return Listpack.next(lp, q); // past lp-count
    }

    private void locate() {
      if (located) return;
      if (fieldPos.length < fieldCount) {
        fieldPos = new int[fieldCount];
        valuePos = new int[fieldCount];
      }
      boolean same = (flags & FLAG_SAMEFIELDS) != 0;
      int f = masterFieldsStart;
      int q = elementsPos;
      for (int i = 0; i < fieldCount; i++) {
        if (same) {
          fieldPos[i] = f;
          f = Listpack.next(lp, f);
        } else {
          fieldPos[i] = q;
          q = Listpack.next(lp, q);
        }
        valuePos[i] = q;
        q = Listpack.next(lp, q);
      }
      located = true;
    }

    public long ms() {
      return ms;
    }

    public long seq() {
      return seq;
    }

    public StreamId id() {
      return new StreamId(ms, seq);
    }

    /** Whether the entry is a tombstone (only seen with tombstones not skipped). */
    public boolean deleted() {
      return (flags & FLAG_DELETED) != 0;
    }

    public int fieldCount() {
      return fieldCount;
    }

    /** Field {@code i} as bytes (integers as their decimal text). */
    public byte[] field(int i) {
      locate();
      return Listpack.bytes(lp, fieldPos[i]);
    }

    /** Value {@code i} as bytes. */
    public byte[] value(int i) {
      locate();
      return Listpack.bytes(lp, valuePos[i]);
    }

    /** Writes the entry as Redis replies one: [id, [field, value, ...]]. */
    public void writeEntry(RespWriter w) {
      w.array(2);
      writeId(w, ms, seq);
      writeFields(w);
    }

    /** Writes the entry's fields and values as one flat array. */
    public void writeFields(RespWriter w) {
      locate();
      w.array(2L * fieldCount);
      for (int i = 0; i < fieldCount; i++) {
        writeElement(w, lp, fieldPos[i]);
        writeElement(w, lp, valuePos[i]);
      }
    }

    /** The fields and values interleaved (for AOF rewrites and tests). */
    public byte[][] fieldsAndValues() {
      locate();
      byte[][] out = new byte[2 * fieldCount][];
      for (int i = 0; i < fieldCount; i++) {
        out[2 * i] = Listpack.bytes(lp, fieldPos[i]);
        out[2 * i + 1] = Listpack.bytes(lp, valuePos[i]);
      }
      return out;
    }
  }

  private static void writeElement(RespWriter w, byte[] lp, int p) {
    if (Listpack.isString(lp, p)) {
      w.bulk(lp, Listpack.stringOffset(lp, p), Listpack.stringLength(lp, p));
    } else {
      w.bulkLong(Listpack.intValue(lp, p));
    }
  }

  /** Writes an ID as the bulk string "ms-seq". */
  public static void writeId(RespWriter w, long ms, long seq) {
    byte[] b = new byte[41];
    int n = writeUnsigned(ms, b, 0);
    b[n++] = '-';
    n += writeUnsigned(seq, b, n);
    w.bulk(b, 0, n);
  }

  public static void writeId(RespWriter w, StreamId id) {
    writeId(w, id.ms(), id.seq());
  }

  private static int writeUnsigned(long v, byte[] b, int off) {
    if (v >= 0) return Numbers.write(v, b, off);
    byte[] t = Long.toUnsignedString(v).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(t, 0, b, off, t.length);
    return t.length;
  }

  // ---- persistence

  /** Receives a node: its master ID and its listpack, {@code lp[0, bytes)} (not to be changed). */
  @FunctionalInterface
  public interface NodeVisitor {
    void node(StreamId master, byte[] lp, int bytes);
  }

  /**
   * Visits the nodes in ID order, as RDB_TYPE_STREAM_LISTPACKS_2 stores them: each node's master ID
   * (the radix tree key, written as 16 big-endian bytes) and its listpack, exactly Redis's bytes.
   */
  public void forEachNode(NodeVisitor visitor) {
    for (int i = 0; i < count; i++) {
      byte[] lp = nodes[head + i];
      visitor.node(
          new StreamId(masterMs[head + i], masterSeq[head + i]), lp, Listpack.totalBytes(lp));
    }
  }

  /** Receives the commands of an AOF rewrite, one at a time. */
  @FunctionalInterface
  public interface CommandSink {
    void command(byte[][] argv) throws java.io.IOException;
  }

  /**
   * Emits the commands that rebuild this stream under {@code key}, as Redis's rewriteStreamObject:
   * XADD per live entry with its ID (or {@code XADD key MAXLEN 0 0-1 x y} for an empty stream),
   * {@code XSETID key last ENTRIESADDED n MAXDELETEDID id}, then per group {@code XGROUP CREATE key
   * group last-id ENTRIESREAD n} and per consumer either its pending entries as {@code XCLAIM key
   * group consumer 0 id TIME ms RETRYCOUNT n JUSTID FORCE} or, with none, {@code XGROUP
   * CREATECONSUMER key group consumer}.
   */
  public void rewrite(byte[] key, CommandSink sink) throws java.io.IOException {
    if (length > 0) {
      Cursor cur = cursor(null, null, false);
      while (cur.next()) {
        byte[][] fv = cur.fieldsAndValues();
        byte[][] argv = new byte[3 + fv.length][];
        argv[0] = REWRITE_XADD;
        argv[1] = key;
        argv[2] = cur.id().toBytes();
        System.arraycopy(fv, 0, argv, 3, fv.length);
        sink.command(argv);
      }
    } else {
      sink.command(
          new byte[][] {
            REWRITE_XADD, key, ascii("MAXLEN"), ascii("0"), ascii("0-1"), ascii("x"), ascii("y")
          });
    }
    sink.command(
        new byte[][] {
          ascii("XSETID"),
          key,
          lastId().toBytes(),
          ascii("ENTRIESADDED"),
          Numbers.toBytes(entriesAdded),
          ascii("MAXDELETEDID"),
          maxDeletedId().toBytes()
        });
    for (ConsumerGroup g : groups()) {
      sink.command(
          new byte[][] {
            ascii("XGROUP"),
            ascii("CREATE"),
            key,
            g.name,
            g.lastId().toBytes(),
            ascii("ENTRIESREAD"),
            Numbers.toBytes(g.entriesRead)
          });
      for (Consumer c : g.consumers.values()) {
        if (c.pel.isEmpty()) {
          sink.command(
              new byte[][] {ascii("XGROUP"), ascii("CREATECONSUMER"), key, g.name, c.name});
          continue;
        }
        List<PendingEntry> pending = new ArrayList<>(c.pel.size());
        c.pel.forEach(pending::add);
        for (PendingEntry e : pending) {
          sink.command(
              new byte[][] {
                ascii("XCLAIM"),
                key,
                g.name,
                c.name,
                ascii("0"),
                e.id().toBytes(),
                ascii("TIME"),
                Numbers.toBytes(e.deliveryTime),
                ascii("RETRYCOUNT"),
                Numbers.toBytes(e.deliveryCount),
                ascii("JUSTID"),
                ascii("FORCE")
              });
        }
      }
    }
  }

  private static final byte[] REWRITE_XADD = ascii("XADD");

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Starts a stream from persisted parts (RDB or DUMP payloads): add nodes with {@link
   * Loader#addNode} or entries with {@link Loader#addEntry}, then {@link Loader#finish} with the
   * counters, then groups ({@link #createGroup}, {@link ConsumerGroup#addPending}, {@link
   * ConsumerGroup#createConsumer}, {@link ConsumerGroup#assign}) and {@link #checkGroups}.
   */
  public static Loader loader() {
    return new Loader();
  }

  /**
   * Builds a stream from persisted parts; methods throw {@link IllegalArgumentException} with
   * Redis's corruption messages when the parts are inconsistent.
   */
  public static final class Loader {
    private final StreamValue s = new StreamValue();

    private Loader() {}

    /**
     * Adds a node: {@code lp} must be a valid stream listpack (checked deeply, as Redis's
     * streamValidateListpackIntegrity) whose master ID sorts after the previous node's.
     */
    public Loader addNode(StreamId master, byte[] lp) {
      if (!validNode(lp)) {
        throw new IllegalArgumentException("Stream listpack integrity check failed.");
      }
      if (Listpack.first(lp) < 0)
        throw new IllegalArgumentException("Empty listpack inside stream");
      if (s.count > 0) {
        int last = s.head + s.count - 1;
        if (StreamId.compare(master.ms(), master.seq(), s.masterMs[last], s.masterSeq[last]) <= 0) {
          throw new IllegalArgumentException("Listpack re-added with existing key");
        }
      }
      s.addNode(
          lp.length == Listpack.totalBytes(lp) ? lp : Arrays.copyOf(lp, Listpack.totalBytes(lp)),
          master.ms(),
          master.seq());
      return this;
    }

    /**
     * Adds an entry with the default node sizes (100 entries, 4096 bytes); IDs must increase.
     * Counters are then set by {@link #finish}.
     */
    public Loader addEntry(StreamId id, byte[][] fieldsAndValues) {
      if (fieldsAndValues.length == 0 || fieldsAndValues.length % 2 != 0) {
        throw new IllegalArgumentException("a stream entry needs field and value pairs");
      }
      int r = s.append(fieldsAndValues, 0, fieldsAndValues.length / 2, id, true, 0, 4096, 100);
      if (r != ADDED) throw new IllegalArgumentException("stream entry IDs must increase: " + id);
      return this;
    }

    /**
     * Sets the counters read after the nodes and returns the stream (groups may follow). For
     * RDB_TYPE_STREAM_LISTPACKS (no first ID, deleted ID or added count) pass {@code firstId} null:
     * they are derived as Redis derives them.
     */
    public StreamValue finish(
        long length, StreamId lastId, StreamId firstId, StreamId maxDeletedId, long entriesAdded) {
      long live = 0;
      for (int i = 0; i < s.count; i++) {
        byte[] lp = s.nodes[s.head + i];
        live += Listpack.integer(lp, Listpack.first(lp), 0);
      }
      if (length != live) {
        throw new IllegalArgumentException("Stream length inconsistent with rax entries");
      }
      if (length != 0 && s.count == 0) {
        throw new IllegalArgumentException("Stream length inconsistent with rax entries");
      }
      s.length = length;
      s.lastMs = lastId.ms();
      s.lastSeq = lastId.seq();
      if (firstId == null) {
        s.maxDelMs = 0;
        s.maxDelSeq = 0;
        s.entriesAdded = length;
        StreamId f = s.edgeId(true, true);
        s.firstMs = f.ms();
        s.firstSeq = f.seq();
      } else {
        s.firstMs = firstId.ms();
        s.firstSeq = firstId.seq();
        s.maxDelMs = maxDeletedId.ms();
        s.maxDelSeq = maxDeletedId.seq();
        s.entriesAdded = entriesAdded;
      }
      return s;
    }
  }

  /**
   * After loading groups: the pending entries every consumer lists must be its group's, each group
   * pending entry must have an owner. Returns Redis's corruption message, or null.
   */
  public String checkGroups() {
    for (ConsumerGroup g : groups()) {
      List<PendingEntry> orphans = new ArrayList<>();
      g.pel.forEach(
          e -> {
            if (e.consumer == null) orphans.add(e);
          });
      if (!orphans.isEmpty()) return "Stream CG PEL entry without consumer";
    }
    return null;
  }

  /** Deep check of a stream node (listpack structure, then Redis's stream entry layout). */
  static boolean validNode(byte[] lp) {
    if (lp.length < Listpack.HEADER_SIZE + 1) return false;
    int total = Listpack.totalBytes(lp);
    if (total != lp.length || (lp[total - 1] & 0xff) != Listpack.EOF) return false;
    // Listpack structure: every element inside, each backlen consistent.
    List<Integer> elems = new ArrayList<>();
    int p = Listpack.HEADER_SIZE;
    while (p < total - 1) {
      int size;
      try {
        if ((lp[p] & 0xff) == Listpack.EOF) return false;
        int b = lp[p] & 0xff;
        if (b >= 0xF5) return false;
        int headerLen = encodingHeaderLength(b);
        if (p + headerLen > total - 1) return false;
        long enc = encodedSizeChecked(lp, p);
        if (enc < 0) return false;
        long s = enc + Listpack.backlenSize(enc);
        if (p + s > total - 1) return false;
        size = (int) s;
        // backlen must encode enc
        int q = (int) (p + s - 1);
        long val = 0;
        int shift = 0;
        int steps = 0;
        while (true) {
          int bb = lp[q] & 0xff;
          val |= (long) (bb & 127) << shift;
          if ((bb & 128) == 0) break;
          shift += 7;
          q--;
          if (++steps > 4) return false;
        }
        if (val != enc) return false;
      } catch (ArrayIndexOutOfBoundsException e) {
        return false;
      }
      elems.add(p);
      p += size;
    }
    if (p != total - 1) return false;
    int numele = Listpack.numElements(lp);
    if (numele != Listpack.NUMELE_UNKNOWN && numele != elems.size()) return false;
    // Stream layout.
    int i = 0;
    int n = elems.size();
    if (n < 4) return false;
    if (!Listpack.isInteger(lp, elems.get(i))) return false;
    long entries = Listpack.integer(lp, elems.get(i++), 0);
    if (!Listpack.isInteger(lp, elems.get(i))) return false;
    long deleted = Listpack.integer(lp, elems.get(i++), 0);
    if (!Listpack.isInteger(lp, elems.get(i))) return false;
    long masterFields = Listpack.integer(lp, elems.get(i++), 0);
    if (masterFields < 0 || i + masterFields >= n) return false;
    i += (int) masterFields;
    if (!Listpack.isInteger(lp, elems.get(i)) || Listpack.integer(lp, elems.get(i), 1) != 0) {
      return false;
    }
    i++;
    long total2 = entries + deleted;
    for (long e = 0; e < total2; e++) {
      if (i + 3 > n) return false;
      for (int k = 0; k < 3; k++) if (!Listpack.isInteger(lp, elems.get(i + k))) return false;
      long flags = Listpack.integer(lp, elems.get(i), 0);
      i += 3;
      long fields = masterFields;
      long extra = 3;
      if ((flags & FLAG_SAMEFIELDS) == 0) {
        if (i >= n || !Listpack.isInteger(lp, elems.get(i))) return false;
        fields = Listpack.integer(lp, elems.get(i++), 0);
        if (fields < 0 || i + fields > n) return false;
        i += (int) fields;
        extra += fields + 1;
      }
      if (fields < 0 || i + fields >= n) return false;
      i += (int) fields;
      if (!Listpack.isInteger(lp, elems.get(i))) return false;
      if (Listpack.integer(lp, elems.get(i++), 0) != fields + extra) return false;
    }
    return i == n;
  }

  private static int encodingHeaderLength(int b) {
    if ((b & 0x80) == 0) return 1;
    if ((b & 0xC0) == 0x80) return 1;
    if ((b & 0xE0) == 0xC0) return 2;
    if ((b & 0xF0) == 0xE0) return 2;
    return b == 0xF0 ? 5 : 1;
  }

  private static long encodedSizeChecked(byte[] lp, int p) {
    int b = lp[p] & 0xff;
    if ((b & 0x80) == 0) return 1;
    if ((b & 0xC0) == 0x80) return 1L + (b & 0x3F);
    if ((b & 0xE0) == 0xC0) return 2;
    if ((b & 0xF0) == 0xE0) return 2L + (((b & 0x0F) << 8) | (lp[p + 1] & 0xff));
    return switch (b) {
      case 0xF1 -> 3;
      case 0xF2 -> 4;
      case 0xF3 -> 5;
      case 0xF4 -> 9;
      case 0xF0 ->
          5L
              + ((lp[p + 1] & 0xffL)
                  | (lp[p + 2] & 0xffL) << 8
                  | (lp[p + 3] & 0xffL) << 16
                  | (lp[p + 4] & 0xffL) << 24);
      default -> -1;
    };
  }
}
