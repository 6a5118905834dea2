package io.redstart.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.pubsub.Scenario;
import io.redstart.testing.ServerPair;
import io.redstart.testing.ServerPairExtension;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MONITOR compared with the reference ({@link Scenario}): the lines monitors receive, timestamps
 * and peer addresses masked, for plain commands, quoting, databases, transactions, redactions,
 * administrative commands, errors, blocked commands and the monitor's own commands.
 */
@ExtendWith(ServerPairExtension.class)
class MonitorDifferentialTest {
  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of(
            "commands and quoting",
            """
            1: MONITOR
            2: SET foo bar
            2: GET foo
            2: SET "quote\\"back\\\\slash" x
            2: SELECT 5
            2: SET in5 "a\\tb"
            2: SWAPDB 0 5
            2: SELECT 0
            2: ECHO ""
            2: PING
            1: PING
            1: MONITOR
            1: GET foo
            """),
        Arguments.of(
            "transactions and errors",
            """
            1: MONITOR
            2: MULTI
            2: SET x 1
            2: INCR x
            2: EXEC
            2: MULTI
            2: NOSUCHCOMMAND
            2: EXEC
            2: GET
            2: UNKNOWN a b
            2: INCR foo
            2: SET a b c d
            2: WATCH x
            2: UNWATCH
            2: DISCARD
            """),
        Arguments.of(
            "redactions and admin commands",
            """
            1: MONITOR
            2: AUTH secret
            2: AUTH user secret
            2: AUTH a b c
            2: HELLO 2 AUTH user secret
            2: HELLO 9 AUTH user secret
            2: HELLO x AUTH user secret
            2: HELLO
            2: CONFIG GET maxmemory
            2: CLIENT GETREDIR
            2: CLIENT LIST ID 0
            2: INFO keyspace
            2: DEBUG SET-ACTIVE-EXPIRE 1
            2: FLUSHALL
            2: MONITOR
            """),
        Arguments.of(
            "monitors leave",
            """
            1: MONITOR
            3: MONITOR
            2: SET k 1
            3: RESET
            2: SET k 2
            3: MULTI
            3: MONITOR
            3: EXEC
            1: QUIT
            2: SET k 3
            """),
        Arguments.of(
            "pubsub and blocked commands",
            """
            1: MONITOR
            2: SUBSCRIBE c
            3: PUBLISH c m
            2: UNSUBSCRIBE
            3: CLIENT TRACKING on
            3: CLIENT TRACKING off
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void matchesTheReference(String name, String script, ServerPair pair) throws Exception {
    assertThat(pair.flushAll()).isEmpty();
    String expected = Scenario.run(pair.reference().port(), script);
    String actual = Scenario.run(pair.candidatePort(), script);
    assertThat(expected).doesNotContain("<no answer").contains("+<time> [");
    assertThat(actual).isEqualTo(expected);
  }
}
