package io.redstart.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.embedded.Redstart;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.params.XTrimParams;
import redis.clients.jedis.resps.StreamConsumerInfo;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamFullInfo;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.StreamInfo;
import redis.clients.jedis.resps.StreamPendingEntry;
import redis.clients.jedis.resps.StreamPendingSummary;

/** Every stream command through Jedis's stream API (RESP2) against an embedded server. */
class StreamsJedisTest {
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
  void disconnect() {
    jedis.close();
  }

  private static StreamEntryID id(String s) {
    return new StreamEntryID(s);
  }

  @Test
  void addRangeTrimDelete() {
    StreamEntryID a = jedis.xadd("s", id("1-1"), Map.of("f", "1"));
    assertThat(a).isEqualTo(id("1-1"));
    StreamEntryID generated = jedis.xadd("s", StreamEntryID.NEW_ENTRY, Map.of("f", "2"));
    assertThat(generated.getTime()).isGreaterThan(1_000_000_000_000L);
    jedis.xadd(
        "s", XAddParams.xAddParams().id(generated.getTime() + 1, 0).maxLen(10), Map.of("f", "3"));
    assertThat(jedis.xadd("nokey", XAddParams.xAddParams().noMkStream(), Map.of("f", "v")))
        .isNull();
    assertThat(jedis.xlen("s")).isEqualTo(3);
    List<StreamEntry> all = jedis.xrange("s", "-", "+");
    assertThat(all).extracting(e -> e.getFields().get("f")).containsExactly("1", "2", "3");
    assertThat(jedis.xrange("s", "-", "+", 1)).hasSize(1);
    assertThat(jedis.xrevrange("s", "+", "-", 2))
        .extracting(e -> e.getFields().get("f"))
        .containsExactly("3", "2");
    assertThat(jedis.xrange("s", "(1-1", "+")).hasSize(2);
    assertThat(jedis.xdel("s", id("1-1"), id("9-9"))).isEqualTo(1);
    assertThat(jedis.xtrim("s", XTrimParams.xTrimParams().maxLen(1))).isEqualTo(1);
    assertThat(jedis.xlen("s")).isEqualTo(1);
    assertThatThrownBy(() -> jedis.xadd("s", id("1-1"), Map.of("f", "v")))
        .isInstanceOf(JedisDataException.class)
        .hasMessage(
            "ERR The ID specified in XADD is equal or smaller than the target stream top item");
    StreamInfo info = jedis.xinfoStream("s");
    assertThat(info.getLength()).isEqualTo(1);
    assertThat(info.getRadixTreeKeys()).isEqualTo(1);
    assertThat(info.getRadixTreeNodes()).isEqualTo(2);
    assertThat(info.getLastEntry().getFields()).containsEntry("f", "3");
    jedis.set("str", "x");
    assertThatThrownBy(() -> jedis.xlen("str"))
        .hasMessage("WRONGTYPE Operation against a key holding the wrong kind of value");
  }

  @Test
  void readsAndBlockingReads() throws Exception {
    jedis.xadd("s", id("1-0"), Map.of("a", "1"));
    List<Map.Entry<String, List<StreamEntry>>> r =
        jedis.xread(XReadParams.xReadParams().count(10), Map.of("s", id("0-0")));
    assertThat(r).hasSize(1);
    assertThat(r.getFirst().getKey()).isEqualTo("s");
    assertThat(r.getFirst().getValue()).hasSize(1);
    assertThat(jedis.xread(XReadParams.xReadParams().block(20), Map.of("s", id("1-0")))).isNull();
    try (Jedis reader = new Jedis("127.0.0.1", server.port())) {
      java.util.concurrent.CompletableFuture<List<Map.Entry<String, List<StreamEntry>>>> got =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  reader.xread(
                      XReadParams.xReadParams().block(0),
                      Map.of("s", StreamEntryID.XREAD_NEW_ENTRY)));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!jedis.info("clients").contains("blocked_clients:1")) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(5);
      }
      jedis.xadd("s", id("2-0"), Map.of("b", "2"));
      assertThat(got.get(10, java.util.concurrent.TimeUnit.SECONDS).getFirst().getValue())
          .extracting(StreamEntry::getID)
          .containsExactly(id("2-0"));
    }
  }

  @Test
  void consumerGroups() {
    jedis.xadd("s", id("1-0"), Map.of("a", "1"));
    jedis.xadd("s", id("2-0"), Map.of("a", "2"));
    jedis.xadd("s", id("3-0"), Map.of("a", "3"));
    assertThat(jedis.xgroupCreate("s", "g", id("0-0"), false)).isEqualTo("OK");
    assertThat(jedis.xgroupCreate("new", "g", StreamEntryID.XGROUP_LAST_ENTRY, true))
        .isEqualTo("OK");
    assertThatThrownBy(() -> jedis.xgroupCreate("s", "g", id("0-0"), false))
        .hasMessage("BUSYGROUP Consumer Group name already exists");
    assertThat(jedis.xgroupCreateConsumer("s", "g", "idle")).isTrue();
    List<Map.Entry<String, List<StreamEntry>>> read =
        jedis.xreadGroup(
            "g",
            "c1",
            XReadGroupParams.xReadGroupParams().count(2),
            Map.of("s", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
    assertThat(read.getFirst().getValue())
        .extracting(StreamEntry::getID)
        .containsExactly(id("1-0"), id("2-0"));
    StreamPendingSummary summary = jedis.xpending("s", "g");
    assertThat(summary.getTotal()).isEqualTo(2);
    assertThat(summary.getMinId()).isEqualTo(id("1-0"));
    assertThat(summary.getConsumerMessageCount()).containsExactly(Map.entry("c1", 2L));
    List<StreamPendingEntry> pending =
        jedis.xpending("s", "g", XPendingParams.xPendingParams("-", "+", 10));
    assertThat(pending).extracting(StreamPendingEntry::getDeliveredTimes).containsExactly(1L, 1L);
    List<StreamEntry> claimed =
        jedis.xclaim("s", "g", "c2", 0, XClaimParams.xClaimParams().retryCount(5), id("1-0"));
    assertThat(claimed).extracting(StreamEntry::getID).containsExactly(id("1-0"));
    assertThat(jedis.xclaimJustId("s", "g", "c2", 0, XClaimParams.xClaimParams(), id("2-0")))
        .containsExactly(id("2-0"));
    Map.Entry<StreamEntryID, List<StreamEntry>> auto =
        jedis.xautoclaim(
            "s", "g", "c3", 0, id("0-0"), XAutoClaimParams.xAutoClaimParams().count(1));
    assertThat(auto.getKey()).isEqualTo(id("2-0"));
    assertThat(auto.getValue()).extracting(StreamEntry::getID).containsExactly(id("1-0"));
    assertThat(jedis.xack("s", "g", id("1-0"), id("2-0"), id("9-0"))).isEqualTo(2);
    List<StreamGroupInfo> groups = jedis.xinfoGroups("s");
    assertThat(groups).hasSize(1);
    assertThat(groups.getFirst().getName()).isEqualTo("g");
    assertThat(groups.getFirst().getConsumers()).isEqualTo(4);
    assertThat(groups.getFirst().getPending()).isZero();
    assertThat(groups.getFirst().getLastDeliveredId()).isEqualTo(id("2-0"));
    List<StreamConsumerInfo> consumers = jedis.xinfoConsumers2("s", "g");
    assertThat(consumers)
        .extracting(StreamConsumerInfo::getName)
        .containsExactly("c1", "c2", "c3", "idle");
    StreamFullInfo full = jedis.xinfoStreamFull("s");
    assertThat(full.getLength()).isEqualTo(3);
    assertThat(full.getEntries()).hasSize(3);
    assertThat(full.getGroups()).hasSize(1);
    assertThat(jedis.xgroupDelConsumer("s", "g", "idle")).isZero();
    assertThat(jedis.xgroupSetID("s", "g", id("0-0"))).isEqualTo("OK");
    assertThat(jedis.xgroupDestroy("s", "g")).isEqualTo(1);
    assertThatThrownBy(
            () ->
                jedis.xreadGroup(
                    "g",
                    "c",
                    XReadGroupParams.xReadGroupParams(),
                    Map.of("s", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)))
        .hasMessage(
            "NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option");
  }
}
