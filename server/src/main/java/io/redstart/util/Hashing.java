package io.redstart.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** A fast 32-bit hash of byte ranges for in-memory tables (not persisted, not a protocol). */
public final class Hashing {
  private Hashing() {}

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long M = 0x9E3779B97F4A7C15L;

  public static int hash(byte[] b, int off, int len) {
    return hash(b, off, len, 0);
  }

  /**
   * The hash of a byte range mixed with {@code seed} from the first step, so that tables holding
   * client-chosen members (hash fields, set members) can use a per-process random seed and
   * colliding inputs cannot be precomputed. {@code seed} 0 gives {@link #hash(byte[], int, int)}.
   */
  public static int hash(byte[] b, int off, int len, long seed) {
    long h = (len * M) ^ seed;
    int i = off;
    int end = off + len;
    while (end - i >= 8) {
      long k = (long) LONGS.get(b, i);
      h = Long.rotateLeft(h ^ (k * M), 29) * 0xBF58476D1CE4E5B9L;
      i += 8;
    }
    long tail = 0;
    int shift = 0;
    while (i < end) {
      tail |= (b[i++] & 0xffL) << shift;
      shift += 8;
    }
    h ^= tail * 0x94D049BB133111EBL;
    h ^= h >>> 31;
    h *= 0xD6E8FEB86659FD93L;
    h ^= h >>> 32;
    return (int) h;
  }
}
