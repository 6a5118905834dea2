package io.redstart.command.zset;

import io.redstart.config.Config;
import io.redstart.config.ConfigLoader;
import io.redstart.server.Client;
import io.redstart.server.Log;
import io.redstart.server.RedstartServer;
import io.redstart.testing.InMemoryConnection;
import io.redstart.util.Clock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs commands in-process on a server that is built but not started: one in-memory client, the
 * real dispatcher, and recorders for keyspace notifications ("event key") and propagated writes
 * (the argv, space separated). Only for commands that need no event loop (nothing that blocks).
 *
 * <p>Used by one test thread.
 */
final class ZHarness {
  final RedstartServer server;
  final InMemoryConnection conn;
  final Client client;
  final List<String> events = new ArrayList<>();
  final List<String> propagated = new ArrayList<>();

  ZHarness(String... configLines) throws Exception {
    Config config = new Config();
    new ConfigLoader(config, d -> {}).loadString(String.join("\n", configLines));
    server = new RedstartServer(config, Log.silent(), Clock.SYSTEM, true);
    conn = new InMemoryConnection();
    client = server.newLocalClient(conn);
    server
        .events()
        .publisher(
            (channel, message) -> {
              String ch = new String(channel, StandardCharsets.ISO_8859_1);
              if (ch.startsWith("__keyevent@")) {
                events.add(
                    ch.substring(ch.indexOf(':') + 1)
                        + " "
                        + new String(message, StandardCharsets.ISO_8859_1));
              }
            });
    server
        .propagator()
        .addFeed(
            (db, argv) -> {
              StringBuilder sb = new StringBuilder();
              for (byte[] a : argv) {
                if (!sb.isEmpty()) sb.append(' ');
                sb.append(new String(a, StandardCharsets.ISO_8859_1));
              }
              propagated.add(sb.toString());
            });
  }

  /** Runs one command and returns its reply as text (one char per byte). */
  String call(String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) argv[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
    server.dispatcher().process(client, argv);
    server.flushPending();
    return conn.takeOutputText();
  }

  /** {@link #call} with the line split on spaces. */
  String line(String line) {
    return call(line.split(" "));
  }

  long dirty() {
    return server.dirty();
  }
}
