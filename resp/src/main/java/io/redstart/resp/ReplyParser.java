package io.redstart.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses replies (RESP2 and RESP3) from a server: for clients, the CLI, replication links and
 * tests. {@link #next} returns a complete reply or {@code null} when more input is needed,
 * consuming nothing in that case, so it can be called again when more bytes arrive.
 *
 * <p>Decoded values: simple strings as {@link String}, errors as {@link RespError}, integers as
 * {@link Long}, bulk and verbatim strings as {@code byte[]}, doubles as {@link Double}, booleans
 * as {@link Boolean}, big numbers as {@link java.math.BigInteger}, arrays, sets and pushes as
 * {@link List} (pushes as {@link Push}), maps and attributes as {@link List} of alternating keys
 * and values wrapped in {@link RespMap}, nulls as {@link #NULL}.
 */
public final class ReplyParser {
  /** The decoded null ({@code $-1}, {@code *-1} or {@code _}). */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "(nil)";
    }
  };

  /** An error reply; {@code message} excludes the leading '-'. */
  public record RespError(String message) {}

  /** A RESP3 push message. */
  public record Push(List<Object> items) {}

  /** A RESP3 map or attribute, as its alternating keys and values. */
  public record RespMap(List<Object> flat) {}

  /** A RESP3 set. */
  public record RespSet(List<Object> items) {}

  private final long maxBulk;

  public ReplyParser() {
    this(Long.MAX_VALUE);
  }

  public ReplyParser(long maxBulk) {
    this.maxBulk = maxBulk;
  }

  private static final class NeedMore extends Exception {
    NeedMore() {
      super(null, null, false, false);
    }
  }

  private static final NeedMore NEED_MORE = new NeedMore();

  /** The next complete reply, or {@code null} (nothing consumed) when more input is needed. */
  public Object next(ByteBuf in) throws ProtocolException {
    int mark = in.readerIndex();
    try {
      return read(in);
    } catch (NeedMore e) {
      in.readerIndex(mark);
      return null;
    }
  }

  private Object read(ByteBuf in) throws NeedMore, ProtocolException {
    if (!in.isReadable()) throw NEED_MORE;
    byte type = in.readByte();
    String line = line(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        return new RespError(line);
      case ':':
        return parseLong(line);
      case '$':
      case '=': {
        long len = parseLong(line);
        if (len < 0) return NULL;
        if (len > maxBulk) throw new ProtocolException("Protocol error: invalid bulk length");
        if (in.readableBytes() < len + 2) throw NEED_MORE;
        byte[] b = new byte[(int) len];
        in.readBytes(b);
        in.skipBytes(2);
        return b;
      }
      case '*':
      case '~':
      case '>': {
        long n = parseLong(line);
        if (n < 0) return NULL;
        List<Object> items = new ArrayList<>((int) Math.min(n, 1024));
        for (long i = 0; i < n; i++) items.add(read(in));
        if (type == '>') return new Push(items);
        if (type == '~') return new RespSet(items);
        return items;
      }
      case '%':
      case '|': {
        long n = parseLong(line);
        List<Object> flat = new ArrayList<>((int) Math.min(n * 2, 1024));
        for (long i = 0; i < n * 2; i++) flat.add(read(in));
        if (type == '|') {
          // An attribute precedes the reply it annotates; return that reply.
          return read(in);
        }
        return new RespMap(flat);
      }
      case '_':
        return NULL;
      case ',':
        return switch (line) {
          case "inf" -> Double.POSITIVE_INFINITY;
          case "-inf" -> Double.NEGATIVE_INFINITY;
          case "nan", "-nan" -> Double.NaN;
          default -> Double.parseDouble(line);
        };
      case '#':
        return "t".equals(line);
      case '(':
        return new java.math.BigInteger(line);
      default:
        throw new ProtocolException("Protocol error: unexpected reply type '" + (char) type + "'");
    }
  }

  private static String line(ByteBuf in) throws NeedMore {
    int cr = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\r');
    if (cr < 0 || cr + 1 >= in.writerIndex()) throw NEED_MORE;
    String s = in.toString(in.readerIndex(), cr - in.readerIndex(), StandardCharsets.UTF_8);
    in.readerIndex(cr + 2);
    return s;
  }

  private static long parseLong(String s) throws ProtocolException {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new ProtocolException("Protocol error: bad number '" + s + "'");
    }
  }
}
