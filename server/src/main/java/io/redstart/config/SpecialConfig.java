package io.redstart.config;

import java.util.List;

/**
 * Parser, printer and rewriter of a directive with its own syntax (save, bind,
 * client-output-buffer-limit ...), as Redis's special configs in config.c.
 */
interface SpecialConfig {
  /**
   * Parses the words of one occurrence of the directive (without its name) into a new value.
   *
   * @param config the configuration, for directives that depend on other values
   * @param current the current value, for directives that update in part or accumulate
   * @param accumulate true while a config file adds to save points it already set
   * @throws ConfigException with Redis's reason when the words are refused
   */
  Object parse(Config config, String[] args, Object current, boolean accumulate)
      throws ConfigException;

  /** The value as CONFIG GET shows it. */
  String format(Object value);

  /**
   * The directive's lines for CONFIG REWRITE, in order, each with the name and whether it must be
   * written even when the file does not mention the directive. An empty list drops every line of
   * the directive from the file.
   */
  List<ConfigRewriter.Line> rewrite(String name, Object value);

  /**
   * Whether CONFIG SET applies the directive even when the value did not change (Redis's special
   * setters report a change unconditionally, except oom-score-adj-values).
   */
  default boolean appliesUnchanged() {
    return true;
  }
}
