package io.redstart.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Connection-level behaviour over a raw socket: auth, HELLO, QUIT, CLIENT commands, pauses. */
class ConnectionBehaviourTest {

  /** Sends raw bytes and reads until the peer closes or {@code expected} bytes arrived. */
  private static String exchange(int port, String request, int expected) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      while (out.size() < expected) {
        int n = in.read(buf);
        if (n < 0) break;
        out.write(buf, 0, n);
      }
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void requirepassGatesCommandsUntilAuth() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).config("requirepass", "s3cret").start()) {
      String r = exchange(h.port(), "GET k\r\nAUTH wrong\r\nAUTH s3cret\r\nGET k\r\nAUTH default s3cret\r\nQUIT\r\n", 1000);
      assertThat(r).isEqualTo(
          "-NOAUTH Authentication required.\r\n"
              + "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
              + "+OK\r\n$-1\r\n+OK\r\n+OK\r\n");
      String hello = exchange(h.port(), "HELLO 3\r\nHELLO 3 AUTH default s3cret SETNAME me\r\nQUIT\r\n", 4000);
      assertThat(hello).startsWith("-NOAUTH HELLO must be called with the client already authenticated");
      assertThat(hello).contains("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n");
      assertThat(hello).contains("$5\r\nproto\r\n:3\r\n").endsWith("+OK\r\n");
      // Unauthenticated clients may not send big commands.
      assertThat(exchange(h.port(), "*11\r\n", 1000))
          .isEqualTo("-ERR Protocol error: unauthenticated multibulk length\r\n");
    }
  }

  @Test
  void authWithoutConfiguredPasswordIsAnError() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start()) {
      assertThat(exchange(h.port(), "AUTH x\r\nAUTH a b c\r\nQUIT\r\n", 1000))
          .isEqualTo("-ERR AUTH <password> called without any password configured for the default"
              + " user. Are you sure your configuration is correct?\r\n-ERR syntax error\r\n+OK\r\n");
    }
  }

  @Test
  void protocolErrorRepliesAfterEarlierRepliesThenCloses() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start()) {
      assertThat(exchange(h.port(), "PING\r\n*1\r\n$x\r\nPING\r\n", 1000))
          .isEqualTo("+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
    }
  }

  @Test
  void clientReplyOffAndSkip() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start()) {
      String r = exchange(h.port(),
          "CLIENT REPLY OFF\r\nPING\r\nCLIENT REPLY ON\r\nCLIENT REPLY SKIP\r\nPING\r\nPING x\r\nQUIT\r\n", 1000);
      assertThat(r).isEqualTo("+OK\r\n$1\r\nx\r\n+OK\r\n");
    }
  }

  @Test
  void clientKillAndNames() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        Jedis a = new Jedis("127.0.0.1", h.port());
        Jedis b = new Jedis("127.0.0.1", h.port())) {
      a.clientSetname("alpha");
      assertThat(a.clientGetname()).isEqualTo("alpha");
      long idB = b.clientId();
      assertThat(a.clientList()).contains("name=alpha").contains("id=" + idB);
      assertThat(a.clientKill(new redis.clients.jedis.params.ClientKillParams().id(Long.toString(idB))))
          .isEqualTo(1);
      assertThat(a.clientList()).doesNotContain("id=" + idB + " ");
    }
  }

  @Test
  void clientPauseHoldsWritesUntilUnpause() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        Jedis admin = new Jedis("127.0.0.1", h.port());
        Jedis writer = new Jedis("127.0.0.1", h.port())) {
      admin.clientPause(60_000, redis.clients.jedis.args.ClientPauseMode.WRITE);
      var pending = java.util.concurrent.CompletableFuture.supplyAsync(() -> writer.set("k", "v"));
      // Reads still work during a WRITE pause; the write waits.
      assertThat(admin.get("k")).isNull();
      long deadline = System.nanoTime() + Duration.ofMillis(300).toNanos();
      while (System.nanoTime() < deadline && !pending.isDone()) Thread.onSpinWait();
      assertThat(pending).isNotDone();
      admin.clientUnpause();
      assertThat(pending.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("OK");
      assertThat(admin.get("k")).isEqualTo("v");
    }
  }

  @Test
  void maxclientsRefusesExtraConnections() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).config("maxclients", "1").start();
        Jedis first = new Jedis("127.0.0.1", h.port())) {
      assertThat(first.ping()).isEqualTo("PONG");
      assertThat(exchange(h.port(), "", 100)).isEqualTo("-ERR max number of clients reached\r\n");
    }
  }

  @Test
  void configSetPortMovesTheListener() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        Jedis j = new Jedis("127.0.0.1", h.port())) {
      int fresh;
      try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
        fresh = probe.getLocalPort();
      }
      int old = h.port();
      assertThat(j.configSet("port", Integer.toString(fresh))).isEqualTo("OK");
      assertThat(h.port()).isEqualTo(fresh);
      try (Jedis moved = new Jedis("127.0.0.1", fresh)) {
        assertThat(moved.ping()).isEqualTo("PONG");
      }
      assertThat(j.ping()).isEqualTo("PONG"); // existing connections stay
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Socket("127.0.0.1", old).close())
          .isInstanceOf(java.net.ConnectException.class);
      try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> j.configSet("port", Integer.toString(taken.getLocalPort())))
            .hasMessageContaining("Unable to listen on this port");
        assertThat(j.configGet("port").get("port")).isEqualTo(Integer.toString(fresh));
      }
    }
  }

  @Test
  void unknownCommandsAndArity() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start()) {
      assertThat(exchange(h.port(), "FOO bar baz\r\nGET\r\nCONFIG\r\nOBJECT nope x\r\nQUIT\r\n", 1000))
          .isEqualTo("-ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' \r\n"
              + "-ERR wrong number of arguments for 'get' command\r\n"
              + "-ERR wrong number of arguments for 'config' command\r\n"
              + "-ERR unknown subcommand 'nope'. Try OBJECT HELP.\r\n"
              + "+OK\r\n");
    }
  }
}
