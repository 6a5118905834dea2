package io.redstart.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One reply as a tree that keeps every byte: its RESP type character, and either its header line
 * (simple strings, errors, integers, doubles, booleans, big numbers, nulls), its payload (bulk and
 * verbatim strings) or its elements (arrays, sets, pushes, maps, attributes). {@link #encode} gives
 * back the exact bytes it was parsed from; lengths and counts are recomputed, so a normalising rule
 * can change a payload or reorder elements and still get well-formed RESP.
 *
 * <p>A RESP3 attribute ({@code |}) is a node of its own, followed by the reply it annotates; {@link
 * #parseAll} returns both.
 */
public final class Reply {
  final char type;

  /** Header text (ISO-8859-1) for line-typed replies and null aggregates/bulks ("-1"). */
  String line;

  /** Bulk or verbatim payload; null for other types and for the null bulk. */
  byte[] payload;

  /** Elements of an aggregate (maps and attributes: keys and values alternating). */
  List<Reply> children;

  private Reply(char type) {
    this.type = type;
  }

  static Reply line(char type, String line) {
    Reply r = new Reply(type);
    r.line = line;
    return r;
  }

  static Reply bulk(byte[] payload) {
    Reply r = new Reply('$');
    r.payload = payload;
    return r;
  }

  static Reply aggregate(char type, List<Reply> children) {
    Reply r = new Reply(type);
    r.children = children;
    return r;
  }

  public char type() {
    return type;
  }

  public boolean isAggregate() {
    return type == '*' || type == '~' || type == '>' || type == '%' || type == '|';
  }

  public boolean isString() {
    return type == '$' || type == '=';
  }

  public boolean isMap() {
    return type == '%' || type == '|';
  }

  /** A bulk or verbatim payload, or a line as bytes. */
  public byte[] bytes() {
    if (payload != null) return payload;
    return line == null ? new byte[0] : line.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Text of a simple string, error or number, or of a bulk payload (ISO-8859-1). */
  public String text() {
    return Bytes.latin1(bytes());
  }

  public List<Reply> children() {
    return children;
  }

  /** Every reply in a complete frame (an attribute and what follows it are two). */
  public static List<Reply> parseAll(byte[] frame) {
    int[] pos = {0};
    List<Reply> out = new ArrayList<>();
    while (pos[0] < frame.length) out.add(parse(frame, pos));
    return out;
  }

  /** The reply a frame carries: its last node (after any attribute). */
  public static Reply parse(byte[] frame) {
    List<Reply> all = parseAll(frame);
    if (all.isEmpty()) throw new IllegalArgumentException("empty frame");
    return all.getLast();
  }

  private static Reply parse(byte[] b, int[] pos) {
    char type = (char) (b[pos[0]++] & 0xff);
    String header = readLine(b, pos);
    switch (type) {
      case '$', '=' -> {
        int len = Integer.parseInt(header);
        if (len < 0) return line(type, header);
        byte[] payload = new byte[len];
        System.arraycopy(b, pos[0], payload, 0, len);
        pos[0] += len + 2;
        Reply r = new Reply(type);
        r.payload = payload;
        return r;
      }
      case '*', '~', '>', '%', '|' -> {
        long n = Long.parseLong(header);
        if (n < 0) return line(type, header);
        long items = type == '%' || type == '|' ? n * 2 : n;
        List<Reply> children = new ArrayList<>((int) Math.min(items, 1024));
        for (long i = 0; i < items; i++) children.add(parse(b, pos));
        return aggregate(type, children);
      }
      default -> {
        return line(type, header);
      }
    }
  }

  private static String readLine(byte[] b, int[] pos) {
    int start = pos[0];
    int i = start;
    while (i + 1 < b.length && !(b[i] == '\r' && b[i + 1] == '\n')) i++;
    if (i + 1 >= b.length)
      throw new IllegalArgumentException("unterminated line in " + Bytes.printable(b));
    pos[0] = i + 2;
    return new String(b, start, i - start, StandardCharsets.ISO_8859_1);
  }

  /** The reply's bytes. */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encode(out);
    return out.toByteArray();
  }

  /** Several replies' bytes, one after the other. */
  public static byte[] encodeAll(List<Reply> replies) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Reply r : replies) r.encode(out);
    return out.toByteArray();
  }

  private void encode(ByteArrayOutputStream out) {
    out.write(type);
    if (payload != null) {
      out.writeBytes(Integer.toString(payload.length).getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(Bytes.CRLF);
      out.writeBytes(payload);
      out.writeBytes(Bytes.CRLF);
    } else if (children != null) {
      int n = isMap() ? children.size() / 2 : children.size();
      out.writeBytes(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(Bytes.CRLF);
      for (Reply c : children) c.encode(out);
    } else {
      out.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(Bytes.CRLF);
    }
  }

  /** A deep copy, for rules that edit a reply. */
  public Reply copy() {
    Reply r = new Reply(type);
    r.line = line;
    r.payload = payload == null ? null : payload.clone();
    if (children != null) {
      r.children = new ArrayList<>(children.size());
      for (Reply c : children) r.children.add(c.copy());
    }
    return r;
  }

  @Override
  public String toString() {
    return Bytes.printable(encode());
  }
}
