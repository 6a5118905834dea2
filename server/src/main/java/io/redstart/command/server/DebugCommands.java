package io.redstart.command.server;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.command.Replies;
import io.redstart.command.keys.KeyCommands;
import io.redstart.server.Client;
import io.redstart.store.Digest;
import io.redstart.store.Entries;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * DEBUG, allowed as enable-debug-command says (the dispatcher checks). Subcommands that belong to
 * other subsystems (RELOAD, DIGEST, CHANGE-REPL-ID ...) are registered by them with {@link
 * #register}.
 */
public final class DebugCommands {
  private DebugCommands() {}

  private static final Map<String, BiConsumer<Client, byte[][]>> EXTRA = new TreeMap<>();

  /** Adds a DEBUG subcommand (lower-case name); the handler validates its own arguments. */
  public static synchronized void register(String name, BiConsumer<Client, byte[][]> handler) {
    EXTRA.put(name, handler);
  }

  public static void debug(Client c, byte[][] argv) {
    String sub = Args.str(argv[1]).toLowerCase(Locale.ROOT);
    if (sub.equals("help") && argv.length == 2) {
      Replies.help(c, argv[0],
          "OBJECT <key>",
          "    Show low level info about the `key` and associated value.",
          "SET-ACTIVE-EXPIRE <0|1>",
          "    Setting it to 0 disables expiring keys in background when they are not",
          "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
          "    default.",
          "SLEEP <seconds>",
          "    Stop the server for <seconds>. Decimals allowed.");
      return;
    }
    if (sub.equals("sleep") && argv.length == 3) {
      double secs = strtod(Args.str(argv[2]));
      long micros = (long) (secs * 1_000_000);
      if (micros > 0) {
        try {
          Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      c.reply().ok();
      return;
    }
    if (sub.equals("set-active-expire") && argv.length == 3) {
      c.server().activeExpiry().enabled(atoi(Args.str(argv[2])) != 0);
      c.reply().ok();
      return;
    }
    if (sub.equals("object") && argv.length == 3) {
      Object e = c.db().find(argv[2]);
      if (e == null) {
        c.error(Errors.NO_SUCH_KEY);
        return;
      }
      long serialized = serializedLength(c, e);
      c.reply().simple("Value at:0x" + Integer.toHexString(System.identityHashCode(e))
          + " refcount:" + KeyCommands.refcount(c, e) + " encoding:" + KeyCommands.encodingName(e)
          + " serializedlength:" + serialized
          + " lru:" + Entries.lru(e)
          + " lru_seconds_idle:" + c.server().keyspace().idleMillis(e) / 1000
          + (Entries.boxedValue(e) instanceof io.redstart.store.Encoded enc
              ? enc.debugObjectFields()
              : ""));
      return;
    }
    if (sub.equals("digest") && argv.length == 2) {
      c.reply().simple(Digest.hex(Digest.dataset(c.server().keyspace())));
      return;
    }
    if (sub.equals("digest-value")) {
      c.reply().array(argv.length - 2);
      for (int j = 2; j < argv.length; j++) {
        c.reply().simple(Digest.hex(Digest.value(c.db().find(argv[j]))));
      }
      return;
    }
    if (sub.equals("protocol") && argv.length == 3) {
      protocol(c, Args.str(argv[2]).toLowerCase(Locale.ROOT));
      return;
    }
    BiConsumer<Client, byte[][]> extra;
    synchronized (DebugCommands.class) {
      extra = EXTRA.get(sub);
    }
    if (extra != null) {
      extra.accept(c, argv);
      return;
    }
    Replies.subcommandSyntaxError(c, argv);
  }

  /** The length of the value's RDB body, as rdbSavedObjectLen computes it. */
  private static long serializedLength(Client c, Object e) {
    var config = c.server().config();
    try {
      return io.redstart.persistence.rdb.RdbSerializer.serializedLength(Entries.record(e),
          Entries.boxedValue(e), config,
          config.getBool(io.redstart.config.ConfigParams.RDBCOMPRESSION));
    } catch (java.io.IOException | RuntimeException ex) {
      return 0;
    }
  }

  /** DEBUG PROTOCOL: one reply of each RESP3 type, with its RESP2 fallback. */
  private static void protocol(Client c, String name) {
    var w = c.reply();
    switch (name) {
      case "string" -> w.bulk("Hello World");
      case "integer" -> w.integer(12345);
      case "double" -> w.doubleValue(3.141);
      case "bignum" -> w.bigNumber("1234567999999999999999999999999999999");
      case "null" -> w.nullBulk();
      case "array" -> {
        w.array(3);
        for (int j = 0; j < 3; j++) w.integer(j);
      }
      case "set" -> {
        w.set(3);
        for (int j = 0; j < 3; j++) w.integer(j);
      }
      case "map" -> {
        w.map(3);
        for (int j = 0; j < 3; j++) {
          w.integer(j);
          w.bool(j == 1);
        }
      }
      case "attrib" -> {
        if (w.resp3()) {
          w.attribute(1);
          w.bulk("key-popularity");
          w.array(2);
          w.bulk("key:123");
          w.integer(90);
        }
        w.bulk("Some real reply following the attribute");
      }
      case "push" -> {
        if (!w.resp3()) {
          c.error("ERR RESP2 is not supported by this command");
          return;
        }
        w.push(2);
        w.bulk("server-cpu-usage");
        w.integer(42);
        w.bulk("Some real reply following the push reply");
      }
      case "true" -> w.bool(true);
      case "false" -> w.bool(false);
      case "verbatim" -> w.verbatim("This is a verbatim\nstring", "txt");
      default -> c.error("ERR Wrong protocol type name. Please use one of the following:"
          + " string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
    }
  }

  /** C's atoi: leading spaces, sign, digits; 0 when none. */
  static int atoi(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    boolean neg = false;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) neg = s.charAt(i++) == '-';
    long v = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i)) && v < Integer.MAX_VALUE) {
      v = v * 10 + (s.charAt(i++) - '0');
    }
    return (int) (neg ? -v : v);
  }

  /** C's strtod on a prefix: the longest leading number, 0 when none. */
  static double strtod(String s) {
    String t = s.strip();
    for (int end = t.length(); end > 0; end--) {
      try {
        return Double.parseDouble(t.substring(0, end));
      } catch (NumberFormatException e) {
        // try a shorter prefix
      }
    }
    return 0;
  }
}
