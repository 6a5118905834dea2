package io.redstart.command.zset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.embedded.Redstart;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.GeoCoordinate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.GeoUnit;
import redis.clients.jedis.args.SortedSetOption;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GeoRadiusParam;
import redis.clients.jedis.params.GeoRadiusStoreParam;
import redis.clients.jedis.params.GeoSearchParam;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.params.ZParams;
import redis.clients.jedis.params.ZRangeParams;
import redis.clients.jedis.resps.GeoRadiusResponse;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/** Every sorted-set and geo command through Jedis (RESP2) against an embedded server. */
class ZSetJedisTest {
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

  private void abcd() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("a", 1.0);
    m.put("b", 2.0);
    m.put("c", 3.0);
    m.put("d", 4.0);
    assertThat(jedis.zadd("z", m)).isEqualTo(4);
  }

  @Test
  void addScoreRankAndRemove() {
    abcd();
    assertThat(jedis.zadd("z", 10, "a", ZAddParams.zAddParams().xx().ch())).isEqualTo(1);
    assertThat(jedis.zadd("z", 0, "a", ZAddParams.zAddParams().gt())).isZero();
    assertThat(jedis.zaddIncr("z", 5, "a", ZAddParams.zAddParams())).isEqualTo(15.0);
    assertThat(jedis.zincrby("z", -15, "a")).isEqualTo(0.0);
    assertThat(jedis.zscore("z", "b")).isEqualTo(2.0);
    assertThat(jedis.zmscore("z", "b", "nosuch", "c")).containsExactly(2.0, null, 3.0);
    assertThat(jedis.zcard("z")).isEqualTo(4);
    assertThat(jedis.zrank("z", "c")).isEqualTo(2);
    assertThat(jedis.zrevrank("z", "c")).isEqualTo(1);
    assertThat(jedis.zrank("z", "nosuch")).isNull();
    assertThat(jedis.zrem("z", "a", "nosuch")).isEqualTo(1);
    assertThat(jedis.zcount("z", "(2", "+inf")).isEqualTo(2);
    assertThat(jedis.zlexcount("z", "-", "+")).isEqualTo(3);
    assertThatThrownBy(() -> jedis.zcount("z", "x", "y"))
        .isInstanceOf(JedisDataException.class)
        .hasMessage("ERR min or max is not a float");
    jedis.set("s", "v");
    assertThatThrownBy(() -> jedis.zadd("s", 1, "m"))
        .hasMessageStartingWith(
            "WRONGTYPE Operation against a key holding the wrong kind of value");
  }

  @Test
  @SuppressWarnings(
      "deprecation") // ZREVRANGE, ZRANGEBYSCORE ... are deprecated commands, still served
  void ranges() {
    abcd();
    assertThat(jedis.zrange("z", 0, -1)).containsExactly("a", "b", "c", "d");
    assertThat(jedis.zrevrange("z", 0, 1)).containsExactly("d", "c");
    assertThat(jedis.zrangeWithScores("z", 1, 1)).containsExactly(new Tuple("b", 2.0));
    assertThat(jedis.zrangeByScore("z", "(1", "3")).containsExactly("b", "c");
    assertThat(jedis.zrangeByScore("z", "-inf", "+inf", 1, 2)).containsExactly("b", "c");
    assertThat(jedis.zrevrangeByScore("z", 4, 2)).containsExactly("d", "c", "b");
    assertThat(jedis.zrevrangeByScoreWithScores("z", 4, 3))
        .containsExactly(new Tuple("d", 4.0), new Tuple("c", 3.0));
    assertThat(jedis.zrangeByLex("z", "[b", "(d")).containsExactly("b", "c");
    assertThat(jedis.zrevrangeByLex("z", "+", "-", 0, 2)).containsExactly("d", "c");
    assertThat(jedis.zrange("z", ZRangeParams.zrangeByScoreParams(2, 3).rev())).containsExactly();
    assertThat(jedis.zrange("z", ZRangeParams.zrangeByScoreParams(3, 2).rev()))
        .containsExactly("c", "b");
    assertThat(jedis.zrangestore("dst", "z", ZRangeParams.zrangeByLexParams("[b", "+").limit(0, 2)))
        .isEqualTo(2);
    assertThat(jedis.zrange("dst", 0, -1)).containsExactly("b", "c");
    assertThat(jedis.zremrangeByRank("z", 0, 0)).isEqualTo(1);
    assertThat(jedis.zremrangeByScore("z", "4", "+inf")).isEqualTo(1);
    assertThat(jedis.zremrangeByLex("z", "-", "+")).isEqualTo(2);
    assertThat(jedis.exists("z")).isFalse();
  }

  @Test
  void pops() {
    abcd();
    assertThat(jedis.zpopmin("z")).isEqualTo(new Tuple("a", 1.0));
    assertThat(jedis.zpopmax("z", 2)).containsExactly(new Tuple("d", 4.0), new Tuple("c", 3.0));
    var kv = jedis.zmpop(SortedSetOption.MIN, 5, "nosuch", "z");
    assertThat(kv.getKey()).isEqualTo("z");
    assertThat(kv.getValue()).containsExactly(new Tuple("b", 2.0));
    assertThat(jedis.zmpop(SortedSetOption.MIN, "z")).isNull();
    abcd();
    var one = jedis.bzpopmax(1, "nosuch", "z");
    assertThat(one.getKey()).isEqualTo("z");
    assertThat(one.getValue()).isEqualTo(new Tuple("d", 4.0));
    var two = jedis.bzmpop(1, SortedSetOption.MAX, 2, "z");
    assertThat(two.getValue()).containsExactly(new Tuple("c", 3.0), new Tuple("b", 2.0));
    assertThat(jedis.bzpopmin(0.01, "nosuch")).isNull();
  }

  @Test
  void algebra() {
    abcd();
    jedis.zadd("y", Map.of("c", 10.0, "d", 20.0, "e", 30.0));
    assertThat(jedis.zunion(new ZParams(), "z", "y")).containsExactly("a", "b", "c", "d", "e");
    assertThat(
            jedis.zunionWithScores(
                new ZParams().weights(2, 1).aggregate(ZParams.Aggregate.MAX), "z", "y"))
        .startsWith(new Tuple("a", 2.0));
    assertThat(jedis.zinter(new ZParams(), "z", "y")).containsExactly("c", "d");
    assertThat(jedis.zinterWithScores(new ZParams().aggregate(ZParams.Aggregate.MIN), "z", "y"))
        .containsExactly(new Tuple("c", 3.0), new Tuple("d", 4.0));
    assertThat(jedis.zintercard(1, "z", "y")).isEqualTo(1);
    assertThat(jedis.zdiff("z", "y")).containsExactly("a", "b");
    assertThat(jedis.zdiffWithScores("y", "z")).containsExactly(new Tuple("e", 30.0));
    assertThat(jedis.zunionstore("u", "z", "y")).isEqualTo(5);
    assertThat(jedis.zinterstore("i", new ZParams().weights(1, 0), "z", "y")).isEqualTo(2);
    assertThat(jedis.zdiffstore("d", "z", "y")).isEqualTo(2);
  }

  @Test
  void randomMembersAndScan() {
    abcd();
    assertThat(jedis.zrandmember("z")).isIn("a", "b", "c", "d");
    assertThat(jedis.zrandmember("z", 10)).containsExactly("d", "c", "b", "a");
    assertThat(jedis.zrandmember("z", 3)).doesNotHaveDuplicates().hasSize(3);
    assertThat(jedis.zrandmember("z", -10)).hasSize(10);
    assertThat(jedis.zrandmemberWithScores("z", -2)).hasSize(2);
    ScanResult<Tuple> page = jedis.zscan("z", "0", new ScanParams().match("[ab]"));
    assertThat(page.getCursor()).isEqualTo("0");
    assertThat(page.getResult()).containsExactly(new Tuple("a", 1.0), new Tuple("b", 2.0));
  }

  @Test
  @SuppressWarnings("deprecation") // GEORADIUS and GEORADIUSBYMEMBER are deprecated, still served
  void geo() {
    assertThat(jedis.geoadd("g", 13.361389, 38.115556, "Palermo")).isEqualTo(1);
    assertThat(jedis.geoadd("g", Map.of("Catania", new GeoCoordinate(15.087269, 37.502669))))
        .isEqualTo(1);
    assertThat(jedis.geodist("g", "Palermo", "Catania", GeoUnit.KM)).isEqualTo(166.2742);
    assertThat(jedis.geohash("g", "Palermo", "nosuch")).containsExactly("sqc8b49rny0", null);
    List<GeoCoordinate> pos = jedis.geopos("g", "Palermo");
    assertThat(pos.getFirst().getLongitude()).isEqualTo(13.36138933897018433);
    List<GeoRadiusResponse> near =
        jedis.georadius(
            "g",
            15,
            37,
            200,
            GeoUnit.KM,
            GeoRadiusParam.geoRadiusParam().withDist().sortAscending());
    assertThat(near)
        .extracting(GeoRadiusResponse::getMemberByString)
        .containsExactly("Catania", "Palermo");
    assertThat(near.getFirst().getDistance()).isEqualTo(56.4413);
    assertThat(jedis.georadiusByMember("g", "Palermo", 100, GeoUnit.KM))
        .extracting(GeoRadiusResponse::getMemberByString)
        .containsExactly("Palermo");
    assertThat(jedis.georadiusReadonly("g", 15, 37, 1, GeoUnit.M)).isEmpty();
    assertThat(jedis.georadiusByMemberReadonly("g", "Catania", 200, GeoUnit.KM)).hasSize(2);
    assertThat(
            jedis.georadiusStore(
                "g",
                15,
                37,
                200,
                GeoUnit.KM,
                GeoRadiusParam.geoRadiusParam(),
                GeoRadiusStoreParam.geoRadiusStoreParam().store("st")))
        .isEqualTo(2);
    assertThat(
            jedis.georadiusByMemberStore(
                "g",
                "Palermo",
                200,
                GeoUnit.KM,
                GeoRadiusParam.geoRadiusParam(),
                GeoRadiusStoreParam.geoRadiusStoreParam().storeDist("sd")))
        .isEqualTo(2);
    assertThat(jedis.zscore("sd", "Palermo")).isEqualTo(0.0);
    List<GeoRadiusResponse> box =
        jedis.geosearch(
            "g",
            GeoSearchParam.geoSearchParam()
                .fromLonLat(15, 37)
                .byBox(400, 400, GeoUnit.KM)
                .withCoord()
                .desc());
    assertThat(box)
        .extracting(GeoRadiusResponse::getMemberByString)
        .containsExactly("Palermo", "Catania");
    assertThat(
            jedis.geosearchStore(
                "gs",
                "g",
                GeoSearchParam.geoSearchParam().fromMember("Palermo").byRadius(10, GeoUnit.KM)))
        .isEqualTo(1);
    assertThat(
            jedis.geosearchStoreStoreDist(
                "gs2",
                "g",
                GeoSearchParam.geoSearchParam()
                    .fromMember("Palermo")
                    .byRadius(200, GeoUnit.KM)
                    .count(1)))
        .isEqualTo(1);
  }
}
