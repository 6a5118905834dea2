package io.redstart.pubsub;

import io.redstart.command.CommandSpec;
import io.redstart.command.Errors;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.CommandGates;
import io.redstart.server.RedstartServer;
import io.redstart.util.ByteKey;
import io.redstart.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pub/Sub state and delivery (Redis's pubsub.c): channels, patterns and shard channels (a separate
 * namespace, never matched by patterns), each with its subscribers in subscription order, and each
 * client's subscriptions.
 *
 * <p>A message is encoded once per protocol and queued to every receiver's connection through
 * {@link Client#push}, so a subscriber that does not read costs memory only until its
 * client-output-buffer-limit closes it; nobody waits for it. Subscribers over their limit are
 * marked during delivery and closed after the batch, so delivery never edits the lists it walks.
 *
 * <p>Also installed here: the RESP2 subscribe-context gate, the subscription counts of CLIENT LIST
 * and INFO, RESET and disconnection cleanup, and the publisher of keyspace notifications.
 *
 * <p>Owned by the keyspace thread.
 */
public final class PubSub {
  /** What one client is subscribed to, each set in subscription order. */
  static final class Subscriptions {
    final LinkedHashSet<ByteKey> channels = new LinkedHashSet<>();
    final LinkedHashSet<ByteKey> patterns = new LinkedHashSet<>();
    final LinkedHashSet<ByteKey> shardChannels = new LinkedHashSet<>();

    /** Channels and patterns: the count that SUBSCRIBE, PSUBSCRIBE and their undoing report. */
    int count() {
      return channels.size() + patterns.size();
    }

    int total() {
      return channels.size() + patterns.size() + shardChannels.size();
    }
  }

  private static final byte[] SUBSCRIBE = bytes("subscribe");
  private static final byte[] UNSUBSCRIBE = bytes("unsubscribe");
  private static final byte[] PSUBSCRIBE = bytes("psubscribe");
  private static final byte[] PUNSUBSCRIBE = bytes("punsubscribe");
  private static final byte[] SSUBSCRIBE = bytes("ssubscribe");
  private static final byte[] SUNSUBSCRIBE = bytes("sunsubscribe");
  private static final byte[] MESSAGE = bytes("message");
  private static final byte[] SMESSAGE = bytes("smessage");
  private static final byte[] PMESSAGE = bytes("pmessage");

  /** Commands a RESP2 client may run while subscribed. */
  private static final Set<String> ALLOWED_IN_CONTEXT =
      Set.of(
          "ping",
          "subscribe",
          "ssubscribe",
          "unsubscribe",
          "sunsubscribe",
          "psubscribe",
          "punsubscribe",
          "quit",
          "reset");

  private final Map<ByteKey, List<Client>> channels = new HashMap<>();
  private final Map<ByteKey, List<Client>> shardChannels = new HashMap<>();
  private final Map<ByteKey, List<Client>> patterns = new LinkedHashMap<>();

  public PubSub(RedstartServer server) {
    server.subscriptionCounts(this::count);
    server.gates().install(CommandGates.Stage.PUBSUB_CONTEXT, this::contextGate);
    server.addClientListener(this::unsubscribeAll);
    server.addClientResetHook(this::unsubscribeAll);
    server.addClientFlags(
        (c, sb) -> {
          if (inContext(c)) sb.append('P');
        });
    server.events().publisher((channel, message) -> publish(channel, message, false));
    server.info().counter("pubsub_channels", channels::size);
    server.info().counter("pubsub_patterns", patterns::size);
    server.info().counter("pubsubshard_channels", shardChannels::size);
  }

  // ---- client state

  /** Kind 0 channels, 1 patterns, 2 shard channels (CLIENT LIST's sub, psub, ssub). */
  private int count(Client c, int kind) {
    Subscriptions s = (Subscriptions) c.pubsubState();
    if (s == null) return 0;
    return switch (kind) {
      case 0 -> s.channels.size();
      case 1 -> s.patterns.size();
      default -> s.shardChannels.size();
    };
  }

  /** Whether the client is subscribed to anything (Redis's CLIENT_PUBSUB). */
  public boolean inContext(Client c) {
    return c.pubsubState() != null;
  }

  /** The client's subscriptions, created empty when it has none. */
  private static Subscriptions subscriptions(Client c) {
    Subscriptions s = (Subscriptions) c.pubsubState();
    if (s == null) {
      s = new Subscriptions();
      c.pubsubState(s);
    }
    return s;
  }

  /** Forgets an empty subscription record, leaving the subscribe context. */
  private static void dropIfEmpty(Client c, Subscriptions s) {
    if (s.total() == 0) c.pubsubState(null);
  }

  private String contextGate(Client c, CommandSpec cmd, byte[][] argv) {
    if (c.protocol() != 2 || !inContext(c)) return null;
    if (cmd.parent() == null && ALLOWED_IN_CONTEXT.contains(cmd.name)) return null;
    return Errors.subscribeContext(cmd.fullName);
  }

  // ---- SUBSCRIBE and friends

  /** SUBSCRIBE: one confirmation per channel, counting channels and patterns. */
  public void subscribe(Client c, byte[][] argv) {
    Subscriptions s = subscriptions(c);
    for (int j = 1; j < argv.length; j++) {
      ByteKey ch = new ByteKey(argv[j]);
      if (s.channels.add(ch)) channels.computeIfAbsent(ch, k -> new ArrayList<>()).add(c);
      confirm(c, SUBSCRIBE, argv[j], s.count());
    }
  }

  /** SSUBSCRIBE: as SUBSCRIBE in the shard namespace, counting shard channels only. */
  public void ssubscribe(Client c, byte[][] argv) {
    Subscriptions s = subscriptions(c);
    for (int j = 1; j < argv.length; j++) {
      ByteKey ch = new ByteKey(argv[j]);
      if (s.shardChannels.add(ch)) {
        shardChannels.computeIfAbsent(ch, k -> new ArrayList<>()).add(c);
      }
      confirm(c, SSUBSCRIBE, argv[j], s.shardChannels.size());
    }
  }

  /** PSUBSCRIBE. */
  public void psubscribe(Client c, byte[][] argv) {
    Subscriptions s = subscriptions(c);
    for (int j = 1; j < argv.length; j++) {
      ByteKey p = new ByteKey(argv[j]);
      if (s.patterns.add(p)) patterns.computeIfAbsent(p, k -> new ArrayList<>()).add(c);
      confirm(c, PSUBSCRIBE, argv[j], s.count());
    }
  }

  /** UNSUBSCRIBE [channel ...]: without channels, from all (one confirmation, null if none). */
  public void unsubscribe(Client c, byte[][] argv) {
    unsubscribeGeneric(c, argv, 0);
  }

  public void punsubscribe(Client c, byte[][] argv) {
    unsubscribeGeneric(c, argv, 1);
  }

  public void sunsubscribe(Client c, byte[][] argv) {
    unsubscribeGeneric(c, argv, 2);
  }

  private void unsubscribeGeneric(Client c, byte[][] argv, int kind) {
    Subscriptions s = subscriptions(c);
    if (argv.length == 1) {
      List<ByteKey> all = new ArrayList<>(own(s, kind));
      for (ByteKey k : all) remove(c, s, kind, k, true);
      if (all.isEmpty()) confirm(c, unsubscribeName(kind), null, reportedCount(s, kind));
    } else {
      for (int j = 1; j < argv.length; j++) remove(c, s, kind, new ByteKey(argv[j]), true);
    }
    dropIfEmpty(c, s);
  }

  /** Drops every subscription of a client (RESET, disconnection), confirming nothing. */
  private void unsubscribeAll(Client c) {
    Subscriptions s = (Subscriptions) c.pubsubState();
    if (s == null) return;
    for (int kind = 0; kind < 3; kind++) {
      for (ByteKey k : new ArrayList<>(own(s, kind))) remove(c, s, kind, k, false);
    }
    c.pubsubState(null);
  }

  private void remove(Client c, Subscriptions s, int kind, ByteKey key, boolean notify) {
    if (own(s, kind).remove(key)) {
      Map<ByteKey, List<Client>> map = global(kind);
      List<Client> subs = map.get(key);
      subs.remove(c);
      // Free the entry with its last subscriber, so that channels cannot pile up.
      if (subs.isEmpty()) map.remove(key);
    }
    if (notify) confirm(c, unsubscribeName(kind), key.bytes(), reportedCount(s, kind));
  }

  private static LinkedHashSet<ByteKey> own(Subscriptions s, int kind) {
    return switch (kind) {
      case 0 -> s.channels;
      case 1 -> s.patterns;
      default -> s.shardChannels;
    };
  }

  private Map<ByteKey, List<Client>> global(int kind) {
    return switch (kind) {
      case 0 -> channels;
      case 1 -> patterns;
      default -> shardChannels;
    };
  }

  private static byte[] unsubscribeName(int kind) {
    return switch (kind) {
      case 0 -> UNSUBSCRIBE;
      case 1 -> PUNSUBSCRIBE;
      default -> SUNSUBSCRIBE;
    };
  }

  private static int reportedCount(Subscriptions s, int kind) {
    return kind == 2 ? s.shardChannels.size() : s.count();
  }

  /** A (un)subscription confirmation: kind, name (null as a null bulk), remaining count. */
  private void confirm(Client c, byte[] kind, byte[] name, int count) {
    RespWriter w = c.push();
    w.push(3);
    w.bulk(kind);
    if (name == null) {
      w.nullBulk();
    } else {
      w.bulk(name);
    }
    w.integer(count);
    c.afterPush();
  }

  // ---- publishing

  /**
   * Delivers a message to the subscribers of {@code channel} (and, outside the shard namespace, to
   * the subscribers of every matching pattern); returns how many receptions there were.
   */
  public int publish(byte[] channel, byte[] message, boolean shard) {
    Map<ByteKey, List<Client>> map = shard ? shardChannels : channels;
    if (map.isEmpty() && (shard || patterns.isEmpty())) return 0;
    int receivers = 0;
    List<Client> subs = map.isEmpty() ? null : map.get(new ByteKey(channel));
    if (subs != null) {
      Encoded msg = new Encoded(shard ? SMESSAGE : MESSAGE, null, channel, message);
      // Delivery never closes anyone (see deliver), so the list does not change under us.
      for (int i = 0; i < subs.size(); i++) {
        deliver(subs.get(i), msg);
        receivers++;
      }
    }
    if (!shard && !patterns.isEmpty()) {
      for (Map.Entry<ByteKey, List<Client>> e : patterns.entrySet()) {
        byte[] pattern = e.getKey().bytes();
        if (!Glob.matches(pattern, channel, false)) continue;
        Encoded msg = new Encoded(PMESSAGE, pattern, channel, message);
        List<Client> ps = e.getValue();
        for (int i = 0; i < ps.size(); i++) {
          deliver(ps.get(i), msg);
          receivers++;
        }
      }
    }
    return receivers;
  }

  /**
   * Queues one message to a receiver. A receiver over its output buffer limit is only marked, to be
   * closed after the batch, and a connection the transport finds broken is closed by Netty later on
   * the loop: the subscriber lists stay as they are while a message is delivered.
   */
  private void deliver(Client c, Encoded msg) {
    RespWriter w = c.push();
    w.raw(msg.encoding(w.resp3()));
    c.afterPush();
  }

  /**
   * Sends a message on a channel to one client, whatever it is subscribed to (invalidations of
   * client-side caching go this way on {@code __redis__:invalidate}): {@code payload} is the
   * already encoded message value.
   */
  public static void sendMessage(Client c, byte[] channel, byte[] payload) {
    RespWriter w = c.push();
    w.push(3);
    w.bulk(MESSAGE);
    w.bulk(channel);
    w.raw(payload);
    c.afterPush();
  }

  /** One message, encoded at most once per protocol whatever the number of receivers. */
  private static final class Encoded {
    private final byte[] kind;
    private final byte[] pattern;
    private final byte[] channel;
    private final byte[] message;
    private byte[] resp2;
    private byte[] resp3;

    Encoded(byte[] kind, byte[] pattern, byte[] channel, byte[] message) {
      this.kind = kind;
      this.pattern = pattern;
      this.channel = channel;
      this.message = message;
    }

    byte[] encoding(boolean resp3) {
      if (resp3) {
        if (this.resp3 == null) this.resp3 = encode('>');
        return this.resp3;
      }
      if (resp2 == null) resp2 = encode('*');
      return resp2;
    }

    private byte[] encode(char type) {
      int n = pattern == null ? 3 : 4;
      int size =
          4
              + bulkSize(kind)
              + bulkSize(channel)
              + bulkSize(message)
              + (pattern == null ? 0 : bulkSize(pattern));
      byte[] out = new byte[size];
      int at = 0;
      out[at++] = (byte) type;
      out[at++] = (byte) ('0' + n);
      out[at++] = '\r';
      out[at++] = '\n';
      at = bulk(out, at, kind);
      if (pattern != null) at = bulk(out, at, pattern);
      at = bulk(out, at, channel);
      bulk(out, at, message);
      return out;
    }

    private static int bulkSize(byte[] b) {
      return 1 + digits(b.length) + 2 + b.length + 2;
    }

    private static int digits(int v) {
      int d = 1;
      while (v >= 10) {
        v /= 10;
        d++;
      }
      return d;
    }

    private static int bulk(byte[] out, int at, byte[] b) {
      out[at++] = '$';
      int d = digits(b.length);
      for (int i = d - 1, v = b.length; i >= 0; i--, v /= 10) out[at + i] = (byte) ('0' + v % 10);
      at += d;
      out[at++] = '\r';
      out[at++] = '\n';
      System.arraycopy(b, 0, out, at, b.length);
      at += b.length;
      out[at++] = '\r';
      out[at++] = '\n';
      return at;
    }
  }

  // ---- introspection (PUBSUB)

  /** Channels (or shard channels) with at least one subscriber, matching {@code pattern}. */
  public List<byte[]> channels(byte[] pattern, boolean shard) {
    List<byte[]> out = new ArrayList<>();
    for (ByteKey k : (shard ? shardChannels : channels).keySet()) {
      if (pattern == null || Glob.matches(pattern, k.bytes(), false)) out.add(k.bytes());
    }
    return out;
  }

  /** Subscribers of a channel (or shard channel), patterns not counted. */
  public int subscriberCount(byte[] channel, boolean shard) {
    List<Client> l = (shard ? shardChannels : channels).get(new ByteKey(channel));
    return l == null ? 0 : l.size();
  }

  /** Distinct patterns with at least one subscriber. */
  public int patternCount() {
    return patterns.size();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
