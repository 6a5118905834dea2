package io.redstart.command.zset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.GeoArgs;
import io.lettuce.core.GeoCoordinates;
import io.lettuce.core.GeoRadiusStoreArgs;
import io.lettuce.core.GeoSearch;
import io.lettuce.core.GeoWithin;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.ZAggregateArgs;
import io.lettuce.core.ZPopArgs;
import io.lettuce.core.ZStoreArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.redstart.embedded.Redstart;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sorted-set and geo commands through Lettuce in RESP3: doubles as RESP3 doubles, pairs as nested
 * arrays, nulls as RESP3 nulls, all parsed by a real client.
 */
class ZSetLettuceTest {
  private static Redstart.Handle server;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> conn;
  private static RedisCommands<String, String> redis;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
    client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
    client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
    conn = client.connect();
    redis = conn.sync();
  }

  @AfterAll
  static void stop() {
    conn.close();
    client.shutdown(0, 1, TimeUnit.SECONDS);
    server.close();
  }

  @BeforeEach
  void flush() {
    redis.flushall();
  }

  @Test
  void scoresAndPairs() {
    assertThat(redis.zadd("z", 1.5, "a", 2.0, "b", 3.0, "c")).isEqualTo(3);
    assertThat(redis.zadd("z", ZAddArgs.Builder.xx().ch(), 4.0, "c")).isEqualTo(1);
    assertThat(redis.zaddincr("z", 0.1, "a")).isEqualTo(1.6);
    assertThat(redis.zincrby("z", 1, "nosuch")).isEqualTo(1.0);
    assertThat(redis.zscore("z", "a")).isEqualTo(1.6);
    assertThat(redis.zmscore("z", "a", "missing")).containsExactly(1.6, null);
    assertThat(redis.zrangeWithScores("z", 0, 1))
        .containsExactly(ScoredValue.just(1, "nosuch"), ScoredValue.just(1.6, "a"));
    assertThat(
            redis.zrangestorebyscore(
                "dst", "z", Range.create(1.5, 2.5), io.lettuce.core.Limit.unlimited()))
        .isEqualTo(2);
    assertThat(redis.zpopmin("z")).isEqualTo(ScoredValue.just(1, "nosuch"));
    assertThat(redis.zpopmin("z", 2))
        .containsExactly(ScoredValue.just(1.6, "a"), ScoredValue.just(2, "b"));
    assertThat(redis.zrandmemberWithScores("z", 5)).containsExactly(ScoredValue.just(4, "c"));
    assertThat(redis.zadd("inf", Double.POSITIVE_INFINITY, "up")).isEqualTo(1);
    assertThat(redis.zscore("inf", "up")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThatThrownBy(() -> redis.zaddincr("inf", Double.NEGATIVE_INFINITY, "up"))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessage("ERR resulting score is not a number (NaN)");
  }

  @Test
  void popsAndAlgebra() {
    redis.zadd("a", 1.0, "x", 2.0, "y");
    redis.zadd("b", 10.0, "y", 20.0, "z");
    assertThat(redis.zunionWithScores("a", "b"))
        .containsExactly(
            ScoredValue.just(1, "x"), ScoredValue.just(12, "y"), ScoredValue.just(20, "z"));
    assertThat(redis.zinterWithScores(ZAggregateArgs.Builder.max(), "a", "b"))
        .containsExactly(ScoredValue.just(10, "y"));
    KeyValue<String, ScoredValue<String>> kv = redis.zmpop(ZPopArgs.Builder.max(), "nosuch", "b");
    assertThat(kv.getKey()).isEqualTo("b");
    assertThat(kv.getValue()).isEqualTo(ScoredValue.just(20, "z"));
    KeyValue<String, List<ScoredValue<String>>> two =
        redis.bzmpop(1.0, 5, ZPopArgs.Builder.min(), "a");
    assertThat(two.getValue()).containsExactly(ScoredValue.just(1, "x"), ScoredValue.just(2, "y"));
    KeyValue<String, ScoredValue<String>> one = redis.bzpopmin(1.0, "b");
    assertThat(one.getValue()).isEqualTo(ScoredValue.just(10, "y"));
    assertThat(redis.bzpopmin(0.01, "b")).isNull();
    assertThat(redis.zscan("nosuch").getValues()).isEmpty();
  }

  @Test
  void geoInResp3() {
    assertThat(redis.geoadd("g", 13.361389, 38.115556, "Palermo", 15.087269, 37.502669, "Catania"))
        .isEqualTo(2);
    List<GeoCoordinates> pos = redis.geopos("g", "Palermo", "nosuch");
    assertThat(pos.get(0).getX().doubleValue()).isEqualTo(13.36138933897018433);
    assertThat(pos.get(1)).isNull();
    assertThat(redis.geodist("g", "Palermo", "Catania", GeoArgs.Unit.km)).isEqualTo(166.2742);
    List<GeoWithin<String>> found =
        redis.geosearch(
            "g",
            GeoSearch.fromCoordinates(15, 37),
            GeoSearch.byRadius(200, GeoArgs.Unit.km),
            GeoArgs.Builder.distance().withCoordinates().asc());
    assertThat(found).extracting(GeoWithin::getMember).containsExactly("Catania", "Palermo");
    assertThat(found.get(0).getDistance()).isEqualTo(56.4413);
    assertThat(found.get(1).getCoordinates().getY().doubleValue()).isEqualTo(38.11555639549629859);
  }

  @Test
  @SuppressWarnings("deprecation") // the String-bound forms send exactly the bounds given
  void rangesRanksAndRemovals() {
    redis.zadd("z", 1.0, "a", 2.0, "b", 3.0, "c", 4.0, "d", 5.0, "e");
    redis.zadd("lex", 0.0, "a", 0.0, "b", 0.0, "c", 0.0, "d");
    assertThat(redis.zcard("z")).isEqualTo(5);
    assertThat(redis.zcard("nosuch")).isZero();
    assertThat(redis.zcount("z", Range.create(2, 4))).isEqualTo(3);
    assertThat(redis.zcount("z", "(2", "+inf")).isEqualTo(3);
    assertThat(redis.zlexcount("lex", "[b", "(d")).isEqualTo(2);
    assertThat(redis.zlexcount("lex", "-", "+")).isEqualTo(4);
    assertThat(redis.zrange("z", 1, -2)).containsExactly("b", "c", "d");
    assertThat(redis.zrevrange("z", 0, 1)).containsExactly("e", "d");
    assertThat(redis.zrangebyscore("z", "(1", "3")).containsExactly("b", "c");
    assertThat(redis.zrangebyscore("z", Range.create(1, 5), Limit.create(1, 2)))
        .containsExactly("b", "c");
    assertThat(redis.zrevrangebyscore("z", Range.create(2, 4))).containsExactly("d", "c", "b");
    assertThat(redis.zrangebylex("lex", "[b", "+")).containsExactly("b", "c", "d");
    assertThat(redis.zrevrangebylex("lex", Range.create("a", "c"))).containsExactly("c", "b", "a");
    assertThat(redis.zrank("z", "c")).isEqualTo(2);
    assertThat(redis.zrevrank("z", "c")).isEqualTo(2);
    assertThat(redis.zrank("z", "nosuch")).isNull();
    assertThat(redis.zrandmember("z")).isIn("a", "b", "c", "d", "e");
    assertThat(redis.zrandmember("z", -7)).hasSize(7);
    assertThat(redis.zrem("z", "a", "nosuch")).isEqualTo(1);
    assertThat(redis.zremrangebyrank("z", 0, 0)).isEqualTo(1);
    assertThat(redis.zremrangebyscore("z", "(4", "+inf")).isEqualTo(1);
    assertThat(redis.zremrangebylex("lex", "(a", "[c")).isEqualTo(2);
    assertThat(redis.zrange("z", 0, -1)).containsExactly("c", "d");
    assertThat(redis.zrange("lex", 0, -1)).containsExactly("a", "d");
    assertThatThrownBy(() -> redis.zrangebyscore("z", "x", "1"))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessage("ERR min or max is not a float");
    assertThatThrownBy(() -> redis.zrangebylex("lex", "b", "+"))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessage("ERR min or max not valid string range item");
  }

  @Test
  void storesMaxPopsAndSetInputs() throws Exception {
    redis.zadd("a", 1.0, "x", 2.0, "y", 3.0, "w");
    redis.zadd("b", 10.0, "y", 20.0, "z");
    redis.sadd("s", "x", "z");
    assertThat(redis.zunion("a", "b")).containsExactly("x", "w", "y", "z");
    assertThat(redis.zinter("a", "b")).containsExactly("y");
    assertThat(redis.zdiff("a", "b")).containsExactly("x", "w");
    assertThat(redis.zintercard("a", "b", "s")).isZero();
    assertThat(redis.zintercard(1, "a", "s")).isEqualTo(1);
    assertThat(redis.zunionstore("u", ZStoreArgs.Builder.weights(2, 1), "a", "s")).isEqualTo(4);
    assertThat(redis.zrangeWithScores("u", 0, -1))
        .containsExactly(
            ScoredValue.just(1, "z"),
            ScoredValue.just(3, "x"),
            ScoredValue.just(4, "y"),
            ScoredValue.just(6, "w"));
    assertThat(redis.zinterstore("i", ZStoreArgs.Builder.min(), "a", "b")).isEqualTo(1);
    assertThat(redis.zscore("i", "y")).isEqualTo(2.0);
    assertThat(redis.zdiffstore("d", "a", "s")).isEqualTo(2);
    assertThat(redis.zrange("d", 0, -1)).containsExactly("y", "w");
    assertThat(redis.zpopmax("a")).isEqualTo(ScoredValue.just(3, "w"));
    assertThat(redis.zpopmax("a", 5))
        .containsExactly(ScoredValue.just(2, "y"), ScoredValue.just(1, "x"));
    assertThat(redis.exists("a")).isZero();

    // BZPOPMAX served by a push from another connection while it waits.
    try (StatefulRedisConnection<String, String> other = client.connect()) {
      var waiting = other.async().bzpopmax(5.0, "later");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!blockedClients() && System.nanoTime() < deadline) Thread.onSpinWait();
      assertThat(blockedClients()).isTrue();
      redis.zadd("later", 7.0, "m", 8.0, "n");
      KeyValue<String, ScoredValue<String>> got = waiting.get(5, TimeUnit.SECONDS);
      assertThat(got.getKey()).isEqualTo("later");
      assertThat(got.getValue()).isEqualTo(ScoredValue.just(8, "n"));
    }
    redis.set("str", "v");
    assertThatThrownBy(() -> redis.zunion("b", "str"))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessageStartingWith("WRONGTYPE");
  }

  private static boolean blockedClients() {
    return redis.info("clients").contains("blocked_clients:1");
  }

  @Test
  // GEORADIUS is deprecated in Redis and Lettuce but still sent by clients; Lettuce's builder of
  // store arguments returns a raw type.
  @SuppressWarnings({"deprecation", "unchecked"})
  void geoRadiusHashAndStores() {
    redis.geoadd("g", 13.361389, 38.115556, "Palermo", 15.087269, 37.502669, "Catania");
    assertThat(redis.geohash("g", "Palermo", "Catania", "nosuch"))
        .extracting(v -> v.getValueOrElse(null))
        .containsExactly("sqc8b49rny0", "sqdtr74hyu0", null);
    Set<String> near = redis.georadius("g", 15, 37, 200, GeoArgs.Unit.km);
    assertThat(near).containsExactlyInAnyOrder("Palermo", "Catania");
    assertThat(redis.georadius("g", 15, 37, 100, GeoArgs.Unit.km)).containsExactly("Catania");
    List<GeoWithin<String>> withDist =
        redis.georadius(
            "g", 15, 37, 200, GeoArgs.Unit.km, GeoArgs.Builder.distance().withHash().desc());
    assertThat(withDist).extracting(GeoWithin::getMember).containsExactly("Palermo", "Catania");
    assertThat(withDist.get(0).getDistance()).isEqualTo(190.4424);
    assertThat(withDist.get(1).getGeohash()).isEqualTo(3479447370796909L);
    assertThat(redis.georadiusbymember("g", "Palermo", 100, GeoArgs.Unit.km))
        .containsExactly("Palermo");
    assertThat(
            redis.georadiusbymember(
                "g", "Palermo", 200, GeoArgs.Unit.km, GeoArgs.Builder.distance().asc()))
        .extracting(GeoWithin::getDistance)
        .containsExactly(0.0, 166.2742);
    assertThat(
            redis.georadius(
                "g",
                15,
                37,
                200,
                GeoArgs.Unit.km,
                GeoRadiusStoreArgs.Builder.store("stored").withCount(1).sort(GeoArgs.Sort.asc)))
        .isEqualTo(1);
    assertThat(redis.zrange("stored", 0, -1)).containsExactly("Catania");
    assertThat(
            redis.georadiusbymember(
                "g",
                "Palermo",
                200,
                GeoArgs.Unit.km,
                GeoRadiusStoreArgs.Builder.withStoreDist("dists")))
        .isEqualTo(2);
    assertThat(redis.zscore("dists", "Catania")).isCloseTo(166.2742, within(0.001));
    assertThat(
            redis.geosearchstore(
                "box",
                "g",
                GeoSearch.fromMember("Palermo"),
                GeoSearch.byBox(400, 400, GeoArgs.Unit.km),
                new GeoArgs().asc(),
                false))
        .isEqualTo(2);
    assertThat(redis.zscore("box", "Palermo")).isEqualTo(redis.zscore("g", "Palermo"));
    assertThatThrownBy(() -> redis.geoadd("g", 200, 100, "bad"))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessageStartingWith("ERR invalid longitude,latitude pair 200.000000,100.000000");
  }
}
