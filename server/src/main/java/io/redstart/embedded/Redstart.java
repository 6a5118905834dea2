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
      Config config = new Config();
      new ConfigLoader(config, d -> { }).loadString(String.join("\n", lines));
      Log log = quiet ? Log.silent() : new Log();
      RedstartServer server = new RedstartServer(config, log, clock, true);
      server.start();
      return new Handle(server);
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

    Handle(RedstartServer server) {
      this.server = server;
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
    }
  }
}
