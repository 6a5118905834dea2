package io.redstart.command.set;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.command.collection.InProcess;
import io.redstart.testing.InMemoryConnection;
import io.redstart.testing.Reply;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The set commands run in-process through the dispatcher: replies, events, propagation. */
class SetCommandsTest {
  private InProcess s;

  @BeforeEach
  void setUp() {
    s = new InProcess();
    s.server.keyspace().random(new SplittableRandom(7));
  }

  private static Set<String> texts(Reply r) {
    Set<String> out = new HashSet<>();
    for (Reply c : r.children()) out.add(c.text());
    return out;
  }

  private static String[] args(String... first) {
    return first;
  }

  private String[] range(String cmd, String key, int from, int to) {
    List<String> a = new ArrayList<>(List.of(cmd, key));
    for (int i = from; i <= to; i++) a.add(Integer.toString(i));
    return a.toArray(new String[0]);
  }

  @Test
  void replyShapesInBothProtocols() {
    assertThat(s.raw("SADD", "s", "3", "1", "2", "2")).isEqualTo(":3\r\n");
    assertThat(s.raw("SMEMBERS", "s")).isEqualTo("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
    assertThat(s.raw("SMISMEMBER", "s", "1", "x")).isEqualTo("*2\r\n:1\r\n:0\r\n");
    s.raw("HELLO", "3");
    assertThat(s.raw("SMEMBERS", "s")).isEqualTo("~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
    assertThat(s.raw("SMEMBERS", "nosuch")).isEqualTo("~0\r\n");
    assertThat(s.raw("SPOP", "nosuch", "2")).isEqualTo("~0\r\n");
    assertThat(s.raw("SPOP", "nosuch")).isEqualTo("_\r\n");
    assertThat(s.raw("SRANDMEMBER", "nosuch", "2")).isEqualTo("*0\r\n");
    assertThat(s.raw("SUNION", "s", "nosuch")).startsWith("~3\r\n");
    assertThat(s.raw("SINTERCARD", "1", "s")).isEqualTo(":3\r\n");
    s.raw("HELLO", "2");
    assertThat(s.raw("SPOP", "nosuch", "2")).isEqualTo("*0\r\n");
    assertThat(s.raw("SPOP", "s", "-1")).isEqualTo("-ERR value is out of range, must be positive\r\n");
    assertThat(s.raw("SRANDMEMBER", "s", "-9223372036854775808"))
        .isEqualTo(
            "-ERR value is out of range, value must between -9223372036854775807 and"
                + " 9223372036854775807\r\n");
    assertThat(s.raw("SINTERCARD", "0", "s")).isEqualTo("-ERR numkeys should be greater than 0\r\n");
    assertThat(s.raw("SINTERCARD", "2", "s"))
        .isEqualTo("-ERR Number of keys can't be greater than number of args\r\n");
    assertThat(s.raw("SINTERCARD", "1", "s", "LIMIT", "-1")).isEqualTo("-ERR LIMIT can't be negative\r\n");
  }

  @Test
  void intsetWidensConvertsAndComesBackOnlyForNewSets() {
    s.raw("SADD", "s", "1", "2");
    assertThat(s.raw("OBJECT", "ENCODING", "s")).isEqualTo("$6\r\nintset\r\n");
    s.raw("SADD", "s", "9223372036854775807", "-9223372036854775808");
    assertThat(s.raw("OBJECT", "ENCODING", "s")).isEqualTo("$6\r\nintset\r\n");
    assertThat(s.raw("SMEMBERS", "s"))
        .isEqualTo("*4\r\n$20\r\n-9223372036854775808\r\n$1\r\n1\r\n$1\r\n2\r\n$19\r\n9223372036854775807\r\n");
    s.raw("SADD", "s", "x");
    s.raw("SREM", "s", "x");
    assertThat(s.raw("OBJECT", "ENCODING", "s")).isEqualTo("$9\r\nhashtable\r\n");
    s.raw("SUNIONSTORE", "u", "s");
    assertThat(s.raw("OBJECT", "ENCODING", "u")).isEqualTo("$6\r\nintset\r\n");
    s.raw("CONFIG", "SET", "set-max-intset-entries", "5");
    s.raw(range("SADD", "big", 1, 10));
    assertThat(s.raw("OBJECT", "ENCODING", "big")).isEqualTo("$9\r\nhashtable\r\n");
    s.raw("SPOP", "big", "9");
    assertThat(s.raw("OBJECT", "ENCODING", "big")).isEqualTo("$6\r\nintset\r\n");
    assertThat(s.raw("SCARD", "big")).isEqualTo(":1\r\n");
  }

  @Test
  void spopIsPropagatedAsSremOrDel() {
    s.raw("SADD", "s", "a");
    s.raw("SPOP", "s");
    assertThat(s.propagated).containsExactly("SADD s a", "SREM s a");
    s.propagated.clear();
    s.raw(range("SADD", "s", 1, 20));
    s.propagated.clear();
    long dirty = s.dirty();
    Reply popped = s.call("SPOP", "s", "3");
    assertThat(s.dirty() - dirty).isEqualTo(3);
    List<String> expected = new ArrayList<>(List.of("MULTI"));
    for (Reply m : popped.children()) expected.add("SREM s " + m.text());
    expected.add("EXEC");
    assertThat(s.propagated).containsExactlyElementsOf(expected);
    s.propagated.clear();
    Reply rebuilt = s.call("SPOP", "s", "15");
    assertThat(rebuilt.children()).hasSize(15);
    assertThat(s.propagated).hasSize(17).startsWith("MULTI").endsWith("EXEC");
    assertThat(s.raw("SCARD", "s")).isEqualTo(":2\r\n");
    s.propagated.clear();
    assertThat(s.call("SPOP", "s", "5").children()).hasSize(2);
    assertThat(s.propagated).containsExactly("DEL s");
    assertThat(s.raw("EXISTS", "s")).isEqualTo(":0\r\n");
  }

  @Test
  void seededRandomnessRepeats() {
    InProcess other = new InProcess();
    other.server.keyspace().random(new SplittableRandom(7));
    for (InProcess p : List.of(s, other)) p.raw(range("SADD", "s", 1, 100));
    for (String[] cmd :
        List.of(
            args("SRANDMEMBER", "s", "5"),
            args("SRANDMEMBER", "s", "-20"),
            args("SPOP", "s", "7"),
            args("SPOP", "s"),
            args("SRANDMEMBER", "s"))) {
      assertThat(other.raw(cmd)).isEqualTo(s.raw(cmd));
    }
  }

  @Test
  void randomCountsKeepTheirPromises() {
    s.raw(range("SADD", "s", 1, 50));
    Reply distinct = s.call("SRANDMEMBER", "s", "20");
    assertThat(texts(distinct)).hasSize(20);
    Reply most = s.call("SRANDMEMBER", "s", "45");
    assertThat(texts(most)).hasSize(45);
    Reply all = s.call("SRANDMEMBER", "s", "500");
    assertThat(texts(all)).hasSize(50);
    Reply repeated = s.call("SRANDMEMBER", "s", "-200");
    assertThat(repeated.children()).hasSize(200);
    assertThat(texts(repeated)).isSubsetOf(texts(all)).hasSizeGreaterThan(30);
  }

  @Test
  void hugeNegativeCountsCloseTheClientInsteadOfExhaustingMemory() {
    s.raw("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0");
    InMemoryConnection conn = new InMemoryConnection();
    var client = s.server.newLocalClient(conn);
    s.raw("SADD", "s", "a", "b", "c");
    s.raw("HSET", "h", "a", "1");
    s.server.dispatcher().process(client, new byte[][] {
        "SRANDMEMBER".getBytes(), "s".getBytes(), "-9223372036854775807".getBytes()});
    s.server.flushPending();
    // As Redis: scheduled to be closed, its output dropped.
    assertThat(conn.isClosed()).isTrue();
    assertThat(conn.takeOutput()).isEmpty();
    InMemoryConnection conn2 = new InMemoryConnection();
    var client2 = s.server.newLocalClient(conn2);
    s.server.dispatcher().process(client2, new byte[][] {
        "HRANDFIELD".getBytes(), "h".getBytes(), "-4611686018427387903".getBytes(),
        "WITHVALUES".getBytes()});
    s.server.flushPending();
    assertThat(conn2.isClosed()).isTrue();
    assertThat(s.raw("SCARD", "s")).isEqualTo(":3\r\n");
  }

  @Test
  void discardedRepliesOfHugeCountsEndToo() {
    s.raw("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0");
    s.raw("SADD", "s", "a", "b", "c");
    s.raw("HSET", "h", "a", "1");
    InProcess.Session quiet = s.session();
    assertThat(quiet.raw("CLIENT", "REPLY", "OFF")).isEmpty();
    assertThat(quiet.raw("SRANDMEMBER", "s", "-9223372036854775807")).isEmpty();
    assertThat(quiet.raw("HRANDFIELD", "h", "-9223372036854775807")).isEmpty();
    assertThat(quiet.raw("CLIENT", "REPLY", "ON")).isEqualTo("+OK\r\n");
    assertThat(quiet.raw("CLIENT", "REPLY", "SKIP")).isEmpty();
    assertThat(quiet.raw("SRANDMEMBER", "s", "-9223372036854775807")).isEmpty();
    assertThat(quiet.raw("PING")).isEqualTo("+PONG\r\n");
    assertThat(quiet.client().isClosed()).isFalse();
  }

  @Test
  void smoveEventsAndDirtyCounts() {
    s.raw("CONFIG", "SET", "notify-keyspace-events", "KEAn");
    s.raw("SADD", "src", "m");
    s.events.clear();
    long dirty = s.dirty();
    assertThat(s.raw("SMOVE", "src", "dst", "m")).isEqualTo(":1\r\n");
    assertThat(s.dirty() - dirty).isEqualTo(2);
    assertThat(s.events)
        .containsExactly(
            "__keyspace@0__:src srem",
            "__keyevent@0__:srem src",
            "__keyspace@0__:src del",
            "__keyevent@0__:del src",
            "__keyspace@0__:dst new",
            "__keyevent@0__:new dst",
            "__keyspace@0__:dst sadd",
            "__keyevent@0__:sadd dst");
    s.raw("SADD", "src", "m");
    s.events.clear();
    dirty = s.dirty();
    assertThat(s.raw("SMOVE", "src", "dst", "m")).isEqualTo(":1\r\n");
    assertThat(s.dirty() - dirty).isEqualTo(1);
    assertThat(s.events).containsExactly("__keyspace@0__:src srem", "__keyevent@0__:srem src",
        "__keyspace@0__:src del", "__keyevent@0__:del src");
  }

  @Test
  void storeCommandsReplaceDropTtlOrDelete() {
    s.raw("CONFIG", "SET", "notify-keyspace-events", "E$sg");
    s.raw("SADD", "a", "1", "2");
    s.raw("SADD", "b", "2", "3");
    s.raw("SET", "dst", "x", "EX", "100");
    s.events.clear();
    assertThat(s.raw("SINTERSTORE", "dst", "a", "b")).isEqualTo(":1\r\n");
    assertThat(s.raw("TTL", "dst")).isEqualTo(":-1\r\n");
    assertThat(s.raw("TYPE", "dst")).isEqualTo("+set\r\n");
    assertThat(s.raw("SUNIONSTORE", "dst", "a", "b")).isEqualTo(":3\r\n");
    assertThat(s.raw("SDIFFSTORE", "dst", "a", "a")).isEqualTo(":0\r\n");
    assertThat(s.raw("SDIFFSTORE", "dst", "a", "a")).isEqualTo(":0\r\n");
    assertThat(s.events)
        .containsExactly(
            "__keyevent@0__:sinterstore dst", "__keyevent@0__:sunionstore dst", "__keyevent@0__:del dst");
    assertThat(s.propagated).contains("SINTERSTORE dst a b", "SDIFFSTORE dst a a");
    assertThat(s.propagated).containsOnlyOnce("SDIFFSTORE dst a a");
  }

  @Test
  void memoryAccountingReturnsToItsBaseline() {
    for (String k : List.of("s", "t", "u")) s.raw("SADD", k, "1");
    s.raw("DEL", "s", "t", "u");
    long base = s.db().usedBytes();
    s.raw(range("SADD", "s", 1, 600));
    s.raw("SADD", "s", "member-text");
    s.raw(range("SREM", "s", 1, 100));
    s.raw("SPOP", "s", "50");
    s.raw("SPOP", "s", "400");
    s.raw("SMOVE", "s", "t", "member-text");
    s.raw("SUNIONSTORE", "u", "s", "t");
    s.raw("SRANDMEMBER", "u", "-5");
    s.raw("DEL", "s", "t", "u");
    assertThat(s.db().usedBytes()).isEqualTo(base);
  }

  @Test
  void sscanReturnsEveryMemberOfABigSet() {
    s.raw("SADD", "s", "x");
    s.raw(range("SADD", "s", 1, 3000));
    Set<String> seen = new HashSet<>();
    String cursor = "0";
    do {
      Reply reply = s.call("SSCAN", "s", cursor, "COUNT", "50");
      cursor = reply.children().get(0).text();
      seen.addAll(texts(reply.children().get(1)));
      // Shrink and grow the table between calls: members present throughout must still come.
      s.raw("SADD", "s", "tmp" + seen.size());
    } while (!cursor.equals("0"));
    for (int i = 1; i <= 3000; i++) assertThat(seen).contains(Integer.toString(i));
  }
}
