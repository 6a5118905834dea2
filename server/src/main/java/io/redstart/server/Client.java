package io.redstart.server;

import io.netty.buffer.ByteBuf;
import io.redstart.command.CommandSpec;
import io.redstart.resp.ProtocolException;
import io.redstart.resp.RequestParser;
import io.redstart.resp.RespWriter;
import io.redstart.store.Database;

/**
 * One client connection's state: its selected database, protocol, authentication, name, flags,
 * the query buffer and parser, and the reply buffer. Commands reach it through {@link
 * #onInput}; handlers reply through {@link #reply()} and {@link #error(String)}.
 *
 * <p>Owned by the keyspace thread, as everything a command touches.
 */
public final class Client {
  /** CLIENT REPLY modes. */
  public enum ReplyMode {
    ON,
    OFF,
    SKIP
  }

  private final RedstartServer server;
  private final Connection conn;
  private final long id;
  private final long createdMillis;

  private final RequestParser parser;
  private ByteBuf queryBuf;
  private final RespWriter writer = new RespWriter();
  /** Writes out-of-band data (pub/sub messages, invalidations, MONITOR lines) into {@link #out}. */
  private final RespWriter pushWriter = new RespWriter();
  private ByteBuf out;
  private boolean pendingFlush;

  private Database db;
  private int dbIndex;
  private String name = "";
  private String user = "default";
  private boolean authenticated;
  private long lastInteractionMillis;
  private CommandSpec lastCommand;

  // Flags, as CLIENT LIST shows them.
  private boolean closeAfterReply;
  private boolean closed;
  private boolean noEvict;
  private boolean noTouch;
  private boolean monitor;
  /** Over its output buffer limit: closed after the current batch of work, gets no more data. */
  private boolean closeAsap;
  /** When the soft output limit was first seen reached (Unix seconds), 0 when under it. */
  private long obufSoftLimitReachedSeconds;
  private ReplyMode replyMode = ReplyMode.ON;
  private boolean skipThisReply;
  /** Set by {@link #error}; read by the dispatcher to count failed calls. */
  private boolean commandFailed;

  /** MULTI/WATCH state, owned by the transactions subsystem (null when none). */
  private Object transactionState;
  private Object pubsubState;
  private Object trackingState;
  /** Set by the blocking subsystem while the client waits in a blocking command. */
  private boolean blocked;

  private CommandSpec currentCommand;
  private byte[][] currentArgv;
  private int replicationRole;
  /** Postponed by CLIENT PAUSE: the command is held in {@link #postponedArgv}. */
  private byte[][] postponedArgv;

  /** Reply bytes discarded under CLIENT REPLY OFF/SKIP. */
  private ByteBuf discard;

  Client(RedstartServer server, Connection conn, long id) {
    this.server = server;
    this.conn = conn;
    this.id = id;
    this.createdMillis = server.keyspace().now();
    this.lastInteractionMillis = createdMillis;
    this.parser = new RequestParser(server.protoMaxBulkLen());
    this.db = server.keyspace().db(0);
    this.authenticated = !server.authRequired();
  }

  public RedstartServer server() {
    return server;
  }

  public Connection connection() {
    return conn;
  }

  public long id() {
    return id;
  }

  // ---- input

  /**
   * Feeds input from the peer (ownership of {@code data} passes here) and runs every complete
   * command in it, in order, until the client blocks, is paused or is to be closed.
   */
  public void onInput(ByteBuf data) {
    if (closed) {
      data.release();
      return;
    }
    if (queryBuf == null) {
      if (data.hasArray()) {
        queryBuf = data;
      } else {
        // The parser reads heap arrays directly; one copy here is far cheaper than reading a
        // direct buffer byte by byte through its accessors.
        queryBuf = conn.alloc().heapBuffer(Math.max(data.readableBytes(), 1024));
        queryBuf.writeBytes(data);
        data.release();
      }
    } else {
      if (queryBuf.writableBytes() < data.readableBytes()) {
        queryBuf.discardReadBytes();
      }
      if (queryBuf.maxWritableBytes() < data.readableBytes() || queryBuf.refCnt() > 1) {
        ByteBuf merged =
            conn.alloc().heapBuffer(queryBuf.readableBytes() + data.readableBytes());
        merged.writeBytes(queryBuf);
        queryBuf.release();
        queryBuf = merged;
      }
      queryBuf.writeBytes(data);
      data.release();
    }
    lastInteractionMillis = server.keyspace().updateTime();
    processInput();
    if (queryBuf != null && queryBuf.readableBytes() > server.clientQueryBufferLimit()) {
      server.log().warning("Closing client that reached max query buffer length: " + info()
          + " (qbuf initial bytes: ...)");
      closeNow();
    }
  }

  /** Runs the commands already in the query buffer. */
  void processInput() {
    batchStart = queryBuf == null ? -1 : queryBuf.readerIndex();
    try {
      while (queryBuf != null && queryBuf.isReadable()) {
        if (closeAfterReply || closed || postponedArgv != null || blocked) break;
        if (server.runsSuspendedCommand(this)) break;
        byte[][] argv = parser.next(queryBuf, authenticated);
        if (argv == null) break;
        server.dispatcher().process(this, argv);
      }
    } catch (ProtocolException e) {
      error("ERR " + e.getMessage());
      closeAfterReply = true;
      server.log().verbose("Protocol error (" + e.getMessage() + ") from client: " + info());
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      // A bug or an exhausted resource in one command must not take the server down: the
      // client's reply may be half written, so it is closed; everyone else goes on.
      server.log().warning("Internal error running a command for " + this + ": " + e);
      java.io.StringWriter sw = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(sw));
      server.log().verbose(sw.toString());
      closeNow();
      return;
    }
    batchStart = -1;
    if (queryBuf != null && !queryBuf.isReadable()) {
      queryBuf.release();
      queryBuf = null;
    }
    if (closeAfterReply) {
      server.markPendingFlush(this);
    }
  }

  /** Where the commands being run began in the query buffer; -1 between batches. */
  private int batchStart = -1;

  /**
   * The query buffer's length as Redis's CLIENT LIST qbuf reports it: while the commands of one
   * read run, Redis keeps them in its buffer (it trims the buffer after the batch), so the bytes
   * of the running command and of those before it in the batch count too.
   */
  public int queryBufferLength() {
    if (queryBuf == null) return 0;
    if (batchStart >= 0 && batchStart <= queryBuf.readerIndex()) {
      return queryBuf.writerIndex() - batchStart;
    }
    return queryBuf.readableBytes();
  }

  /**
   * CLIENT LIST's argv-mem: the arguments of the running command while it runs, else those
   * already received of a command still arriving (memory Redis counts against maxmemory).
   */
  public long argvMemory() {
    long pending = parser.pendingArgvBytes();
    if (pending > 0) return pending;
    byte[][] argv = currentArgv();
    if (argv == null || server.currentClient() != this) return 0;
    long n = 0;
    for (byte[] a : argv) n += a.length;
    return n;
  }

  public RequestParser parser() {
    return parser;
  }

  // ---- output

  /**
   * The writer for this client's reply. Under CLIENT REPLY OFF or SKIP the bytes are discarded.
   */
  public RespWriter reply() {
    if (replyMode != ReplyMode.ON || skipThisReply) {
      if (discard == null) discard = io.netty.buffer.Unpooled.buffer(256);
      discard.clear();
      writer.buffer(discard);
      return writer;
    }
    if (out == null) {
      out = conn.alloc().buffer(256);
      writer.buffer(out);
      if (!pendingFlush) {
        pendingFlush = true;
        server.markPendingFlush(this);
      }
    } else if (writer.buffer() != out) {
      writer.buffer(out);
    }
    return writer;
  }

  /**
   * Replies with an error (text with its code, e.g. "ERR syntax error") and counts it in the
   * error statistics, as Redis's addReplyError does.
   */
  public void error(String message) {
    reply().error(message);
    commandFailed = true;
    server.stats().countError(message);
  }

  /**
   * Takes the reply bytes queued so far and leaves the buffer empty; the caller owns (and
   * releases) the returned buffer, null when nothing was queued. For clients driven in-process,
   * as the scripting engine's client, whose replies are read back instead of sent.
   */
  public ByteBuf takeReply() {
    ByteBuf b = out;
    out = null;
    return b;
  }

  /**
   * The reply bytes queued so far, left in place: the caller reads them and clears the buffer,
   * which the next reply reuses. Null when nothing was queued. For in-process clients.
   */
  public ByteBuf replyBuffer() {
    return out;
  }

  /**
   * The writer for data the client did not ask for in this command's reply: pub/sub messages,
   * tracking invalidations, MONITOR lines (Redis's CLIENT_PUSHING). It writes even under CLIENT
   * REPLY OFF or SKIP, and after the reply bytes queued so far; a client to be closed for its
   * output buffer limit gets nothing more. Callers call {@link #afterPush} once written.
   */
  public RespWriter push() {
    pushWriter.protocol(writer.protocol());
    if (closed || closeAsap) {
      if (discard == null) discard = io.netty.buffer.Unpooled.buffer(256);
      discard.clear();
      pushWriter.buffer(discard);
      return pushWriter;
    }
    if (out == null) {
      // Messages come in bursts (a turn's worth per subscriber): start big enough not to grow.
      out = conn.alloc().buffer(PUSH_BUFFER_BYTES);
      if (!pendingFlush) {
        pendingFlush = true;
        server.markPendingFlush(this);
      }
    }
    pushWriter.buffer(out);
    return pushWriter;
  }

  private static final int PUSH_BUFFER_BYTES = 4096;

  /** Queued output past which pushes to a client are written before the batch of work ends. */
  private static final int EARLY_FLUSH_BYTES = 64 * 1024;

  /**
   * Ends a {@link #push}: a large backlog is handed to the connection at once (unless this client
   * is running the command, whose reply may be half written), so that a burst of messages does
   * not pile up in memory until the batch ends; then the output buffer limit is applied, closing
   * the client after the batch when it is reached.
   */
  public void afterPush() {
    if (out != null && out.readableBytes() >= EARLY_FLUSH_BYTES && !closed && !closeAsap
        && server.currentClient() != this) {
      ByteBuf b = out;
      out = null;
      conn.writeAndFlush(b);
    }
    closeIfOutputLimitReached(true);
  }

  /** Writes what has been queued for this client to the connection. */
  void flush() {
    pendingFlush = false;
    if (!closed) closeIfOutputLimitReached(true);
    if (closeAsap) {
      if (out != null) {
        out.release();
        out = null;
      }
      closeNow();
      return;
    }
    if (out != null) {
      ByteBuf b = out;
      out = null;
      if (b.isReadable() && !closed) {
        conn.writeAndFlush(b);
      } else {
        b.release();
      }
    }
    if (closeAfterReply && !closed) closeNow();
  }

  /** Bytes of replies queued here and not yet handed to the transport. */
  int pendingReplyBytes() {
    return out == null ? 0 : out.readableBytes();
  }

  /** Bytes of replies waiting: ours not yet handed over plus the transport's queue. */
  public long outputBytes() {
    return (out == null ? 0 : out.readableBytes()) + conn.pendingOutputBytes();
  }

  // ---- output buffer limits

  /**
   * Redis keeps the first 16 KB of pending output in a static buffer that the limits do not
   * count: only what spills into its reply list does.
   */
  private static final long STATIC_REPLY_BUFFER = 16 * 1024;

  /**
   * Applies client-output-buffer-limit to this client's class (normal, replica or pubsub; masters
   * and MONITOR clients count as normal): past the hard limit, or past the soft limit for longer
   * than its seconds, the client is closed and Redis's warning logged. With {@code async} it is
   * marked to be closed once the current batch of work ends (the caller may be iterating over
   * subscribers) and gets no more data; otherwise it is closed at once. Returns true when the
   * client was closed or marked.
   */
  public boolean closeIfOutputLimitReached(boolean async) {
    if (closed || closeAsap) return false;
    long used = outputBytes() - STATIC_REPLY_BUFFER;
    if (used <= 0 && (replicationRole != 1 || monitor)) {
      obufSoftLimitReachedSeconds = 0;
      return false;
    }
    if (!outputLimitReached(outputLimitClass(), Math.max(0, used))) return false;
    if (async) {
      scheduleCloseForOutput();
    } else {
      String info = info();
      if (out != null) {
        out.release();
        out = null;
      }
      closeNow();
      server.log().warning("Client " + info + " closed for overcoming of output buffer limits.");
    }
    return true;
  }

  /**
   * Marks the client to be closed once the current batch of work ends, its pending output dropped
   * and Redis's warning logged, as when it passes its output buffer limit. Also for replies the
   * server bounds itself when no limit is set (SRANDMEMBER with a huge negative count).
   */
  public void scheduleCloseForOutput() {
    if (closed || closeAsap) return;
    String info = info(); // before the flag: Redis logs the client as it was
    closeAsap = true;
    server.markPendingFlush(this);
    server.log().warning("Client " + info
        + " scheduled to be closed ASAP for overcoming of output buffer limits.");
  }

  /** 0 normal, 1 replica, 2 pubsub: the client-output-buffer-limit class (getClientType). */
  private int outputLimitClass() {
    if (replicationRole == 1 && !monitor) return 1;
    if (server.inSubscribeContext(this)) return 2;
    return 0;
  }

  /** checkClientOutputBufferLimits: the hard limit at once, the soft one after its seconds. */
  private boolean outputLimitReached(int cls, long used) {
    io.redstart.config.SpecialParams.BufferLimit limit = server.outputBufferLimit(cls);
    long hardLimit = limit.hard();
    if (cls == 1 && hardLimit != 0) hardLimit = Math.max(hardLimit, server.replBacklogSize());
    boolean hard = limit.hard() != 0 && Long.compareUnsigned(used, hardLimit) >= 0;
    boolean soft = limit.soft() != 0 && Long.compareUnsigned(used, limit.soft()) >= 0;
    if (soft) {
      long now = server.keyspace().now() / 1000;
      if (obufSoftLimitReachedSeconds == 0) {
        obufSoftLimitReachedSeconds = now;
        soft = false;
      } else if (now - obufSoftLimitReachedSeconds <= limit.softSeconds()) {
        soft = false;
      }
    } else {
      obufSoftLimitReachedSeconds = 0;
    }
    return soft || hard;
  }

  /** Whether the client is to be closed for its output buffer limit (flag A of CLIENT LIST). */
  public boolean isCloseAsap() {
    return closeAsap;
  }

  // ---- lifecycle

  /** Closes after the replies queued so far are written (QUIT, protocol errors, KILL ...). */
  public void closeAfterReply() {
    closeAfterReply = true;
    server.markPendingFlush(this);
  }

  public boolean isCloseAfterReply() {
    return closeAfterReply;
  }

  /** Closes at once: pending output is flushed by the transport, the client is unregistered. */
  public void closeNow() {
    if (closed) return;
    closed = true;
    if (out != null) {
      ByteBuf b = out;
      out = null;
      if (b.isReadable()) {
        conn.writeAndFlush(b);
      } else {
        b.release();
      }
    }
    conn.close();
    server.clientClosed(this);
  }

  /** Called when the transport reports the connection gone. */
  void connectionLost() {
    if (!closed) {
      closed = true;
      server.clientClosed(this);
    }
    releaseBuffers();
  }

  void releaseBuffers() {
    if (queryBuf != null) {
      queryBuf.release();
      queryBuf = null;
    }
    if (out != null) {
      out.release();
      out = null;
    }
  }

  public boolean isClosed() {
    return closed;
  }

  // ---- state

  public Database db() {
    return db;
  }

  public int dbIndex() {
    return dbIndex;
  }

  public void select(int index) {
    this.dbIndex = index;
    this.db = server.keyspace().db(index);
  }

  public int protocol() {
    return writer.protocol();
  }

  public void protocol(int resp) {
    writer.protocol(resp);
  }

  public String name() {
    return name;
  }

  public void name(String name) {
    this.name = name;
  }

  public String user() {
    return user;
  }

  public boolean authenticated() {
    return authenticated;
  }

  public void authenticated(String user) {
    this.user = user;
    this.authenticated = true;
  }

  public void deauthenticate() {
    this.authenticated = !server.authRequired();
    this.user = "default";
  }

  public long createdMillis() {
    return createdMillis;
  }

  public long lastInteractionMillis() {
    return lastInteractionMillis;
  }

  public CommandSpec lastCommand() {
    return lastCommand;
  }

  public void lastCommand(CommandSpec cmd) {
    this.lastCommand = cmd;
  }

  public boolean noEvict() {
    return noEvict;
  }

  public void noEvict(boolean on) {
    this.noEvict = on;
  }

  public boolean noTouch() {
    return noTouch;
  }

  public void noTouch(boolean on) {
    this.noTouch = on;
  }

  /** Whether the client is a MONITOR (never timed out; flag O of CLIENT LIST). */
  public boolean isMonitor() {
    return monitor;
  }

  public void monitor(boolean on) {
    this.monitor = on;
  }

  public ReplyMode replyMode() {
    return replyMode;
  }

  /**
   * CLIENT REPLY: OFF and SKIP take effect after the current command's own reply; ON takes effect
   * at once, so that CLIENT REPLY ON run as the command a SKIP silences still replies OK (Redis
   * clears both flags before replying).
   */
  public void replyMode(ReplyMode mode) {
    this.replyMode = mode;
    if (mode == ReplyMode.ON) skipThisReply = false;
  }

  /** Called by the dispatcher before each command: SKIP silences exactly the next command. */
  public void beforeCommand(CommandSpec cmd, byte[][] argv) {
    commandFailed = false;
    currentCommand = cmd;
    currentArgv = argv;
    if (replyMode == ReplyMode.SKIP) {
      skipThisReply = true;
      replyMode = ReplyMode.ON;
    }
  }

  public void afterCommand() {
    skipThisReply = false;
  }

  /** Puts back the outer command as current after a nested call returns. */
  public void beforeCommandRestore(CommandSpec cmd, byte[][] argv) {
    this.currentCommand = cmd;
    this.currentArgv = argv;
  }

  /** Restores the outer command's failure flag after a nested call (EXEC, scripts). */
  public void restoreCommandFailed(boolean failed) {
    this.commandFailed = failed;
  }

  /** Whether the current command replied with an error. */
  public boolean commandFailed() {
    return commandFailed;
  }

  /** The arguments of the command being run. */
  public byte[][] currentArgv() {
    return currentArgv;
  }

  /** The command being run, or the last one run. */
  public CommandSpec currentCommand() {
    return currentCommand;
  }

  /** The transactions subsystem's state for this client; not for other uses. */
  public Object transactionState() {
    return transactionState;
  }

  public void transactionState(Object state) {
    this.transactionState = state;
  }

  /** The pub/sub subsystem's state (subscriptions) for this client; not for other uses. */
  public Object pubsubState() {
    return pubsubState;
  }

  public void pubsubState(Object state) {
    this.pubsubState = state;
  }

  /** The client-side caching subsystem's state for this client; not for other uses. */
  public Object trackingState() {
    return trackingState;
  }

  public void trackingState(Object state) {
    this.trackingState = state;
  }

  /** Whether the client waits in a blocking command (kept by the blocking subsystem). */
  public boolean blocked() {
    return blocked;
  }

  public void blocked(boolean on) {
    this.blocked = on;
  }

  /** Whether this is a replication link (a replica, or our master): never paused or timed out. */
  public boolean isReplicationLink() {
    return replicationRole != 0;
  }

  /** 0 normal, 1 a replica of ours, 2 our master. */
  public int replicationRole() {
    return replicationRole;
  }

  public void replicationRole(int role) {
    this.replicationRole = role;
  }

  // ---- pause support

  void postpone(byte[][] argv) {
    postponedArgv = argv;
  }

  byte[][] takePostponed() {
    byte[][] a = postponedArgv;
    postponedArgv = null;
    return a;
  }

  boolean isPostponed() {
    return postponedArgv != null;
  }

  /** The order in which Redis lists the flags of CLIENT LIST. */
  private static final String FLAG_ORDER = "OSMPxbtRBdcuAUreT";

  /** The flags field of CLIENT LIST, in Redis's order whoever contributed them. */
  public String flagsString() {
    StringBuilder sb = new StringBuilder();
    server.appendClientFlags(this, sb);
    if (closeAfterReply) sb.append('c');
    if (closeAsap) sb.append('A');
    if (noEvict) sb.append('e');
    if (noTouch) sb.append('T');
    if (sb.isEmpty()) return "N";
    char[] flags = sb.toString().toCharArray();
    for (int i = 1; i < flags.length; i++) {
      char f = flags[i];
      int j = i - 1;
      while (j >= 0 && FLAG_ORDER.indexOf(flags[j]) > FLAG_ORDER.indexOf(f)) {
        flags[j + 1] = flags[j];
        j--;
      }
      flags[j + 1] = f;
    }
    return new String(flags);
  }

  /** One CLIENT LIST / CLIENT INFO line, without its newline. */
  public String info() {
    return ClientInfo.format(this);
  }

  @Override
  public String toString() {
    return "client id=" + id + " addr=" + conn.remoteAddress();
  }
}
