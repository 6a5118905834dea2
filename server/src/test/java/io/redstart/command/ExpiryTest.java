package io.redstart.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Lazy and active expiry, with the counters INFO reports. */
class ExpiryTest {
  private static Redstart.Handle server;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).config("hz", "100").config("enable-debug-command", "yes").start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static final redis.clients.jedis.commands.ProtocolCommand DEBUG =
      () -> "DEBUG".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Server time in ms from TIME. */
  private static long serverMillis(Jedis j) {
    var t = j.time();
    return Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000;
  }

  private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met in " + timeout);
      Thread.sleep(10);
    }
  }

  private static long infoField(Jedis j, String section, String field) {
    for (String line : j.info(section).split("\r\n")) {
      if (line.startsWith(field + ":")) return Long.parseLong(line.substring(field.length() + 1));
    }
    throw new AssertionError("no field " + field);
  }

  @Test
  void activeExpiryReclaimsKeysNobodyTouches() throws Exception {
    try (Jedis j = new Jedis("127.0.0.1", server.port())) {
      j.flushAll();
      long before = infoField(j, "stats", "expired_keys");
      for (int i = 0; i < 2000; i++) {
        j.set("volatile:" + i, "v", redis.clients.jedis.params.SetParams.setParams().px(50));
      }
      for (int i = 0; i < 100; i++) j.set("persistent:" + i, "v");
      await(() -> j.dbSize() == 100, Duration.ofSeconds(10));
      assertThat(infoField(j, "stats", "expired_keys") - before).isEqualTo(2000);
      assertThat(j.info("keyspace")).contains("db0:keys=100,expires=0");
    }
  }

  @Test
  void lazyExpiryOnAccessWhenActiveExpiryIsOff() throws Exception {
    try (Jedis j = new Jedis("127.0.0.1", server.port())) {
      j.flushAll();
      j.sendCommand(DEBUG, "SET-ACTIVE-EXPIRE", "0");
      try {
        long deadline = serverMillis(j) + 20;
        j.set("k", "v", redis.clients.jedis.params.SetParams.setParams().pxAt(deadline));
        await(() -> serverMillis(j) > deadline, Duration.ofSeconds(5));
        assertThat(j.dbSize()).isEqualTo(1);
        long misses = infoField(j, "stats", "keyspace_misses");
        assertThat(j.get("k")).isNull();
        assertThat(j.dbSize()).isZero();
        assertThat(infoField(j, "stats", "keyspace_misses")).isEqualTo(misses + 1);
      } finally {
        j.sendCommand(DEBUG, "SET-ACTIVE-EXPIRE", "1");
      }
    }
  }

  @Test
  void expireInThePastDeletes() {
    try (Jedis j = new Jedis("127.0.0.1", server.port())) {
      j.flushAll();
      j.set("k", "v");
      assertThat(j.expire("k", -1)).isEqualTo(1);
      assertThat(j.exists("k")).isFalse();
      j.set("k", "v");
      assertThat(j.pexpireAt("k", 1)).isEqualTo(1);
      assertThat(j.exists("k")).isFalse();
    }
  }
}
