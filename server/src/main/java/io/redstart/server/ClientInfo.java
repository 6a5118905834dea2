package io.redstart.server;

/** The CLIENT LIST / CLIENT INFO line of a client, with Redis 7.0's fields in its order. */
final class ClientInfo {
  private ClientInfo() {}

  static String format(Client c) {
    RedstartServer s = c.server();
    long now = s.keyspace().now();
    int qbuf = c.queryBufferLength();
    long omem = c.outputBytes();
    StringBuilder sb = new StringBuilder(256);
    sb.append("id=").append(c.id());
    sb.append(" addr=").append(c.connection().remoteAddress());
    sb.append(" laddr=").append(c.connection().localAddress());
    sb.append(" fd=").append(c.connection().fd());
    sb.append(" name=").append(c.name());
    sb.append(" age=").append(Math.max(0, (now - c.createdMillis()) / 1000));
    sb.append(" idle=").append(Math.max(0, (now - c.lastInteractionMillis()) / 1000));
    sb.append(" flags=").append(c.flagsString());
    sb.append(" db=").append(c.dbIndex());
    sb.append(" sub=").append(s.subscriptionCount(c, 0));
    sb.append(" psub=").append(s.subscriptionCount(c, 1));
    sb.append(" ssub=").append(s.subscriptionCount(c, 2));
    sb.append(" multi=").append(s.multiCount(c));
    sb.append(" qbuf=").append(qbuf);
    sb.append(" qbuf-free=").append(qbuf == 0 ? 0 : Math.max(0, 20474 - qbuf));
    sb.append(" argv-mem=").append(0);
    sb.append(" multi-mem=").append(0);
    sb.append(" rbs=").append(1024);
    sb.append(" rbp=").append(0);
    sb.append(" obl=").append(0);
    sb.append(" oll=").append(0);
    sb.append(" omem=").append(omem);
    sb.append(" tot-mem=").append(2048 + qbuf + omem);
    sb.append(" events=r").append(omem > 0 ? "w" : "");
    sb.append(" cmd=").append(c.lastCommand() == null ? "NULL" : c.lastCommand().fullName);
    sb.append(" user=").append(c.user());
    sb.append(" redir=").append(s.trackingRedirection(c));
    sb.append(" resp=").append(c.protocol());
    return sb.toString();
  }
}
