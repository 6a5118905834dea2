package io.redstart.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.store.Entries;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import io.redstart.testing.ServerPair;
import io.redstart.testing.ServerPairExtension;
import io.redstart.types.stream.StreamId;
import io.redstart.types.stream.StreamValue;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Streams compared with the reference below the replies: the nodes Redstart keeps are the listpacks
 * Redis keeps, byte for byte (read from the reference's DUMP payload), with the same counters; and
 * what Redstart propagates for stream commands is what the reference sends its replicas (read as a
 * replica after PSYNC), TIME values aside.
 */
@ExtendWith(ServerPairExtension.class)
class StreamReferenceTest {

  // ---- node layout

  /** A stream as RDB_TYPE_STREAM_LISTPACKS_2 holds it (groups not read). */
  private record Dumped(List<String> nodes, List<Long> counters) {}

  @Test
  void nodesAreTheReferenceListpacksByteForByte(ServerPair pair) throws Exception {
    long seed = Long.getLong("redstart.diff.seed", System.nanoTime());
    SplittableRandom random = new SplittableRandom(seed);
    List<String> failures = new ArrayList<>();
    int nodesCompared = 0;
    try (ServerPair.Connections c = pair.connect()) {
      c.reference().call("CONFIG", "SET", "rdbcompression", "no");
      String[][] configs = {
        {"100", "4096"}, {"5", "0"}, {"0", "120"}, {"3", "60"}, {"1000", "300"}
      };
      for (String[] config : configs) {
        for (RawClient r : List.of(c.reference(), c.redstart())) {
          r.call("DEL", "s");
          r.call("CONFIG", "SET", "stream-node-max-entries", config[0]);
          r.call("CONFIG", "SET", "stream-node-max-bytes", config[1]);
        }
        long ms = 1;
        for (int step = 0; step < 400; step++) {
          List<String> argv = new ArrayList<>();
          int op = random.nextInt(10);
          if (op < 7) {
            ms += random.nextInt(4) == 0 ? random.nextInt(1, 100_000) : random.nextInt(0, 3);
            argv.addAll(List.of("XADD", "s", ms + "-" + random.nextInt(0, 3)));
            int pairs = random.nextInt(1, 4);
            for (int i = 0; i < pairs; i++) {
              argv.add(random.nextInt(3) == 0 ? "f" + random.nextInt(5) : "field" + i);
              argv.add(value(random));
            }
          } else if (op < 9) {
            argv.addAll(
                List.of("XDEL", "s", random.nextLong(1, ms + 1) + "-" + random.nextInt(0, 3)));
          } else {
            argv.addAll(
                List.of(
                    "XTRIM",
                    "s",
                    random.nextBoolean() ? "MAXLEN" : "MINID",
                    random.nextBoolean() ? "~" : "=",
                    Long.toString(random.nextLong(0, Math.max(2, ms)))));
          }
          String[] a = argv.toArray(new String[0]);
          String ref = Bytes.latin1(c.reference().call(a));
          String got = Bytes.latin1(c.redstart().call(a));
          if (!ref.equals(got)) failures.add(String.join(" ", a) + ": " + ref + " / " + got);
        }
        Dumped expected = parseDump(c.reference().call("DUMP", "s"));
        Dumped actual = redstartNodes(pair);
        nodesCompared += expected.nodes().size();
        if (!expected.equals(actual)) {
          failures.add(
              "config "
                  + Arrays.toString(config)
                  + ": nodes differ\n  reference: "
                  + expected
                  + "\n  redstart:  "
                  + actual);
        }
      }
    }
    assertThat(failures).as("seed " + seed).isEmpty();
    assertThat(nodesCompared).isGreaterThan(20);
  }

  private static String value(SplittableRandom random) {
    return switch (random.nextInt(6)) {
      case 0 -> Long.toString(random.nextLong());
      case 1 -> Integer.toString(random.nextInt(-5000, 5000));
      case 2 -> "v".repeat(random.nextInt(0, 70));
      case 3 -> "w".repeat(random.nextInt(4000, 4200));
      case 4 -> random.nextBoolean() ? "007" : "-0";
      default -> "x" + random.nextInt(100);
    };
  }

  private static Dumped redstartNodes(ServerPair pair) throws Exception {
    return pair.redstart()
        .server()
        .call(
            () -> {
              Object e =
                  pair.redstart()
                      .server()
                      .keyspace()
                      .db(0)
                      .find("s".getBytes(StandardCharsets.US_ASCII));
              if (e == null) return new Dumped(List.of(), List.of());
              StreamValue s = (StreamValue) Entries.boxedValue(e);
              List<String> nodes = new ArrayList<>();
              s.forEachNode(
                  (master, lp, bytes) ->
                      nodes.add(key(master) + ":" + HexFormat.of().formatHex(lp, 0, bytes)));
              List<Long> counters =
                  List.of(
                      s.length(),
                      s.lastId().ms(),
                      s.lastId().seq(),
                      s.firstId().ms(),
                      s.firstId().seq(),
                      s.maxDeletedId().ms(),
                      s.maxDeletedId().seq(),
                      s.entriesAdded());
              return new Dumped(nodes, counters);
            });
  }

  private static String key(StreamId id) {
    byte[] k = new byte[16];
    for (int j = 0; j < 8; j++) {
      k[j] = (byte) (id.ms() >>> (56 - 8 * j));
      k[8 + j] = (byte) (id.seq() >>> (56 - 8 * j));
    }
    return HexFormat.of().formatHex(k);
  }

  /** Reads a DUMP payload of a stream (uncompressed strings): nodes and counters. */
  private static Dumped parseDump(byte[] reply) {
    if (reply[0] != '$' || reply[1] == '-') return new Dumped(List.of(), List.of());
    int start = Bytes.latin1(reply).indexOf("\r\n") + 2;
    int[] p = {start};
    assertThat(reply[p[0]++]).as("RDB_TYPE_STREAM_LISTPACKS_2").isEqualTo((byte) 19);
    long n = len(reply, p);
    List<String> nodes = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      byte[] k = string(reply, p);
      byte[] lp = string(reply, p);
      nodes.add(HexFormat.of().formatHex(k) + ":" + HexFormat.of().formatHex(lp));
    }
    List<Long> counters = new ArrayList<>();
    for (int i = 0; i < 8; i++) counters.add(len(reply, p));
    return new Dumped(nodes, counters);
  }

  private static long len(byte[] b, int[] p) {
    int first = b[p[0]++] & 0xff;
    switch (first >> 6) {
      case 0:
        return first & 0x3f;
      case 1:
        return ((long) (first & 0x3f) << 8) | (b[p[0]++] & 0xff);
      default:
        int bytes = first == 0x80 ? 4 : 8;
        long v = 0;
        for (int i = 0; i < bytes; i++) v = (v << 8) | (b[p[0]++] & 0xff);
        return v;
    }
  }

  private static byte[] string(byte[] b, int[] p) {
    int n = (int) len(b, p);
    byte[] s = Arrays.copyOfRange(b, p[0], p[0] + n);
    p[0] += n;
    return s;
  }

  // ---- propagation

  private static final String[][] SCRIPT = {
    {"XADD", "s", "1-1", "a", "1"},
    {"XADD", "s", "2-*", "a", "2"},
    {"XADD", "s", "MAXLEN", "~", "1", "3-1", "a", "3"},
    {"XADD", "s", "MINID", "~", "0", "4-1", "a", "4"},
    {"XADD", "s", "MAXLEN", "=", "100", "5-1", "a", "5"},
    {"XADD", "nokey", "NOMKSTREAM", "1-1", "a", "1"},
    {"XADD", "s", "1-1", "a", "1"},
    {"XGROUP", "CREATE", "s", "g", "0"},
    {"XGROUP", "CREATE", "s2", "g", "$", "MKSTREAM"},
    {"XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", "s", ">"},
    {"XREADGROUP", "GROUP", "g", "c2", "NOACK", "COUNT", "1", "STREAMS", "s", ">"},
    {"XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", "0"},
    {"XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">"},
    {"XACK", "s", "g", "1-1", "9-9"},
    {"XDEL", "s", "4-1"},
    {"XCLAIM", "s", "g", "c3", "0", "02-0", "4-1", "5-1", "LASTID", "6-0"},
    {"XCLAIM", "s", "g", "c3", "0", "9-9", "LASTID", "7-0"},
    {"XCLAIM", "s", "g", "c3", "0", "5-1", "JUSTID", "FORCE", "RETRYCOUNT", "9", "IDLE", "5"},
    {"XADD", "s", "8-1", "a", "8"},
    {"XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">"},
    {"XDEL", "s", "8-1"},
    {"XAUTOCLAIM", "s", "g", "c4", "0", "0", "COUNT", "10"},
    {"XAUTOCLAIM", "s", "g", "c4", "0", "0", "JUSTID"},
    {"XTRIM", "s", "MAXLEN", "~", "0"},
    {"XTRIM", "s", "MAXLEN", "5"},
    {"XSETID", "s", "99-0", "ENTRIESADDED", "50", "MAXDELETEDID", "9-0"},
    {"XGROUP", "CREATECONSUMER", "s", "g", "c9"},
    {"XGROUP", "CREATECONSUMER", "s", "g", "c9"},
    {"XGROUP", "DELCONSUMER", "s", "g", "c9"},
    {"XGROUP", "SETID", "s", "g", "$", "ENTRIESREAD", "3"},
    {"XGROUP", "DESTROY", "s", "g"},
    {"XGROUP", "DESTROY", "s", "g"},
    {"XREAD", "STREAMS", "s", "0"},
    {"XLEN", "s"},
  };

  @Test
  void propagationIsTheReferences(ServerPair pair) throws Exception {
    List<String> fromRedstart = new CopyOnWriteArrayList<>();
    pair.redstart().server().propagator().addFeed((db, argv) -> fromRedstart.add(line(argv)));
    try (ServerPair.Connections c = pair.connect();
        Replica replica = Replica.of(pair.reference().port(), c.reference())) {
      for (String[] argv : SCRIPT) {
        String ref = Bytes.latin1(c.reference().call(argv));
        String got = Bytes.latin1(c.redstart().call(argv));
        assertThat(got.replaceAll("[0-9]{13}", "T"))
            .as(String.join(" ", argv))
            .isEqualTo(ref.replaceAll("[0-9]{13}", "T"));
      }
      c.reference().call("SET", "end-of-script", "1");
      List<String> fromReference = replica.commandsUntil("SET end-of-script 1");
      assertThat(masked(fromRedstart)).isEqualTo(masked(fromReference));
    }
  }

  private static List<String> masked(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      if (l.startsWith("SELECT ") || l.equals("PING") || l.equals("FLUSHALL")) continue;
      out.add(l.replaceAll("TIME [0-9]+", "TIME t"));
    }
    return out;
  }

  private static String line(byte[][] argv) {
    List<String> words = new ArrayList<>();
    for (byte[] a : argv) words.add(new String(a, StandardCharsets.ISO_8859_1));
    return String.join(" ", words);
  }

  /** A connection to the reference that registered as a replica and reads what it is sent. */
  private static final class Replica implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    private Replica(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream());
    }

    static Replica of(int port, RawClient admin) throws IOException {
      admin.call("CONFIG", "SET", "repl-diskless-sync", "no");
      Socket s = new Socket("127.0.0.1", port);
      s.setSoTimeout(10_000);
      Replica r = new Replica(s);
      OutputStream out = s.getOutputStream();
      out.write(RawClient.encode(bytes("REPLCONF"), bytes("listening-port"), bytes("1")));
      out.flush();
      r.line();
      out.write(RawClient.encode(bytes("PSYNC"), bytes("?"), bytes("-1")));
      out.flush();
      String full = r.line();
      if (!full.startsWith("+FULLRESYNC")) throw new IOException("no full sync: " + full);
      String bulk = r.line();
      while (bulk.isEmpty()) bulk = r.line(); // newlines keep the link alive while saving
      long n = Long.parseLong(bulk.substring(1));
      for (long i = 0; i < n; i++) r.read();
      return r;
    }

    private static byte[] bytes(String s) {
      return s.getBytes(StandardCharsets.US_ASCII);
    }

    private int read() throws IOException {
      int b = in.read();
      if (b < 0) throw new EOFException("replication link closed");
      return b;
    }

    private String line() throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int b;
      while ((b = read()) != '\n') if (b != '\r') out.write(b);
      return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** The commands sent to the replica, up to and including the one that reads {@code last}. */
    List<String> commandsUntil(String last) throws IOException {
      List<String> out = new ArrayList<>();
      while (true) {
        String header = line();
        int n = Integer.parseInt(header.substring(1));
        List<String> words = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          int len = Integer.parseInt(line().substring(1));
          byte[] w = new byte[len];
          for (int j = 0; j < len; j++) w[j] = (byte) read();
          line();
          words.add(new String(w, StandardCharsets.ISO_8859_1));
        }
        String command = String.join(" ", words);
        if (command.equals(last)) return out;
        out.add(command);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
