package io.redstart.command.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.RawClient;
import io.redstart.util.Clock;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * XADD * takes the server's clock and never goes back: a clock that stands still or moves back
 * gives the last millisecond with the next sequence, as Redis's streamNextID.
 */
class StreamClockTest {
  private static String text(byte[] reply) {
    return new String(reply, StandardCharsets.US_ASCII);
  }

  @Test
  void generatedIdsNeverGoBack() throws Exception {
    AtomicLong millis = new AtomicLong(1_700_000_000_000L);
    Clock clock =
        new Clock() {
          @Override
          public long millis() {
            return millis.get();
          }

          @Override
          public long nanos() {
            return System.nanoTime();
          }
        };
    try (Redstart.Handle server = Redstart.builder().port(0).clock(clock).start();
        RawClient c = RawClient.connect(server.port())) {
      assertThat(text(c.call("XADD", "s", "*", "f", "v"))).isEqualTo("$15\r\n1700000000000-0\r\n");
      assertThat(text(c.call("XADD", "s", "*", "f", "v"))).isEqualTo("$15\r\n1700000000000-1\r\n");
      millis.set(1_600_000_000_000L);
      assertThat(text(c.call("XADD", "s", "*", "f", "v"))).isEqualTo("$15\r\n1700000000000-2\r\n");
      millis.set(1_700_000_000_005L);
      assertThat(text(c.call("XADD", "s", "*", "f", "v"))).isEqualTo("$15\r\n1700000000005-0\r\n");
      assertThat(text(c.call("XADD", "s", "1700000000005-*", "f", "v")))
          .isEqualTo("$15\r\n1700000000005-1\r\n");
      assertThat(text(c.call("XADD", "s", "1700000000009-*", "f", "v")))
          .isEqualTo("$15\r\n1700000000009-0\r\n");
      assertThat(text(c.call("XADD", "s", "*", "f", "v"))).isEqualTo("$15\r\n1700000000009-1\r\n");
    }
  }
}
