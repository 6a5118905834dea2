package io.redstart.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.redstart.config.ConfigParams;
import io.redstart.resp.ProtocolException;
import io.redstart.resp.RequestParser;
import io.redstart.server.Client;
import io.redstart.server.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * The replica side of replication (Redis's syncWithMaster, readSyncBulkPayload and the master
 * client): the connection to our master, the handshake (PING, AUTH, REPLCONF listening-port,
 * ip-address and capa, PSYNC), the transfer of a full synchronization's RDB (to a temporary file,
 * or straight to the loader with repl-diskless-load), loading it, and then the master client: the
 * stream's commands run through the dispatcher as the master's, with the offset counted as they
 * are applied and the applied bytes proxied to our own replicas and backlog.
 *
 * <p>The link's state follows Redis's repl_state, so that ROLE and INFO report the same words. A
 * disconnected master is cached (its id, applied offset and database) to ask for a partial
 * resynchronization when we reconnect; turning a master into a replica caches ourselves the same
 * way, so a promoted replica can continue us.
 *
 * <p>Loading happens on a loader thread into databases apart from the live ones, installed on the
 * keyspace thread when complete; meanwhile the server answers LOADING, and what the master sends
 * after the payload waits, unread, in the socket.
 *
 * <p>Owned by the keyspace thread, as is the link's socket (it is on the same event loop); the
 * loader thread only reads its {@link LoadPipe} or file.
 */
final class MasterLink {
  /** Redis's repl_state values. */
  enum State {
    NONE,
    CONNECT,
    CONNECTING,
    RECEIVE_PING_REPLY,
    SEND_HANDSHAKE,
    RECEIVE_AUTH_REPLY,
    RECEIVE_PORT_REPLY,
    RECEIVE_IP_REPLY,
    RECEIVE_CAPA_REPLY,
    SEND_PSYNC,
    RECEIVE_PSYNC_REPLY,
    TRANSFER,
    CONNECTED
  }

  /** A disconnected master kept for PSYNC: its replication id, applied offset, database. */
  record Cached(String replid, long reploff, int db) {}

  /** Longest handshake reply line we wait for before calling the master broken. */
  private static final int MAX_LINE = 64 * 1024;

  /** Bytes of a diskless payload buffered for the loader before we stop reading the socket. */
  private static final long PIPE_HIGH = 8L * 1024 * 1024;

  /** Redis's REPL_MAX_WRITTEN_BEFORE_FSYNC. */
  private static final long FSYNC_EVERY = 8L * 1024 * 1024;

  private final Replication repl;
  State state = State.NONE;

  // ---- the connection (repl_transfer_s, then the master client's)
  private Channel channel;
  private ByteBuf in;
  /** Unix seconds of the last I/O with the master during the handshake and transfer. */
  private long lastIo;
  /** Unix seconds since the link is down, or 0 (repl_down_since). */
  private long downSince;

  // ---- handshake
  private String masterReplid = "";
  private long masterInitialOffset = -1;
  private boolean psyncSentFailover;

  // ---- transfer (repl_transfer_*)
  private long transferSize = -1;
  private long transferRead;
  private long lastFsyncOffset;
  private boolean usemark;
  private boolean payloadStarted;
  private final byte[] eofMark = new byte[RdbTransfer.EOF_MARK_SIZE];
  private final byte[] lastBytes = new byte[RdbTransfer.EOF_MARK_SIZE];
  private Path tmpFile;
  private FileChannel tmpChannel;
  private boolean disklessLoad;
  private LoadPipe pipe;
  /**
   * EOF-marked diskless transfers: the last bytes received, held back from the loader until more
   * follow, since they may be the end mark (which the loader must never see).
   */
  private ByteBuf markTail;
  private boolean loading;
  /** Loading apart while the old data serves (swapdb with the same history): async_loading. */
  private boolean asyncLoading;

  // ---- the master client
  private Client master;
  private LinkConnection masterConn;
  private RequestParser parser = new RequestParser(Long.MAX_VALUE);
  /** The master's stream not yet parsed (from the reader index) or not yet applied. */
  private ByteBuf query;
  /** Index in {@link #query} of the first byte not yet applied (and proxied). */
  private int applied;
  private long reploff;
  private long readReploff;
  /** Unix seconds of the last data from the master (its lastinteraction). */
  private long masterLastInteraction;
  private boolean masterPrePsync;
  private boolean protocolError;
  private Cached cached;

  MasterLink(Replication repl) {
    this.repl = repl;
  }

  private static long now() {
    return Replication.nowSeconds();
  }

  boolean connected() {
    return state == State.CONNECTED;
  }

  /** Whether a full synchronization loads in the background while the old data serves. */
  boolean asyncLoading() {
    return asyncLoading;
  }

  /** The instance was configured as a replica (replicaof): connect at the first cron. */
  void configured() {
    state = State.CONNECT;
  }

  /** slaveIsInHandshakeState. */
  private boolean inHandshake() {
    return state.ordinal() >= State.RECEIVE_PING_REPLY.ordinal()
        && state.ordinal() <= State.RECEIVE_PSYNC_REPLY.ordinal();
  }

  // ---- connecting

  /** connectWithMaster. */
  void connect() {
    State before = state;
    state = State.CONNECTING;
    lastIo = now();
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE,
        repl.config.getInt(ConfigParams.REPL_TIMEOUT) * 1000L);
    Handler h = new Handler();
    ChannelFuture f;
    try {
      f = repl.server.connect(repl.masterHost, repl.masterPort, timeoutMs, h);
    } catch (RuntimeException e) {
      repl.log.warning("Unable to connect to MASTER: " + e.getMessage());
      state = before == State.NONE ? State.CONNECT : State.CONNECT;
      return;
    }
    channel = f.channel();
    h.channel = channel;
    repl.log.notice("MASTER <-> REPLICA sync started");
    f.addListener(x -> {
      if (h.channel != channel) return; // abandoned meanwhile
      if (!x.isSuccess()) {
        Throwable c = x.cause();
        repl.log.warning("Error condition on socket for SYNC: "
            + (c == null ? "connection failed" : c.getMessage()));
        closeTransfer();
        state = State.CONNECT;
      }
    });
  }

  /** The socket handler: events arrive on the keyspace thread. */
  private final class Handler extends ChannelInboundHandlerAdapter {
    Channel channel;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      if (ctx.channel() != MasterLink.this.channel) {
        ctx.close();
        return;
      }
      onConnected();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      if (ctx.channel() != MasterLink.this.channel) {
        b.release();
        return;
      }
      repl.statReplInputBytes += b.readableBytes();
      try {
        onData(b);
      } catch (RuntimeException e) {
        repl.log.warning("Error on the replication link: " + e);
        ctx.close();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      repl.flush();
      repl.server.flushPending();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (ctx.channel() == MasterLink.this.channel) onClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      repl.log.verbose("Replication link error: " + cause.getMessage());
      ctx.close();
    }
  }

  private void onConnected() {
    if (state == State.NONE) {
      closeTransfer();
      return;
    }
    repl.log.notice("Non blocking connect for SYNC fired the event.");
    state = State.RECEIVE_PING_REPLY;
    lastIo = now();
    write(command("PING"));
  }

  private void onData(ByteBuf b) {
    if (state == State.CONNECTED && master != null) {
      masterInput(b);
      return;
    }
    lastIo = now();
    if (in == null) {
      in = b;
    } else {
      ByteBuf merged = Unpooled.buffer(in.readableBytes() + b.readableBytes());
      merged.writeBytes(in);
      merged.writeBytes(b);
      in.release();
      b.release();
      in = merged;
    }
    drive();
  }

  /** Runs the handshake and transfer steps while they make progress on the input. */
  private void drive() {
    while (true) {
      State s = state;
      int before = in == null ? -1 : in.readerIndex();
      ByteBuf was = in;
      switch (s) {
        case RECEIVE_PING_REPLY -> receivePing();
        case RECEIVE_AUTH_REPLY, RECEIVE_PORT_REPLY, RECEIVE_IP_REPLY, RECEIVE_CAPA_REPLY ->
            receiveHandshakeReply();
        case RECEIVE_PSYNC_REPLY -> receivePsyncReply();
        case TRANSFER -> receivePayload();
        case CONNECTED -> {
          if (master != null && in != null && in.isReadable() && !loading) {
            ByteBuf rest = in;
            in = null;
            masterInput(rest);
          }
          return;
        }
        default -> {
          return;
        }
      }
      boolean consumed = in != null && in == was && in.readerIndex() != before;
      if (state == s && !consumed) return; // waiting for more input
    }
  }

  /** A line of the handshake without its CR LF, or null while incomplete (syncReadLine). */
  private String readLine() {
    if (in == null) return null;
    int nl = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
    if (nl < 0) {
      if (in.readableBytes() > MAX_LINE) throw new IllegalStateException("line too long");
      return null;
    }
    int end = nl;
    if (end > in.readerIndex() && in.getByte(end - 1) == '\r') end--;
    String line = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.ISO_8859_1);
    in.readerIndex(nl + 1);
    return line;
  }

  private void receivePing() {
    String reply = readLine();
    if (reply == null) return;
    if (!reply.startsWith("+") && !reply.startsWith("-NOAUTH") && !reply.startsWith("-NOPERM")
        && !reply.startsWith("-ERR operation not permitted")) {
      repl.log.warning("Error reply to PING from master: '" + reply + "'");
      handshakeError();
      return;
    }
    repl.log.notice("Master replied to PING, replication can continue...");
    sendHandshake();
  }

  /** SEND_HANDSHAKE: AUTH, REPLCONF listening-port, ip-address, capa, written at once. */
  private void sendHandshake() {
    state = State.SEND_HANDSHAKE;
    ByteBuf out = Unpooled.buffer();
    String auth = repl.config.getString(ConfigParams.MASTERAUTH);
    String user = repl.config.getString(ConfigParams.MASTERUSER);
    boolean hasAuth = auth != null && !auth.isEmpty();
    if (hasAuth) {
      if (user != null && !user.isEmpty()) {
        out.writeBytes(command("AUTH", user, auth));
      } else {
        out.writeBytes(command("AUTH", auth));
      }
    }
    int port = repl.config.getInt(ConfigParams.REPLICA_ANNOUNCE_PORT);
    if (port == 0) port = repl.server.port();
    out.writeBytes(command("REPLCONF", "listening-port", Integer.toString(port)));
    String ip = repl.config.getString(ConfigParams.REPLICA_ANNOUNCE_IP);
    boolean hasIp = ip != null && !ip.isEmpty();
    if (hasIp) out.writeBytes(command("REPLCONF", "ip-address", ip));
    out.writeBytes(command("REPLCONF", "capa", "eof", "capa", "psync2"));
    write(out);
    state = hasAuth ? State.RECEIVE_AUTH_REPLY : State.RECEIVE_PORT_REPLY;
  }

  private void receiveHandshakeReply() {
    String reply = readLine();
    if (reply == null) return;
    switch (state) {
      case RECEIVE_AUTH_REPLY -> {
        if (reply.startsWith("-")) {
          repl.log.warning("Unable to AUTH to MASTER: " + reply);
          handshakeError();
          return;
        }
        state = State.RECEIVE_PORT_REPLY;
      }
      case RECEIVE_PORT_REPLY -> {
        if (reply.startsWith("-")) {
          repl.log.notice("(Non critical) Master does not understand REPLCONF listening-port: "
              + reply);
        }
        String ip = repl.config.getString(ConfigParams.REPLICA_ANNOUNCE_IP);
        state = ip != null && !ip.isEmpty() ? State.RECEIVE_IP_REPLY : State.RECEIVE_CAPA_REPLY;
      }
      case RECEIVE_IP_REPLY -> {
        if (reply.startsWith("-")) {
          repl.log.notice("(Non critical) Master does not understand REPLCONF ip-address: "
              + reply);
        }
        state = State.RECEIVE_CAPA_REPLY;
      }
      case RECEIVE_CAPA_REPLY -> {
        if (reply.startsWith("-")) {
          repl.log.notice("(Non critical) Master does not understand REPLCONF capa: " + reply);
        }
        sendPsync();
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  /** slaveTryPartialResynchronization, writing half. */
  private void sendPsync() {
    state = State.SEND_PSYNC;
    masterInitialOffset = -1;
    String id;
    String offset;
    if (cached != null) {
      id = cached.replid();
      offset = Long.toString(cached.reploff() + 1);
      repl.log.notice("Trying a partial resynchronization (request " + id + ":" + offset + ").");
    } else {
      repl.log.notice("Partial resynchronization not possible (no cached master)");
      id = "?";
      offset = "-1";
    }
    psyncSentFailover = repl.failover.sendingFailoverPsync();
    write(psyncSentFailover
        ? command("PSYNC", id, offset, "FAILOVER")
        : command("PSYNC", id, offset));
    state = State.RECEIVE_PSYNC_REPLY;
  }

  /** slaveTryPartialResynchronization, reading half, and what syncWithMaster does with it. */
  private void receivePsyncReply() {
    String reply = readLine();
    if (reply == null) return;
    if (reply.isEmpty()) return; // newlines keep the link alive until the reply comes
    int result;
    if (reply.startsWith("+FULLRESYNC")) {
      String[] w = reply.split(" ", -1);
      if (w.length < 3 || w[1].length() != Replication.ZERO_ID.length()) {
        repl.log.warning("Master replied with wrong +FULLRESYNC syntax.");
        masterReplid = "";
      } else {
        masterReplid = w[1];
        masterInitialOffset = parseLongLenient(w[2]);
        repl.log.notice("Full resync from master: " + masterReplid + ":" + masterInitialOffset);
      }
      result = 3;
    } else if (reply.startsWith("+CONTINUE")) {
      repl.log.notice("Successful partial resynchronization with master.");
      if (cached == null) {
        repl.log.warning("Unexpected reply to PSYNC from master: " + reply);
        handshakeError();
        return;
      }
      String rest = reply.length() > 10 ? reply.substring(10).strip() : "";
      if (rest.length() == Replication.ZERO_ID.length() && !rest.equals(cached.replid())) {
        repl.log.warning("Master replication ID changed to " + rest);
        repl.replid2 = cached.replid();
        repl.secondReplidOffset = repl.buffer.offset() + 1;
        repl.replid = rest;
        cached = new Cached(rest, cached.reploff(), cached.db());
        repl.disconnectReplicas();
      }
      resurrectCachedMaster();
      if (!repl.buffer.active()) repl.createBacklog();
      result = 2;
    } else if (reply.startsWith("-NOMASTERLINK") || reply.startsWith("-LOADING")) {
      repl.log.notice("Master is currently unable to PSYNC but should be in the future: "
          + reply);
      result = 5;
    } else {
      if (!reply.startsWith("-ERR")) {
        repl.log.warning("Unexpected reply to PSYNC from master: " + reply);
      } else {
        repl.log.notice("Master does not support PSYNC or is in error state (reply: " + reply
            + ")");
      }
      result = 4;
    }
    if (repl.failover.inProgress() && psyncSentFailover) {
      repl.failover.psyncAnswered(result == 2 || result == 3);
      if (!(result == 2 || result == 3)) return;
    }
    if (result == 5) {
      handshakeError();
      return;
    }
    if (result == 2) {
      repl.log.notice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
      drive();
      return;
    }
    if (result == 4) {
      repl.log.notice("Retrying with SYNC...");
      write(Unpooled.copiedBuffer("SYNC\r\n", StandardCharsets.US_ASCII));
    }
    disklessLoad = useDisklessLoad();
    if (!disklessLoad) {
      try {
        tmpFile = repl.config.resolve("temp-" + now() + "." + ProcessHandle.current().pid()
            + ".rdb");
        tmpChannel = FileChannel.open(tmpFile, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
      } catch (IOException e) {
        repl.log.warning("Opening the temp file needed for MASTER <-> REPLICA synchronization: "
            + e.getMessage());
        tmpFile = null;
        handshakeError();
        return;
      }
    }
    state = State.TRANSFER;
    transferSize = -1;
    transferRead = 0;
    lastFsyncOffset = 0;
    payloadStarted = false;
    lastIo = now();
  }

  private static long parseLongLenient(String s) {
    int i = 0;
    long sign = 1;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      if (s.charAt(i) == '-') sign = -1;
      i++;
    }
    long v = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) v = v * 10 + (s.charAt(i++) - '0');
    return sign * v;
  }

  /** useDisklessLoad. */
  private boolean useDisklessLoad() {
    String mode = repl.config.getEnum(ConfigParams.REPL_DISKLESS_LOAD);
    return mode.equals("swapdb")
        || (mode.equals("on-empty-db") && repl.server.keyspace().totalKeys() == 0);
  }

  // ---- the transfer (readSyncBulkPayload)

  private void receivePayload() {
    if (!payloadStarted) {
      String line = readLine();
      if (line == null) return;
      if (line.startsWith("-")) {
        repl.log.warning("MASTER aborted replication with an error: " + line.substring(1));
        cancelHandshake(true);
        return;
      }
      if (line.isEmpty()) {
        lastIo = now(); // a newline: the master is alive, still producing the RDB
        return;
      }
      if (line.charAt(0) != '$') {
        repl.log.warning("Bad protocol from MASTER, the first byte is not '$' (we received '"
            + line + "'), are you sure the host and port are right?");
        cancelHandshake(true);
        return;
      }
      String target = disklessLoad ? "to parser" : "to disk";
      if (line.startsWith("$EOF:") && line.length() - 5 >= RdbTransfer.EOF_MARK_SIZE) {
        usemark = true;
        byte[] mark = line.substring(5, 5 + RdbTransfer.EOF_MARK_SIZE)
            .getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(mark, 0, eofMark, 0, eofMark.length);
        Arrays.fill(lastBytes, (byte) 0);
        transferSize = 0;
        repl.log.notice("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF "
            + target);
      } else {
        usemark = false;
        transferSize = parseLongLenient(line.substring(1));
        repl.log.notice("MASTER <-> REPLICA sync: receiving " + transferSize
            + " bytes from master " + target);
      }
      payloadStarted = true;
      if (disklessLoad) startDisklessLoad();
      return;
    }
    if (in == null || !in.isReadable()) return;
    if (disklessLoad) {
      feedPipe();
    } else if (!loading) {
      writeToFile();
    }
  }

  private void writeToFile() {
    int n = in.readableBytes();
    if (!usemark) n = (int) Math.min(n, transferSize - transferRead);
    ByteBuf piece = in.readSlice(n);
    boolean eof = false;
    if (usemark) {
      // Keep the last 40 bytes seen to find the mark.
      int len = piece.readableBytes();
      if (len >= lastBytes.length) {
        piece.getBytes(piece.readerIndex() + len - lastBytes.length, lastBytes);
      } else {
        System.arraycopy(lastBytes, len, lastBytes, 0, lastBytes.length - len);
        piece.getBytes(piece.readerIndex(), lastBytes, lastBytes.length - len, len);
      }
      eof = Arrays.equals(lastBytes, eofMark);
    }
    try {
      ByteBuffer bb = piece.nioBuffer();
      while (bb.hasRemaining()) tmpChannel.write(bb);
      transferRead += n;
      if (usemark && eof) tmpChannel.truncate(transferRead - RdbTransfer.EOF_MARK_SIZE);
      if (transferRead >= lastFsyncOffset + FSYNC_EVERY) {
        tmpChannel.force(false);
        lastFsyncOffset = transferRead;
      }
    } catch (IOException e) {
      repl.log.warning("Write error or short write writing to the DB dump file needed for MASTER"
          + " <-> REPLICA synchronization: " + e.getMessage());
      cancelHandshake(true);
      return;
    }
    if (!in.isReadable()) {
      in.release();
      in = null;
    }
    if (!usemark && transferRead == transferSize) eof = true;
    if (eof) payloadReceived();
  }

  private void startDisklessLoad() {
    beforeLoad();
    pipe = new LoadPipe(repl.config.getInt(ConfigParams.REPL_TIMEOUT) * 1000L);
    long size = usemark ? -1 : transferSize;
    boolean mark = usemark;
    LoadPipe p = pipe;
    Snapshots snapshots = repl.fullSync.source();
    Thread.ofPlatform().name("redstart-repl-load").daemon().start(() -> {
      Snapshots.Loaded loaded = null;
      String error = null;
      try {
        if (snapshots == null) throw new IOException("no loader");
        InputStream src = size >= 0 ? new Bounded(p, size) : p;
        loaded = snapshots.load(src, size);
        if (mark && p.read() >= 0) error = "Replication stream EOF marker is broken";
      } catch (Exception e) {
        error = "Failed trying to load the MASTER synchronization DB from socket: "
            + (e.getMessage() == null ? e.toString() : e.getMessage());
      }
      Snapshots.Loaded l = loaded;
      String err = error;
      try {
        repl.server.execute(() -> loadDone(p, l, err));
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        // The server stops.
      }
    });
    feedPipe();
  }

  /** An {@link InputStream} ending after {@code size} bytes of another. */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    private long left;

    Bounded(InputStream in, long size) {
      this.in = in;
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) return -1;
      int b = in.read();
      if (b >= 0) left--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) return -1;
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) left -= n;
      return n;
    }
  }

  private void feedPipe() {
    if (pipe == null || in == null || !in.isReadable()) return;
    if (usemark) {
      feedPipeUntilMark();
      return;
    }
    int n = in.readableBytes();
    if (!usemark) n = (int) Math.min(n, transferSize - transferRead);
    if (n > 0) {
      pipe.offer(in.readRetainedSlice(n));
      transferRead += n;
    }
    if (!in.isReadable()) {
      in.release();
      in = null;
    }
    if (channel == null) return;
    if (!usemark && transferRead == transferSize) {
      channel.config().setAutoRead(false); // the stream waits for the load to end
    } else if (pipe.buffered() > PIPE_HIGH) {
      channel.config().setAutoRead(false);
      LoadPipe p = pipe;
      p.whenDrained(PIPE_HIGH / 2, () -> repl.server.execute(() -> {
        if (pipe == p && channel != null) channel.config().setAutoRead(true);
      }));
    }
  }

  /**
   * An EOF-marked transfer to the loader: everything but the last {@code EOF_MARK_SIZE} bytes
   * goes to the pipe; when those are the mark (the master sends nothing after it until our first
   * ACK), the pipe ends there. The mark is checked at the end of each read, as Redis does.
   */
  private void feedPipeUntilMark() {
    int n = in.readableBytes();
    transferRead += n;
    ByteBuf all = markTail == null ? in : append(markTail, in);
    markTail = null;
    in = null;
    int keep = Math.min(all.readableBytes(), RdbTransfer.EOF_MARK_SIZE);
    int give = all.readableBytes() - keep;
    if (give > 0) pipe.offer(all.readRetainedSlice(give));
    markTail = all.readRetainedSlice(keep);
    all.release();
    boolean eof = false;
    if (keep == RdbTransfer.EOF_MARK_SIZE) {
      byte[] last = new byte[keep];
      markTail.getBytes(markTail.readerIndex(), last);
      eof = Arrays.equals(last, eofMark);
    }
    if (eof) {
      markTail.release();
      markTail = null;
      pipe.end();
      if (channel != null) channel.config().setAutoRead(false); // the stream waits for the load
    } else if (channel != null && pipe.buffered() > PIPE_HIGH) {
      channel.config().setAutoRead(false);
      LoadPipe p = pipe;
      p.whenDrained(PIPE_HIGH / 2, () -> repl.server.execute(() -> {
        if (pipe == p && channel != null) channel.config().setAutoRead(true);
      }));
    }
  }

  /** The disk payload is complete: rename it over the RDB file and load it. */
  private void payloadReceived() {
    beforeLoad();
    Path rdb = repl.config.resolve(repl.config.getString(ConfigParams.DBFILENAME));
    try {
      tmpChannel.force(true);
      tmpChannel.close();
      tmpChannel = null;
      try {
        Files.move(tmpFile, rdb, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmpFile, rdb, StandardCopyOption.REPLACE_EXISTING);
      }
      tmpFile = null;
    } catch (IOException e) {
      repl.log.warning("Failed trying to rename the temp DB into " + rdb.getFileName()
          + " in MASTER <-> REPLICA synchronization: " + e.getMessage());
      cancelHandshake(true);
      return;
    }
    if (channel != null) channel.config().setAutoRead(false); // the stream waits for the load
    Snapshots snapshots = repl.fullSync.source();
    Thread.ofPlatform().name("redstart-repl-load").daemon().start(() -> {
      Snapshots.Loaded loaded = null;
      String error = null;
      try (InputStream src = Files.newInputStream(rdb)) {
        if (snapshots == null) throw new IOException("no loader");
        loaded = snapshots.load(src, Files.size(rdb));
      } catch (Exception e) {
        error = "Failed trying to load the MASTER synchronization DB from disk: "
            + (e.getMessage() == null ? e.toString() : e.getMessage());
      }
      Snapshots.Loaded l = loaded;
      String err = error;
      try {
        repl.server.execute(() -> loadDone(null, l, err));
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        // The server stops.
      }
    });
  }

  /** What happens before loading a received dataset: stop persistence, maybe flush. */
  private void beforeLoad() {
    Snapshots s = repl.fullSync.source();
    if (s != null) s.stopForSync();
    boolean swapdb = disklessLoad && repl.config.getEnum(ConfigParams.REPL_DISKLESS_LOAD)
        .equals("swapdb");
    if (!swapdb) {
      attachToNewMaster();
      repl.log.notice("MASTER <-> REPLICA sync: Flushing old data");
      repl.server.flushDatabase(null, -1);
    }
    repl.log.notice("MASTER <-> REPLICA sync: Loading DB in memory");
    loading = true;
    // Async loading (swapdb, same history): the old data keeps serving reads meanwhile.
    asyncLoading = swapdb && repl.replid.equals(masterReplid);
    if (!asyncLoading) repl.server.loading(true);
  }

  /** replicationAttachToNewMaster: a new history; our replicas must resynchronize too. */
  private void attachToNewMaster() {
    discardCachedMaster();
    repl.disconnectReplicas();
    repl.freeBacklog();
  }

  /** The loader finished (keyspace thread). */
  private void loadDone(LoadPipe p, Snapshots.Loaded loaded, String error) {
    if (p != null && p != pipe) return; // a cancelled transfer's loader
    if (!loading) return;
    loading = false;
    if (!asyncLoading) repl.server.loading(false);
    asyncLoading = false;
    boolean swapdb = disklessLoad && repl.config.getEnum(ConfigParams.REPL_DISKLESS_LOAD)
        .equals("swapdb");
    if (error != null || loaded == null) {
      repl.log.warning(error == null ? "Failed trying to load the MASTER synchronization DB"
          : error);
      if (swapdb) {
        repl.log.notice("MASTER <-> REPLICA sync: Discarding temporary DB in background");
      }
      cancelHandshake(true);
      return;
    }
    if (swapdb) {
      attachToNewMaster();
      repl.log.notice("MASTER <-> REPLICA sync: Swapping active DB with loaded DB");
      loaded.install();
      repl.log.notice("MASTER <-> REPLICA sync: Discarding old DB in background");
    } else {
      loaded.install();
    }
    if (disklessLoad) repl.server.incrDirty(1);
    ByteBuf rest = null;
    if (p != null) {
      for (ByteBuf b : p.takeRest()) rest = append(rest, b);
      pipe = null;
    }
    if (in != null) {
      rest = append(rest, in);
      in = null;
    }
    createMasterClient(loaded.streamDb());
    state = State.CONNECTED;
    downSince = 0;
    repl.replid = masterReplid;
    repl.buffer.offset(reploff);
    repl.clearReplicationId2();
    if (!repl.buffer.active()) repl.createBacklog();
    repl.log.notice("MASTER <-> REPLICA sync: Finished with success");
    if (usemark) sendAck();
    restartAofIfNeeded();
    if (channel != null) channel.config().setAutoRead(true);
    if (rest != null && rest.isReadable()) {
      masterInput(rest);
    } else if (rest != null) {
      rest.release();
    }
  }

  private static ByteBuf append(ByteBuf a, ByteBuf b) {
    if (a == null) return b;
    ByteBuf m = Unpooled.buffer(a.readableBytes() + b.readableBytes());
    m.writeBytes(a);
    m.writeBytes(b);
    a.release();
    b.release();
    return m;
  }

  void restartAofIfNeeded() {
    Snapshots s = repl.fullSync.source();
    if (s != null) s.restartAof();
  }

  // ---- the master client

  /** replicationCreateMasterClient: the stream's commands run as this client's. */
  private void createMasterClient(int db) {
    masterConn = new LinkConnection(channel);
    Client c = repl.server.newLocalClient(masterConn);
    // Redis counts accepted connections only; the master link is one we opened.
    repl.server.stats().totalConnectionsReceived--;
    c.replicationRole(2);
    c.authenticated("default");
    master = c;
    reploff = masterInitialOffset;
    readReploff = reploff;
    masterPrePsync = reploff == -1;
    masterLastInteraction = now();
    protocolError = false;
    if (query != null) query.release();
    query = null;
    applied = 0;
    parser = new RequestParser(Long.MAX_VALUE);
    if (db >= 0 && db < repl.server.keyspace().databases()) c.select(db);
  }

  /** replicationResurrectCachedMaster. */
  private void resurrectCachedMaster() {
    masterInitialOffset = cached.reploff();
    masterReplid = cached.replid();
    int db = cached.db();
    cached = null;
    createMasterClient(db);
    state = State.CONNECTED;
    downSince = 0;
  }

  /** Bytes of the master's stream: run its commands, count and proxy what was applied. */
  private void masterInput(ByteBuf b) {
    int n = b.readableBytes();
    readReploff += n;
    masterLastInteraction = now();
    if (query == null) query = Unpooled.buffer(Math.max(16 * 1024, n));
    query.writeBytes(b);
    b.release();
    processMasterInput();
  }

  private void processMasterInput() {
    Client c = master;
    if (c == null) return;
    var ks = repl.server.keyspace();
    try {
      while (query != null && query.isReadable() && master == c && !c.isClosed()) {
        int start = query.readerIndex();
        byte first = query.getByte(start);
        if (!parser.isMidCommand() && first != '*' && first != '\n' && first != '\r') {
          repl.log.warning("WARNING: Receiving inline protocol from master, master stream"
              + " corruption? Closing the master connection and discarding the cached master.");
          protocolError = true;
          c.closeNow();
          return;
        }
        byte[][] argv = parser.next(query, true);
        if (argv == null) break;
        ks.obeyMaster(true);
        try {
          repl.server.dispatcher().process(c, argv);
        } finally {
          ks.obeyMaster(false);
        }
        if (c.commandFailed() && masterConn != null) {
          // The reply is dropped, but Redis logs what its master would have been told.
          masterConn.lastError = null;
          repl.server.flushPending();
          repl.log.warning("== CRITICAL == This replica is sending an error to its master: '"
              + (masterConn.lastError == null ? "" : masterConn.lastError)
              + "' after processing the command '"
              + Replication.cstr(argv[0]).toLowerCase(Locale.ROOT) + "'");
        }
        if (master != c || query == null) return;
        if (!repl.server.gates().inMulti(c)) {
          int end = query.readerIndex();
          if (end > applied) {
            reploff += end - applied;
            repl.feedFromMasterStream(query.slice(applied, end - applied));
            applied = end;
          }
        }
      }
    } catch (ProtocolException e) {
      repl.log.warning("Protocol error (" + e.getMessage() + ") from client: " + c.info());
      protocolError = true;
      c.closeNow();
      return;
    }
    // Drop what was applied; keep the rest (and the unapplied part of a MULTI).
    if (query == null) return;
    if (applied == query.writerIndex()) {
      query.clear();
      applied = 0;
    } else if (applied > 64 * 1024) {
      int keep = query.writerIndex() - applied;
      int read = query.readerIndex() - applied;
      query.setBytes(0, query, applied, keep);
      query.setIndex(read, keep);
      applied = 0;
    }
  }

  /** replicationSendAck: REPLCONF ACK with the offset applied so far. */
  void sendAck() {
    if (master == null || channel == null) return;
    write(command("REPLCONF", "ACK", Long.toString(reploff)));
  }

  /** The master client went away (the link broke, CLIENT KILL, a protocol error). */
  void masterClientClosed(Client c) {
    if (c != master) return;
    repl.log.warning("Connection with master lost.");
    if (!protocolError) {
      repl.log.notice("Caching the disconnected master state.");
      cached = new Cached(masterReplid, reploff, c.dbIndex());
    } else {
      cached = null;
    }
    master = null;
    masterConn = null;
    if (query != null) {
      query.release();
      query = null;
    }
    applied = 0;
    parser = new RequestParser(Long.MAX_VALUE);
    Channel ch = channel;
    channel = null;
    if (ch != null) ch.close();
    handleMasterDisconnection();
  }

  /** replicationHandleMasterDisconnection. */
  private void handleMasterDisconnection() {
    state = State.CONNECT;
    downSince = now();
    if (repl.masterHost != null) {
      repl.log.notice("Reconnecting to MASTER " + repl.masterHost + ":" + repl.masterPort);
      connect();
    }
  }

  /** Closes the current master client (it gets cached, as freeClient(server.master) does). */
  void dropMasterClient() {
    if (master != null) master.closeNow();
  }

  /** replicationCacheMasterUsingMyself: our own id and offset, to PSYNC a promoted replica. */
  void cacheMasterUsingMyself(int db) {
    repl.log.notice("Before turning into a replica, using my own master parameters to synthesize"
        + " a cached master: I may be able to synchronize with the new master with just a"
        + " partial transfer.");
    cached = new Cached(repl.replid, repl.buffer.offset(), db);
  }

  /** replicationDiscardCachedMaster. */
  void discardCachedMaster() {
    if (cached == null) return;
    repl.log.notice("Discarding previously cached master state.");
    cached = null;
  }

  /** The stream database to save with our ids (rdbPopulateSaveInfo on a replica), or -1. */
  int streamDbForSave() {
    if (master != null) return master.dbIndex();
    if (cached != null) return Math.max(0, cached.db());
    return -1;
  }

  // ---- aborting (cancelReplicationHandshake)

  /** The connection closed. */
  private void onClosed() {
    if (master != null) {
      master.closeNow(); // masterClientClosed does the rest
      return;
    }
    if (state == State.TRANSFER) {
      repl.log.warning("I/O error trying to sync with MASTER: connection lost");
      cancelHandshake(true);
    } else if (state == State.CONNECTING || inHandshake()) {
      repl.log.warning("Master did not respond to command during SYNC handshake");
      closeTransfer();
      state = State.CONNECT;
    }
  }

  private void handshakeError() {
    closeTransfer();
    state = State.CONNECT;
  }

  /** cancelReplicationHandshake; true when a handshake or transfer was under way. */
  boolean cancelHandshake(boolean reconnect) {
    if (state == State.TRANSFER) {
      abortTransfer();
      state = State.CONNECT;
    } else if (state == State.CONNECTING || inHandshake()) {
      closeTransfer();
      state = State.CONNECT;
    } else {
      return false;
    }
    if (!reconnect || repl.masterHost == null) return true;
    repl.log.notice("Reconnecting to MASTER " + repl.masterHost + ":" + repl.masterPort
        + " after failure");
    connect();
    return true;
  }

  /** replicationAbortSyncTransfer. */
  private void abortTransfer() {
    if (markTail != null) {
      markTail.release();
      markTail = null;
    }
    if (pipe != null) {
      pipe.abort();
      pipe = null;
    }
    if (loading) {
      loading = false;
      if (!asyncLoading) repl.server.loading(false);
      asyncLoading = false;
    }
    closeTransfer();
  }

  private void closeTransfer() {
    Channel ch = channel;
    channel = null;
    if (ch != null) ch.close();
    if (in != null) {
      in.release();
      in = null;
    }
    if (tmpChannel != null) {
      try {
        tmpChannel.close();
      } catch (IOException ignored) {
        // Closing a temporary file we are about to delete.
      }
      tmpChannel = null;
    }
    if (tmpFile != null) {
      try {
        Files.deleteIfExists(tmpFile);
      } catch (IOException ignored) {
        // Best effort, as Redis's bg_unlink.
      }
      tmpFile = null;
    }
  }

  /** REPLICAOF NO ONE: the link is no more. */
  void stopped() {
    state = State.NONE;
    downSince = 0;
  }

  // ---- cron (replicationCron, replica part)

  void cron(long now) {
    if (repl.masterHost == null) return;
    int timeout = repl.config.getInt(ConfigParams.REPL_TIMEOUT);
    if ((state == State.CONNECTING || inHandshake()) && now - lastIo > timeout) {
      repl.log.warning("Timeout connecting to the MASTER...");
      cancelHandshake(true);
    }
    if (state == State.TRANSFER && loading) {
      lastIo = now;
      // replicationSendNewlineToMaster: keep the master from timing us out while we load.
      if (channel != null) channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'\n'}));
    }
    if (state == State.TRANSFER && now - lastIo > timeout) {
      repl.log.warning("Timeout receiving bulk data from MASTER... If the problem persists try to"
          + " set the 'repl-timeout' parameter in redis.conf to a larger value.");
      cancelHandshake(true);
    }
    if (state == State.CONNECTED && master != null && now - masterLastInteraction > timeout) {
      repl.log.warning("MASTER timeout: no data nor PING received...");
      master.closeNow();
    }
    if (state == State.CONNECT) {
      repl.log.notice("Connecting to MASTER " + repl.masterHost + ":" + repl.masterPort);
      connect();
    }
    if (master != null && !masterPrePsync) sendAck();
  }

  // ---- ROLE and INFO

  String roleState() {
    if (inHandshake()) return "handshake";
    return switch (state) {
      case NONE -> "none";
      case CONNECT -> "connect";
      case CONNECTING -> "connecting";
      case TRANSFER -> "sync";
      case CONNECTED -> "connected";
      default -> "unknown";
    };
  }

  long masterOffsetOrMinusOne() {
    return master != null ? reploff : -1;
  }

  void info(StringBuilder sb) {
    long now = now();
    long replOffset = 1;
    long readOffset = 1;
    if (master != null) {
      replOffset = reploff;
      readOffset = readReploff;
    } else if (cached != null) {
      replOffset = cached.reploff();
      readOffset = cached.reploff();
    }
    Replication.line(sb, "master_host", repl.masterHost);
    Replication.line(sb, "master_port", repl.masterPort);
    Replication.line(sb, "master_link_status", state == State.CONNECTED ? "up" : "down");
    Replication.line(sb, "master_last_io_seconds_ago",
        master != null ? now - masterLastInteraction : -1);
    Replication.line(sb, "master_sync_in_progress", state == State.TRANSFER ? 1 : 0);
    Replication.line(sb, "slave_read_repl_offset", readOffset);
    Replication.line(sb, "slave_repl_offset", replOffset);
    if (state == State.TRANSFER) {
      double perc = transferSize > 0 ? (double) transferRead / transferSize * 100 : 0;
      Replication.line(sb, "master_sync_total_bytes", transferSize);
      Replication.line(sb, "master_sync_read_bytes", transferRead);
      Replication.line(sb, "master_sync_left_bytes", transferSize - transferRead);
      Replication.line(sb, "master_sync_perc", String.format(Locale.ROOT, "%.2f", perc));
      Replication.line(sb, "master_sync_last_io_seconds_ago", now - lastIo);
    }
    if (state != State.CONNECTED) {
      Replication.line(sb, "master_link_down_since_seconds", downSince != 0 ? now - downSince : -1);
    }
    Replication.line(sb, "slave_priority", repl.config.getInt(ConfigParams.REPLICA_PRIORITY));
    Replication.line(sb, "slave_read_only",
        repl.config.getBool(ConfigParams.REPLICA_READ_ONLY) ? 1 : 0);
    Replication.line(sb, "replica_announced",
        repl.config.getBool(ConfigParams.REPLICA_ANNOUNCED) ? 1 : 0);
  }

  // ---- writing

  private void write(ByteBuf b) {
    Channel ch = channel;
    if (ch == null) {
      b.release();
      return;
    }
    ch.writeAndFlush(b, ch.voidPromise());
  }

  /** A command in RESP, as sendCommand writes it. */
  static ByteBuf command(String... args) {
    StringBuilder sb = new StringBuilder();
    sb.append('*').append(args.length).append("\r\n");
    for (String a : args) {
      byte[] b = a.getBytes(StandardCharsets.ISO_8859_1);
      sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
    }
    return Unpooled.copiedBuffer(sb, StandardCharsets.ISO_8859_1);
  }

  /**
   * The master client's connection: its replies are dropped (a replica never answers its master,
   * except REPLCONF ACK, which the link writes itself); closing it closes the link.
   */
  private final class LinkConnection implements Connection {
    private final Channel ch;
    private final String remote;
    private final String local;
    private final boolean isLocal;

    LinkConnection(Channel ch) {
      this.ch = ch;
      this.remote = format(ch == null ? null : ch.remoteAddress());
      this.local = format(ch == null ? null : ch.localAddress());
      InetAddress a = ch != null && ch.remoteAddress() instanceof InetSocketAddress isa
          ? isa.getAddress() : null;
      this.isLocal = a == null || a.isLoopbackAddress();
    }

    @Override
    public ByteBufAllocator alloc() {
      return ByteBufAllocator.DEFAULT;
    }

    /** The last error reply the master client would have been sent (for the log). */
    String lastError;

    @Override
    public void writeAndFlush(ByteBuf buf) {
      // The last line starting with '-' is the error of the command that just failed.
      for (int i = buf.readerIndex(); i < buf.writerIndex(); i++) {
        if (buf.getByte(i) != '-' || (i > buf.readerIndex() && buf.getByte(i - 1) != '\n')) {
          continue;
        }
        int end = buf.indexOf(i, buf.writerIndex(), (byte) '\r');
        if (end > i) lastError = buf.toString(i + 1, end - i - 1, StandardCharsets.ISO_8859_1);
      }
      buf.release();
    }

    @Override
    public void close() {
      if (ch != null) ch.close();
    }

    @Override
    public void autoRead(boolean on) {
      if (ch != null) ch.config().setAutoRead(on);
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
      return -1;
    }

    @Override
    public boolean isLocal() {
      return isLocal;
    }

    @Override
    public long pendingOutputBytes() {
      return 0;
    }
  }

  private static String format(SocketAddress a) {
    if (a instanceof InetSocketAddress isa) {
      InetAddress ia = isa.getAddress();
      String host = ia == null ? isa.getHostString() : ia.getHostAddress();
      int pct = host.indexOf('%');
      if (pct >= 0) host = host.substring(0, pct);
      return host + ":" + isa.getPort();
    }
    return String.valueOf(a);
  }
}
