package io.redstart.command.keys;

import static io.redstart.config.KeyspaceEventFlags.GENERIC;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.command.Replies;
import io.redstart.config.ConfigParams;
import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.KeyspaceEvents;
import io.redstart.store.Database;
import io.redstart.store.Encoded;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import io.redstart.types.ValueType;
import io.redstart.util.Glob;
import java.util.ArrayList;
import java.util.List;

/**
 * Generic key commands of Redis 7.0 (db.c, expire.c, object.c): deletion, existence, type,
 * renaming and moving, copying, iteration (KEYS, SCAN, RANDOMKEY), expiry, OBJECT.
 */
public final class KeyCommands {
  private KeyCommands() {}

  private static final byte[] DEL_NAME = Args.bytes("DEL");
  private static final byte[] PEXPIREAT_NAME = Args.bytes("PEXPIREAT");

  // ---- DEL, UNLINK, EXISTS, TYPE, TOUCH

  public static void del(Client c, byte[][] argv) {
    delGeneric(c, argv);
  }

  public static void unlink(Client c, byte[][] argv) {
    delGeneric(c, argv);
  }

  private static void delGeneric(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    KeyspaceEvents ev = c.server().events();
    long deleted = 0;
    for (int j = 1; j < argv.length; j++) {
      ks.lookupQuiet(db, argv[j]); // expire it first if due, as expireIfNeeded
      if (db.remove(argv[j]) != null) {
        ev.written(c, db, argv[j], GENERIC, "del");
        deleted++;
      }
    }
    c.reply().integer(deleted);
  }

  public static void exists(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    long count = 0;
    for (int j = 1; j < argv.length; j++) {
      if (ks.lookupRead(c.db(), argv[j], true) != null) count++;
    }
    c.reply().integer(count);
  }

  public static void type(Client c, byte[][] argv) {
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], true);
    c.reply().simple(e == null ? "none" : Entries.type(e).typeName);
  }

  public static void touch(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    long touched = 0;
    for (int j = 1; j < argv.length; j++) {
      if (ks.lookupRead(c.db(), argv[j], c.noTouch()) != null) touched++;
    }
    c.reply().integer(touched);
  }

  // ---- RENAME, RENAMENX, MOVE, COPY

  public static void rename(Client c, byte[][] argv) {
    renameGeneric(c, argv, false);
  }

  public static void renamenx(Client c, byte[][] argv) {
    renameGeneric(c, argv, true);
  }

  private static void renameGeneric(Client c, byte[][] argv, boolean nx) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    byte[] src = argv[1];
    byte[] dst = argv[2];
    boolean sameKey = java.util.Arrays.equals(src, dst);
    Object e = ks.lookupWrite(db, src);
    if (e == null) {
      c.error(Errors.NO_SUCH_KEY);
      return;
    }
    if (sameKey) {
      if (nx) {
        c.reply().integer(0);
      } else {
        c.reply().ok();
      }
      return;
    }
    long expire = Entries.expireAt(e);
    if (ks.lookupWrite(db, dst) != null) {
      if (nx) {
        c.reply().integer(0);
        return;
      }
      db.remove(dst);
    }
    db.addEntry(dst, e, expire, false);
    KeyspaceEvents ev = c.server().events();
    ev.keyCreated(c, db, dst);
    db.remove(src);
    ev.signalModified(c, db, src);
    ev.signalModified(c, db, dst);
    ev.notify(GENERIC, "rename_from", src, db.id());
    ev.notify(GENERIC, "rename_to", dst, db.id());
    c.server().incrDirty(1);
    if (nx) {
      c.reply().integer(1);
    } else {
      c.reply().ok();
    }
  }

  /** The database index argument: an int, in range; else replies and returns -1. */
  private static int dbIndexOrReply(Client c, byte[] arg) {
    if (!Numbers.isLong(arg)) {
      c.error(Errors.NOT_AN_INTEGER);
      return -1;
    }
    long id = Numbers.parseLong(arg);
    if (id < Integer.MIN_VALUE || id > Integer.MAX_VALUE) {
      c.error(Errors.NOT_AN_INTEGER);
      return -1;
    }
    if (id < 0 || id >= c.server().keyspace().databases()) {
      c.error(Errors.DB_INDEX_OUT_OF_RANGE);
      return -1;
    }
    return (int) id;
  }

  public static void move(Client c, byte[][] argv) {
    if (c.server().config().getBool(ConfigParams.CLUSTER_ENABLED)) {
      c.error(Errors.MOVE_IN_CLUSTER);
      return;
    }
    int dbid = dbIndexOrReply(c, argv[2]);
    if (dbid < 0) return;
    Keyspace ks = c.server().keyspace();
    Database src = c.db();
    Database dst = ks.db(dbid);
    if (src == dst) {
      c.error(Errors.SAME_OBJECT);
      return;
    }
    byte[] key = argv[1];
    Object e = ks.lookupWrite(src, key);
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    long expire = Entries.expireAt(e);
    if (ks.lookupWrite(dst, key) != null) {
      c.reply().integer(0);
      return;
    }
    dst.addEntry(key, e, expire, false);
    KeyspaceEvents ev = c.server().events();
    ev.keyCreated(c, dst, key);
    src.remove(key);
    ev.signalModified(c, src, key);
    ev.signalModified(c, dst, key);
    ev.notify(GENERIC, "move_from", key, src.id());
    ev.notify(GENERIC, "move_to", key, dst.id());
    c.server().incrDirty(1);
    c.reply().integer(1);
  }

  public static void copy(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Database src = c.db();
    Database dst = c.db();
    boolean replace = false;
    for (int j = 3; j < argv.length; j++) {
      int additional = argv.length - j - 1;
      if (Args.is(argv[j], "replace")) {
        replace = true;
      } else if (Args.is(argv[j], "db") && additional >= 1) {
        int dbid = dbIndexOrReply(c, argv[j + 1]);
        if (dbid < 0) return;
        dst = ks.db(dbid);
        j++;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    if (c.server().config().getBool(ConfigParams.CLUSTER_ENABLED)
        && (src.id() != 0 || dst.id() != 0)) {
      c.error(Errors.COPY_IN_CLUSTER);
      return;
    }
    byte[] key = argv[1];
    byte[] newKey = argv[2];
    if (src == dst && java.util.Arrays.equals(key, newKey)) {
      c.error(Errors.SAME_OBJECT);
      return;
    }
    Object e = ks.lookupRead(src, key, c.noTouch());
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    long expire = Entries.expireAt(e);
    boolean delete = false;
    if (ks.lookupWrite(dst, newKey) != null) {
      if (!replace) {
        c.reply().integer(0);
        return;
      }
      delete = true;
    }
    if (delete) dst.remove(newKey);
    dst.addEntry(newKey, e, expire, true);
    KeyspaceEvents ev = c.server().events();
    ev.keyCreated(c, dst, newKey);
    ev.signalModified(c, dst, newKey);
    ev.notify(GENERIC, "copy_to", newKey, dst.id());
    c.server().incrDirty(1);
    c.reply().integer(1);
  }

  // ---- KEYS, SCAN, RANDOMKEY

  public static void keys(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    byte[] pattern = argv[1];
    boolean all = pattern.length == 1 && pattern[0] == '*';
    List<byte[]> out = new ArrayList<>();
    for (int s = db.nextNonEmptySlot(0); s >= 0; s = db.nextNonEmptySlot(s + 1)) {
      for (Object e : db.slotEntries(s)) {
        byte[] key = Entries.key(e);
        if ((all || Glob.matches(pattern, key, false)) && !ks.isExpired(e)) out.add(key);
      }
    }
    RespWriter w = c.reply();
    w.array(out.size());
    for (byte[] k : out) w.bulk(k);
  }

  /** Parses a SCAN cursor as strtoul does (unsigned 64-bit decimal); replies and returns false. */
  public static boolean isCursorOrReply(Client c, byte[] arg) {
    if (parseCursor(arg) == null) {
      c.error(Errors.INVALID_CURSOR);
      return false;
    }
    return true;
  }

  /**
   * A cursor as Redis's strtoul accepts it: optional leading '+' or '-', decimal digits, no
   * whitespace first, nothing after, within 64 unsigned bits ("-1" wraps as strtoul does).
   */
  public static Long parseCursor(byte[] arg) {
    String s = Args.str(arg);
    if (s.isEmpty()) return 0L;
    char first = s.charAt(0);
    if (first == ' ' || (first >= '\t' && first <= '\r')) return null;
    boolean neg = false;
    int i = 0;
    if (first == '+' || first == '-') {
      neg = first == '-';
      i = 1;
    }
    if (i == s.length()) return null; // strtoul("-") converts nothing: the sign is left over
    String digits = s.substring(i);
    for (int k = 0; k < digits.length(); k++) {
      char ch = digits.charAt(k);
      if (ch < '0' || ch > '9') return null;
    }
    try {
      long v = Long.parseUnsignedLong(digits);
      return neg ? -v : v;
    } catch (NumberFormatException e) {
      return null; // ERANGE
    }
  }

  public static void scan(Client c, byte[][] argv) {
    Long cursorValue = parseCursor(argv[1]);
    if (cursorValue == null) {
      c.error(Errors.INVALID_CURSOR);
      return;
    }
    long count = 10;
    byte[] pattern = null;
    String typeName = null;
    for (int i = 2; i < argv.length; ) {
      int j = argv.length - i;
      if (Args.is(argv[i], "count") && j >= 2) {
        if (!Args.isLongOrReply(c, argv[i + 1])) return;
        count = Args.toLong(argv[i + 1]);
        if (count < 1) {
          c.error(Errors.SYNTAX);
          return;
        }
        i += 2;
      } else if (Args.is(argv[i], "match") && j >= 2) {
        pattern = argv[i + 1];
        if (pattern.length == 1 && pattern[0] == '*') pattern = null;
        i += 2;
      } else if (Args.is(argv[i], "type") && j >= 2) {
        typeName = Args.str(argv[i + 1]);
        i += 2;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    List<byte[]> keys = new ArrayList<>();
    long cursor = cursorValue;
    long maxIterations = count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
    if (db.size() > 0) {
      do {
        cursor = db.scan(cursor, e -> keys.add(Entries.key(e)));
      } while (cursor != 0 && maxIterations-- > 0 && keys.size() < count);
    } else {
      cursor = 0;
    }
    RespWriter w = c.reply();
    List<byte[]> out = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      if (pattern != null && !Glob.matches(pattern, key, false)) continue;
      if (typeName != null) {
        Object e = ks.lookupRead(db, key, true);
        String t = e == null ? "none" : Entries.type(e).typeName;
        if (!t.equalsIgnoreCase(typeName)) continue;
      }
      Object e = db.find(key);
      if (e == null || ks.expireIfNeeded(db, key, e)) continue;
      out.add(key);
    }
    w.array(2);
    w.bulk(Long.toUnsignedString(cursor));
    w.array(out.size());
    for (byte[] k : out) w.bulk(k);
  }

  public static void randomkey(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    // Like Redis: skip expired keys (deleting them), give up after too many tries when every key
    // has an expiry (a replica cannot delete them).
    int maxTries = 100;
    while (true) {
      Object e = db.randomEntry(ks.random());
      if (e == null) {
        c.reply().nullBulk();
        return;
      }
      byte[] key = Entries.key(e);
      if (ks.isExpired(e)) {
        if (ks.isReplica() && db.volatileCount() == db.size() && --maxTries == 0) {
          c.reply().bulk(key);
          return;
        }
        ks.expireIfNeeded(db, key, e);
        continue;
      }
      c.reply().bulk(key);
      return;
    }
  }

  // ---- expiry

  public static void expire(Client c, byte[][] argv) {
    expireGeneric(c, argv, c.server().keyspace().now(), true);
  }

  public static void pexpire(Client c, byte[][] argv) {
    expireGeneric(c, argv, c.server().keyspace().now(), false);
  }

  public static void expireat(Client c, byte[][] argv) {
    expireGeneric(c, argv, 0, true);
  }

  public static void pexpireat(Client c, byte[][] argv) {
    expireGeneric(c, argv, 0, false);
  }

  private static final int E_NX = 1;
  private static final int E_XX = 2;
  private static final int E_GT = 4;
  private static final int E_LT = 8;

  private static void expireGeneric(Client c, byte[][] argv, long basetime, boolean seconds) {
    int flags = 0;
    for (int j = 3; j < argv.length; j++) {
      if (Args.is(argv[j], "nx")) {
        flags |= E_NX;
      } else if (Args.is(argv[j], "xx")) {
        flags |= E_XX;
      } else if (Args.is(argv[j], "gt")) {
        flags |= E_GT;
      } else if (Args.is(argv[j], "lt")) {
        flags |= E_LT;
      } else {
        c.error(Errors.unsupportedOption(cString(argv[j])));
        return;
      }
    }
    if ((flags & E_NX) != 0 && (flags & (E_XX | E_GT | E_LT)) != 0) {
      c.error(Errors.NX_XX_GT_LT);
      return;
    }
    if ((flags & E_GT) != 0 && (flags & E_LT) != 0) {
      c.error(Errors.GT_LT);
      return;
    }
    if (!Args.isLongOrReply(c, argv[2])) return;
    long when = Args.toLong(argv[2]);
    String name = c.currentCommand().fullName;
    if (seconds) {
      if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
        c.error(Errors.invalidExpireTime(name));
        return;
      }
      when *= 1000;
    }
    if (when > Long.MAX_VALUE - basetime) {
      c.error(Errors.invalidExpireTime(name));
      return;
    }
    when += basetime;
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    byte[] key = argv[1];
    Object e = ks.lookupWrite(db, key);
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    if (flags != 0) {
      long current = Entries.expireAt(e);
      if ((flags & E_NX) != 0 && current != -1) {
        c.reply().integer(0);
        return;
      }
      if ((flags & E_XX) != 0 && current == -1) {
        c.reply().integer(0);
        return;
      }
      if ((flags & E_GT) != 0 && (when <= current || current == -1)) {
        c.reply().integer(0);
        return;
      }
      if ((flags & E_LT) != 0 && current != -1 && when >= current) {
        c.reply().integer(0);
        return;
      }
    }
    KeyspaceEvents ev = c.server().events();
    if (when <= ks.now() && !ks.isReplica() && !c.server().isLoading()) {
      db.remove(key);
      c.server().dispatcher().propagateAs(new byte[][] {DEL_NAME, key});
      ev.written(c, db, key, GENERIC, "del");
      c.reply().integer(1);
      return;
    }
    db.setExpire(key, when);
    c.reply().integer(1);
    byte[][] prop = argv.clone();
    prop[0] = PEXPIREAT_NAME;
    prop[2] = Numbers.toBytes(when);
    c.server().dispatcher().propagateAs(prop);
    ev.written(c, db, key, GENERIC, "expire");
  }

  public static void ttl(Client c, byte[][] argv) {
    ttlGeneric(c, argv[1], false, false);
  }

  public static void pttl(Client c, byte[][] argv) {
    ttlGeneric(c, argv[1], true, false);
  }

  public static void expiretime(Client c, byte[][] argv) {
    ttlGeneric(c, argv[1], false, true);
  }

  public static void pexpiretime(Client c, byte[][] argv) {
    ttlGeneric(c, argv[1], true, true);
  }

  private static void ttlGeneric(Client c, byte[] key, boolean ms, boolean abs) {
    Keyspace ks = c.server().keyspace();
    Object e = ks.lookupRead(c.db(), key, true);
    if (e == null) {
      c.reply().integer(-2);
      return;
    }
    long expire = Entries.expireAt(e);
    if (expire == -1) {
      c.reply().integer(-1);
      return;
    }
    long ttl = abs ? expire : expire - ks.now();
    if (ttl < 0) ttl = 0;
    // (ttl + 500) / 1000 without overflowing near Long.MAX_VALUE, as Redis's compiler computes it.
    c.reply().integer(ms ? ttl : ttl / 1000 + (ttl % 1000 + 500) / 1000);
  }

  public static void persist(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    Object e = ks.lookupWrite(db, argv[1]);
    if (e == null || !Entries.hasExpire(e)) {
      c.reply().integer(0);
      return;
    }
    db.setExpire(argv[1], Database.NO_EXPIRE);
    c.server().events().written(c, db, argv[1], GENERIC, "persist");
    c.reply().integer(1);
  }

  // ---- OBJECT

  public static void objectHelp(Client c, byte[][] argv) {
    Replies.help(c, argv[0],
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.");
  }

  /** The entry of OBJECT's key without touching it, or null after replying null. */
  private static Object objectLookupOrReply(Client c, byte[] key) {
    Object e = c.server().keyspace().lookupReadNoNotify(c.db(), key, true);
    if (e == null) c.reply().nullBulk();
    return e;
  }

  public static void objectEncoding(Client c, byte[][] argv) {
    Object e = objectLookupOrReply(c, argv[2]);
    if (e == null) return;
    c.reply().bulk(encodingName(e));
  }

  /** What OBJECT ENCODING answers for an entry. */
  public static String encodingName(Object e) {
    if (Entries.type(e) == ValueType.STRING) {
      return switch (Entries.stringEncoding(e)) {
        case Entries.ENC_INT -> "int";
        case Entries.ENC_RAW -> "raw";
        default -> "embstr";
      };
    }
    Object v = Entries.boxedValue(e);
    return v instanceof Encoded enc ? enc.encodingName() : "unknown";
  }

  public static void objectRefcount(Client c, byte[][] argv) {
    Object e = objectLookupOrReply(c, argv[2]);
    if (e == null) return;
    c.reply().integer(refcount(c, e));
  }

  /** What OBJECT REFCOUNT reports: Redis's shared integers 0..9999 report INT_MAX. */
  public static long refcount(Client c, Object e) {
    return isSharedInteger(c, e) && !Entries.isUnshared(e) ? Integer.MAX_VALUE : 1;
  }

  /** Whether Redis would hold this value as one of its shared integers 0..9999. */
  private static boolean isSharedInteger(Client c, Object e) {
    if (Entries.type(e) != ValueType.STRING || Entries.stringEncoding(e) != Entries.ENC_INT) {
      return false;
    }
    String policy = c.server().config().getEnum(ConfigParams.MAXMEMORY_POLICY);
    boolean noShared = c.server().config().getLong(ConfigParams.MAXMEMORY) != 0
        && (policy.endsWith("lru") || policy.endsWith("lfu"));
    if (noShared) return false;
    long v = Numbers.parseLong(Entries.stringValue(e));
    return v >= 0 && v < 10000;
  }

  public static void objectIdletime(Client c, byte[][] argv) {
    Object e = objectLookupOrReply(c, argv[2]);
    if (e == null) return;
    Keyspace ks = c.server().keyspace();
    if (ks.lfu()) {
      c.error(Errors.LFU_SELECTED);
      return;
    }
    c.reply().integer(ks.idleMillis(e) / 1000);
  }

  public static void objectFreq(Client c, byte[][] argv) {
    Object e = objectLookupOrReply(c, argv[2]);
    if (e == null) return;
    Keyspace ks = c.server().keyspace();
    if (!ks.lfu()) {
      c.error(Errors.LFU_NOT_SELECTED);
      return;
    }
    c.reply().integer(io.redstart.store.Lfu.decrAndReturn(Entries.lru(e), ks.now(), ks.lfuDecayTime()));
  }

  /** The argument as C would print it: up to its first NUL byte. */
  private static String cString(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) n++;
    return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
