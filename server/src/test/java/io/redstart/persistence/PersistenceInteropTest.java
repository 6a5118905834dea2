package io.redstart.persistence;

import static io.redstart.persistence.Servers.awaitIdle;
import static io.redstart.persistence.Servers.start;
import static io.redstart.persistence.Servers.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.Redstart;
import io.redstart.testing.RawClient;
import io.redstart.testing.RedisTools;
import io.redstart.testing.ReferenceRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and payloads traded with the reference redis-server 7.0.15 in both directions: RDB files
 * (and redis-check-rdb's verdict), AOF folders (and redis-check-aof's), DUMP payloads byte for
 * byte, DEBUG DIGEST equal on both sides. Skipped without redis-server unless
 * REDSTART_REQUIRE_ALL=1.
 */
class PersistenceInteropTest {
  @TempDir Path dir;

  /** Writes the same dataset through any client: strings of every shape, expiries, databases. */
  static void dataset(RawClient c) throws Exception {
    Random r = new Random(11);
    for (int db : new int[] {0, 1, 9}) {
      c.call("SELECT", Integer.toString(db));
      for (int i = 0; i < 300; i++) {
        String v = switch (i % 8) {
          case 0 -> Integer.toString(r.nextInt());
          case 1 -> Long.toString(r.nextLong());
          case 2 -> "short-" + i;
          case 3 -> "compressible ".repeat(1 + r.nextInt(40));
          case 4 -> randomText(r, 21 + r.nextInt(100));
          case 5 -> "";
          case 6 -> "-0";
          default -> "x".repeat(r.nextInt(70));
        };
        c.call(bytes("SET"), bytes("key:" + db + ":" + i), bytes(v));
        if (i % 5 == 0) c.call("PEXPIREAT", "key:" + db + ":" + i, Long.toString(4_000_000_000_000L + i));
      }
      c.call("SET", "appended:" + db, "base");
      c.call("APPEND", "appended:" + db, "+more".repeat(20));
      c.call("SET", "counter:" + db, "10");
      c.call("INCRBY", "counter:" + db, "5");
      collections(c, r, db);
    }
    c.call("SELECT", "0");
  }

  /** Collections in each of their encodings. */
  static void collections(RawClient c, Random r, int db) throws Exception {
    String p = db + ":";
    for (int i = 0; i < 10; i++) c.call("RPUSH", "list:small:" + p, i % 2 == 0 ? "e" + i : Integer.toString(i * 100000));
    for (int i = 0; i < 2000; i++) c.call("RPUSH", "list:big:" + p, "element-" + i + "-" + "y".repeat(r.nextInt(40)));
    c.call("LPUSH", "list:big:" + p, "head");
    c.call("LINSERT", "list:big:" + p, "BEFORE", "element-1000-", "inserted");
    c.call("LREM", "list:big:" + p, "0", "element-1500-");
    c.call("RPUSH", "list:long:" + p, "z".repeat(10000), "short");
    for (int i = 0; i < 300; i++) c.call("LPUSH", "list:ints:" + p, Integer.toString(i * 997 - 4000));
    // Compressed interior nodes: LZF blobs in RDB even with rdbcompression off.
    c.call("CONFIG", "SET", "list-compress-depth", "1");
    for (int i = 0; i < 3000; i++) c.call("RPUSH", "list:compressed:" + p, "element-" + (i % 50));
    for (int i = 0; i < 200; i++) c.call("RPUSH", "list:incompressible:" + p, randomText(r, 40));
    // Plain nodes (elements over the packed threshold), raw and compressed.
    c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100");
    c.call("RPUSH", "list:plain:" + p, "a", "x".repeat(200), "b", randomText(r, 300));
    c.call("RPUSH", "list:plain:compressed:" + p, "a".repeat(150), "x".repeat(200), "b", "y".repeat(300),
        "z".repeat(500));
    c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0");
    c.call("CONFIG", "SET", "list-compress-depth", "0");
    for (int i = 0; i < 20; i++) {
      c.call("HSET", "hash:small:" + p, "f" + i, i % 3 == 0 ? Integer.toString(i * 1000) : "v" + i);
    }
    for (int i = 0; i < 600; i++) c.call("HSET", "hash:big:" + p, "field-" + i, "value-" + r.nextInt());
    c.call("HSET", "hash:long:" + p, "f", "x".repeat(100));
    c.call("HSET", "hash:binary:" + p, "\u0000\u00ff", randomText(r, 30));
    for (int i = 0; i < 10; i++) c.call("SADD", "set:int16:" + p, Integer.toString(i * 7 - 20));
    c.call("SADD", "set:int32:" + p, "1", "70000", "-5");
    c.call("SADD", "set:int64:" + p, "1", "9000000000", "-9223372036854775808");
    c.call("SADD", "set:narrowed:" + p, "1", "70000");
    c.call("SREM", "set:narrowed:" + p, "70000");
    for (int i = 0; i < 600; i++) c.call("SADD", "set:manyints:" + p, Integer.toString(i));
    for (int i = 0; i < 50; i++) c.call("SADD", "set:strings:" + p, "m" + i);
    for (int i = 0; i < 30; i++) c.call("ZADD", "zset:small:" + p, Integer.toString(i * 3 - 10), "m" + i);
    c.call("ZADD", "zset:small:" + p, "1.5", "half", "-inf", "low", "+inf", "high", "-0", "negzero",
        "0.1", "tenth", "1e300", "huge", "4611686018427387904", "twoto62");
    for (int i = 0; i < 300; i++) {
      c.call("ZADD", "zset:big:" + p, Double.toString(r.nextDouble() * 1000), "member-" + i);
    }
    c.call("ZADD", "zset:long:" + p, "1", "q".repeat(100));
    for (int i = 1; i <= 300; i++) {
      String id = (1_700_000_000_000L + i) + "-" + (i % 3);
      if (i % 7 == 0) {
        c.call("XADD", "stream:big:" + p, id, "other", Integer.toString(i), "more", randomText(r, 5));
      } else {
        c.call("XADD", "stream:big:" + p, id, "name", "n" + i, "value", Integer.toString(i * 31));
      }
    }
    c.call("XDEL", "stream:big:" + p, "1700000000005-2", "1700000000100-1");
    c.call("XGROUP", "CREATE", "stream:big:" + p, "g1", "0");
    c.call("XGROUP", "CREATE", "stream:big:" + p, "g2", "$");
    c.call("XADD", "stream:emptied:" + p, "5-5", "f", "v");
    c.call("XDEL", "stream:emptied:" + p, "5-5");
    c.call("XSETID", "stream:emptied:" + p, "99-0", "ENTRIESADDED", "10", "MAXDELETEDID", "50-0");
    // Consumers and pending entries carry the times of their reads: their DUMPs differ by those.
    c.call("XADD", "stream:consumers:" + p, "1-1", "a", "1");
    c.call("XADD", "stream:consumers:" + p, "2-1", "b", "2");
    c.call("XGROUP", "CREATE", "stream:consumers:" + p, "g", "0");
    c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "stream:consumers:" + p, ">");
    c.call("XGROUP", "CREATECONSUMER", "stream:consumers:" + p, "g", "bob");
    // HyperLogLogs (sparse and dense) and bitmaps are strings with shapes of their own.
    c.call("PFADD", "hll:sparse:" + p, "a", "b", "c");
    for (int i = 0; i < 4000; i += 100) {
      List<String> args = new ArrayList<>(List.of("PFADD", "hll:dense:" + p));
      for (int j = i; j < i + 100; j++) args.add("e" + j);
      c.call(args.toArray(String[]::new));
    }
    c.call("SETBIT", "bitmap:" + p, "100000", "1");
    c.call("SETBIT", "bitmap:" + p, "7", "1");
  }

  private static String randomText(Random r, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) sb.append((char) (r.nextInt(256)));
    return sb.toString();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String referenceDir(RawClient ref) throws Exception {
    Object reply = RawClient.decode(ref.call("CONFIG", "GET", "dir"));
    return new String((byte[]) ((List<?>) reply).get(1), StandardCharsets.ISO_8859_1);
  }

  @Test
  void redstartRdbLoadsInRedisAndPassesItsChecker() throws Exception {
    String digest;
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      dataset(c);
      digest = text(c, "DEBUG", "DIGEST");
      assertThat(text(c, "SAVE")).isEqualTo("+OK\r\n");
    }
    try (ReferenceRedis ref = ReferenceRedis.start(List.of("dir " + dir)); RawClient c = ref.connect()) {
      assertThat(text(c, "DEBUG", "DIGEST")).isEqualTo(digest);
    }
    Path checker = RedisTools.find("redis-check-rdb").orElse(null);
    if (checker != null) {
      Process p = new ProcessBuilder(checker.toString(), dir.resolve("dump.rdb").toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(out).contains("RDB looks OK");
      assertThat(p.exitValue()).isZero();
    }
  }

  @Test
  void redisRdbLoadsInRedstart() throws Exception {
    String digest;
    try (ReferenceRedis ref = ReferenceRedis.start(); RawClient c = ref.connect()) {
      dataset(c);
      digest = text(c, "DEBUG", "DIGEST");
      assertThat(text(c, "SAVE")).isEqualTo("+OK\r\n");
      Files.copy(Path.of(referenceDir(c)).resolve("dump.rdb"), dir.resolve("dump.rdb"));
    }
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      assertThat(text(c, "DEBUG", "DIGEST")).isEqualTo(digest);
    }
  }

  @Test
  void redisRdbWithLruAndLfuOpcodesLoads() throws Exception {
    for (String policy : new String[] {"allkeys-lru", "allkeys-lfu"}) {
      Path d = dir.resolve(policy);
      Files.createDirectories(d);
      try (ReferenceRedis ref = ReferenceRedis.start(List.of("maxmemory-policy " + policy));
          RawClient c = ref.connect()) {
        c.call("SET", "k", "v");
        c.call("SET", "other", "w");
        assertThat(text(c, "SAVE")).isEqualTo("+OK\r\n");
        Files.copy(Path.of(referenceDir(c)).resolve("dump.rdb"), d.resolve("dump.rdb"));
      }
      try (Redstart.Handle s = start(d, "maxmemory-policy " + policy); RawClient c = RawClient.connect(s.port())) {
        assertThat(text(c, "GET", "k")).isEqualTo("$1\r\nv\r\n");
        // And what Redstart writes with the policy's opcodes loads back in Redis.
        assertThat(text(c, "SAVE")).isEqualTo("+OK\r\n");
      }
      try (ReferenceRedis ref = ReferenceRedis.start(List.of("dir " + d, "maxmemory-policy " + policy));
          RawClient c = ref.connect()) {
        assertThat(text(c, "DBSIZE")).isEqualTo(":2\r\n");
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void dumpPayloadsAreRedisBytesBothWays() throws Exception {
    try (ReferenceRedis ref = ReferenceRedis.start();
        RawClient r = ref.connect();
        Redstart.Handle s = start(dir);
        RawClient c = RawClient.connect(s.port())) {
      dataset(r);
      dataset(c);
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 300; i++) keys.add("key:0:" + i);
      keys.add("appended:0");
      keys.add("counter:0");
      List<Object> all = (List<Object>) RawClient.decode(c.call("KEYS", "*:0:"));
      for (Object k : all) keys.add(new String((byte[]) k, StandardCharsets.ISO_8859_1));
      for (String k : keys) {
        byte[] fromRedis = r.call("DUMP", k);
        byte[] fromUs = c.call("DUMP", k);
        String enc = text(r, "OBJECT", "ENCODING", k);
        assertThat(text(c, "OBJECT", "ENCODING", k)).as("encoding of %s", k).isEqualTo(enc);
        boolean ordered = !enc.contains("hashtable") && !enc.contains("skiplist")
            && !k.startsWith("stream:consumers:");
        if (ordered) assertThat(fromUs).as("DUMP %s", k).isEqualTo(fromRedis);
        assertThat(c.call("DEBUG", "DIGEST-VALUE", k)).as("digest of %s", k)
            .isEqualTo(r.call("DEBUG", "DIGEST-VALUE", k));
        String objRedis = text(r, "DEBUG", "OBJECT", k);
        String objUs = text(c, "DEBUG", "OBJECT", k);
        assertThat(field(objUs, "serializedlength")).as("serializedlength of %s", k)
            .isEqualTo(field(objRedis, "serializedlength"));
        // Each side restores the other's payload, with the key's own expiry (the digest counts
        // whether a key has one), to the same value in the same encoding.
        byte[] payload = (byte[]) RawClient.decode(fromRedis);
        long at = (Long) RawClient.decode(c.call("PEXPIRETIME", k));
        String ttl = Long.toString(Math.max(0, at));
        assertThat(text(c, "RESTORE", "copy:" + k, ttl, payload, "ABSTTL")).isEqualTo("+OK\r\n");
        assertThat(c.call("DEBUG", "DIGEST-VALUE", "copy:" + k)).as("restored %s", k)
            .isEqualTo(c.call("DEBUG", "DIGEST-VALUE", k));
        byte[] ours = (byte[]) RawClient.decode(fromUs);
        assertThat(text(r, "RESTORE", "copy:" + k, ttl, ours, "ABSTTL")).isEqualTo("+OK\r\n");
        assertThat(r.call("DEBUG", "DIGEST-VALUE", "copy:" + k)).isEqualTo(r.call("DEBUG", "DIGEST-VALUE", k));
        // A restored value takes the encoding a load gives it (a short raw string such as a sparse
        // HyperLogLog comes back embstr), the same on both sides.
        assertThat(text(c, "OBJECT", "ENCODING", "copy:" + k)).as("encoding of restored %s", k)
            .isEqualTo(text(r, "OBJECT", "ENCODING", "copy:" + k));
      }
      // Compression off: still the same bytes.
      r.call("CONFIG", "SET", "rdbcompression", "no");
      c.call("CONFIG", "SET", "rdbcompression", "no");
      for (String k : keys) {
        String enc = text(r, "OBJECT", "ENCODING", k);
        if (!enc.contains("hashtable") && !enc.contains("skiplist")
            && !k.startsWith("stream:consumers:")) {
          assertThat(c.call("DUMP", k)).as("DUMP %s", k).isEqualTo(r.call("DUMP", k));
        }
        assertThat(field(text(c, "DEBUG", "OBJECT", k), "serializedlength"))
            .as("serializedlength of %s without compression", k)
            .isEqualTo(field(text(r, "DEBUG", "OBJECT", k), "serializedlength"));
      }
    }
  }

  private static String field(String debugObject, String name) {
    for (String part : debugObject.trim().split(" ")) {
      if (part.startsWith(name + ":")) return part.substring(name.length() + 1);
    }
    return null;
  }

  @Test
  void aofFoldersReplayInBothServers() throws Exception {
    String digest = null;
    for (String preamble : new String[] {"yes", "no"}) {
      digest = ourAofReplaysInRedis(preamble);
    }
    // And the other way: Redis's AOF folder loads here.
    Path theirs = dir.resolve("theirs");
    Files.createDirectories(theirs);
    for (String preamble : new String[] {"yes", "no"}) {
      Servers.deleteTree(theirs.resolve("appendonlydir"));
      try (ReferenceRedis ref = ReferenceRedis.start(List.of("appendonly yes", "aof-use-rdb-preamble " + preamble));
          RawClient c = ref.connect()) {
        dataset(c);
        c.call("BGREWRITEAOF");
        awaitIdle(c);
        c.call("SET", "after-rewrite", "1");
        c.call("SET", "ex", "v", "EX", "1000");
        digest = text(c, "DEBUG", "DIGEST");
        copyTree(Path.of(referenceDir(c)).resolve("appendonlydir"), theirs.resolve("appendonlydir"));
      }
      try (Redstart.Handle s = start(theirs, "appendonly yes"); RawClient c = RawClient.connect(s.port())) {
        assertThat(text(c, "DEBUG", "DIGEST")).as("preamble %s", preamble).isEqualTo(digest);
      }
    }
  }

  /**
   * Redstart writes the dataset with a rewrite (RDB or command base) and an incremental file;
   * redis-server loads the folder to the same digest and redis-check-aof accepts it.
   */
  private String ourAofReplaysInRedis(String preamble) throws Exception {
    String digest;
    Path ours = dir.resolve("ours-" + preamble);
    Files.createDirectories(ours);
    try (Redstart.Handle s = start(ours, "appendonly yes", "aof-use-rdb-preamble " + preamble);
        RawClient c = RawClient.connect(s.port())) {
      dataset(c);
      c.call("BGREWRITEAOF");
      awaitIdle(c);
      c.call("SET", "after-rewrite", "1");
      c.call("MULTI");
      c.call("INCR", "in-multi");
      c.call("INCR", "in-multi");
      c.call("EXEC");
      digest = text(c, "DEBUG", "DIGEST");
    }
    String base = "appendonly.aof.2.base." + (preamble.equals("yes") ? "rdb" : "aof");
    assertThat(ours.resolve("appendonlydir").resolve(base)).exists();
    try (ReferenceRedis ref = ReferenceRedis.start(List.of("dir " + ours, "appendonly yes"));
        RawClient c = ref.connect()) {
      assertThat(text(c, "DEBUG", "DIGEST")).as("preamble %s", preamble).isEqualTo(digest);
    }
    Path checker = RedisTools.find("redis-check-aof").orElse(null);
    if (checker != null) {
      Process p = new ProcessBuilder(checker.toString(),
          ours.resolve("appendonlydir").resolve("appendonly.aof.manifest").toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(out).contains("All AOF files and manifest are valid");
    }
    return digest;
  }

  /**
   * The same dataset on both servers goes through DEBUG RELOAD (an RDB round trip), then an AOF
   * rewrite with an RDB base and one with a command base, each loaded back by DEBUG LOADAOF. After
   * each step both servers still have the starting digest, and every key has the same encoding,
   * DEBUG DIGEST-VALUE and serializedlength on both sides (so the conversions a load makes, such
   * as a small hash table becoming a listpack, are Redis's).
   */
  @Test
  void reloadsAndRewritesKeepEveryTypeAsRedisDoes() throws Exception {
    try (ReferenceRedis ref = ReferenceRedis.start(List.of("appendonly yes"));
        RawClient r = ref.connect();
        Redstart.Handle s = start(dir, "appendonly yes");
        RawClient c = RawClient.connect(s.port())) {
      dataset(r);
      dataset(c);
      // A hash table and an intset that shrank: their loads pick a compact encoding again.
      for (RawClient x : List.of(r, c)) {
        for (int i = 0; i < 200; i++) x.call("HSET", "hash:shrunk", "f" + i, "v");
        for (int i = 5; i < 200; i++) x.call("HDEL", "hash:shrunk", "f" + i);
        for (int i = 0; i < 200; i++) x.call("ZADD", "zset:shrunk", Integer.toString(i), "m" + i);
        x.call("ZREMRANGEBYRANK", "zset:shrunk", "3", "-1");
        x.call("SADD", "set:shrunk", "a", "1", "2");
        x.call("SREM", "set:shrunk", "a");
      }
      String digest = text(r, "DEBUG", "DIGEST");
      assertThat(text(c, "DEBUG", "DIGEST")).isEqualTo(digest);
      String[][] steps = {
        {"DEBUG", "RELOAD"},
        {"CONFIG", "SET", "aof-use-rdb-preamble", "yes"},
        {"CONFIG", "SET", "aof-use-rdb-preamble", "no"},
      };
      for (String[] step : steps) {
        String what = String.join(" ", step);
        for (RawClient x : List.of(r, c)) {
          assertThat(text(x, (Object[]) step)).as(what).isEqualTo("+OK\r\n");
          if (step[0].equals("CONFIG")) {
            awaitIdle(x);
            assertThat(text(x, "BGREWRITEAOF")).as(what)
                .isEqualTo("+Background append only file rewriting started\r\n");
            awaitIdle(x);
            assertThat(text(x, "DEBUG", "LOADAOF")).as(what).isEqualTo("+OK\r\n");
          }
        }
        assertThat(text(r, "DEBUG", "DIGEST")).as("Redis after %s", what).isEqualTo(digest);
        assertThat(text(c, "DEBUG", "DIGEST")).as("Redstart after %s", what).isEqualTo(digest);
        for (String db : new String[] {"0", "1", "9"}) {
          r.call("SELECT", db);
          c.call("SELECT", db);
          for (String k : keys(c)) {
            String key = what + ": " + db + "/" + k;
            assertThat(text(c, "OBJECT", "ENCODING", k)).as("encoding after %s", key)
                .isEqualTo(text(r, "OBJECT", "ENCODING", k));
            assertThat(c.call("DEBUG", "DIGEST-VALUE", k)).as("digest after %s", key)
                .isEqualTo(r.call("DEBUG", "DIGEST-VALUE", k));
            assertThat(field(text(c, "DEBUG", "OBJECT", k), "serializedlength"))
                .as("serializedlength after %s", key)
                .isEqualTo(field(text(r, "DEBUG", "OBJECT", k), "serializedlength"));
          }
        }
        r.call("SELECT", "0");
        c.call("SELECT", "0");
      }
    }
  }

  /**
   * Payloads of every type and encoding written by redis-server restore in both servers under
   * small and then large encoding limits: the conversions RESTORE makes (listpack to hash table,
   * intset to hash table, hash table back to listpack or intset) are the same on both sides.
   */
  @Test
  void restoreConvertsEncodingsUnderTheLimitsAsRedisDoes() throws Exception {
    try (ReferenceRedis ref = ReferenceRedis.start();
        RawClient r = ref.connect();
        Redstart.Handle s = start(dir);
        RawClient c = RawClient.connect(s.port())) {
      dataset(r);
      List<String> keys = keys(r);
      List<byte[]> payloads = new ArrayList<>();
      for (String k : keys) payloads.add((byte[]) RawClient.decode(r.call("DUMP", k)));
      String[][] limits = {
        {"hash-max-listpack-entries", "4", "hash-max-listpack-value", "2",
          "set-max-intset-entries", "4", "zset-max-listpack-entries", "4",
          "zset-max-listpack-value", "2", "list-max-listpack-size", "4"},
        {"hash-max-listpack-entries", "5000", "hash-max-listpack-value", "500",
          "set-max-intset-entries", "5000", "zset-max-listpack-entries", "5000",
          "zset-max-listpack-value", "500", "list-max-listpack-size", "-5"},
      };
      for (String[] limit : limits) {
        for (RawClient x : List.of(r, c)) {
          for (int i = 0; i < limit.length; i += 2) {
            assertThat(text(x, "CONFIG", "SET", limit[i], limit[i + 1])).isEqualTo("+OK\r\n");
          }
        }
        for (int i = 0; i < keys.size(); i++) {
          String copy = "copy:" + keys.get(i);
          String what = limit[1] + ": " + keys.get(i);
          for (RawClient x : List.of(r, c)) {
            assertThat(text(x, "RESTORE", copy, "0", payloads.get(i), "REPLACE")).as(what)
                .isEqualTo("+OK\r\n");
          }
          assertThat(text(c, "OBJECT", "ENCODING", copy)).as("encoding of %s", what)
              .isEqualTo(text(r, "OBJECT", "ENCODING", copy));
          assertThat(c.call("DEBUG", "DIGEST-VALUE", copy)).as("digest of %s", what)
              .isEqualTo(r.call("DEBUG", "DIGEST-VALUE", copy));
          assertThat(field(text(c, "DEBUG", "OBJECT", copy), "serializedlength"))
              .as("serializedlength of %s", what)
              .isEqualTo(field(text(r, "DEBUG", "OBJECT", copy), "serializedlength"));
        }
      }
    }
  }

  /**
   * An AOF base written as commands (aof-use-rdb-preamble no) is Redis's, byte for byte, for each
   * type in an encoding with an order (one key at a time: the order of keys is each server's own):
   * the same commands (RPUSH, HMSET, SADD, ZADD with %.17g scores, XADD, XSETID, XGROUP,
   * PEXPIREAT), the same batches of 64 items.
   */
  @Test
  void aCommandBaseIsRedisBytesForEveryOrderedEncoding() throws Exception {
    String[][][] keys = {
      {{"SET", "k", "value"}, {"PEXPIREAT", "k", "4000000000000"}},
      {{"SET", "k", "12345"}},
      {rpush("k", 150)},
      {{"RPUSH", "k", "-5", "x".repeat(70000), "y"}},
      {pairs("HSET", "k", 100, "f", "v")},
      {pairs("ZADD", "k", 100, "", "m"), {"ZADD", "k", "1.5", "a", "-inf", "b", "+inf", "c", "0.1", "d",
          "1e300", "e", "-0", "f"}},
      {members("SADD", "k", 150, "")},
      {{"SADD", "k", "1", "70000"}},
      {{"SADD", "k", "-9223372036854775808", "9223372036854775807"}},
      {{"XADD", "k", "1-1", "a", "1"}, {"XADD", "k", "2-2", "b", "2", "c", "3"}, {"XDEL", "k", "1-1"},
          {"XGROUP", "CREATE", "k", "g", "0"}},
      {{"XADD", "k", "5-5", "f", "v"}, {"XDEL", "k", "5-5"}},
    };
    Path ours = dir.resolve("ours");
    Files.createDirectories(ours);
    try (ReferenceRedis ref = ReferenceRedis.start(List.of("appendonly yes", "aof-use-rdb-preamble no"));
        RawClient r = ref.connect();
        Redstart.Handle s = start(ours, "appendonly yes", "aof-use-rdb-preamble no");
        RawClient c = RawClient.connect(s.port())) {
      Path theirs = Path.of(referenceDir(r));
      for (String[][] commands : keys) {
        String what = String.join(" ", commands[0]);
        what = what.substring(0, Math.min(60, what.length()));
        for (RawClient x : List.of(r, c)) {
          x.call("FLUSHALL");
          for (String[] command : commands) x.call(command);
          awaitIdle(x);
          assertThat(text(x, "BGREWRITEAOF")).as(what)
              .isEqualTo("+Background append only file rewriting started\r\n");
          awaitIdle(x);
        }
        assertThat(new String(base(ours), StandardCharsets.ISO_8859_1)).as(what)
            .isEqualTo(new String(base(theirs), StandardCharsets.ISO_8859_1));
      }
    }
  }

  /** The current base file of the AOF folder in {@code dir}. */
  private static byte[] base(Path dir) throws Exception {
    Path folder = dir.resolve("appendonlydir");
    String name = null;
    for (String line : Files.readAllLines(folder.resolve("appendonly.aof.manifest"))) {
      String[] f = line.split(" ");
      if (f.length >= 6 && f[5].equals("b")) name = f[1];
    }
    assertThat(name).as("a base in the manifest of %s", folder).isNotNull();
    return Files.readAllBytes(folder.resolve(name));
  }

  private static String[] rpush(String key, int n) {
    List<String> a = new ArrayList<>(List.of("RPUSH", key));
    for (int i = 0; i < n; i++) a.add(i % 3 == 0 ? Integer.toString(i * 1000 - 7) : "e" + i);
    return a.toArray(String[]::new);
  }

  private static String[] pairs(String cmd, String key, int n, String first, String second) {
    List<String> a = new ArrayList<>(List.of(cmd, key));
    for (int i = 0; i < n; i++) {
      a.add(first.isEmpty() ? Double.toString(i * 0.25) : first + i);
      a.add(second + i);
    }
    return a.toArray(String[]::new);
  }

  private static String[] members(String cmd, String key, int n, String prefix) {
    List<String> a = new ArrayList<>(List.of(cmd, key));
    for (int i = 0; i < n; i++) a.add(prefix + (i * 37 - 1000));
    return a.toArray(String[]::new);
  }

  /** The keys of the selected database, sorted. */
  @SuppressWarnings("unchecked")
  private static List<String> keys(RawClient c) throws Exception {
    List<String> keys = new ArrayList<>();
    for (Object k : (List<Object>) RawClient.decode(c.call("KEYS", "*"))) {
      keys.add(new String((byte[]) k, StandardCharsets.ISO_8859_1));
    }
    keys.sort(null);
    return keys;
  }

  private static void copyTree(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void infoPersistenceHasRedisFields() throws Exception {
    for (String aof : new String[] {"no", "yes"}) {
      Path d = dir.resolve("info-" + aof);
      Files.createDirectories(d);
      try (ReferenceRedis ref = ReferenceRedis.start(List.of("appendonly " + aof));
          RawClient r = ref.connect();
          Redstart.Handle s = start(d, "appendonly " + aof);
          RawClient c = RawClient.connect(s.port())) {
        assertThat(fieldNames(text(c, "INFO", "persistence")))
            .as("appendonly %s", aof)
            .isEqualTo(fieldNames(text(r, "INFO", "persistence")));
      }
    }
  }

  private static List<String> fieldNames(String info) {
    List<String> names = new ArrayList<>();
    for (String line : info.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("$") && !line.startsWith("=")) names.add(line.substring(0, colon));
    }
    return names;
  }
}
