package io.redstart.info;

import io.redstart.command.CommandFlags;
import io.redstart.command.CommandSpec;
import io.redstart.command.Redaction;
import io.redstart.config.Config;
import io.redstart.config.ConfigParams;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.LongSupplier;

/**
 * The slow log, as Redis's slowlog.c: the commands that ran for at least {@code
 * slowlog-log-slower-than} microseconds (never when it is negative), newest first, at most {@code
 * slowlog-max-len} entries. Commands flagged {@code skip_slowlog} (EXEC, AUTH, HELLO ...) are
 * never logged; the commands EXEC ran are, one by one.
 *
 * <p>An entry keeps what Redis keeps: a growing id, the Unix time in seconds, the duration, at
 * most {@value #MAX_ARGC} arguments (the last one replaced by "... (N more arguments)" when there
 * were more), each cut to {@value #MAX_STRING} bytes followed by "... (N more bytes)", the
 * client's address and its name. The arguments are copies: a later change of the command's
 * buffers cannot change the log.
 *
 * <p>Owned by the keyspace thread.
 */
public final class SlowLog {
  /** SLOWLOG_ENTRY_MAX_ARGC. */
  public static final int MAX_ARGC = 32;

  /** SLOWLOG_ENTRY_MAX_STRING. */
  public static final int MAX_STRING = 128;

  /** One logged command. */
  public record Entry(
      long id, long unixSeconds, long micros, byte[][] argv, String peer, String clientName) {}

  private final Config config;
  private final LongSupplier unixSeconds;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long nextId;

  /**
   * @param unixSeconds the clock of the entries' time stamps
   */
  public SlowLog(Config config, LongSupplier unixSeconds) {
    this.config = config;
    this.unixSeconds = unixSeconds;
  }

  /**
   * Logs a finished command when it ran long enough and its flags allow it, then trims the log to
   * slowlog-max-len (also when nothing was added: the limit may have been lowered).
   *
   * @param argv the arguments as the client sent them (secrets are redacted here)
   */
  public void commandFinished(
      CommandSpec cmd, byte[][] argv, long micros, String peer, String clientName) {
    if (cmd.has(CommandFlags.SKIP_SLOWLOG)) return;
    long threshold = config.getLong(ConfigParams.SLOWLOG_LOG_SLOWER_THAN);
    if (threshold < 0) return;
    if (micros >= threshold) {
      entries.addFirst(
          new Entry(
              nextId++,
              unixSeconds.getAsLong(),
              micros,
              copy(Redaction.redact(cmd, argv)),
              peer,
              clientName));
    }
    trim();
  }

  private void trim() {
    long max = config.getLong(ConfigParams.SLOWLOG_MAX_LEN);
    while (entries.size() > max) entries.removeLast();
  }

  /** The arguments as an entry keeps them: counted, cut and copied. */
  static byte[][] copy(byte[][] argv) {
    int n = Math.min(argv.length, MAX_ARGC);
    byte[][] out = new byte[n][];
    for (int j = 0; j < n; j++) {
      if (n != argv.length && j == n - 1) {
        out[j] = ascii("... (" + (argv.length - n + 1) + " more arguments)");
      } else if (argv[j].length > MAX_STRING) {
        byte[] tail = ascii("... (" + (argv[j].length - MAX_STRING) + " more bytes)");
        byte[] cut = Arrays.copyOf(argv[j], MAX_STRING + tail.length);
        System.arraycopy(tail, 0, cut, MAX_STRING, tail.length);
        out[j] = cut;
      } else {
        out[j] = argv[j].clone();
      }
    }
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The number of entries (SLOWLOG LEN). */
  public int size() {
    return entries.size();
  }

  /** Entries, newest first. */
  public Iterator<Entry> iterator() {
    return entries.iterator();
  }

  /** SLOWLOG RESET: drops every entry; ids keep growing. */
  public void reset() {
    entries.clear();
  }
}
