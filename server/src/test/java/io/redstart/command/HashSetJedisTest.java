package io.redstart.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.embedded.Redstart;
import io.redstart.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SortingParams;
import redis.clients.jedis.resps.ScanResult;

/** Hash, set and SORT commands through Jedis against an embedded server. */
class HashSetJedisTest {
  private static Redstart.Handle server;
  private Jedis jedis;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void connect() {
    jedis = new Jedis("127.0.0.1", server.port());
    jedis.flushAll();
  }

  @AfterEach
  void close() {
    jedis.close();
  }

  @Test
  @SuppressWarnings("deprecation") // HMSET, deprecated by Redis, still served
  void hashes() {
    assertThat(jedis.hset("h", Map.of("a", "1", "b", "2"))).isEqualTo(2);
    assertThat(jedis.hset("h", "a", "10")).isZero();
    assertThat(jedis.hget("h", "a")).isEqualTo("10");
    assertThat(jedis.hmget("h", "a", "zz", "b")).containsExactly("10", null, "2");
    assertThat(jedis.hgetAll("h")).isEqualTo(Map.of("a", "10", "b", "2"));
    assertThat(jedis.hkeys("h")).containsExactlyInAnyOrder("a", "b");
    assertThat(jedis.hvals("h")).containsExactlyInAnyOrder("10", "2");
    assertThat(jedis.hmset("h", Map.of("c", "3"))).isEqualTo("OK");
    assertThat(jedis.hdel("h", "c")).isEqualTo(1);
    assertThat(jedis.hsetnx("h", "a", "x")).isZero();
    assertThat(jedis.hincrBy("h", "a", 5)).isEqualTo(15);
    assertThat(jedis.hincrByFloat("h", "b", 0.5)).isEqualTo(2.5);
    assertThat(jedis.hstrlen("h", "b")).isEqualTo(3);
    assertThat(jedis.hexists("h", "b")).isTrue();
    assertThat(jedis.hlen("h")).isEqualTo(2);
    assertThat(jedis.hrandfield("h")).isIn("a", "b");
    assertThat(jedis.hrandfield("h", 5)).containsExactlyInAnyOrder("a", "b");
    assertThat(jedis.hrandfieldWithValues("h", -6)).hasSize(6);
    assertThat(jedis.hdel("h", "a", "b", "c")).isEqualTo(2);
    assertThat(jedis.exists("h")).isFalse();
    jedis.set("s", "x");
    assertThatThrownBy(() -> jedis.hget("s", "a"))
        .isInstanceOf(JedisDataException.class)
        .hasMessageStartingWith("WRONGTYPE");
    assertThatThrownBy(() -> jedis.hincrByFloat("h", "f", Double.POSITIVE_INFINITY))
        .hasMessage("ERR value is NaN or Infinity");
  }

  @Test
  void hscanWalksABigHash() {
    for (int i = 0; i < 2000; i++) jedis.hset("big", "f" + i, "v" + i);
    assertThat(jedis.objectEncoding("big")).isEqualTo("hashtable");
    Map<String, String> seen = new java.util.HashMap<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<Map.Entry<String, String>> page =
          jedis.hscan("big", cursor, new ScanParams().count(100).match("f1*"));
      for (Map.Entry<String, String> e : page.getResult()) seen.put(e.getKey(), e.getValue());
      cursor = page.getCursor();
    } while (!cursor.equals("0"));
    assertThat(seen).hasSize(1111).containsEntry("f1999", "v1999");
  }

  @Test
  void sets() {
    assertThat(jedis.sadd("s", "1", "2", "3")).isEqualTo(3);
    assertThat(jedis.objectEncoding("s")).isEqualTo("intset");
    assertThat(jedis.sadd("s", "a")).isEqualTo(1);
    assertThat(jedis.objectEncoding("s")).isEqualTo("hashtable");
    assertThat(jedis.smembers("s")).containsExactlyInAnyOrder("1", "2", "3", "a");
    assertThat(jedis.sismember("s", "a")).isTrue();
    assertThat(jedis.smismember("s", "a", "z")).containsExactly(true, false);
    assertThat(jedis.scard("s")).isEqualTo(4);
    assertThat(jedis.srem("s", "a", "z")).isEqualTo(1);
    jedis.sadd("t", "2", "3", "4");
    assertThat(jedis.sinter("s", "t")).containsExactlyInAnyOrder("2", "3");
    assertThat(jedis.sintercard(1, "s", "t")).isEqualTo(1);
    assertThat(jedis.sunion("s", "t")).containsExactlyInAnyOrder("1", "2", "3", "4");
    assertThat(jedis.sdiff("s", "t")).containsExactly("1");
    assertThat(jedis.sinterstore("d", "s", "t")).isEqualTo(2);
    assertThat(jedis.sunionstore("d", "s", "t")).isEqualTo(4);
    assertThat(jedis.sdiffstore("d", "t", "s")).isEqualTo(1);
    assertThat(jedis.smembers("d")).containsExactly("4");
    assertThat(jedis.smove("t", "d", "2")).isEqualTo(1);
    assertThat(jedis.srandmember("d", 10)).containsExactlyInAnyOrder("2", "4");
    assertThat(jedis.srandmember("d", -10)).hasSize(10);
    Set<String> popped = jedis.spop("d", 2);
    assertThat(popped).containsExactlyInAnyOrder("2", "4");
    assertThat(jedis.exists("d")).isFalse();
    assertThat(jedis.spop("d")).isNull();
    ScanResult<String> page = jedis.sscan("s", "0");
    assertThat(page.getCursor()).isEqualTo("0");
    assertThat(page.getResult()).containsExactlyInAnyOrder("1", "2", "3");
  }

  @Test
  void sortOverSetsWithWeightsAndGets() {
    jedis.sadd("ids", "3", "1", "2");
    jedis.mset("w_1", "30", "w_2", "10", "w_3", "20");
    jedis.hset("o_1", "name", "one");
    jedis.hset("o_2", "name", "two");
    assertThat(jedis.sort("ids")).containsExactly("1", "2", "3");
    assertThat(jedis.sort("ids", new SortingParams().desc())).containsExactly("3", "2", "1");
    assertThat(jedis.sort("ids", new SortingParams().by("w_*"))).containsExactly("2", "3", "1");
    assertThat(jedis.sort("ids", new SortingParams().by("w_*").get("#", "o_*->name")))
        .containsExactly("2", "two", "3", null, "1", "one");
    assertThat(jedis.sort("ids", new SortingParams().limit(1, 1).alpha())).containsExactly("2");
    assertThat(jedis.sortReadonly("ids", new SortingParams().by("nosort"))).hasSize(3);
    jedis.sadd("bad", "1", "x");
    assertThatThrownBy(() -> jedis.sort("bad"))
        .hasMessage("ERR One or more scores can't be converted into double");
  }

  @Test
  void hugeNegativeCountsCloseOnlyThatClient() throws Exception {
    jedis.configSet("client-output-buffer-limit", "normal 1mb 0 0");
    try {
      jedis.sadd("s", "a", "b");
      // A raw client: Jedis itself would try to allocate the announced 2^63-1 elements.
      try (RawClient victim = RawClient.connect(server.port())) {
        victim.send("SRANDMEMBER", "s", "-9223372036854775807");
        // As Redis: closed for its output buffer limit, the reply never sent.
        assertThat(victim.readUntilClosed(Duration.ofSeconds(30))).isEmpty();
      }
      try (RawClient victim = RawClient.connect(server.port())) {
        victim.send("HRANDFIELD", "h", "-4611686018427387903", "WITHVALUES");
        assertThat(victim.read()).isEqualTo("*0\r\n".getBytes(StandardCharsets.ISO_8859_1));
        jedis.hset("h", "f", "v");
        victim.send("HRANDFIELD", "h", "-4611686018427387903", "WITHVALUES");
        assertThat(victim.readUntilClosed(Duration.ofSeconds(30))).isEmpty();
      }
      assertThat(jedis.scard("s")).isEqualTo(2);
      assertThat(jedis.srandmember("s", -1000)).hasSize(1000);
    } finally {
      jedis.configSet("client-output-buffer-limit", "normal 0 0 0");
    }
  }

  @Test
  void pipelinedWritesKeepTheirOrder() {
    var p = jedis.pipelined();
    for (int i = 0; i < 1000; i++) {
      p.sadd("ps", Integer.toString(i));
      p.hincrBy("ph", "n", 1);
    }
    p.sync();
    assertThat(jedis.scard("ps")).isEqualTo(1000);
    assertThat(jedis.hget("ph", "n")).isEqualTo("1000");
    assertThat(jedis.objectEncoding("ps")).isEqualTo("hashtable");
    assertThat(List.of(jedis.type("ps"), jedis.type("ph"))).containsExactly("set", "hash");
  }
}
