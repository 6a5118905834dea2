package io.redstart.pubsub;

import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A script of commands over several connections to one server, recording everything each connection
 * receives, for comparing a reference server's stream with Redstart's byte for byte.
 *
 * <p>A line {@code N: CMD arg ...} runs a command on connection N (opened on first use and named
 * {@code probe-N} with CLIENT SETNAME). After the command the connection is sent CLIENT GETNAME and
 * read up to its answer (the name, or the subscribe context's refusal), twice: what comes before is
 * the command's reply with any messages pushed around it (a connection under CLIENT REPLY OFF
 * cannot be probed; inside MULTI only the QUEUED reply is read). Then every other connection is
 * probed the same way, so the messages the command caused elsewhere are recorded too, in a fixed
 * order and without waiting for time to pass. CLIENT subcommands leave CLIENT CACHING's flag alone,
 * so the probes do not disturb client-side caching.
 *
 * <p>Arguments are separated by blanks; {@code $IDn} stands for connection n's client ID on the
 * server at hand, {@code ""} for the empty string. In the record, client IDs are written back as
 * {@code $IDn}, MONITOR timestamps as {@code <time>} and peer addresses as {@code <addr:n>}.
 */
public final class Scenario {
  private final int port;
  private final Map<Integer, RawClient> conns = new LinkedHashMap<>();
  private final Map<Integer, Long> ids = new LinkedHashMap<>();
  private final Map<Integer, String> addrs = new LinkedHashMap<>();

  /** Connections inside MULTI: a probe would be queued, so only one reply is read. */
  private final java.util.Set<Integer> inMulti = new java.util.HashSet<>();

  private final StringBuilder record = new StringBuilder();

  private Scenario(int port) {
    this.port = port;
  }

  /** Runs the script against the server on {@code port}; returns the record. */
  public static String run(int port, String script) throws IOException {
    Scenario s = new Scenario(port);
    try {
      for (String line : script.strip().split("\n")) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) continue;
        int colon = line.indexOf(':');
        s.step(
            Integer.parseInt(line.substring(0, colon).strip()), line.substring(colon + 1).strip());
      }
      return s.record.toString();
    } finally {
      for (RawClient c : s.conns.values()) c.close();
    }
  }

  private RawClient conn(int n) throws IOException {
    RawClient c = conns.get(n);
    if (c != null) return c;
    c = RawClient.connect(port);
    c.timeout(Duration.ofSeconds(5));
    c.call("CLIENT", "SETNAME", "probe-" + n);
    String id = Bytes.latin1(c.call("CLIENT", "ID"));
    ids.put(n, Long.parseLong(id.substring(1, id.length() - 2)));
    String info = Bytes.latin1(c.call("CLIENT", "INFO"));
    Matcher m = Pattern.compile(" addr=(\\S+) ").matcher(info);
    if (m.find()) addrs.put(n, m.group(1));
    conns.put(n, c);
    return c;
  }

  private void step(int n, String command) throws IOException {
    RawClient c = conn(n);
    List<byte[]> argv = new ArrayList<>();
    for (String word : command.split("\\s+")) {
      if (word.equals("\"\"")) word = "";
      Matcher m = Pattern.compile("\\$ID(\\d+)").matcher(word);
      if (m.matches()) {
        conn(Integer.parseInt(m.group(1)));
        word = Long.toString(ids.get(Integer.parseInt(m.group(1))));
      }
      argv.add(Bytes.utf8(word));
    }
    record.append(n).append(": ").append(command).append('\n');
    c.send(argv.toArray(new byte[0][]));
    String name = command.split("\\s+")[0].toUpperCase(java.util.Locale.ROOT);
    String got;
    if (inMulti.contains(n) && !name.equals("EXEC") && !name.equals("DISCARD")) {
      got = normalise(Bytes.printable(c.read()));
    } else if (name.equals("RESET")) {
      // RESET forgets the name the probes look for: give it back.
      inMulti.remove(n);
      got = normalise(Bytes.printable(c.read()));
      c.call("CLIENT", "SETNAME", "probe-" + n);
      got += probe(n, c);
    } else if (name.equals("MULTI")) {
      got = normalise(Bytes.printable(c.read()));
      if (got.equals("\"+OK\\r\\n\"")) inMulti.add(n);
    } else {
      inMulti.remove(n);
      got = probe(n, c);
    }
    record.append("  ").append(n).append("> ").append(got).append('\n');
    for (Map.Entry<Integer, RawClient> e : new ArrayList<>(conns.entrySet())) {
      if (e.getKey() == n || e.getValue().peerClosed() || inMulti.contains(e.getKey())) continue;
      String other = probe(e.getKey(), e.getValue());
      if (!other.isEmpty()) {
        record.append("  ").append(e.getKey()).append("> ").append(other).append('\n');
      }
    }
  }

  /**
   * Sends CLIENT GETNAME twice, each after the previous answer, and returns what came before the
   * answers, normalised. The second round collects what a server sends once a batch of commands is
   * done (BCAST invalidations), whether or not the first probe was read in the same batch.
   */
  private String probe(int n, RawClient c) throws IOException {
    String name = "probe-" + n;
    try {
      StringBuilder got = new StringBuilder();
      for (int round = 0; round < 2; round++) {
        c.send("CLIENT", "GETNAME");
        while (true) {
          byte[] r = c.read();
          String text = Bytes.latin1(r);
          if (text.equals("$" + name.length() + "\r\n" + name + "\r\n")
              || text.startsWith("-ERR Can't execute 'client|getname'")) {
            break;
          }
          got.append(normalise(Bytes.printable(r)));
        }
      }
      return got.toString();
    } catch (RawClient.ConnectionClosedException e) {
      return normalise(Bytes.printable(e.partial())) + "<closed>";
    } catch (java.net.SocketTimeoutException e) {
      // The connection is out of step from here on: drop it from the scenario.
      String pending = normalise(Bytes.printable(c.pending()));
      conns.remove(n).close();
      return pending + "<no answer within 5 s>";
    }
  }

  private String normalise(String s) {
    s = s.replaceAll("\\+\\d+\\.\\d{6} \\[", "+<time> [");
    for (Map.Entry<Integer, String> e : addrs.entrySet()) {
      s = s.replace(e.getValue(), "<addr:" + e.getKey() + ">");
    }
    // Client IDs where they can appear: HELLO, redirections and broken-redirection pushes.
    for (Map.Entry<Integer, Long> e : ids.entrySet()) {
      for (String prefix :
          Arrays.asList("$2\\r\\nid\\r\\n:", "redirect\\r\\n:", "tracking-redir-broken\\r\\n:")) {
        s = s.replace(prefix + e.getValue() + "\\r\\n", prefix + "$ID" + e.getKey() + "\\r\\n");
      }
    }
    return s;
  }
}
