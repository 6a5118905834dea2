package io.redstart.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.testing.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 under write load, and damaged files at startup, on real server processes. A write whose
 * reply arrived must survive the kill (appendfsync always and everysec both write the log before
 * any reply leaves; everysec may lose the last second only to an operating-system crash).
 */
class CrashSafetyIT {
  @TempDir Path dir;

  private static final int CLIENTS = 8;

  /** Writers: each INCRs its own counter and records the last acknowledged value and when. */
  private static final class Load implements AutoCloseable {
    final AtomicLongArray acked = new AtomicLongArray(CLIENTS);
    final long[][] ackTimes = new long[CLIENTS][];
    final AtomicBoolean stop = new AtomicBoolean();
    final List<Thread> threads = new ArrayList<>();

    Load(int port) {
      for (int t = 0; t < CLIENTS; t++) {
        int id = t;
        ackTimes[t] = new long[1 << 20];
        Thread th = Thread.ofPlatform().daemon().start(() -> {
          try (RawClient c = RawClient.connect(port)) {
            while (!stop.get()) {
              byte[] r = c.call("INCR", "counter:" + id);
              long v = Long.parseLong(new String(r, 1, r.length - 3, StandardCharsets.US_ASCII));
              acked.set(id, v);
              if (v < ackTimes[id].length) ackTimes[id][(int) v] = System.nanoTime();
            }
          } catch (IOException | RuntimeException gone) {
            // The server was killed.
          }
        });
        threads.add(th);
      }
    }

    @Override
    public void close() {
      halt();
    }

    /** Stops the writers and waits for them. */
    void halt() {
      stop.set(true);
      try {
        for (Thread t : threads) t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long counter(RawClient c, int id) throws IOException {
    byte[] r = c.call("GET", "counter:" + id);
    String s = new String(r, StandardCharsets.US_ASCII);
    if (s.equals("$-1\r\n")) return 0;
    return Long.parseLong(s.substring(s.indexOf("\r\n") + 2, s.length() - 2));
  }

  @Test
  void appendfsyncAlwaysLosesNoAcknowledgedWriteOverRepeatedKills() throws Exception {
    for (int trial = 0; trial < 5; trial++) {
      long[] ackedAtKill = new long[CLIENTS];
      try (RedstartProcess p = RedstartProcess.start(dir, "--appendonly", "yes", "--appendfsync", "always")) {
        try (Load load = new Load(p.port())) {
          Thread.sleep(700 + trial * 150L);
          p.kill9();
          load.halt();
          for (int t = 0; t < CLIENTS; t++) ackedAtKill[t] = load.acked.get(t);
        }
      }
      try (RedstartProcess p = RedstartProcess.start(dir, "--appendonly", "yes", "--appendfsync", "always");
          RawClient c = p.connect()) {
        for (int t = 0; t < CLIENTS; t++) {
          long stored = counter(c, t);
          assertThat(stored).as("trial %d client %d: acknowledged %d", trial, t, ackedAtKill[t])
              .isBetween(ackedAtKill[t], ackedAtKill[t] + 1);
        }
        assertThat(java.util.Arrays.stream(ackedAtKill).min().orElse(0)).as("trial %d made progress", trial)
            .isPositive();
      }
    }
  }

  @Test
  void appendfsyncEverysecLosesAtMostAboutASecond() throws Exception {
    for (int trial = 0; trial < 3; trial++) {
      long[] ackedAtKill = new long[CLIENTS];
      long[] ackedSecondBefore = new long[CLIENTS];
      try (RedstartProcess p = RedstartProcess.start(dir, "--appendonly", "yes", "--appendfsync", "everysec")) {
        try (Load load = new Load(p.port())) {
          Thread.sleep(1500);
          long killAt = System.nanoTime();
          p.kill9();
          load.halt();
          for (int t = 0; t < CLIENTS; t++) {
            ackedAtKill[t] = load.acked.get(t);
            long v = ackedAtKill[t];
            while (v > 0 && v < load.ackTimes[t].length
                && killAt - load.ackTimes[t][(int) v] < 1_100_000_000L) {
              v--;
            }
            ackedSecondBefore[t] = v;
          }
        }
      }
      try (RedstartProcess p = RedstartProcess.start(dir, "--appendonly", "yes"); RawClient c = p.connect()) {
        for (int t = 0; t < CLIENTS; t++) {
          long stored = counter(c, t);
          assertThat(stored).as("trial %d client %d", trial, t).isGreaterThanOrEqualTo(ackedSecondBefore[t]);
          assertThat(stored).isLessThanOrEqualTo(ackedAtKill[t] + 1);
          // A process kill leaves the kernel's copy: in practice nothing acknowledged is lost.
          assertThat(stored).isGreaterThanOrEqualTo(ackedAtKill[t]);
        }
      }
    }
  }

  @Test
  void aKillDuringARewriteKeepsEveryAcknowledgedWrite() throws Exception {
    long[] ackedAtKill = new long[CLIENTS];
    try (RedstartProcess p = RedstartProcess.start(dir, "--appendonly", "yes", "--rdb-key-save-delay", "200")) {
      try (RawClient c = p.connect()) {
        for (int i = 0; i < 2000; i++) c.call("SET", "filler:" + i, "v" + i);
        assertThat(new String(c.call("BGREWRITEAOF"), StandardCharsets.US_ASCII))
            .isEqualTo("+Background append only file rewriting started\r\n");
      }
      try (Load load = new Load(p.port())) {
        Thread.sleep(800);
        p.kill9();
        load.halt();
        for (int t = 0; t < CLIENTS; t++) ackedAtKill[t] = load.acked.get(t);
      }
    }
    try (RedstartProcess p = RedstartProcess.start(dir, "--appendonly", "yes"); RawClient c = p.connect()) {
      assertThat(new String(c.call("DBSIZE"), StandardCharsets.US_ASCII)).isEqualTo(":" + (2000 + CLIENTS) + "\r\n");
      for (int t = 0; t < CLIENTS; t++) assertThat(counter(c, t)).isGreaterThanOrEqualTo(ackedAtKill[t]);
    }
  }

  /** SIGTERM with save points: the process saves before it exits, as Redis's SIGTERM handler. */
  @Test
  void sigtermSavesWhenThereAreSavePoints() throws Exception {
    RedstartProcess p = RedstartProcess.start(dir, "--save", "3600 1");
    try (RawClient c = p.connect()) {
      for (int i = 0; i < 500; i++) c.call("SET", "k" + i, "v" + i);
    }
    p.close();
    assertThat(p.log()).contains("Received SIGTERM scheduling shutdown").contains("DB saved on disk");
    try (RedstartProcess q = RedstartProcess.start(dir); RawClient c = q.connect()) {
      assertThat(new String(c.call("DBSIZE"), StandardCharsets.US_ASCII)).isEqualTo(":500\r\n");
    }
  }

  @Test
  void aKillDuringBgsaveLeavesTheLastSnapshotWhole() throws Exception {
    try (RedstartProcess p = RedstartProcess.start(dir, "--rdb-key-save-delay", "500"); RawClient c = p.connect()) {
      for (int i = 0; i < 1000; i++) c.call("SET", "k" + i, "v" + i);
      assertThat(new String(c.call("SAVE"), StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n");
      for (int i = 1000; i < 2000; i++) c.call("SET", "k" + i, "v" + i);
      assertThat(new String(c.call("BGSAVE"), StandardCharsets.US_ASCII)).isEqualTo("+Background saving started\r\n");
      Servers.await("the save to be under way", Duration.ofSeconds(10),
          () -> Long.parseLong(Servers.info(c, "current_save_keys_processed")) > 10);
      p.kill9();
    }
    try (RedstartProcess p = RedstartProcess.start(dir); RawClient c = p.connect()) {
      assertThat(new String(c.call("DBSIZE"), StandardCharsets.US_ASCII)).isEqualTo(":1000\r\n");
    }
  }

  @Test
  void aDamagedRdbStopsTheStartAndNamesTheOffset() throws Exception {
    try (RedstartProcess p = RedstartProcess.start(dir); RawClient c = p.connect()) {
      for (int i = 0; i < 100; i++) c.call("SET", "k" + i, "value-" + i);
      c.call("SAVE");
    }
    Path rdb = dir.resolve("dump.rdb");
    byte[] b = Files.readAllBytes(rdb);
    Files.write(rdb, java.util.Arrays.copyOf(b, b.length - 40));
    try {
      RedstartProcess.start(dir).close();
      throw new AssertionError("the server started on a damaged file");
    } catch (RedstartProcess.StartFailure e) {
      assertThat(e.exitCode).isEqualTo(1);
      assertThat(e.log).contains("Internal error in RDB reading offset", "Unexpected EOF reading RDB file");
    }
  }

  @Test
  void aofDamageInTheMiddleStopsTheStartAndNamesTheOffset() throws Exception {
    try (RedstartProcess p = RedstartProcess.start(dir, "--appendonly", "yes"); RawClient c = p.connect()) {
      for (int i = 0; i < 100; i++) c.call("SET", "k" + i, "value-" + i);
    }
    Path incr = dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof");
    byte[] b = Files.readAllBytes(incr);
    int at = b.length / 2;
    while (b[at] != '*') at++;
    b[at] = '?';
    Files.write(incr, b);
    try {
      RedstartProcess.start(dir, "--appendonly", "yes").close();
      throw new AssertionError("the server started on a damaged log");
    } catch (RedstartProcess.StartFailure e) {
      assertThat(e.exitCode).isEqualTo(1);
      assertThat(e.log).contains("Bad file format reading the append only file appendonly.aof.1.incr.aof",
          "near offset " + at);
    }
  }
}
