package io.redstart.types.set;

import io.redstart.store.Entries;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Redis's intset: distinct 64-bit integers in ascending order, packed little-endian at the
 * narrowest width (2, 4 or 8 bytes) that holds every member. Adding a member that does not fit
 * widens every member at once (it then goes first or last, being out of the old range); removing
 * never narrows, as in Redis.
 *
 * <pre>
 * data[0 .. count*width)   the members, each {@code width} bytes, little-endian, ascending
 * data[count*width ..)     spare capacity
 * </pre>
 *
 * {@link #toBlob} prefixes the 8-byte header Redis keeps in front (encoding then length, each a
 * 32-bit little-endian integer): that is the RDB_TYPE_SET_INTSET payload, byte for byte.
 *
 * <p>Owned by the keyspace thread, through {@link SetValue}.
 */
final class Intset {
  private static final VarHandle SHORTS =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] data;
  private int width = 2;
  private int count;

  Intset() {
    data = new byte[16];
  }

  private Intset(byte[] data, int width, int count) {
    this.data = data;
    this.width = width;
    this.count = count;
  }

  int size() {
    return count;
  }

  /** Bytes per member: 2, 4 or 8 (Redis's INTSET_ENC_INT16/32/64). */
  int width() {
    return width;
  }

  /** The width a value needs. */
  static int widthFor(long v) {
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) return 8;
    if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) return 4;
    return 2;
  }

  /** The member at {@code i} (0-based, ascending). */
  long get(int i) {
    return read(data, i, width);
  }

  private static long read(byte[] d, int i, int w) {
    return switch (w) {
      case 2 -> (short) SHORTS.get(d, i * 2);
      case 4 -> (int) INTS.get(d, i * 4);
      default -> (long) LONGS.get(d, i * 8);
    };
  }

  private static void write(byte[] d, int i, int w, long v) {
    switch (w) {
      case 2 -> SHORTS.set(d, i * 2, (short) v);
      case 4 -> INTS.set(d, i * 4, (int) v);
      default -> LONGS.set(d, i * 8, v);
    }
  }

  /** The index of {@code v}, or {@code -(insertion point) - 1} when absent. */
  int search(long v) {
    int lo = 0;
    int hi = count - 1;
    if (count == 0) return -1;
    if (v > get(hi)) return -(count) - 1;
    if (v < get(0)) return -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long cur = get(mid);
      if (v > cur) {
        lo = mid + 1;
      } else if (v < cur) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -lo - 1;
  }

  boolean contains(long v) {
    return widthFor(v) <= width && search(v) >= 0;
  }

  /** Adds {@code v}; false when already a member. */
  boolean add(long v) {
    int w = widthFor(v);
    if (w > width) {
      upgradeAndAdd(v, w);
      return true;
    }
    int pos = search(v);
    if (pos >= 0) return false;
    pos = -pos - 1;
    ensureCapacity(count + 1);
    if (pos < count) System.arraycopy(data, pos * width, data, (pos + 1) * width, (count - pos) * width);
    write(data, pos, width, v);
    count++;
    return true;
  }

  /** Widens every member to {@code w} and adds {@code v}, which lies outside the old range. */
  private void upgradeAndAdd(long v, int w) {
    int old = width;
    byte[] next = new byte[grownCapacity((count + 1) * w)];
    int shift = v < 0 ? 1 : 0;
    for (int i = 0; i < count; i++) write(next, i + shift, w, read(data, i, old));
    write(next, v < 0 ? 0 : count, w, v);
    data = next;
    width = w;
    count++;
  }

  /** Appends a member greater than every present one, at the current width (bulk loading). */
  void appendLargest(long v) {
    int w = widthFor(v);
    if (w > width) {
      upgradeAndAdd(v, w);
      return;
    }
    ensureCapacity(count + 1);
    write(data, count, width, v);
    count++;
  }

  /** Removes {@code v}; false when it was not a member. */
  boolean remove(long v) {
    if (widthFor(v) > width) return false;
    int pos = search(v);
    if (pos < 0) return false;
    removeAt(pos);
    return true;
  }

  void removeAt(int pos) {
    System.arraycopy(data, (pos + 1) * width, data, pos * width, (count - pos - 1) * width);
    count--;
    int used = count * width;
    if (data.length > 64 && used * 4 < data.length) data = Arrays.copyOf(data, Math.max(16, used * 2));
  }

  private void ensureCapacity(int members) {
    int needed = members * width;
    if (needed > data.length) data = Arrays.copyOf(data, grownCapacity(needed));
  }

  /**
   * Grows by an eighth: an insert shifts the members after it anyway (linear, as Redis's intset,
   * which reallocates to the exact size on every insert), and a small set should cost about what it
   * holds.
   */
  private static int grownCapacity(int needed) {
    return needed + Math.max(8, needed >>> 3);
  }

  /** Redis's intset blob: header (encoding, length; 32-bit little-endian each) and members. */
  byte[] toBlob() {
    byte[] blob = new byte[8 + count * width];
    INTS.set(blob, 0, width);
    INTS.set(blob, 4, count);
    System.arraycopy(data, 0, blob, 8, count * width);
    return blob;
  }

  /**
   * The intset a Redis blob holds (RDB_TYPE_SET_INTSET), or null when the blob is not a valid
   * one: width other than 2, 4 or 8, length not matching the size, members not strictly
   * ascending (Redis's deep intset integrity check).
   */
  static Intset fromBlob(byte[] blob) {
    if (blob.length < 8) return null;
    int width = (int) INTS.get(blob, 0);
    long count = Integer.toUnsignedLong((int) INTS.get(blob, 4));
    if (width != 2 && width != 4 && width != 8) return null;
    if (8 + count * width != blob.length) return null;
    byte[] data = java.util.Arrays.copyOfRange(blob, 8, blob.length);
    for (int i = 1; i < count; i++) {
      if (read(data, i - 1, width) >= read(data, i, width)) return null;
    }
    return new Intset(data.length == 0 ? new byte[16] : data, width, (int) count);
  }

  Intset copy() {
    return new Intset(Arrays.copyOf(data, Math.max(16, count * width)), width, count);
  }

  /** Heap bytes: the object and its array. */
  long memoryUsage() {
    return 24 + Entries.arrayBytes(data.length);
  }
}
