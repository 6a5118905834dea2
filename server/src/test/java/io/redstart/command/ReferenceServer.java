package io.redstart.command;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A reference redis-server for differential tests, started on a free loopback port with no
 * persistence, in a temporary directory, and stopped by {@link #close}.
 *
 * <p>When no redis-server is on the PATH, {@link #start} skips the test (a JUnit assumption),
 * unless the environment variable {@code REDSTART_REQUIRE_ALL=1} is set: then it fails. {@code
 * REDSTART_REDIS_SERVER} may name the binary.
 */
public final class ReferenceServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;

  private ReferenceServer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  public int port() {
    return port;
  }

  /** Starts a reference server, or skips (or fails, see the class comment) without one. */
  public static ReferenceServer start() throws Exception {
    String binary = binary();
    if (binary == null) {
      String why = "redis-server not found on the PATH";
      if ("1".equals(System.getenv("REDSTART_REQUIRE_ALL")))
        fail(why + " and REDSTART_REQUIRE_ALL=1");
      Assumptions.abort(why + ": reference comparison skipped");
    }
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Path dir = Files.createTempDirectory("redstart-ref");
      Process p =
          new ProcessBuilder(
                  binary,
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
                  "")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("out.log").toFile())
              .start();
      ReferenceServer r = new ReferenceServer(p, port, dir);
      try {
        r.awaitReady();
        return r;
      } catch (IOException e) {
        last = e;
        r.close();
      }
    }
    throw last;
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IOException("redis-server exited: " + log());
      try (RawResp c = new RawResp("127.0.0.1", port)) {
        if (c.text("PING").equals("+PONG\r\n")) return;
      } catch (IOException notYet) {
        // not listening yet: poll again
      }
      Thread.sleep(20);
    }
    throw new IOException("redis-server did not answer PING within 10 s: " + log());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("out.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static String binary() {
    String env = System.getenv("REDSTART_REDIS_SERVER");
    if (env != null && !env.isEmpty()) return new File(env).canExecute() ? env : null;
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String d : path.split(File.pathSeparator)) {
      File f = new File(d, "redis-server");
      if (f.canExecute()) return f.getPath();
    }
    return null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }
}
