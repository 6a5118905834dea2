package io.redstart.config;

/** Parser and printer of a directive with its own syntax (save, bind, client-output-buffer-limit ...). */
public interface SpecialConfig {
  /**
   * Parses the words of one occurrence of the directive (without its name).
   *
   * @param current the current value, for directives that accumulate or update in part
   * @param fromFile true while loading the config file (some accumulate across lines there)
   */
  Object parse(String[] args, Object current, boolean fromFile) throws ConfigException;

  /** The value as CONFIG GET shows it. */
  String format(Object value);

  /**
   * The directive's lines for CONFIG REWRITE, each without the name; an empty array when nothing
   * should be written. Defaults to one line holding {@link #format}.
   */
  default String[] rewriteLines(Object value) {
    return new String[] {format(value)};
  }
}
