package io.redstart.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The transport under a {@link Client}: a Netty channel in the server, or an in-memory pipe in
 * tests that run commands without sockets. Called only from the keyspace thread.
 */
public interface Connection {
  ByteBufAllocator alloc();

  /** Queues {@code buf} (ownership passes) and flushes it to the peer. */
  void writeAndFlush(ByteBuf buf);

  /** Closes once everything queued has been written. */
  void close();

  /** Stops or resumes reading input (client pause, blocked clients are not paused this way). */
  void autoRead(boolean on);

  /** "ip:port" of the peer, as CLIENT LIST's addr. */
  String remoteAddress();

  /** The peer as a MONITOR line names it: the address, or "lua" for a script's commands. */
  default String monitorPeer() {
    return remoteAddress();
  }

  /** "ip:port" of our side, as CLIENT LIST's laddr. */
  String localAddress();

  /** The socket's file descriptor when known, else -1. */
  int fd();

  /** Whether the peer connected over loopback or a unix socket (protected mode, "local"). */
  boolean isLocal();

  /** Bytes queued towards the peer and not yet written. */
  long pendingOutputBytes();
}
