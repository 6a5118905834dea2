package io.redstart.command.server;

import io.redstart.command.Args;
import io.redstart.command.CommandSpec;
import io.redstart.command.Replies;
import io.redstart.config.ConfigParams;
import io.redstart.info.LatencyMonitor;
import io.redstart.info.LatencyTracker;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * LATENCY LATEST, HISTORY, RESET, GRAPH, DOCTOR, HISTOGRAM and HELP, with the reply shapes of
 * Redis 7.0's latency.c. LATEST, HISTORY and RESET read the {@link LatencyMonitor}; HISTOGRAM reads
 * the per-command histograms of INFO latencystats ({@link LatencyTracker}). GRAPH and DOCTOR are
 * text for people, in Redstart's own words and drawing; their reply types are Redis's (verbatim
 * text, a bulk string in RESP2).
 *
 * <p>Run on the keyspace thread; the dispatcher has checked arity.
 */
public final class LatencyCommands {
  private LatencyCommands() {}

  /** LATENCY LATEST: [event, time of the latest sample, its latency, all-time max] per event. */
  public static void latest(Client c, byte[][] argv) {
    Map<String, LatencyMonitor.Series> events = c.server().latencyMonitor().events();
    RespWriter w = c.reply();
    w.array(events.size());
    for (Map.Entry<String, LatencyMonitor.Series> e : events.entrySet()) {
      LatencyMonitor.Sample last = e.getValue().latest();
      w.array(4);
      w.bulk(e.getKey());
      w.integer(last.unixSeconds());
      w.integer(last.millis());
      w.integer(e.getValue().max());
    }
  }

  /** LATENCY HISTORY event: [time, latency] per kept sample, oldest first; empty if unknown. */
  public static void history(Client c, byte[][] argv) {
    LatencyMonitor.Series s = c.server().latencyMonitor().series(cString(argv[2]));
    List<LatencyMonitor.Sample> samples = s == null ? List.of() : s.samples();
    RespWriter w = c.reply();
    w.array(samples.size());
    for (LatencyMonitor.Sample x : samples) {
      w.array(2);
      w.integer(x.unixSeconds());
      w.integer(x.millis());
    }
  }

  /**
   * LATENCY RESET [event ...]: drops the named events (ASCII case ignored), or all of them;
   * replies how many were dropped.
   */
  public static void reset(Client c, byte[][] argv) {
    LatencyMonitor m = c.server().latencyMonitor();
    int n = 0;
    if (argv.length == 2) {
      n = m.reset(null);
    } else {
      for (int j = 2; j < argv.length; j++) n += m.reset(cString(argv[j]));
    }
    c.reply().integer(n);
  }

  /**
   * LATENCY GRAPH event: a chart of the event's samples. Replies "No samples available for event
   * '...'" for an event without samples.
   */
  public static void graph(Client c, byte[][] argv) {
    String event = cString(argv[2]);
    LatencyMonitor.Series s = c.server().latencyMonitor().series(event);
    if (s == null) {
      c.error("ERR No samples available for event '" + event + "'");
      return;
    }
    long now = c.server().keyspace().clock().millis() / 1000;
    c.reply().verbatim(LatencyReport.graph(event, s, now), "txt");
  }

  /** LATENCY DOCTOR: a report on the recorded events, with advice. */
  public static void doctor(Client c, byte[][] argv) {
    long now = c.server().keyspace().clock().millis() / 1000;
    String report =
        LatencyReport.doctor(
            c.server().latencyMonitor().events(),
            c.server().config().getLong(ConfigParams.LATENCY_MONITOR_THRESHOLD),
            now);
    c.reply().verbatim(report, "txt");
  }

  /**
   * LATENCY HISTOGRAM [command ...]: a map from command name ("client|list" for a subcommand) to
   * {calls, histogram_usec}, for every command with samples or for the commands named (a
   * container brings its subcommands; unknown names are skipped).
   */
  public static void histogram(Client c, byte[][] argv) {
    LatencyTracker tracker = c.server().latency();
    List<CommandSpec> chosen = new ArrayList<>();
    if (argv.length == 2) {
      for (CommandSpec cmd : c.server().dispatcher().commands().values()) {
        if (tracker.calls(cmd) > 0) chosen.add(cmd);
        for (CommandSpec sub : cmd.subcommands().values()) {
          if (tracker.calls(sub) > 0) chosen.add(sub);
        }
      }
    } else {
      for (int j = 2; j < argv.length; j++) {
        CommandSpec cmd = lookupByFullName(c, cString(argv[j]));
        if (cmd == null) continue;
        if (tracker.calls(cmd) > 0) chosen.add(cmd);
        for (CommandSpec sub : cmd.subcommands().values()) {
          if (tracker.calls(sub) > 0) chosen.add(sub);
        }
      }
    }
    RespWriter w = c.reply();
    w.map(chosen.size());
    for (CommandSpec cmd : chosen) {
      w.bulk(cmd.fullName);
      w.map(2);
      w.bulk("calls");
      w.integer(tracker.calls(cmd));
      w.bulk("histogram_usec");
      long[] cdf = tracker.cumulativeDistribution(cmd);
      w.map(cdf.length / 2);
      for (long v : cdf) w.integer(v);
    }
  }

  /**
   * A command by its full name as Redis's lookupCommandBySds reads it: "name" or "container|sub",
   * ASCII case ignored; null for more than one '|' or an unknown name.
   */
  private static CommandSpec lookupByFullName(Client c, String name) {
    String lower = asciiLower(name);
    String[] parts = lower.split("\\|", -1);
    if (parts.length > 2) return null;
    CommandSpec base = c.server().dispatcher().commands().get(parts[0]);
    if (base == null || parts.length == 1) return base;
    return base.subcommands().get(parts[1]);
  }

  private static String asciiLower(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      sb.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : ch);
    }
    return sb.toString();
  }

  public static void help(Client c, byte[][] argv) {
    Replies.help(
        c,
        argv[0],
        "DOCTOR",
        "    Return a human readable latency analysis report.",
        "GRAPH <event>",
        "    Return an ASCII latency graph for the <event> class.",
        "HISTORY <event>",
        "    Return time-latency samples for the <event> class.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "    (default: reset all data for all event classes)",
        "HISTOGRAM [COMMAND ...]",
        "    Return a cumulative distribution of latencies in the format of a histogram for the"
            + " specified command names.",
        "    If no commands are specified then all histograms are replied.");
  }

  /** The argument as C reads it: up to its first NUL byte. */
  private static String cString(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) n++;
    return Args.str(java.util.Arrays.copyOf(b, n));
  }
}
