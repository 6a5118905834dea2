package io.redstart.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the reference Redis programs ({@code redis-server}, {@code redis-cli}) on the PATH or in
 * {@code /usr/bin}, where distribution packages put them.
 *
 * <p>When a program is missing, tests that need it are skipped (a JUnit assumption), unless the
 * environment variable {@code REDSTART_REQUIRE_ALL=1} is set: then they fail with a message that
 * says what to install. Nothing else is tried.
 */
public final class RedisTools {
  private RedisTools() {}

  /** The redis-server to compare with; skips or fails the calling test when there is none. */
  public static Path redisServer() {
    return require("redis-server");
  }

  /** The redis-cli to drive servers with; skips or fails the calling test when there is none. */
  public static Path redisCli() {
    return require("redis-cli");
  }

  /** Whether missing tools fail tests instead of skipping them. */
  public static boolean requireAll() {
    return "1".equals(System.getenv("REDSTART_REQUIRE_ALL"));
  }

  private static Path require(String program) {
    Optional<Path> found = find(program);
    if (found.isPresent()) return found.get();
    String message =
        program
            + " not found on the PATH or in /usr/bin: install Redis 7.0 (Debian: apt-get install"
            + " redis-server redis-tools) to run the differential tests";
    if (requireAll()) Assertions.fail(message + " (REDSTART_REQUIRE_ALL=1)");
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  /** The program's path, if it is on the PATH or in /usr/bin. */
  public static Optional<Path> find(String program) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) continue;
        Path candidate = Path.of(dir, program);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    Path fallback = Path.of("/usr/bin", program);
    return Files.isExecutable(fallback) ? Optional.of(fallback) : Optional.empty();
  }
}
