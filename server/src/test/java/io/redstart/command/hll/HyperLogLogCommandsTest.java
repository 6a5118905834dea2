package io.redstart.command.hll;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.testing.InProcessServer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HyperLogLog commands in process, through the dispatcher: replies, the cached cardinality,
 * promotion to dense, keyspace events, WATCH, the dirty count, foreign and corrupt values.
 */
class HyperLogLogCommandsTest {
  private static final String HLL_WRONGTYPE =
      "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n";
  private static final String INVALIDOBJ = "-INVALIDOBJ Corrupted HLL object detected\r\n";

  private InProcessServer server;
  private InProcessServer.Conn c;

  @BeforeEach
  void start() throws Exception {
    server = new InProcessServer("notify-keyspace-events KEAn");
    c = server.connect();
  }

  private long dirty() {
    return server.server().dirty();
  }

  private static String bulk(String s) {
    return "$" + s.length() + "\r\n" + s + "\r\n";
  }

  @Test
  void pfaddCreatesSparseRawValuesAndInvalidatesTheCache() {
    assertThat(c.call("PFADD", "h")).isEqualTo(":1\r\n");
    assertThat(c.call("GET", "h"))
        .isEqualTo(bulk("HYLL\u0001\0\0\0\0\0\0\0\0\0\0\u0080\u007f\u00ff"));
    assertThat(c.call("OBJECT", "ENCODING", "h")).isEqualTo("$3\r\nraw\r\n");
    assertThat(c.call("PFCOUNT", "h")).isEqualTo(":0\r\n");
    assertThat(c.call("PFADD", "h", "a", "b", "c")).isEqualTo(":1\r\n");
    assertThat(c.call("GETRANGE", "h", "15", "15")).isEqualTo(bulk("\u0080"));
    assertThat(c.call("PFCOUNT", "h")).isEqualTo(":3\r\n");
    assertThat(c.call("GETRANGE", "h", "8", "15")).isEqualTo(bulk("\u0003\0\0\0\0\0\0\0"));
    assertThat(c.call("PFADD", "h", "a", "b", "c")).isEqualTo(":0\r\n");
    assertThat(c.call("GETRANGE", "h", "15", "15")).isEqualTo(bulk("\0"));
    assertThat(c.call("PFDEBUG", "ENCODING", "h")).isEqualTo("+sparse\r\n");
    assertThat(c.call("PFDEBUG", "DECODE", "h")).startsWith("$").contains("v:");
    c.call("EXPIRE", "h", "1000");
    c.call("PFADD", "h", "d");
    assertThat(c.call("TTL", "h")).isEqualTo(":1000\r\n");
  }

  @Test
  void eventsAndDirtyCounts() {
    long before = dirty();
    c.call("PFADD", "h", "a", "b", "c");
    assertThat(server.takeNotifications())
        .containsExactly(
            "__keyspace@0__:h new",
            "__keyevent@0__:new h",
            "__keyspace@0__:h pfadd",
            "__keyevent@0__:pfadd h");
    assertThat(dirty()).as("one for the key, one per changed register").isEqualTo(before + 4);
    c.call("PFADD", "h", "a");
    assertThat(server.takeNotifications()).isEmpty();
    assertThat(dirty()).isEqualTo(before + 4);
    c.call("PFCOUNT", "h");
    assertThat(server.takeNotifications()).as("caching notifies nothing").isEmpty();
    assertThat(dirty()).as("but counts a change").isEqualTo(before + 5);
    c.call("PFCOUNT", "h");
    assertThat(dirty()).isEqualTo(before + 5);
    c.call("PFMERGE", "m", "h");
    assertThat(server.takeNotifications())
        .containsExactly(
            "__keyspace@0__:m new",
            "__keyevent@0__:new m",
            "__keyspace@0__:m pfadd",
            "__keyevent@0__:pfadd m");
    assertThat(dirty()).isEqualTo(before + 6);
    c.call("PFDEBUG", "TODENSE", "m");
    assertThat(dirty()).isEqualTo(before + 7);
    assertThat(server.takeNotifications()).isEmpty();
  }

  @Test
  void watchSeesAddsAndCaching() {
    InProcessServer.Conn other = server.connect();
    c.call("PFADD", "h", "a");
    c.call("WATCH", "h");
    other.call("PFADD", "h", "a");
    c.call("MULTI");
    c.call("PFCOUNT", "h");
    assertThat(c.call("EXEC")).isEqualTo("*1\r\n:1\r\n");
    c.call("WATCH", "h");
    other.call("PFADD", "h", "zz");
    c.call("MULTI");
    c.call("PFCOUNT", "h");
    assertThat(c.call("EXEC")).isEqualTo("*-1\r\n");
    c.call("WATCH", "h");
    other.call("PFCOUNT", "h");
    c.call("MULTI");
    c.call("PFCOUNT", "h");
    assertThat(c.call("EXEC")).as("caching the estimate changes the value").isEqualTo("*-1\r\n");
  }

  @Test
  void promotionToDenseAtTheConfiguredSize() {
    c.call("CONFIG", "SET", "hll-sparse-max-bytes", "100");
    for (int i = 0; i < 10; i++) c.call("PFADD", "h", "e" + i);
    assertThat(c.call("PFDEBUG", "ENCODING", "h")).isEqualTo("+sparse\r\n");
    for (int i = 10; i < 60; i++) c.call("PFADD", "h", "e" + i);
    assertThat(c.call("PFDEBUG", "ENCODING", "h")).isEqualTo("+dense\r\n");
    assertThat(c.call("STRLEN", "h")).isEqualTo(":12304\r\n");
    assertThat(c.call("PFCOUNT", "h")).isEqualTo(":60\r\n");
    assertThat(c.call("PFDEBUG", "DECODE", "h")).isEqualTo("-ERR HLL encoding is not sparse\r\n");
    assertThat(c.call("PFDEBUG", "GETREG", "h")).startsWith("*16384\r\n");
  }

  @Test
  void unionsAndMerges() {
    c.call("PFADD", "h1", "a", "b", "c");
    c.call("PFADD", "h2", "b", "c", "d");
    c.call("PFADD", "h3", "c", "d", "e");
    assertThat(c.call("PFCOUNT", "h1", "h2", "h3", "nosuch")).isEqualTo(":5\r\n");
    assertThat(c.call("PFMERGE", "m", "h1", "h2", "h3")).isEqualTo("+OK\r\n");
    assertThat(c.call("PFCOUNT", "m")).isEqualTo(":5\r\n");
    assertThat(c.call("PFMERGE", "empty")).isEqualTo("+OK\r\n");
    assertThat(c.call("PFCOUNT", "empty")).isEqualTo(":0\r\n");
    c.call("PFDEBUG", "TODENSE", "h3");
    assertThat(c.call("PFMERGE", "m2", "h1", "h3")).isEqualTo("+OK\r\n");
    assertThat(c.call("PFDEBUG", "ENCODING", "m2")).isEqualTo("+dense\r\n");
    assertThat(c.call("PFCOUNT", "m2")).isEqualTo(":5\r\n");
  }

  @Test
  void foreignAndCorruptValues() {
    c.call("SET", "s", "foo");
    assertThat(c.call("PFADD", "s", "a")).isEqualTo(HLL_WRONGTYPE);
    assertThat(c.call("PFCOUNT", "s")).isEqualTo(HLL_WRONGTYPE);
    assertThat(c.call("PFCOUNT", "nosuch", "s")).isEqualTo(HLL_WRONGTYPE);
    assertThat(c.call("PFMERGE", "x", "s")).isEqualTo(HLL_WRONGTYPE);
    assertThat(c.call("EXISTS", "x")).isEqualTo(":0\r\n");
    assertThat(c.call("PFDEBUG", "ENCODING", "s")).isEqualTo(HLL_WRONGTYPE);
    assertThat(c.call("PFDEBUG", "ENCODING", "nosuch"))
        .isEqualTo("-ERR The specified key does not exist\r\n");
    assertThat(c.call("PFDEBUG", "FOO", "s")).isEqualTo(HLL_WRONGTYPE);
    c.call("PFADD", "h", "a");
    assertThat(c.call("PFDEBUG", "FOO\nbar", "h"))
        .isEqualTo("-ERR Unknown PFDEBUG subcommand 'FOO bar'\r\n");
    c.call("SET", "n", "123");
    assertThat(c.call("PFADD", "n", "a")).isEqualTo(HLL_WRONGTYPE);

    c.call("PFADD", "c", "a", "b", "c");
    c.call("APPEND", "c", "hello");
    assertThat(c.call("PFCOUNT", "c")).isEqualTo(INVALIDOBJ);
    c.call("SET", "v", "HYLL\u0001\0\0\0\0\0\0\0\0\0\0\u0080\u007f\u00ff\u0080");
    assertThat(c.call("PFCOUNT", "v", "h")).isEqualTo(INVALIDOBJ);
    assertThat(c.call("PFMERGE", "v")).isEqualTo(INVALIDOBJ);
    assertThat(c.call("PFDEBUG", "TODENSE", "v")).isEqualTo(INVALIDOBJ);
    c.call("PFADD", "d", "a");
    c.call("SETRANGE", "d", "4", "\0");
    assertThat(c.call("PFCOUNT", "d")).isEqualTo(HLL_WRONGTYPE);
  }

  /** Redis's own fuzz: random bytes written over HLLs must give a reply, never a failure. */
  @Test
  void corruptedValuesNeverBreakTheServer() {
    SplittableRandom random = new SplittableRandom(99);
    InProcessServer.Conn checker = server.connect();
    for (int round = 0; round < 400; round++) {
      c.call("DEL", "h");
      int n = random.nextInt(0, 3000);
      String[] add = new String[n + 2];
      add[0] = "PFADD";
      add[1] = "h";
      for (int i = 0; i < n; i++) add[i + 2] = Double.toString(random.nextDouble());
      c.call(add);
      for (int i = 0; i < 5; i++) {
        long len = Long.parseLong(c.call("STRLEN", "h").substring(1).trim());
        String b = String.valueOf((char) random.nextInt(256));
        c.call("SETRANGE", "h", Long.toString(random.nextLong(len)), b);
        if (random.nextBoolean()) break;
      }
      for (String[] cmd :
          new String[][] {
            {"PFCOUNT", "h"},
            {"PFCOUNT", "h", "h"},
            {"PFADD", "h", "x" + round},
            {"PFMERGE", "m", "h"},
            {"PFDEBUG", "DECODE", "h"}
          }) {
        String reply = c.call(cmd);
        assertThat(reply).matches("(?s)[:+$\\-*].*\r\n");
      }
      assertThat(checker.call("PING")).isEqualTo("+PONG\r\n");
    }
  }

  @Test
  void selfTestAndArguments() {
    assertThat(c.call("PFSELFTEST")).isEqualTo("+OK\r\n");
    assertThat(c.call("PFCOUNT"))
        .isEqualTo("-ERR wrong number of arguments for 'pfcount' command\r\n");
    String binary = new String(new byte[] {0, 1}, StandardCharsets.ISO_8859_1);
    assertThat(c.call("PFADD", "h\0bin", binary)).isEqualTo(":1\r\n");
  }
}
