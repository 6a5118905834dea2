package io.redstart.info;

import io.redstart.command.CommandSpec;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Per-command latency histograms for INFO latencystats, as Redis keeps them: nanosecond values
 * between 1024 ns and 1 s at two significant digits, reported at the configured percentiles in
 * microseconds with three decimals. Owned by the keyspace thread.
 */
public final class LatencyTracker {
  private static final long MIN_NS = 1024;
  private static final long MAX_NS = 1_000_000_000L;

  private final Map<CommandSpec, Histogram> histograms = new IdentityHashMap<>();
  private boolean enabled = true;
  private double[] percentiles = {50, 99, 99.9};

  public void enabled(boolean on) {
    this.enabled = on;
  }

  public void percentiles(double[] p) {
    this.percentiles = p;
  }

  public void record(CommandSpec cmd, long micros) {
    if (!enabled) return;
    Histogram h = histograms.get(cmd);
    if (h == null) {
      h = new Histogram(MIN_NS, MAX_NS, 2);
      histograms.put(cmd, h);
    }
    long ns = Math.max(MIN_NS, Math.min(MAX_NS, micros * 1000));
    h.recordValue(ns);
  }

  public void reset() {
    histograms.clear();
  }

  /** The latencystats lines, in command-table order. */
  void appendInfo(StringBuilder sb, Collection<CommandSpec> commands) {
    for (CommandSpec c : commands) {
      line(sb, c);
      for (CommandSpec sub : c.subcommands().values()) line(sb, sub);
    }
  }

  private void line(StringBuilder sb, CommandSpec c) {
    Histogram h = histograms.get(c);
    if (h == null) return;
    sb.append("latency_percentiles_usec_").append(c.fullName).append(':');
    for (int i = 0; i < percentiles.length; i++) {
      if (i > 0) sb.append(',');
      sb.append('p').append(io.redstart.resp.CFormat.g(percentiles[i], 17)).append('=')
          .append(String.format(Locale.ROOT, "%.3f", h.getValueAtPercentile(percentiles[i]) / 1000.0));
    }
    sb.append("\r\n");
  }
}
