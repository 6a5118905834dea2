package io.redstart.types.hll;

import io.redstart.store.StringValue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.random.RandomGenerator;

/**
 * Redis's HyperLogLog (hyperloglog.c), kept in a string value byte for byte as Redis keeps it, so
 * that GET, DUMP/RESTORE and RDB files exchange values with Redis unchanged.
 *
 * <pre>
 * bytes 0-3    "HYLL"
 * byte 4       encoding: 0 dense, 1 sparse
 * bytes 5-7    unused, zero
 * bytes 8-15   cached cardinality, little-endian; bit 7 of byte 15 set when the cache is stale
 * bytes 16..   registers:
 *   dense   16384 registers of 6 bits, register 0 in the low bits of byte 16 (12288 bytes)
 *   sparse  run-length opcodes covering the 16384 registers in order:
 *           ZERO  00xxxxxx           xxxxxx+1 registers at 0 (1 to 64)
 *           XZERO 01xxxxxx yyyyyyyy  xxxxxxyyyyyyyy+1 registers at 0 (1 to 16384)
 *           VAL   1vvvvvxx           xx+1 registers (1 to 4) at vvvvv+1 (1 to 32)
 * </pre>
 *
 * <p>A new HLL is sparse (two XZERO opcodes' worth: one XZERO of 16384). A sparse HLL turns dense
 * when a register needs a value above 32 or when an update would make it longer than
 * hll-sparse-max-bytes. Elements are hashed with MurmurHash64A (seed 0xadc83b19): the low 14 bits
 * choose the register, the run of zeros above them (plus one) is the candidate value. The
 * cardinality is Ertl's improved estimator over the register histogram, as Redis 7.0's hllCount.
 *
 * <p>Reads never trust a value: a corrupt sparse string is reported (-1, false) rather than read
 * out of bounds, and a byte past the end of a value reads as 0, the terminator Redis finds there.
 * Stateless; the {@link StringValue}s passed in are owned by the keyspace thread.
 */
public final class HyperLogLog {
  private HyperLogLog() {}

  public static final int HEADER_SIZE = 16;
  public static final int REGISTERS = 1 << 14;
  private static final int P_MASK = REGISTERS - 1;
  private static final int Q = 64 - 14;
  private static final int BITS = 6;
  private static final int REGISTER_MAX = (1 << BITS) - 1;
  public static final int DENSE_SIZE = HEADER_SIZE + (REGISTERS * BITS + 7) / 8;

  public static final int DENSE = 0;
  public static final int SPARSE = 1;

  private static final int VAL_MAX_VALUE = 32;
  private static final int VAL_MAX_LEN = 4;
  private static final int ZERO_MAX_LEN = 64;
  private static final int XZERO_MAX_LEN = 16384;

  private static final long SEED = 0xadc83b19L;
  private static final double ALPHA_INF = 0.721347520444481703680;

  private static final VarHandle LE_LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  // ---- hashing

  /** MurmurHash2, 64-bit version (MurmurHash64A), reading 8-byte blocks little-endian. */
  public static long murmurHash64A(byte[] key, int off, int len, long seed) {
    final long m = 0xc6a4a7935bd1e995L;
    final int r = 47;
    long h = seed ^ ((long) len * m);
    int p = off;
    int blocksEnd = off + (len - (len & 7));
    while (p != blocksEnd) {
      long k = (long) LE_LONGS.get(key, p);
      k *= m;
      k ^= k >>> r;
      k *= m;
      h ^= k;
      h *= m;
      p += 8;
    }
    int rest = len & 7;
    if (rest >= 7) h ^= (long) (key[p + 6] & 0xff) << 48;
    if (rest >= 6) h ^= (long) (key[p + 5] & 0xff) << 40;
    if (rest >= 5) h ^= (long) (key[p + 4] & 0xff) << 32;
    if (rest >= 4) h ^= (long) (key[p + 3] & 0xff) << 24;
    if (rest >= 3) h ^= (long) (key[p + 2] & 0xff) << 16;
    if (rest >= 2) h ^= (long) (key[p + 1] & 0xff) << 8;
    if (rest >= 1) {
      h ^= key[p] & 0xff;
      h *= m;
    }
    h ^= h >>> r;
    h *= m;
    h ^= h >>> r;
    return h;
  }

  /**
   * The register an element falls in and the value it proposes, packed: register in the low 16
   * bits, value (1 to 51) above them.
   */
  static int patLen(byte[] element, int off, int len) {
    long hash = murmurHash64A(element, off, len, SEED);
    int index = (int) (hash & P_MASK);
    hash >>>= 14;
    hash |= 1L << Q;
    int count = Long.numberOfTrailingZeros(hash) + 1;
    return (count << 16) | index;
  }

  // ---- creation and validation

  /** A new, empty HLL: sparse, one XZERO opcode for all registers, cached cardinality 0. */
  public static byte[] create() {
    int opcodes = (REGISTERS + XZERO_MAX_LEN - 1) / XZERO_MAX_LEN;
    byte[] s = new byte[HEADER_SIZE + opcodes * 2];
    s[0] = 'H';
    s[1] = 'Y';
    s[2] = 'L';
    s[3] = 'L';
    s[4] = SPARSE;
    int p = HEADER_SIZE;
    for (int left = REGISTERS; left > 0; ) {
      int run = Math.min(XZERO_MAX_LEN, left);
      setXzero(s, p, run);
      p += 2;
      left -= run;
    }
    return s;
  }

  /**
   * Whether {@code a[off, off + len)} looks like an HLL (isHLLObjectOrReply): at least a header,
   * the magic, a known encoding, and exactly {@link #DENSE_SIZE} bytes when dense. The sparse
   * opcodes are checked only when read.
   */
  public static boolean isValid(byte[] a, int off, int len) {
    if (len < HEADER_SIZE) return false;
    if (a[off] != 'H' || a[off + 1] != 'Y' || a[off + 2] != 'L' || a[off + 3] != 'L') return false;
    int encoding = a[off + 4] & 0xff;
    if (encoding > SPARSE) return false;
    return encoding != DENSE || len == DENSE_SIZE;
  }

  /** The encoding byte of a valid HLL: {@link #DENSE} or {@link #SPARSE}. */
  public static int encoding(byte[] a, int off) {
    return a[off + 4] & 0xff;
  }

  // ---- cached cardinality

  public static boolean isCacheValid(byte[] a, int off) {
    return (a[off + 15] & 0x80) == 0;
  }

  /** The cached cardinality bytes, as Redis replies them (a signed 64-bit reading). */
  public static long cachedCardinality(byte[] a, int off) {
    return (long) LE_LONGS.get(a, off + 8);
  }

  public static void setCachedCardinality(byte[] a, int off, long card) {
    LE_LONGS.set(a, off + 8, card);
  }

  public static void invalidateCache(byte[] a, int off) {
    a[off + 15] |= (byte) 0x80;
  }

  // ---- adding

  /**
   * Adds an element to a valid HLL. Returns 1 when a register changed, 0 when none did, -1 when
   * the value is corrupt (INVALIDOBJ). A sparse HLL may become dense.
   */
  public static int add(StringValue v, byte[] element, long sparseMaxBytes) {
    int pat = patLen(element, 0, element.length);
    return set(v, pat & 0xffff, pat >>> 16, sparseMaxBytes);
  }

  /**
   * Raises register {@code index} to {@code count} when it is lower (hllDenseSet or
   * hllSparseSet). Returns 1 when changed, 0 when not, -1 for a corrupt sparse value.
   */
  public static int set(StringValue v, int index, int count, long sparseMaxBytes) {
    byte[] a = v.mutableArray();
    return switch (a[4]) {
      case DENSE -> denseSet(a, v.length(), index, count);
      case SPARSE -> sparseSet(v, index, count, sparseMaxBytes);
      default -> -1;
    };
  }

  private static int byteAt(byte[] a, int i, int end) {
    return i < end ? a[i] & 0xff : 0;
  }

  /** Register {@code index} of a dense HLL whose registers start at {@code regs}. */
  private static int denseGet(byte[] a, int regs, int end, int index) {
    int bit = index * BITS;
    int b = regs + (bit >>> 3);
    int fb = bit & 7;
    int b0 = a[b] & 0xff;
    int b1 = byteAt(a, b + 1, end);
    return ((b0 >>> fb) | (b1 << (8 - fb))) & REGISTER_MAX;
  }

  private static void denseSetRegister(byte[] a, int regs, int end, int index, int value) {
    int bit = index * BITS;
    int b = regs + (bit >>> 3);
    int fb = bit & 7;
    int fb8 = 8 - fb;
    a[b] = (byte) ((a[b] & ~(REGISTER_MAX << fb)) | (value << fb));
    if (b + 1 < end) {
      a[b + 1] = (byte) ((a[b + 1] & ~(REGISTER_MAX >>> fb8)) | (value >>> fb8));
    }
  }

  private static int denseSet(byte[] a, int len, int index, int count) {
    int old = denseGet(a, HEADER_SIZE, len, index);
    if (count <= old) return 0;
    denseSetRegister(a, HEADER_SIZE, len, index, count);
    return 1;
  }

  private static boolean isZero(int op) {
    return (op & 0xc0) == 0;
  }

  private static boolean isXzero(int op) {
    return (op & 0xc0) == 0x40;
  }

  private static boolean isVal(int op) {
    return (op & 0x80) != 0;
  }

  private static int valValue(int op) {
    return ((op >>> 2) & 0x1f) + 1;
  }

  private static int valLen(int op) {
    return (op & 0x3) + 1;
  }

  private static void setVal(byte[] a, int p, int value, int len) {
    a[p] = (byte) (((value - 1) << 2 | (len - 1)) | 0x80);
  }

  private static void setZero(byte[] a, int p, int len) {
    a[p] = (byte) (len - 1);
  }

  private static void setXzero(byte[] a, int p, int len) {
    int l = len - 1;
    a[p] = (byte) ((l >>> 8) | 0x40);
    a[p + 1] = (byte) l;
  }

  /**
   * hllSparseSet: finds the opcode covering {@code index}, splits it into at most three opcodes
   * (XZERO-VAL-XZERO at worst) when the register grows, merges equal neighbouring VALs, and
   * turns the HLL dense when the value does not fit a VAL or the string would pass {@code
   * sparseMaxBytes}.
   */
  private static int sparseSet(StringValue v, int index, int count, long sparseMaxBytes) {
    if (count > VAL_MAX_VALUE) return promote(v, index, count);
    // Room for the worst split (3 more bytes) and the one byte a split of a truncated XZERO
    // writes past the end.
    v.reserve(4);
    byte[] a = v.mutableArray();
    int end = v.length();

    // Step 1: the opcode covering the register.
    int p = HEADER_SIZE;
    long first = 0;
    int prev = -1;
    long span = 0;
    while (p < end) {
      int op = a[p] & 0xff;
      int oplen = 1;
      if (isZero(op)) {
        span = (op & 0x3f) + 1;
      } else if (isVal(op)) {
        span = valLen(op);
      } else {
        span = (((op & 0x3f) << 8) | byteAt(a, p + 1, end)) + 1;
        oplen = 2;
      }
      if (index <= first + span - 1) break;
      prev = p;
      p += oplen;
      first += span;
    }
    if (span == 0 || p >= end) return -1;

    int op = a[p] & 0xff;
    int next = isXzero(op) ? p + 2 : p + 1;
    if (next >= end) next = -1;
    boolean zero = isZero(op);
    boolean xzero = isXzero(op);
    boolean val = !zero && !xzero;
    long runlen = zero ? (op & 0x3f) + 1 : val ? valLen(op) : span;

    // Step 2: the cases updated in place, then the general split.
    boolean inPlace = false;
    if (val) {
      if (valValue(op) >= count) return 0;
      if (runlen == 1) {
        setVal(a, p, count, 1);
        inPlace = true;
      }
    }
    if (!inPlace && zero && runlen == 1) {
      setVal(a, p, count, 1);
      inPlace = true;
    }
    if (!inPlace) {
      byte[] seq = new byte[5];
      int n = 0;
      long last = first + span - 1;
      if (zero || xzero) {
        if (index != first) {
          int len = (int) (index - first);
          if (len > ZERO_MAX_LEN) {
            setXzero(seq, n, len);
            n += 2;
          } else {
            setZero(seq, n++, len);
          }
        }
        setVal(seq, n++, count, 1);
        if (index != last) {
          int len = (int) (last - index);
          if (len > ZERO_MAX_LEN) {
            setXzero(seq, n, len);
            n += 2;
          } else {
            setZero(seq, n++, len);
          }
        }
      } else {
        int current = valValue(op);
        if (index != first) setVal(seq, n++, current, (int) (index - first));
        setVal(seq, n++, count, 1);
        if (index != last) setVal(seq, n++, current, (int) (last - index));
      }

      // Step 3: the new sequence replaces the opcode.
      int delta = n - (xzero ? 2 : 1);
      if (delta > 0 && (long) end + delta > sparseMaxBytes) return promote(v, index, count);
      if (delta != 0 && next >= 0) System.arraycopy(a, next, a, next + delta, end - next);
      v.setLength(end + delta);
      System.arraycopy(seq, 0, a, p, n);
      end += delta;
    }

    // Step 4: merge adjacent VAL opcodes of the same value, scanning up to 5 opcodes from prev.
    p = prev >= 0 ? prev : HEADER_SIZE;
    int scan = 5;
    while (p < end && scan-- != 0) {
      int o = a[p] & 0xff;
      if (isXzero(o)) {
        p += 2;
        continue;
      } else if (isZero(o)) {
        p++;
        continue;
      }
      if (p + 1 < end && isVal(a[p + 1] & 0xff)) {
        int v1 = valValue(o);
        int v2 = valValue(a[p + 1] & 0xff);
        if (v1 == v2) {
          int len = valLen(o) + valLen(a[p + 1] & 0xff);
          if (len <= VAL_MAX_LEN) {
            setVal(a, p + 1, v1, len);
            System.arraycopy(a, p + 1, a, p, end - p - 1);
            end--;
            v.setLength(end);
            continue;
          }
        }
      }
      p++;
    }
    invalidateCache(a, 0);
    return 1;
  }

  private static int promote(StringValue v, int index, int count) {
    if (!sparseToDense(v)) return -1;
    denseSet(v.mutableArray(), v.length(), index, count);
    return 1;
  }

  /**
   * Converts a sparse HLL to dense, keeping the header (magic and cached cardinality). Returns
   * false, leaving the value unchanged, when the opcodes do not cover exactly 16384 registers or
   * a VAL opcode runs past the last one: the reference server carries the fix of CVE-2025-32023,
   * which refuses such a VAL where Redis 7.0.15 as released ignored it and what followed.
   * A dense HLL is left as it is.
   */
  public static boolean sparseToDense(StringValue v) {
    byte[] a = v.mutableArray();
    int end = v.length();
    if (a[4] == DENSE) return true;
    byte[] dense = new byte[DENSE_SIZE];
    System.arraycopy(a, 0, dense, 0, HEADER_SIZE);
    dense[4] = DENSE;
    long idx = 0;
    int p = HEADER_SIZE;
    while (p < end) {
      int op = a[p] & 0xff;
      if (isZero(op)) {
        idx += (op & 0x3f) + 1;
        p++;
      } else if (isXzero(op)) {
        idx += (((op & 0x3f) << 8) | byteAt(a, p + 1, end)) + 1;
        p += 2;
      } else {
        int runlen = valLen(op);
        int value = valValue(op);
        if (runlen + idx > REGISTERS) return false;
        for (int i = 0; i < runlen; i++) {
          denseSetRegister(dense, HEADER_SIZE, DENSE_SIZE, (int) idx++, value);
        }
        p++;
      }
    }
    if (idx != REGISTERS) return false;
    v.replace(dense);
    return true;
  }

  // ---- merging and counting

  /**
   * Raises {@code max[i]} to register i of the HLL at {@code a[off, off + len)} (valid by {@link
   * #isValid}), for PFCOUNT of several keys and PFMERGE. Returns false when a sparse value is
   * corrupt, as {@link #sparseToDense} judges it; {@code max} may then be partly updated.
   */
  public static boolean merge(byte[] max, byte[] a, int off, int len) {
    int end = off + len;
    if (encoding(a, off) == DENSE) {
      // Four 6-bit registers in every three bytes, the first in the low bits.
      for (int i = 0, p = off + HEADER_SIZE; i < REGISTERS; i += 4, p += 3) {
        int word = (a[p] & 0xff) | (a[p + 1] & 0xff) << 8 | (a[p + 2] & 0xff) << 16;
        for (int k = 0; k < 4; k++, word >>>= BITS) {
          int value = word & REGISTER_MAX;
          if (value > max[i + k]) max[i + k] = (byte) value;
        }
      }
      return true;
    }
    long i = 0;
    int p = off + HEADER_SIZE;
    while (p < end) {
      int op = a[p] & 0xff;
      if (isZero(op)) {
        i += (op & 0x3f) + 1;
        p++;
      } else if (isXzero(op)) {
        i += (((op & 0x3f) << 8) | byteAt(a, p + 1, end)) + 1;
        p += 2;
      } else {
        int runlen = valLen(op);
        int value = valValue(op);
        if (runlen + i > REGISTERS) return false;
        for (int k = 0; k < runlen; k++, i++) {
          if (value > max[(int) i]) max[(int) i] = (byte) value;
        }
        p++;
      }
    }
    return i == REGISTERS;
  }

  /**
   * The estimated cardinality of the HLL at {@code a[off, off + len)} (valid by {@link #isValid}),
   * or -1 when its sparse opcodes do not cover exactly 16384 registers (INVALIDOBJ).
   */
  public static long count(byte[] a, int off, int len) {
    int[] histogram = new int[64];
    int end = off + len;
    if (encoding(a, off) == DENSE) {
      for (int p = off + HEADER_SIZE, stop = off + DENSE_SIZE; p < stop; p += 3) {
        int word = (a[p] & 0xff) | (a[p + 1] & 0xff) << 8 | (a[p + 2] & 0xff) << 16;
        histogram[word & REGISTER_MAX]++;
        histogram[(word >>> 6) & REGISTER_MAX]++;
        histogram[(word >>> 12) & REGISTER_MAX]++;
        histogram[word >>> 18]++;
      }
    } else {
      long idx = 0;
      int p = off + HEADER_SIZE;
      while (p < end) {
        int op = a[p] & 0xff;
        int runlen;
        if (isZero(op)) {
          runlen = (op & 0x3f) + 1;
          histogram[0] += runlen;
          p++;
        } else if (isXzero(op)) {
          runlen = (((op & 0x3f) << 8) | byteAt(a, p + 1, end)) + 1;
          histogram[0] += runlen;
          p += 2;
        } else {
          runlen = valLen(op);
          histogram[valValue(op)] += runlen;
          p++;
        }
        idx += runlen;
      }
      if (idx != REGISTERS) return -1;
    }
    return estimate(histogram);
  }

  /** The estimated cardinality of registers held one per byte (the union PFCOUNT builds). */
  public static long countRegisters(byte[] registers) {
    int[] histogram = new int[64];
    for (int i = 0; i < REGISTERS; i++) histogram[registers[i] & 0x3f]++;
    return estimate(histogram);
  }

  /**
   * Ertl's estimator ("New cardinality estimation algorithms for HyperLogLog sketches",
   * arXiv:1702.01284) over a register histogram, in the order of operations Redis 7.0 uses so
   * that the double arithmetic, and the rounded result, are the same.
   */
  static long estimate(int[] histogram) {
    double m = REGISTERS;
    double z = m * tau((m - histogram[Q + 1]) / m);
    for (int j = Q; j >= 1; --j) {
      z += histogram[j];
      z *= 0.5;
    }
    z += m * sigma(histogram[0] / m);
    // llroundl of a positive double: round half away from zero, as Math.round for x >= 0.
    return Math.round(ALPHA_INF * m * m / z);
  }

  static double sigma(double x) {
    if (x == 1.0) return Double.POSITIVE_INFINITY;
    double zPrime;
    double y = 1;
    double z = x;
    do {
      x *= x;
      zPrime = z;
      z += x * y;
      y += y;
    } while (zPrime != z);
    return z;
  }

  static double tau(double x) {
    if (x == 0.0 || x == 1.0) return 0.0;
    double zPrime;
    double y = 1.0;
    double z = 1 - x;
    do {
      x = Math.sqrt(x);
      zPrime = z;
      y *= 0.5;
      double d = 1 - x;
      z -= d * d * y;
    } while (zPrime != z);
    return z / 3;
  }

  // ---- debugging (PFDEBUG, PFSELFTEST)

  /** The 16384 register values of a dense HLL. */
  public static int[] registers(byte[] a, int off, int len) {
    int[] out = new int[REGISTERS];
    for (int i = 0; i < REGISTERS; i++) out[i] = denseGet(a, off + HEADER_SIZE, off + len, i);
    return out;
  }

  /** PFDEBUG DECODE's text for a sparse HLL: "z:len", "Z:len", "v:value,len", space separated. */
  public static String decode(byte[] a, int off, int len) {
    StringBuilder sb = new StringBuilder();
    int end = off + len;
    int p = off + HEADER_SIZE;
    while (p < end) {
      int op = a[p] & 0xff;
      if (isZero(op)) {
        sb.append("z:").append((op & 0x3f) + 1).append(' ');
        p++;
      } else if (isXzero(op)) {
        sb.append("Z:").append((((op & 0x3f) << 8) | byteAt(a, p + 1, end)) + 1).append(' ');
        p += 2;
      } else {
        sb.append("v:").append(valValue(op)).append(',').append(valLen(op)).append(' ');
        p++;
      }
    }
    int n = sb.length();
    while (n > 0 && sb.charAt(n - 1) == ' ') n--;
    return sb.substring(0, n);
  }

  /**
   * PFSELFTEST: checks register access on a dense array with random values, then adds ten million
   * distinct elements to a dense and a sparse HLL side by side, checking at each power of ten that
   * the sparse one stays sparse while small, that both estimate the same, and that the error stays
   * within six standard errors. Returns null on success, else the error text (with its code).
   */
  public static String selfTest(RandomGenerator random, long sparseMaxBytes) {
    byte[] dense = new byte[DENSE_SIZE];
    byte[] expected = new byte[REGISTERS];
    for (int cycle = 0; cycle < 1000; cycle++) {
      for (int i = 0; i < REGISTERS; i++) {
        int r = random.nextInt() & REGISTER_MAX;
        expected[i] = (byte) r;
        denseSetRegister(dense, HEADER_SIZE, DENSE_SIZE, i, r);
      }
      for (int i = 0; i < REGISTERS; i++) {
        int value = denseGet(dense, HEADER_SIZE, DENSE_SIZE, i);
        if (value != expected[i]) {
          return "TESTFAILED Register " + i + " should be " + expected[i] + " but is " + value;
        }
      }
    }
    java.util.Arrays.fill(dense, HEADER_SIZE, DENSE_SIZE, (byte) 0);
    dense[4] = DENSE;
    StringValue sparse = new StringValue(create());
    double relerr = 1.04 / Math.sqrt(REGISTERS);
    long checkpoint = 1;
    long seed = random.nextLong();
    byte[] element = new byte[8];
    for (long j = 1; j <= 10_000_000; j++) {
      LE_LONGS.set(element, 0, j ^ seed);
      int pat = patLen(element, 0, 8);
      denseSet(dense, DENSE_SIZE, pat & 0xffff, pat >>> 16);
      set(sparse, pat & 0xffff, pat >>> 16, sparseMaxBytes);
      if (j != checkpoint) continue;
      if (j < sparseMaxBytes / 2 && encoding(sparse.mutableArray(), 0) != SPARSE) {
        return "TESTFAILED sparse encoding not used";
      }
      long denseCount = count(dense, 0, DENSE_SIZE);
      if (denseCount != count(sparse.mutableArray(), 0, sparse.length())) {
        return "TESTFAILED dense/sparse disagree";
      }
      long abserr = Math.abs(checkpoint - denseCount);
      long maxerr = (long) Math.ceil(relerr * 6 * checkpoint);
      if (j == 10) maxerr = 1;
      if (abserr > maxerr) {
        return "TESTFAILED Too big error. card:" + checkpoint + " abserr:" + abserr;
      }
      checkpoint *= 10;
    }
    return null;
  }
}
