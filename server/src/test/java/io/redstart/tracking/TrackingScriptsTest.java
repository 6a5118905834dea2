package io.redstart.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import org.junit.jupiter.api.Test;

/** Invalidations caused by a script's commands, as Redis attributes them to the script's caller. */
class TrackingScriptsTest {

  @Test
  void noloopSparesTheCallerOfAScriptThatWritesATrackedKey() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        RawClient c = RawClient.connect(h.port())) {
      c.hello3();
      assertThat(Bytes.latin1(c.call("CLIENT", "TRACKING", "ON", "NOLOOP"))).isEqualTo("+OK\r\n");
      c.call("SET", "key1", "1");
      assertThat(Bytes.latin1(c.call("GET", "key1"))).isEqualTo("$1\r\n1\r\n");
      assertThat(Bytes.latin1(c.call("EVAL", "return redis.call('set', 'key1', '2')", "1", "key1")))
          .isEqualTo("+OK\r\n");
      // No push before the next reply.
      assertThat(Bytes.latin1(c.call("GET", "key1"))).isEqualTo("$1\r\n2\r\n");
    }
  }

  @Test
  void withoutNoloopTheCallerHearsOfItsScriptsWriteAfterTheReply() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        RawClient c = RawClient.connect(h.port())) {
      c.hello3();
      c.call("CLIENT", "TRACKING", "ON");
      c.call("SET", "key1", "1");
      c.call("GET", "key1");
      assertThat(Bytes.latin1(c.call("EVAL", "return redis.call('set', 'key1', '2')", "1", "key1")))
          .isEqualTo("+OK\r\n");
      assertThat(Bytes.latin1(c.read())).isEqualTo(">2\r\n$10\r\ninvalidate\r\n*1\r\n$4\r\nkey1\r\n");
    }
  }
}
