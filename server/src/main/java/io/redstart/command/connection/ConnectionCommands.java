package io.redstart.command.connection;

import io.redstart.server.Client;

/** PING, ECHO, QUIT, RESET, SELECT, SWAPDB, HELLO, AUTH. */
public final class ConnectionCommands {
  private ConnectionCommands() {}

  public static void ping(Client c, byte[][] argv) {
    if (argv.length == 1) {
      c.reply().simple("PONG");
    } else {
      c.reply().bulk(argv[1]);
    }
  }
}
