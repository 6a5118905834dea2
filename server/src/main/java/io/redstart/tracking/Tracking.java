package io.redstart.tracking;

import io.redstart.command.CommandFlags;
import io.redstart.command.CommandSpec;
import io.redstart.command.KeyExtractor;
import io.redstart.config.ConfigParams;
import io.redstart.pubsub.PubSub;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.RedstartServer;
import io.redstart.store.Database;
import io.redstart.util.ByteKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Client-side caching (Redis's tracking.c): which clients may hold which keys, and the invalidation
 * messages sent when those keys change.
 *
 * <p>In the default mode, the keys a tracking client reads (the keys of each read-only command it
 * runs, found with {@link KeyExtractor}) go into the tracking table, key name to client IDs,
 * whatever the database. A change to a key sends one invalidation to each client of its entry and
 * drops the entry. The IDs are resolved when a message is due, so entries of clients that went away
 * or stopped tracking are dropped lazily, as Redis does; they count in tracking_total_items until
 * then. The table is bounded by tracking-table-max-keys: over it, keys are evicted, their clients
 * invalidated as if the keys had changed.
 *
 * <p>In BCAST mode, clients subscribe to key prefixes instead; the keys changed under each prefix
 * are collected and sent once per batch of work, in byte order, to every client of the prefix
 * (NOLOOP clients do not hear of the keys they changed themselves).
 *
 * <p>Invalidations go to the client itself as RESP3 pushes {@code >2 invalidate [keys]}, or to its
 * redirection: a RESP3 client likewise, a RESP2 client in the subscribe context as a message on
 * {@code __redis__:invalidate}. A flush invalidates everything with a null instead of keys.
 * Invalidations for the client whose command is running wait until the command (the whole
 * transaction) has replied.
 *
 * <p>Owned by the keyspace thread.
 */
public final class Tracking {
  /** A client's tracking settings (Redis's CLIENT_TRACKING_* flags). */
  static final class State {
    boolean on;
    long redirect;
    boolean bcast;
    boolean optin;
    boolean optout;
    boolean noloop;

    /** CLIENT CACHING was given for the next command. */
    boolean caching;

    boolean brokenRedirect;

    /** BCAST prefixes, in byte order. */
    final TreeSet<ByteKey> prefixes = new TreeSet<>();
  }

  /** One BCAST prefix: its clients and the keys changed under it since the last broadcast. */
  private static final class Prefix {
    final Set<Client> clients = new LinkedHashSet<>();

    /** Changed keys in byte order, each with the client that changed it last (null: none). */
    final TreeMap<ByteKey, Client> keys = new TreeMap<>();
  }

  private static final byte[] INVALIDATE = bytes("invalidate");
  private static final byte[] REDIR_BROKEN = bytes("tracking-redir-broken");
  static final byte[] CHANNEL = bytes("__redis__:invalidate");
  private static final byte[] NULL2 = bytes("$-1\r\n");
  private static final byte[] NULL3 = bytes("_\r\n");

  private final RedstartServer server;
  private int trackingClients;

  /** The tracking table: key name to the IDs of clients that may cache it. */
  private final HashMap<ByteKey, IdSet> table = new HashMap<>();

  private long totalItems;
  private final TreeMap<ByteKey, Prefix> prefixes = new TreeMap<>();

  /** Invalidations due to the current client, sent after its command: keys, or null for all. */
  private final List<byte[]> pending = new ArrayList<>();

  private int evictionRounds;

  public Tracking(RedstartServer server) {
    this.server = server;
    server.events().addModifiedKeyListener(this::keyModified);
    server.addFlushHook(db -> invalidateAllOnFlush());
    server.addAfterCallListener(this::afterCall);
    server.addBeforeFlushHook(this::broadcast);
    server.addCronTask(this::limitUsedSlots);
    server.addClientListener(this::disable);
    server.addClientResetHook(this::disable);
    server.trackingRedirections(
        c -> {
          State s = state(c);
          return s == null ? -1 : s.redirect;
        });
    server.addClientFlags(
        (c, sb) -> {
          State s = state(c);
          if (s == null) return;
          sb.append('t');
          if (s.brokenRedirect) sb.append('R');
          if (s.bcast) sb.append('B');
        });
    server.config().onChange(ConfigParams.TRACKING_TABLE_MAX_KEYS, p -> limitUsedSlots());
    server.info().counter("tracking_clients", () -> trackingClients);
    server.info().counter("tracking_total_keys", table::size);
    server.info().counter("tracking_total_items", () -> totalItems);
    server.info().counter("tracking_total_prefixes", prefixes::size);
  }

  /** The settings of a tracking client, or null when tracking is off. */
  State state(Client c) {
    return (State) c.trackingState();
  }

  // ---- CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO

  /** Options parsed from CLIENT TRACKING ON, checked for consistency by {@link #enable}. */
  public record Options(
      long redirect,
      boolean bcast,
      boolean optin,
      boolean optout,
      boolean noloop,
      List<byte[]> prefixes) {}

  /**
   * CLIENT TRACKING ON: checks the options against each other and the client's current mode,
   * replying an error and returning false when they conflict; otherwise turns tracking on (or adds
   * prefixes and changes the redirection when it is already on). The caller replies OK.
   */
  public boolean enableOrReply(Client c, Options o) {
    if (!o.bcast() && !o.prefixes().isEmpty()) {
      c.error(io.redstart.command.Errors.TRACKING_PREFIX_WITHOUT_BCAST);
      return false;
    }
    State s = state(c);
    if (s != null && s.bcast != o.bcast()) {
      c.error(io.redstart.command.Errors.TRACKING_SWITCH_BCAST);
      return false;
    }
    if (o.bcast() && (o.optin() || o.optout())) {
      c.error(io.redstart.command.Errors.TRACKING_OPTIN_OPTOUT_BCAST);
      return false;
    }
    if (o.optin() && o.optout()) {
      c.error(io.redstart.command.Errors.TRACKING_OPTIN_AND_OPTOUT);
      return false;
    }
    if (s != null && ((o.optin() && s.optout) || (o.optout() && s.optin))) {
      c.error(io.redstart.command.Errors.TRACKING_SWITCH_OPTIN_OPTOUT);
      return false;
    }
    if (o.bcast() && !checkPrefixCollisionsOrReply(c, s, o.prefixes())) return false;
    enable(c, o);
    return true;
  }

  /**
   * Redis's checkPrefixCollisionsOrReply, quirk included: a collision between two new prefixes
   * after the first is reported, yet tracking is enabled anyway (and OK follows the error).
   */
  private boolean checkPrefixCollisionsOrReply(Client c, State s, List<byte[]> list) {
    for (int i = 0; i < list.size(); i++) {
      byte[] p = list.get(i);
      if (s != null) {
        for (ByteKey existing : s.prefixes) {
          if (overlap(existing.bytes(), p)) {
            c.error(
                io.redstart.command.Errors.trackingPrefixOverlapsExisting(
                    cString(p), cString(existing.bytes())));
            return false;
          }
        }
      }
      for (int j = i + 1; j < list.size(); j++) {
        if (overlap(p, list.get(j))) {
          c.error(
              io.redstart.command.Errors.trackingPrefixOverlapsProvided(
                  cString(p), cString(list.get(j))));
          return i != 0;
        }
      }
    }
    return true;
  }

  private static boolean overlap(byte[] a, byte[] b) {
    int n = Math.min(a.length, b.length);
    return java.util.Arrays.equals(a, 0, n, b, 0, n);
  }

  private void enable(Client c, Options o) {
    State s = state(c);
    if (s == null) {
      s = new State();
      c.trackingState(s);
      trackingClients++;
    }
    s.on = true;
    s.brokenRedirect = false;
    s.bcast = false;
    s.optin = false;
    s.optout = false;
    s.noloop = false;
    s.redirect = o.redirect();
    if (o.bcast()) {
      s.bcast = true;
      if (o.prefixes().isEmpty()) addPrefix(c, s, new byte[0]);
      for (byte[] p : o.prefixes()) addPrefix(c, s, p);
    }
    s.optin = o.optin();
    s.optout = o.optout();
    s.noloop = o.noloop();
  }

  private void addPrefix(Client c, State s, byte[] p) {
    ByteKey k = new ByteKey(p);
    Prefix prefix = prefixes.computeIfAbsent(k, x -> new Prefix());
    if (prefix.clients.add(c)) s.prefixes.add(k);
  }

  /** CLIENT TRACKING OFF, RESET, disconnection: leaves the prefixes, keeps table entries. */
  public void disable(Client c) {
    State s = state(c);
    if (s == null) return;
    for (ByteKey k : s.prefixes) {
      Prefix p = prefixes.get(k);
      p.clients.remove(c);
      if (p.clients.isEmpty()) prefixes.remove(k);
    }
    c.trackingState(null);
    trackingClients--;
  }

  /** CLIENT CACHING YES|NO: replies itself (OK or the error). */
  public void caching(Client c, boolean yes) {
    State s = state(c);
    if (s == null) {
      c.error(io.redstart.command.Errors.CACHING_WITHOUT_TRACKING);
      return;
    }
    if (yes ? !s.optin : !s.optout) {
      c.error(
          yes
              ? io.redstart.command.Errors.CACHING_YES_WITHOUT_OPTIN
              : io.redstart.command.Errors.CACHING_NO_WITHOUT_OPTOUT);
      return;
    }
    s.caching = true;
    c.reply().ok();
  }

  /** CLIENT GETREDIR: the redirection, 0 for none, -1 without tracking. */
  public long redirection(Client c) {
    State s = state(c);
    return s == null ? -1 : s.redirect;
  }

  /** CLIENT TRACKINGINFO. */
  public void trackingInfo(Client c) {
    State s = state(c);
    RespWriter w = c.reply();
    w.map(3);
    w.bulk("flags");
    if (s == null) {
      w.set(1);
      w.bulk("off");
    } else {
      List<String> flags = new ArrayList<>();
      flags.add("on");
      if (s.bcast) flags.add("bcast");
      if (s.optin) {
        flags.add("optin");
        if (s.caching) flags.add("caching-yes");
      }
      if (s.optout) {
        flags.add("optout");
        if (s.caching) flags.add("caching-no");
      }
      if (s.noloop) flags.add("noloop");
      if (s.brokenRedirect) flags.add("broken_redirect");
      w.set(flags.size());
      for (String f : flags) w.bulk(f);
    }
    w.bulk("redirect");
    w.integer(s == null ? -1 : s.redirect);
    w.bulk("prefixes");
    if (s == null) {
      w.array(0);
    } else {
      w.array(s.prefixes.size());
      for (ByteKey p : s.prefixes) w.bulk(p.bytes());
    }
  }

  // ---- remembering keys

  /**
   * After each call: a tracking client (not in BCAST mode) that ran a read-only command has its
   * keys remembered, as OPTIN/OPTOUT and CLIENT CACHING allow; the CACHING flag lasts one command
   * (or one transaction); at the end of a top-level command the invalidations that waited for it
   * are sent and the table is brought back under its size limit.
   */
  private void afterCall(Client c, CommandSpec cmd, byte[][] argv, long micros) {
    if (trackingClients == 0 && pending.isEmpty()) return;
    State s = state(c);
    if (s != null) {
      if (cmd.has(CommandFlags.READONLY) && !s.bcast && !isReadOnlyScript(cmd)) {
        rememberKeys(c, s, cmd, argv);
      }
      if (server.currentClient() == null
          && !inMulti(c)
          && !(cmd.parent() != null && cmd.parent().name.equals("client"))) {
        s.caching = false;
      }
    }
    if (server.currentClient() == null) {
      sendPending(c);
      limitUsedSlots();
    }
  }

  /** EVAL_RO, EVALSHA_RO, FCALL_RO remember the script's declared keys only when it reads. */
  private static boolean isReadOnlyScript(CommandSpec cmd) {
    return switch (cmd.name) {
      case "eval_ro", "evalsha_ro", "fcall_ro" -> cmd.parent() == null;
      default -> false;
    };
  }

  private boolean inMulti(Client c) {
    try {
      return c.server().component(io.redstart.transaction.Transactions.class).inMulti(c);
    } catch (IllegalStateException notInstalled) {
      return false;
    }
  }

  /**
   * Remembers the keys of {@code cmd} for {@code c} when it tracks keys (not BCAST) and its
   * OPTIN/OPTOUT settings allow. For scripting: when a script runs a read-only command, Redis
   * remembers the keys the script declared, for the client that called it.
   */
  public void rememberKeys(Client c, CommandSpec cmd, byte[][] argv) {
    State s = state(c);
    if (s != null && !s.bcast) rememberKeys(c, s, cmd, argv);
  }

  private void rememberKeys(Client c, State s, CommandSpec cmd, byte[][] argv) {
    if ((s.optin && !s.caching) || (s.optout && s.caching)) return;
    // Shard channels are keys for cluster routing, not data: never tracked.
    if (cmd.has(CommandFlags.PUBSUB)) return;
    List<KeyExtractor.KeyRef> keys = KeyExtractor.keys(cmd, argv);
    for (KeyExtractor.KeyRef k : keys) {
      ByteKey key = new ByteKey(argv[k.index()]);
      IdSet ids = table.get(key);
      if (ids == null) {
        ids = new IdSet();
        table.put(key, ids);
      }
      if (ids.add(c.id())) totalItems++;
    }
  }

  // ---- invalidation

  /** A key changed (by {@code by}, null for expiry and eviction): invalidate it. */
  private void keyModified(Client by, Database db, byte[] key) {
    if (table.isEmpty() && prefixes.isEmpty()) return;
    invalidateKey(by, key, true);
  }

  /**
   * trackingInvalidateKey: sends the key's invalidation to every client of its table entry and
   * drops the entry; with {@code bcast} also records it for the BCAST prefixes it falls under.
   */
  private void invalidateKey(Client by, byte[] key, boolean bcast) {
    if (bcast && !prefixes.isEmpty()) rememberKeyToBroadcast(by, key);
    if (table.isEmpty()) return;
    ByteKey k = new ByteKey(key);
    IdSet ids = table.remove(k);
    if (ids == null) return;
    Client current = server.currentClient();
    ids.forEach(
        id -> {
          Client target = server.clients().get(id);
          if (target == null) return;
          State ts = state(target);
          if (ts == null || ts.bcast) return;
          if (ts.noloop && target == current) return;
          if (target == current) {
            pending.add(key);
          } else {
            send(target, ts, keyArray(key));
          }
        });
    totalItems -= ids.size();
  }

  private void rememberKeyToBroadcast(Client by, byte[] key) {
    ByteKey k = null;
    for (Map.Entry<ByteKey, Prefix> e : prefixes.entrySet()) {
      byte[] p = e.getKey().bytes();
      if (p.length > key.length) continue;
      if (p.length != 0 && !java.util.Arrays.equals(p, 0, p.length, key, 0, p.length)) continue;
      if (k == null) k = new ByteKey(key);
      e.getValue().keys.put(k, by);
    }
  }

  /** FLUSHDB, FLUSHALL: every tracking client is told that all its keys are invalid. */
  private void invalidateAllOnFlush() {
    if (trackingClients > 0) {
      Client current = server.currentClient();
      for (Client c : new ArrayList<>(server.clients().values())) {
        State s = state(c);
        if (s == null) continue;
        if (c == current) {
          pending.add(null);
        } else {
          send(c, s, nullFor(c));
        }
      }
    }
    table.clear();
    totalItems = 0;
  }

  private void sendPending(Client c) {
    if (pending.isEmpty()) return;
    List<byte[]> keys = new ArrayList<>(pending);
    pending.clear();
    if (c.isClosed()) return;
    State s = state(c);
    if (s == null) return;
    for (byte[] key : keys) send(c, s, key == null ? nullFor(c) : keyArray(key));
  }

  /** A flush's null, in the tracking client's protocol (whatever the target's, as Redis). */
  private static byte[] nullFor(Client c) {
    return c.protocol() == 2 ? NULL2 : NULL3;
  }

  /**
   * sendTrackingMessage: delivers an encoded invalidation value to the client or its redirection. A
   * redirection that is gone marks the client's redirect broken (RESP3 clients are told).
   */
  private void send(Client c, State s, byte[] payload) {
    Client target = c;
    boolean redirected = false;
    if (s.redirect != 0) {
      Client redir = server.clients().get(s.redirect);
      if (redir == null) {
        s.brokenRedirect = true;
        if (c.protocol() > 2) {
          RespWriter w = c.push();
          w.push(2);
          w.bulk(REDIR_BROKEN);
          w.integer(s.redirect);
          c.afterPush();
        }
        return;
      }
      target = redir;
      redirected = true;
    }
    if (target.protocol() > 2) {
      RespWriter w = target.push();
      w.push(2);
      w.bulk(INVALIDATE);
      w.raw(payload);
      target.afterPush();
    } else if (redirected && server.inSubscribeContext(target)) {
      PubSub.sendMessage(target, CHANNEL, payload);
    }
  }

  private static byte[] keyArray(byte[] key) {
    byte[] len = Integer.toString(key.length).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[4 + 1 + len.length + 2 + key.length + 2];
    int at = 0;
    for (byte b : bytes("*1\r\n$")) out[at++] = b;
    System.arraycopy(len, 0, out, at, len.length);
    at += len.length;
    out[at++] = '\r';
    out[at++] = '\n';
    System.arraycopy(key, 0, out, at, key.length);
    at += key.length;
    out[at++] = '\r';
    out[at] = '\n';
    return out;
  }

  /**
   * Sends the keys collected under each BCAST prefix to the prefix's clients (NOLOOP clients
   * without the keys they changed last), then forgets them: once per batch of work, before replies
   * are written, as Redis's beforeSleep.
   */
  private void broadcast() {
    if (prefixes.isEmpty() || trackingClients == 0) return;
    for (Prefix p : prefixes.values()) {
      if (p.keys.isEmpty()) continue;
      byte[] all = null;
      for (Client c : new ArrayList<>(p.clients)) {
        State s = state(c);
        if (s == null) continue;
        if (s.noloop) {
          byte[] own = broadcastReply(p.keys, c);
          if (own != null) send(c, s, own);
        } else {
          if (all == null) all = broadcastReply(p.keys, null);
          send(c, s, all);
        }
      }
      p.keys.clear();
    }
  }

  /** The array of keys, without those last changed by {@code except}; null when empty. */
  private static byte[] broadcastReply(TreeMap<ByteKey, Client> keys, Client except) {
    int count = 0;
    for (Client by : keys.values()) if (except == null || by != except) count++;
    if (count == 0) return null;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(count * 16);
    out.writeBytes(("*" + count + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (Map.Entry<ByteKey, Client> e : keys.entrySet()) {
      if (except != null && e.getValue() == except) continue;
      byte[] k = e.getKey().bytes();
      out.writeBytes(("$" + k.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(k);
      out.writeBytes(new byte[] {'\r', '\n'});
    }
    return out.toByteArray();
  }

  // ---- tracking-table-max-keys

  /**
   * trackingLimitUsedSlots: while the table holds more keys than tracking-table-max-keys, evicts
   * keys (their clients are invalidated as if they had changed), with an effort of 100 keys that
   * grows by 100 each time a round ends still over the limit.
   */
  private void limitUsedSlots() {
    long max = server.config().getLong(ConfigParams.TRACKING_TABLE_MAX_KEYS);
    if (max == 0 || table.size() <= max) {
      evictionRounds = 0;
      return;
    }
    int effort = 100 * (evictionRounds + 1);
    while (effort-- > 0 && !table.isEmpty()) {
      Iterator<ByteKey> it = table.keySet().iterator();
      byte[] key = it.next().bytes();
      invalidateKey(null, key, false);
      if (table.size() <= max) {
        evictionRounds = 0;
        return;
      }
    }
    evictionRounds++;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** An argument as C prints it: up to its first NUL byte. */
  private static String cString(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) n++;
    return new String(b, 0, n, StandardCharsets.ISO_8859_1);
  }

  /** Client IDs of one table entry: a few inline, a hash set beyond. */
  static final class IdSet {
    private long[] ids = new long[2];
    private int size;
    private HashSet<Long> many;

    /** Adds an ID; false when present. */
    boolean add(long id) {
      if (many != null) return many.add(id);
      for (int i = 0; i < size; i++) if (ids[i] == id) return false;
      if (size == 16) {
        many = new HashSet<>();
        for (int i = 0; i < size; i++) many.add(ids[i]);
        ids = null;
        return many.add(id);
      }
      if (size == ids.length) ids = java.util.Arrays.copyOf(ids, size * 2);
      ids[size++] = id;
      return true;
    }

    int size() {
      return many != null ? many.size() : size;
    }

    void forEach(java.util.function.LongConsumer action) {
      if (many != null) {
        for (long id : many) action.accept(id);
      } else {
        for (int i = 0; i < size; i++) action.accept(ids[i]);
      }
    }
  }
}
