package io.redstart.persistence;

import static io.redstart.persistence.Servers.await;
import static io.redstart.persistence.Servers.info;
import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.testing.RawClient;
import io.redstart.testing.RedisTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, on a small tmpfs: writes stop with Redis's MISCONF error instead of losing data,
 * and resume by themselves once space returns. Mounting needs root; without it the tests are
 * skipped, unless REDSTART_REQUIRE_ALL=1.
 */
class DiskFullIT {
  @TempDir Path base;
  private Path mount;

  @BeforeEach
  void mountTmpfs() throws Exception {
    mount = base.resolve("tmpfs");
    Files.createDirectories(mount);
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    if (!ok) {
      String why = "cannot mount a tmpfs (needs root): " + out.strip();
      if (RedisTools.requireAll()) Assertions.fail(why + " (REDSTART_REQUIRE_ALL=1)");
      Assumptions.abort(why);
    }
  }

  @AfterEach
  void unmount() throws Exception {
    if (mount == null) return;
    Process p = new ProcessBuilder("umount", "-l", mount.toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /** Fills the tmpfs until at most {@code leave} bytes are free; returns the filler. */
  private Path ballast(long leave) throws IOException {
    Path f = mount.resolve("ballast");
    byte[] chunk = new byte[64 * 1024];
    try (var out = Files.newOutputStream(f)) {
      while (Files.getFileStore(mount).getUsableSpace() > leave + chunk.length) out.write(chunk);
    } catch (IOException full) {
      // Full already.
    }
    return f;
  }

  private static String text(RawClient c, String... argv) throws IOException {
    return new String(c.call(argv), StandardCharsets.ISO_8859_1);
  }

  @Test
  void aFailedSnapshotStopsWritesUntilSpaceReturns() throws Exception {
    try (RedstartProcess p = RedstartProcess.start(mount, "--save", "1 1"); RawClient c = p.connect()) {
      // Random text: LZF cannot shrink it, so the file needs its full size.
      java.util.Random r = new java.util.Random(5);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 1000; i++) sb.append((char) ('a' + r.nextInt(26)));
      String big = sb.toString();
      for (int i = 0; i < 100; i++) c.call("SET", "k" + i, big + i);
      // "save 1 1" may have started a background save meanwhile; SAVE waits its turn.
      await("a SAVE", Duration.ofSeconds(20), () -> text(c, "SAVE").equals("+OK\r\n"));
      Path filler = ballast(20 * 1024);
      for (int i = 100; i < 200; i++) c.call("SET", "k" + i, big + i);
      await("a failed background save", Duration.ofSeconds(20),
          () -> "err".equals(info(c, "rdb_last_bgsave_status")));
      assertThat(text(c, "SET", "refused", "v")).startsWith("-MISCONF Redis is configured to save RDB snapshots");
      assertThat(text(c, "GET", "k150")).isEqualTo("$1003\r\n" + big + "150\r\n");
      Files.delete(filler);
      await("writes to resume", Duration.ofSeconds(30), () -> text(c, "SET", "resumed", "v").equals("+OK\r\n"));
      assertThat(info(c, "rdb_last_bgsave_status")).isEqualTo("ok");
      assertThat(p.log()).contains("No space left on device");
    }
    try (RedstartProcess p = RedstartProcess.start(mount); RawClient c = p.connect()) {
      assertThat(text(c, "EXISTS", "k199")).isEqualTo(":1\r\n");
    }
  }

  @Test
  void aFullLogStopsWritesWithoutLosingAcknowledgedOnes() throws Exception {
    int acked = 0;
    try (RedstartProcess p = RedstartProcess.start(mount, "--appendonly", "yes", "--appendfsync", "everysec");
        RawClient c = p.connect()) {
      Path filler = ballast(64 * 1024);
      String value = "y".repeat(500);
      String last = "";
      for (int i = 0; i < 100_000; i++) {
        last = text(c, "SET", "k" + i, value);
        if (!last.equals("+OK\r\n")) break;
        acked++;
      }
      assertThat(last).isEqualTo("-MISCONF Errors writing to the AOF file: No space left on device\r\n");
      assertThat(info(c, "aof_last_write_status")).isEqualTo("err");
      assertThat(text(c, "GET", "k0")).isEqualTo("$500\r\n" + value + "\r\n");
      Files.delete(filler);
      await("writes to resume", Duration.ofSeconds(30), () -> text(c, "SET", "after", "v").equals("+OK\r\n"));
      assertThat(info(c, "aof_last_write_status")).isEqualTo("ok");
      assertThat(p.log()).contains("AOF write error looks solved, Redis can write again.");
    }
    try (RedstartProcess p = RedstartProcess.start(mount, "--appendonly", "yes"); RawClient c = p.connect()) {
      for (int i = 0; i < acked; i += Math.max(1, acked / 50)) {
        assertThat(text(c, "EXISTS", "k" + i)).as("acknowledged k%d", i).isEqualTo(":1\r\n");
      }
      assertThat(text(c, "EXISTS", "k" + (acked - 1))).isEqualTo(":1\r\n");
      assertThat(text(c, "GET", "after")).isEqualTo("$1\r\nv\r\n");
    }
  }

  @Test
  void withAppendfsyncAlwaysTheServerStopsAndKeepsAcknowledgedWrites() throws Exception {
    int acked = 0;
    Path filler;
    try (RedstartProcess p = RedstartProcess.start(mount, "--appendonly", "yes", "--appendfsync", "always");
        RawClient c = p.connect()) {
      filler = ballast(64 * 1024);
      String value = "z".repeat(500);
      try {
        for (int i = 0; i < 100_000; i++) {
          if (!text(c, "SET", "k" + i, value).equals("+OK\r\n")) break;
          acked++;
        }
      } catch (IOException serverGone) {
        // Redis's rule: an 'always' log that cannot be written stops the server.
      }
      assertThat(p.waitForExit(Duration.ofSeconds(30))).isEqualTo(1);
      assertThat(p.log()).contains("Can't recover from AOF write error when the AOF fsync policy is 'always'");
    }
    Files.delete(filler);
    try (RedstartProcess p = RedstartProcess.start(mount, "--appendonly", "yes"); RawClient c = p.connect()) {
      assertThat(acked).isPositive();
      assertThat(text(c, "EXISTS", "k" + (acked - 1))).isEqualTo(":1\r\n");
    }
  }
}
