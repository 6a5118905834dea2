package io.redstart.command;

import java.util.LinkedHashMap;
import java.util.Map;

/** Placeholder until the generator writes this file. */
public final class CommandTable {
  private CommandTable() {}

  public static Map<String, CommandSpec> commands() {
    Map<String, CommandSpec> m = new LinkedHashMap<>();
    m.put("ping", new CommandSpec("ping", -1, CommandFlags.FAST | CommandFlags.STALE, 0, 0, 0, 0, new KeySpec[0], io.redstart.command.connection.ConnectionCommands::ping));
    return m;
  }
}
