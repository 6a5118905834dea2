package io.redstart.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.embedded.Redstart;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.BitCountOption;
import redis.clients.jedis.args.BitOP;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.BitPosParams;

/** The bitmap and HyperLogLog commands through Jedis (RESP2) against an embedded server. */
class BitmapHllJedisTest {
  private static Redstart.Handle server;
  private Jedis jedis;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void connect() {
    jedis = new Jedis("127.0.0.1", server.port());
    jedis.flushAll();
  }

  @AfterEach
  void disconnect() {
    jedis.close();
  }

  @Test
  void bits() {
    assertThat(jedis.setbit("b", 7, true)).isFalse();
    assertThat(jedis.setbit("b", 7, true)).isTrue();
    assertThat(jedis.getbit("b", 7)).isTrue();
    assertThat(jedis.getbit("b", 6)).isFalse();
    assertThat(jedis.get("b".getBytes(StandardCharsets.UTF_8))).containsExactly(1);
    jedis.set("s", "foobar");
    assertThat(jedis.bitcount("s")).isEqualTo(26);
    assertThat(jedis.bitcount("s", 1, 1)).isEqualTo(6);
    assertThat(jedis.bitcount("s", 5, 30, BitCountOption.BIT)).isEqualTo(17);
    assertThat(jedis.bitpos("s", true)).isEqualTo(1);
    assertThat(jedis.bitpos("s", false, new BitPosParams(2, -1))).isEqualTo(16);
    assertThat(jedis.bitpos("s", true, BitPosParams.bitPosParams().start(7).end(15)
            .modifier(BitCountOption.BIT)))
        .isEqualTo(9);
    assertThat(jedis.bitop(BitOP.AND, "d", "s", "b")).isEqualTo(6);
    assertThat(jedis.get("d")).isEqualTo("\u0000\u0000\u0000\u0000\u0000\u0000");
    assertThat(jedis.bitop(BitOP.NOT, "d", "b")).isEqualTo(1);
    assertThat(jedis.get("d".getBytes(StandardCharsets.UTF_8))).containsExactly(0xfe);
    assertThatThrownBy(() -> jedis.bitop(BitOP.DIFF, "d", "s", "b"))
        .isInstanceOf(JedisDataException.class)
        .hasMessage("ERR syntax error");
    assertThatThrownBy(() -> jedis.setbit("b", 4294967296L, true))
        .hasMessage("ERR bit offset is not an integer or out of range");
  }

  @Test
  void bitfields() {
    assertThat(jedis.bitfield("f", "SET", "u8", "0", "255", "INCRBY", "u8", "0", "100", "GET",
            "u8", "0"))
        .containsExactly(0L, 99L, 99L);
    assertThat(jedis.bitfield("f", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "200"))
        .containsExactly((Long) null);
    assertThat(jedis.bitfieldReadonly("f", "GET", "i8", "#0")).containsExactly(99L);
    assertThat(jedis.bitfieldReadonly("nosuch", "GET", "i64", "0")).containsExactly(0L);
    assertThatThrownBy(() -> jedis.bitfieldReadonly("f", "SET", "u8", "0", "1"))
        .hasMessage("ERR BITFIELD_RO only supports the GET subcommand");
    assertThatThrownBy(() -> jedis.bitfield("f", "GET", "u64", "0"))
        .hasMessageStartingWith("ERR Invalid bitfield type.");
  }

  @Test
  void hyperLogLogs() {
    assertThat(jedis.pfadd("h", "a", "b", "c")).isEqualTo(1);
    assertThat(jedis.pfadd("h", "a")).isZero();
    assertThat(jedis.pfcount("h")).isEqualTo(3);
    jedis.pfadd("h2", "c", "d");
    assertThat(jedis.pfcount("h", "h2")).isEqualTo(4);
    assertThat(jedis.pfmerge("m", "h", "h2")).isEqualTo("OK");
    assertThat(jedis.pfcount("m")).isEqualTo(4);
    for (int i = 0; i < 20_000; i += 1000) {
      String[] batch = new String[1000];
      for (int j = 0; j < 1000; j++) batch[j] = "e" + (i + j);
      jedis.pfadd("big", batch);
    }
    assertThat(jedis.strlen("big")).isEqualTo(12304);
    assertThat(jedis.pfcount("big")).isBetween(19_000L, 21_000L);
    jedis.set("s", "x");
    assertThatThrownBy(() -> jedis.pfadd("s", "a"))
        .isInstanceOf(JedisDataException.class)
        .hasMessage("WRONGTYPE Key is not a valid HyperLogLog string value.");
  }
}
