package io.redstart.store;

/**
 * The keys of one slot as they were at one instant, for a snapshot: {@code records[i]} is a key
 * record (see {@link Entries}; an inline string's value is in it) and {@code values[i]} the boxed
 * value, or null for an inline string. The records are never modified afterwards (see {@link
 * WriteBarrier}); the values are {@link Frozen frozen} until released.
 */
public record SlotImage(byte[][] records, Object[] values) {
  public int size() {
    return records.length;
  }
}
