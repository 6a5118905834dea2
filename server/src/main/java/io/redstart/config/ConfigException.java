package io.redstart.config;

/**
 * A value refused by a directive. The message is the reason as Redis words it, without context
 * (e.g. "argument must be between 0 and 500 inclusive"); callers add the context Redis adds for
 * CONFIG SET or for the config file.
 */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
