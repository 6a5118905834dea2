package io.redstart.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process to compare Redstart with: started on a free loopback port
 * with its own temporary directory and no persistence ({@code --save "" --appendonly no}), DEBUG
 * enabled, ready once it answers PING.
 *
 * <p>Where there is no redis-server, {@link #start} skips the calling test (or fails it under
 * {@code REDSTART_REQUIRE_ALL=1}); see {@link RedisTools}. Processes still running when the JVM
 * exits are killed by a shutdown hook, so a crashed test run leaves none behind.
 */
public final class ReferenceRedis implements AutoCloseable {
  private static final Duration START_DEADLINE = Duration.ofSeconds(20);
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 5;

  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "reference-redis-reaper"));
  }

  private final Process process;
  private final int port;
  private final Path dir;

  private ReferenceRedis(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /**
   * Starts a reference server.
   *
   * @param directives extra redis.conf directives, one per element ({@code "requirepass secret"}),
   *     passed as {@code --directive value} options
   */
  public static ReferenceRedis start(List<String> directives) throws IOException {
    Path binary = RedisTools.redisServer();
    IOException last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      Path dir = Files.createTempDirectory("redstart-reference-");
      int port = freePort();
      List<String> command = new ArrayList<>();
      command.add(binary.toString());
      command.addAll(
          List.of(
              "--port", Integer.toString(port),
              "--bind", "127.0.0.1",
              "--save", "",
              "--appendonly", "no",
              "--daemonize", "no",
              "--enable-debug-command", "yes",
              "--dir", dir.toString(),
              "--logfile", dir.resolve("redis.log").toString()));
      for (String directive : directives) command.addAll(asOptions(directive));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("stdout.log").toFile())
              .start();
      RUNNING.add(process);
      ReferenceRedis redis = new ReferenceRedis(process, port, dir);
      try {
        redis.awaitReady();
        return redis;
      } catch (IOException e) {
        // Most often another process took the port between our probe and redis's bind: retry.
        last = e;
        redis.close();
      }
    }
    throw last;
  }

  /** Starts a reference server with no extra directives. */
  public static ReferenceRedis start() throws IOException {
    return start(List.of());
  }

  public int port() {
    return port;
  }

  public String host() {
    return "127.0.0.1";
  }

  /** A new raw connection to this server. */
  public RawClient connect() throws IOException {
    return RawClient.connect(port);
  }

  /** Polls PING until the server answers, the process dies, or the deadline passes. */
  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited with " + process.exitValue() + ": " + log());
      }
      try (RawClient c = RawClient.connect(port)) {
        String reply =
            new String(c.timeout(Duration.ofSeconds(2)).call("PING"), StandardCharsets.ISO_8859_1);
        // +PONG, or -NOAUTH with requirepass: serving. -LOADING: not yet.
        if (reply.equals("+PONG\r\n") || reply.startsWith("-NOAUTH")) return;
      } catch (IOException notYet) {
        // Not listening yet.
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "redis-server did not answer PING within " + START_DEADLINE + ": " + log());
      }
      pollPause();
    }
  }

  private static void pollPause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for redis-server", e);
    }
  }

  /** The server's log so far (for failure messages). */
  public String log() {
    StringBuilder sb = new StringBuilder();
    for (String name : List.of("stdout.log", "redis.log")) {
      Path p = dir.resolve(name);
      try {
        if (Files.exists(p)) sb.append(Files.readString(p, StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        sb.append("(cannot read ").append(name).append(": ").append(e).append(')');
      }
    }
    return sb.toString().strip();
  }

  /** Stops the server (SIGTERM, then SIGKILL after a deadline) and deletes its directory. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      RUNNING.remove(process);
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A free loopback port, as the kernel hands one out now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** A directive line ("maxmemory 10mb") as command-line options ("--maxmemory", "10mb"). */
  static List<String> asOptions(String directive) {
    byte[][] words =
        io.redstart.resp.SplitArgs.split(directive.getBytes(StandardCharsets.ISO_8859_1));
    if (words == null || words.length == 0) {
      throw new IllegalArgumentException("bad directive: " + directive);
    }
    List<String> options = new ArrayList<>();
    options.add("--" + new String(words[0], StandardCharsets.ISO_8859_1));
    for (int i = 1; i < words.length; i++)
      options.add(new String(words[i], StandardCharsets.ISO_8859_1));
    return options;
  }

  @Override
  public String toString() {
    return "redis-server on port " + port;
  }
}
