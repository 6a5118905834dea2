package io.redstart.scripting;

/**
 * Redis's crc64 (Jones polynomial 0xad93d23594c935a9, reflected, initial value 0, no final xor):
 * the checksum of DUMP payloads. crc64(0, "123456789") is 0xe9c6d914c4b8d9ca.
 */
final class Crc64 {
  private Crc64() {}

  private static final long[] TABLE = new long[256];

  static {
    long poly = Long.reverse(0xad93d23594c935a9L);
    for (int i = 0; i < 256; i++) {
      long crc = i;
      for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
      TABLE[i] = crc;
    }
  }

  static long crc64(long crc, byte[] data, int off, int len) {
    for (int i = off; i < off + len; i++) crc = TABLE[(int) ((crc ^ data[i]) & 0xff)] ^ (crc >>> 8);
    return crc;
  }
}
