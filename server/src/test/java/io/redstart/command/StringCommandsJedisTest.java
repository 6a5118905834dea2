package io.redstart.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.embedded.Redstart;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/** String and generic key commands through Jedis against an embedded server. */
class StringCommandsJedisTest {
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

  @Test
  void setAndGetWithOptions() {
    assertThat(jedis.set("k", "v")).isEqualTo("OK");
    assertThat(jedis.get("k")).isEqualTo("v");
    assertThat(jedis.set("k", "w", SetParams.setParams().nx())).isNull();
    assertThat(jedis.set("k", "w", SetParams.setParams().xx().ex(100))).isEqualTo("OK");
    assertThat(jedis.ttl("k")).isBetween(99L, 100L);
    assertThat(jedis.setGet("k", "z")).isEqualTo("w");
    assertThat(jedis.ttl("k")).isEqualTo(-1L);
    assertThat(jedis.set("k", "q", SetParams.setParams().keepTtl())).isEqualTo("OK");
    assertThat(jedis.getDel("k")).isEqualTo("q");
    assertThat(jedis.exists("k")).isFalse();
  }

  @Test
  void countersAndOverflow() {
    assertThat(jedis.incr("n")).isEqualTo(1);
    assertThat(jedis.incrBy("n", 41)).isEqualTo(42);
    assertThat(jedis.decrBy("n", 2)).isEqualTo(40);
    assertThat(jedis.decr("n")).isEqualTo(39);
    jedis.set("n", "9223372036854775807");
    assertThatThrownBy(() -> jedis.incr("n"))
        .isInstanceOf(JedisDataException.class)
        .hasMessage("ERR increment or decrement would overflow");
    jedis.set("s", "abc");
    assertThatThrownBy(() -> jedis.incr("s")).hasMessage("ERR value is not an integer or out of range");
    assertThat(jedis.objectEncoding("n")).isEqualTo("int");
  }

  @Test
  void appendRangesAndEncodings() {
    assertThat(jedis.append("a", "hello")).isEqualTo(5);
    assertThat(jedis.objectEncoding("a")).isEqualTo("embstr");
    assertThat(jedis.append("a", " world")).isEqualTo(11);
    assertThat(jedis.objectEncoding("a")).isEqualTo("raw");
    assertThat(jedis.getrange("a", 0, 4)).isEqualTo("hello");
    assertThat(jedis.getrange("a", -5, -1)).isEqualTo("world");
    assertThat(jedis.setrange("a", 12, "!")).isEqualTo(13);
    assertThat(jedis.get("a")).isEqualTo("hello world\0!");
    assertThat(jedis.strlen("a")).isEqualTo(13);
    jedis.set("big", "x".repeat(45));
    assertThat(jedis.objectEncoding("big")).isEqualTo("raw");
  }

  @Test
  void multiKeyCommands() {
    assertThat(jedis.mset("a", "1", "b", "2")).isEqualTo("OK");
    assertThat(jedis.mget("a", "b", "c")).containsExactly("1", "2", null);
    assertThat(jedis.msetnx("c", "3", "a", "9")).isZero();
    assertThat(jedis.msetnx("c", "3", "d", "4")).isEqualTo(1);
    assertThat(jedis.del("a", "b", "zz")).isEqualTo(2);
    assertThat(jedis.exists("c", "d", "c")).isEqualTo(3);
  }

  @Test
  void getexChangesTtl() {
    jedis.set("k", "v");
    assertThat(jedis.getEx("k", GetExParams.getExParams().ex(50))).isEqualTo("v");
    assertThat(jedis.ttl("k")).isBetween(49L, 50L);
    assertThat(jedis.getEx("k", GetExParams.getExParams().persist())).isEqualTo("v");
    assertThat(jedis.ttl("k")).isEqualTo(-1L);
  }

  @Test
  void keyCommands() {
    jedis.set("a", "1");
    assertThat(jedis.rename("a", "b")).isEqualTo("OK");
    assertThat(jedis.get("b")).isEqualTo("1");
    assertThatThrownBy(() -> jedis.rename("nope", "x")).hasMessage("ERR no such key");
    assertThat(jedis.copy("b", "c", false)).isTrue();
    assertThat(jedis.type("c")).isEqualTo("string");
    assertThat(jedis.type("zz")).isEqualTo("none");
    assertThat(jedis.keys("*")).containsExactlyInAnyOrder("b", "c");
    assertThat(jedis.expire("b", 100)).isEqualTo(1);
    assertThat(jedis.persist("b")).isEqualTo(1);
    assertThat(jedis.move("b", 1)).isEqualTo(1);
    jedis.select(1);
    assertThat(jedis.get("b")).isEqualTo("1");
    assertThat(jedis.dbSize()).isEqualTo(1);
  }

  @Test
  void scanVisitsEveryKey() {
    for (int i = 0; i < 1000; i++) jedis.set("key:" + i, "v");
    java.util.Set<String> seen = new java.util.HashSet<>();
    String cursor = "0";
    do {
      var page = jedis.scan(cursor, new redis.clients.jedis.params.ScanParams().count(50).match("key:*"));
      seen.addAll(page.getResult());
      cursor = page.getCursor();
    } while (!cursor.equals("0"));
    assertThat(seen).hasSize(1000);
  }

  @Test
  void lcs() {
    jedis.set("k1", "ohmytext");
    jedis.set("k2", "mynewtext");
    assertThat(jedis.sendCommand(redis.clients.jedis.Protocol.Command.LCS, "k1", "k2"))
        .isEqualTo("mytext".getBytes());
    Object idx =
        jedis.sendCommand(
            redis.clients.jedis.Protocol.Command.LCS, "k1", "k2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN");
    assertThat(idx).isInstanceOf(List.class);
  }
}
