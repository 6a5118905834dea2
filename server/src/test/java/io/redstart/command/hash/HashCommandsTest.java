package io.redstart.command.hash;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.command.collection.InProcess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hash commands run in-process through the dispatcher: replies, events, propagation. */
class HashCommandsTest {
  private InProcess s;

  @BeforeEach
  void setUp() {
    s = new InProcess();
  }

  @Test
  void setGetAndReplyShapes() {
    assertThat(s.raw("HSET", "h", "a", "1", "b", "2")).isEqualTo(":2\r\n");
    assertThat(s.raw("HSET", "h", "a", "9", "c", "3")).isEqualTo(":1\r\n");
    assertThat(s.raw("HMSET", "h", "d", "4")).isEqualTo("+OK\r\n");
    assertThat(s.raw("HSET", "h", "a")).isEqualTo("-ERR wrong number of arguments for 'hset' command\r\n");
    assertThat(s.raw("HGET", "h", "a")).isEqualTo("$1\r\n9\r\n");
    assertThat(s.raw("HGET", "h", "x")).isEqualTo("$-1\r\n");
    assertThat(s.raw("HMGET", "h", "a", "x")).isEqualTo("*2\r\n$1\r\n9\r\n$-1\r\n");
    assertThat(s.raw("HGETALL", "h"))
        .isEqualTo("*8\r\n$1\r\na\r\n$1\r\n9\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n");
    assertThat(s.raw("HSETNX", "h", "a", "0")).isEqualTo(":0\r\n");
    assertThat(s.raw("HSTRLEN", "h", "a")).isEqualTo(":1\r\n");
    assertThat(s.raw("HLEN", "h")).isEqualTo(":4\r\n");
    s.raw("HELLO", "3");
    assertThat(s.raw("HGETALL", "nosuch")).isEqualTo("%0\r\n");
    assertThat(s.raw("HGET", "nosuch", "a")).isEqualTo("_\r\n");
    assertThat(s.raw("HRANDFIELD", "h", "4", "WITHVALUES")).startsWith("*4\r\n*2\r\n");
    s.raw("HELLO", "2");
    assertThat(s.raw("HRANDFIELD", "h", "4", "WITHVALUES")).startsWith("*8\r\n$1\r\n");
    s.raw("SET", "str", "x");
    assertThat(s.raw("HGET", "str", "a"))
        .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  }

  @Test
  void listpackConvertsToHashtableAndNeverBack() {
    s.raw("CONFIG", "SET", "hash-max-listpack-entries", "3");
    s.raw("CONFIG", "SET", "hash-max-listpack-value", "5");
    s.raw("HSET", "h", "a", "1", "b", "2", "c", "3");
    assertThat(s.raw("OBJECT", "ENCODING", "h")).isEqualTo("$8\r\nlistpack\r\n");
    s.raw("HSET", "h", "d", "4");
    assertThat(s.raw("OBJECT", "ENCODING", "h")).isEqualTo("$9\r\nhashtable\r\n");
    s.raw("HDEL", "h", "a", "b", "c");
    assertThat(s.raw("OBJECT", "ENCODING", "h")).isEqualTo("$9\r\nhashtable\r\n");
    assertThat(s.raw("HGETALL", "h")).isEqualTo("*2\r\n$1\r\nd\r\n$1\r\n4\r\n");
    s.raw("HSET", "v", "f", "12345");
    assertThat(s.raw("OBJECT", "ENCODING", "v")).isEqualTo("$8\r\nlistpack\r\n");
    s.raw("HINCRBY", "v", "f", "100000");
    assertThat(s.raw("OBJECT", "ENCODING", "v")).isEqualTo("$9\r\nhashtable\r\n");
    assertThat(s.raw("HGET", "v", "f")).isEqualTo("$6\r\n112345\r\n");
  }

  @Test
  void eventsDirtyCountsAndDeletionOfEmptiedHashes() {
    s.raw("CONFIG", "SET", "notify-keyspace-events", "KEA");
    long dirty = s.dirty();
    s.raw("HSET", "h", "a", "1", "a", "1");
    assertThat(s.dirty() - dirty).isEqualTo(2);
    assertThat(s.events).containsExactly("__keyspace@0__:h hset", "__keyevent@0__:hset h");
    s.events.clear();
    s.raw("HINCRBY", "h", "n", "5");
    s.raw("HINCRBYFLOAT", "h", "n", "0.5");
    assertThat(s.events)
        .containsExactly(
            "__keyspace@0__:h hincrby",
            "__keyevent@0__:hincrby h",
            "__keyspace@0__:h hincrbyfloat",
            "__keyevent@0__:hincrbyfloat h");
    s.events.clear();
    dirty = s.dirty();
    assertThat(s.raw("HDEL", "h", "x")).isEqualTo(":0\r\n");
    assertThat(s.events).isEmpty();
    assertThat(s.dirty()).isEqualTo(dirty);
    assertThat(s.raw("HDEL", "h", "a", "n")).isEqualTo(":2\r\n");
    assertThat(s.dirty() - dirty).isEqualTo(2);
    assertThat(s.events)
        .containsExactly(
            "__keyspace@0__:h hdel", "__keyevent@0__:hdel h", "__keyspace@0__:h del", "__keyevent@0__:del h");
    assertThat(s.raw("EXISTS", "h")).isEqualTo(":0\r\n");
  }

  @Test
  void newKeysFireNewBeforeTheCommandsEvent() {
    s.raw("CONFIG", "SET", "notify-keyspace-events", "En$h");
    s.raw("HSETNX", "h", "a", "1");
    assertThat(s.events).containsExactly("__keyevent@0__:new h", "__keyevent@0__:hset h");
  }

  @Test
  void hincrbyfloatIsPropagatedAsHset() {
    s.raw("HINCRBYFLOAT", "h", "f", "1.10");
    s.raw("HINCRBYFLOAT", "h", "f", "1e2");
    s.raw("HSET", "h", "g", "1");
    s.raw("HINCRBY", "h", "g", "2");
    s.raw("HGET", "h", "g");
    assertThat(s.propagated)
        .containsExactly("HSET h f 1.1", "HSET h f 101.1", "HSET h g 1", "HINCRBY h g 2");
  }

  @Test
  void failedWritesChangeNothing() {
    s.raw("HSET", "h", "s", "abc", "big", "9223372036854775807");
    long dirty = s.dirty();
    assertThat(s.raw("HINCRBY", "h", "s", "1")).isEqualTo("-ERR hash value is not an integer\r\n");
    assertThat(s.raw("HINCRBY", "h", "big", "1"))
        .isEqualTo("-ERR increment or decrement would overflow\r\n");
    assertThat(s.raw("HINCRBYFLOAT", "h", "s", "1")).isEqualTo("-ERR hash value is not a float\r\n");
    assertThat(s.raw("HINCRBYFLOAT", "h", "x", "inf")).isEqualTo("-ERR value is NaN or Infinity\r\n");
    assertThat(s.raw("HINCRBYFLOAT", "new", "x", "nan")).isEqualTo("-ERR value is not a valid float\r\n");
    assertThat(s.raw("HINCRBY", "new", "x", "1.5"))
        .isEqualTo("-ERR value is not an integer or out of range\r\n");
    assertThat(s.raw("EXISTS", "new")).isEqualTo(":0\r\n");
    assertThat(s.dirty()).isEqualTo(dirty);
    assertThat(s.propagated).containsExactly("HSET h s abc big 9223372036854775807");
  }

  @Test
  void watchedHashesAbortTransactions() {
    InProcess.Session other = s.session();
    s.raw("HSET", "h", "a", "1");
    s.raw("WATCH", "h");
    other.raw("HDEL", "h", "nosuch");
    s.raw("MULTI");
    s.raw("HGET", "h", "a");
    assertThat(s.raw("EXEC")).isEqualTo("*1\r\n$1\r\n1\r\n");
    s.raw("WATCH", "h");
    other.raw("HINCRBY", "h", "a", "1");
    s.raw("MULTI");
    s.raw("HGET", "h", "a");
    assertThat(s.raw("EXEC")).isEqualTo("*-1\r\n");
  }

  @Test
  void memoryAccountingReturnsToItsBaseline() {
    // Slot tables, once created, stay: create those of both keys first.
    s.raw("HSET", "h", "a", "1");
    s.raw("HSET", "h2", "a", "1");
    s.raw("DEL", "h", "h2");
    long base = s.db().usedBytes();
    List<String> args = new ArrayList<>(List.of("HSET", "h"));
    for (int i = 0; i < 700; i++) args.addAll(List.of("field" + i, "value" + i));
    s.raw(args.toArray(new String[0]));
    assertThat(s.db().usedBytes()).isGreaterThan(base + 700 * 20);
    s.raw("HINCRBY", "h", "field1", "5");
    s.raw("HINCRBYFLOAT", "h", "field2", "1e300");
    s.raw("HSETNX", "h", "extra", "x".repeat(1000));
    for (int i = 0; i < 700; i += 2) s.raw("HDEL", "h", "field" + i);
    s.raw("COPY", "h", "h2");
    s.raw("DEL", "h2");
    List<String> rest = new ArrayList<>(List.of("HDEL", "h", "extra"));
    for (int i = 1; i < 700; i += 2) rest.add("field" + i);
    assertThat(s.raw(rest.toArray(new String[0]))).isEqualTo(":351\r\n");
    assertThat(s.raw("EXISTS", "h")).isEqualTo(":0\r\n");
    assertThat(s.db().usedBytes()).isEqualTo(base);
  }

  @Test
  void hscanReturnsEveryPairOfABigHash() {
    List<String> args = new ArrayList<>(List.of("HSET", "h"));
    for (int i = 0; i < 1000; i++) args.addAll(List.of("f" + i, "v" + i));
    s.raw(args.toArray(new String[0]));
    java.util.Map<String, String> seen = new java.util.HashMap<>();
    String cursor = "0";
    int calls = 0;
    do {
      var reply = s.call("HSCAN", "h", cursor, "COUNT", "37");
      cursor = reply.children().get(0).text();
      var items = reply.children().get(1).children();
      for (int i = 0; i < items.size(); i += 2) seen.put(items.get(i).text(), items.get(i + 1).text());
      calls++;
    } while (!cursor.equals("0"));
    assertThat(seen).hasSize(1000);
    assertThat(seen.get("f999")).isEqualTo("v999");
    assertThat(calls).isGreaterThan(10);
  }
}
