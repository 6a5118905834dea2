package io.redstart.command;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every command of the JSON resources, implemented or not, for tests that compare with the
 * reference server: definitions by full name, and specs (without handlers) built from them as the
 * generator would.
 */
public final class AllCommands {
  private AllCommands() {}

  private static Map<String, CommandDefinition> definitions;

  /** Every command file on the class path, by full name. */
  public static synchronized Map<String, CommandDefinition> definitions() throws IOException {
    if (definitions != null) return definitions;
    Path dir;
    try {
      dir = Path.of(AllCommands.class.getResource("/commands").toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Map<String, CommandDefinition> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        CommandDefinition d =
            CommandDefinition.parse(Files.readString(p, StandardCharsets.UTF_8), p.toString());
        out.put(d.fullName(), d);
      }
    }
    definitions = out;
    return out;
  }

  /** Whether the reference server in its normal (not Sentinel) mode knows this command. */
  public static boolean inNormalMode(CommandDefinition d) {
    return !d.flags().contains("only_sentinel");
  }

  /** The spec of a command without subcommands (or of a container given its subcommands). */
  public static CommandSpec spec(CommandDefinition d, CommandSpec... subs) {
    return new CommandSpec(
        d.fullName(),
        d.arity(),
        d.flagBits(),
        d.aclBits(),
        d.firstKey(),
        d.lastKey(),
        d.keyStep(),
        d.keySpecs().toArray(KeySpec[]::new),
        null,
        subs);
  }

  /**
   * The spec of {@code fullName}; a container gets its subcommands in the order {@code subOrder}
   * gives (Redis's own order varies from run to run), or by name when null.
   */
  public static CommandSpec spec(String fullName, List<String> subOrder) throws IOException {
    Map<String, CommandDefinition> defs = definitions();
    CommandDefinition d = defs.get(fullName);
    if (d == null) return null;
    List<CommandDefinition> subs = new ArrayList<>();
    for (CommandDefinition s : defs.values()) {
      if (fullName.equals(s.container())) subs.add(s);
    }
    if (subOrder != null) {
      subs.sort(Comparator.comparingInt(s -> subOrder.indexOf(s.fullName())));
    }
    return spec(d, subs.stream().map(AllCommands::spec).toArray(CommandSpec[]::new));
  }

  /** Every top-level command known to a normal-mode server, with its subcommands by name. */
  public static Map<String, CommandSpec> table() throws IOException {
    Map<String, CommandSpec> out = new TreeMap<>();
    for (CommandDefinition d : definitions().values()) {
      if (d.container() == null && inNormalMode(d)) out.put(d.name(), spec(d.name(), null));
    }
    return out;
  }

  /** The command a full command line names, as the dispatcher finds it (null when unknown). */
  public static CommandSpec lookup(CommandLookup table, byte[][] line) {
    CommandSpec base = table.find(line[0]);
    if (base == null || line.length == 1 || !base.isContainer()) return base;
    return base.subcommand(line[1]);
  }
}
