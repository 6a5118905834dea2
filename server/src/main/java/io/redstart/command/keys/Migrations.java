package io.redstart.command.keys;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.config.ConfigParams;
import io.redstart.persistence.rdb.RdbSerializer;
import io.redstart.resp.Numbers;
import io.redstart.server.Client;
import io.redstart.server.RedstartServer;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MIGRATE, as Redis's migrateCommand: the keys are serialized as DUMP does and sent as RESTORE
 * commands to the target server (AUTH and SELECT first when needed), over a connection kept in a
 * cache for the next MIGRATE to the same host and port. Keys the target acknowledged are deleted
 * here (unless COPY) and the command propagates as DEL of those keys.
 *
 * <p>Like Redis, the exchange is synchronous: the server waits for the target, at most {@code
 * timeout} milliseconds per connect and per reply. A failed connection is dropped and, unless it
 * timed out or the target already processed something, tried once more on a new one. The cache
 * holds at most {@value #CACHE_ITEMS} connections (INFO migrate_cached_sockets); the cron closes
 * those idle for more than {@value #CACHE_TTL_MS} ms.
 *
 * <p>Owned by the keyspace thread.
 */
public final class Migrations {
  static final int CACHE_ITEMS = 64;
  static final long CACHE_TTL_MS = 10_000;

  private static final String KEYS_NOT_EMPTY =
      "ERR When using MIGRATE KEYS option, the key argument must be set to the empty string";

  /** A cached connection to a target and the database last selected on it (-1: unknown). */
  private static final class Cached {
    final Socket socket;
    long lastDbid = -1;
    long lastUseMillis;

    Cached(Socket socket) {
      this.socket = socket;
    }
  }

  private final RedstartServer server;
  private final Map<String, Cached> cache = new LinkedHashMap<>();

  public Migrations(RedstartServer server) {
    this.server = server;
    server.info().counter("migrate_cached_sockets", cache::size);
    server.addCronTask(this::closeIdle);
  }

  /** MIGRATE's handler. */
  public static void migrate(Client c, byte[][] argv) {
    c.server().component(Migrations.class).run(c, argv);
  }

  private void closeIdle() {
    long now = System.currentTimeMillis();
    for (Iterator<Cached> it = cache.values().iterator(); it.hasNext(); ) {
      Cached cs = it.next();
      if (now - cs.lastUseMillis > CACHE_TTL_MS) {
        closeQuietly(cs.socket);
        it.remove();
      }
    }
  }

  private void run(Client c, byte[][] argv) {
    boolean copy = false;
    boolean replace = false;
    byte[] username = null;
    byte[] password = null;
    int firstKey = 3;
    int numKeys = 1;
    for (int j = 6; j < argv.length; j++) {
      int more = argv.length - 1 - j;
      if (Args.is(argv[j], "copy")) {
        copy = true;
      } else if (Args.is(argv[j], "replace")) {
        replace = true;
      } else if (Args.is(argv[j], "auth")) {
        if (more < 1) {
          c.error(Errors.SYNTAX);
          return;
        }
        password = argv[++j];
      } else if (Args.is(argv[j], "auth2")) {
        if (more < 2) {
          c.error(Errors.SYNTAX);
          return;
        }
        username = argv[++j];
        password = argv[++j];
      } else if (Args.is(argv[j], "keys")) {
        if (argv[3].length != 0) {
          c.error(KEYS_NOT_EMPTY);
          return;
        }
        firstKey = j + 1;
        numKeys = argv.length - j - 1;
        break;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    if (!Numbers.isLong(argv[5]) || !Numbers.isLong(argv[4])) {
      c.error(Errors.NOT_AN_INTEGER);
      return;
    }
    long timeout = Numbers.parseLong(argv[5]);
    long dbid = Numbers.parseLong(argv[4]);
    if (timeout <= 0) timeout = 1000;
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout);

    Keyspace ks = server.keyspace();
    Database db = c.db();
    List<byte[]> keys = new ArrayList<>();
    for (int j = 0; j < numKeys; j++) {
      if (ks.lookupRead(db, argv[firstKey + j], c.noTouch()) != null) keys.add(argv[firstKey + j]);
    }
    if (keys.isEmpty()) {
      c.reply().simple("NOKEY");
      return;
    }
    String target = Args.str(argv[1]) + ":" + Args.str(argv[2]);
    boolean mayRetry = true;
    while (true) {
      Cached cs = socket(c, argv[1], argv[2], target, timeoutMs);
      if (cs == null) return; // the error is sent
      Attempt a = attempt(c, cs, keys, db, dbid, username, password, replace, copy, timeoutMs);
      if (a == Attempt.DONE) return;
      closeCached(target);
      if (a == Attempt.RETRY && mayRetry) {
        mayRetry = false;
        continue;
      }
      c.error("IOERR error or timeout " + (a == Attempt.WRITE_FAILED ? "writing" : "reading")
          + " to target instance");
      return;
    }
  }

  private enum Attempt {
    DONE,
    RETRY,
    WRITE_FAILED,
    READ_FAILED
  }

  private Attempt attempt(Client c, Cached cs, List<byte[]> keys, Database db, long dbid,
      byte[] username, byte[] password, boolean replace, boolean copy, int timeoutMs) {
    ByteArrayOutputStream cmd = new ByteArrayOutputStream();
    if (password != null) {
      if (username != null) {
        command(cmd, Args.bytes("AUTH"), username, password);
      } else {
        command(cmd, Args.bytes("AUTH"), password);
      }
    }
    boolean select = cs.lastDbid != dbid;
    if (select) command(cmd, Args.bytes("SELECT"), Numbers.toBytes(dbid));
    List<byte[]> sent = new ArrayList<>();
    long now = server.keyspace().now();
    boolean compression = server.config().getBool(ConfigParams.RDBCOMPRESSION);
    for (byte[] key : keys) {
      Object e = db.find(key);
      if (e == null) continue;
      long ttl = 0;
      long expireAt = Entries.expireAt(e);
      if (expireAt != -1) {
        ttl = expireAt - now;
        if (ttl < 0) continue;
        if (ttl < 1) ttl = 1;
      }
      byte[] payload;
      try {
        payload =
            RdbSerializer.dump(Entries.record(e), Entries.boxedValue(e), server.config(), compression);
      } catch (IOException | RuntimeException ex) {
        c.error("ERR " + ex.getMessage());
        return Attempt.DONE;
      }
      if (replace) {
        command(cmd, Args.bytes("RESTORE"), key, Numbers.toBytes(ttl), payload, Args.bytes("REPLACE"));
      } else {
        command(cmd, Args.bytes("RESTORE"), key, Numbers.toBytes(ttl), payload);
      }
      sent.add(key);
    }
    cs.lastUseMillis = System.currentTimeMillis();
    try {
      cs.socket.setSoTimeout(timeoutMs);
      OutputStream out = cs.socket.getOutputStream();
      out.write(cmd.toByteArray());
      out.flush();
    } catch (IOException ex) {
      return Attempt.WRITE_FAILED;
    }
    InputStream in;
    String authReply = null;
    String selectReply = null;
    try {
      in = cs.socket.getInputStream();
      if (password != null) authReply = readLine(in);
      if (select) selectReply = readLine(in);
    } catch (SocketTimeoutException ex) {
      return Attempt.READ_FAILED;
    } catch (IOException ex) {
      return Attempt.RETRY;
    }
    boolean errorFromTarget = false;
    boolean socketError = false;
    boolean timedOut = false;
    int read = 0;
    List<byte[]> deleted = new ArrayList<>();
    for (byte[] key : sent) {
      String line;
      try {
        line = readLine(in);
      } catch (IOException ex) {
        socketError = true;
        timedOut = ex instanceof SocketTimeoutException;
        break;
      }
      read++;
      String err = null;
      if (authReply != null && authReply.startsWith("-")) {
        err = authReply;
      } else if (selectReply != null && selectReply.startsWith("-")) {
        err = selectReply;
      } else if (line.startsWith("-")) {
        err = line;
      }
      if (err != null) {
        if (!errorFromTarget) {
          cs.lastDbid = -1;
          errorFromTarget = true;
          c.error("ERR Target instance replied with error: " + err.substring(1));
        }
      } else if (!copy) {
        if (db.remove(key) != null) {
          server.events().written(c, db, key, io.redstart.config.KeyspaceEventFlags.GENERIC, "del");
          deleted.add(key);
        }
      }
    }
    if (!errorFromTarget && socketError && read == 0 && !timedOut) return Attempt.RETRY;
    if (!deleted.isEmpty()) {
      byte[][] del = new byte[deleted.size() + 1][];
      del[0] = Args.bytes("DEL");
      for (int i = 0; i < deleted.size(); i++) del[i + 1] = deleted.get(i);
      server.dispatcher().propagateAs(del);
    }
    if (socketError) {
      if (errorFromTarget) {
        closeQuietly(cs.socket);
        cache.values().remove(cs);
        return Attempt.DONE;
      }
      return Attempt.READ_FAILED;
    }
    if (!errorFromTarget) {
      cs.lastDbid = dbid;
      c.reply().ok();
    }
    return Attempt.DONE;
  }

  /** The cached connection to {@code target}, or a new one; null after replying the error. */
  private Cached socket(Client c, byte[] host, byte[] port, String target, int timeoutMs) {
    Cached cs = cache.get(target);
    if (cs != null) {
      cs.lastUseMillis = System.currentTimeMillis();
      return cs;
    }
    if (cache.size() == CACHE_ITEMS) {
      // Full: drop one (the oldest; Redis drops one at random).
      Iterator<Cached> it = cache.values().iterator();
      closeQuietly(it.next().socket);
      it.remove();
    }
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(Args.str(host), Integer.parseInt(Args.str(port))), timeoutMs);
    } catch (java.net.ConnectException refused) {
      // Redis connects without blocking and learns of a refusal only when it writes.
      closeQuietly(s);
      c.error("IOERR error or timeout writing to target instance");
      return null;
    } catch (IOException | IllegalArgumentException ex) {
      closeQuietly(s);
      c.error("IOERR error or timeout connecting to the client");
      return null;
    }
    cs = new Cached(s);
    cs.lastUseMillis = System.currentTimeMillis();
    cache.put(target, cs);
    return cs;
  }

  private void closeCached(String target) {
    Cached cs = cache.remove(target);
    if (cs != null) closeQuietly(cs.socket);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing: nothing to do
    }
  }

  private static void command(ByteArrayOutputStream out, byte[]... args) {
    out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] a : args) {
      out.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(a);
      out.writeBytes(new byte[] {'\r', '\n'});
    }
  }

  /** One reply line without its CR LF, at most 1024 bytes kept (as Redis's syncReadLine). */
  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) throw new IOException("connection closed");
      if (b == '\n') break;
      if (sb.length() < 1024) sb.append((char) b);
    }
    int n = sb.length();
    if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
    return sb.toString();
  }
}
