package io.redstart.testing;

import java.nio.charset.StandardCharsets;

/** Byte helpers for tests: encoding arguments and showing replies in failure messages. */
public final class Bytes {
  private Bytes() {}

  static final byte[] CRLF = {'\r', '\n'};

  /** Longest rendering {@link #printable} produces before it cuts the rest. */
  public static final int PRINTABLE_LIMIT = 2000;

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static byte[][] argv(String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) argv[i] = utf8(args[i]);
    return argv;
  }

  /** Characters 0..255 as single bytes. */
  public static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  public static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /**
   * Bytes as a one-line Java-like string: printable ASCII as is, {@code \r \n \t \" \\} escaped,
   * every other byte as {@code \xHH}; cut after {@link #PRINTABLE_LIMIT} characters.
   */
  public static String printable(byte[] b) {
    return printable(b, 0);
  }

  /**
   * Like {@link #printable(byte[])} from byte {@code from} on, saying how much was skipped: to show
   * where two long replies start to differ.
   */
  public static String printable(byte[] b, int from) {
    StringBuilder sb = new StringBuilder(Math.min(b.length, PRINTABLE_LIMIT) + 2);
    if (from > 0) sb.append("(").append(from).append(" equal bytes) ...");
    sb.append('"');
    int start = sb.length();
    for (int i = from; i < b.length; i++) {
      if (sb.length() - start >= PRINTABLE_LIMIT) {
        sb.append("\"... (").append(b.length).append(" bytes)");
        return sb.toString();
      }
      int c = b[i] & 0xff;
      switch (c) {
        case '\r' -> sb.append("\\r");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            sb.append((char) c);
          } else {
            sb.append(String.format("\\x%02x", c));
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** A command as it would be typed: arguments quoted when they need it. */
  public static String commandLine(byte[][] argv) {
    StringBuilder sb = new StringBuilder();
    for (byte[] arg : argv) {
      if (sb.length() > 0) sb.append(' ');
      boolean plain = arg.length > 0;
      for (byte x : arg) {
        int c = x & 0xff;
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' || c == '\\') plain = false;
      }
      String text = plain ? latin1(arg) : printable(arg);
      if (sb.length() + text.length() > PRINTABLE_LIMIT) {
        return sb.append("... (").append(argv.length).append(" arguments)").toString();
      }
      sb.append(text);
    }
    return sb.toString();
  }
}
