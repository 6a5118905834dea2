package io.redstart.command.stream;

import static io.redstart.config.KeyspaceEventFlags.STREAM;

import io.redstart.blocking.Blocking;
import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.KeyspaceEvents;
import io.redstart.store.Database;
import io.redstart.store.Keyspace;
import io.redstart.types.stream.StreamId;
import io.redstart.types.stream.StreamValue;

/**
 * The stream commands of Redis 7.0 that need no consumer group (t_stream.c): XADD, XTRIM, XRANGE,
 * XREVRANGE, XLEN, XDEL and XSETID, over {@link StreamValue}. XADD and XTRIM share {@link
 * #parseAddOrTrimOrReply}; XRANGE and XREVRANGE share {@link #rangeGeneric}.
 *
 * <p>Each write reports what Redis reports: the keyspace event (xadd, xtrim, xdel, xsetid), the
 * modified-key signal where Redis signals (XADD, XDEL, XTRIM; not XSETID) and Redis's change count.
 * XADD propagates the ID it generated and an approximate trim ({@code ~}) as the exact one it
 * performed ({@code = <length>} or {@code = <first id>}), as Redis rewrites them.
 *
 * <p>Handlers run on the keyspace thread.
 */
public final class StreamCommands {
  private StreamCommands() {}

  private static final byte[] EQUALS = Args.bytes("=");

  /** The trimming options of XADD and XTRIM (Redis's streamAddTrimArgs). */
  private static final class TrimArgs {
    StreamId id;
    boolean idGiven;
    boolean seqGiven = true;
    boolean noMkStream;

    /** 0 none, 1 MAXLEN, 2 MINID. */
    int strategy;

    /** Index of the MAXLEN count or MINID id, for the rewrite of an approximate trim. */
    int strategyArgIndex;

    boolean approx;
    long limit;
    long maxLen;
    StreamId minId;

    /** XADD: the index of the ID argument. */
    int idPos;
  }

  private static final int NONE = 0;
  private static final int MAXLEN = 1;
  private static final int MINID = 2;

  /**
   * Parses XADD's options and ID ({@code xadd}) or XTRIM's options, as Redis's
   * streamParseAddOrTrimArgsOrReply, errors and their order included. Returns null after replying.
   */
  private static TrimArgs parseAddOrTrimOrReply(Client c, byte[][] argv, boolean xadd) {
    TrimArgs a = new TrimArgs();
    int argc = argv.length;
    boolean limitGiven = false;
    int i = 2;
    for (; i < argc; i++) {
      int moreargs = argc - 1 - i;
      byte[] opt = argv[i];
      if (xadd && Streams.equalsC(opt, "*")) {
        break;
      } else if (Streams.is(opt, "maxlen") && moreargs > 0) {
        if (a.strategy != NONE) {
          c.error(Errors.STREAM_MAXLEN_MINID);
          return null;
        }
        a.approx = false;
        byte[] next = argv[i + 1];
        if (moreargs >= 2 && Streams.equalsC(next, "~")) {
          a.approx = true;
          i++;
        } else if (moreargs >= 2 && Streams.equalsC(next, "=")) {
          i++;
        }
        if (!Args.isLongOrReply(c, argv[i + 1])) return null;
        a.maxLen = Args.toLong(argv[i + 1]);
        if (a.maxLen < 0) {
          c.error(Errors.STREAM_MAXLEN_NEGATIVE);
          return null;
        }
        i++;
        a.strategy = MAXLEN;
        a.strategyArgIndex = i;
      } else if (Streams.is(opt, "minid") && moreargs > 0) {
        if (a.strategy != NONE) {
          c.error(Errors.STREAM_MAXLEN_MINID);
          return null;
        }
        a.approx = false;
        byte[] next = argv[i + 1];
        if (moreargs >= 2 && Streams.equalsC(next, "~")) {
          a.approx = true;
          i++;
        } else if (moreargs >= 2 && Streams.equalsC(next, "=")) {
          i++;
        }
        a.minId = Streams.strictIdOrReply(c, argv[i + 1]);
        if (a.minId == null) return null;
        i++;
        a.strategy = MINID;
        a.strategyArgIndex = i;
      } else if (Streams.is(opt, "limit") && moreargs > 0) {
        if (!Args.isLongOrReply(c, argv[i + 1])) return null;
        a.limit = Args.toLong(argv[i + 1]);
        if (a.limit < 0) {
          c.error(Errors.STREAM_LIMIT_NEGATIVE);
          return null;
        }
        limitGiven = true;
        i++;
      } else if (xadd && Streams.is(opt, "nomkstream")) {
        a.noMkStream = true;
      } else if (xadd) {
        StreamId.AddId id = StreamId.parseForAdd(opt);
        if (id == null) {
          c.error(Errors.STREAM_INVALID_ID);
          return null;
        }
        a.id = id.id();
        a.seqGiven = id.seqGiven();
        a.idGiven = true;
        break;
      } else {
        c.error(Errors.SYNTAX);
        return null;
      }
    }
    a.idPos = i;
    if (a.limit != 0 && a.strategy == NONE) {
      c.error(Errors.STREAM_LIMIT_WITHOUT_STRATEGY);
      return null;
    }
    if (!xadd && a.strategy == NONE) {
      c.error(Errors.STREAM_XTRIM_WITHOUT_STRATEGY);
      return null;
    }
    if (Streams.mustObey(c)) {
      a.limit = 0; // the trim argument was rewritten to the exact result
    } else if (limitGiven) {
      if (!a.approx) {
        c.error(Errors.STREAM_LIMIT_WITHOUT_APPROX);
        return null;
      }
    } else if (a.approx) {
      a.limit = 100 * Streams.nodeMaxEntries(c); // at most 100 nodes; wraps as C does
      if (a.limit <= 0) a.limit = 10000;
      if (a.limit > 1000000) a.limit = 1000000;
    } else {
      a.limit = 0;
    }
    return a;
  }

  /** Trims by the parsed strategy; returns the number of entries removed. */
  private static long trim(StreamValue s, TrimArgs a) {
    if (a.strategy == NONE) return 0;
    return s.trim(a.maxLen, a.strategy == MINID ? a.minId : null, a.approx, a.limit);
  }

  /**
   * Rewrites an approximate trim to the exact one performed (Redis's streamRewriteApproxSpecifier
   * and streamRewriteTrimArgument): "=" and the resulting length, or the first entry's ID
   * (tombstones included; the largest ID for an empty stream).
   */
  private static void rewriteTrim(byte[][] out, StreamValue s, TrimArgs a) {
    out[a.strategyArgIndex - 1] = EQUALS;
    out[a.strategyArgIndex] =
        a.strategy == MAXLEN ? Numbers.toBytes(s.length()) : Streams.idBytes(s.edgeId(true, false));
  }

  // ---- XADD

  /** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value ... */
  public static void xadd(Client c, byte[][] argv) {
    TrimArgs a = parseAddOrTrimOrReply(c, argv, true);
    if (a == null) return;
    int fieldPos = a.idPos + 1;
    int rest = argv.length - fieldPos;
    if (rest < 2 || rest % 2 == 1) {
      c.error(Errors.wrongArity(c.currentCommand().fullName));
      return;
    }
    if (a.idGiven && a.seqGiven && a.id.isZero()) {
      c.error(Errors.STREAM_ID_ZERO);
      return;
    }
    byte[] key = argv[1];
    Database db = c.db();
    Keyspace ks = c.server().keyspace();
    Object e = ks.lookupWrite(db, key);
    StreamValue s;
    if (e != null) {
      s = Streams.streamOrReply(c, e);
      if (s == null) return;
    } else {
      if (a.noMkStream) {
        c.reply().nullBulk();
        return;
      }
      s = Streams.create(c, db, key);
    }
    if (s.lastIdIsMax()) {
      c.error(Errors.STREAM_EXHAUSTED);
      return;
    }
    long before = s.memoryUsage();
    int r =
        s.append(
            argv,
            fieldPos,
            rest / 2,
            a.idGiven ? a.id : null,
            a.seqGiven,
            ks.now(),
            Streams.nodeMaxBytes(c),
            Streams.nodeMaxEntries(c));
    if (r != StreamValue.ADDED) {
      // An exhausted "ms-*" sequence fails in Redis without setting errno, so its reply depends on
      // a stale errno: "too large" unless the last failing call happened to leave EDOM.
      c.error(r == StreamValue.ID_TOO_SMALL ? Errors.STREAM_ID_TOO_SMALL : Errors.STREAM_TOO_LARGE);
      db.adjustUsedBytes(s.memoryUsage() - before);
      return;
    }
    StreamId id = s.lastId();
    byte[] idText = Streams.idBytes(id);
    c.reply().bulk(idText);
    KeyspaceEvents ev = c.server().events();
    ev.written(c, db, key, STREAM, "xadd");
    byte[][] out = null;
    if (a.strategy != NONE) {
      if (trim(s, a) != 0) ev.notify(STREAM, "xtrim", key, db.id());
      if (a.approx) {
        out = argv.clone();
        rewriteTrim(out, s, a);
      }
    }
    if (!a.idGiven || !a.seqGiven) {
      if (out == null) out = argv.clone();
      out[a.idPos] = idText;
    }
    if (out != null) c.server().dispatcher().propagateAs(out);
    db.adjustUsedBytes(s.memoryUsage() - before);
    c.server().component(Blocking.class).signalKeyAsReady(db, key);
  }

  // ---- XTRIM

  /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]. */
  public static void xtrim(Client c, byte[][] argv) {
    TrimArgs a = parseAddOrTrimOrReply(c, argv, false);
    if (a == null) return;
    byte[] key = argv[1];
    Database db = c.db();
    Object e = c.server().keyspace().lookupWrite(db, key);
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    StreamValue s = Streams.streamOrReply(c, e);
    if (s == null) return;
    long before = s.memoryUsage();
    long deleted = trim(s, a);
    if (deleted != 0) {
      KeyspaceEvents ev = c.server().events();
      ev.notify(STREAM, "xtrim", key, db.id());
      if (a.approx) {
        byte[][] out = argv.clone();
        rewriteTrim(out, s, a);
        c.server().dispatcher().propagateAs(out);
      }
      ev.signalModified(c, db, key);
      c.server().incrDirty(deleted);
      db.adjustUsedBytes(s.memoryUsage() - before);
    }
    c.reply().integer(deleted);
  }

  // ---- XRANGE, XREVRANGE

  /** XRANGE key start end [COUNT count]. */
  public static void xrange(Client c, byte[][] argv) {
    rangeGeneric(c, argv, false);
  }

  /** XREVRANGE key end start [COUNT count]. */
  public static void xrevrange(Client c, byte[][] argv) {
    rangeGeneric(c, argv, true);
  }

  /**
   * XRANGE and XREVRANGE (Redis's xrangeGenericCommand): bounds with "-", "+", "(" exclusive and
   * incomplete IDs (a missing sequence is 0 for the start, the largest for the end), then COUNT
   * (negative counts as 0, which replies a null array), then the key.
   */
  private static void rangeGeneric(Client c, byte[][] argv, boolean rev) {
    byte[] startArg = rev ? argv[3] : argv[2];
    byte[] endArg = rev ? argv[2] : argv[3];
    StreamId start = Streams.boundOrReply(c, startArg, true);
    if (start == null) return;
    StreamId end = Streams.boundOrReply(c, endArg, false);
    if (end == null) return;
    long count = -1;
    for (int j = 4; j < argv.length; j++) {
      int additional = argv.length - j - 1;
      if (Streams.is(argv[j], "count") && additional >= 1) {
        if (!Args.isLongOrReply(c, argv[j + 1])) return;
        count = Args.toLong(argv[j + 1]);
        if (count < 0) count = 0;
        j++;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    if (e == null) {
      c.reply().emptyArray();
      return;
    }
    StreamValue s = Streams.streamOrReply(c, e);
    if (s == null) return;
    if (count == 0) {
      c.reply().nullArray();
      return;
    }
    replyRange(c.reply(), s, start, end, count == -1 ? 0 : count, rev);
  }

  /** An array of the entries in [start, end], at most {@code count} (0: all). */
  static void replyRange(
      RespWriter w, StreamValue s, StreamId start, StreamId end, long count, boolean rev) {
    Streams.Deferred d = Streams.Deferred.start(w);
    StreamValue.Cursor cur = s.cursor(start, end, rev);
    long n = 0;
    while ((count == 0 || n < count) && cur.next()) {
      cur.writeEntry(w);
      n++;
    }
    d.array(n);
  }

  // ---- XLEN

  /** XLEN key. */
  public static void xlen(Client c, byte[][] argv) {
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    StreamValue s = Streams.streamOrReply(c, e);
    if (s == null) return;
    c.reply().integer(s.length());
  }

  // ---- XDEL

  /** XDEL key id [id ...]: every ID is checked before any is deleted. */
  public static void xdel(Client c, byte[][] argv) {
    byte[] key = argv[1];
    Database db = c.db();
    Object e = c.server().keyspace().lookupWrite(db, key);
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    StreamValue s = Streams.streamOrReply(c, e);
    if (s == null) return;
    StreamId[] ids = new StreamId[argv.length - 2];
    for (int j = 2; j < argv.length; j++) {
      ids[j - 2] = Streams.strictIdOrReply(c, argv[j]);
      if (ids[j - 2] == null) return;
    }
    long before = s.memoryUsage();
    long deleted = 0;
    boolean firstDeleted = false;
    StreamId first = s.firstId();
    for (StreamId id : ids) {
      if (s.delete(id)) {
        if (id.equals(first)) firstDeleted = true;
        deleted++;
      }
    }
    if (deleted != 0) {
      s.afterDeletes(firstDeleted);
      KeyspaceEvents ev = c.server().events();
      ev.signalModified(c, db, key);
      ev.notify(STREAM, "xdel", key, db.id());
      c.server().incrDirty(deleted);
      db.adjustUsedBytes(s.memoryUsage() - before);
    }
    c.reply().integer(deleted);
  }

  // ---- XSETID

  /** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]. */
  public static void xsetid(Client c, byte[][] argv) {
    StreamId id = Streams.strictIdOrReply(c, argv[2]);
    if (id == null) return;
    long entriesAdded = -1;
    StreamId maxDeleted = StreamId.MIN;
    int i = 3;
    while (i < argv.length) {
      int moreargs = argv.length - 1 - i;
      byte[] opt = argv[i];
      if (Streams.is(opt, "entriesadded") && moreargs > 0) {
        if (!Args.isLongOrReply(c, argv[i + 1])) return;
        entriesAdded = Args.toLong(argv[i + 1]);
        if (entriesAdded < 0) {
          c.error(Errors.XSETID_ENTRIES_ADDED);
          return;
        }
        i += 2;
      } else if (Streams.is(opt, "maxdeletedid") && moreargs > 0) {
        maxDeleted = Streams.strictIdOrReply(c, argv[i + 1]);
        if (maxDeleted == null) return;
        if (id.compareTo(maxDeleted) < 0) {
          c.error(Errors.XSETID_BELOW_MAX_DELETED);
          return;
        }
        i += 2;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    byte[] key = argv[1];
    Database db = c.db();
    Object e = c.server().keyspace().lookupWrite(db, key);
    if (e == null) {
      c.error(Errors.NO_SUCH_KEY);
      return;
    }
    StreamValue s = Streams.streamOrReply(c, e);
    if (s == null) return;
    if (s.length() > 0) {
      if (id.compareTo(s.edgeId(false, true)) < 0) {
        c.error(Errors.XSETID_BELOW_TOP);
        return;
      }
      if (entriesAdded != -1 && Long.compareUnsigned(s.length(), entriesAdded) > 0) {
        c.error(Errors.XSETID_ENTRIES_BELOW_LENGTH);
        return;
      }
    }
    s.setIds(id, entriesAdded, maxDeleted);
    c.reply().ok();
    c.server().incrDirty(1);
    c.server().events().notify(STREAM, "xsetid", key, db.id());
  }
}
