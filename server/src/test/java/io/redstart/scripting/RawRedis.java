package io.redstart.scripting;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends one command and returns the raw reply bytes (for replies no client library can parse). */
final class RawRedis {
  private RawRedis() {}

  /** The reply to {@code args}, read until it is complete (a single top-level reply). */
  static byte[] call(int port, String... args) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      ByteArrayOutputStream req = new ByteArrayOutputStream();
      req.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      for (String a : args) {
        byte[] b = a.getBytes(StandardCharsets.UTF_8);
        req.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        req.writeBytes(b);
        req.writeBytes(new byte[] {'\r', '\n'});
      }
      OutputStream out = s.getOutputStream();
      out.write(req.toByteArray());
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      while (!complete(reply.toByteArray())) {
        int n = in.read(buf);
        if (n < 0) break;
        reply.write(buf, 0, n);
      }
      return reply.toByteArray();
    }
  }

  /** Whether {@code b} holds one complete RESP2 reply (iteratively: replies may nest deeply). */
  static boolean complete(byte[] b) {
    int pos = 0;
    long pending = 1;
    while (pending > 0) {
      int eol = indexOfCrLf(b, pos);
      if (eol < 0) return false;
      char type = (char) b[pos];
      long n = type == '*' || type == '$' ? Long.parseLong(new String(b, pos + 1, eol - pos - 1,
          StandardCharsets.US_ASCII)) : 0;
      pos = eol + 2;
      pending--;
      if (type == '*' && n > 0) pending += n;
      if (type == '$' && n >= 0) {
        if (b.length < pos + n + 2) return false;
        pos += (int) n + 2;
      }
    }
    return true;
  }

  private static int indexOfCrLf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
    return -1;
  }
}
