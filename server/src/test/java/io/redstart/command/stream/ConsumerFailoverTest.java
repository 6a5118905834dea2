package io.redstart.command.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingEntry;

/**
 * A consumer group at work: a producer adds jobs while three workers read them with XREADGROUP
 * BLOCK; one worker dies holding pending jobs; the survivors take them over with XAUTOCLAIM once
 * they have been idle long enough. Nothing is lost (every job is acknowledged, the pending list
 * ends empty), and no job is ever held by two live workers at once. A poison job that always fails
 * is moved to a dead-letter stream once its delivery count shows it keeps failing, as
 * docs/streams.md describes.
 */
class ConsumerFailoverTest {
  private static final String STREAM = "jobs";
  private static final String GROUP = "workers";
  private static final int JOBS = 3000;
  private static final long MIN_IDLE_MS = 300;
  private static final int MAX_DELIVERIES = 3;

  private static Redstart.Handle server;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Who holds which job now (live workers only), and what went wrong. */
  private final Map<StreamEntryID, String> held = new ConcurrentHashMap<>();

  private final Set<StreamEntryID> done = ConcurrentHashMap.newKeySet();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();

  private Jedis connect() {
    return new Jedis("127.0.0.1", server.port());
  }

  /** A delivery to {@code worker}: no other live worker may be holding the job. */
  private void took(StreamEntryID id, String worker) {
    String before = held.putIfAbsent(id, worker);
    if (before != null && !before.equals(worker)) {
      violations.add(id + " delivered to " + worker + " while " + before + " held it");
    }
  }

  private void finished(Jedis j, StreamEntryID id, String worker) {
    held.remove(id, worker);
    j.xack(STREAM, GROUP, id);
    done.add(id);
  }

  private boolean isPoison(StreamEntry e) {
    return "poison".equals(e.getFields().get("kind"));
  }

  /** Reads new jobs and finishes them, except poison, which it leaves pending (it "fails"). */
  private void worker(String name, int dieAfter) {
    try (Jedis j = connect()) {
      int seen = 0;
      while (!stop.get()) {
        List<Map.Entry<String, List<StreamEntry>>> got =
            j.xreadGroup(
                GROUP,
                name,
                XReadGroupParams.xReadGroupParams().count(20).block(50),
                Map.of(STREAM, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        if (got == null) {
          claimIdle(j, name);
          continue;
        }
        for (StreamEntry e : got.getFirst().getValue()) {
          seen++;
          if (seen > dieAfter) {
            // Dies holding what it just read: those jobs stay pending under its name.
            return;
          }
          took(e.getID(), name);
          if (isPoison(e)) {
            held.remove(e.getID(), name); // gave up on it, without an acknowledgement
          } else {
            finished(j, e.getID(), name);
          }
        }
        claimIdle(j, name);
      }
    } catch (RuntimeException e) {
      violations.add(name + " failed: " + e);
    }
  }

  /**
   * Takes over jobs idle for {@link #MIN_IDLE_MS} (a dead worker's, or the poison job) with
   * XAUTOCLAIM; a job delivered {@link #MAX_DELIVERIES} times goes to the dead-letter stream (XADD
   * jobs:dead, then XACK and XDEL), as in docs/streams.md.
   */
  private void claimIdle(Jedis j, String name) {
    Map.Entry<StreamEntryID, List<StreamEntry>> claimed =
        j.xautoclaim(
            STREAM,
            GROUP,
            name,
            MIN_IDLE_MS,
            new StreamEntryID(0, 0),
            XAutoClaimParams.xAutoClaimParams().count(50));
    for (StreamEntry e : claimed.getValue()) {
      took(e.getID(), name);
      if (!isPoison(e)) {
        finished(j, e.getID(), name);
        continue;
      }
      held.remove(e.getID(), name);
      List<StreamPendingEntry> p =
          j.xpending(STREAM, GROUP, XPendingParams.xPendingParams(e.getID(), e.getID(), 1));
      if (!p.isEmpty() && p.getFirst().getDeliveredTimes() >= MAX_DELIVERIES) {
        j.xadd(
            "jobs:dead",
            StreamEntryID.NEW_ENTRY,
            Map.of(
                "id",
                e.getID().toString(),
                "deliveries",
                Long.toString(p.getFirst().getDeliveredTimes())));
        j.xack(STREAM, GROUP, e.getID());
        j.xdel(STREAM, e.getID());
        done.add(e.getID());
      }
    }
  }

  @Test
  void aDeadWorkersJobsAreTakenOverAndNothingIsLost() throws Exception {
    List<StreamEntryID> produced = new ArrayList<>();
    StreamEntryID poison;
    try (Jedis j = connect()) {
      j.flushAll();
      j.xgroupCreate(STREAM, GROUP, new StreamEntryID(0, 0), true);
      poison = j.xadd(STREAM, StreamEntryID.NEW_ENTRY, Map.of("kind", "poison"));
    }
    List<Thread> workers = new ArrayList<>();
    workers.add(Thread.ofPlatform().name("w1").start(() -> worker("w1", Integer.MAX_VALUE)));
    workers.add(Thread.ofPlatform().name("w2").start(() -> worker("w2", 150)));
    workers.add(Thread.ofPlatform().name("w3").start(() -> worker("w3", Integer.MAX_VALUE)));
    try (Jedis j = connect()) {
      for (int i = 0; i < JOBS; i++) {
        produced.add(
            j.xadd(
                STREAM, StreamEntryID.NEW_ENTRY, Map.of("kind", "job", "n", Integer.toString(i))));
      }
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (j.xpending(STREAM, GROUP).getTotal() > 0 || done.size() < JOBS + 1) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("jobs left pending: " + j.xpending(STREAM, GROUP).getTotal());
        }
        Thread.sleep(20);
      }
      stop.set(true);
      for (Thread t : workers) t.join(10_000);

      assertThat(violations).isEmpty();
      Set<StreamEntryID> expected = new HashSet<>(produced);
      expected.add(poison);
      assertThat(done).isEqualTo(expected);
      assertThat(j.xpending(STREAM, GROUP).getTotal()).isZero();
      // The dead worker still exists with nothing pending; the poison job is in the dead letters.
      assertThat(j.xlen("jobs:dead")).isEqualTo(1);
      assertThat(j.xrange("jobs:dead", "-", "+").getFirst().getFields())
          .containsEntry("id", poison.toString())
          .containsEntry("deliveries", Integer.toString(MAX_DELIVERIES));
      assertThat(j.xrange(STREAM, poison, poison)).isEmpty();
      assertThat(j.xlen(STREAM)).isEqualTo(JOBS);
    }
  }
}
