package io.redstart.server;

import static org.assertj.core.api.Assertions.assertThat;

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
 * {@code redstart-server} refusing a bad configuration as redis-server does: same report, exit code
 * 1. Runs Main in a child JVM on the test class path; when redis-server is installed, the expected
 * output is checked against it too.
 */
class MainConfigTest {
  @TempDir Path dir;

  private record Result(int exit, String stdout, String stderr) {}

  private Result run(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.ISO_8859_1),
        Files.readString(err, StandardCharsets.ISO_8859_1));
  }

  private Result redstart(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  /** The reference's result for the same arguments, or null when it is not installed. */
  private Result reference(String... args) throws Exception {
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String d : path.split(File.pathSeparator)) {
      Path bin = Path.of(d, "redis-server");
      if (Files.isExecutable(bin)) {
        List<String> cmd = new ArrayList<>(List.of(bin.toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
      }
    }
    return null;
  }

  private void sameReport(String expectedStderr, String... args) throws Exception {
    Result ours = redstart(args);
    assertThat(ours.stderr()).isEqualTo(expectedStderr);
    assertThat(ours.exit()).isEqualTo(1);
    Result ref = reference(args);
    if (ref != null) {
      assertThat(ref.stderr()).as("the reference's report").isEqualTo(expectedStderr);
      assertThat(ref.exit()).isEqualTo(1);
    }
  }

  @Test
  void unknownOptionOnTheCommandLine() throws Exception {
    sameReport(
        """

        *** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***
        Reading the configuration file, at line 3
        >>> 'foo "bar"'
        Bad directive or wrong number of arguments
        """,
        "--port",
        "0",
        "--foo",
        "bar");
  }

  @Test
  void badValueInAFileThenOptions() throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "# comment\nport 0\n\n  maxmemory-policy   sometimes \nhz 5\n");
    sameReport(
        """

        *** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***
        Reading the configuration file, at line 4
        >>> 'maxmemory-policy   sometimes'
        argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, \
        volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction
        """,
        conf.toString(),
        "--save",
        "--hz",
        "5");
  }

  @Test
  void optionWithItsValueInOneArgument() throws Exception {
    sameReport(
        """

        *** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***
        Reading the configuration file, at line 3
        >>> 'dir /nonexistent/dir'
        No such file or directory
        """,
        "--port 0",
        "--dir /nonexistent/dir");
  }

  @Test
  void missingConfigFileIsLogged() throws Exception {
    Result ours = redstart("missing.conf");
    assertThat(ours.exit()).isEqualTo(1);
    String expected =
        "# Fatal error, can't open config file '"
            + dir.toRealPath().resolve("missing.conf")
            + "': No such file or directory";
    assertThat(ours.stdout().strip())
        .matches("\\d+:C \\d\\d \\w{3} \\d{4} [\\d:.]+ .*")
        .endsWith(expected);
    Result ref = reference("missing.conf");
    if (ref != null) assertThat(ref.stdout().strip()).endsWith(expected);
  }
}
