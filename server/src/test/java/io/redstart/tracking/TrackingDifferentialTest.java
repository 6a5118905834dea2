package io.redstart.tracking;

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
 * Client-side caching compared with the reference: the same multi-connection scenarios (see {@link
 * Scenario}) on both servers, everything each connection receives compared byte for byte: replies,
 * RESP3 invalidation pushes, RESP2 invalidations on the redirection's {@code __redis__:invalidate},
 * BCAST broadcasts, flushes, broken redirections, errors.
 */
@ExtendWith(ServerPairExtension.class)
class TrackingDifferentialTest {
  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of(
            "resp3 default mode",
            """
            2: SET k1 v
            1: HELLO 3
            1: CLIENT TRACKING on
            1: GET k1
            1: MGET k1 k2 k3
            2: SET k1 v2
            2: MSET k2 a k3 b k4 c
            2: SET k1 v3
            1: GET k1
            1: SET k1 self
            1: INCR counter
            1: GET counter
            1: INCR counter
            1: CLIENT TRACKINGINFO
            1: CLIENT GETREDIR
            1: CLIENT TRACKING off
            2: SET k1 after-off
            1: CLIENT TRACKINGINFO
            1: CLIENT GETREDIR
            """),
        Arguments.of(
            "resp2 redirection to a subscriber",
            """
            1: SUBSCRIBE __redis__:invalidate
            2: CLIENT TRACKING on REDIRECT $ID1
            2: GET a
            3: SET a 1
            2: GET a
            2: GET b
            2: SET a 2
            3: DEL b
            2: CLIENT TRACKINGINFO
            2: CLIENT TRACKING on BCAST REDIRECT $ID1
            2: CLIENT TRACKING off
            2: CLIENT TRACKING on BCAST REDIRECT $ID1 PREFIX x: PREFIX y:
            3: MSET x:1 1 y:1 2 z:1 3 x:0 0
            3: MULTI
            3: INCR x:2
            3: INCR y:2
            3: INCR z:2
            3: EXEC
            2: INCR x:3
            2: CLIENT TRACKINGINFO
            3: FLUSHALL
            2: CLIENT TRACKING off
            """),
        Arguments.of(
            "noloop optin optout caching",
            """
            1: HELLO 3
            1: CLIENT TRACKING on NOLOOP
            1: MGET a b
            1: SET a 1
            2: SET b 1
            1: CLIENT TRACKING off
            1: CLIENT TRACKING on OPTIN
            1: GET c
            2: SET c 1
            1: CLIENT CACHING yes
            1: CLIENT TRACKINGINFO
            1: GET c
            2: SET c 2
            1: CLIENT CACHING yes
            1: MULTI
            1: GET d
            1: GET e
            1: EXEC
            2: MSET d 1 e 1
            1: GET d
            2: SET d 2
            1: CLIENT CACHING no
            1: CLIENT TRACKING off
            1: CLIENT TRACKING on OPTOUT
            1: CLIENT CACHING no
            1: CLIENT TRACKINGINFO
            1: GET f
            2: SET f 1
            1: GET f
            2: SET f 2
            1: CLIENT CACHING yes
            1: CLIENT TRACKING off
            1: CLIENT CACHING yes
            """),
        Arguments.of(
            "bcast in resp3 with noloop and expiry",
            """
            1: HELLO 3
            1: CLIENT TRACKING on BCAST PREFIX user: PREFIX item
            1: CLIENT TRACKINGINFO
            2: SET user:1 a
            2: MSET item 1 itemz 2 other 3 user:2 b
            1: SET user:3 mine
            1: CLIENT TRACKING on BCAST PREFIX use
            1: CLIENT TRACKING on BCAST PREFIX users:x
            1: CLIENT TRACKING on BCAST PREFIX p PREFIX q PREFIX pq
            1: CLIENT TRACKING on BCAST PREFIX r PREFIX s PREFIX r
            1: CLIENT TRACKINGINFO
            1: CLIENT TRACKING off
            1: CLIENT TRACKING on BCAST NOLOOP
            1: SET mine 1
            2: SET theirs 1
            1: DEBUG SET-ACTIVE-EXPIRE 0
            2: SET old v PXAT 1
            1: GET old
            1: DEBUG SET-ACTIVE-EXPIRE 1
            1: CLIENT TRACKING off
            """),
        Arguments.of(
            "invalidations wait for the transaction and the reply",
            """
            1: HELLO 3
            1: CLIENT TRACKING on
            1: MSET a 1 b 2
            1: GET a
            1: MULTI
            1: INCR a
            1: GET b
            1: EXEC
            1: GET a
            1: MULTI
            1: FLUSHDB
            1: EXEC
            1: DEBUG SET-ACTIVE-EXPIRE 0
            1: SET x 1 PXAT 1
            1: SET y 1
            1: MGET y
            1: MGET x y
            1: DEBUG SET-ACTIVE-EXPIRE 1
            """),
        Arguments.of(
            "broken redirection",
            """
            2: HELLO 3
            2: CLIENT TRACKING on REDIRECT $ID1
            2: GET k
            1: QUIT
            3: SET k 1
            2: CLIENT TRACKINGINFO
            2: GET k
            3: SET k 2
            2: CLIENT TRACKING off
            6: CLIENT TRACKING on REDIRECT $ID2
            6: GET j
            2: QUIT
            3: SET j 1
            6: CLIENT TRACKINGINFO
            """),
        Arguments.of(
            "option errors",
            """
            1: CLIENT TRACKING on PREFIX a
            1: CLIENT TRACKING on BCAST OPTIN
            1: CLIENT TRACKING on OPTIN OPTOUT
            1: CLIENT TRACKING on REDIRECT 999999
            1: CLIENT TRACKING on REDIRECT x
            1: CLIENT TRACKING on REDIRECT $ID2 REDIRECT $ID2
            1: CLIENT TRACKING on REDIRECT 0
            1: CLIENT TRACKING on FOO
            1: CLIENT TRACKING maybe
            1: CLIENT TRACKING on BCAST PREFIX
            1: CLIENT TRACKING off PREFIX a
            1: CLIENT CACHING yes
            1: CLIENT TRACKING on OPTIN
            1: CLIENT TRACKING on OPTOUT
            1: CLIENT TRACKING on BCAST
            1: CLIENT CACHING no
            1: CLIENT CACHING maybe
            1: CLIENT TRACKING on OPTIN NOLOOP
            1: CLIENT TRACKINGINFO
            1: RESET
            1: CLIENT TRACKINGINFO
            1: CLIENT TRACKING on BCAST
            1: CLIENT TRACKING on BCAST PREFIX a
            1: CLIENT TRACKINGINFO
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
