package io.redstart.command.replication;

import io.redstart.replication.Replication;
import io.redstart.server.Client;

/**
 * The replication commands: REPLICAOF (SLAVEOF), ROLE, REPLCONF, SYNC, PSYNC, WAIT and FAILOVER.
 * Each hands over to the {@link Replication} subsystem, which owns the state they read and change.
 */
public final class ReplicationCommands {
  private ReplicationCommands() {}

  private static Replication replication(Client c) {
    return c.server().component(Replication.class);
  }

  /** REPLICAOF host port | NO ONE. */
  public static void replicaof(Client c, byte[][] argv) {
    replication(c).replicaofCommand(c, argv);
  }

  /** SLAVEOF host port | NO ONE: REPLICAOF's old name. */
  public static void slaveof(Client c, byte[][] argv) {
    replication(c).replicaofCommand(c, argv);
  }

  /** ROLE. */
  public static void role(Client c, byte[][] argv) {
    replication(c).roleCommand(c);
  }

  /** REPLCONF option value [option value ...]. */
  public static void replconf(Client c, byte[][] argv) {
    replication(c).replconfCommand(c, argv);
  }

  /** SYNC. */
  public static void sync(Client c, byte[][] argv) {
    replication(c).syncCommand(c, argv);
  }

  /** PSYNC replid offset. */
  public static void psync(Client c, byte[][] argv) {
    replication(c).syncCommand(c, argv);
  }

  /** WAIT numreplicas timeout. */
  public static void waitCommand(Client c, byte[][] argv) {
    replication(c).waitCommand(c, argv);
  }

  /** FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]. */
  public static void failover(Client c, byte[][] argv) {
    replication(c).failoverCommand(c, argv);
  }
}
