package io.redstart.types.stream;

import java.util.Arrays;
import java.util.Collection;
import java.util.TreeMap;

/**
 * A consumer group of a stream (Redis's streamCG): the last delivered ID, the logical read counter
 * ({@code entries-read}, {@link #ENTRIES_READ_UNKNOWN} when unknown), the pending entries list and
 * the consumers, ordered by name bytes as Redis's radix tree orders them. Every change of the
 * group, its consumers and their pending lists goes through here, so that the stream's memory
 * account stays current.
 *
 * <p>Owned by the keyspace thread.
 */
public final class ConsumerGroup {
  /** Redis's SCG_INVALID_ENTRIES_READ. */
  public static final long ENTRIES_READ_UNKNOWN = -1;

  final StreamValue stream;
  final byte[] name;
  long lastMs;
  long lastSeq;
  long entriesRead;
  final PendingList pel = new PendingList();
  final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

  ConsumerGroup(StreamValue stream, byte[] name, StreamId lastId, long entriesRead) {
    this.stream = stream;
    this.name = name;
    this.lastMs = lastId.ms();
    this.lastSeq = lastId.seq();
    this.entriesRead = entriesRead;
  }

  public byte[] name() {
    return name;
  }

  public StreamId lastId() {
    return new StreamId(lastMs, lastSeq);
  }

  public long entriesRead() {
    return entriesRead;
  }

  /** XGROUP SETID: the last delivered ID and the read counter, as given. */
  public void setLastId(StreamId id, long entriesRead) {
    this.lastMs = id.ms();
    this.lastSeq = id.seq();
    this.entriesRead = entriesRead;
  }

  /** XCLAIM LASTID: moves the last delivered ID forward to {@code id}; false if not greater. */
  public boolean raiseLastId(StreamId id) {
    if (StreamId.compare(id.ms(), id.seq(), lastMs, lastSeq) <= 0) return false;
    lastMs = id.ms();
    lastSeq = id.seq();
    return true;
  }

  // ---- consumers

  public int consumerCount() {
    return consumers.size();
  }

  /** The consumers, by name. */
  public Collection<Consumer> consumers() {
    return consumers.values();
  }

  /** The consumer named {@code name}, or null; its seen-time is left alone. */
  public Consumer consumer(byte[] name) {
    return consumers.get(name);
  }

  /** The consumer named {@code name} with its seen-time set to {@code now}, or null. */
  public Consumer touchConsumer(byte[] name, long now) {
    Consumer c = consumers.get(name);
    if (c != null) c.seenTime = now;
    return c;
  }

  /** Creates a consumer seen at {@code now}; null when one with that name exists. */
  public Consumer createConsumer(byte[] name, long now) {
    if (consumers.containsKey(name)) return null;
    Consumer c = new Consumer(name.clone(), now);
    consumers.put(c.name, c);
    stream.groupBytes += StreamValue.consumerBytes(c.name.length);
    return c;
  }

  /**
   * Deletes a consumer and its pending messages from the group (they are not reassigned); returns
   * how many it had.
   */
  public int deleteConsumer(Consumer c) {
    int pending = c.pel.size();
    c.pel.forEach(e -> pel.remove(e.ms, e.seq));
    stream.groupBytes -= (long) pending * StreamValue.PENDING_ENTRY_BYTES;
    consumers.remove(c.name);
    stream.groupBytes -= StreamValue.consumerBytes(c.name.length);
    return pending;
  }

  // ---- pending entries

  public int pendingCount() {
    return pel.size();
  }

  public PendingEntry pending(StreamId id) {
    return pel.find(id.ms(), id.seq());
  }

  public PendingEntry firstPending() {
    return pel.first();
  }

  public PendingEntry lastPending() {
    return pel.last();
  }

  /** The first pending message at or after {@code id}, or null. */
  public PendingEntry pendingCeiling(StreamId id) {
    return pel.ceiling(id.ms(), id.seq());
  }

  /** Visits the group's pending messages in ID order; nothing may change meanwhile. */
  public void forEachPending(java.util.function.Consumer<PendingEntry> visitor) {
    pel.forEach(visitor);
  }

  /**
   * Adds a pending message owned by {@code owner} (which may be null only while building with
   * {@link #assign}); returns it, or null when the group already has one with this ID.
   */
  public PendingEntry addPending(
      StreamId id, long deliveryTime, long deliveryCount, Consumer owner) {
    PendingEntry e = new PendingEntry(id.ms(), id.seq(), deliveryTime, deliveryCount, owner);
    if (!pel.insert(e)) return null;
    if (owner != null) owner.pel.insert(e);
    stream.groupBytes += StreamValue.PENDING_ENTRY_BYTES;
    return e;
  }

  /** Gives a pending message to {@code to} (no-op when it owns it already). */
  public void assign(PendingEntry e, Consumer to) {
    if (e.consumer == to) return;
    if (e.consumer != null) e.consumer.pel.remove(e.ms, e.seq);
    to.pel.insert(e);
    e.consumer = to;
  }

  /** Sets a pending message's last delivery time and delivery count. */
  public static void setDelivery(PendingEntry e, long deliveryTime, long deliveryCount) {
    e.deliveryTime = deliveryTime;
    e.deliveryCount = deliveryCount;
  }

  /** Removes a pending message from the group and its consumer (XACK); false when absent. */
  public boolean acknowledge(StreamId id) {
    PendingEntry e = pel.remove(id.ms(), id.seq());
    if (e == null) return false;
    if (e.consumer != null) e.consumer.pel.remove(e.ms, e.seq);
    stream.groupBytes -= StreamValue.PENDING_ENTRY_BYTES;
    return true;
  }

  // ---- delivery

  /**
   * Records the delivery of entry {@code id} to {@code consumer}, as Redis's streamReplyWithRange
   * does for each entry it serves a group: the last delivered ID moves forward (updating the read
   * counter, or estimating it when unknown), and unless {@code noack} the message becomes pending
   * for {@code consumer}, delivered once at {@code now} (an entry pending for another consumer is
   * taken over and its count restarts). Returns whether the last delivered ID moved; the pending
   * entry is then {@link #pending(StreamId)}.
   */
  public boolean deliver(long ms, long seq, Consumer consumer, boolean noack, long now) {
    boolean moved = false;
    if (StreamId.compare(ms, seq, lastMs, lastSeq) > 0) {
      if (entriesRead != ENTRIES_READ_UNKNOWN && !stream.rangeHasTombstones(ms, seq, -1L, -1L)) {
        entriesRead++;
      } else if (stream.entriesAdded() != 0) {
        entriesRead = stream.estimateDistanceFromFirstEverEntry(ms, seq);
      }
      lastMs = ms;
      lastSeq = seq;
      moved = true;
    }
    if (!noack) {
      PendingEntry e = new PendingEntry(ms, seq, now, 1, consumer);
      if (pel.insert(e)) {
        consumer.pel.insert(e);
        stream.groupBytes += StreamValue.PENDING_ENTRY_BYTES;
      } else {
        PendingEntry old = pel.find(ms, seq);
        assign(old, consumer);
        old.deliveryTime = now;
        old.deliveryCount = 1;
      }
    }
    return moved;
  }
}
