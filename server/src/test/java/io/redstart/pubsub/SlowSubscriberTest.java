package io.redstart.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.config.Config;
import io.redstart.config.ConfigLoader;
import io.redstart.server.Log;
import io.redstart.server.RedstartServer;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import io.redstart.util.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * client-output-buffer-limit for subscribers: one that never reads is cut off, at once past the
 * hard limit or after the soft limit's seconds, with Redis's log line, while a subscriber that
 * keeps up receives every message.
 */
class SlowSubscriberTest {
  @TempDir Path dir;
  private RedstartServer server;
  private Path logFile;

  private void start(String limits) throws Exception {
    logFile = dir.resolve("redstart.log");
    Config config = new Config();
    new ConfigLoader(config, d -> {})
        .loadString("port 0\nbind 127.0.0.1\nsave \"\"\nclient-output-buffer-limit " + limits);
    server = new RedstartServer(config, Log.to(logFile.toString()), Clock.SYSTEM, true);
    server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) server.shutdown();
  }

  /** A subscriber that never reads, with a small receive buffer so that the server backs up. */
  private Socket slowSubscriber(String name) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
    s.setSoTimeout(10_000);
    s.getOutputStream().write(RawClient.encode(Bytes.argv("CLIENT", "SETNAME", name)));
    s.getOutputStream().write(RawClient.encode(Bytes.argv("SUBSCRIBE", "ch")));
    return s;
  }

  private String clientList(RawClient c) throws IOException {
    return Bytes.latin1(c.call("CLIENT", "LIST"));
  }

  private static void await(String what, IoCondition condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.met()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + what);
      Thread.sleep(10);
    }
  }

  interface IoCondition {
    boolean met() throws IOException;
  }

  /** Reads until the server closes the socket; false if it stays open past the socket timeout. */
  private static boolean drainsToEof(Socket s) {
    try (InputStream in = s.getInputStream()) {
      byte[] buf = new byte[65536];
      while (in.read(buf) >= 0) {
        // discard
      }
      return true;
    } catch (IOException e) {
      return e.getMessage() != null && e.getMessage().contains("reset");
    }
  }

  @Test
  void hardLimitCutsOffTheSlowSubscriberAndTheFastOneGetsEverything() throws Exception {
    start("pubsub 1mb 0 0");
    int messages = 10_000;
    byte[] payload = new byte[1000];
    try (RawClient pub = RawClient.connect(server.port());
        RawClient fast = RawClient.connect(server.port());
        Socket slow = slowSubscriber("slow")) {
      fast.send("SUBSCRIBE", "ch");
      fast.read();
      await(
          "both subscribed",
          () -> Bytes.latin1(pub.call("PUBSUB", "NUMSUB", "ch")).endsWith(":2\r\n"));
      AtomicInteger received = new AtomicInteger();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread reader =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < messages; i++) {
                    byte[] m = fast.read();
                    String expected =
                        "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1004\r\n" + String.format("%04d", i);
                    if (!Bytes.latin1(m).startsWith(expected)) {
                      throw new AssertionError("message " + i + " was " + Bytes.printable(m));
                    }
                    received.incrementAndGet();
                  }
                } catch (Throwable t) {
                  failure.set(t);
                }
              });
      reader.start();
      int batch = 50;
      for (int i = 0; i < messages; i += batch) {
        for (int j = i; j < i + batch; j++) {
          byte[] msg = new byte[1004];
          System.arraycopy(
              String.format("%04d", j).getBytes(StandardCharsets.US_ASCII), 0, msg, 0, 4);
          System.arraycopy(payload, 0, msg, 4, payload.length);
          pub.send(Bytes.utf8("PUBLISH"), Bytes.utf8("ch"), msg);
        }
        for (int j = 0; j < batch; j++) {
          String r = Bytes.latin1(pub.read());
          assertThat(r).isIn(":1\r\n", ":2\r\n");
        }
      }
      reader.join(30_000);
      assertThat(failure.get()).isNull();
      assertThat(received.get()).isEqualTo(messages);
      await("the slow subscriber is gone", () -> !clientList(pub).contains("name=slow"));
      assertThat(drainsToEof(slow)).isTrue();
      assertThat(Bytes.latin1(pub.call("PUBSUB", "NUMSUB", "ch"))).endsWith(":1\r\n");
      String log = Files.readString(logFile);
      assertThat(log)
          .containsPattern(
              "# Client id=\\d+ addr=127\\.0\\.0\\.1:\\d+ laddr=\\S+ fd=-?\\d+ name=slow .* flags=P"
                  + " .* scheduled to be closed ASAP for overcoming of output buffer limits\\.");
      assertThat(log).doesNotContain("name= ");
    }
  }

  @Test
  void softLimitClosesOnlyAfterItsSecondsEvenWithoutTraffic() throws Exception {
    start("pubsub 0 256kb 1");
    try (RawClient pub = RawClient.connect(server.port());
        Socket slow = slowSubscriber("soft")) {
      await(
          "subscribed", () -> Bytes.latin1(pub.call("PUBSUB", "NUMSUB", "ch")).endsWith(":1\r\n"));
      byte[] msg = new byte[10_000];
      long start = System.nanoTime();
      // Well past the soft limit once the socket buffers are full, then no more traffic.
      for (int i = 0; i < 800; i++) pub.send(Bytes.utf8("PUBLISH"), Bytes.utf8("ch"), msg);
      for (int i = 0; i < 800; i++) pub.read();
      assertThat(clientList(pub)).contains("name=soft");
      await("the soft-limited subscriber is gone", () -> !clientList(pub).contains("name=soft"));
      // Closed (by the cron, as no message comes any more) only once more than its one second has
      // passed over the limit.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(1));
      assertThat(drainsToEof(slow)).isTrue();
      assertThat(Files.readString(logFile))
          .containsPattern(
              "name=soft .* (closed|scheduled to be closed ASAP) for overcoming of output buffer"
                  + " limits\\.");
    }
  }

  @Test
  void normalClassLimitAppliesToRepliesTooAndZeroMeansUnlimited() throws Exception {
    start("pubsub 32mb 8mb 60");
    try (RawClient c = RawClient.connect(server.port())) {
      c.call("SET", "big", "x".repeat(3 << 20));
      c.call("CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0");
      // Past the normal class's limit: the reply is never sent, the client is closed.
      c.send("GET", "big");
      assertThat(c.readUntilClosed(Duration.ofSeconds(10))).isEmpty();
      assertThat(Files.readString(logFile)).contains("overcoming of output buffer limits");
    }
    try (RawClient c = RawClient.connect(server.port())) {
      c.call("CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0");
      assertThat(c.call("GET", "big")).hasSize((3 << 20) + 12);
    }
  }
}
