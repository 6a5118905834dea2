package io.redstart.store;

import io.redstart.types.ValueType;
import java.util.Arrays;

/**
 * The packed layout of a key record: one {@code byte[]} holding a key's metadata, the key and,
 * for small strings, the value. Every other value sits out of line in a {@link Boxed} whose
 * {@code meta} is a record of the same layout without value bytes.
 *
 * <pre>
 * byte 0      bits 0-2 type code ({@link ValueType#code}), bit 3 has-expire,
 *             bits 4-5 string encoding ({@link #ENC_EMBSTR}, {@link #ENC_INT}, {@link #ENC_RAW}),
 *             bit 7 unshared (a copied small integer that Redis would not share)
 * bytes 1-3   LRU clock (seconds, 24 bits) or LFU (16-bit minutes, 8-bit counter), big-endian
 * bytes 4..   key length, unsigned LEB128 (1 byte below 128)
 * [8 bytes]   absolute expiry in Unix milliseconds, big-endian, when has-expire is set
 * key bytes
 * value bytes for an inline string: everything up to the end of the array
 * </pre>
 *
 * <p>Entries are reached only through this class and {@link Database}, so the layout can move off
 * the heap without touching a command handler. Records are immutable once published in a table
 * except for the LRU/LFU bytes and the expiry, which are rewritten in place.
 */
public final class Entries {
  private Entries() {}

  /** Largest string kept inline in its key record; longer ones are boxed. */
  public static final int INLINE_MAX = 64;

  public static final int ENC_EMBSTR = 0;
  public static final int ENC_INT = 1;
  public static final int ENC_RAW = 2;

  private static final int TYPE_MASK = 0x07;
  private static final int EXPIRE_FLAG = 0x08;
  private static final int ENC_SHIFT = 4;
  private static final int ENC_MASK = 0x30;

  /** The key record of an entry (the entry itself, or a boxed entry's meta). */
  public static byte[] record(Object entry) {
    return entry instanceof byte[] b ? b : ((Boxed) entry).meta;
  }

  public static ValueType type(Object entry) {
    return ValueType.ofCode(record(entry)[0] & TYPE_MASK);
  }

  public static boolean isInlineString(Object entry) {
    return entry instanceof byte[];
  }

  private static final int UNSHARED_FLAG = 0x80;

  /** Whether the value is a private copy (COPY of a small integer: OBJECT REFCOUNT says 1). */
  public static boolean isUnshared(Object entry) {
    return (record(entry)[0] & UNSHARED_FLAG) != 0;
  }

  static void markUnshared(byte[] record) {
    record[0] |= (byte) UNSHARED_FLAG;
  }

  public static int stringEncoding(Object entry) {
    return (record(entry)[0] & ENC_MASK) >>> ENC_SHIFT;
  }

  // ---- key

  static int keyLengthAt(byte[] r) {
    int len = 0;
    int shift = 0;
    int p = 4;
    while (true) {
      int b = r[p++] & 0xff;
      len |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) return len;
      shift += 7;
    }
  }

  private static int varintSize(int v) {
    int n = 1;
    while ((v >>>= 7) != 0) n++;
    return n;
  }

  static int keyOffset(byte[] r) {
    int p = 4;
    while ((r[p] & 0x80) != 0) p++;
    p++;
    return (r[0] & EXPIRE_FLAG) != 0 ? p + 8 : p;
  }

  private static int expireOffset(byte[] r) {
    int p = 4;
    while ((r[p] & 0x80) != 0) p++;
    return p + 1;
  }

  public static byte[] key(Object entry) {
    byte[] r = record(entry);
    int off = keyOffset(r);
    return Arrays.copyOfRange(r, off, off + keyLengthAt(r));
  }

  static boolean keyEquals(byte[] r, byte[] key) {
    int off = keyOffset(r);
    int len = keyLengthAt(r);
    return len == key.length && Arrays.equals(r, off, off + len, key, 0, len);
  }

  // ---- expiry

  public static boolean hasExpire(Object entry) {
    return (record(entry)[0] & EXPIRE_FLAG) != 0;
  }

  /** Absolute expiry in Unix ms, or -1 when the key has none. */
  public static long expireAt(Object entry) {
    byte[] r = record(entry);
    if ((r[0] & EXPIRE_FLAG) == 0) return -1;
    int p = expireOffset(r);
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (r[p + i] & 0xff);
    return v;
  }

  static void writeExpireInPlace(byte[] r, long when) {
    int p = expireOffset(r);
    for (int i = 7; i >= 0; i--) {
      r[p + i] = (byte) when;
      when >>>= 8;
    }
  }

  // ---- LRU / LFU

  public static int lru(Object entry) {
    byte[] r = record(entry);
    return ((r[1] & 0xff) << 16) | ((r[2] & 0xff) << 8) | (r[3] & 0xff);
  }

  public static void setLru(Object entry, int value) {
    byte[] r = record(entry);
    r[1] = (byte) (value >>> 16);
    r[2] = (byte) (value >>> 8);
    r[3] = (byte) value;
  }

  // ---- inline string value

  /** Length of a string value, inline or boxed. */
  public static int stringLength(Object entry) {
    if (entry instanceof byte[] r) return r.length - keyOffset(r) - keyLengthAt(r);
    return ((StringValue) ((Boxed) entry).value).length();
  }

  /** A copy of a string entry's value. */
  public static byte[] stringValue(Object entry) {
    if (entry instanceof byte[] r) {
      int off = inlineValueOffset(r);
      return Arrays.copyOfRange(r, off, r.length);
    }
    return ((StringValue) ((Boxed) entry).value).toBytes();
  }

  /** Writes a string entry's value as a bulk reply, without copying it first. */
  public static void writeStringValue(Object entry, io.redstart.resp.RespWriter w) {
    if (entry instanceof byte[] r) {
      int off = inlineValueOffset(r);
      w.bulk(r, off, r.length - off);
    } else {
      StringValue v = (StringValue) ((Boxed) entry).value;
      w.bulk(v.array(), 0, v.length());
    }
  }

  /** Writes bytes [start, end] (inclusive) of a string entry's value as a bulk reply. */
  public static void writeStringRange(Object entry, int start, int end, io.redstart.resp.RespWriter w) {
    if (entry instanceof byte[] r) {
      int off = inlineValueOffset(r);
      w.bulk(r, off + start, end - start + 1);
    } else {
      StringValue v = (StringValue) ((Boxed) entry).value;
      w.bulk(v.array(), start, end - start + 1);
    }
  }

  /** The backing array and offset of a string value, for read-only scans (LCS, bit ops). */
  public static byte[] stringArray(Object entry) {
    return entry instanceof byte[] r ? r : ((StringValue) ((Boxed) entry).value).array();
  }

  public static int stringOffset(Object entry) {
    return entry instanceof byte[] r ? inlineValueOffset(r) : 0;
  }

  /** A boxed entry's value object (collections, long strings), or null for an inline string. */
  public static Object boxedValue(Object entry) {
    return entry instanceof Boxed b ? b.value : null;
  }

  /** Offset of an inline string's value bytes within its record. */
  public static int inlineValueOffset(byte[] r) {
    return keyOffset(r) + keyLengthAt(r);
  }

  // ---- building records

  /**
   * A new record for {@code key}: {@code valueLen} bytes of {@code value} from {@code valueOff}
   * appended inline (pass null for a boxed meta record).
   */
  static byte[] build(
      ValueType type,
      int encoding,
      byte[] key,
      long expireAt,
      int lru,
      byte[] value,
      int valueOff,
      int valueLen) {
    int klen = key.length;
    int header = 4 + varintSize(klen) + (expireAt >= 0 ? 8 : 0);
    byte[] r = new byte[header + klen + (value == null ? 0 : valueLen)];
    r[0] = (byte) (type.code | (encoding << ENC_SHIFT) | (expireAt >= 0 ? EXPIRE_FLAG : 0));
    r[1] = (byte) (lru >>> 16);
    r[2] = (byte) (lru >>> 8);
    r[3] = (byte) lru;
    int p = 4;
    int v = klen;
    while ((v & ~0x7f) != 0) {
      r[p++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    r[p++] = (byte) v;
    if (expireAt >= 0) {
      for (int i = 7; i >= 0; i--) r[p + i] = (byte) (expireAt >>> (8 * (7 - i)));
      p += 8;
    }
    System.arraycopy(key, 0, r, p, klen);
    if (value != null) System.arraycopy(value, valueOff, r, p + klen, valueLen);
    return r;
  }

  /** A copy of {@code r} with the expiry set ({@code when >= 0}) or removed ({@code -1}). */
  static byte[] withExpire(byte[] r, long when) {
    boolean had = (r[0] & EXPIRE_FLAG) != 0;
    if (had && when >= 0) {
      byte[] copy = r.clone();
      writeExpireInPlace(copy, when);
      return copy;
    }
    if (!had && when < 0) return r;
    int eo = expireOffset(r);
    if (had) {
      byte[] out = new byte[r.length - 8];
      System.arraycopy(r, 0, out, 0, eo);
      System.arraycopy(r, eo + 8, out, eo, r.length - eo - 8);
      out[0] &= (byte) ~EXPIRE_FLAG;
      return out;
    }
    byte[] out = new byte[r.length + 8];
    System.arraycopy(r, 0, out, 0, eo);
    System.arraycopy(r, eo, out, eo + 8, r.length - eo);
    out[0] |= EXPIRE_FLAG;
    writeExpireInPlace(out, when);
    return out;
  }

  /** Approximate heap bytes of an array of {@code n} bytes (12-byte header, 8-byte alignment). */
  public static long arrayBytes(int n) {
    return (12L + n + 7) & ~7L;
  }
}
