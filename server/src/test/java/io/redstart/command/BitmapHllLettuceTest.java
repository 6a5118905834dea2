package io.redstart.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.BitFieldArgs;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.redstart.embedded.Redstart;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bitmap and HyperLogLog commands through Lettuce, which speaks RESP3. */
class BitmapHllLettuceTest {
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
  void bits() {
    assertThat(r.setbit("b", 9, 1)).isZero();
    assertThat(r.getbit("b", 9)).isEqualTo(1);
    assertThat(r.strlen("b")).isEqualTo(2);
    assertThat(r.bitcount("b")).isEqualTo(1);
    assertThat(r.bitcount("b", 0, 0)).isZero();
    assertThat(r.bitpos("b", true)).isEqualTo(9);
    assertThat(r.bitpos("b", false, 1)).isEqualTo(8);
    assertThat(r.bitpos("b", true, 0, 0)).isEqualTo(-1);
    assertThat(r.bitopNot("n", "b")).isEqualTo(2);
    assertThat(r.bitcount("n")).isEqualTo(15);
    assertThat(r.bitopOr("o", "b", "n")).isEqualTo(2);
    assertThat(r.bitcount("o")).isEqualTo(16);
    assertThat(r.bitopAnd("a", "b", "n")).isEqualTo(2);
    assertThat(r.exists("a")).isEqualTo(1);
    assertThat(r.bitcount("a")).isZero();
    assertThat(r.bitopXor("x", "nosuch")).isZero();
    assertThat(r.exists("x")).isZero();
    assertThatThrownBy(() -> r.setbit("b", 0, 2))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessage("ERR bit is not an integer or out of range");
  }

  @Test
  void bitfieldsWithNullsForFailedOverflows() {
    BitFieldArgs args =
        BitFieldArgs.Builder.set(BitFieldArgs.signed(8), 0, 127)
            .overflow(BitFieldArgs.OverflowType.FAIL)
            .incrBy(BitFieldArgs.signed(8), 0, 1)
            .overflow(BitFieldArgs.OverflowType.SAT)
            .incrBy(BitFieldArgs.signed(8), 0, 1)
            .get(BitFieldArgs.unsigned(4), BitFieldArgs.typeWidthBasedOffset(1));
    assertThat(r.bitfield("f", args)).containsExactly(0L, null, 127L, 15L);
  }

  @Test
  void hyperLogLogs() {
    assertThat(r.pfadd("h", "a", "b", "c")).isEqualTo(1);
    assertThat(r.pfadd("h", "c")).isZero();
    assertThat(r.pfcount("h")).isEqualTo(3);
    r.pfadd("h2", "x");
    assertThat(r.pfcount("h", "h2")).isEqualTo(4);
    assertThat(r.pfmerge("m", "h", "h2")).isEqualTo("OK");
    assertThat(r.pfcount("m")).isEqualTo(4);
    r.append("h", "junk");
    assertThat(r.pfcount("h")).as("the cached estimate, as Redis").isEqualTo(3);
    assertThatThrownBy(() -> r.pfcount("h", "h2"))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessage("INVALIDOBJ Corrupted HLL object detected");
  }
}
