package io.redstart.command.hash;

import static io.redstart.config.KeyspaceEventFlags.GENERIC;
import static io.redstart.config.KeyspaceEventFlags.HASH;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.command.collection.ReplyGuard;
import io.redstart.command.collection.ScanOptions;
import io.redstart.command.keys.KeyCommands;
import io.redstart.config.ConfigParams;
import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.KeyspaceEvents;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import io.redstart.types.ValueType;
import io.redstart.types.hash.HashValue;
import io.redstart.util.LongDouble;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The hash commands of Redis 7.0 (t_hash.c), over {@link HashValue}. Replies, errors, keyspace
 * events, the order of reply and notification, and the dirty counts are Redis's; HINCRBYFLOAT is
 * propagated as HSET with its result.
 */
public final class HashCommands {
  private HashCommands() {}

  private static final byte[] HSET_NAME = Args.bytes("HSET");

  private static long maxEntries(Client c) {
    return c.server().config().getLong(ConfigParams.HASH_MAX_LISTPACK_ENTRIES);
  }

  private static long maxValue(Client c) {
    return c.server().config().getLong(ConfigParams.HASH_MAX_LISTPACK_VALUE);
  }

  // ---- lookups

  /**
   * The hash at {@code key} for reading, or null after replying: {@code missing} when there is no
   * such key, WRONGTYPE when it holds another type.
   */
  static HashValue readOrReply(Client c, byte[] key, Consumer<RespWriter> missing) {
    Object e = c.server().keyspace().lookupRead(c.db(), key, c.noTouch());
    if (e == null) {
      missing.accept(c.reply());
      return null;
    }
    if (Entries.type(e) != ValueType.HASH) {
      c.error(Errors.WRONGTYPE);
      return null;
    }
    return (HashValue) Entries.boxedValue(e);
  }

  /** A hash about to be written: an existing one, or a new one stored by {@link #commit}. */
  private record Target(byte[] key, HashValue hash, boolean created, long memoryBefore) {}

  /**
   * The hash at {@code key} for writing, or a new empty one when the key is absent; null after
   * replying WRONGTYPE.
   */
  private static Target writeTargetOrReply(Client c, byte[] key) {
    Object e = c.server().keyspace().lookupWrite(c.db(), key);
    if (e == null) return new Target(key, HashValue.newListpack(), true, 0);
    if (Entries.type(e) != ValueType.HASH) {
      c.error(Errors.WRONGTYPE);
      return null;
    }
    HashValue h = (HashValue) Entries.boxedValue(e);
    return new Target(key, h, false, h.memoryUsage());
  }

  /** Stores a new hash (firing "new") or accounts for the size change of an existing one. */
  private static void commit(Client c, Target t) {
    Database db = c.db();
    if (t.created) {
      Keyspace ks = c.server().keyspace();
      db.setValue(t.key, ValueType.HASH, 0, t.hash, Database.NO_EXPIRE, ks.initialLru());
      c.server().events().keyCreated(c, db, t.key);
    } else {
      db.adjustUsedBytes(t.hash.memoryUsage() - t.memoryBefore);
    }
  }

  /** Signals the key, fires the event and counts {@code dirty} changes. */
  private static void written(Client c, byte[] key, String event, long dirty) {
    KeyspaceEvents ev = c.server().events();
    Database db = c.db();
    ev.signalModified(c, db, key);
    ev.notify(HASH, event, key, db.id());
    c.server().incrDirty(dirty);
  }

  // ---- HSET, HMSET, HSETNX

  public static void hset(Client c, byte[][] argv) {
    hsetGeneric(c, argv, true);
  }

  public static void hmset(Client c, byte[][] argv) {
    hsetGeneric(c, argv, false);
  }

  /** HSET (replies the number of new fields) and HMSET (replies OK). */
  private static void hsetGeneric(Client c, byte[][] argv, boolean countReply) {
    if (argv.length % 2 == 1) {
      c.error(Errors.wrongArity(c.currentCommand().fullName));
      return;
    }
    Target t = writeTargetOrReply(c, argv[1]);
    if (t == null) return;
    long maxEntries = maxEntries(c);
    long maxValue = maxValue(c);
    t.hash.convertForArguments(argv, 2, argv.length - 1, maxValue);
    long created = 0;
    for (int i = 2; i < argv.length; i += 2) {
      if (t.hash.put(argv[i], argv[i + 1], maxEntries, maxValue)) created++;
    }
    commit(c, t);
    if (countReply) {
      c.reply().integer(created);
    } else {
      c.reply().ok();
    }
    written(c, argv[1], "hset", (argv.length - 2) / 2);
  }

  public static void hsetnx(Client c, byte[][] argv) {
    Target t = writeTargetOrReply(c, argv[1]);
    if (t == null) return;
    if (t.hash.contains(argv[2])) {
      c.reply().integer(0);
      return;
    }
    long maxValue = maxValue(c);
    t.hash.convertForArguments(argv, 2, 3, maxValue);
    t.hash.put(argv[2], argv[3], maxEntries(c), maxValue);
    commit(c, t);
    c.reply().integer(1);
    written(c, argv[1], "hset", 1);
  }

  // ---- counters

  public static void hincrby(Client c, byte[][] argv) {
    if (!Args.isLongOrReply(c, argv[3])) return;
    long incr = Args.toLong(argv[3]);
    Target t = writeTargetOrReply(c, argv[1]);
    if (t == null) return;
    byte[] current = t.hash.get(argv[2]);
    long value = 0;
    if (current != null) {
      if (!Numbers.isLong(current)) {
        c.error(Errors.HASH_VALUE_NOT_INTEGER);
        return;
      }
      value = Numbers.parseLong(current);
    }
    if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
        || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
      c.error(Errors.INCR_OVERFLOW);
      return;
    }
    value += incr;
    t.hash.put(argv[2], Numbers.toBytes(value), maxEntries(c), maxValue(c));
    commit(c, t);
    c.reply().integer(value);
    written(c, argv[1], "hincrby", 1);
  }

  /**
   * HINCRBYFLOAT with x87 long double arithmetic and Redis's formatting, as INCRBYFLOAT;
   * propagated as HSET key field result so that replicas and the AOF need no floating point.
   */
  public static void hincrbyfloat(Client c, byte[][] argv) {
    LongDouble incr = LongDouble.parse(argv[3]);
    if (incr == null) {
      c.error(Errors.NOT_A_FLOAT);
      return;
    }
    if (!incr.isFinite()) {
      c.error(Errors.VALUE_NAN_OR_INFINITY);
      return;
    }
    Target t = writeTargetOrReply(c, argv[1]);
    if (t == null) return;
    byte[] current = t.hash.get(argv[2]);
    LongDouble value = LongDouble.ZERO;
    if (current != null) {
      value = LongDouble.parse(current);
      if (value == null) {
        c.error(Errors.HASH_VALUE_NOT_FLOAT);
        return;
      }
    }
    LongDouble sum = value.add(incr);
    if (!sum.isFinite()) {
      c.error(Errors.INCR_NAN_OR_INF);
      return;
    }
    byte[] text = sum.toHumanBytes();
    t.hash.put(argv[2], text, maxEntries(c), maxValue(c));
    commit(c, t);
    c.reply().bulk(text);
    written(c, argv[1], "hincrbyfloat", 1);
    c.server().dispatcher().propagateAs(new byte[][] {HSET_NAME, argv[1], argv[2], text});
  }

  // ---- reads

  public static void hget(Client c, byte[][] argv) {
    HashValue h = readOrReply(c, argv[1], RespWriter::nullBulk);
    if (h == null) return;
    if (!h.writeValue(argv[2], c.reply())) c.reply().nullBulk();
  }

  public static void hmget(Client c, byte[][] argv) {
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    if (e != null && Entries.type(e) != ValueType.HASH) {
      c.error(Errors.WRONGTYPE);
      return;
    }
    HashValue h = e == null ? null : (HashValue) Entries.boxedValue(e);
    RespWriter w = c.reply();
    w.array(argv.length - 2);
    for (int i = 2; i < argv.length; i++) {
      if (h == null || !h.writeValue(argv[i], w)) w.nullBulk();
    }
  }

  public static void hlen(Client c, byte[][] argv) {
    HashValue h = readOrReply(c, argv[1], w -> w.integer(0));
    if (h == null) return;
    c.reply().integer(h.size());
  }

  public static void hstrlen(Client c, byte[][] argv) {
    HashValue h = readOrReply(c, argv[1], w -> w.integer(0));
    if (h == null) return;
    c.reply().integer(h.valueLength(argv[2]));
  }

  public static void hexists(Client c, byte[][] argv) {
    HashValue h = readOrReply(c, argv[1], w -> w.integer(0));
    if (h == null) return;
    c.reply().integer(h.contains(argv[2]) ? 1 : 0);
  }

  public static void hkeys(Client c, byte[][] argv) {
    HashValue h = readOrReply(c, argv[1], RespWriter::emptyArray);
    if (h == null) return;
    RespWriter w = c.reply();
    w.array(h.size());
    h.forEach((f, fo, fl, v, vo, vl) -> w.bulk(f, fo, fl));
  }

  public static void hvals(Client c, byte[][] argv) {
    HashValue h = readOrReply(c, argv[1], RespWriter::emptyArray);
    if (h == null) return;
    RespWriter w = c.reply();
    w.array(h.size());
    h.forEach((f, fo, fl, v, vo, vl) -> w.bulk(v, vo, vl));
  }

  /** HGETALL: a map in RESP3, a flat array of fields and values in RESP2. */
  public static void hgetall(Client c, byte[][] argv) {
    HashValue h = readOrReply(c, argv[1], w -> w.map(0));
    if (h == null) return;
    RespWriter w = c.reply();
    w.map(h.size());
    h.forEach(
        (f, fo, fl, v, vo, vl) -> {
          w.bulk(f, fo, fl);
          w.bulk(v, vo, vl);
        });
  }

  // ---- HDEL

  public static void hdel(Client c, byte[][] argv) {
    Object e = c.server().keyspace().lookupWrite(c.db(), argv[1]);
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    if (Entries.type(e) != ValueType.HASH) {
      c.error(Errors.WRONGTYPE);
      return;
    }
    HashValue h = (HashValue) Entries.boxedValue(e);
    Database db = c.db();
    long before = h.memoryUsage();
    long deleted = 0;
    for (int i = 2; i < argv.length; i++) {
      if (h.remove(argv[i])) {
        deleted++;
        if (h.size() == 0) break;
      }
    }
    db.adjustUsedBytes(h.memoryUsage() - before);
    if (deleted > 0) {
      boolean removed = h.size() == 0;
      if (removed) db.remove(argv[1]);
      KeyspaceEvents ev = c.server().events();
      ev.signalModified(c, db, argv[1]);
      ev.notify(HASH, "hdel", argv[1], db.id());
      if (removed) ev.notify(GENERIC, "del", argv[1], db.id());
      c.server().incrDirty(deleted);
    }
    c.reply().integer(deleted);
  }

  // ---- HRANDFIELD

  /** HRANDFIELD key [count [WITHVALUES]]. */
  public static void hrandfield(Client c, byte[][] argv) {
    if (argv.length >= 3) {
      if (!Args.isLongInRangeOrReply(c, argv[2], -Long.MAX_VALUE, Long.MAX_VALUE)) return;
      long l = Args.toLong(argv[2]);
      boolean withValues = false;
      if (argv.length > 4 || (argv.length == 4 && !Args.is(argv[3], "withvalues"))) {
        c.error(Errors.SYNTAX);
        return;
      } else if (argv.length == 4) {
        withValues = true;
        if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
          c.error(Errors.OUT_OF_RANGE);
          return;
        }
      }
      hrandfieldWithCount(c, argv[1], l, withValues);
      return;
    }
    HashValue h = readOrReply(c, argv[1], RespWriter::nullBulk);
    if (h == null) return;
    RespWriter w = c.reply();
    h.randomPair(c.server().keyspace().random(), (f, fo, fl, v, vo, vl) -> w.bulk(f, fo, fl));
  }

  /**
   * HRANDFIELD with a count: negative counts sample with repetition (bounded by {@link
   * ReplyGuard}), positive ones return distinct fields, all of them when the count reaches the
   * size. With WITHVALUES, RESP3 nests each pair in an array of two; RESP2 flattens them.
   */
  private static void hrandfieldWithCount(Client c, byte[] key, long l, boolean withValues) {
    HashValue h = readOrReply(c, key, RespWriter::emptyArray);
    if (h == null) return;
    boolean unique = l >= 0;
    long count = unique ? l : -l;
    if (count == 0) {
      c.reply().emptyArray();
      return;
    }
    RespWriter w = c.reply();
    boolean nested = withValues && w.resp3();
    HashValue.PairVisitor out =
        (f, fo, fl, v, vo, vl) -> {
          if (nested) w.array(2);
          w.bulk(f, fo, fl);
          if (withValues) w.bulk(v, vo, vl);
        };
    if (!unique || count == 1) {
      w.array(withValues && !nested ? count * 2 : count);
      h.randomPairs(c.server().keyspace().random(), count, out, ReplyGuard.stopper(c));
      return;
    }
    long size = h.size();
    long replySize = Math.min(count, size);
    w.array(withValues && !nested ? replySize * 2 : replySize);
    if (count >= size) {
      h.forEach(out);
    } else {
      h.randomDistinctPairs(c.server().keyspace().random(), (int) count, out);
    }
  }

  // ---- HSCAN

  /** HSCAN key cursor [MATCH pattern] [COUNT count]: fields and values, MATCH on fields. */
  public static void hscan(Client c, byte[][] argv) {
    Long cursor = KeyCommands.parseCursor(argv[2]);
    if (cursor == null) {
      c.error(Errors.INVALID_CURSOR);
      return;
    }
    HashValue h = readOrReply(c, argv[1], w -> ScanOptions.replyEmpty(c));
    if (h == null) return;
    ScanOptions o = ScanOptions.parseOrReply(c, argv, 3);
    if (o == null) return;
    List<byte[]> out = new ArrayList<>();
    long next =
        h.scan(
            cursor,
            o.count(),
            (f, fo, fl, v, vo, vl) -> {
              if (!o.matches(f, fo, fl)) return;
              out.add(java.util.Arrays.copyOfRange(f, fo, fo + fl));
              out.add(java.util.Arrays.copyOfRange(v, vo, vo + vl));
            });
    RespWriter w = c.reply();
    w.array(2);
    w.bulkLong(next);
    w.array(out.size());
    for (byte[] b : out) w.bulk(b);
  }
}
