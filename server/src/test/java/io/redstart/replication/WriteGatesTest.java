package io.redstart.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import org.junit.jupiter.api.Test;

/**
 * min-replicas-to-write treats an EXEC with a queued write as a write (processCommand's
 * is_write_command), with the replies of redis-server 7.0.15.
 */
class WriteGatesTest {
  private static String call(RawClient c, String... argv) throws Exception {
    return Bytes.latin1(c.call(argv));
  }

  @Test
  void anExecWithAQueuedWriteIsRefusedWhenReplicasGoMissingMeanwhile() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        RawClient a = RawClient.connect(h.port());
        RawClient b = RawClient.connect(h.port())) {
      assertThat(call(a, "MULTI")).isEqualTo("+OK\r\n");
      assertThat(call(a, "SET", "k", "v")).isEqualTo("+QUEUED\r\n");
      assertThat(call(b, "CONFIG", "SET", "min-replicas-to-write", "2")).isEqualTo("+OK\r\n");
      assertThat(call(a, "EXEC")).isEqualTo(
          "-EXECABORT Transaction discarded because of: NOREPLICAS Not enough good replicas to"
              + " write.\r\n");
      assertThat(call(a, "MULTI")).isEqualTo("+OK\r\n");
      assertThat(call(a, "GET", "k")).isEqualTo("+QUEUED\r\n");
      assertThat(call(a, "EXEC")).isEqualTo("*1\r\n$-1\r\n");
      assertThat(call(a, "SET", "k", "v"))
          .isEqualTo("-NOREPLICAS Not enough good replicas to write.\r\n");
    }
  }

  @Test
  void aQueuedScriptCountsAsAWriteByTheFlagsItDeclares() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        RawClient a = RawClient.connect(h.port());
        RawClient b = RawClient.connect(h.port())) {
      assertThat(call(a, "MULTI")).isEqualTo("+OK\r\n");
      assertThat(call(a, "EVAL", "#!lua\nreturn redis.call('set','k','v')", "1", "k"))
          .isEqualTo("+QUEUED\r\n");
      assertThat(call(b, "CONFIG", "SET", "min-replicas-to-write", "2")).isEqualTo("+OK\r\n");
      assertThat(call(a, "EXEC")).isEqualTo(
          "-EXECABORT Transaction discarded because of: NOREPLICAS Not enough good replicas to"
              + " write.\r\n");
      // Without a shebang, or declaring no-writes, a script is no write.
      assertThat(call(a, "MULTI")).isEqualTo("+OK\r\n");
      assertThat(call(a, "EVAL", "return redis.call('get','k')", "0")).isEqualTo("+QUEUED\r\n");
      assertThat(call(a, "EXEC")).isEqualTo("*1\r\n$-1\r\n");
      assertThat(call(a, "MULTI")).isEqualTo("+OK\r\n");
      assertThat(call(a, "EVAL", "#!lua flags=no-writes\nreturn redis.call('get','k')", "1", "k"))
          .isEqualTo("+QUEUED\r\n");
      assertThat(call(a, "EXEC")).isEqualTo("*1\r\n$-1\r\n");
    }
  }
}
