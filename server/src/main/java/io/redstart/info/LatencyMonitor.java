package io.redstart.info;

import io.redstart.config.Config;
import io.redstart.config.ConfigParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The latency monitor, as Redis's latency.c: for each event class ("command", "fast-command",
 * "expire-cycle", "eviction-cycle", "eviction-del" ...) a ring of the last {@value #HISTORY}
 * samples, one per second (a second sample in the same second keeps the larger latency), and the
 * largest latency seen since the event was last reset. Samples below {@code
 * latency-monitor-threshold} milliseconds, or any sample while the threshold is 0, are not kept.
 *
 * <p>Owned by the keyspace thread.
 */
public final class LatencyMonitor {
  /** LATENCY_TS_LEN: samples kept per event. */
  public static final int HISTORY = 160;

  /** One sample: the Unix second it was taken in and its latency in milliseconds. */
  public record Sample(long unixSeconds, long millis) {}

  /** One event class's samples. */
  public static final class Series {
    private final long[] times = new long[HISTORY];
    private final long[] millis = new long[HISTORY];
    private int next;
    private long max;

    /** The largest latency seen since the event was created or reset. */
    public long max() {
      return max;
    }

    /** The samples, oldest first. */
    public List<Sample> samples() {
      List<Sample> out = new ArrayList<>();
      for (int j = 0; j < HISTORY; j++) {
        int i = (next + j) % HISTORY;
        if (times[i] != 0) out.add(new Sample(times[i], millis[i]));
      }
      return out;
    }

    /** The latest sample (time 0 and latency 0 when none was taken, as Redis reports it). */
    public Sample latest() {
      int last = (next + HISTORY - 1) % HISTORY;
      return new Sample(times[last], millis[last]);
    }

    void add(long now, long latency) {
      if (latency > max) max = latency;
      int prev = (next + HISTORY - 1) % HISTORY;
      if (times[prev] == now) {
        if (latency > millis[prev]) millis[prev] = latency;
        return;
      }
      times[next] = now;
      millis[next] = latency;
      next = (next + 1) % HISTORY;
    }
  }

  private final Config config;
  private final LongSupplier unixSeconds;
  private final Map<String, Series> events = new LinkedHashMap<>();

  public LatencyMonitor(Config config, LongSupplier unixSeconds) {
    this.config = config;
    this.unixSeconds = unixSeconds;
  }

  /** Whether a latency of {@code millis} would be kept (latencyAddSampleIfNeeded's test). */
  public boolean wouldRecord(long millis) {
    long threshold = config.getLong(ConfigParams.LATENCY_MONITOR_THRESHOLD);
    return threshold != 0 && millis >= threshold;
  }

  /** Records a sample of {@code event} when it reaches the threshold. */
  public void addSampleIfNeeded(String event, long millis) {
    if (wouldRecord(millis)) addSample(event, millis);
  }

  /** Records a sample unconditionally (latencyAddSample). */
  public void addSample(String event, long millis) {
    events.computeIfAbsent(event, e -> new Series()).add(unixSeconds.getAsLong(), millis);
  }

  /** Event classes with their series, in the order they first happened. */
  public Map<String, Series> events() {
    return events;
  }

  /** The series of an event (names compared exactly, as Redis's dictionary does), or null. */
  public Series series(String event) {
    return events.get(event);
  }

  /**
   * LATENCY RESET: drops the events named {@code event} regardless of case, or every event when
   * it is null. Returns how many were dropped.
   */
  public int reset(String event) {
    int n = 0;
    var it = events.keySet().iterator();
    while (it.hasNext()) {
      String name = it.next();
      if (event == null || asciiEqualsIgnoreCase(name, event)) {
        it.remove();
        n++;
      }
    }
    return n;
  }

  /** C's strcasecmp() == 0: ASCII letters folded, every other byte compared as is. */
  private static boolean asciiEqualsIgnoreCase(String a, String b) {
    if (a.length() != b.length()) return false;
    for (int i = 0; i < a.length(); i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x >= 'A' && x <= 'Z') x += 'a' - 'A';
      if (y >= 'A' && y <= 'Z') y += 'a' - 'A';
      if (x != y) return false;
    }
    return true;
  }
}
