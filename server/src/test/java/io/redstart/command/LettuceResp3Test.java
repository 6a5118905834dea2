package io.redstart.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.redstart.embedded.Redstart;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lettuce negotiates RESP3 with HELLO; commands, errors and pipelining through it. */
class LettuceResp3Test {
  private static Redstart.Handle server;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> conn;

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

  @Test
  void syncCommandsOverResp3() {
    RedisCommands<String, String> r = conn.sync();
    r.flushall();
    assertThat(r.set("a", "1", SetArgs.Builder.px(100_000))).isEqualTo("OK");
    assertThat(r.pttl("a")).isBetween(99_000L, 100_000L);
    assertThat(r.incrby("a", 10)).isEqualTo(11);
    assertThat(r.get("a")).isEqualTo("11");
    assertThat(r.clientGetname()).isNull();
    r.clientSetname("lettuce-test");
    assertThat(r.clientGetname()).isEqualTo("lettuce-test");
    assertThat(r.clientList()).contains("name=lettuce-test").contains("resp=3");
    assertThat(r.info("keyspace")).contains("db0:keys=1,expires=1");
    assertThat(r.lcs(io.lettuce.core.LcsArgs.Builder.keys("a", "a")).getMatchString())
        .isEqualTo("11");
    r.set("h", "hello");
    assertThatThrownBy(() -> r.incr("h"))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessage("ERR value is not an integer or out of range");
  }

  @Test
  void pipelinedAsyncCommandsKeepTheirOrder() throws Exception {
    RedisAsyncCommands<String, String> a = conn.async();
    conn.setAutoFlushCommands(false);
    List<io.lettuce.core.RedisFuture<Long>> futures = new ArrayList<>();
    for (int i = 0; i < 1000; i++) futures.add(a.incr("counter"));
    conn.flushCommands();
    conn.setAutoFlushCommands(true);
    long prev = 0;
    for (var f : futures) {
      long v = f.get(10, TimeUnit.SECONDS);
      assertThat(v).isEqualTo(prev + 1);
      prev = v;
    }
  }
}
