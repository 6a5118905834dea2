package io.redstart.server;

import io.redstart.command.CommandSpec;

/**
 * The checks of Redis's processCommand that belong to optional subsystems, in Redis's order.
 * Each subsystem installs its gate when it starts (ACL, cluster, maxmemory, persistence errors,
 * replication, pub/sub, scripting); an empty stage lets every command through. The dispatcher
 * consults them after existence, arity, protected-command and authentication checks.
 *
 * <p>Owned by the keyspace thread.
 */
public final class CommandGates {
  /** Returns the error to refuse the command with, or null to let it through. */
  @FunctionalInterface
  public interface Gate {
    String check(Client c, CommandSpec cmd, byte[][] argv);
  }

  /** MULTI support: queueing commands and flagging a transaction that saw an error. */
  public interface Transactions {
    /** Queues the command if the client is inside MULTI (and replies QUEUED); true if queued. */
    boolean queueIfInMulti(Client c, CommandSpec cmd, byte[][] argv);

    /** Marks the client's transaction as failed, so EXEC answers EXECABORT. */
    void flagTransaction(Client c);

    /** Whether the client is between MULTI and EXEC. */
    boolean inMulti(Client c);

    /** Leaves MULTI, forgetting queued commands and watched keys (an EXEC that was refused). */
    void discardTransaction(Client c);

    /** Whether a command queued by the client has {@code flag} (Redis's mstate.cmd_flags). */
    default boolean queuedCommandHas(Client c, long flag) {
      return false;
    }
  }

  /** The stages, in the order processCommand applies them. */
  public enum Stage {
    MULTI_RESTRICTIONS,
    ACL,
    CLUSTER_REDIRECTION,
    MEMORY,
    DISK_ERROR,
    MIN_REPLICAS,
    READONLY_REPLICA,
    PUBSUB_CONTEXT,
    STALE_DATA,
    BUSY_SCRIPT,
    REPLICA_CLIENT
  }

  private final Gate[] gates = new Gate[Stage.values().length];
  private Transactions transactions;

  /** Adds a gate; gates of one stage run in the order they were installed. */
  public void install(Stage stage, Gate gate) {
    Gate before = gates[stage.ordinal()];
    gates[stage.ordinal()] =
        before == null
            ? gate
            : (c, cmd, argv) -> {
              String r = before.check(c, cmd, argv);
              return r != null ? r : gate.check(c, cmd, argv);
            };
  }

  public void transactions(Transactions t) {
    this.transactions = t;
  }

  /** The first refusal among the installed gates, or null. */
  public String check(Client c, CommandSpec cmd, byte[][] argv) {
    for (Gate g : gates) {
      if (g == null) continue;
      String r = g.check(c, cmd, argv);
      if (r != null) return r;
    }
    return null;
  }

  public boolean queueInMulti(Client c, CommandSpec cmd, byte[][] argv) {
    return transactions != null && transactions.queueIfInMulti(c, cmd, argv);
  }

  public boolean inMulti(Client c) {
    return transactions != null && transactions.inMulti(c);
  }

  /** Whether a command the client queued in MULTI has {@code flag}. */
  public boolean queuedCommandHas(Client c, long flag) {
    return transactions != null && transactions.queuedCommandHas(c, flag);
  }

  public void flagTransaction(Client c) {
    if (transactions != null) transactions.flagTransaction(c);
  }

  public void discardTransaction(Client c) {
    if (transactions != null) transactions.discardTransaction(c);
  }
}
