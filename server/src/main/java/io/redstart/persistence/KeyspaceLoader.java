package io.redstart.persistence;

import io.redstart.command.string.StringCommands;
import io.redstart.config.Config;
import io.redstart.config.ConfigParams;
import io.redstart.persistence.rdb.RdbException;
import io.redstart.persistence.rdb.RdbLoader;
import io.redstart.persistence.rdb.RdbValue;
import io.redstart.persistence.rdb.TypeAdapter;
import io.redstart.persistence.rdb.TypeAdapters;
import io.redstart.server.Log;
import io.redstart.store.Database;
import io.redstart.store.Keyspace;
import io.redstart.store.Lfu;
import io.redstart.types.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Fills the keyspace from an RDB file or payload, as rdbLoadRio does after reading each key: keys
 * already expired are dropped on a master (not in an AOF base, whose log assumes them), duplicates
 * are fatal unless allowed (DEBUG RELOAD MERGE), LRU idle times and LFU counters are restored for
 * the policy in force, and the aux fields are logged with Redis's lines.
 *
 * <p>Keyspace thread only.
 */
final class KeyspaceLoader implements RdbLoader.Handler {
  private final Keyspace ks;
  private final Config config;
  private final Log log;
  private final Persistence.FunctionLibraries functions;
  private final boolean aofBase;
  private final boolean allowDuplicates;
  private final boolean expireOnLoad;
  private final boolean lfu;
  private final long now;
  private final int lruClock;
  private Database db;
  long keysLoaded;
  long keysExpired;
  long emptyKeysSkipped;
  /** repl-id / repl-offset / repl-stream-db of the file, for replication to pick up. */
  String replId;
  long replOffset = -1;
  int replStreamDb = -1;

  KeyspaceLoader(
      Keyspace ks,
      Config config,
      Log log,
      Persistence.FunctionLibraries functions,
      boolean aofBase,
      boolean allowDuplicates) {
    this.ks = ks;
    this.config = config;
    this.log = log;
    this.functions = functions;
    this.aofBase = aofBase;
    this.allowDuplicates = allowDuplicates;
    this.expireOnLoad = !ks.isReplica() && !aofBase;
    this.lfu = config.getEnum(ConfigParams.MAXMEMORY_POLICY).endsWith("-lfu");
    this.now = ks.clock().millis();
    this.lruClock = ks.lruClock();
    this.db = ks.db(0);
  }

  @Override
  public void aux(String name, String value) {
    if (!name.isEmpty() && name.charAt(0) == '%') {
      log.notice("RDB '" + name + "': " + value);
      return;
    }
    switch (name.toLowerCase(Locale.ROOT)) {
      case "repl-stream-db" -> replStreamDb = (int) strtoll(value);
      case "repl-id" -> {
        if (value.length() == 40) replId = value;
      }
      case "repl-offset" -> replOffset = strtoll(value);
      case "redis-ver" -> log.notice("Loading RDB produced by version " + value);
      case "ctime" -> {
        long age = System.currentTimeMillis() / 1000 - strtoll(value);
        log.notice("RDB age " + Math.max(0, age) + " seconds");
      }
      case "used-mem" -> log.notice(String.format(Locale.ROOT,
          "RDB memory usage when created %.2f Mb", strtoll(value) / (1024.0 * 1024.0)));
      case "aof-preamble" -> {
        if (strtoll(value) != 0) log.notice("RDB has an AOF tail");
      }
      case "aof-base" -> {
        if (strtoll(value) != 0) log.notice("RDB is base AOF");
      }
      default -> log.debug("Unrecognized RDB AUX field: '" + name + "'");
    }
  }

  /** C's strtoll prefix: leading digits with an optional sign; 0 when none. */
  private static long strtoll(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    boolean neg = false;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) neg = s.charAt(i++) == '-';
    long v = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) v = v * 10 + (s.charAt(i++) - '0');
    return neg ? -v : v;
  }

  @Override
  public void selectDb(long index) throws RdbException {
    if (index < 0 || index >= ks.databases()) {
      throw new RdbException(
          RdbException.Kind.UNSUPPORTED,
          "FATAL: Data file was created with a Redis server configured to handle more than "
              + ks.databases()
              + " databases. Exiting\n",
          -1);
    }
    db = ks.db((int) index);
  }

  @Override
  public void function(byte[] code) throws RdbException {
    if (functions == null) {
      log.warning("Skipping a function library: this server has no function support");
      return;
    }
    try {
      functions.load(code, allowDuplicates);
    } catch (Exception e) {
      throw new RdbException(RdbException.Kind.CORRUPT, "Failed loading library, " + e.getMessage(), -1);
    }
  }

  @Override
  public void emptyKey(byte[] key) {
    if (emptyKeysSkipped++ < 10) {
      log.warning("rdbLoadObject skipping empty key: " + new String(key, StandardCharsets.ISO_8859_1));
    }
  }

  @Override
  public void key(byte[] key, RdbValue value, long expireAt, long lruIdle, int lfuFreq)
      throws RdbException {
    if (expireOnLoad && expireAt != -1 && expireAt < now) {
      keysExpired++;
      return;
    }
    // A duplicate replaces the key it repeats (what MERGE wants); the size tells, without a
    // second lookup per key.
    long before = db.size();
    store(db, key, value, expireAt == -1 ? Database.NO_EXPIRE : expireAt,
        lruOf(ks, lfu, now, lruClock, lruIdle, lfuFreq), config);
    if (db.size() == before && !allowDuplicates) {
      log.warning("RDB has duplicated key '" + new String(key, StandardCharsets.ISO_8859_1)
          + "' in DB " + db.id());
      throw new RdbException(RdbException.Kind.CORRUPT, "Duplicated key found in RDB file", -1);
    }
    keysLoaded++;
  }

  /**
   * Adds {@code key} (absent) with a value read from RDB: a string with the encoding Redis would
   * give it, a collection built by its type's adapter. Throws when this server has no such type.
   */
  static void store(Database db, byte[] key, RdbValue value, long expireAt, int lru, Config config)
      throws RdbException {
    if (value instanceof RdbValue.Str s) {
      byte[] bytes = s.bytes();
      db.setString(key, bytes, StringCommands.encodingFor(bytes), expireAt, lru);
      return;
    }
    ValueType type = TypeAdapters.valueTypeOf(value.rdbType());
    TypeAdapter a = type == null ? null : TypeAdapters.of(type);
    if (a == null) {
      throw new RdbException(
          RdbException.Kind.UNSUPPORTED,
          "The RDB file contains a " + (type == null ? "value" : type.typeName)
              + " (RDB type " + value.rdbType() + ") that this server cannot hold",
          -1);
    }
    db.setValue(key, type, 0, a.build(value, config), expireAt, lru);
  }

  /** objectSetLRUOrLFU: the LRU/LFU field a loaded key starts with. */
  static int lruOf(Keyspace ks, boolean lfu, long now, int lruClock, long lruIdle, int lfuFreq) {
    if (lfu) {
      if (lfuFreq >= 0) return (Lfu.timeInMinutes(now) << 8) | lfuFreq;
    } else if (lruIdle >= 0) {
      long abs = lruClock - lruIdle;
      if (abs < 0) abs += Keyspace.LRU_CLOCK_MAX;
      return (int) (abs & Keyspace.LRU_CLOCK_MAX);
    }
    return ks.initialLru();
  }

  /** Redis's closing line of a load. */
  void logDone() {
    if (emptyKeysSkipped > 0) {
      log.warning("Done loading RDB, keys loaded: " + keysLoaded + ", keys expired: " + keysExpired
          + ", empty keys skipped: " + emptyKeysSkipped + ".");
    } else {
      log.notice("Done loading RDB, keys loaded: " + keysLoaded + ", keys expired: " + keysExpired + ".");
    }
  }
}
