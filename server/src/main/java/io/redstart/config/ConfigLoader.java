package io.redstart.config;

import io.redstart.resp.SplitArgs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Loads redis.conf syntax the way Redis's loadServerConfig and loadServerConfigFromString do: the
 * file, then standard input if asked, then the command line's options as further lines after a
 * newline; each line trimmed, blank lines and comments skipped, split like sdssplitargs, the
 * directive matched by name or alias (ASCII case-insensitive). {@code include} loads another file
 * (or every file a glob pattern matches) in place. A refused line stops loading with a {@link
 * ConfigFileException} carrying Redis's report, word for word.
 *
 * <p>Text is byte text: each char of a line is one byte of the file (ISO-8859-1), so values keep
 * their bytes. Used by one thread at startup.
 */
public final class ConfigLoader {
  /** The Redis version named in the report, as the reference prints it. */
  static final String REDIS_VERSION = "7.0.15";

  /** A fatal configuration error; the message is what Redis prints before exiting with 1. */
  public static final class ConfigFileException extends Exception {
    private final boolean openFailure;

    public ConfigFileException(String report) {
      this(report, false);
    }

    ConfigFileException(String report, boolean openFailure) {
      super(report, null, false, false);
      this.openFailure = openFailure;
    }

    /**
     * True when a config file could not be opened: Redis logs the message as a warning line
     * (standard output) instead of printing the FATAL report on standard error.
     */
    public boolean isOpenFailure() {
      return openFailure;
    }
  }

  /** A command line split as Redis's main does: the config file, "-" for stdin, the options. */
  public record CommandLine(String configFile, boolean configFromStdin, String options) {}

  private final Config config;
  private final Consumer<String> notImplementedLog;
  private final Set<String> loggedNotImplemented = new LinkedHashSet<>();

  /** Redis's reading_config_file: cleared at the end of every loaded text, includes too. */
  private boolean readingConfigFile;

  /** Redis's save_loaded: the first save line of a file replaces the default save points. */
  private boolean saveLoaded;

  /** Command names for rename-command checks (lower case), or null to accept any. */
  private Set<String> commands;

  private final List<String[]> renames = new ArrayList<>();
  private final List<String[]> users = new ArrayList<>();
  private final List<String[]> modules = new ArrayList<>();
  private final Map<String, String> moduleConfigs = new LinkedHashMap<>();

  /**
   * @param notImplementedLog receives, once each, the name of every directive of a feature not
   *     built yet that is set to something other than its default
   */
  public ConfigLoader(Config config, Consumer<String> notImplementedLog) {
    this.config = config;
    this.notImplementedLog = notImplementedLog;
  }

  /**
   * Checks rename-command lines against these command names, as Redis does against its command
   * table ("No such command in rename-command", "Target command name already exists").
   */
  public ConfigLoader commandNames(Collection<String> names) {
    commands = new HashSet<>();
    for (String n : names) commands.add(n.toLowerCase(Locale.ROOT));
    return this;
  }

  // ---- command line

  /**
   * Splits a command line ({@code redstart-server [config-file] [options] [-]}) as Redis's main
   * does. The first argument is the config file unless it starts with '-'; "-" first or last means
   * "also read the config from standard input"; see {@link #optionsFromArgs}.
   */
  public static CommandLine parseCommandLine(List<String> args) {
    String file = null;
    int start = 0;
    if (!args.isEmpty() && !args.get(0).startsWith("-")) {
      file = args.get(0);
      start = 1;
    }
    boolean[] stdin = new boolean[1];
    String options = buildOptions(args, start, stdin);
    return new CommandLine(file, stdin[0], options);
  }

  /**
   * Turns command-line options into config lines, as Redis's main does: each {@code --name} starts
   * a line; the following arguments are appended quoted (sdscatrepr) until the next {@code --name}
   * once the directive has a value; an argument holding spaces ("--port 6380") is a directive and
   * its value at once; {@code --save} with no value means {@code save ""}. A "-" first or last
   * (standard input) is left out. Arguments are encoded as UTF-8 bytes.
   */
  public static String optionsFromArgs(List<String> args) {
    return buildOptions(args, 0, new boolean[1]);
  }

  private static String buildOptions(List<String> javaArgs, int start, boolean[] stdin) {
    List<String> argv = new ArrayList<>(javaArgs.size());
    for (String a : javaArgs) argv.add(byteText(a));
    StringBuilder options = new StringBuilder();
    boolean handledLast = true;
    int last = argv.size() - 1;
    for (int j = start; j < argv.size(); j++) {
      String a = argv.get(j);
      if (a.equals("-") && (j == 0 || j == last)) {
        stdin[0] = true;
      } else if (handledLast && a.startsWith("--")) {
        if (!options.isEmpty()) options.append('\n');
        options.append(a, 2, a.length()).append(' ');
        byte[][] words = SplitArgs.split(a.getBytes(StandardCharsets.ISO_8859_1));
        if (words != null && words.length == 1) {
          // Only the name: its value follows.
          handledLast = false;
          boolean nextIsOption = j != last && argv.get(j + 1).startsWith("--");
          if (CText.equalsIgnoreCase(a, "--save") && nextIsOption) {
            options.append("\"\"");
            handledLast = true;
          } else if (CText.equalsIgnoreCase(a, "--save") && j == last) {
            options.append("\"\"");
          } else if (CText.equalsIgnoreCase(a, "--sentinel") && nextIsOption) {
            handledLast = true;
          }
        } else {
          handledLast = true;
        }
      } else {
        options.append(CText.repr(a)).append(' ');
        handledLast = true;
      }
    }
    return options.toString();
  }

  /** A Java string as byte text (its UTF-8 bytes, one char each). */
  static String byteText(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /** Byte text as a file name for the file system (its bytes read as UTF-8). */
  static String fileName(String byteText) {
    return new String(byteText.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  // ---- loading

  /** Loads a file (or nothing when {@code file} is null) followed by option lines. */
  public void load(String file, String options) throws ConfigFileException {
    load(file, false, options);
  }

  /**
   * Loads the config as Redis's loadServerConfig: the file (a glob pattern loads every match), then
   * standard input when {@code fromStdin}, then, when {@code options} is not null, a newline and
   * the options. Records the file's absolute path as the config file.
   */
  public void load(String file, boolean fromStdin, String options) throws ConfigFileException {
    StringBuilder text = new StringBuilder();
    if (file != null) {
      String abs = absolutePath(file);
      config.configFile(abs);
      text.append(readConfigFile(byteText(abs), null));
    }
    if (fromStdin) {
      try {
        InputStream in = System.in;
        text.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        throw new ConfigFileException("Fatal error, can't read config from stdin", true);
      }
    }
    if (options != null) text.append('\n').append(options);
    loadString(text.toString());
  }

  /**
   * Redis's getAbsolutePath: the name trimmed; a relative one joined to the working directory (as
   * getcwd reports it), each leading "../" removing one directory.
   */
  static String absolutePath(String file) {
    String rel = trim(file);
    if (rel.startsWith("/")) return rel;
    String cwd;
    try {
      cwd = Path.of("").toAbsolutePath().toRealPath().toString();
    } catch (IOException e) {
      cwd = Path.of("").toAbsolutePath().toString();
    }
    StringBuilder abs = new StringBuilder(cwd);
    if (abs.isEmpty() || abs.charAt(abs.length() - 1) != '/') abs.append('/');
    while (rel.startsWith("../")) {
      rel = rel.substring(3);
      if (abs.length() > 1) {
        int cut = abs.lastIndexOf("/", abs.length() - 2);
        abs.setLength(cut + 1);
      }
    }
    return abs.append(rel).toString();
  }

  /**
   * The content of a file or of every file a glob pattern matches ("" when nothing matches).
   * Relative names are relative to {@code base} (the JVM's directory when null); errors name the
   * file as given.
   */
  private static String readConfigFile(String name, String base) throws ConfigFileException {
    Path root = base == null ? Path.of("") : Path.of(base);
    List<Path> files = new ArrayList<>();
    if (name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0) {
      files.addAll(glob(fileName(name), root));
    } else {
      files.add(Path.of(fileName(name)));
    }
    StringBuilder sb = new StringBuilder();
    for (Path f : files) {
      try {
        sb.append(new String(Files.readAllBytes(root.resolve(f)), StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        throw new ConfigFileException(
            "Fatal error, can't open config file '"
                + byteText(f.toString())
                + "': "
                + ConfigRewriter.reason(e),
            true);
      }
    }
    return sb.toString();
  }

  /**
   * glob(3) without flags: the matching paths (relative patterns give paths relative to {@code
   * root}), sorted, or none.
   */
  private static List<Path> glob(String pattern, Path root) {
    Path p = Path.of(pattern);
    List<Path> current = new ArrayList<>();
    current.add(p.isAbsolute() ? p.getRoot() : Path.of(""));
    for (Path part : p) {
      String s = part.toString();
      List<Path> next = new ArrayList<>();
      boolean wild = s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
      for (Path base : current) {
        if (!wild) {
          Path c = base.resolve(s);
          if (Files.exists(root.resolve(c))) next.add(c);
          continue;
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + s.replace("[!", "[^"));
        Path dir = root.resolve(base.toString().isEmpty() ? Path.of(".") : base);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
          for (Path c : ds) {
            String fn = c.getFileName().toString();
            if (fn.startsWith(".") && !s.startsWith(".")) continue;
            if (m.matches(Path.of(fn))) next.add(base.resolve(fn));
          }
        } catch (IOException e) {
          // An unreadable directory matches nothing, as glob(3) without GLOB_ERR.
        }
      }
      next.sort(null);
      current = next;
    }
    return current;
  }

  /**
   * Loads config text, as loadServerConfigFromString: line by line, then the checks Redis runs
   * after each text (the log file can be opened, no replicaof in cluster mode).
   */
  public void loadString(String text) throws ConfigFileException {
    readingConfigFile = true;
    String[] lines = text.isEmpty() ? new String[0] : text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = trim(lines[i]);
      if (line.isEmpty() || line.charAt(0) == '#') continue;
      String err = applyLine(line);
      if (err != null) {
        throw new ConfigFileException(
            "\n*** FATAL CONFIG FILE ERROR (Redis "
                + REDIS_VERSION
                + ") ***\n"
                + "Reading the configuration file, at line "
                + (i + 1)
                + "\n"
                + ">>> '"
                + line
                + "'\n"
                + err
                + "\n");
      }
    }
    String err = checkLoaded();
    readingConfigFile = false;
    if (err != null) {
      throw new ConfigFileException(
          "\n*** FATAL CONFIG FILE ERROR (Redis " + REDIS_VERSION + ") ***\n" + err + "\n");
    }
  }

  private String checkLoaded() {
    String logfile = config.getString(ConfigParams.LOGFILE);
    if (!logfile.isEmpty()) {
      // Redis opens the log file once to fail early rather than lose messages later.
      try {
        OutputStream out =
            Files.newOutputStream(
                config.resolve(logfile), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        out.close();
      } catch (IOException e) {
        return "Can't open the log file: " + ConfigRewriter.reason(e);
      }
    }
    if (config.getBool(ConfigParams.CLUSTER_ENABLED) && config.replicaOf().isSet()) {
      return "replicaof directive not allowed in cluster mode";
    }
    return null;
  }

  /** sdstrim with " \t\r\n". */
  private static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && " \t\r\n".indexOf(s.charAt(start)) >= 0) start++;
    while (end > start && " \t\r\n".indexOf(s.charAt(end - 1)) >= 0) end--;
    return s.substring(start, end);
  }

  private static String[] split(String line) {
    byte[][] words = SplitArgs.split(line.getBytes(StandardCharsets.ISO_8859_1));
    if (words == null) return null;
    String[] out = new String[words.length];
    for (int i = 0; i < words.length; i++) {
      out[i] = new String(words[i], StandardCharsets.ISO_8859_1);
    }
    return out;
  }

  /** Applies one line; returns Redis's reason when refused, or null. */
  private String applyLine(String line) throws ConfigFileException {
    String[] argv = split(line);
    if (argv == null) return "Unbalanced quotes in configuration line";
    if (argv.length == 0) return null;
    String name = CText.toLower(argv[0]);
    int argc = argv.length;
    ConfigParam p = ConfigParams.byName(name);
    if (p != null) {
      if (!p.has(ConfigParam.MULTI_ARG) && argc != 2) return "wrong number of arguments";
      String[] args;
      if (p.has(ConfigParam.MULTI_ARG) && argc == 2 && !argv[1].isEmpty()) {
        // One word holding several ("--save '3600 1'"): split it again.
        args = split(argv[1]);
        if (args == null) args = new String[0];
      } else {
        args = new String[argc - 1];
        System.arraycopy(argv, 1, args, 0, args.length);
      }
      boolean accumulate = p == ConfigParams.SAVE && readingConfigFile && saveLoaded;
      try {
        config.set(p, args, accumulate);
      } catch (ConfigException e) {
        return e.getMessage();
      }
      if (p == ConfigParams.SAVE && readingConfigFile) saveLoaded = true;
      if (p.has(ConfigParam.NOT_IMPLEMENTED)
          && !config.isDefault(p)
          && loggedNotImplemented.add(p.name)) {
        notImplementedLog.accept(p.name);
      }
      return null;
    }
    if (DEPRECATED.contains(name) && argc == 2) return null; // accepted and ignored, as Redis does
    if (name.equals("include") && argc == 2) {
      // The included text is loaded as a whole: its errors report its own line numbers. A
      // relative name is relative to the directory an earlier dir line moved Redis to.
      loadString(readConfigFile(argv[1], argv[1].startsWith("/") ? null : config.dir()));
      return null;
    }
    if (name.equals("rename-command") && argc == 3) return renameCommand(argv[1], argv[2]);
    if (name.equals("user") && argc >= 2) {
      users.add(argv);
      return null;
    }
    if (name.equals("loadmodule") && argc >= 2) {
      modules.add(argv);
      return null;
    }
    if (name.indexOf('.') >= 0) {
      if (argc < 2) return "Module config specified without value";
      StringBuilder v = new StringBuilder(argv[1]);
      for (int i = 2; i < argc; i++) v.append(' ').append(argv[i]);
      moduleConfigs.put(argv[0], v.toString());
      return null;
    }
    if (name.equals("sentinel")) {
      // "sentinel" alone selects sentinel mode on the command line; anything else needs it.
      return argc == 1 ? null : "sentinel directive while not in sentinel mode";
    }
    return "Bad directive or wrong number of arguments";
  }

  private String renameCommand(String from, String to) {
    if (commands != null) {
      String f = CText.toLower(from);
      if (!commands.remove(f)) return "No such command in rename-command";
      if (!to.isEmpty() && !commands.add(CText.toLower(to))) {
        return "Target command name already exists";
      }
    }
    renames.add(new String[] {from, to});
    return null;
  }

  /** Directives Redis 7.0 still accepts (with one argument) and ignores. */
  private static final Set<String> DEPRECATED =
      Set.of("list-max-ziplist-entries", "list-max-ziplist-value", "lua-replicate-commands");

  /** rename-command lines, as {from, to} pairs, applied by the server once its table is built. */
  public List<String[]> renames() {
    return renames;
  }

  /** user lines (ACL rules), each with its words, for the ACL subsystem. */
  public List<String[]> users() {
    return users;
  }

  /** loadmodule lines, each with its words (Redstart loads no modules: startup must refuse). */
  public List<String[]> modules() {
    return modules;
  }

  /** Module config lines ("module.name value"), which need their module loaded. */
  public Map<String, String> moduleConfigs() {
    return moduleConfigs;
  }
}
