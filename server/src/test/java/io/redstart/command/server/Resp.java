package io.redstart.command.server;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-side RESP: encodes commands and cuts exactly one reply (RESP2 or RESP3) from a stream as raw
 * bytes, so that replies of two servers can be compared byte for byte; {@link #parse} turns a reply
 * into nested lists for order-insensitive comparisons.
 */
final class Resp {
  private Resp() {}

  static byte[] command(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, "*" + args.length + "\r\n");
    for (String a : args) {
      byte[] b = a.getBytes(StandardCharsets.ISO_8859_1);
      write(out, "$" + b.length + "\r\n");
      out.writeBytes(b);
      write(out, "\r\n");
    }
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Reads one complete reply and returns its bytes. */
  static byte[] readReply(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    copyReply(in, out);
    return out.toByteArray();
  }

  private static void copyReply(InputStream in, ByteArrayOutputStream out) throws IOException {
    String line = readLine(in, out);
    char type = line.charAt(0);
    switch (type) {
      case '$', '=', '!' -> {
        long n = Long.parseLong(line.substring(1));
        if (n >= 0) {
          byte[] b = in.readNBytes((int) n + 2);
          if (b.length < n + 2) throw new EOFException();
          out.writeBytes(b);
        }
      }
      case '*', '~', '>' -> {
        long n = Long.parseLong(line.substring(1));
        for (long i = 0; i < n; i++) copyReply(in, out);
      }
      case '%' -> {
        long n = Long.parseLong(line.substring(1));
        for (long i = 0; i < 2 * n; i++) copyReply(in, out);
      }
      case '|' -> {
        long n = Long.parseLong(line.substring(1));
        for (long i = 0; i < 2 * n; i++) copyReply(in, out);
        copyReply(in, out);
      }
      default -> {}
    }
  }

  private static String readLine(InputStream in, ByteArrayOutputStream out) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) throw new EOFException();
      out.write(b);
      if (b == '\r') {
        int n = in.read();
        if (n < 0) throw new EOFException();
        out.write(n);
        return sb.toString();
      }
      sb.append((char) b);
    }
  }

  /**
   * A reply as Java values: strings for simple strings, errors (with their '-'), bulk strings and
   * numbers; lists for arrays, sets and maps (a map as a list of two-element lists).
   */
  static Object parse(byte[] reply) {
    try {
      return parse(new java.io.ByteArrayInputStream(reply));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Object parse(InputStream in) throws IOException {
    String line = readLine(in, new ByteArrayOutputStream());
    char type = line.charAt(0);
    String rest = line.substring(1);
    return switch (type) {
      case '$', '=' -> {
        long n = Long.parseLong(rest);
        if (n < 0) yield null;
        byte[] b = in.readNBytes((int) n + 2);
        yield new String(b, 0, (int) n, StandardCharsets.ISO_8859_1);
      }
      case '*', '~', '>' -> {
        long n = Long.parseLong(rest);
        if (n < 0) yield null;
        List<Object> l = new ArrayList<>();
        for (long i = 0; i < n; i++) l.add(parse(in));
        yield l;
      }
      case '%' -> {
        long n = Long.parseLong(rest);
        List<Object> l = new ArrayList<>();
        for (long i = 0; i < n; i++) l.add(List.of(parse(in), parse(in)));
        yield l;
      }
      case '-' -> line;
      case '_' -> null;
      default -> rest;
    };
  }
}
