package io.redstart.command.hll;

import static io.redstart.config.KeyspaceEventFlags.STRING;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.config.ConfigParams;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.KeyspaceEvents;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import io.redstart.store.StringValue;
import io.redstart.types.ValueType;
import io.redstart.types.hll.HyperLogLog;
import java.nio.charset.StandardCharsets;

/**
 * The HyperLogLog commands of Redis 7.0 (hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG and
 * PFSELFTEST. Values are strings in Redis's exact HLL layout ({@link HyperLogLog}); a string that
 * is not one replies "WRONGTYPE Key is not a valid HyperLogLog string value.", and a sparse value
 * whose opcodes do not add up replies "INVALIDOBJ Corrupted HLL object detected".
 *
 * <p>Handlers run on the keyspace thread, as every handler.
 */
public final class HyperLogLogCommands {
  private HyperLogLogCommands() {}

  private static long sparseMaxBytes(Client c) {
    return c.server().config().getLong(ConfigParams.HLL_SPARSE_MAX_BYTES);
  }

  /**
   * isHLLObjectOrReply: true when the entry is a string holding an HLL; otherwise replies
   * WRONGTYPE (the plain one for another type, the HyperLogLog one for a foreign string).
   */
  private static boolean isHllOrReply(Client c, Object e) {
    if (Entries.type(e) != ValueType.STRING) {
      c.error(Errors.WRONGTYPE);
      return false;
    }
    if (Entries.stringEncoding(e) == Entries.ENC_INT
        || !HyperLogLog.isValid(
            Entries.stringArray(e), Entries.stringOffset(e), Entries.stringLength(e))) {
      c.error(Errors.HLL_WRONGTYPE);
      return false;
    }
    return true;
  }

  /** Creates {@code key} holding an empty HLL (sparse, raw encoding) and fires "new". */
  private static StringValue create(Client c, Database db, byte[] key) {
    Keyspace ks = c.server().keyspace();
    StringValue v = new StringValue(HyperLogLog.create());
    db.setValue(key, ValueType.STRING, Entries.ENC_RAW, v, Database.NO_EXPIRE, ks.initialLru());
    c.server().events().keyCreated(c, db, key);
    return v;
  }

  /**
   * PFADD key [element ...]: replies 1 when the key was created or a register changed, else 0.
   * Each change counts once in the dirty count, and the cached cardinality is invalidated.
   */
  public static void pfadd(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    byte[] key = argv[1];
    Object e = ks.lookupWrite(db, key);
    int updated = 0;
    StringValue v;
    if (e == null) {
      v = create(c, db, key);
      updated++;
    } else {
      if (!isHllOrReply(c, e)) return;
      v = db.unshareString(key);
    }
    long memory = v.memoryUsage();
    long sparseMax = sparseMaxBytes(c);
    for (int j = 2; j < argv.length; j++) {
      int result = HyperLogLog.add(v, argv[j], sparseMax);
      if (result == 1) {
        updated++;
      } else if (result < 0) {
        db.adjustUsedBytes(v.memoryUsage() - memory);
        c.error(Errors.HLL_INVALIDOBJ);
        return;
      }
    }
    db.adjustUsedBytes(v.memoryUsage() - memory);
    if (updated > 0) {
      KeyspaceEvents events = c.server().events();
      events.signalModified(c, db, key);
      events.notify(STRING, "pfadd", key, db.id());
      c.server().incrDirty(updated);
      HyperLogLog.invalidateCache(v.mutableArray(), 0);
    }
    c.reply().integer(updated > 0 ? 1 : 0);
  }

  /**
   * PFCOUNT key [key ...]. One key: the cached cardinality, or a fresh estimate that is cached in
   * the value (a change that counts as dirty and is signalled, without a notification). Several
   * keys: the estimate of their union, computed in a temporary register array, nothing cached.
   */
  public static void pfcount(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    if (argv.length > 2) {
      byte[] max = new byte[HyperLogLog.REGISTERS];
      for (int j = 1; j < argv.length; j++) {
        Object e = ks.lookupRead(db, argv[j], c.noTouch());
        if (e == null) continue;
        if (!isHllOrReply(c, e)) return;
        if (!HyperLogLog.merge(
            max, Entries.stringArray(e), Entries.stringOffset(e), Entries.stringLength(e))) {
          c.error(Errors.HLL_INVALIDOBJ);
          return;
        }
      }
      c.reply().integer(HyperLogLog.countRegisters(max));
      return;
    }
    byte[] key = argv[1];
    Object e = ks.lookupRead(db, key, c.noTouch());
    if (e == null) {
      c.reply().integer(0);
      return;
    }
    if (!isHllOrReply(c, e)) return;
    StringValue v = db.unshareString(key);
    byte[] a = v.mutableArray();
    if (HyperLogLog.isCacheValid(a, 0)) {
      c.reply().integer(HyperLogLog.cachedCardinality(a, 0));
      return;
    }
    long card = HyperLogLog.count(a, 0, v.length());
    if (card < 0) {
      c.error(Errors.HLL_INVALIDOBJ);
      return;
    }
    HyperLogLog.setCachedCardinality(a, 0, card);
    c.server().events().signalModified(c, db, key);
    c.server().incrDirty(1);
    c.reply().integer(card);
  }

  /**
   * PFMERGE destkey [sourcekey ...]: the register-wise maximum of every key given (the
   * destination included) is written into the destination, created sparse when missing and
   * turned dense first when any input is dense. Fires "pfadd", as Redis does.
   */
  public static void pfmerge(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    byte[] max = new byte[HyperLogLog.REGISTERS];
    boolean useDense = false;
    for (int j = 1; j < argv.length; j++) {
      Object e = ks.lookupRead(db, argv[j], c.noTouch());
      if (e == null) continue;
      if (!isHllOrReply(c, e)) return;
      byte[] a = Entries.stringArray(e);
      int off = Entries.stringOffset(e);
      if (HyperLogLog.encoding(a, off) == HyperLogLog.DENSE) useDense = true;
      if (!HyperLogLog.merge(max, a, off, Entries.stringLength(e))) {
        c.error(Errors.HLL_INVALIDOBJ);
        return;
      }
    }
    byte[] key = argv[1];
    StringValue v =
        ks.lookupWrite(db, key) == null ? create(c, db, key) : db.unshareString(key);
    long memory = v.memoryUsage();
    if (useDense && !HyperLogLog.sparseToDense(v)) {
      c.error(Errors.HLL_INVALIDOBJ);
      return;
    }
    long sparseMax = sparseMaxBytes(c);
    for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
      if (max[j] != 0) HyperLogLog.set(v, j, max[j], sparseMax);
    }
    HyperLogLog.invalidateCache(v.mutableArray(), 0);
    db.adjustUsedBytes(v.memoryUsage() - memory);
    c.server().events().written(c, db, key, STRING, "pfadd");
    c.reply().ok();
  }

  /**
   * PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. GETREG and TODENSE turn a sparse value dense and
   * count as a change (for propagation) without signalling it, as Redis.
   */
  public static void pfdebug(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    byte[] key = argv[2];
    Object e = ks.lookupWrite(db, key);
    if (e == null) {
      c.error(Errors.PFDEBUG_NO_KEY);
      return;
    }
    if (!isHllOrReply(c, e)) return;
    StringValue v = db.unshareString(key);
    byte[] sub = argv[1];
    if (Args.isCString(sub, "getreg")) {
      if (HyperLogLog.encoding(v.mutableArray(), 0) == HyperLogLog.SPARSE) {
        if (!toDenseOrReply(c, db, v)) return;
        c.server().incrDirty(1);
      }
      int[] registers = HyperLogLog.registers(v.mutableArray(), 0, v.length());
      RespWriter w = c.reply();
      w.array(registers.length);
      for (int r : registers) w.integer(r);
    } else if (Args.isCString(sub, "decode")) {
      if (HyperLogLog.encoding(v.mutableArray(), 0) != HyperLogLog.SPARSE) {
        c.error(Errors.HLL_NOT_SPARSE);
        return;
      }
      c.reply().bulk(HyperLogLog.decode(v.mutableArray(), 0, v.length()));
    } else if (Args.isCString(sub, "encoding")) {
      boolean dense = HyperLogLog.encoding(v.mutableArray(), 0) == HyperLogLog.DENSE;
      c.reply().simple(dense ? "dense" : "sparse");
    } else if (Args.isCString(sub, "todense")) {
      boolean converted = false;
      if (HyperLogLog.encoding(v.mutableArray(), 0) == HyperLogLog.SPARSE) {
        if (!toDenseOrReply(c, db, v)) return;
        converted = true;
        c.server().incrDirty(1);
      }
      c.reply().integer(converted ? 1 : 0);
    } else {
      int n = 0;
      while (n < sub.length && sub[n] != 0) n++;
      c.error(
          "ERR Unknown PFDEBUG subcommand '"
              + new String(sub, 0, n, StandardCharsets.ISO_8859_1)
              + "'");
    }
  }

  private static boolean toDenseOrReply(Client c, Database db, StringValue v) {
    long memory = v.memoryUsage();
    if (!HyperLogLog.sparseToDense(v)) {
      c.error(Errors.HLL_INVALIDOBJ);
      return false;
    }
    db.adjustUsedBytes(v.memoryUsage() - memory);
    return true;
  }

  /** PFSELFTEST: Redis's self test of the registers and the estimator; +OK or TESTFAILED. */
  public static void pfselftest(Client c, byte[][] argv) {
    String failure =
        HyperLogLog.selfTest(c.server().keyspace().random(), sparseMaxBytes(c));
    if (failure == null) {
      c.reply().ok();
    } else {
      c.error(failure);
    }
  }
}
