package io.redstart.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two embedded servers, one the replica of the other, with snapshots in a test format: the replica
 * side of the protocol (handshake, transfer to disk or to the loader, the master client applying
 * the stream, ACKs), partial resynchronization after a cut, chained replicas, promotion.
 */
class ReplicaLinkTest {
  private final List<Redstart.Handle> servers = new ArrayList<>();
  private final List<FakeSnapshots> fakes = new ArrayList<>();

  private Redstart.Handle start(String... config) throws Exception {
    Redstart.Builder b = Redstart.builder().port(0)
        .config("repl-diskless-sync-delay", "0")
        .config("repl-ping-replica-period", "1");
    for (int i = 0; i + 1 < config.length; i += 2) b.config(config[i], config[i + 1]);
    Redstart.Handle h = b.start();
    servers.add(h);
    Path dir = Files.createTempDirectory("redstart-repl-");
    FakeSnapshots f = new FakeSnapshots(h.server(), dir);
    fakes.add(f);
    h.server().call(() -> {
      h.server().component(Replication.class).snapshots(f);
      return null;
    });
    return h;
  }

  @AfterEach
  void stop() {
    for (Redstart.Handle h : servers) h.close();
  }

  static String call(Redstart.Handle h, String... argv) throws Exception {
    try (RawClient c = RawClient.connect(h.port())) {
      return new String(c.call(argv), StandardCharsets.ISO_8859_1);
    }
  }

  static String info(Redstart.Handle h, String field) throws Exception {
    String info = call(h, "INFO", "replication");
    for (String line : info.split("\r\n")) {
      if (line.startsWith(field + ":")) return line.substring(field.length() + 1);
    }
    return null;
  }

  static void await(String what, BooleanSupplier cond) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  private static BooleanSupplier quietly(Check c) {
    return () -> {
      try {
        return c.ok();
      } catch (Exception e) {
        return false;
      }
    };
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void awaitLinkUp(Redstart.Handle replica) throws Exception {
    await("link up", quietly(() -> "up".equals(info(replica, "master_link_status"))));
  }

  static void awaitSameOffset(Redstart.Handle master, Redstart.Handle replica) throws Exception {
    await("offsets equal", quietly(() -> {
      String m = info(master, "master_repl_offset");
      String r = info(replica, "master_repl_offset");
      return m != null && m.equals(r) && m.equals(info(replica, "slave_repl_offset"));
    }));
  }

  private void fullSyncAndStream(String... replicaConfig) throws Exception {
    Redstart.Handle m = start();
    Redstart.Handle r = start(replicaConfig);
    call(m, "SET", "before", "1");
    assertThat(call(r, "REPLICAOF", "127.0.0.1", Integer.toString(m.port()))).isEqualTo("+OK\r\n");
    awaitLinkUp(r);
    assertThat(call(r, "GET", "before")).isEqualTo("$1\r\n1\r\n");
    call(m, "SET", "after", "2");
    call(m, "SELECT", "3");
    call(m, "INCR", "n");
    awaitSameOffset(m, r);
    assertThat(call(r, "GET", "after")).isEqualTo("$1\r\n2\r\n");
    assertThat(call(r, "SET", "x", "y"))
        .isEqualTo("-READONLY You can't write against a read only replica.\r\n");
    assertThat(call(r, "ROLE")).startsWith("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n");
    assertThat(call(m, "WAIT", "1", "2000")).isEqualTo(":1\r\n");
  }

  @Test
  void fullSyncDisklessToDisk() throws Exception {
    fullSyncAndStream("repl-diskless-load", "disabled");
  }

  @Test
  void fullSyncDisklessToParser() throws Exception {
    fullSyncAndStream("repl-diskless-load", "swapdb");
  }

  @Test
  void fullSyncDiskToDisk() throws Exception {
    Redstart.Handle m = start("repl-diskless-sync", "no");
    Redstart.Handle r = start();
    call(m, "SET", "k", "v");
    call(r, "REPLICAOF", "127.0.0.1", Integer.toString(m.port()));
    awaitLinkUp(r);
    call(m, "SET", "k2", "v2");
    awaitSameOffset(m, r);
    assertThat(call(r, "MGET", "k", "k2")).isEqualTo("*2\r\n$1\r\nv\r\n$2\r\nv2\r\n");
  }

  @Test
  void partialResyncAfterTheLinkIsCut() throws Exception {
    Redstart.Handle m = start();
    Redstart.Handle r = start();
    call(r, "REPLICAOF", "127.0.0.1", Integer.toString(m.port()));
    awaitLinkUp(r);
    call(m, "SET", "a", "1");
    awaitSameOffset(m, r);
    assertThat(call(r, "CLIENT", "KILL", "TYPE", "master")).isEqualTo(":1\r\n");
    call(m, "SET", "b", "2");
    awaitLinkUp(r);
    awaitSameOffset(m, r);
    assertThat(call(r, "GET", "b")).isEqualTo("$1\r\n2\r\n");
    assertThat(call(m, "INFO", "stats")).contains("sync_full:1\r\n").contains("sync_partial_ok:1\r\n");
  }

  @Test
  void chainedReplicaGetsTheSameStream() throws Exception {
    Redstart.Handle m = start();
    Redstart.Handle r1 = start();
    Redstart.Handle r2 = start();
    call(r1, "REPLICAOF", "127.0.0.1", Integer.toString(m.port()));
    awaitLinkUp(r1);
    call(r2, "REPLICAOF", "127.0.0.1", Integer.toString(r1.port()));
    awaitLinkUp(r2);
    call(m, "SET", "a", "1");
    call(m, "EXPIRE", "a", "100");
    awaitSameOffset(m, r2);
    assertThat(info(r2, "master_replid")).isEqualTo(info(m, "master_replid"));
    assertThat(call(r2, "TTL", "a")).isIn(":100\r\n", ":99\r\n");
  }

  @Test
  void promotionKeepsHistoryForSiblings() throws Exception {
    Redstart.Handle m = start();
    Redstart.Handle r1 = start();
    Redstart.Handle r2 = start();
    String mp = Integer.toString(m.port());
    call(r1, "REPLICAOF", "127.0.0.1", mp);
    call(r2, "REPLICAOF", "127.0.0.1", mp);
    awaitLinkUp(r1);
    awaitLinkUp(r2);
    call(m, "SET", "a", "1");
    awaitSameOffset(m, r1);
    awaitSameOffset(m, r2);
    String oldId = info(m, "master_replid");
    assertThat(call(r1, "REPLICAOF", "NO", "ONE")).isEqualTo("+OK\r\n");
    assertThat(info(r1, "master_replid2")).isEqualTo(oldId);
    call(r2, "REPLICAOF", "127.0.0.1", Integer.toString(r1.port()));
    call(m, "REPLICAOF", "127.0.0.1", Integer.toString(r1.port()));
    awaitLinkUp(r2);
    awaitLinkUp(m);
    call(r1, "SET", "b", "2");
    awaitSameOffset(r1, r2);
    awaitSameOffset(r1, m);
    assertThat(call(m, "GET", "b")).isEqualTo("$1\r\n2\r\n");
    // Both continued the history: no second full synchronization.
    assertThat(call(r1, "INFO", "stats")).contains("sync_full:0\r\n").contains("sync_partial_ok:2\r\n");
  }

  @Test
  void partialResyncAfterACutWithWritesInBetween() throws Exception {
    Redstart.Handle m = start();
    Redstart.Handle r = start();
    try (LinkProxy proxy = new LinkProxy(m.port())) {
      call(r, "REPLICAOF", "127.0.0.1", Integer.toString(proxy.port()));
      awaitLinkUp(r);
      call(m, "SET", "a", "1");
      awaitSameOffset(m, r);
      proxy.cut();
      await("link down", quietly(() -> "down".equals(info(r, "master_link_status"))));
      for (int i = 0; i < 100; i++) call(m, "SET", "k" + i, Integer.toString(i));
      proxy.restore();
      awaitLinkUp(r);
      awaitSameOffset(m, r);
      assertThat(call(r, "GET", "k99")).isEqualTo("$2\r\n99\r\n");
      assertThat(call(m, "INFO", "stats")).contains("sync_full:1\r\n")
          .contains("sync_partial_ok:1\r\n");
    }
  }

  @Test
  void fullResyncWhenTheBacklogNoLongerHoldsTheGap() throws Exception {
    Redstart.Handle m = start("repl-backlog-size", "16kb");
    Redstart.Handle r = start();
    try (LinkProxy proxy = new LinkProxy(m.port())) {
      call(r, "REPLICAOF", "127.0.0.1", Integer.toString(proxy.port()));
      awaitLinkUp(r);
      proxy.cut();
      await("link down", quietly(() -> "down".equals(info(r, "master_link_status"))));
      // The master let the replica go too: nothing holds the stream beyond the backlog's size.
      await("replica gone", quietly(() -> "0".equals(info(m, "connected_slaves"))));
      String big = "x".repeat(1000);
      for (int i = 0; i < 100; i++) call(m, "SET", "k" + i, big);
      proxy.restore();
      awaitLinkUp(r);
      awaitSameOffset(m, r);
      assertThat(call(r, "DBSIZE")).isEqualTo(":100\r\n");
      assertThat(call(m, "INFO", "stats")).contains("sync_full:2\r\n")
          .contains("sync_partial_ok:0\r\n").contains("sync_partial_err:2\r\n");
    }
  }

  @Test
  void failoverSwapsTheRoles() throws Exception {
    Redstart.Handle m = start();
    Redstart.Handle r = start();
    call(r, "REPLICAOF", "127.0.0.1", Integer.toString(m.port()));
    awaitLinkUp(r);
    call(m, "SET", "a", "1");
    awaitSameOffset(m, r);
    assertThat(call(m, "FAILOVER", "TO", "127.0.0.1", Integer.toString(r.port()), "TIMEOUT",
        "5000")).isEqualTo("+OK\r\n");
    await("r is master", quietly(() -> call(r, "ROLE").startsWith("*3\r\n$6\r\nmaster")));
    awaitLinkUp(m);
    assertThat(info(m, "master_failover_state")).isEqualTo("no-failover");
    assertThat(call(m, "ROLE")).contains("$5\r\nslave\r\n");
    call(r, "SET", "b", "2");
    awaitSameOffset(r, m);
    assertThat(call(m, "GET", "b")).isEqualTo("$1\r\n2\r\n");
    // No full synchronization either way: the history went on.
    assertThat(call(r, "INFO", "stats")).contains("sync_full:0\r\n");
  }

  @Test
  void failoverAbortsWhenTheReplicaNeverCatchesUp() throws Exception {
    Redstart.Handle m = start();
    Redstart.Handle r = start();
    try (LinkProxy proxy = new LinkProxy(m.port())) {
      call(r, "REPLICAOF", "127.0.0.1", Integer.toString(proxy.port()));
      awaitLinkUp(r);
      proxy.hold(true);
      call(m, "SET", "a", "1"); // the replica cannot acknowledge this
      assertThat(call(m, "FAILOVER", "TIMEOUT", "300")).isEqualTo("+OK\r\n");
      assertThat(info(m, "master_failover_state")).isEqualTo("waiting-for-sync");
      assertThat(call(m, "FAILOVER")).isEqualTo("-ERR FAILOVER already in progress.\r\n");
      assertThat(call(m, "REPLICAOF", "NO", "ONE"))
          .isEqualTo("-ERR REPLICAOF not allowed while failing over.\r\n");
      await("aborted", quietly(() -> "no-failover".equals(info(m, "master_failover_state"))));
      assertThat(call(m, "ROLE")).startsWith("*3\r\n$6\r\nmaster");
      assertThat(call(m, "SET", "b", "2")).isEqualTo("+OK\r\n"); // writes resumed
      proxy.hold(false);
    }
  }

  @Test
  void minReplicasToWriteAndWait() throws Exception {
    Redstart.Handle m = start("min-replicas-to-write", "1", "min-replicas-max-lag", "10");
    assertThat(call(m, "SET", "a", "1"))
        .isEqualTo("-NOREPLICAS Not enough good replicas to write.\r\n");
    Redstart.Handle r = start();
    call(r, "REPLICAOF", "127.0.0.1", Integer.toString(m.port()));
    awaitLinkUp(r);
    await("good replica", quietly(() -> "1".equals(info(m, "min_slaves_good_slaves"))));
    assertThat(call(m, "SET", "a", "1")).isEqualTo("+OK\r\n");
    try (RawClient c = RawClient.connect(m.port())) {
      c.call("SET", "b", "2");
      assertThat(new String(c.call("WAIT", "1", "5000"), StandardCharsets.ISO_8859_1))
          .isEqualTo(":1\r\n");
      assertThat(new String(c.call("WAIT", "2", "200"), StandardCharsets.ISO_8859_1))
          .isEqualTo(":1\r\n");
    }
    r.close();
    await("no good replica", quietly(() -> "0".equals(info(m, "min_slaves_good_slaves"))));
    assertThat(call(m, "SET", "a", "1"))
        .isEqualTo("-NOREPLICAS Not enough good replicas to write.\r\n");
    assertThat(call(m, "GET", "a")).isEqualTo("$1\r\n1\r\n");
  }

  @Test
  void replicaPastItsOutputBufferLimitDuringAFullSyncIsDropped() throws Exception {
    Redstart.Handle m = start("client-output-buffer-limit", "replica 64kb 0 0");
    FakeSnapshots slow = fakes.get(0);
    for (int i = 0; i < 20; i++) call(m, "SET", "k" + i, "v");
    slow.lineDelayMillis = 500; // a 10 s transfer, unless the replica is dropped first
    Redstart.Handle r = start();
    call(r, "REPLICAOF", "127.0.0.1", Integer.toString(m.port()));
    await("transfer under way", quietly(() -> call(m, "INFO", "replication")
        .contains("state=wait_bgsave")));
    // 100 KB of writes wait for the replica meanwhile: past its 64 KB limit.
    String big = "x".repeat(10_000);
    for (int i = 0; i < 10; i++) call(m, "SET", "big" + i, big);
    // Dropped before its transfer could end: it reconnects and asks again.
    await("replica dropped and back", quietly(() -> call(m, "INFO", "stats")
        .contains("sync_full:2\r\n")));
    // Without a limit the next attempt succeeds.
    slow.lineDelayMillis = 0;
    call(m, "CONFIG", "SET", "client-output-buffer-limit", "replica 0 0 0");
    awaitLinkUp(r);
    awaitSameOffset(m, r);
    assertThat(call(r, "STRLEN", "big9")).isEqualTo(":10000\r\n");
  }
}
