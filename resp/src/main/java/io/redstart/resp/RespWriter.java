package io.redstart.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Encodes replies into a buffer in RESP2 or RESP3, choosing for each RESP3 type its RESP2 fallback
 * as Redis does: maps become flat arrays, sets arrays, doubles and big numbers bulk strings,
 * booleans integers, nulls {@code $-1} (or {@code *-1} for null arrays), verbatim strings plain
 * bulks, pushes arrays.
 *
 * <p>The target buffer is set by the owner (a connection, or a test); one writer per connection,
 * used only by the thread that owns it.
 */
public final class RespWriter {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY_ARRAY = "*0\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ZERO = ":0\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ONE = ":1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRUE3 = "#t\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE3 = "#f\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Bulk strings shorter than this are framed in {@link #scratch} (two length digits at most). */
  private static final int SMALL_BULK = 64;

  private final byte[] scratch = new byte[SMALL_BULK + 7];
  private ByteBuf out;
  private int protocol = 2;

  public RespWriter() {}

  public RespWriter(ByteBuf out) {
    this.out = out;
  }

  public ByteBuf buffer() {
    return out;
  }

  public void buffer(ByteBuf out) {
    this.out = out;
  }

  /** 2 or 3, as set by HELLO. */
  public int protocol() {
    return protocol;
  }

  public void protocol(int protocol) {
    this.protocol = protocol;
  }

  public boolean resp3() {
    return protocol >= 3;
  }

  // ---- simple types

  public void ok() {
    out.writeBytes(OK);
  }

  /** {@code +text}: text must not contain CR or LF. */
  public void simple(String text) {
    out.writeByte('+');
    out.writeCharSequence(text, StandardCharsets.ISO_8859_1);
    out.writeBytes(CRLF);
  }

  public void simple(byte[] text) {
    out.writeByte('+');
    out.writeBytes(text);
    out.writeBytes(CRLF);
  }

  /**
   * An error reply. {@code message} starts with its code ({@code ERR}, {@code WRONGTYPE} ...);
   * a leading '-' is accepted and not doubled; CR and LF at the end are trimmed and those inside
   * replaced by spaces, as Redis's addReplyErrorFormat does.
   */
  public void error(String message) {
    out.writeByte('-');
    int start = message.startsWith("-") ? 1 : 0;
    int end = message.length();
    while (end > start && (message.charAt(end - 1) == '\r' || message.charAt(end - 1) == '\n')) end--;
    for (int i = start; i < end; i++) {
      char c = message.charAt(i);
      out.writeByte(c == '\r' || c == '\n' ? ' ' : c);
    }
    out.writeBytes(CRLF);
  }

  /** A preencoded reply, written as is. */
  public void raw(byte[] encoded) {
    out.writeBytes(encoded);
  }

  public void integer(long v) {
    if (v == 0) {
      out.writeBytes(ZERO);
    } else if (v == 1) {
      out.writeBytes(ONE);
    } else {
      prefixed(':', v);
    }
  }

  // ---- bulk strings

  public void bulk(byte[] b) {
    bulk(b, 0, b.length);
  }

  public void bulk(byte[] b, int off, int len) {
    if (len < SMALL_BULK) {
      // Framed in a scratch array and written with one call: a reply of many short elements
      // (LRANGE, HGETALL, SMEMBERS ...) pays one buffer check per element instead of five.
      byte[] s = scratch;
      int p = 0;
      s[p++] = '$';
      if (len >= 10) s[p++] = (byte) ('0' + len / 10);
      s[p++] = (byte) ('0' + len % 10);
      s[p++] = '\r';
      s[p++] = '\n';
      System.arraycopy(b, off, s, p, len);
      p += len;
      s[p++] = '\r';
      s[p++] = '\n';
      out.writeBytes(s, 0, p);
      return;
    }
    prefixed('$', len);
    out.writeBytes(b, off, len);
    out.writeBytes(CRLF);
  }

  /** A bulk string of ASCII/Latin-1 text. */
  public void bulk(String s) {
    bulk(s.getBytes(StandardCharsets.UTF_8));
  }

  /** An integer rendered as a bulk string, as Redis's addReplyBulkLongLong. */
  public void bulkLong(long v) {
    prefixed('$', Numbers.digits(v));
    decimal(v);
    out.writeBytes(CRLF);
  }

  /** The null bulk string: {@code $-1} in RESP2, {@code _} in RESP3. */
  public void nullBulk() {
    out.writeBytes(resp3() ? NULL3 : NULL_BULK);
  }

  /** The null array: {@code *-1} in RESP2, {@code _} in RESP3. */
  public void nullArray() {
    out.writeBytes(resp3() ? NULL3 : NULL_ARRAY);
  }

  /** Verbatim text ({@code =len\r\ntxt:...} in RESP3, a bulk string in RESP2). */
  public void verbatim(String text, String format) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    if (!resp3()) {
      bulk(b);
      return;
    }
    prefixed('=', b.length + 4);
    out.writeCharSequence(format, StandardCharsets.US_ASCII);
    out.writeByte(':');
    out.writeBytes(b);
    out.writeBytes(CRLF);
  }

  // ---- aggregates

  public void array(long n) {
    if (n == 0) {
      out.writeBytes(EMPTY_ARRAY);
    } else {
      prefixed('*', n);
    }
  }

  /** A map of {@code pairs} key/value pairs; a flat array of twice that length in RESP2. */
  public void map(long pairs) {
    if (resp3()) {
      prefixed('%', pairs);
    } else {
      array(pairs * 2);
    }
  }

  public void set(long n) {
    if (resp3()) {
      prefixed('~', n);
    } else {
      array(n);
    }
  }

  public void push(long n) {
    if (resp3()) {
      prefixed('>', n);
    } else {
      array(n);
    }
  }

  public void attribute(long pairs) {
    prefixed('|', pairs);
  }

  public void emptyArray() {
    out.writeBytes(EMPTY_ARRAY);
  }

  // ---- numbers

  /** A double as Redis's addReplyDouble: {@code ,%.17g} in RESP3, a bulk string in RESP2. */
  public void doubleValue(double d) {
    String text = CFormat.g17(d);
    if (resp3()) {
      out.writeByte(',');
      out.writeCharSequence(text, StandardCharsets.US_ASCII);
      out.writeBytes(CRLF);
    } else {
      bulk(text.getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** A double already formatted by the caller (RESP3 {@code ,text}, RESP2 bulk). */
  public void doubleText(byte[] text) {
    if (resp3()) {
      out.writeByte(',');
      out.writeBytes(text);
      out.writeBytes(CRLF);
    } else {
      bulk(text);
    }
  }

  public void bool(boolean b) {
    if (resp3()) {
      out.writeBytes(b ? TRUE3 : FALSE3);
    } else {
      out.writeBytes(b ? ONE : ZERO);
    }
  }

  public void bigNumber(String digits) {
    if (resp3()) {
      out.writeByte('(');
      out.writeCharSequence(digits, StandardCharsets.US_ASCII);
      out.writeBytes(CRLF);
    } else {
      bulk(digits);
    }
  }

  // ---- helpers

  private void prefixed(char prefix, long v) {
    out.ensureWritable(24);
    out.writeByte(prefix);
    decimal(v);
    out.writeBytes(CRLF);
  }

  /** Writes the decimal digits of {@code v} at the writer index. */
  private void decimal(long v) {
    if (v >= 0 && v < 10) {
      out.writeByte((byte) ('0' + v));
      return;
    }
    if (v == Long.MIN_VALUE) {
      out.writeCharSequence("-9223372036854775808", StandardCharsets.US_ASCII);
      return;
    }
    int n = Numbers.digits(v);
    out.ensureWritable(n);
    int w = out.writerIndex();
    if (v < 0) {
      out.setByte(w, '-');
      v = -v;
    }
    int p = w + n;
    do {
      out.setByte(--p, (byte) ('0' + (v % 10)));
      v /= 10;
    } while (v != 0);
    out.writerIndex(w + n);
  }
}
