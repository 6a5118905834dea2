package io.redstart.command.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.embedded.Redstart;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.LPosParams;
import redis.clients.jedis.util.KeyValue;

/** Every list command through Jedis, blocking ones with a second connection pushing. */
@Timeout(120)
class ListCommandsJedisTest {
  private static Redstart.Handle server;
  private static ExecutorService pool;
  private Jedis jedis;
  private Jedis other;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
    pool = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
    server.close();
  }

  @BeforeEach
  void connect() {
    jedis = new Jedis("127.0.0.1", server.port());
    other = new Jedis("127.0.0.1", server.port());
    jedis.flushAll();
  }

  @AfterEach
  void close() {
    jedis.close();
    other.close();
  }

  /** Waits until the server counts {@code n} blocked clients. */
  private void awaitBlocked(int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String info = other.info("clients");
      if (info.contains("blocked_clients:" + n + "\r\n")) return;
      Thread.onSpinWait();
    }
    throw new AssertionError("never saw " + n + " blocked clients");
  }

  @Test
  void pushPopAndLength() {
    assertThat(jedis.lpush("l", "a", "b")).isEqualTo(2);
    assertThat(jedis.rpush("l", "c", "d")).isEqualTo(4);
    assertThat(jedis.lpushx("l", "z")).isEqualTo(5);
    assertThat(jedis.rpushx("nosuch", "z")).isZero();
    assertThat(jedis.llen("l")).isEqualTo(5);
    assertThat(jedis.lpop("l")).isEqualTo("z");
    assertThat(jedis.rpop("l")).isEqualTo("d");
    assertThat(jedis.lpop("l", 2)).containsExactly("b", "a");
    assertThat(jedis.rpop("l", 5)).containsExactly("c");
    assertThat(jedis.exists("l")).isFalse();
    assertThat(jedis.lpop("l")).isNull();
    assertThat(jedis.lpop("l", 3)).isNull();
    jedis.set("s", "v");
    assertThatThrownBy(() -> jedis.lpush("s", "x"))
        .isInstanceOf(JedisDataException.class)
        .hasMessageStartingWith("WRONGTYPE");
  }

  @Test
  void indexRangeSetTrim() {
    jedis.rpush("l", "a", "b", "c", "d", "e");
    assertThat(jedis.lindex("l", -1)).isEqualTo("e");
    assertThat(jedis.lindex("l", 9)).isNull();
    assertThat(jedis.lset("l", 1, "B")).isEqualTo("OK");
    assertThatThrownBy(() -> jedis.lset("l", 9, "x")).hasMessage("ERR index out of range");
    assertThat(jedis.lrange("l", 1, -2)).containsExactly("B", "c", "d");
    assertThat(jedis.ltrim("l", 0, 2)).isEqualTo("OK");
    assertThat(jedis.lrange("l", 0, -1)).containsExactly("a", "B", "c");
  }

  @Test
  void insertRemovePosition() {
    jedis.rpush("l", "a", "b", "a", "c");
    assertThat(jedis.linsert("l", ListPosition.AFTER, "b", "X")).isEqualTo(5);
    assertThat(jedis.linsert("l", ListPosition.BEFORE, "zz", "X")).isEqualTo(-1);
    assertThat(jedis.lpos("l", "a")).isEqualTo(0);
    assertThat(jedis.lpos("l", "a", LPosParams.lPosParams().rank(-1))).isEqualTo(3);
    assertThat(jedis.lpos("l", "a", LPosParams.lPosParams(), 0)).containsExactly(0L, 3L);
    assertThat(jedis.lpos("l", "zz")).isNull();
    assertThatThrownBy(() -> jedis.lpos("l", "a", LPosParams.lPosParams().rank(0)))
        .hasMessageStartingWith("ERR RANK can't be zero");
    assertThat(jedis.lrem("l", 0, "a")).isEqualTo(2);
    assertThat(jedis.lrange("l", 0, -1)).containsExactly("b", "X", "c");
  }

  @Test
  @SuppressWarnings("deprecation") // RPOPLPUSH is deprecated by Redis, still served
  void movesAndMultiPop() {
    jedis.rpush("a", "1", "2", "3");
    assertThat(jedis.lmove("a", "b", ListDirection.LEFT, ListDirection.RIGHT)).isEqualTo("1");
    assertThat(jedis.rpoplpush("a", "b")).isEqualTo("3");
    assertThat(jedis.lrange("b", 0, -1)).containsExactly("3", "1");
    KeyValue<String, List<String>> popped = jedis.lmpop(ListDirection.RIGHT, 5, "nosuch", "b");
    assertThat(popped.getKey()).isEqualTo("b");
    assertThat(popped.getValue()).containsExactly("1", "3");
    assertThat(jedis.lmpop(ListDirection.LEFT, "b")).isNull();
  }

  @Test
  void blockingPopsServedByAnotherConnection() throws Exception {
    CompletableFuture<List<String>> blpop =
        CompletableFuture.supplyAsync(() -> jedis.blpop(0, "q1", "q2"), pool);
    awaitBlocked(1);
    other.rpush("q2", "v");
    assertThat(blpop.get(10, TimeUnit.SECONDS)).containsExactly("q2", "v");

    Jedis third = new Jedis("127.0.0.1", server.port());
    try {
      CompletableFuture<KeyValue<String, String>> brpop =
          CompletableFuture.supplyAsync(() -> third.brpop(5.5, "r"), pool);
      awaitBlocked(1);
      other.rpush("r", "x", "y");
      KeyValue<String, String> got = brpop.get(10, TimeUnit.SECONDS);
      assertThat(got.getKey()).isEqualTo("r");
      assertThat(got.getValue()).isEqualTo("y");
    } finally {
      third.close();
    }
    assertThat(jedis.blpop(0.01, "none")).isNull();
    assertThat(jedis.brpop(1, "r")).containsExactly("r", "x");
  }

  @Test
  @SuppressWarnings("deprecation") // BRPOPLPUSH is deprecated by Redis, still served
  void blockingMovesAndMultiPop() throws Exception {
    CompletableFuture<String> blmove =
        CompletableFuture.supplyAsync(
            () -> jedis.blmove("src", "dst", ListDirection.RIGHT, ListDirection.LEFT, 0), pool);
    awaitBlocked(1);
    other.rpush("src", "a", "b");
    assertThat(blmove.get(10, TimeUnit.SECONDS)).isEqualTo("b");
    assertThat(jedis.brpoplpush("src", "dst", 1)).isEqualTo("a");
    assertThat(jedis.lrange("dst", 0, -1)).containsExactly("a", "b");
    CompletableFuture<KeyValue<String, List<String>>> blmpop =
        CompletableFuture.supplyAsync(
            () -> jedis.blmpop(0, ListDirection.LEFT, 2, "none", "m"), pool);
    awaitBlocked(1);
    other.rpush("m", "1", "2", "3");
    KeyValue<String, List<String>> got = blmpop.get(10, TimeUnit.SECONDS);
    assertThat(got.getKey()).isEqualTo("m");
    assertThat(got.getValue()).containsExactly("1", "2");
    assertThat(jedis.blmove("none", "x", ListDirection.LEFT, ListDirection.LEFT, 0.01)).isNull();
    assertThat(jedis.brpoplpush("none", "x", 1)).isNull();
  }

  @Test
  void blockingInsideMultiAnswersAtOnce() {
    Transaction t = jedis.multi();
    t.blpop(0, "none");
    t.lpush("k", "v");
    t.brpop(0, "k");
    List<Object> results = t.exec();
    assertThat(results).hasSize(3);
    assertThat(results.get(0)).isNull();
    assertThat(results.get(1)).isEqualTo(1L);
    assertThat(results.get(2)).isEqualTo(List.of("k", "v"));
  }

  @Test
  void badTimeouts() {
    assertThatThrownBy(() -> jedis.blpop(-1, "none")).hasMessage("ERR timeout is negative");
    assertThatThrownBy(() -> jedis.blmpop(-0.5, ListDirection.LEFT, "none"))
        .hasMessage("ERR timeout is negative");
  }
}
