package io.redstart.config;

import io.redstart.config.SpecialParams.BufferLimits;
import io.redstart.config.SpecialParams.ReplicaOf;
import io.redstart.config.SpecialParams.SavePoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The server's configuration values: one per {@link ConfigParam} of {@link ConfigParams}, typed,
 * starting at Redis's defaults. Value types by kind: BOOL a Boolean; NUMERIC a Long (C unsigned
 * params keep their bits: maxmemory 2^64-1 reads as -1); ENUM a Long of the enum's value (read the
 * name with {@link #getEnum}); STRING a String of bytes as ISO-8859-1 chars ("" also for Redis's
 * NULL); SPECIAL the value types of {@link SpecialParams} (see each param's Javadoc).
 *
 * <p>Subsystems read values through the getters and subscribe with {@link #onChange} to apply
 * changes made by CONFIG SET; a listener may refuse a change by throwing {@link
 * ConfigApplyException}, which makes CONFIG SET restore every value it set.
 *
 * <p>Written only by the keyspace thread (startup, CONFIG SET); reads from other threads see the
 * latest value of each param.
 */
public final class Config {
  private final AtomicReferenceArray<Object> values;
  private final Object[] defaults;
  private final Map<ConfigParam, List<Consumer<ConfigParam>>> listeners = new ConcurrentHashMap<>();

  /** Params set from the config file or the command line, or by CONFIG SET. */
  private final boolean[] explicitlySet;

  /** The config file this configuration was loaded from (absolute), or null. */
  private volatile String configFile;

  /** The ACL users as CONFIG REWRITE writes them, each without the leading "user ". */
  private volatile Supplier<List<String>> aclUsers = this::defaultUserRules;

  public Config() {
    List<ConfigParam> all = ConfigParams.all();
    values = new AtomicReferenceArray<>(all.size());
    defaults = new Object[all.size()];
    explicitlySet = new boolean[all.size()];
    for (ConfigParam p : all) {
      try {
        defaults[p.index] = parse(p, defaultWords(p), null, false, false);
      } catch (ConfigException e) {
        throw new IllegalStateException("bad default for " + p.name + ": " + e.getMessage());
      }
      values.set(p.index, defaults[p.index]);
    }
  }

  // ---- typed reads

  public boolean getBool(ConfigParam p) {
    return (Boolean) values.get(p.index);
  }

  /** A NUMERIC or ENUM param's value (an ENUM's numeric value). */
  public long getLong(ConfigParam p) {
    return (Long) values.get(p.index);
  }

  public int getInt(ConfigParam p) {
    return (int) getLong(p);
  }

  public String getString(ConfigParam p) {
    return (String) values.get(p.index);
  }

  /**
   * An enum param's value as CONFIG GET names it: the first name with that value ("relative" reads
   * back as "yes"); for multi-value enums the names of the set flags in table order.
   */
  public String getEnum(ConfigParam p) {
    return enumName(p, getLong(p));
  }

  /** A special param's value object (see the param's Javadoc for its type). */
  public Object getSpecial(ConfigParam p) {
    return values.get(p.index);
  }

  public Object getRaw(ConfigParam p) {
    return values.get(p.index);
  }

  /** The save points, in order (empty: no automatic saving). */
  public List<SavePoint> savePoints() {
    return castList(getSpecial(ConfigParams.SAVE));
  }

  public BufferLimits clientOutputBufferLimits() {
    return (BufferLimits) getSpecial(ConfigParams.CLIENT_OUTPUT_BUFFER_LIMIT);
  }

  /** The addresses to listen on (empty: none). */
  public List<String> bindAddresses() {
    return castList(getSpecial(ConfigParams.BIND));
  }

  public ReplicaOf replicaOf() {
    return (ReplicaOf) getSpecial(ConfigParams.REPLICAOF);
  }

  /** The {@link KeyspaceEventFlags} bits of notify-keyspace-events. */
  public int notifyKeyspaceEvents() {
    return (Integer) getSpecial(ConfigParams.NOTIFY_KEYSPACE_EVENTS);
  }

  public List<Double> latencyTrackingPercentiles() {
    return castList(getSpecial(ConfigParams.LATENCY_TRACKING_INFO_PERCENTILES));
  }

  /** oom-score-adj-values: master, replica, background child. */
  public List<Integer> oomScoreAdjValues() {
    return castList(getSpecial(ConfigParams.OOM_SCORE_ADJ_VALUES));
  }

  /** The working directory: an absolute path, as getcwd would report it. */
  public String dir() {
    return (String) getSpecial(ConfigParams.DIR);
  }

  /**
   * A file name as Redis would open it: relative names are relative to {@link #dir()} (Redis chdirs
   * there; the JVM cannot). Byte text is decoded as UTF-8 for the file system.
   */
  public Path resolve(String fileName) {
    return Path.of(dir()).resolve(ConfigLoader.fileName(fileName));
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> castList(Object o) {
    return (List<T>) o;
  }

  /** The value as CONFIG GET prints it. */
  public String format(ConfigParam p) {
    Object v = values.get(p.index);
    return switch (p.kind) {
      case BOOL -> ((Boolean) v) ? "yes" : "no";
      case NUMERIC -> formatNumeric(p, (Long) v);
      case ENUM -> enumName(p, (Long) v);
      case STRING -> (String) v;
      case SPECIAL -> p.special.format(v);
    };
  }

  static String formatNumeric(ConfigParam p, long v) {
    if (p.has(ConfigParam.PERCENT) && v < 0) return (-v) + "%";
    if (p.has(ConfigParam.MEMORY)) return Long.toUnsignedString(v);
    if (p.has(ConfigParam.OCTAL)) return Long.toOctalString(v);
    return Long.toString(v);
  }

  /**
   * configEnumGetName: the first exact match, else (multi-value) the flags' names, else "unknown".
   */
  static String enumName(ConfigParam p, long v) {
    boolean bitflags = p.has(ConfigParam.MULTI_ARG);
    StringBuilder names = null;
    long unmatched = v;
    for (int i = 0; i < p.enumNames.size(); i++) {
      long ev = p.enumValues[i];
      if (v == ev) return p.enumNames.get(i);
      if (bitflags && ev != 0 && ev == (unmatched & ev)) {
        if (names == null) {
          names = new StringBuilder(p.enumNames.get(i));
        } else {
          names.append(' ').append(p.enumNames.get(i));
        }
        unmatched &= ~ev;
      }
    }
    if (names == null || unmatched != 0) return "unknown";
    return names.toString();
  }

  /** Whether the param holds its default value. */
  public boolean isDefault(ConfigParam p) {
    return Objects.equals(values.get(p.index), defaults[p.index]);
  }

  /** The default value object. */
  Object defaultOf(ConfigParam p) {
    return defaults[p.index];
  }

  // ---- writes

  /**
   * Sets a param from the words of a config line (without the directive's name), validating them as
   * Redis does, and notifies listeners if the value changed. Throws with Redis's reason when
   * refused; the value is then unchanged.
   *
   * @param accumulate true for a save line that adds to the save points a config file already set
   *     (Redis's first save line replaces the defaults, later ones add)
   */
  public void set(ConfigParam p, String[] args, boolean accumulate) throws ConfigException {
    Object old = values.get(p.index);
    Object parsed = afterChange(p, parse(p, args, old, accumulate, true), false);
    values.set(p.index, parsed);
    explicitlySet[p.index] = true;
    if (!parsed.equals(old)) {
      List<Consumer<ConfigParam>> ls = listeners.get(p);
      if (ls == null) return;
      try {
        for (Consumer<ConfigParam> l : ls) l.accept(p);
      } catch (ConfigApplyException e) {
        values.set(p.index, old);
        for (Consumer<ConfigParam> l : ls) runQuietly(l, p);
        throw new ConfigException(e.getMessage());
      }
    }
  }

  /** Sets a param from one CONFIG SET value (multi-word params split at each space). */
  public void set(ConfigParam p, String value) throws ConfigException {
    SetFailure f = setAll(List.of(p), List.of(value));
    if (f != null) throw new ConfigException(f.reason());
  }

  /** Why {@link #setAll} refused: the index of the pair at fault and Redis's reason. */
  public record SetFailure(int index, String reason) {}

  /**
   * CONFIG SET's transaction: sets every param to its value (multi-word params split at each single
   * space, as Redis does), then runs the listeners of the params that changed, each listener once.
   * If a value is refused or a listener throws {@link ConfigApplyException}, restores every value
   * and reruns the listeners that ran, and reports the pair at fault.
   *
   * @return null on success
   */
  public SetFailure setAll(List<ConfigParam> params, List<String> newValues) {
    int n = params.size();
    Object[] old = new Object[n];
    boolean[] wasSet = new boolean[n];
    for (int i = 0; i < n; i++) {
      old[i] = values.get(params.get(i).index);
      wasSet[i] = explicitlySet[params.get(i).index];
    }
    // Listeners to run, each once, with the first changed param that registered it.
    Map<Consumer<ConfigParam>, Integer> toApply = new IdentityHashMap<>();
    List<Consumer<ConfigParam>> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ConfigParam p = params.get(i);
      String value = newValues.get(i);
      String[] args =
          p.has(ConfigParam.MULTI_ARG) ? CText.splitOnSpaces(value) : new String[] {value};
      Object prev = values.get(p.index);
      Object parsed;
      try {
        parsed = parse(p, args, prev, false, true);
      } catch (ConfigException e) {
        restore(params, old, wasSet, i);
        return new SetFailure(i, e.getMessage());
      }
      if (!parsed.equals(prev)) parsed = afterChange(p, parsed, true);
      values.set(p.index, parsed);
      explicitlySet[p.index] = true;
      boolean applies =
          !parsed.equals(prev)
              || (p.kind == ConfigParam.Kind.SPECIAL && p.special.appliesUnchanged());
      List<Consumer<ConfigParam>> ls = listeners.get(p);
      if (applies && ls != null) {
        for (Consumer<ConfigParam> l : ls) {
          if (toApply.putIfAbsent(l, i) == null) order.add(l);
        }
      }
    }
    for (Consumer<ConfigParam> l : order) {
      int i = toApply.get(l);
      try {
        l.accept(params.get(i));
      } catch (ConfigApplyException e) {
        restore(params, old, wasSet, n - 1);
        for (Consumer<ConfigParam> r : order) runQuietly(r, params.get(toApply.get(r)));
        return new SetFailure(i, e.getMessage());
      }
    }
    return null;
  }

  private void restore(List<ConfigParam> params, Object[] old, boolean[] wasSet, int upTo) {
    for (int j = upTo; j >= 0; j--) {
      values.set(params.get(j).index, old[j]);
      explicitlySet[params.get(j).index] = wasSet[j];
    }
  }

  private static void runQuietly(Consumer<ConfigParam> l, ConfigParam p) {
    try {
      l.accept(p);
    } catch (ConfigApplyException ignored) {
      // Restoring the previous values: Redis only logs such failures.
    }
  }

  /** Restores a value without validation or listeners. */
  public void restore(ConfigParam p, Object value) {
    values.set(p.index, value);
  }

  /** Whether the param was set by the config file, the command line or CONFIG SET. */
  public boolean isExplicitlySet(ConfigParam p) {
    return explicitlySet[p.index];
  }

  /** The absolute path of the config file, or null when the server runs without one. */
  public String configFile() {
    return configFile;
  }

  public void configFile(String path) {
    this.configFile = path;
  }

  /**
   * Runs {@code listener} after {@code p} changes by CONFIG SET (and by later config lines). A
   * listener registered for several params runs once per CONFIG SET. A listener may refuse by
   * throwing {@link ConfigApplyException}; its message becomes CONFIG SET's reason.
   */
  public void onChange(ConfigParam p, Consumer<ConfigParam> listener) {
    listeners.computeIfAbsent(p, k -> new CopyOnWriteArrayList<>()).add(listener);
  }

  /** Thrown by a listener that cannot apply a new value (a port that cannot be bound ...). */
  public static final class ConfigApplyException extends RuntimeException {
    public ConfigApplyException(String message) {
      super(message, null, false, false);
    }
  }

  // ---- ACL users for CONFIG REWRITE

  /**
   * Installs the source of the "user" lines CONFIG REWRITE writes: each element is a user as ACL
   * LIST describes it, without the leading "user " ("default on nopass ~* &* +@all"). Until the ACL
   * subsystem installs one, the default user is derived from requirepass.
   */
  public void aclUsers(Supplier<List<String>> users) {
    this.aclUsers = users;
  }

  List<String> aclUserRules() {
    return aclUsers.get();
  }

  private List<String> defaultUserRules() {
    String pass = getString(ConfigParams.REQUIREPASS);
    if (pass.isEmpty()) return List.of("default on nopass ~* &* +@all");
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(pass.getBytes(StandardCharsets.ISO_8859_1));
      return List.of("default on #" + HexFormat.of().formatHex(hash) + " ~* &* +@all");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- parsing

  private static String[] defaultWords(ConfigParam p) {
    if (p == ConfigParams.REPLICAOF) return new String[] {"no", "one"};
    if (p.kind == ConfigParam.Kind.SPECIAL && p.has(ConfigParam.MULTI_ARG)) {
      return p.defaultValue.isEmpty() ? new String[0] : p.defaultValue.split(" ");
    }
    return new String[] {p.defaultValue};
  }

  /**
   * Parses and validates the words of a value as Redis's typed setters do, returning the new value
   * without storing it.
   */
  private Object parse(
      ConfigParam p, String[] args, Object current, boolean accumulate, boolean validate)
      throws ConfigException {
    Object v =
        switch (p.kind) {
          case BOOL -> parseBool(single(args));
          case NUMERIC -> parseNumeric(p, single(args));
          case ENUM -> parseEnum(p, args);
          case STRING -> single(args);
          case SPECIAL -> p.special.parse(this, args, current, accumulate);
        };
    if (validate && p.validator != null) {
      String err = p.validator.check(this, v);
      if (err != null) throw new ConfigException(err);
    }
    return v;
  }

  /**
   * What Redis's apply functions do to a changed value: hz is clamped to 1..500 (updateHZ, and
   * after loading a config file), repl-backlog-size raised to 16kb (resizeReplicationBacklog, only
   * by CONFIG SET).
   */
  private static Object afterChange(ConfigParam p, Object v, boolean configSet) {
    if (p == ConfigParams.HZ) return Math.max(1L, Math.min(500L, (Long) v));
    if (configSet && p == ConfigParams.REPL_BACKLOG_SIZE && (Long) v < 16 * 1024) {
      return 16 * 1024L;
    }
    return v;
  }

  private static String single(String[] args) throws ConfigException {
    if (args.length != 1) throw new ConfigException("wrong number of arguments");
    return args[0];
  }

  private static Boolean parseBool(String s) throws ConfigException {
    if (CText.equalsIgnoreCase(s, "yes")) return Boolean.TRUE;
    if (CText.equalsIgnoreCase(s, "no")) return Boolean.FALSE;
    throw new ConfigException("argument must be 'yes' or 'no'");
  }

  /** numericParseString then numericBoundaryCheck: same order, same texts. */
  static Long parseNumeric(ConfigParam p, String s) throws ConfigException {
    boolean memory = p.has(ConfigParam.MEMORY);
    boolean percent = p.has(ConfigParam.PERCENT);
    boolean octal = p.has(ConfigParam.OCTAL);
    Long v = null;
    if (memory) v = CText.memtoull(s);
    if (v == null && percent && s.length() > 1 && s.endsWith("%")) {
      Long pct = MemoryUnits.parseLong(s.substring(0, s.length() - 1));
      if (pct != null && pct >= 0) v = -pct;
    }
    if (v == null && octal) {
      CText.Parsed o = CText.strtoll(s, 8);
      if (!o.overflow() && o.complete()) v = o.value();
    }
    if (v == null && !memory && !percent && !octal) v = MemoryUnits.parseLong(s);
    if (v == null) {
      if (memory && percent)
        throw new ConfigException("argument must be a memory or percent value");
      if (memory) throw new ConfigException("argument must be a memory value");
      if (octal) throw new ConfigException("argument couldn't be parsed as an octal number");
      throw new ConfigException("argument couldn't be parsed into an integer");
    }
    long value = v;
    if (p.has(ConfigParam.UNSIGNED)) {
      if (Long.compareUnsigned(value, p.max) > 0 || Long.compareUnsigned(value, p.min) < 0) {
        String lo = octal ? Long.toOctalString(p.min) : Long.toUnsignedString(p.min);
        String hi = octal ? Long.toOctalString(p.max) : Long.toUnsignedString(p.max);
        throw new ConfigException("argument must be between " + lo + " and " + hi + " inclusive");
      }
    } else if (percent && value < 0) {
      if (value < p.min) {
        throw new ConfigException("percentage argument must be less or equal to " + (-p.min));
      }
    } else if (value > p.max || value < p.min) {
      throw new ConfigException(
          "argument must be between " + p.min + " and " + p.max + " inclusive");
    }
    return value;
  }

  /** configEnumGetValue: every word must name a value; multi-value enums OR them together. */
  private static Long parseEnum(ConfigParam p, String[] args) throws ConfigException {
    boolean bitflags = p.has(ConfigParam.MULTI_ARG);
    if (args.length == 0 || (!bitflags && args.length != 1)) throw enumError(p);
    long v = 0;
    for (String a : args) {
      boolean matched = false;
      for (int i = 0; i < p.enumNames.size(); i++) {
        if (CText.equalsIgnoreCase(a, p.enumNames.get(i))) {
          v |= p.enumValues[i];
          matched = true;
        }
      }
      if (!matched) throw enumError(p);
    }
    return v;
  }

  private static ConfigException enumError(ConfigParam p) {
    String msg = "argument(s) must be one of the following: " + String.join(", ", p.enumNames);
    // Redis builds the text in a 256-byte buffer.
    if (msg.length() > 255) msg = msg.substring(0, 255);
    return new ConfigException(msg);
  }

  /** Every param's name mapped to its CONFIG GET text, in table order (for diagnostics). */
  public Map<String, String> snapshot() {
    Map<String, String> m = new LinkedHashMap<>();
    for (ConfigParam p : ConfigParams.all()) m.put(p.name, format(p));
    return m;
  }
}
