package io.redstart.embedded;

import io.redstart.config.Config;
import io.redstart.config.ConfigLoader;
import io.redstart.server.Log;
import io.redstart.server.RedstartServer;
import io.redstart.util.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a Redstart server inside this JVM, for tests and embedding:
 *
 * <pre>{@code
 * try (Redstart.Handle redis = Redstart.builder().port(0).start()) {
 *   Jedis jedis = new Jedis("127.0.0.1", redis.port());
 * }
 * }</pre>
 *
 * Port 0 picks a free port. Any redis.conf directive can be set with {@link Builder#config}.
 */
public final class Redstart {
  private Redstart() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Collects configuration for an embedded server. */
  public static final class Builder {
    private final List<String> lines = new ArrayList<>();
    private boolean dirGiven;
    private boolean quiet = true;
    private Clock clock = Clock.SYSTEM;

    private Builder() {
      // Embedded servers listen on loopback only and keep no files unless asked.
      lines.add("bind 127.0.0.1");
      lines.add("save \"\"");
    }

    public Builder port(int port) {
      return config("port", Integer.toString(port));
    }

    public Builder bind(String addresses) {
      return config("bind", addresses);
    }

    /** Sets a directive as redis.conf would ({@code config("maxmemory", "100mb")}). */
    public Builder config(String directive, String... values) {
      if (directive.equalsIgnoreCase("dir")) dirGiven = true;
      StringBuilder sb = new StringBuilder(directive);
      for (String v : values) sb.append(' ').append(quote(v));
      lines.add(sb.toString());
      return this;
    }

    /** Logs to standard output instead of nowhere. */
    public Builder verbose() {
      this.quiet = false;
      return this;
    }

    /** Uses {@code clock} for time (tests that move time). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Starts the server; throws if the configuration is refused or the port cannot be bound. */
    public Handle start() throws Exception {
      // Without a dir, a fresh folder of its own: an embedded server never reads or writes the
      // files (dump.rdb, appendonlydir) of the process's working directory, and the folder goes
      // away with the server.
      java.nio.file.Path tempDir = null;
      List<String> all = new ArrayList<>(lines);
      if (!dirGiven) {
        tempDir = java.nio.file.Files.createTempDirectory("redstart-");
        all.add(1, "dir " + quote(tempDir.toString()));
      }
      Config config = new Config();
      ConfigLoader loader = new ConfigLoader(config, d -> { })
          .commandNames(io.redstart.command.CommandTable.commands().keySet());
      loader.loadString(String.join("\n", all));
      Log log = quiet ? Log.silent() : new Log();
      RedstartServer server = new RedstartServer(config, log, clock, true);
      for (String[] r : loader.renames()) server.dispatcher().rename(r[0], r[1]);
      try {
        server.start();
      } catch (Exception | Error e) {
        deleteTree(tempDir);
        throw e;
      }
      return new Handle(server, tempDir);
    }

    private static String quote(String v) {
      StringBuilder sb = new StringBuilder("\"");
      for (char c : v.toCharArray()) {
        if (c == '"' || c == '\\') sb.append('\\');
        sb.append(c);
      }
      return sb.append('"').toString();
    }
  }

  /** A running embedded server; {@link #close} stops it. */
  public static final class Handle implements AutoCloseable {
    private final RedstartServer server;
    private final java.nio.file.Path tempDir;

    Handle(RedstartServer server, java.nio.file.Path tempDir) {
      this.server = server;
      this.tempDir = tempDir;
    }

    public int port() {
      return server.port();
    }

    public String host() {
      return "127.0.0.1";
    }

    /** The server itself, for in-process inspection. */
    public RedstartServer server() {
      return server;
    }

    @Override
    public void close() {
      server.shutdown();
      deleteTree(tempDir);
    }
  }

  private static void deleteTree(java.nio.file.Path dir) {
    if (dir == null) return;
    try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(dir)) {
      for (java.nio.file.Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(p);
      }
    } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
      // A temporary folder the system cleans anyway.
    }
  }
}
