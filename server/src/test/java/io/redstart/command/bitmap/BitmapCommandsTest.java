package io.redstart.command.bitmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.testing.InProcessServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bitmap commands in process, through the dispatcher: replies, errors, encodings, keyspace
 * events, WATCH and the dirty count (what propagation and INFO see).
 */
class BitmapCommandsTest {
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

  @Test
  void setbitGrowsZeroFilledRawAndRepliesTheOldBit() {
    assertThat(c.call("SETBIT", "b", "7", "1")).isEqualTo(":0\r\n");
    assertThat(c.call("GET", "b")).isEqualTo("$1\r\n\u0001\r\n");
    assertThat(c.call("OBJECT", "ENCODING", "b")).isEqualTo("$3\r\nraw\r\n");
    assertThat(c.call("SETBIT", "b", "7", "0")).isEqualTo(":1\r\n");
    assertThat(c.call("SETBIT", "b", "100", "1")).isEqualTo(":0\r\n");
    assertThat(c.call("STRLEN", "b")).isEqualTo(":13\r\n");
    assertThat(c.call("GETBIT", "b", "100")).isEqualTo(":1\r\n");
    assertThat(c.call("GETBIT", "b", "101")).isEqualTo(":0\r\n");
    assertThat(c.call("GETBIT", "b", "1000000")).isEqualTo(":0\r\n");
    assertThat(c.call("GETBIT", "nosuch", "3")).isEqualTo(":0\r\n");
    c.call("SET", "n", "12");
    assertThat(c.call("GETBIT", "n", "2")).isEqualTo(":1\r\n");
    assertThat(c.call("OBJECT", "ENCODING", "n")).isEqualTo("$3\r\nint\r\n");
    assertThat(c.call("SETBIT", "n", "0", "0")).isEqualTo(":0\r\n");
    assertThat(c.call("OBJECT", "ENCODING", "n")).isEqualTo("$3\r\nraw\r\n");
    c.call("SET", "t", "v", "EX", "1000");
    c.call("SETBIT", "t", "0", "1");
    assertThat(c.call("TTL", "t")).isEqualTo(":1000\r\n");
  }

  @Test
  void offsetsAndBitValuesAreCheckedWithRedisErrors() {
    String offset = "-ERR bit offset is not an integer or out of range\r\n";
    String bit = "-ERR bit is not an integer or out of range\r\n";
    assertThat(c.call("SETBIT", "b", "4294967296", "1")).isEqualTo(offset);
    assertThat(c.call("SETBIT", "b", "-1", "1")).isEqualTo(offset);
    assertThat(c.call("SETBIT", "b", "x", "1")).isEqualTo(offset);
    assertThat(c.call("GETBIT", "b", "4294967296")).isEqualTo(offset);
    assertThat(c.call("GETBIT", "b", "4294967295")).isEqualTo(":0\r\n");
    assertThat(c.call("SETBIT", "b", "0", "2")).isEqualTo(bit);
    assertThat(c.call("SETBIT", "b", "0", "-1")).isEqualTo(bit);
    assertThat(c.call("SETBIT", "b", "x", "2")).isEqualTo(offset);
    assertThat(c.call("EXISTS", "b")).isEqualTo(":0\r\n");
    assertThat(c.call("CONFIG", "SET", "proto-max-bulk-len", "1mb")).isEqualTo("+OK\r\n");
    assertThat(c.call("SETBIT", "b", Long.toString(8L * 1024 * 1024), "1")).isEqualTo(offset);
    assertThat(c.call("SETBIT", "b", Long.toString(8L * 1024 * 1024 - 1), "1")).isEqualTo(":0\r\n");
    assertThat(c.call("STRLEN", "b")).isEqualTo(":1048576\r\n");
  }

  @Test
  void aLengthNoJavaArrayHoldsIsRefusedNotAttempted() {
    c.call("CONFIG", "SET", "proto-max-bulk-len", "8gb");
    assertThat(c.call("SETBIT", "b", Long.toString(17_179_869_176L), "1"))
        .isEqualTo("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
    assertThat(c.call("BITFIELD", "b", "SET", "u8", "#2147483647", "1"))
        .isEqualTo("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
    assertThat(c.call("EXISTS", "b")).isEqualTo(":0\r\n");
    assertThat(c.call("GETBIT", "b", Long.toString(17_179_869_176L))).isEqualTo(":0\r\n");
  }

  @Test
  void setbitNotifiesAndCountsOnlyRealChanges() {
    long before = dirty();
    c.call("SETBIT", "b", "3", "1");
    assertThat(server.takeNotifications())
        .containsExactly(
            "__keyspace@0__:b new",
            "__keyevent@0__:new b",
            "__keyspace@0__:b setbit",
            "__keyevent@0__:setbit b");
    assertThat(dirty()).isEqualTo(before + 1);
    c.call("SETBIT", "b", "3", "1");
    c.call("SETBIT", "b", "4", "0");
    assertThat(server.takeNotifications()).isEmpty();
    assertThat(dirty()).isEqualTo(before + 1);
    c.call("SETBIT", "b", "20", "0");
    assertThat(server.takeNotifications())
        .containsExactly("__keyspace@0__:b setbit", "__keyevent@0__:setbit b");
    assertThat(dirty()).isEqualTo(before + 2);
  }

  @Test
  void watchSeesChangedBitsOnly() {
    InProcessServer.Conn other = server.connect();
    c.call("SETBIT", "b", "0", "1");
    c.call("WATCH", "b");
    other.call("SETBIT", "b", "0", "1");
    other.call("BITFIELD", "b", "SET", "u1", "0", "1");
    c.call("MULTI");
    c.call("GETBIT", "b", "0");
    assertThat(c.call("EXEC")).isEqualTo("*1\r\n:1\r\n");
    c.call("WATCH", "b");
    other.call("BITFIELD", "b", "INCRBY", "u4", "0", "1");
    c.call("MULTI");
    c.call("GETBIT", "b", "0");
    assertThat(c.call("EXEC")).isEqualTo("*-1\r\n");
    c.call("WATCH", "d");
    other.call("BITOP", "NOT", "d", "b");
    c.call("MULTI");
    c.call("GET", "d");
    assertThat(c.call("EXEC")).isEqualTo("*-1\r\n");
  }

  @Test
  void bitcountRangesInBytesAndBits() {
    c.call("SET", "s", "foobar");
    assertThat(c.call("BITCOUNT", "s")).isEqualTo(":26\r\n");
    assertThat(c.call("BITCOUNT", "s", "1", "1")).isEqualTo(":6\r\n");
    assertThat(c.call("BITCOUNT", "s", "1", "1", "BYTE")).isEqualTo(":6\r\n");
    assertThat(c.call("BITCOUNT", "s", "5", "30", "BIT")).isEqualTo(":17\r\n");
    assertThat(c.call("BITCOUNT", "s", "-2", "-1")).isEqualTo(":7\r\n");
    assertThat(c.call("BITCOUNT", "s", "-1", "-2", "FOO")).isEqualTo(":0\r\n");
    assertThat(c.call("BITCOUNT", "s", "0", "-2", "FOO")).isEqualTo("-ERR syntax error\r\n");
    assertThat(c.call("BITCOUNT", "s", "0")).isEqualTo("-ERR syntax error\r\n");
    assertThat(c.call("BITCOUNT", "s", "a", "1"))
        .isEqualTo("-ERR value is not an integer or out of range\r\n");
    assertThat(c.call("BITCOUNT", "nosuch", "a", "b", "c")).isEqualTo(":0\r\n");
  }

  @Test
  void bitposWithAndWithoutAnEnd() {
    c.call("SET", "f", "\u00ff\u00ff\u00ff");
    assertThat(c.call("BITPOS", "f", "0")).isEqualTo(":24\r\n");
    assertThat(c.call("BITPOS", "f", "0", "0")).isEqualTo(":24\r\n");
    assertThat(c.call("BITPOS", "f", "0", "0", "-1")).isEqualTo(":-1\r\n");
    c.call("SET", "m", "\u0000\u00ff\u00f0");
    assertThat(c.call("BITPOS", "m", "1")).isEqualTo(":8\r\n");
    assertThat(c.call("BITPOS", "m", "1", "2")).isEqualTo(":16\r\n");
    assertThat(c.call("BITPOS", "m", "1", "7", "15", "BIT")).isEqualTo(":8\r\n");
    assertThat(c.call("BITPOS", "m", "0", "8", "15", "BIT")).isEqualTo(":-1\r\n");
    assertThat(c.call("BITPOS", "m", "0", "8", "20", "BIT")).isEqualTo(":20\r\n");
    assertThat(c.call("BITPOS", "nosuch", "0")).isEqualTo(":0\r\n");
    assertThat(c.call("BITPOS", "nosuch", "1")).isEqualTo(":-1\r\n");
    assertThat(c.call("BITPOS", "m", "2")).isEqualTo("-ERR The bit argument must be 1 or 0.\r\n");
    c.call("SET", "empty", "");
    assertThat(c.call("BITPOS", "empty", "0")).isEqualTo(":-1\r\n");
  }

  @Test
  void bitopStoresRawReplacesAnyKeyAndDeletesOnEmpty() {
    c.call("SET", "a", "\u000f\u00f0");
    c.call("SET", "b", "\u00ff");
    server.takeNotifications();
    assertThat(c.call("BITOP", "AND", "d", "a", "b")).isEqualTo(":2\r\n");
    assertThat(c.call("GET", "d")).isEqualTo("$2\r\n\u000f\u0000\r\n");
    assertThat(c.call("OBJECT", "ENCODING", "d")).isEqualTo("$3\r\nraw\r\n");
    assertThat(server.takeNotifications())
        .containsExactly(
            "__keyspace@0__:d new",
            "__keyevent@0__:new d",
            "__keyspace@0__:d set",
            "__keyevent@0__:set d");
    c.call("EXPIRE", "d", "1000");
    assertThat(c.call("BITOP", "XOR", "d", "a", "b")).isEqualTo(":2\r\n");
    assertThat(c.call("GET", "d")).isEqualTo("$2\r\n\u00f0\u00f0\r\n");
    assertThat(c.call("TTL", "d")).isEqualTo(":-1\r\n");
    assertThat(c.call("BITOP", "NOT", "d", "a", "b"))
        .isEqualTo("-ERR BITOP NOT must be called with a single source key.\r\n");
    assertThat(c.call("BITOP", "NAND", "d", "a")).isEqualTo("-ERR syntax error\r\n");
    server.takeNotifications();
    long before = dirty();
    assertThat(c.call("BITOP", "OR", "d", "nosuch")).isEqualTo(":0\r\n");
    assertThat(c.call("EXISTS", "d")).isEqualTo(":0\r\n");
    assertThat(server.takeNotifications())
        .containsExactly("__keyspace@0__:d del", "__keyevent@0__:del d");
    assertThat(c.call("BITOP", "OR", "d", "nosuch")).isEqualTo(":0\r\n");
    assertThat(dirty()).isEqualTo(before + 1);
  }

  @Test
  void bitfieldOperationsOverflowAndEvents() {
    assertThat(c.call("BITFIELD", "bits", "SET", "u8", "0", "255", "INCRBY", "u8", "0", "100",
            "GET", "u8", "0"))
        .isEqualTo("*3\r\n:0\r\n:99\r\n:99\r\n");
    assertThat(c.call("BITFIELD", "bits", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "257"))
        .isEqualTo("*1\r\n:127\r\n");
    assertThat(c.call("BITFIELD", "bits", "OVERFLOW", "FAIL", "INCRBY", "i8", "0", "1"))
        .isEqualTo("*1\r\n$-1\r\n");
    c.client().protocol(3);
    assertThat(c.call("BITFIELD", "bits", "OVERFLOW", "FAIL", "INCRBY", "i8", "0", "1"))
        .isEqualTo("*1\r\n_\r\n");
    c.client().protocol(2);
    assertThat(c.call("BITFIELD", "bits", "GET", "u64", "0"))
        .isEqualTo(
            "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not"
                + " supported but i64 is.\r\n");
    assertThat(c.call("BITFIELD", "bits", "OVERFLOW", "NONE"))
        .isEqualTo("-ERR Invalid OVERFLOW type specified\r\n");
    assertThat(c.call("BITFIELD", "bits", "GET", "u8")).isEqualTo("-ERR syntax error\r\n");
    assertThat(c.call("BITFIELD_RO", "bits", "GET", "u8", "0", "SET", "u8", "0", "1"))
        .isEqualTo("-ERR BITFIELD_RO only supports the GET subcommand\r\n");
    assertThat(c.call("BITFIELD_RO", "bits", "GET", "u8", "#0")).isEqualTo("*1\r\n:127\r\n");

    server.takeNotifications();
    long before = dirty();
    assertThat(c.call("BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u2", "100", "10"))
        .isEqualTo("*1\r\n$-1\r\n");
    assertThat(server.takeNotifications())
        .as("the key is made, but nothing changed in it")
        .containsExactly("__keyspace@0__:f new", "__keyevent@0__:new f");
    assertThat(dirty()).isEqualTo(before);
    assertThat(c.call("STRLEN", "f")).isEqualTo(":13\r\n");
    assertThat(c.call("BITFIELD", "f", "SET", "u8", "#0", "1", "SET", "u8", "#1", "2", "SET",
            "u8", "#0", "1"))
        .isEqualTo("*3\r\n:0\r\n:0\r\n:1\r\n");
    assertThat(server.takeNotifications())
        .containsExactly("__keyspace@0__:f setbit", "__keyevent@0__:setbit f");
    assertThat(dirty()).as("one per changed field").isEqualTo(before + 2);
  }

  /** A key of another type, made directly: the list commands are not needed to meet WRONGTYPE. */
  private void makeList(String key) {
    server
        .server()
        .keyspace()
        .db(0)
        .setValue(
            key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
            io.redstart.types.ValueType.LIST,
            0,
            new Object(),
            io.redstart.store.Database.NO_EXPIRE,
            0);
  }

  @Test
  void wrongTypeComesInRedisOrder() {
    String wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    makeList("l");
    assertThat(c.call("SETBIT", "l", "x", "1"))
        .isEqualTo("-ERR bit offset is not an integer or out of range\r\n");
    assertThat(c.call("SETBIT", "l", "0", "1")).isEqualTo(wrongType);
    assertThat(c.call("GETBIT", "l", "0")).isEqualTo(wrongType);
    assertThat(c.call("BITCOUNT", "l", "a", "b")).isEqualTo(wrongType);
    assertThat(c.call("BITPOS", "l", "2")).isEqualTo("-ERR The bit argument must be 1 or 0.\r\n");
    assertThat(c.call("BITPOS", "l", "1", "x")).isEqualTo(wrongType);
    assertThat(c.call("BITFIELD", "l", "FOO")).isEqualTo("-ERR syntax error\r\n");
    assertThat(c.call("BITFIELD", "l", "GET", "u8", "0")).isEqualTo(wrongType);
    assertThat(c.call("BITFIELD", "l", "SET", "u8", "0", "1")).isEqualTo(wrongType);
    assertThat(c.call("BITFIELD_RO", "l", "GET", "u8", "0")).isEqualTo(wrongType);
    assertThat(c.call("BITOP", "AND", "d", "l")).isEqualTo(wrongType);
    c.call("SET", "s", "x");
    assertThat(c.call("BITOP", "AND", "d", "s", "l")).isEqualTo(wrongType);
    assertThat(c.call("EXISTS", "d")).isEqualTo(":0\r\n");
    assertThat(c.call("BITOP", "OR", "l", "s")).isEqualTo(":1\r\n");
    assertThat(c.call("TYPE", "l")).isEqualTo("+string\r\n");
    makeList("l2");
    assertThat(c.call("BITOP", "OR", "l2", "nosuch")).isEqualTo(":0\r\n");
    assertThat(c.call("EXISTS", "l2")).isEqualTo(":0\r\n");
  }
}
