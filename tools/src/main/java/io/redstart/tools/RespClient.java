package io.redstart.tools;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A blocking RESP2/RESP3 client for the developer tools, with no dependency beyond the JDK so that
 * the tools compile from source alone. Replies decode to: simple strings as {@link String}, bulk
 * and verbatim strings as {@code byte[]}, integers as {@link Long}, doubles as {@link Double},
 * booleans as {@link Boolean}, big numbers as {@link java.math.BigInteger}, arrays, sets and pushes
 * as {@link List}, maps as {@link LinkedHashMap} with keys decoded as UTF-8 text, nulls as {@code
 * null}, errors as {@link Error}. One thread at a time.
 */
final class RespClient implements AutoCloseable {
  /** An error reply; {@code message} without the leading '-'. */
  record Error(String message) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RespClient(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(30_000);
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    out = socket.getOutputStream();
  }

  /** Sends {@code args} as one command and returns the decoded reply (errors included). */
  Object call(String... args) throws IOException {
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String a : args) {
      byte[] b = a.getBytes(StandardCharsets.UTF_8);
      req.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      req.writeBytes(b);
      req.writeBytes(new byte[] {'\r', '\n'});
    }
    out.write(req.toByteArray());
    out.flush();
    return read();
  }

  /** Like {@link #call} but throws when the reply is an error. */
  Object callOk(String... args) throws IOException {
    Object r = call(args);
    if (r instanceof Error e) throw new IOException(String.join(" ", args) + ": " + e.message());
    return r;
  }

  private Object read() throws IOException {
    int type = in.read();
    if (type < 0) throw new IOException("connection closed by the server");
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-':
        return new Error(line);
      case ':':
        return Long.parseLong(line);
      case '$':
      case '=':
        {
          int len = Integer.parseInt(line);
          if (len < 0) return null;
          byte[] b = in.readNBytes(len);
          if (b.length != len || in.read() != '\r' || in.read() != '\n') {
            throw new IOException("truncated bulk string");
          }
          return b;
        }
      case '*':
      case '~':
      case '>':
        {
          int n = Integer.parseInt(line);
          if (n < 0) return null;
          List<Object> items = new ArrayList<>(n);
          for (int i = 0; i < n; i++) items.add(read());
          return items;
        }
      case '%':
        {
          int n = Integer.parseInt(line);
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < n; i++) {
            Object k = read();
            m.put(
                k instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : (String) k, read());
          }
          return m;
        }
      case '|':
        {
          int n = Integer.parseInt(line);
          for (int i = 0; i < 2 * n; i++) read(); // attributes annotate the next reply
          return read();
        }
      case '_':
        return null;
      case ',':
        return Double.parseDouble(line.replace("inf", "Infinity"));
      case '#':
        return line.equals("t");
      case '(':
        return new java.math.BigInteger(line);
      default:
        throw new IOException("unexpected reply type '" + (char) type + "'");
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) throw new IOException("connection closed by the server");
      if (c == '\r') {
        if (in.read() != '\n') throw new IOException("expected LF after CR");
        return b.toString(StandardCharsets.UTF_8);
      }
      b.write(c);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
