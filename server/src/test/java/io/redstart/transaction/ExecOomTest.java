package io.redstart.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import org.junit.jupiter.api.Test;

/** EXEC under maxmemory: refused as a whole when a queued command may grow memory. */
class ExecOomTest {

  @Test
  void execWithAQueuedDenyOomCommandIsAbortedWhenOutOfMemory() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        RawClient c = RawClient.connect(h.port());
        RawClient admin = RawClient.connect(h.port())) {
      c.call("MULTI");
      c.call("SET", "x", "1");
      c.call("GET", "x");
      admin.call("CONFIG", "SET", "maxmemory", "1");
      assertThat(Bytes.latin1(c.call("EXEC")))
          .isEqualTo(
              "-EXECABORT Transaction discarded because of: OOM command not allowed when used"
                  + " memory > 'maxmemory'.\r\n");
      // Out of memory, even a read is refused while queueing (as Redis), and EXEC says so.
      c.call("MULTI");
      assertThat(Bytes.latin1(c.call("GET", "x"))).startsWith("-OOM ");
      assertThat(Bytes.latin1(c.call("EXEC")))
          .isEqualTo("-EXECABORT Transaction discarded because of previous errors.\r\n");
      admin.call("CONFIG", "SET", "maxmemory", "0");
      assertThat(Bytes.latin1(c.call("SET", "x", "1"))).isEqualTo("+OK\r\n");
    }
  }
}
