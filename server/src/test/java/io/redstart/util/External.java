package io.redstart.util;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need a program from outside the build (gcc, redis-server): they are skipped
 * when it is missing, unless the environment sets {@code REDSTART_REQUIRE_ALL=1}, where a missing
 * program fails the test instead.
 */
final class External {
  private External() {}

  static final boolean REQUIRE_ALL = "1".equals(System.getenv("REDSTART_REQUIRE_ALL"));

  static void require(boolean available, String why) {
    if (available) return;
    if (REQUIRE_ALL) fail(why + " (REDSTART_REQUIRE_ALL=1)");
    Assumptions.assumeTrue(false, why);
  }

  /** True when {@code command} runs and exits with status 0 within a few seconds. */
  static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      return p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
