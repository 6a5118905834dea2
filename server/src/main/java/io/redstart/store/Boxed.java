package io.redstart.store;

/**
 * An entry whose value lives out of line: strings longer than {@link Entries#INLINE_MAX} or
 * grown by APPEND/SETRANGE, and every collection. {@code meta} is a key record without value
 * bytes (see {@link Entries}); it is replaced, never mutated in length, when the key or its
 * expiry changes.
 */
public final class Boxed {
  byte[] meta;
  Object value;
  /** A snapshot's claim on {@link #value}: copy the value before changing it (see Frozen). */
  Frozen frozen;

  Boxed(byte[] meta, Object value) {
    this.meta = meta;
    this.value = value;
  }

  public Object value() {
    return value;
  }
}
