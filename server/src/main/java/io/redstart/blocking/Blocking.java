package io.redstart.blocking;

import io.netty.util.concurrent.ScheduledFuture;
import io.redstart.command.CommandSpec;
import io.redstart.command.Errors;
import io.redstart.resp.Numbers;
import io.redstart.server.Client;
import io.redstart.server.RedstartServer;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.types.ValueType;
import io.redstart.util.LongDouble;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, XREAD ...), Redis's blocked.c reworked as
 * re-execution: a blocking handler that cannot serve calls {@link #block}; when one of its keys
 * becomes ready (created, or signalled by {@link #signalKeyAsReady}), after the current command,
 * transaction or script, the blocked command is run again for each waiting client, first blocked
 * first served. If it can serve, it replies and the client is released (and its pipelined input
 * resumes); if not, it asks to block again and keeps its place.
 *
 * <p>While a command is run again for a key that became ready, {@link #servingKey} names that key:
 * Redis serves a blocked client from the key that became ready (serveClientBlockedOnList), not
 * from the first of its keys that has data, and propagates the served pop its own way. The run
 * again is not counted as a new call in the command statistics (Redis counts a blocking command
 * once, when it is first called).
 *
 * <p>Timeouts are scheduled on the event loop at millisecond precision; the timeout reply is the
 * command's own (a null array for every list command, BLMOVE included, as Redis). Inside MULTI or a script a
 * blocking command never blocks: it answers as if it had timed out at once ({@link #canBlock}).
 * {@link #timeoutOrReply} reads a timeout argument as Redis's getTimeoutFromObjectOrReply.
 *
 * <p>Owned by the keyspace thread.
 */
public final class Blocking implements RedstartServer.BlockedClients {
  /** What a blocked client waits for. */
  private static final class Waiter {
    final Client client;
    final CommandSpec cmd;
    final byte[][] argv;
    final Database db;
    final List<Key> keys;
    final Consumer<Client> onTimeout;
    /** Whether the key's current value could serve this client (type, stream position ...). */
    final Predicate<Object> ready;
    final long blockedAtNanos;
    ScheduledFuture<?> timer;

    Waiter(Client client, CommandSpec cmd, byte[][] argv, Database db, List<Key> keys,
        Consumer<Client> onTimeout, Predicate<Object> ready) {
      this.client = client;
      this.cmd = cmd;
      this.argv = argv;
      this.db = db;
      this.keys = keys;
      this.onTimeout = onTimeout;
      this.ready = ready;
      this.blockedAtNanos = System.nanoTime();
    }
  }

  /** A key in a database, with value equality. */
  private record Key(int db, ByteBuffer key) {
    static Key of(Database db, byte[] key) {
      return new Key(db.id(), ByteBuffer.wrap(key));
    }
  }

  private final RedstartServer server;
  private final Map<Key, ArrayDeque<Waiter>> byKey = new HashMap<>();
  private final Map<Client, Waiter> byClient = new IdentityHashMap<>();
  private final LinkedHashSet<Key> readyKeys = new LinkedHashSet<>();
  /** Set while a waiter's command is re-run, so a second {@link #block} keeps it waiting. */
  private Waiter reprocessing;
  /** The ready key the re-run command is serving. */
  private byte[] reprocessingKey;
  private boolean reblocked;
  private boolean handling;

  public Blocking(RedstartServer server) {
    this.server = server;
    server.blockedClients(this);
    server.events().addKeyCreatedListener((db, key) -> signalKeyAsReady(db, key));
    server.addClientListener(this::forget);
    server.addAfterCommandHook(this::handleReadyKeys);
    server.addSwapDbHook(this::swapped);
    server.addClientFlags((c, sb) -> {
      if (byClient.containsKey(c)) sb.append('b');
    });
  }

  @Override
  public boolean isBlocked(Client c) {
    return c.blocked();
  }

  public int blockedCount() {
    return byClient.size();
  }

  /** Whether {@code c}'s blocked command is being run again to serve it (MONITOR skips it). */
  public boolean isReprocessing(Client c) {
    return reprocessing != null && reprocessing.client == c;
  }

  /** Whether the current command may block (not inside MULTI/EXEC or a script). */
  public boolean canBlock(Client c) {
    return !server.inTransactionOrScript();
  }

  /**
   * Blocks the client on {@code keys} of its current database until one is ready or {@code
   * deadline} (Unix ms; 0 for none) passes, then replies with {@code onTimeout}. Called by a
   * handler that could not serve; it must not have replied. Re-runs of the command that still
   * cannot serve call this again and simply keep their place.
   *
   * @param ready whether a key's entry (never null) can serve this client; e.g. "is a list"
   */
  public void block(Client c, List<byte[]> keys, long deadline, Consumer<Client> onTimeout,
      Predicate<Object> ready) {
    if (reprocessing != null && reprocessing.client == c) {
      reblocked = true;
      return;
    }
    Database db = c.db();
    LinkedHashSet<Key> distinct = new LinkedHashSet<>(); // BLPOP a a 0 waits once on a
    for (byte[] k : keys) distinct.add(Key.of(db, k));
    List<Key> ks = new ArrayList<>(distinct);
    Waiter w = new Waiter(c, c.currentCommand(), c.currentArgv(), db, ks, onTimeout, ready);
    byClient.put(c, w);
    c.blocked(true);
    for (Key k : ks) byKey.computeIfAbsent(k, x -> new ArrayDeque<>()).add(w);
    if (deadline > 0) {
      long delay = Math.max(0, deadline - server.keyspace().clock().millis());
      w.timer = server.schedule(() -> timeout(w), delay, TimeUnit.MILLISECONDS);
    }
  }

  /** The common readiness test: the key holds a value of {@code type}. */
  public static Predicate<Object> ofType(ValueType type) {
    return entry -> Entries.type(entry) == type;
  }

  /** Marks a key as possibly able to serve blocked clients (after the current command). */
  public void signalKeyAsReady(Database db, byte[] key) {
    if (byKey.isEmpty()) return;
    Key k = Key.of(db, key);
    if (byKey.containsKey(k)) readyKeys.add(k);
  }

  /** Serves clients waiting on ready keys, in the order they blocked. */
  public void handleReadyKeys() {
    if (handling || readyKeys.isEmpty()) return;
    handling = true;
    try {
      while (!readyKeys.isEmpty()) {
        Key k = readyKeys.iterator().next();
        readyKeys.remove(k);
        ArrayDeque<Waiter> queue = byKey.get(k);
        if (queue == null) continue;
        for (Waiter w : new ArrayList<>(queue)) {
          if (byClient.get(w.client) != w) continue;
          Object entry = server.keyspace().lookupQuiet(w.db, k.key().array());
          if (entry == null) break;
          if (!w.ready.test(entry)) continue;
          reprocess(w, k.key().array());
        }
      }
    } finally {
      handling = false;
    }
    server.flushPending();
  }

  private void reprocess(Waiter w, byte[] key) {
    Client c = w.client;
    int savedDb = c.dbIndex();
    c.select(w.db.id());
    reprocessing = w;
    reprocessingKey = key;
    reblocked = false;
    try {
      server.dispatcher().call(c, w.cmd, w.argv, false);
    } finally {
      reprocessing = null;
      reprocessingKey = null;
    }
    if (c.dbIndex() == w.db.id()) c.select(savedDb);
    if (!reblocked) release(w, true);
  }

  private void timeout(Waiter w) {
    if (byClient.get(w.client) != w) return;
    server.keyspace().updateTime();
    w.onTimeout.accept(w.client);
    release(w, true);
    server.flushPending();
  }

  /**
   * The key whose readiness made the current command run again for {@code c}, or null when the
   * command runs because the client sent it. A handler serving a blocked client from this key
   * behaves as Redis's serve path (serveClientBlockedOnList and friends).
   */
  public byte[] servingKey(Client c) {
    return reprocessing != null && reprocessing.client == c ? reprocessingKey : null;
  }

  /**
   * The readiness test {@code c} is blocked with (the state its command blocked with, e.g. the
   * stream IDs an XREAD waits after), or null when {@code c} is not blocked.
   */
  public Predicate<Object> readiness(Client c) {
    Waiter w = byClient.get(c);
    return w == null ? null : w.ready;
  }

  /**
   * SWAPDB: keys waited on in either database that now exist there are ready (Redis's
   * scanDatabaseForReadyKeys), served after the command.
   */
  private void swapped(int a, int b) {
    if (byKey.isEmpty()) return;
    for (Key k : byKey.keySet()) {
      if (k.db() != a && k.db() != b) continue;
      if (server.keyspace().db(k.db()).find(k.key().array()) != null) readyKeys.add(k);
    }
  }

  /**
   * CLIENT UNBLOCK: releases a blocked client with its timeout reply, or with the UNBLOCKED error.
   * Either way Redis 7.0 counts a failed call of the blocked command. Returns false when the
   * client is not blocked.
   */
  public boolean unblock(Client c, boolean withError) {
    Waiter w = byClient.get(c);
    if (w == null) return false;
    w.cmd.failedCalls++;
    if (withError) {
      c.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
    } else {
      w.onTimeout.accept(c);
    }
    release(w, true);
    return true;
  }

  /**
   * Releases a client with a reply of the caller's choosing (a deleted stream group, a key that
   * changed type ...). Returns false when the client is not blocked.
   */
  public boolean unblockWith(Client c, Consumer<Client> reply) {
    Waiter w = byClient.get(c);
    if (w == null) return false;
    reply.accept(c);
    release(w, true);
    return true;
  }

  /** Clients blocked on a key, first blocked first (for stream group deletion and the like). */
  public List<Client> clientsBlockedOn(Database db, byte[] key) {
    ArrayDeque<Waiter> q = byKey.get(Key.of(db, key));
    List<Client> out = new ArrayList<>();
    if (q != null) for (Waiter w : q) out.add(w.client);
    return out;
  }

  private void release(Waiter w, boolean resume) {
    byClient.remove(w.client);
    w.client.blocked(false);
    for (Key k : w.keys) {
      ArrayDeque<Waiter> q = byKey.get(k);
      if (q != null) {
        q.remove(w);
        if (q.isEmpty()) byKey.remove(k);
      }
    }
    if (w.timer != null) w.timer.cancel(false);
    if (resume && !w.client.isClosed()) {
      server.resumeClient(w.client);
    }
  }

  private void forget(Client c) {
    Waiter w = byClient.get(c);
    if (w != null) release(w, false);
  }

  // ---- timeouts

  /** What {@link #timeoutOrReply} returns after replying an error. */
  public static final long INVALID_TIMEOUT = Long.MIN_VALUE;

  /**
   * A blocking command's timeout in seconds (BLPOP, BZPOPMIN ...), as Redis's
   * getTimeoutFromObjectOrReply with UNIT_SECONDS: the text is read as a C {@code long double}
   * (strtold: decimals, exponents, hexadecimal, "inf"), multiplied by 1000 and rounded up to whole
   * milliseconds in x87 arithmetic, then converted to a 64-bit integer as the x87 converts (out
   * of range, infinite: the "integer indefinite", negative). Replies "timeout is not a float or
   * out of range" or "timeout is negative" and returns {@link #INVALID_TIMEOUT}; else returns the
   * deadline for {@link #block}: 0 for none, else now plus the timeout, wrapping around as C
   * does, so that a huge timeout gives a negative deadline, which never fires (as in Redis 7.0,
   * where such a client waits forever).
   */
  public static long timeoutOrReply(Client c, byte[] arg, long nowMillis) {
    LongDouble v = LongDouble.parse(arg);
    if (v == null) {
      c.error(Errors.TIMEOUT_NOT_FLOAT);
      return INVALID_TIMEOUT;
    }
    return deadlineOrReply(c, Timeouts.ceilMillis(v), nowMillis);
  }

  /**
   * A timeout in milliseconds (XREAD BLOCK), as getTimeoutFromObjectOrReply with
   * UNIT_MILLISECONDS: replies "timeout is not an integer or out of range" or "timeout is
   * negative" and returns {@link #INVALID_TIMEOUT}; else the deadline, as {@link
   * #timeoutOrReply}.
   */
  public static long timeoutMillisOrReply(Client c, byte[] arg, long nowMillis) {
    if (!Numbers.isLong(arg)) {
      c.error(Errors.TIMEOUT_NOT_INTEGER);
      return INVALID_TIMEOUT;
    }
    return deadlineOrReply(c, Numbers.parseLong(arg), nowMillis);
  }

  private static long deadlineOrReply(Client c, long millis, long nowMillis) {
    if (millis < 0) {
      c.error(Errors.TIMEOUT_NEGATIVE);
      return INVALID_TIMEOUT;
    }
    if (millis == 0) return 0;
    long deadline = millis + nowMillis; // wraps for huge timeouts, as C's tval += mstime()
    return deadline == INVALID_TIMEOUT ? deadline + 1 : deadline;
  }
}
