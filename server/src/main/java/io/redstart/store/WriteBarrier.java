package io.redstart.store;

/**
 * Told about every change to a {@link Database} before it happens, so that a background snapshot
 * taken without fork stays a consistent point in time (the persistence snapshot installs one on
 * each database while it runs; none is installed otherwise).
 *
 * <p>The contract the store keeps: every change to a slot's keys, records or boxed values is
 * preceded by {@link #beforeWrite} for that slot, from the one thread that owns the keyspace.
 * Values changed in place (collections, grown strings) are reached only through {@link
 * Database#findForWrite} (Keyspace.lookupWrite) or {@link Database#unshareString}, which first
 * copy a value still {@link Frozen held} by a snapshot. Records are never rewritten in place while a
 * barrier is installed, except for the LRU/LFU bytes, which snapshots read as approximate.
 */
public interface WriteBarrier {
  /** {@code slot} of {@code db} is about to change. */
  void beforeWrite(Database db, int slot);

  /** Every key of {@code db} is about to be removed. */
  void beforeClear(Database db);

  /** A value still held by the snapshot was copied for a change; {@code bytes} its size. */
  default void copied(long bytes) {}
}
