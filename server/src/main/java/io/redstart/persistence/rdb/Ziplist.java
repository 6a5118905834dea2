package io.redstart.persistence.rdb;

import io.redstart.resp.Numbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Readers of the compact layouts of old RDB files, which Redis 7 still loads and converts: the
 * ziplist (RDB types 10, 12, 13 and the nodes of type 14) and the zipmap (type 9). Nothing writes
 * them any more. Both decoders validate deeply, as Redis does when converting them, and return
 * null for anything malformed. Stateless and thread-safe.
 *
 * <pre>
 * ziplist   zlbytes (u32 LE) zltail (u32 LE) zllen (u16 LE) entries... 0xFF
 * entry     prevlen: 1 byte below 254, else 0xFE + u32 LE; encoding; data
 *           00LLLLLL | 01LLLLLL LLLLLLLL | 10000000 + u32 BE      string and its length
 *           0xC0 i16 | 0xD0 i32 | 0xE0 i64 | 0xF0 i24 | 0xFE i8   little-endian integers
 *           0xF1..0xFD                                            immediate 0..12
 * zipmap    count (1 byte, 254 = unknown) then pairs: len key len free value [free bytes], 0xFF
 *           len: 1 byte below 254, else 0xFE + u32 LE
 * </pre>
 */
public final class Ziplist {
  private Ziplist() {}

  private static final int HEADER = 10;
  private static final int END = 0xFF;
  private static final int BIG_PREVLEN = 254;

  private static long u32le(byte[] b, int p) {
    return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16
        | (b[p + 3] & 0xffL) << 24;
  }

  /**
   * The elements of a ziplist, integers as their decimal text, or null when the ziplist is not
   * valid (ziplistValidateIntegrity with deep checking).
   */
  public static List<byte[]> decode(byte[] zl) {
    int size = zl.length;
    if (size < HEADER + 1) return null;
    if (u32le(zl, 0) != size) return null;
    if ((zl[size - 1] & 0xff) != END) return null;
    long tail = u32le(zl, 4);
    if (tail > size - 1) return null;
    int headerCount = (zl[8] & 0xff) | (zl[9] & 0xff) << 8;
    int last = size - 1;
    List<byte[]> out = new ArrayList<>();
    int p = HEADER;
    int prev = -1;
    long prevRawSize = 0;
    while ((zl[p] & 0xff) != END) {
      // prevlen
      int prevlenSize = (zl[p] & 0xff) < BIG_PREVLEN ? 1 : 5;
      if (p + prevlenSize > last) return null;
      long prevlen = prevlenSize == 1 ? zl[p] & 0xff : u32le(zl, p + 1);
      int q = p + prevlenSize;
      int enc = zl[q] & 0xff;
      if (enc < 0xC0) enc &= 0xC0;
      int lensize;
      long len;
      switch (enc) {
        case 0x00 -> {
          lensize = 1;
          len = zl[q] & 0x3f;
        }
        case 0x40 -> {
          lensize = 2;
          if (q + 1 > last) return null;
          len = ((zl[q] & 0x3f) << 8) | (zl[q + 1] & 0xff);
        }
        case 0x80 -> {
          lensize = 5;
          if (q + 4 > last) return null;
          len = (zl[q + 1] & 0xffL) << 24 | (zl[q + 2] & 0xffL) << 16 | (zl[q + 3] & 0xffL) << 8
              | (zl[q + 4] & 0xffL);
        }
        case 0xFE -> {
          lensize = 1;
          len = 1;
        }
        case 0xC0 -> {
          lensize = 1;
          len = 2;
        }
        case 0xF0 -> {
          lensize = 1;
          len = 3;
        }
        case 0xD0 -> {
          lensize = 1;
          len = 4;
        }
        case 0xE0 -> {
          lensize = 1;
          len = 8;
        }
        default -> {
          if (enc >= 0xF1 && enc <= 0xFD) {
            lensize = 1;
            len = 0;
          } else {
            return null;
          }
        }
      }
      long headersize = prevlenSize + lensize;
      if (p + headersize + len > last) return null;
      if (p - prevlen < HEADER) return null;
      if (prevlen != prevRawSize) return null;
      int data = (int) (p + headersize);
      if (enc < 0xC0) {
        out.add(Arrays.copyOfRange(zl, data, data + (int) len));
      } else {
        long v;
        switch (enc) {
          case 0xFE -> v = zl[data];
          case 0xC0 -> v = (short) ((zl[data] & 0xff) | (zl[data + 1] & 0xff) << 8);
          case 0xF0 -> {
            int u = (zl[data] & 0xff) | (zl[data + 1] & 0xff) << 8 | (zl[data + 2] & 0xff) << 16;
            v = (u << 8) >> 8;
          }
          case 0xD0 -> v = (int) u32le(zl, data);
          case 0xE0 -> {
            long x = 0;
            for (int i = 7; i >= 0; i--) x = (x << 8) | (zl[data + i] & 0xff);
            v = x;
          }
          default -> v = (enc & 0x0f) - 1;
        }
        out.add(Numbers.toBytes(v));
      }
      prevRawSize = headersize + len;
      prev = p;
      p = (int) (p + headersize + len);
    }
    if (p != last) return null;
    if (prev >= 0 && prev != tail) return null;
    if (headerCount != 0xFFFF && out.size() != headerCount) return null;
    return out;
  }

  /**
   * The field/value pairs of a zipmap, flattened, or null when it is not valid, empty, or has a
   * duplicate field (zipmapValidateIntegrity, plus the duplicate check of its RDB conversion).
   */
  public static List<byte[]> decodeZipmap(byte[] zm) {
    int size = zm.length;
    if (size < 2) return null;
    if ((zm[size - 1] & 0xff) != END) return null;
    int last = size - 1;
    List<byte[]> out = new ArrayList<>();
    Set<String> fields = new HashSet<>();
    int p = 1;
    int count = 0;
    while ((zm[p] & 0xff) != END) {
      int s = (zm[p] & 0xff) < BIG_PREVLEN ? 1 : 5;
      if (p + s > last) return null;
      long l = s == 1 ? zm[p] & 0xff : u32le(zm, p + 1);
      p += s;
      if (p + l > last) return null;
      byte[] field = Arrays.copyOfRange(zm, p, p + (int) l);
      p += (int) l;
      s = (zm[p] & 0xff) < BIG_PREVLEN ? 1 : 5;
      if (p + s > last) return null;
      l = s == 1 ? zm[p] & 0xff : u32le(zm, p + 1);
      p += s;
      int free = zm[p++] & 0xff;
      if (p + l + free > last) return null;
      byte[] value = Arrays.copyOfRange(zm, p, p + (int) l);
      p += (int) (l + free);
      count++;
      if (!fields.add(new String(field, java.nio.charset.StandardCharsets.ISO_8859_1))) return null;
      out.add(field);
      out.add(value);
    }
    if (count == 0) return null;
    int header = zm[0] & 0xff;
    if (header != BIG_PREVLEN && header != count) return null;
    return out;
  }
}
