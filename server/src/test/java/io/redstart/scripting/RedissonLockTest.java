package io.redstart.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.command.CommandSpec;
import io.redstart.embedded.Redstart;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Redisson's RLock and RRateLimiter, whose every step is a Lua script (over hashes, sorted sets and
 * pub/sub). Runs once the server has the commands those scripts call.
 */
class RedissonLockTest {
  private static Redstart.Handle server;
  private static RedissonClient redisson;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
    Config config = new Config();
    config.setLockWatchdogTimeout(1_500);
    config.useSingleServer().setAddress("redis://127.0.0.1:" + server.port())
        .setConnectionPoolSize(4).setConnectionMinimumIdleSize(1)
        .setSubscriptionConnectionPoolSize(2).setSubscriptionConnectionMinimumIdleSize(1);
    redisson = Redisson.create(config);
  }

  @AfterAll
  static void stop() {
    if (redisson != null) redisson.shutdown();
    server.close();
  }

  /** Skips until the commands Redisson's scripts need are served (hashes, zsets, pub/sub). */
  private static void assumeCommands(String... names) throws Exception {
    for (String n : names) {
      CommandSpec spec = server.server().call(() -> server.server().dispatcher().lookupByName(n));
      Assumptions.assumeTrue(spec != null && spec.handler != null,
          "Redstart does not serve " + n + " yet (another group's command)");
    }
  }

  @Test
  void lockTryLockWithLeaseAndUnlock() throws Exception {
    assumeCommands("hincrby", "hexists", "pexpire", "publish", "subscribe");
    RLock lock = redisson.getLock("lock:a");
    lock.lock();
    assertThat(lock.isLocked()).isTrue();
    assertThat(lock.isHeldByCurrentThread()).isTrue();
    CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> {
      try {
        return redisson.getLock("lock:a").tryLock(100, 10_000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
    assertThat(other.get(10, TimeUnit.SECONDS)).isFalse();
    lock.unlock();
    assertThat(lock.isLocked()).isFalse();
    assertThat(lock.tryLock(0, 300, TimeUnit.MILLISECONDS)).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (lock.isLocked()) {
      if (System.nanoTime() > deadline) throw new AssertionError("the lease never ended");
      Thread.sleep(20);
    }
  }

  @Test
  void watchdogRenewsAHeldLock() throws Exception {
    assumeCommands("hincrby", "hexists", "pexpire", "publish", "subscribe");
    RLock lock = redisson.getLock("lock:watched");
    lock.lock();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3_500);
      while (System.nanoTime() < deadline) {
        assertThat(lock.remainTimeToLive()).isPositive();
        Thread.sleep(100);
      }
      assertThat(lock.isLocked()).isTrue();
    } finally {
      lock.unlock();
    }
  }

  @Test
  void rateLimiterLetsThroughItsRate() throws Exception {
    assumeCommands("hsetnx", "hget", "zadd", "zrangebyscore", "zremrangebyscore", "publish");
    RRateLimiter limiter = redisson.getRateLimiter("limiter");
    assertThat(limiter.trySetRate(RateType.OVERALL, 3, java.time.Duration.ofSeconds(30))).isTrue();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
  }
}
