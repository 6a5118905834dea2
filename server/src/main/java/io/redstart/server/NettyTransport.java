package io.redstart.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * TCP listeners and client connections on Netty: one event-loop thread owns every connection and
 * the keyspace (epoll when it loads, NIO otherwise), so a command runs to completion where its
 * bytes were read, with one flush per read batch.
 */
final class NettyTransport {
  /** Stack of the event-loop thread (reserved address space; pages are used as needed). */
  static final long MAIN_STACK_BYTES = 64L << 20;

  private final RedstartServer server;
  private final EventLoopGroup group;
  /** Accepts connections (its own thread, so listeners can be rebound from the main loop). */
  private final EventLoopGroup acceptor;
  private final boolean epoll;
  private final List<Channel> listeners = new ArrayList<>();

  NettyTransport(RedstartServer server) {
    this.server = server;
    this.epoll = Epoll.isAvailable() && !Boolean.getBoolean("redstart.nio");
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    ThreadFactory tf =
        r -> {
          // A deep stack: Lua scripts run on this thread and may recurse up to 20000 calls.
          Thread t = new Thread(null, r, "redstart-main", MAIN_STACK_BYTES);
          t.setDaemon(false);
          return t;
        };
    this.group = new MultiThreadIoEventLoopGroup(1, tf, factory);
    ThreadFactory af =
        r -> {
          Thread t = new Thread(r, "redstart-accept");
          t.setDaemon(true);
          return t;
        };
    this.acceptor = new MultiThreadIoEventLoopGroup(1, af,
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  EventLoopGroup group() {
    return group;
  }

  boolean usesEpoll() {
    return epoll;
  }

  /**
   * Binds {@code port} on each address of {@code bind} (Redis syntax: "*" any IPv4, "::*" any
   * IPv6, a leading '-' marks an address whose failure is not fatal). Returns the bound port
   * (useful with port 0). Throws with Redis's wording when a mandatory address fails.
   */
  int bind(String bind, int port, int backlog) throws Exception {
    List<String> addrs = new ArrayList<>();
    for (String a : bind.trim().split("\\s+")) if (!a.isEmpty()) addrs.add(a);
    if (addrs.isEmpty()) addrs.add("*");
    int bound = port;
    for (String a : addrs) {
      boolean optional = a.startsWith("-");
      String host = optional ? a.substring(1) : a;
      SocketAddress sa;
      if (host.equals("*")) {
        sa = new InetSocketAddress("0.0.0.0", bound);
      } else if (host.equals("::*")) {
        sa = new InetSocketAddress("::", bound);
      } else {
        sa = new InetSocketAddress(host, bound);
      }
      try {
        Channel ch = bootstrap(backlog).bind(sa).sync().channel();
        listeners.add(ch);
        bound = ((InetSocketAddress) ch.localAddress()).getPort();
      } catch (Exception e) {
        if (optional) {
          // An optional address (e.g. "-::*" beside "*" on a dual-stack host) may be taken.
          server.log().verbose("Could not create server TCP listening socket " + host + ":" + bound
              + ": " + e.getMessage());
          continue;
        }
        throw new Exception("Could not create server TCP listening socket " + host + ":" + bound
            + ": " + e.getMessage(), e);
      }
    }
    return bound;
  }

  private ServerBootstrap bootstrap(int backlog) {
    Class<? extends ServerChannel> channelClass =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ServerBootstrap b =
        new ServerBootstrap()
            .group(acceptor, group)
            .channel(channelClass)
            .option(ChannelOption.SO_BACKLOG, backlog)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, server.tcpKeepAlive() > 0)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    int ka = server.tcpKeepAlive();
                    if (ka > 0 && ch instanceof EpollSocketChannel) {
                      ch.config().setOption(EpollChannelOption.TCP_KEEPIDLE, ka);
                      ch.config().setOption(EpollChannelOption.TCP_KEEPINTVL, Math.max(1, ka / 3));
                      ch.config().setOption(EpollChannelOption.TCP_KEEPCNT, 3);
                    }
                    ch.pipeline().addLast(new ClientHandler());
                  }
                });
    return b;
  }

  /**
   * Replaces the listeners with ones on {@code bind}/{@code port} (CONFIG SET port, bind). The new
   * sockets are bound first, so a failing change leaves the old ones untouched; when that fails
   * because the new addresses overlap the old ones (the same address set again), the old sockets
   * are closed first, as Redis does, and bound again if the new ones still fail.
   */
  int rebind(String bind, int port, int backlog) throws Exception {
    List<Channel> old = new ArrayList<>(listeners);
    listeners.clear();
    try {
      int bound = bind(bind, port, backlog);
      for (Channel ch : old) ch.close();
      return bound;
    } catch (Exception first) {
      for (Channel ch : listeners) ch.close().syncUninterruptibly();
      listeners.clear();
    }
    List<SocketAddress> previous = new ArrayList<>();
    for (Channel ch : old) {
      previous.add(ch.localAddress());
      ch.close().syncUninterruptibly();
    }
    try {
      return bind(bind, port, backlog);
    } catch (Exception e) {
      for (Channel ch : listeners) ch.close().syncUninterruptibly();
      listeners.clear();
      for (SocketAddress sa : previous) {
        try {
          listeners.add(bootstrap(backlog).bind(sa).sync().channel());
        } catch (Exception restore) {
          server.log().warning("Could not listen again on " + sa + ": " + restore.getMessage());
        }
      }
      throw e;
    }
  }

  /**
   * Opens an outgoing connection on the keyspace event loop (the replication link to a master):
   * {@code handler}'s events run on the keyspace thread.
   */
  ChannelFuture connect(String host, int port, int timeoutMillis, ChannelHandler handler) {
    Class<? extends Channel> channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    return new Bootstrap()
        .group(group)
        .channel(channelClass)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, server.tcpKeepAlive() > 0)
        .handler(handler)
        .connect(host, port);
  }

  /** Closes the listening sockets (client connections stay). */
  void closeListeners() {
    for (Channel ch : listeners) ch.close().syncUninterruptibly();
    listeners.clear();
  }

  void shutdownGroup() {
    acceptor.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Bridges one channel to its {@link Client}. */
  private final class ClientHandler extends ChannelInboundHandlerAdapter {
    private Client client;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel ch = ctx.channel();
      NettyConnection conn = new NettyConnection(ch);
      String refusal = server.acceptRefusal(conn);
      if (refusal != null) {
        ch.writeAndFlush(Unpooled.copiedBuffer(refusal, StandardCharsets.ISO_8859_1))
            .addListener(f -> ch.close());
        return;
      }
      client = server.newClient(conn);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      if (client == null) {
        buf.release();
        return;
      }
      server.stats().totalNetInputBytes += buf.readableBytes();
      client.onInput(buf);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      server.afterReadBatch();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (client != null) client.connectionLost();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      server.log().verbose("Client connection error: " + cause.getMessage());
      ctx.close();
    }
  }

  /** A client's channel as a {@link Connection}. */
  private final class NettyConnection implements Connection {
    private final Channel ch;
    private final String remote;
    private final String local;
    private final boolean isLocal;

    NettyConnection(Channel ch) {
      this.ch = ch;
      this.remote = format(ch.remoteAddress());
      this.local = format(ch.localAddress());
      InetAddress addr =
          ch.remoteAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
      this.isLocal = addr == null || addr.isLoopbackAddress();
    }

    @Override
    public ByteBufAllocator alloc() {
      return ch.alloc();
    }

    @Override
    public void writeAndFlush(ByteBuf buf) {
      server.stats().totalNetOutputBytes += buf.readableBytes();
      ch.writeAndFlush(buf, ch.voidPromise());
    }

    @Override
    public void close() {
      ch.flush();
      ch.close();
    }

    @Override
    public void autoRead(boolean on) {
      ch.config().setAutoRead(on);
    }

    @Override
    public String remoteAddress() {
      return remote;
    }

    @Override
    public String localAddress() {
      return local;
    }

    @Override
    public int fd() {
      if (ch instanceof EpollSocketChannel e) return e.fd().intValue();
      return -1;
    }

    @Override
    public boolean isLocal() {
      return isLocal;
    }

    @Override
    public long pendingOutputBytes() {
      return ch.unsafe().outboundBuffer() == null
          ? 0
          : ch.unsafe().outboundBuffer().totalPendingWriteBytes();
    }
  }

  static String format(SocketAddress a) {
    if (a instanceof InetSocketAddress isa) {
      InetAddress ia = isa.getAddress();
      String host = ia == null ? isa.getHostString() : ia.getHostAddress();
      if (ia instanceof Inet6Address) {
        int pct = host.indexOf('%');
        if (pct >= 0) host = host.substring(0, pct);
      }
      return host + ":" + isa.getPort();
    }
    return String.valueOf(a);
  }
}
