package io.redstart.replication;

import static io.redstart.replication.ReplicationInteropIT.await;
import static io.redstart.replication.ReplicationInteropIT.awaitInSync;
import static io.redstart.replication.ReplicationInteropIT.awaitLinkUp;
import static io.redstart.replication.ReplicationInteropIT.call;
import static io.redstart.replication.ReplicationInteropIT.field;
import static io.redstart.replication.ReplicationInteropIT.stats;
import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The replication figures of docs/performance.md, measured and held to: a partial
 * resynchronization after a 5 s cut under a load of 20,000 writes a second catches up within 2 s of reconnecting;
 * min-replicas-to-write refuses writes within min-replicas-max-lag + 1 s of the replicas going
 * silent; WAIT counts only the replicas that acknowledged. Two embedded servers, the link through
 * a {@link LinkProxy}. Each test prints its measures.
 */
class ReplicationFiguresIT {
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
  }

  private Redstart.Handle redstart(String... config) throws Exception {
    Redstart.Builder b = Redstart.builder().port(0)
        .config("repl-diskless-sync-delay", "0")
        .config("repl-ping-replica-period", "1")
        .config("enable-debug-command", "yes");
    for (int i = 0; i + 1 < config.length; i += 2) b.config(config[i], config[i + 1]);
    Redstart.Handle h = b.start();
    open.add(h);
    return h;
  }

  private LinkProxy proxy(int port) throws IOException {
    LinkProxy p = new LinkProxy(port);
    open.add(p);
    return p;
  }

  /**
   * Writers that SET and INCR on the master, pipelining 9 commands at a time, {@code perSecond}
   * writes a second in all (paced, not a flood: a steady production load).
   */
  private static final class Load implements AutoCloseable {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong writes = new AtomicLong();
    final List<Thread> threads = new ArrayList<>();

    Load(int port, int clients, int perSecond) {
      long batchNanos = 9L * clients * 1_000_000_000L / perSecond;
      for (int t = 0; t < clients; t++) {
        int id = t;
        threads.add(Thread.ofPlatform().daemon().start(() -> {
          long i = 0;
          long next = System.nanoTime();
          try (RawClient c = RawClient.connect(port)) {
            while (!stop.get()) {
              next += batchNanos;
              long wait = next - System.nanoTime();
              if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
              for (int k = 0; k < 8; k++, i++) {
                c.send("SET", "load:" + id + ":" + (i % 20_000), "value-" + i);
              }
              c.send("INCR", "counter:" + id);
              for (int k = 0; k < 9; k++) c.read();
              writes.addAndGet(9);
            }
          } catch (IOException | RuntimeException e) {
            if (!stop.get()) throw new IllegalStateException(e);
          }
        }));
      }
    }

    @Override
    public void close() {
      stop.set(true);
      try {
        for (Thread t : threads) t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long offset(int port, String name) throws IOException {
    return Long.parseLong(field(port, "replication", name));
  }

  @Test
  void partialResyncAfterAFiveSecondCutUnderWriteLoad() throws Exception {
    Redstart.Handle m = redstart("repl-backlog-size", "64mb");
    Redstart.Handle r = redstart();
    LinkProxy link = proxy(m.port());
    call(r.port(), "REPLICAOF", "127.0.0.1", Integer.toString(link.port()));
    awaitLinkUp(r.port());
    long caughtUpMillis;
    long relinkMillis;
    long duringCut;
    try (Load load = new Load(m.port(), 4, 20_000)) {
      await("writes flowing", () -> load.writes.get() > 10_000);
      link.cut();
      long cutAt = System.nanoTime();
      long before = load.writes.get();
      await("link down", () -> "down".equals(field(r.port(), "replication",
          "master_link_status")));
      Thread.sleep(Math.max(0, 5000 - (System.nanoTime() - cutAt) / 1_000_000));
      duringCut = load.writes.get() - before;
      long target = offset(m.port(), "master_repl_offset");
      long restoreAt = System.nanoTime();
      link.restore();
      awaitLinkUp(r.port());
      long upAt = System.nanoTime();
      await("replica past the offset of the reconnection",
          () -> offset(r.port(), "slave_repl_offset") >= target);
      long doneAt = System.nanoTime();
      relinkMillis = (upAt - restoreAt) / 1_000_000;
      caughtUpMillis = (doneAt - upAt) / 1_000_000;
    }
    awaitInSync(m.port(), r.port());
    System.out.printf("[figures] 5 s cut, %,d writes during it: link up %d ms after the network"
        + " came back, caught up %d ms after the link was up%n", duringCut, relinkMillis,
        caughtUpMillis);
    assertThat(stats(m.port())).contains("sync_full:1\r\n").contains("sync_partial_ok:1\r\n");
    assertThat(duringCut).as("writes during the cut").isGreaterThan(50_000);
    assertThat(caughtUpMillis).as("catching up after reconnecting (ms)").isLessThan(2000);
  }

  @Test
  void minReplicasRefuseWritesWithinMaxLagPlusOneSecondAndWaitCountsTheTruth() throws Exception {
    Redstart.Handle m = redstart("min-replicas-to-write", "1", "min-replicas-max-lag", "2");
    Redstart.Handle r1 = redstart();
    Redstart.Handle r2 = redstart();
    LinkProxy l1 = proxy(m.port());
    LinkProxy l2 = proxy(m.port());
    call(r1.port(), "REPLICAOF", "127.0.0.1", Integer.toString(l1.port()));
    call(r2.port(), "REPLICAOF", "127.0.0.1", Integer.toString(l2.port()));
    awaitLinkUp(r1.port());
    awaitLinkUp(r2.port());
    await("two good replicas", () -> "2".equals(field(m.port(), "replication",
        "min_slaves_good_slaves")));
    try (RawClient c = RawClient.connect(m.port())) {
      c.call("SET", "a", "1");
      assertThat(str(c.call("WAIT", "2", "5000"))).isEqualTo(":2\r\n");
      // One replica's link hangs: WAIT counts the other only.
      l2.hold(true);
      c.call("SET", "b", "2");
      long t0 = System.nanoTime();
      assertThat(str(c.call("WAIT", "2", "500"))).isEqualTo(":1\r\n");
      assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(450L, 3000L);
      assertThat(str(c.call("WAIT", "1", "5000"))).isEqualTo(":1\r\n");
      // Both hang: writes are refused once the last ACK is older than max-lag.
      l1.hold(true);
      long silentAt = System.nanoTime();
      await("NOREPLICAS", () -> str(c.call("SET", "c", "3")).startsWith("-NOREPLICAS"));
      long refusedMillis = (System.nanoTime() - silentAt) / 1_000_000;
      System.out.printf("[figures] min-replicas-max-lag 2: writes refused %d ms after the"
          + " replicas went silent%n", refusedMillis);
      assertThat(refusedMillis).as("refusal delay (ms)").isLessThanOrEqualTo(3000 + 100);
      assertThat(str(c.call("SET", "c", "3")))
          .isEqualTo("-NOREPLICAS Not enough good replicas to write.\r\n");
      // The links come back: writes are accepted again, and WAIT sees both.
      l1.hold(false);
      l2.hold(false);
      await("good replicas again", () -> str(c.call("SET", "d", "4")).equals("+OK\r\n"));
      assertThat(str(c.call("WAIT", "2", "5000"))).isEqualTo(":2\r\n");
    }
  }

  private static String str(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
