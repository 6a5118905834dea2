package io.redstart.persistence.aof;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batches of an AOF rewrite: at most 64 items a command, pairs never split. */
class AofBodyTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static List<byte[][]> batch(int width, int items) throws Exception {
    List<byte[][]> commands = new ArrayList<>();
    AofBody.Batcher batcher = new AofBody.Batcher(commands::add, b("CMD"), b("key"), width);
    for (int i = 0; i < items * width; i++) batcher.add(b("e" + i));
    batcher.finish();
    return commands;
  }

  @Test
  void singlesGoSixtyFourToACommand() throws Exception {
    List<byte[][]> commands = batch(1, 130);
    assertThat(commands).hasSize(3);
    assertThat(commands.get(0).length).isEqualTo(2 + 64);
    assertThat(commands.get(1).length).isEqualTo(2 + 64);
    assertThat(commands.get(2).length).isEqualTo(2 + 2);
    assertThat(new String(commands.get(0)[0], StandardCharsets.US_ASCII)).isEqualTo("CMD");
    assertThat(new String(commands.get(0)[1], StandardCharsets.US_ASCII)).isEqualTo("key");
    assertThat(new String(commands.get(1)[2], StandardCharsets.US_ASCII)).isEqualTo("e64");
    assertThat(new String(commands.get(2)[3], StandardCharsets.US_ASCII)).isEqualTo("e129");
  }

  @Test
  void pairsGoSixtyFourPairsToACommand() throws Exception {
    List<byte[][]> commands = batch(2, 64);
    assertThat(commands).hasSize(1);
    assertThat(commands.get(0).length).isEqualTo(2 + 128);
    commands = batch(2, 65);
    assertThat(commands).hasSize(2);
    assertThat(commands.get(1).length).isEqualTo(2 + 2);
    assertThat(new String(commands.get(1)[2], StandardCharsets.US_ASCII)).isEqualTo("e128");
  }

  @Test
  void nothingAddedIsNoCommand() throws Exception {
    assertThat(batch(1, 0)).isEmpty();
  }
}
