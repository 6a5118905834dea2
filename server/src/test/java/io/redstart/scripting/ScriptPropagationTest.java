package io.redstart.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * What scripts send to the AOF and replicas, seen through a Propagator feed: their effects (never
 * the script), one write alone, several wrapped in MULTI/EXEC, nothing for what set_repl excludes.
 */
class ScriptPropagationTest {
  private static Redstart.Handle server;
  private static final List<String> fed = Collections.synchronizedList(new ArrayList<>());
  private Jedis jedis;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
    Propagator.Feed feed = (db, argv) -> {
      StringBuilder sb = new StringBuilder().append(db).append(':');
      for (byte[] a : argv) sb.append(' ').append(new String(a, StandardCharsets.UTF_8));
      fed.add(sb.toString());
    };
    server.server().call(() -> {
      server.server().propagator().addFeed(feed);
      return null;
    });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void connect() {
    jedis = new Jedis("127.0.0.1", server.port());
    jedis.flushAll();
    fed.clear();
  }

  /** What the feed received from the last command (the reply came after propagation). */
  private List<String> fed() {
    synchronized (fed) {
      List<String> copy = new ArrayList<>(fed);
      fed.clear();
      return copy;
    }
  }

  @Test
  void oneWriteGoesAlone() {
    jedis.eval("redis.call('set', KEYS[1], 'v') return redis.call('get', KEYS[1])",
        List.of("k"), List.of());
    assertThat(fed()).containsExactly("0: set k v");
  }

  @Test
  void severalWritesAreWrappedInMultiExec() {
    jedis.eval("redis.call('set', 'a', '1') redis.call('incr', 'a') redis.call('del', 'nokey')"
        + " redis.call('select', '3') redis.call('set', 'b', '2')");
    // EXEC goes in the database of the last command (Redis 7.0's propagatePendingCommands).
    assertThat(fed())
        .containsExactly("0: MULTI", "0: set a 1", "0: incr a", "3: set b 2", "3: EXEC");
  }

  @Test
  void readsPropagateNothing() {
    jedis.set("a", "1");
    fed();
    jedis.eval("return redis.call('get', 'a')");
    String sha = jedis.scriptLoad("return redis.call('exists', 'a')");
    jedis.evalsha(sha);
    assertThat(fed()).isEmpty();
  }

  @Test
  void evalshaPropagatesItsEffectsNotTheScript() {
    String sha = jedis.scriptLoad("return redis.call('incrby', KEYS[1], ARGV[1])");
    jedis.evalsha(sha, List.of("n"), List.of("5"));
    assertThat(fed()).containsExactly("0: incrby n 5");
  }

  @Test
  void setReplNoneKeepsAWriteLocal() {
    jedis.eval("redis.call('set', 'a', '1') redis.set_repl(redis.REPL_NONE)"
        + " redis.call('set', 'b', '2') redis.set_repl(redis.REPL_ALL) redis.call('set', 'c', '3')");
    assertThat(fed()).containsExactly("0: MULTI", "0: set a 1", "0: set c 3", "0: EXEC");
    assertThat(jedis.get("b")).isEqualTo("2");
  }

  @Test
  void writesBeforeAnErrorArePropagated() {
    try {
      jedis.eval("redis.call('set', 'a', '1') error('boom')");
    } catch (RuntimeException expected) {
      assertThat(expected).hasMessageContaining("boom");
    }
    assertThat(fed()).containsExactly("0: set a 1");
  }

  @Test
  void scriptsInsideMultiExecAreOneTransaction() {
    redis.clients.jedis.Transaction t = jedis.multi();
    t.set("x", "1");
    t.eval("redis.call('incr', 'x')");
    t.exec();
    // EXEC itself is never propagated, its writes are, wrapped once.
    assertThat(fed()).containsExactly("0: MULTI", "0: SET x 1", "0: incr x", "0: EXEC");
  }

  @Test
  void functionsPropagateTheirEffects() {
    jedis.functionLoad("#!lua name=w\nredis.register_function('w', function(keys, args)"
        + " return redis.call('set', keys[1], args[1]) end)");
    assertThat(fed()).containsExactly("0: FUNCTION LOAD #!lua name=w\nredis.register_function("
        + "'w', function(keys, args) return redis.call('set', keys[1], args[1]) end)");
    jedis.fcall("w", List.of("k"), List.of("v"));
    assertThat(fed()).containsExactly("0: set k v");
  }
}
