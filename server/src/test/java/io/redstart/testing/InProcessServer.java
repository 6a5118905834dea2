package io.redstart.testing;

import io.redstart.config.Config;
import io.redstart.config.ConfigLoader;
import io.redstart.server.Client;
import io.redstart.server.Log;
import io.redstart.server.RedstartServer;
import io.redstart.util.Clock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A server that is built but never started: commands go through the real dispatcher on the
 * calling thread, from in-memory clients, and come back as reply bytes. Keyspace notifications are
 * collected instead of published. For tests of handlers with every check of the dispatcher and no
 * socket; a handler that throws fails the test at once.
 *
 * <p>Not thread-safe: the test thread plays the keyspace thread.
 */
public final class InProcessServer {
  private final RedstartServer server;
  private final List<String> notifications = new ArrayList<>();

  /** A server configured with these config-file lines ({@code "hll-sparse-max-bytes 100"}). */
  public InProcessServer(String... configLines) throws Exception {
    Config config = new Config();
    new ConfigLoader(config, d -> {}).loadString(String.join("\n", configLines));
    server = new RedstartServer(config, Log.silent(), Clock.SYSTEM, true);
    server
        .events()
        .publisher(
            (channel, message) ->
                notifications.add(
                    new String(channel, StandardCharsets.ISO_8859_1)
                        + " "
                        + new String(message, StandardCharsets.ISO_8859_1)));
  }

  public RedstartServer server() {
    return server;
  }

  /** A new client connection. */
  public Conn connect() {
    return new Conn();
  }

  /** The notifications published since the last call, as "channel message", then forgotten. */
  public List<String> takeNotifications() {
    List<String> out = List.copyOf(notifications);
    notifications.clear();
    return out;
  }

  /** One in-memory client. */
  public final class Conn {
    private final InMemoryConnection connection = new InMemoryConnection();
    private final Client client = server.newLocalClient(connection);

    public Client client() {
      return client;
    }

    /** Runs one command (arguments as ISO-8859-1 text) and returns its reply as text. */
    public String call(String... args) {
      byte[][] argv = new byte[args.length][];
      for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
      return new String(call(argv), StandardCharsets.ISO_8859_1);
    }

    /** Runs one command and returns its reply's bytes. */
    public byte[] call(byte[]... argv) {
      server.dispatcher().process(client, argv);
      server.flushPending();
      return connection.takeOutput();
    }
  }
}
