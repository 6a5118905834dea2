package io.redstart.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.config.Config;
import io.redstart.config.ConfigLoader;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config file lines loaded by the reference redis-server and by Redstart's loader: the same lines
 * must be accepted, and refused ones must give the same FATAL CONFIG FILE ERROR report. The
 * reference is run with {@code --port 0}, so that it exits right after loading when the
 * configuration is good.
 */
class ConfigFileDifferentialTest {
  @TempDir Path dir;

  private static final List<String> PARAMS =
      List.of(
          "maxmemory",
          "maxmemory-clients",
          "hz",
          "timeout",
          "maxclients",
          "unixsocketperm",
          "loglevel",
          "shutdown-on-sigint",
          "oom-score-adj",
          "dbfilename",
          "appendfilename",
          "appenddirname",
          "cluster-announce-hostname",
          "proc-title-template",
          "save",
          "client-output-buffer-limit",
          "notify-keyspace-events",
          "latency-tracking-info-percentiles",
          "oom-score-adj-values",
          "replicaof",
          "slaveof",
          "activedefrag",
          "io-threads",
          "list-max-ziplist-size",
          "repl-backlog-size",
          "bind",
          "SLAVE-READ-ONLY");

  private static final List<String> VALUES =
      List.of(
          "yes",
          "1",
          "-1",
          "abc",
          "\"\"",
          "1kb",
          "10%",
          "200%",
          "0777",
          "8",
          "99999999999999999999",
          "\"1 2\"",
          "1 2",
          "'a b' c",
          "\"save now\"",
          "relative",
          "KEA",
          "a/b",
          "{title}",
          "\"{port} x\"",
          "\"50 99.9\"",
          "\"-2000 0 2000\"",
          "no one",
          "127.0.0.1 6379",
          "\"pubsub 1mb 2mb 3\"",
          "replica 1 2 3",
          "\"unbalanced",
          "x\"y\"");

  private static final List<String> OTHER_LINES =
      List.of(
          "foo bar",
          "list-max-ziplist-entries 5",
          "list-max-ziplist-entries",
          "lua-replicate-commands yes",
          "sentinel",
          "sentinel monitor x",
          "foo.bar",
          "foo.bar baz",
          "include",
          "user",
          "rename-command",
          "  # indented comment",
          "port",
          "port 1 2",
          "'port' 0",
          "save",
          "bind",
          "replicaof",
          "client-output-buffer-limit");

  private String reference(Path bin, Path conf) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(bin.toString(), conf.toString(), "--port", "0").directory(dir.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Path err = dir.resolve("stderr.txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("reference did not exit for " + Files.readString(conf));
    }
    return Files.readString(err, StandardCharsets.ISO_8859_1);
  }

  private static String ours(Path conf) {
    Config config = new Config();
    ConfigLoader.CommandLine cl =
        ConfigLoader.parseCommandLine(List.of(conf.toString(), "--port", "0"));
    try {
      new ConfigLoader(config, d -> {}).load(cl.configFile(), cl.configFromStdin(), cl.options());
      return "";
    } catch (ConfigLoader.ConfigFileException e) {
      return e.getMessage();
    }
  }

  @Test
  void linesAreAcceptedOrRefusedAsByRedis() throws Exception {
    Path bin = ReferenceRedis.requireBinary();
    List<String> lines = new ArrayList<>();
    for (String p : PARAMS) for (String v : VALUES) lines.add(p + " " + v);
    lines.addAll(OTHER_LINES);
    Path conf = dir.resolve("probe.conf");
    List<String> mismatches = new ArrayList<>();
    for (String line : lines) {
      Files.writeString(conf, "# probe\n" + line + "\n", StandardCharsets.ISO_8859_1);
      String expected = reference(bin, conf);
      String actual = ours(conf);
      if (!actual.equals(expected)) {
        mismatches.add(line + "\n  reference: " + expected + "\n  redstart:  " + actual);
      }
    }
    assertThat(mismatches).isEmpty();
  }
}
