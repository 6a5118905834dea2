package io.redstart.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The server's configuration values: one per {@link ConfigParam} of {@link ConfigParams}, typed
 * (Boolean, Long, String, or a special directive's own value object), starting at Redis's
 * defaults. Subsystems read values through the typed getters and subscribe with {@link
 * #onChange} to apply changes made by CONFIG SET.
 *
 * <p>Written only by the keyspace thread (startup, CONFIG SET); reads from other threads see a
 * consistent value per param.
 */
public final class Config {
  private final Object[] values;
  private final Map<ConfigParam, List<Consumer<ConfigParam>>> listeners = new ConcurrentHashMap<>();
  /** Params set from the config file or the command line, for CONFIG REWRITE. */
  private final boolean[] explicitlySet;
  /** The config file this configuration was loaded from, or null. */
  private String configFile;

  public Config() {
    List<ConfigParam> all = ConfigParams.all();
    values = new Object[all.size()];
    explicitlySet = new boolean[all.size()];
    for (ConfigParam p : all) {
      try {
        values[p.index] = parse(p, ConfigParams.splitDefault(p), null, false);
      } catch (ConfigException e) {
        throw new IllegalStateException("bad default for " + p.name + ": " + e.getMessage());
      }
    }
  }

  // ---- typed reads

  public boolean getBool(ConfigParam p) {
    return (Boolean) values[p.index];
  }

  public long getLong(ConfigParam p) {
    return (Long) values[p.index];
  }

  public int getInt(ConfigParam p) {
    return (int) (long) (Long) values[p.index];
  }

  public String getString(ConfigParam p) {
    return (String) values[p.index];
  }

  /** An enum param's value name (the first, for multi-value enums). */
  public String getEnum(ConfigParam p) {
    return (String) values[p.index];
  }

  /** A special param's value object. */
  public Object getSpecial(ConfigParam p) {
    return values[p.index];
  }

  public Object getRaw(ConfigParam p) {
    return values[p.index];
  }

  /** The value as CONFIG GET prints it. */
  public String format(ConfigParam p) {
    Object v = values[p.index];
    return switch (p.kind) {
      case BOOL -> ((Boolean) v) ? "yes" : "no";
      case NUMERIC -> formatNumeric(p, (Long) v);
      case ENUM, STRING -> (String) v;
      case SPECIAL -> p.special.format(v);
    };
  }

  private static String formatNumeric(ConfigParam p, long v) {
    if (p.has(ConfigParam.PERCENT) && v < 0) return (-v) + "%";
    if (p.has(ConfigParam.OCTAL)) return Long.toOctalString(v);
    return Long.toString(v);
  }

  // ---- writes

  /**
   * Sets a param from its words (one word for plain params), validating it as Redis does, and
   * notifies listeners if the value changed. Throws with Redis's reason when refused.
   */
  public void set(ConfigParam p, String[] args, boolean fromFile) throws ConfigException {
    Object parsed = parse(p, args, values[p.index], fromFile);
    Object old = values[p.index];
    values[p.index] = parsed;
    explicitlySet[p.index] = true;
    if (!parsed.equals(old)) {
      try {
        fire(p);
      } catch (ConfigApplyException e) {
        values[p.index] = old;
        throw new ConfigException(e.getMessage());
      }
    }
  }

  /** Sets from a single word. */
  public void set(ConfigParam p, String value) throws ConfigException {
    set(p, ConfigParams.isMultiArg(p) ? ConfigParams.splitWords(value) : new String[] {value}, false);
  }

  /** Restores a value without validation or listeners (rollback of a failed multi-param SET). */
  public void restore(ConfigParam p, Object value) {
    values[p.index] = value;
  }

  public boolean isExplicitlySet(ConfigParam p) {
    return explicitlySet[p.index];
  }

  public String configFile() {
    return configFile;
  }

  public void configFile(String path) {
    this.configFile = path;
  }

  /** Runs {@code listener} after {@code p} changes. A listener may refuse by throwing {@link ConfigApplyException}. */
  public void onChange(ConfigParam p, Consumer<ConfigParam> listener) {
    listeners.computeIfAbsent(p, k -> new CopyOnWriteArrayList<>()).add(listener);
  }

  private void fire(ConfigParam p) {
    List<Consumer<ConfigParam>> ls = listeners.get(p);
    if (ls != null) for (Consumer<ConfigParam> l : ls) l.accept(p);
  }

  /** Thrown by a listener that cannot apply a new value (a port that cannot be bound ...). */
  public static final class ConfigApplyException extends RuntimeException {
    public ConfigApplyException(String message) {
      super(message, null, false, false);
    }
  }

  // ---- parsing

  static Object parse(ConfigParam p, String[] args, Object current, boolean fromFile)
      throws ConfigException {
    switch (p.kind) {
      case BOOL -> {
        String v = single(args).toLowerCase(Locale.ROOT);
        if (v.equals("yes")) return Boolean.TRUE;
        if (v.equals("no")) return Boolean.FALSE;
        throw new ConfigException("argument must be 'yes' or 'no'");
      }
      case NUMERIC -> {
        return parseNumeric(p, single(args));
      }
      case ENUM -> {
        return parseEnum(p, args);
      }
      case STRING -> {
        return single(args);
      }
      case SPECIAL -> {
        return p.special.parse(args, current, fromFile);
      }
    }
    throw new IllegalStateException();
  }

  private static String single(String[] args) throws ConfigException {
    if (args.length != 1) throw new ConfigException("wrong number of arguments");
    return args[0];
  }

  /** Redis's numericParseString, then the bounds check; same order, same texts. */
  static long parseNumeric(ConfigParam p, String s) throws ConfigException {
    Long v = null;
    boolean memory = p.has(ConfigParam.MEMORY);
    boolean percent = p.has(ConfigParam.PERCENT);
    boolean octal = p.has(ConfigParam.OCTAL);
    if (memory) v = MemoryUnits.parse(s);
    if (v == null && percent && s.length() > 1 && s.endsWith("%")) {
      Long pct = MemoryUnits.parseLong(s.substring(0, s.length() - 1));
      if (pct != null && pct >= 0) v = -pct;
    }
    if (v == null && octal) {
      try {
        v = Long.parseLong(s, 8);
      } catch (NumberFormatException e) {
        v = null;
      }
    }
    if (v == null && !memory && !percent && !octal) v = MemoryUnits.parseLong(s);
    if (v == null) {
      if (memory && percent) throw new ConfigException("argument must be a memory or percent value");
      if (memory) throw new ConfigException("argument must be a memory value");
      if (octal) throw new ConfigException("argument couldn't be parsed as an octal number");
      throw new ConfigException("argument couldn't be parsed into an integer");
    }
    long value = v;
    if (percent && value < 0) {
      if (-value > p.max) {
        throw new ConfigException("argument must be between 0 and " + p.max + " inclusive");
      }
      return value;
    }
    if (value < p.min || value > p.max) {
      throw new ConfigException(
          "argument must be between " + p.min + " and " + p.max + " inclusive");
    }
    return value;
  }

  private static String parseEnum(ConfigParam p, String[] args) throws ConfigException {
    List<String> words = new ArrayList<>();
    for (String a : args) for (String w : ConfigParams.splitWords(a)) words.add(w);
    if (!p.has(ConfigParam.MULTI_ENUM) && words.size() != 1) {
      throw new ConfigException("wrong number of arguments");
    }
    List<String> out = new ArrayList<>();
    for (String w : words) {
      String found = null;
      for (String n : p.enumNames) if (n.equalsIgnoreCase(w)) found = n;
      if (found == null) {
        StringBuilder sb = new StringBuilder();
        sb.append(p.has(ConfigParam.MULTI_ENUM) ? "argument(s) must be one of the following: " : "argument must be one of the following: ");
        for (int i = 0; i < p.enumNames.size(); i++) {
          if (i > 0) sb.append(", ");
          sb.append(p.enumNames.get(i));
        }
        throw new ConfigException(sb.toString());
      }
      if (!out.contains(found)) out.add(found);
    }
    return String.join(" ", out);
  }
}
