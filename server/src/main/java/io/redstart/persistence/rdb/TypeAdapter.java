package io.redstart.persistence.rdb;

import io.redstart.config.Config;
import io.redstart.types.ValueType;
import java.io.IOException;

/**
 * How the values of one collection type enter and leave the persistence formats: the RDB type and
 * body Redis 7.0 would write for the value's encoding, the value built from anything RDB holds for
 * that type, and the commands that rebuild it for an AOF rewrite. One adapter per type, registered
 * in {@link TypeAdapters}; strings are built in.
 *
 * <p>{@link #write} and {@link #rewrite} may run on a snapshot writer thread, on a value no one
 * changes meanwhile (see store.WriteBarrier); they only read it. {@link #build} runs on the
 * keyspace thread or in a checking tool.
 */
public interface TypeAdapter {
  ValueType type();

  /** Whether {@code value} is a value of this type this adapter can write. */
  boolean accepts(Object value);

  /** The RDB type byte the value is written with (depends on its encoding). */
  int rdbType(Object value);

  /** Writes the value's body (what follows the type byte and the key). */
  void write(Object value, RdbOutput out, Config config) throws IOException;

  /**
   * Builds a value from what was read, choosing its encoding by the configured thresholds as
   * Redis does when loading; throws when the content is not acceptable for the type.
   */
  Object build(RdbValue value, Config config) throws RdbException;

  /** Emits commands that rebuild the value under {@code key} (at most 64 items a command). */
  void rewrite(byte[] key, Object value, CommandSink sink) throws IOException;

  /** Receives the commands of an AOF rewrite. */
  @FunctionalInterface
  interface CommandSink {
    void command(byte[]... argv) throws IOException;
  }
}
