package io.redstart.command.stream;

import static io.redstart.config.KeyspaceEventFlags.STREAM;

import io.redstart.blocking.Blocking;
import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.command.Replies;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.KeyspaceEvents;
import io.redstart.store.Database;
import io.redstart.store.Keyspace;
import io.redstart.types.stream.Consumer;
import io.redstart.types.stream.ConsumerGroup;
import io.redstart.types.stream.PendingEntry;
import io.redstart.types.stream.StreamId;
import io.redstart.types.stream.StreamValue;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The consumer group commands of Redis 7.0 (t_stream.c): XGROUP and its subcommands (one {@link
 * #xgroupGeneric}, as Redis's xgroupCommand), XACK, XPENDING, XCLAIM and XAUTOCLAIM.
 *
 * <p>Keyspace events are Redis's: xgroup-create, xgroup-setid, xgroup-destroy,
 * xgroup-createconsumer (also when XCLAIM, XAUTOCLAIM or XREADGROUP create a consumer),
 * xgroup-delconsumer; XACK, XCLAIM and XAUTOCLAIM fire none of their own. Only XGROUP CREATE
 * MKSTREAM signals the key as modified (WATCH), as in Redis. XCLAIM and XAUTOCLAIM propagate each
 * claim (and each pending entry they drop because its message was deleted) as an XCLAIM with TIME,
 * RETRYCOUNT, FORCE, JUSTID and LASTID, never themselves.
 *
 * <p>Handlers run on the keyspace thread.
 */
public final class StreamGroupCommands {
  private StreamGroupCommands() {}

  private static final String[] XGROUP_HELP = {
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "    * ENTRIESREAD entries_read",
    "      Set the group's entries_read counter (internal use).",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>",
    "    Remove the specified group.",
    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
    "    Set the current group ID and entries_read counter.",
  };

  // ---- XGROUP

  public static void xgroupCreate(Client c, byte[][] argv) {
    xgroupGeneric(c, argv);
  }

  public static void xgroupSetid(Client c, byte[][] argv) {
    xgroupGeneric(c, argv);
  }

  public static void xgroupDestroy(Client c, byte[][] argv) {
    xgroupGeneric(c, argv);
  }

  public static void xgroupCreateconsumer(Client c, byte[][] argv) {
    xgroupGeneric(c, argv);
  }

  public static void xgroupDelconsumer(Client c, byte[][] argv) {
    xgroupGeneric(c, argv);
  }

  public static void xgroupHelp(Client c, byte[][] argv) {
    xgroupGeneric(c, argv);
  }

  /**
   * Redis's xgroupCommand: CREATE and SETID options first, then the key (which must exist unless
   * MKSTREAM) and the group (which must exist for SETID, CREATECONSUMER, DELCONSUMER), then the
   * subcommand with its exact argument count.
   */
  private static void xgroupGeneric(Client c, byte[][] argv) {
    int argc = argv.length;
    byte[] opt = argv[1];
    boolean mkstream = false;
    long entriesRead = ConsumerGroup.ENTRIES_READ_UNKNOWN;
    StreamValue s = null;
    ConsumerGroup cg = null;
    byte[] key = argc >= 3 ? argv[2] : null;
    Database db = c.db();
    if (argc >= 4) {
      boolean create = Streams.is(opt, "create");
      boolean setid = Streams.is(opt, "setid");
      int i = 5;
      while (i < argc) {
        if (create && Streams.is(argv[i], "mkstream")) {
          mkstream = true;
          i++;
        } else if ((create || setid) && Streams.is(argv[i], "entriesread") && i + 1 < argc) {
          if (!Args.isLongOrReply(c, argv[i + 1])) return;
          entriesRead = Args.toLong(argv[i + 1]);
          if (entriesRead < 0 && entriesRead != ConsumerGroup.ENTRIES_READ_UNKNOWN) {
            c.error(Errors.XGROUP_ENTRIES_READ);
            return;
          }
          i += 2;
        } else {
          Replies.subcommandSyntaxError(c, argv);
          return;
        }
      }
      Object e = c.server().keyspace().lookupWrite(db, key);
      if (e != null) {
        s = Streams.streamOrReply(c, e);
        if (s == null) return;
      }
    }
    if (argc >= 4 && !mkstream) {
      if (s == null) {
        c.error(Errors.XGROUP_NO_KEY);
        return;
      }
      cg = s.group(argv[3]);
      if (cg == null
          && (Streams.is(opt, "setid")
              || Streams.is(opt, "createconsumer")
              || Streams.is(opt, "delconsumer"))) {
        c.error(Errors.noGroupForKey(Streams.cstr(argv[3]), Streams.cstr(key)));
        return;
      }
    }
    KeyspaceEvents ev = c.server().events();
    if (argc == 2 && Streams.is(opt, "help")) {
      Replies.help(c, argv[0], XGROUP_HELP);
    } else if (Streams.is(opt, "create") && argc >= 5 && argc <= 8) {
      StreamId id;
      if (Streams.equalsC(argv[4], "$")) {
        id = s != null ? s.lastId() : StreamId.MIN;
      } else {
        id = Streams.strictIdOrReply(c, argv[4]);
        if (id == null) return;
      }
      if (s == null) {
        s = Streams.create(c, db, key);
        ev.signalModified(c, db, key);
      }
      long before = s.memoryUsage();
      if (s.createGroup(argv[3], id, entriesRead) != null) {
        c.reply().ok();
        c.server().incrDirty(1);
        ev.notify(STREAM, "xgroup-create", key, db.id());
        db.adjustUsedBytes(s.memoryUsage() - before);
      } else {
        c.error(Errors.BUSYGROUP);
      }
    } else if (Streams.is(opt, "setid") && (argc == 5 || argc == 7)) {
      StreamId id;
      if (Streams.equalsC(argv[4], "$")) {
        id = s.lastId();
      } else {
        id = Streams.idOrReply(c, argv[4], 0);
        if (id == null) return;
      }
      cg.setLastId(id, entriesRead);
      c.reply().ok();
      c.server().incrDirty(1);
      ev.notify(STREAM, "xgroup-setid", key, db.id());
    } else if (Streams.is(opt, "destroy") && argc == 4) {
      if (cg != null) {
        long before = s.memoryUsage();
        s.destroyGroup(cg);
        db.adjustUsedBytes(s.memoryUsage() - before);
        c.reply().integer(1);
        c.server().incrDirty(1);
        ev.notify(STREAM, "xgroup-destroy", key, db.id());
        // Clients blocked in XREADGROUP on this group are answered NOGROUP.
        c.server().component(Blocking.class).signalKeyAsReady(db, key);
      } else {
        c.reply().integer(0);
      }
    } else if (Streams.is(opt, "createconsumer") && argc == 5) {
      long before = s.memoryUsage();
      Consumer created = cg.createConsumer(argv[4], c.server().keyspace().now());
      if (created != null) {
        c.server().incrDirty(1);
        ev.notify(STREAM, "xgroup-createconsumer", key, db.id());
        db.adjustUsedBytes(s.memoryUsage() - before);
      }
      c.reply().integer(created != null ? 1 : 0);
    } else if (Streams.is(opt, "delconsumer") && argc == 5) {
      long pending = 0;
      Consumer consumer = cg.consumer(argv[4]);
      if (consumer != null) {
        long before = s.memoryUsage();
        pending = cg.deleteConsumer(consumer);
        db.adjustUsedBytes(s.memoryUsage() - before);
        c.server().incrDirty(1);
        ev.notify(STREAM, "xgroup-delconsumer", key, db.id());
      }
      c.reply().integer(pending);
    } else {
      Replies.subcommandSyntaxError(c, argv);
    }
  }

  // ---- XACK

  /** XACK key group id [id ...]: the number of pending entries removed. */
  public static void xack(Client c, byte[][] argv) {
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    ConsumerGroup g = null;
    if (e != null) {
      StreamValue s = Streams.streamOrReply(c, e);
      if (s == null) return;
      g = s.group(argv[2]);
    }
    if (g == null) {
      c.reply().integer(0);
      return;
    }
    StreamId[] ids = new StreamId[argv.length - 3];
    for (int j = 3; j < argv.length; j++) {
      ids[j - 3] = Streams.strictIdOrReply(c, argv[j]);
      if (ids[j - 3] == null) return;
    }
    StreamValue s = Streams.forChange(c, argv[1], e);
    g = s.group(argv[2]);
    long before = s.memoryUsage();
    long acked = 0;
    for (StreamId id : ids) {
      if (g.acknowledge(id)) acked++;
    }
    if (acked > 0) {
      c.server().incrDirty(acked);
      c.db().adjustUsedBytes(s.memoryUsage() - before);
    }
    c.reply().integer(acked);
  }

  // ---- XPENDING

  /** XPENDING key group [[IDLE min-idle] start end count [consumer]]. */
  public static void xpending(Client c, byte[][] argv) {
    int argc = argv.length;
    boolean justInfo = argc == 3;
    if (argc != 3 && (argc < 6 || argc > 9)) {
      c.error(Errors.SYNTAX);
      return;
    }
    long count = 0;
    long minIdle = 0;
    StreamId start = null;
    StreamId end = null;
    byte[] consumerName = null;
    if (argc >= 6) {
      int startIdx = 3;
      if (Streams.is(argv[3], "idle")) {
        if (!Args.isLongOrReply(c, argv[4])) return;
        minIdle = Args.toLong(argv[4]);
        if (argc < 8) {
          c.error(Errors.SYNTAX);
          return;
        }
        startIdx += 2;
      }
      if (!Args.isLongOrReply(c, argv[startIdx + 2])) return;
      count = Math.max(0, Args.toLong(argv[startIdx + 2]));
      start = Streams.boundOrReply(c, argv[startIdx], true);
      if (start == null) return;
      end = Streams.boundOrReply(c, argv[startIdx + 1], false);
      if (end == null) return;
      if (startIdx + 3 < argc) consumerName = argv[startIdx + 3];
    }
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    if (Streams.wrongType(e)) {
      c.error(Errors.WRONGTYPE);
      return;
    }
    ConsumerGroup g = e == null ? null : Streams.value(e).group(argv[2]);
    if (g == null) {
      c.error(Errors.noKeyOrGroup(Streams.cstr(argv[1]), Streams.cstr(argv[2])));
      return;
    }
    RespWriter w = c.reply();
    if (justInfo) {
      w.array(4);
      w.integer(g.pendingCount());
      if (g.pendingCount() == 0) {
        w.nullBulk();
        w.nullBulk();
        w.nullArray();
        return;
      }
      StreamValue.writeId(w, g.firstPending().id());
      StreamValue.writeId(w, g.lastPending().id());
      List<Consumer> owners = new ArrayList<>();
      for (Consumer consumer : g.consumers()) if (consumer.pendingCount() > 0) owners.add(consumer);
      w.array(owners.size());
      for (Consumer consumer : owners) {
        w.array(2);
        w.bulk(consumer.name());
        w.bulkLong(consumer.pendingCount());
      }
      return;
    }
    Consumer consumer = null;
    if (consumerName != null) {
      consumer = g.consumer(consumerName);
      if (consumer == null) {
        w.emptyArray();
        return;
      }
    }
    long now = c.server().keyspace().now();
    Streams.Deferred d = Streams.Deferred.start(w);
    long n = 0;
    PendingEntry p = consumer != null ? consumer.pendingCeiling(start) : g.pendingCeiling(start);
    while (count > 0 && p != null && p.id().compareTo(end) <= 0) {
      StreamId next = p.id().next();
      boolean shown = true;
      if (minIdle != 0 && now - p.deliveryTime() < minIdle) shown = false;
      if (shown) {
        n++;
        count--;
        w.array(4);
        StreamValue.writeId(w, p.ms(), p.seq());
        w.bulk(p.consumer().name());
        w.integer(Math.max(0, now - p.deliveryTime()));
        w.integer(p.deliveryCount());
      }
      if (next == null) break;
      p = consumer != null ? consumer.pendingCeiling(next) : g.pendingCeiling(next);
    }
    d.array(n);
  }

  // ---- XCLAIM

  /**
   * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms] [RETRYCOUNT count]
   * [FORCE] [JUSTID] [LASTID id]: IDs are read until one does not parse, options from there.
   */
  public static void xclaim(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Object e = ks.lookupRead(c.db(), argv[1], c.noTouch());
    ConsumerGroup g = null;
    if (e != null) {
      StreamValue s = Streams.streamOrReply(c, e);
      if (s == null) return;
      g = s.group(argv[2]);
    }
    if (g == null) {
      c.error(Errors.noKeyOrGroup(Streams.cstr(argv[1]), Streams.cstr(argv[2])));
      return;
    }
    if (!io.redstart.resp.Numbers.isLong(argv[4])) {
      c.error(Errors.XCLAIM_MIN_IDLE);
      return;
    }
    long minIdle = Math.max(0, Args.toLong(argv[4]));
    int argc = argv.length;
    List<StreamId> ids = new ArrayList<>();
    int j = 5;
    for (; j < argc; j++) {
      StreamId id = StreamId.parseStrict(argv[j], 0);
      if (id == null) break;
      ids.add(id);
    }
    int lastIdArg = j - 1;
    long now = ks.now();
    long retryCount = -1;
    long deliveryTime = -1;
    boolean force = false;
    boolean justId = false;
    StreamId lastId = StreamId.MIN;
    for (; j < argc; j++) {
      int moreargs = argc - 1 - j;
      byte[] opt = argv[j];
      if (Streams.is(opt, "force")) {
        force = true;
      } else if (Streams.is(opt, "justid")) {
        justId = true;
      } else if (Streams.is(opt, "idle") && moreargs > 0) {
        j++;
        if (!io.redstart.resp.Numbers.isLong(argv[j])) {
          c.error(Errors.XCLAIM_IDLE);
          return;
        }
        deliveryTime = now - Args.toLong(argv[j]);
      } else if (Streams.is(opt, "time") && moreargs > 0) {
        j++;
        if (!io.redstart.resp.Numbers.isLong(argv[j])) {
          c.error(Errors.XCLAIM_TIME);
          return;
        }
        deliveryTime = Args.toLong(argv[j]);
      } else if (Streams.is(opt, "retrycount") && moreargs > 0) {
        j++;
        if (!io.redstart.resp.Numbers.isLong(argv[j])) {
          c.error(Errors.XCLAIM_RETRYCOUNT);
          return;
        }
        retryCount = Args.toLong(argv[j]);
      } else if (Streams.is(opt, "lastid") && moreargs > 0) {
        j++;
        lastId = Streams.strictIdOrReply(c, argv[j]);
        if (lastId == null) return;
      } else {
        c.error(Errors.xclaimUnrecognizedOption(Streams.cstr(opt)));
        return;
      }
    }
    StreamValue s = Streams.forChange(c, argv[1], e);
    g = s.group(argv[2]);
    long before = s.memoryUsage();
    boolean propagateLastId = g.raiseLastId(lastId);
    if (deliveryTime != -1) {
      if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
    } else {
      deliveryTime = now;
    }
    Consumer consumer = null;
    byte[] name = argv[3];
    RespWriter w = c.reply();
    Streams.Deferred d = Streams.Deferred.start(w);
    long n = 0;
    for (int k = 5; k <= lastIdArg; k++) {
      StreamId id = ids.get(k - 5);
      PendingEntry p = g.pending(id);
      if (!s.exists(id)) {
        if (p != null) {
          StreamReadCommands.propagateClaim(c, argv[1], g, argv[2], argv[k], p);
          propagateLastId = false;
          c.server().incrDirty(1);
          g.acknowledge(id);
        }
        continue;
      }
      if (force && p == null) p = g.addPending(id, now, 1, null);
      if (p == null) continue;
      if (p.consumer() != null && minIdle != 0 && now - p.deliveryTime() < minIdle) continue;
      if (consumer == null) consumer = consumerFor(c, g, argv[1], name);
      g.assign(p, consumer);
      long deliveries = p.deliveryCount();
      if (retryCount >= 0) {
        deliveries = retryCount;
      } else if (!justId) {
        deliveries++;
      }
      ConsumerGroup.setDelivery(p, deliveryTime, deliveries);
      if (justId) {
        StreamValue.writeId(w, id);
      } else {
        StreamValue.Cursor cur = s.cursor(id, id, false);
        cur.next();
        cur.writeEntry(w);
      }
      n++;
      StreamReadCommands.propagateClaim(c, argv[1], g, argv[2], argv[k], p);
      propagateLastId = false;
      c.server().incrDirty(1);
    }
    if (propagateLastId) {
      StreamReadCommands.propagateGroupId(c, argv[1], g, argv[2]);
      c.server().incrDirty(1);
    }
    d.array(n);
    c.db().adjustUsedBytes(s.memoryUsage() - before);
    c.server().dispatcher().preventPropagation();
  }

  /** The claiming consumer, seen now; created when missing ("xgroup-createconsumer", a change). */
  private static Consumer consumerFor(Client c, ConsumerGroup g, byte[] key, byte[] name) {
    long now = c.server().keyspace().now();
    Consumer consumer = g.touchConsumer(name, now);
    if (consumer == null) {
      consumer = g.createConsumer(name, now);
      c.server().incrDirty(1);
      c.server().events().notify(STREAM, "xgroup-createconsumer", key, c.dbIndex());
    }
    return consumer;
  }

  // ---- XAUTOCLAIM

  /** Largest COUNT: Redis's LONG_MAX / max(sizeof(streamID), attempts factor). */
  private static final long AUTOCLAIM_MAX_COUNT = Long.MAX_VALUE / 16;

  /**
   * XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]: claims up to COUNT
   * pending entries idle long enough, scanning at most 10 times COUNT; pending entries whose
   * message was deleted are dropped and listed. Replies the next start (0-0 at the end), the
   * claimed entries (or IDs), and the deleted IDs.
   */
  public static void xautoclaim(Client c, byte[][] argv) {
    if (!io.redstart.resp.Numbers.isLong(argv[4])) {
      c.error(Errors.XAUTOCLAIM_MIN_IDLE);
      return;
    }
    long minIdle = Math.max(0, Args.toLong(argv[4]));
    StreamId start = Streams.boundOrReply(c, argv[5], true);
    if (start == null) return;
    long count = 100;
    boolean justId = false;
    int argc = argv.length;
    for (int j = 6; j < argc; j++) {
      int moreargs = argc - 1 - j;
      if (Streams.is(argv[j], "count") && moreargs > 0) {
        byte[] arg = argv[j + 1];
        if (!io.redstart.resp.Numbers.isLong(arg)) {
          c.error(Errors.XAUTOCLAIM_COUNT);
          return;
        }
        long v = Args.toLong(arg);
        if (v < 1 || v > AUTOCLAIM_MAX_COUNT) {
          c.error(Errors.XAUTOCLAIM_COUNT);
          return;
        }
        count = v;
        j++;
      } else if (Streams.is(argv[j], "justid")) {
        justId = true;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    Keyspace ks = c.server().keyspace();
    Object e = ks.lookupRead(c.db(), argv[1], c.noTouch());
    ConsumerGroup g = null;
    if (e != null) {
      StreamValue s = Streams.streamOrReply(c, e);
      if (s == null) return;
      g = s.group(argv[2]);
    }
    if (g == null) {
      c.error(Errors.noKeyOrGroup(Streams.cstr(argv[1]), Streams.cstr(argv[2])));
      return;
    }
    if (!transientMemoryAvailable(count * 16)) {
      c.error(Errors.XAUTOCLAIM_MEMORY);
      return;
    }
    StreamValue s = Streams.forChange(c, argv[1], e);
    g = s.group(argv[2]);
    long before = s.memoryUsage();
    long attempts = count * 10;
    long now = ks.now();
    byte[] name = argv[3];
    Consumer consumer = null;
    List<StreamId> deleted = new ArrayList<>();
    RespWriter w = c.reply();
    Streams.Deferred d = Streams.Deferred.start(w);
    long n = 0;
    StreamId pos = start;
    while (attempts-- > 0 && count > 0 && pos != null) {
      PendingEntry p = g.pendingCeiling(pos);
      if (p == null) {
        pos = null;
        break;
      }
      StreamId id = p.id();
      pos = id.next();
      if (!s.exists(id)) {
        StreamReadCommands.propagateClaim(c, argv[1], g, argv[2], Streams.idBytes(id), p);
        c.server().incrDirty(1);
        g.acknowledge(id);
        deleted.add(id);
        count--;
        continue;
      }
      if (minIdle != 0 && now - p.deliveryTime() < minIdle) continue;
      if (consumer == null) consumer = consumerFor(c, g, argv[1], name);
      g.assign(p, consumer);
      ConsumerGroup.setDelivery(p, now, justId ? p.deliveryCount() : p.deliveryCount() + 1);
      if (justId) {
        StreamValue.writeId(w, id);
      } else {
        StreamValue.Cursor cur = s.cursor(id, id, false);
        cur.next();
        cur.writeEntry(w);
      }
      n++;
      count--;
      StreamReadCommands.propagateClaim(c, argv[1], g, argv[2], Streams.idBytes(id), p);
      c.server().incrDirty(1);
    }
    PendingEntry next = pos == null ? null : g.pendingCeiling(pos);
    StreamId cursor = next == null ? StreamId.MIN : next.id();
    long claimed = n;
    d.finish(
        () -> {
          w.array(3);
          StreamValue.writeId(w, cursor);
          w.array(claimed);
        });
    w.array(deleted.size());
    for (StreamId id : deleted) StreamValue.writeId(w, id);
    c.db().adjustUsedBytes(s.memoryUsage() - before);
    c.server().dispatcher().preventPropagation();
  }

  /**
   * Whether Redis's ztrymalloc of the transient array would succeed: Linux refuses a single
   * allocation larger than physical memory and swap together.
   */
  private static boolean transientMemoryAvailable(long bytes) {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      long limit = os.getTotalMemorySize() + os.getTotalSwapSpaceSize();
      return bytes <= limit;
    }
    return true;
  }
}
