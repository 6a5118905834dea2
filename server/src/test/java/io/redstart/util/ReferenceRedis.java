package io.redstart.util;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (the reference implementation) on a free loopback port, with persistence
 * off and its working directory in a temporary folder, plus a minimal pipelining RESP client. The
 * binary is {@code redis-server} from the PATH, or {@code $REDSTART_REDIS_SERVER}. Tests call
 * {@link #start()}, which skips them when it is missing (see {@link External}).
 *
 * <p>Replies are returned as text: a bulk or simple string as its content, an error as {@code
 * "ERR:" + message} (the prefix and message split as the C oracle writes them), an integer as
 * {@code ":" + n}, a null as {@code null}.
 */
final class ReferenceRedis implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private ReferenceRedis(Process process, Path dir, Socket socket) throws IOException {
    this.process = process;
    this.dir = dir;
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
  }

  static String binary() {
    String env = System.getenv("REDSTART_REDIS_SERVER");
    return env != null && !env.isEmpty() ? env : "redis-server";
  }

  static ReferenceRedis start() throws IOException, InterruptedException {
    External.require(External.runs(binary(), "--version"), "redis-server is not installed");
    Path dir = Files.createTempDirectory("reference-redis");
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Process p =
        new ProcessBuilder(
                binary(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                dir.toString(),
                "--logfile",
                dir.resolve("redis.log").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        s.setSoTimeout(30_000);
        ReferenceRedis r = new ReferenceRedis(p, dir, s);
        if ("PONG".equals(r.call("PING"))) return r;
        r.close();
      } catch (IOException e) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroy();
          throw new IllegalStateException("redis-server did not start on port " + port, e);
        }
        Thread.sleep(50);
      }
    }
  }

  /** Sends one command and returns its reply. */
  String call(String... args) throws IOException {
    send(args);
    return replies(1).get(0);
  }

  /** Queues one command; {@link #replies} flushes and reads. */
  void send(String... args) throws IOException {
    out.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String a : args) {
      byte[] b = a.getBytes(StandardCharsets.ISO_8859_1);
      out.write(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.write('\r');
      out.write('\n');
    }
  }

  /** Flushes queued commands and reads {@code n} replies. */
  List<String> replies(int n) throws IOException {
    out.flush();
    List<String> r = new ArrayList<>(n);
    for (int i = 0; i < n; i++) r.add(readReply());
    return r;
  }

  private String readReply() throws IOException {
    int type = in.read();
    String line = readLine();
    return switch (type) {
      case '+' -> line;
      case '-' -> {
        int sp = line.indexOf(' ');
        yield line.substring(0, sp) + ":" + line.substring(sp + 1);
      }
      case ':' -> ":" + line;
      case '$' -> {
        int len = Integer.parseInt(line);
        if (len < 0) yield null;
        byte[] b = in.readNBytes(len + 2);
        yield new String(b, 0, len, StandardCharsets.ISO_8859_1);
      }
      default -> throw new IOException("unexpected reply type " + type + " " + line);
    };
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != '\r'; ) {
      if (c < 0) throw new IOException("connection closed");
      b.write(c);
    }
    in.read(); // '\n'
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    try {
      socket.close();
    } finally {
      process.destroy();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try (var files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    }
  }
}
