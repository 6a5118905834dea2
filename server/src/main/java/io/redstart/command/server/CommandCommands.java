package io.redstart.command.server;

import io.redstart.command.AclCategories;
import io.redstart.command.CommandFlags;
import io.redstart.command.CommandSpec;
import io.redstart.command.Errors;
import io.redstart.command.KeyExtractor;
import io.redstart.command.KeyExtractor.KeyRef;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * COMMAND and its subcommands: COUNT, LIST, INFO, DOCS, GETKEYS, GETKEYSANDFLAGS, HELP. They
 * describe the commands Redstart implements (the dispatcher's table), with replies byte for byte as
 * Redis 7.0 gives them for the same commands; a command Redstart lacks is as unknown to them as a
 * command Redis lacks is to Redis. Entries come from {@link CommandDescriptions}.
 *
 * <p>Order: top-level commands in table order (by name), subcommands in their container's order.
 * Redis lists in hash-table order, which changes with every start; clients cannot rely on it.
 *
 * <p>Runs on the keyspace thread, as every handler.
 */
public final class CommandCommands {
  private CommandCommands() {}

  /** COMMAND: the INFO entry of every command. */
  public static void command(Client c, byte[][] argv) {
    allInfo(c);
  }

  /** COMMAND COUNT: the number of top-level commands. */
  public static void count(Client c, byte[][] argv) {
    c.reply().integer(table(c).size());
  }

  /** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]. */
  public static void list(Client c, byte[][] argv) {
    Predicate<CommandSpec> filter = cmd -> true;
    if (argv.length != 2) {
      // Redis reads FILTERBY only as the last three arguments; anything else is a syntax error.
      if (argv.length != 5 || !is(argv[2], "filterby")) {
        c.error(Errors.SYNTAX);
        return;
      }
      byte[] arg = argv[4];
      if (is(argv[3], "module")) {
        filter = cmd -> false; // no modules: no module commands
      } else if (is(argv[3], "aclcat")) {
        long category = categoryBit(arg);
        filter = cmd -> (cmd.aclCategories & category) != 0;
      } else if (is(argv[3], "pattern")) {
        filter = cmd -> Glob.matches(arg, cmd.fullName.getBytes(StandardCharsets.ISO_8859_1), true);
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    List<String> names = new ArrayList<>();
    for (CommandSpec cmd : table(c).values()) {
      if (filter.test(cmd)) names.add(cmd.fullName);
      for (CommandSpec sub : cmd.subcommands().values()) {
        if (filter.test(sub)) names.add(sub.fullName);
      }
    }
    RespWriter w = c.reply();
    w.array(names.size());
    for (String n : names) w.bulk(n);
  }

  /** COMMAND INFO [name ...]: one entry per name, a null for a name no command has. */
  public static void info(Client c, byte[][] argv) {
    if (argv.length == 2) {
      allInfo(c);
      return;
    }
    RespWriter w = c.reply();
    w.array(argv.length - 2);
    for (int i = 2; i < argv.length; i++) {
      CommandSpec cmd = lookupByName(c, argv[i]);
      if (cmd == null) {
        w.nullBulk();
      } else {
        w.raw(CommandDescriptions.info(cmd, c.protocol()));
      }
    }
  }

  /** COMMAND DOCS [name ...]: a map from name to docs; names no command has are left out. */
  public static void docs(Client c, byte[][] argv) {
    List<CommandSpec> found = new ArrayList<>();
    if (argv.length == 2) {
      found.addAll(table(c).values());
    } else {
      for (int i = 2; i < argv.length; i++) {
        CommandSpec cmd = lookupByName(c, argv[i]);
        if (cmd != null) found.add(cmd);
      }
    }
    RespWriter w = c.reply();
    w.map(found.size());
    for (CommandSpec cmd : found) {
      w.bulk(cmd.fullName);
      w.raw(CommandDescriptions.docs(cmd, c.protocol()));
    }
  }

  /** COMMAND GETKEYS command [arg ...]: the key arguments of a full command line. */
  public static void getkeys(Client c, byte[][] argv) {
    getkeysGeneric(c, argv, false);
  }

  /** COMMAND GETKEYSANDFLAGS command [arg ...]: each key with its key-spec flags. */
  public static void getkeysandflags(Client c, byte[][] argv) {
    getkeysGeneric(c, argv, true);
  }

  private static void getkeysGeneric(Client c, byte[][] argv, boolean withFlags) {
    byte[][] line = Arrays.copyOfRange(argv, 2, argv.length);
    CommandSpec cmd = c.server().dispatcher().lookup(line);
    String error = writeKeys(c.reply(), cmd, line, withFlags);
    if (error != null) c.error(error);
  }

  /**
   * The reply of COMMAND GETKEYS (or GETKEYSANDFLAGS when {@code withFlags}) for the command line
   * {@code line}, which {@code cmd} (null when unknown) was looked up for. Writes the reply and
   * returns null, or writes nothing and returns the error text, checks in Redis's order: unknown
   * command, no key arguments, wrong number of arguments, no keys found (an empty array instead for
   * commands flagged no_mandatory_keys).
   */
  public static String writeKeys(RespWriter w, CommandSpec cmd, byte[][] line, boolean withFlags) {
    if (cmd == null) return Errors.INVALID_COMMAND_SPECIFIED;
    if (!KeyExtractor.hasKeys(cmd)) return Errors.NO_KEY_ARGUMENTS;
    if (!cmd.arityAccepts(line.length)) {
      return Errors.INVALID_NUMBER_OF_ARGUMENTS;
    }
    List<KeyRef> keys = KeyExtractor.keys(cmd, line);
    if (keys.isEmpty()) {
      if (!cmd.has(CommandFlags.NO_MANDATORY_KEYS)) {
        return Errors.INVALID_ARGUMENTS;
      }
      w.array(0);
      return null;
    }
    w.array(keys.size());
    for (KeyRef k : keys) {
      if (withFlags) {
        w.array(2);
        w.bulk(line[k.index()]);
        w.set(k.flags().length);
        for (String f : k.flags()) w.simple(f);
      } else {
        w.bulk(line[k.index()]);
      }
    }
    return null;
  }

  private static final String[] HELP = {
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
    "HELP",
    "    Prints this help.",
  };

  /** COMMAND HELP: the text Redis 7.0 prints, headed by the command name as sent, upper-cased. */
  public static void help(Client c, byte[][] argv) {
    RespWriter w = c.reply();
    w.array(HELP.length + 1);
    StringBuilder name = new StringBuilder();
    for (byte b : argv[0]) name.append((char) (b >= 'a' && b <= 'z' ? b - 32 : b & 0xff));
    w.simple(name + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    for (String line : HELP) w.simple(line);
  }

  // ---- helpers

  /** What COMMAND describes: the commands by the names clients call them (after rename-command). */
  private static Map<String, CommandSpec> table(Client c) {
    return c.server().dispatcher().callable();
  }

  private static void allInfo(Client c) {
    Map<String, CommandSpec> all = table(c);
    RespWriter w = c.reply();
    w.array(all.size());
    for (CommandSpec cmd : all.values()) w.raw(CommandDescriptions.info(cmd, c.protocol()));
  }

  /**
   * The command named "name" or "container|sub" in any case (Redis's lookupCommandBySds): a name
   * with more than one '|', a subcommand of a non-container, or a container named alone with a '|'
   * finds nothing.
   */
  static CommandSpec lookupByName(Client c, byte[] raw) {
    String name = lowerAscii(new String(raw, StandardCharsets.ISO_8859_1));
    String[] parts = name.split("\\|", -1);
    if (parts.length > 2 || name.isEmpty()) return null;
    CommandSpec base = table(c).get(parts[0]);
    if (parts.length == 1 || base == null) return base;
    return base.isContainer() ? base.subcommand(parts[1]) : null;
  }

  /** The ACL category bit for a name as Redis's ACLGetCommandCategoryFlagByName (no '@'). */
  private static long categoryBit(byte[] name) {
    String n = new String(name, StandardCharsets.ISO_8859_1);
    for (int i = 0; i < AclCategories.NAMES.length; i++) {
      if (AclCategories.NAMES[i].equalsIgnoreCase(n)) return 1L << i;
    }
    return 0;
  }

  private static boolean is(byte[] arg, String word) {
    return new String(arg, StandardCharsets.ISO_8859_1).equalsIgnoreCase(word);
  }

  private static String lowerAscii(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) sb.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : ch);
    return sb.toString();
  }
}
