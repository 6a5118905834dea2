package io.redstart.testing;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs the same commands on a reference redis-server and on Redstart, one connection to each, and
 * compares what comes back: the reply bytes after {@link Normalizer} rules, and whether the server
 * closed the connection. Commands go to the reference first, then to Redstart, one at a time, so
 * both see the same sequence.
 *
 * <p>A mismatch is recorded (never thrown) with where it happened (a script line or a random seed
 * and step), the command and both replies, so one run reports every difference. When either server
 * closes the connection or stops answering, both connections are reopened, in the same protocol, so
 * the rest of the run keeps going on equal terms.
 */
public final class DifferentialRunner implements AutoCloseable {
  /** How long a reply may take before it counts as missing. */
  static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

  /** How long a server may take to close a connection it was expected to close. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** What one server did with one command. */
  public record Observation(byte[] reply, String event) {
    static Observation of(byte[] reply) {
      return new Observation(reply, null);
    }

    static Observation event(String event, byte[] partial) {
      return new Observation(partial, event);
    }

    boolean isReply() {
      return event == null;
    }

    /** The connection is unusable after this (closed, or out of step after a timeout). */
    boolean lostConnection() {
      return event != null && !event.equals("no reply read");
    }

    String printable() {
      if (event == null) return Bytes.printable(reply);
      return "<"
          + event
          + ">"
          + (reply != null && reply.length > 0 ? " after " + Bytes.printable(reply) : "");
    }
  }

  /** One difference between the servers. */
  public record Mismatch(
      String where, String command, String reference, String redstart, List<String> rules) {
    public String describe() {
      return where
          + ": "
          + command
          + "\n    reference: "
          + reference
          + "\n    redstart:  "
          + redstart
          + (rules.isEmpty() ? "" : "\n    (after rules " + String.join(", ", rules) + ")");
    }
  }

  private final ServerPair pair;
  private final List<Mismatch> mismatches = new ArrayList<>();
  private RawClient reference;
  private RawClient redstart;
  private int protocol = 2;

  public DifferentialRunner(ServerPair pair) {
    this.pair = pair;
  }

  /**
   * Opens a connection to each server, waits until no other client is connected (earlier tests'
   * connections close asynchronously, and CLIENT LIST or INFO would show them), empties both with
   * FLUSHALL and, for {@code protocol} 3, sends HELLO 3 on both (a differing reply is a mismatch).
   */
  public DifferentialRunner open(int protocol) throws IOException {
    connect();
    awaitAlone(reference, Duration.ofSeconds(10), true);
    awaitAlone(redstart, Duration.ofSeconds(2), false);
    execute("setup", Bytes.argv("FLUSHALL"), List.of(), null);
    if (protocol == 3) execute("setup", Bytes.argv("HELLO", "3"), List.of(), null);
    this.protocol = protocol;
    return this;
  }

  private void connect() throws IOException {
    closeConnections();
    reference = pair.connectReference();
    redstart = pair.connectRedstart();
    reference.timeout(REPLY_TIMEOUT);
    redstart.timeout(REPLY_TIMEOUT);
  }

  /**
   * Reopens both connections in the current protocol. A failing HELLO 3 is not reported here: the
   * commands that follow show it.
   */
  public void reconnect() throws IOException {
    connect();
    if (protocol == 3) {
      reference.hello3();
      try {
        redstart.hello3();
      } catch (IOException e) {
        redstart.close();
        redstart = pair.connectRedstart();
        redstart.timeout(REPLY_TIMEOUT);
      }
    }
  }

  /**
   * Polls INFO clients until the server reports this connection as its only client. On the
   * reference the wait must succeed; on Redstart it is skipped when INFO does not answer with
   * {@code connected_clients}.
   */
  private static void awaitAlone(RawClient client, Duration wait, boolean required)
      throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      String info = Bytes.latin1(client.call("INFO", "clients"));
      int at = info.indexOf("connected_clients:");
      if (at < 0) {
        if (required) throw new IllegalStateException("INFO clients answered " + info);
        return;
      }
      int end = info.indexOf('\r', at);
      if (info.substring(at + "connected_clients:".length(), end).equals("1")) return;
      if (System.nanoTime() > deadline) {
        if (required) throw new IllegalStateException("other clients stay connected: " + info);
        return;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  /** Runs one script line; returns its mismatch, or null. */
  public Mismatch run(DiffScript.Line line, String where) throws IOException {
    byte[] inline = line.has("inline") ? line.inlineBytes() : null;
    return execute(where, line.argv(), line.directives(), inline);
  }

  /** Runs one command given as arguments; returns its mismatch, or null. */
  public Mismatch run(String where, byte[][] argv, List<String> directives) throws IOException {
    return execute(where, argv, directives, null);
  }

  private Mismatch execute(String where, byte[][] argv, List<String> directives, byte[] inline)
      throws IOException {
    byte[] payload = inline != null ? inline : RawClient.encode(argv);
    boolean noReply = directives.contains("noreply");
    boolean closes = directives.contains("closes");
    Observation r = exchange(reference, payload, noReply, closes);
    Observation s = exchange(redstart, payload, noReply, closes);
    String command =
        inline != null ? Bytes.printable(inline) + " (inline)" : Bytes.commandLine(argv);

    Mismatch mismatch = null;
    List<String> rules = List.of();
    String refText;
    String gotText;
    boolean equal;
    if (r.isReply() && s.isReply() && r.reply() != null && s.reply() != null) {
      Normalizer.Comparison c = Normalizer.compare(argv, directives, r.reply(), s.reply());
      equal = c.equal();
      rules = c.rules();
      int from = equal ? 0 : contextStart(c.reference(), c.redstart());
      refText = Bytes.printable(c.reference(), from);
      gotText = Bytes.printable(c.redstart(), from);
    } else {
      refText = r.printable();
      gotText = s.printable();
      equal = refText.equals(gotText);
    }
    if (!equal) {
      mismatch = new Mismatch(where, command, refText, gotText, rules);
      mismatches.add(mismatch);
    }
    trackProtocol(argv, r);
    if (r.lostConnection() || s.lostConnection()) reconnect();
    return mismatch;
  }

  /** Where to start showing two long replies: a little before their first difference. */
  static int contextStart(byte[] a, byte[] b) {
    if (a.length <= Bytes.PRINTABLE_LIMIT / 2 && b.length <= Bytes.PRINTABLE_LIMIT / 2) return 0;
    // Two long bulk strings differ in their length line: look for the difference in the payload.
    int from = 0;
    if (a.length > 0 && b.length > 0 && a[0] == b[0] && (a[0] == '$' || a[0] == '=')) {
      int ea = indexOfCrLf(a);
      int eb = indexOfCrLf(b);
      if (ea > 0 && ea == eb) from = ea + 2;
    }
    int i = Arrays.mismatch(a, from, a.length, b, from, b.length);
    return i < 0 ? 0 : Math.max(0, from + i - 200);
  }

  private static int indexOfCrLf(byte[] b) {
    for (int i = 0; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
    return -1;
  }

  /** Follows HELLO and RESET so that a reconnection restores the protocol in use. */
  private void trackProtocol(byte[][] argv, Observation r) {
    if (argv.length == 0
        || !r.isReply()
        || r.reply() == null
        || r.reply().length == 0
        || r.reply()[0] == '-') return;
    String cmd = Bytes.latin1(argv[0]).toLowerCase(Locale.ROOT);
    if (cmd.equals("hello") && argv.length > 1) {
      String v = Bytes.latin1(argv[1]);
      if (v.equals("2") || v.equals("3")) protocol = Integer.parseInt(v);
    } else if (cmd.equals("reset")) {
      protocol = 2;
    }
  }

  private static Observation exchange(
      RawClient c, byte[] payload, boolean noReply, boolean closes) {
    try {
      c.sendRaw(payload);
    } catch (IOException e) {
      return Observation.event("connection closed", new byte[0]);
    }
    byte[] reply = null;
    if (!noReply) {
      try {
        reply = c.read();
      } catch (RawClient.ConnectionClosedException e) {
        return Observation.event("connection closed", e.partial());
      } catch (SocketTimeoutException e) {
        return Observation.event(
            "no reply within " + REPLY_TIMEOUT.toSeconds() + " s", c.pending());
      } catch (IOException e) {
        return Observation.event("error " + e.getMessage(), c.pending());
      }
    }
    if (!closes) return noReply ? Observation.event("no reply read", null) : Observation.of(reply);
    try {
      byte[] rest = c.readUntilClosed(CLOSE_TIMEOUT);
      byte[] all = reply == null ? rest : concat(reply, rest);
      return Observation.event("then closed", all);
    } catch (IOException e) {
      return Observation.event("still open " + CLOSE_TIMEOUT.toSeconds() + " s later", reply);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * Records a mismatch for replies the caller computed itself (property checks over several
   * commands); compares after {@code rules}. Returns the mismatch, or null.
   */
  public Mismatch compare(
      String where, String command, byte[] ref, byte[] got, List<String> rules) {
    Normalizer.Comparison c = Normalizer.compare(new byte[0][], rules, ref, got);
    if (c.equal()) return null;
    int from = contextStart(c.reference(), c.redstart());
    Mismatch m =
        new Mismatch(
            where,
            command,
            Bytes.printable(c.reference(), from),
            Bytes.printable(c.redstart(), from),
            c.rules());
    mismatches.add(m);
    return m;
  }

  /** Records a difference found by a property check. */
  public Mismatch record(String where, String command, String reference, String redstart) {
    Mismatch m = new Mismatch(where, command, reference, redstart, List.of());
    mismatches.add(m);
    return m;
  }

  /** Sends a command to the reference only and returns its reply. */
  public byte[] onReference(byte[]... argv) throws IOException {
    return reference.call(argv);
  }

  /**
   * Sends a command to Redstart only and returns its reply, or null when it does not answer (the
   * connections are then reopened).
   */
  public byte[] onRedstart(byte[]... argv) throws IOException {
    try {
      return redstart.call(argv);
    } catch (IOException e) {
      reconnect();
      return null;
    }
  }

  public int protocol() {
    return protocol;
  }

  public List<Mismatch> mismatches() {
    return mismatches;
  }

  /** A failure message listing every mismatch (at most {@code limit}), or null when none. */
  public String report(String title, int limit) {
    if (mismatches.isEmpty()) return null;
    StringBuilder sb =
        new StringBuilder(title).append(": ").append(mismatches.size()).append(" mismatch(es)\n");
    for (int i = 0; i < Math.min(limit, mismatches.size()); i++) {
      sb.append("  ").append(mismatches.get(i).describe()).append('\n');
    }
    if (mismatches.size() > limit)
      sb.append("  ... and ").append(mismatches.size() - limit).append(" more\n");
    return sb.toString();
  }

  private void closeConnections() throws IOException {
    try {
      if (reference != null) reference.close();
    } finally {
      reference = null;
      if (redstart != null) redstart.close();
      redstart = null;
    }
  }

  @Override
  public void close() throws IOException {
    closeConnections();
  }
}
