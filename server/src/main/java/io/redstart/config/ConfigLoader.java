package io.redstart.config;

import io.redstart.resp.SplitArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Loads redis.conf syntax the way Redis's loadServerConfigFromString does: the file's lines, then
 * the command line's {@code --directive value ...} options appended as further lines; blank lines
 * and comments skipped, each line split like {@code sdssplitargs}, directives matched by name or
 * alias. {@code include} pulls in another file. A refused line stops loading with a {@link
 * ConfigFileException} carrying Redis's report (line number, the line, the reason).
 */
public final class ConfigLoader {
  /** A fatal error in the configuration, formatted as Redis prints it before exiting. */
  public static final class ConfigFileException extends Exception {
    public ConfigFileException(String report) {
      super(report, null, false, false);
    }
  }

  private final Config config;
  private final Consumer<String> notImplementedLog;
  private final Set<String> loggedNotImplemented = new LinkedHashSet<>();
  private boolean saveSeen;

  /**
   * @param notImplementedLog receives one message per directive of a feature not built yet
   */
  public ConfigLoader(Config config, Consumer<String> notImplementedLog) {
    this.config = config;
    this.notImplementedLog = notImplementedLog;
  }

  /**
   * Turns command-line arguments after the config file into config lines, as Redis's main does:
   * each {@code --name} starts a line, other words are appended quoted; {@code --save} without a
   * value means {@code save ""}.
   */
  public static String optionsFromArgs(List<String> args) {
    StringBuilder sb = new StringBuilder();
    boolean handledLast = true;
    for (int j = 0; j < args.size(); j++) {
      String a = args.get(j);
      boolean last = j == args.size() - 1;
      if (handledLast && a.startsWith("--")) {
        if (sb.length() > 0) sb.append('\n');
        sb.append(a.substring(2)).append(' ');
        byte[][] words = SplitArgs.split(a.getBytes(StandardCharsets.ISO_8859_1));
        if (words != null && words.length == 1) {
          handledLast = false;
          boolean nextIsOption = !last && args.get(j + 1).startsWith("--");
          if (a.equalsIgnoreCase("--save") && (nextIsOption || last)) {
            sb.append("\"\"");
            handledLast = nextIsOption;
          } else if (a.equalsIgnoreCase("--sentinel") && nextIsOption) {
            handledLast = true;
          }
        } else {
          handledLast = true;
        }
      } else {
        sb.append(quote(a)).append(' ');
        handledLast = true;
      }
    }
    return sb.toString();
  }

  /** Quotes like sdscatrepr, so that SplitArgs gives the word back. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 7 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        default -> {
          if (ch < 32 || ch == 127) {
            sb.append(String.format("\\x%02x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** Loads a file (or nothing when {@code file} is null) followed by extra option lines. */
  public void load(String file, String options) throws ConfigFileException {
    StringBuilder text = new StringBuilder();
    if (file != null) {
      try {
        text.append(file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
            : Files.readString(Path.of(file), StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        throw new ConfigFileException(
            "Fatal error, can't open config file '" + file + "': " + reason(e));
      }
      config.configFile(Path.of(file).toAbsolutePath().toString());
    }
    if (options != null && !options.isEmpty()) text.append('\n').append(options);
    loadString(text.toString());
  }

  private static String reason(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) return "No such file or directory";
    if (e instanceof java.nio.file.AccessDeniedException) return "Permission denied";
    return e.getMessage();
  }

  /** Loads config text (several lines). */
  public void loadString(String text) throws ConfigFileException {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      String err = applyLine(line);
      if (err != null) {
        throw new ConfigFileException(
            "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"
                + "Reading the configuration file, at line "
                + (i + 1)
                + "\n>>> '"
                + line
                + "'\n"
                + err);
      }
    }
  }

  /** Applies one line; returns Redis's reason when refused, or null. */
  private String applyLine(String line) {
    byte[][] words = SplitArgs.split(line.getBytes(StandardCharsets.ISO_8859_1));
    if (words == null) return "Unbalanced quotes in configuration line";
    if (words.length == 0) return null;
    String[] argv = new String[words.length];
    for (int i = 0; i < words.length; i++) {
      argv[i] = new String(words[i], StandardCharsets.ISO_8859_1);
    }
    String name = argv[0].toLowerCase(Locale.ROOT);
    ConfigParam p = ConfigParams.byName(name);
    if (p != null) {
      String[] args = new String[argv.length - 1];
      System.arraycopy(argv, 1, args, 0, args.length);
      if (!p.has(ConfigParam.MULTI_ARG) && args.length != 1) {
        return "wrong number of arguments";
      }
      if (p.has(ConfigParam.MULTI_ARG) && args.length == 1 && !args[0].isEmpty()) {
        // A multi-word directive given as one quoted word ("--save '3600 1'") is split again.
        byte[][] split = SplitArgs.split(args[0].getBytes(StandardCharsets.ISO_8859_1));
        if (split != null) {
          args = new String[split.length];
          for (int i = 0; i < split.length; i++) {
            args[i] = new String(split[i], StandardCharsets.ISO_8859_1);
          }
        }
      }
      if (p == ConfigParams.SAVE && !saveSeen) {
        // The first save line of a file replaces the default save points.
        config.restore(p, List.of());
        saveSeen = true;
      }
      try {
        config.set(p, args, true);
      } catch (ConfigException e) {
        return e.getMessage();
      }
      if (p.has(ConfigParam.NOT_IMPLEMENTED) && loggedNotImplemented.add(p.name)) {
        notImplementedLog.accept(p.name);
      }
      return null;
    }
    if (DEPRECATED.contains(name) && argv.length == 2) return null; // ignored, as Redis does
    return switch (argv.length >= 2 ? name : "") {
      case "include" -> {
        if (argv.length != 2) yield BAD_DIRECTIVE;
        try {
          String inc = Files.readString(Path.of(argv[1]), StandardCharsets.ISO_8859_1);
          loadString(inc);
          yield null;
        } catch (IOException e) {
          yield "Fatal error, can't open config file '" + argv[1] + "': " + reason(e);
        } catch (ConfigFileException e) {
          yield e.getMessage();
        }
      }
      case "rename-command" -> {
        if (argv.length != 3) yield BAD_DIRECTIVE;
        renames.add(new String[] {argv[1], argv[2]});
        yield null;
      }
      case "user" -> {
        users.add(argv);
        yield null;
      }
      case "loadmodule" -> {
        yield "Modules are not supported by Redstart: can't load module '" + argv[1] + "'";
      }
      case "sentinel" -> "sentinel directive while not in sentinel mode";
      default -> {
        if (name.indexOf('.') >= 0) {
          yield argv.length < 2 ? "Module config specified without value" : null;
        }
        yield BAD_DIRECTIVE;
      }
    };
  }

  private static final String BAD_DIRECTIVE = "Bad directive or wrong number of arguments";

  /** Directives Redis 7.0 still accepts and ignores. */
  private static final Set<String> DEPRECATED =
      Set.of("list-max-ziplist-entries", "list-max-ziplist-value", "lua-replicate-commands");

  private final List<String[]> renames = new ArrayList<>();
  private final List<String[]> users = new ArrayList<>();

  /** rename-command lines, as {from, to} pairs, applied by the server once its table is built. */
  public List<String[]> renames() {
    return renames;
  }

  /** user lines (ACL rules), each with its words, for the ACL subsystem. */
  public List<String[]> users() {
    return users;
  }
}
