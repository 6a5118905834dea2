package io.redstart.persistence.aof;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.redstart.server.Connection;

/**
 * The connection of the client that replays an AOF (Redis's AOF fake client): its replies go
 * nowhere. Keyspace thread only.
 */
public final class NullConnection implements Connection {
  @Override
  public ByteBufAllocator alloc() {
    return UnpooledByteBufAllocator.DEFAULT;
  }

  @Override
  public void writeAndFlush(ByteBuf buf) {
    buf.release();
  }

  @Override
  public void close() {}

  @Override
  public void autoRead(boolean on) {}

  @Override
  public String remoteAddress() {
    return "";
  }

  @Override
  public String localAddress() {
    return "";
  }

  @Override
  public int fd() {
    return -1;
  }

  @Override
  public boolean isLocal() {
    return true;
  }

  @Override
  public long pendingOutputBytes() {
    return 0;
  }
}
