package io.redstart.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SortArgs;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.redstart.embedded.Redstart;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hash, set and SORT commands through Lettuce over RESP3 (maps, sets, nested pairs). */
class HashSetLettuceTest {
  private static Redstart.Handle server;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> conn;
  private RedisCommands<String, String> r;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
    client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
    client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
    conn = client.connect();
  }

  @AfterAll
  static void stop() {
    conn.close();
    client.shutdown(0, 1, TimeUnit.SECONDS);
    server.close();
  }

  @BeforeEach
  void flush() {
    r = conn.sync();
    r.flushall();
  }

  @Test
  @SuppressWarnings("deprecation") // HMSET, deprecated by Redis, still served
  void hashesOverResp3() {
    assertThat(r.hset("h", Map.of("a", "1", "b", "x"))).isEqualTo(2);
    assertThat(r.hgetall("h")).isEqualTo(Map.of("a", "1", "b", "x"));
    assertThat(r.hincrbyfloat("h", "a", 1.25)).isEqualTo(2.25);
    List<KeyValue<String, String>> pairs = r.hrandfieldWithvalues("h", 2);
    assertThat(pairs).extracting(KeyValue::getKey).containsExactlyInAnyOrder("a", "b");
    assertThat(pairs).extracting(KeyValue::getValue).containsExactlyInAnyOrder("2.25", "x");
    assertThat(r.hrandfieldWithvalues("h", -5)).hasSize(5);
    assertThat(r.hstrlen("h", "a")).isEqualTo(4);
    var scan = r.hscan("h", ScanCursor.INITIAL, ScanArgs.Builder.matches("a"));
    assertThat(scan.getMap()).isEqualTo(Map.of("a", "2.25"));
    assertThat(scan.isFinished()).isTrue();
    assertThat(r.hmset("h", Map.of("c", "3"))).isEqualTo("OK");
    assertThat(r.hsetnx("h", "c", "x")).isFalse();
    assertThat(r.hget("h", "c")).isEqualTo("3");
    assertThat(r.hmget("h", "c", "zz"))
        .containsExactly(KeyValue.just("c", "3"), KeyValue.empty("zz"));
    assertThat(r.hlen("h")).isEqualTo(3);
    assertThat(r.hexists("h", "zz")).isFalse();
    assertThat(r.hkeys("h")).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(r.hvals("h")).containsExactlyInAnyOrder("2.25", "x", "3");
    assertThat(r.hrandfield("h")).isIn("a", "b", "c");
    assertThat(r.hrandfield("h", 2)).hasSize(2);
    assertThat(r.hdel("h", "c", "zz")).isEqualTo(1);
    assertThatThrownBy(() -> r.hincrby("h", "b", 1))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessage("ERR hash value is not an integer");
  }

  @Test
  void setsOverResp3() {
    assertThat(r.sadd("s", "a", "b", "c")).isEqualTo(3);
    assertThat(r.smembers("s")).containsExactlyInAnyOrder("a", "b", "c");
    r.sadd("t", "b", "c", "d");
    assertThat(r.sinter("s", "t")).containsExactlyInAnyOrder("b", "c");
    assertThat(r.sunion("s", "t")).containsExactlyInAnyOrder("a", "b", "c", "d");
    assertThat(r.sdiff("t", "s")).containsExactly("d");
    assertThat(r.sismember("s", "a")).isTrue();
    assertThat(r.smismember("s", "a", "z")).containsExactly(true, false);
    assertThat(r.scard("s")).isEqualTo(3);
    assertThat(r.sintercard("s", "t")).isEqualTo(2);
    assertThat(r.sinterstore("i", "s", "t")).isEqualTo(2);
    assertThat(r.sunionstore("u", "s", "t")).isEqualTo(4);
    assertThat(r.sdiffstore("d", "s", "t")).isEqualTo(1);
    assertThat(r.smove("u", "d", "d")).isTrue();
    assertThat(r.smembers("d")).containsExactlyInAnyOrder("a", "d");
    assertThat(r.srandmember("d")).isIn("a", "d");
    assertThat(r.srandmember("d", -4)).hasSize(4);
    assertThat(r.srem("d", "a", "d", "z")).isEqualTo(2);
    assertThat(r.exists("d")).isZero();
    assertThat(r.spop("s", 5)).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(r.exists("s")).isZero();
    assertThat(r.spop("s")).isNull();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 300; i++) r.sadd("big", "m" + i);
    ValueScanCursor<String> cursor = r.sscan("big", ScanArgs.Builder.limit(20));
    seen.addAll(cursor.getValues());
    while (!cursor.isFinished()) {
      cursor = r.sscan("big", cursor, ScanArgs.Builder.limit(20));
      seen.addAll(cursor.getValues());
    }
    assertThat(seen).hasSize(300);
  }

  @Test
  void sortOverResp3() {
    r.sadd("n", "10", "9", "100");
    assertThat(r.sort("n")).containsExactly("9", "10", "100");
    assertThat(r.sort("n", SortArgs.Builder.alpha())).containsExactly("10", "100", "9");
    assertThat(r.sortReadOnly("n", SortArgs.Builder.desc().limit(0, 1))).containsExactly("100");
    assertThat(r.sort("n", SortArgs.Builder.get("nosuch_*"))).containsExactly(null, null, null);
  }
}
