package io.redstart.types.hash;

import io.redstart.store.Entries;
import java.util.Arrays;

/**
 * The compact ("listpack") encoding of a hash: field/value pairs in insertion order, packed into
 * one byte array. Lookups scan it linearly, as Redis scans its listpack; a replaced value keeps
 * its place; a removed pair closes its gap.
 *
 * <pre>
 * buf[0 .. used)   entries, back to back: field 1, value 1, field 2, value 2, ...
 * entry            length (unsigned LEB128: 7 bits a byte, low bits first, high bit = more),
 *                  then that many bytes
 * buf[used ..)     spare capacity
 * </pre>
 *
 * Offsets handed out ({@link #find}, {@link #pairOffsets}) point at a field entry and stay valid
 * until the next write.
 *
 * <p>Owned by the keyspace thread, through {@link HashValue}.
 */
final class PackedPairs {
  private byte[] buf;
  private int used;
  private int pairs;

  PackedPairs() {
    buf = new byte[32];
  }

  private PackedPairs(byte[] buf, int used, int pairs) {
    this.buf = buf;
    this.used = used;
    this.pairs = pairs;
  }

  int pairs() {
    return pairs;
  }

  /** Bytes of packed entries (what the listpack-size safety limit is checked against). */
  int usedBytes() {
    return used;
  }

  byte[] array() {
    return buf;
  }

  // ---- entry layout

  /** The length stored in the entry at {@code p}. */
  int lengthAt(int p) {
    int b = buf[p];
    if (b >= 0) return b;
    int len = b & 0x7f;
    int shift = 7;
    while (true) {
      b = buf[++p];
      len |= (b & 0x7f) << shift;
      if (b >= 0) return len;
      shift += 7;
    }
  }

  static int varintSize(int v) {
    int n = 1;
    while ((v >>>= 7) != 0) n++;
    return n;
  }

  /** Offset of the data bytes of the entry at {@code p} whose length is {@code len}. */
  static int dataAt(int p, int len) {
    return p + varintSize(len);
  }

  /** Offset of the entry after the one at {@code p}. */
  int after(int p) {
    int len = lengthAt(p);
    return p + varintSize(len) + len;
  }

  private static int writeVarint(byte[] b, int p, int v) {
    while ((v & ~0x7f) != 0) {
      b[p++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    return p;
  }

  // ---- lookups

  /** Offset of the field entry equal to {@code f[off, off+len)}, or -1. */
  int find(byte[] f, int off, int len) {
    byte[] b = buf;
    int p = 0;
    int end = used;
    while (p < end) {
      int flen = lengthAt(p);
      int fdata = dataAt(p, flen);
      if (flen == len && Arrays.equals(b, fdata, fdata + flen, f, off, off + len)) return p;
      int vp = fdata + flen;
      int vlen = lengthAt(vp);
      p = dataAt(vp, vlen) + vlen;
    }
    return -1;
  }

  /** Offset of the value entry of the pair whose field entry is at {@code fieldAt}. */
  int valueOf(int fieldAt) {
    return after(fieldAt);
  }

  /** Field-entry offsets of every pair, in order (random access for sampling). */
  int[] pairOffsets() {
    int[] out = new int[pairs];
    int p = 0;
    for (int i = 0; i < pairs; i++) {
      out[i] = p;
      p = after(after(p));
    }
    return out;
  }

  // ---- writes

  /** Appends a pair whose field is known to be absent. */
  void append(byte[] f, int fOff, int fLen, byte[] v, int vOff, int vLen) {
    ensureCapacity(used + varintSize(fLen) + fLen + varintSize(vLen) + vLen);
    int p = writeVarint(buf, used, fLen);
    System.arraycopy(f, fOff, buf, p, fLen);
    p = writeVarint(buf, p + fLen, vLen);
    System.arraycopy(v, vOff, buf, p, vLen);
    used = p + vLen;
    pairs++;
  }

  /** Replaces the value of the pair whose field entry is at {@code fieldAt}, in place. */
  void replaceValue(int fieldAt, byte[] v, int vOff, int vLen) {
    int vp = after(fieldAt);
    int oldEnd = after(vp);
    int newSize = varintSize(vLen) + vLen;
    int delta = newSize - (oldEnd - vp);
    if (delta != 0) {
      ensureCapacity(used + delta);
      System.arraycopy(buf, oldEnd, buf, oldEnd + delta, used - oldEnd);
      used += delta;
    }
    int p = writeVarint(buf, vp, vLen);
    System.arraycopy(v, vOff, buf, p, vLen);
    if (delta < 0) maybeShrink();
  }

  /** Removes the pair whose field entry is at {@code fieldAt}. */
  void removePair(int fieldAt) {
    int end = after(after(fieldAt));
    System.arraycopy(buf, end, buf, fieldAt, used - end);
    used -= end - fieldAt;
    pairs--;
    maybeShrink();
  }

  private void ensureCapacity(long needed) {
    if (needed > buf.length) {
      if (needed > Integer.MAX_VALUE - 16) throw new IllegalStateException("hash too large");
      long cap = Math.min(Integer.MAX_VALUE - 16, needed + Math.max(32, needed >>> 1));
      buf = Arrays.copyOf(buf, (int) cap);
    }
  }

  private void maybeShrink() {
    if (buf.length > 128 && used * 4L < buf.length) buf = Arrays.copyOf(buf, Math.max(32, used * 2));
  }

  PackedPairs copy() {
    return new PackedPairs(Arrays.copyOf(buf, Math.max(32, used)), used, pairs);
  }

  /** Heap bytes: the object and its array. */
  long memoryUsage() {
    return 24 + Entries.arrayBytes(buf.length);
  }
}
