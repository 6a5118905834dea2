package io.redstart.config;

import java.util.List;

/**
 * One configuration directive: its names, type, default, bounds and flags, as Redis 7.0's
 * standard config table declares them (config.c). Values are kept by {@link Config}; a param is
 * only the description.
 */
public final class ConfigParam {
  /** How a directive's value is written and parsed. */
  public enum Kind {
    /** yes/no. */
    BOOL,
    /** A signed integer with bounds; {@link #MEMORY} params also accept 1k, 2mb, 3gb ... */
    NUMERIC,
    /** One of fixed names; {@link #MULTI_ENUM} params accept several separated by spaces. */
    ENUM,
    /** Free text (may be empty). */
    STRING,
    /** A directive with its own parser and printer (save, bind, client-output-buffer-limit ...). */
    SPECIAL
  }

  // Flags, as Redis's config flags.
  public static final int IMMUTABLE = 1;
  public static final int SENSITIVE = 1 << 1;
  public static final int MEMORY = 1 << 2;
  public static final int PERCENT = 1 << 3;
  public static final int OCTAL = 1 << 4;
  public static final int MULTI_ENUM = 1 << 5;
  public static final int DENY_LOADING = 1 << 6;
  public static final int PROTECTED = 1 << 7;
  public static final int HIDDEN = 1 << 8;
  /** Accepted and stored, but the feature is not built yet: logged once when set. */
  public static final int NOT_IMPLEMENTED = 1 << 9;
  /** A directive that may appear several times in a file and accumulates (save, rename-command). */
  public static final int MULTI_LINE = 1 << 10;
  /** The value is a list of words (bind, oom-score-adj-values ...). */
  public static final int MULTI_ARG = 1 << 11;

  public final String name;
  public final List<String> aliases;
  public final Kind kind;
  public final int flags;
  public final String defaultValue;
  public final long min;
  public final long max;
  /** ENUM names in the order Redis prints them, each with its numeric value. */
  public final List<String> enumNames;

  public final long[] enumValues;
  /** Parser and printer of a SPECIAL param. */
  final SpecialConfig special;

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
      SpecialConfig special) {
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
  }

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }

  @Override
  public String toString() {
    return name;
  }
}
