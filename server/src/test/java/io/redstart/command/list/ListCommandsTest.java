package io.redstart.command.list;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.store.Entries;
import io.redstart.types.list.ListValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The list commands in process: replies in both protocols, keyspace events, what is propagated, the
 * dirty count and the memory account, observed inside the server.
 */
class ListCommandsTest {
  private static InProcessServer srv;
  private InProcessServer.LocalClient c;
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final List<String> propagated = Collections.synchronizedList(new ArrayList<>());
  private final io.redstart.propagation.Propagator.Feed feed = this::feed;

  @BeforeAll
  static void start() throws Exception {
    srv = new InProcessServer();
  }

  @AfterAll
  static void stop() {
    srv.close();
  }

  @BeforeEach
  void connect() {
    c = srv.connect();
    assertThat(c.call("FLUSHALL")).isEqualTo("+OK\r\n");
    srv.run(
        () -> {
          srv.server.events().publisher((ch, msg) -> events.add(str(ch) + " " + str(msg)));
          srv.server.propagator().addFeed(feed);
        });
  }

  @AfterEach
  void detach() {
    srv.run(() -> srv.server.propagator().removeFeed(feed));
    c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0");
    c.call("CONFIG", "SET", "notify-keyspace-events", "");
    c.call("CONFIG", "SET", "list-max-listpack-size", "-2");
  }

  private void feed(int db, byte[][] argv) {
    StringBuilder sb = new StringBuilder();
    for (byte[] a : argv) sb.append(sb.isEmpty() ? "" : " ").append(str(a));
    propagated.add(sb.toString());
  }

  private static String str(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private long dirty() {
    return srv.onLoop(() -> srv.server.dirty());
  }

  private void keyEvents() {
    c.call("CONFIG", "SET", "notify-keyspace-events", "KEAn");
    events.clear();
  }

  @Test
  void pushAndPopReplies() {
    assertThat(c.call("LPUSH", "l", "a", "b")).isEqualTo(":2\r\n");
    assertThat(c.call("RPUSH", "l", "c")).isEqualTo(":3\r\n");
    assertThat(c.call("LRANGE", "l", "0", "-1"))
        .isEqualTo("*3\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n");
    assertThat(c.call("LPUSHX", "nosuch", "a")).isEqualTo(":0\r\n");
    assertThat(c.call("EXISTS", "nosuch")).isEqualTo(":0\r\n");
    assertThat(c.call("LPOP", "l")).isEqualTo("$1\r\nb\r\n");
    assertThat(c.call("RPOP", "l", "5")).isEqualTo("*2\r\n$1\r\nc\r\n$1\r\na\r\n");
    assertThat(c.call("EXISTS", "l")).isEqualTo(":0\r\n");
    assertThat(c.call("LPOP", "l")).isEqualTo("$-1\r\n");
    assertThat(c.call("LPOP", "l", "1")).isEqualTo("*-1\r\n");
    assertThat(c.call("LPOP", "l", "0")).isEqualTo("*-1\r\n");
    c.call("RPUSH", "l", "x");
    assertThat(c.call("LPOP", "l", "0")).isEqualTo("*0\r\n");
    assertThat(c.call("LPOP", "l", "-1"))
        .isEqualTo("-ERR value is out of range, must be positive\r\n");
    assertThat(c.call("LPOP", "l", "x"))
        .isEqualTo("-ERR value is out of range, must be positive\r\n");
    assertThat(c.call("LPOP", "l", "1", "2"))
        .isEqualTo("-ERR wrong number of arguments for 'lpop' command\r\n");
    c.call("HELLO", "3");
    assertThat(c.call("LPOP", "nosuch")).isEqualTo("_\r\n");
    assertThat(c.call("LPOP", "nosuch", "2")).isEqualTo("_\r\n");
    assertThat(c.call("LINDEX", "l", "5")).isEqualTo("_\r\n");
    assertThat(c.call("LPOS", "l", "zz")).isEqualTo("_\r\n");
    assertThat(c.call("LMPOP", "1", "nosuch", "LEFT")).isEqualTo("_\r\n");
    assertThat(c.call("LMOVE", "nosuch", "l", "LEFT", "LEFT")).isEqualTo("_\r\n");
  }

  @Test
  void integersComeBackAsTheyWereSent() {
    String[] values = {
      "0",
      "-0",
      "01",
      "127",
      "128",
      "-4096",
      "-4097",
      "32767",
      "32768",
      "8388608",
      "-2147483649",
      "9223372036854775807",
      "-9223372036854775808",
      "9223372036854775808",
      "1e3",
      " 7",
      ""
    };
    String[] argv = new String[values.length + 2];
    argv[0] = "RPUSH";
    argv[1] = "n";
    System.arraycopy(values, 0, argv, 2, values.length);
    c.call(argv);
    StringBuilder expected = new StringBuilder("*" + values.length + "\r\n");
    for (String v : values)
      expected.append('$').append(v.length()).append("\r\n").append(v).append("\r\n");
    assertThat(c.call("LRANGE", "n", "0", "-1")).isEqualTo(expected.toString());
    assertThat(c.call("LINDEX", "n", "12")).isEqualTo("$20\r\n-9223372036854775808\r\n");
    assertThat(c.call("LPOS", "n", "0")).isEqualTo(":0\r\n");
    assertThat(c.call("LPOS", "n", "-0")).isEqualTo(":1\r\n");
    assertThat(c.call("LREM", "n", "0", "01")).isEqualTo(":1\r\n");
    assertThat(c.call("OBJECT", "ENCODING", "n")).isEqualTo("$9\r\nquicklist\r\n");
    assertThat(c.call("TYPE", "n")).isEqualTo("+list\r\n");
  }

  @Test
  void indexesAndRanges() {
    c.call("RPUSH", "l", "a", "b", "c", "d", "e");
    assertThat(c.call("LINDEX", "l", "-1")).isEqualTo("$1\r\ne\r\n");
    assertThat(c.call("LINDEX", "l", "-9223372036854775808")).isEqualTo("$-1\r\n");
    assertThat(c.call("LINDEX", "l", "x"))
        .isEqualTo("-ERR value is not an integer or out of range\r\n");
    assertThat(c.call("LINDEX", "nosuch", "x")).isEqualTo("$-1\r\n");
    assertThat(c.call("LSET", "l", "1", "B")).isEqualTo("+OK\r\n");
    assertThat(c.call("LSET", "l", "5", "B")).isEqualTo("-ERR index out of range\r\n");
    assertThat(c.call("LSET", "nosuch", "x", "B")).isEqualTo("-ERR no such key\r\n");
    assertThat(c.call("LRANGE", "l", "-2", "9223372036854775807"))
        .isEqualTo("*2\r\n$1\r\nd\r\n$1\r\ne\r\n");
    assertThat(c.call("LRANGE", "l", "3", "1")).isEqualTo("*0\r\n");
    assertThat(c.call("LRANGE", "l", "a", "1"))
        .isEqualTo("-ERR value is not an integer or out of range\r\n");
    assertThat(c.call("LTRIM", "l", "1", "-2")).isEqualTo("+OK\r\n");
    assertThat(c.call("LRANGE", "l", "0", "-1"))
        .isEqualTo("*3\r\n$1\r\nB\r\n$1\r\nc\r\n$1\r\nd\r\n");
    assertThat(c.call("LTRIM", "l", "5", "1")).isEqualTo("+OK\r\n");
    assertThat(c.call("EXISTS", "l")).isEqualTo(":0\r\n");
  }

  @Test
  void insertRemoveAndPositions() {
    c.call("RPUSH", "l", "a", "b", "a", "c", "a");
    assertThat(c.call("LINSERT", "l", "BEFORE", "c", "X")).isEqualTo(":6\r\n");
    assertThat(c.call("LINSERT", "l", "AFTER", "zz", "X")).isEqualTo(":-1\r\n");
    assertThat(c.call("LINSERT", "l", "MIDDLE", "zz", "X")).isEqualTo("-ERR syntax error\r\n");
    assertThat(c.call("LINSERT", "nosuch", "BEFORE", "a", "X")).isEqualTo(":0\r\n");
    assertThat(c.call("LPOS", "l", "a", "RANK", "-1", "COUNT", "0"))
        .isEqualTo("*3\r\n:5\r\n:2\r\n:0\r\n");
    assertThat(c.call("LPOS", "l", "a", "RANK", "2")).isEqualTo(":2\r\n");
    assertThat(c.call("LPOS", "l", "a", "MAXLEN", "1", "RANK", "2")).isEqualTo("$-1\r\n");
    assertThat(c.call("LPOS", "l", "a", "RANK", "0"))
        .isEqualTo(
            "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ..."
                + " or use negative to start from the end of the list\r\n");
    assertThat(c.call("LPOS", "l", "a", "RANK", "-9223372036854775808", "COUNT", "2"))
        .isEqualTo("*3\r\n:5\r\n:2\r\n:0\r\n");
    assertThat(c.call("LPOS", "l", "a", "COUNT", "-1"))
        .isEqualTo("-ERR COUNT can't be negative\r\n");
    assertThat(c.call("LPOS", "l", "a", "MAXLEN", "x"))
        .isEqualTo("-ERR MAXLEN can't be negative\r\n");
    assertThat(c.call("LPOS", "l", "a", "RANK")).isEqualTo("-ERR syntax error\r\n");
    assertThat(c.call("LREM", "l", "-1", "a")).isEqualTo(":1\r\n");
    assertThat(c.call("LREM", "l", "0", "a")).isEqualTo(":2\r\n");
    assertThat(c.call("LRANGE", "l", "0", "-1"))
        .isEqualTo("*3\r\n$1\r\nb\r\n$1\r\nX\r\n$1\r\nc\r\n");
    assertThat(c.call("LREM", "l", "-9223372036854775808", "b")).isEqualTo(":1\r\n");
  }

  @Test
  void movesAndMultiPops() {
    c.call("RPUSH", "a", "1", "2");
    assertThat(c.call("LMOVE", "a", "b", "LEFT", "right")).isEqualTo("$1\r\n1\r\n");
    assertThat(c.call("RPOPLPUSH", "a", "a")).isEqualTo("$1\r\n2\r\n");
    assertThat(c.call("LMOVE", "a", "a", "LEFT", "LEFT")).isEqualTo("$1\r\n2\r\n");
    assertThat(c.call("LMOVE", "a", "b", "UP", "LEFT")).isEqualTo("-ERR syntax error\r\n");
    c.call("SET", "s", "x");
    assertThat(c.call("LMOVE", "a", "s", "LEFT", "LEFT"))
        .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assertThat(c.call("LRANGE", "a", "0", "-1")).isEqualTo("*1\r\n$1\r\n2\r\n");
    assertThat(c.call("RPOPLPUSH", "a", "b")).isEqualTo("$1\r\n2\r\n");
    assertThat(c.call("EXISTS", "a")).isEqualTo(":0\r\n");
    assertThat(c.call("LMPOP", "2", "a", "b", "LEFT", "COUNT", "5"))
        .isEqualTo("*2\r\n$1\r\nb\r\n*2\r\n$1\r\n2\r\n$1\r\n1\r\n");
    assertThat(c.call("LMPOP", "2", "a", "b", "LEFT")).isEqualTo("*-1\r\n");
    assertThat(c.call("LMPOP", "0", "a", "LEFT"))
        .isEqualTo("-ERR numkeys should be greater than 0\r\n");
    assertThat(c.call("LMPOP", "9223372036854775807", "a", "LEFT"))
        .isEqualTo("-ERR syntax error\r\n");
    assertThat(c.call("LMPOP", "1", "a", "LEFT", "COUNT", "0"))
        .isEqualTo("-ERR count should be greater than 0\r\n");
    assertThat(c.call("LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"))
        .isEqualTo("-ERR syntax error\r\n");
    assertThat(c.call("LMPOP", "1", "s", "LEFT"))
        .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  }

  @Test
  void keyspaceEventsAreRedisOnes() {
    keyEvents();
    c.call("RPUSH", "l", "a", "b", "c");
    c.call("LPUSH", "l", "z");
    c.call("LINSERT", "l", "AFTER", "a", "x");
    c.call("LSET", "l", "0", "y");
    c.call("LREM", "l", "0", "nothing");
    c.call("LREM", "l", "1", "x");
    c.call("LTRIM", "l", "0", "-1");
    c.call("LMOVE", "l", "m", "RIGHT", "LEFT");
    c.call("RPOP", "l", "2");
    c.call("LPOP", "l");
    assertThat(keyEvents(events))
        .containsExactly(
            "new l",
            "rpush l",
            "lpush l",
            "linsert l",
            "lset l",
            "lrem l",
            "ltrim l",
            "new m",
            "lpush m",
            "rpop l",
            "rpop l",
            "lpop l",
            "del l");
  }

  /** The keyspace side of the events, as "event key". */
  private static List<String> keyEvents(List<String> events) {
    List<String> out = new ArrayList<>();
    for (String e : List.copyOf(events)) {
      if (!e.startsWith("__keyspace@0__:")) continue;
      String[] parts = e.substring("__keyspace@0__:".length()).split(" ");
      out.add(parts[1] + " " + parts[0]);
    }
    return out;
  }

  @Test
  void propagationRewritesWhatIsNotDeterministicOrBlocking() {
    c.call("RPUSH", "l", "a", "b", "c", "d");
    c.call("LPOP", "l", "0");
    c.call("LPOS", "l", "a");
    c.call("LREM", "l", "0", "nothing");
    c.call("LTRIM", "l", "0", "-1");
    c.call("BLPOP", "nosuch", "l", "0");
    c.call("BLMPOP", "0", "1", "l", "RIGHT", "COUNT", "9");
    c.call("RPUSH", "l", "x", "y");
    c.call("BLMOVE", "l", "m", "left", "Right", "0");
    c.call("BRPOPLPUSH", "l", "m", "0");
    c.call("LMPOP", "1", "m", "LEFT", "COUNT", "1");
    assertThat(propagated)
        .containsExactly(
            "RPUSH l a b c d",
            "LPOP l",
            "RPOP l 3",
            "RPUSH l x y",
            "LMOVE l m left Right",
            "RPOPLPUSH l m",
            "LPOP m 1");
  }

  @Test
  void dirtyCountsOneChangePerElement() {
    long d0 = dirty();
    c.call("RPUSH", "l", "1", "2", "3", "4", "5", "6");
    assertThat(dirty() - d0).isEqualTo(6);
    c.call("LTRIM", "l", "1", "-2");
    assertThat(dirty() - d0).isEqualTo(8);
    c.call("LTRIM", "l", "0", "-1");
    c.call("LREM", "l", "0", "zz");
    c.call("LPOP", "l", "0");
    assertThat(dirty() - d0).isEqualTo(8);
    c.call("LPOP", "l", "3");
    assertThat(dirty() - d0).isEqualTo(11);
    c.call("RPUSH", "l", "a", "a");
    c.call("LREM", "l", "0", "a");
    assertThat(dirty() - d0).isEqualTo(15);
  }

  @Test
  void memoryAccountReturnsToWhereItWas() {
    c.call("SET", "k", "x");
    c.call("DEL", "k");
    long before = srv.onLoop(() -> srv.server.keyspace().db(0).usedBytes());
    c.call("CONFIG", "SET", "list-max-listpack-size", "3");
    for (int i = 0; i < 200; i++) c.call("RPUSH", "k", "element-" + i, Integer.toString(i));
    long grown = srv.onLoop(() -> srv.server.keyspace().db(0).usedBytes());
    assertThat(grown).isGreaterThan(before + 400 * 8);
    c.call("LINSERT", "k", "BEFORE", "element-50", "x".repeat(500));
    c.call("LSET", "k", "10", "y".repeat(3000));
    c.call("LREM", "k", "0", "7");
    c.call("LTRIM", "k", "5", "-5");
    c.call("LMOVE", "k", "k", "LEFT", "RIGHT");
    c.call("LPOP", "k", "100");
    long value =
        srv.onLoop(
            () -> {
              Object e = srv.server.keyspace().db(0).find("k".getBytes(StandardCharsets.US_ASCII));
              return ((ListValue) Entries.boxedValue(e)).memoryUsage();
            });
    assertThat(value).isPositive();
    c.call("DEL", "k");
    assertThat(srv.onLoop(() -> srv.server.keyspace().db(0).usedBytes())).isEqualTo(before);
  }

  @Test
  void copyKeepsTheValueApart() {
    c.call("CONFIG", "SET", "list-max-listpack-size", "2");
    c.call("RPUSH", "src", "a", "b", "c", "d", "e");
    assertThat(c.call("COPY", "src", "dst")).isEqualTo(":1\r\n");
    c.call("LSET", "dst", "0", "changed");
    assertThat(c.call("LINDEX", "src", "0")).isEqualTo("$1\r\na\r\n");
    assertThat(c.call("DEBUG", "OBJECT", "dst"))
        .endsWith(
            " ql_nodes:3 ql_avg_node:1.67 ql_listpack_max:2 ql_compressed:0"
                + " ql_uncompressed_size:42\r\n");
    assertThat(c.call("DEBUG", "DIGEST-VALUE", "src"))
        .isNotEqualTo(c.call("DEBUG", "DIGEST-VALUE", "dst"));
    c.call("LSET", "dst", "0", "a");
    assertThat(c.call("DEBUG", "DIGEST-VALUE", "src"))
        .isEqualTo(c.call("DEBUG", "DIGEST-VALUE", "dst"));
  }

  @Test
  void debugSubcommands() {
    assertThat(c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "10")).isEqualTo("+OK\r\n");
    c.call("RPUSH", "p", "small", "a-plain-element");
    assertThat(c.call("DEBUG", "OBJECT", "p")).contains(" ql_nodes:2 ");
    assertThat(c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0")).isEqualTo("+OK\r\n");
    assertThat(c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5gb"))
        .isEqualTo("-ERR argument must be a memory value bigger than 1 and smaller than 4gb\r\n");
    assertThat(c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "-1"))
        .isEqualTo("-ERR argument must be a memory value bigger than 1 and smaller than 4gb\r\n");
    assertThat(c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1x"))
        .isEqualTo("-ERR argument must be a memory value bigger than 1 and smaller than 4gb\r\n");
    assertThat(c.call("DEBUG", "QUICKLIST", "p"))
        .isEqualTo("+Quicklist structure printed on stdout\r\n");
    assertThat(c.call("DEBUG", "QUICKLIST", "nosuch")).isEqualTo("-ERR no such key\r\n");
    c.call("SET", "s", "v");
    assertThat(c.call("DEBUG", "QUICKLIST", "s"))
        .isEqualTo("-ERR Not a quicklist encoded object.\r\n");
    assertThat(ListDebug.memtoull("2kb")).isEqualTo(2048);
    assertThat(ListDebug.memtoull("3K")).isEqualTo(3000);
    assertThat(ListDebug.memtoull("1gb")).isEqualTo(1L << 30);
    assertThat(ListDebug.memtoull("")).isZero();
    assertThat(ListDebug.memtoull("12q")).isEqualTo(-1);
  }
}
