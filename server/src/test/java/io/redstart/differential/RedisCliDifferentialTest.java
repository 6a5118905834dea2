package io.redstart.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.testing.RedisTools;
import io.redstart.testing.ServerPair;
import io.redstart.testing.ServerPairExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real {@code redis-cli} driven through its standard input against the reference server and
 * against Redstart: the same arguments and the same input must print the same output (stdout and
 * stderr, ports masked) and end with the same exit code. This covers what redis-cli sends on its
 * own (SELECT for {@code -n}, HELLO for {@code -3}) and how it renders every reply type in its raw,
 * standard and CSV modes. Both servers are emptied before each case.
 */
@ExtendWith(ServerPairExtension.class)
class RedisCliDifferentialTest {
  private static final long TIMEOUT_SECONDS = 30;

  /** Commands covering each reply type and the quoting rules of redis-cli's input. */
  private static final String BASIC =
      """
      PING
      SET k v
      GET k
      GET nosuch
      INCR counter
      INCRBY counter 41
      MSET a 1 b 2
      MGET a b nosuch
      DEL a b nosuch
      SET "key with space" "value with space"
      GET "key with space"
      SET bin "\\x00\\x01\\xff\\r\\n"
      GET bin
      STRLEN bin
      ECHO 'it\\'s'
      ECHO "tab\\there"
      ECHO ""
      TTL k
      EXPIRE k 1000
      PERSIST k
      TYPE k
      OBJECT ENCODING counter
      GET
      INCR k
      NOSUCHCOMMAND arg
      SET k v EX 0
      MSET x ohmytext y mynewtext
      LCS x y
      LCS x y IDX WITHMATCHLEN
      GETRANGE x 0 -1
      DBSIZE
      """;

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    cases.add(Arguments.of("default output (raw, as stdout is not a terminal)", List.of(), BASIC));
    cases.add(Arguments.of("--no-raw", List.of("--no-raw"), BASIC));
    cases.add(Arguments.of("--raw", List.of("--raw"), BASIC));
    cases.add(
        Arguments.of(
            "-3 --no-raw (RESP3)",
            List.of("-3", "--no-raw"),
            BASIC + "CONFIG GET maxmemory\nHELLO 3\nHELLO 2\n"));
    cases.add(
        Arguments.of("-3 --raw (RESP3)", List.of("-3", "--raw"), BASIC + "CONFIG GET maxmemory\n"));
    cases.add(
        Arguments.of(
            "-n 2 selects a database",
            List.of("-n", "2", "--no-raw"),
            "SET k in-db-2\nDBSIZE\nSELECT 0\nGET k\nSELECT 2\nGET k\nCLIENT INFO\n"));
    cases.add(
        Arguments.of(
            "inline quoting errors are caught by redis-cli",
            List.of("--no-raw"),
            "ECHO \"unbalanced\n"
                + "ECHO 'also\n"
                + "ECHO \"closing\"quote\n"
                + "PING\n\n"
                + "   \n"
                + "ECHO \"\\x41\\x4a\"\n"));
    cases.add(
        Arguments.of(
            "-x reads the last argument from stdin",
            List.of("-x", "SET", "fromstdin"),
            "line one\nline two\n"));
    cases.add(Arguments.of("-x then GET", List.of("--no-raw", "GET", "fromstdin"), ""));
    cases.add(Arguments.of("-r repeats a command", List.of("-r", "3", "INCR", "repeated"), ""));
    cases.add(Arguments.of("--csv", List.of("--csv", "MGET", "nosuch", "x"), ""));
    cases.add(Arguments.of("command in arguments", List.of("SET", "arg key", "arg value"), ""));
    cases.add(Arguments.of("error in arguments, --no-raw", List.of("--no-raw", "INCR"), ""));
    cases.add(Arguments.of("-e exits non-zero on an error", List.of("-e", "GET"), ""));
    cases.add(Arguments.of("-n out of range", List.of("-n", "99", "PING"), ""));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameOutput(String name, List<String> args, String stdin, ServerPair pair) throws Exception {
    Path cli = RedisTools.redisCli();
    String input = stdin;
    pair.flushAll();
    Result reference = run(cli, pair.reference().port(), args, input);
    pair.flushAll();
    Result redstart = run(cli, pair.candidatePort(), args, input);
    assertThat(redstart.masked(pair.candidatePort()))
        .as("redis-cli %s with input:%n%s", args, input)
        .isEqualTo(reference.masked(pair.reference().port()));
  }

  private record Result(int exitCode, String stdout, String stderr) {
    /** The output with the server's port, client ids, addresses, ages and sizes masked. */
    String masked(int port) {
      return "exit code "
          + exitCode
          + "\n--- stdout\n"
          + mask(stdout, port)
          + "\n--- stderr\n"
          + mask(stderr, port);
    }

    private static String mask(String s, int port) {
      return s.replace(":" + port, ":PORT")
          .replaceAll("id=[0-9]+ addr=[^ ]+ laddr=[^ ]+ fd=[0-9]+", "id=* addr=* laddr=* fd=*")
          .replaceAll("age=[0-9]+ idle=[0-9]+", "age=* idle=*")
          .replaceAll(
              "(qbuf|qbuf-free|argv-mem|multi-mem|rbs|rbp|obl|oll|omem|tot-mem)=[0-9]+", "$1=*")
          .replaceAll("\"id\" => \\(integer\\) [0-9]+", "\"id\" => (integer) *")
          .replaceAll("(\\d+\\) \"id\"\\R\\s*\\d+\\) \\(integer\\) )[0-9]+", "$1*")
          .replaceAll("(?m)^id\\R[0-9]+$", "id\n*");
    }
  }

  private static Result run(Path cli, int port, List<String> args, String stdin)
      throws IOException, InterruptedException, ExecutionException, TimeoutException {
    List<String> command = new ArrayList<>();
    command.add(cli.toString());
    command.add("-h");
    command.add("127.0.0.1");
    command.add("-p");
    command.add(Integer.toString(port));
    command.addAll(args);
    Process p = new ProcessBuilder(command).start();
    try {
      CompletableFuture<String> out = readAsync(p.getInputStream());
      CompletableFuture<String> err = readAsync(p.getErrorStream());
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new TimeoutException(
            "redis-cli " + args + " did not end within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(
          p.exitValue(),
          out.get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
          err.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
  }

  private static CompletableFuture<String> readAsync(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
          } catch (IOException e) {
            return "<cannot read: " + e + ">";
          }
        });
  }
}
