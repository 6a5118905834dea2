package io.redstart.persistence;

import static io.redstart.persistence.Servers.start;
import static io.redstart.persistence.Servers.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.persistence.rdb.TypeAdapters;
import io.redstart.testing.RawClient;
import io.redstart.types.ValueType;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RDB files written by redis-server 7.0.15 (made by tools/make-rdb-fixtures, with what that server
 * said about each key) load into Redstart as the same data: the same DEBUG DIGEST, per key the
 * same encoding, expiry and DEBUG DIGEST-VALUE, and DUMP payloads equal to Redis's byte for byte
 * where the encoding has an order (listpacks, intsets, quicklists, streams; not hash tables and
 * skiplists, whose order is the table's). Written back by SAVE and loaded again, the data is still
 * the same.
 */
class RdbFixturesTest {
  @TempDir Path dir;

  private static final String FOLDER = "/io/redstart/persistence/rdb/fixtures/";

  static Stream<String> fixtures() {
    return Stream.of("strings", "lists", "sets", "hashes", "zsets", "streams");
  }

  private static ValueType typeOf(String fixture) {
    return switch (fixture) {
      case "strings" -> ValueType.STRING;
      case "lists" -> ValueType.LIST;
      case "sets" -> ValueType.SET;
      case "hashes" -> ValueType.HASH;
      case "zsets" -> ValueType.ZSET;
      case "streams" -> ValueType.STREAM;
      default -> throw new IllegalArgumentException(fixture);
    };
  }

  private record Key(
      int db, String name, String encoding, String expireAt, String digest, String dump) {}

  private static byte[] resource(String name) throws Exception {
    try (InputStream in = RdbFixturesTest.class.getResourceAsStream(FOLDER + name)) {
      assertThat(in).as("fixture %s", name).isNotNull();
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void redisFixtureLoadsAsTheSameData(String fixture) throws Exception {
    Files.write(dir.resolve("dump.rdb"), resource(fixture + ".rdb"));
    String expected = new String(resource(fixture + ".expected"), StandardCharsets.ISO_8859_1);
    String digest = null;
    List<Key> keys = new ArrayList<>();
    for (String line : expected.split("\n")) {
      String[] f = line.split("\t", -1);
      if (f[0].equals("digest")) {
        digest = f[1];
      } else if (f[0].equals("key")) {
        keys.add(new Key(Integer.parseInt(f[1]), f[2], f[3], f[4], f[5], f[6]));
      }
    }
    assertThat(keys).isNotEmpty();
    ValueType type = typeOf(fixture);
    assertThat(type == ValueType.STRING || TypeAdapters.of(type) != null)
        .as("an RDB adapter for %s", type).isTrue();
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      assertThat(text(c, "DEBUG", "DIGEST")).isEqualTo("+" + digest + "\r\n");
      check(c, keys);
      assertThat(text(c, "SAVE")).isEqualTo("+OK\r\n");
    }
    // What Redstart wrote is the same data again.
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      assertThat(text(c, "DEBUG", "DIGEST")).isEqualTo("+" + digest + "\r\n");
      check(c, keys);
    }
  }

  private static void check(RawClient c, List<Key> keys) throws Exception {
    for (Key k : keys) {
      c.call("SELECT", Integer.toString(k.db()));
      String what = k.db() + "/" + k.name();
      assertThat(text(c, "OBJECT", "ENCODING", k.name())).as("encoding of %s", what)
          .isEqualTo("$" + k.encoding().length() + "\r\n" + k.encoding() + "\r\n");
      assertThat(text(c, "PEXPIRETIME", k.name())).as("expiry of %s", what)
          .isEqualTo(":" + k.expireAt() + "\r\n");
      assertThat(text(c, "DEBUG", "DIGEST-VALUE", k.name())).as("digest of %s", what)
          .isEqualTo("*1\r\n+" + k.digest() + "\r\n");
      if (!k.encoding().equals("hashtable") && !k.encoding().equals("skiplist")) {
        byte[] dump = (byte[]) RawClient.decode(c.call("DUMP", k.name()));
        assertThat(HexFormat.of().formatHex(dump)).as("DUMP of %s", what).isEqualTo(k.dump());
      }
    }
    c.call("SELECT", "0");
  }
}
