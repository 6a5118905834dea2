package io.redstart.util;

/**
 * CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0, no reflection), the checksum Redis
 * Cluster hashes keys with. {@code crc16("123456789") == 0x31C3}.
 *
 * <p>Every key lookup computes it, so it takes two bytes per step: the 16-bit register holds
 * exactly two message bytes, and the CRC is linear, so two table lookups (one per byte of the
 * register after the bytes are XORed in) replace two dependent byte steps.
 */
public final class Crc16 {
  private Crc16() {}

  /** One byte step: the register after shifting {@code i << 8} through eight bits. */
  private static final int[] TABLE = new int[256];

  /** Two zero-byte steps from register {@code i << 8} and from register {@code i}. */
  private static final int[] HIGH = new int[256];

  private static final int[] LOW = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i << 8;
      for (int b = 0; b < 8; b++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      TABLE[i] = crc & 0xffff;
    }
    for (int i = 0; i < 256; i++) {
      HIGH[i] = twoZeroBytes(i << 8);
      LOW[i] = twoZeroBytes(i);
    }
  }

  private static int step(int crc, int b) {
    return ((crc << 8) ^ TABLE[((crc >>> 8) ^ b) & 0xff]) & 0xffff;
  }

  private static int twoZeroBytes(int register) {
    return step(step(register, 0), 0);
  }

  public static int crc16(byte[] buf, int off, int len) {
    int crc = 0;
    int i = off;
    int end = off + len;
    for (; end - i >= 2; i += 2) {
      int x = crc ^ ((buf[i] & 0xff) << 8 | (buf[i + 1] & 0xff));
      crc = HIGH[x >>> 8] ^ LOW[x & 0xff];
    }
    if (i < end) crc = step(crc, buf[i]);
    return crc;
  }
}
