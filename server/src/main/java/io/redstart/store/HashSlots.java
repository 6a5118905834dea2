package io.redstart.store;

import io.redstart.util.Crc16;

/**
 * The hash slot of a key: CRC16 of the key, or of its first non-empty {@code {hash tag}}, modulo
 * 16384, exactly as Redis Cluster computes it ({@code keyHashSlot} in cluster.c).
 */
public final class HashSlots {
  private HashSlots() {}

  public static final int SLOTS = 16384;

  public static int slot(byte[] key) {
    int len = key.length;
    int open = -1;
    for (int i = 0; i < len; i++) {
      if (key[i] == '{') {
        open = i;
        break;
      }
    }
    if (open < 0) return Crc16.crc16(key, 0, len) & (SLOTS - 1);
    int close = -1;
    for (int i = open + 1; i < len; i++) {
      if (key[i] == '}') {
        close = i;
        break;
      }
    }
    if (close < 0 || close == open + 1) return Crc16.crc16(key, 0, len) & (SLOTS - 1);
    return Crc16.crc16(key, open + 1, close - open - 1) & (SLOTS - 1);
  }
}
