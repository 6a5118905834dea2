package io.redstart.persistence.aof;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The AOF command reader: statuses, offsets, annotations, and damaged input of every kind. */
class AofReaderTest {
  private static final String LOG = "#TS:1700000000\r\n"
      + "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
      + "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n"
      + "*1\r\n$5\r\nMULTI\r\n"
      + "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n"
      + "*1\r\n$4\r\nEXEC\r\n";

  private static AofReader reader(byte[] b) {
    return new AofReader(new ByteArrayInputStream(b), 0, b.length);
  }

  @Test
  void readsCommandsAndTracksTheLastWholeOne() throws Exception {
    byte[] b = LOG.getBytes(StandardCharsets.ISO_8859_1);
    AofReader r = reader(b);
    int n = 0;
    AofReader.Status s;
    while ((s = r.next()) == AofReader.Status.COMMAND) n++;
    assertThat(s).isEqualTo(AofReader.Status.END);
    assertThat(n).isEqualTo(5);
    assertThat(r.validUpTo()).isEqualTo(b.length);
    assertThat(r.lastTimestamp()).isEqualTo(1700000000L);
  }

  @Test
  void everyCutIsTruncatedAtTheLastWholeCommand() throws Exception {
    byte[] b = LOG.getBytes(StandardCharsets.ISO_8859_1);
    for (int cut = 0; cut < b.length; cut++) {
      AofReader r = reader(Arrays.copyOf(b, cut));
      AofReader.Status s;
      do {
        s = r.next();
      } while (s == AofReader.Status.COMMAND);
      assertThat(s).as("cut at %d", cut).isIn(AofReader.Status.END, AofReader.Status.TRUNCATED);
      assertThat(r.validUpTo()).isLessThanOrEqualTo(cut);
      if (s == AofReader.Status.END) {
        // Only a cut at a line end or inside an annotation line reads as complete: Redis skips
        // an annotation it meets at the end of the file, even an unfinished one.
        assertThat(LOG.substring(0, cut)).matches("(?s)(.*\\r\\n)?(#[^\\r\\n]*\\r?)?");
      }
    }
  }

  @Test
  void garbageIsABadFormatNeverACrash() throws Exception {
    byte[] good = LOG.getBytes(StandardCharsets.ISO_8859_1);
    assertThat(statusOf(bytes("?junk\r\n"))).isEqualTo(AofReader.Status.BAD_FORMAT);
    assertThat(statusOf(bytes("*0\r\n"))).isEqualTo(AofReader.Status.BAD_FORMAT);
    assertThat(statusOf(bytes("*1\r\n+x\r\n"))).isEqualTo(AofReader.Status.BAD_FORMAT);
    assertThat(statusOf(bytes("*1\r\n$-5\r\n"))).isEqualTo(AofReader.Status.BAD_FORMAT);
    // A length beyond the file is a cut, allocated never.
    assertThat(statusOf(bytes("*1\r\n$2000000000\r\nab")))
        .isEqualTo(AofReader.Status.TRUNCATED);
    Random r = new Random(5);
    for (int n = 0; n < 5000; n++) {
      byte[] bad = good.clone();
      bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
      AofReader rd = reader(bad);
      AofReader.Status st;
      do {
        st = rd.next();
      } while (st == AofReader.Status.COMMAND);
      assertThat(st)
          .isIn(AofReader.Status.END, AofReader.Status.TRUNCATED, AofReader.Status.BAD_FORMAT);
      assertThat(rd.validUpTo()).isBetween(0L, (long) bad.length);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static AofReader.Status statusOf(byte[] b) throws Exception {
    AofReader r = reader(b);
    AofReader.Status s;
    do {
      s = r.next();
    } while (s == AofReader.Status.COMMAND);
    return s;
  }
}
