package io.redstart.persistence.rdb;

import java.util.List;

/**
 * A value as read from RDB, independent of the in-memory type that will hold it: the format layer
 * ({@link RdbValueReader}) produces these for every RDB type and encoding, and the type adapters
 * turn them into values of the keyspace. Elements are byte arrays; integers stored in compact
 * encodings come back as their decimal text.
 */
public sealed interface RdbValue {
  /** The RDB type byte it was read from. */
  int rdbType();

  /** A string value; {@code isInt} when it was stored in an integer encoding. */
  record Str(int rdbType, byte[] bytes, boolean isInt) implements RdbValue {}

  /**
   * A list, head first. For RDB_TYPE_LIST_QUICKLIST_2, {@code nodes} keeps the nodes as stored
   * (Redis keeps them as they are when loading); null for the older types, whose elements Redis
   * pushes one by one.
   */
  record ListValue(int rdbType, List<byte[]> elements, List<QuicklistNode> nodes)
      implements RdbValue {}

  /** A quicklist node as RDB stores it: a validated listpack, or one plain element. */
  record QuicklistNode(boolean plain, byte[] blob) {}

  /**
   * A set. {@code intsetBlob} is the validated intset of an RDB_TYPE_SET_INTSET value (its width
   * kept), else null.
   */
  record SetValue(int rdbType, List<byte[]> members, byte[] intsetBlob) implements RdbValue {}

  /** A sorted set: members and their scores, in file order. */
  record ZSetValue(int rdbType, List<byte[]> members, double[] scores) implements RdbValue {}

  /** A hash: fields and values interleaved, in file order. */
  record HashValue(int rdbType, List<byte[]> fieldsAndValues) implements RdbValue {}

  /** A stream, decoded from its listpack nodes (see {@link StreamCodec}). */
  record StreamValue(int rdbType, StreamCodec.Stream stream) implements RdbValue {}
}
