package io.redstart.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.ReferenceRedis;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * FUNCTION DUMP payloads move between the reference redis-server and Redstart both ways: Redis's
 * (whose long strings are LZF-compressed) restore in Redstart, Redstart's restore in Redis.
 * Skipped when redis-server is missing (unless REDSTART_REQUIRE_ALL=1).
 */
class FunctionDumpInteropTest {
  private static final String LIB =
      "#!lua name=interop\n"
          + "-- a comment long enough for Redis to compress the library's code with LZF ......\n"
          + "redis.register_function('hello', function(keys, args) return 'hello ' .. args[1] end)\n"
          + "redis.register_function{function_name='ro', callback=function(keys, args)"
          + " return redis.call('get', keys[1]) end, flags={'no-writes'}}\n";

  private static ReferenceRedis reference;
  private static Redstart.Handle server;

  @BeforeAll
  static void start() throws Exception {
    reference = ReferenceRedis.start();
    server = Redstart.builder().port(0).start();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (reference != null) reference.close();
  }

  @Test
  void redisDumpRestoresInRedstart() {
    try (Jedis redis = new Jedis("127.0.0.1", reference.port());
        Jedis ours = new Jedis("127.0.0.1", server.port())) {
      redis.functionFlush();
      ours.functionFlush();
      redis.functionLoad(LIB);
      byte[] dump = redis.functionDump();
      assertThat(ours.functionRestore(dump)).isEqualTo("OK");
      assertThat(ours.fcall("hello", List.of(), List.of("world"))).isEqualTo("hello world");
      assertThat(ours.functionList().get(0).getLibraryCode()).isNull();
      assertThat(ours.functionListWithCode().get(0).getLibraryCode()).isEqualTo(LIB);
    }
  }

  @Test
  void redstartDumpRestoresInRedis() {
    try (Jedis redis = new Jedis("127.0.0.1", reference.port());
        Jedis ours = new Jedis("127.0.0.1", server.port())) {
      redis.functionFlush();
      ours.functionFlush();
      ours.functionLoad(LIB);
      byte[] dump = ours.functionDump();
      assertThat(redis.functionRestore(dump)).isEqualTo("OK");
      assertThat(redis.fcall("hello", List.of(), List.of("redis"))).isEqualTo("hello redis");
      // and back again: a dump of a dump restores the same library
      byte[] again = redis.functionDump();
      ours.functionFlush();
      assertThat(ours.functionRestore(again)).isEqualTo("OK");
      assertThat(ours.functionListWithCode().get(0).getLibraryCode()).isEqualTo(LIB);
    }
  }
}
