package io.redstart.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redstart.resp.ProtocolException;
import io.redstart.resp.ReplyParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A raw RESP client for tests: sends a command, returns the exact bytes of its one reply (framed
 * with {@link ReplyParser}, which consumes exactly one reply). One thread at a time.
 */
public final class RawResp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ByteBuf buf = Unpooled.buffer(64 * 1024);
  private final ReplyParser parser = new ReplyParser();

  public RawResp(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 2_000);
    socket.setSoTimeout(20_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sends the command and returns its reply's bytes. */
  public byte[] call(byte[]... args) throws IOException {
    ByteBuf req = Unpooled.buffer();
    req.writeCharSequence("*" + args.length + "\r\n", StandardCharsets.US_ASCII);
    for (byte[] a : args) {
      req.writeCharSequence("$" + a.length + "\r\n", StandardCharsets.US_ASCII);
      req.writeBytes(a);
      req.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
    }
    byte[] bytes = new byte[req.readableBytes()];
    req.readBytes(bytes);
    req.release();
    out.write(bytes);
    out.flush();
    byte[] chunk = new byte[64 * 1024];
    while (true) {
      int start = buf.readerIndex();
      try {
        if (parser.next(buf) != null) {
          byte[] reply = new byte[buf.readerIndex() - start];
          buf.getBytes(start, reply);
          buf.discardReadBytes();
          return reply;
        }
      } catch (ProtocolException e) {
        throw new IOException(e.getMessage(), e);
      }
      int n = in.read(chunk);
      if (n < 0) throw new IOException("connection closed");
      buf.writeBytes(chunk, 0, n);
    }
  }

  public byte[] call(String... args) throws IOException {
    byte[][] b = new byte[args.length][];
    for (int i = 0; i < args.length; i++) b[i] = args[i].getBytes(StandardCharsets.UTF_8);
    return call(b);
  }

  public byte[] call(List<String> args) throws IOException {
    return call(args.toArray(String[]::new));
  }

  /** The reply as text (Latin-1, so that every byte shows). */
  public String text(String... args) throws IOException {
    return new String(call(args), StandardCharsets.ISO_8859_1);
  }

  /** Sends HELLO 3 (or HELLO 2) and discards the reply. */
  public RawResp protocol(int resp) throws IOException {
    call("HELLO", Integer.toString(resp));
    return this;
  }

  @Override
  public void close() throws IOException {
    buf.release();
    socket.close();
  }
}
