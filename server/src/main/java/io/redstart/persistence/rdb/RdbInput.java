package io.redstart.persistence.rdb;

import io.redstart.resp.Numbers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the primitives of the RDB format (rdb.c's rdbLoad* functions) from a stream or an array,
 * keeping the CRC-64 of the bytes consumed and the position for error reports. Every length read
 * from the input is checked against what can still be read before anything is allocated, so a
 * damaged length never makes the reader allocate more than the input holds.
 *
 * <p>Not thread-safe.
 */
public final class RdbInput {
  private final InputStream in;
  private byte[] buf;
  private int pos;
  private int limit;
  /** Bytes of the source before buf[0]. */
  private long base;
  /** Start of the bytes of buf not yet added to the CRC. */
  private int crcPos;
  private long crc;
  private boolean checksum = true;
  /** Total size of the input when known, else -1. */
  private final long size;

  /** Reads a whole array (a DUMP payload, a test fixture). */
  public RdbInput(byte[] data, int off, int len) {
    this.in = null;
    this.buf = data;
    this.pos = off;
    this.crcPos = off;
    this.limit = off + len;
    this.base = -off;
    this.size = len;
  }

  public RdbInput(byte[] data) {
    this(data, 0, data.length);
  }

  /**
   * Reads a stream.
   *
   * @param size the stream's length when known (a file's size), else -1
   */
  public RdbInput(InputStream in, long size, int bufferSize) {
    this.in = in;
    this.buf = new byte[Math.max(256, bufferSize)];
    this.size = size;
  }

  /** Turns CRC computation off (rdbchecksum no: loading skips the check). */
  public void checksum(boolean on) {
    this.checksum = on;
  }

  /** Bytes consumed so far. */
  public long position() {
    return base + pos;
  }

  /** The CRC-64 of the bytes consumed so far. */
  public long crc() {
    if (checksum && pos > crcPos) {
      crc = Crc64.update(crc, buf, crcPos, pos - crcPos);
      crcPos = pos;
    }
    return crc;
  }

  /** Bytes that can still be read, or Long.MAX_VALUE when the stream's size is unknown. */
  public long remaining() {
    return size < 0 ? Long.MAX_VALUE : size - position();
  }

  /** Whether the input is exhausted (reads at most one buffer ahead). */
  public boolean atEnd() throws IOException {
    return pos >= limit && !fill(1);
  }

  /** Makes at least {@code n} bytes available in buf from pos; false at end of input. */
  private boolean fill(int n) throws IOException {
    if (limit - pos >= n) return true;
    if (in == null) return false;
    crc();
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      base += pos;
      limit -= pos;
      crcPos -= pos;
      pos = 0;
    }
    if (buf.length < n) buf = Arrays.copyOf(buf, n);
    while (limit < n) {
      int r = in.read(buf, limit, buf.length - limit);
      if (r < 0) return false;
      limit += r;
    }
    return true;
  }

  private void need(int n) throws IOException, RdbException {
    if (!fill(n)) throw RdbException.shortRead(position());
  }

  public int readByte() throws IOException, RdbException {
    need(1);
    return buf[pos++] & 0xff;
  }

  /** Reads exactly {@code len} bytes into {@code dst}. */
  public void readFully(byte[] dst, int off, int len) throws IOException, RdbException {
    if (len <= limit - pos) {
      System.arraycopy(buf, pos, dst, off, len);
      pos += len;
      return;
    }
    while (len > 0) {
      if (pos == limit) need(1);
      int n = Math.min(len, limit - pos);
      System.arraycopy(buf, pos, dst, off, n);
      pos += n;
      off += n;
      len -= n;
    }
  }

  /** Allocates and reads {@code len} bytes, refusing lengths beyond what the input holds. */
  public byte[] readBytes(long len) throws IOException, RdbException {
    checkLength(len);
    byte[] b = new byte[(int) len];
    readFully(b, 0, b.length);
    return b;
  }

  private void checkLength(long len) throws RdbException {
    if (len < 0 || len > Integer.MAX_VALUE - 16) {
      throw RdbException.corrupt("Invalid string length " + Long.toUnsignedString(len), position());
    }
    if (len > remaining()) throw RdbException.shortRead(position());
  }

  /** Skips {@code len} bytes. */
  public void skip(long len) throws IOException, RdbException {
    while (len > 0) {
      if (pos == limit) need(1);
      int n = (int) Math.min(len, limit - pos);
      pos += n;
      len -= n;
    }
  }

  // ---- format primitives

  /** A type or opcode byte. */
  public int type() throws IOException, RdbException {
    return readByte();
  }

  /** A time in seconds: 4 bytes little-endian, signed (RDB_OPCODE_EXPIRETIME). */
  public int int32le() throws IOException, RdbException {
    need(4);
    int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16
        | (buf[pos + 3] & 0xff) << 24;
    pos += 4;
    return v;
  }

  /** 8 bytes little-endian. */
  public long int64le() throws IOException, RdbException {
    need(8);
    long v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | (buf[pos + i] & 0xff);
    pos += 8;
    return v;
  }

  /** Milliseconds (RDB_OPCODE_EXPIRETIME_MS and stream times). */
  public long millis() throws IOException, RdbException {
    return int64le();
  }

  public double binaryDouble() throws IOException, RdbException {
    return Double.longBitsToDouble(int64le());
  }

  public float binaryFloat() throws IOException, RdbException {
    return Float.intBitsToFloat(int32le());
  }

  /**
   * A double in the old text form (RDB_TYPE_ZSET): a length byte, 253 NaN, 254 +inf, 255 -inf,
   * else that many characters read as %lg.
   */
  public double textDouble() throws IOException, RdbException {
    int len = readByte();
    switch (len) {
      case 255:
        return Double.NEGATIVE_INFINITY;
      case 254:
        return Double.POSITIVE_INFINITY;
      case 253:
        return Double.NaN;
      default:
        byte[] b = readBytes(len);
        String s = new String(b, StandardCharsets.ISO_8859_1).strip();
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw RdbException.corrupt("Invalid double value", position());
        }
    }
  }

  /** Sentinel bit on the result of {@link #lenOrEncoding} for a special string encoding. */
  public static final long ENCODED = 1L << 62;

  /**
   * A length, or a special string encoding marked with {@link #ENCODED} (rdbLoadLenByRef). Lengths
   * above 2^62 are reported as corrupt.
   */
  public long lenOrEncoding() throws IOException, RdbException {
    return rawLen(false);
  }

  /**
   * A length field holding any 64-bit value, returned as its bit pattern (stream IDs and counters,
   * which Redis saves with rdbSaveLen, -1 included as 2^64 - 1); a string encoding is corrupt.
   */
  public long len64() throws IOException, RdbException {
    return rawLen(true);
  }

  private long rawLen(boolean plain) throws IOException, RdbException {
    int b = readByte();
    int kind = (b & 0xC0) >> 6;
    if (kind == RdbConstants.ENCVAL) {
      if (plain) {
        throw RdbException.corrupt("Unexpected string encoding where a length belongs", position());
      }
      return ENCODED | (b & 0x3F);
    }
    if (kind == RdbConstants.LEN_6BIT) return b & 0x3F;
    if (kind == RdbConstants.LEN_14BIT) return ((long) (b & 0x3F) << 8) | readByte();
    if (b == RdbConstants.LEN_32BIT) {
      need(4);
      long v = ((buf[pos] & 0xffL) << 24) | ((buf[pos + 1] & 0xffL) << 16)
          | ((buf[pos + 2] & 0xffL) << 8) | (buf[pos + 3] & 0xffL);
      pos += 4;
      return v;
    }
    if (b == RdbConstants.LEN_64BIT) {
      need(8);
      long v = 0;
      for (int i = 0; i < 8; i++) v = (v << 8) | (buf[pos + i] & 0xff);
      pos += 8;
      if (!plain && (v < 0 || v >= ENCODED)) {
        throw RdbException.corrupt("Invalid length " + Long.toUnsignedString(v), position());
      }
      return v;
    }
    throw RdbException.corrupt("Unknown length encoding " + kind + " in rdbLoadLen()", position());
  }

  /** A plain length; a string encoding here is corrupt. */
  public long len() throws IOException, RdbException {
    long v = lenOrEncoding();
    if ((v & ENCODED) != 0) {
      throw RdbException.corrupt("Unexpected string encoding where a length belongs", position());
    }
    return v;
  }

  /** A length that must fit in an int (element counts of in-memory structures). */
  public int intLen() throws IOException, RdbException {
    long v = len();
    if (v > Integer.MAX_VALUE - 16) {
      throw RdbException.corrupt("Length out of range: " + v, position());
    }
    return (int) v;
  }

  /**
   * A string in any of its encodings (rdbGenericLoadStringObject with RDB_LOAD_PLAIN): integers
   * come back as their decimal text, LZF data decompressed.
   */
  public byte[] string() throws IOException, RdbException {
    long len = lenOrEncoding();
    if ((len & ENCODED) == 0) return readBytes(len);
    int enc = (int) (len & 0x3F);
    switch (enc) {
      case RdbConstants.ENC_INT8, RdbConstants.ENC_INT16, RdbConstants.ENC_INT32:
        return Numbers.toBytes(encodedInteger(enc));
      case RdbConstants.ENC_LZF:
        return lzfString();
      default:
        throw RdbException.corrupt("Unknown RDB string encoding type " + enc, position());
    }
  }

  /** The value of an integer string encoding (ENC_INT8, ENC_INT16, ENC_INT32). */
  long encodedInteger(int enc) throws IOException, RdbException {
    if (enc == RdbConstants.ENC_INT8) return (byte) readByte();
    if (enc == RdbConstants.ENC_INT16) {
      int lo = readByte();
      int hi = readByte();
      return (short) (lo | (hi << 8));
    }
    return int32le();
  }

  private byte[] lzfString() throws IOException, RdbException {
    long clen = len();
    long len = len();
    checkLength(clen);
    if (len > Integer.MAX_VALUE - 16) {
      throw RdbException.corrupt("Invalid LZF compressed string", position());
    }
    // An LZF stream expands at most 264/3 times; refuse sizes no input of clen bytes can make.
    if (len > clen * 88 + 64) throw RdbException.corrupt("Invalid LZF compressed string", position());
    byte[] c = readBytes(clen);
    byte[] out = new byte[(int) len];
    if (Lzf.decompress(c, 0, c.length, out, out.length) != len) {
      throw RdbException.corrupt("Invalid LZF compressed string", position());
    }
    return out;
  }

  /** Skips a string in any encoding without keeping it. */
  public void skipString() throws IOException, RdbException {
    long len = lenOrEncoding();
    if ((len & ENCODED) == 0) {
      checkLength(len);
      skip(len);
      return;
    }
    int enc = (int) (len & 0x3F);
    switch (enc) {
      case RdbConstants.ENC_INT8 -> skip(1);
      case RdbConstants.ENC_INT16 -> skip(2);
      case RdbConstants.ENC_INT32 -> skip(4);
      case RdbConstants.ENC_LZF -> {
        long clen = len();
        len();
        checkLength(clen);
        skip(clen);
      }
      default -> throw RdbException.corrupt("Unknown RDB string encoding type " + enc, position());
    }
  }

  /** Reads a string as Latin-1 text (aux fields). */
  public String text() throws IOException, RdbException {
    return new String(string(), StandardCharsets.ISO_8859_1);
  }
}
