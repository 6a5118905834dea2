package io.redstart.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.RawClient;
import io.redstart.testing.ReferenceRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication with real RDB transfers, across to Redis 7.0.15 in both directions: a redis-server
 * replica of a Redstart master and Redstart replicas of a redis-server master (full
 * synchronization to disk and diskless, the stream, a partial resynchronization after a cut, WAIT
 * answered by the other side's ACKs), a promoted replica of either kind granting partial
 * resynchronizations to its former siblings of the other kind, and a Redstart replica restarted
 * from its RDB continuing where it was. Data is compared with DEBUG DIGEST on both sides.
 *
 * <p>Redstart runs embedded in the test JVM, redis-server in processes of its own (skipped when
 * there is none, unless REDSTART_REQUIRE_ALL=1). Every wait polls with a deadline.
 */
class ReplicationInteropIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final List<AutoCloseable> open = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
  }

  // ---- servers

  /** An embedded server; {@code config} holds directive and value pairs (values split at spaces). */
  private Redstart.Handle redstart(String... config) throws Exception {
    Redstart.Builder b = Redstart.builder().port(0)
        .config("repl-diskless-sync-delay", "0")
        .config("repl-ping-replica-period", "1")
        .config("enable-debug-command", "yes");
    for (int i = 0; i + 1 < config.length; i += 2) b.config(config[i], config[i + 1].split(" "));
    Redstart.Handle h = b.start();
    open.add(h);
    return h;
  }

  private ReferenceRedis redis(String... directives) throws IOException {
    List<String> d = new ArrayList<>(List.of("repl-diskless-sync-delay 0",
        "repl-ping-replica-period 1"));
    d.addAll(List.of(directives));
    ReferenceRedis r = ReferenceRedis.start(d);
    open.add(r);
    return r;
  }

  // ---- client helpers

  static String call(int port, String... argv) throws IOException {
    try (RawClient c = RawClient.connect(port)) {
      return new String(c.call(argv), StandardCharsets.ISO_8859_1);
    }
  }

  static String field(int port, String section, String name) throws IOException {
    for (String line : call(port, "INFO", section).split("\r\n")) {
      if (line.startsWith(name + ":")) return line.substring(name.length() + 1);
    }
    return null;
  }

  static String digest(int port) throws IOException {
    return call(port, "DEBUG", "DIGEST");
  }

  interface Check {
    boolean ok() throws Exception;
  }

  interface Describe {
    String get() throws Exception;
  }

  static void await(String what, Check c) throws Exception {
    await(() -> what, c);
  }

  /** Polls {@code c} until true; at the deadline fails with {@code what}, evaluated then. */
  static void await(Describe what, Check c) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (c.ok()) return;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        String d;
        try {
          d = what.get();
        } catch (Exception ex) {
          d = ex.toString();
        }
        AssertionError e = new AssertionError("timed out waiting for " + d);
        if (last != null) e.initCause(last);
        throw e;
      }
      Thread.sleep(20);
    }
  }

  static void awaitLinkUp(int replica) throws Exception {
    await("link up on " + replica,
        () -> "up".equals(field(replica, "replication", "master_link_status")));
  }

  /** Both sides at the same offset and with the same data. */
  static void awaitInSync(int master, int... replicas) throws Exception {
    for (int r : replicas) {
      await(() -> "replica " + r + " in sync with " + master + ": master offset "
          + field(master, "replication", "master_repl_offset") + ", replica "
          + field(r, "replication", "slave_repl_offset") + ", digests " + digest(master).strip()
          + " " + digest(r).strip() + ", keys " + call(master, "DBSIZE").strip() + " "
          + call(r, "DBSIZE").strip(), () -> {
        String m = field(master, "replication", "master_repl_offset");
        String d = digest(master);
        return m.equals(field(r, "replication", "slave_repl_offset")) && d.equals(digest(r))
            && d.startsWith("+") && !d.equals("+" + "0".repeat(40) + "\r\n");
      });
    }
  }

  /**
   * The key "short" expired on the master and its DEL reached the replicas (a replica keeps a
   * logically expired key until then, and DBSIZE counts it).
   */
  static void awaitExpiredEverywhere(int master, int... replicas) throws Exception {
    await("short expired on the master", () -> call(master, "EXISTS", "short").equals(":0\r\n"));
    for (int r : replicas) {
      await("the master's DEL applied on " + r,
          () -> call(r, "DBSIZE").equals(call(master, "DBSIZE")));
    }
    awaitInSync(master, replicas);
  }

  /** Writes a dataset of every type, in two databases, with expires, a script and a MULTI. */
  static void fill(int port, String tag) throws IOException {
    try (RawClient c = RawClient.connect(port)) {
      for (int i = 0; i < 300; i++) c.send("SET", tag + ":s:" + i, "v" + i);
      for (int i = 0; i < 300; i++) c.read();
      c.call("HSET", tag + ":h", "a", "1", "b", "2");
      for (int i = 0; i < 200; i++) c.call("HSET", tag + ":bigh", "f" + i, "x".repeat(i));
      c.call("RPUSH", tag + ":l", "a", "b", "c", "1", "2");
      c.call("SADD", tag + ":set", "1", "2", "3");
      c.call("SADD", tag + ":sset", "a", "b");
      c.call("ZADD", tag + ":z", "1", "a", "2.5", "b", "-3", "c");
      c.call("XADD", tag + ":x", "1-1", "f", "v");
      c.call("XADD", tag + ":x", "2-1", "g", "w");
      c.call("XGROUP", "CREATE", tag + ":x", "g1", "0");
      c.call("XREADGROUP", "GROUP", "g1", "c1", "COUNT", "1", "STREAMS", tag + ":x", ">");
      c.call("SET", tag + ":ttl", "v", "EX", "1000");
      c.call("PFADD", tag + ":hll", "a", "b", "c");
      c.call("SETBIT", tag + ":bits", "100", "1");
      c.call("INCRBYFLOAT", tag + ":f", "1.5");
      c.call("EVAL", "redis.call('set', KEYS[1], 'lua') return 1", "1", tag + ":lua");
      c.call("MULTI");
      c.call("INCR", tag + ":m1");
      c.call("LPUSH", tag + ":m2", "x");
      c.call("EXEC");
      c.call("SELECT", "3");
      c.call("SET", tag + ":db3", "three");
      c.call("HSET", tag + ":db3h", "k", "v");
      c.call("SELECT", "0");
      c.call("DEL", tag + ":s:0");
      c.call("SPOP", tag + ":sset");
    }
  }

  static String stats(int port) throws IOException {
    return call(port, "INFO", "stats");
  }

  // ---- tests

  @Test
  void redisReplicaOfRedstartMaster() throws Exception {
    Redstart.Handle m = redstart();
    fill(m.port(), "a");
    // Diskless (the default): the RDB goes to the socket as it is written.
    ReferenceRedis r1 = redis("replicaof 127.0.0.1 " + m.port());
    awaitLinkUp(r1.port());
    awaitInSync(m.port(), r1.port());
    // The stream.
    fill(m.port(), "b");
    call(m.port(), "SET", "short", "v", "PX", "50");
    awaitInSync(m.port(), r1.port());
    awaitExpiredEverywhere(m.port(), r1.port());
    // A cut: the replica comes back with a partial resynchronization.
    assertThat(call(r1.port(), "CLIENT", "KILL", "TYPE", "master")).isEqualTo(":1\r\n");
    fill(m.port(), "c");
    awaitLinkUp(r1.port());
    awaitInSync(m.port(), r1.port());
    assertThat(stats(m.port())).contains("sync_full:1\r\n").contains("sync_partial_ok:1\r\n");
    // A second replica through the RDB file.
    assertThat(call(m.port(), "CONFIG", "SET", "repl-diskless-sync", "no")).isEqualTo("+OK\r\n");
    ReferenceRedis r2 = redis("replicaof 127.0.0.1 " + m.port());
    awaitLinkUp(r2.port());
    fill(m.port(), "d");
    awaitInSync(m.port(), r1.port(), r2.port());
    assertThat(stats(m.port())).contains("sync_full:2\r\n");
    assertThat(call(m.port(), "WAIT", "2", "5000")).isEqualTo(":2\r\n");
    assertThat(field(m.port(), "replication", "connected_slaves")).isEqualTo("2");
    assertThat(call(r1.port(), "SET", "x", "y"))
        .isEqualTo("-READONLY You can't write against a read only replica.\r\n");
  }

  @Test
  void redstartReplicasOfRedisMaster() throws Exception {
    ReferenceRedis m = redis();
    fill(m.port(), "a");
    Redstart.Handle toDisk = redstart("replicaof", "127.0.0.1 " + m.port());
    Redstart.Handle swapdb = redstart("repl-diskless-load", "swapdb");
    assertThat(call(swapdb.port(), "REPLICAOF", "127.0.0.1", Integer.toString(m.port())))
        .isEqualTo("+OK\r\n");
    Redstart.Handle onEmpty = redstart("repl-diskless-load", "on-empty-db",
        "replicaof", "127.0.0.1 " + m.port());
    awaitLinkUp(toDisk.port());
    awaitLinkUp(swapdb.port());
    awaitLinkUp(onEmpty.port());
    awaitInSync(m.port(), toDisk.port(), swapdb.port(), onEmpty.port());
    fill(m.port(), "b");
    call(m.port(), "SET", "short", "v", "PX", "50");
    awaitInSync(m.port(), toDisk.port(), swapdb.port());
    awaitExpiredEverywhere(m.port(), toDisk.port(), swapdb.port());
    // A cut on either: partial resynchronizations.
    assertThat(call(toDisk.port(), "CLIENT", "KILL", "TYPE", "master")).isEqualTo(":1\r\n");
    assertThat(call(swapdb.port(), "CLIENT", "KILL", "TYPE", "master")).isEqualTo(":1\r\n");
    fill(m.port(), "c");
    awaitLinkUp(toDisk.port());
    awaitLinkUp(swapdb.port());
    awaitInSync(m.port(), toDisk.port(), swapdb.port());
    assertThat(stats(m.port())).contains("sync_full:3\r\n").contains("sync_partial_ok:2\r\n");
    // Redis's WAIT counts our ACKs.
    call(m.port(), "SET", "w", "1");
    assertThat(call(m.port(), "WAIT", "3", "5000")).isEqualTo(":3\r\n");
    assertThat(call(toDisk.port(), "SET", "x", "y"))
        .isEqualTo("-READONLY You can't write against a read only replica.\r\n");
    assertThat(call(toDisk.port(), "ROLE"))
        .startsWith("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:" + m.port() + "\r\n$9\r\nconnected\r\n");
    assertThat(field(toDisk.port(), "replication", "master_replid"))
        .isEqualTo(field(m.port(), "replication", "master_replid"));
  }

  @Test
  void promotedRedisReplicaServesRedstartSiblingsPartially() throws Exception {
    Redstart.Handle m = redstart();
    ReferenceRedis r = redis("replicaof 127.0.0.1 " + m.port());
    Redstart.Handle s = redstart("replicaof", "127.0.0.1 " + m.port(),
        "repl-diskless-load", "swapdb");
    fill(m.port(), "a");
    awaitLinkUp(r.port());
    awaitLinkUp(s.port());
    awaitInSync(m.port(), r.port(), s.port());
    String oldId = field(m.port(), "replication", "master_replid");
    assertThat(call(r.port(), "REPLICAOF", "NO", "ONE")).isEqualTo("+OK\r\n");
    assertThat(field(r.port(), "replication", "master_replid2")).isEqualTo(oldId);
    call(s.port(), "REPLICAOF", "127.0.0.1", Integer.toString(r.port()));
    call(m.port(), "REPLICAOF", "127.0.0.1", Integer.toString(r.port()));
    awaitLinkUp(s.port());
    awaitLinkUp(m.port());
    fill(r.port(), "b");
    awaitInSync(r.port(), s.port(), m.port());
    // The old master and the sibling both continued the history.
    assertThat(stats(r.port())).contains("sync_full:0\r\n").contains("sync_partial_ok:2\r\n");
  }

  @Test
  void promotedRedstartReplicaServesRedisSiblingsPartially() throws Exception {
    ReferenceRedis m = redis();
    Redstart.Handle s = redstart("replicaof", "127.0.0.1 " + m.port());
    ReferenceRedis r = redis("replicaof 127.0.0.1 " + m.port());
    fill(m.port(), "a");
    awaitLinkUp(r.port());
    awaitLinkUp(s.port());
    awaitInSync(m.port(), r.port(), s.port());
    String oldId = field(m.port(), "replication", "master_replid");
    assertThat(call(s.port(), "REPLICAOF", "NO", "ONE")).isEqualTo("+OK\r\n");
    assertThat(field(s.port(), "replication", "master_replid2")).isEqualTo(oldId);
    call(r.port(), "REPLICAOF", "127.0.0.1", Integer.toString(s.port()));
    call(m.port(), "REPLICAOF", "127.0.0.1", Integer.toString(s.port()));
    awaitLinkUp(r.port());
    awaitLinkUp(m.port());
    fill(s.port(), "b");
    awaitInSync(s.port(), r.port(), m.port());
    assertThat(stats(s.port())).contains("sync_full:0\r\n").contains("sync_partial_ok:2\r\n");
  }

  @Test
  void redstartReplicaRestartedFromItsRdbResynchronizesPartially() throws Exception {
    Redstart.Handle m = redstart("repl-diskless-sync", "no");
    fill(m.port(), "a");
    Path replicaDir = dir.resolve("replica");
    java.nio.file.Files.createDirectories(replicaDir);
    Redstart.Handle r = redstart("dir", replicaDir.toString(),
        "replicaof", "127.0.0.1 " + m.port());
    awaitLinkUp(r.port());
    awaitInSync(m.port(), r.port());
    assertThat(call(r.port(), "SAVE")).isEqualTo("+OK\r\n");
    r.close();
    open.remove(r);
    fill(m.port(), "b");
    Redstart.Handle again = redstart("dir", replicaDir.toString(),
        "replicaof", "127.0.0.1 " + m.port());
    awaitLinkUp(again.port());
    awaitInSync(m.port(), again.port());
    assertThat(stats(m.port())).contains("sync_full:1\r\n").contains("sync_partial_ok:1\r\n");
  }

  @Test
  void replicaWithItsOwnAofLogsTheStreamAndRestartsFromIt() throws Exception {
    Redstart.Handle m = redstart();
    fill(m.port(), "a");
    Path replicaDir = dir.resolve("aof-replica");
    java.nio.file.Files.createDirectories(replicaDir);
    Redstart.Handle r = redstart("dir", replicaDir.toString(), "appendonly", "yes",
        "replicaof", "127.0.0.1 " + m.port());
    awaitLinkUp(r.port());
    awaitInSync(m.port(), r.port());
    // The log was stopped for the load and rewritten from the new data.
    await("AOF back on after the synchronization",
        () -> "1".equals(field(r.port(), "persistence", "aof_enabled"))
            && "0".equals(field(r.port(), "persistence", "aof_rewrite_in_progress")));
    fill(m.port(), "b");
    awaitInSync(m.port(), r.port());
    String expected = digest(m.port());
    r.close();
    open.remove(r);
    Redstart.Handle again = redstart("dir", replicaDir.toString(), "appendonly", "yes");
    assertThat(digest(again.port())).isEqualTo(expected);
  }

  @Test
  void failoverToARedisReplicaAndBack() throws Exception {
    Redstart.Handle m = redstart();
    fill(m.port(), "a");
    ReferenceRedis r = redis("replicaof 127.0.0.1 " + m.port());
    awaitLinkUp(r.port());
    awaitInSync(m.port(), r.port());
    // Redstart hands over to redis-server: no write lost, no full synchronization.
    assertThat(call(m.port(), "FAILOVER", "TO", "127.0.0.1", Integer.toString(r.port()),
        "TIMEOUT", "10000")).isEqualTo("+OK\r\n");
    await("roles swapped", () -> call(r.port(), "ROLE").startsWith("*3\r\n$6\r\nmaster")
        && "up".equals(field(m.port(), "replication", "master_link_status")));
    fill(r.port(), "b");
    awaitInSync(r.port(), m.port());
    assertThat(stats(r.port())).contains("sync_full:0\r\n").contains("sync_partial_ok:1\r\n");
    // And back: redis-server hands over to Redstart.
    assertThat(call(r.port(), "FAILOVER", "TO", "127.0.0.1", Integer.toString(m.port()),
        "TIMEOUT", "10000")).isEqualTo("+OK\r\n");
    await("roles swapped back", () -> call(m.port(), "ROLE").startsWith("*3\r\n$6\r\nmaster")
        && "up".equals(field(r.port(), "replication", "master_link_status")));
    fill(m.port(), "c");
    awaitInSync(m.port(), r.port());
    assertThat(field(m.port(), "replication", "master_failover_state")).isEqualTo("no-failover");
    assertThat(stats(m.port())).contains("sync_full:1\r\n").contains("sync_partial_ok:1\r\n");
  }

  @Test
  void chainsThroughEitherKind() throws Exception {
    // redis-server -> Redstart -> redis-server: Redstart passes its master's stream on.
    ReferenceRedis top = redis();
    Redstart.Handle middle = redstart("replicaof", "127.0.0.1 " + top.port());
    ReferenceRedis bottom = redis("replicaof 127.0.0.1 " + middle.port());
    // Redstart -> redis-server -> Redstart.
    Redstart.Handle top2 = redstart();
    ReferenceRedis middle2 = redis("replicaof 127.0.0.1 " + top2.port());
    Redstart.Handle bottom2 = redstart("replicaof", "127.0.0.1 " + middle2.port());
    fill(top.port(), "a");
    fill(top2.port(), "a");
    awaitLinkUp(bottom.port());
    awaitLinkUp(bottom2.port());
    awaitInSync(top.port(), middle.port(), bottom.port());
    awaitInSync(top2.port(), middle2.port(), bottom2.port());
    fill(top.port(), "b");
    fill(top2.port(), "b");
    awaitInSync(top.port(), middle.port(), bottom.port());
    awaitInSync(top2.port(), middle2.port(), bottom2.port());
    assertThat(field(bottom.port(), "replication", "master_replid"))
        .isEqualTo(field(top.port(), "replication", "master_replid"));
    assertThat(field(bottom2.port(), "replication", "master_replid"))
        .isEqualTo(field(top2.port(), "replication", "master_replid"));
  }

  @Test
  void swapdbFullResyncWithTheSameHistory() throws Exception {
    // The backlog cannot hold the gap: a full resync with the replication id the replica has
    // (Redis's async loading: the old data serves until the new is swapped in).
    ReferenceRedis m = redis("repl-backlog-size 16kb");
    Redstart.Handle r = redstart("repl-diskless-load", "swapdb");
    try (LinkProxy link = new LinkProxy(m.port())) {
      call(r.port(), "REPLICAOF", "127.0.0.1", Integer.toString(link.port()));
      fill(m.port(), "a");
      awaitLinkUp(r.port());
      awaitInSync(m.port(), r.port());
      link.cut();
      await("link down", () -> "down".equals(field(r.port(), "replication",
          "master_link_status")));
      fill(m.port(), "b");
      link.restore();
      awaitLinkUp(r.port());
      awaitInSync(m.port(), r.port());
      assertThat(stats(m.port())).contains("sync_full:2\r\n");
      fill(m.port(), "c");
      awaitInSync(m.port(), r.port());
    }
  }

  @Test
  void masterRestartedFromItsRdbLetsItsReplicaContinue() throws Exception {
    int port = ReferenceRedis.freePort();
    Path masterDir = dir.resolve("master");
    java.nio.file.Files.createDirectories(masterDir);
    // No PINGs between the SAVE and the stop, so the file holds the replica's exact offset.
    String[] config = {"port", Integer.toString(port), "dir", masterDir.toString(),
        "repl-ping-replica-period", "60"};
    Redstart.Handle m = redstart(config);
    fill(m.port(), "a");
    ReferenceRedis r = redis("replicaof 127.0.0.1 " + port);
    awaitLinkUp(r.port());
    // The replication cron's first run (a second after the start) PINGs the replicas whatever
    // repl-ping-replica-period says; after it, none comes for 60 s.
    await(() -> "two seconds of uptime",
        () -> Long.parseLong(field(m.port(), "server", "uptime_in_seconds")) >= 2);
    awaitInSync(m.port(), r.port());
    String id = field(m.port(), "replication", "master_replid");
    assertThat(call(m.port(), "SAVE")).isEqualTo("+OK\r\n");
    m.close();
    open.remove(m);
    await("replica sees its master gone",
        () -> "down".equals(field(r.port(), "replication", "master_link_status")));
    Redstart.Handle again = redstart(config);
    // The old id is kept as the secondary one: the replica continues without a full sync.
    assertThat(field(again.port(), "replication", "master_replid2")).isEqualTo(id);
    awaitLinkUp(r.port());
    fill(again.port(), "b");
    awaitInSync(again.port(), r.port());
    assertThat(stats(again.port())).contains("sync_full:0\r\n").contains("sync_partial_ok:1\r\n");
  }

  @Test
  void disklessSyncWaitsForItsReplicasAndServesThemOneSnapshot() throws Exception {
    // A 60 s delay, cut short once two replicas wait: both get the same snapshot, at once.
    Redstart.Handle m = redstart("repl-diskless-sync-delay", "60",
        "repl-diskless-sync-max-replicas", "2");
    fill(m.port(), "a");
    ReferenceRedis r1 = redis("replicaof 127.0.0.1 " + m.port());
    await("first replica waiting", () -> call(m.port(), "INFO", "replication")
        .contains("state=wait_bgsave"));
    ReferenceRedis r2 = redis("replicaof 127.0.0.1 " + m.port());
    awaitLinkUp(r1.port());
    awaitLinkUp(r2.port());
    awaitInSync(m.port(), r1.port(), r2.port());
    assertThat(field(m.port(), "persistence", "rdb_saves")).isEqualTo("1");
    assertThat(stats(m.port())).contains("sync_full:2\r\n");
  }

  @Test
  void asyncLoadingServesTheOldDataUntilTheSwap() throws Exception {
    Redstart.Handle m = redstart("repl-backlog-size", "16kb");
    Redstart.Handle r = redstart("repl-diskless-load", "swapdb");
    try (LinkProxy link = new LinkProxy(m.port())) {
      call(r.port(), "REPLICAOF", "127.0.0.1", Integer.toString(link.port()));
      fill(m.port(), "a");
      awaitLinkUp(r.port());
      awaitInSync(m.port(), r.port());
      link.cut();
      call(m.port(), "CLIENT", "KILL", "TYPE", "replica");
      await("link down", () -> "down".equals(field(r.port(), "replication",
          "master_link_status")));
      fill(m.port(), "b"); // more than the backlog holds
      // A slow snapshot (10 ms a key, about 3 s): the replica keeps serving meanwhile.
      call(m.port(), "CONFIG", "SET", "rdb-key-save-delay", "10000");
      link.restore();
      await("async loading", () -> "1".equals(field(r.port(), "persistence", "async_loading")));
      assertThat(field(r.port(), "persistence", "loading")).isEqualTo("0");
      assertThat(call(r.port(), "GET", "a:s:5")).isEqualTo("$2\r\nv5\r\n");
      assertThat(call(r.port(), "EXISTS", "b:s:5")).isEqualTo(":0\r\n");
      call(m.port(), "CONFIG", "SET", "rdb-key-save-delay", "0");
      awaitLinkUp(r.port());
      awaitInSync(m.port(), r.port());
      assertThat(field(r.port(), "persistence", "async_loading")).isEqualTo("0");
      assertThat(call(r.port(), "GET", "b:s:5")).isEqualTo("$2\r\nv5\r\n");
    }
  }
}
