package io.redstart.command.zset;

import java.util.function.Consumer;

/**
 * Sets read as inputs of the sorted-set algebra (ZUNION, ZINTER, ZDIFF ...), where every member of
 * a set scores 1. Adapts the set type's API to what the algebra needs.
 */
final class SetSources {
  private SetSources() {}

  /** The members of one set. */
  interface Members {
    long size();

    boolean contains(byte[] member);

    /** Visits every member once, in the set's own order. */
    void forEach(Consumer<byte[]> visitor);
  }

  /** The members of a set value (the boxed value of a key of type set). */
  static Members of(Object setValue) {
    throw new IllegalStateException("no set type: " + setValue.getClass().getName());
  }
}
