package io.redstart.store;

import java.util.Arrays;

/**
 * A string value kept out of line: long strings, and strings grown in place by APPEND and
 * SETRANGE, which reserve spare capacity as Redis's sds does so that repeated appends cost
 * amortised O(1). Owned by the keyspace thread.
 */
public final class StringValue implements MemorySized, Duplicable {
  /** The longest value a Java array can hold: longer strings are refused before they are made. */
  public static final int MAX_LENGTH = Integer.MAX_VALUE - 16;

  private byte[] buf;
  private int len;

  public StringValue(byte[] bytes) {
    this.buf = bytes;
    this.len = bytes.length;
  }

  public StringValue(byte[] bytes, int len) {
    this.buf = bytes;
    this.len = len;
  }

  public int length() {
    return len;
  }

  /** The backing array; only bytes [0, length()) are the value. Do not modify. */
  public byte[] array() {
    return buf;
  }

  public byte[] toBytes() {
    return buf.length == len ? buf.clone() : Arrays.copyOf(buf, len);
  }

  /** Appends, growing like sds (double below 1 MiB, then +1 MiB). */
  public void append(byte[] b) {
    ensureCapacity((long) len + b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  /** Writes {@code b} at {@code offset}, zero-padding any gap, as SETRANGE does. */
  public void setRange(int offset, byte[] b) {
    long end = (long) offset + b.length;
    if (end > len) {
      ensureCapacity(end);
      Arrays.fill(buf, len, offset > len ? offset : len, (byte) 0);
      len = (int) end;
    }
    System.arraycopy(b, 0, buf, offset, b.length);
  }

  /**
   * The backing array for changes in place (SETBIT, BITFIELD, the HyperLogLog registers) by the
   * keyspace thread, within [0, length()). Calls that grow the value may replace the array: take
   * it again after them.
   */
  public byte[] mutableArray() {
    return buf;
  }

  /** Grows the value to {@code newLength} bytes, zero-filled, when it is shorter (sdsgrowzero). */
  public void growZero(int newLength) {
    if (newLength <= len) return;
    ensureCapacity(newLength);
    Arrays.fill(buf, len, newLength, (byte) 0);
    len = newLength;
  }

  /** Makes room for {@code extra} bytes past the length, which stays (sdsMakeRoomFor). */
  public void reserve(int extra) {
    ensureCapacity((long) len + extra);
  }

  /**
   * Sets the length within the capacity reserved (sdsIncrLen): bytes past the old length are what
   * the caller wrote there through {@link #mutableArray()}.
   */
  public void setLength(int newLength) {
    if (newLength < 0 || newLength > buf.length) {
      throw new IllegalArgumentException(
          "length " + newLength + " outside [0, " + buf.length + "]");
    }
    len = newLength;
  }

  /** Replaces the whole value with {@code bytes}, which this value takes over (no copy). */
  public void replace(byte[] bytes) {
    buf = bytes;
    len = bytes.length;
  }

  private void ensureCapacity(long needed) {
    if (needed <= buf.length) return;
    long cap = needed < 1024 * 1024 ? needed * 2 : needed + 1024 * 1024;
    buf = Arrays.copyOf(buf, (int) Math.min(cap, MAX_LENGTH));
  }

  @Override
  public Object duplicate() {
    return new StringValue(toBytes());
  }

  @Override
  public long memoryUsage() {
    return 16 + Entries.arrayBytes(buf.length);
  }
}
