package io.redstart.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command as the table describes it: names, arity, flags, ACL categories, legacy key positions
 * and key specs, its handler, and for a container (CONFIG, CLIENT ...) its subcommands. Built by
 * the generated {@code CommandTable}; the runtime counters beside it feed INFO commandstats.
 *
 * <p>Arity follows Redis: positive means exactly that many arguments (the name included),
 * negative means at least that many.
 */
public final class CommandSpec {
  /** Lower-case full name: "get", or "config|get" for a subcommand. */
  public final String fullName;
  /** Lower-case own name: "get", or "get" for "config|get". */
  public final String name;
  public final int arity;
  public final long flags;
  public final long aclCategories;
  public final int firstKey;
  public final int lastKey;
  public final int keyStep;
  public final KeySpec[] keySpecs;
  public final CommandHandler handler;
  // Asked for every command dispatched: decided once here.
  private final boolean runsScript;
  private CommandSpec parent;
  private final Map<String, CommandSpec> subcommands;
  private final CommandLookup subLookup;

  // INFO commandstats, owned by the keyspace thread.
  public long calls;
  public long microseconds;
  public long rejectedCalls;
  public long failedCalls;

  public CommandSpec(
      String fullName,
      int arity,
      long flags,
      long aclCategories,
      int firstKey,
      int lastKey,
      int keyStep,
      KeySpec[] keySpecs,
      CommandHandler handler,
      CommandSpec... subcommands) {
    this.fullName = fullName;
    int bar = fullName.indexOf('|');
    this.name = bar < 0 ? fullName : fullName.substring(bar + 1);
    this.arity = arity;
    this.flags = flags;
    this.aclCategories = aclCategories;
    this.firstKey = firstKey;
    this.lastKey = lastKey;
    this.keyStep = keyStep;
    this.keySpecs = keySpecs;
    this.handler = handler;
    this.runsScript = switch (fullName) {
      case "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro" -> true;
      default -> false;
    };
    if (subcommands.length == 0) {
      this.subcommands = Map.of();
      this.subLookup = null;
    } else {
      Map<String, CommandSpec> subs = new LinkedHashMap<>();
      for (CommandSpec s : subcommands) {
        s.parent = this;
        subs.put(s.name, s);
      }
      this.subcommands = Collections.unmodifiableMap(subs);
      this.subLookup = new CommandLookup(subs.values());
    }
  }

  public boolean isContainer() {
    return !subcommands.isEmpty();
  }

  public Map<String, CommandSpec> subcommands() {
    return subcommands;
  }

  public CommandSpec subcommand(String lowerName) {
    return subcommands.get(lowerName);
  }

  /** The subcommand named by {@code name} as sent (any case), or null. */
  public CommandSpec subcommand(byte[] name) {
    return subLookup == null ? null : subLookup.find(name);
  }

  /** The container of a subcommand, or null. */
  public CommandSpec parent() {
    return parent;
  }

  public boolean has(long flag) {
    return (flags & flag) != 0;
  }

  /**
   * Whether this command runs a script or function whose declared flags change the command's
   * (EVAL, EVALSHA, FCALL and their _RO forms: Redis's getCommandFlags).
   */
  public boolean runsScript() {
    return runsScript;
  }

  // Variants of this command with other flags, made by withFlags (keyspace thread).
  private Map<Long, CommandSpec> variants;

  /**
   * This command with {@code newFlags} in place of its own: what the dispatcher's checks see of a
   * script call. The variant shares the handler; its statistics are not used.
   */
  public CommandSpec withFlags(long newFlags) {
    if (newFlags == flags) return this;
    if (variants == null) variants = new java.util.HashMap<>();
    return variants.computeIfAbsent(newFlags, f -> new CommandSpec(
        fullName, arity, f, aclCategories, firstKey, lastKey, keyStep, keySpecs, handler));
  }

  /** Whether {@code argc} arguments (name included) satisfy the arity. */
  public boolean arityAccepts(int argc) {
    return arity > 0 ? argc == arity : argc >= -arity;
  }

  public void resetStats() {
    calls = 0;
    microseconds = 0;
    rejectedCalls = 0;
    failedCalls = 0;
  }

  @Override
  public String toString() {
    return fullName;
  }
}
