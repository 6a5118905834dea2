package io.redstart.server;

import io.redstart.command.CommandTable;
import io.redstart.config.Config;
import io.redstart.config.ConfigLoader;
import io.redstart.config.ConfigParams;
import io.redstart.util.Clock;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code redstart-server [config-file] [--directive value ...]}: the same command line as
 * redis-server. Exits 1 with Redis's report on a bad configuration.
 */
public final class Main {
  private Main() {}

  private static final String DAEMON_CHILD = "REDSTART_DAEMON_CHILD";

  public static void main(String[] args) {
    if (args.length > 0) {
      switch (args[0]) {
        case "-v", "--version" -> {
          System.out.println("Redstart server v=" + RedstartServer.VERSION + " redis_version="
              + RedstartServer.REDIS_VERSION + " bits=64 java=" + Runtime.version());
          System.exit(0);
        }
        case "-h", "--help" -> {
          usage();
          System.exit(1);
        }
        default -> { }
      }
    }
    Config config = new Config();
    List<String> notImplemented = new ArrayList<>();
    ConfigLoader loader =
        new ConfigLoader(config, notImplemented::add)
            .commandNames(CommandTable.commands().keySet());
    if (!loadConfig(Arrays.asList(args), loader)) System.exit(1);
    if (config.getBool(ConfigParams.DAEMONIZE) && config.getString(ConfigParams.PIDFILE).isEmpty()) {
      // A daemon always writes a pid file; CONFIG GET and REWRITE show the default name.
      config.restore(ConfigParams.PIDFILE, DEFAULT_PID_FILE);
    }

    if (config.getBool(ConfigParams.DAEMONIZE) && System.getenv(DAEMON_CHILD) == null) {
      daemonize();
      return;
    }

    Log log;
    try {
      String logfile = config.getString(ConfigParams.LOGFILE);
      log = Log.to(logfile.isEmpty() ? "" : config.resolve(logfile).toString());
    } catch (IOException e) {
      System.err.println("Can't open the log file: " + e.getMessage());
      System.exit(1);
      return;
    }
    long pid = ProcessHandle.current().pid();
    log.role('C');
    log.warning("oO0OoO0OoO0Oo Redstart is starting oO0OoO0OoO0Oo");
    log.warning("Redstart version=" + RedstartServer.VERSION + ", redis_version="
        + RedstartServer.REDIS_VERSION + ", bits=64, pid=" + pid + ", just started");
    if (args.length == 0) {
      log.warning("Warning: no config file specified, using the default config. In order to"
          + " specify a config file use redstart-server /path/to/redis.conf");
    } else {
      log.warning("Configuration loaded");
    }
    log.role('M');
    for (String d : notImplemented) {
      log.notice("Directive '" + d + "' is accepted but its feature is not implemented yet");
    }
    if (!loader.modules().isEmpty()) {
      String path = loader.modules().get(0)[1];
      log.warning("Module " + path + " failed to load: Redstart does not support modules");
      log.warning("Can't load module from " + path + ": server aborting");
      System.exit(1);
    }
    if (!loader.moduleConfigs().isEmpty()) {
      log.warning("Module Configuration detected without loadmodule directive or no ApplyConfig"
          + " call: aborting");
      System.exit(1);
    }
    writePidFile(config, log);

    RedstartServer server = new RedstartServer(config, log, Clock.SYSTEM, false);
    for (String[] r : loader.renames()) server.dispatcher().rename(r[0], r[1]);
    log.warning("Server initialized");
    try {
      server.start(() -> showLogo(config, log, pid));
    } catch (Exception e) {
      log.warning("Warning: " + e.getMessage());
      log.warning("Failed listening on port " + config.getInt(ConfigParams.PORT)
          + " (TCP), aborting.");
      System.exit(1);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (!server.isStopped()) {
        log.warning("Received SIGTERM scheduling shutdown...");
        server.shutdown();
      }
      removePidFile(config);
    }, "redstart-shutdown"));
    server.awaitStop(Long.MAX_VALUE);
    removePidFile(config);
    // Non-daemon Netty threads may linger briefly; the process ends with the server.
    System.exit(0);
  }

  /**
   * After the listeners are bound, as Redis's redisAsciiArt: a picture holding the version, the
   * mode, "Port: N" and "PID: N" when always-show-logo is set or standard output is a terminal
   * without a log file (test suites wait for the " PID: " line), else one "Running mode" line.
   */
  private static void showLogo(Config config, Log log, long pid) {
    boolean tty = System.console() != null && System.console().isTerminal();
    boolean show = config.getBool(ConfigParams.ALWAYS_SHOW_LOGO)
        || (tty && config.getString(ConfigParams.LOGFILE).isEmpty());
    int port = config.getInt(ConfigParams.PORT);
    if (!show) {
      log.notice("Running mode=standalone, port=" + port + ".");
      return;
    }
    log.raw(String.join("\n",
        "",
        "        .--.            Redstart " + RedstartServer.VERSION + " (redis "
            + RedstartServer.REDIS_VERSION + ") 64 bit",
        "       / o  \\___",
        "      (   __.---'       Running in standalone mode",
        "      /  (              Port: " + port,
        "     /    \\            PID: " + pid,
        "    /  /\\  \\",
        "   '--'  '--'",
        ""));
  }

  private static void usage() {
    System.err.print("""
        Usage: ./redstart-server [/path/to/redis.conf] [options] [-]
               ./redstart-server - (read config from stdin)
               ./redstart-server -v or --version
               ./redstart-server -h or --help

        Examples:
               ./redstart-server (run the server with default conf)
               echo 'maxmemory 128mb' | ./redstart-server -
               ./redstart-server /etc/redis/6379.conf
               ./redstart-server --port 7777
               ./redstart-server --port 7777 --replicaof 127.0.0.1 8888
               ./redstart-server /etc/myredis.conf --loglevel verbose -
               ./redstart-server /etc/myredis.conf --loglevel verbose

        """);
  }

  /**
   * Loads the configuration as Redis's main does: no argument loads nothing; otherwise the config
   * file (first argument unless it starts with '-'), standard input ("-" first or last), then the
   * {@code --directive value} options as further lines. On a bad configuration prints Redis's
   * report (the FATAL CONFIG FILE ERROR block on standard error, or the "can't open config file"
   * warning line on standard output) and returns false.
   */
  static boolean loadConfig(List<String> args, ConfigLoader loader) {
    if (args.isEmpty()) return true;
    ConfigLoader.CommandLine cl = ConfigLoader.parseCommandLine(args);
    try {
      loader.load(cl.configFile(), cl.configFromStdin(), cl.options());
      return true;
    } catch (ConfigLoader.ConfigFileException e) {
      if (e.isOpenFailure()) {
        Log log = new Log();
        log.role('C');
        log.warning(e.getMessage());
      } else {
        System.err.write(e.getMessage().getBytes(StandardCharsets.ISO_8859_1), 0,
            e.getMessage().length());
        System.err.flush();
      }
      return false;
    }
  }

  /** Restarts this process detached, as daemonize does, and lets the parent exit. */
  private static void daemonize() {
    ProcessHandle.Info info = ProcessHandle.current().info();
    List<String> cmd = new ArrayList<>();
    cmd.add(info.command().orElse("java"));
    info.arguments().ifPresent(a -> cmd.addAll(Arrays.asList(a)));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put(DAEMON_CHILD, "1");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      pb.start();
      System.exit(0);
    } catch (IOException e) {
      System.err.println("Can't daemonize: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Where a daemon writes its pid when no pidfile is configured (CONFIG_DEFAULT_PID_FILE). */
  private static final String DEFAULT_PID_FILE = "/var/run/redis.pid";

  private static String pidFile(Config config) {
    String pf = config.getString(ConfigParams.PIDFILE);
    return pf.isEmpty() ? "" : config.resolve(pf).toString();
  }

  private static void writePidFile(Config config, Log log) {
    String pf = pidFile(config);
    if (pf.isEmpty()) return;
    try {
      Files.writeString(Path.of(pf), ProcessHandle.current().pid() + "\n");
    } catch (IOException e) {
      log.warning("Failed to write PID file: " + e.getMessage());
    }
  }

  private static void removePidFile(Config config) {
    String pf = pidFile(config);
    if (pf.isEmpty()) return;
    try {
      Files.deleteIfExists(Path.of(pf));
    } catch (IOException ignored) {
      // Nothing to do: the file was not ours or is already gone.
    }
  }
}
