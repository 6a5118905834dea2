package io.redstart.persistence;

import io.redstart.testing.RawClient;
import io.redstart.testing.ReferenceRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A Redstart server in a process of its own (the packaged jar, as {@code bin/redstart-server}
 * runs it), for tests that kill it: {@link #kill9} is SIGKILL, nothing flushed or saved. The jar
 * comes from the {@code redstart.jar} system property (failsafe sets it). Processes left running
 * are killed when the test JVM exits.
 */
final class RedstartProcess implements AutoCloseable {
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
  }

  private final Process process;
  private final int port;
  private final Path log;

  private RedstartProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static Path jar() {
    String p = System.getProperty("redstart.jar");
    if (p == null) throw new IllegalStateException("redstart.jar is not set: run this test with failsafe (mvn verify)");
    return Path.of(p);
  }

  /**
   * Starts a server on {@code dir} with the given {@code --directive value} options and waits until
   * it answers PING; throws with its log if it exits first.
   */
  static RedstartProcess start(Path dir, String... options) throws Exception {
    int port = ReferenceRedis.freePort();
    Path log = dir.resolve("redstart-" + port + ".log");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
        "-jar", jar().toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--save", "", "--enable-debug-command", "yes"));
    cmd.addAll(List.of(options));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RUNNING.add(p);
    RedstartProcess rp = new RedstartProcess(p, port, log);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      if (!p.isAlive()) {
        RUNNING.remove(p);
        throw new StartFailure(p.exitValue(), rp.log());
      }
      try (RawClient c = RawClient.connect(port)) {
        if (new String(c.call("PING"), StandardCharsets.US_ASCII).equals("+PONG\r\n")) return rp;
      } catch (IOException notYet) {
        // Not listening yet.
      }
      if (System.nanoTime() > deadline) {
        rp.kill9();
        throw new IOException("the server did not answer within 60 s: " + rp.log());
      }
      Thread.sleep(20);
    }
  }

  /** The server exited while starting. */
  static final class StartFailure extends IOException {
    final int exitCode;
    final String log;

    StartFailure(int exitCode, String log) {
      super("the server exited with " + exitCode + ": " + log);
      this.exitCode = exitCode;
      this.log = log;
    }
  }

  int port() {
    return port;
  }

  RawClient connect() throws IOException {
    return RawClient.connect(port);
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the process to end by itself; its exit code, or -1 on timeout. */
  int waitForExit(Duration d) throws InterruptedException {
    if (!process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS)) return -1;
    RUNNING.remove(process);
    return process.exitValue();
  }

  /** SIGKILL: the process dies at once, with whatever the kernel has of its files. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    RUNNING.remove(process);
  }

  /** SIGTERM, then SIGKILL after a deadline. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      RUNNING.remove(process);
    }
  }
}
