package io.redstart.persistence;

import io.redstart.embedded.Redstart;
import io.redstart.testing.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/** Helpers of the persistence tests: embedded servers on a folder, replies as text, polling. */
final class Servers {
  private Servers() {}

  /** Starts an embedded server with {@code dir} as its folder and the given redis.conf lines. */
  static Redstart.Handle start(Path dir, String... directives) throws Exception {
    Redstart.Builder b = Redstart.builder().port(0).config("dir", dir.toString())
        .config("enable-debug-command", "yes");
    for (String d : directives) {
      byte[][] words = io.redstart.resp.SplitArgs.split(d.getBytes(StandardCharsets.ISO_8859_1));
      String[] rest = new String[words.length - 1];
      for (int i = 1; i < words.length; i++) rest[i - 1] = new String(words[i], StandardCharsets.ISO_8859_1);
      b.config(new String(words[0], StandardCharsets.ISO_8859_1), rest);
    }
    return b.start();
  }

  /**
   * The reply of a command as text (byte for char). Arguments are byte arrays or strings, the
   * latter sent byte for char (ISO-8859-1), so payloads survive as they are.
   */
  static String text(RawClient c, Object... argv) throws IOException {
    byte[][] args = new byte[argv.length][];
    for (int i = 0; i < argv.length; i++) {
      args[i] = argv[i] instanceof byte[] b ? b : ((String) argv[i]).getBytes(StandardCharsets.ISO_8859_1);
    }
    return new String(c.call(args), StandardCharsets.ISO_8859_1);
  }

  /** A field of INFO (any section), or null. */
  static String info(RawClient c, String field) throws IOException {
    String all = new String(c.call("INFO", "everything"), StandardCharsets.ISO_8859_1);
    for (String line : all.split("\r\n")) {
      if (line.startsWith(field + ":")) return line.substring(field.length() + 1);
    }
    return null;
  }

  /** Polls {@code condition} every 10 ms until it holds, or fails after {@code deadline}. */
  static void await(String what, Duration deadline, Check condition) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.ok()) {
      if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  @FunctionalInterface
  interface Check {
    boolean ok() throws Exception;
  }

  /** Waits until no background save or rewrite runs. */
  static void awaitIdle(RawClient c) throws Exception {
    await("background jobs to end", Duration.ofSeconds(60), () ->
        "0".equals(info(c, "rdb_bgsave_in_progress")) && "0".equals(info(c, "aof_rewrite_in_progress")));
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
