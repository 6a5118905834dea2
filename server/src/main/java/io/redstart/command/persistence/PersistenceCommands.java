package io.redstart.command.persistence;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.persistence.Persistence;
import io.redstart.server.Client;

/**
 * SAVE, BGSAVE, LASTSAVE, BGREWRITEAOF, DUMP and RESTORE: argument parsing, then the {@link
 * Persistence} subsystem does the work.
 */
public final class PersistenceCommands {
  private PersistenceCommands() {}

  private static Persistence persistence(Client c) {
    return c.server().component(Persistence.class);
  }

  public static void save(Client c, byte[][] argv) {
    persistence(c).saveCommand(c);
  }

  /** BGSAVE [SCHEDULE]. */
  public static void bgsave(Client c, byte[][] argv) {
    boolean schedule = false;
    if (argv.length > 1) {
      if (argv.length == 2 && Args.is(argv[1], "schedule")) {
        schedule = true;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    persistence(c).bgsaveCommand(c, schedule);
  }

  public static void lastsave(Client c, byte[][] argv) {
    persistence(c).lastsaveCommand(c);
  }

  public static void bgrewriteaof(Client c, byte[][] argv) {
    persistence(c).aof().bgrewriteaofCommand(c);
  }

  public static void dump(Client c, byte[][] argv) {
    persistence(c).dumpCommand(c, argv[1]);
  }

  public static void restore(Client c, byte[][] argv) {
    persistence(c).restoreCommand(c, argv);
  }

  /** RESTORE-ASKING: RESTORE for a slot being imported (cluster); the same here. */
  public static void restoreAsking(Client c, byte[][] argv) {
    persistence(c).restoreCommand(c, argv);
  }
}
