package io.redstart.types.stream;

/**
 * A message delivered to a consumer and not yet acknowledged (Redis's streamNACK): its ID, when it
 * was last delivered (Unix ms), how many times, and to which consumer. One object is shared by the
 * group's pending list and its consumer's, as Redis shares the NACK between its two radix trees.
 *
 * <p>Owned by the keyspace thread.
 */
public final class PendingEntry {
  final long ms;
  final long seq;
  long deliveryTime;
  long deliveryCount;

  /** The owner; null only for a moment while XCLAIM FORCE creates the entry. */
  Consumer consumer;

  PendingEntry(long ms, long seq, long deliveryTime, long deliveryCount, Consumer consumer) {
    this.ms = ms;
    this.seq = seq;
    this.deliveryTime = deliveryTime;
    this.deliveryCount = deliveryCount;
    this.consumer = consumer;
  }

  public StreamId id() {
    return new StreamId(ms, seq);
  }

  public long ms() {
    return ms;
  }

  public long seq() {
    return seq;
  }

  /** Unix ms of the last delivery. */
  public long deliveryTime() {
    return deliveryTime;
  }

  public long deliveryCount() {
    return deliveryCount;
  }

  public Consumer consumer() {
    return consumer;
  }

  int compareTo(long oms, long oseq) {
    return StreamId.compare(ms, seq, oms, oseq);
  }
}
