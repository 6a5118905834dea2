package io.redstart.types.zset;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * The hash of sorted-set members for {@link ZSkipList.MemberIndex}: a multiply-rotate mix over
 * 8-byte blocks, keyed with a seed drawn once per process, so that clients cannot pick members that
 * all land in one probe run (Redis keys its dict hash, siphash, the same way). Not persisted and
 * not a protocol: only the order of ZSCAN replies depends on it, as in Redis.
 *
 * <p>Stateless after class initialisation and thread-safe.
 */
final class MemberHash {
  private MemberHash() {}

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long SEED = new SecureRandom().nextLong();
  private static final long M = 0x9E3779B97F4A7C15L;

  static int hash(byte[] b) {
    int len = b.length;
    long h = SEED ^ (len * M);
    int i = 0;
    while (len - i >= 8) {
      long k = (long) LONGS.get(b, i);
      h = Long.rotateLeft(h ^ (k * M), 29) * 0xBF58476D1CE4E5B9L + SEED;
      i += 8;
    }
    long tail = 0;
    int shift = 0;
    while (i < len) {
      tail |= (b[i++] & 0xffL) << shift;
      shift += 8;
    }
    h ^= (tail ^ SEED) * 0x94D049BB133111EBL;
    h ^= h >>> 31;
    h *= 0xD6E8FEB86659FD93L;
    h ^= h >>> 32;
    return (int) h;
  }
}
