package io.redstart.command.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A reference redis-server (the Redis release Redstart follows) started on a free loopback port for
 * differential tests, with one connection to it. Tests skip when redis-server is not on the PATH,
 * unless REDSTART_REQUIRE_ALL=1, which makes them fail instead.
 */
final class ReferenceRedis implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  /** Whether the connection was switched to RESP3 (HELLO 3), for tests that parse replies. */
  boolean protocolIs3;

  private ReferenceRedis(Process process, int port, Socket socket) throws IOException {
    this.process = process;
    this.port = port;
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** The redis-server executable on the PATH, or null. */
  static Path binary() {
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, "redis-server");
      if (Files.isExecutable(p)) return p;
    }
    return null;
  }

  /**
   * Skips the calling test when there is no reference server (fails under REDSTART_REQUIRE_ALL=1).
   */
  static Path requireBinary() {
    Path bin = binary();
    if (bin == null) {
      if ("1".equals(System.getenv("REDSTART_REQUIRE_ALL"))) {
        fail("redis-server is not on the PATH and REDSTART_REQUIRE_ALL=1");
      }
      Assumptions.abort("redis-server is not on the PATH");
    }
    return bin;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts the reference with {@code configFile} (or none) and these options; the port, the
   * loopback bind, and no daemonizing are added.
   */
  static ReferenceRedis start(Path workDir, String configFile, String... options) throws Exception {
    Path bin = requireBinary();
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(bin.toString());
    if (configFile != null) cmd.add(configFile);
    cmd.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1"));
    cmd.addAll(List.of("--daemonize", "no", "--logfile", ""));
    cmd.addAll(List.of(options));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(workDir.resolve("reference.log").toFile());
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        ReferenceRedis r = new ReferenceRedis(p, port, s);
        r.call("PING");
        return r;
      } catch (IOException e) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException(
              "reference redis-server did not start: "
                  + Files.readString(workDir.resolve("reference.log")),
              e);
        }
        Thread.sleep(20);
      }
    }
  }

  int port() {
    return port;
  }

  /** Sends one command and returns its reply's bytes. */
  byte[] call(String... args) throws IOException {
    out.write(Resp.command(args));
    out.flush();
    return Resp.readReply(in);
  }

  @Override
  public void close() throws IOException {
    try {
      out.write(Resp.command("SHUTDOWN", "NOSAVE"));
      out.flush();
    } catch (IOException ignored) {
      // Already gone.
    }
    socket.close();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
