package io.redstart.command.transaction;

import io.redstart.server.Client;
import io.redstart.transaction.Transactions;

/** MULTI, EXEC, DISCARD, WATCH, UNWATCH: thin handlers over {@link Transactions}. */
public final class TransactionCommands {
  private TransactionCommands() {}

  private static Transactions tx(Client c) {
    return c.server().component(Transactions.class);
  }

  public static void multi(Client c, byte[][] argv) {
    tx(c).multi(c);
  }

  public static void exec(Client c, byte[][] argv) {
    tx(c).exec(c);
  }

  public static void discard(Client c, byte[][] argv) {
    tx(c).discardCommand(c);
  }

  public static void watch(Client c, byte[][] argv) {
    tx(c).watchCommand(c, argv);
  }

  public static void unwatch(Client c, byte[][] argv) {
    tx(c).unwatch(c);
  }
}
