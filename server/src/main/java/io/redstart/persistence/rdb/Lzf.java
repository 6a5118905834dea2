package io.redstart.persistence.rdb;

/**
 * LZF compression as Redis builds it (lzf_c.c with HLOG 16, VERY_FAST, no ULTRA_FAST), so that a
 * string compresses to exactly the bytes Redis writes and DEBUG OBJECT's serializedlength agrees.
 * The one difference: Redis leaves its hash table uninitialised, so stale pointers from an earlier
 * call may, very rarely, find a match this implementation does not; both outputs are valid LZF.
 *
 * <pre>
 * compressed format
 *   000LLLLL &lt;L+1 bytes&gt;          literal run of 1..32 bytes
 *   LLLooooo oooooooo            back reference, length L+2 (3..8), offset o+1 (1..8192)
 *   111ooooo LLLLLLLL oooooooo   back reference, length L+9, offset o+1
 * </pre>
 *
 * <p>Thread-safe: each thread compresses with its own hash table.
 */
public final class Lzf {
  private Lzf() {}

  private static final int HLOG = 16;
  private static final int HSIZE = 1 << HLOG;
  private static final int MAX_LIT = 1 << 5;
  private static final int MAX_OFF = 1 << 13;
  private static final int MAX_REF = (1 << 8) + (1 << 3);

  /**
   * The per-thread hash table of positions. Entries are stored as {@code base + position}, and a
   * call starts with a base above every entry of the previous calls, so the table never needs
   * clearing: an entry not above the current base belongs to an older call.
   */
  private static final class Table {
    final int[] slots = new int[HSIZE];
    int base = 1;

    int start(int inLen) {
      if (base > Integer.MAX_VALUE - inLen - 2) {
        java.util.Arrays.fill(slots, 0);
        base = 1;
      }
      int b = base;
      base += inLen + 1;
      return b;
    }
  }

  private static final ThreadLocal<Table> TABLES = ThreadLocal.withInitial(Table::new);

  private static int idx(int h) {
    return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
  }

  /**
   * Compresses {@code inLen} bytes of {@code in} from {@code inOff} into {@code out} (from index
   * 0), producing at most {@code outLen} bytes. Returns the compressed length, or 0 when the data
   * does not fit in {@code outLen} bytes (or either length is 0), as lzf_compress does.
   *
   * @param out at least {@code outLen + 1} bytes long
   */
  public static int compress(byte[] in, int inOff, int inLen, byte[] out, int outLen) {
    if (inLen == 0 || outLen == 0) return 0;
    if (out.length < outLen + 1) throw new IllegalArgumentException("output buffer too small");
    Table table = TABLES.get();
    int[] htab = table.slots;
    int base = table.start(inLen);
    int ip = 0; // relative to inOff
    int op = 0;
    int lit = 0;
    op++; // start run
    int inEnd = inLen;
    int hval = inLen >= 2 ? ((in[inOff] & 0xff) << 8) | (in[inOff + 1] & 0xff) : 0;
    while (ip < inEnd - 2) {
      hval = (hval << 8) | (in[inOff + ip + 2] & 0xff);
      int slot = idx(hval);
      int stored = htab[slot];
      htab[slot] = base + ip;
      int ref = stored - base; // > 0 only for a position of this call, and never position 0
      int off = ip - ref - 1;
      if (stored > base
          && off < MAX_OFF
          && in[inOff + ref + 2] == in[inOff + ip + 2]
          && in[inOff + ref] == in[inOff + ip]
          && in[inOff + ref + 1] == in[inOff + ip + 1]) {
        int len = 2;
        int maxlen = inEnd - ip - len;
        if (maxlen > MAX_REF) maxlen = MAX_REF;
        if (op + 3 + 1 >= outLen) {
          if (op - (lit == 0 ? 1 : 0) + 3 + 1 >= outLen) return 0;
        }
        out[op - lit - 1] = (byte) (lit - 1); // stop run
        op -= lit == 0 ? 1 : 0; // undo run if length is zero
        matchLoop:
        {
          if (maxlen > 16) {
            // lzf_c.c compares 16 bytes unrolled before checking maxlen again.
            for (int k = 0; k < 16; k++) {
              len++;
              if (in[inOff + ref + len] != in[inOff + ip + len]) break matchLoop;
            }
          }
          do {
            len++;
          } while (len < maxlen && in[inOff + ref + len] == in[inOff + ip + len]);
        }
        len -= 2; // len is now #octets - 1
        ip++;
        if (len < 7) {
          out[op++] = (byte) ((off >>> 8) + (len << 5));
        } else {
          out[op++] = (byte) ((off >>> 8) + (7 << 5));
          out[op++] = (byte) (len - 7);
        }
        out[op++] = (byte) off;
        lit = 0;
        op++; // start run
        ip += len + 1;
        if (ip >= inEnd - 2) break;
        ip -= 2;
        hval = ((in[inOff + ip] & 0xff) << 8) | (in[inOff + ip + 1] & 0xff);
        hval = (hval << 8) | (in[inOff + ip + 2] & 0xff);
        htab[idx(hval)] = base + ip;
        ip++;
        hval = (hval << 8) | (in[inOff + ip + 2] & 0xff);
        htab[idx(hval)] = base + ip;
        ip++;
      } else {
        if (op >= outLen) return 0;
        lit++;
        out[op++] = in[inOff + ip++];
        if (lit == MAX_LIT) {
          out[op - lit - 1] = (byte) (lit - 1);
          lit = 0;
          op++;
        }
      }
    }
    if (op + 3 > outLen) return 0;
    while (ip < inEnd) {
      lit++;
      out[op++] = in[inOff + ip++];
      if (lit == MAX_LIT) {
        out[op - lit - 1] = (byte) (lit - 1);
        lit = 0;
        op++;
      }
    }
    out[op - lit - 1] = (byte) (lit - 1); // end run
    op -= lit == 0 ? 1 : 0;
    return op;
  }

  /**
   * Decompresses {@code inLen} bytes of {@code in} from {@code inOff} into {@code out[0, outLen)}.
   * Returns the number of bytes produced, or -1 when the input is malformed or would produce more
   * than {@code outLen} bytes (lzf_decompress's EINVAL and E2BIG).
   */
  public static int decompress(byte[] in, int inOff, int inLen, byte[] out, int outLen) {
    int ip = inOff;
    int inEnd = inOff + inLen;
    int op = 0;
    while (ip < inEnd) {
      int ctrl = in[ip++] & 0xff;
      if (ctrl < (1 << 5)) {
        ctrl++;
        if (op + ctrl > outLen) return -1;
        if (ip + ctrl > inEnd) return -1;
        System.arraycopy(in, ip, out, op, ctrl);
        op += ctrl;
        ip += ctrl;
      } else {
        int len = ctrl >>> 5;
        int ref = op - ((ctrl & 0x1f) << 8) - 1;
        if (ip >= inEnd) return -1;
        if (len == 7) {
          len += in[ip++] & 0xff;
          if (ip >= inEnd) return -1;
        }
        ref -= in[ip++] & 0xff;
        if (op + len + 2 > outLen) return -1;
        if (ref < 0) return -1;
        len += 2;
        // Byte by byte: the source may overlap the bytes being written.
        for (int k = 0; k < len; k++) out[op++] = out[ref++];
      }
    }
    return op;
  }
}
