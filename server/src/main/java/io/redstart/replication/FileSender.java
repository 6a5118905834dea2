package io.redstart.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends the RDB file to one replica after a disk-target BGSAVE (Redis's sendBulkToSlave): the
 * preamble {@code $<size>\r\n}, then the file. A thread of its own reads the file in pieces and
 * hands them to the keyspace thread, waiting while the replica's connection has too much queued;
 * when the last byte is queued, the replica is put online on the keyspace thread.
 *
 * <p>Threads: {@link #run} on its own thread; {@link #cancel} on the keyspace thread.
 */
final class FileSender implements Runnable {
  private static final int PIECE = 256 * 1024;

  private final Replication repl;
  private final Replica replica;
  private final FileChannel file;
  private final long size;
  private final AtomicLong queued = new AtomicLong();
  private volatile boolean cancelled;

  private FileSender(Replication repl, Replica replica, FileChannel file, long size) {
    this.repl = repl;
    this.replica = replica;
    this.file = file;
    this.size = size;
  }

  /** Opens the file and starts sending; throws when it cannot be opened. Keyspace thread. */
  static FileSender start(Replication repl, Replica replica, Path rdb) throws IOException {
    FileChannel ch = FileChannel.open(rdb, StandardOpenOption.READ);
    long size;
    try {
      size = ch.size();
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    FileSender s = new FileSender(repl, replica, ch, size);
    repl.send(replica, "$" + size + "\r\n");
    Thread.ofPlatform().name("redstart-repl-send").daemon().start(s);
    return s;
  }

  void cancel() {
    cancelled = true;
  }

  @Override
  public void run() {
    String error = null;
    long pos = 0;
    try (file) {
      while (pos < size && !cancelled) {
        while (!cancelled
            && queued.get() + replica.client.connection().pendingOutputBytes()
                > RdbTransfer.MAX_PENDING) {
          LockSupport.parkNanos(200_000);
        }
        int n = (int) Math.min(PIECE, size - pos);
        ByteBuffer bb = ByteBuffer.allocate(n);
        while (bb.hasRemaining()) {
          int r = file.read(bb, pos + bb.position());
          if (r < 0) throw new IOException("premature EOF");
        }
        bb.flip();
        ByteBuf piece = Unpooled.wrappedBuffer(bb);
        queued.addAndGet(n);
        repl.server.execute(() -> {
          queued.addAndGet(-n);
          if (!replica.client.isClosed() && !cancelled) {
            repl.send(replica, piece);
          } else {
            piece.release();
          }
        });
        pos += n;
      }
    } catch (IOException e) {
      error = e.getMessage();
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return; // the server is stopping
    }
    String err = error;
    try {
      repl.server.execute(() -> repl.fullSync.bulkSent(replica, this, err));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The server is stopping.
    }
  }
}
