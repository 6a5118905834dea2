package io.redstart.persistence.rdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a whole RDB file (rdbLoadRioWithLoadingCtx): the "REDIS" signature and version, then
 * opcodes and keys until EOF, then the CRC-64, handing what it reads to a {@link Handler}. The
 * reader knows the format; the handler decides what loading means (filling the keyspace, checking
 * a file, counting).
 *
 * <p>Not thread-safe; one load at a time per instance.
 */
public final class RdbLoader {
  /** Receives the contents of the file, in file order. */
  public interface Handler {
    /** An AUX field (redis-ver, ctime, used-mem, repl-id, aof-base ...). */
    default void aux(String name, String value) {}

    /** The following keys belong to database {@code db}. */
    default void selectDb(long db) throws RdbException {}

    /** The size hint of the current database. */
    default void resizeDb(long size, long expires) {}

    /** A function library (its code, as FUNCTION LOAD takes it). */
    default void function(byte[] code) throws RdbException {}

    /**
     * A key and its value.
     *
     * @param expireAt absolute Unix ms, or -1
     * @param lruIdle seconds idle (RDB_OPCODE_IDLE), or -1
     * @param lfuFreq the LFU counter (RDB_OPCODE_FREQ), or -1
     */
    void key(byte[] key, RdbValue value, long expireAt, long lruIdle, int lfuFreq)
        throws RdbException;

    /** A key whose value was an empty collection, skipped as Redis skips it. */
    default void emptyKey(byte[] key) {}

    /** Module data outside keys; by default refused as Redis refuses it without the module. */
    default boolean skipModuleAux() {
      return false;
    }

    /**
     * Whether module values (RDB type 7, self-describing) are skipped rather than refused, as
     * redis-check-rdb does; a skipped one is reported through {@link #moduleKey}.
     */
    default boolean skipModuleValues() {
      return false;
    }

    /** A key holding a module value that was skipped. */
    default void moduleKey(byte[] key, long expireAt) {}

    /** The reader is about to read a value of {@code rdbType} for {@code key} (for reports). */
    default void readingValue(byte[] key, int rdbType) {}
  }

  /** What a finished load found. */
  public record Result(int version, Checksum checksum, long storedCrc, long computedCrc) {}

  /** How the trailing checksum compared. */
  public enum Checksum {
    /** It matched. */
    OK,
    /** The file was saved with rdbchecksum no (a zero CRC): not checked. */
    DISABLED,
    /** Checking was turned off for this load (rdbchecksum no here). */
    NOT_CHECKED,
    /** The file predates checksums (version below 5). */
    NONE
  }

  private RdbLoader() {}

  /** Reads the 9-byte signature; returns the version or throws with Redis's reason. */
  public static int readHeader(RdbInput in) throws IOException, RdbException {
    byte[] magic = new byte[9];
    try {
      in.readFully(magic, 0, 9);
    } catch (RdbException e) {
      throw RdbException.shortRead(in.position());
    }
    if (magic[0] != 'R' || magic[1] != 'E' || magic[2] != 'D' || magic[3] != 'I' || magic[4] != 'S') {
      throw RdbException.corrupt("Wrong signature trying to load DB from file", 0);
    }
    int version = atoi(magic, 5, 4);
    if (version < 1 || version > RdbConstants.RDB_MAX_READ_VERSION) {
      throw new RdbException(
          RdbException.Kind.UNSUPPORTED, "Can't handle RDB format version " + version, 5);
    }
    return version;
  }

  private static int atoi(byte[] b, int off, int len) {
    int v = 0;
    int i = off;
    while (i < off + len && b[i] == ' ') i++;
    while (i < off + len && b[i] >= '0' && b[i] <= '9') v = v * 10 + (b[i++] - '0');
    return v;
  }

  /**
   * Reads the file from its signature to its checksum.
   *
   * @param verifyChecksum rdbchecksum: compare the stored CRC with the computed one
   * @throws RdbException for a short read, damage (a checksum mismatch included: "RDB CRC error")
   *     or content this server cannot load
   */
  public static Result load(RdbInput in, Handler h, boolean verifyChecksum)
      throws IOException, RdbException {
    in.checksum(verifyChecksum);
    int version = readHeader(in);
    return body(in, version, h, verifyChecksum);
  }

  /** Reads from after the signature (the caller already read the version). */
  public static Result body(RdbInput in, int version, Handler h, boolean verifyChecksum)
      throws IOException, RdbException {
    long expireAt = -1;
    long lruIdle = -1;
    int lfuFreq = -1;
    while (true) {
      int type = in.type();
      switch (type) {
        case RdbConstants.OPCODE_EXPIRETIME -> {
          expireAt = in.int32le() * 1000L;
          continue;
        }
        case RdbConstants.OPCODE_EXPIRETIME_MS -> {
          expireAt = in.millis();
          continue;
        }
        case RdbConstants.OPCODE_FREQ -> {
          lfuFreq = in.readByte();
          continue;
        }
        case RdbConstants.OPCODE_IDLE -> {
          lruIdle = in.len();
          continue;
        }
        case RdbConstants.OPCODE_EOF -> {
          return finish(in, version, verifyChecksum);
        }
        case RdbConstants.OPCODE_SELECTDB -> {
          h.selectDb(in.len());
          continue;
        }
        case RdbConstants.OPCODE_RESIZEDB -> {
          long size = in.len();
          long expires = in.len();
          h.resizeDb(size, expires);
          continue;
        }
        case RdbConstants.OPCODE_AUX -> {
          String name = new String(in.string(), StandardCharsets.ISO_8859_1);
          String value = new String(in.string(), StandardCharsets.ISO_8859_1);
          h.aux(name, value);
          continue;
        }
        case RdbConstants.OPCODE_MODULE_AUX -> {
          long moduleId = in.len();
          long whenOpcode = in.len();
          in.len(); // when
          if (whenOpcode != RdbConstants.MODULE_OPCODE_UINT) {
            throw RdbException.corrupt("bad when_opcode", in.position());
          }
          if (!h.skipModuleAux()) {
            throw new RdbException(
                RdbException.Kind.UNSUPPORTED,
                "The RDB file contains AUX module data I can't load: no matching module '"
                    + RdbValueReader.moduleName(moduleId)
                    + "'",
                in.position());
          }
          skipModuleBody(in);
          continue;
        }
        case RdbConstants.OPCODE_FUNCTION_PRE_GA -> {
          byte[] name = in.string();
          byte[] engine = in.string();
          if (in.len() != 0) in.skipString(); // description
          byte[] blob = in.string();
          String payload = "#!" + latin1(engine) + " name=" + latin1(name) + "\n" + latin1(blob);
          h.function(payload.getBytes(StandardCharsets.ISO_8859_1));
          continue;
        }
        case RdbConstants.OPCODE_FUNCTION2 -> {
          h.function(in.string());
          continue;
        }
        default -> { }
      }
      if (!RdbConstants.isObjectType(type)) {
        throw RdbException.corrupt("Unknown RDB encoding type " + type, in.position() - 1);
      }
      byte[] key = in.string();
      h.readingValue(key, type);
      if (type == RdbConstants.TYPE_MODULE_2 && h.skipModuleValues()) {
        RdbValueReader.skipModule2(in);
        h.moduleKey(key, expireAt);
        expireAt = -1;
        lruIdle = -1;
        lfuFreq = -1;
        continue;
      }
      RdbValue value = RdbValueReader.read(type, in);
      if (value == null) {
        h.emptyKey(key);
      } else {
        h.key(key, value, expireAt, lruIdle, lfuFreq);
      }
      expireAt = -1;
      lruIdle = -1;
      lfuFreq = -1;
    }
  }

  private static void skipModuleBody(RdbInput in) throws IOException, RdbException {
    while (true) {
      long opcode = in.len();
      if (opcode == RdbConstants.MODULE_OPCODE_EOF) return;
      switch ((int) opcode) {
        case RdbConstants.MODULE_OPCODE_SINT, RdbConstants.MODULE_OPCODE_UINT -> in.len();
        case RdbConstants.MODULE_OPCODE_STRING -> in.skipString();
        case RdbConstants.MODULE_OPCODE_FLOAT -> in.binaryFloat();
        case RdbConstants.MODULE_OPCODE_DOUBLE -> in.binaryDouble();
        default -> throw RdbException.corrupt("Unknown module opcode " + opcode, in.position());
      }
    }
  }

  private static Result finish(RdbInput in, int version, boolean verify)
      throws IOException, RdbException {
    if (version < 5) return new Result(version, Checksum.NONE, 0, 0);
    long expected = in.crc();
    long stored = in.int64le();
    if (!verify) return new Result(version, Checksum.NOT_CHECKED, stored, expected);
    if (stored == 0) return new Result(version, Checksum.DISABLED, 0, expected);
    if (stored != expected) {
      throw new RdbException(
          RdbException.Kind.CORRUPT,
          "Wrong RDB checksum expected: ("
              + Long.toHexString(expected)
              + ") but got ("
              + Long.toHexString(stored)
              + "). Aborting now.",
          in.position() - 8);
    }
    return new Result(version, Checksum.OK, stored, expected);
  }

  private static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
