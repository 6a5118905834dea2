package io.redstart.persistence.rdb;

/**
 * The numbers of Redis's RDB format (rdb.h). They are written to disk and into DUMP payloads, so
 * they are frozen: never renumber them, never derive them from in-memory enums. {@code
 * RdbConstantsTest} pins every value.
 */
public final class RdbConstants {
  private RdbConstants() {}

  /** The version written: what Redis 7.0 writes, and what it accepts at most. */
  public static final int RDB_VERSION = 10;

  /** The newest version read (Redis 7.2 writes 11: set listpacks, stream listpacks 3). */
  public static final int RDB_MAX_READ_VERSION = 11;

  // ---- length encoding: the two high bits of the first byte
  public static final int LEN_6BIT = 0;
  public static final int LEN_14BIT = 1;
  public static final int LEN_32BIT = 0x80;
  public static final int LEN_64BIT = 0x81;
  public static final int ENCVAL = 3;

  // ---- special string encodings (after an ENCVAL length byte)
  public static final int ENC_INT8 = 0;
  public static final int ENC_INT16 = 1;
  public static final int ENC_INT32 = 2;
  public static final int ENC_LZF = 3;

  // ---- value types
  public static final int TYPE_STRING = 0;
  public static final int TYPE_LIST = 1;
  public static final int TYPE_SET = 2;
  public static final int TYPE_ZSET = 3;
  public static final int TYPE_HASH = 4;
  public static final int TYPE_ZSET_2 = 5;
  public static final int TYPE_MODULE = 6;
  public static final int TYPE_MODULE_2 = 7;
  public static final int TYPE_HASH_ZIPMAP = 9;
  public static final int TYPE_LIST_ZIPLIST = 10;
  public static final int TYPE_SET_INTSET = 11;
  public static final int TYPE_ZSET_ZIPLIST = 12;
  public static final int TYPE_HASH_ZIPLIST = 13;
  public static final int TYPE_LIST_QUICKLIST = 14;
  public static final int TYPE_STREAM_LISTPACKS = 15;
  public static final int TYPE_HASH_LISTPACK = 16;
  public static final int TYPE_ZSET_LISTPACK = 17;
  public static final int TYPE_LIST_QUICKLIST_2 = 18;
  public static final int TYPE_STREAM_LISTPACKS_2 = 19;
  public static final int TYPE_SET_LISTPACK = 20;
  public static final int TYPE_STREAM_LISTPACKS_3 = 21;

  /** Whether {@code t} is a value type (rdbIsObjectType, extended to RDB 11). */
  public static boolean isObjectType(int t) {
    return (t >= 0 && t <= 7) || (t >= 9 && t <= 21);
  }

  // ---- opcodes
  public static final int OPCODE_FUNCTION2 = 245;
  public static final int OPCODE_FUNCTION_PRE_GA = 246;
  public static final int OPCODE_MODULE_AUX = 247;
  public static final int OPCODE_IDLE = 248;
  public static final int OPCODE_FREQ = 249;
  public static final int OPCODE_AUX = 250;
  public static final int OPCODE_RESIZEDB = 251;
  public static final int OPCODE_EXPIRETIME_MS = 252;
  public static final int OPCODE_EXPIRETIME = 253;
  public static final int OPCODE_SELECTDB = 254;
  public static final int OPCODE_EOF = 255;

  // ---- module value opcodes (RDB_TYPE_MODULE_2 bodies)
  public static final int MODULE_OPCODE_EOF = 0;
  public static final int MODULE_OPCODE_SINT = 1;
  public static final int MODULE_OPCODE_UINT = 2;
  public static final int MODULE_OPCODE_FLOAT = 3;
  public static final int MODULE_OPCODE_DOUBLE = 4;
  public static final int MODULE_OPCODE_STRING = 5;

  // ---- quicklist node containers (RDB_TYPE_LIST_QUICKLIST_2)
  public static final int QUICKLIST_NODE_PLAIN = 1;
  public static final int QUICKLIST_NODE_PACKED = 2;

  /** Strings up to this length are never LZF-compressed (rdbSaveRawString). */
  public static final int LZF_MIN_LENGTH = 20;

  /** Bytes written between two fsyncs of a file being saved (REDIS_AUTOSYNC_BYTES). */
  public static final long AUTOSYNC_BYTES = 4L * 1024 * 1024;
}
