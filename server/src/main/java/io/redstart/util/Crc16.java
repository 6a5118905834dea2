package io.redstart.util;

/**
 * CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0, no reflection), the checksum Redis
 * Cluster hashes keys with. {@code crc16("123456789") == 0x31C3}.
 */
public final class Crc16 {
  private Crc16() {}

  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i << 8;
      for (int b = 0; b < 8; b++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      TABLE[i] = crc & 0xffff;
    }
  }

  public static int crc16(byte[] buf, int off, int len) {
    int crc = 0;
    for (int i = off; i < off + len; i++) {
      crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ buf[i]) & 0xff]) & 0xffff;
    }
    return crc;
  }
}
