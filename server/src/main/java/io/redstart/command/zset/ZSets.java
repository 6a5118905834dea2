package io.redstart.command.zset;

import static io.redstart.config.KeyspaceEventFlags.GENERIC;
import static io.redstart.config.KeyspaceEventFlags.ZSET;

import io.redstart.command.Errors;
import io.redstart.config.ConfigParams;
import io.redstart.resp.Numbers;
import io.redstart.server.Client;
import io.redstart.server.KeyspaceEvents;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import io.redstart.types.ValueType;
import io.redstart.types.zset.ZSetValue;
import io.redstart.util.Doubles;

/**
 * Helpers shared by the sorted-set and geo handlers: argument parsing with Redis's messages, type
 * checks, the encoding limits in force, and the epilogues that store or delete a result key.
 * Methods ending in {@code OrReply} have replied with the error when they fail.
 *
 * <p>Used on the keyspace thread only.
 */
public final class ZSets {
  private ZSets() {}

  /** The encoding thresholds of the configuration, read now (CONFIG SET applies at once). */
  public static ZSetValue.Limits limits(Client c) {
    return new ZSetValue.Limits(
        c.server().config().getLong(ConfigParams.ZSET_MAX_LISTPACK_ENTRIES),
        c.server().config().getLong(ConfigParams.ZSET_MAX_LISTPACK_VALUE));
  }

  /**
   * Checks that an entry (possibly null) is a sorted set; replies WRONGTYPE and returns false when
   * it holds another type.
   */
  public static boolean checkTypeOrReply(Client c, Object entry) {
    if (entry != null && Entries.type(entry) != ValueType.ZSET) {
      c.error(Errors.WRONGTYPE);
      return false;
    }
    return true;
  }

  /** The sorted set of an entry known to be one, or null for a null entry. */
  public static ZSetValue value(Object entry) {
    return entry == null ? null : (ZSetValue) Entries.boxedValue(entry);
  }

  /** The entry of {@code key} for reading (stats, LRU), or null. */
  public static Object lookupRead(Client c, byte[] key) {
    return c.server().keyspace().lookupRead(c.db(), key, c.noTouch());
  }

  /** The entry of {@code key} for writing (lazy expiry, LRU), or null. */
  public static Object lookupWrite(Client c, byte[] key) {
    return c.server().keyspace().lookupWrite(c.db(), key);
  }

  // ---- numbers

  /**
   * Redis's getLongFromObjectOrReply with an optional message: the value, or null after replying
   * {@code message} (or "value is not an integer or out of range" when it is null).
   */
  public static Long longOrReply(Client c, byte[] arg, String message) {
    if (!Numbers.isLong(arg)) {
      c.error(message != null ? message : Errors.NOT_AN_INTEGER);
      return null;
    }
    return Numbers.parseLong(arg);
  }

  /**
   * Redis's getRangeLongFromObjectOrReply: a value in {@code [min, max]}, or null after replying
   * {@code message}, or Redis's own texts when it is null.
   */
  public static Long rangeLongOrReply(Client c, byte[] arg, long min, long max, String message) {
    Long v = longOrReply(c, arg, message);
    if (v == null) return null;
    if (v < min || v > max) {
      c.error(message != null ? message : Errors.valueOutOfRangeBetween(min, max));
      return null;
    }
    return v;
  }

  /** Redis's getPositiveLongFromObjectOrReply: 0 or more, every failure with one message. */
  public static Long positiveLongOrReply(Client c, byte[] arg, String message) {
    return rangeLongOrReply(
        c, arg, 0, Long.MAX_VALUE, message != null ? message : Errors.OUT_OF_RANGE_POSITIVE);
  }

  /**
   * Redis's getDoubleFromObjectOrReply (string2d): the value, or NaN after replying {@code message}
   * (or "value is not a valid float" when it is null).
   */
  public static double doubleOrReply(Client c, byte[] arg, String message) {
    double v = Doubles.parse(arg);
    if (Double.isNaN(v)) c.error(message != null ? message : Errors.NOT_A_FLOAT);
    return v;
  }

  // ---- result keys

  /**
   * Stores {@code value} (non-empty) at {@code dst} as Redis's setKey then the command's event:
   * replaces any value of any type, drops the expiry, fires "new" when the key is created, signals
   * the key modified, notifies {@code event} and counts {@code dirty} changes.
   */
  public static void storeResult(Client c, byte[] dst, ZSetValue value, String event, long dirty) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    boolean existed = ks.lookupWrite(db, dst) != null;
    db.setValue(dst, ValueType.ZSET, 0, value, Database.NO_EXPIRE, ks.initialLru());
    KeyspaceEvents ev = c.server().events();
    if (!existed) ev.keyCreated(c, db, dst);
    ev.signalModified(c, db, dst);
    ev.notify(ZSET, event, dst, db.id());
    c.server().incrDirty(dirty);
  }

  /**
   * The epilogue of a store command whose result is empty: deletes {@code dst} if it exists (even
   * logically expired, as Redis's dbDelete), signalling it and notifying "del".
   */
  public static void deleteResult(Client c, byte[] dst) {
    Database db = c.db();
    if (db.remove(dst) != null) {
      KeyspaceEvents ev = c.server().events();
      ev.signalModified(c, db, dst);
      ev.notify(GENERIC, "del", dst, db.id());
      c.server().incrDirty(1);
    }
  }

  /**
   * After removing members from the set at {@code key}: accounts the size change, and deletes the
   * key when the set became empty. Returns whether it was deleted (the caller notifies "del" after
   * its own event, as Redis orders them).
   */
  public static boolean afterRemoval(Client c, byte[] key, ZSetValue z, long bytesBefore) {
    Database db = c.db();
    db.adjustUsedBytes(z.memoryUsage() - bytesBefore);
    if (z.size() > 0) return false;
    db.remove(key);
    return true;
  }
}
