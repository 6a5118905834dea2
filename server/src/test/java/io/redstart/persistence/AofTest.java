package io.redstart.persistence;

import static io.redstart.persistence.Servers.await;
import static io.redstart.persistence.Servers.awaitIdle;
import static io.redstart.persistence.Servers.info;
import static io.redstart.persistence.Servers.start;
import static io.redstart.persistence.Servers.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.embedded.Redstart;
import io.redstart.persistence.aof.AofManifest;
import io.redstart.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multi-part AOF on embedded servers: layout, replay, rewrite, run-time switch, damage. */
class AofTest {
  @TempDir Path dir;

  private Path aofDir() {
    return dir.resolve("appendonlydir");
  }

  private String manifest() throws Exception {
    return Files.readString(aofDir().resolve("appendonly.aof.manifest"));
  }

  @Test
  void startsWithABaseAndAnIncrAndReplaysOnRestart() throws Exception {
    String digest;
    try (Redstart.Handle s = start(dir, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
      assertThat(manifest()).isEqualTo(
          "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
      c.call("SET", "a", "1");
      c.call("INCR", "a");
      c.call("SET", "t", "v", "EX", "1000");
      c.call("SELECT", "3");
      c.call("APPEND", "s", "hello");
      c.call("MULTI");
      c.call("SET", "m1", "x");
      c.call("SET", "m2", "y");
      c.call("EXEC");
      c.call("SELECT", "0");
      c.call("DEL", "a");
      c.call("SET", "a", "again");
      digest = text(c, "DEBUG", "DIGEST");
      assertThat(info(c, "aof_enabled")).isEqualTo("1");
      assertThat(Long.parseLong(info(c, "aof_current_size"))).isGreaterThan(0);
    }
    String incr = Files.readString(aofDir().resolve("appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1);
    assertThat(incr).startsWith("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n");
    assertThat(incr).contains("*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n");
    try (Redstart.Handle s = start(dir, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
      assertThat(text(c, "DEBUG", "DIGEST")).isEqualTo(digest);
      long ttl = Long.parseLong(text(c, "TTL", "t").substring(1).trim());
      assertThat(ttl).isBetween(990L, 1000L);
    }
  }

  @Test
  void rewriteMakesANewBaseAndRemovesHistory() throws Exception {
    try (Redstart.Handle s = start(dir, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
      for (int i = 0; i < 100; i++) c.call("SET", "k" + i, "v" + i);
      assertThat(text(c, "BGREWRITEAOF")).isEqualTo("+Background append only file rewriting started\r\n");
      awaitIdle(c);
      assertThat(info(c, "aof_last_bgrewrite_status")).isEqualTo("ok");
      assertThat(info(c, "aof_rewrites")).isEqualTo("1");
      c.call("SET", "after", "rewrite");
      assertThat(manifest()).isEqualTo(
          "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
      try (var files = Files.list(aofDir())) {
        assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
            "appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest");
      }
    }
    try (Redstart.Handle s = start(dir, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
      assertThat(text(c, "DBSIZE")).isEqualTo(":101\r\n");
      assertThat(text(c, "GET", "after")).isEqualTo("$7\r\nrewrite\r\n");
    }
  }

  @Test
  void baseWithoutPreambleIsCommands() throws Exception {
    try (Redstart.Handle s = start(dir, "appendonly yes", "aof-use-rdb-preamble no", "aof-timestamp-enabled yes");
        RawClient c = RawClient.connect(s.port())) {
      c.call("SET", "k", "v", "PXAT", "4000000000000");
      c.call("SET", "plain", "p");
      assertThat(text(c, "BGREWRITEAOF")).isEqualTo("+Background append only file rewriting started\r\n");
      awaitIdle(c);
      c.call("SET", "x", "y");
    }
    String base = Files.readString(aofDir().resolve("appendonly.aof.2.base.aof"), StandardCharsets.ISO_8859_1);
    assertThat(base).startsWith("#TS:");
    assertThat(base).contains("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n");
    assertThat(base).contains("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*3\r\n$9\r\nPEXPIREAT\r\n$1\r\nk\r\n$13\r\n4000000000000\r\n");
    String incr = Files.readString(aofDir().resolve("appendonly.aof.2.incr.aof"), StandardCharsets.ISO_8859_1);
    assertThat(incr).contains("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\ny\r\n");
    try (Redstart.Handle s = start(dir, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
      assertThat(text(c, "MGET", "k", "plain", "x")).isEqualTo("*3\r\n$1\r\nv\r\n$1\r\np\r\n$1\r\ny\r\n");
      assertThat(text(c, "PEXPIRETIME", "k")).isEqualTo(":4000000000000\r\n");
    }
  }

  @Test
  void turningAppendonlyOnAtRunTimeWritesTheBaseFirst() throws Exception {
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      for (int i = 0; i < 50; i++) c.call("SET", "k" + i, "v" + i);
      assertThat(text(c, "CONFIG", "SET", "appendonly", "yes")).isEqualTo("+OK\r\n");
      c.call("SET", "during", "1");
      awaitIdle(c);
      c.call("SET", "after", "2");
      assertThat(info(c, "aof_enabled")).isEqualTo("1");
      assertThat(manifest()).isEqualTo(
          "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
      assertThat(text(c, "CONFIG", "SET", "appendonly", "no")).isEqualTo("+OK\r\n");
      assertThat(info(c, "aof_enabled")).isEqualTo("0");
      c.call("SET", "not-logged", "3");
    }
    try (Redstart.Handle s = start(dir, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
      assertThat(text(c, "DBSIZE")).isEqualTo(":52\r\n");
      assertThat(text(c, "EXISTS", "not-logged")).isEqualTo(":0\r\n");
    }
  }

  @Test
  void appendonlyTurnedOnDuringABgsaveStartsWhenTheSaveEnds() throws Exception {
    try (Redstart.Handle s = start(dir, "rdb-key-save-delay 3000"); RawClient c = RawClient.connect(s.port())) {
      for (int i = 0; i < 100; i++) c.call("SET", "k" + i, "v" + i);
      assertThat(text(c, "BGSAVE")).isEqualTo("+Background saving started\r\n");
      assertThat(text(c, "CONFIG", "SET", "appendonly", "yes")).isEqualTo("+OK\r\n");
      assertThat(info(c, "aof_rewrite_scheduled")).isEqualTo("1");
      c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
      await("the first base", Duration.ofSeconds(30), () -> Files.exists(aofDir().resolve("appendonly.aof.manifest")));
      awaitIdle(c);
      c.call("SET", "later", "1");
      // SHUTDOWN is refused neither now nor before: the base is written.
    }
    try (Redstart.Handle s = start(dir, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
      assertThat(text(c, "DBSIZE")).isEqualTo(":101\r\n");
    }
  }

  @Test
  void shutdownIsRefusedWhileTheFirstBaseIsWritten() throws Exception {
    try (Redstart.Handle s = start(dir, "rdb-key-save-delay 3000"); RawClient c = RawClient.connect(s.port())) {
      for (int i = 0; i < 100; i++) c.call("SET", "k" + i, "v" + i);
      assertThat(text(c, "CONFIG", "SET", "appendonly", "yes")).isEqualTo("+OK\r\n");
      assertThat(info(c, "aof_rewrite_in_progress")).isEqualTo("1");
      assertThat(text(c, "SHUTDOWN", "NOSAVE")).isEqualTo("-ERR Errors trying to SHUTDOWN. Check logs.\r\n");
      c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
      awaitIdle(c);
    }
  }

  private void writeSome(String... extra) throws Exception {
    try (Redstart.Handle s = start(dir, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
      c.call("SET", "first", "1");
      c.call("SET", "second", "2");
      c.call("SET", "third", "3");
    }
  }

  /** Every cut inside the last command loads the rest, and the cut file is truncated. */
  @Test
  void aTailCutAtAnyByteStillLoads() throws Exception {
    writeSome();
    Path incr = aofDir().resolve("appendonly.aof.1.incr.aof");
    byte[] full = Files.readAllBytes(incr);
    byte[] last = "*3\r\n$3\r\nSET\r\n$5\r\nthird\r\n$1\r\n3\r\n".getBytes(StandardCharsets.ISO_8859_1);
    int lastStart = full.length - last.length;
    assertThat(Arrays.copyOfRange(full, lastStart, full.length)).isEqualTo(last);
    for (int cut = lastStart; cut < full.length; cut++) {
      Files.write(incr, Arrays.copyOf(full, cut));
      try (Redstart.Handle s = start(dir, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
        assertThat(text(c, "MGET", "first", "second", "third"))
            .as("cut at %d", cut)
            .isEqualTo("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
      }
      assertThat(Files.size(incr)).as("truncated at the last whole command").isEqualTo(lastStart);
    }
  }

  @Test
  void aCutTailIsRefusedWhenAofLoadTruncatedIsOff() throws Exception {
    writeSome();
    Path incr = aofDir().resolve("appendonly.aof.1.incr.aof");
    byte[] full = Files.readAllBytes(incr);
    Files.write(incr, Arrays.copyOf(full, full.length - 3));
    assertThatThrownBy(() -> start(dir, "appendonly yes", "aof-load-truncated no"))
        .hasMessageContaining("append only file");
    assertThat(Files.size(incr)).isEqualTo(full.length - 3);
  }

  @Test
  void anUnfinishedTransactionIsUndone() throws Exception {
    writeSome();
    Path incr = aofDir().resolve("appendonly.aof.1.incr.aof");
    byte[] tail = ("*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$5\r\nfirst\r\n$7\r\nchanged\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    long before = Files.size(incr);
    Files.write(incr, tail, java.nio.file.StandardOpenOption.APPEND);
    try (Redstart.Handle s = start(dir, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
      assertThat(text(c, "GET", "first")).isEqualTo("$1\r\n1\r\n");
    }
    assertThat(Files.size(incr)).isEqualTo(before);
  }

  @Test
  void damageInTheMiddleRefusesToStart() throws Exception {
    writeSome();
    Path incr = aofDir().resolve("appendonly.aof.1.incr.aof");
    byte[] b = Files.readAllBytes(incr);
    int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("*3\r\n$3\r\nSET\r\n$6\r\nsecond");
    assertThat(at).isPositive();
    b[at] = '!';
    Files.write(incr, b);
    assertThatThrownBy(() -> start(dir, "appendonly yes")).hasMessageContaining("append only file");
    // Unknown commands and wrong arity are refused too.
    b[at] = '*';
    byte[] bogus = "*2\r\n$5\r\nBOGUS\r\n$1\r\nx\r\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(incr, concat(Arrays.copyOf(b, at), bogus, Arrays.copyOfRange(b, at, b.length)));
    assertThatThrownBy(() -> start(dir, "appendonly yes")).hasMessageContaining("append only file");
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  @Test
  void aBrokenManifestIsFatal() throws Exception {
    writeSome();
    Files.writeString(aofDir().resolve("appendonly.aof.manifest"), "file x seq 1\n");
    assertThatThrownBy(() -> start(dir, "appendonly yes")).hasMessageContaining("Invalid AOF manifest file format");
  }

  @Test
  void manifestFormatAndParse() throws Exception {
    AofManifest am = AofManifest.parse(("file appendonly.aof.3.base.rdb seq 3 type b\n"
        + "# a comment\n"
        + "file appendonly.aof.2.incr.aof seq 2 type h\n"
        + "file appendonly.aof.4.incr.aof seq 4 type i\n"
        + "file \"odd name.aof\" seq 5 type i\n").getBytes(StandardCharsets.ISO_8859_1));
    assertThat(am.base().name()).isEqualTo("appendonly.aof.3.base.rdb");
    assertThat(am.history()).hasSize(1);
    assertThat(am.incrs()).extracting(AofManifest.Info::name).containsExactly("appendonly.aof.4.incr.aof", "odd name.aof");
    assertThat(am.format()).isEqualTo("file appendonly.aof.3.base.rdb seq 3 type b\n"
        + "file appendonly.aof.2.incr.aof seq 2 type h\n"
        + "file appendonly.aof.4.incr.aof seq 4 type i\n"
        + "file \"odd name.aof\" seq 5 type i\n");
    assertThatThrownBy(() -> AofManifest.parse("file a seq 2 type i\nfile b seq 1 type i\n".getBytes()))
        .hasMessage("Found a non-monotonic sequence number");
    assertThatThrownBy(() -> AofManifest.parse("file a/b seq 1 type i\n".getBytes()))
        .hasMessage("File can't be a path, just a filename");
    assertThatThrownBy(() -> AofManifest.parse("file a seq 1 type b\nfile b seq 2 type b\n".getBytes()))
        .hasMessage("Found duplicate base file information");
    assertThatThrownBy(() -> AofManifest.parse("file a seq 1 type x\n".getBytes()))
        .hasMessage("Unknown AOF file type");
    assertThatThrownBy(() -> AofManifest.parse(new byte[0])).hasMessage("Found an empty AOF manifest");
    assertThatThrownBy(() -> AofManifest.parse("file a seq 1 type i".getBytes()))
        .hasMessage("The AOF manifest file contains too long line");
  }

  @Test
  void anOldSingleFileAofIsAdopted() throws Exception {
    Files.writeString(dir.resolve("appendonly.aof"), "*3\r\n$3\r\nSET\r\n$3\r\nold\r\n$5\r\nstyle\r\n",
        StandardCharsets.ISO_8859_1);
    try (Redstart.Handle s = start(dir, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
      assertThat(text(c, "GET", "old")).isEqualTo("$5\r\nstyle\r\n");
    }
    assertThat(dir.resolve("appendonly.aof")).doesNotExist();
    assertThat(manifest()).startsWith("file appendonly.aof seq 1 type b\n");
  }

  @Test
  void alwaysRepliesAfterTheWriteIsInTheFile() throws Exception {
    try (Redstart.Handle s = start(dir, "appendonly yes", "appendfsync always");
        RawClient c = RawClient.connect(s.port())) {
      Path incr = aofDir().resolve("appendonly.aof.1.incr.aof");
      for (int i = 0; i < 50; i++) {
        long before = Files.size(incr);
        assertThat(text(c, "SET", "k" + i, "v")).isEqualTo("+OK\r\n");
        assertThat(Files.size(incr)).isGreaterThan(before);
      }
      // Reads are answered too (they wait for the writes they may observe).
      assertThat(text(c, "GET", "k3")).isEqualTo("$1\r\nv\r\n");
      assertThat(text(c, "CONFIG", "SET", "appendfsync", "everysec")).isEqualTo("+OK\r\n");
      assertThat(text(c, "SET", "x", "y")).isEqualTo("+OK\r\n");
    }
  }

  @Test
  void debugLoadaofReloadsFromTheLog() throws Exception {
    try (Redstart.Handle s = start(dir, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
      c.call("SET", "k", "v");
      String digest = text(c, "DEBUG", "DIGEST");
      assertThat(text(c, "DEBUG", "LOADAOF")).isEqualTo("+OK\r\n");
      assertThat(text(c, "DEBUG", "DIGEST")).isEqualTo(digest);
    }
  }

  @Test
  void automaticRewriteOnGrowth() throws Exception {
    try (Redstart.Handle s = start(dir, "appendonly yes", "auto-aof-rewrite-min-size 1kb",
        "auto-aof-rewrite-percentage 100"); RawClient c = RawClient.connect(s.port())) {
      for (int i = 0; i < 200; i++) c.call("SET", "k", "value " + i);
      await("an automatic rewrite", Duration.ofSeconds(20), () -> !"0".equals(info(c, "aof_rewrites")));
      awaitIdle(c);
      assertThat(manifest()).contains("seq 2 type b");
    }
  }
}
