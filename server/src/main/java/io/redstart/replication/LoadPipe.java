package io.redstart.replication;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes of a diskless transfer on their way from the master's socket to the loader thread: the
 * keyspace thread {@link #offer}s what it reads, the loader reads it as an {@link InputStream}. The
 * reader waits at most {@code timeoutMillis} for data (repl-timeout), fails when the transfer
 * was aborted, and sees the end of the stream after {@link #end}. {@link #buffered} lets the keyspace thread stop reading the socket while the loader
 * lags (back-pressure).
 *
 * <p>Threads: {@link #offer} and {@link #abort} on the keyspace thread, reads on the loader thread.
 */
final class LoadPipe extends InputStream {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition more = lock.newCondition();
  private final ArrayDeque<ByteBuf> pieces = new ArrayDeque<>();
  private final long timeoutMillis;
  private long buffered;
  private boolean aborted;
  private boolean ended;
  private Runnable drained;
  private long drainedBelow;

  LoadPipe(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  /** Adds bytes (ownership passes). */
  void offer(ByteBuf b) {
    lock.lock();
    try {
      if (aborted) {
        b.release();
        return;
      }
      pieces.add(b);
      buffered += b.readableBytes();
      more.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Bytes offered and not yet read. */
  long buffered() {
    lock.lock();
    try {
      return buffered;
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code r} (on the reader's thread) once fewer than {@code below} bytes are buffered. */
  void whenDrained(long below, Runnable r) {
    lock.lock();
    try {
      drainedBelow = below;
      drained = r;
    } finally {
      lock.unlock();
    }
  }

  /** No more bytes will come: once what is buffered is read, reads return -1. */
  void end() {
    lock.lock();
    try {
      ended = true;
      more.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Makes the reader fail (the transfer was cancelled). */
  void abort() {
    lock.lock();
    try {
      aborted = true;
      for (ByteBuf b : pieces) b.release();
      pieces.clear();
      buffered = 0;
      more.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] dst, int off, int len) throws IOException {
    if (len == 0) return 0;
    Runnable notify = null;
    int n;
    lock.lock();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (pieces.isEmpty() && !aborted && !ended) {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new IOException("Timeout reading from MASTER");
        try {
          more.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted");
        }
      }
      if (aborted) throw new IOException("connection lost");
      if (pieces.isEmpty()) return -1; // ended
      ByteBuf b = pieces.peekFirst();
      n = Math.min(len, b.readableBytes());
      b.readBytes(dst, off, n);
      if (!b.isReadable()) {
        pieces.removeFirst();
        b.release();
      }
      buffered -= n;
      if (drained != null && buffered < drainedBelow) {
        notify = drained;
        drained = null;
      }
    } finally {
      lock.unlock();
    }
    if (notify != null) notify.run();
    return n;
  }

  /** The bytes still buffered, taken out (what followed the payload). Keyspace thread. */
  ByteBuf[] takeRest() {
    lock.lock();
    try {
      ByteBuf[] out = pieces.toArray(new ByteBuf[0]);
      pieces.clear();
      buffered = 0;
      return out;
    } finally {
      lock.unlock();
    }
  }
}
