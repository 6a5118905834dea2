package io.redstart.command.list;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP with several clients in process: who is served and
 * from which key, in which order, what is propagated, timeouts, CLIENT UNBLOCK, MULTI, WATCH,
 * clients that go away, chains of BLMOVE, keys replaced by another type.
 */
@Timeout(120)
class ListBlockingTest {
  private static InProcessServer srv;
  private InProcessServer.LocalClient ctl;
  private final List<String> propagated = Collections.synchronizedList(new ArrayList<>());
  private final io.redstart.propagation.Propagator.Feed feed = this::feed;

  @BeforeAll
  static void start() throws Exception {
    srv = new InProcessServer();
  }

  @AfterAll
  static void stop() {
    srv.close();
  }

  @BeforeEach
  void setUp() {
    ctl = srv.connect();
    ctl.call("FLUSHALL");
    ctl.call("CONFIG", "RESETSTAT");
    srv.run(() -> srv.server.propagator().addFeed(feed));
  }

  @AfterEach
  void tearDown() {
    srv.run(() -> srv.server.propagator().removeFeed(feed));
  }

  private void feed(int db, byte[][] argv) {
    StringBuilder sb = new StringBuilder();
    for (byte[] a : argv) {
      sb.append(sb.isEmpty() ? "" : " ").append(new String(a, StandardCharsets.ISO_8859_1));
    }
    propagated.add(sb.toString());
  }

  /** A client that sent a blocking command and is now waiting. */
  private InProcessServer.LocalClient blocked(String... argv) {
    InProcessServer.LocalClient s = srv.connect();
    s.send(argv);
    assertThat(s.blocked()).as("blocked on %s", List.of(argv)).isTrue();
    assertThat(s.output()).isEmpty();
    return s;
  }

  private static String pair(String key, String value) {
    return "*2\r\n$"
        + key.length()
        + "\r\n"
        + key
        + "\r\n$"
        + value.length()
        + "\r\n"
        + value
        + "\r\n";
  }

  private static String bulk(String v) {
    return "$" + v.length() + "\r\n" + v + "\r\n";
  }

  @Test
  void servedFromTheKeyThatBecameReadyNotTheFirstKey() {
    InProcessServer.LocalClient a = blocked("BLPOP", "first", "second", "0");
    ctl.call("MULTI");
    ctl.call("RPUSH", "second", "s");
    ctl.call("RPUSH", "first", "f");
    ctl.call("EXEC");
    assertThat(a.await(pair("second", "s"))).isEqualTo(pair("second", "s"));
    assertThat(ctl.call("LRANGE", "first", "0", "-1")).isEqualTo("*1\r\n$1\r\nf\r\n");
    assertThat(propagated)
        .containsExactly("MULTI", "RPUSH second s", "RPUSH first f", "EXEC", "LPOP second");
  }

  @Test
  void firstBlockedFirstServedAndCountsPopped() {
    InProcessServer.LocalClient a = blocked("BLMPOP", "0", "2", "x", "y", "RIGHT", "COUNT", "2");
    InProcessServer.LocalClient b = blocked("BRPOP", "y", "0");
    InProcessServer.LocalClient c = blocked("BLPOP", "y", "0");
    InProcessServer.LocalClient d = blocked("BLPOP", "y", "0");
    assertThat(ctl.call("LPUSH", "y", "1", "2", "3", "4")).isEqualTo(":4\r\n");
    String nested = "*2\r\n$1\r\ny\r\n*2\r\n$1\r\n1\r\n$1\r\n2\r\n";
    assertThat(a.await(nested)).isEqualTo(nested);
    assertThat(b.await(pair("y", "3"))).isEqualTo(pair("y", "3"));
    assertThat(c.await(pair("y", "4"))).isEqualTo(pair("y", "4"));
    assertThat(d.blocked()).isTrue();
    assertThat(ctl.call("EXISTS", "y")).isEqualTo(":0\r\n");
    assertThat(propagated).containsExactly("LPUSH y 1 2 3 4", "RPOP y 2", "RPOP y", "LPOP y");
    ctl.call("RPUSH", "y", "last");
    assertThat(d.await(pair("y", "last"))).isEqualTo(pair("y", "last"));
    // Served pops are counted once, as calls of the command that blocked.
    assertThat(ctl.call("INFO", "commandstats"))
        .contains("cmdstat_blpop:calls=2,")
        .contains("cmdstat_brpop:calls=1,")
        .contains("cmdstat_blmpop:calls=1,");
  }

  @Test
  void blmoveChainsWakeTheNextClient() {
    InProcessServer.LocalClient a = blocked("BLMOVE", "a", "b", "LEFT", "RIGHT", "0");
    InProcessServer.LocalClient b = blocked("BLPOP", "b", "0");
    InProcessServer.LocalClient c = blocked("BRPOPLPUSH", "b", "c", "0");
    ctl.call("RPUSH", "a", "v1", "v2");
    assertThat(a.await(bulk("v1"))).isEqualTo(bulk("v1"));
    assertThat(b.await(pair("b", "v1"))).isEqualTo(pair("b", "v1"));
    assertThat(c.blocked()).isTrue();
    assertThat(ctl.call("EXISTS", "b")).isEqualTo(":0\r\n");
    ctl.call("RPUSH", "b", "w");
    assertThat(c.await(bulk("w"))).isEqualTo(bulk("w"));
    assertThat(ctl.call("LRANGE", "c", "0", "-1")).isEqualTo("*1\r\n$1\r\nw\r\n");
    assertThat(propagated)
        .containsExactly(
            "RPUSH a v1 v2", "LMOVE a b left right", "LPOP b", "RPUSH b w", "RPOPLPUSH b c");
  }

  @Test
  void blmoveOntoItselfAndOntoTheWrongType() {
    InProcessServer.LocalClient a = blocked("BLMOVE", "ring", "ring", "LEFT", "RIGHT", "0");
    ctl.call("RPUSH", "ring", "a", "b");
    assertThat(a.await(bulk("a"))).isEqualTo(bulk("a"));
    assertThat(ctl.call("LRANGE", "ring", "0", "-1")).isEqualTo("*2\r\n$1\r\nb\r\n$1\r\na\r\n");
    InProcessServer.LocalClient b = blocked("BLMOVE", "src", "dst", "RIGHT", "LEFT", "0");
    ctl.call("SET", "dst", "string");
    ctl.call("RPUSH", "src", "q");
    String wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    assertThat(b.await(wrongType)).isEqualTo(wrongType);
    assertThat(b.blocked()).isFalse();
    assertThat(ctl.call("LLEN", "src")).isEqualTo(":1\r\n");
    assertThat(ctl.call("INFO", "commandstats"))
        .contains("cmdstat_blmove:calls=2,")
        .contains("failed_calls=1");
  }

  @Test
  void aKeyReplacedByAnotherTypeLeavesClientsWaiting() {
    InProcessServer.LocalClient a = blocked("BLPOP", "k", "0");
    ctl.call("SET", "k", "string");
    assertThat(a.blocked()).isTrue();
    ctl.call("DEL", "k");
    ctl.call("MULTI");
    ctl.call("RPUSH", "k", "x");
    ctl.call("SET", "k", "again");
    ctl.call("EXEC");
    assertThat(a.blocked()).isTrue();
    ctl.call("DEL", "k");
    ctl.call("LPUSH", "k", "finally");
    assertThat(a.await(pair("k", "finally"))).isEqualTo(pair("k", "finally"));
  }

  @Test
  void timeoutsAnswerANullArray() {
    InProcessServer.LocalClient a = srv.connect();
    long start = System.nanoTime();
    a.send("BLPOP", "none", "0.05");
    assertThat(a.await("*-1\r\n")).isEqualTo("*-1\r\n");
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(45).toNanos());
    a.send("BLMOVE", "none", "x", "LEFT", "LEFT", "0.01");
    assertThat(a.await("*-1\r\n")).isEqualTo("*-1\r\n");
    a.send("BRPOPLPUSH", "none", "x", "0.01");
    assertThat(a.await("*-1\r\n")).isEqualTo("*-1\r\n");
    a.send("BLMPOP", "0.01", "1", "none", "LEFT");
    assertThat(a.await("*-1\r\n")).isEqualTo("*-1\r\n");
    a.call("HELLO", "3");
    a.send("BRPOP", "none", "0.01");
    assertThat(a.await("_\r\n")).isEqualTo("_\r\n");
    assertThat(propagated).isEmpty();
    // A timeout so large that the deadline overflows waits forever, as in Redis 7.0.
    InProcessServer.LocalClient b = blocked("BLPOP", "none", "9223372036854775");
    assertThat(b.blocked()).isTrue();
    ctl.call("CLIENT", "UNBLOCK", Long.toString(b.id()));
  }

  @Test
  void clientUnblockWithTimeoutOrError() {
    InProcessServer.LocalClient a = blocked("BRPOP", "none", "0");
    assertThat(ctl.call("CLIENT", "UNBLOCK", Long.toString(a.id()), "TIMEOUT")).isEqualTo(":1\r\n");
    assertThat(a.await("*-1\r\n")).isEqualTo("*-1\r\n");
    a.send("BLMOVE", "none", "x", "LEFT", "LEFT", "0");
    assertThat(a.blocked()).isTrue();
    assertThat(ctl.call("CLIENT", "UNBLOCK", Long.toString(a.id()), "ERROR")).isEqualTo(":1\r\n");
    String err = "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n";
    assertThat(a.await(err)).isEqualTo(err);
    assertThat(ctl.call("CLIENT", "UNBLOCK", Long.toString(a.id()))).isEqualTo(":0\r\n");
    assertThat(ctl.call("CLIENT", "UNBLOCK", Long.toString(a.id()), "MAYBE"))
        .isEqualTo("-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n");
    String stats = ctl.call("INFO", "commandstats");
    assertThat(stats).contains("cmdstat_brpop:calls=1,").contains("cmdstat_blmove:calls=1,");
    assertThat(stats).containsPattern("cmdstat_brpop:[^\\r]*failed_calls=1");
    assertThat(stats).containsPattern("cmdstat_blmove:[^\\r]*failed_calls=1");
  }

  @Test
  void insideMultiNothingBlocksAndPushesServeAfterExec() {
    InProcessServer.LocalClient a = srv.connect();
    a.call("MULTI");
    a.call("BLPOP", "none", "0");
    a.call("BLMOVE", "none", "x", "LEFT", "LEFT", "0");
    a.call("BLMPOP", "0", "1", "none", "LEFT");
    assertThat(a.call("EXEC")).isEqualTo("*3\r\n*-1\r\n$-1\r\n*-1\r\n");
    InProcessServer.LocalClient waiting = blocked("BLPOP", "q", "0");
    ctl.call("MULTI");
    ctl.call("RPUSH", "q", "1", "2");
    ctl.call("LPOP", "q");
    assertThat(waiting.blocked()).isTrue();
    assertThat(ctl.call("EXEC")).isEqualTo("*2\r\n:2\r\n$1\r\n1\r\n");
    assertThat(waiting.await(pair("q", "2"))).isEqualTo(pair("q", "2"));
  }

  @Test
  void aServedPopTouchesWatchedKeysThroughItsPush() {
    InProcessServer.LocalClient a = blocked("BLPOP", "w", "0");
    InProcessServer.LocalClient watcher = srv.connect();
    watcher.call("WATCH", "w");
    ctl.call("RPUSH", "w", "x");
    assertThat(a.await(pair("w", "x"))).isEqualTo(pair("w", "x"));
    watcher.call("MULTI");
    watcher.call("PING");
    assertThat(watcher.call("EXEC")).isEqualTo("*-1\r\n");
  }

  @Test
  void aClientThatLeavesWhileBlockedIsForgotten() {
    InProcessServer.LocalClient gone = blocked("BLPOP", "g", "0");
    InProcessServer.LocalClient next = blocked("BLPOP", "g", "0");
    gone.disconnect();
    ctl.call("RPUSH", "g", "x");
    assertThat(next.await(pair("g", "x"))).isEqualTo(pair("g", "x"));
    ctl.call("RPUSH", "g", "y");
    assertThat(ctl.call("LLEN", "g")).isEqualTo(":1\r\n");
    assertThat(ctl.call("INFO", "clients")).contains("blocked_clients:0");
  }

  @Test
  void pipelinedCommandsRunOnceServed() {
    InProcessServer.LocalClient a = srv.connect();
    a.pipeline(
        List.of(
            new String[] {"BLPOP", "p", "0"}, new String[] {"PING"}, new String[] {"LLEN", "p"}));
    assertThat(a.blocked()).isTrue();
    ctl.call("RPUSH", "p", "a", "b");
    String expected = pair("p", "a") + "+PONG\r\n:1\r\n";
    assertThat(a.await(expected)).isEqualTo(expected);
  }

  @Test
  void sameKeyTwiceAndSwapdb() {
    InProcessServer.LocalClient a = blocked("BLPOP", "dup", "dup", "0");
    ctl.call("RPUSH", "dup", "a");
    assertThat(a.await(pair("dup", "a"))).isEqualTo(pair("dup", "a"));
    ctl.call("RPUSH", "dup", "b");
    assertThat(ctl.call("LLEN", "dup")).isEqualTo(":1\r\n");
    InProcessServer.LocalClient b = blocked("BLPOP", "sw", "0");
    ctl.call("SELECT", "1");
    ctl.call("RPUSH", "sw", "from1");
    ctl.call("SWAPDB", "0", "1");
    assertThat(b.await(pair("sw", "from1"))).isEqualTo(pair("sw", "from1"));
    ctl.call("SELECT", "0");
  }

  @Test
  void renameAndMoveWakeClients() {
    InProcessServer.LocalClient a = blocked("BRPOP", "target", "0");
    ctl.call("RPUSH", "other", "o1", "o2");
    ctl.call("RENAME", "other", "target");
    assertThat(a.await(pair("target", "o2"))).isEqualTo(pair("target", "o2"));
  }
}
