package io.redstart.command.server;

import io.redstart.info.LatencyMonitor;
import java.util.List;
import java.util.Map;

/**
 * The human-readable texts of LATENCY GRAPH and LATENCY DOCTOR. Their layout is Redstart's own;
 * only the first line of a graph follows Redis's ("event - high N ms, low N ms (all time high N
 * ms)" and a rule of 80 dashes), which scripts are known to grep.
 *
 * <p>Stateless.
 */
final class LatencyReport {
  private LatencyReport() {}

  /** Columns of a graph: one sample per column, further samples on further blocks. */
  static final int COLUMNS = 80;

  /** Text rows of the chart; each row shows two levels ('.' lower half, ':' full). */
  static final int ROWS = 4;

  /**
   * A chart of the samples of {@code event}, oldest left: a bar per sample scaled between the
   * lowest and highest sample, and under it the age of the sample written top-down ("12s", "3m",
   * "2h", "1d").
   */
  static String graph(String event, LatencyMonitor.Series s, long nowSeconds) {
    List<LatencyMonitor.Sample> samples = s.samples();
    long min = Long.MAX_VALUE;
    long max = 0;
    for (LatencyMonitor.Sample x : samples) {
      min = Math.min(min, x.millis());
      max = Math.max(max, x.millis());
    }
    if (samples.isEmpty()) min = 0;
    StringBuilder sb = new StringBuilder();
    sb.append(event)
        .append(" - high ")
        .append(max)
        .append(" ms, low ")
        .append(min)
        .append(" ms (all time high ")
        .append(s.max())
        .append(" ms)\n");
    sb.append("-".repeat(COLUMNS)).append('\n');
    for (int from = 0; from < samples.size(); from += COLUMNS) {
      if (from > 0) sb.append('\n');
      List<LatencyMonitor.Sample> block =
          samples.subList(from, Math.min(samples.size(), from + COLUMNS));
      chart(sb, block, min, max, nowSeconds);
    }
    return sb.toString();
  }

  private static void chart(
      StringBuilder sb, List<LatencyMonitor.Sample> block, long min, long max, long now) {
    int levels = ROWS * 2;
    int[] height = new int[block.size()];
    double range = max - min == 0 ? 1 : max - min;
    for (int j = 0; j < block.size(); j++) {
      // Every sample shows at least half a cell, the highest fills the column.
      height[j] = 1 + (int) Math.round((block.get(j).millis() - min) * (levels - 1) / range);
    }
    for (int row = ROWS - 1; row >= 0; row--) {
      StringBuilder line = new StringBuilder();
      for (int h : height) {
        int inRow = h - row * 2;
        line.append(inRow >= 2 ? ':' : inRow == 1 ? '.' : ' ');
      }
      sb.append(stripRight(line)).append('\n');
    }
    String[] labels = new String[block.size()];
    int longest = 0;
    for (int j = 0; j < block.size(); j++) {
      labels[j] = age(now - block.get(j).unixSeconds());
      longest = Math.max(longest, labels[j].length());
    }
    sb.append('\n');
    for (int k = 0; k < longest; k++) {
      StringBuilder line = new StringBuilder();
      for (String l : labels) line.append(k < l.length() ? l.charAt(k) : ' ');
      sb.append(stripRight(line)).append('\n');
    }
  }

  private static String stripRight(StringBuilder s) {
    int n = s.length();
    while (n > 0 && s.charAt(n - 1) == ' ') n--;
    return s.substring(0, n);
  }

  /** An age in the largest whole unit: seconds below a minute, then minutes, hours, days. */
  static String age(long seconds) {
    if (seconds < 60) return seconds + "s";
    if (seconds < 3600) return seconds / 60 + "m";
    if (seconds < 86400) return seconds / 3600 + "h";
    return seconds / 86400 + "d";
  }

  /**
   * A report on every event: its samples' average, spread and extremes, and what usually causes
   * such latency on this server, or a note that nothing was recorded (and how to turn the monitor
   * on when {@code threshold} is 0).
   */
  static String doctor(Map<String, LatencyMonitor.Series> events, long threshold, long now) {
    StringBuilder sb = new StringBuilder();
    if (events.isEmpty()) {
      if (threshold == 0) {
        sb.append("The latency monitor is off, so there is nothing to report.\n");
        sb.append("Turn it on with CONFIG SET latency-monitor-threshold <milliseconds>: events")
            .append(" that take at least that long are then recorded.\n");
      } else {
        sb.append("No event took ")
            .append(threshold)
            .append(" ms or more since the latency monitor was last reset: nothing to report.\n");
      }
      return sb.toString();
    }
    sb.append("Latency report: ")
        .append(events.size())
        .append(events.size() == 1 ? " kind of event" : " kinds of events")
        .append(" reached the threshold of ")
        .append(threshold)
        .append(" ms.\n\n");
    int n = 1;
    boolean commands = false;
    boolean expiry = false;
    boolean eviction = false;
    for (Map.Entry<String, LatencyMonitor.Series> e : events.entrySet()) {
      List<LatencyMonitor.Sample> samples = e.getValue().samples();
      long sum = 0;
      long min = Long.MAX_VALUE;
      long max = 0;
      for (LatencyMonitor.Sample x : samples) {
        sum += x.millis();
        min = Math.min(min, x.millis());
        max = Math.max(max, x.millis());
      }
      long avg = samples.isEmpty() ? 0 : sum / samples.size();
      long deviation = 0;
      for (LatencyMonitor.Sample x : samples) deviation += Math.abs(x.millis() - avg);
      if (!samples.isEmpty()) deviation /= samples.size();
      long first = samples.isEmpty() ? now : samples.get(0).unixSeconds();
      sb.append(n++)
          .append(". ")
          .append(e.getKey())
          .append(": ")
          .append(samples.size())
          .append(samples.size() == 1 ? " spike" : " spikes")
          .append(" over the last ")
          .append(age(Math.max(0, now - first)))
          .append(", average ")
          .append(avg)
          .append(" ms, mean deviation ")
          .append(deviation)
          .append(" ms, lowest ")
          .append(samples.isEmpty() ? 0 : min)
          .append(" ms, highest ")
          .append(max)
          .append(" ms, highest ever ")
          .append(e.getValue().max())
          .append(" ms.\n");
      String name = e.getKey();
      commands |= name.equals("command") || name.equals("fast-command");
      expiry |= name.startsWith("expire");
      eviction |= name.startsWith("eviction");
    }
    sb.append("\nWhat to look at:\n\n");
    if (commands) {
      sb.append("- Slow commands block every client while they run. SLOWLOG GET lists the")
          .append(" slowest ones (see slowlog-log-slower-than); prefer commands whose cost does")
          .append(" not grow with the size of the value (avoid KEYS, large SMEMBERS, LRANGE 0 -1")
          .append(" on long lists), and INFO commandstats shows where the time goes.\n");
    }
    if (expiry) {
      sb.append("- Many keys expiring in the same second make the expiry cycle work longer:")
          .append(" spread the expire times of keys created together.\n");
    }
    if (eviction) {
      sb.append("- Evicting keys to stay under maxmemory takes time when many or large keys")
          .append(" must go: raise maxmemory, or write less at once.\n");
    }
    sb.append("- The JVM's garbage collector can pause the server: check its log")
        .append(" (-Xlog:gc) against the time of the spikes.\n");
    return sb.toString();
  }
}
