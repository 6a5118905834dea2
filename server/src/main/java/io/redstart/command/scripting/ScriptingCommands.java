package io.redstart.command.scripting;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.command.Replies;
import io.redstart.scripting.Scripting;
import io.redstart.server.Client;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT *, FCALL, FCALL_RO and FUNCTION * (Redis's eval.c
 * and functions.c commands). The work is done by {@link Scripting}; these parse and delegate.
 */
public final class ScriptingCommands {
  private ScriptingCommands() {}

  private static Scripting scripting(Client c) {
    return c.server().component(Scripting.class);
  }

  public static void eval(Client c, byte[][] argv) {
    scripting(c).eval(c, argv, false, false);
  }

  public static void evalRo(Client c, byte[][] argv) {
    scripting(c).eval(c, argv, false, true);
  }

  public static void evalsha(Client c, byte[][] argv) {
    scripting(c).eval(c, argv, true, false);
  }

  public static void evalshaRo(Client c, byte[][] argv) {
    scripting(c).eval(c, argv, true, true);
  }

  public static void scriptLoad(Client c, byte[][] argv) {
    scripting(c).scriptLoad(c, argv[2]);
  }

  public static void scriptExists(Client c, byte[][] argv) {
    scripting(c).scriptExists(c, argv);
  }

  public static void scriptFlush(Client c, byte[][] argv) {
    if (argv.length > 3
        || (argv.length == 3 && !Args.is(argv[2], "sync") && !Args.is(argv[2], "async"))) {
      c.error(Errors.SCRIPT_FLUSH_OPTION);
      return;
    }
    scripting(c).scriptFlush();
    c.reply().ok();
  }

  public static void scriptKill(Client c, byte[][] argv) {
    scripting(c).kill(c, true);
  }

  public static void scriptHelp(Client c, byte[][] argv) {
    Replies.help(
        c,
        argv[0],
        "DEBUG (YES|SYNC|NO)",
        "    Set the debug mode for subsequent scripts executed.",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.");
  }

  public static void fcall(Client c, byte[][] argv) {
    scripting(c).fcall(c, argv, false);
  }

  public static void fcallRo(Client c, byte[][] argv) {
    scripting(c).fcall(c, argv, true);
  }

  public static void functionLoad(Client c, byte[][] argv) {
    scripting(c).functionLoad(c, argv);
  }

  public static void functionList(Client c, byte[][] argv) {
    scripting(c).functionList(c, argv);
  }

  public static void functionDelete(Client c, byte[][] argv) {
    scripting(c).functionDelete(c, argv[2]);
  }

  public static void functionFlush(Client c, byte[][] argv) {
    if (argv.length > 3) {
      Replies.subcommandSyntaxError(c, argv);
      return;
    }
    if (argv.length == 3 && !Args.is(argv[2], "sync") && !Args.is(argv[2], "async")) {
      c.error(Errors.FUNCTION_FLUSH_OPTION);
      return;
    }
    scripting(c).functionFlush();
    c.reply().ok();
  }

  public static void functionDump(Client c, byte[][] argv) {
    c.reply().bulk(scripting(c).functionDump());
  }

  public static void functionRestore(Client c, byte[][] argv) {
    scripting(c).functionRestore(c, argv);
  }

  public static void functionStats(Client c, byte[][] argv) {
    scripting(c).functionStats(c);
  }

  public static void functionKill(Client c, byte[][] argv) {
    scripting(c).kill(c, false);
  }

  public static void functionHelp(Client c, byte[][] argv) {
    Replies.help(
        c,
        argv[0],
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME"
            + " argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored"
            + " using FUNCTION RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a"
            + " restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision,"
            + " abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision,"
            + " replace the old",
        "      libraries with the new libraries (notice that even on this option there is a"
            + " chance of failure",
        "      in case of functions name collision with another library).");
  }
}
