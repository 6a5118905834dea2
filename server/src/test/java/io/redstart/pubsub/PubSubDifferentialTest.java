package io.redstart.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.testing.ServerPair;
import io.redstart.testing.ServerPairExtension;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pub/Sub compared with the reference over several connections ({@link Scenario}): everything each
 * connection receives, byte for byte. Orders that Redis takes from its hash tables (unsubscribing
 * from several channels at once, several matching patterns) are avoided.
 */
@ExtendWith(ServerPairExtension.class)
class PubSubDifferentialTest {
  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of(
            "channels and patterns in resp2",
            """
            1: SUBSCRIBE news
            1: SUBSCRIBE news
            2: PSUBSCRIBE n*s
            3: PUBLISH news hello
            3: PUBLISH nxs other
            3: PUBLISH nobody x
            3: PUBSUB NUMSUB news nxs
            3: PUBSUB NUMPAT
            3: PUBSUB CHANNELS
            3: PUBSUB CHANNELS n*
            3: PUBSUB CHANNELS x*
            1: PSUBSCRIBE news
            3: PUBLISH news twice
            1: UNSUBSCRIBE news
            1: PUNSUBSCRIBE news
            1: UNSUBSCRIBE
            1: PUNSUBSCRIBE
            1: GET k
            2: PUNSUBSCRIBE nope
            2: PUNSUBSCRIBE
            3: PUBSUB NUMPAT
            """),
        Arguments.of(
            "subscribe context",
            """
            1: SUBSCRIBE c
            1: GET k
            1: SET k v
            1: PUBSUB NUMSUB c
            1: PING
            1: PING hi
            1: ECHO hi
            1: MULTI
            1: HELLO 3
            1: PSUBSCRIBE p*
            1: SSUBSCRIBE s
            1: SUNSUBSCRIBE s
            1: CLIENT INFO
            1: RESET
            1: GET k
            2: SUBSCRIBE c
            2: QUIT
            3: PUBSUB NUMSUB c
            """),
        Arguments.of(
            "resp3 pushes",
            """
            1: HELLO 3
            1: SUBSCRIBE c
            1: PSUBSCRIBE c*
            1: PUBLISH c self
            2: PUBLISH cc other
            1: GET k
            1: PING
            1: UNSUBSCRIBE c
            1: PUNSUBSCRIBE
            1: PUNSUBSCRIBE
            1: SSUBSCRIBE s
            2: SPUBLISH s sharded
            1: SUNSUBSCRIBE
            1: HELLO 2
            1: PING
            """),
        Arguments.of(
            "shard channels",
            """
            1: SSUBSCRIBE s1
            1: SSUBSCRIBE s1
            1: SUBSCRIBE s1
            2: PSUBSCRIBE *
            3: SPUBLISH s1 a
            3: PUBLISH s1 b
            3: SPUBLISH nobody c
            3: PUBSUB SHARDCHANNELS
            3: PUBSUB SHARDCHANNELS x*
            3: PUBSUB SHARDNUMSUB s1 s2
            3: PUBSUB SHARDNUMSUB
            1: SUNSUBSCRIBE s1 s2
            1: SUNSUBSCRIBE
            1: UNSUBSCRIBE
            3: MULTI
            3: SSUBSCRIBE x
            3: EXEC
            """),
        Arguments.of(
            "keyspace events to subscribers",
            """
            1: CONFIG SET notify-keyspace-events KEA
            2: SUBSCRIBE __keyevent@0__:set
            3: HELLO 3
            3: PSUBSCRIBE __keyspace@0__:*
            1: SET a 1
            3: SET b 2
            3: DEL b
            1: CONFIG SET notify-keyspace-events ""
            1: SET a 2
            """),
        Arguments.of(
            "errors",
            """
            1: SUBSCRIBE
            1: PSUBSCRIBE
            1: SSUBSCRIBE
            1: PUBLISH c
            1: SPUBLISH c
            1: PUBSUB
            1: PUBSUB FOO
            1: PUBSUB CHANNELS a b
            1: PUBSUB SHARDCHANNELS a b
            1: PUBSUB NUMPAT x
            1: PUBSUB HELP
            1: PUBSUB HELP x
            1: PUBSUB help
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void matchesTheReference(String name, String script, ServerPair pair) throws Exception {
    assertThat(pair.flushAll()).isEmpty();
    String expected = Scenario.run(pair.reference().port(), script);
    String actual = Scenario.run(pair.candidatePort(), script);
    assertThat(expected).doesNotContain("<no answer");
    assertThat(actual).isEqualTo(expected);
  }
}
