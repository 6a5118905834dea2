package io.redstart.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * The connection of a client with no peer (the client that replays an AOF, the scripts' client):
 * what is written to it is dropped. Keyspace thread only.
 */
public final class NullConnection implements Connection {
  private final String peer;
  private final String monitorPeer;

  public NullConnection() {
    this("", "");
  }

  private NullConnection(String peer, String monitorPeer) {
    this.peer = peer;
    this.monitorPeer = monitorPeer;
  }

  /**
   * The scripts' client: its address reads "?:0" (a connection without a socket, as SLOWLOG shows
   * Redis's script client) and MONITOR names it "lua".
   */
  public static NullConnection forScripts() {
    return new NullConnection("?:0", "lua");
  }

  @Override
  public String monitorPeer() {
    return monitorPeer;
  }
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
    return peer;
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
