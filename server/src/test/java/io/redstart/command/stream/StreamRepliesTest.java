package io.redstart.command.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.testing.InProcessServer;
import org.junit.jupiter.api.Test;

/**
 * Replies of every stream command and its main options, in process, in one sequence: the bytes
 * redis-server 7.0.15 answered for the same sequence (recorded from it), so that they are checked
 * where there is no redis-server to compare with. The differential scripts compare many more
 * against a live one.
 */
class StreamRepliesTest {
  @Test
  void repliesAreRedis() throws Exception {
    InProcessServer server = new InProcessServer();
    InProcessServer.Conn c = server.connect();
    assertThat(c.call("XADD", "s", "1-1", "a", "1", "b", "2")).isEqualTo("$3\r\n1-1\r\n");
    assertThat(c.call("XADD", "s", "1-*", "c", "3")).isEqualTo("$3\r\n1-2\r\n");
    assertThat(c.call("XADD", "s", "5", "d", "4")).isEqualTo("$3\r\n5-0\r\n");
    assertThat(c.call("XADD", "s", "5-0", "d", "4"))
        .isEqualTo(
            "-ERR The ID specified in XADD is equal or smaller than the target stream top"
                + " item\r\n");
    assertThat(c.call("XADD", "s", "0-0", "d", "4"))
        .isEqualTo("-ERR The ID specified in XADD must be greater than 0-0\r\n");
    assertThat(c.call("XADD", "s", "bad", "d", "4"))
        .isEqualTo("-ERR Invalid stream ID specified as stream command argument\r\n");
    assertThat(c.call("XADD", "s", "6-0", "d"))
        .isEqualTo("-ERR wrong number of arguments for 'xadd' command\r\n");
    assertThat(c.call("XADD", "s", "MAXLEN", "5", "MINID", "1", "7-0", "a", "1"))
        .isEqualTo(
            "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n");
    assertThat(c.call("XADD", "s", "LIMIT", "5", "7-0", "a", "1"))
        .isEqualTo(
            "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n");
    assertThat(c.call("XADD", "s", "MAXLEN", "5", "LIMIT", "5", "7-0", "a", "1"))
        .isEqualTo("-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n");
    assertThat(c.call("XADD", "s", "MAXLEN", "-1", "7-0", "a", "1"))
        .isEqualTo("-ERR The MAXLEN argument must be >= 0.\r\n");
    assertThat(c.call("XADD", "nokey", "NOMKSTREAM", "1-1", "a", "1")).isEqualTo("$-1\r\n");
    assertThat(c.call("XADD", "s", "MAXLEN", "=", "3", "7-0", "e", "5")).isEqualTo("$3\r\n7-0\r\n");
    assertThat(c.call("XLEN", "s")).isEqualTo(":3\r\n");
    assertThat(c.call("XLEN", "nokey")).isEqualTo(":0\r\n");
    assertThat(c.call("XRANGE", "s", "-", "+"))
        .isEqualTo(
            "*3\r\n"
                + "*2\r\n"
                + "$3\r\n"
                + "1-2\r\n"
                + "*2\r\n"
                + "$1\r\n"
                + "c\r\n"
                + "$1\r\n"
                + "3\r\n"
                + "*2\r\n"
                + "$3\r\n"
                + "5-0\r\n"
                + "*2\r\n"
                + "$1\r\n"
                + "d\r\n"
                + "$1\r\n"
                + "4\r\n"
                + "*2\r\n"
                + "$3\r\n"
                + "7-0\r\n"
                + "*2\r\n"
                + "$1\r\n"
                + "e\r\n"
                + "$1\r\n"
                + "5\r\n");
    assertThat(c.call("XRANGE", "s", "(1-1", "5"))
        .isEqualTo(
            "*2\r\n"
                + "*2\r\n"
                + "$3\r\n"
                + "1-2\r\n"
                + "*2\r\n"
                + "$1\r\n"
                + "c\r\n"
                + "$1\r\n"
                + "3\r\n"
                + "*2\r\n"
                + "$3\r\n"
                + "5-0\r\n"
                + "*2\r\n"
                + "$1\r\n"
                + "d\r\n"
                + "$1\r\n"
                + "4\r\n");
    assertThat(c.call("XRANGE", "s", "-", "+", "COUNT", "1"))
        .isEqualTo("*1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assertThat(c.call("XRANGE", "s", "-", "+", "COUNT", "0")).isEqualTo("*-1\r\n");
    assertThat(c.call("XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"))
        .isEqualTo("-ERR invalid start ID for the interval\r\n");
    assertThat(c.call("XRANGE", "s", "-", "+", "FOO")).isEqualTo("-ERR syntax error\r\n");
    assertThat(c.call("XREVRANGE", "s", "+", "-", "COUNT", "2"))
        .isEqualTo(
            "*2\r\n"
                + "*2\r\n"
                + "$3\r\n"
                + "7-0\r\n"
                + "*2\r\n"
                + "$1\r\n"
                + "e\r\n"
                + "$1\r\n"
                + "5\r\n"
                + "*2\r\n"
                + "$3\r\n"
                + "5-0\r\n"
                + "*2\r\n"
                + "$1\r\n"
                + "d\r\n"
                + "$1\r\n"
                + "4\r\n");
    assertThat(c.call("XRANGE", "nokey", "-", "+")).isEqualTo("*0\r\n");
    assertThat(c.call("XDEL", "s", "5-0", "9-9")).isEqualTo(":1\r\n");
    assertThat(c.call("XDEL", "s", "bad"))
        .isEqualTo("-ERR Invalid stream ID specified as stream command argument\r\n");
    assertThat(c.call("XTRIM", "s", "MAXLEN", "1")).isEqualTo(":1\r\n");
    assertThat(c.call("XTRIM", "s"))
        .isEqualTo("-ERR wrong number of arguments for 'xtrim' command\r\n");
    assertThat(c.call("XTRIM", "s", "LIMIT", "5"))
        .isEqualTo(
            "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n");
    assertThat(c.call("XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "0")).isEqualTo(":1\r\n");
    assertThat(c.call("XSETID", "s", "1-0")).isEqualTo("+OK\r\n");
    assertThat(c.call("XSETID", "s", "8-0", "ENTRIESADDED", "1")).isEqualTo("+OK\r\n");
    assertThat(c.call("XSETID", "s", "9-0", "ENTRIESADDED", "10", "MAXDELETEDID", "2-0"))
        .isEqualTo("+OK\r\n");
    assertThat(c.call("XSETID", "nokey", "1-0")).isEqualTo("-ERR no such key\r\n");
    assertThat(c.call("XINFO", "STREAM", "s"))
        .isEqualTo(
            "*20\r\n"
                + "$6\r\n"
                + "length\r\n"
                + ":0\r\n"
                + "$15\r\n"
                + "radix-tree-keys\r\n"
                + ":0\r\n"
                + "$16\r\n"
                + "radix-tree-nodes\r\n"
                + ":1\r\n"
                + "$17\r\n"
                + "last-generated-id\r\n"
                + "$3\r\n"
                + "9-0\r\n"
                + "$20\r\n"
                + "max-deleted-entry-id\r\n"
                + "$3\r\n"
                + "2-0\r\n"
                + "$13\r\n"
                + "entries-added\r\n"
                + ":10\r\n"
                + "$23\r\n"
                + "recorded-first-entry-id\r\n"
                + "$3\r\n"
                + "0-0\r\n"
                + "$6\r\n"
                + "groups\r\n"
                + ":0\r\n"
                + "$11\r\n"
                + "first-entry\r\n"
                + "$-1\r\n"
                + "$10\r\n"
                + "last-entry\r\n"
                + "$-1\r\n");
    assertThat(c.call("XINFO", "STREAM", "s", "FULL"))
        .isEqualTo(
            "*18\r\n"
                + "$6\r\n"
                + "length\r\n"
                + ":0\r\n"
                + "$15\r\n"
                + "radix-tree-keys\r\n"
                + ":0\r\n"
                + "$16\r\n"
                + "radix-tree-nodes\r\n"
                + ":1\r\n"
                + "$17\r\n"
                + "last-generated-id\r\n"
                + "$3\r\n"
                + "9-0\r\n"
                + "$20\r\n"
                + "max-deleted-entry-id\r\n"
                + "$3\r\n"
                + "2-0\r\n"
                + "$13\r\n"
                + "entries-added\r\n"
                + ":10\r\n"
                + "$23\r\n"
                + "recorded-first-entry-id\r\n"
                + "$3\r\n"
                + "0-0\r\n"
                + "$7\r\n"
                + "entries\r\n"
                + "*0\r\n"
                + "$6\r\n"
                + "groups\r\n"
                + "*0\r\n");
    assertThat(c.call("XINFO", "STREAM", "nokey")).isEqualTo("-ERR no such key\r\n");
    assertThat(c.call("XINFO", "STREAM", "s", "FOO"))
        .isEqualTo(
            "-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO"
                + " HELP.\r\n");
    assertThat(c.call("XADD", "t", "1-0", "f", "v")).isEqualTo("$3\r\n1-0\r\n");
    assertThat(c.call("XADD", "t", "2-0", "f", "w")).isEqualTo("$3\r\n2-0\r\n");
    assertThat(c.call("XREAD", "STREAMS", "t", "0"))
        .isEqualTo(
            "*1\r\n"
                + "*2\r\n"
                + "$1\r\n"
                + "t\r\n"
                + "*2\r\n"
                + "*2\r\n"
                + "$3\r\n"
                + "1-0\r\n"
                + "*2\r\n"
                + "$1\r\n"
                + "f\r\n"
                + "$1\r\n"
                + "v\r\n"
                + "*2\r\n"
                + "$3\r\n"
                + "2-0\r\n"
                + "*2\r\n"
                + "$1\r\n"
                + "f\r\n"
                + "$1\r\n"
                + "w\r\n");
    assertThat(c.call("XREAD", "COUNT", "1", "STREAMS", "t", "s", "0", "0"))
        .isEqualTo("*1\r\n*2\r\n$1\r\nt\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
    assertThat(c.call("XREAD", "STREAMS", "t", "$")).isEqualTo("*-1\r\n");
    assertThat(c.call("XREAD", "STREAMS", "t"))
        .isEqualTo("-ERR wrong number of arguments for 'xread' command\r\n");
    assertThat(c.call("XREAD", "STREAMS", "t", ">"))
        .isEqualTo(
            "-ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group>"
                + " <consumer> option.\r\n");
    assertThat(c.call("XREAD", "GROUP", "g", "c", "STREAMS", "t", "0"))
        .isEqualTo(
            "-ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.\r\n");
    assertThat(c.call("XGROUP", "CREATE", "t", "g", "0")).isEqualTo("+OK\r\n");
    assertThat(c.call("XGROUP", "CREATE", "t", "g", "0"))
        .isEqualTo("-BUSYGROUP Consumer Group name already exists\r\n");
    assertThat(c.call("XGROUP", "CREATE", "nokey", "g", "0"))
        .isEqualTo(
            "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may"
                + " want to use the MKSTREAM option to create an empty stream automatically.\r\n");
    assertThat(c.call("XGROUP", "CREATE", "new", "g", "$", "MKSTREAM")).isEqualTo("+OK\r\n");
    assertThat(c.call("XGROUP", "CREATE", "t", "g2", "$", "ENTRIESREAD", "-2"))
        .isEqualTo("-ERR value for ENTRIESREAD must be positive or -1\r\n");
    assertThat(c.call("XGROUP", "SETID", "t", "nog", "0"))
        .isEqualTo("-NOGROUP No such consumer group 'nog' for key name 't'\r\n");
    assertThat(c.call("XGROUP", "HELP"))
        .isEqualTo(
            "*17\r\n"
                + "+XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                + "+CREATE <key> <groupname> <id|$> [option]\r\n"
                + "+    Create a new consumer group. Options are:\r\n"
                + "+    * MKSTREAM\r\n"
                + "+      Create the empty stream if it does not exist.\r\n"
                + "+    * ENTRIESREAD entries_read\r\n"
                + "+      Set the group's entries_read counter (internal use).\r\n"
                + "+CREATECONSUMER <key> <groupname> <consumer>\r\n"
                + "+    Create a new consumer in the specified group.\r\n"
                + "+DELCONSUMER <key> <groupname> <consumer>\r\n"
                + "+    Remove the specified consumer.\r\n"
                + "+DESTROY <key> <groupname>\r\n"
                + "+    Remove the specified group.\r\n"
                + "+SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]\r\n"
                + "+    Set the current group ID and entries_read counter.\r\n"
                + "+HELP\r\n"
                + "+    Prints this help.\r\n");
    assertThat(c.call("XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "t", ">"))
        .isEqualTo("*1\r\n*2\r\n$1\r\nt\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
    assertThat(c.call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "t", "$"))
        .isEqualTo(
            "-ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the"
                + " history of this consumer by specifying a proper ID, or use the > ID to get new"
                + " messages. The $ ID would just return an empty result set.\r\n");
    assertThat(c.call("XREADGROUP", "GROUP", "nog", "c1", "STREAMS", "t", ">"))
        .isEqualTo(
            "-NOGROUP No such key 't' or consumer group 'nog' in XREADGROUP with GROUP option\r\n");
    assertThat(c.call("XREADGROUP", "STREAMS", "t", ">"))
        .isEqualTo("-ERR wrong number of arguments for 'xreadgroup' command\r\n");
    assertThat(c.call("XREADGROUP", "GROUP", "g", "c2", "NOACK", "STREAMS", "t", ">"))
        .isEqualTo("*1\r\n*2\r\n$1\r\nt\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\nw\r\n");
    assertThat(c.call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "t", "0"))
        .isEqualTo("*1\r\n*2\r\n$1\r\nt\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
    assertThat(c.call("XPENDING", "t", "g"))
        .isEqualTo("*4\r\n:1\r\n$3\r\n1-0\r\n$3\r\n1-0\r\n*1\r\n*2\r\n$2\r\nc1\r\n$1\r\n1\r\n");
    assertThat(c.call("XPENDING", "t", "nog"))
        .isEqualTo("-NOGROUP No such key 't' or consumer group 'nog'\r\n");
    assertThat(c.call("XPENDING", "t", "g", "-", "+", "10", "nobody")).isEqualTo("*0\r\n");
    assertThat(c.call("XPENDING", "t", "g", "-", "+", "0")).isEqualTo("*0\r\n");
    assertThat(c.call("XPENDING", "t", "g", "-", "+")).isEqualTo("-ERR syntax error\r\n");
    assertThat(c.call("XACK", "t", "g", "1-0", "9-9")).isEqualTo(":1\r\n");
    assertThat(c.call("XACK", "t", "g", "bad"))
        .isEqualTo("-ERR Invalid stream ID specified as stream command argument\r\n");
    assertThat(c.call("XACK", "nokey", "g", "1-0")).isEqualTo(":0\r\n");
    assertThat(c.call("XGROUP", "CREATECONSUMER", "t", "g", "c9")).isEqualTo(":1\r\n");
    assertThat(c.call("XGROUP", "DELCONSUMER", "t", "g", "c9")).isEqualTo(":0\r\n");
    assertThat(c.call("XINFO", "GROUPS", "t"))
        .isEqualTo(
            "*1\r\n"
                + "*12\r\n"
                + "$4\r\n"
                + "name\r\n"
                + "$1\r\n"
                + "g\r\n"
                + "$9\r\n"
                + "consumers\r\n"
                + ":2\r\n"
                + "$7\r\n"
                + "pending\r\n"
                + ":0\r\n"
                + "$17\r\n"
                + "last-delivered-id\r\n"
                + "$3\r\n"
                + "2-0\r\n"
                + "$12\r\n"
                + "entries-read\r\n"
                + ":2\r\n"
                + "$3\r\n"
                + "lag\r\n"
                + ":0\r\n");
    assertThat(c.call("XCLAIM", "t", "g", "c3", "0", "2-0", "FORCE", "JUSTID"))
        .isEqualTo("*1\r\n$3\r\n2-0\r\n");
    assertThat(c.call("XCLAIM", "t", "g", "c3", "0", "1-0", "LASTID", "x"))
        .isEqualTo("-ERR Invalid stream ID specified as stream command argument\r\n");
    assertThat(c.call("XCLAIM", "t", "g", "c3", "0", "1-0", "FOO"))
        .isEqualTo("-ERR Unrecognized XCLAIM option 'FOO'\r\n");
    assertThat(c.call("XCLAIM", "t", "g", "c3", "x", "1-0"))
        .isEqualTo("-ERR Invalid min-idle-time argument for XCLAIM\r\n");
    assertThat(c.call("XCLAIM", "nokey", "g", "c3", "0", "1-0"))
        .isEqualTo("-NOGROUP No such key 'nokey' or consumer group 'g'\r\n");
    assertThat(c.call("XAUTOCLAIM", "t", "g", "c4", "0", "0", "JUSTID"))
        .isEqualTo("*3\r\n$3\r\n0-0\r\n*1\r\n$3\r\n2-0\r\n*0\r\n");
    assertThat(c.call("XAUTOCLAIM", "t", "g", "c4", "0", "0", "COUNT", "0"))
        .isEqualTo("-ERR COUNT must be > 0\r\n");
    assertThat(c.call("XAUTOCLAIM", "t", "g", "c4", "x", "0"))
        .isEqualTo("-ERR Invalid min-idle-time argument for XAUTOCLAIM\r\n");
    assertThat(c.call("XAUTOCLAIM", "nokey", "g", "c4", "0", "0"))
        .isEqualTo("-NOGROUP No such key 'nokey' or consumer group 'g'\r\n");
    assertThat(c.call("XGROUP", "DESTROY", "t", "g")).isEqualTo(":1\r\n");
    assertThat(c.call("XGROUP", "DESTROY", "t", "g")).isEqualTo(":0\r\n");
    assertThat(c.call("XINFO", "HELP"))
        .isEqualTo(
            "*9\r\n"
                + "+XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                + "+CONSUMERS <key> <groupname>\r\n"
                + "+    Show consumers of <groupname>.\r\n"
                + "+GROUPS <key>\r\n"
                + "+    Show the stream consumer groups.\r\n"
                + "+STREAM <key> [FULL [COUNT <count>]\r\n"
                + "+    Show information about the stream.\r\n"
                + "+HELP\r\n"
                + "+    Prints this help.\r\n");
    assertThat(c.call("SET", "str", "x")).isEqualTo("+OK\r\n");
    assertThat(c.call("XADD", "str", "1-0", "a", "1"))
        .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assertThat(c.call("XRANGE", "str", "-", "+"))
        .isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  }
}
