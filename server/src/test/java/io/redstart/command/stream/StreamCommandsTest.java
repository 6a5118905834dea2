package io.redstart.command.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.testing.InProcessServer;
import io.redstart.types.stream.StreamValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stream commands in process, through the dispatcher: what replies alone cannot show. Keyspace
 * events, change counts, WATCH, the commands propagated to the AOF and replicas (as Redis 7.0
 * rewrites them), the memory account, and bad input answered without a crash.
 */
class StreamCommandsTest {
  private InProcessServer server;
  private InProcessServer.Conn c;
  private final List<String> propagated = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new InProcessServer("notify-keyspace-events KEAn", "enable-debug-command yes");
    c = server.connect();
    server.server().propagator().addFeed((db, argv) -> propagated.add(line(argv)));
  }

  private static String line(byte[][] argv) {
    List<String> words = new ArrayList<>();
    for (byte[] a : argv) words.add(new String(a, StandardCharsets.ISO_8859_1));
    return String.join(" ", words);
  }

  private long dirty() {
    return server.server().dirty();
  }

  /** The keyspace (not keyevent) notifications since the last call, as "key event". */
  private List<String> events() {
    List<String> out = new ArrayList<>();
    for (String n : server.takeNotifications()) {
      if (n.startsWith("__keyspace@0__:")) out.add(n.substring("__keyspace@0__:".length()));
    }
    return out;
  }

  /** Propagated commands since the last call, TIME values and generated IDs masked. */
  private List<String> propagated() {
    List<String> out = new ArrayList<>();
    for (String p : propagated) out.add(p.replaceAll("TIME [0-9]+", "TIME t"));
    propagated.clear();
    return out;
  }

  @Test
  void eventsAndChangeCountsAreRedis() {
    long d = dirty();
    c.call("XADD", "s", "MAXLEN", "1", "1-1", "a", "1");
    assertThat(events()).containsExactly("s new", "s xadd");
    c.call("XADD", "s", "MAXLEN", "1", "2-1", "a", "1");
    assertThat(events()).containsExactly("s xadd", "s xtrim");
    assertThat(dirty()).isEqualTo(d + 2); // XADD counts one change, its trim none
    c.call("XADD", "s", "3-1", "a", "1");
    c.call("XADD", "s", "4-1", "a", "1");
    events();
    d = dirty();
    assertThat(c.call("XDEL", "s", "2-1", "3-1", "9-9")).isEqualTo(":2\r\n");
    assertThat(events()).containsExactly("s xdel");
    assertThat(dirty()).isEqualTo(d + 2);
    assertThat(c.call("XDEL", "s", "9-9")).isEqualTo(":0\r\n");
    assertThat(events()).isEmpty();
    c.call("XADD", "s", "5-1", "a", "1");
    events();
    d = dirty();
    assertThat(c.call("XTRIM", "s", "MAXLEN", "0")).isEqualTo(":2\r\n");
    assertThat(events()).containsExactly("s xtrim");
    assertThat(dirty()).isEqualTo(d + 2);
    assertThat(c.call("XSETID", "s", "9-0")).isEqualTo("+OK\r\n");
    assertThat(events()).containsExactly("s xsetid");
    c.call("XGROUP", "CREATE", "s2", "g", "$", "MKSTREAM");
    assertThat(events()).containsExactly("s2 new", "s2 xgroup-create");
    c.call("XADD", "s", "10-1", "a", "1");
    c.call("XGROUP", "CREATE", "s", "g", "0");
    c.call("XGROUP", "SETID", "s", "g", "0");
    assertThat(events()).containsExactly("s xadd", "s xgroup-create", "s xgroup-setid");
    d = dirty();
    c.call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">");
    assertThat(events()).containsExactly("s xgroup-createconsumer");
    assertThat(dirty()).isEqualTo(d + 2); // the consumer, the read
    d = dirty();
    assertThat(c.call("XACK", "s", "g", "10-1", "10-1")).isEqualTo(":1\r\n");
    assertThat(dirty()).isEqualTo(d + 1);
    c.call("XCLAIM", "s", "g", "c2", "0", "10-1", "FORCE");
    assertThat(events()).containsExactly("s xgroup-createconsumer");
    c.call("XAUTOCLAIM", "s", "g", "c3", "0", "0");
    assertThat(events()).containsExactly("s xgroup-createconsumer");
    c.call("XGROUP", "CREATECONSUMER", "s", "g", "c4");
    c.call("XGROUP", "CREATECONSUMER", "s", "g", "c4");
    c.call("XGROUP", "DELCONSUMER", "s", "g", "c4");
    c.call("XGROUP", "DESTROY", "s", "g");
    c.call("XGROUP", "DESTROY", "s", "g");
    assertThat(events())
        .containsExactly("s xgroup-createconsumer", "s xgroup-delconsumer", "s xgroup-destroy");
    d = dirty();
    c.call("XADD", "nokey", "NOMKSTREAM", "1-1", "a", "1");
    c.call("XADD", "s", "1-1", "a", "1");
    assertThat(events()).isEmpty();
    assertThat(dirty()).isEqualTo(d);
  }

  @Test
  void watchSeesOnlyTheChangesRedisSignals() {
    InProcessServer.Conn other = server.connect();
    c.call("XADD", "s", "1-1", "a", "1");
    c.call("XGROUP", "CREATE", "s", "g", "0");
    c.call("WATCH", "s");
    other.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">");
    other.call("XACK", "s", "g", "1-1");
    other.call("XGROUP", "CREATE", "s", "g2", "0");
    other.call("XGROUP", "SETID", "s", "g", "0");
    other.call("XSETID", "s", "5-0");
    c.call("MULTI");
    c.call("XLEN", "s");
    assertThat(c.call("EXEC")).isEqualTo("*1\r\n:1\r\n");
    c.call("WATCH", "s");
    other.call("XADD", "s", "6-0", "a", "1");
    c.call("MULTI");
    c.call("XLEN", "s");
    assertThat(c.call("EXEC")).isEqualTo("*-1\r\n");
    c.call("WATCH", "s");
    other.call("XDEL", "s", "6-0");
    c.call("MULTI");
    assertThat(c.call("EXEC")).isEqualTo("*-1\r\n");
  }

  @Test
  void xaddPropagatesTheIdItMadeAndTheTrimItDid() {
    c.call("XADD", "s", "*", "a", "1");
    String added = propagated().getFirst();
    assertThat(added).matches("XADD s [0-9]+-0 a 1");
    String id = added.split(" ")[2];
    assertThat(c.call("XADD", "s", id.split("-")[0] + "-*", "b", "2"))
        .isEqualTo("$" + (id.length()) + "\r\n" + id.replace("-0", "-1") + "\r\n");
    assertThat(propagated()).containsExactly("XADD s " + id.replace("-0", "-1") + " b 2");
    c.call("XADD", "s", "MAXLEN", "~", "1", "99999999999999-1", "c", "3");
    assertThat(propagated()).containsExactly("XADD s MAXLEN = 3 99999999999999-1 c 3");
    c.call("XADD", "s", "MINID", "~", "0", "99999999999999-2", "c", "3");
    assertThat(propagated()).containsExactly("XADD s MINID = " + id + " 99999999999999-2 c 3");
    c.call("CONFIG", "SET", "stream-node-max-entries", "2");
    for (int i = 3; i < 9; i++) c.call("XADD", "s", "99999999999999-" + i, "f", "v");
    propagated();
    // Nodes of 4, 2, 2 and 2 entries: LIMIT 4 lets the first go, not the second.
    assertThat(c.call("XTRIM", "s", "MAXLEN", "~", "3", "LIMIT", "4")).isEqualTo(":4\r\n");
    assertThat(propagated()).containsExactly("XTRIM s MAXLEN = 6 LIMIT 4");
    assertThat(c.call("XTRIM", "s", "MAXLEN", "~", "100")).isEqualTo(":0\r\n");
    assertThat(propagated()).isEmpty();
    assertThat(c.call("XTRIM", "s", "MAXLEN", "5")).isEqualTo(":1\r\n");
    assertThat(propagated()).containsExactly("XTRIM s MAXLEN 5");
    c.call("DEL", "s");
    c.call("XADD", "s", "1-1", "a", "1");
    c.call("XADD", "s", "2-1", "a", "1");
    c.call("XDEL", "s", "1-1");
    propagated();
    c.call("XADD", "s", "MINID", "~", "2", "3-1", "a", "1");
    assertThat(propagated()).containsExactly("XADD s MINID = 1-1 3-1 a 1");
  }

  @Test
  void groupReadsPropagateAsClaimsAndSetid() {
    c.call("XADD", "s", "1-1", "a", "1");
    c.call("XADD", "s", "2-1", "a", "1");
    c.call("XADD", "s", "3-1", "a", "1");
    c.call("XGROUP", "CREATE", "s", "g", "0");
    propagated();
    c.call("XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", "s", ">");
    assertThat(propagated())
        .containsExactly(
            "MULTI",
            "XCLAIM s g c1 0 1-1 TIME t RETRYCOUNT 1 FORCE JUSTID LASTID 1-1",
            "XCLAIM s g c1 0 2-1 TIME t RETRYCOUNT 1 FORCE JUSTID LASTID 2-1",
            "EXEC");
    c.call("XREADGROUP", "GROUP", "g", "c2", "NOACK", "STREAMS", "s", ">");
    assertThat(propagated())
        .containsExactly(
            "MULTI", "XGROUP CREATECONSUMER s g c2", "XGROUP SETID s g 3-1 ENTRIESREAD 3", "EXEC");
    // A history read counts a delivery of each entry again, and propagates nothing.
    c.call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0");
    c.call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">");
    assertThat(propagated()).isEmpty();
    c.call("XDEL", "s", "2-1");
    propagated();
    // Each XCLAIM carries the ID as it was typed.
    c.call("XCLAIM", "s", "g", "c3", "0", "01-1", "2-1", "LASTID", "9-0");
    assertThat(propagated())
        .containsExactly(
            "MULTI",
            "XCLAIM s g c3 0 01-1 TIME t RETRYCOUNT 3 FORCE JUSTID LASTID 9-0",
            "XCLAIM s g c1 0 2-1 TIME t RETRYCOUNT 2 FORCE JUSTID LASTID 9-0",
            "EXEC");
    c.call("XCLAIM", "s", "g", "c3", "0", "7-7", "LASTID", "10-0");
    assertThat(propagated()).containsExactly("XGROUP SETID s g 10-0 ENTRIESREAD 3");
    c.call("XADD", "s", "11-1", "a", "1");
    c.call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">");
    c.call("XDEL", "s", "11-1");
    propagated();
    assertThat(c.call("XAUTOCLAIM", "s", "g", "c4", "0", "0", "JUSTID"))
        .isEqualTo("*3\r\n$3\r\n0-0\r\n*1\r\n$3\r\n1-1\r\n*1\r\n$4\r\n11-1\r\n");
    assertThat(propagated())
        .containsExactly(
            "MULTI",
            "XCLAIM s g c4 0 1-1 TIME t RETRYCOUNT 3 FORCE JUSTID LASTID 11-1",
            "XCLAIM s g c1 0 11-1 TIME t RETRYCOUNT 1 FORCE JUSTID LASTID 11-1",
            "EXEC");
  }

  @Test
  void theAofRewriteCommandsRebuildTheStream() throws Exception {
    c.call("CONFIG", "SET", "stream-node-max-entries", "3");
    for (int i = 1; i <= 10; i++) c.call("XADD", "s", i + "-" + i, "f", "v" + i, "n", "" + i);
    c.call("XDEL", "s", "4-4", "10-10");
    c.call("XGROUP", "CREATE", "s", "g", "0");
    c.call("XGROUP", "CREATE", "s", "later", "$", "ENTRIESREAD", "5");
    c.call("XREADGROUP", "GROUP", "g", "c1", "COUNT", "3", "STREAMS", "s", ">");
    c.call("XREADGROUP", "GROUP", "g", "c2", "COUNT", "2", "STREAMS", "s", ">");
    c.call("XCLAIM", "s", "g", "c2", "0", "1-1", "RETRYCOUNT", "7", "TIME", "12345");
    c.call("XGROUP", "CREATECONSUMER", "s", "g", "idle");
    c.call("XADD", "empty", "MAXLEN", "0", "5-5", "a", "b");
    for (String key : new String[] {"s", "empty"}) {
      Object e = server.server().keyspace().db(0).find(key.getBytes(StandardCharsets.US_ASCII));
      StreamValue value = (StreamValue) io.redstart.store.Entries.boxedValue(e);
      InProcessServer other = new InProcessServer("enable-debug-command yes");
      InProcessServer.Conn o = other.connect();
      value.rewrite(
          key.getBytes(StandardCharsets.US_ASCII),
          argv ->
              assertThat(new String(o.call(argv), StandardCharsets.ISO_8859_1))
                  .doesNotStartWith("-"));
      assertThat(o.call("DEBUG", "DIGEST-VALUE", key))
          .isEqualTo(c.call("DEBUG", "DIGEST-VALUE", key));
      // Consumers are seen when rebuilt, and the nodes are those of the live entries only.
      String unrestored = "\\$9\r\nseen-time\r\n:[0-9]+\r\n|radix-tree-(keys|nodes)\r\n:[0-9]+";
      assertThat(o.call("XINFO", "STREAM", key, "FULL").replaceAll(unrestored, ""))
          .isEqualTo(c.call("XINFO", "STREAM", key, "FULL").replaceAll(unrestored, ""));
    }
  }

  @Test
  void theMemoryAccountFollowsTheStream() {
    c.call("XADD", "s", "1-0", "f", "v");
    c.call("DEL", "s"); // the key's slot table stays: count from there
    long empty = server.server().keyspace().usedBytes();
    for (int i = 1; i <= 1000; i++) c.call("XADD", "s", i + "-0", "field", "value" + i);
    long full = server.server().keyspace().usedBytes();
    assertThat(full - empty).isBetween(10_000L, 100_000L);
    c.call("XGROUP", "CREATE", "s", "g", "0");
    c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">");
    long pending = server.server().keyspace().usedBytes();
    assertThat(pending - full).isGreaterThan(1000L * 40);
    c.call("XACK", "s", "g", "1-0", "2-0");
    assertThat(server.server().keyspace().usedBytes()).isLessThan(pending);
    c.call("XTRIM", "s", "MAXLEN", "10");
    assertThat(server.server().keyspace().usedBytes()).isLessThan(pending);
    c.call("DEL", "s");
    assertThat(server.server().keyspace().usedBytes()).isEqualTo(empty);
  }

  @Test
  void badInputIsAnsweredNeverThrown() {
    SplittableRandom random = new SplittableRandom(11);
    String[] commands = {
      "XADD",
      "XRANGE",
      "XREVRANGE",
      "XLEN",
      "XDEL",
      "XTRIM",
      "XSETID",
      "XREAD",
      "XREADGROUP",
      "XGROUP",
      "XACK",
      "XPENDING",
      "XCLAIM",
      "XAUTOCLAIM",
      "XINFO"
    };
    String[] words = {
      "s",
      "g",
      "c",
      "0",
      "-",
      "+",
      "$",
      ">",
      "*",
      "(1",
      "1-1",
      "5-*",
      "18446744073709551615-18446744073709551615",
      "-1",
      "x",
      "",
      "\u0000",
      "COUNT",
      "BLOCK",
      "STREAMS",
      "GROUP",
      "NOACK",
      "MAXLEN",
      "MINID",
      "~",
      "=",
      "LIMIT",
      "NOMKSTREAM",
      "CREATE",
      "SETID",
      "DESTROY",
      "CREATECONSUMER",
      "DELCONSUMER",
      "MKSTREAM",
      "ENTRIESREAD",
      "IDLE",
      "TIME",
      "RETRYCOUNT",
      "FORCE",
      "JUSTID",
      "LASTID",
      "FULL",
      "STREAM",
      "GROUPS",
      "CONSUMERS",
      "HELP",
      "ENTRIESADDED",
      "MAXDELETEDID",
      "9223372036854775807"
    };
    c.call("XADD", "s", "1-1", "f", "v");
    c.call("XGROUP", "CREATE", "s", "g", "0");
    for (int i = 0; i < 20_000; i++) {
      List<String> argv = new ArrayList<>();
      argv.add(commands[random.nextInt(commands.length)]);
      int n = random.nextInt(0, 9);
      for (int j = 0; j < n; j++) argv.add(words[random.nextInt(words.length)]);
      if (argv.contains("BLOCK")) continue; // may wait: covered by the blocking tests
      String reply = c.call(argv.toArray(new String[0]));
      assertThat(reply).as(String.join(" ", argv)).isNotEmpty();
    }
  }

  private static final Pattern ID = Pattern.compile("\\$[0-9]+\r\n([0-9]+-[0-9]+)\r\n");

  @Test
  void generatedIdsIncrease() {
    String last = "0-0";
    for (int i = 0; i < 2000; i++) {
      Matcher m = ID.matcher(c.call("XADD", "s", "*", "f", "v"));
      assertThat(m.matches()).isTrue();
      String id = m.group(1);
      String[] a = id.split("-");
      String[] b = last.split("-");
      assertThat(
              Long.parseLong(a[0]) > Long.parseLong(b[0])
                  || (a[0].equals(b[0]) && Long.parseLong(a[1]) == Long.parseLong(b[1]) + 1))
          .as(last + " then " + id)
          .isTrue();
      last = id;
    }
    assertThat(c.call("XLEN", "s")).isEqualTo(":2000\r\n");
  }
}
