package io.redstart.config;

import java.util.List;

/**
 * One configuration directive: its names, type, default, bounds, flags and validation, as Redis
 * 7.0's standard config table declares them (config.c). Values are kept by {@link Config}; a param
 * is only the description. Immutable and shared by every {@link Config}.
 */
public final class ConfigParam {
  /** How a directive's value is written and parsed. */
  public enum Kind {
    /** yes/no. */
    BOOL,
    /**
     * A 64-bit integer with bounds. {@link #MEMORY} params also accept 1k, 2mb, 3gb ...; {@link
     * #PERCENT} ones also accept "n%", stored as -n; {@link #OCTAL} ones are written in octal;
     * {@link #UNSIGNED} ones hold C unsigned values (bounds compared unsigned).
     */
    NUMERIC,
    /**
     * One of fixed names, each with a value (several names may share one); {@link #MULTI_ARG} enums
     * are bit flags and accept several names separated by spaces.
     */
    ENUM,
    /** Free text (may be empty); {@link #EMPTY_IS_NULL} ones treat "" as "not set". */
    STRING,
    /** A directive with its own parser and printer (save, bind, client-output-buffer-limit ...). */
    SPECIAL
  }

  // Flags, as Redis's config flags (plus Redstart's NOT_IMPLEMENTED and the type details).
  /** Set only at startup: CONFIG SET refuses it. */
  public static final int IMMUTABLE = 1;

  /** The value is a secret (redacted from the slow log and MONITOR). */
  public static final int SENSITIVE = 1 << 1;

  /** NUMERIC: accepts memory units. */
  public static final int MEMORY = 1 << 2;

  /** NUMERIC: accepts "n%" (stored negated). */
  public static final int PERCENT = 1 << 3;

  /** NUMERIC: parsed and printed in octal. */
  public static final int OCTAL = 1 << 4;

  /** ENUM with {@link #MULTI_ARG}: a set of bit flags. */
  public static final int MULTI_ENUM = 1 << 5;

  /** CONFIG SET refuses it with -LOADING while a dataset is being loaded. */
  public static final int DENY_LOADING = 1 << 6;

  /** CONFIG SET allows it only as enable-protected-configs permits. */
  public static final int PROTECTED = 1 << 7;

  /** Not listed by CONFIG GET patterns; only an exact name shows it. */
  public static final int HIDDEN = 1 << 8;

  /** Accepted and stored, but the feature is not built yet: the loader says so once. */
  public static final int NOT_IMPLEMENTED = 1 << 9;

  /**
   * The value is several words: CONFIG SET splits it at each single space, a config file line takes
   * its words as they are (or re-splits a single quoted word).
   */
  public static final int MULTI_ARG = 1 << 11;

  /** NUMERIC: a C unsigned type (unsigned int, unsigned long long, size_t). */
  public static final int UNSIGNED = 1 << 12;

  /** STRING: an empty value means "not set" (C's NULL): CONFIG REWRITE drops its lines. */
  public static final int EMPTY_IS_NULL = 1 << 13;

  /**
   * Checks a parsed value against the rest of the configuration; returns Redis's reason or null.
   */
  @FunctionalInterface
  interface Validator {
    String check(Config config, Object value);
  }

  public final String name;

  /** The other names of this directive (at most one in Redis 7.0: slaveof, lua-time-limit ...). */
  public final List<String> aliases;

  public final Kind kind;
  public final int flags;

  /** The default as CONFIG GET prints it (for the dir directive: "." before resolution). */
  public final String defaultValue;

  /** NUMERIC bounds; for {@link #UNSIGNED} params read as unsigned 64-bit values. */
  public final long min;

  public final long max;

  /** ENUM names in Redis's order, each with the value at the same index of {@link #enumValues}. */
  public final List<String> enumNames;

  public final long[] enumValues;

  /** Parser and printer of a SPECIAL param. */
  final SpecialConfig special;

  final Validator validator;
  final int index;

  ConfigParam(
      int index,
      String name,
      List<String> aliases,
      Kind kind,
      int flags,
      String defaultValue,
      long min,
      long max,
      List<String> enumNames,
      long[] enumValues,
      SpecialConfig special,
      Validator validator) {
    this.index = index;
    this.name = name;
    this.aliases = aliases;
    this.kind = kind;
    this.flags = flags;
    this.defaultValue = defaultValue;
    this.min = min;
    this.max = max;
    this.enumNames = enumNames;
    this.enumValues = enumValues;
    this.special = special;
    this.validator = validator;
  }

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }

  @Override
  public String toString() {
    return name;
  }
}
