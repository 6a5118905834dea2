package io.redstart.server;

import java.util.TreeMap;

/**
 * Server-wide counters for INFO stats, INFO errorstats and INFO clients. Owned by the keyspace
 * thread; CONFIG RESETSTAT clears what Redis clears.
 */
public final class ServerStats {
  public long totalConnectionsReceived;
  public long totalCommandsProcessed;
  public long rejectedConnections;
  public long totalErrorReplies;
  public long unexpectedErrorReplies;
  public long totalNetInputBytes;
  public long totalNetOutputBytes;
  public long numCommandsSinceSample;
  public long dumpPayloadSanitizations;
  public long ioReadsProcessed;
  public long ioWritesProcessed;
  /** Per error code (the first word of an error reply), as INFO errorstats lists them. */
  public final TreeMap<String, Long> errorCodes = new TreeMap<>();

  // Instantaneous ops/sec, sampled by the cron over the last 16 samples as Redis does.
  private static final int SAMPLES = 16;
  private final long[] opsSamples = new long[SAMPLES];
  private final long[] inputSamples = new long[SAMPLES];
  private final long[] outputSamples = new long[SAMPLES];
  private int sampleIdx;
  private long lastSampleTime;
  private long lastSampleOps;
  private long lastSampleInput;
  private long lastSampleOutput;

  /** Counts one error reply under its code (the text up to the first space). */
  public void countError(String message) {
    String m = message.startsWith("-") ? message.substring(1) : message;
    int sp = m.indexOf(' ');
    String code = sp < 0 ? m : m.substring(0, sp);
    if (errorCodes.size() >= 128 && !errorCodes.containsKey(code)) {
      // Redis caps the distinct error codes it tracks at 128, then stops tracking.
      totalErrorReplies++;
      return;
    }
    errorCodes.merge(code, 1L, Long::sum);
    totalErrorReplies++;
  }

  /** Called by the cron every 100 ms. */
  public void sample(long nowMillis) {
    long elapsed = nowMillis - lastSampleTime;
    if (lastSampleTime != 0 && elapsed > 0) {
      opsSamples[sampleIdx] = (totalCommandsProcessed - lastSampleOps) * 1000 / elapsed;
      inputSamples[sampleIdx] = (totalNetInputBytes - lastSampleInput) * 1000 / elapsed;
      outputSamples[sampleIdx] = (totalNetOutputBytes - lastSampleOutput) * 1000 / elapsed;
      sampleIdx = (sampleIdx + 1) % SAMPLES;
    }
    lastSampleTime = nowMillis;
    lastSampleOps = totalCommandsProcessed;
    lastSampleInput = totalNetInputBytes;
    lastSampleOutput = totalNetOutputBytes;
  }

  public long instantaneousOps() {
    return mean(opsSamples);
  }

  public double instantaneousInputKbps() {
    return mean(inputSamples) / 1024.0;
  }

  public double instantaneousOutputKbps() {
    return mean(outputSamples) / 1024.0;
  }

  private static long mean(long[] samples) {
    long sum = 0;
    for (long s : samples) sum += s;
    return sum / samples.length;
  }

  public void reset() {
    totalConnectionsReceived = 0;
    totalCommandsProcessed = 0;
    rejectedConnections = 0;
    totalErrorReplies = 0;
    unexpectedErrorReplies = 0;
    totalNetInputBytes = 0;
    totalNetOutputBytes = 0;
    dumpPayloadSanitizations = 0;
    errorCodes.clear();
  }
}
