package io.redstart.command.server;

import io.redstart.server.Client;

/**
 * CLUSTER and its subcommands, READONLY, READWRITE and ASKING on a server without cluster
 * support, which Redstart always is: every one of them replies Redis's "cluster support disabled"
 * error once the dispatcher has checked the subcommand and arity (so CLUSTER FOO still gets the
 * unknown-subcommand error and CLUSTER INFO x the arity error, as in Redis).
 *
 * <p>Run on the keyspace thread; stateless.
 */
public final class ClusterCommands {
  private ClusterCommands() {}

  static final String DISABLED = "ERR This instance has cluster support disabled";

  /** Any cluster command: the "cluster support disabled" error. */
  public static void disabled(Client c, byte[][] argv) {
    c.error(DISABLED);
  }
}
