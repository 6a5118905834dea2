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
  private ReplyMode replyMode = ReplyMode.ON;
  private boolean skipThisReply;
  /** Set by {@link #error}; read by the dispatcher to count failed calls. */
  private boolean commandFailed;

  /** MULTI/WATCH state, owned by the transactions subsystem (null when none). */
  private Object transactionState;
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
      queryBuf = data;
    } else {
      if (queryBuf.writableBytes() < data.readableBytes()) {
        queryBuf.discardReadBytes();
      }
      if (queryBuf.maxWritableBytes() < data.readableBytes() || queryBuf.refCnt() > 1) {
        ByteBuf merged = conn.alloc().buffer(queryBuf.readableBytes() + data.readableBytes());
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
    try {
      while (queryBuf != null && queryBuf.isReadable()) {
        if (closeAfterReply || closed || postponedArgv != null || blocked) break;
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
    if (queryBuf != null && !queryBuf.isReadable()) {
      queryBuf.release();
      queryBuf = null;
    }
    if (closeAfterReply) {
      server.markPendingFlush(this);
    }
  }

  public int queryBufferLength() {
    return queryBuf == null ? 0 : queryBuf.readableBytes();
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

  /** Writes what has been queued for this client to the connection. */
  void flush() {
    pendingFlush = false;
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

  /** Bytes of replies waiting: ours not yet handed over plus the transport's queue. */
  public long outputBytes() {
    return (out == null ? 0 : out.readableBytes()) + conn.pendingOutputBytes();
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

  public ReplyMode replyMode() {
    return replyMode;
  }

  /** CLIENT REPLY: OFF and SKIP take effect after the current command's own reply. */
  public void replyMode(ReplyMode mode) {
    this.replyMode = mode;
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

  /** The flags field of CLIENT LIST. */
  public String flagsString() {
    StringBuilder sb = new StringBuilder();
    server.appendClientFlags(this, sb);
    if (closeAfterReply) sb.append('c');
    if (noEvict) sb.append('e');
    if (noTouch) sb.append('T');
    if (sb.isEmpty()) sb.append('N');
    return sb.toString();
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
