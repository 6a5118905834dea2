package io.redstart.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.redstart.server.Connection;
import java.nio.charset.StandardCharsets;

/**
 * A {@link Connection} without a socket: what the server writes is kept in memory, for tests that
 * run commands on a {@link io.redstart.server.Client} made with {@code
 * RedstartServer.newLocalClient}. Replies reach it when the server flushes its clients ({@code
 * RedstartServer.flushPending()}).
 *
 * <p>Not thread-safe: used by the thread that runs the commands (before the server is started, or
 * on its keyspace thread).
 */
public final class InMemoryConnection implements Connection {
  private final ByteBuf output = Unpooled.buffer(256);
  private boolean closed;
  private boolean autoRead = true;
  private boolean local = true;
  private String remoteAddress = "127.0.0.1:40000";

  /** Whether the peer counts as local (loopback or unix socket); true by default. */
  public InMemoryConnection local(boolean on) {
    this.local = on;
    this.remoteAddress = on ? "127.0.0.1:40000" : "10.0.0.2:40000";
    return this;
  }

  /** The bytes written so far and not yet taken, which are then forgotten. */
  public byte[] takeOutput() {
    byte[] b = new byte[output.readableBytes()];
    output.readBytes(b);
    output.clear();
    return b;
  }

  /** {@link #takeOutput()} as text (ISO-8859-1: one char per byte). */
  public String takeOutputText() {
    return new String(takeOutput(), StandardCharsets.ISO_8859_1);
  }

  public boolean isClosed() {
    return closed;
  }

  public boolean isAutoRead() {
    return autoRead;
  }

  @Override
  public ByteBufAllocator alloc() {
    return UnpooledByteBufAllocator.DEFAULT;
  }

  @Override
  public void writeAndFlush(ByteBuf buf) {
    try {
      output.writeBytes(buf);
    } finally {
      buf.release();
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public void autoRead(boolean on) {
    autoRead = on;
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  @Override
  public String localAddress() {
    return "127.0.0.1:6379";
  }

  @Override
  public int fd() {
    return -1;
  }

  @Override
  public boolean isLocal() {
    return local;
  }

  @Override
  public long pendingOutputBytes() {
    return 0;
  }
}
