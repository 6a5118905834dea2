package io.redstart.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.util.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Statistical checks of the approximated LRU and LFU policies, with a clock the test moves:
 * keys read recently (LRU) or often (LFU) survive eviction at a high rate, as in Redis.
 */
class LruLfuPolicyTest {
  /** A clock that starts now and moves only when told. */
  static final class ManualClock implements Clock {
    final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public long nanos() {
      return System.nanoTime();
    }

    void advanceSeconds(long s) {
      millis.addAndGet(s * 1000);
    }
  }

  private static int surviving(Jedis j, String prefix, int n) {
    int alive = 0;
    for (int i = 0; i < n; i++) if (j.exists(prefix + i)) alive++;
    return alive;
  }

  @Test
  void allkeysLruKeepsRecentlyReadKeys() throws Exception {
    ManualClock clock = new ManualClock();
    try (Redstart.Handle h = Redstart.builder().port(0).clock(clock)
            .config("maxmemory-policy", "allkeys-lru").config("maxmemory-samples", "10").start();
        Jedis j = new Jedis("127.0.0.1", h.port())) {
      String v = "v".repeat(200);
      for (int i = 0; i < 5000; i++) j.set("old:" + i, v);
      for (int i = 0; i < 1000; i++) j.set("hot:" + i, v);
      clock.advanceSeconds(600);
      // Touch the hot keys ten minutes later than everything else was written.
      for (int i = 0; i < 1000; i++) j.get("hot:" + i);
      clock.advanceSeconds(60);
      String info = j.info("memory");
      long usedMemory = Long.parseLong(info.split("used_memory:")[1].split("\r\n")[0]);
      // Squeeze: limit to a little less than now, then add new keys: old ones must go first.
      j.configSet("maxmemory", Long.toString(usedMemory - 200_000));
      for (int i = 0; i < 2000; i++) j.set("new:" + i, v);
      int hot = surviving(j, "hot:", 1000);
      int old = surviving(j, "old:", 5000);
      assertThat(hot).as("hot keys surviving").isGreaterThan(950);
      assertThat(old).as("old keys surviving").isLessThan(5000 - 1500);
    }
  }

  @Test
  void allkeysLfuKeepsFrequentlyReadKeysAndCountersDecay() throws Exception {
    ManualClock clock = new ManualClock();
    try (Redstart.Handle h = Redstart.builder().port(0).clock(clock)
            .config("maxmemory-policy", "allkeys-lfu").config("maxmemory-samples", "10")
            .config("lfu-decay-time", "1").start();
        Jedis j = new Jedis("127.0.0.1", h.port())) {
      String v = "v".repeat(200);
      for (int i = 0; i < 5000; i++) j.set("rare:" + i, v);
      for (int i = 0; i < 500; i++) j.set("freq:" + i, v);
      for (int round = 0; round < 50; round++) {
        for (int i = 0; i < 500; i++) j.get("freq:" + i);
      }
      long freq = j.objectFreq("freq:0");
      long rare = j.objectFreq("rare:0");
      assertThat(freq).isGreaterThan(rare);
      // Logarithmic: 50 reads do not give a counter of 50 (lfu-log-factor 10).
      assertThat(freq).isLessThan(40);
      String info = j.info("memory");
      long usedMemory = Long.parseLong(info.split("used_memory:")[1].split("\r\n")[0]);
      j.configSet("maxmemory", Long.toString(usedMemory - 200_000));
      for (int i = 0; i < 2000; i++) j.set("new:" + i, v);
      assertThat(surviving(j, "freq:", 500)).as("frequent keys surviving").isGreaterThan(475);
      // Decay: one period per minute of idleness (lfu-decay-time 1).
      long before = j.objectFreq("freq:1");
      clock.advanceSeconds(5 * 60);
      assertThat(j.objectFreq("freq:1")).isEqualTo(Math.max(0, before - 5));
    }
  }
}
