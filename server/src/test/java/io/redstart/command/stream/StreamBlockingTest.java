package io.redstart.command.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XREAD and XREADGROUP with BLOCK over real connections: woken by XADD from another client, in the
 * order they blocked, served from the stream that became ready, on timeouts, by CLIENT UNBLOCK, and
 * released with Redis's errors when their group or their key goes.
 */
class StreamBlockingTest {
  private static Redstart.Handle server;
  private final List<RawClient> clients = new ArrayList<>();
  private RawClient admin;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).config("hz", "100").start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void connect() throws IOException {
    admin = client();
    admin.call("FLUSHALL");
  }

  @AfterEach
  void disconnect() throws IOException {
    for (RawClient c : clients) c.close();
    clients.clear();
  }

  private RawClient client() throws IOException {
    RawClient c = RawClient.connect(server.port());
    clients.add(c);
    return c;
  }

  private static String text(byte[] reply) {
    return Bytes.latin1(reply);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met in time");
      Thread.sleep(5);
    }
  }

  private long blockedClients() {
    try {
      for (String line : text(admin.call("INFO", "clients")).split("\r\n")) {
        if (line.startsWith("blocked_clients:")) return Long.parseLong(line.substring(16));
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no blocked_clients in INFO");
  }

  /** Sends a blocking command and waits until the server counts one more blocked client. */
  private RawClient blocked(String... argv) throws Exception {
    long before = blockedClients();
    RawClient c = client();
    c.send(argv);
    await(() -> blockedClients() == before + 1);
    return c;
  }

  @Test
  void xaddWakesEveryReaderWithWhatFollowsItsId() throws Exception {
    admin.call("XADD", "s", "1-0", "a", "1");
    RawClient r1 = blocked("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    RawClient r2 = client();
    assertThat(text(r2.call("XREAD", "BLOCK", "0", "COUNT", "1", "STREAMS", "s", "0")))
        .isEqualTo("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    RawClient r3 = blocked("XREAD", "BLOCK", "0", "STREAMS", "other", "s", "$", "$");
    admin.call("XADD", "s", "2-0", "b", "2");
    String served = "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n";
    assertThat(text(r1.read())).isEqualTo(served);
    assertThat(text(r3.read())).isEqualTo(served);
    await(() -> blockedClients() == 0);
  }

  @Test
  void aReaderOfSeveralStreamsGetsTheOneThatBecameReady() throws Exception {
    admin.call("XADD", "s1", "1-0", "a", "1");
    admin.call("XADD", "s2", "1-0", "a", "1");
    RawClient r = blocked("XREAD", "BLOCK", "0", "STREAMS", "s1", "s2", "$", "$");
    admin.call("MULTI");
    admin.call("XADD", "s2", "2-0", "x", "2");
    admin.call("XADD", "s1", "2-0", "y", "1");
    admin.call("EXEC");
    assertThat(text(r.read()))
        .isEqualTo("*1\r\n*2\r\n$2\r\ns2\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nx\r\n$1\r\n2\r\n");
    r.hello3();
    r.send("XREAD", "BLOCK", "0", "STREAMS", "s1", "s2", "$", "$");
    await(() -> blockedClients() == 1);
    admin.call("MULTI");
    admin.call("XADD", "s1", "3-0", "a", "1");
    admin.call("XADD", "s1", "4-0", "b", "2");
    admin.call("EXEC");
    assertThat(text(r.read()))
        .isEqualTo(
            "%1\r\n$2\r\ns1\r\n*2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
                + "*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
  }

  @Test
  void groupReadersAreServedInTheOrderTheyBlocked() throws Exception {
    admin.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    RawClient first =
        blocked("XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">");
    RawClient second =
        blocked("XREADGROUP", "GROUP", "g", "c2", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">");
    admin.call("XADD", "s", "1-0", "a", "1");
    assertThat(text(first.read())).contains("1-0");
    assertThat(blockedClients()).isEqualTo(1);
    admin.call("XADD", "s", "2-0", "b", "2");
    assertThat(text(second.read())).contains("2-0");
    assertThat(text(admin.call("XPENDING", "s", "g")))
        .isEqualTo(
            "*4\r\n:2\r\n$3\r\n1-0\r\n$3\r\n2-0\r\n*2\r\n*2\r\n$2\r\nc1\r\n$1\r\n1\r\n"
                + "*2\r\n$2\r\nc2\r\n$1\r\n1\r\n");
  }

  @Test
  void aBlockedReadWithoutCountGetsAtMostAThousand() throws Exception {
    admin.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    RawClient r = blocked("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
    admin.call("MULTI");
    for (int i = 1; i <= 1500; i++) admin.call("XADD", "s", i + "-0", "f", "v");
    admin.call("EXEC");
    String reply = text(r.read());
    assertThat(reply).startsWith("*1\r\n*2\r\n$1\r\ns\r\n*1000\r\n");
    assertThat(text(admin.call("XINFO", "GROUPS", "s"))).contains("$7\r\npending\r\n:1000\r\n");
  }

  @Test
  void aTimeoutAnswersANullArray() throws Exception {
    admin.call("XADD", "s", "1-0", "a", "1");
    RawClient r = client();
    long start = System.nanoTime();
    assertThat(text(r.call("XREAD", "BLOCK", "100", "STREAMS", "s", "$"))).isEqualTo("*-1\r\n");
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
    r.hello3();
    assertThat(text(r.call("XREADGROUP", "GROUP", "nog", "c", "BLOCK", "10", "STREAMS", "s", ">")))
        .startsWith("-NOGROUP No such key 's' or consumer group 'nog'");
    admin.call("XGROUP", "CREATE", "s", "g", "$");
    assertThat(text(r.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "10", "STREAMS", "s", ">")))
        .isEqualTo("_\r\n");
    assertThat(blockedClients()).isZero();
  }

  @Test
  void clientUnblockReleasesWithATimeoutOrAnError() throws Exception {
    admin.call("XADD", "s", "1-0", "a", "1");
    RawClient r = client();
    long id = Long.parseLong(text(r.call("CLIENT", "ID")).substring(1).trim());
    r.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    await(() -> blockedClients() == 1);
    assertThat(text(admin.call("CLIENT", "UNBLOCK", Long.toString(id)))).isEqualTo(":1\r\n");
    assertThat(text(r.read())).isEqualTo("*-1\r\n");
    r.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    await(() -> blockedClients() == 1);
    admin.call("CLIENT", "UNBLOCK", Long.toString(id), "ERROR");
    assertThat(text(r.read())).isEqualTo("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
    assertThat(text(r.call("PING"))).isEqualTo("+PONG\r\n");
  }

  @Test
  void groupReadersLeaveWithRedisErrorsWhenTheirGroupOrKeyGoes() throws Exception {
    admin.call("CONFIG", "RESETSTAT");
    admin.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    RawClient r = blocked("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
    RawClient plain = blocked("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    admin.call("XGROUP", "DESTROY", "s", "g");
    assertThat(text(r.read()))
        .isEqualTo("-NOGROUP the consumer group this client was blocked on no longer exists\r\n");

    String gone = "-UNBLOCKED the stream key no longer exists\r\n";
    for (String[] change :
        new String[][] {
          {"DEL", "s"},
          {"SET", "s", "x"},
          {"FLUSHALL"},
          {"FLUSHDB"},
          {"RENAME", "s", "t"},
          {"UNLINK", "s"},
          {"MOVE", "s", "1"}
        }) {
      admin.call("DEL", "s", "t");
      admin.call("SELECT", "1");
      admin.call("DEL", "s");
      admin.call("SELECT", "0");
      admin.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      r.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
      await(() -> blockedClients() == 2);
      admin.call(change);
      assertThat(text(r.read())).as(String.join(" ", change)).isEqualTo(gone);
    }
    // The plain reader waited all along; a new stream with a larger ID serves it.
    assertThat(blockedClients()).isEqualTo(1);
    admin.call("XADD", "s", "5-0", "a", "1");
    assertThat(text(plain.read())).contains("5-0");

    admin.call("DEL", "s");
    admin.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    r.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
    await(() -> blockedClients() == 1);
    admin.call("PEXPIRE", "s", "20");
    assertThat(text(r.read())).isEqualTo(gone); // removed by active expiry

    // Replaced by a stream without the group, within one transaction.
    admin.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    r.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
    await(() -> blockedClients() == 1);
    admin.call("MULTI");
    admin.call("DEL", "s");
    admin.call("XADD", "s", "9-0", "a", "1");
    admin.call("EXEC");
    assertThat(text(r.read()))
        .isEqualTo("-NOGROUP the consumer group this client was blocked on no longer exists\r\n");
    // Each release with an error counts as a failed call, as Redis's updateStatsOnUnblock.
    assertThat(text(admin.call("INFO", "commandstats")))
        .containsPattern("cmdstat_xreadgroup:calls=[0-9]+,.*,failed_calls=10\r\n");
  }

  @Test
  void insideMultiBlockAnswersAtOnce() throws Exception {
    admin.call("XADD", "s", "1-0", "a", "1");
    admin.call("MULTI");
    admin.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    admin.call("XREAD", "BLOCK", "0", "STREAMS", "s", "0");
    assertThat(text(admin.call("EXEC")))
        .isEqualTo(
            "*2\r\n"
                + "*-1\r\n"
                + "*1\r\n"
                + "*2\r\n"
                + "$1\r\n"
                + "s\r\n"
                + "*1\r\n"
                + "*2\r\n"
                + "$3\r\n"
                + "1-0\r\n"
                + "*2\r\n"
                + "$1\r\n"
                + "a\r\n"
                + "$1\r\n"
                + "1\r\n");
  }

  @Test
  void pipelinedCommandsWaitBehindTheBlockedRead() throws Exception {
    admin.call("XADD", "s", "1-0", "a", "1");
    RawClient r = client();
    r.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    r.send("PING");
    await(() -> blockedClients() == 1);
    admin.call("XADD", "s", "2-0", "b", "2");
    assertThat(text(r.read())).contains("2-0");
    assertThat(text(r.read())).isEqualTo("+PONG\r\n");
  }
}
