package io.redstart.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A diskless full synchronization: one snapshot written to the sockets of several replicas at
 * once (Redis's rdbSaveToSlavesSockets), framed as {@code $EOF:<40 random bytes>\r\n}, the RDB,
 * and the same 40 bytes again.
 *
 * <p>The snapshot's writer thread calls {@link #write}: each piece is handed to the keyspace
 * thread, which writes it to every replica still taking part. Back-pressure replaces Redis's pipe:
 * the writer waits while a replica has more than {@link #MAX_PENDING} bytes queued, and records
 * since when, so that the cron can drop a replica stuck longer than repl-timeout ("Disconnecting
 * timedout replica (full sync)"). When the last replica is gone the snapshot is abandoned.
 *
 * <p>Threads: {@link #write} on the writer thread; everything else on the keyspace thread. They
 * share the target list (copy-on-write), each target's counters (atomic) and its gone flag
 * (volatile).
 */
final class RdbTransfer implements Snapshots.StreamOut {
  /** Bytes a replica may have queued before the writer waits for it. */
  static final long MAX_PENDING = 4L * 1024 * 1024;

  /** Length of the EOF mark (CONFIG_RUN_ID_SIZE). */
  static final int EOF_MARK_SIZE = 40;

  /** One replica fed by the transfer. */
  static final class Target {
    final Replica replica;
    /** Bytes handed to the keyspace thread and not yet given to the connection. */
    final AtomicLong queued = new AtomicLong();
    volatile boolean gone;
    /** Unix seconds since the writer waits for this target, or 0. */
    volatile long waitingSince;

    Target(Replica replica) {
      this.replica = replica;
    }
  }

  private final Replication repl;
  final List<Target> targets = new CopyOnWriteArrayList<>();
  final byte[] eofMark;
  private volatile boolean abandoned;

  RdbTransfer(Replication repl) {
    this.repl = repl;
    byte[] raw = new byte[EOF_MARK_SIZE / 2];
    new SecureRandom().nextBytes(raw);
    this.eofMark = HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII);
  }

  /** Adds a replica (before the snapshot starts). */
  void add(Replica r) {
    targets.add(new Target(r));
    r.transfer = this;
  }

  /** Sends the transfer's preamble to every target. Keyspace thread. */
  void start() {
    String preamble = "$EOF:" + new String(eofMark, StandardCharsets.US_ASCII) + "\r\n";
    for (Target t : targets) repl.send(t.replica, preamble);
  }

  /** Sends the closing EOF mark. Keyspace thread, after the last piece. */
  void finish() {
    for (Target t : targets) {
      if (!t.gone) repl.send(t.replica, Unpooled.wrappedBuffer(eofMark.clone()));
    }
  }

  /** A replica left (closed, timed out); true when no target is left. Keyspace thread. */
  boolean remove(Replica r) {
    for (Target t : targets) {
      if (t.replica == r) t.gone = true;
    }
    r.transfer = null;
    boolean any = false;
    for (Target t : targets) any |= !t.gone;
    if (!any) abandoned = true;
    return !any;
  }

  boolean abandoned() {
    return abandoned;
  }

  /** Unix seconds since the writer waits for {@code r}, or 0. Keyspace thread. */
  long waitingSince(Replica r) {
    for (Target t : targets) {
      if (t.replica == r) return t.waitingSince;
    }
    return 0;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (len == 0) return;
    for (Target t : targets) {
      if (t.gone) continue;
      while (!t.gone && !abandoned
          && t.queued.get() + t.replica.client.connection().pendingOutputBytes() > MAX_PENDING) {
        if (t.waitingSince == 0) t.waitingSince = Replication.nowSeconds();
        LockSupport.parkNanos(200_000);
      }
      t.waitingSince = 0;
    }
    if (abandoned) throw new IOException("Diskless rdb transfer, last replica dropped");
    ByteBuf piece = Unpooled.copiedBuffer(b, off, len);
    for (Target t : targets) {
      if (!t.gone) t.queued.addAndGet(len);
    }
    try {
      repl.server.execute(() -> {
        for (Target t : targets) {
          if (t.gone) continue;
          t.queued.addAndGet(-len);
          if (!t.replica.client.isClosed()) repl.send(t.replica, piece.retainedDuplicate());
        }
        piece.release();
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      piece.release();
      throw new IOException("server stopping", e);
    }
  }
}
