package io.redstart.command.zset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sorted-set and geo commands run in-process: reply bytes (as redis-server 7.0.15 sends them),
 * keyspace notifications, dirty counts and what is propagated.
 */
class ZSetCommandsTest {
  private static String bulk(String s) {
    return "$" + s.length() + "\r\n" + s + "\r\n";
  }

  @Test
  void zaddOptionsAndErrors() throws Exception {
    ZHarness h = new ZHarness();
    assertThat(h.line("ZADD z 1 a 2 b")).isEqualTo(":2\r\n");
    assertThat(h.line("ZADD z CH 1 a 3 b 4 c")).isEqualTo(":2\r\n");
    assertThat(h.line("ZADD z XX 9 nosuch")).isEqualTo(":0\r\n");
    assertThat(h.line("ZADD z NX XX 1 a"))
        .isEqualTo("-ERR XX and NX options at the same time are not compatible\r\n");
    assertThat(h.line("ZADD z GT LT 1 a"))
        .isEqualTo("-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
    assertThat(h.line("ZADD z INCR 1 a 2 b"))
        .isEqualTo("-ERR INCR option supports a single increment-element pair\r\n");
    assertThat(h.line("ZADD z 1 a 2")).isEqualTo("-ERR syntax error\r\n");
    assertThat(h.line("ZADD z nan a")).isEqualTo("-ERR value is not a valid float\r\n");
    assertThat(h.call("ZADD", "z", "", "a")).isEqualTo("-ERR value is not a valid float\r\n");
    assertThat(h.line("ZADD z INCR inf a")).isEqualTo(bulk("inf"));
    assertThat(h.line("ZADD z INCR -inf a"))
        .isEqualTo("-ERR resulting score is not a number (NaN)\r\n");
    assertThat(h.line("ZADD z GT INCR -1 b")).isEqualTo("$-1\r\n");
    assertThat(h.line("ZINCRBY z 0.1 c")).isEqualTo(bulk("4.0999999999999996"));
    assertThat(h.line("ZINCRBY z nx c")).isEqualTo("-ERR syntax error\r\n");
    assertThat(h.line("ZADD s -0 m")).isEqualTo(":1\r\n");
    assertThat(h.line("ZSCORE s m")).isEqualTo(bulk("0")); // a listpack keeps integers
    h.client.protocol(3);
    assertThat(h.line("ZSCORE z c")).isEqualTo(",4.0999999999999996\r\n");
    assertThat(h.line("ZSCORE z nosuch")).isEqualTo("_\r\n");
  }

  @Test
  void rangesInBothProtocols() throws Exception {
    ZHarness h = new ZHarness();
    h.line("ZADD z 1 a 2 b 3 c 4 d");
    assertThat(h.line("ZRANGE z 0 1 WITHSCORES"))
        .isEqualTo("*4\r\n" + bulk("a") + bulk("1") + bulk("b") + bulk("2"));
    assertThat(h.line("ZRANGE z (1 3 BYSCORE REV")).isEqualTo("*0\r\n");
    assertThat(h.line("ZRANGE z 3 (1 BYSCORE REV LIMIT 1 5")).isEqualTo("*1\r\n" + bulk("b"));
    assertThat(h.line("ZRANGEBYSCORE z -inf +inf LIMIT -1 5")).isEqualTo("*0\r\n");
    assertThat(h.line("ZRANGEBYLEX z [b + LIMIT 0 -1"))
        .isEqualTo("*3\r\n" + bulk("b") + bulk("c") + bulk("d"));
    assertThat(h.line("ZRANGE z 0 -1 LIMIT 0 1"))
        .isEqualTo(
            "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or"
                + " BYLEX\r\n");
    assertThat(h.line("ZRANGE z - + BYLEX WITHSCORES"))
        .isEqualTo("-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n");
    assertThat(h.line("ZRANGEBYSCORE z a b")).isEqualTo("-ERR min or max is not a float\r\n");
    assertThat(h.line("ZRANGEBYLEX z a b"))
        .isEqualTo("-ERR min or max not valid string range item\r\n");
    assertThat(h.line("ZCOUNT z ( 3")).isEqualTo(":3\r\n");
    h.client.protocol(3);
    assertThat(h.line("ZRANGE z 0 0 WITHSCORES")).isEqualTo("*1\r\n*2\r\n" + bulk("a") + ",1\r\n");
    assertThat(h.line("ZPOPMIN z 1")).isEqualTo("*1\r\n*2\r\n" + bulk("a") + ",1\r\n");
    assertThat(h.line("ZPOPMIN z")).isEqualTo("*2\r\n" + bulk("b") + ",2\r\n");
    assertThat(h.line("ZMPOP 1 nosuch MIN")).isEqualTo("_\r\n");
  }

  @Test
  void keyspaceNotificationsAsRedisNamesThem() throws Exception {
    ZHarness h = new ZHarness("notify-keyspace-events KEA");
    for (String l :
        List.of(
            "ZADD z 1 a 2 b",
            "ZADD z 1 a",
            "ZADD z XX 5 nosuch",
            "ZINCRBY z 1 a",
            "ZADD z INCR 1 a",
            "ZREM z nosuch",
            "ZREM z a",
            "ZREM z b",
            "ZADD z 1 a 2 b 3 c 4 d",
            "ZREMRANGEBYSCORE z 1 1",
            "ZREMRANGEBYRANK z 0 0",
            "ZREMRANGEBYLEX z - +",
            "ZADD z 1 a 2 b 3 c 4 d",
            "ZPOPMIN z",
            "ZPOPMAX z 5",
            "ZADD z 1 a 2 b",
            "ZMPOP 1 z MIN COUNT 10",
            "ZADD z 1 a 2 b",
            "BZPOPMIN z 0",
            "BZMPOP 0 1 z MAX COUNT 5",
            "ZADD z 1 a 2 b",
            "ZUNIONSTORE u 1 z",
            "ZINTERSTORE u 1 z",
            "ZDIFFSTORE u 1 z",
            "ZRANGESTORE u z 0 -1",
            "ZRANGESTORE u z 5 6",
            "ZUNIONSTORE u 1 z",
            "ZUNIONSTORE u 1 nosuch",
            "GEOADD g 1 1 a",
            "GEORADIUS g 1 1 10 km STORE gs",
            "GEOSEARCHSTORE gs g FROMLONLAT 1 1 BYRADIUS 10 km",
            "GEOSEARCHSTORE gs g FROMLONLAT 50 50 BYRADIUS 10 km",
            "SET s x",
            "ZUNIONSTORE s 1 z")) {
      assertThat(h.line(l)).doesNotStartWith("-");
    }
    assertThat(h.events)
        .containsExactly(
            "zadd z",
            "zincr z",
            "zincr z",
            "zrem z",
            "zrem z",
            "del z",
            "zadd z",
            "zremrangebyscore z",
            "zremrangebyrank z",
            "zremrangebylex z",
            "del z",
            "zadd z",
            "zpopmin z",
            "zpopmax z",
            "del z",
            "zadd z",
            "zpopmin z",
            "del z",
            "zadd z",
            "zpopmin z",
            "zpopmax z",
            "del z",
            "zadd z",
            "zunionstore u",
            "zinterstore u",
            "zdiffstore u",
            "zrangestore u",
            "del u",
            "zunionstore u",
            "del u",
            "zadd g",
            "georadiusstore gs",
            "geosearchstore gs",
            "del gs",
            "set s",
            "zunionstore s");
  }

  @Test
  void dirtyCountsAndPropagation() throws Exception {
    ZHarness h = new ZHarness();
    long d = h.dirty();
    h.line("ZADD z 1 a 2 b 3 c");
    assertThat(h.dirty() - d).isEqualTo(3);
    h.line("ZADD z 1 a 5 b");
    assertThat(h.dirty() - d).isEqualTo(4);
    h.line("ZREM z a b nosuch");
    assertThat(h.dirty() - d).isEqualTo(6);
    h.line("ZADD z 1 a 2 b 3 d 4 e");
    h.propagated.clear();
    h.line("ZMPOP 1 z MIN COUNT 2");
    h.line("BZPOPMAX z 0");
    h.line("BZMPOP 0 2 nosuch z MIN COUNT 10");
    h.line("ZPOPMIN z");
    assertThat(h.propagated).containsExactly("ZPOPMIN z 2", "ZPOPMAX z", "ZPOPMIN z 2");
    h.line("GEOADD g 13.361389 38.115556 Palermo");
    assertThat(h.propagated.getLast()).isEqualTo("zadd g 3479099956230698 Palermo");
    int before = h.propagated.size();
    h.line("ZADD g 3479099956230698 Palermo");
    assertThat(h.propagated).hasSize(before);
    h.line("GEOADD g 15.087269 37.502669 Catania");
    d = h.dirty();
    h.line("GEOSEARCHSTORE dst g FROMMEMBER Palermo BYRADIUS 200 km");
    assertThat(h.dirty() - d).isEqualTo(2);
  }

  @Test
  void blockingPopsAnswerAsOnTimeoutInsideMulti() throws Exception {
    ZHarness h = new ZHarness();
    assertThat(h.line("MULTI")).isEqualTo("+OK\r\n");
    assertThat(h.line("BZPOPMIN nosuch 0")).isEqualTo("+QUEUED\r\n");
    assertThat(h.line("BZMPOP 0 1 nosuch MIN")).isEqualTo("+QUEUED\r\n");
    assertThat(h.line("EXEC")).isEqualTo("*2\r\n*-1\r\n*-1\r\n");
    assertThat(h.line("BZPOPMIN k abc"))
        .isEqualTo("-ERR timeout is not a float or out of range\r\n");
    assertThat(h.line("BZPOPMIN k -1")).isEqualTo("-ERR timeout is negative\r\n");
    assertThat(h.line("BZPOPMIN k inf")).isEqualTo("-ERR timeout is negative\r\n");
  }

  @Test
  void algebraWithWeightsInfinitiesAndBadInput() throws Exception {
    ZHarness h = new ZHarness();
    h.line("ZADD a 1 x inf y -inf z");
    h.line("ZADD b 2 x -inf y inf z");
    assertThat(h.line("ZUNION 2 a b WITHSCORES"))
        .isEqualTo(
            "*6\r\n" + bulk("y") + bulk("0") + bulk("z") + bulk("0") + bulk("x") + bulk("3"));
    assertThat(h.line("ZINTER 2 a b WEIGHTS 0 1 AGGREGATE MAX WITHSCORES"))
        .isEqualTo(
            "*6\r\n" + bulk("y") + bulk("0") + bulk("x") + bulk("2") + bulk("z") + bulk("inf"));
    assertThat(h.line("ZUNION 2 a b WEIGHTS 1")).isEqualTo("-ERR syntax error\r\n");
    assertThat(h.line("ZUNION 2 a b WEIGHTS 1 x"))
        .isEqualTo("-ERR weight value is not a float\r\n");
    assertThat(h.line("ZUNION 0 a"))
        .isEqualTo("-ERR at least 1 input key is needed for 'zunion' command\r\n");
    assertThat(h.line("ZINTERCARD 2 a b LIMIT -1")).isEqualTo("-ERR LIMIT can't be negative\r\n");
    assertThat(h.line("ZINTERCARD 2 a b LIMIT 2")).isEqualTo(":2\r\n");
    assertThat(h.line("ZDIFFSTORE out 2 a a")).isEqualTo(":0\r\n");
    assertThat(h.line("ZUNIONSTORE out 2 a b WITHSCORES")).isEqualTo("-ERR syntax error\r\n");
    h.line("SET str v");
    assertThat(h.line("ZUNION 2 a str WEIGHTS x"))
        .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  }

  @Test
  void countsDownToLongMin() throws Exception {
    ZHarness h = new ZHarness();
    h.line("ZADD z 1 a 2 b");
    assertThat(h.line("ZPOPMIN z -9223372036854775808"))
        .isEqualTo("-ERR value is out of range, must be positive\r\n");
    assertThat(h.line("ZRANDMEMBER z -9223372036854775808"))
        .isEqualTo(
            "-ERR value is out of range, value must between -9223372036854775807 and"
                + " 9223372036854775807\r\n");
    assertThat(h.line("ZRANDMEMBER z -9223372036854775807 WITHSCORES"))
        .isEqualTo("-ERR value is out of range\r\n");
    assertThat(h.line("ZMPOP 1 z MIN COUNT -9223372036854775808"))
        .isEqualTo("-ERR count should be greater than 0\r\n");
    assertThat(h.line("ZMPOP 9223372036854775807 z MIN")).isEqualTo("-ERR syntax error\r\n");
    assertThat(h.line("ZRANGE z -9223372036854775808 9223372036854775807"))
        .isEqualTo("*2\r\n" + bulk("a") + bulk("b"));
    assertThat(h.line("ZREMRANGEBYRANK z -9223372036854775808 -9223372036854775808"))
        .isEqualTo(":0\r\n");
    assertThat(h.line("ZRANGEBYSCORE z -inf +inf LIMIT 9223372036854775807 -9223372036854775808"))
        .isEqualTo("*0\r\n");
    assertThat(h.line("ZRANDMEMBER z -5")).startsWith("*5\r\n");
  }

  @Test
  void geoErrors() throws Exception {
    ZHarness h = new ZHarness();
    assertThat(h.line("GEOADD g 200 100 a"))
        .isEqualTo("-ERR invalid longitude,latitude pair 200.000000,100.000000\r\n");
    assertThat(h.line("GEOADD g -0.0000001 100 a"))
        .isEqualTo("-ERR invalid longitude,latitude pair -0.000000,100.000000\r\n");
    h.line("GEOADD g 13.361389 38.115556 Palermo");
    assertThat(h.line("GEOSEARCH g BYRADIUS 10 km ASC WITHDIST"))
        .isEqualTo(
            "-ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH\r\n");
    assertThat(h.line("geosearch g FROMMEMBER Palermo ASC WITHDIST WITHHASH"))
        .isEqualTo("-ERR exactly one of BYRADIUS and BYBOX can be specified for geosearch\r\n");
    assertThat(h.line("GEORADIUS g 15 37 200 km STORE d WITHDIST"))
        .isEqualTo(
            "-ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and"
                + " WITHCOORD options\r\n");
    assertThat(h.line("GEORADIUS g 15 37 200 km ANY"))
        .isEqualTo("-ERR the ANY argument requires COUNT argument\r\n");
    assertThat(h.line("GEORADIUS g 15 37 200 km COUNT 0")).isEqualTo("-ERR COUNT must be > 0\r\n");
    assertThat(h.line("GEORADIUS g 15 37 200 parsecs"))
        .isEqualTo("-ERR unsupported unit provided. please use M, KM, FT, MI\r\n");
    assertThat(h.line("GEOSEARCH g FROMMEMBER nosuch BYRADIUS 1 m"))
        .isEqualTo("-ERR could not decode requested zset member\r\n");
    assertThat(h.line("GEORADIUS g 15 37 200 km WITHDIST"))
        .isEqualTo("*1\r\n*2\r\n" + bulk("Palermo") + bulk("190.4424"));
  }

  @Test
  void memoryAccountReturnsToItsStartWhenTheKeysGo() throws Exception {
    ZHarness h = new ZHarness("zset-max-listpack-entries 8");
    // The keys' slot tables stay once created: create them first, so they count in the base.
    h.line("MSET z 1 d 1 u 1 g 1 gs 1 s 1");
    h.line("DEL z d u g gs s");
    long base = h.server.keyspace().db(0).usedBytes();
    StringBuilder add = new StringBuilder("ZADD z");
    for (int i = 0; i < 40; i++) add.append(' ').append(i % 7).append(" m").append(i);
    for (String l : List.of(
        "ZADD z 1 a 2 b", add.toString(), "ZINCRBY z 5 m3", "ZREM z m1 m2", "ZPOPMIN z 3",
        "ZREMRANGEBYRANK z 0 2", "ZREMRANGEBYSCORE z 6 6", "ZRANGESTORE d z 0 5", "ZADD s 1 x",
        "ZUNIONSTORE u 2 z s", "GEOADD g 1 1 p 2 2 q", "GEOSEARCHSTORE gs g FROMMEMBER p BYRADIUS 500 km",
        "ZMPOP 1 s MIN", "ZADD z XX 100 m10", "ZADD z GT 0 m11")) {
      assertThat(h.line(l)).doesNotStartWith("-");
    }
    long used = h.server.keyspace().db(0).usedBytes();
    assertThat(used).isGreaterThan(base);
    h.line("DEL z d u g gs s");
    assertThat(h.server.keyspace().db(0).size()).isZero();
    assertThat(h.server.keyspace().db(0).usedBytes()).isEqualTo(base);
  }
}
