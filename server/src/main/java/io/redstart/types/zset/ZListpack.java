package io.redstart.types.zset;

import java.util.Arrays;

/**
 * The compact encoding of a sorted set (what OBJECT ENCODING calls "listpack"): every (member,
 * score) pair packed into one byte array, ordered by score, then by member bytes, as Redis keeps
 * its listpack. Operations are linear, which is what Redis does too; the set stays small (by
 * default at most 128 members of at most 64 bytes) or is converted to a {@link ZSkipList}.
 *
 * <p>Layout of the used part of {@link #buf}, one entry after the other:
 *
 * <pre>
 * varint   member length, unsigned LEB128 (one byte below 128)
 * bytes    the member
 * score    an integral score of magnitude at most 2^53: the unsigned LEB128 varint of its zigzag
 *          encoding shifted left by one (low bit 0; one byte for -32 to 31, two for -4096 to 4095);
 *          any other score: the byte 0x01, then its IEEE 754 bits, big-endian (9 bytes).
 *          Never NaN, never -0.0 (see below)
 * backlen  the length of the three fields above, written so that it reads backwards from the
 *          entry's last byte: 7 bits a byte, low bits last; a set high bit means more bytes
 *          before it
 * </pre>
 *
 * <p>Redis writes an integral score of a listpack as an integer, so a score of -0.0 reads back as
 * 0: {@link #insert} stores 0.0 for it, and that sign is lost exactly as in Redis. Storing integral
 * scores as small integers is also what keeps the typical entry as short as in Redis's listpack.
 *
 * <p>An entry is named by its offset in {@link #buf}; an offset is invalidated by any change. Owned
 * by the keyspace thread, as the {@link ZSetValue} holding it.
 */
final class ZListpack {
  private static final byte[] EMPTY = new byte[0];

  byte[] buf;
  int used;
  int count;

  ZListpack() {
    this.buf = EMPTY;
  }

  ZListpack(int capacity) {
    this.buf = capacity == 0 ? EMPTY : new byte[capacity];
  }

  /** A copy with exactly the used bytes (COPY). */
  ZListpack copy() {
    ZListpack c = new ZListpack();
    c.buf = Arrays.copyOf(buf, used);
    c.used = used;
    c.count = count;
    return c;
  }

  // ---- reading entries

  /** Offset of the first entry, or -1 when empty. */
  int first() {
    return count == 0 ? -1 : 0;
  }

  /** Offset of the last entry, or -1 when empty. */
  int last() {
    return used == 0 ? -1 : used - backlenValue(used - 1) - backlenSize(used - 1);
  }

  int memberLength(int off) {
    int len = 0;
    int shift = 0;
    int p = off;
    while (true) {
      int b = buf[p++] & 0xff;
      len |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) return len;
      shift += 7;
    }
  }

  int memberOffset(int off) {
    int p = off;
    while ((buf[p] & 0x80) != 0) p++;
    return p + 1;
  }

  double score(int off) {
    return readScore(buf, memberOffset(off) + memberLength(off));
  }

  byte[] member(int off) {
    int m = memberOffset(off);
    return Arrays.copyOfRange(buf, m, m + memberLength(off));
  }

  /** Offset of the entry after {@code off}, or -1 at the end. */
  int next(int off) {
    int p = memberOffset(off) + memberLength(off);
    p += scoreSizeAt(buf, p);
    p += backlenSizeOf(p - off);
    return p >= used ? -1 : p;
  }

  /** Offset of the entry before {@code off}, or -1 at the start. */
  int prev(int off) {
    if (off == 0) return -1;
    return off - backlenValue(off - 1) - backlenSize(off - 1);
  }

  /** Offset of the entry of rank {@code rank} (0-based, must be below {@link #count}). */
  int atRank(long rank) {
    if (rank > count / 2) {
      int off = last();
      for (long r = count - 1; r > rank; r--) off = prev(off);
      return off;
    }
    int off = 0;
    for (long r = 0; r < rank; r++) off = next(off);
    return off;
  }

  /** Compares the member at {@code off} with {@code m[mOff, mOff+mLen)}, as memcmp then length. */
  int compareMember(int off, byte[] m, int mOff, int mLen) {
    int p = memberOffset(off);
    return Arrays.compareUnsigned(buf, p, p + memberLength(off), m, mOff, mOff + mLen);
  }

  boolean memberEquals(int off, byte[] m) {
    int len = memberLength(off);
    if (len != m.length) return false;
    int p = memberOffset(off);
    return Arrays.equals(buf, p, p + len, m, 0, len);
  }

  /** Offset of {@code member}'s entry, or -1. */
  int find(byte[] member) {
    if (count == 0) return -1;
    for (int off = 0; off >= 0; off = next(off)) {
      if (memberEquals(off, member)) return off;
    }
    return -1;
  }

  /** The 0-based rank of {@code member}, or -1. */
  long rank(byte[] member) {
    long r = 0;
    for (int off = first(); off >= 0; off = next(off), r++) {
      if (memberEquals(off, member)) return r;
    }
    return -1;
  }

  // ---- writing

  /** The bytes an entry for a member of {@code memberLength} bytes and this score takes. */
  static int entrySize(int memberLength, double score) {
    int body = varintSize(memberLength) + memberLength + scoreSize(score);
    return body + backlenSizeOf(body);
  }

  /** Inserts a member known to be absent at its place in score, then member, order. */
  void insert(byte[] member, double score) {
    if (score == 0) score = 0.0; // an integral score is stored as an integer: -0 becomes 0
    int at = used;
    for (int off = first(); off >= 0; off = next(off)) {
      double s = score(off);
      if (s > score || (s == score && compareMember(off, member, 0, member.length) > 0)) {
        at = off;
        break;
      }
    }
    insertAt(at, member, score);
  }

  /** Appends a pair that sorts after every present one (bulk construction, conversion). */
  void append(byte[] member, int mOff, int mLen, double score) {
    if (score == 0) score = 0.0;
    insertAt(used, member, mOff, mLen, score);
  }

  private void insertAt(int at, byte[] member, double score) {
    insertAt(at, member, 0, member.length, score);
  }

  private void insertAt(int at, byte[] member, int mOff, int mLen, double score) {
    int body = varintSize(mLen) + mLen + scoreSize(score);
    int size = body + backlenSizeOf(body);
    ensureCapacity(used + size);
    System.arraycopy(buf, at, buf, at + size, used - at);
    int p = writeVarint(buf, at, mLen);
    System.arraycopy(member, mOff, buf, p, mLen);
    p += mLen;
    p = writeScore(buf, p, score);
    writeBacklen(buf, p, body);
    used += size;
    count++;
  }

  /** Removes the entry at {@code off}. */
  void delete(int off) {
    int end = next(off);
    if (end < 0) end = used;
    deleteBytes(off, end);
    count--;
  }

  /** Removes {@code n} entries starting with the one at {@code off}. */
  void deleteRange(int off, long n) {
    int end = off;
    for (long i = 0; i < n && end >= 0; i++) end = next(end);
    if (end < 0) end = used;
    deleteBytes(off, end);
    count -= (int) n;
  }

  private void deleteBytes(int from, int to) {
    System.arraycopy(buf, to, buf, from, used - to);
    used -= to - from;
    if (buf.length > 64 && used < buf.length / 4) buf = Arrays.copyOf(buf, Math.max(used * 2, 16));
  }

  /**
   * Grows by an eighth: an insert moves the entries after it anyway (linear, as in Redis), and a
   * small set kept in this encoding should cost about what it holds, as Redis's exactly reallocated
   * listpack does.
   */
  private void ensureCapacity(int needed) {
    if (needed <= buf.length) return;
    int cap = Math.max(needed, buf.length + (buf.length >> 3));
    buf = Arrays.copyOf(buf, Math.max(cap, 16));
  }

  // ---- encoding of scores

  /** The tag byte of a score stored as 8 bytes of IEEE 754 bits. */
  private static final int DOUBLE_TAG = 0x01;

  /** Largest magnitude stored as an integer: every integer up to it is an exact double. */
  private static final double MAX_INTEGRAL = 0x1p53;

  /** The varint of an integral score (low bit 0), or -1 when the score is stored as a double. */
  private static long integralCode(double score) {
    if (!(Math.abs(score) <= MAX_INTEGRAL) || score != Math.rint(score)) return -1;
    long v = (long) score;
    return ((v << 1) ^ (v >> 63)) << 1;
  }

  static int scoreSize(double score) {
    long code = integralCode(score);
    if (code < 0) return 9;
    int n = 1;
    while ((code >>>= 7) != 0) n++;
    return n;
  }

  private static int writeScore(byte[] b, int p, double score) {
    long code = integralCode(score);
    if (code < 0) {
      b[p] = (byte) DOUBLE_TAG;
      writeLong(b, p + 1, Double.doubleToRawLongBits(score));
      return p + 9;
    }
    while ((code & ~0x7fL) != 0) {
      b[p++] = (byte) ((code & 0x7f) | 0x80);
      code >>>= 7;
    }
    b[p++] = (byte) code;
    return p;
  }

  private static double readScore(byte[] b, int p) {
    int first = b[p] & 0xff;
    if (first == DOUBLE_TAG) return Double.longBitsToDouble(readLong(b, p + 1));
    long code = first & 0x7f;
    int shift = 7;
    while ((first & 0x80) != 0) {
      first = b[++p] & 0xff;
      code |= (long) (first & 0x7f) << shift;
      shift += 7;
    }
    long z = code >>> 1;
    return (double) ((z >>> 1) ^ -(z & 1));
  }

  private static int scoreSizeAt(byte[] b, int p) {
    if ((b[p] & 0xff) == DOUBLE_TAG) return 9;
    int n = 1;
    while ((b[p++] & 0x80) != 0) n++;
    return n;
  }

  // ---- encodings of lengths

  static int varintSize(int v) {
    int n = 1;
    while ((v >>>= 7) != 0) n++;
    return n;
  }

  private static int writeVarint(byte[] b, int p, int v) {
    while ((v & ~0x7f) != 0) {
      b[p++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    return p;
  }

  private static int backlenSizeOf(int body) {
    return varintSize(body);
  }

  /** Size of the backlen whose last byte is at {@code last}. */
  private int backlenSize(int last) {
    int n = 1;
    while ((buf[last] & 0x80) != 0) {
      last--;
      n++;
    }
    return n;
  }

  /** The body length stored in the backlen whose last byte is at {@code last}. */
  private int backlenValue(int last) {
    int b = buf[last] & 0xff;
    int v = b & 0x7f;
    int shift = 7;
    while ((b & 0x80) != 0) {
      b = buf[--last] & 0xff;
      v |= (b & 0x7f) << shift;
      shift += 7;
    }
    return v;
  }

  /** Writes {@code v} so that it reads backwards from its last byte; returns the end. */
  private static int writeBacklen(byte[] b, int p, int v) {
    int n = varintSize(v);
    int end = p + n;
    int q = end - 1;
    for (int i = 0; i < n; i++) {
      int group = v & 0x7f;
      v >>>= 7;
      b[q--] = (byte) (i < n - 1 ? group | 0x80 : group);
    }
    return end;
  }

  static long readLong(byte[] b, int p) {
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (b[p + i] & 0xffL);
    return v;
  }

  static void writeLong(byte[] b, int p, long v) {
    for (int i = 7; i >= 0; i--) {
      b[p + i] = (byte) v;
      v >>>= 8;
    }
  }
}
