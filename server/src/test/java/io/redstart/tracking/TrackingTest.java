package io.redstart.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client-side caching on Redstart alone: counters, the table's limit, CLIENT LIST, RESP2. */
class TrackingTest {
  private Redstart.Handle server;

  @BeforeEach
  void start() throws Exception {
    server = Redstart.builder().port(0).start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RawClient connect() throws IOException {
    return RawClient.connect(server.port());
  }

  private static String text(byte[] b) {
    return Bytes.latin1(b);
  }

  private static long field(RawClient c, String name) throws IOException {
    Matcher m = Pattern.compile("\r\n" + name + ":(\\d+)\r\n").matcher(text(c.call("INFO")));
    assertThat(m.find()).as(name).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static long id(RawClient c) throws IOException {
    String r = text(c.call("CLIENT", "ID"));
    return Long.parseLong(r.substring(1, r.length() - 2));
  }

  @Test
  void infoCountsClientsKeysItemsAndPrefixes() throws Exception {
    try (RawClient a = connect();
        RawClient b = connect();
        RawClient w = connect()) {
      assertThat(field(w, "tracking_clients")).isZero();
      a.call("CLIENT", "TRACKING", "on");
      b.call("CLIENT", "TRACKING", "on");
      a.call("MGET", "k1", "k2");
      b.call("GET", "k1");
      assertThat(field(w, "tracking_clients")).isEqualTo(2);
      assertThat(field(w, "tracking_total_keys")).isEqualTo(2);
      assertThat(field(w, "tracking_total_items")).isEqualTo(3);
      // Entries of a client that stops tracking stay until their key changes, as in Redis.
      a.call("CLIENT", "TRACKING", "off");
      assertThat(field(w, "tracking_clients")).isEqualTo(1);
      assertThat(field(w, "tracking_total_items")).isEqualTo(3);
      w.call("SET", "k1", "x");
      assertThat(field(w, "tracking_total_keys")).isEqualTo(1);
      assertThat(field(w, "tracking_total_items")).isEqualTo(1);
      RawClient x = connect();
      x.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "p", "PREFIX", "q");
      b.call("CLIENT", "TRACKING", "off");
      b.call("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "q");
      assertThat(field(w, "tracking_total_prefixes")).isEqualTo(2);
      assertThat(text(w.call("CLIENT", "LIST", "ID", Long.toString(id(x)))))
          .contains(" flags=tB ")
          .contains(" redir=0 ");
      // A client that goes away leaves its prefixes.
      x.close();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (field(w, "tracking_total_prefixes") != 1) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(5);
      }
      w.call("FLUSHALL");
      assertThat(field(w, "tracking_total_keys")).isZero();
      assertThat(field(w, "tracking_total_items")).isZero();
    }
  }

  @Test
  void tableLimitEvictsKeysWithAnInvalidation() throws Exception {
    try (RawClient c = connect();
        RawClient w = connect()) {
      c.hello3();
      c.call("CLIENT", "TRACKING", "on");
      for (int i = 0; i < 250; i++) c.call("GET", "key" + i);
      assertThat(field(w, "tracking_total_keys")).isEqualTo(250);
      w.call("CONFIG", "SET", "tracking-table-max-keys", "1");
      // Exactly the keys over the limit are evicted, each with its invalidation.
      for (int i = 0; i < 249; i++) {
        assertThat(text(c.read()))
            .matches(">2\r\n\\$10\r\ninvalidate\r\n\\*1\r\n\\$\\d+\r\nkey\\d+\r\n");
      }
      assertThat(text(c.call("PING"))).isEqualTo("+PONG\r\n");
      assertThat(field(w, "tracking_total_keys")).isEqualTo(1);
      w.call("CONFIG", "SET", "tracking-table-max-keys", "0");
      for (int i = 0; i < 10; i++) c.call("GET", "more" + i);
      assertThat(field(w, "tracking_total_keys")).isEqualTo(11);
    }
  }

  @Test
  void resp2WithoutRedirectionGetsNothingAndBrokenRedirectionIsSilent() throws Exception {
    try (RawClient c = connect();
        RawClient w = connect()) {
      c.call("CLIENT", "TRACKING", "on");
      c.call("GET", "k");
      w.call("SET", "k", "1");
      assertThat(text(c.call("PING"))).isEqualTo("+PONG\r\n");
      long redir;
      try (RawClient r = connect()) {
        redir = id(r);
        c.call("CLIENT", "TRACKING", "on", "REDIRECT", Long.toString(redir));
      }
      c.call("GET", "k");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (text(w.call("CLIENT", "LIST")).contains("id=" + redir + " ")) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(5);
      }
      w.call("SET", "k", "2");
      // A RESP2 client is not told that its redirection broke; CLIENT LIST and TRACKINGINFO show
      // it.
      assertThat(text(c.call("PING"))).isEqualTo("+PONG\r\n");
      assertThat(text(c.call("CLIENT", "INFO"))).contains(" flags=tR ").contains(" redir=" + redir);
    }
  }

  @Test
  void invalidationsReachAClientWithRepliesOff() throws Exception {
    try (RawClient c = connect();
        RawClient w = connect()) {
      c.hello3();
      c.call("CLIENT", "TRACKING", "on");
      c.call("GET", "k");
      c.send("CLIENT", "REPLY", "OFF");
      w.call("SET", "k", "1");
      assertThat(text(c.read())).isEqualTo(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n");
      assertThat(text(c.call("CLIENT", "REPLY", "ON"))).isEqualTo("+OK\r\n");
      assertThat(text(c.call("PING"))).isEqualTo("+PONG\r\n");
    }
  }

  @Test
  void ownWriteRepliesBeforeItsInvalidation() throws Exception {
    try (RawClient c = connect()) {
      c.hello3();
      c.call("CLIENT", "TRACKING", "on");
      c.call("GET", "dst");
      // The client changes a key it tracks: its reply first, then the invalidation.
      c.send("SET", "dst", "mine", "GET");
      assertThat(text(c.read())).isEqualTo("_\r\n");
      assertThat(text(c.read())).isEqualTo(">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\ndst\r\n");
    }
  }
}
