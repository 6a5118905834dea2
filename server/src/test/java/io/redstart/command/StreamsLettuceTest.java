package io.redstart.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.models.stream.PendingMessages;
import io.lettuce.core.protocol.ProtocolVersion;
import io.redstart.embedded.Redstart;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every stream command through Lettuce's stream API, which speaks RESP3 (maps, nulls). */
class StreamsLettuceTest {
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
  void addRangeTrimDelete() {
    assertThat(r.xadd("s", new XAddArgs().id("1-1"), Map.of("f", "1"))).isEqualTo("1-1");
    String generated = r.xadd("s", Map.of("f", "2"));
    assertThat(generated).matches("[0-9]{13}-0");
    assertThat(r.xadd("s", new XAddArgs().id("99999999999999-*").maxlen(10), Map.of("f", "3")))
        .isEqualTo("99999999999999-0");
    assertThat(r.xadd("nokey", new XAddArgs().nomkstream(), Map.of("f", "v"))).isNull();
    assertThat(r.xlen("s")).isEqualTo(3);
    assertThat(r.xrange("s", Range.create("-", "+")))
        .extracting(m -> m.getBody().get("f"))
        .containsExactly("1", "2", "3");
    assertThat(r.xrange("s", Range.create("-", "+"), Limit.from(2))).hasSize(2);
    assertThat(r.xrevrange("s", Range.create("-", "+"), Limit.from(1)))
        .extracting(StreamMessage::getId)
        .containsExactly("99999999999999-0");
    assertThat(r.xdel("s", "1-1", "5-5")).isEqualTo(1);
    assertThat(r.xtrim("s", new XTrimArgs().maxlen(1))).isEqualTo(1);
    assertThat(r.xtrim("s", new XTrimArgs().minId("99999999999999-1"))).isEqualTo(1);
    assertThat(r.xlen("s")).isZero();
    List<Object> info = r.xinfoStream("s");
    assertThat(info).contains("length", 0L, "entries-added", 3L, "max-deleted-entry-id");
    assertThatThrownBy(() -> r.xadd("s", new XAddArgs().id("0-0"), Map.of("f", "v")))
        .hasMessageContaining("ERR The ID specified in XADD must be greater than 0-0");
  }

  @Test
  @SuppressWarnings("unchecked") // Lettuce takes the stream offsets as generic varargs
  void blockingReadAndGroups() throws Exception {
    r.xadd("s", new XAddArgs().id("1-0"), Map.of("a", "1"));
    assertThat(r.xread(StreamOffset.from("s", "0"))).hasSize(1);
    assertThat(r.xread(XReadArgs.Builder.block(20), StreamOffset.from("s", "1-0"))).isEmpty();
    try (StatefulRedisConnection<String, String> other = client.connect()) {
      CompletableFuture<List<StreamMessage<String, String>>> got =
          other
              .async()
              .xread(XReadArgs.Builder.block(0), StreamOffset.latest("s"))
              .toCompletableFuture();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!r.info("clients").contains("blocked_clients:1")) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(5);
      }
      r.xadd("s", new XAddArgs().id("2-0"), Map.of("b", "2"));
      assertThat(got.get(10, TimeUnit.SECONDS))
          .extracting(StreamMessage::getId)
          .containsExactly("2-0");
    }

    assertThat(r.xgroupCreate(StreamOffset.from("s", "0"), "g")).isEqualTo("OK");
    assertThat(
            r.xgroupCreate(StreamOffset.from("t", "$"), "g", new XGroupCreateArgs().mkstream(true)))
        .isEqualTo("OK");
    assertThat(r.xgroupCreateconsumer("s", Consumer.from("g", "idle"))).isTrue();
    List<StreamMessage<String, String>> read =
        r.xreadgroup(Consumer.from("g", "c1"), StreamOffset.lastConsumed("s"));
    assertThat(read).extracting(StreamMessage::getId).containsExactly("1-0", "2-0");
    PendingMessages pending = r.xpending("s", "g");
    assertThat(pending.getCount()).isEqualTo(2);
    assertThat(pending.getMessageIds().getLower().getValue()).isEqualTo("1-0");
    assertThat(pending.getConsumerMessageCount()).containsExactly(Map.entry("c1", 2L));
    List<PendingMessage> detail =
        r.xpending("s", Consumer.from("g", "c1"), Range.create("-", "+"), Limit.from(10));
    assertThat(detail).extracting(PendingMessage::getRedeliveryCount).containsExactly(1L, 1L);
    assertThat(r.xclaim("s", Consumer.from("g", "c2"), new XClaimArgs().retryCount(4), "1-0"))
        .extracting(StreamMessage::getId)
        .containsExactly("1-0");
    ClaimedMessages<String, String> auto =
        r.xautoclaim(
            "s", XAutoClaimArgs.Builder.xautoclaim(Consumer.from("g", "c3"), 0, "0").count(10));
    assertThat(auto.getId()).isEqualTo("0-0");
    assertThat(auto.getMessages()).extracting(StreamMessage::getId).containsExactly("1-0", "2-0");
    assertThat(r.xack("s", "g", "1-0", "2-0")).isEqualTo(2);
    List<Object> groups = r.xinfoGroups("s");
    assertThat(groups).hasSize(1);
    assertThat(groups.getFirst().toString()).contains("last-delivered-id").contains("lag");
    assertThat(r.xinfoConsumers("s", "g")).hasSize(4);
    assertThat(r.xgroupDelconsumer("s", Consumer.from("g", "idle"))).isZero();
    assertThat(r.xgroupSetid(StreamOffset.from("s", "0"), "g")).isEqualTo("OK");
    assertThat(r.xgroupDestroy("s", "g")).isTrue();
    assertThatThrownBy(() -> r.xreadgroup(Consumer.from("g", "c"), StreamOffset.lastConsumed("s")))
        .hasMessageContaining("NOGROUP No such key 's' or consumer group 'g'");
  }
}
