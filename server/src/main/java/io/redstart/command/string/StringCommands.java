package io.redstart.command.string;

import static io.redstart.config.KeyspaceEventFlags.GENERIC;
import static io.redstart.config.KeyspaceEventFlags.STRING;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.KeyspaceEvents;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import io.redstart.store.StringValue;
import io.redstart.types.ValueType;
import io.redstart.util.LongDouble;

/**
 * The string commands of Redis 7.0 (t_string.c): SET and its variants, GET and its variants, the
 * counters, APPEND, ranges, MSET/MGET and LCS. One {@link #setGeneric} serves SET, SETNX, SETEX,
 * PSETEX; one {@link #incrDecr} serves the integer counters.
 */
public final class StringCommands {
  private StringCommands() {}

  // SET/GETEX option flags, as Redis's OBJ_* flags.
  private static final int NX = 1;
  private static final int XX = 1 << 1;
  private static final int EX = 1 << 2;
  private static final int PX = 1 << 3;
  private static final int KEEPTTL = 1 << 4;
  private static final int GET = 1 << 5;
  private static final int EXAT = 1 << 6;
  private static final int PXAT = 1 << 7;
  private static final int PERSIST = 1 << 8;
  private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;

  private static final byte[] SET_NAME = Args.bytes("SET");
  private static final byte[] PXAT_NAME = Args.bytes("PXAT");
  private static final byte[] PEXPIREAT_NAME = Args.bytes("PEXPIREAT");
  private static final byte[] DEL_NAME = Args.bytes("DEL");
  private static final byte[] PERSIST_NAME = Args.bytes("PERSIST");
  private static final byte[] KEEPTTL_NAME = Args.bytes("KEEPTTL");

  /** Parsed SET/GETEX options; {@code expireArg} is the argument of EX/PX/EXAT/PXAT. */
  private record Options(int flags, byte[] expireArg) {}

  /**
   * Parses SET (from argv[3]) or GETEX (from argv[2]) options with Redis's exclusions; replies
   * "syntax error" and returns null on a violation.
   */
  private static Options parseOptionsOrReply(Client c, byte[][] argv, boolean isSet) {
    int flags = 0;
    byte[] expire = null;
    for (int j = isSet ? 3 : 2; j < argv.length; j++) {
      byte[] opt = argv[j];
      boolean hasNext = j < argv.length - 1;
      if (isSet && Args.is(opt, "nx") && (flags & XX) == 0) {
        flags |= NX;
      } else if (isSet && Args.is(opt, "xx") && (flags & NX) == 0) {
        flags |= XX;
      } else if (isSet && Args.is(opt, "get")) {
        flags |= GET;
      } else if (isSet && Args.is(opt, "keepttl") && (flags & (PERSIST | ANY_EXPIRE)) == 0) {
        flags |= KEEPTTL;
      } else if (!isSet && Args.is(opt, "persist") && (flags & (ANY_EXPIRE | KEEPTTL)) == 0) {
        flags |= PERSIST;
      } else if (Args.is(opt, "ex") && (flags & (KEEPTTL | PERSIST | EXAT | PX | PXAT)) == 0 && hasNext) {
        flags |= EX;
        expire = argv[++j];
      } else if (Args.is(opt, "px") && (flags & (KEEPTTL | PERSIST | EX | EXAT | PXAT)) == 0 && hasNext) {
        flags |= PX;
        expire = argv[++j];
      } else if (Args.is(opt, "exat") && (flags & (KEEPTTL | PERSIST | EX | PX | PXAT)) == 0 && hasNext) {
        flags |= EXAT;
        expire = argv[++j];
      } else if (Args.is(opt, "pxat") && (flags & (KEEPTTL | PERSIST | EX | EXAT | PX)) == 0 && hasNext) {
        flags |= PXAT;
        expire = argv[++j];
      } else {
        c.error(Errors.SYNTAX);
        return null;
      }
    }
    return new Options(flags, expire);
  }

  /**
   * The absolute expiry in ms for an EX/PX/EXAT/PXAT argument, or -1 after replying "invalid
   * expire time" (non-positive, or overflowing), as getExpireMillisecondsOrReply.
   */
  private static long expireMillisOrReply(Client c, byte[] arg, int flags) {
    if (!Args.isLongOrReply(c, arg)) return -1;
    long ms = Args.toLong(arg);
    boolean seconds = (flags & (EX | EXAT)) != 0;
    if (ms <= 0 || (seconds && ms > Long.MAX_VALUE / 1000)) {
      c.error(Errors.invalidExpireTime(c.currentCommand().fullName));
      return -1;
    }
    if (seconds) ms *= 1000;
    if ((flags & (EX | PX)) != 0) ms += c.server().keyspace().now();
    if (ms <= 0) {
      c.error(Errors.invalidExpireTime(c.currentCommand().fullName));
      return -1;
    }
    return ms;
  }

  /** The encoding SET gives a value: int when canonical, embstr up to 44 bytes, raw above. */
  public static int encodingFor(byte[] value) {
    if (value.length <= 20 && Numbers.isLong(value)) return Entries.ENC_INT;
    return value.length <= 44 ? Entries.ENC_EMBSTR : Entries.ENC_RAW;
  }

  // ---- SET family

  public static void set(Client c, byte[][] argv) {
    if (argv.length == 3) {
      // The common case: no options to parse.
      setGeneric(c, argv, 0, argv[1], argv[2], null, false);
      return;
    }
    Options o = parseOptionsOrReply(c, argv, true);
    if (o == null) return;
    setGeneric(c, argv, o.flags, argv[1], argv[2], o.expireArg, false);
  }

  public static void setnx(Client c, byte[][] argv) {
    setGeneric(c, argv, NX, argv[1], argv[2], null, true);
  }

  public static void setex(Client c, byte[][] argv) {
    setGeneric(c, argv, EX, argv[1], argv[3], argv[2], false);
  }

  public static void psetex(Client c, byte[][] argv) {
    setGeneric(c, argv, PX, argv[1], argv[3], argv[2], false);
  }

  /**
   * SET's core: checks the expiry, replies the old value for GET, honours NX/XX, stores, and
   * propagates with an absolute PXAT when an expiry was given (or without GET otherwise).
   *
   * @param integerReply SETNX's replies (:1 / :0) instead of +OK / null
   */
  private static void setGeneric(
      Client c, byte[][] argv, int flags, byte[] key, byte[] value, byte[] expireArg,
      boolean integerReply) {
    long when = -1;
    if (expireArg != null) {
      when = expireMillisOrReply(c, expireArg, flags);
      if (when < 0) return;
    }
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    if ((flags & GET) != 0 && !getGeneric(c, key)) return;
    boolean found = ks.lookupWrite(db, key) != null;
    if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
      if ((flags & GET) == 0) {
        if (integerReply) {
          c.reply().integer(0);
        } else {
          c.reply().nullBulk();
        }
      }
      return;
    }
    long expireAt =
        expireArg != null ? when : (flags & KEEPTTL) != 0 ? Database.KEEP_TTL : Database.NO_EXPIRE;
    db.setString(key, value, encodingFor(value), expireAt, ks.initialLru());
    KeyspaceEvents ev = c.server().events();
    if (!found) c.server().events().keyCreated(c, db, key);
    ev.written(c, db, key, STRING, "set");
    if (expireArg != null) {
      c.server().dispatcher().propagateAs(
          new byte[][] {SET_NAME, key, value, PXAT_NAME, Numbers.toBytes(when)});
      ev.notify(GENERIC, "expire", key, db.id());
    } else if ((flags & GET) != 0) {
      c.server().dispatcher().propagateAs(withoutGet(argv));
    }
    if ((flags & GET) == 0) {
      if (integerReply) {
        c.reply().integer(1);
      } else {
        c.reply().ok();
      }
    }
  }

  private static byte[][] withoutGet(byte[][] argv) {
    int n = 0;
    byte[][] out = new byte[argv.length][];
    for (int j = 0; j < argv.length; j++) {
      if (j >= 3 && Args.is(argv[j], "get")) continue;
      out[n++] = argv[j];
    }
    return java.util.Arrays.copyOf(out, n);
  }

  // ---- GET family

  /** Replies the key's value (or null); false after replying WRONGTYPE. */
  private static boolean getGeneric(Client c, byte[] key) {
    Object e = c.server().keyspace().lookupRead(c.db(), key, c.noTouch());
    if (e == null) {
      c.reply().nullBulk();
      return true;
    }
    if (Entries.type(e) != ValueType.STRING) {
      c.error(Errors.WRONGTYPE);
      return false;
    }
    Entries.writeStringValue(e, c.reply());
    return true;
  }

  public static void get(Client c, byte[][] argv) {
    getGeneric(c, argv[1]);
  }

  public static void getex(Client c, byte[][] argv) {
    Options o = parseOptionsOrReply(c, argv, false);
    if (o == null) return;
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    byte[] key = argv[1];
    Object e = ks.lookupRead(db, key, c.noTouch());
    if (e == null) {
      c.reply().nullBulk();
      return;
    }
    if (Entries.type(e) != ValueType.STRING) {
      c.error(Errors.WRONGTYPE);
      return;
    }
    long when = 0;
    if (o.expireArg != null) {
      when = expireMillisOrReply(c, o.expireArg, o.flags);
      if (when < 0) return;
    }
    Entries.writeStringValue(e, c.reply());
    KeyspaceEvents ev = c.server().events();
    if ((o.flags & (PXAT | EXAT)) != 0 && when <= ks.now()) {
      db.remove(key);
      c.server().dispatcher().propagateAs(new byte[][] {DEL_NAME, key});
      ev.written(c, db, key, GENERIC, "del");
    } else if (o.expireArg != null) {
      db.setExpire(key, when);
      c.server().dispatcher().propagateAs(
          new byte[][] {PEXPIREAT_NAME, key, Numbers.toBytes(when)});
      ev.written(c, db, key, GENERIC, "expire");
    } else if ((o.flags & PERSIST) != 0 && Entries.hasExpire(e)) {
      db.setExpire(key, Database.NO_EXPIRE);
      c.server().dispatcher().propagateAs(new byte[][] {PERSIST_NAME, key});
      ev.written(c, db, key, GENERIC, "persist");
    }
  }

  public static void getdel(Client c, byte[][] argv) {
    byte[] key = argv[1];
    if (!getGeneric(c, key)) return;
    Database db = c.db();
    if (db.remove(key) != null) {
      c.server().dispatcher().propagateAs(new byte[][] {DEL_NAME, key});
      c.server().events().written(c, db, key, GENERIC, "del");
    }
  }

  public static void getset(Client c, byte[][] argv) {
    byte[] key = argv[1];
    if (!getGeneric(c, key)) return;
    Database db = c.db();
    boolean existed = db.find(key) != null;
    db.setString(key, argv[2], encodingFor(argv[2]), Database.NO_EXPIRE,
        c.server().keyspace().initialLru());
    if (!existed) c.server().events().keyCreated(c, db, key);
    c.server().events().written(c, db, key, STRING, "set");
    c.server().dispatcher().propagateAs(new byte[][] {SET_NAME, key, argv[2]});
  }

  public static void mget(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    RespWriter w = c.reply();
    w.array(argv.length - 1);
    for (int j = 1; j < argv.length; j++) {
      Object e = ks.lookupRead(c.db(), argv[j], c.noTouch());
      if (e == null || Entries.type(e) != ValueType.STRING) {
        w.nullBulk();
      } else {
        Entries.writeStringValue(e, w);
      }
    }
  }

  public static void mset(Client c, byte[][] argv) {
    msetGeneric(c, argv, false);
  }

  public static void msetnx(Client c, byte[][] argv) {
    msetGeneric(c, argv, true);
  }

  private static void msetGeneric(Client c, byte[][] argv, boolean nx) {
    if (argv.length % 2 == 0) {
      c.error(Errors.wrongArity(c.currentCommand().fullName));
      return;
    }
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    if (nx) {
      for (int j = 1; j < argv.length; j += 2) {
        if (ks.lookupWrite(db, argv[j]) != null) {
          c.reply().integer(0);
          return;
        }
      }
    }
    KeyspaceEvents ev = c.server().events();
    for (int j = 1; j < argv.length; j += 2) {
      boolean created = db.setString(argv[j], argv[j + 1], encodingFor(argv[j + 1]),
          Database.NO_EXPIRE, ks.initialLru());
      if (created) ev.keyCreated(c, db, argv[j]);
      ev.written(c, db, argv[j], STRING, "set");
    }
    if (nx) {
      c.reply().integer(1);
    } else {
      c.reply().ok();
    }
  }

  // ---- counters

  public static void incr(Client c, byte[][] argv) {
    incrDecr(c, argv[1], 1);
  }

  public static void decr(Client c, byte[][] argv) {
    incrDecr(c, argv[1], -1);
  }

  public static void incrby(Client c, byte[][] argv) {
    if (!Args.isLongOrReply(c, argv[2])) return;
    incrDecr(c, argv[1], Args.toLong(argv[2]));
  }

  public static void decrby(Client c, byte[][] argv) {
    if (!Args.isLongOrReply(c, argv[2])) return;
    long incr = Args.toLong(argv[2]);
    if (incr == Long.MIN_VALUE) {
      c.error(Errors.DECR_OVERFLOW);
      return;
    }
    incrDecr(c, argv[1], -incr);
  }

  /** Adds {@code incr} to the integer at {@code key} (0 when absent), keeping its TTL. */
  private static void incrDecr(Client c, byte[] key, long incr) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    Object e = ks.lookupWrite(db, key);
    long value = 0;
    if (e != null) {
      if (Entries.type(e) != ValueType.STRING) {
        c.error(Errors.WRONGTYPE);
        return;
      }
      byte[] arr = Entries.stringArray(e);
      int off = Entries.stringOffset(e);
      int len = Entries.stringLength(e);
      if (!Numbers.isLong(arr, off, len)) {
        c.error(Errors.NOT_AN_INTEGER);
        return;
      }
      value = Numbers.parseLong(arr, off, len);
    }
    if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
        || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
      c.error(Errors.INCR_OVERFLOW);
      return;
    }
    value += incr;
    if (e == null || !db.overwriteInteger(e, value)) {
      byte[] text = Numbers.toBytes(value);
      int lru = e == null || !ks.lfu() ? ks.initialLru() : Entries.lru(e);
      db.setString(key, text, Entries.ENC_INT, Database.KEEP_TTL, lru);
    }
    if (e == null) c.server().events().keyCreated(c, db, key);
    c.server().events().written(c, db, key, STRING, "incrby");
    c.reply().integer(value);
  }

  private static final byte[] INCRBYFLOAT_SET = Args.bytes("SET");

  /**
   * INCRBYFLOAT with x87 long double arithmetic and Redis's formatting (%.17Lf, trailing zeros
   * removed); kept TTL; propagated as SET key value KEEPTTL so replicas and the AOF need no
   * floating point.
   */
  public static void incrbyfloat(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    byte[] key = argv[1];
    Object e = ks.lookupWrite(db, key);
    LongDouble value = LongDouble.ZERO;
    if (e != null) {
      if (Entries.type(e) != ValueType.STRING) {
        c.error(Errors.WRONGTYPE);
        return;
      }
      value = LongDouble.parse(Entries.stringArray(e), Entries.stringOffset(e), Entries.stringLength(e));
    }
    LongDouble incr = LongDouble.parse(argv[2]);
    if (value == null || incr == null) {
      c.error(Errors.NOT_A_FLOAT);
      return;
    }
    LongDouble sum = value.add(incr);
    if (!sum.isFinite()) {
      c.error(Errors.INCR_NAN_OR_INF);
      return;
    }
    byte[] text = sum.toHumanBytes();
    int lru = e == null || !ks.lfu() ? ks.initialLru() : Entries.lru(e);
    db.setString(key, text, text.length <= 44 ? Entries.ENC_EMBSTR : Entries.ENC_RAW,
        Database.KEEP_TTL, lru);
    if (e == null) c.server().events().keyCreated(c, db, key);
    c.server().events().written(c, db, key, STRING, "incrbyfloat");
    c.reply().bulk(text);
    c.server().dispatcher().propagateAs(new byte[][] {INCRBYFLOAT_SET, key, text, KEEPTTL_NAME});
  }

  // ---- APPEND, STRLEN, ranges

  /** Replies "string exceeds maximum allowed size" when size + append passes proto-max-bulk-len. */
  private static boolean checkStringLengthOrReply(Client c, long size, long append) {
    long total = size + append;
    if (total > c.server().protoMaxBulkLen() || total < size || total < append) {
      c.error(Errors.STRING_TOO_LONG);
      return false;
    }
    return true;
  }

  public static void append(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    byte[] key = argv[1];
    Object e = ks.lookupWrite(db, key);
    long total;
    if (e == null) {
      db.setString(key, argv[2], encodingFor(argv[2]), Database.NO_EXPIRE, ks.initialLru());
      total = argv[2].length;
    } else {
      if (Entries.type(e) != ValueType.STRING) {
        c.error(Errors.WRONGTYPE);
        return;
      }
      if (!checkStringLengthOrReply(c, Entries.stringLength(e), argv[2].length)) return;
      StringValue sv = db.unshareString(key);
      long before = sv.memoryUsage();
      sv.append(argv[2]);
      db.adjustUsedBytes(sv.memoryUsage() - before);
      total = sv.length();
    }
    if (e == null) c.server().events().keyCreated(c, db, key);
    c.server().events().written(c, db, key, STRING, "append");
    c.reply().integer(total);
  }

  public static void strlen(Client c, byte[][] argv) {
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    if (Entries.type(e) != ValueType.STRING) {
      c.error(Errors.WRONGTYPE);
      return;
    }
    c.reply().integer(Entries.stringLength(e));
  }

  public static void getrange(Client c, byte[][] argv) {
    if (!Args.isLongOrReply(c, argv[2]) || !Args.isLongOrReply(c, argv[3])) return;
    long start = Args.toLong(argv[2]);
    long end = Args.toLong(argv[3]);
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    if (e == null) {
      c.reply().bulk(EMPTY);
      return;
    }
    if (Entries.type(e) != ValueType.STRING) {
      c.error(Errors.WRONGTYPE);
      return;
    }
    long len = Entries.stringLength(e);
    if (start < 0 && end < 0 && start > end) {
      c.reply().bulk(EMPTY);
      return;
    }
    if (start < 0) start = len + start;
    if (end < 0) end = len + end;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= len) end = len - 1;
    if (start > end || len == 0) {
      c.reply().bulk(EMPTY);
    } else {
      Entries.writeStringRange(e, (int) start, (int) end, c.reply());
    }
  }

  private static final byte[] EMPTY = new byte[0];

  public static void setrange(Client c, byte[][] argv) {
    if (!Args.isLongOrReply(c, argv[2])) return;
    long offset = Args.toLong(argv[2]);
    byte[] value = argv[3];
    if (offset < 0) {
      c.error(Errors.OFFSET_OUT_OF_RANGE);
      return;
    }
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    byte[] key = argv[1];
    Object e = ks.lookupWrite(db, key);
    if (e == null) {
      if (value.length == 0) {
        c.reply().integer(0);
        return;
      }
      if (!checkStringLengthOrReply(c, offset, value.length)) return;
      byte[] fresh = new byte[(int) (offset + value.length)];
      System.arraycopy(value, 0, fresh, (int) offset, value.length);
      db.setString(key, fresh, Entries.ENC_RAW, Database.NO_EXPIRE, ks.initialLru());
      c.server().events().keyCreated(c, db, key);
      c.server().events().written(c, db, key, STRING, "setrange");
      c.reply().integer(fresh.length);
      return;
    }
    if (Entries.type(e) != ValueType.STRING) {
      c.error(Errors.WRONGTYPE);
      return;
    }
    int olen = Entries.stringLength(e);
    if (value.length == 0) {
      c.reply().integer(olen);
      return;
    }
    if (!checkStringLengthOrReply(c, offset, value.length)) return;
    StringValue sv = db.unshareString(key);
    long before = sv.memoryUsage();
    sv.setRange((int) offset, value);
    db.adjustUsedBytes(sv.memoryUsage() - before);
    c.server().events().written(c, db, key, STRING, "setrange");
    c.reply().integer(sv.length());
  }

  public static void substr(Client c, byte[][] argv) {
    getrange(c, argv);
  }

  // ---- LCS

  public static void lcs(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Object ea = ks.lookupRead(c.db(), argv[1], c.noTouch());
    Object eb = ks.lookupRead(c.db(), argv[2], c.noTouch());
    if ((ea != null && Entries.type(ea) != ValueType.STRING)
        || (eb != null && Entries.type(eb) != ValueType.STRING)) {
      c.error("ERR The specified keys must contain string values");
      return;
    }
    byte[] a = ea == null ? EMPTY : Entries.stringValue(ea);
    byte[] b = eb == null ? EMPTY : Entries.stringValue(eb);
    boolean getLen = false;
    boolean getIdx = false;
    boolean withMatchLen = false;
    long minMatchLen = 0;
    for (int j = 3; j < argv.length; j++) {
      int moreArgs = argv.length - 1 - j;
      if (Args.is(argv[j], "idx")) {
        getIdx = true;
      } else if (Args.is(argv[j], "len")) {
        getLen = true;
      } else if (Args.is(argv[j], "withmatchlen")) {
        withMatchLen = true;
      } else if (Args.is(argv[j], "minmatchlen") && moreArgs > 0) {
        if (!Args.isLongOrReply(c, argv[j + 1])) return;
        minMatchLen = Math.max(0, Args.toLong(argv[j + 1]));
        j++;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    if (getLen && getIdx) {
      c.error("ERR If you want both the length and indexes, please just use IDX.");
      return;
    }
    Lcs.reply(c, a, b, getLen, getIdx, withMatchLen, minMatchLen);
  }
}
