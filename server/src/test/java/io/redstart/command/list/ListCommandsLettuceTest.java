package io.redstart.command.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMPopArgs;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.LPosArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.redstart.embedded.Redstart;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every list command through Lettuce in RESP2 and RESP3, blocking ones asynchronously. */
@Timeout(120)
class ListCommandsLettuceTest {
  private static Redstart.Handle server;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> helper;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
    client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
    helper = client.connect();
  }

  @AfterAll
  static void stop() {
    helper.close();
    client.shutdown(0, 1, TimeUnit.SECONDS);
    server.close();
  }

  @BeforeEach
  void flush() {
    helper.sync().flushall();
  }

  private static StatefulRedisConnection<String, String> connect(ProtocolVersion protocol) {
    client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
    return client.connect();
  }

  private static void awaitBlocked(int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (helper.sync().info("clients").contains("blocked_clients:" + n + "\r\n")) return;
      Thread.onSpinWait();
    }
    throw new AssertionError("never saw " + n + " blocked clients");
  }

  @ParameterizedTest
  @EnumSource(ProtocolVersion.class)
  void commands(ProtocolVersion protocol) {
    try (StatefulRedisConnection<String, String> conn = connect(protocol)) {
      RedisCommands<String, String> r = conn.sync();
      assertThat(r.rpush("l", "a", "b", "c", "b")).isEqualTo(4);
      assertThat(r.lpush("l", "z")).isEqualTo(5);
      assertThat(r.lpushx("nosuch", "z")).isZero();
      assertThat(r.rpushx("l", "y")).isEqualTo(6);
      assertThat(r.llen("l")).isEqualTo(6);
      assertThat(r.lindex("l", 1)).isEqualTo("a");
      assertThat(r.lindex("l", 100)).isNull();
      assertThat(r.lrange("l", 0, -1)).containsExactly("z", "a", "b", "c", "b", "y");
      assertThat(r.lpos("l", "b")).isEqualTo(2);
      assertThat(r.lpos("l", "b", LPosArgs.Builder.rank(-1))).isEqualTo(4);
      assertThat(r.lpos("l", "b", 0)).containsExactly(2L, 4L);
      assertThat(r.lpos("l", "nothing")).isNull();
      assertThat(r.linsert("l", true, "c", "C")).isEqualTo(7);
      assertThat(r.lset("l", 0, "Z")).isEqualTo("OK");
      assertThat(r.lrem("l", -1, "b")).isEqualTo(1);
      assertThat(r.ltrim("l", 0, 3)).isEqualTo("OK");
      assertThat(r.lrange("l", 0, -1)).containsExactly("Z", "a", "b", "C");
      assertThat(r.lpop("l")).isEqualTo("Z");
      assertThat(r.rpop("l", 2)).containsExactly("C", "b");
      assertThat(r.lmove("l", "m", LMoveArgs.Builder.leftRight())).isEqualTo("a");
      assertThat(r.exists("l")).isZero();
      assertThat(r.lpop("l")).isNull();
      assertThat(r.lpop("l", 2)).isEmpty();
      KeyValue<String, List<String>> popped = r.lmpop(LMPopArgs.Builder.right().count(5), "l", "m");
      assertThat(popped.getKey()).isEqualTo("m");
      assertThat(popped.getValue()).containsExactly("a");
      assertThat(r.lmpop(LMPopArgs.Builder.left(), "l", "m")).isNull();
      r.set("s", "v");
      assertThatThrownBy(() -> r.llen("s"))
          .isInstanceOf(RedisCommandExecutionException.class)
          .hasMessageStartingWith("WRONGTYPE");
      assertThatThrownBy(() -> r.lpos("l", "a", LPosArgs.Builder.rank(0)))
          .hasMessageStartingWith("ERR RANK can't be zero");
    }
  }

  @ParameterizedTest
  @EnumSource(ProtocolVersion.class)
  @SuppressWarnings("deprecation") // BRPOPLPUSH is deprecated by Redis, still served
  void blockingCommands(ProtocolVersion protocol) throws Exception {
    try (StatefulRedisConnection<String, String> conn = connect(protocol)) {
      RedisFuture<KeyValue<String, String>> blpop = conn.async().blpop(0, "q1", "q2");
      awaitBlocked(1);
      helper.sync().rpush("q2", "v");
      KeyValue<String, String> got = blpop.get(10, TimeUnit.SECONDS);
      assertThat(got.getKey()).isEqualTo("q2");
      assertThat(got.getValue()).isEqualTo("v");

      RedisFuture<String> blmove =
          conn.async().blmove("src", "dst", LMoveArgs.Builder.rightLeft(), 0.0);
      awaitBlocked(1);
      helper.sync().rpush("src", "a", "b");
      assertThat(blmove.get(10, TimeUnit.SECONDS)).isEqualTo("b");

      RedisFuture<KeyValue<String, List<String>>> blmpop =
          conn.async().blmpop(0, LMPopArgs.Builder.left().count(3), "none", "src");
      KeyValue<String, List<String>> moved = blmpop.get(10, TimeUnit.SECONDS);
      assertThat(moved.getKey()).isEqualTo("src");
      assertThat(moved.getValue()).containsExactly("a");

      RedisCommands<String, String> r = conn.sync();
      assertThat(r.blpop(0.01, "none")).isNull();
      assertThat(r.brpop(0.01, "none")).isNull();
      assertThat(r.blmove("none", "x", LMoveArgs.Builder.leftLeft(), 0.01)).isNull();
      assertThat(r.brpoplpush(0.01, "none", "x")).isNull();
      assertThat(r.blmpop(0.01, LMPopArgs.Builder.left(), "none")).isNull();
      assertThat(r.brpoplpush(1, "dst", "back")).isEqualTo("b");
      assertThatThrownBy(() -> r.blpop(-1, "none")).hasMessage("ERR timeout is negative");
    }
  }

  @Test
  void blockingInsideTransactionAnswersAtOnce() {
    try (StatefulRedisConnection<String, String> conn = connect(ProtocolVersion.RESP3)) {
      RedisCommands<String, String> r = conn.sync();
      r.multi();
      r.blpop(0, "none");
      r.rpush("k", "v");
      r.blmove("k", "k2", LMoveArgs.Builder.leftLeft(), 0);
      TransactionResult result = r.exec();
      assertThat(result.wasDiscarded()).isFalse();
      assertThat(result).hasSize(3);
      List<Object> replies = result.stream().toList();
      assertThat(replies.get(0)).isNull();
      assertThat(replies.get(1)).isEqualTo(1L);
      assertThat(replies.get(2)).isEqualTo("v");
    }
  }
}
