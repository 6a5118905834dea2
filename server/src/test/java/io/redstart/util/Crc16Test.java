package io.redstart.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.store.HashSlots;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Crc16Test {
  /** The definition, one bit at a time. */
  private static int bitwise(byte[] b, int off, int len) {
    int crc = 0;
    for (int i = off; i < off + len; i++) {
      crc ^= (b[i] & 0xff) << 8;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
      }
    }
    return crc;
  }

  @Test
  void checkValueOfTheXmodemVariant() {
    byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertThat(Crc16.crc16(b, 0, b.length)).isEqualTo(0x31C3);
  }

  @Test
  void twoBytesAtATimeAgreesWithTheBitwiseDefinition() {
    SplittableRandom r = new SplittableRandom(16);
    for (int n = 0; n < 5000; n++) {
      byte[] b = new byte[r.nextInt(48)];
      r.nextBytes(b);
      int off = b.length == 0 ? 0 : r.nextInt(b.length);
      int len = r.nextInt(b.length - off + 1);
      assertThat(Crc16.crc16(b, off, len)).as("length %d", len).isEqualTo(bitwise(b, off, len));
    }
  }

  @Test
  void slotsAsRedisClusterComputesThem() {
    // CLUSTER KEYSLOT answers of redis-server.
    assertThat(HashSlots.slot("foo".getBytes(StandardCharsets.US_ASCII))).isEqualTo(12182);
    assertThat(HashSlots.slot("hello".getBytes(StandardCharsets.US_ASCII))).isEqualTo(866);
    assertThat(HashSlots.slot("{foo}bar".getBytes(StandardCharsets.US_ASCII))).isEqualTo(12182);
  }
}
