package io.redstart.scripting;

/**
 * LZF decompression, the format Redis compresses RDB strings with. A compressed stream is a
 * sequence of items, each starting with a control byte: below 32 it announces that many plus one
 * literal bytes; otherwise its top three bits give a length (7: add the next byte) and, with its
 * low five bits and the next byte, a distance back into the output, from where length plus two
 * bytes are copied (the copy may overlap the bytes it writes). Stateless.
 */
final class Lzf {
  private Lzf() {}

  /** Decompresses {@code clen} bytes at {@code off} into exactly {@code len} bytes, or null. */
  static byte[] decompress(byte[] in, int off, int clen, int len) {
    byte[] out = new byte[len];
    int ip = off;
    int end = off + clen;
    int op = 0;
    while (ip < end) {
      int control = in[ip++] & 0xff;
      int kind = control >>> 5;
      if (kind == 0) {
        int literals = control + 1;
        if (literals > end - ip || literals > len - op) return null;
        System.arraycopy(in, ip, out, op, literals);
        ip += literals;
        op += literals;
        continue;
      }
      int length = kind;
      if (length == 7) {
        if (ip >= end) return null;
        length += in[ip++] & 0xff;
      }
      if (ip >= end) return null;
      int distance = ((control & 0x1f) << 8 | (in[ip++] & 0xff)) + 1;
      length += 2;
      int from = op - distance;
      if (from < 0 || length > len - op) return null;
      for (int i = 0; i < length; i++) out[op + i] = out[from + i];
      op += length;
    }
    return op == len ? out : null;
  }
}
