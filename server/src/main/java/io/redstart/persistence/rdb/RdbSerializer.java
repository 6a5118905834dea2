package io.redstart.persistence.rdb;

import io.redstart.config.Config;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import io.redstart.store.Lfu;
import io.redstart.store.StringValue;
import io.redstart.types.ValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes keys and values in RDB form (rdbSaveKeyValuePair, rdbSaveObject and the file framing of
 * rdbSaveRio). An entry is given as its key record and, for boxed values, the value object (null
 * for a string stored inline in the record), so the same code serves live data on the keyspace
 * thread and captured data on a snapshot writer.
 *
 * <p>Stateless; thread-safe as long as the values it reads do not change meanwhile.
 */
public final class RdbSerializer {
  private RdbSerializer() {}

  /**
   * What the key-level opcodes need: whether to save LRU idle times or LFU counters (as the
   * maxmemory-policy says), the clocks to compute them with, and the configuration.
   */
  public record SaveOptions(
      boolean lru, boolean lfu, int lruClock, long nowMillis, int lfuDecayTime, Config config) {

    /** Options for the current policy and time of {@code ks}. */
    public static SaveOptions of(Config config, Keyspace ks) {
      String policy = config.getEnum(io.redstart.config.ConfigParams.MAXMEMORY_POLICY);
      return new SaveOptions(
          policy.endsWith("-lru"),
          policy.endsWith("-lfu"),
          ks.lruClock(),
          ks.now(),
          ks.lfuDecayTime(),
          config);
    }
  }

  /** The RDB type byte of an entry's value (rdbSaveObjectType). */
  public static int rdbType(byte[] record, Object boxed) {
    ValueType t = Entries.type(record);
    if (t == ValueType.STRING) return RdbConstants.TYPE_STRING;
    TypeAdapter a = TypeAdapters.of(t);
    if (a == null || !a.accepts(boxed)) throw new IllegalStateException("Unknown object type " + t);
    return a.rdbType(boxed);
  }

  /** Writes the body of an entry's value (rdbSaveObject): what DUMP and serializedlength cover. */
  public static void writeValue(RdbOutput out, byte[] record, Object boxed, Config config)
      throws IOException {
    ValueType t = Entries.type(record);
    if (t == ValueType.STRING) {
      if (boxed == null) {
        int off = Entries.inlineValueOffset(record);
        out.string(record, off, record.length - off);
      } else {
        StringValue sv = (StringValue) boxed;
        out.string(sv.array(), 0, sv.length());
      }
      return;
    }
    TypeAdapter a = TypeAdapters.of(t);
    if (a == null || !a.accepts(boxed)) throw new IllegalStateException("Unknown object type " + t);
    a.write(boxed, out, config);
  }

  /**
   * Writes one key (rdbSaveKeyValuePair): its expiry, its LRU idle time or LFU counter when the
   * policy keeps them, the type byte, the key and the value.
   */
  public static void writeKeyValue(RdbOutput out, byte[] record, Object boxed, SaveOptions o)
      throws IOException {
    long expire = Entries.expireAt(record);
    if (expire != -1) {
      out.type(RdbConstants.OPCODE_EXPIRETIME_MS);
      out.millis(expire);
    }
    if (o.lru()) {
      out.type(RdbConstants.OPCODE_IDLE);
      out.len(idleMillis(Entries.lru(record), o.lruClock()) / 1000);
    }
    if (o.lfu()) {
      out.type(RdbConstants.OPCODE_FREQ);
      out.writeByte(Lfu.decrAndReturn(Entries.lru(record), o.nowMillis(), o.lfuDecayTime()));
    }
    out.type(rdbType(record, boxed));
    out.string(Entries.key(record));
    writeValue(out, record, boxed, o.config());
  }

  /** estimateObjectIdleTime: milliseconds since {@code lru} on a 24-bit clock of seconds. */
  static long idleMillis(int lru, int lruClock) {
    if (lruClock >= lru) return (long) (lruClock - lru) * 1000;
    return (long) (lruClock + (Keyspace.LRU_CLOCK_MAX - lru)) * 1000;
  }

  /** The file header: signature, version, and the aux fields Redis 7.0 writes first. */
  public static void writeHeader(RdbOutput out, AuxFields aux) throws IOException {
    out.write(("REDIS" + String.format("%04d", RdbConstants.RDB_VERSION)).getBytes(StandardCharsets.US_ASCII));
    out.aux("redis-ver", aux.redisVersion());
    out.aux("redis-bits", "64");
    out.aux("ctime", Long.toString(aux.ctimeSeconds()));
    out.aux("used-mem", Long.toString(aux.usedMemory()));
    if (aux.replId() != null) {
      out.aux("repl-stream-db", Integer.toString(aux.replStreamDb()));
      out.aux("repl-id", aux.replId());
      out.aux("repl-offset", Long.toString(aux.replOffset()));
    }
    out.aux("aof-base", aux.aofBase() ? "1" : "0");
  }

  /** The aux fields of one file; {@code replId} null when there is no replication info. */
  public record AuxFields(
      String redisVersion,
      long ctimeSeconds,
      long usedMemory,
      boolean aofBase,
      String replId,
      long replOffset,
      int replStreamDb) {}

  /** The function libraries, one FUNCTION2 opcode each (rdbSaveFunctions). */
  public static void writeFunctions(RdbOutput out, List<byte[]> libraries) throws IOException {
    for (byte[] code : libraries) {
      out.type(RdbConstants.OPCODE_FUNCTION2);
      out.string(code);
    }
  }

  /** SELECTDB and RESIZEDB before a database's keys. */
  public static void writeDbHeader(RdbOutput out, int db, long size, long expires)
      throws IOException {
    out.type(RdbConstants.OPCODE_SELECTDB);
    out.len(db);
    out.type(RdbConstants.OPCODE_RESIZEDB);
    out.len(size);
    out.len(expires);
  }

  /** EOF and the CRC-64 of everything before it (0 when checksums are off). */
  public static void writeTrailer(RdbOutput out) throws IOException {
    out.type(RdbConstants.OPCODE_EOF);
    long crc = out.crc();
    out.millis(crc);
  }

  /**
   * A DUMP payload: the value's type byte and body, the RDB version (2 bytes LE) and the CRC-64 of
   * all that (8 bytes LE).
   */
  public static byte[] dump(byte[] record, Object boxed, Config config, boolean compression)
      throws IOException {
    RdbOutput out = RdbOutput.inMemory(compression);
    out.type(rdbType(record, boxed));
    writeValue(out, record, boxed, config);
    out.writeByte(RdbConstants.RDB_VERSION & 0xff);
    out.writeByte((RdbConstants.RDB_VERSION >>> 8) & 0xff);
    out.millis(out.crc());
    return out.toBytes();
  }

  /** The length of a value's body, as DEBUG OBJECT reports serializedlength. */
  public static long serializedLength(byte[] record, Object boxed, Config config, boolean compression)
      throws IOException {
    RdbOutput out = new RdbOutput(RdbOutput.DISCARD, compression, false, 4096);
    writeValue(out, record, boxed, config);
    return out.bytes();
  }
}
