package io.redstart.resp;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Incremental parser of client requests: RESP multibulk ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n})
 * and inline commands ({@code GET k\r\n}, as typed in telnet). It keeps its state between calls,
 * so input may arrive one byte at a time.
 *
 * <p>Limits and error texts are Redis 7.0's ({@code processMultibulkBuffer} and {@code
 * processInlineBuffer}): a line without its CR/LF may not exceed 64 KiB, a bulk may not exceed
 * {@code proto-max-bulk-len}, and an unauthenticated client may send at most 10 arguments of at
 * most 16384 bytes each. Like Redis it does not check the CR LF after a bulk's payload.
 *
 * <p>Owned by one connection's thread; not thread-safe.
 */
public final class RequestParser {
  /** Longest line (inline command, or a {@code *N} / {@code $N} header) without its newline. */
  public static final int INLINE_MAX_SIZE = 64 * 1024;

  /** Most arguments an unauthenticated client may send in one command. */
  public static final int UNAUTHENTICATED_MAX_ARGS = 10;

  /** Longest argument an unauthenticated client may send. */
  public static final int UNAUTHENTICATED_MAX_BULK = 16384;

  private static final byte[][] EMPTY = new byte[0][];

  private long maxBulkLength;

  // Multibulk state: remaining arguments, the current bulk's length (-1 when its header is unread).
  private boolean inMultibulk;
  private int multibulkRemaining;
  private long bulkLength = -1;
  private byte[][] argv = EMPTY;
  private int argc;
  private long argvBytes;

  /** @param maxBulkLength {@code proto-max-bulk-len}: the longest argument accepted */
  public RequestParser(long maxBulkLength) {
    this.maxBulkLength = maxBulkLength;
  }

  public void setMaxBulkLength(long maxBulkLength) {
    this.maxBulkLength = maxBulkLength;
  }

  /**
   * Parses the next complete command from {@code in}, advancing its reader index over what it
   * consumed.
   *
   * @param authenticated whether the client may send commands of any size
   * @return the command's arguments (at least one), or {@code null} when more input is needed
   * @throws ProtocolException on malformed or oversized input; the parser must not be used again
   */
  public byte[][] next(ByteBuf in, boolean authenticated) throws ProtocolException {
    while (in.isReadable()) {
      if (!inMultibulk) {
        if (in.getByte(in.readerIndex()) == '*') {
          if (!readMultibulkHeader(in, authenticated)) return null;
          if (!inMultibulk) continue; // *0 or *-1: an empty command, skipped as Redis does
        } else {
          byte[][] inline = readInline(in);
          if (inline == null) return null;
          if (inline.length == 0) continue;
          return inline;
        }
      }
      return readBulks(in, authenticated);
    }
    return null;
  }

  /** Whether a multibulk command has been started but not completed. */
  public boolean isMidCommand() {
    return inMultibulk;
  }

  /**
   * Bytes held in the arguments already received of a command not yet complete (Redis counts
   * them as the client's argv-mem); 0 between commands.
   */
  public long pendingArgvBytes() {
    return inMultibulk ? argvBytes : 0;
  }

  /** Length of the bulk being received, or -1 between bulks: lets a caller size its buffer. */
  public long pendingBulkLength() {
    return bulkLength;
  }

  private boolean readMultibulkHeader(ByteBuf in, boolean authenticated) throws ProtocolException {
    int start = in.readerIndex();
    int cr = find(in, start, in.writerIndex(), (byte) '\r');
    if (cr < 0) {
      if (in.readableBytes() > INLINE_MAX_SIZE) {
        throw new ProtocolException("Protocol error: too big mbulk count string");
      }
      return false;
    }
    if (cr + 1 >= in.writerIndex()) return false; // the '\n' has not arrived yet
    long count = parseLength(in, start + 1, cr);
    if (count == Long.MIN_VALUE || count > Integer.MAX_VALUE) {
      throw new ProtocolException("Protocol error: invalid multibulk length");
    }
    if (count > UNAUTHENTICATED_MAX_ARGS && !authenticated) {
      throw new ProtocolException("Protocol error: unauthenticated multibulk length");
    }
    in.readerIndex(cr + 2);
    if (count <= 0) return true;
    inMultibulk = true;
    multibulkRemaining = (int) count;
    argv = new byte[(int) Math.min(count, 1024)][];
    argc = 0;
    argvBytes = 0;
    bulkLength = -1;
    return true;
  }

  private byte[][] readBulks(ByteBuf in, boolean authenticated) throws ProtocolException {
    while (multibulkRemaining > 0) {
      if (bulkLength < 0) {
        int start = in.readerIndex();
        int cr = find(in, start, in.writerIndex(), (byte) '\r');
        if (cr < 0) {
          if (in.readableBytes() > INLINE_MAX_SIZE) {
            throw new ProtocolException("Protocol error: too big bulk count string");
          }
          return null;
        }
        if (cr + 1 >= in.writerIndex()) return null;
        byte first = in.getByte(start);
        if (first != '$') {
          throw new ProtocolException(
              "Protocol error: expected '$', got '" + (char) (first & 0xff) + "'");
        }
        long len = parseLength(in, start + 1, cr);
        if (len == Long.MIN_VALUE || len < 0 || len > maxBulkLength) {
          throw new ProtocolException("Protocol error: invalid bulk length");
        }
        if (len > UNAUTHENTICATED_MAX_BULK && !authenticated) {
          throw new ProtocolException("Protocol error: unauthenticated bulk length");
        }
        in.readerIndex(cr + 2);
        bulkLength = len;
      }
      if (in.readableBytes() < bulkLength + 2) return null;
      byte[] arg = new byte[(int) bulkLength];
      in.readBytes(arg);
      in.skipBytes(2);
      if (argc == argv.length) {
        byte[][] grown = new byte[(int) Math.min((long) argv.length * 2, argc + (long) multibulkRemaining)][];
        System.arraycopy(argv, 0, grown, 0, argc);
        argv = grown;
      }
      argv[argc++] = arg;
      argvBytes += arg.length;
      bulkLength = -1;
      multibulkRemaining--;
    }
    inMultibulk = false;
    byte[][] command = argv.length == argc ? argv : Arrays.copyOf(argv, argc);
    argv = EMPTY;
    argc = 0;
    argvBytes = 0;
    return command;
  }

  /**
   * Parses a header length with Redis's string2ll rules, straight from the buffer; returns
   * {@code Long.MIN_VALUE} when invalid (a valid text never yields it: "-9223372036854775808" is
   * reported as {@code Long.MIN_VALUE + 1}, which every caller treats alike).
   */
  private static long parseLength(ByteBuf in, int from, int to) {
    int len = to - from;
    if (len <= 0 || len >= Numbers.LONG_STR_SIZE) return Long.MIN_VALUE;
    if (in.hasArray()) {
      int base = in.arrayOffset();
      return parseLength(in.array(), base + from, base + to);
    }
    byte[] text = new byte[len];
    in.getBytes(from, text);
    return parseLength(text, 0, len);
  }

  private static long parseLength(byte[] a, int from, int to) {
    if (to - from == 1) {
      int d = a[from] - '0';
      return d >= 0 && d <= 9 ? d : Long.MIN_VALUE;
    }
    int p = from;
    boolean negative = a[p] == '-';
    if (negative) p++;
    if (p == to) return Long.MIN_VALUE;
    byte first = a[p];
    if (first < '1' || first > '9') return Long.MIN_VALUE;
    long acc = 0;
    for (; p < to; p++) {
      int d = a[p] - '0';
      if (d < 0 || d > 9) return Long.MIN_VALUE;
      if (acc < Long.MIN_VALUE / 10) return Long.MIN_VALUE;
      acc *= 10;
      if (acc < Long.MIN_VALUE + d) return Long.MIN_VALUE;
      acc -= d;
    }
    if (negative) return acc == Long.MIN_VALUE ? Long.MIN_VALUE + 1 : acc;
    return acc == Long.MIN_VALUE ? Long.MIN_VALUE : -acc;
  }

  /**
   * The index of {@code target} in {@code in[from, to)}, or -1 when absent or when a NUL byte
   * comes first: Redis searches with strchr, which stops at NUL.
   */
  private static int find(ByteBuf in, int from, int to, byte target) {
    if (in.hasArray()) {
      byte[] a = in.array();
      int base = in.arrayOffset();
      for (int i = base + from, end = base + to; i < end; i++) {
        byte b = a[i];
        if (b == target) return i - base;
        if (b == 0) return -1;
      }
      return -1;
    }
    int i = in.forEachByte(from, to - from, b -> b != target && b != 0);
    if (i < 0 || in.getByte(i) == 0) return -1;
    return i;
  }

  private static byte[][] readInline(ByteBuf in) throws ProtocolException {
    int start = in.readerIndex();
    int lf = find(in, start, in.writerIndex(), (byte) '\n');
    if (lf < 0) {
      if (in.readableBytes() > INLINE_MAX_SIZE) {
        throw new ProtocolException("Protocol error: too big inline request");
      }
      return null;
    }
    int end = lf;
    if (end > start && in.getByte(end - 1) == '\r') end--;
    byte[] line = new byte[end - start];
    in.getBytes(start, line);
    byte[][] args = SplitArgs.split(line);
    if (args == null) throw new ProtocolException("Protocol error: unbalanced quotes in request");
    in.readerIndex(lf + 1);
    return args;
  }
}
