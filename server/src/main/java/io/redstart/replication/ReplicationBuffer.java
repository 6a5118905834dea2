package io.redstart.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The replication stream kept in memory, as Redis 7's shared replication buffer: one list of
 * append-only blocks that is at once the backlog (what a reconnecting replica can ask for) and the
 * output buffer of every replica (a replica is handed slices of the blocks, never copies).
 *
 * <p>Offsets are Redis's: {@link #offset()} is master_repl_offset, the offset of the last byte
 * produced; the first byte ever produced has offset 1. The backlog holds the bytes from {@link
 * #backlogOffset()} to {@link #offset()} ({@link #histlen()} bytes). Without a backlog ({@link
 * #active()} false) nothing is recorded and the offset does not move, as in Redis, where
 * master_repl_offset only grows while a backlog exists.
 *
 * <p>Trimming drops whole blocks from the head while the backlog stays longer than
 * repl-backlog-size without them, and never drops a block that a replica still has to be sent
 * (a replica waiting for its RDB holds the stream from its sync offset on): the backlog then grows
 * beyond its size, as Redis's does when a replica references the head block.
 *
 * <p>Block layout: {@code buf[0 .. used)} holds the stream bytes from {@code start} to {@code start
 * + used - 1}; bytes are only ever appended, so a slice handed to a socket never changes.
 *
 * <p>Owned by the keyspace thread (slices may be written by Netty on the same thread).
 */
final class ReplicationBuffer {
  /** Smallest block (Redis's PROTO_REPLY_CHUNK_BYTES). */
  static final int MIN_BLOCK = 16 * 1024;

  /** Largest block, so that a big backlog is still trimmed in reasonable steps. */
  static final int MAX_BLOCK = 1024 * 1024;

  /** One block of the stream. */
  private static final class Block {
    final byte[] buf;
    final long start;
    int used;

    Block(int size, long start) {
      this.buf = new byte[size];
      this.start = start;
    }

    long end() {
      return start + used - 1;
    }
  }

  private final ArrayDeque<Block> blocks = new ArrayDeque<>();
  private boolean active;
  private long offset;
  private long histlen;
  private long backlogSize;
  private long allocated;

  ReplicationBuffer(long backlogSize) {
    this.backlogSize = backlogSize;
  }

  /** Whether the backlog exists (createReplicationBacklog was called and not undone). */
  boolean active() {
    return active;
  }

  /** master_repl_offset: the offset of the last byte of the stream. */
  long offset() {
    return offset;
  }

  /**
   * Sets master_repl_offset (a replica after a full sync, a master restarted from its RDB). The
   * backlog must be empty or absent.
   */
  void offset(long offset) {
    if (histlen != 0) throw new IllegalStateException("backlog not empty");
    this.offset = offset;
  }

  /** The offset of the first byte the backlog holds (master_repl_offset + 1 when empty). */
  long backlogOffset() {
    return offset - histlen + 1;
  }

  long histlen() {
    return histlen;
  }

  /** Bytes allocated for blocks (Redis's repl_buffer_mem). */
  long memory() {
    return allocated;
  }

  /** createReplicationBacklog: the next byte produced will be the backlog's first. */
  void create() {
    if (active) return;
    active = true;
    histlen = 0;
    blocks.clear();
    allocated = 0;
  }

  /** freeReplicationBacklog: forgets the stream; the offset stays. */
  void free() {
    active = false;
    histlen = 0;
    blocks.clear();
    allocated = 0;
  }

  /** Adds {@code delta} to every offset (a master restarted with the offset saved in its RDB). */
  void rebase(long delta) {
    if (histlen != 0) throw new IllegalStateException("backlog not empty");
    offset += delta;
  }

  void backlogSize(long size) {
    this.backlogSize = size;
  }

  /** Appends stream bytes; nothing happens without a backlog. */
  void append(byte[] b, int off, int len) {
    if (!active) return;
    while (len > 0) {
      Block tail = blocks.peekLast();
      if (tail == null || tail.used == tail.buf.length) {
        int size = (int) Math.min(Math.max(len, MIN_BLOCK), blockLimit());
        tail = new Block(size, offset + 1);
        blocks.addLast(tail);
        allocated += size;
      }
      int n = Math.min(len, tail.buf.length - tail.used);
      System.arraycopy(b, off, tail.buf, tail.used, n);
      tail.used += n;
      off += n;
      len -= n;
      offset += n;
      histlen += n;
    }
  }

  void append(byte[] b) {
    append(b, 0, b.length);
  }

  private long blockLimit() {
    return Math.max(MIN_BLOCK, Math.min(MAX_BLOCK, backlogSize / 16));
  }

  /**
   * Drops head blocks beyond the backlog size that no replica still needs.
   *
   * @param keepFrom the first offset some replica has yet to be sent (Long.MAX_VALUE: none)
   */
  void trim(long keepFrom) {
    while (blocks.size() > 1) {
      Block first = blocks.peekFirst();
      if (first.end() >= keepFrom) break;
      if (histlen - first.used <= backlogSize) break;
      blocks.removeFirst();
      histlen -= first.used;
      allocated -= first.buf.length;
    }
  }

  /** Whether the backlog holds the stream from {@code from} (up to its end) for a PSYNC. */
  boolean holds(long from) {
    return active && from >= backlogOffset() && from <= backlogOffset() + histlen;
  }

  /**
   * The stream from {@code from} to {@code to} (inclusive) as a buffer sharing the blocks' memory;
   * an empty buffer when {@code from > to}. The range must be held.
   */
  ByteBuf slice(long from, long to) {
    if (from > to) return Unpooled.EMPTY_BUFFER;
    if (from < backlogOffset() || to > offset) {
      throw new IllegalArgumentException("range " + from + ".." + to + " not held");
    }
    CompositeByteBuf out = null;
    ByteBuf single = null;
    for (Iterator<Block> it = blocks.descendingIterator(); it.hasNext(); ) {
      Block b = it.next();
      if (b.start > to) continue;
      if (b.end() < from) break;
      int lo = (int) (Math.max(from, b.start) - b.start);
      int hi = (int) (Math.min(to, b.end()) - b.start);
      ByteBuf part = Unpooled.wrappedBuffer(b.buf, lo, hi - lo + 1);
      if (single == null && out == null) {
        single = part;
      } else {
        if (out == null) {
          out = Unpooled.compositeBuffer(Integer.MAX_VALUE);
          out.addComponent(true, single);
          single = null;
        }
        out.addComponent(true, 0, part);
      }
    }
    return out != null ? out : single == null ? Unpooled.EMPTY_BUFFER : single;
  }

  /** The last {@code n} bytes of the stream, for logging. */
  byte[] tail(int n) {
    long from = Math.max(backlogOffset(), offset - n + 1);
    ByteBuf b = slice(from, offset);
    byte[] out = new byte[b.readableBytes()];
    b.getBytes(b.readerIndex(), out);
    b.release();
    return out;
  }
}
