package io.redstart.command.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** MIGRATE between two servers: moves, copies, errors of the target, options and the cache. */
class MigrateTest {

  private static String s(byte[] reply) {
    return Bytes.latin1(reply);
  }

  @Test
  void movesCopiesAndReportsTheTargetsErrors() throws Exception {
    try (Redstart.Handle from = Redstart.builder().port(0).start();
        Redstart.Handle to = Redstart.builder().port(0).start();
        RawClient a = RawClient.connect(from.port());
        RawClient b = RawClient.connect(to.port())) {
      String port = Integer.toString(to.port());
      assertThat(s(a.call("INFO", "stats"))).contains("migrate_cached_sockets:0\r\n");
      a.call("SET", "key", "Some Value");
      assertThat(s(a.call("MIGRATE", "127.0.0.1", port, "key", "9", "5000"))).isEqualTo("+OK\r\n");
      assertThat(s(a.call("EXISTS", "key"))).isEqualTo(":0\r\n");
      b.call("SELECT", "9");
      assertThat(s(b.call("GET", "key"))).isEqualTo("$10\r\nSome Value\r\n");
      assertThat(s(b.call("TTL", "key"))).isEqualTo(":-1\r\n");
      assertThat(s(a.call("INFO", "stats"))).contains("migrate_cached_sockets:1\r\n");

      // COPY keeps the key here; a TTL goes along.
      a.call("RPUSH", "list", "a", "b", "c");
      a.call("PEXPIRE", "list", "100000");
      assertThat(s(a.call("MIGRATE", "127.0.0.1", port, "list", "9", "5000", "COPY")))
          .isEqualTo("+OK\r\n");
      assertThat(s(a.call("EXISTS", "list"))).isEqualTo(":1\r\n");
      assertThat(s(b.call("LRANGE", "list", "0", "-1")))
          .isEqualTo("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
      long pttl = Long.parseLong(s(b.call("PTTL", "list")).trim().substring(1));
      assertThat(pttl).isBetween(90_000L, 100_000L);

      // The target refuses to overwrite without REPLACE.
      assertThat(s(a.call("MIGRATE", "127.0.0.1", port, "list", "9", "5000")))
          .isEqualTo("-ERR Target instance replied with error: BUSYKEY Target key name already"
              + " exists.\r\n");
      assertThat(s(a.call("EXISTS", "list"))).isEqualTo(":1\r\n");
      assertThat(s(a.call("MIGRATE", "127.0.0.1", port, "list", "9", "5000", "REPLACE")))
          .isEqualTo("+OK\r\n");
      assertThat(s(a.call("EXISTS", "list"))).isEqualTo(":0\r\n");

      // KEYS: only the keys that exist; those the target refused stay.
      a.call("MSET", "k1", "1", "k2", "2", "k3", "3");
      b.call("SET", "k2", "busy");
      assertThat(s(a.call("MIGRATE", "127.0.0.1", port, "", "9", "5000", "KEYS", "k1", "nokey",
              "k2", "k3")))
          .startsWith("-ERR Target instance replied with error: BUSYKEY");
      assertThat(s(a.call("KEYS", "k*"))).isEqualTo("*1\r\n$2\r\nk2\r\n");
      assertThat(s(b.call("MGET", "k1", "k2", "k3")))
          .isEqualTo("*3\r\n$1\r\n1\r\n$4\r\nbusy\r\n$1\r\n3\r\n");
      assertThat(s(a.call("MIGRATE", "127.0.0.1", port, "", "9", "5000", "KEYS", "x", "y")))
          .isEqualTo("+NOKEY\r\n");
    }
  }

  @Test
  void argumentErrorsAuthAndUnreachableTargets() throws Exception {
    try (Redstart.Handle from = Redstart.builder().port(0).start();
        Redstart.Handle to = Redstart.builder().port(0).start();
        RawClient a = RawClient.connect(from.port());
        RawClient b = RawClient.connect(to.port())) {
      String port = Integer.toString(to.port());
      a.call("SET", "key", "v");
      assertThat(s(a.call("MIGRATE", "127.0.0.1", port, "key", "0", "5000", "KEYS", "key")))
          .isEqualTo("-ERR When using MIGRATE KEYS option, the key argument must be set to the"
              + " empty string\r\n");
      assertThat(s(a.call("MIGRATE", "127.0.0.1", port, "key", "0", "5000", "FOO")))
          .isEqualTo("-ERR syntax error\r\n");
      assertThat(s(a.call("MIGRATE", "127.0.0.1", port, "key", "0", "5000", "AUTH")))
          .isEqualTo("-ERR syntax error\r\n");
      assertThat(s(a.call("MIGRATE", "127.0.0.1", port, "key", "x", "5000")))
          .isEqualTo("-ERR value is not an integer or out of range\r\n");

      b.call("CONFIG", "SET", "requirepass", "foobar");
      assertThat(s(a.call("MIGRATE", "127.0.0.1", port, "key", "0", "5000", "AUTH", "wrong")))
          .startsWith("-ERR Target instance replied with error: WRONGPASS");
      assertThat(s(a.call("MIGRATE", "127.0.0.1", port, "key", "0", "5000", "AUTH2", "default",
              "foobar")))
          .isEqualTo("+OK\r\n");

      int closed;
      try (ServerSocket ss = new ServerSocket(0)) {
        closed = ss.getLocalPort();
      }
      a.call("SET", "key", "v");
      assertThat(s(a.call("MIGRATE", "127.0.0.1", Integer.toString(closed), "key", "0", "1000")))
          .isEqualTo("-IOERR error or timeout writing to target instance\r\n");
      assertThat(s(a.call("EXISTS", "key"))).isEqualTo(":1\r\n");
    }
  }
}
