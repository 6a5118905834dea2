package io.redstart.command.zset;

import io.redstart.types.set.SetValue;
import java.util.Arrays;
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
    SetValue set = (SetValue) setValue;
    return new Members() {
      @Override
      public long size() {
        return set.size();
      }

      @Override
      public boolean contains(byte[] member) {
        return set.contains(member);
      }

      @Override
      public void forEach(Consumer<byte[]> visitor) {
        set.forEach((b, off, len) -> visitor.accept(Arrays.copyOfRange(b, off, off + len)));
      }
    };
  }
}
