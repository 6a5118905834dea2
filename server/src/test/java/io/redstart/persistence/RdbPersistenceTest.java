package io.redstart.persistence;

import static io.redstart.persistence.Servers.await;
import static io.redstart.persistence.Servers.awaitIdle;
import static io.redstart.persistence.Servers.info;
import static io.redstart.persistence.Servers.start;
import static io.redstart.persistence.Servers.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.embedded.Redstart;
import io.redstart.persistence.rdb.Listpack;
import io.redstart.persistence.rdb.RdbConstants;
import io.redstart.persistence.rdb.RdbException;
import io.redstart.persistence.rdb.RdbInput;
import io.redstart.persistence.rdb.RdbLoader;
import io.redstart.persistence.rdb.RdbOutput;
import io.redstart.persistence.rdb.RdbValue;
import io.redstart.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SAVE, BGSAVE, loading at startup, DUMP/RESTORE and their errors, on embedded servers. */
class RdbPersistenceTest {
  @TempDir Path dir;

  private static void fill(RawClient c) throws Exception {
    c.call("SET", "int", "12345");
    c.call("SET", "neg", "-77");
    c.call("SET", "embstr", "hello world");
    c.call("SET", "raw", "r".repeat(50));
    c.call("SET", "long", "l".repeat(500));
    c.call("SET", "binary", "\u0000\u00ff\r\n");
    c.call("SET", "empty", "");
    c.call("SET", "appended", "abc");
    c.call("APPEND", "appended", "def");
    c.call("SET", "ttl", "v", "EX", "1000");
    c.call("SET", "pttl", "v", "PXAT", "4000000000000");
    c.call("SELECT", "5");
    c.call("SET", "in-db5", "five");
    c.call("SELECT", "15");
    c.call("SET", "in-db15", "x".repeat(5000));
    c.call("SELECT", "0");
  }

  @Test
  void savedDatasetComesBackAfterRestart() throws Exception {
    String digest;
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      fill(c);
      digest = text(c, "DEBUG", "DIGEST");
      assertThat(text(c, "SAVE")).isEqualTo("+OK\r\n");
      assertThat(info(c, "rdb_changes_since_last_save")).isEqualTo("0");
      assertThat(info(c, "rdb_saves")).isEqualTo("1");
      long lastsave = Long.parseLong(text(c, "LASTSAVE").substring(1).trim());
      assertThat(lastsave).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
    }
    assertThat(dir.resolve("dump.rdb")).exists();
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      assertThat(text(c, "DEBUG", "DIGEST")).isEqualTo(digest);
      assertThat(text(c, "OBJECT", "ENCODING", "int")).isEqualTo("$3\r\nint\r\n");
      assertThat(text(c, "OBJECT", "ENCODING", "embstr")).isEqualTo("$6\r\nembstr\r\n");
      assertThat(text(c, "OBJECT", "ENCODING", "raw")).isEqualTo("$3\r\nraw\r\n");
      assertThat(text(c, "GET", "appended")).isEqualTo("$6\r\nabcdef\r\n");
      long ttl = Long.parseLong(text(c, "TTL", "ttl").substring(1).trim());
      assertThat(ttl).isBetween(990L, 1000L);
      assertThat(text(c, "PEXPIRETIME", "pttl")).isEqualTo(":4000000000000\r\n");
      assertThat(info(c, "rdb_last_load_keys_loaded")).isEqualTo("12");
    }
  }

  @Test
  void expiredKeysAreDroppedOnLoad() throws Exception {
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
      c.call("SET", "gone", "v", "PX", "50");
      c.call("SET", "kept", "v");
      assertThat(text(c, "SAVE")).isEqualTo("+OK\r\n");
      await("the key to expire", Duration.ofSeconds(5), () -> expiredSince(c));
    }
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      assertThat(text(c, "DBSIZE")).isEqualTo(":1\r\n");
      assertThat(info(c, "rdb_last_load_keys_expired")).isEqualTo("1");
    }
  }

  private static boolean expiredSince(RawClient c) throws Exception {
    return text(c, "PTTL", "gone").equals(":-2\r\n");
  }

  /**
   * Every snapshot counts as a fork in INFO stats; CONFIG RESETSTAT clears the counts as Redis
   * does (saves, rewrites, forks) and keeps the last copy-on-write sizes.
   */
  @Test
  void snapshotsCountAsForks() throws Exception {
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      assertThat(info(c, "total_forks")).isEqualTo("0");
      for (int i = 0; i < 100; i++) c.call("SET", "k" + i, "v");
      assertThat(text(c, "BGSAVE")).isEqualTo("+Background saving started\r\n");
      awaitIdle(c);
      assertThat(text(c, "BGREWRITEAOF")).isEqualTo("+Background append only file rewriting started\r\n");
      awaitIdle(c);
      assertThat(info(c, "total_forks")).isEqualTo("2");
      assertThat(Long.parseLong(info(c, "latest_fork_usec"))).isBetween(0L, 5_000_000L);
      assertThat(text(c, "SAVE")).isEqualTo("+OK\r\n");
      assertThat(info(c, "total_forks")).isEqualTo("2");
      String cow = info(c, "rdb_last_cow_size");
      c.call("CONFIG", "RESETSTAT");
      assertThat(info(c, "total_forks")).isEqualTo("0");
      assertThat(info(c, "latest_fork_usec")).isEqualTo("0");
      assertThat(info(c, "rdb_saves")).isEqualTo("0");
      assertThat(info(c, "aof_rewrites")).isEqualTo("0");
      assertThat(info(c, "rdb_last_cow_size")).isEqualTo(cow);
    }
  }

  @Test
  void bgsaveRepliesAndRefusalsAreRedis() throws Exception {
    try (Redstart.Handle s = start(dir, "rdb-key-save-delay 2000"); RawClient c = RawClient.connect(s.port())) {
      for (int i = 0; i < 200; i++) c.call("SET", "k" + i, "v" + i);
      assertThat(text(c, "BGSAVE")).isEqualTo("+Background saving started\r\n");
      assertThat(info(c, "rdb_bgsave_in_progress")).isEqualTo("1");
      assertThat(text(c, "BGSAVE")).isEqualTo("-ERR Background save already in progress\r\n");
      assertThat(text(c, "SAVE")).isEqualTo("-ERR Background save already in progress\r\n");
      assertThat(text(c, "BGSAVE", "SCHEDULE")).isEqualTo("-ERR Background save already in progress\r\n");
      assertThat(text(c, "BGREWRITEAOF"))
          .isEqualTo("+Background append only file rewriting scheduled\r\n");
      assertThat(text(c, "BGSAVE", "NOW")).isEqualTo("-ERR syntax error\r\n");
      c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
      awaitIdle(c);
      assertThat(info(c, "rdb_last_bgsave_status")).isEqualTo("ok");
      assertThat(dir.resolve("dump.rdb")).exists();
    }
  }

  @Test
  void bgsaveScheduledBehindARewriteRunsAfterIt() throws Exception {
    try (Redstart.Handle s = start(dir, "rdb-key-save-delay 2000"); RawClient c = RawClient.connect(s.port())) {
      for (int i = 0; i < 100; i++) c.call("SET", "k" + i, "v" + i);
      assertThat(text(c, "BGREWRITEAOF")).isEqualTo("+Background append only file rewriting started\r\n");
      assertThat(text(c, "BGSAVE")).startsWith("-ERR Another child process is active (AOF?)");
      assertThat(text(c, "BGSAVE", "SCHEDULE")).isEqualTo("+Background saving scheduled\r\n");
      c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
      await("the scheduled BGSAVE", Duration.ofSeconds(30), () -> Files.exists(dir.resolve("dump.rdb")));
      awaitIdle(c);
    }
  }

  /**
   * A BGSAVE is a point in time: a slow save (rdb-key-save-delay) meets every kind of write while
   * it runs, and the file still holds exactly the dataset of the instant BGSAVE ran.
   */
  @Test
  void bgsaveIsAPointInTimeUnderConcurrentWrites() throws Exception {
    String digestAtSave;
    Map<String, String> keysAtSave;
    try (Redstart.Handle s = start(dir, "rdb-key-save-delay 20", "databases 4");
        RawClient c = RawClient.connect(s.port());
        RawClient w = RawClient.connect(s.port())) {
      Random r = new Random(42);
      for (int db = 0; db < 3; db++) {
        c.call("SELECT", Integer.toString(db));
        for (int i = 0; i < 1500; i++) {
          String v = r.nextBoolean() ? Integer.toString(r.nextInt()) : "x".repeat(r.nextInt(200));
          c.call("SET", "key:" + i, v);
          if (i % 7 == 0) c.call("PEXPIRE", "key:" + i, "5000000");
        }
      }
      c.call("SELECT", "0");
      for (int i = 0; i < 200; i++) {
        for (int j = 0; j < 1 + i; j++) c.call("RPUSH", "coll:" + i, "e" + j);
        for (int j = 0; j < 1 + i % 150; j++) {
          c.call("XADD", "xcoll:" + i, "*", "f", "v" + j);
          c.call("HSET", "hcoll:" + i, "f" + j, "v" + j);
          c.call("SADD", "scoll:" + i, (i % 2 == 0 ? "" : "s") + j);
          c.call("ZADD", "zcoll:" + i, Integer.toString(j), "m" + j);
        }
        c.call("XGROUP", "CREATE", "xcoll:" + i, "g", "0");
      }
      // Per key (only this client writes until the BGSAVE): a failure names the keys that differ.
      keysAtSave = keyDigests(c, 4);
      // The digest and the BGSAVE in one read: nothing runs between them.
      c.sendRaw(new String(RawClient.encode(bytes("DEBUG"), bytes("DIGEST")), StandardCharsets.ISO_8859_1)
          + new String(RawClient.encode(bytes("BGSAVE")), StandardCharsets.ISO_8859_1));
      digestAtSave = new String(c.read(), StandardCharsets.ISO_8859_1);
      assertThat(new String(c.read(), StandardCharsets.ISO_8859_1)).isEqualTo("+Background saving started\r\n");
      // Meanwhile, every kind of change.
      int round = 0;
      while ("1".equals(info(w, "rdb_bgsave_in_progress")) && round < 20_000) {
        int db = round % 3;
        w.call("SELECT", Integer.toString(db));
        String k = "key:" + r.nextInt(1600);
        String ck = "coll:" + r.nextInt(200);
        String xk = "xcoll:" + r.nextInt(200);
        switch (round % 35) {
          case 9 -> w.call("RPUSH", ck, "n" + round);
          case 10 -> w.call("LPOP", ck);
          case 11 -> w.call("LSET", ck, "0", "set" + round);
          case 12 -> w.call("LINSERT", ck, "AFTER", "e0", "i" + round);
          case 13 -> w.call("XADD", xk, "*", "n", Integer.toString(round));
          case 14 -> w.call("XTRIM", xk, "MAXLEN", "3");
          case 15 -> w.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", xk, ">");
          case 16 -> w.call("XGROUP", "SETID", xk, "g", "0");
          case 17 -> w.call("HSET", "h" + ck, "f" + round, "x".repeat(round % 100));
          case 18 -> w.call("HDEL", "h" + ck, "f1");
          case 19 -> w.call("SADD", "s" + ck, "n" + round);
          case 20 -> w.call("SREM", "s" + ck, "2");
          case 21 -> w.call("ZINCRBY", "z" + ck, "1", "m1");
          case 22 -> w.call("ZREM", "z" + ck, "m2");
          case 23 -> w.call("HINCRBY", "h" + ck, "f0", "3");
          case 24 -> w.call("SPOP", "s" + ck);
          case 25 -> w.call("SMOVE", "s" + ck, "s" + "coll:" + r.nextInt(200), "3");
          case 26 -> w.call("ZPOPMIN", "z" + ck);
          case 27 -> w.call("ZREMRANGEBYSCORE", "z" + ck, "5", "8");
          case 28 -> w.call("SORT", "z" + ck, "BY", "nosort");
          case 29 -> w.call("ZUNIONSTORE", "z" + ck, "2", "z" + ck, "zcoll:" + r.nextInt(200));
          case 30 -> w.call("SINTERSTORE", "s" + ck, "s" + ck, "scoll:" + r.nextInt(200));
          case 31 -> w.call("HINCRBYFLOAT", "h" + ck, "f2", "1.5");
          case 32 -> w.call("GEOADD", "z" + ck, "13.36", "38.11", "m3");
          case 33 -> w.call("HSET", "h" + ck, "long", "y".repeat(100));
          case 34 -> w.call("SADD", "s" + ck, "not-an-integer");
          default -> { }
        }
        switch (round % 9) {
          case 0 -> w.call("SET", k, "new-" + round);
          case 1 -> w.call("DEL", k);
          case 2 -> w.call("APPEND", k, "++");
          case 3 -> w.call("SETRANGE", k, "2", "zz");
          case 4 -> w.call("PEXPIRE", k, "9000000");
          case 5 -> w.call("PERSIST", k);
          case 6 -> w.call("RENAME", k, "renamed:" + round);
          case 7 -> w.call("INCR", "counter");
          default -> w.call("MOVE", k, "3");
        }
        if (round == 500) w.call("SWAPDB", "1", "2");
        if (round == 800) w.call("FLUSHDB");
        round++;
      }
      awaitIdle(w);
      assertThat(info(w, "rdb_last_bgsave_status")).isEqualTo("ok");
      assertThat(round).isGreaterThan(100);
    }
    try (Redstart.Handle s = start(dir, "databases 4"); RawClient c = RawClient.connect(s.port())) {
      Map<String, String> loaded = keyDigests(c, 4);
      Set<String> differing = new TreeSet<>();
      for (String k : keysAtSave.keySet()) {
        if (!keysAtSave.get(k).equals(loaded.get(k))) differing.add(k);
      }
      for (String k : loaded.keySet()) if (!keysAtSave.containsKey(k)) differing.add(k);
      assertThat(differing).as("keys whose loaded value is not the value at the BGSAVE").isEmpty();
      assertThat(text(c, "DEBUG", "DIGEST")).isEqualTo(digestAtSave);
    }
  }

  /** DEBUG DIGEST-VALUE and PEXPIRETIME of every key of the first {@code dbs} databases. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> keyDigests(RawClient c, int dbs) throws Exception {
    Map<String, String> m = new TreeMap<>();
    for (int db = 0; db < dbs; db++) {
      c.call("SELECT", Integer.toString(db));
      for (Object k : (List<Object>) RawClient.decode(c.call("KEYS", "*"))) {
        String key = new String((byte[]) k, StandardCharsets.ISO_8859_1);
        m.put(db + "/" + key, text(c, "DEBUG", "DIGEST-VALUE", key) + text(c, "PEXPIRETIME", key));
      }
    }
    c.call("SELECT", "0");
    return m;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void dumpAndRestoreRoundTripWithOptions() throws Exception {
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      c.call("SET", "k", "value");
      byte[] payload = (byte[]) c.decoded("DUMP", "k");
      assertThat(text(c, "DUMP", "missing")).isEqualTo("$-1\r\n");
      assertThat(text(c, "RESTORE", "k", "0", payload)).isEqualTo("-BUSYKEY Target key name already exists.\r\n");
      assertThat(text(c, "RESTORE", "k", "0", payload, "REPLACE")).isEqualTo("+OK\r\n");
      assertThat(text(c, "RESTORE", "k2", "5000", payload)).isEqualTo("+OK\r\n");
      long pttl = Long.parseLong(text(c, "PTTL", "k2").substring(1).trim());
      assertThat(pttl).isBetween(4000L, 5000L);
      assertThat(text(c, "RESTORE", "k3", "4000000000000", payload, "ABSTTL")).isEqualTo("+OK\r\n");
      assertThat(text(c, "PEXPIRETIME", "k3")).isEqualTo(":4000000000000\r\n");
      assertThat(text(c, "RESTORE", "k4", "1", payload, "ABSTTL")).isEqualTo("+OK\r\n");
      assertThat(text(c, "EXISTS", "k4")).isEqualTo(":0\r\n");
      assertThat(text(c, "RESTORE", "k5", "0", payload, "IDLETIME", "1000")).isEqualTo("+OK\r\n");
      long idle = Long.parseLong(text(c, "OBJECT", "IDLETIME", "k5").substring(1).trim());
      assertThat(idle).isBetween(999L, 1002L);
      assertThat(text(c, "GET", "k5")).isEqualTo("$5\r\nvalue\r\n");
    }
  }

  @Test
  void restoreRefusesBadInputWithRedisErrors() throws Exception {
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      c.call("SET", "k", "value");
      byte[] payload = (byte[]) c.decoded("DUMP", "k");
      assertThat(text(c, "RESTORE", "x", "-1", payload)).isEqualTo("-ERR Invalid TTL value, must be >= 0\r\n");
      assertThat(text(c, "RESTORE", "x", "abc", payload)).isEqualTo("-ERR value is not an integer or out of range\r\n");
      assertThat(text(c, "RESTORE", "x", "0", payload, "IDLETIME", "-1"))
          .isEqualTo("-ERR Invalid IDLETIME value, must be >= 0\r\n");
      assertThat(text(c, "RESTORE", "x", "0", payload, "FREQ", "256"))
          .isEqualTo("-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n");
      assertThat(text(c, "RESTORE", "x", "0", payload, "IDLETIME", "1", "FREQ", "1"))
          .isEqualTo("-ERR syntax error\r\n");
      assertThat(text(c, "RESTORE", "x", "0", payload, "BOGUS")).isEqualTo("-ERR syntax error\r\n");
      byte[] damaged = payload.clone();
      damaged[2] ^= 1;
      assertThat(text(c, "RESTORE", "x", "0", damaged))
          .isEqualTo("-ERR DUMP payload version or checksum are wrong\r\n");
      assertThat(text(c, "RESTORE", "x", "0", "short"))
          .isEqualTo("-ERR DUMP payload version or checksum are wrong\r\n");
      // A valid footer around garbage.
      assertThat(text(c, "RESTORE", "x", "0", (withFooter(new byte[] {(byte) 200, 1, 2}, 10))))
          .isEqualTo("-ERR Bad data format\r\n");
      assertThat(text(c, "RESTORE", "x", "0", (withFooter(new byte[] {0, (byte) 0x80, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 10))))
          .isEqualTo("-ERR Bad data format\r\n");
      // A version newer than what is read.
      assertThat(text(c, "RESTORE", "x", "0", (withFooter(new byte[] {0, 1, 'a'}, 12))))
          .isEqualTo("-ERR DUMP payload version or checksum are wrong\r\n");
      assertThat(text(c, "EXISTS", "x")).isEqualTo(":0\r\n");
    }
  }

  /**
   * A Redis 7.2 payload (RDB 11) of a set listpack, an encoding 7.0 does not have, restores as the
   * set 7.0 would build from those members: an intset when they are all integers and few enough,
   * else a hash table; duplicates are refused as damage.
   */
  @Test
  void restoreTakesTheSetListpacksOfRdb11() throws Exception {
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      byte[] strings = setListpack(new Listpack.Builder().append(bytes("x")).append(bytes("y")).append(1));
      assertThat(text(c, "RESTORE", "s", "0", strings)).isEqualTo("+OK\r\n");
      assertThat(text(c, "SORT", "s", "ALPHA")).isEqualTo("*3\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\ny\r\n");
      assertThat(text(c, "OBJECT", "ENCODING", "s")).isEqualTo("$9\r\nhashtable\r\n");
      byte[] ints = setListpack(new Listpack.Builder().append(3).append(-1).append(bytes("70000")));
      assertThat(text(c, "RESTORE", "i", "0", ints)).isEqualTo("+OK\r\n");
      assertThat(text(c, "OBJECT", "ENCODING", "i")).isEqualTo("$6\r\nintset\r\n");
      assertThat(text(c, "SMEMBERS", "i")).isEqualTo("*3\r\n$2\r\n-1\r\n$1\r\n3\r\n$5\r\n70000\r\n");
      // What it saves is what 7.0 writes for those encodings.
      assertThat(c.call("DUMP", "i")[5]).isEqualTo((byte) RdbConstants.TYPE_SET_INTSET);
      byte[] dup = setListpack(new Listpack.Builder().append(bytes("x")).append(bytes("x")));
      assertThat(text(c, "RESTORE", "d", "0", dup)).isEqualTo("-ERR Bad data format\r\n");
      assertThat(text(c, "EXISTS", "d")).isEqualTo(":0\r\n");
    }
  }

  private static byte[] setListpack(Listpack.Builder members) throws Exception {
    RdbOutput out = RdbOutput.inMemory(false);
    out.type(RdbConstants.TYPE_SET_LISTPACK);
    out.string(members.build());
    return withFooter(out.toBytes(), 11);
  }

  private static byte[] withFooter(byte[] body, int version) {
    byte[] p = java.util.Arrays.copyOf(body, body.length + 10);
    p[body.length] = (byte) version;
    p[body.length + 1] = (byte) (version >>> 8);
    long crc = io.redstart.persistence.rdb.Crc64.update(0, p, 0, body.length + 2);
    for (int i = 0; i < 8; i++) p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
    return p;
  }

  private static String str(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  @Test
  void debugReloadAndSerializedLength() throws Exception {
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      c.call("SET", "big", "a".repeat(100));
      c.call("SET", "n", "12345");
      String digest = text(c, "DEBUG", "DIGEST");
      assertThat(text(c, "DEBUG", "OBJECT", "big")).contains(" serializedlength:13 ");
      assertThat(text(c, "DEBUG", "OBJECT", "n")).contains(" serializedlength:3 ");
      assertThat(text(c, "DEBUG", "RELOAD")).isEqualTo("+OK\r\n");
      assertThat(text(c, "DEBUG", "DIGEST")).isEqualTo(digest);
      assertThat(text(c, "DEBUG", "RELOAD", "BOGUS"))
          .isEqualTo("-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n");
      c.call("SET", "extra", "1");
      assertThat(text(c, "DEBUG", "RELOAD", "NOSAVE")).isEqualTo("+OK\r\n");
      assertThat(text(c, "EXISTS", "extra")).isEqualTo(":0\r\n");
    }
  }

  @Test
  void flushallWithSavePointsSavesTheEmptyDataset() throws Exception {
    try (Redstart.Handle s = start(dir, "save \"3600 1\""); RawClient c = RawClient.connect(s.port())) {
      c.call("SET", "k", "v");
      assertThat(text(c, "SAVE")).isEqualTo("+OK\r\n");
      long before = Files.size(dir.resolve("dump.rdb"));
      c.call("SET", "k2", "v");
      assertThat(text(c, "FLUSHALL")).isEqualTo("+OK\r\n");
      assertThat(Files.size(dir.resolve("dump.rdb"))).isLessThan(before);
      assertThat(keysIn(dir.resolve("dump.rdb"))).isEmpty();
      // The save leaves nothing unsaved, as in Redis (FLUSHALL forces its own propagation).
      assertThat(info(c, "rdb_changes_since_last_save")).isEqualTo("0");
      c.call("CONFIG", "SET", "save", "");
      c.call("SET", "k3", "v");
      assertThat(text(c, "FLUSHALL")).isEqualTo("+OK\r\n");
      assertThat(info(c, "rdb_changes_since_last_save")).isEqualTo("2");
    }
  }

  @Test
  void shutdownSavesWhenAskedOrWithSavePoints() throws Exception {
    Redstart.Handle s = start(dir);
    try (RawClient c = RawClient.connect(s.port())) {
      c.call("SET", "k", "v");
      c.send("SHUTDOWN", "SAVE");
      assertThat(s.server().awaitStop(10_000)).isTrue();
    }
    assertThat(keysIn(dir.resolve("dump.rdb"))).containsExactly("k");
    Files.delete(dir.resolve("dump.rdb"));
    Redstart.Handle s2 = start(dir, "save \"3600 1\"");
    try (RawClient c = RawClient.connect(s2.port())) {
      c.call("SET", "k2", "v");
      c.send("SHUTDOWN", "NOSAVE");
      assertThat(s2.server().awaitStop(10_000)).isTrue();
    }
    assertThat(dir.resolve("dump.rdb")).doesNotExist();
    // Stopping without SHUTDOWN (SIGTERM) saves when there are save points.
    Redstart.Handle s3 = start(dir, "save \"3600 1\"");
    try (RawClient c = RawClient.connect(s3.port())) {
      c.call("SET", "k3", "v");
    }
    s3.close();
    assertThat(keysIn(dir.resolve("dump.rdb"))).containsExactly("k3");
  }

  @Test
  void failedBackgroundSaveStopsWritesUntilASaveSucceeds() throws Exception {
    try (Redstart.Handle s = start(dir, "save \"1 1\""); RawClient c = RawClient.connect(s.port())) {
      // A folder where the file should be makes the final rename fail.
      Files.createDirectories(dir.resolve("dump.rdb").resolve("blocker"));
      c.call("SET", "k", "v");
      // On a slow machine the save point may have started the save already.
      assertThat(text(c, "BGSAVE")).isIn("+Background saving started\r\n",
          "-ERR Background save already in progress\r\n");
      awaitIdle(c);
      assertThat(info(c, "rdb_last_bgsave_status")).isEqualTo("err");
      assertThat(text(c, "SET", "k2", "v")).startsWith("-MISCONF Redis is configured to save RDB snapshots");
      assertThat(text(c, "PING")).startsWith("-MISCONF");
      assertThat(text(c, "GET", "k")).isEqualTo("$1\r\nv\r\n");
      // Space comes back: the save point retries on its own and writes resume.
      Servers.deleteTree(dir.resolve("dump.rdb"));
      await("writes to resume", Duration.ofSeconds(20), () -> text(c, "SET", "k3", "v").equals("+OK\r\n"));
      assertThat(info(c, "rdb_last_bgsave_status")).isEqualTo("ok");
      // With stop-writes-on-bgsave-error off, writes go on regardless.
      c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "no");
    }
  }

  @Test
  void aCorruptFileIsRefusedByItsChecksumAndNeverHalfLoaded() throws Exception {
    try (Redstart.Handle s = start(dir); RawClient c = RawClient.connect(s.port())) {
      for (int i = 0; i < 100; i++) c.call("SET", "k" + i, "value-" + i);
      assertThat(text(c, "SAVE")).isEqualTo("+OK\r\n");
    }
    Path file = dir.resolve("dump.rdb");
    byte[] good = Files.readAllBytes(file);
    byte[] bad = good.clone();
    int at = indexOf(good, "value-50".getBytes(StandardCharsets.US_ASCII));
    assertThat(at).isPositive();
    bad[at + 2] ^= 0x20; // inside a value: only the checksum can tell
    Files.write(file, bad);
    assertThatThrownBy(() -> start(dir)).hasMessageContaining("Wrong RDB checksum");
    // Cut short: refused as well.
    Files.write(file, java.util.Arrays.copyOf(good, good.length - 20));
    assertThatThrownBy(() -> start(dir)).hasMessageContaining("Unexpected EOF");
    // rdbchecksum no loads the damaged value as it is (Redis does the same).
    Files.write(file, bad);
    try (Redstart.Handle s = start(dir, "rdbchecksum no"); RawClient c = RawClient.connect(s.port())) {
      assertThat(text(c, "DBSIZE")).isEqualTo(":100\r\n");
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int k = 0; k < needle.length; k++) if (hay[i + k] != needle[k]) continue outer;
      return i;
    }
    return -1;
  }

  /** The keys of an RDB file, read with the format reader alone. */
  static List<String> keysIn(Path file) throws Exception {
    List<String> keys = new ArrayList<>();
    RdbLoader.load(new RdbInput(Files.readAllBytes(file)), new RdbLoader.Handler() {
      @Override
      public void key(byte[] key, RdbValue value, long expireAt, long lruIdle, int lfuFreq)
          throws RdbException {
        keys.add(new String(key, StandardCharsets.ISO_8859_1));
      }
    }, true);
    return keys;
  }
}
