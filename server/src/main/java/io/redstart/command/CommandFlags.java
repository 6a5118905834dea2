package io.redstart.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Command flags as bits, numbered as Redis numbers them (server.h CMD_*). The names are the ones
 * COMMAND INFO reports (and our command JSON files use), in Redis's order; {@link #PROTECTED},
 * {@link #SENTINEL}, {@link #ONLY_SENTINEL}, {@link #MAY_REPLICATE} and {@link
 * #TOUCHES_ARBITRARY_KEYS} are internal: COMMAND INFO hides them, the JSON files carry them.
 */
public final class CommandFlags {
  private CommandFlags() {}

  public static final long WRITE = 1L;
  public static final long READONLY = 1L << 1;
  public static final long DENYOOM = 1L << 2;
  public static final long MODULE = 1L << 3;
  public static final long ADMIN = 1L << 4;
  public static final long PUBSUB = 1L << 5;
  public static final long NOSCRIPT = 1L << 6;
  public static final long BLOCKING = 1L << 8;
  public static final long LOADING = 1L << 9;
  public static final long STALE = 1L << 10;
  public static final long SKIP_MONITOR = 1L << 11;
  public static final long SKIP_SLOWLOG = 1L << 12;
  public static final long ASKING = 1L << 13;
  public static final long FAST = 1L << 14;
  public static final long NO_AUTH = 1L << 15;
  public static final long MAY_REPLICATE = 1L << 16;
  public static final long SENTINEL = 1L << 17;
  public static final long ONLY_SENTINEL = 1L << 18;
  public static final long NO_MANDATORY_KEYS = 1L << 19;
  public static final long PROTECTED = 1L << 20;
  public static final long MODULE_GETKEYS = 1L << 21;
  public static final long MODULE_NO_CLUSTER = 1L << 22;
  public static final long NO_ASYNC_LOADING = 1L << 23;
  public static final long NO_MULTI = 1L << 24;
  public static final long MOVABLE_KEYS = 1L << 25;
  public static final long ALLOW_BUSY = 1L << 26;
  public static final long MODULE_GETCHANNELS = 1L << 27;
  /** Reaches keys not named in its arguments (SCAN, RANDOMKEY). */
  public static final long TOUCHES_ARBITRARY_KEYS = 1L << 28;

  /** Reported flags in COMMAND INFO's order: name, bit. */
  private static final Object[][] REPORTED = {
    {"write", WRITE},
    {"readonly", READONLY},
    {"denyoom", DENYOOM},
    {"module", MODULE},
    {"admin", ADMIN},
    {"pubsub", PUBSUB},
    {"noscript", NOSCRIPT},
    {"blocking", BLOCKING},
    {"loading", LOADING},
    {"stale", STALE},
    {"skip_monitor", SKIP_MONITOR},
    {"skip_slowlog", SKIP_SLOWLOG},
    {"asking", ASKING},
    {"fast", FAST},
    {"no_auth", NO_AUTH},
    {"no_mandatory_keys", NO_MANDATORY_KEYS},
    {"no_async_loading", NO_ASYNC_LOADING},
    {"no_multi", NO_MULTI},
    {"movablekeys", MOVABLE_KEYS},
    {"allow_busy", ALLOW_BUSY},
  };

  /** The flag names COMMAND INFO shows for {@code flags}, in Redis's order. */
  public static List<String> reportedNames(long flags) {
    List<String> out = new ArrayList<>();
    for (Object[] f : REPORTED) if ((flags & (long) f[1]) != 0) out.add((String) f[0]);
    return out;
  }

  /** The bit of a flag name as used in the command JSON files, or 0 when unknown. */
  public static long bitOf(String name) {
    for (Object[] f : REPORTED) if (f[0].equals(name)) return (long) f[1];
    return switch (name) {
      case "may_replicate" -> MAY_REPLICATE;
      case "protected" -> PROTECTED;
      case "sentinel" -> SENTINEL;
      case "only_sentinel" -> ONLY_SENTINEL;
      case "touches_arbitrary_keys" -> TOUCHES_ARBITRARY_KEYS;
      default -> 0;
    };
  }
}
