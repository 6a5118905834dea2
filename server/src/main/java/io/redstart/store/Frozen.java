package io.redstart.store;

/**
 * A snapshot's claim on a boxed value it captured and has not written out yet: while {@link
 * #held} is true, the keyspace must copy the value before changing it in place, so the snapshot
 * keeps seeing the value as it was when captured (see {@link WriteBarrier}).
 */
public interface Frozen {
  /** Whether the claim still holds; read by the keyspace thread, released by another. */
  boolean held();
}
