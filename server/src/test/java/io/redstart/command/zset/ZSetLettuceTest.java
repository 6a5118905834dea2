package io.redstart.command.zset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.GeoArgs;
import io.lettuce.core.GeoCoordinates;
import io.lettuce.core.GeoSearch;
import io.lettuce.core.GeoWithin;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.ZAggregateArgs;
import io.lettuce.core.ZPopArgs;
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
}
