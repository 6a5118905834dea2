package io.redstart.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.embedded.Redstart;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/** maxmemory and its policies, through a real client. */
class EvictionTest {
  private static long info(Jedis j, String field) {
    for (String line : j.info().split("\r\n")) {
      if (line.startsWith(field + ":")) return Long.parseLong(line.substring(field.length() + 1));
    }
    throw new AssertionError(field);
  }

  @Test
  void allkeysLruKeepsMemoryUnderTheLimitAndKeepsRecentlyReadKeys() throws Exception {
    try (Redstart.Handle h =
            Redstart.builder().port(0).config("maxmemory", "4mb").config("maxmemory-policy", "allkeys-lru").start();
        Jedis j = new Jedis("127.0.0.1", h.port())) {
      String value = "v".repeat(100);
      // A hot set, read continuously, must survive while cold keys are evicted.
      for (int i = 0; i < 200; i++) j.set("hot:" + i, value);
      for (int i = 0; i < 60_000; i++) {
        j.set("cold:" + i, value);
        if (i % 50 == 0) {
          for (int k = 0; k < 200; k++) j.get("hot:" + k);
        }
        if (i == 30_000) j.configSet("maxmemory-samples", "10");
      }
      assertThat(info(j, "used_memory")).isLessThanOrEqualTo(4L * 1024 * 1024);
      assertThat(info(j, "evicted_keys")).isGreaterThan(1000);
      assertThat(j.dbSize()).isLessThan(60_200);
    }
  }

  @Test
  void noevictionAndVolatileWithoutTtlsRefuseWrites() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).config("maxmemory", "2mb").start();
        Jedis j = new Jedis("127.0.0.1", h.port())) {
      String value = "v".repeat(1000);
      assertThatThrownBy(() -> {
            for (int i = 0; i < 100_000; i++) j.set("k" + i, value);
          })
          .hasMessage("OOM command not allowed when used memory > 'maxmemory'.");
      // Reads and deletes still work.
      assertThat(j.get("k0")).isEqualTo(value);
      assertThat(j.del("k0")).isEqualTo(1);
      j.configSet("maxmemory-policy", "volatile-lru");
      assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) j.set("more" + i, value);
          })
          .hasMessage("OOM command not allowed when used memory > 'maxmemory'.");
      // With keys that have a TTL, volatile-lru evicts those and only those.
      j.flushAll();
      for (int i = 0; i < 200; i++) j.set("keep" + i, "x");
      for (int i = 0; i < 5000; i++) j.set("ttl" + i, value, SetParams.setParams().ex(1000));
      for (int i = 0; i < 200; i++) assertThat(j.get("keep" + i)).isEqualTo("x");
      assertThat(info(j, "evicted_keys")).isGreaterThan(0);
    }
  }
}
