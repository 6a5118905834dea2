package io.redstart.tools;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A reference redis-server (normal or Sentinel mode) on a free loopback port in a temporary
 * directory, for the seeder's tests. Skips the test when redis-server is missing, unless {@code
 * REDSTART_REQUIRE_ALL=1}: then it fails.
 */
final class ReferenceServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;

  private ReferenceServer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  int port() {
    return port;
  }

  static ReferenceServer start(boolean sentinel) throws Exception {
    String binary = binary();
    if (binary == null) {
      String why = "redis-server not found on the PATH";
      if ("1".equals(System.getenv("REDSTART_REQUIRE_ALL")))
        fail(why + " and REDSTART_REQUIRE_ALL=1");
      Assumptions.abort(why + ": reference comparison skipped");
    }
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      Path dir = Files.createTempDirectory("redstart-ref");
      List<String> cmd;
      if (sentinel) {
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n");
        cmd = List.of(binary, conf.toString(), "--sentinel");
      } else {
        cmd =
            List.of(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString());
      }
      Process p =
          new ProcessBuilder(cmd)
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
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IOException("redis-server exited");
      try (RespClient c = new RespClient("127.0.0.1", port)) {
        if ("PONG".equals(c.call("PING"))) return;
      } catch (IOException notYet) {
        // not listening yet: poll again
      }
      Thread.sleep(20);
    }
    throw new IOException("redis-server did not answer PING within 10 s");
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

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
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
