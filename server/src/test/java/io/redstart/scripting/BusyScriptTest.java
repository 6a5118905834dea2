package io.redstart.scripting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.embedded.Redstart;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Scripts that run past busy-reply-threshold: other clients get BUSY, SCRIPT KILL / FUNCTION
 * KILL stop a script that has not written, UNKILLABLE otherwise, and SHUTDOWN NOSAVE still works.
 */
class BusyScriptTest {
  private static final String BUSY_EVAL =
      "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
  private static final String BUSY_FUNCTION =
      "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

  private Redstart.Handle server;

  @BeforeEach
  void start() throws Exception {
    server = Redstart.builder().port(0).config("busy-reply-threshold", "100").start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Jedis client() {
    return new Jedis(
        new HostAndPort("127.0.0.1", server.port()),
        DefaultJedisClientConfig.builder().socketTimeoutMillis(30_000).build());
  }

  /** Runs {@code call} on another thread; its result or its exception's message. */
  private static CompletableFuture<String> async(Supplier<Object> call) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return String.valueOf(call.get());
      } catch (RuntimeException e) {
        return e.getMessage();
      }
    });
  }

  /** Polls PING until it answers BUSY (within 10 s). */
  private static void awaitBusy(Jedis other, String busy) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        other.ping();
      } catch (RuntimeException e) {
        assertThat(e).hasMessage(busy);
        return;
      }
      if (System.nanoTime() > deadline) throw new AssertionError("the script never got busy");
      Thread.sleep(10);
    }
  }

  @Test
  void scriptKillStopsABusyScript() throws Exception {
    try (Jedis runner = client(); Jedis other = client()) {
      CompletableFuture<String> result = async(() -> runner.eval("while true do end"));
      awaitBusy(other, BUSY_EVAL);
      assertThatThrownBy(() -> other.get("k")).hasMessage(BUSY_EVAL);
      assertThatThrownBy(other::functionKill).hasMessage(BUSY_EVAL);
      assertThatThrownBy(() -> other.functionStats()).hasMessage(BUSY_EVAL);
      assertThat(other.scriptKill()).isEqualTo("OK");
      assertThat(result.get(10, TimeUnit.SECONDS))
          .startsWith("ERR Script killed by user with SCRIPT KILL... script: ");
      assertThat(other.ping()).isEqualTo("PONG");
      assertThat(runner.ping()).isEqualTo("PONG");
      assertThatThrownBy(other::scriptKill).hasMessage("NOTBUSY No scripts in execution right now.");
    }
  }

  @Test
  void aKilledScriptCannotCatchItsDeathWithPcall() throws Exception {
    try (Jedis runner = client(); Jedis other = client()) {
      CompletableFuture<String> result =
          async(() -> runner.eval("while true do pcall(function() while true do end end) end"));
      awaitBusy(other, BUSY_EVAL);
      assertThat(other.scriptKill()).isEqualTo("OK");
      assertThat(result.get(10, TimeUnit.SECONDS)).contains("Script killed by user");
    }
  }

  @Test
  void aScriptThatWroteIsUnkillableButShutdownNosaveWorks() throws Exception {
    try (Jedis runner = client(); Jedis other = client()) {
      CompletableFuture<String> result =
          async(() -> runner.eval("redis.call('set', 'x', '1') while true do end"));
      awaitBusy(other, BUSY_EVAL);
      assertThatThrownBy(other::scriptKill)
          .hasMessage("UNKILLABLE Sorry the script already executed write commands against the"
              + " dataset. You can either wait the script termination or kill the server in a hard"
              + " way using the SHUTDOWN NOSAVE command.");
      assertThatThrownBy(other::shutdown).hasMessage(BUSY_EVAL);
      try {
        other.shutdownAbort();
      } catch (RuntimeException ignored) {
        // SHUTDOWN ABORT is refused while busy too
      }
      try {
        other.sendCommand(redis.clients.jedis.Protocol.Command.SHUTDOWN, "NOSAVE");
      } catch (RuntimeException closed) {
        // the server closes the connection as it stops
      }
      assertThat(server.server().awaitStop(10_000)).isTrue();
      assertThat(result.get(10, TimeUnit.SECONDS)).isNotEqualTo("OK");
    }
  }

  @Test
  void functionKillStopsABusyFunction() throws Exception {
    try (Jedis runner = client(); Jedis other = client()) {
      runner.functionLoad(
          "#!lua name=spin\nredis.register_function('spin', function() while true do end end)");
      CompletableFuture<String> result = async(() -> runner.fcall("spin", List.of(), List.of()));
      awaitBusy(other, BUSY_FUNCTION);
      assertThatThrownBy(other::scriptKill).hasMessage(BUSY_FUNCTION);
      assertThat(other.functionStats().getRunningScript()).containsEntry("name", "spin");
      assertThat(other.functionKill()).isEqualTo("OK");
      assertThat(result.get(10, TimeUnit.SECONDS)).contains("Script killed by user");
    }
  }

  @Test
  void aSlowScriptThatEndsLetsEveryoneGoOn() throws Exception {
    try (Jedis runner = client(); Jedis other = client()) {
      runner.set("before", "1");
      CompletableFuture<String> result = async(() -> runner.eval(
          "local t = redis.call('time') local n = 0"
              + " while true do n = n + 1 local now = redis.call('time')"
              + " if (now[1] - t[1]) * 1000000 + (now[2] - t[2]) > 400000 then break end end"
              + " return redis.call('incr', 'counter')"));
      awaitBusy(other, BUSY_EVAL);
      assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("1");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (true) {
        try {
          assertThat(other.get("counter")).isEqualTo("1");
          break;
        } catch (RuntimeException e) {
          if (System.nanoTime() > deadline) throw e;
          Thread.sleep(10);
        }
      }
      assertThat(runner.get("before")).isEqualTo("1");
    }
  }
}
