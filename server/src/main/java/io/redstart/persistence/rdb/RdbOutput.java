package io.redstart.persistence.rdb;

import io.redstart.resp.Numbers;
import java.io.IOException;
import java.util.Arrays;

/**
 * Writes the primitives of the RDB format (rdb.c's rdbSave* functions) into a buffer that is
 * handed to a {@link Sink} when full, keeping the running CRC-64 and the byte count. The same
 * writer produces files, DUMP payloads and DEBUG OBJECT's serialized lengths, so all three agree.
 *
 * <pre>
 * length   00xxxxxx | 01xxxxxx xxxxxxxx | 0x80 + 4 bytes BE | 0x81 + 8 bytes BE
 * string   length + bytes
 *          | 0xC0 int8 | 0xC1 int16 LE | 0xC2 int32 LE       canonical integers of up to 11 chars
 *          | 0xC3 len(compressed) len(original) LZF bytes   longer than 20 bytes, when it saves 4
 * time     8 bytes little-endian milliseconds
 * double   8 bytes little-endian IEEE 754 (RDB 8 and later)
 * </pre>
 *
 * <p>Not thread-safe: one writer per thread (the keyspace thread for SAVE and DUMP, a snapshot
 * writer for BGSAVE).
 */
public final class RdbOutput {
  /** Where full buffers go. */
  @FunctionalInterface
  public interface Sink {
    void write(byte[] b, int off, int len) throws IOException;
  }

  /** A sink that keeps nothing: for lengths only. */
  public static final Sink DISCARD = (b, off, len) -> { };

  private final Sink sink;
  private final boolean compression;
  private final boolean checksum;
  private byte[] buf;
  private int pos;
  private long crc;
  private long flushed;
  private byte[] lzfScratch = new byte[64];

  /**
   * @param sink receives the bytes, in order, whenever the buffer fills and on {@link #flush}
   * @param compression rdbcompression: LZF for strings longer than 20 bytes
   * @param checksum rdbchecksum: when false the CRC stays 0 (what Redis writes then)
   * @param bufferSize bytes buffered before the sink is called
   */
  public RdbOutput(Sink sink, boolean compression, boolean checksum, int bufferSize) {
    this.sink = sink;
    this.compression = compression;
    this.checksum = checksum;
    this.buf = new byte[Math.max(64, bufferSize)];
  }

  /** An in-memory writer that grows as needed (DUMP payloads); read it with {@link #toBytes}. */
  public static RdbOutput inMemory(boolean compression) {
    return new RdbOutput(null, compression, true, 256);
  }

  /** Bytes written so far, buffered or not. */
  public long bytes() {
    return flushed + pos;
  }

  /** The CRC-64 of every byte written so far (0 when checksums are off). */
  public long crc() {
    if (!checksum) return 0;
    return Crc64.update(crc, buf, 0, pos);
  }

  /** The bytes of an in-memory writer. */
  public byte[] toBytes() {
    if (sink != null) throw new IllegalStateException("not an in-memory writer");
    return Arrays.copyOf(buf, pos);
  }

  /** Hands the buffered bytes to the sink. */
  public void flush() throws IOException {
    if (sink == null || pos == 0) return;
    if (checksum) crc = Crc64.update(crc, buf, 0, pos);
    sink.write(buf, 0, pos);
    flushed += pos;
    pos = 0;
  }

  private void ensure(int n) throws IOException {
    if (buf.length - pos >= n) return;
    if (sink == null) {
      buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max((long) buf.length * 2, (long) pos + n)));
      return;
    }
    flush();
  }

  // ---- raw bytes

  public void writeByte(int b) throws IOException {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  public void write(byte[] b) throws IOException {
    write(b, 0, b.length);
  }

  public void write(byte[] b, int off, int len) throws IOException {
    if (buf.length - pos >= len) {
      System.arraycopy(b, off, buf, pos, len);
      pos += len;
      return;
    }
    if (sink == null) {
      ensure(len);
      System.arraycopy(b, off, buf, pos, len);
      pos += len;
      return;
    }
    while (len > 0) {
      if (pos == buf.length) flush();
      int n = Math.min(len, buf.length - pos);
      System.arraycopy(b, off, buf, pos, n);
      pos += n;
      off += n;
      len -= n;
    }
  }

  // ---- format primitives

  /** A type or opcode byte (rdbSaveType). */
  public void type(int type) throws IOException {
    writeByte(type);
  }

  /** A length (rdbSaveLen): 1, 2, 5 or 9 bytes. Returns the bytes written. */
  public int len(long len) throws IOException {
    ensure(9);
    if (len >= 0 && len < (1 << 6)) {
      buf[pos++] = (byte) len;
      return 1;
    } else if (len >= 0 && len < (1 << 14)) {
      buf[pos++] = (byte) (((len >>> 8) & 0xff) | (RdbConstants.LEN_14BIT << 6));
      buf[pos++] = (byte) len;
      return 2;
    } else if (len >= 0 && len <= 0xffffffffL) {
      buf[pos++] = (byte) RdbConstants.LEN_32BIT;
      buf[pos++] = (byte) (len >>> 24);
      buf[pos++] = (byte) (len >>> 16);
      buf[pos++] = (byte) (len >>> 8);
      buf[pos++] = (byte) len;
      return 5;
    } else {
      buf[pos++] = (byte) RdbConstants.LEN_64BIT;
      for (int i = 7; i >= 0; i--) buf[pos++] = (byte) (len >>> (8 * i));
      return 9;
    }
  }

  /** Milliseconds as 8 little-endian bytes (rdbSaveMillisecondTime). */
  public void millis(long t) throws IOException {
    ensure(8);
    for (int i = 0; i < 8; i++) buf[pos++] = (byte) (t >>> (8 * i));
  }

  /** A double as 8 little-endian IEEE 754 bytes (rdbSaveBinaryDoubleValue). */
  public void binaryDouble(double d) throws IOException {
    millis(Double.doubleToRawLongBits(d));
  }

  /** A 32-bit unsigned little-endian integer (listpack and intset headers use this order). */
  public void uint32le(long v) throws IOException {
    ensure(4);
    for (int i = 0; i < 4; i++) buf[pos++] = (byte) (v >>> (8 * i));
  }

  /**
   * The integer encodings of rdbEncodeInteger: writes {@code v} in 2, 3 or 5 bytes and returns the
   * count, or returns 0 (writing nothing) when it does not fit in 32 bits.
   */
  public int encodedInteger(long v) throws IOException {
    ensure(5);
    if (v >= -(1 << 7) && v <= (1 << 7) - 1) {
      buf[pos++] = (byte) ((RdbConstants.ENCVAL << 6) | RdbConstants.ENC_INT8);
      buf[pos++] = (byte) v;
      return 2;
    } else if (v >= -(1 << 15) && v <= (1 << 15) - 1) {
      buf[pos++] = (byte) ((RdbConstants.ENCVAL << 6) | RdbConstants.ENC_INT16);
      buf[pos++] = (byte) v;
      buf[pos++] = (byte) (v >>> 8);
      return 3;
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      buf[pos++] = (byte) ((RdbConstants.ENCVAL << 6) | RdbConstants.ENC_INT32);
      buf[pos++] = (byte) v;
      buf[pos++] = (byte) (v >>> 8);
      buf[pos++] = (byte) (v >>> 16);
      buf[pos++] = (byte) (v >>> 24);
      return 5;
    }
    return 0;
  }

  /**
   * A string as rdbSaveRawString writes it: a canonical integer of up to 11 characters that fits
   * in 32 bits as an integer encoding; longer than 20 bytes LZF-compressed when compression is on
   * and it saves at least 4 bytes; else the length and the bytes. Returns the bytes written.
   */
  public long string(byte[] s, int off, int len) throws IOException {
    if (len <= 11 && Numbers.isLong(s, off, len)) {
      int n = encodedInteger(Numbers.parseLong(s, off, len));
      if (n > 0) return n;
    }
    if (compression && len > RdbConstants.LZF_MIN_LENGTH) {
      long n = lzfString(s, off, len);
      if (n > 0) return n;
    }
    int n = len(len);
    write(s, off, len);
    return n + len;
  }

  public long string(byte[] s) throws IOException {
    return string(s, 0, s.length);
  }

  /** rdbSaveLzfStringObject: 0 when the data does not shrink by more than 4 bytes. */
  private long lzfString(byte[] s, int off, int len) throws IOException {
    int outLen = len - 4;
    if (lzfScratch.length < outLen + 1) lzfScratch = new byte[Math.max(outLen + 1, lzfScratch.length * 2)];
    int clen = Lzf.compress(s, off, len, lzfScratch, outLen);
    if (clen == 0) return 0;
    return lzfBlob(lzfScratch, 0, clen, len);
  }

  /** An already compressed blob (rdbSaveLzfBlob), as quicklist nodes are saved. */
  public long lzfBlob(byte[] data, int off, int compressedLen, long originalLen) throws IOException {
    writeByte((RdbConstants.ENCVAL << 6) | RdbConstants.ENC_LZF);
    long n = 1;
    n += len(compressedLen);
    n += len(originalLen);
    write(data, off, compressedLen);
    return n + compressedLen;
  }

  /** rdbSaveLongLongAsStringObject: an integer encoding, or its decimal text. */
  public long longAsString(long v) throws IOException {
    int n = encodedInteger(v);
    if (n > 0) return n;
    byte[] text = Numbers.toBytes(v);
    int h = len(text.length);
    write(text);
    return h + text.length;
  }

  /** An AUX field: opcode, name, value (rdbSaveAuxField). */
  public void aux(String name, String value) throws IOException {
    type(RdbConstants.OPCODE_AUX);
    string(name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    string(value.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
  }
}
