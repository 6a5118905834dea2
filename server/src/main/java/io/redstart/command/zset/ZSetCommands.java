package io.redstart.command.zset;

import static io.redstart.config.KeyspaceEventFlags.GENERIC;
import static io.redstart.config.KeyspaceEventFlags.ZSET;

import io.redstart.blocking.Blocking;
import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.command.keys.KeyCommands;
import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.KeyspaceEvents;
import io.redstart.store.Database;
import io.redstart.types.ValueType;
import io.redstart.types.zset.LexRange;
import io.redstart.types.zset.ScoreRange;
import io.redstart.types.zset.ZSetValue;
import io.redstart.util.Doubles;
import io.redstart.util.Glob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The sorted-set commands of Redis 7.0 (t_zset.c) other than ranges and set algebra: ZADD and
 * ZINCRBY (one {@link #zaddGeneric}), ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZCOUNT,
 * ZLEXCOUNT, the pops (ZPOPMIN, ZPOPMAX, ZMPOP and their blocking forms, one {@link #popGeneric}),
 * ZRANDMEMBER and ZSCAN. Handlers run on the keyspace thread; each writes one reply.
 */
public final class ZSetCommands {
  private ZSetCommands() {}

  static final String NAN_RESULT = "ERR resulting score is not a number (NaN)";
  static final String XX_NX = "ERR XX and NX options at the same time are not compatible";
  static final String GT_LT_NX =
      "ERR GT, LT, and/or NX options at the same time are not compatible";
  static final String INCR_SINGLE = "ERR INCR option supports a single increment-element pair";
  static final String NOT_A_FLOAT_RANGE = "ERR min or max is not a float";
  static final String NOT_A_LEX_RANGE = "ERR min or max not valid string range item";
  static final String NUMKEYS = "ERR numkeys should be greater than 0";
  static final String COUNT_POSITIVE = "ERR count should be greater than 0";

  private static final byte[] ZPOPMIN = Args.bytes("ZPOPMIN");
  private static final byte[] ZPOPMAX = Args.bytes("ZPOPMAX");
  private static final byte[] EMPTY_SCAN = Args.bytes("*2\r\n$1\r\n0\r\n*0\r\n");

  // ---- ZADD, ZINCRBY

  public static void zadd(Client c, byte[][] argv) {
    zaddGeneric(c, argv, 0);
  }

  public static void zincrby(Client c, byte[][] argv) {
    zaddGeneric(c, argv, ZSetValue.ADD_INCR);
  }

  /**
   * ZADD and ZINCRBY (zaddGenericCommand): options, then score/member pairs, all scores parsed
   * before anything changes. Counts {@code added + updated} changes and notifies "zadd" or "zincr"
   * when something changed.
   */
  private static void zaddGeneric(Client c, byte[][] argv, int flags) {
    int scoreIdx = 2;
    boolean ch = false;
    while (scoreIdx < argv.length) {
      byte[] opt = argv[scoreIdx];
      if (Args.is(opt, "nx")) {
        flags |= ZSetValue.ADD_NX;
      } else if (Args.is(opt, "xx")) {
        flags |= ZSetValue.ADD_XX;
      } else if (Args.is(opt, "ch")) {
        ch = true;
      } else if (Args.is(opt, "incr")) {
        flags |= ZSetValue.ADD_INCR;
      } else if (Args.is(opt, "gt")) {
        flags |= ZSetValue.ADD_GT;
      } else if (Args.is(opt, "lt")) {
        flags |= ZSetValue.ADD_LT;
      } else {
        break;
      }
      scoreIdx++;
    }
    boolean incr = (flags & ZSetValue.ADD_INCR) != 0;
    boolean nx = (flags & ZSetValue.ADD_NX) != 0;
    boolean xx = (flags & ZSetValue.ADD_XX) != 0;
    boolean gt = (flags & ZSetValue.ADD_GT) != 0;
    boolean lt = (flags & ZSetValue.ADD_LT) != 0;
    int elements = argv.length - scoreIdx;
    if (elements % 2 != 0 || elements == 0) {
      c.error(Errors.SYNTAX);
      return;
    }
    elements /= 2;
    if (nx && xx) {
      c.error(XX_NX);
      return;
    }
    if ((gt && nx) || (lt && nx) || (gt && lt)) {
      c.error(GT_LT_NX);
      return;
    }
    if (incr && elements > 1) {
      c.error(INCR_SINGLE);
      return;
    }
    double[] scores = new double[elements];
    for (int j = 0; j < elements; j++) {
      scores[j] = ZSets.doubleOrReply(c, argv[scoreIdx + j * 2], null);
      if (Double.isNaN(scores[j])) return;
    }
    byte[] key = argv[1];
    Object e = ZSets.lookupWrite(c, key);
    if (!ZSets.checkTypeOrReply(c, e)) return;
    ZSetValue.Limits limits = ZSets.limits(c);
    Database db = c.db();
    ZSetValue z = ZSets.value(e);
    boolean created = false;
    long added = 0;
    long updated = 0;
    long processed = 0;
    double score = 0;
    if (z == null && !xx) {
      z = ZSetValue.forFirstMember(argv[scoreIdx + 1].length, limits);
      created = true;
    }
    if (z != null) {
      long before = z.memoryUsage();
      double[] newScore = new double[1];
      for (int j = 0; j < elements; j++) {
        int out = z.add(argv[scoreIdx + 1 + j * 2], scores[j], flags, limits, newScore);
        if ((out & ZSetValue.OUT_NAN) != 0) {
          // Only INCR can get here, with a single pair: nothing has changed.
          if (!created) db.adjustUsedBytes(z.memoryUsage() - before);
          c.error(NAN_RESULT);
          return;
        }
        if ((out & ZSetValue.OUT_ADDED) != 0) added++;
        if ((out & ZSetValue.OUT_UPDATED) != 0) updated++;
        if ((out & ZSetValue.OUT_NOP) == 0) processed++;
        score = newScore[0];
      }
      KeyspaceEvents ev = c.server().events();
      if (created) {
        db.setValue(
            key, ValueType.ZSET, 0, z, Database.NO_EXPIRE, c.server().keyspace().initialLru());
        ev.keyCreated(c, db, key);
      } else {
        db.adjustUsedBytes(z.memoryUsage() - before);
      }
      if (added + updated > 0) {
        ev.signalModified(c, db, key);
        ev.notify(ZSET, incr ? "zincr" : "zadd", key, db.id());
        c.server().incrDirty(added + updated);
      }
    }
    if (incr) {
      if (processed > 0) {
        c.reply().doubleValue(score);
      } else {
        c.reply().nullBulk();
      }
    } else {
      c.reply().integer(ch ? added + updated : added);
    }
  }

  // ---- ZREM

  public static void zrem(Client c, byte[][] argv) {
    byte[] key = argv[1];
    Object e = ZSets.lookupWrite(c, key);
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    if (!ZSets.checkTypeOrReply(c, e)) return;
    ZSetValue z = ZSets.value(e);
    long before = z.memoryUsage();
    long deleted = 0;
    for (int j = 2; j < argv.length; j++) {
      if (z.remove(argv[j])) deleted++;
      if (z.size() == 0) break;
    }
    boolean removed = ZSets.afterRemoval(c, key, z, before);
    if (deleted > 0) {
      Database db = c.db();
      KeyspaceEvents ev = c.server().events();
      ev.notify(ZSET, "zrem", key, db.id());
      if (removed) ev.notify(GENERIC, "del", key, db.id());
      ev.signalModified(c, db, key);
      c.server().incrDirty(deleted);
    }
    c.reply().integer(deleted);
  }

  // ---- ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK

  public static void zcard(Client c, byte[][] argv) {
    Object e = ZSets.lookupRead(c, argv[1]);
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    if (!ZSets.checkTypeOrReply(c, e)) return;
    c.reply().integer(ZSets.value(e).size());
  }

  public static void zscore(Client c, byte[][] argv) {
    Object e = ZSets.lookupRead(c, argv[1]);
    if (e == null) {
      c.reply().nullBulk();
      return;
    }
    if (!ZSets.checkTypeOrReply(c, e)) return;
    double s = ZSets.value(e).score(argv[2]);
    if (Double.isNaN(s)) {
      c.reply().nullBulk();
    } else {
      c.reply().doubleValue(s);
    }
  }

  public static void zmscore(Client c, byte[][] argv) {
    Object e = ZSets.lookupRead(c, argv[1]);
    if (!ZSets.checkTypeOrReply(c, e)) return;
    ZSetValue z = ZSets.value(e);
    RespWriter w = c.reply();
    w.array(argv.length - 2);
    for (int j = 2; j < argv.length; j++) {
      double s = z == null ? Double.NaN : z.score(argv[j]);
      if (Double.isNaN(s)) {
        w.nullBulk();
      } else {
        w.doubleValue(s);
      }
    }
  }

  public static void zrank(Client c, byte[][] argv) {
    rankGeneric(c, argv, false);
  }

  public static void zrevrank(Client c, byte[][] argv) {
    rankGeneric(c, argv, true);
  }

  private static void rankGeneric(Client c, byte[][] argv, boolean reverse) {
    Object e = ZSets.lookupRead(c, argv[1]);
    if (e == null) {
      c.reply().nullBulk();
      return;
    }
    if (!ZSets.checkTypeOrReply(c, e)) return;
    long rank = ZSets.value(e).rank(argv[2], reverse);
    if (rank >= 0) {
      c.reply().integer(rank);
    } else {
      c.reply().nullBulk();
    }
  }

  // ---- ZCOUNT, ZLEXCOUNT

  public static void zcount(Client c, byte[][] argv) {
    ScoreRange range = ScoreRange.parse(argv[2], argv[3]);
    if (range == null) {
      c.error(NOT_A_FLOAT_RANGE);
      return;
    }
    Object e = ZSets.lookupRead(c, argv[1]);
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    if (!ZSets.checkTypeOrReply(c, e)) return;
    c.reply().integer(ZSets.value(e).count(range));
  }

  public static void zlexcount(Client c, byte[][] argv) {
    LexRange range = LexRange.parse(argv[2], argv[3]);
    if (range == null) {
      c.error(NOT_A_LEX_RANGE);
      return;
    }
    Object e = ZSets.lookupRead(c, argv[1]);
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    if (!ZSets.checkTypeOrReply(c, e)) return;
    c.reply().integer(ZSets.value(e).count(range));
  }

  // ---- pops

  public static void zpopmin(Client c, byte[][] argv) {
    popMinMax(c, argv, false);
  }

  public static void zpopmax(Client c, byte[][] argv) {
    popMinMax(c, argv, true);
  }

  private static void popMinMax(Client c, byte[][] argv, boolean max) {
    if (argv.length > 3) {
      c.error(Errors.SYNTAX);
      return;
    }
    long count = -1;
    if (argv.length == 3) {
      Long n = ZSets.positiveLongOrReply(c, argv[2], null);
      if (n == null) return;
      count = n;
    }
    boolean nested = c.protocol() > 2 && count != -1;
    popGeneric(c, new byte[][] {argv[1]}, max, false, count, nested, false);
  }

  /**
   * Redis's genericZpopCommand: pops up to {@code count} members (-1: one, in the plain reply
   * shape) from the first of {@code keys} that exists, replying in one of four shapes: flat pairs
   * (ZPOPMIN), nested pairs (ZPOPMIN with a count in RESP3), the key then flat pairs (BZPOPMIN), or
   * the key then nested pairs (ZMPOP, BZMPOP). Returns the key popped from and the number of
   * members popped, or null when nothing was popped (the reply is then written).
   */
  private static Popped popGeneric(
      Client c,
      byte[][] keys,
      boolean max,
      boolean emitKey,
      long count,
      boolean nested,
      boolean nilWhenEmpty) {
    Object e = null;
    byte[] key = null;
    for (byte[] k : keys) {
      e = ZSets.lookupWrite(c, k);
      key = k;
      if (e == null) continue;
      if (!ZSets.checkTypeOrReply(c, e)) return null;
      break;
    }
    RespWriter w = c.reply();
    if (e == null) {
      if (nilWhenEmpty) {
        w.nullArray();
      } else {
        w.emptyArray();
      }
      return null;
    }
    if (count == 0) {
      w.emptyArray();
      return null;
    }
    if (count == -1) count = 1;
    ZSetValue z = ZSets.value(e);
    long size = z.size();
    long n = Math.min(count, size);
    if (!nested && !emitKey) {
      w.array(n * 2);
    } else if (nested && !emitKey) {
      w.array(n);
    } else if (!nested) {
      w.array(n * 2 + 1);
      w.bulk(key);
    } else {
      w.array(2);
      w.bulk(key);
      w.array(n);
    }
    Database db = c.db();
    KeyspaceEvents ev = c.server().events();
    long before = z.memoryUsage();
    for (long i = 0; i < n; i++) {
      ZSetValue.Cursor cur = max ? z.last() : z.first();
      byte[] member = cur.member();
      double score = cur.score();
      z.remove(member);
      c.server().incrDirty(1);
      if (i == 0) {
        ev.notify(ZSET, max ? "zpopmax" : "zpopmin", key, db.id());
        ev.signalModified(c, db, key);
      }
      if (nested) w.array(2);
      w.bulk(member);
      w.doubleValue(score);
    }
    if (ZSets.afterRemoval(c, key, z, before)) ev.notify(GENERIC, "del", key, db.id());
    return new Popped(key, n);
  }

  private record Popped(byte[] key, long count) {}

  public static void bzpopmin(Client c, byte[][] argv) {
    blockingPop(
        c, Arrays.copyOfRange(argv, 1, argv.length - 1), false, argv[argv.length - 1], -1, false);
  }

  public static void bzpopmax(Client c, byte[][] argv) {
    blockingPop(
        c, Arrays.copyOfRange(argv, 1, argv.length - 1), true, argv[argv.length - 1], -1, false);
  }

  /**
   * Redis's blockingGenericZpopCommand: pops from the first non-empty key, propagated as ZPOPMIN
   * or ZPOPMAX of that key (with the count popped, for BZMPOP); otherwise blocks, or answers a
   * null array as on timeout where blocking is not allowed (MULTI, scripts). Run again for a
   * blocked client, it pops from the key that became ready ({@link Blocking#servingKey}), as
   * Redis's serveClientsBlockedOnSortedSetKey does.
   */
  private static void blockingPop(
      Client c, byte[][] keys, boolean max, byte[] timeoutArg, long count, boolean nested) {
    long deadline =
        Blocking.timeoutOrReply(c, timeoutArg, c.server().keyspace().clock().millis());
    if (deadline == Blocking.INVALID_TIMEOUT) return;
    Blocking blocking = c.server().component(Blocking.class);
    byte[] serving = blocking.servingKey(c);
    byte[][] candidates = serving != null ? new byte[][] {serving} : keys;
    for (byte[] key : candidates) {
      Object e = ZSets.lookupWrite(c, key);
      if (e == null) continue;
      if (!ZSets.checkTypeOrReply(c, e)) return;
      ZSetValue z = ZSets.value(e);
      long size = z.size();
      if (size == 0) continue;
      popGeneric(c, new byte[][] {key}, max, true, count, nested, nested);
      byte[] name = max ? ZPOPMAX : ZPOPMIN;
      c.server()
          .dispatcher()
          .propagateAs(
              count == -1
                  ? new byte[][] {name, key}
                  : new byte[][] {name, key, Numbers.toBytes(Math.min(count, size))});
      return;
    }
    if (!blocking.canBlock(c)) {
      c.reply().nullArray();
      return;
    }
    blocking.block(
        c, List.of(keys), deadline, ZSetCommands::timedOut, Blocking.ofType(ValueType.ZSET));
  }

  /** What a blocked pop answers on timeout or CLIENT UNBLOCK TIMEOUT: a null array. */
  private static void timedOut(Client c) {
    c.reply().nullArray();
  }

  public static void zmpop(Client c, byte[][] argv) {
    mpopGeneric(c, argv, 1, false);
  }

  public static void bzmpop(Client c, byte[][] argv) {
    mpopGeneric(c, argv, 2, true);
  }

  /** ZMPOP and BZMPOP: numkeys, keys, MIN|MAX, optional COUNT (zmpopGenericCommand). */
  private static void mpopGeneric(Client c, byte[][] argv, int numkeysIdx, boolean block) {
    Long numkeys = ZSets.rangeLongOrReply(c, argv[numkeysIdx], 1, Long.MAX_VALUE, NUMKEYS);
    if (numkeys == null) return;
    if (numkeys >= argv.length - numkeysIdx - 1) {
      c.error(Errors.SYNTAX);
      return;
    }
    int whereIdx = numkeysIdx + (int) (long) numkeys + 1;
    boolean max;
    if (Args.is(argv[whereIdx], "min")) {
      max = false;
    } else if (Args.is(argv[whereIdx], "max")) {
      max = true;
    } else {
      c.error(Errors.SYNTAX);
      return;
    }
    long count = -1;
    for (int j = whereIdx + 1; j < argv.length; j++) {
      int moreArgs = argv.length - 1 - j;
      if (count == -1 && Args.is(argv[j], "count") && moreArgs > 0) {
        j++;
        Long n = ZSets.rangeLongOrReply(c, argv[j], 1, Long.MAX_VALUE, COUNT_POSITIVE);
        if (n == null) return;
        count = n;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    if (count == -1) count = 1;
    byte[][] keys = Arrays.copyOfRange(argv, numkeysIdx + 1, whereIdx);
    if (block) {
      blockingPop(c, keys, max, argv[1], count, true);
      return;
    }
    Popped p = popGeneric(c, keys, max, true, count, true, true);
    if (p != null) {
      c.server()
          .dispatcher()
          .propagateAs(new byte[][] {max ? ZPOPMAX : ZPOPMIN, p.key(), Numbers.toBytes(p.count())});
    }
  }

  // ---- ZRANDMEMBER

  /** Replies of random members stop growing here: the client is closed, as over a buffer limit. */
  static final long RANDOM_REPLY_LIMIT = 256L << 20;

  public static void zrandmember(Client c, byte[][] argv) {
    if (argv.length >= 3) {
      Long l = ZSets.rangeLongOrReply(c, argv[2], -Long.MAX_VALUE, Long.MAX_VALUE, null);
      if (l == null) return;
      boolean withScores = false;
      if (argv.length > 4 || (argv.length == 4 && !Args.is(argv[3], "withscores"))) {
        c.error(Errors.SYNTAX);
        return;
      } else if (argv.length == 4) {
        withScores = true;
        if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
          c.error(Errors.OUT_OF_RANGE);
          return;
        }
      }
      randomWithCount(c, argv[1], l, withScores);
      return;
    }
    Object e = ZSets.lookupRead(c, argv[1]);
    if (e == null) {
      c.reply().nullBulk();
      return;
    }
    if (!ZSets.checkTypeOrReply(c, e)) return;
    ZSetValue z = ZSets.value(e);
    ZSetValue.Cursor cur = z.atRank(z.randomRank(c.server().keyspace().random()));
    c.reply().bulk(cur.memberArray(), cur.memberOffset(), cur.memberLength());
  }

  /**
   * ZRANDMEMBER with a count (zrandmemberWithCountCommand): a negative count returns that many
   * members drawn with repetition; a positive one distinct members, the whole set (from the highest
   * score down, as Redis walks it) when it asks for as many or more.
   */
  private static void randomWithCount(Client c, byte[] key, long l, boolean withScores) {
    Object e = ZSets.lookupRead(c, key);
    if (e == null) {
      c.reply().emptyArray();
      return;
    }
    if (!ZSets.checkTypeOrReply(c, e)) return;
    ZSetValue z = ZSets.value(e);
    long size = z.size();
    boolean unique = l >= 0;
    long count = unique ? l : -l;
    RespWriter w = c.reply();
    if (count == 0) {
      w.emptyArray();
      return;
    }
    boolean resp3 = c.protocol() > 2;
    RandomGenerator random = c.server().keyspace().random();
    if (!unique || count == 1) {
      w.array(withScores && !resp3 ? count * 2 : count);
      Snapshot snap = z.isListpack() ? Snapshot.of(z) : null;
      for (long i = 0; i < count; i++) {
        long r = z.randomRank(random);
        if (withScores && resp3) w.array(2);
        if (snap != null) {
          w.bulk(snap.members[(int) r]);
          if (withScores) w.doubleValue(snap.scores[(int) r]);
        } else {
          ZSetValue.Cursor cur = z.atRank(r);
          w.bulk(cur.memberArray(), cur.memberOffset(), cur.memberLength());
          if (withScores) w.doubleValue(cur.score());
        }
        if ((i & 1023) == 1023 && c.outputBytes() > RANDOM_REPLY_LIMIT) {
          c.server()
              .log()
              .warning(
                  "Closing client that asked for a random reply beyond "
                      + RANDOM_REPLY_LIMIT
                      + " bytes: "
                      + c.info());
          c.closeNow();
          return;
        }
      }
      return;
    }
    long replySize = Math.min(count, size);
    w.array(withScores && !resp3 ? replySize * 2 : replySize);
    if (count >= size) {
      ZSetValue.Cursor cur = z.last();
      for (; cur.valid(); cur.prev()) {
        if (withScores && resp3) w.array(2);
        w.bulk(cur.memberArray(), cur.memberOffset(), cur.memberLength());
        if (withScores) w.doubleValue(cur.score());
      }
      return;
    }
    // Distinct ranks: a partial shuffle when most of the set is wanted, else sampling.
    long[] ranks = new long[(int) count];
    if (count * 3 > size) {
      long[] all = new long[(int) size];
      for (int i = 0; i < size; i++) all[i] = i;
      for (int i = 0; i < count; i++) {
        int j = i + random.nextInt((int) size - i);
        long t = all[i];
        all[i] = all[j];
        all[j] = t;
        ranks[i] = all[i];
      }
    } else {
      Set<Long> seen = new HashSet<>();
      int n = 0;
      while (n < count) {
        long r = random.nextLong(size);
        if (seen.add(r)) ranks[n++] = r;
      }
    }
    if (z.isListpack()) Arrays.sort(ranks); // lpRandomPairsUnique keeps the listpack's order
    Snapshot snap = z.isListpack() ? Snapshot.of(z) : null;
    for (long r : ranks) {
      if (withScores && resp3) w.array(2);
      if (snap != null) {
        w.bulk(snap.members[(int) r]);
        if (withScores) w.doubleValue(snap.scores[(int) r]);
      } else {
        ZSetValue.Cursor cur = z.atRank(r);
        w.bulk(cur.memberArray(), cur.memberOffset(), cur.memberLength());
        if (withScores) w.doubleValue(cur.score());
      }
    }
  }

  /** The pairs of a small (listpack) set by rank, for repeated random access. */
  private record Snapshot(byte[][] members, double[] scores) {
    static Snapshot of(ZSetValue z) {
      int n = (int) z.size();
      byte[][] members = new byte[n][];
      double[] scores = new double[n];
      int[] i = {0};
      z.forEach(
          false,
          (m, off, len, s) -> {
            members[i[0]] = Arrays.copyOfRange(m, off, off + len);
            scores[i[0]++] = s;
          });
      return new Snapshot(members, scores);
    }
  }

  // ---- ZSCAN

  public static void zscan(Client c, byte[][] argv) {
    Long cursor = KeyCommands.parseCursor(argv[2]);
    if (cursor == null) {
      c.error(Errors.INVALID_CURSOR);
      return;
    }
    Object e = ZSets.lookupRead(c, argv[1]);
    if (e == null) {
      c.reply().raw(EMPTY_SCAN);
      return;
    }
    if (!ZSets.checkTypeOrReply(c, e)) return;
    long count = 10;
    byte[] pattern = null;
    for (int i = 3; i < argv.length; ) {
      int j = argv.length - i;
      if (Args.is(argv[i], "count") && j >= 2) {
        Long n = ZSets.longOrReply(c, argv[i + 1], null);
        if (n == null) return;
        count = n;
        if (count < 1) {
          c.error(Errors.SYNTAX);
          return;
        }
        i += 2;
      } else if (Args.is(argv[i], "match") && j >= 2) {
        pattern = argv[i + 1];
        if (pattern.length == 1 && pattern[0] == '*') pattern = null;
        i += 2;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    ZSetValue z = ZSets.value(e);
    List<byte[]> out = new ArrayList<>();
    long next;
    byte[] pat = pattern;
    if (z.isListpack()) {
      z.forEach(
          false,
          (m, off, len, s) -> {
            byte[] member = Arrays.copyOfRange(m, off, off + len);
            if (pat != null && !Glob.matches(pat, member, false)) return;
            out.add(member);
            out.add(Args.bytes(Doubles.d2string(s)));
          });
      next = 0;
    } else {
      long wanted = count * 2; // pairs: Redis doubles COUNT, with C's wrap-around
      long maxIterations = wanted * 10;
      next = cursor;
      List<byte[]> found = new ArrayList<>();
      do {
        next =
            z.scanStep(
                next,
                (m, s) -> {
                  found.add(m);
                  found.add(Args.bytes(io.redstart.resp.CFormat.g17(s)));
                });
      } while (next != 0 && maxIterations-- != 0 && Long.compareUnsigned(found.size(), wanted) < 0);
      for (int i = 0; i < found.size(); i += 2) {
        if (pat != null && !Glob.matches(pat, found.get(i), false)) continue;
        out.add(found.get(i));
        out.add(found.get(i + 1));
      }
    }
    RespWriter w = c.reply();
    w.array(2);
    w.bulk(Long.toString(next));
    w.array(out.size());
    for (byte[] b : out) w.bulk(b);
  }
}
