package io.redstart.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pub/Sub over raw connections: the exact bytes of confirmations and messages, RESP2 and RESP3. */
class PubSubTest {
  private static Redstart.Handle server;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void awaitNoSubscriptions() throws Exception {
    // Connections of the previous test close asynchronously; their subscriptions go with them.
    try (RawClient c = connect()) {
      await(
          () ->
              info(c).contains("pubsub_channels:0\r\npubsub_patterns:0\r\npubsubshard_channels:0"));
    }
  }

  private static RawClient connect() throws IOException {
    return RawClient.connect(server.port());
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  private static String text(byte[] reply) {
    return Bytes.latin1(reply);
  }

  private static String info(RawClient c) throws IOException {
    return text(c.call("INFO", "stats"));
  }

  private static void await(BooleanSupplierWithIo condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met in 10 s");
      Thread.sleep(5);
    }
  }

  /** A condition that may do I/O. */
  interface BooleanSupplierWithIo {
    boolean getAsBoolean() throws IOException;
  }

  @Test
  void subscribeConfirmsEachChannelAndMessagesArriveInResp2() throws Exception {
    try (RawClient sub = connect();
        RawClient pub = connect()) {
      sub.send("SUBSCRIBE", "a", "b", "a");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n");
      assertThat(text(pub.call("PUBLISH", "a", "hello"))).isEqualTo(":1\r\n");
      assertThat(text(pub.call("PUBLISH", "nobody", "x"))).isEqualTo(":0\r\n");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$5\r\nhello\r\n");
      // Binary-safe channel and message.
      byte[] ch = {'b'};
      byte[] msg = {0, '\r', '\n', (byte) 0xff};
      assertThat(text(pub.call(Bytes.utf8("PUBLISH"), ch, msg))).isEqualTo(":1\r\n");
      assertThat(sub.read())
          .isEqualTo(
              concat(
                  Bytes.utf8("*3\r\n$7\r\nmessage\r\n$1\r\nb\r\n$4\r\n"), msg, Bytes.utf8("\r\n")));
      sub.send("UNSUBSCRIBE", "a", "zzz");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:1\r\n");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$11\r\nunsubscribe\r\n$3\r\nzzz\r\n:1\r\n");
      sub.send("UNSUBSCRIBE");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:0\r\n");
      sub.send("UNSUBSCRIBE");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
      // Out of the subscribe context: any command again.
      assertThat(text(sub.call("PING"))).isEqualTo("+PONG\r\n");
    }
  }

  @Test
  void patternsCountWithChannelsAndReceivePmessages() throws Exception {
    try (RawClient sub = connect();
        RawClient pub = connect()) {
      sub.send("SUBSCRIBE", "news.tech");
      sub.read();
      sub.send("PSUBSCRIBE", "news.*", "n?ws.[st]ech", "news.*");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$10\r\npsubscribe\r\n$6\r\nnews.*\r\n:2\r\n");
      assertThat(text(sub.read()))
          .isEqualTo("*3\r\n$10\r\npsubscribe\r\n$12\r\nn?ws.[st]ech\r\n:3\r\n");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$10\r\npsubscribe\r\n$6\r\nnews.*\r\n:3\r\n");
      // One reception for the channel, one per matching pattern.
      assertThat(text(pub.call("PUBLISH", "news.tech", "m"))).isEqualTo(":3\r\n");
      assertThat(text(sub.read()))
          .isEqualTo("*3\r\n$7\r\nmessage\r\n$9\r\nnews.tech\r\n$1\r\nm\r\n");
      assertThat(text(sub.read()))
          .isEqualTo("*4\r\n$8\r\npmessage\r\n$6\r\nnews.*\r\n$9\r\nnews.tech\r\n$1\r\nm\r\n");
      assertThat(text(sub.read()))
          .isEqualTo(
              "*4\r\n$8\r\npmessage\r\n$12\r\nn?ws.[st]ech\r\n$9\r\nnews.tech\r\n$1\r\nm\r\n");
      assertThat(text(pub.call("PUBSUB", "NUMPAT"))).isEqualTo(":2\r\n");
      assertThat(text(pub.call("PUBSUB", "NUMSUB", "news.tech", "news.*")))
          .isEqualTo("*4\r\n$9\r\nnews.tech\r\n:1\r\n$6\r\nnews.*\r\n:0\r\n");
      assertThat(text(pub.call("PUBSUB", "CHANNELS", "news.*")))
          .isEqualTo("*1\r\n$9\r\nnews.tech\r\n");
      assertThat(text(pub.call("PUBSUB", "CHANNELS", "x*"))).isEqualTo("*0\r\n");
      sub.send("PUNSUBSCRIBE");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$12\r\npunsubscribe\r\n$6\r\nnews.*\r\n:2\r\n");
      assertThat(text(sub.read()))
          .isEqualTo("*3\r\n$12\r\npunsubscribe\r\n$12\r\nn?ws.[st]ech\r\n:1\r\n");
      sub.send("PUNSUBSCRIBE");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:1\r\n");
      assertThat(text(pub.call("PUBSUB", "NUMPAT"))).isEqualTo(":0\r\n");
    }
  }

  @Test
  void shardChannelsAreTheirOwnNamespace() throws Exception {
    try (RawClient sub = connect();
        RawClient pub = connect()) {
      sub.send("SSUBSCRIBE", "s");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n");
      sub.send("SUBSCRIBE", "s");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$1\r\ns\r\n:1\r\n");
      sub.send("PSUBSCRIBE", "*");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$10\r\npsubscribe\r\n$1\r\n*\r\n:2\r\n");
      // SPUBLISH reaches shard subscribers only, never patterns.
      assertThat(text(pub.call("SPUBLISH", "s", "x"))).isEqualTo(":1\r\n");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$1\r\nx\r\n");
      assertThat(text(pub.call("PUBSUB", "SHARDCHANNELS"))).isEqualTo("*1\r\n$1\r\ns\r\n");
      assertThat(text(pub.call("PUBSUB", "SHARDNUMSUB", "s", "t")))
          .isEqualTo("*4\r\n$1\r\ns\r\n:1\r\n$1\r\nt\r\n:0\r\n");
      assertThat(text(pub.call("PUBSUB", "NUMSUB", "s"))).isEqualTo("*2\r\n$1\r\ns\r\n:1\r\n");
      assertThat(info(pub))
          .contains("pubsub_channels:1\r\npubsub_patterns:1\r\npubsubshard_channels:1");
      assertThat(text(pub.call("CLIENT", "LIST", "TYPE", "pubsub")))
          .contains(" flags=P db=0 sub=1 psub=1 ssub=1 multi=-1 ");
      sub.send("SUNSUBSCRIBE");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$12\r\nsunsubscribe\r\n$1\r\ns\r\n:0\r\n");
      sub.send("SUNSUBSCRIBE");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$12\r\nsunsubscribe\r\n$-1\r\n:0\r\n");
    }
  }

  @Test
  void resp2SubscribeContextAllowsOnlyPubSubPingQuitReset() throws Exception {
    try (RawClient sub = connect()) {
      sub.send("SUBSCRIBE", "a");
      sub.read();
      assertThat(text(sub.call("GET", "k")))
          .isEqualTo(
              "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT /"
                  + " RESET are allowed in this context\r\n");
      assertThat(text(sub.call("CLIENT", "ID")))
          .isEqualTo(
              "-ERR Can't execute 'client|id': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT"
                  + " / RESET are allowed in this context\r\n");
      assertThat(text(sub.call("PING"))).isEqualTo("*2\r\n$4\r\npong\r\n$0\r\n\r\n");
      assertThat(text(sub.call("PING", "hi"))).isEqualTo("*2\r\n$4\r\npong\r\n$2\r\nhi\r\n");
      // RESET leaves the context silently.
      assertThat(text(sub.call("RESET"))).isEqualTo("+RESET\r\n");
      assertThat(text(sub.call("GET", "k"))).isEqualTo("$-1\r\n");
      assertThat(text(sub.call("PUBSUB", "NUMSUB", "a"))).isEqualTo("*2\r\n$1\r\na\r\n:0\r\n");
      sub.send("SUBSCRIBE", "a");
      sub.read();
      assertThat(text(sub.call("QUIT"))).isEqualTo("+OK\r\n");
    }
  }

  @Test
  void resp3MessagesArePushesAndEveryCommandIsAllowed() throws Exception {
    try (RawClient sub = connect();
        RawClient pub = connect()) {
      sub.hello3();
      sub.send("SUBSCRIBE", "a");
      assertThat(text(sub.read())).isEqualTo(">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n");
      assertThat(text(sub.call("PING"))).isEqualTo("+PONG\r\n");
      assertThat(text(sub.call("SET", "k", "v"))).isEqualTo("+OK\r\n");
      pub.call("PUBLISH", "a", "m");
      assertThat(text(sub.read())).isEqualTo(">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$1\r\nm\r\n");
      // A message published by the subscriber itself comes before the reply to PUBLISH.
      sub.send("PUBLISH", "a", "self");
      assertThat(text(sub.read())).isEqualTo(">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$4\r\nself\r\n");
      assertThat(text(sub.read())).isEqualTo(":1\r\n");
      sub.send("PSUBSCRIBE", "*");
      assertThat(text(sub.read())).isEqualTo(">3\r\n$10\r\npsubscribe\r\n$1\r\n*\r\n:2\r\n");
      pub.call("PUBLISH", "zz", "m");
      assertThat(text(sub.read()))
          .isEqualTo(">4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$2\r\nzz\r\n$1\r\nm\r\n");
      sub.send("UNSUBSCRIBE", "a");
      assertThat(text(sub.read())).isEqualTo(">3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:1\r\n");
      sub.send("UNSUBSCRIBE");
      assertThat(text(sub.read())).isEqualTo(">3\r\n$11\r\nunsubscribe\r\n_\r\n:1\r\n");
      assertThat(text(sub.call("DEL", "k"))).isEqualTo(":1\r\n");
    }
  }

  @Test
  void pubSubDataReachesAClientWithRepliesOff() throws Exception {
    try (RawClient sub = connect();
        RawClient pub = connect()) {
      sub.send("CLIENT", "REPLY", "OFF");
      sub.send("SUBSCRIBE", "a");
      assertThat(text(sub.read())).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n");
      sub.send("PING");
      pub.call("PUBLISH", "a", "m");
      // The PING's reply is suppressed; the message is not.
      assertThat(text(sub.read())).isEqualTo("*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$1\r\nm\r\n");
    }
  }

  @Test
  void subscriptionsInsideExecAndDenyBlocking() throws Exception {
    try (RawClient c = connect()) {
      c.call("MULTI");
      c.call("SSUBSCRIBE", "s");
      c.call("SUBSCRIBE", "x", "y");
      // As in Redis, the array counts commands while SUBSCRIBE confirms each channel: the
      // stream carries one more reply than the header announces.
      assertThat(text(c.call("EXEC")))
          .isEqualTo(
              "*2\r\n"
                  + "-ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n"
                  + "*3\r\n$9\r\nsubscribe\r\n$1\r\nx\r\n:1\r\n");
      assertThat(text(c.read())).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$1\r\ny\r\n:2\r\n");
    }
  }

  @Test
  void disconnectionDropsSubscriptions() throws Exception {
    try (RawClient pub = connect()) {
      try (RawClient sub = connect()) {
        sub.send("SUBSCRIBE", "gone");
        sub.read();
        sub.send("PSUBSCRIBE", "g*");
        sub.read();
        assertThat(text(pub.call("PUBLISH", "gone", "x"))).isEqualTo(":2\r\n");
      }
      await(() -> text(pub.call("PUBLISH", "gone", "x")).equals(":0\r\n"));
      assertThat(text(pub.call("PUBSUB", "CHANNELS"))).isEqualTo("*0\r\n");
      assertThat(text(pub.call("PUBSUB", "NUMPAT"))).isEqualTo(":0\r\n");
    }
  }

  @Test
  void pubsubHelpAndBadSubcommands() throws Exception {
    try (RawClient c = connect()) {
      String help = text(c.call("PUBSUB", "HELP"));
      assertThat(help)
          .startsWith(
              "*14\r\n+PUBSUB <subcommand> [<arg> [value] [opt] ...]."
                  + " Subcommands are:\r\n+CHANNELS [<pattern>]\r\n");
      assertThat(help).endsWith("+HELP\r\n+    Prints this help.\r\n");
      assertThat(text(c.call("PUBSUB", "CHANNELS", "a", "b")))
          .isEqualTo(
              "-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB"
                  + " HELP.\r\n");
      assertThat(text(c.call("PUBSUB", "NUMPAT", "x")))
          .isEqualTo("-ERR wrong number of arguments for 'pubsub|numpat' command\r\n");
      assertThat(text(c.call("PUBSUB", "NUMSUB"))).isEqualTo("*0\r\n");
    }
  }
}
