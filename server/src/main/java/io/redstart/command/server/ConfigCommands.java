package io.redstart.command.server;

import io.redstart.command.Errors;
import io.redstart.config.Config;
import io.redstart.config.ConfigParam;
import io.redstart.config.ConfigParams;
import io.redstart.config.ConfigRewriter;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.util.Glob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CONFIG GET, SET, RESETSTAT, REWRITE and HELP, with Redis 7.0's replies and errors word for word
 * (config.c). Parsing, validation and the file format live in {@code io.redstart.config}; these
 * handlers only read arguments and shape replies. Names and values are byte text: each byte of an
 * argument is one char (ISO-8859-1).
 *
 * <p>Run on the keyspace thread, like every handler; the dispatcher has checked arity.
 */
public final class ConfigCommands {
  private ConfigCommands() {}

  // CONFIG's own errors, as config.c words them.
  static final String ERR_UNKNOWN_OPTION =
      "ERR Unknown option or number of arguments for CONFIG SET - '%s'";
  static final String ERR_SET_FAILED = "ERR CONFIG SET failed (possibly related to argument '%s')";
  static final String IMMUTABLE = "can't set immutable config";
  static final String PROTECTED = "can't set protected config";
  static final String DUPLICATE = "duplicate parameter";
  static final String ERR_NO_CONFIG_FILE = "ERR The server is running without a config file";
  static final String ERR_REWRITE = "ERR Rewriting config file: ";

  private static final String[] HELP = {
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
    "HELP",
    "    Prints this help.",
  };

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String lower(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      sb.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : ch);
    }
    return sb.toString();
  }

  /**
   * CONFIG GET pattern [pattern ...]: a map of every matching name to its value. A pattern without
   * glob characters is an exact name (hidden params included) and is echoed as typed; other
   * patterns match names and aliases, ignoring case and hidden params. Each name is listed once,
   * even when several patterns match it.
   */
  public static void get(Client c, byte[][] argv) {
    Config config = c.server().config();
    // Keyed by lower-case name, as Redis's case-insensitive matches dict.
    Map<String, Object[]> matches = new LinkedHashMap<>();
    for (int i = 2; i < argv.length; i++) {
      String name = text(argv[i]);
      if (!hasGlob(name)) {
        String key = lower(name);
        if (matches.containsKey(key)) continue;
        ConfigParams.Entry e = ConfigParams.lookup(name);
        if (e != null) matches.put(key, new Object[] {argv[i], e.param()});
        continue;
      }
      for (ConfigParams.Entry e : ConfigParams.entries()) {
        if (e.param().has(ConfigParam.HIDDEN)) continue;
        if (matches.containsKey(e.name())) continue;
        byte[] entryName = bytes(e.name());
        if (Glob.matches(argv[i], entryName, true)) {
          matches.put(e.name(), new Object[] {entryName, e.param()});
        }
      }
    }
    RespWriter w = c.reply();
    w.map(matches.size());
    for (Object[] m : matches.values()) {
      w.bulk((byte[]) m[0]);
      w.bulk(bytes(config.format((ConfigParam) m[1])));
    }
  }

  private static boolean hasGlob(String s) {
    return s.indexOf('[') >= 0 || s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
  }

  /**
   * CONFIG SET name value [name value ...]: all or nothing. Every name is checked first (unknown,
   * immutable, protected, loading, duplicate: the first problem is reported); then the values are
   * set in order and the changed ones applied; a refused value or a failed apply restores every
   * previous value.
   */
  public static void set(Client c, byte[][] argv) {
    if ((argv.length & 1) != 0) {
      c.error(Errors.SYNTAX);
      return;
    }
    Config config = c.server().config();
    int count = (argv.length - 2) / 2;
    List<ConfigParam> params = new ArrayList<>(count);
    List<String> names = new ArrayList<>(count);
    List<String> values = new ArrayList<>(count);
    String unknownName = null;
    String reason = null;
    String argName = null;
    boolean denyLoading = false;
    for (int i = 0; i < count; i++) {
      String name = text(argv[2 + i * 2]);
      ConfigParams.Entry e = ConfigParams.lookup(name);
      if (e == null) {
        unknownName = name;
        break;
      }
      ConfigParam p = e.param();
      if (p.has(ConfigParam.IMMUTABLE)
          || (p.has(ConfigParam.PROTECTED) && !allowsProtectedConfigs(c, config))) {
        reason = p.has(ConfigParam.IMMUTABLE) ? IMMUTABLE : PROTECTED;
        argName = name;
        break;
      }
      if (c.server().isLoading() && p.has(ConfigParam.DENY_LOADING)) {
        denyLoading = true;
        break;
      }
      // Redis keeps an alias as a config of its own: "slaveof" and "replicaof" are no duplicate.
      if (names.contains(e.name())) {
        reason = DUPLICATE;
        argName = name;
        break;
      }
      params.add(p);
      names.add(e.name());
      values.add(text(argv[3 + i * 2]));
    }
    if (unknownName == null && argName == null && !denyLoading) {
      Config.SetFailure f = config.setAll(params, values);
      if (f == null) {
        c.reply().ok();
        return;
      }
      argName = names.get(f.index());
      reason = f.reason();
    }
    if (denyLoading) {
      c.error(Errors.LOADING);
    } else if (unknownName != null) {
      c.error(String.format(ERR_UNKNOWN_OPTION, unknownName));
    } else if (reason != null) {
      c.error(String.format(ERR_SET_FAILED, argName) + " - " + reason);
    } else {
      c.error(String.format(ERR_SET_FAILED, argName));
    }
  }

  /** enable-protected-configs: yes, or local for clients on loopback or a unix socket. */
  private static boolean allowsProtectedConfigs(Client c, Config config) {
    return switch (config.getEnum(ConfigParams.ENABLE_PROTECTED_CONFIGS)) {
      case "yes" -> true;
      case "local" -> c.connection().isLocal();
      default -> false;
    };
  }

  /** CONFIG RESETSTAT: clears the statistics INFO reports, command and error stats included. */
  public static void resetstat(Client c, byte[][] argv) {
    c.server().resetStats();
    c.reply().ok();
  }

  /** CONFIG REWRITE: rewrites the config file the server was started with. */
  public static void rewrite(Client c, byte[][] argv) {
    Config config = c.server().config();
    String file = config.configFile();
    if (file == null) {
      c.error(ERR_NO_CONFIG_FILE);
      return;
    }
    try {
      ConfigRewriter.rewrite(config, Path.of(file));
    } catch (IOException e) {
      String reason = ConfigRewriter.reason(e);
      c.server().log().warning("CONFIG REWRITE failed: " + reason);
      c.error(ERR_REWRITE + reason);
      return;
    }
    c.server().log().warning("CONFIG REWRITE executed with success.");
    c.reply().ok();
  }

  /** CONFIG HELP. */
  public static void help(Client c, byte[][] argv) {
    RespWriter w = c.reply();
    w.array(HELP.length);
    for (String line : HELP) w.simple(line);
  }
}
