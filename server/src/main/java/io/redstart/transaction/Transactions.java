package io.redstart.transaction;

import io.redstart.command.CommandSpec;
import io.redstart.server.Client;
import io.redstart.server.CommandGates;
import io.redstart.server.RedstartServer;
import io.redstart.store.Database;
import io.redstart.store.Keyspace;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MULTI/EXEC/WATCH state (Redis's multi.c): the queued commands of clients inside MULTI, the
 * EXECABORT flag set when a command was refused while queueing, and watched keys, which any
 * modification (by anyone), expiry, FLUSHDB/FLUSHALL or SWAPDB marks dirty so that EXEC answers
 * a null array.
 *
 * <p>Owned by the keyspace thread.
 */
public final class Transactions implements CommandGates.Transactions {
  /** A client's transaction. */
  static final class State {
    boolean inMulti;
    boolean dirtyExec;
    boolean dirtyCas;
    final List<CommandSpec> cmds = new ArrayList<>();
    final List<byte[][]> argvs = new ArrayList<>();
    /** The flags of the queued commands, scripts by their declared ones (mstate.cmd_flags). */
    long cmdFlags;
    final List<Watched> watched = new ArrayList<>();
  }

  /** A key watched by a client, and whether it was already logically expired at WATCH time. */
  static final class Watched {
    final Client client;
    final int db;
    final byte[] key;
    boolean expired;

    Watched(Client client, int db, byte[] key, boolean expired) {
      this.client = client;
      this.db = db;
      this.key = key;
      this.expired = expired;
    }
  }

  private record Key(int db, ByteBuffer key) {}

  private final RedstartServer server;
  private final Map<Key, List<Watched>> watchers = new HashMap<>();

  public Transactions(RedstartServer server) {
    this.server = server;
    server.gates().transactions(this);
    server.gates().install(CommandGates.Stage.MULTI_RESTRICTIONS, (c, cmd, argv) ->
        inMulti(c) && cmd.has(io.redstart.command.CommandFlags.NO_MULTI)
            ? io.redstart.command.Errors.NOT_IN_MULTI_CONTEXT
            : null);
    server.events().addModifiedKeyListener((c, db, key) -> touch(db, key));
    server.addClientListener(this::clientGone);
    server.addClientResetHook(this::discard);
    server.addFlushHook(this::flushed);
    server.addSwapDbHook(this::swapped);
    server.multiCounts(c -> {
      State s = (State) c.transactionState();
      return s == null || !s.inMulti ? -1 : s.cmds.size();
    });
    server.addClientFlags((c, sb) -> {
      State s = (State) c.transactionState();
      if (s == null) return;
      if (s.inMulti) sb.append('x');
      if (s.dirtyCas) sb.append('d');
    });
  }

  State state(Client c) {
    State s = (State) c.transactionState();
    if (s == null) {
      s = new State();
      c.transactionState(s);
    }
    return s;
  }

  public boolean inMulti(Client c) {
    State s = (State) c.transactionState();
    return s != null && s.inMulti;
  }

  @Override
  public boolean queueIfInMulti(Client c, CommandSpec cmd, byte[][] argv) {
    State s = (State) c.transactionState();
    if (s == null || !s.inMulti) return false;
    String name = cmd.parent() == null ? cmd.name : cmd.parent().name;
    switch (name) {
      case "exec", "discard", "multi", "watch", "quit", "reset" -> {
        return false;
      }
      default -> { }
    }
    if (!s.dirtyCas && !s.dirtyExec) {
      s.cmds.add(cmd);
      s.argvs.add(argv);
      RedstartServer.LongCommands scripts = server.longCommands();
      s.cmdFlags |=
          cmd.runsScript() && scripts != null ? scripts.effectiveFlags(cmd, argv) : cmd.flags;
    }
    c.reply().simple("QUEUED");
    return true;
  }

  @Override
  public boolean queuedCommandHas(Client c, long flag) {
    State s = (State) c.transactionState();
    return s != null && s.inMulti && (s.cmdFlags & flag) != 0;
  }

  @Override
  public void flagTransaction(Client c) {
    State s = (State) c.transactionState();
    if (s != null && s.inMulti) s.dirtyExec = true;
  }

  @Override
  public void discardTransaction(Client c) {
    discard(c);
  }

  /** Leaves MULTI, forgets queued commands and watched keys. */
  void discard(Client c) {
    State s = (State) c.transactionState();
    if (s == null) return;
    unwatchAll(c, s);
    c.transactionState(null);
  }

  // ---- WATCH

  void watch(Client c, Database db, byte[] key) {
    State s = state(c);
    for (Watched w : s.watched) {
      if (w.db == db.id() && java.util.Arrays.equals(w.key, key)) return;
    }
    Keyspace ks = server.keyspace();
    Object e = db.find(key);
    Watched w = new Watched(c, db.id(), key, e != null && ks.isExpired(e));
    s.watched.add(w);
    watchers.computeIfAbsent(new Key(db.id(), ByteBuffer.wrap(key)), k -> new ArrayList<>()).add(w);
  }

  void unwatchAll(Client c, State s) {
    for (Watched w : s.watched) {
      Key k = new Key(w.db, ByteBuffer.wrap(w.key));
      List<Watched> l = watchers.get(k);
      if (l != null) {
        l.remove(w);
        if (l.isEmpty()) watchers.remove(k);
      }
    }
    s.watched.clear();
  }

  /** Whether a watched key that was alive at WATCH time has since expired (EXEC fails then). */
  boolean watchedKeyExpired(State s) {
    Keyspace ks = server.keyspace();
    for (Watched w : s.watched) {
      if (w.expired) continue;
      Object e = ks.db(w.db).find(w.key);
      if (e != null && ks.isExpired(e)) return true;
    }
    return false;
  }

  private void touch(Database db, byte[] key) {
    if (watchers.isEmpty()) return;
    List<Watched> l = watchers.get(new Key(db.id(), ByteBuffer.wrap(key)));
    if (l == null) return;
    for (Watched w : new ArrayList<>(l)) {
      if (w.expired && db.find(key) == null) {
        // The key was already expired at WATCH time and is now deleted: no logical change.
        w.expired = false;
        continue;
      }
      State s = (State) w.client.transactionState();
      if (s == null) continue;
      s.dirtyCas = true;
      unwatchAll(w.client, s);
    }
  }

  private void flushed(int dbIndex) {
    for (Map.Entry<Key, List<Watched>> e : new ArrayList<>(watchers.entrySet())) {
      if (dbIndex >= 0 && e.getKey().db() != dbIndex) continue;
      Database db = server.keyspace().db(e.getKey().db());
      if (db.find(e.getKey().key().array()) == null) continue;
      for (Watched w : new ArrayList<>(e.getValue())) {
        if (w.expired) {
          w.expired = false;
          continue;
        }
        markDirty(w.client);
      }
    }
  }

  private void swapped(int a, int b) {
    // Called after the swap: a key is touched if it exists in either database now.
    Keyspace ks = server.keyspace();
    for (Map.Entry<Key, List<Watched>> e : new ArrayList<>(watchers.entrySet())) {
      int d = e.getKey().db();
      if (d != a && d != b) continue;
      byte[] key = e.getKey().key().array();
      Object now = ks.db(d).find(key);
      Object before = ks.db(d == a ? b : a).find(key);
      if (now == null && before == null) continue;
      for (Watched w : new ArrayList<>(e.getValue())) {
        if (w.expired) {
          if (now == null) {
            w.expired = false;
            continue;
          } else if (ks.isExpired(now)) {
            continue;
          }
        } else if (before == null && now != null && ks.isExpired(now)) {
          w.expired = true;
          continue;
        }
        markDirty(w.client);
      }
    }
  }

  private void markDirty(Client c) {
    State s = (State) c.transactionState();
    if (s != null) s.dirtyCas = true;
  }

  private void clientGone(Client c) {
    discard(c);
  }

  // ---- the commands (the handlers in io.redstart.command.transaction delegate here)

  /** MULTI. */
  public void multi(Client c) {
    State s = state(c);
    if (s.inMulti) {
      c.error("ERR MULTI calls can not be nested");
      return;
    }
    s.inMulti = true;
    c.reply().ok();
  }

  /** DISCARD. */
  public void discardCommand(Client c) {
    if (!inMulti(c)) {
      c.error("ERR DISCARD without MULTI");
      return;
    }
    discard(c);
    c.reply().ok();
  }

  /**
   * EXEC: a null array when a watched key changed, EXECABORT when a command was refused while
   * queueing, else every queued command's reply in an array. Blocking commands do not block
   * inside; the effects are propagated wrapped in MULTI/EXEC, EXEC itself never.
   */
  public void exec(Client c) {
    if (!inMulti(c)) {
      c.error("ERR EXEC without MULTI");
      return;
    }
    State s = state(c);
    if (watchedKeyExpired(s)) s.dirtyCas = true;
    if (s.dirtyCas || s.dirtyExec) {
      if (s.dirtyExec) {
        c.error(io.redstart.command.Errors.EXECABORT);
      } else {
        c.reply().nullArray();
      }
      discard(c);
      return;
    }
    List<CommandSpec> cmds = List.copyOf(s.cmds);
    List<byte[][]> argvs = List.copyOf(s.argvs);
    discard(c);
    c.reply().array(cmds.size());
    server.enterTransactionOrScript();
    try {
      for (int i = 0; i < cmds.size(); i++) {
        server.dispatcher().call(c, cmds.get(i), argvs.get(i));
      }
    } finally {
      server.exitTransactionOrScript();
    }
    server.dispatcher().preventPropagation();
  }

  /** WATCH key [key ...]. */
  public void watchCommand(Client c, byte[][] argv) {
    if (inMulti(c)) {
      c.error("ERR WATCH inside MULTI is not allowed");
      return;
    }
    State s = state(c);
    if (!s.dirtyCas) {
      for (int j = 1; j < argv.length; j++) watch(c, c.db(), argv[j]);
    }
    c.reply().ok();
  }

  /** UNWATCH. */
  public void unwatch(Client c) {
    State s = state(c);
    unwatchAll(c, s);
    s.dirtyCas = false;
    if (!s.inMulti) discard(c);
    c.reply().ok();
  }

  RedstartServer server() {
    return server;
  }
}
