package io.redstart.command.zset;

import static io.redstart.config.KeyspaceEventFlags.GENERIC;
import static io.redstart.config.KeyspaceEventFlags.ZSET;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.KeyspaceEvents;
import io.redstart.store.Database;
import io.redstart.types.zset.LexRange;
import io.redstart.types.zset.ScoreRange;
import io.redstart.types.zset.ZSetValue;

/**
 * The range commands of Redis 7.0 (t_zset.c): ZRANGE with BYSCORE, BYLEX, REV, LIMIT and
 * WITHSCORES, ZRANGESTORE, and the older ZREVRANGE, Z[REV]RANGEBYSCORE, Z[REV]RANGEBYLEX, all
 * through {@link #rangeGeneric}; and ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX through
 * {@link #removeRangeGeneric}.
 *
 * <p>A range is resolved to a starting cursor, a direction and a number of members, then emitted
 * either to the client or into a new sorted set (ZRANGESTORE). Handlers run on the keyspace thread.
 */
public final class ZRangeCommands {
  private ZRangeCommands() {}

  static final String LIMIT_NEEDS_BY =
      "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
  static final String WITHSCORES_BYLEX =
      "ERR syntax error, WITHSCORES not supported in combination with BYLEX";

  private enum Kind {
    AUTO,
    RANK,
    SCORE,
    LEX
  }

  /** 0: not given (ZRANGE, ZRANGESTORE), else forward or reverse. */
  private static final int AUTO = 0;

  private static final int FORWARD = 1;
  private static final int REVERSE = 2;

  public static void zrange(Client c, byte[][] argv) {
    rangeGeneric(c, argv, 1, false, Kind.AUTO, AUTO);
  }

  public static void zrangestore(Client c, byte[][] argv) {
    rangeGeneric(c, argv, 2, true, Kind.AUTO, AUTO);
  }

  public static void zrevrange(Client c, byte[][] argv) {
    rangeGeneric(c, argv, 1, false, Kind.RANK, REVERSE);
  }

  public static void zrangebyscore(Client c, byte[][] argv) {
    rangeGeneric(c, argv, 1, false, Kind.SCORE, FORWARD);
  }

  public static void zrevrangebyscore(Client c, byte[][] argv) {
    rangeGeneric(c, argv, 1, false, Kind.SCORE, REVERSE);
  }

  public static void zrangebylex(Client c, byte[][] argv) {
    rangeGeneric(c, argv, 1, false, Kind.LEX, FORWARD);
  }

  public static void zrevrangebylex(Client c, byte[][] argv) {
    rangeGeneric(c, argv, 1, false, Kind.LEX, REVERSE);
  }

  /**
   * Redis's zrangeGenericCommand. {@code keyIdx} is the source key's position; the options follow
   * its min and max. Errors, in Redis's order: option syntax and LIMIT's integers, LIMIT or
   * WITHSCORES with the wrong kind of range, the range itself, then the key's type.
   */
  private static void rangeGeneric(
      Client c, byte[][] argv, int keyIdx, boolean store, Kind kind, int direction) {
    int minIdx = keyIdx + 1;
    int maxIdx = keyIdx + 2;
    boolean withScores = false;
    long offset = 0;
    long limit = -1;
    for (int j = keyIdx + 3; j < argv.length; j++) {
      int left = argv.length - j - 1;
      if (!store && Args.is(argv[j], "withscores")) {
        withScores = true;
      } else if (Args.is(argv[j], "limit") && left >= 2) {
        Long o = ZSets.longOrReply(c, argv[j + 1], null);
        if (o == null) return;
        Long l = ZSets.longOrReply(c, argv[j + 2], null);
        if (l == null) return;
        offset = o;
        limit = l;
        j += 2;
      } else if (direction == AUTO && Args.is(argv[j], "rev")) {
        direction = REVERSE;
      } else if (kind == Kind.AUTO && Args.is(argv[j], "bylex")) {
        kind = Kind.LEX;
      } else if (kind == Kind.AUTO && Args.is(argv[j], "byscore")) {
        kind = Kind.SCORE;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    if (direction == AUTO) direction = FORWARD;
    if (kind == Kind.AUTO) kind = Kind.RANK;
    if (limit != -1 && kind == Kind.RANK) {
      c.error(LIMIT_NEEDS_BY);
      return;
    }
    if (withScores && kind == Kind.LEX) {
      c.error(WITHSCORES_BYLEX);
      return;
    }
    boolean reverse = direction == REVERSE;
    if (reverse && kind != Kind.RANK) {
      int t = minIdx;
      minIdx = maxIdx;
      maxIdx = t;
    }
    long start = 0;
    long end = 0;
    ScoreRange scores = null;
    LexRange lex = null;
    switch (kind) {
      case SCORE -> {
        scores = ScoreRange.parse(argv[minIdx], argv[maxIdx]);
        if (scores == null) {
          c.error(ZSetCommands.NOT_A_FLOAT_RANGE);
          return;
        }
      }
      case LEX -> {
        lex = LexRange.parse(argv[minIdx], argv[maxIdx]);
        if (lex == null) {
          c.error(ZSetCommands.NOT_A_LEX_RANGE);
          return;
        }
      }
      default -> {
        Long s = ZSets.longOrReply(c, argv[minIdx], null);
        if (s == null) return;
        Long e = ZSets.longOrReply(c, argv[maxIdx], null);
        if (e == null) return;
        start = s;
        end = e;
      }
    }
    byte[] dst = store ? argv[1] : null;
    Object entry = ZSets.lookupRead(c, argv[keyIdx]);
    if (entry == null) {
      if (store) {
        c.reply().integer(0);
        ZSets.deleteResult(c, dst);
      } else {
        c.reply().emptyArray();
      }
      return;
    }
    if (!ZSets.checkTypeOrReply(c, entry)) return;
    ZSetValue z = ZSets.value(entry);
    ZSetValue.Cursor from;
    long n;
    long knownLength;
    switch (kind) {
      case SCORE -> {
        from = skip(reverse ? z.lastInRange(scores) : z.firstInRange(scores), offset, reverse, z);
        n = countScores(from, limit, scores, reverse);
        knownLength = -1;
      }
      case LEX -> {
        from = skip(reverse ? z.lastInRange(lex) : z.firstInRange(lex), offset, reverse, null);
        n = countLex(from, limit, lex, reverse);
        knownLength = -1;
      }
      default -> {
        long size = z.size();
        if (start < 0) start = size + start;
        if (end < 0) end = size + end;
        if (start < 0) start = 0;
        if (start > end || start >= size) {
          from = null;
          n = 0;
        } else {
          if (end >= size) end = size - 1;
          n = end - start + 1;
          from = z.atRank(reverse ? size - 1 - start : start);
        }
        knownLength = n;
      }
    }
    if (store) {
      storeRange(c, dst, from, n, reverse, knownLength);
    } else {
      replyRange(c, from, n, reverse, withScores);
    }
  }

  /**
   * Moves past {@code offset} members as Redis does before LIMIT's count: a negative offset walks
   * to the end (nothing is returned); with {@code sizeCheck}, an offset at or past the set's size
   * gives nothing at once (the score form's shortcut).
   */
  private static ZSetValue.Cursor skip(
      ZSetValue.Cursor cur, long offset, boolean reverse, ZSetValue sizeCheck) {
    if (sizeCheck != null && offset > 0 && offset >= sizeCheck.size()) return null;
    while (cur.valid() && offset-- != 0) cur.step(reverse);
    return cur;
  }

  private static long countScores(
      ZSetValue.Cursor from, long limit, ScoreRange r, boolean reverse) {
    if (from == null) return 0;
    ZSetValue.Cursor cur = from.copy();
    long n = 0;
    while (cur.valid() && limit-- != 0) {
      double s = cur.score();
      if (reverse ? !r.aboveMin(s) : !r.belowMax(s)) break;
      n++;
      cur.step(reverse);
    }
    return n;
  }

  private static long countLex(ZSetValue.Cursor from, long limit, LexRange r, boolean reverse) {
    if (from == null) return 0;
    ZSetValue.Cursor cur = from.copy();
    long n = 0;
    while (cur.valid() && limit-- != 0) {
      byte[] m = cur.memberArray();
      int off = cur.memberOffset();
      int len = cur.memberLength();
      if (reverse ? !r.aboveMin(m, off, len) : !r.belowMax(m, off, len)) break;
      n++;
      cur.step(reverse);
    }
    return n;
  }

  /** Replies {@code n} members from {@code from}; pairs flat in RESP2, nested in RESP3. */
  private static void replyRange(
      Client c, ZSetValue.Cursor from, long n, boolean reverse, boolean withScores) {
    RespWriter w = c.reply();
    boolean resp3 = c.protocol() > 2;
    w.array(withScores && !resp3 ? n * 2 : n);
    ZSetValue.Cursor cur = from;
    for (long i = 0; i < n; i++) {
      if (withScores && resp3) w.array(2);
      w.bulk(cur.memberArray(), cur.memberOffset(), cur.memberLength());
      if (withScores) w.doubleValue(cur.score());
      cur.step(reverse);
    }
  }

  /**
   * ZRANGESTORE's destination, as zrangeResultBeginStore and friends: a new set starting in the
   * encoding the result length calls for, members added one by one (converting as ZADD would),
   * stored with event "zrangestore"; an empty result deletes the destination.
   */
  private static void storeRange(
      Client c, byte[] dst, ZSetValue.Cursor from, long n, boolean reverse, long knownLength) {
    if (n == 0) {
      c.reply().integer(0);
      ZSets.deleteResult(c, dst);
      return;
    }
    ZSetValue.Limits limits = ZSets.limits(c);
    ZSetValue out = ZSetValue.forResultLength(knownLength, limits);
    ZSetValue.Cursor cur = from;
    for (long i = 0; i < n; i++) {
      out.add(cur.member(), cur.score(), 0, limits, null);
      cur.step(reverse);
    }
    ZSets.storeResult(c, dst, out, "zrangestore", 1);
    c.reply().integer(n);
  }

  // ---- ZREMRANGEBY*

  public static void zremrangebyrank(Client c, byte[][] argv) {
    removeRangeGeneric(c, argv, Kind.RANK);
  }

  public static void zremrangebyscore(Client c, byte[][] argv) {
    removeRangeGeneric(c, argv, Kind.SCORE);
  }

  public static void zremrangebylex(Client c, byte[][] argv) {
    removeRangeGeneric(c, argv, Kind.LEX);
  }

  /** Redis's zremrangeGenericCommand: the range first, then the key; deletes an emptied key. */
  private static void removeRangeGeneric(Client c, byte[][] argv, Kind kind) {
    long start = 0;
    long end = 0;
    ScoreRange scores = null;
    LexRange lex = null;
    String event;
    switch (kind) {
      case RANK -> {
        event = "zremrangebyrank";
        Long s = ZSets.longOrReply(c, argv[2], null);
        if (s == null) return;
        Long e = ZSets.longOrReply(c, argv[3], null);
        if (e == null) return;
        start = s;
        end = e;
      }
      case SCORE -> {
        event = "zremrangebyscore";
        scores = ScoreRange.parse(argv[2], argv[3]);
        if (scores == null) {
          c.error(ZSetCommands.NOT_A_FLOAT_RANGE);
          return;
        }
      }
      default -> {
        event = "zremrangebylex";
        lex = LexRange.parse(argv[2], argv[3]);
        if (lex == null) {
          c.error(ZSetCommands.NOT_A_LEX_RANGE);
          return;
        }
      }
    }
    byte[] key = argv[1];
    Object entry = ZSets.lookupWrite(c, key);
    if (entry == null) {
      c.reply().integer(0);
      return;
    }
    if (!ZSets.checkTypeOrReply(c, entry)) return;
    ZSetValue z = ZSets.value(entry);
    if (kind == Kind.RANK) {
      long size = z.size();
      if (start < 0) start = size + start;
      if (end < 0) end = size + end;
      if (start < 0) start = 0;
      if (start > end || start >= size) {
        c.reply().integer(0);
        return;
      }
      if (end >= size) end = size - 1;
    }
    long before = z.memoryUsage();
    long deleted =
        switch (kind) {
          case RANK -> z.removeRangeByRank(start, end);
          case SCORE -> z.removeRangeByScore(scores);
          default -> z.removeRangeByLex(lex);
        };
    boolean removed = ZSets.afterRemoval(c, key, z, before);
    if (deleted > 0) {
      Database db = c.db();
      KeyspaceEvents ev = c.server().events();
      ev.signalModified(c, db, key);
      ev.notify(ZSET, event, key, db.id());
      if (removed) ev.notify(GENERIC, "del", key, db.id());
      c.server().incrDirty(deleted);
    }
    c.reply().integer(deleted);
  }
}
