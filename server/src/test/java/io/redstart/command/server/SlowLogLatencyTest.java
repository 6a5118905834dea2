package io.redstart.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SLOWLOG entries (arguments as sent, trimmed and redacted, client address and name, blocked
 * commands logged once when served), LATENCY events and DEBUG OBJECT's address, over real
 * connections.
 */
class SlowLogLatencyTest {

  private static String s(byte[] reply) {
    return Bytes.latin1(reply);
  }

  private static String addr(RawClient c) throws Exception {
    return s(c.call("CLIENT", "INFO")).replaceAll("(?s).* addr=(\\S+) .*", "$1");
  }

  @Test
  void entryHoldsArgumentsAddressAndName() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).config("enable-debug-command", "yes").start();
        RawClient c = RawClient.connect(h.port())) {
      c.call("CLIENT", "SETNAME", "worker");
      String peer = addr(c);
      c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
      assertThat(s(c.call("SLOWLOG", "RESET"))).isEqualTo("+OK\r\n");
      c.call("SET", "k", "v");
      String one = s(c.call("SLOWLOG", "GET", "1"));
      // [[id, time, micros, [SET k v], addr, name]]; CONFIG SET and SLOWLOG RESET are 0 and 1.
      assertThat(one)
          .matches(
              "(?s)\\*1\r\n\\*6\r\n:2\r\n:\\d+\r\n:\\d+\r\n\\*3\r\n\\$3\r\nSET\r\n\\$1\r\nk\r\n"
                  + "\\$1\r\nv\r\n\\$\\d+\r\n"
                  + java.util.regex.Pattern.quote(peer)
                  + "\r\n\\$6\r\nworker\r\n");
      assertThat(s(c.call("SLOWLOG", "LEN"))).isEqualTo(":3\r\n");
      c.call("CONFIG", "SET", "slowlog-max-len", "2");
      assertThat(s(c.call("SLOWLOG", "LEN"))).isEqualTo(":2\r\n");
      c.call("CONFIG", "SET", "slowlog-log-slower-than", "-1");
      c.call("SLOWLOG", "RESET");
      c.call("SET", "k", "v");
      assertThat(s(c.call("SLOWLOG", "LEN"))).isEqualTo(":0\r\n");
    }
  }

  @Test
  void argumentsAreTrimmedAndSecretsRedacted() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).config("enable-debug-command", "yes").start();
        RawClient c = RawClient.connect(h.port())) {
      c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
      List<String> argv = new ArrayList<>(List.of("SADD", "set"));
      for (int i = 3; i <= 33; i++) argv.add(Integer.toString(i));
      c.call(argv.toArray(String[]::new));
      String many = s(c.call("SLOWLOG", "GET", "1"));
      assertThat(many).contains("*32\r\n$4\r\nSADD\r\n").contains("$2\r\n31\r\n")
          .contains("$22\r\n... (2 more arguments)\r\n").doesNotContain("$2\r\n32\r\n");
      c.call("SET", "k", "x".repeat(200));
      String longArg = s(c.call("SLOWLOG", "GET", "1"));
      assertThat(longArg).contains("$147\r\n" + "x".repeat(128) + "... (72 more bytes)\r\n");
      c.call("CONFIG", "SET", "masterauth", "");
      assertThat(s(c.call("SLOWLOG", "GET", "1")))
          .contains("$6\r\nCONFIG\r\n$3\r\nSET\r\n$10\r\nmasterauth\r\n$10\r\n(redacted)\r\n");
      c.call("GETSET", "a", "5");
      assertThat(s(c.call("SLOWLOG", "GET", "1"))).contains("*3\r\n$6\r\nGETSET\r\n");
    }
  }

  @Test
  void blockedCommandIsLoggedOnceWhenServed() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).config("enable-debug-command", "yes").start();
        RawClient c = RawClient.connect(h.port());
        RawClient blocked = RawClient.connect(h.port())) {
      c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
      blocked.send("BLPOP", "l", "0");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!s(c.call("INFO", "clients")).contains("blocked_clients:1")) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.onSpinWait();
      }
      c.call("MULTI");
      c.call("LPUSH", "l", "foo");
      c.call("SLOWLOG", "RESET");
      c.call("EXEC");
      assertThat(s(blocked.read())).isEqualTo("*2\r\n$1\r\nl\r\n$3\r\nfoo\r\n");
      String log = s(c.call("SLOWLOG", "GET"));
      assertThat(log).contains("$5\r\nBLPOP\r\n$1\r\nl\r\n$1\r\n0\r\n");
      assertThat(log.split("BLPOP", -1)).hasSize(2);
    }
  }

  @Test
  void latencyMonitorRecordsSlowCommands() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).config("enable-debug-command", "yes").start();
        RawClient c = RawClient.connect(h.port())) {
      assertThat(s(c.call("LATENCY", "LATEST"))).isEqualTo("*0\r\n");
      c.call("CONFIG", "SET", "latency-monitor-threshold", "200");
      c.call("DEBUG", "SLEEP", "0.3");
      String latest = s(c.call("LATENCY", "LATEST"));
      assertThat(latest).matches("(?s)\\*1\r\n\\*4\r\n\\$7\r\ncommand\r\n:\\d+\r\n:(\\d+)\r\n:\\d+\r\n");
      long millis = Long.parseLong(latest.replaceAll("(?s).*:(\\d+)\r\n:\\d+\r\n$", "$1"));
      assertThat(millis).isBetween(300L, 5000L);
      assertThat(s(c.call("LATENCY", "HISTORY", "command"))).startsWith("*1\r\n*2\r\n:");
      assertThat(s(c.call("LATENCY", "GRAPH", "command"))).startsWith("$");
      assertThat(s(c.call("LATENCY", "RESET", "COMMAND", "nosuch"))).isEqualTo(":1\r\n");
      assertThat(s(c.call("LATENCY", "LATEST"))).isEqualTo("*0\r\n");
      c.call("CONFIG", "SET", "latency-monitor-threshold", "0");
    }
  }

  @Test
  void histogramCountsCallsPerCommand() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).config("enable-debug-command", "yes").start();
        RawClient c = RawClient.connect(h.port())) {
      c.call("CONFIG", "RESETSTAT");
      c.call("SET", "a", "1");
      c.call("SET", "a", "2");
      c.call("CLIENT", "ID");
      c.hello3();
      String set = s(c.call("LATENCY", "HISTOGRAM", "set"));
      assertThat(set).startsWith("%1\r\n$3\r\nset\r\n%2\r\n$5\r\ncalls\r\n:2\r\n$14\r\nhistogram_usec\r\n%");
      String client = s(c.call("LATENCY", "HISTOGRAM", "CLIENT"));
      assertThat(client).startsWith("%1\r\n$9\r\nclient|id\r\n%2\r\n$5\r\ncalls\r\n:1\r\n");
      assertThat(s(c.call("LATENCY", "HISTOGRAM", "nosuch", "set|x|y"))).isEqualTo("%0\r\n");
    }
  }

  @Test
  void debugObjectAddressStaysWhileIncrChangesTheValueInPlace() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).config("enable-debug-command", "yes").start();
        RawClient c = RawClient.connect(h.port())) {
      c.call("SET", "foo", "20000");
      c.call("INCR", "foo");
      String before = s(c.call("DEBUG", "OBJECT", "foo")).split(" ")[1];
      c.call("INCR", "foo");
      String after = s(c.call("DEBUG", "OBJECT", "foo")).split(" ")[1];
      assertThat(before).startsWith("at:").isEqualTo(after);
      c.call("SET", "x", "5");
      c.call("SET", "y", "5");
      assertThat(s(c.call("DEBUG", "OBJECT", "x")).split(" ")[1])
          .isEqualTo(s(c.call("DEBUG", "OBJECT", "y")).split(" ")[1]);
    }
  }
}
