package io.redstart.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.store.Entries;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import io.redstart.testing.ServerPair;
import io.redstart.testing.ServerPairExtension;
import io.redstart.types.list.ListValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lists against a reference redis-server, beyond reply bytes: the quicklist's shape (DEBUG OBJECT's
 * ql_nodes, ql_avg_node, ql_listpack_max, ql_uncompressed_size) after random operations on every
 * fill, the very bytes of each node (read from DUMP with rdbcompression off: the listpacks an RDB
 * file holds), and several clients blocked at once (who is served, from which key, what the
 * statistics count).
 */
@ExtendWith(ServerPairExtension.class)
@Timeout(300)
class ListDifferentialTest {
  /**
   * DEBUG OBJECT without what differs by nature (address, LRU) or is not ours (serializedlength).
   */
  private static String shape(byte[] debugObject) {
    return Bytes.latin1(debugObject)
        .replaceAll("Value at:\\S+ ", "")
        .replaceAll(" serializedlength:\\d+", "")
        .replaceAll(" lru:\\d+ lru_seconds_idle:\\d+", "");
  }

  private static final String[] FILLS = {
    "-1", "-2", "-3", "-4", "-5", "1", "2", "3", "5", "16", "128"
  };

  @Test
  void quicklistShapeFollowsRedisAfterRandomOperations(ServerPair pair) throws IOException {
    long seed = new SplittableRandom().nextLong();
    try (ServerPair.Connections c = pair.connect()) {
      List<String> problems = new ArrayList<>();
      for (String fill : FILLS) {
        for (String threshold : List.of("0", "300")) {
          SplittableRandom random =
              new SplittableRandom(seed ^ fill.hashCode() ^ threshold.hashCode());
          both(c, "FLUSHALL");
          both(c, "CONFIG", "SET", "list-max-listpack-size", fill);
          both(c, "DEBUG", "QUICKLIST-PACKED-THRESHOLD", threshold);
          for (int step = 0; step < 600; step++) {
            String[] argv = randomCommand(random);
            byte[] ref = c.reference().call(argv);
            byte[] got = c.redstart().call(argv);
            if (!Bytes.latin1(ref).equals(Bytes.latin1(got))) {
              problems.add(
                  where(seed, fill, threshold, step, argv)
                      + Bytes.printable(ref)
                      + " / "
                      + Bytes.printable(got));
            }
            if (step % 20 == 0 || argv[0].equals("LINSERT")) {
              for (String key : List.of("k0", "k1")) {
                String r = shape(c.reference().call("DEBUG", "OBJECT", key));
                String g = shape(c.redstart().call("DEBUG", "OBJECT", key));
                if (!r.equals(g))
                  problems.add(where(seed, fill, threshold, step, argv) + r + " / " + g);
              }
            }
            if (problems.size() > 10) break;
          }
        }
      }
      both(c, "CONFIG", "SET", "list-max-listpack-size", "-2");
      both(c, "DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0");
      assertThat(problems).isEmpty();
    }
  }

  private static String where(long seed, String fill, String threshold, int step, String[] argv) {
    return "seed "
        + seed
        + " fill "
        + fill
        + " threshold "
        + threshold
        + " step "
        + step
        + " "
        + String.join(" ", argv).substring(0, Math.min(120, String.join(" ", argv).length()))
        + ": ";
  }

  private static void both(ServerPair.Connections c, String... argv) throws IOException {
    c.reference().call(argv);
    c.redstart().call(argv);
  }

  private static String element(SplittableRandom random) {
    return switch (random.nextInt(10)) {
      case 0 -> Long.toString(random.nextLong());
      case 1 -> Integer.toString(random.nextInt(-70000, 70000));
      case 2 -> "x".repeat(random.nextInt(40, 400));
      case 3 -> random.nextInt(20) == 0 ? "y".repeat(random.nextInt(4000, 9000)) : "e";
      default -> "e" + random.nextInt(12);
    };
  }

  private static String[] randomCommand(SplittableRandom random) {
    String key = "k" + random.nextInt(2);
    String other = "k" + random.nextInt(2);
    String index = Integer.toString(random.nextInt(-60, 60));
    return switch (random.nextInt(14)) {
      case 0, 1, 2 -> {
        List<String> a = new ArrayList<>(List.of(random.nextBoolean() ? "LPUSH" : "RPUSH", key));
        int n = random.nextInt(1, 12);
        for (int i = 0; i < n; i++) a.add(element(random));
        yield a.toArray(String[]::new);
      }
      case 3 ->
          new String[] {
            random.nextBoolean() ? "LPOP" : "RPOP", key, Integer.toString(random.nextInt(0, 4))
          };
      case 4, 5 ->
          new String[] {
            "LINSERT",
            key,
            random.nextBoolean() ? "BEFORE" : "AFTER",
            "e" + random.nextInt(12),
            element(random)
          };
      case 6 -> new String[] {"LSET", key, index, element(random)};
      case 7 ->
          new String[] {
            "LREM", key, Integer.toString(random.nextInt(-2, 3)), "e" + random.nextInt(12)
          };
      case 8 ->
          new String[] {
            "LTRIM",
            key,
            Integer.toString(random.nextInt(0, 3)),
            Integer.toString(random.nextInt(-3, 400))
          };
      case 9 ->
          new String[] {
            "LMOVE",
            key,
            other,
            random.nextBoolean() ? "LEFT" : "RIGHT",
            random.nextBoolean() ? "LEFT" : "RIGHT"
          };
      case 10 -> new String[] {"LRANGE", key, index, Integer.toString(random.nextInt(-60, 60))};
      case 11 ->
          new String[] {
            "LPOS",
            key,
            "e" + random.nextInt(12),
            "RANK",
            random.nextBoolean() ? "1" : "-2",
            "COUNT",
            "0"
          };
      case 12 -> new String[] {"DEBUG", "DIGEST-VALUE", key};
      default ->
          new String[] {
            "LMPOP", "2", key, other, random.nextBoolean() ? "LEFT" : "RIGHT", "COUNT", "3"
          };
    };
  }

  /**
   * The listpacks of each node, byte for byte: Redis's DUMP payload (RDB type QUICKLIST_2, one blob
   * per node, uncompressed with rdbcompression off) against what {@link ListValue#forEachNode}
   * gives for the same key in Redstart.
   */
  @Test
  void nodeBytesAreRedisListpacks(ServerPair pair) throws Exception {
    try (ServerPair.Connections c = pair.connect()) {
      both(c, "FLUSHALL");
      c.reference().call("CONFIG", "SET", "rdbcompression", "no");
      try {
        both(c, "CONFIG", "SET", "list-max-listpack-size", "4");
        both(
            c,
            "RPUSH",
            "a",
            "1",
            "-1",
            "300",
            "-70000",
            "2147483648",
            "9223372036854775807",
            "str");
        both(c, "LPUSH", "a", "x".repeat(100), "y".repeat(5000), "01", "");
        both(c, "LINSERT", "a", "AFTER", "300", "inserted");
        both(c, "LSET", "a", "2", "z".repeat(70));
        both(c, "CONFIG", "SET", "list-max-listpack-size", "-2");
        both(c, "DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1000");
        both(c, "RPUSH", "b", "small", "p".repeat(1500), "after");
        both(c, "DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0");
        for (String key : List.of("a", "b")) {
          List<String> ref = dumpNodes(c.reference().call("DUMP", key));
          List<String> got = redstartNodes(pair, key);
          assertThat(got).as("nodes of %s", key).isEqualTo(ref);
        }
      } finally {
        c.reference().call("CONFIG", "SET", "rdbcompression", "yes");
        both(c, "CONFIG", "SET", "list-max-listpack-size", "-2");
      }
    }
  }

  /** The nodes of a list in Redstart, as "packed:hex" or "plain:hex". */
  private static List<String> redstartNodes(ServerPair pair, String key) throws Exception {
    return pair.redstart()
        .server()
        .call(
            () -> {
              Object e = pair.redstart().server().keyspace().db(0).find(Bytes.latin1(key));
              List<String> out = new ArrayList<>();
              ((ListValue) Entries.boxedValue(e))
                  .forEachNode(
                      (plain, blob) ->
                          out.add((plain ? "plain:" : "packed:") + HexFormat.of().formatHex(blob)));
              return out;
            });
  }

  /**
   * The nodes in a DUMP reply (a bulk string): RDB type 18 (QUICKLIST_2), a length, then per node
   * its container (1 plain, 2 packed) and its bytes as an RDB string.
   */
  private static List<String> dumpNodes(byte[] reply) throws IOException {
    byte[] payload = (byte[]) RawClient.decode(reply);
    int[] pos = {0};
    assertThat(payload[pos[0]++]).as("RDB type QUICKLIST_2").isEqualTo((byte) 18);
    long nodes = rdbLength(payload, pos);
    List<String> out = new ArrayList<>();
    for (long i = 0; i < nodes; i++) {
      long container = rdbLength(payload, pos);
      int len = (int) rdbLength(payload, pos);
      byte[] blob = java.util.Arrays.copyOfRange(payload, pos[0], pos[0] + len);
      pos[0] += len;
      out.add((container == 1 ? "plain:" : "packed:") + HexFormat.of().formatHex(blob));
    }
    return out;
  }

  private static long rdbLength(byte[] p, int[] pos) {
    int first = p[pos[0]++] & 0xff;
    return switch (first >> 6) {
      case 0 -> first & 0x3f;
      case 1 -> ((first & 0x3f) << 8) | (p[pos[0]++] & 0xff);
      case 2 -> {
        int n = first == 0x80 ? 4 : 8;
        long v = 0;
        for (int i = 0; i < n; i++) v = (v << 8) | (p[pos[0]++] & 0xff);
        yield v;
      }
      default -> throw new IllegalStateException("encoded string where a length was expected");
    };
  }

  /**
   * Several clients blocked at once on both servers, each step the same: replies, the order clients
   * are served in, and what INFO commandstats counts for the blocking commands.
   */
  @Test
  void blockedClientsAreServedAsRedisServesThem(ServerPair pair) throws Exception {
    List<String> ref = blockingScenario(pair.reference().port());
    List<String> got = blockingScenario(pair.candidatePort());
    assertThat(got).isEqualTo(ref);
  }

  private static List<String> blockingScenario(int port) throws Exception {
    List<String> out = new ArrayList<>();
    try (RawClient ctl = RawClient.connect(port);
        RawClient a = RawClient.connect(port);
        RawClient b = RawClient.connect(port);
        RawClient c = RawClient.connect(port)) {
      ctl.call("FLUSHALL");
      ctl.call("CONFIG", "RESETSTAT");
      // Served from the key that became ready, not from the first key.
      a.send("BLPOP", "first", "second", "0");
      awaitBlocked(ctl, 1);
      ctl.call("MULTI");
      ctl.call("RPUSH", "second", "s");
      ctl.call("RPUSH", "first", "f");
      out.add(text(ctl.call("EXEC")));
      out.add(text(a.read()));
      // First blocked, first served; BLMPOP's count; a chain of BLMOVE.
      a.send("BLMPOP", "0", "2", "x", "y", "RIGHT", "COUNT", "2");
      awaitBlocked(ctl, 1);
      b.send("BLMOVE", "y", "z", "LEFT", "RIGHT", "0");
      awaitBlocked(ctl, 2);
      c.send("BRPOPLPUSH", "z", "w", "0");
      awaitBlocked(ctl, 3);
      out.add(text(ctl.call("LPUSH", "y", "1", "2", "3")));
      out.add(text(a.read()));
      out.add(text(b.read()));
      out.add(text(c.read()));
      out.add(text(ctl.call("LRANGE", "w", "0", "-1")));
      out.add(text(ctl.call("EXISTS", "y", "z")));
      // A key replaced by another type keeps its clients waiting.
      a.send("BRPOP", "t", "0");
      awaitBlocked(ctl, 1);
      ctl.call("SET", "t", "string");
      ctl.call("DEL", "t");
      out.add(text(ctl.call("INFO", "clients")).replaceAll("(?s).*(blocked_clients:\\d+).*", "$1"));
      ctl.call("RPUSH", "t", "v");
      out.add(text(a.read()));
      // CLIENT UNBLOCK both ways, and a timeout.
      long bid = Long.parseLong(text(b.call("CLIENT", "ID")).substring(1).trim());
      b.send("BLMOVE", "none", "x", "LEFT", "LEFT", "0");
      awaitBlocked(ctl, 1);
      out.add(text(ctl.call("CLIENT", "UNBLOCK", Long.toString(bid), "ERROR")));
      out.add(text(b.read()));
      b.send("BLPOP", "none", "0");
      awaitBlocked(ctl, 1);
      out.add(text(ctl.call("CLIENT", "UNBLOCK", Long.toString(bid))));
      out.add(text(b.read()));
      out.add(text(c.call("BLMPOP", "0.01", "1", "none", "LEFT")));
      for (String line : text(ctl.call("INFO", "commandstats")).split("\r\n")) {
        if (line.matches("cmdstat_(bl|br)\\w+:.*")) {
          out.add(line.replaceAll("usec=\\d+,usec_per_call=[\\d.]+,", ""));
        }
      }
      out.sort(null); // commandstats come in hash-table order; the rest is unique enough to sort
    }
    return out;
  }

  private static String text(byte[] reply) {
    return Bytes.latin1(reply);
  }

  private static void awaitBlocked(RawClient ctl, int n) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (text(ctl.call("INFO", "clients")).contains("blocked_clients:" + n + "\r\n")) return;
    }
    throw new AssertionError("never saw " + n + " blocked clients");
  }
}
