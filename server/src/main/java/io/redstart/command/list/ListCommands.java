package io.redstart.command.list;

import static io.redstart.config.KeyspaceEventFlags.GENERIC;
import static io.redstart.config.KeyspaceEventFlags.LIST;

import io.redstart.blocking.Blocking;
import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.config.Config;
import io.redstart.config.ConfigParams;
import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.KeyspaceEvents;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import io.redstart.types.ValueType;
import io.redstart.types.list.ListValue;
import java.util.Arrays;
import java.util.List;

/**
 * The list commands of Redis 7.0 (t_list.c), blocking ones included, over {@link ListValue}. Shared
 * logic sits in one generic method per family: {@link #pushGeneric} (LPUSH, RPUSH, LPUSHX, RPUSHX),
 * {@link #popGeneric} (LPOP, RPOP), {@link #lmoveGeneric} (LMOVE, RPOPLPUSH and the served BLMOVE),
 * {@link #lmpopGeneric} (LMPOP, BLMPOP), {@link #blockingPopGeneric} (BLPOP, BRPOP, BLMPOP) and
 * {@link #blmoveGeneric} (BLMOVE, BRPOPLPUSH).
 *
 * <p>Each write reports what Redis reports: the keyspace event of the operation (lpush, rpush,
 * lpop, rpop, linsert, lset, ltrim, lrem, and del when a list is emptied and removed), a
 * modified-key signal (WATCH), and Redis's dirty count (one per element pushed or popped), which
 * decides propagation. Non-blocking effects of blocking commands are propagated as Redis does:
 * BLPOP as LPOP, BLMPOP as LPOP with the count popped, BLMOVE as LMOVE, BRPOPLPUSH as RPOPLPUSH.
 *
 * <p>A blocked client is served again by {@link Blocking} re-running its command; {@link
 * Blocking#servingKey} then names the key that became ready, and the command serves from it as
 * Redis's serveClientBlockedOnList does (no dirty count for BLPOP and BLMOVE, LMOVE propagated with
 * lower-case "left"/"right").
 *
 * <p>Handlers run on the keyspace thread.
 */
public final class ListCommands {
  private ListCommands() {}

  private static final byte[] LPOP_NAME = Args.bytes("LPOP");
  private static final byte[] RPOP_NAME = Args.bytes("RPOP");
  private static final byte[] LMOVE_NAME = Args.bytes("LMOVE");
  private static final byte[] RPOPLPUSH_NAME = Args.bytes("RPOPLPUSH");
  private static final byte[] LEFT = Args.bytes("left");
  private static final byte[] RIGHT = Args.bytes("right");

  /** COUNT not given (LPOS, and the single-element pops). */
  private static final long NO_COUNT = -1;

  // ---- the type's plumbing

  /** A new empty list with the list settings in force now (Redis reads them at creation). */
  private static ListValue newList(Client c) {
    Config cfg = c.server().config();
    return new ListValue(
        cfg.getInt(ConfigParams.LIST_MAX_LISTPACK_SIZE),
        cfg.getInt(ConfigParams.LIST_COMPRESS_DEPTH));
  }

  /** The list an entry holds, or null after replying WRONGTYPE. */
  private static ListValue listOrReply(Client c, Object entry) {
    if (Entries.type(entry) != ValueType.LIST) {
      c.error(Errors.WRONGTYPE);
      return null;
    }
    return (ListValue) Entries.boxedValue(entry);
  }

  /** Whether an entry (possibly null) holds something other than a list. */
  private static boolean wrongType(Object entry) {
    return entry != null && Entries.type(entry) != ValueType.LIST;
  }

  /** Stores a new list (Redis's dbAdd): fires "new" and marks the key ready for blocked clients. */
  private static void addList(Client c, Database db, byte[] key, ListValue list) {
    db.setValue(
        key, ValueType.LIST, 0, list, Database.NO_EXPIRE, c.server().keyspace().initialLru());
    c.server().events().keyCreated(c, db, key);
  }

  /** Removes a list that became empty and fires "del"; returns whether it did. */
  private static boolean deleteIfEmpty(Client c, Database db, byte[] key, ListValue list) {
    if (!list.isEmpty()) return false;
    db.remove(key);
    c.server().events().notify(GENERIC, "del", key, db.id());
    return true;
  }

  /** The end of a write: modified-key signal, the event, and {@code dirty} changes counted. */
  private static void written(Client c, Database db, byte[] key, String event, long dirty) {
    KeyspaceEvents ev = c.server().events();
    ev.signalModified(c, db, key);
    ev.notify(LIST, event, key, db.id());
    c.server().incrDirty(dirty);
  }

  /**
   * Redis's listElementsRemoved: the pop event, the key removed when emptied (with "del"), the
   * modified-key signal and {@code popped} changes counted.
   */
  private static void elementsRemoved(
      Client c, Database db, byte[] key, boolean head, ListValue list, long popped) {
    KeyspaceEvents ev = c.server().events();
    ev.notify(LIST, head ? "lpop" : "rpop", key, db.id());
    deleteIfEmpty(c, db, key, list);
    ev.signalModified(c, db, key);
    c.server().incrDirty(popped);
  }

  /** "left"/"right" (either case) to head/tail; null after replying a syntax error. */
  private static Boolean whereOrReply(Client c, byte[] arg) {
    if (Args.is(arg, "right")) return Boolean.FALSE;
    if (Args.is(arg, "left")) return Boolean.TRUE;
    c.error(Errors.SYNTAX);
    return null;
  }

  /**
   * Redis's getRangeLongFromObjectOrReply with a message: the argument as a long within [min, max],
   * or null after replying {@code message} for anything else (not a number included).
   */
  private static Long rangeOrReply(Client c, byte[] arg, long min, long max, String message) {
    if (!Numbers.isLong(arg)) {
      c.error(message);
      return null;
    }
    long v = Numbers.parseLong(arg);
    if (v < min || v > max) {
      c.error(message);
      return null;
    }
    return v;
  }

  /** Replies elements [start, end] (negative from the tail, clipped), reversed if asked. */
  private static void rangeReply(Client c, ListValue list, long start, long end, boolean reverse) {
    long llen = list.size();
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    RespWriter w = c.reply();
    if (start > end || start >= llen) {
      w.emptyArray();
      return;
    }
    if (end >= llen) end = llen - 1;
    long n = end - start + 1;
    w.array(n);
    ListValue.Cursor cur = list.cursor(reverse ? end : start, !reverse);
    for (long i = 0; i < n && cur.next(); i++) cur.writeBulk(w);
  }

  // ---- push

  public static void lpush(Client c, byte[][] argv) {
    pushGeneric(c, argv, true, false);
  }

  public static void rpush(Client c, byte[][] argv) {
    pushGeneric(c, argv, false, false);
  }

  public static void lpushx(Client c, byte[][] argv) {
    pushGeneric(c, argv, true, true);
  }

  public static void rpushx(Client c, byte[][] argv) {
    pushGeneric(c, argv, false, true);
  }

  /** LPUSH/RPUSH/LPUSHX/RPUSHX: {@code xx} pushes only onto an existing list. */
  private static void pushGeneric(Client c, byte[][] argv, boolean head, boolean xx) {
    byte[] key = argv[1];
    Database db = c.db();
    Object e = c.server().keyspace().lookupWrite(db, key);
    ListValue list;
    if (e != null) {
      list = listOrReply(c, e);
      if (list == null) return;
    } else {
      if (xx) {
        c.reply().integer(0);
        return;
      }
      list = newList(c);
      addList(c, db, key, list);
    }
    long before = list.memoryUsage();
    for (int j = 2; j < argv.length; j++) {
      if (head) {
        list.pushHead(argv[j]);
      } else {
        list.pushTail(argv[j]);
      }
    }
    db.adjustUsedBytes(list.memoryUsage() - before);
    c.reply().integer(list.size());
    written(c, db, key, head ? "lpush" : "rpush", argv.length - 2);
  }

  // ---- pop

  public static void lpop(Client c, byte[][] argv) {
    popGeneric(c, argv, true);
  }

  public static void rpop(Client c, byte[][] argv) {
    popGeneric(c, argv, false);
  }

  /** LPOP/RPOP key [count]: a bulk without count, an array with it (null arrays when absent). */
  private static void popGeneric(Client c, byte[][] argv, boolean head) {
    if (argv.length > 3) {
      c.error(Errors.wrongArity(c.currentCommand().fullName));
      return;
    }
    boolean hasCount = argv.length == 3;
    long count = 0;
    if (hasCount) {
      Long n = rangeOrReply(c, argv[2], 0, Long.MAX_VALUE, Errors.OUT_OF_RANGE_POSITIVE);
      if (n == null) return;
      count = n;
    }
    byte[] key = argv[1];
    Database db = c.db();
    Object e = c.server().keyspace().lookupWrite(db, key);
    if (e == null) {
      if (hasCount) {
        c.reply().nullArray();
      } else {
        c.reply().nullBulk();
      }
      return;
    }
    ListValue list = listOrReply(c, e);
    if (list == null) return;
    if (hasCount && count == 0) {
      c.reply().emptyArray();
      return;
    }
    long before = list.memoryUsage();
    if (!hasCount) {
      byte[] v = head ? list.popHead() : list.popTail();
      db.adjustUsedBytes(list.memoryUsage() - before);
      c.reply().bulk(v);
      elementsRemoved(c, db, key, head, list, 1);
      return;
    }
    long popped = popRangeReply(c, db, list, head, count);
    elementsRemoved(c, db, key, head, list, popped);
  }

  /**
   * Replies up to {@code count} elements from one end, in pop order, and deletes them; returns how
   * many. The caller reports the removal.
   */
  private static long popRangeReply(
      Client c, Database db, ListValue list, boolean head, long count) {
    long llen = list.size();
    long n = Math.min(count, llen);
    rangeReply(c, list, head ? 0 : -n, head ? n - 1 : -1, !head);
    long before = list.memoryUsage();
    list.deleteRange(head ? 0 : -n, n);
    db.adjustUsedBytes(list.memoryUsage() - before);
    return n;
  }

  /** Redis's listPopRangeAndReplyWithKey: [key, [elements]] and the removal reported. */
  private static void popRangeReplyWithKey(
      Client c, Database db, byte[] key, ListValue list, boolean head, long count) {
    c.reply().array(2);
    c.reply().bulk(key);
    long popped = popRangeReply(c, db, list, head, count);
    elementsRemoved(c, db, key, head, list, popped);
  }

  // ---- reads

  public static void llen(Client c, byte[][] argv) {
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    ListValue list = listOrReply(c, e);
    if (list == null) return;
    c.reply().integer(list.size());
  }

  public static void lindex(Client c, byte[][] argv) {
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    if (e == null) {
      c.reply().nullBulk();
      return;
    }
    ListValue list = listOrReply(c, e);
    if (list == null || !Args.isLongOrReply(c, argv[2])) return;
    ListValue.Cursor cur = list.cursor(Args.toLong(argv[2]), true);
    if (cur.next()) {
      cur.writeBulk(c.reply());
    } else {
      c.reply().nullBulk();
    }
  }

  public static void lrange(Client c, byte[][] argv) {
    if (!Args.isLongOrReply(c, argv[2]) || !Args.isLongOrReply(c, argv[3])) return;
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    if (e == null) {
      c.reply().emptyArray();
      return;
    }
    ListValue list = listOrReply(c, e);
    if (list == null) return;
    rangeReply(c, list, Args.toLong(argv[2]), Args.toLong(argv[3]), false);
  }

  /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. */
  public static void lpos(Client c, byte[][] argv) {
    byte[] element = argv[2];
    long rank = 1;
    long count = NO_COUNT;
    long maxlen = 0;
    for (int j = 3; j < argv.length; j++) {
      byte[] opt = argv[j];
      boolean more = j < argv.length - 1;
      if (Args.is(opt, "rank") && more) {
        j++;
        if (!Args.isLongOrReply(c, argv[j])) return;
        rank = Args.toLong(argv[j]);
        if (rank == 0) {
          c.error(Errors.LPOS_RANK_ZERO);
          return;
        }
      } else if (Args.is(opt, "count") && more) {
        Long n = rangeOrReply(c, argv[++j], 0, Long.MAX_VALUE, Errors.LPOS_COUNT_NEGATIVE);
        if (n == null) return;
        count = n;
      } else if (Args.is(opt, "maxlen") && more) {
        Long n = rangeOrReply(c, argv[++j], 0, Long.MAX_VALUE, Errors.LPOS_MAXLEN_NEGATIVE);
        if (n == null) return;
        maxlen = n;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    boolean fromHead = true;
    if (rank < 0) {
      rank = -rank; // Long.MIN_VALUE stays negative, as in C: every match then qualifies
      fromHead = false;
    }
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    if (e == null) {
      if (count != NO_COUNT) {
        c.reply().emptyArray();
      } else {
        c.reply().nullBulk();
      }
      return;
    }
    ListValue list = listOrReply(c, e);
    if (list == null) return;
    long llen = list.size();
    ListValue.Cursor cur = list.cursor(fromHead ? 0 : -1, fromHead);
    long index = 0;
    long matches = 0;
    long matchIndex = -1;
    long[] found = count != NO_COUNT ? new long[16] : null;
    int foundLen = 0;
    while (cur.next() && (maxlen == 0 || index < maxlen)) {
      if (cur.matches(element)) {
        matches++;
        matchIndex = fromHead ? index : llen - index - 1;
        if (matches >= rank) {
          if (found == null) break;
          if (foundLen == found.length) found = Arrays.copyOf(found, foundLen * 2);
          found[foundLen++] = matchIndex;
          if (count != 0 && matches - rank + 1 >= count) break;
        }
      }
      index++;
      matchIndex = -1;
    }
    RespWriter w = c.reply();
    if (found != null) {
      w.array(foundLen);
      for (int i = 0; i < foundLen; i++) w.integer(found[i]);
    } else if (matchIndex != -1) {
      w.integer(matchIndex);
    } else {
      w.nullBulk();
    }
  }

  // ---- writes in place

  public static void lset(Client c, byte[][] argv) {
    byte[] key = argv[1];
    Database db = c.db();
    Object e = c.server().keyspace().lookupWrite(db, key);
    if (e == null) {
      c.error(Errors.NO_SUCH_KEY);
      return;
    }
    ListValue list = listOrReply(c, e);
    if (list == null || !Args.isLongOrReply(c, argv[2])) return;
    long before = list.memoryUsage();
    if (!list.set(Args.toLong(argv[2]), argv[3])) {
      c.error(Errors.INDEX_OUT_OF_RANGE);
      return;
    }
    db.adjustUsedBytes(list.memoryUsage() - before);
    c.reply().ok();
    written(c, db, key, "lset", 1);
  }

  /** LINSERT key BEFORE|AFTER pivot element. */
  public static void linsert(Client c, byte[][] argv) {
    boolean after;
    if (Args.is(argv[2], "after")) {
      after = true;
    } else if (Args.is(argv[2], "before")) {
      after = false;
    } else {
      c.error(Errors.SYNTAX);
      return;
    }
    byte[] key = argv[1];
    Database db = c.db();
    Object e = c.server().keyspace().lookupWrite(db, key);
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    ListValue list = listOrReply(c, e);
    if (list == null) return;
    ListValue.Cursor cur = list.cursor(0, true);
    while (cur.next()) {
      if (cur.matches(argv[3])) {
        long before = list.memoryUsage();
        list.insert(cur, argv[4], after);
        db.adjustUsedBytes(list.memoryUsage() - before);
        written(c, db, key, "linsert", 1);
        c.reply().integer(list.size());
        return;
      }
    }
    c.reply().integer(-1);
  }

  public static void ltrim(Client c, byte[][] argv) {
    if (!Args.isLongOrReply(c, argv[2]) || !Args.isLongOrReply(c, argv[3])) return;
    long start = Args.toLong(argv[2]);
    long end = Args.toLong(argv[3]);
    byte[] key = argv[1];
    Database db = c.db();
    Object e = c.server().keyspace().lookupWrite(db, key);
    if (e == null) {
      c.reply().ok();
      return;
    }
    ListValue list = listOrReply(c, e);
    if (list == null) return;
    long llen = list.size();
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    long ltrim;
    long rtrim;
    if (start > end || start >= llen) {
      ltrim = llen;
      rtrim = 0;
    } else {
      if (end >= llen) end = llen - 1;
      ltrim = start;
      rtrim = llen - end - 1;
    }
    long before = list.memoryUsage();
    list.deleteRange(0, ltrim);
    list.deleteRange(-rtrim, rtrim);
    db.adjustUsedBytes(list.memoryUsage() - before);
    KeyspaceEvents ev = c.server().events();
    ev.notify(LIST, "ltrim", key, db.id());
    deleteIfEmpty(c, db, key, list);
    ev.signalModified(c, db, key);
    c.server().incrDirty(ltrim + rtrim);
    c.reply().ok();
  }

  /** LREM key count element: count > 0 from the head, < 0 from the tail, 0 all. */
  public static void lrem(Client c, byte[][] argv) {
    if (!Args.isLongOrReply(c, argv[2])) return;
    long toRemove = Args.toLong(argv[2]);
    byte[] key = argv[1];
    Database db = c.db();
    Object e = c.server().keyspace().lookupWrite(db, key);
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    ListValue list = listOrReply(c, e);
    if (list == null) return;
    boolean fromHead = toRemove >= 0;
    long before = list.memoryUsage();
    // -Long.MIN_VALUE stays negative, as in C: never reached, so every match goes.
    long removed = list.remove(argv[3], fromHead ? toRemove : -toRemove, fromHead);
    db.adjustUsedBytes(list.memoryUsage() - before);
    if (removed > 0) written(c, db, key, "lrem", removed);
    deleteIfEmpty(c, db, key, list);
    c.reply().integer(removed);
  }

  // ---- moves

  public static void lmove(Client c, byte[][] argv) {
    Boolean from = whereOrReply(c, argv[3]);
    if (from == null) return;
    Boolean to = whereOrReply(c, argv[4]);
    if (to == null) return;
    lmoveGeneric(c, argv, from, to);
  }

  public static void rpoplpush(Client c, byte[][] argv) {
    lmoveGeneric(c, argv, false, true);
  }

  /**
   * LMOVE source destination: pops from one end of the source, pushes on one end of the destination
   * (created when absent; may be the source itself), replies the element. BLMOVE and BRPOPLPUSH
   * that find data come here too, propagated as LMOVE and RPOPLPUSH.
   */
  private static void lmoveGeneric(Client c, byte[][] argv, boolean fromHead, boolean toHead) {
    byte[] srcKey = argv[1];
    byte[] dstKey = argv[2];
    Database db = c.db();
    Keyspace ks = c.server().keyspace();
    Object se = ks.lookupWrite(db, srcKey);
    if (se == null) {
      c.reply().nullBulk();
      return;
    }
    ListValue src = listOrReply(c, se);
    if (src == null) return;
    Object de = ks.lookupWrite(db, dstKey);
    if (wrongType(de)) {
      c.error(Errors.WRONGTYPE);
      return;
    }
    ListValue dst = de == null ? null : (ListValue) Entries.boxedValue(de);
    long srcBefore = src.memoryUsage();
    byte[] value = fromHead ? src.popHead() : src.popTail();
    db.adjustUsedBytes(src.memoryUsage() - srcBefore);
    pushMoved(c, db, dstKey, dst, value, toHead);
    KeyspaceEvents ev = c.server().events();
    ev.notify(LIST, fromHead ? "lpop" : "rpop", srcKey, db.id());
    deleteIfEmpty(c, db, srcKey, src);
    ev.signalModified(c, db, srcKey);
    c.server().incrDirty(1);
    String name = c.currentCommand().name;
    if (name.equals("blmove")) {
      c.server()
          .dispatcher()
          .propagateAs(new byte[][] {LMOVE_NAME, argv[1], argv[2], argv[3], argv[4]});
    } else if (name.equals("brpoplpush")) {
      c.server().dispatcher().propagateAs(new byte[][] {RPOPLPUSH_NAME, argv[1], argv[2]});
    }
  }

  /**
   * Redis's lmoveHandlePush: creates the destination when absent, signals it, pushes, fires
   * lpush/rpush on it, and replies the element.
   */
  private static void pushMoved(
      Client c, Database db, byte[] dstKey, ListValue dst, byte[] value, boolean toHead) {
    if (dst == null) {
      dst = newList(c);
      addList(c, db, dstKey, dst);
    }
    KeyspaceEvents ev = c.server().events();
    ev.signalModified(c, db, dstKey);
    long before = dst.memoryUsage();
    if (toHead) {
      dst.pushHead(value);
    } else {
      dst.pushTail(value);
    }
    db.adjustUsedBytes(dst.memoryUsage() - before);
    ev.notify(LIST, toHead ? "lpush" : "rpush", dstKey, db.id());
    c.reply().bulk(value);
  }

  // ---- multi-key pops

  public static void lmpop(Client c, byte[][] argv) {
    lmpopGeneric(c, argv, 1, false);
  }

  public static void blmpop(Client c, byte[][] argv) {
    lmpopGeneric(c, argv, 2, true);
  }

  /**
   * LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count], and BLMPOP with a timeout first: the
   * options are checked before anything else (the timeout after them).
   */
  private static void lmpopGeneric(Client c, byte[][] argv, int numkeysIdx, boolean block) {
    Long numkeys = rangeOrReply(c, argv[numkeysIdx], 1, Long.MAX_VALUE, Errors.LMPOP_NUMKEYS);
    if (numkeys == null) return;
    if (numkeys > argv.length - numkeysIdx - 2) {
      c.error(Errors.SYNTAX); // the where argument would lie past the end
      return;
    }
    int whereIdx = numkeysIdx + (int) (long) numkeys + 1;
    Boolean head = whereOrReply(c, argv[whereIdx]);
    if (head == null) return;
    long count = NO_COUNT;
    for (int j = whereIdx + 1; j < argv.length; j++) {
      if (count == NO_COUNT && Args.is(argv[j], "count") && j < argv.length - 1) {
        Long n = rangeOrReply(c, argv[++j], 1, Long.MAX_VALUE, Errors.LMPOP_COUNT);
        if (n == null) return;
        count = n;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    if (count == NO_COUNT) count = 1;
    List<byte[]> keys = Arrays.asList(argv).subList(numkeysIdx + 1, whereIdx);
    if (block) {
      blockingPopGeneric(c, argv, keys, head, 1, count);
    } else {
      mpopGeneric(c, keys, head, count);
    }
  }

  /** LMPOP: pops from the first non-empty list among {@code keys}, or replies a null array. */
  private static void mpopGeneric(Client c, List<byte[]> keys, boolean head, long count) {
    Database db = c.db();
    Keyspace ks = c.server().keyspace();
    for (byte[] key : keys) {
      Object e = ks.lookupWrite(db, key);
      if (e == null) continue;
      ListValue list = listOrReply(c, e);
      if (list == null) return;
      long llen = list.size();
      popRangeReplyWithKey(c, db, key, list, head, count);
      propagatePop(c, head, key, Math.min(count, llen));
      return;
    }
    c.reply().nullArray();
  }

  /** Propagates a pop as LPOP/RPOP key [count] ({@code count} {@link #NO_COUNT} for none). */
  private static void propagatePop(Client c, boolean head, byte[] key, long count) {
    byte[] name = head ? LPOP_NAME : RPOP_NAME;
    c.server()
        .dispatcher()
        .propagateAs(
            count == NO_COUNT
                ? new byte[][] {name, key}
                : new byte[][] {name, key, Numbers.toBytes(count)});
  }

  // ---- blocking

  public static void blpop(Client c, byte[][] argv) {
    blockingPop(c, argv, true);
  }

  public static void brpop(Client c, byte[][] argv) {
    blockingPop(c, argv, false);
  }

  private static void blockingPop(Client c, byte[][] argv, boolean head) {
    List<byte[]> keys = Arrays.asList(argv).subList(1, argv.length - 1);
    blockingPopGeneric(c, argv, keys, head, argv.length - 1, NO_COUNT);
  }

  /**
   * BLPOP, BRPOP ({@code count} {@link #NO_COUNT}: reply [key, element]) and BLMPOP (reply [key,
   * [elements]]): serves from the first key holding a list, else blocks, or, where blocking is not
   * allowed (MULTI, scripts), replies a null array as a timeout would.
   */
  private static void blockingPopGeneric(
      Client c, byte[][] argv, List<byte[]> keys, boolean head, int timeoutIdx, long count) {
    long deadline =
        Blocking.timeoutOrReply(c, argv[timeoutIdx], c.server().keyspace().clock().millis());
    if (deadline == Blocking.INVALID_TIMEOUT) return;
    Blocking blocking = c.server().component(Blocking.class);
    byte[] serving = blocking.servingKey(c);
    if (serving != null) {
      serveBlockedPop(c, blocking, keys, deadline, serving, head, count);
      return;
    }
    Database db = c.db();
    Keyspace ks = c.server().keyspace();
    for (byte[] key : keys) {
      Object e = ks.lookupWrite(db, key);
      if (e == null) continue;
      ListValue list = listOrReply(c, e);
      if (list == null) return;
      long llen = list.size();
      if (count != NO_COUNT) {
        popRangeReplyWithKey(c, db, key, list, head, count);
        propagatePop(c, head, key, Math.min(count, llen));
        return;
      }
      long before = list.memoryUsage();
      byte[] v = head ? list.popHead() : list.popTail();
      db.adjustUsedBytes(list.memoryUsage() - before);
      c.reply().array(2);
      c.reply().bulk(key);
      c.reply().bulk(v);
      elementsRemoved(c, db, key, head, list, 1);
      propagatePop(c, head, key, NO_COUNT);
      return;
    }
    if (!blocking.canBlock(c)) {
      c.reply().nullArray();
      return;
    }
    blocking.block(c, keys, deadline, ListCommands::timedOut, Blocking.ofType(ValueType.LIST));
  }

  /** What a list-blocked client gets on timeout or CLIENT UNBLOCK TIMEOUT: a null array. */
  private static void timedOut(Client c) {
    c.reply().nullArray();
  }

  /**
   * Serves a blocked BLPOP/BRPOP/BLMPOP from the key that became ready, as Redis's
   * serveClientBlockedOnList: the pop is propagated explicitly; a single pop fires its event and
   * the del but neither signals the key (the push that woke us did) nor counts a change.
   */
  private static void serveBlockedPop(
      Client c,
      Blocking blocking,
      List<byte[]> keys,
      long deadline,
      byte[] key,
      boolean head,
      long count) {
    Database db = c.db();
    Object e = c.server().keyspace().lookupWrite(db, key);
    if (e == null || wrongType(e)) {
      // Not a list after all: keep waiting (Redis would not have picked this client).
      blocking.block(c, keys, deadline, ListCommands::timedOut, Blocking.ofType(ValueType.LIST));
      return;
    }
    ListValue list = (ListValue) Entries.boxedValue(e);
    long llen = list.size();
    c.server().dispatcher().forcePropagation();
    if (count != NO_COUNT) {
      propagatePop(c, head, key, Math.min(count, llen));
      popRangeReplyWithKey(c, db, key, list, head, count);
      return;
    }
    propagatePop(c, head, key, NO_COUNT);
    long before = list.memoryUsage();
    byte[] v = head ? list.popHead() : list.popTail();
    db.adjustUsedBytes(list.memoryUsage() - before);
    c.reply().array(2);
    c.reply().bulk(key);
    c.reply().bulk(v);
    c.server().events().notify(LIST, head ? "lpop" : "rpop", key, db.id());
    deleteIfEmpty(c, db, key, list);
  }

  public static void blmove(Client c, byte[][] argv) {
    Boolean from = whereOrReply(c, argv[3]);
    if (from == null) return;
    Boolean to = whereOrReply(c, argv[4]);
    if (to == null) return;
    long deadline = Blocking.timeoutOrReply(c, argv[5], c.server().keyspace().clock().millis());
    if (deadline == Blocking.INVALID_TIMEOUT) return;
    blmoveGeneric(c, argv, from, to, deadline);
  }

  public static void brpoplpush(Client c, byte[][] argv) {
    long deadline = Blocking.timeoutOrReply(c, argv[3], c.server().keyspace().clock().millis());
    if (deadline == Blocking.INVALID_TIMEOUT) return;
    blmoveGeneric(c, argv, false, true, deadline);
  }

  /**
   * BLMOVE/BRPOPLPUSH: an LMOVE when the source holds a list, else blocks on the source (or replies
   * a null bulk where blocking is not allowed).
   */
  private static void blmoveGeneric(
      Client c, byte[][] argv, boolean fromHead, boolean toHead, long deadline) {
    Blocking blocking = c.server().component(Blocking.class);
    byte[] serving = blocking.servingKey(c);
    if (serving != null) {
      serveBlockedMove(c, blocking, argv, fromHead, toHead, deadline);
      return;
    }
    Object e = c.server().keyspace().lookupWrite(c.db(), argv[1]);
    if (wrongType(e)) {
      c.error(Errors.WRONGTYPE);
      return;
    }
    if (e != null) {
      lmoveGeneric(c, argv, fromHead, toHead);
      return;
    }
    if (!blocking.canBlock(c)) {
      c.reply().nullBulk();
      return;
    }
    blocking.block(
        c, List.of(argv[1]), deadline, ListCommands::timedOut, Blocking.ofType(ValueType.LIST));
  }

  /**
   * Serves a blocked BLMOVE/BRPOPLPUSH, as serveClientBlockedOnList: WRONGTYPE (and released) when
   * the destination holds another type; else the move, propagated as LMOVE with lower-case
   * directions (or RPOPLPUSH), without a modified-key signal on the source nor a change counted.
   */
  private static void serveBlockedMove(
      Client c, Blocking blocking, byte[][] argv, boolean fromHead, boolean toHead, long deadline) {
    byte[] srcKey = argv[1];
    byte[] dstKey = argv[2];
    Database db = c.db();
    Keyspace ks = c.server().keyspace();
    Object se = ks.lookupWrite(db, srcKey);
    if (se == null || wrongType(se)) {
      blocking.block(
          c, List.of(srcKey), deadline, ListCommands::timedOut, Blocking.ofType(ValueType.LIST));
      return;
    }
    ListValue src = (ListValue) Entries.boxedValue(se);
    Object de = ks.lookupWrite(db, dstKey);
    if (wrongType(de)) {
      c.error(Errors.WRONGTYPE);
      return;
    }
    ListValue dst = de == null ? null : (ListValue) Entries.boxedValue(de);
    long before = src.memoryUsage();
    byte[] value = fromHead ? src.popHead() : src.popTail();
    db.adjustUsedBytes(src.memoryUsage() - before);
    pushMoved(c, db, dstKey, dst, value, toHead);
    boolean brpoplpush = c.currentCommand().name.equals("brpoplpush");
    c.server().dispatcher().forcePropagation();
    c.server()
        .dispatcher()
        .propagateAs(
            brpoplpush
                ? new byte[][] {RPOPLPUSH_NAME, srcKey, dstKey}
                : new byte[][] {
                  LMOVE_NAME, srcKey, dstKey, fromHead ? LEFT : RIGHT, toHead ? LEFT : RIGHT
                });
    c.server().events().notify(LIST, fromHead ? "lpop" : "rpop", srcKey, db.id());
    deleteIfEmpty(c, db, srcKey, src);
  }
}
