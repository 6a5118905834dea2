package io.redstart.command.zset;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WATCH sees a sorted set as modified exactly when Redis signals it: after a change, never after a
 * command that changed nothing (a ZADD of the same score, a ZREM of an absent member, an empty
 * range removal, a store whose empty result leaves no key to delete).
 */
class ZSetWatchTest {
  private static Redstart.Handle server;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Runs {@code setup}, WATCH k, {@code change} on another connection, then MULTI/EXEC. */
  private static boolean execAborted(String[] setup, String... change) throws Exception {
    try (RawClient a = RawClient.connect(server.port());
        RawClient b = RawClient.connect(server.port())) {
      a.call("FLUSHALL");
      if (setup.length > 0) assertThat(Bytes.latin1(a.call(setup))).doesNotStartWith("-");
      a.call("WATCH", "k");
      assertThat(Bytes.latin1(b.call(change))).doesNotStartWith("-");
      a.call("MULTI");
      a.call("PING");
      String exec = Bytes.latin1(a.call("EXEC"));
      return exec.equals("*-1\r\n");
    }
  }

  private static String[] zadd(String... pairs) {
    String[] out = new String[pairs.length + 2];
    out[0] = "ZADD";
    out[1] = "k";
    System.arraycopy(pairs, 0, out, 2, pairs.length);
    return out;
  }

  @Test
  void changesAreSignalled() throws Exception {
    String[] ab = zadd("1", "a", "2", "b");
    assertThat(execAborted(new String[0], "ZADD", "k", "1", "a")).isTrue();
    assertThat(execAborted(ab, "ZADD", "k", "5", "a")).isTrue();
    assertThat(execAborted(ab, "ZINCRBY", "k", "1", "a")).isTrue();
    assertThat(execAborted(ab, "ZREM", "k", "a")).isTrue();
    assertThat(execAborted(ab, "ZPOPMIN", "k")).isTrue();
    assertThat(execAborted(ab, "ZREMRANGEBYRANK", "k", "0", "0")).isTrue();
    assertThat(execAborted(ab, "ZUNIONSTORE", "k", "1", "nosuch")).isTrue();
    assertThat(execAborted(new String[0], "GEOADD", "k", "1", "1", "m")).isTrue();
    assertThat(execAborted(ab, "ZRANGESTORE", "k", "k", "0", "0")).isTrue();
  }

  @Test
  void noOpsAreNot() throws Exception {
    String[] ab = zadd("1", "a", "2", "b");
    assertThat(execAborted(ab, "ZADD", "k", "1", "a")).isFalse();
    assertThat(execAborted(ab, "ZADD", "k", "XX", "1", "nosuch")).isFalse();
    assertThat(execAborted(ab, "ZADD", "k", "GT", "0", "a")).isFalse();
    assertThat(execAborted(ab, "ZREM", "k", "nosuch")).isFalse();
    assertThat(execAborted(ab, "ZREMRANGEBYSCORE", "k", "10", "20")).isFalse();
    assertThat(execAborted(ab, "ZPOPMIN", "k", "0")).isFalse();
    assertThat(execAborted(new String[0], "ZUNIONSTORE", "k", "1", "nosuch")).isFalse();
    assertThat(execAborted(ab, "ZRANGE", "k", "0", "-1")).isFalse();
  }
}
