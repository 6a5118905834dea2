package io.redstart.server;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Redis-style log lines: {@code pid:role dd Mon yyyy hh:mm:ss.mmm level message}, where role is
 * M (master), S (replica), X (sentinel) or C (child) and level is '.' debug, '-' verbose, '*'
 * notice, '#' warning. Operators and test suites grep for Redis's messages ("Ready to accept
 * connections tcp" ...), so the important ones are worded as Redis words them.
 *
 * <p>Thread-safe: lines are written whole under a lock.
 */
public final class Log {
  public static final int DEBUG = 0;
  public static final int VERBOSE = 1;
  public static final int NOTICE = 2;
  public static final int WARNING = 3;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH)
          .withZone(ZoneId.systemDefault());
  private static final char[] MARKS = {'.', '-', '*', '#'};

  private final long pid = ProcessHandle.current().pid();
  private volatile int level = NOTICE;
  private volatile char role = 'M';
  private PrintStream out;
  private final boolean ownsStream;

  /** Logs to standard output. */
  public Log() {
    this.out = System.out;
    this.ownsStream = false;
  }

  /** Logs to {@code file} (appending), or to standard output when it is empty. */
  public static Log to(String file) throws IOException {
    if (file == null || file.isEmpty()) return new Log();
    return new Log(new PrintStream(new FileOutputStream(file, true), true, StandardCharsets.UTF_8));
  }

  /** Logs nowhere (embedded servers that were asked to be quiet). */
  public static Log silent() {
    Log l = new Log(new PrintStream(java.io.OutputStream.nullOutputStream()));
    return l;
  }

  private Log(PrintStream out) {
    this.out = out;
    this.ownsStream = true;
  }

  public void level(int level) {
    this.level = level;
  }

  public int level() {
    return level;
  }

  /** Level from its config name (debug, verbose, notice, warning). */
  public static int levelOf(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "debug" -> DEBUG;
      case "verbose" -> VERBOSE;
      case "warning" -> WARNING;
      default -> NOTICE;
    };
  }

  public void role(char role) {
    this.role = role;
  }

  public boolean enabled(int lvl) {
    return lvl >= level;
  }

  public void log(int lvl, String message) {
    if (lvl < level) return;
    String line = pid + ":" + role + " " + TIME.format(Instant.now()) + " " + MARKS[lvl] + " " + message;
    synchronized (this) {
      out.println(line);
      out.flush();
    }
  }

  /** A line without the prefix, as Redis prints its logo and raw messages. */
  public void raw(String text) {
    synchronized (this) {
      out.println(text);
      out.flush();
    }
  }

  public void debug(String m) {
    log(DEBUG, m);
  }

  public void verbose(String m) {
    log(VERBOSE, m);
  }

  public void notice(String m) {
    log(NOTICE, m);
  }

  public void warning(String m) {
    log(WARNING, m);
  }

  public void close() {
    if (ownsStream) out.close();
  }
}
