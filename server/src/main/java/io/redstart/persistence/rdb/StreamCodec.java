package io.redstart.persistence.rdb;

import io.redstart.resp.Numbers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams in RDB (types 15, 19 and 21), decoded into a plain model. The value is a radix tree of
 * listpack nodes keyed by their master ID, then the stream's counters and its consumer groups:
 *
 * <pre>
 * nodes      count, then per node: master ID (16-byte string: ms, seq as u64 BE) and a listpack
 *   listpack   master entry: count deleted num-fields field... 0
 *              entries:      flags ms-delta seq-delta [num-fields field...] value... lp-count
 *              flags: 1 deleted, 2 same fields as the master entry (names omitted)
 * length, last ID (ms, seq as lengths)
 * [type 19+]  first ID, max deleted ID, entries added
 * groups     count, then: name, last ID, [type 19+] entries read, global PEL (count, then 16-byte
 *            ID, delivery time (ms LE), delivery count), consumers (count, then name, seen time,
 *            [type 21] active time, PEL (count, 16-byte IDs))
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class StreamCodec {
  private StreamCodec() {}

  private static final int FLAG_DELETED = 1;
  private static final int FLAG_SAMEFIELDS = 2;

  /** A stream ID; both parts unsigned. */
  public record Id(long ms, long seq) implements Comparable<Id> {
    @Override
    public int compareTo(Id o) {
      int c = Long.compareUnsigned(ms, o.ms);
      return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    static Id decode(byte[] raw, int off) {
      long ms = 0;
      long seq = 0;
      for (int i = 0; i < 8; i++) ms = (ms << 8) | (raw[off + i] & 0xff);
      for (int i = 8; i < 16; i++) seq = (seq << 8) | (raw[off + i] & 0xff);
      return new Id(ms, seq);
    }

    public boolean isZero() {
      return ms == 0 && seq == 0;
    }

    @Override
    public String toString() {
      return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }
  }

  /** One live entry: its ID and its fields and values interleaved. */
  public record Entry(Id id, byte[][] fieldsAndValues) {}

  /** A pending entry of a group: who owns it, when it was last delivered, how often. */
  public record Nack(Id id, long deliveryTime, long deliveryCount, byte[] consumer) {}

  /** A consumer of a group and the IDs of its pending entries. */
  public record Consumer(byte[] name, long seenTime, long activeTime, List<Id> pending) {}

  /**
   * A consumer group. {@code entriesRead} is -1 when unknown (Redis's SCG_INVALID_ENTRIES_READ).
   */
  public record Group(byte[] name, Id lastId, long entriesRead, List<Nack> pel, List<Consumer> consumers) {}

  /** A node as stored: its master ID (the radix tree key) and its listpack, Redis's bytes. */
  public record Node(Id master, byte[] listpack) {}

  /**
   * A whole stream: its nodes as stored (tombstones included), and the live entries decoded from
   * them.
   */
  public record Stream(
      List<Node> nodes,
      List<Entry> entries,
      long length,
      Id lastId,
      Id firstId,
      Id maxDeletedId,
      long entriesAdded,
      List<Group> groups) {}

  /** Reads a stream value of RDB type {@code rdbType} (15, 19 or 21). */
  public static Stream read(int rdbType, RdbInput in) throws IOException, RdbException {
    long nodes = in.len();
    List<Entry> entries = new ArrayList<>();
    List<Node> nodeList = new ArrayList<>();
    Id previousMaster = null;
    for (long n = 0; n < nodes; n++) {
      byte[] key = in.string();
      if (key.length != 16) {
        throw RdbException.corrupt("Stream node key entry is not the size of a stream ID", in.position());
      }
      byte[] lp = in.string();
      Id master = Id.decode(key, 0);
      if (previousMaster != null && master.compareTo(previousMaster) <= 0) {
        throw RdbException.corrupt("Listpack re-added with existing key", in.position());
      }
      previousMaster = master;
      if (!decodeNode(lp, master, entries)) {
        throw RdbException.corrupt("Stream listpack integrity check failed.", in.position());
      }
      nodeList.add(new Node(master, lp));
    }
    long length = in.len64();
    Id lastId = new Id(in.len64(), in.len64());
    Id firstId;
    Id maxDeleted;
    long entriesAdded;
    if (rdbType >= RdbConstants.TYPE_STREAM_LISTPACKS_2) {
      firstId = new Id(in.len64(), in.len64());
      maxDeleted = new Id(in.len64(), in.len64());
      entriesAdded = in.len64();
    } else {
      maxDeleted = new Id(0, 0);
      entriesAdded = length;
      firstId = entries.isEmpty() ? new Id(-1, -1) : entries.get(0).id();
    }
    if (length != entries.size()) {
      throw RdbException.corrupt("Stream length inconsistent with rax entries", in.position());
    }
    Stream partial =
        new Stream(nodeList, entries, length, lastId, firstId, maxDeleted, entriesAdded, List.of());
    long groupCount = in.len();
    List<Group> groups = new ArrayList<>();
    Map<String, Boolean> groupNames = new HashMap<>();
    for (long g = 0; g < groupCount; g++) {
      byte[] name = in.string();
      if (groupNames.put(new String(name, java.nio.charset.StandardCharsets.ISO_8859_1), true) != null) {
        throw RdbException.corrupt("Duplicated consumer group name", in.position());
      }
      Id groupLast = new Id(in.len64(), in.len64());
      long entriesRead = rdbType >= RdbConstants.TYPE_STREAM_LISTPACKS_2
          ? in.len64()
          : estimateRead(partial, groupLast);
      long pelSize = in.len();
      Map<Id, int[]> pelIndex = new HashMap<>();
      List<Id> pelIds = new ArrayList<>();
      List<long[]> pelData = new ArrayList<>();
      byte[] raw = new byte[16];
      for (long i = 0; i < pelSize; i++) {
        in.readFully(raw, 0, 16);
        Id id = Id.decode(raw, 0);
        long time = in.millis();
        long count = in.len64();
        if (pelIndex.put(id, new int[] {pelIds.size()}) != null) {
          throw RdbException.corrupt(
              "Duplicated global PEL entry loading stream consumer group", in.position());
        }
        pelIds.add(id);
        pelData.add(new long[] {time, count});
      }
      byte[][] owners = new byte[pelIds.size()][];
      long consumerCount = in.len();
      List<Consumer> consumers = new ArrayList<>();
      Map<String, Boolean> consumerNames = new HashMap<>();
      for (long c = 0; c < consumerCount; c++) {
        byte[] cname = in.string();
        if (consumerNames.put(new String(cname, java.nio.charset.StandardCharsets.ISO_8859_1), true) != null) {
          throw RdbException.corrupt("Duplicate stream consumer detected.", in.position());
        }
        long seen = in.millis();
        long active = rdbType >= RdbConstants.TYPE_STREAM_LISTPACKS_3 ? in.millis() : seen;
        long own = in.len();
        List<Id> mine = new ArrayList<>();
        for (long i = 0; i < own; i++) {
          in.readFully(raw, 0, 16);
          Id id = Id.decode(raw, 0);
          int[] at = pelIndex.get(id);
          if (at == null) {
            throw RdbException.corrupt("Consumer entry not found in group global PEL", in.position());
          }
          if (owners[at[0]] != null) {
            throw RdbException.corrupt(
                "Duplicated consumer PEL entry  loading a stream consumer group", in.position());
          }
          owners[at[0]] = cname;
          mine.add(id);
        }
        consumers.add(new Consumer(cname, seen, active, mine));
      }
      List<Nack> pel = new ArrayList<>();
      for (int i = 0; i < pelIds.size(); i++) {
        if (owners[i] == null) {
          throw RdbException.corrupt("Stream CG PEL entry without consumer", in.position());
        }
        pel.add(new Nack(pelIds.get(i), pelData.get(i)[0], pelData.get(i)[1], owners[i]));
      }
      groups.add(new Group(name, groupLast, entriesRead, pel, consumers));
    }
    return new Stream(nodeList, entries, length, lastId, firstId, maxDeleted, entriesAdded, groups);
  }

  /** streamEstimateDistanceFromFirstEverEntry, for groups of type 15 streams. */
  private static long estimateRead(Stream s, Id id) {
    if (s.entriesAdded() == 0) return 0;
    if (s.length() == 0 && id.compareTo(s.lastId()) < 1) return s.entriesAdded();
    int cmpLast = id.compareTo(s.lastId());
    if (cmpLast == 0) return s.entriesAdded();
    if (cmpLast > 0) return -1;
    int cmpFirst = id.compareTo(s.firstId());
    int cmpXdelFirst = s.maxDeletedId().compareTo(s.firstId());
    if (s.maxDeletedId().isZero() || cmpXdelFirst < 0) {
      if (cmpFirst < 0) return s.entriesAdded() - s.length();
      if (cmpFirst == 0) return s.entriesAdded() - s.length() + 1;
    }
    return -1;
  }

  private static long intOf(Listpack.Cursor c) {
    if (c.isInt()) return c.longValue();
    byte[] a = c.array();
    if (Numbers.isLong(a, c.stringOffset(), c.stringLength())) {
      return Numbers.parseLong(a, c.stringOffset(), c.stringLength());
    }
    throw new IllegalArgumentException("not an integer");
  }

  /** Decodes one node into {@code out} (live entries only); false when malformed. */
  static boolean decodeNode(byte[] lp, Id master, List<Entry> out) {
    if (Listpack.validate(lp, true) < 0) return false;
    Listpack.Cursor c = new Listpack.Cursor(lp);
    try {
      if (!c.next()) return false; // an empty listpack inside a stream
      long count = intOf(c);
      if (!c.next()) return false;
      long deleted = intOf(c);
      if (!c.next()) return false;
      long masterFields = intOf(c);
      if (masterFields < 0 || masterFields > lp.length) return false;
      byte[][] fields = new byte[(int) masterFields][];
      for (int j = 0; j < masterFields; j++) {
        if (!c.next()) return false;
        fields[j] = c.bytes();
      }
      if (!c.next() || intOf(c) != 0) return false;
      long total = count + deleted;
      if (count < 0 || deleted < 0) return false;
      long live = 0;
      for (long e = 0; e < total; e++) {
        if (!c.next()) return false;
        long flags = intOf(c);
        if (!c.next()) return false;
        long ms = master.ms() + intOf(c);
        if (!c.next()) return false;
        long seq = master.seq() + intOf(c);
        long nf = masterFields;
        long extra = 3;
        byte[][] names = fields;
        if ((flags & FLAG_SAMEFIELDS) == 0) {
          if (!c.next()) return false;
          nf = intOf(c);
          if (nf < 0 || nf > lp.length) return false;
          names = new byte[(int) nf][];
          extra += nf + 1;
        }
        byte[][] fv = new byte[(int) nf * 2][];
        for (int j = 0; j < nf; j++) {
          if ((flags & FLAG_SAMEFIELDS) == 0) {
            if (!c.next()) return false;
            names[j] = c.bytes();
          }
          if (!c.next()) return false;
          fv[2 * j] = names[j];
          fv[2 * j + 1] = c.bytes();
        }
        if (!c.next() || intOf(c) != nf + extra) return false;
        if ((flags & FLAG_DELETED) == 0) {
          out.add(new Entry(new Id(ms, seq), fv));
          live++;
        }
      }
      if (live != count) return false;
      return !c.next();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The 16-byte node key of an ID. */
  static byte[] encodeId(Id id) {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) b[i] = (byte) (id.ms() >>> (8 * (7 - i)));
    for (int i = 0; i < 8; i++) b[8 + i] = (byte) (id.seq() >>> (8 * (7 - i)));
    return b;
  }
}
