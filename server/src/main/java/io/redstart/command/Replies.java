package io.redstart.command;

import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import java.util.Locale;

/** Reply shapes shared by many commands. */
public final class Replies {
  private Replies() {}

  /**
   * A HELP reply as Redis's addReplyHelp: a header naming the command, the lines, and the HELP
   * footer, each a status string.
   */
  public static void help(Client c, byte[] command, String... lines) {
    RespWriter w = c.reply();
    w.array(lines.length + 3);
    w.simple(Args.str(command).toUpperCase(Locale.ROOT)
        + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    for (String l : lines) w.simple(l);
    w.simple("HELP");
    w.simple("    Prints this help.");
  }

  /** "unknown subcommand or wrong number of arguments for 'x'. Try CMD HELP." */
  public static void subcommandSyntaxError(Client c, byte[][] argv) {
    String sub = Args.str(argv[1]);
    if (sub.length() > 128) sub = sub.substring(0, 128);
    c.error("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try "
        + Args.str(argv[0]).toUpperCase(Locale.ROOT) + " HELP.");
  }
}
