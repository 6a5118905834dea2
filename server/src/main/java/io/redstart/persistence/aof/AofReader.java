package io.redstart.persistence.aof;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the commands of an AOF file as loadSingleAppendOnlyFile does: each command a RESP array
 * of bulk strings ({@code *<argc>\r\n} then {@code $<len>\r\n<bytes>\r\n} per argument), with
 * annotation lines starting with {@code #} (timestamps {@code #TS:<unix time>}) skipped. Lines are
 * read as fgets reads them, at most 1023 bytes.
 *
 * <p>Every read reports where the last complete command ended ({@link #validUpTo}), so a file
 * whose tail was cut can be truncated back to it. Lengths are checked against the file's size
 * before anything is allocated. Not thread-safe.
 */
public final class AofReader {
  /** What {@link #next} found. */
  public enum Status {
    /** A complete command: see {@link #argv}. */
    COMMAND,
    /** The end of the file, after a complete command (or an empty file). */
    END,
    /** The file ends inside a command: a short read, as after a crash mid-write. */
    TRUNCATED,
    /** Bytes that are not the AOF format (Redis's "Bad file format"). */
    BAD_FORMAT
  }

  private static final int LINE_MAX = 1024;

  private final InputStream in;
  private final long size;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private long base;
  private long validUpTo;
  private byte[][] argv;
  private long lastTimestamp = -1;

  /**
   * @param in the file's bytes from {@code start}
   * @param start the offset of the first byte of {@code in} within the file (after an RDB
   *     preamble, for instance)
   * @param size the file's total size
   */
  public AofReader(InputStream in, long start, long size) {
    this.in = in;
    this.base = start;
    this.validUpTo = start;
    this.size = size;
  }

  /** The arguments of the command {@link #next} returned. */
  public byte[][] argv() {
    return argv;
  }

  /** The offset just past the last complete command (or the start). */
  public long validUpTo() {
    return validUpTo;
  }

  /** Offset of the next byte to read. */
  public long position() {
    return base + pos;
  }

  /** The last {@code #TS:} annotation seen, or -1. */
  public long lastTimestamp() {
    return lastTimestamp;
  }

  private boolean fill() throws IOException {
    if (pos < limit) return true;
    base += limit;
    pos = 0;
    limit = 0;
    int r = in.read(buf, 0, buf.length);
    if (r <= 0) return false;
    limit = r;
    return true;
  }

  /** fgets: up to and including '\n', at most LINE_MAX - 1 bytes; null at end of input. */
  private byte[] line() throws IOException {
    byte[] out = new byte[64];
    int n = 0;
    while (n < LINE_MAX - 1) {
      if (!fill()) break;
      byte b = buf[pos++];
      if (n == out.length) out = Arrays.copyOf(out, out.length * 2);
      out[n++] = b;
      if (b == '\n') break;
    }
    return n == 0 ? null : Arrays.copyOf(out, n);
  }

  private boolean readFully(byte[] dst, int off, int len) throws IOException {
    while (len > 0) {
      if (!fill()) return false;
      int k = Math.min(len, limit - pos);
      System.arraycopy(buf, pos, dst, off, k);
      pos += k;
      off += k;
      len -= k;
    }
    return true;
  }

  /** Reads the next command. */
  public Status next() throws IOException {
    while (true) {
      byte[] l = line();
      if (l == null) return Status.END;
      if (l[0] == '#') {
        if (l.length > 4 && l[1] == 'T' && l[2] == 'S' && l[3] == ':') lastTimestamp = atol(l, 4);
        continue;
      }
      if (l[0] != '*') return Status.BAD_FORMAT;
      if (l.length == 1) return Status.TRUNCATED; // "*" then end of file
      long argc = atol(l, 1);
      if (argc < 1 || argc > Integer.MAX_VALUE / 8) return Status.BAD_FORMAT;
      byte[][] args = new byte[(int) Math.min(argc, 1024)][];
      for (int j = 0; j < argc; j++) {
        byte[] h = line();
        if (h == null) return Status.TRUNCATED;
        if (h[0] != '$') return Status.BAD_FORMAT;
        long len = atol(h, 1);
        if (len < 0) return Status.BAD_FORMAT;
        if (len > size - position()) return Status.TRUNCATED;
        byte[] a = new byte[(int) len];
        if (!readFully(a, 0, a.length)) return Status.TRUNCATED;
        byte[] crlf = new byte[2];
        if (!readFully(crlf, 0, 2)) return Status.TRUNCATED;
        if (j == args.length) args = Arrays.copyOf(args, (int) Math.min(argc, (long) args.length * 2));
        args[j] = a;
      }
      argv = args;
      validUpTo = position();
      return Status.COMMAND;
    }
  }

  /** Marks the current position as the end of a complete unit (after MULTI ... EXEC). */
  void markValid() {
    validUpTo = position();
  }

  /** C's strtol/atoi prefix from {@code off}: optional sign and digits; 0 when none. */
  private static long atol(byte[] b, int off) {
    int i = off;
    while (i < b.length && (b[i] == ' ' || b[i] == '\t')) i++;
    boolean neg = false;
    if (i < b.length && (b[i] == '-' || b[i] == '+')) neg = b[i++] == '-';
    long v = 0;
    while (i < b.length && b[i] >= '0' && b[i] <= '9' && v < Long.MAX_VALUE / 10) v = v * 10 + (b[i++] - '0');
    return neg ? -v : v;
  }
}
