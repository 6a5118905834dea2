package io.redstart.command.collection;

import io.redstart.config.Config;
import io.redstart.server.Client;
import io.redstart.server.Log;
import io.redstart.server.RedstartServer;
import io.redstart.store.Database;
import io.redstart.testing.InMemoryConnection;
import io.redstart.testing.Reply;
import io.redstart.util.Clock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A server that is built but not started, with clients on in-memory connections: commands go
 * through the real dispatcher (arity, MULTI, handlers, propagation) on the test's thread. Records
 * what is propagated and the keyspace notifications published.
 *
 * <p>Not thread-safe: used by one test thread.
 */
public final class InProcess {
  public final RedstartServer server;
  private final InMemoryConnection conn = new InMemoryConnection();
  private final Client client;
  /** Propagated commands, one string per command, arguments joined by spaces. */
  public final List<String> propagated = new ArrayList<>();
  /** Published notifications as "channel message". */
  public final List<String> events = new ArrayList<>();

  public InProcess() {
    server = new RedstartServer(new Config(), Log.silent(), Clock.SYSTEM, true);
    client = server.newLocalClient(conn);
    server.propagator().addFeed((db, argv) -> propagated.add(join(argv)));
    server.events().publisher((channel, message) -> events.add(text(channel) + " " + text(message)));
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static String join(byte[][] argv) {
    StringBuilder sb = new StringBuilder();
    for (byte[] a : argv) {
      if (!sb.isEmpty()) sb.append(' ');
      sb.append(text(a));
    }
    return sb.toString();
  }

  /** A second client of the same server. */
  public Session session() {
    return new Session(new InMemoryConnection());
  }

  /** One client: runs commands and returns their raw replies. */
  public final class Session {
    final InMemoryConnection connection;
    final Client c;

    Session(InMemoryConnection connection) {
      this.connection = connection;
      this.c = server.newLocalClient(connection);
    }

    public String raw(String... args) {
      byte[][] argv = new byte[args.length][];
      for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
      server.dispatcher().process(c, argv);
      server.flushPending();
      return connection.takeOutputText();
    }

    public Reply call(String... args) {
      return Reply.parse(raw(args).getBytes(StandardCharsets.ISO_8859_1));
    }

    public Client client() {
      return c;
    }
  }

  /** Runs a command on the main client; returns the raw reply text (RESP, ISO-8859-1). */
  public String raw(String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
    server.dispatcher().process(client, argv);
    server.flushPending();
    return conn.takeOutputText();
  }

  /** Runs a command on the main client and parses its reply. */
  public Reply call(String... args) {
    return Reply.parse(raw(args).getBytes(StandardCharsets.ISO_8859_1));
  }

  public Client client() {
    return client;
  }

  public Database db() {
    return client.db();
  }

  /** The dirty counter (changes since the last save). */
  public long dirty() {
    return server.dirty();
  }
}
