package io.redstart.persistence;

import static io.redstart.persistence.Servers.start;
import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.persistence.tools.CheckAof;
import io.redstart.persistence.tools.CheckRdb;
import io.redstart.testing.RawClient;
import io.redstart.testing.RedisTools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * redstart-check-rdb and redstart-check-aof: verdicts, offsets, --fix, and the same report lines
 * as redis-check-rdb and redis-check-aof where those are installed.
 */
class CheckToolsTest {
  @TempDir Path dir;

  private Path saveSome() throws Exception {
    try (Redstart.Handle s = start(dir, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
      for (int i = 0; i < 20; i++) c.call("SET", "k" + i, "v".repeat(i));
      c.call("SET", "e", "v", "PXAT", "4000000000000");
      c.call("SAVE");
    }
    return dir.resolve("dump.rdb");
  }

  private record Run(int status, String out) {}

  private static Run checkRdb(Path file) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CheckRdb.Report r = CheckRdb.check(file, new PrintStream(b, true, StandardCharsets.ISO_8859_1), null);
    return new Run(r.ok() ? 0 : 1, b.toString(StandardCharsets.ISO_8859_1));
  }

  private static Run checkAof(String stdin, String... args) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int status = CheckAof.run(args, new PrintStream(b, true, StandardCharsets.ISO_8859_1),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.ISO_8859_1)));
    return new Run(status, b.toString(StandardCharsets.ISO_8859_1));
  }

  private static Run redisTool(String tool, String stdin, String... args) throws Exception {
    Optional<Path> p = RedisTools.find(tool);
    if (p.isEmpty()) return null;
    String[] cmd = new String[args.length + 1];
    cmd[0] = p.get().toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    proc.getOutputStream().write(stdin.getBytes(StandardCharsets.ISO_8859_1));
    proc.getOutputStream().close();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(proc.exitValue(), out);
  }

  /** The lines of a report that do not depend on times or the tool's own name. */
  private static String stable(String report) {
    StringBuilder sb = new StringBuilder();
    for (String l : report.split("\n")) {
      if (l.contains("ctime") || l.contains("used-mem") || l.contains("Checking RDB file")
          || l.contains("redis-ver") || l.contains("redis-bits") || l.contains("aof-base")) {
        continue;
      }
      sb.append(l).append('\n');
    }
    return sb.toString();
  }

  @Test
  void checkRdbAgreesWithRedisOnGoodAndDamagedFiles() throws Exception {
    Path file = saveSome();
    Run ours = checkRdb(file);
    assertThat(ours.status()).isZero();
    assertThat(ours.out()).contains("\\o/ RDB looks OK! \\o/", "[info] 21 keys read", "[info] 1 expires");
    Run theirs = redisTool("redis-check-rdb", "", file.toString());
    if (theirs != null) assertThat(stable(ours.out())).isEqualTo(stable(theirs.out()));

    byte[] good = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.rdb");
    Files.write(cut, Arrays.copyOf(good, good.length - 30));
    Run cutRun = checkRdb(cut);
    assertThat(cutRun.status()).isEqualTo(1);
    assertThat(cutRun.out()).contains("--- RDB ERROR DETECTED ---", "Unexpected EOF reading RDB file");

    Path flipped = dir.resolve("flipped.rdb");
    byte[] bad = good.clone();
    bad[bad.length - 20] ^= 1;
    Files.write(flipped, bad);
    Run flipRun = checkRdb(flipped);
    assertThat(flipRun.status()).isEqualTo(1);
    assertThat(flipRun.out()).contains("--- RDB ERROR DETECTED ---");
  }

  @Test
  void checkAofAgreesWithRedisAndFixesACutTail() throws Exception {
    saveSome();
    Path manifest = dir.resolve("appendonlydir").resolve("appendonly.aof.manifest");
    Run ok = checkAof("", manifest.toString());
    assertThat(ok.status()).isZero();
    assertThat(ok.out()).contains("INCR AOF appendonly.aof.1.incr.aof is valid",
        "All AOF files and manifest are valid");
    Run redisOk = redisTool("redis-check-aof", "", manifest.toString());
    if (redisOk != null) assertThat(stable(ok.out())).isEqualTo(stable(redisOk.out()));

    Path incr = dir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof");
    byte[] full = Files.readAllBytes(incr);
    Files.write(incr, Arrays.copyOf(full, full.length - 5));
    Run broken = checkAof("", manifest.toString());
    assertThat(broken.status()).isEqualTo(1);
    assertThat(broken.out()).contains("ok_up_to=", "is not valid. Use the --fix option to try fixing it.");
    Run redisBroken = redisTool("redis-check-aof", "", manifest.toString());
    if (redisBroken != null) {
      assertThat(redisBroken.status()).isEqualTo(1);
      assertThat(stable(broken.out())).isEqualTo(stable(redisBroken.out()));
    }
    Run refused = checkAof("n\n", "--fix", manifest.toString());
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.out()).contains("Aborting...");
    Run fixed = checkAof("y\n", "--fix", manifest.toString());
    assertThat(fixed.status()).isZero();
    assertThat(fixed.out()).contains("Successfully truncated AOF appendonly.aof.1.incr.aof");
    assertThat(checkAof("", manifest.toString()).status()).isZero();
    // The fixed log loads.
    try (Redstart.Handle s = start(dir, "appendonly yes", "aof-load-truncated no");
        RawClient c = RawClient.connect(s.port())) {
      assertThat(new String(c.call("DBSIZE"), StandardCharsets.US_ASCII)).isEqualTo(":20\r\n");
    }
  }

  @Test
  void checkAofReportsAnOpenTransactionAndTruncatesToATimestamp() throws Exception {
    Path aof = dir.resolve("old.aof");
    String ts1 = "#TS:1000\r\n";
    String set = "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n";
    String ts2 = "#TS:2000\r\n";
    String multi = "*1\r\n$5\r\nMULTI\r\n" + set;
    Files.writeString(aof, ts1 + set + ts2 + set + multi, StandardCharsets.ISO_8859_1);
    Run open = checkAof("", aof.toString());
    assertThat(open.status()).isEqualTo(1);
    assertThat(open.out()).contains("Reached EOF before reading EXEC for MULTI");
    Run redisOpen = redisTool("redis-check-aof", "", aof.toString());
    if (redisOpen != null) assertThat(open.out()).isEqualTo(redisOpen.out());
    Run cut = checkAof("", "--truncate-to-timestamp", "1500", aof.toString());
    assertThat(cut.status()).isZero();
    assertThat(Files.readString(aof, StandardCharsets.ISO_8859_1)).isEqualTo(ts1 + set);
    assertThat(checkAof("", "bogus", "args", "here", "now").status()).isEqualTo(1);
  }
}
