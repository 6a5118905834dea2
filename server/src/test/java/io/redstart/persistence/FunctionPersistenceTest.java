package io.redstart.persistence;

import static io.redstart.persistence.Servers.awaitIdle;
import static io.redstart.persistence.Servers.start;
import static io.redstart.persistence.Servers.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.RawClient;
import io.redstart.testing.ReferenceRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Function libraries in RDB files (RDB_OPCODE_FUNCTION2 records before the keys), in AOF rewrites
 * (FUNCTION LOAD first) and through DEBUG RELOAD, here and across to redis-server.
 */
class FunctionPersistenceTest {
  @TempDir Path dir;

  private static final String LIB =
      "#!lua name=mylib\n"
          + "redis.register_function('answer', function(keys, args) return 42 end)\n"
          + "redis.register_function{function_name='echo', callback=function(keys, args) "
          + "return args[1] end, flags={'no-writes'}}\n";

  private static final String OTHER =
      "#!lua name=other\nredis.register_function('seven', function() return 7 end)\n";

  private static void load(RawClient c) throws Exception {
    assertThat(text(c, "FUNCTION", "LOAD", LIB)).isEqualTo("$5\r\nmylib\r\n");
    assertThat(text(c, "FUNCTION", "LOAD", OTHER)).isEqualTo("$5\r\nother\r\n");
    c.call("SET", "k", "v");
  }

  private static void check(RawClient c) throws Exception {
    assertThat(text(c, "FCALL", "answer", "0")).isEqualTo(":42\r\n");
    assertThat(text(c, "FCALL_RO", "echo", "0", "hi")).isEqualTo("$2\r\nhi\r\n");
    assertThat(text(c, "FCALL", "seven", "0")).isEqualTo(":7\r\n");
    assertThat(text(c, "GET", "k")).isEqualTo("$1\r\nv\r\n");
  }

  @Test
  void librariesSurviveSaveRestartAndDebugReload() throws Exception {
    String dump;
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      load(c);
      dump = text(c, "FUNCTION", "DUMP");
      assertThat(text(c, "SAVE")).isEqualTo("+OK\r\n");
      // Reloading empties the libraries with the data, then loads them back: no duplicates.
      assertThat(text(c, "DEBUG", "RELOAD")).isEqualTo("+OK\r\n");
      check(c);
      assertThat(text(c, "FUNCTION", "DUMP")).isEqualTo(dump);
    }
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      check(c);
      assertThat(text(c, "FUNCTION", "DUMP")).isEqualTo(dump);
    }
  }

  @Test
  void librariesSurviveAofRewritesAndReplays() throws Exception {
    for (String preamble : new String[] {"yes", "no"}) {
      Path d = dir.resolve("aof-" + preamble);
      Files.createDirectories(d);
      try (Redstart.Handle s = start(d, "appendonly yes", "aof-use-rdb-preamble " + preamble);
          RawClient c = RawClient.connect(s.port())) {
        assertThat(text(c, "FUNCTION", "LOAD", LIB)).isEqualTo("$5\r\nmylib\r\n");
        c.call("BGREWRITEAOF");
        awaitIdle(c);
        // After the rewrite: in the incremental file, as the command was run.
        assertThat(text(c, "FUNCTION", "LOAD", OTHER)).isEqualTo("$5\r\nother\r\n");
        c.call("SET", "k", "v");
        assertThat(text(c, "DEBUG", "LOADAOF")).isEqualTo("+OK\r\n");
        check(c);
      }
      try (Redstart.Handle s = start(d, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
        check(c);
      }
      // And the folder replays in redis-server.
      try (ReferenceRedis ref = ReferenceRedis.start(List.of("dir " + d, "appendonly yes"));
          RawClient c = ref.connect()) {
        check(c);
      }
    }
  }

  @Test
  void rdbFilesWithLibrariesMoveBothWays() throws Exception {
    Path ours = dir.resolve("ours");
    Files.createDirectories(ours);
    try (Redstart.Handle s = start(ours); RawClient c = RawClient.connect(s.port())) {
      load(c);
      assertThat(text(c, "SAVE")).isEqualTo("+OK\r\n");
    }
    try (ReferenceRedis ref = ReferenceRedis.start(List.of("dir " + ours)); RawClient c = ref.connect()) {
      check(c);
      c.call("FUNCTION", "DELETE", "other");
      assertThat(text(c, "SAVE")).isEqualTo("+OK\r\n");
    }
    try (Redstart.Handle s = start(ours); RawClient c = RawClient.connect(s.port())) {
      assertThat(text(c, "FCALL", "answer", "0")).isEqualTo(":42\r\n");
      assertThat(text(c, "FCALL", "seven", "0")).isEqualTo("-ERR Function not found\r\n");
    }
  }

  @Test
  void aLibraryThatFailsToLoadRefusesTheFile() throws Exception {
    try (Redstart.Handle s = start(dir, "rdbcompression no"); RawClient c = RawClient.connect(s.port())) {
      load(c);
      assertThat(text(c, "SAVE")).isEqualTo("+OK\r\n");
    }
    // The same library twice in one file: the second is refused, and so is the file.
    Path file = dir.resolve("dump.rdb");
    byte[] good = Files.readAllBytes(file);
    String text = new String(good, StandardCharsets.ISO_8859_1);
    assertThat(text).contains("name=other");
    String twice = text.replace("name=other", "name=mylib");
    byte[] bad = twice.getBytes(StandardCharsets.ISO_8859_1);
    // Fix the checksum: the damage is meant to be a valid file with a bad library.
    long crc = io.redstart.persistence.rdb.Crc64.update(0, bad, 0, bad.length - 8);
    for (int i = 0; i < 8; i++) bad[bad.length - 8 + i] = (byte) (crc >>> (8 * i));
    Files.write(file, bad);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(dir).close())
        .hasMessageContaining("Failed loading library");
  }
}
