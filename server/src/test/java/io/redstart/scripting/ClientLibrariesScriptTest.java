package io.redstart.scripting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.redstart.embedded.Redstart;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RAtomicLong;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/** The scripting APIs of Lettuce (RESP3) and Redisson against an embedded server. */
class ClientLibrariesScriptTest {
  private static Redstart.Handle server;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void lettuceEvalEvalshaAndFunctions() {
    RedisClient client = RedisClient.create(io.lettuce.core.RedisURI.builder()
        .withHost("127.0.0.1").withPort(server.port()).withTimeout(Duration.ofSeconds(10)).build());
    try (StatefulRedisConnection<String, String> conn = client.connect()) {
      RedisCommands<String, String> r = conn.sync();
      r.flushall();
      assertThat((Long) r.eval("return 42", ScriptOutputType.INTEGER)).isEqualTo(42L);
      assertThat((String) r.eval("return redis.call('set', KEYS[1], ARGV[1])",
          ScriptOutputType.STATUS, new String[] {"k"}, "v")).isEqualTo("OK");
      List<Object> multi = r.eval("return {KEYS[1], ARGV[1], 7}", ScriptOutputType.MULTI,
          new String[] {"a"}, "b");
      assertThat(multi).containsExactly("a", "b", 7L);
      assertThat((Boolean) r.eval("return true", ScriptOutputType.BOOLEAN)).isTrue();
      String sha = r.scriptLoad("return redis.call('incrby', KEYS[1], ARGV[1])");
      assertThat((Long) r.evalsha(sha, ScriptOutputType.INTEGER, new String[] {"n"}, "5"))
          .isEqualTo(5L);
      assertThat(r.scriptExists(sha, "0000000000000000000000000000000000000000"))
          .containsExactly(true, false);
      assertThatThrownBy(() -> r.eval("return redis.call('nosuch')", ScriptOutputType.VALUE))
          .isInstanceOf(RedisCommandExecutionException.class)
          .hasMessageStartingWith("ERR Unknown Redis command called from script");
      // RESP3 from the script itself: a boolean reaches Lettuce's RESP3 connection as one
      assertThat((Boolean) r.eval("redis.setresp(3) return false", ScriptOutputType.BOOLEAN))
          .isFalse();
      assertThat(r.functionLoad(
              "#!lua name=lt\nredis.register_function('lt', function(k, a) return a[1] end)"))
          .isEqualTo("lt");
      assertThat((String) r.fcall("lt", ScriptOutputType.VALUE, new String[0], "hey"))
          .isEqualTo("hey");
      assertThat(r.functionFlush(io.lettuce.core.FlushMode.SYNC)).isEqualTo("OK");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void redissonScriptsAndAtomics() {
    Config config = new Config();
    config.useSingleServer().setAddress("redis://127.0.0.1:" + server.port())
        .setConnectionPoolSize(2).setConnectionMinimumIdleSize(1)
        .setSubscriptionConnectionPoolSize(1).setSubscriptionConnectionMinimumIdleSize(0);
    RedissonClient redisson = Redisson.create(config);
    try {
      RScript script = redisson.getScript(StringCodec.INSTANCE);
      Long r = script.eval(RScript.Mode.READ_WRITE,
          "redis.call('set', KEYS[1], ARGV[1]) return redis.call('strlen', KEYS[1])",
          RScript.ReturnType.LONG, List.of("rk"), "hello");
      assertThat(r).isEqualTo(5L);
      String sha = script.scriptLoad("return redis.call('get', KEYS[1])");
      String v = script.evalSha(RScript.Mode.READ_ONLY, sha, RScript.ReturnType.VALUE, List.of("rk"));
      assertThat(v).isEqualTo("hello");
      RAtomicLong counter = redisson.getAtomicLong("counter");
      assertThat(counter.incrementAndGet()).isEqualTo(1L);
      // compareAndSet is a Lua script in Redisson
      assertThat(counter.compareAndSet(1, 10)).isTrue();
      assertThat(counter.compareAndSet(1, 20)).isFalse();
      assertThat(counter.get()).isEqualTo(10L);
      assertThat(counter.getAndDelete()).isEqualTo(10L);
      assertThat(counter.isExists()).isFalse();
    } finally {
      redisson.shutdown();
    }
  }
}
