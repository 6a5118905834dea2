package io.redstart.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.testing.DiffScript;
import io.redstart.testing.ServerPair;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The differential harness against itself: every script and a random run, with a second
 * redis-server in Redstart's place. Any difference here is the harness's fault (a reply that
 * depends on time or hash order without a rule, a TTL short enough to expire mid-run), never
 * Redstart's; this keeps the real comparisons free of false alarms.
 */
class HarnessSelfTest {
  private static ServerPair pair;

  @BeforeAll
  static void start() throws IOException {
    pair = ServerPair.twoReferences(List.of());
  }

  @AfterAll
  static void stop() {
    if (pair != null) pair.close();
  }

  static Stream<Arguments> scripts() throws Exception {
    return DifferentialScriptTest.scripts();
  }

  @ParameterizedTest(name = "{0} RESP{1}")
  @MethodSource("scripts")
  void scriptsSeeNoDifferenceBetweenTwoReferences(String name, int protocol) throws IOException {
    String report =
        DifferentialScriptTest.run(pair, DiffScript.load("differential/" + name), protocol);
    assertThat(report).withFailMessage(() -> report).isNull();
  }

  @Test
  void randomCommandsSeeNoDifferenceBetweenTwoReferences() throws IOException {
    long seed = Long.getLong("redstart.diff.seed", System.nanoTime());
    int count = Integer.getInteger("redstart.diff.commands", 5000);
    String report = DifferentialRandomTest.run(pair, seed, count, 20);
    assertThat(report).withFailMessage(() -> report).isNull();
  }
}
