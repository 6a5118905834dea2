/**
 * Configuration, as Redis 7.0's config.c: every directive, its parsing, validation, printing and
 * rewriting, with Redis's texts.
 *
 * <p>The path of a value:
 *
 * <ul>
 *   <li>{@link io.redstart.config.ConfigParams} is the table (config.c's order, names, aliases,
 *       bounds, defaults, flags); {@link io.redstart.config.ConfigParam} describes one directive.
 *   <li>{@link io.redstart.config.ConfigLoader} reads the command line (as redis-server's main),
 *       the config file, includes and options, line by line; a refused line becomes Redis's FATAL
 *       CONFIG FILE ERROR report.
 *   <li>{@link io.redstart.config.Config} holds the values. CONFIG SET goes through {@link
 *       io.redstart.config.Config#setAll}: all values set, then the subsystems' listeners run once
 *       each; a refusal restores everything. CONFIG GET prints with {@link
 *       io.redstart.config.Config#format}.
 *   <li>{@link io.redstart.config.ConfigRewriter} writes CONFIG REWRITE's file.
 * </ul>
 *
 * <p>Text is byte text throughout: one char per byte (ISO-8859-1), so that values from files and
 * clients keep their bytes; file names are decoded as UTF-8 only when the file system is asked. The
 * JVM cannot change its working directory: the dir directive is kept as an absolute path and
 * relative file names are resolved against it ({@link io.redstart.config.Config#resolve}).
 */
package io.redstart.config;
