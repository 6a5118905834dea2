package io.redstart.replication;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A replica played by the test over a raw socket: it sends the handshake commands and reads the
 * master's bytes as they come (lines, exact lengths, until a marker), with a deadline on every
 * read. For tests of the master side of the protocol.
 */
final class FakeReplica implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private byte[] buf = new byte[0];

  FakeReplica(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  void send(String... argv) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String a : argv) {
      byte[] x = a.getBytes(StandardCharsets.ISO_8859_1);
      b.writeBytes(("$" + x.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      b.writeBytes(x);
      b.writeBytes(new byte[] {'\r', '\n'});
    }
    out.write(b.toByteArray());
    out.flush();
  }

  void sendRaw(String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Sends a command and returns its one-line reply. */
  String call(String... argv) throws IOException {
    send(argv);
    return line();
  }

  private boolean fill(long deadline) throws IOException {
    long left = deadline - System.currentTimeMillis();
    if (left <= 0) return false;
    socket.setSoTimeout((int) Math.max(1, left));
    byte[] chunk = new byte[65536];
    int n;
    try {
      n = in.read(chunk);
    } catch (SocketTimeoutException e) {
      return false;
    }
    if (n < 0) throw new IOException("closed by the master; pending " + text(buf));
    byte[] m = Arrays.copyOf(buf, buf.length + n);
    System.arraycopy(chunk, 0, m, buf.length, n);
    buf = m;
    return true;
  }

  /** The next line without its CR LF, skipping the bare newlines masters send to keep alive. */
  String line() throws IOException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      for (int i = 0; i < buf.length; i++) {
        if (buf[i] != '\n') continue;
        int end = i > 0 && buf[i - 1] == '\r' ? i - 1 : i;
        String l = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
        buf = Arrays.copyOfRange(buf, i + 1, buf.length);
        if (l.isEmpty()) break;
        return l;
      }
      if (buf.length > 0 && indexOf((byte) '\n') >= 0) continue;
      if (!fill(deadline)) throw new SocketTimeoutException("no line; pending " + text(buf));
    }
  }

  private int indexOf(byte b) {
    for (int i = 0; i < buf.length; i++) if (buf[i] == b) return i;
    return -1;
  }

  /** The raw bytes of the next RESP command of the stream ({@code *N} then N bulks). */
  byte[] command() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    String head = line();
    b.writeBytes((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    int n = Integer.parseInt(head.substring(1));
    for (int i = 0; i < n; i++) {
      String len = line();
      b.writeBytes((len + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      b.writeBytes(bytes(Integer.parseInt(len.substring(1)) + 2));
    }
    return b.toByteArray();
  }

  /** Bytes of the stream consumed by {@link #commandSkippingPings} (PINGs included). */
  long consumed;

  /** The next command that is not the master's PING; every byte read is added to consumed. */
  String commandSkippingPings() throws IOException {
    while (true) {
      byte[] c = command();
      consumed += c.length;
      String t = new String(c, StandardCharsets.ISO_8859_1);
      if (!t.equals("*1\r\n$4\r\nPING\r\n")) return t;
    }
  }

  /** Exactly {@code n} bytes. */
  byte[] bytes(int n) throws IOException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (buf.length < n) {
      if (!fill(deadline)) {
        throw new SocketTimeoutException("wanted " + n + " bytes; pending " + text(buf));
      }
    }
    byte[] r = Arrays.copyOf(buf, n);
    buf = Arrays.copyOfRange(buf, n, buf.length);
    return r;
  }

  /** Everything up to and including {@code marker}. */
  byte[] until(byte[] marker) throws IOException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      int at = find(buf, marker);
      if (at >= 0) return bytes(at + marker.length);
      if (!fill(deadline)) {
        throw new SocketTimeoutException("no " + text(marker) + "; pending " + text(buf));
      }
    }
  }

  /** Waits until at least {@code n} bytes are pending (or the deadline), then returns them all. */
  byte[] atLeast(int n, long millis) throws IOException {
    long deadline = System.currentTimeMillis() + millis;
    while (buf.length < n && fill(deadline)) {
      // keep reading
    }
    byte[] r = buf;
    buf = new byte[0];
    return r;
  }

  static int find(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
  }

  /** Whether the master closed the connection within {@code millis}. */
  boolean closedWithin(long millis) throws IOException {
    long deadline = System.currentTimeMillis() + millis;
    try {
      while (true) {
        if (!fill(deadline)) return false;
      }
    } catch (IOException closed) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
