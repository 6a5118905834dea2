package io.redstart.command.stream;

import static io.redstart.config.KeyspaceEventFlags.STREAM;

import io.redstart.blocking.Blocking;
import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import io.redstart.types.ValueType;
import io.redstart.types.stream.Consumer;
import io.redstart.types.stream.ConsumerGroup;
import io.redstart.types.stream.PendingEntry;
import io.redstart.types.stream.StreamId;
import io.redstart.types.stream.StreamValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * XREAD and XREADGROUP (Redis's xreadCommand), blocking included, and the delivery of entries to a
 * consumer group (streamReplyWithRange with a group, and its history form over the consumer's
 * pending list).
 *
 * <p>A client that cannot be served and asked to BLOCK waits through {@link Blocking} with a {@link
 * StreamWait}: the IDs it waits after ({@code $} resolved when it blocked), its group, consumer,
 * NOACK and COUNT (1000 when none was given). The wait is ready for a stream key when the stream's
 * last ID passes the waited ID (for a group, the group's last delivered ID at that moment), or when
 * the group is gone. {@link Blocking} then runs the command again with {@link Blocking#servingKey}
 * set, and {@link #serveBlocked} replies as Redis's serveClientsBlockedOnStreamKey: that key only,
 * or NOGROUP when the group was destroyed. A stream key deleted or overwritten under a waiting
 * XREADGROUP is handled by {@link StreamWaits}.
 *
 * <p>Propagation is Redis's: never the command itself; each new pending entry as an XCLAIM that
 * forces it (TIME, RETRYCOUNT, LASTID), the group's last ID as XGROUP SETID when NOACK moved it,
 * and a consumer created under NOACK as XGROUP CREATECONSUMER.
 *
 * <p>Handlers run on the keyspace thread.
 */
public final class StreamReadCommands {
  private StreamReadCommands() {}

  /** COUNT of a blocked read that gave none (Redis's XREAD_BLOCKED_DEFAULT_COUNT). */
  static final long BLOCKED_DEFAULT_COUNT = 1000;

  /** What a blocked XREAD or XREADGROUP waits for; also its readiness test. */
  static final class StreamWait implements Predicate<Object> {
    final byte[][] keys;
    final StreamId[] ids;
    final byte[] group;
    final byte[] consumer;
    final boolean noack;
    final long count;
    final long deadline;

    StreamWait(
        byte[][] keys,
        StreamId[] ids,
        byte[] group,
        byte[] consumer,
        boolean noack,
        long count,
        long deadline) {
      this.keys = keys;
      this.ids = ids;
      this.group = group;
      this.consumer = consumer;
      this.noack = noack;
      this.count = count;
      this.deadline = deadline;
    }

    int indexOf(byte[] key) {
      for (int i = 0; i < keys.length; i++) if (Arrays.equals(keys[i], key)) return i;
      return -1;
    }

    boolean waitsOn(byte[] key) {
      return indexOf(key) >= 0;
    }

    @Override
    public boolean test(Object entry) {
      if (Entries.type(entry) != ValueType.STREAM) return false;
      int i = indexOf(Entries.key(entry));
      if (i < 0) return false;
      StreamValue s = Streams.value(entry);
      StreamId gt;
      if (group != null) {
        ConsumerGroup g = s.group(group);
        if (g == null) return true; // served with NOGROUP
        gt = g.lastId();
      } else {
        gt = ids[i];
      }
      return s.lastId().compareTo(gt) > 0;
    }
  }

  /** XREAD [COUNT count] [BLOCK milliseconds] STREAMS key ... id ... */
  public static void xread(Client c, byte[][] argv) {
    readGeneric(c, argv, false);
  }

  /** XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key ... id ... */
  public static void xreadgroup(Client c, byte[][] argv) {
    readGeneric(c, argv, true);
  }

  private static void readGeneric(Client c, byte[][] argv, boolean xreadgroup) {
    Blocking blocking = c.server().component(Blocking.class);
    c.server().dispatcher().preventPropagation(); // effects are propagated one by one
    byte[] serving = blocking.servingKey(c);
    if (serving != null && blocking.readiness(c) instanceof StreamWait w) {
      serveBlocked(c, blocking, w, serving);
      return;
    }
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    int argc = argv.length;
    boolean block = false;
    long deadline = 0;
    long count = 0;
    int streamsArg = 0;
    int streamsCount = 0;
    boolean noack = false;
    byte[] groupName = null;
    byte[] consumerName = null;
    for (int i = 1; i < argc; i++) {
      int moreargs = argc - i - 1;
      byte[] o = argv[i];
      if (Streams.is(o, "block") && moreargs > 0) {
        if (inScript(c)) {
          c.error(Errors.blockInScript(Streams.cstr(argv[0])));
          return;
        }
        i++;
        deadline = Blocking.timeoutMillisOrReply(c, argv[i], ks.clock().millis());
        if (deadline == Blocking.INVALID_TIMEOUT) return;
        block = true;
      } else if (Streams.is(o, "count") && moreargs > 0) {
        i++;
        if (!Args.isLongOrReply(c, argv[i])) return;
        count = Math.max(0, Args.toLong(argv[i]));
      } else if (Streams.is(o, "streams") && moreargs > 0) {
        streamsArg = i + 1;
        streamsCount = argc - streamsArg;
        if (streamsCount % 2 != 0) {
          c.error(Errors.XREAD_UNBALANCED);
          return;
        }
        streamsCount /= 2;
        break;
      } else if (Streams.is(o, "group") && moreargs >= 2) {
        if (!xreadgroup) {
          c.error(Errors.XREAD_GROUP_OPTION);
          return;
        }
        groupName = argv[i + 1];
        consumerName = argv[i + 2];
        i += 2;
      } else if (Streams.is(o, "noack")) {
        if (!xreadgroup) {
          c.error(Errors.XREAD_NOACK_OPTION);
          return;
        }
        noack = true;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    if (streamsArg == 0) {
      c.error(Errors.SYNTAX);
      return;
    }
    if (xreadgroup && groupName == null) {
      c.error(Errors.XREADGROUP_MISSING_GROUP);
      return;
    }

    StreamId[] ids = new StreamId[streamsCount];
    for (int i = streamsArg + streamsCount; i < argc; i++) {
      int idx = i - streamsArg - streamsCount;
      byte[] key = argv[i - streamsCount];
      Object o = ks.lookupRead(db, key, c.noTouch());
      if (Streams.wrongType(o)) {
        c.error(Errors.WRONGTYPE);
        return;
      }
      if (groupName != null && (o == null || Streams.value(o).group(groupName) == null)) {
        c.error(Errors.noKeyOrGroupForRead(Streams.cstr(key), Streams.cstr(groupName)));
        return;
      }
      if (Streams.equalsC(argv[i], "$")) {
        if (xreadgroup) {
          c.error(Errors.XREADGROUP_DOLLAR);
          return;
        }
        ids[idx] = o != null ? Streams.value(o).lastId() : StreamId.MIN;
        continue;
      } else if (Streams.equalsC(argv[i], ">")) {
        if (!xreadgroup) {
          c.error(Errors.XREAD_GREATER_ID);
          return;
        }
        ids[idx] = StreamId.MAX;
        continue;
      }
      ids[idx] = Streams.strictIdOrReply(c, argv[i]);
      if (ids[idx] == null) return;
    }

    RespWriter w = c.reply();
    Streams.Deferred outer = null;
    long served = 0;
    for (int i = 0; i < streamsCount; i++) {
      byte[] key = argv[streamsArg + i];
      Object o = ks.lookupRead(db, key, c.noTouch());
      if (o == null) continue;
      StreamValue s = Streams.value(o);
      StreamId gt = ids[i];
      boolean serve = false;
      boolean history = false;
      ConsumerGroup g = null;
      if (groupName != null) {
        g = s.group(groupName);
        if (!gt.isMax()) {
          serve = true;
          history = true;
        } else if (s.length() > 0) {
          StreamId last = g.lastId();
          if (s.edgeId(false, true).compareTo(last) > 0) {
            serve = true;
            gt = last;
          }
        }
      } else if (s.length() > 0) {
        serve = s.edgeId(false, true).compareTo(gt) > 0;
      }
      if (!serve) continue;
      if (g != null) {
        s = Streams.forChange(c, key, o); // the group changes: reach it as a write
        g = s.group(groupName);
      }
      served++;
      if (outer == null) outer = Streams.Deferred.start(w);
      StreamId start = gt.next();
      if (start == null) start = StreamId.MIN; // streamIncrID wraps the largest ID to 0-0
      if (c.protocol() == 2) w.array(2);
      w.bulk(key);
      long before = s.memoryUsage();
      if (g != null) {
        Consumer consumer = consumerFor(c, s, g, key, groupName, consumerName, noack);
        if (history) {
          replyFromPending(w, s, consumer, start, count, ks.now());
        } else {
          deliver(c, w, s, g, consumer, start, count, noack, key, groupName);
        }
        c.server().incrDirty(1);
        db.adjustUsedBytes(s.memoryUsage() - before);
      } else {
        StreamCommands.replyRange(w, s, start, null, count, false);
      }
    }
    if (served > 0) {
      if (c.protocol() == 2) {
        outer.array(served);
      } else {
        outer.map(served);
      }
      return;
    }
    if (block) {
      if (!blocking.canBlock(c)) {
        c.reply().nullArray();
        return;
      }
      List<byte[]> keys = new ArrayList<>();
      List<StreamId> waitIds = new ArrayList<>();
      for (int i = 0; i < streamsCount; i++) {
        byte[] key = argv[streamsArg + i];
        boolean seen = false;
        for (byte[] k : keys) seen |= Arrays.equals(k, key);
        if (seen) continue; // the first ID of a repeated key counts, as Redis's dict
        keys.add(key);
        waitIds.add(ids[i]);
      }
      StreamWait wait =
          new StreamWait(
              keys.toArray(new byte[0][]),
              waitIds.toArray(new StreamId[0]),
              groupName,
              consumerName,
              noack,
              count != 0 ? count : BLOCKED_DEFAULT_COUNT,
              deadline);
      blocking.block(c, keys, deadline, cl -> cl.reply().nullArray(), wait);
      if (groupName != null) c.server().component(StreamWaits.class).groupWaitOn(db, keys);
      return;
    }
    c.reply().nullArray();
  }

  /**
   * Whether the command runs inside a script: the server runs scripts' commands through a client it
   * does not list among its connections (inside MULTI the client is a listed one).
   */
  private static boolean inScript(Client c) {
    return c.server().inTransactionOrScript() && c.server().clients().get(c.id()) != c;
  }

  /**
   * Serves a blocked read from the stream that became ready (Redis's
   * serveClientsBlockedOnStreamKey): NOGROUP when its group is gone, else the entries after the
   * waited ID, or waits on when there are none after all.
   */
  private static void serveBlocked(Client c, Blocking blocking, StreamWait wait, byte[] key) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    int i = wait.indexOf(key);
    Object o = ks.lookupQuiet(db, key);
    if (i < 0 || o == null || Entries.type(o) != ValueType.STREAM) {
      blocking.block(
          c, Arrays.asList(wait.keys), wait.deadline, cl -> cl.reply().nullArray(), wait);
      return;
    }
    StreamValue s = Streams.value(o);
    ConsumerGroup g = null;
    StreamId gt;
    if (wait.group != null) {
      s = Streams.forChange(c, key, o);
      g = s.group(wait.group);
      if (g == null) {
        c.error(Errors.XREADGROUP_GROUP_GONE);
        return;
      }
      gt = g.lastId();
    } else {
      gt = wait.ids[i];
    }
    if (s.lastId().compareTo(gt) <= 0) {
      blocking.block(
          c, Arrays.asList(wait.keys), wait.deadline, cl -> cl.reply().nullArray(), wait);
      return;
    }
    StreamId start = gt.next();
    long before = s.memoryUsage();
    Consumer consumer = null;
    if (g != null) consumer = consumerFor(c, s, g, key, wait.group, wait.consumer, wait.noack);
    RespWriter w = c.reply();
    if (c.protocol() == 2) {
      w.array(1);
      w.array(2);
    } else {
      w.map(1);
    }
    w.bulk(key);
    if (g != null) {
      deliver(c, w, s, g, consumer, start, wait.count, wait.noack, key, wait.group);
      db.adjustUsedBytes(s.memoryUsage() - before);
    } else {
      StreamCommands.replyRange(w, s, start, null, wait.count, false);
    }
  }

  /**
   * The reading consumer, seen now; created when missing (a change, "xgroup-createconsumer", and
   * under NOACK propagated as XGROUP CREATECONSUMER, since no XCLAIM will carry it).
   */
  private static Consumer consumerFor(
      Client c,
      StreamValue s,
      ConsumerGroup g,
      byte[] key,
      byte[] groupName,
      byte[] name,
      boolean noack) {
    long now = c.server().keyspace().now();
    Consumer consumer = g.touchConsumer(name, now);
    if (consumer != null) return consumer;
    consumer = g.createConsumer(name, now);
    c.server().incrDirty(1);
    c.server().events().notify(STREAM, "xgroup-createconsumer", key, c.dbIndex());
    if (noack) {
      c.server()
          .propagator()
          .add(
              c.dbIndex(),
              new byte[][] {Streams.XGROUP, Streams.CREATECONSUMER, key, groupName, name});
    }
    return consumer;
  }

  /**
   * Delivers the entries from {@code start} on to a consumer (streamReplyWithRange with a group):
   * an array of at most {@code count} entries (0: all); each one moves the group's last ID and read
   * counter and, unless {@code noack}, becomes pending for {@code consumer} and is propagated as
   * XCLAIM; under NOACK a moved last ID is propagated as XGROUP SETID.
   */
  static long deliver(
      Client c,
      RespWriter w,
      StreamValue s,
      ConsumerGroup g,
      Consumer consumer,
      StreamId start,
      long count,
      boolean noack,
      byte[] key,
      byte[] groupName) {
    long now = c.server().keyspace().now();
    Streams.Deferred d = Streams.Deferred.start(w);
    StreamValue.Cursor cur = s.cursor(start, null, false);
    boolean propagateLastId = false;
    long n = 0;
    while ((count == 0 || n < count) && cur.next()) {
      long ms = cur.ms();
      long seq = cur.seq();
      if (g.deliver(ms, seq, consumer, noack, now) && noack) propagateLastId = true;
      cur.writeEntry(w);
      if (!noack && c.server().propagator().hasFeeds()) {
        PendingEntry e = g.pending(cur.id());
        propagateClaim(c, key, g, groupName, Streams.idBytes(ms, seq), e);
      }
      n++;
    }
    if (propagateLastId) propagateGroupId(c, key, g, groupName);
    d.array(n);
    return n;
  }

  /**
   * Replies a consumer's own pending entries from {@code start}
   * (streamReplyWithRangeFromConsumerPEL): an entry still in the stream counts as delivered again
   * now; a deleted one is replied as its ID with a null array.
   */
  private static void replyFromPending(
      RespWriter w, StreamValue s, Consumer consumer, StreamId start, long count, long now) {
    Streams.Deferred d = Streams.Deferred.start(w);
    long n = 0;
    PendingEntry e = consumer.pendingCeiling(start);
    while (e != null && (count == 0 || n < count)) {
      StreamId id = e.id();
      StreamValue.Cursor cur = s.cursor(id, id, false);
      if (cur.next()) {
        cur.writeEntry(w);
        ConsumerGroup.setDelivery(e, now, e.deliveryCount() + 1);
      } else {
        w.array(2);
        StreamValue.writeId(w, id);
        w.nullArray();
      }
      n++;
      StreamId next = id.next();
      e = next == null ? null : consumer.pendingCeiling(next);
    }
    d.array(n);
  }

  /**
   * Propagates a pending entry as Redis's streamPropagateXCLAIM: XCLAIM key group consumer 0 id
   * TIME ms RETRYCOUNT count FORCE JUSTID LASTID group-last-id.
   */
  static void propagateClaim(
      Client c, byte[] key, ConsumerGroup g, byte[] groupName, byte[] id, PendingEntry e) {
    if (!c.server().propagator().hasFeeds()) return;
    c.server()
        .propagator()
        .add(
            c.dbIndex(),
            new byte[][] {
              Streams.XCLAIM,
              key,
              groupName,
              e.consumer().name(),
              Streams.ZERO,
              id,
              Streams.TIME,
              Numbers.toBytes(e.deliveryTime()),
              Streams.RETRYCOUNT,
              Numbers.toBytes(e.deliveryCount()),
              Streams.FORCE,
              Streams.JUSTID,
              Streams.LASTID,
              Streams.idBytes(g.lastId())
            });
  }

  /** Propagates XGROUP SETID key group last-id ENTRIESREAD entries-read. */
  static void propagateGroupId(Client c, byte[] key, ConsumerGroup g, byte[] groupName) {
    if (!c.server().propagator().hasFeeds()) return;
    c.server()
        .propagator()
        .add(
            c.dbIndex(),
            new byte[][] {
              Streams.XGROUP,
              Streams.SETID,
              key,
              groupName,
              Streams.idBytes(g.lastId()),
              Streams.ENTRIESREAD,
              Numbers.toBytes(g.entriesRead())
            });
  }
}
