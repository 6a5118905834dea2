package io.redstart.command.server;

import io.redstart.config.Config;
import io.redstart.config.ConfigLoader;
import io.redstart.server.Client;
import io.redstart.server.Log;
import io.redstart.server.RedstartServer;
import io.redstart.testing.InMemoryConnection;
import io.redstart.util.Clock;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Runs CONFIG subcommands on a server that is built but not started, through one in-memory client,
 * and returns the reply bytes. Stands in for the dispatcher's arity check and subcommand lookup
 * (with Redis's texts) so that sequences can be replayed against a reference server.
 */
final class ConfigHarness {
  final Config config;
  final RedstartServer server;
  final InMemoryConnection conn;
  final Client client;

  ConfigHarness(Config config, boolean local) {
    this.config = config;
    this.server = new RedstartServer(config, Log.silent(), Clock.SYSTEM, true);
    this.conn = new InMemoryConnection().local(local);
    this.client = server.newLocalClient(conn);
  }

  /** A harness whose configuration is these config-file lines. */
  static ConfigHarness of(String... lines) throws Exception {
    Config config = new Config();
    new ConfigLoader(config, d -> {}).loadString(String.join("\n", lines));
    return new ConfigHarness(config, true);
  }

  ConfigHarness resp3() {
    client.protocol(3);
    return this;
  }

  /** Runs "CONFIG args..." (args[0] is the subcommand) and returns the reply bytes. */
  byte[] config(String... args) {
    byte[][] argv = new byte[args.length + 1][];
    argv[0] = "config".getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < args.length; i++)
      argv[i + 1] = args[i].getBytes(StandardCharsets.ISO_8859_1);
    String sub = args.length == 0 ? "" : args[0].toLowerCase(Locale.ROOT);
    int arity =
        switch (sub) {
          case "get" -> -3;
          case "set" -> -4;
          case "resetstat", "rewrite", "help" -> 2;
          default -> 0;
        };
    if (arity == 0) {
      client.error("ERR unknown subcommand '" + args[0] + "'. Try CONFIG HELP.");
    } else if ((arity > 0 && argv.length != arity) || (arity < 0 && argv.length < -arity)) {
      client.error("ERR wrong number of arguments for 'config|" + sub + "' command");
    } else {
      switch (sub) {
        case "get" -> ConfigCommands.get(client, argv);
        case "set" -> ConfigCommands.set(client, argv);
        case "resetstat" -> ConfigCommands.resetstat(client, argv);
        case "rewrite" -> ConfigCommands.rewrite(client, argv);
        default -> ConfigCommands.help(client, argv);
      }
    }
    server.flushPending();
    return conn.takeOutput();
  }

  /** {@link #config} as text. */
  String text(String... args) {
    return new String(config(args), StandardCharsets.ISO_8859_1);
  }
}
