package io.redstart.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import org.junit.jupiter.api.Test;

/** CLIENT LIST / CLIENT INFO fields that Redis's own tests read, over real connections. */
class IntrospectionTest {

  private static String field(String line, String name) {
    return line.replaceAll("(?s).* " + name + "=(\\S*) .*", "$1");
  }

  @Test
  void qbufCountsTheCommandsOfTheRunningBatch() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        RawClient c = RawClient.connect(h.port())) {
      // *2 $6 CLIENT $4 INFO: 26 bytes, still in the buffer while it runs (as in Redis).
      assertThat(field(Bytes.latin1(c.call("CLIENT", "INFO")), "qbuf")).isEqualTo("26");
      // Pipelined with PING in one write: the whole read, 14 + 26 bytes.
      c.sendRaw("*1\r\n$4\r\nPING\r\n*2\r\n$6\r\nCLIENT\r\n$4\r\nINFO\r\n");
      assertThat(Bytes.latin1(c.read())).isEqualTo("+PONG\r\n");
      assertThat(field(Bytes.latin1(c.read()), "qbuf")).isEqualTo("40");
      c.sendRaw("CLIENT INFO\r\n");
      assertThat(field(Bytes.latin1(c.read()), "qbuf")).isEqualTo("13");
      try (RawClient other = RawClient.connect(h.port())) {
        other.call("PING");
        String otherId = Bytes.latin1(other.call("CLIENT", "ID")).replaceAll("[^0-9]", "");
        String list = Bytes.latin1(c.call("CLIENT", "LIST", "ID", otherId));
        assertThat(field(list, "qbuf")).isEqualTo("0");
      }
    }
  }

  @Test
  void configSetBindToTheAddressesItHasKeepsListening() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).config("bind", "127.0.0.1").start();
        RawClient c = RawClient.connect(h.port())) {
      c.call("CONFIG", "SET", "port", Integer.toString(h.port()));
      assertThat(Bytes.latin1(c.call("CONFIG", "SET", "bind", "127.0.0.1"))).isEqualTo("+OK\r\n");
      try (RawClient again = RawClient.connect(h.port())) {
        assertThat(Bytes.latin1(again.call("PING"))).isEqualTo("+PONG\r\n");
      }
      // A refused change leaves the listener as it was.
      assertThat(Bytes.latin1(c.call("CONFIG", "SET", "bind", "192.0.2.1")))
          .startsWith("-ERR CONFIG SET failed (possibly related to argument 'bind')");
      try (RawClient again = RawClient.connect(h.port())) {
        assertThat(Bytes.latin1(again.call("PING"))).isEqualTo("+PONG\r\n");
      }
    }
  }

  @Test
  void argumentsOfACommandStillArrivingCountAsArgvMemAndAgainstMaxmemory() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        RawClient c = RawClient.connect(h.port());
        RawClient partial = RawClient.connect(h.port())) {
      partial.call("CLIENT", "SETNAME", "partial");
      // Data, then a limit 100 KB above what the server uses: nothing to evict yet.
      c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
      for (int j = 0; j < 20; j++) c.call("SETRANGE", "k" + j, "10000", "x");
      long used = Long.parseLong(
          Bytes.latin1(c.call("INFO", "memory")).replaceAll("(?s).*used_memory:(\\d+).*", "$1"));
      c.call("CONFIG", "SET", "maxmemory", Long.toString(used + 100_000));
      assertThat(Bytes.latin1(c.call("INFO", "stats"))).contains("evicted_keys:0\r\n");
      // 200 KB of arguments of a command that never completes.
      String x = "x".repeat(1000);
      StringBuilder sb = new StringBuilder("*250\r\n");
      for (int j = 0; j < 200; j++) sb.append("$1000\r\n").append(x).append("\r\n");
      partial.sendRaw(sb.toString());
      long deadline = System.nanoTime() + 10_000_000_000L;
      String line;
      do {
        assertThat(System.nanoTime()).isLessThan(deadline);
        line = Bytes.latin1(c.call("CLIENT", "LIST")).lines()
            .filter(l -> l.contains(" name=partial ")).findFirst().orElseThrow();
      } while (!field(line, "argv-mem").equals("200000"));
      assertThat(Long.parseLong(field(line, "tot-mem"))).isGreaterThan(200_000);
      // The running command's own arguments: CLIENT INFO is 10 bytes.
      assertThat(field(Bytes.latin1(c.call("CLIENT", "INFO")), "argv-mem")).isEqualTo("10");
      // They push the server over its limit: keys are evicted.
      do {
        assertThat(System.nanoTime()).isLessThan(deadline);
        c.call("PING");
      } while (Bytes.latin1(c.call("INFO", "stats")).contains("evicted_keys:0\r\n"));
      c.call("CONFIG", "SET", "maxmemory", "0");
    }
  }

  @Test
  void clientsHeldByAPauseCountAsBlocked() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        RawClient c = RawClient.connect(h.port());
        RawClient writer = RawClient.connect(h.port())) {
      c.call("CLIENT", "PAUSE", "60000", "WRITE");
      writer.send("SET", "foo", "bar");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!Bytes.latin1(c.call("INFO", "clients")).contains("blocked_clients:1\r\n")) {
        assertThat(System.nanoTime()).isLessThan(deadline);
      }
      c.call("CLIENT", "UNPAUSE");
      assertThat(Bytes.latin1(writer.read())).isEqualTo("+OK\r\n");
      assertThat(Bytes.latin1(c.call("INFO", "clients"))).contains("blocked_clients:0\r\n");
    }
  }

  @Test
  void execOfQueuedWritesWaitsForAWritePause() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        RawClient c = RawClient.connect(h.port());
        RawClient tx = RawClient.connect(h.port())) {
      tx.call("MULTI");
      assertThat(Bytes.latin1(tx.call("SET", "foo", "bar"))).isEqualTo("+QUEUED\r\n");
      c.call("CLIENT", "PAUSE", "60000", "WRITE");
      tx.send("EXEC");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!Bytes.latin1(c.call("INFO", "clients")).contains("blocked_clients:1\r\n")) {
        assertThat(System.nanoTime()).isLessThan(deadline);
      }
      assertThat(Bytes.latin1(c.call("EXISTS", "foo"))).isEqualTo(":0\r\n");
      c.call("CLIENT", "UNPAUSE");
      assertThat(Bytes.latin1(tx.read())).isEqualTo("*1\r\n+OK\r\n");
      // Only reads queued: EXEC runs during the pause.
      c.call("CLIENT", "PAUSE", "60000", "WRITE");
      tx.call("MULTI");
      tx.call("GET", "foo");
      assertThat(Bytes.latin1(tx.call("EXEC"))).isEqualTo("*1\r\n$3\r\nbar\r\n");
      c.call("CLIENT", "UNPAUSE");
    }
  }

  @Test
  void aWritePauseHoldsScriptsThatMayWriteOnly() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        RawClient c = RawClient.connect(h.port());
        RawClient other = RawClient.connect(h.port())) {
      c.call("SET", "x", "y");
      c.call(
          "FUNCTION", "LOAD",
          "#!lua name=f1\nredis.register_function{function_name='f1', callback=function() return"
              + " 'hello' end, flags={'no-writes'}}");
      c.call("CLIENT", "PAUSE", "60000", "WRITE");
      assertThat(Bytes.latin1(c.call("EVAL", "#!lua flags=no-writes\nreturn 1", "0")))
          .isEqualTo(":1\r\n");
      assertThat(Bytes.latin1(c.call("EVAL_RO", "return redis.call('get', 'x')", "1", "x")))
          .isEqualTo("$1\r\ny\r\n");
      assertThat(Bytes.latin1(c.call("FCALL", "f1", "0"))).isEqualTo("$5\r\nhello\r\n");
      // Without no-writes (or without a shebang) a script waits.
      other.send("EVAL", "#!lua\nreturn 2", "0");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!Bytes.latin1(c.call("INFO", "clients")).contains("blocked_clients:1\r\n")) {
        assertThat(System.nanoTime()).isLessThan(deadline);
      }
      c.call("CLIENT", "UNPAUSE");
      assertThat(Bytes.latin1(other.read())).isEqualTo(":2\r\n");
    }
  }

  @Test
  void expiredKeysStayUncountedDuringAPause() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        RawClient c = RawClient.connect(h.port())) {
      c.call("MULTI");
      c.call("SET", "foo", "bar", "PX", "10");
      c.call("CLIENT", "PAUSE", "50000", "WRITE");
      c.call("EXEC");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!Bytes.latin1(c.call("GET", "foo")).equals("$-1\r\n")) {
        assertThat(System.nanoTime()).isLessThan(deadline);
      }
      assertThat(Bytes.latin1(c.call("INFO", "stats"))).contains("expired_keys:0\r\n");
      assertThat(Bytes.latin1(c.call("DBSIZE"))).isEqualTo(":1\r\n");
      c.call("CLIENT", "UNPAUSE");
      assertThat(Bytes.latin1(c.call("GET", "foo"))).isEqualTo("$-1\r\n");
      assertThat(Bytes.latin1(c.call("INFO", "stats"))).contains("expired_keys:1\r\n");
    }
  }
}
