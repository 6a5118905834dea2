package io.redstart.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The master side of the protocol, with a replica played over a raw socket and snapshots in a
 * test format: the handshake replies, +FULLRESYNC and the diskless EOF framing, the stream held
 * until the first ACK, SELECT and commands in RESP, GETACK for WAIT, +CONTINUE with exactly the
 * missing bytes, and the refusals.
 */
class MasterProtocolTest {
  private Redstart.Handle master;
  private FakeSnapshots snapshots;
  private Path dir;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("redstart-repl-");
    master = Redstart.builder().port(0).config("repl-diskless-sync-delay", "0").start();
    snapshots = new FakeSnapshots(master.server(), dir);
    master.server().call(() -> {
      master.server().component(Replication.class).snapshots(snapshots);
      return null;
    });
  }

  @AfterEach
  void stop() {
    master.close();
  }

  private static String s(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  @Test
  void disklessFullSyncThenStreamAfterAckThenPartialResync() throws Exception {
    try (RawClient c = RawClient.connect(master.port())) {
      assertThat(s(c.call("SET", "a", "1"))).isEqualTo("+OK\r\n");
    }
    String replid;
    long offset;
    try (FakeReplica r = new FakeReplica(master.port())) {
      assertThat(r.call("REPLCONF", "listening-port", "7777")).isEqualTo("+OK");
      assertThat(r.call("REPLCONF", "capa", "eof", "capa", "psync2")).isEqualTo("+OK");
      r.send("PSYNC", "?", "-1");
      String full = r.line();
      assertThat(full).startsWith("+FULLRESYNC ");
      String[] w = full.split(" ");
      replid = w[1];
      offset = Long.parseLong(w[2]);
      assertThat(replid).hasSize(40);
      assertThat(offset).isZero();
      String pre = r.line();
      assertThat(pre).startsWith("$EOF:").hasSize(45);
      byte[] mark = pre.substring(5).getBytes(StandardCharsets.ISO_8859_1);
      byte[] body = r.until(mark);
      String rdb = s(body).substring(0, body.length - 40);
      assertThat(rdb).isEqualTo("FAKERDB " + replid + " 0 0 1\na 1\nEND\n");

      // Writes while the replica has not acknowledged: held back.
      RawClient c = RawClient.connect(master.port());
      c.call("SET", "b", "2");
      assertThat(r.atLeast(1, 300)).isEmpty();
      r.send("REPLCONF", "ACK", "0");
      assertThat(r.commandSkippingPings()).isEqualTo("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n");
      assertThat(r.commandSkippingPings())
          .isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n");

      // WAIT asks for an ACK with REPLCONF GETACK and returns once it comes.
      c.send("WAIT", "1", "5000");
      assertThat(r.commandSkippingPings())
          .isEqualTo("*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n");
      long acked = r.consumed - 37;
      assertThat(r.atLeast(1, 100)).isEmpty();
      r.send("REPLCONF", "ACK", Long.toString(acked));
      assertThat(s(c.read())).isEqualTo(":1\r\n");
      offset = r.consumed;
      byte[] role = c.call("ROLE");
      assertThat(s(role)).startsWith("*3\r\n$6\r\nmaster\r\n:" + offset + "\r\n*1\r\n*3\r\n"
          + "$9\r\n127.0.0.1\r\n$4\r\n7777\r\n$" + Long.toString(acked).length() + "\r\n"
          + acked + "\r\n");
      c.close();
    }
    // The replica is gone; writes go on; it comes back and asks for what it missed.
    try (RawClient c = RawClient.connect(master.port())) {
      c.call("SET", "c", "3");
    }
    String missed = "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n";
    try (FakeReplica r = new FakeReplica(master.port())) {
      assertThat(r.call("REPLCONF", "capa", "eof", "capa", "psync2")).isEqualTo("+OK");
      r.send("PSYNC", replid, Long.toString(offset + 1));
      assertThat(r.line()).isEqualTo("+CONTINUE " + replid);
      assertThat(r.commandSkippingPings()).isEqualTo(missed);
    }
    try (RawClient c = RawClient.connect(master.port())) {
      String info = s(c.call("INFO", "stats"));
      assertThat(info).contains("sync_full:1\r\n").contains("sync_partial_ok:1\r\n");
    }
  }

  @Test
  void diskTargetSendsSizedPayload() throws Exception {
    master.server().call(() -> {
      master.server().config().set(io.redstart.config.ConfigParams.REPL_DISKLESS_SYNC, "no");
      return null;
    });
    try (FakeReplica r = new FakeReplica(master.port())) {
      r.send("PSYNC", "?", "-1");
      assertThat(r.line()).startsWith("+FULLRESYNC ");
      String size = r.line();
      assertThat(size).startsWith("$");
      int n = Integer.parseInt(size.substring(1));
      assertThat(s(r.bytes(n))).startsWith("FAKERDB ").endsWith("END\n");
      // A disk transfer streams what follows at once, without waiting for an ACK.
      try (RawClient c = RawClient.connect(master.port())) {
        c.call("SET", "x", "y");
      }
      assertThat(r.commandSkippingPings()).isEqualTo("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n");
      assertThat(r.commandSkippingPings())
          .isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\ny\r\n");
    }
  }

  @Test
  void refusals() throws Exception {
    try (RawClient c = RawClient.connect(master.port())) {
      assertThat(s(c.call("REPLCONF", "a"))).isEqualTo("-ERR syntax error\r\n");
      assertThat(s(c.call("REPLCONF", "foo", "bar")))
          .isEqualTo("-ERR Unrecognized REPLCONF option: foo\r\n");
      assertThat(s(c.call("REPLCONF", "listening-port", "x")))
          .isEqualTo("-ERR value is not an integer or out of range\r\n");
      assertThat(s(c.call("REPLCONF", "rdb-only", "2")))
          .isEqualTo("-ERR value is out of range, value must between 0 and 1\r\n");
      assertThat(s(c.call("PSYNC", "a", "b")))
          .isEqualTo("-ERR value is not an integer or out of range\r\n");
      assertThat(s(c.call("WAIT", "0", "0"))).isEqualTo(":0\r\n");
      assertThat(s(c.call("WAIT", "1", "-1"))).isEqualTo("-ERR timeout is negative\r\n");
      assertThat(s(c.call("REPLICAOF", "h", "70000"))).isEqualTo("-ERR Invalid master port\r\n");
      assertThat(s(c.call("FAILOVER"))).isEqualTo("-ERR FAILOVER requires connected replicas.\r\n");
      assertThat(s(c.call("FAILOVER", "ABORT"))).isEqualTo("-ERR No failover in progress.\r\n");
      assertThat(s(c.call("ROLE"))).isEqualTo("*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n");
    }
  }
}
