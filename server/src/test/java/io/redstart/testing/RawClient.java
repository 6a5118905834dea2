package io.redstart.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redstart.resp.ProtocolException;
import io.redstart.resp.ReplyParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * A socket client for tests that care about exact bytes: it sends a command as a RESP multibulk (or
 * any raw bytes) and reads back exactly one reply, returned as the bytes the server wrote. Replies
 * are framed by {@link ReplyParser}, so RESP2 and RESP3 (after {@code HELLO 3}) both work,
 * attributes included (an attribute and the reply it annotates are one reply here).
 *
 * <p>Every read waits at most the client's timeout (10 seconds unless changed), then fails: a test
 * never hangs on a server that does not answer. When the server closes the connection before a
 * complete reply, reads throw {@link ConnectionClosedException}.
 *
 * <p>Not thread-safe; one test thread uses one client.
 */
public final class RawClient implements AutoCloseable {
  /** How long a read waits for the server unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The server closed the connection; {@link #partial} holds bytes of an incomplete reply. */
  public static final class ConnectionClosedException extends IOException {
    private final byte[] partial;

    ConnectionClosedException(byte[] partial) {
      super(
          "connection closed by the server"
              + (partial.length > 0
                  ? " after "
                      + partial.length
                      + " bytes of an incomplete reply: "
                      + Bytes.printable(partial)
                  : ""));
      this.partial = partial;
    }

    public byte[] partial() {
      return partial.clone();
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ByteBuf buffer = Unpooled.buffer(4096);

  /**
   * Longest bulk reply accepted: a test that gets more has gone wrong, and should not run out of
   * heap.
   */
  public static final long MAX_BULK = 64L << 20;

  private final ReplyParser parser = new ReplyParser(MAX_BULK);
  private final byte[] chunk = new byte[16 * 1024];
  private boolean peerClosed;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects to a server on the loopback interface. */
  public static RawClient connect(int port) throws IOException {
    return connect("127.0.0.1", port);
  }

  public static RawClient connect(String host, int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) DEFAULT_TIMEOUT.toMillis());
      socket.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
      return new RawClient(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Sets how long a read waits for the server before failing. */
  public RawClient timeout(Duration timeout) throws SocketException {
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    return this;
  }

  // ---- sending

  /** Sends one command as a RESP multibulk. */
  public RawClient send(byte[]... argv) throws IOException {
    out.write(encode(argv));
    out.flush();
    return this;
  }

  /** Sends one command as a RESP multibulk; arguments are encoded as UTF-8. */
  public RawClient send(String... argv) throws IOException {
    return send(Bytes.argv(argv));
  }

  /** Sends bytes as they are: inline commands, malformed input, several commands at once. */
  public RawClient sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Sends a string's characters as bytes 0..255 (ISO-8859-1), so {@code "\u00ff"} is 0xff. */
  public RawClient sendRaw(String latin1) throws IOException {
    return sendRaw(latin1.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends bytes in writes of {@code chunkSize} bytes, flushing each: to exercise partial input. */
  public RawClient sendInChunks(byte[] bytes, int chunkSize) throws IOException {
    for (int i = 0; i < bytes.length; i += chunkSize) {
      out.write(bytes, i, Math.min(chunkSize, bytes.length - i));
      out.flush();
    }
    return this;
  }

  /** The RESP multibulk encoding of a command. */
  public static byte[] encode(byte[]... argv) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] arg : argv) {
      b.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      b.writeBytes(arg);
      b.writeBytes(Bytes.CRLF);
    }
    return b.toByteArray();
  }

  // ---- reading

  /**
   * Reads exactly one reply and returns its bytes.
   *
   * @throws ConnectionClosedException if the server closed the connection first
   * @throws SocketTimeoutException if no complete reply came within the timeout
   */
  public byte[] read() throws IOException {
    while (true) {
      int start = buffer.readerIndex();
      Object reply;
      try {
        reply = parser.next(buffer);
      } catch (ProtocolException e) {
        throw new IOException(
            "malformed reply: " + e.getMessage() + " in " + Bytes.printable(pending()), e);
      }
      if (reply != null) {
        byte[] raw = new byte[buffer.readerIndex() - start];
        buffer.getBytes(start, raw);
        buffer.discardReadBytes();
        return raw;
      }
      if (!fill()) throw new ConnectionClosedException(pending());
    }
  }

  /** Sends a command and reads its reply. */
  public byte[] call(byte[]... argv) throws IOException {
    return send(argv).read();
  }

  /** Sends a command (arguments as UTF-8) and reads its reply. */
  public byte[] call(String... argv) throws IOException {
    return send(argv).read();
  }

  /** Sends a command and returns its reply decoded by {@link ReplyParser}. */
  public Object decoded(String... argv) throws IOException {
    return decode(call(argv));
  }

  /** Switches this connection to RESP3; returns the HELLO reply. */
  public byte[] hello3() throws IOException {
    return call("HELLO", "3");
  }

  /** Decodes one reply's bytes the way {@link ReplyParser} does. */
  public static Object decode(byte[] reply) throws IOException {
    ByteBuf b = Unpooled.wrappedBuffer(reply);
    try {
      Object v = new ReplyParser().next(b);
      if (v == null) throw new IOException("incomplete reply: " + Bytes.printable(reply));
      return v;
    } catch (ProtocolException e) {
      throw new IOException("malformed reply: " + Bytes.printable(reply), e);
    }
  }

  /**
   * Reads everything the server sends until it closes the connection, waiting at most {@code
   * deadline}.
   *
   * @throws SocketTimeoutException if the connection is still open at the deadline
   */
  public byte[] readUntilClosed(Duration deadline) throws IOException {
    long end = System.nanoTime() + deadline.toNanos();
    int saved = socket.getSoTimeout();
    try {
      while (!peerClosed) {
        long left = (end - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new SocketTimeoutException(
              "the server did not close the connection within "
                  + deadline.toMillis()
                  + " ms; received "
                  + Bytes.printable(pending()));
        }
        socket.setSoTimeout((int) left);
        fill();
      }
    } finally {
      if (!socket.isClosed()) socket.setSoTimeout(saved);
    }
    byte[] rest = pending();
    buffer.clear();
    return rest;
  }

  /** Whether the server has closed the connection (as far as reads have seen). */
  public boolean peerClosed() {
    return peerClosed;
  }

  /** Bytes received and not yet returned as a reply. */
  public byte[] pending() {
    byte[] b = new byte[buffer.readableBytes()];
    buffer.getBytes(buffer.readerIndex(), b);
    return b;
  }

  /** Reads once from the socket into the buffer; false at end of stream. */
  private boolean fill() throws IOException {
    if (peerClosed) return false;
    int n;
    try {
      n = in.read(chunk);
    } catch (SocketException e) {
      // A reset (the server closed with unread input) ends the stream like a close.
      peerClosed = true;
      return false;
    }
    if (n < 0) {
      peerClosed = true;
      return false;
    }
    buffer.writeBytes(chunk, 0, n);
    return true;
  }

  @Override
  public void close() throws IOException {
    buffer.release();
    socket.close();
  }

  @Override
  public String toString() {
    return "RawClient" + Arrays.asList(socket.getLocalPort(), socket.getPort());
  }
}
