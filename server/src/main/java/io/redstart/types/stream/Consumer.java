package io.redstart.types.stream;

/**
 * A consumer of a group (Redis's streamConsumer): its name, when it was last seen (Unix ms) and the
 * messages delivered to it and not yet acknowledged, which are also in its group's pending list.
 * Created and changed only through its {@link ConsumerGroup}.
 *
 * <p>Owned by the keyspace thread.
 */
public final class Consumer {
  final byte[] name;
  long seenTime;
  final PendingList pel = new PendingList();

  Consumer(byte[] name, long seenTime) {
    this.name = name;
    this.seenTime = seenTime;
  }

  public byte[] name() {
    return name;
  }

  /** Unix ms of the consumer's last read or claim (Redis's seen-time). */
  public long seenTime() {
    return seenTime;
  }

  /** Number of messages pending for this consumer. */
  public int pendingCount() {
    return pel.size();
  }

  /** The first pending message of this consumer at or after {@code id}, or null. */
  public PendingEntry pendingCeiling(StreamId id) {
    return pel.ceiling(id.ms(), id.seq());
  }

  /** Visits the consumer's pending messages in ID order; nothing may change meanwhile. */
  public void forEachPending(java.util.function.Consumer<PendingEntry> visitor) {
    pel.forEach(visitor);
  }
}
