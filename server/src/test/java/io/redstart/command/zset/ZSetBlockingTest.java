package io.redstart.command.zset;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BZPOPMIN, BZPOPMAX and BZMPOP with concurrent clients on an embedded server: who is served and in
 * which order, timeouts, RESP3 replies, transactions that must not wake anyone, and what is
 * propagated when a blocked client is served.
 */
class ZSetBlockingTest {
  private static Redstart.Handle server;
  private static final List<String> propagated = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
    server
        .server()
        .call(
            () -> {
              server
                  .server()
                  .propagator()
                  .addFeed(
                      (db, argv) -> {
                        StringBuilder sb = new StringBuilder();
                        for (byte[] a : argv)
                          sb.append(sb.isEmpty() ? "" : " ").append(Bytes.latin1(a));
                        propagated.add(sb.toString());
                      });
              return null;
            });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void flush() throws Exception {
    try (RawClient c = RawClient.connect(server.port())) {
      c.call("FLUSHALL");
    }
    propagated.clear();
  }

  private static int blockedClients() throws Exception {
    return server.server().call(() -> server.server().blockedClientCount());
  }

  private static void awaitBlocked(int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (blockedClients() != n) {
      if (System.nanoTime() > deadline)
        throw new AssertionError("expected " + n + " blocked clients");
      Thread.sleep(5);
    }
  }

  private static String text(byte[] reply) {
    return Bytes.latin1(reply);
  }

  @Test
  void servesTheFirstKeyThatGetsAValue() throws Exception {
    try (RawClient a = RawClient.connect(server.port());
        RawClient w = RawClient.connect(server.port())) {
      a.send("BZPOPMIN", "k1", "k2", "0");
      awaitBlocked(1);
      assertThat(text(w.call("ZADD", "k2", "5", "m"))).isEqualTo(":1\r\n");
      assertThat(text(a.read())).isEqualTo("*3\r\n$2\r\nk2\r\n$1\r\nm\r\n$1\r\n5\r\n");
      assertThat(text(w.call("EXISTS", "k2"))).isEqualTo(":0\r\n");
      assertThat(propagated).contains("ZPOPMIN k2");
    }
  }

  @Test
  void servesFromTheKeyThatBecameReadyFirst() throws Exception {
    try (RawClient a = RawClient.connect(server.port());
        RawClient w = RawClient.connect(server.port())) {
      a.send("BZPOPMIN", "k1", "k2", "0");
      awaitBlocked(1);
      w.call("MULTI");
      w.call("ZADD", "k2", "1", "a");
      w.call("ZADD", "k1", "1", "b");
      w.call("EXEC");
      assertThat(text(a.read())).isEqualTo("*3\r\n$2\r\nk2\r\n$1\r\na\r\n$1\r\n1\r\n");
      assertThat(text(w.call("ZCARD", "k1"))).isEqualTo(":1\r\n");
      assertThat(propagated).contains("ZPOPMIN k2");
    }
  }

  @Test
  void waitersAreServedInTheOrderTheyBlocked() throws Exception {
    try (RawClient a = RawClient.connect(server.port());
        RawClient b = RawClient.connect(server.port());
        RawClient c = RawClient.connect(server.port());
        RawClient w = RawClient.connect(server.port())) {
      a.send("BZPOPMIN", "k", "0");
      awaitBlocked(1);
      b.send("BZPOPMAX", "k", "0");
      awaitBlocked(2);
      c.send("BZPOPMIN", "k", "0");
      awaitBlocked(3);
      w.call("ZADD", "k", "1", "x", "2", "y");
      assertThat(text(a.read())).isEqualTo("*3\r\n$1\r\nk\r\n$1\r\nx\r\n$1\r\n1\r\n");
      assertThat(text(b.read())).isEqualTo("*3\r\n$1\r\nk\r\n$1\r\ny\r\n$1\r\n2\r\n");
      awaitBlocked(1);
      w.call("ZADD", "k", "3", "z");
      assertThat(text(c.read())).isEqualTo("*3\r\n$1\r\nk\r\n$1\r\nz\r\n$1\r\n3\r\n");
      awaitBlocked(0);
    }
  }

  @Test
  void bzmpopTakesUpToCountAndIsPropagatedWithTheCountPopped() throws Exception {
    try (RawClient a = RawClient.connect(server.port());
        RawClient w = RawClient.connect(server.port())) {
      a.hello3();
      a.send("BZMPOP", "0", "2", "x", "k", "MAX", "COUNT", "5");
      awaitBlocked(1);
      w.call("ZADD", "k", "1", "a", "2", "b");
      assertThat(text(a.read()))
          .isEqualTo("*2\r\n$1\r\nk\r\n*2\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n");
      assertThat(propagated).contains("ZPOPMAX k 2");
    }
  }

  @Test
  void timeoutsAnswerANullArray() throws Exception {
    try (RawClient a = RawClient.connect(server.port())) {
      long start = System.nanoTime();
      assertThat(text(a.call("BZPOPMIN", "k", "0.05"))).isEqualTo("*-1\r\n");
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(45).toNanos());
      a.hello3();
      assertThat(text(a.call("BZMPOP", "0.01", "1", "k", "MIN"))).isEqualTo("_\r\n");
    }
  }

  @Test
  void transactionsThatLeaveNoValueWakeNobody() throws Exception {
    try (RawClient a = RawClient.connect(server.port());
        RawClient w = RawClient.connect(server.port())) {
      a.send("BZPOPMIN", "k", "0");
      awaitBlocked(1);
      w.call("MULTI");
      w.call("ZADD", "k", "1", "a");
      w.call("DEL", "k");
      w.call("SET", "k", "string");
      assertThat(text(w.call("EXEC"))).isEqualTo("*3\r\n:1\r\n:1\r\n+OK\r\n");
      assertThat(blockedClients()).isEqualTo(1);
      w.call("DEL", "k");
      w.call("ZADD", "k", "7", "b");
      assertThat(text(a.read())).isEqualTo("*3\r\n$1\r\nk\r\n$1\r\nb\r\n$1\r\n7\r\n");
    }
  }

  @Test
  void unblockedClientsGetTheTimeoutReply() throws Exception {
    try (RawClient a = RawClient.connect(server.port());
        RawClient w = RawClient.connect(server.port())) {
      String id = text(a.call("CLIENT", "ID")).substring(1).trim();
      a.send("BZPOPMAX", "k", "0");
      awaitBlocked(1);
      assertThat(text(w.call("CLIENT", "UNBLOCK", id))).isEqualTo(":1\r\n");
      assertThat(text(a.read())).isEqualTo("*-1\r\n");
    }
  }
}
