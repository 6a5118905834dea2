package io.redstart.server;

import io.redstart.config.Config;
import io.redstart.config.ConfigLoader;
import io.redstart.config.ConfigParams;
import io.redstart.util.Clock;
import java.io.File;
import java.io.IOException;
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
          System.exit(0);
        }
        default -> { }
      }
    }
    String file = null;
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    if (!rest.isEmpty() && !rest.get(0).startsWith("-")) {
      file = rest.remove(0);
    } else if (!rest.isEmpty() && rest.get(0).equals("-")) {
      file = rest.remove(0);
    }
    Config config = new Config();
    List<String> notImplemented = new ArrayList<>();
    ConfigLoader loader = new ConfigLoader(config, notImplemented::add);
    try {
      loader.load(file, ConfigLoader.optionsFromArgs(rest));
    } catch (ConfigLoader.ConfigFileException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }

    if (config.getBool(ConfigParams.DAEMONIZE) && System.getenv(DAEMON_CHILD) == null) {
      daemonize();
      return;
    }

    Log log;
    try {
      log = Log.to(config.getString(ConfigParams.LOGFILE));
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
    if (file == null) {
      log.warning("Warning: no config file specified, using the default config. In order to"
          + " specify a config file use redstart-server /path/to/redis.conf");
    } else {
      log.warning("Configuration loaded");
    }
    log.role('M');
    for (String d : notImplemented) {
      log.notice("Directive '" + d + "' is accepted but its feature is not implemented yet");
    }
    writePidFile(config, log);

    RedstartServer server = new RedstartServer(config, log, Clock.SYSTEM, false);
    log.notice("Running mode=standalone, port=" + config.getInt(ConfigParams.PORT) + ".");
    log.warning("Server initialized");
    try {
      server.start();
    } catch (Exception e) {
      log.warning(e.getMessage());
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

  private static void usage() {
    System.err.println("""
        Usage: ./redstart-server [/path/to/redis.conf] [options] [-]
               ./redstart-server - (read config from stdin)
               ./redstart-server -v or --version
               ./redstart-server -h or --help

        Examples:
               ./redstart-server (run the server with default conf)
               ./redstart-server /etc/redis/6379.conf
               ./redstart-server --port 7777
               ./redstart-server /etc/myredis.conf --loglevel verbose -
               ./redstart-server /etc/myredis.conf --loglevel verbose
        """);
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

  private static String pidFile(Config config) {
    String pf = config.getString(ConfigParams.PIDFILE);
    if (pf.isEmpty() && config.getBool(ConfigParams.DAEMONIZE)) pf = "/var/run/redis.pid";
    return pf;
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
