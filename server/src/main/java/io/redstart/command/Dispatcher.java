package io.redstart.command;

import io.redstart.propagation.Propagator;
import io.redstart.server.Client;
import io.redstart.server.RedstartServer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs a parsed command the way Redis's processCommand and call do: every generic check in
 * Redis's order (existence, arity, protected commands, authentication, MULTI restrictions, ACL,
 * cluster routing, memory, disk errors, replicas, read-only replica, subscribe context, stale
 * data, loading, busy scripts, client pause), then the handler, then the statistics and the
 * propagation of what it wrote. Handlers see only valid calls.
 *
 * <p>Owned by the keyspace thread.
 */
public final class Dispatcher {
  private final RedstartServer server;
  private final Map<String, CommandSpec> commands;
  /** Commands by the names clients call them: the table's, unless rename-command changed them. */
  private CommandLookup lookup;

  private Map<String, CommandSpec> callNames;

  // Per-command propagation state (one command runs at a time on this thread).
  private byte[][] propagateAs;
  private boolean preventPropagation;
  private boolean forcePropagation;

  public Dispatcher(RedstartServer server, Map<String, CommandSpec> commands) {
    this.server = server;
    this.commands = commands;
    this.lookup = CommandLookup.of(commands);
  }

  /**
   * rename-command: the top-level command {@code from} is called {@code to} from now on (by
   * clients and scripts), or not at all when {@code to} is empty. COMMAND still describes it
   * under its own name, as Redis's does. Returns false, changing nothing, when {@code from} is not
   * callable or {@code to} is already taken. Run before the server accepts clients.
   */
  public boolean rename(String from, String to) {
    if (callNames == null) callNames = new java.util.LinkedHashMap<>(commands);
    String f = from.toLowerCase(java.util.Locale.ROOT);
    String t = to.toLowerCase(java.util.Locale.ROOT);
    CommandSpec spec = callNames.get(f);
    if (spec == null || (!t.isEmpty() && callNames.containsKey(t))) return false;
    callNames.remove(f);
    if (!t.isEmpty()) callNames.put(t, spec);
    lookup = CommandLookup.of(callNames);
    return true;
  }

  /** Top-level commands by the lower-case names clients call them (after rename-command). */
  public Map<String, CommandSpec> callable() {
    return callNames != null ? callNames : commands;
  }

  /** Top-level commands by their own lower-case names. */
  public Map<String, CommandSpec> commands() {
    return commands;
  }

  /** The command {@code argv} names (resolving a container's subcommand), or null. */
  public CommandSpec lookup(byte[][] argv) {
    CommandSpec base = lookup.find(argv[0]);
    if (base == null || argv.length == 1 || !base.isContainer()) return base;
    return base.subcommand(argv[1]);
  }

  /** The command with this lower-case name or "container|sub" name, or null. */
  public CommandSpec lookupByName(String fullName) {
    int bar = fullName.indexOf('|');
    if (bar < 0) return commands.get(fullName);
    CommandSpec base = commands.get(fullName.substring(0, bar));
    return base == null ? null : base.subcommand(fullName.substring(bar + 1));
  }

  /** Processes one command from a client: checks, then runs or queues it. */
  public void process(Client c, byte[][] argv) {
    CommandSpec cmd = lookup(argv);
    c.lastCommand(cmd);
    if (cmd == null) {
      CommandSpec base = lookup.find(argv[0]);
      String err =
          base != null && base.isContainer()
              ? Errors.unknownSubcommand(latin1(argv[1]), latin1(argv[0]))
              : Errors.unknownCommand(latin1(argv[0]), argv);
      reject(c, null, err);
      return;
    }
    if (!cmd.arityAccepts(argv.length)) {
      reject(c, cmd, Errors.wrongArity(cmd.fullName));
      return;
    }
    if (cmd.has(CommandFlags.PROTECTED) && !server.allowsProtected(cmd, c)) {
      boolean debug = cmd.fullName.startsWith("debug");
      String name = debug ? "DEBUG" : "MODULE";
      String option = debug ? "enable-debug-command" : "enable-module-command";
      reject(
          c,
          cmd,
          "ERR "
              + name
              + " command not allowed. If the "
              + option
              + " option is set to \"local\", you can run it from a local connection, otherwise"
              + " you need to set this option in the configuration file, and then restart the"
              + " server.");
      return;
    }
    if (!c.authenticated() && !cmd.has(CommandFlags.NO_AUTH)) {
      reject(c, cmd, Errors.NOAUTH);
      return;
    }
    // Further gates (MULTI, ACL, cluster, OOM, MISCONF, replicas, pubsub context, stale data,
    // busy scripts) are contributed by their subsystems.
    // They judge a script call by the flags its script declares, as Redis's getCommandFlags.
    CommandSpec judged = cmd;
    if (cmd.runsScript() && server.longCommands() != null) {
      judged = cmd.withFlags(server.longCommands().effectiveFlags(cmd, argv));
    }
    String refusal = server.gates().check(c, judged, argv);
    if (refusal != null) {
      reject(c, cmd, refusal);
      return;
    }
    if (server.isLoading() && !cmd.has(CommandFlags.LOADING)) {
      reject(c, cmd, Errors.LOADING);
      return;
    }
    if (server.pauses().shouldPostpone(c, cmd, argv)) {
      server.pauses().postpone(c, argv);
      return;
    }
    if (server.gates().queueInMulti(c, cmd, argv)) return;
    RedstartServer.LongCommands longCommands = server.longCommands();
    if (longCommands != null && longCommands.runs(cmd)) {
      // Scripts (and EXEC, which may hold scripts) run where they can give the event loop back.
      longCommands.run(c, cmd, argv);
      return;
    }
    call(c, cmd, argv);
    server.afterCommand();
  }

  /**
   * Runs a command that passed the checks: the handler, statistics, and propagation of its
   * writes. Also the entry point for EXEC and scripts, which run their commands through here.
   */
  public void call(Client c, CommandSpec cmd, byte[][] argv) {
    call(c, cmd, argv, true);
  }

  /**
   * {@link #call}; with {@code counted} false the run is not counted as a call (commandstats
   * calls, total_commands_processed): a blocked client's command run again when one of its keys
   * became ready, which Redis counts once, when the client first sent it.
   */
  public void call(Client c, CommandSpec cmd, byte[][] argv, boolean counted) {
    server.keyspace().updateTime();
    Propagator propagator = server.propagator();
    propagator.begin();
    byte[][] savedAs = propagateAs;
    boolean savedPrevent = preventPropagation;
    boolean savedForce = forcePropagation;
    propagateAs = null;
    preventPropagation = false;
    forcePropagation = false;
    long dirtyBefore = server.dirty();
    boolean outerFailed = c.commandFailed();
    CommandSpec outerCmd = c.currentCommand();
    byte[][] outerArgv = c.currentArgv();
    c.beforeCommand(cmd, argv);
    Client outerClient = server.enterCall(c);
    long start = System.nanoTime();
    try {
      cmd.handler.execute(c, argv);
    } finally {
      long micros = (System.nanoTime() - start) / 1000;
      if (counted) cmd.calls++;
      cmd.microseconds += micros;
      if (c.commandFailed()) cmd.failedCalls++;
      c.restoreCommandFailed(outerFailed);
      if (outerCmd != null) c.beforeCommandRestore(outerCmd, outerArgv);
      if (counted) server.stats().totalCommandsProcessed++;
      // Only an increase propagates (Redis's call()): SAVE and DEBUG RELOAD reset the count.
      if ((server.dirty() > dirtyBefore || forcePropagation) && !preventPropagation) {
        propagator.add(c.dbIndex(), propagateAs != null ? propagateAs : argv);
      }
      propagateAs = savedAs;
      preventPropagation = savedPrevent;
      forcePropagation = savedForce;
      c.afterCommand();
      propagator.end();
      server.exitCall(outerClient);
      server.afterCall(c, cmd, argv, micros);
    }
  }

  /** Replicate and persist this command as {@code argv} instead of as sent. */
  public void propagateAs(byte[][] argv) {
    this.propagateAs = argv;
  }

  /** Propagate the current command even if it changed nothing (FLUSHALL on an empty server). */
  public void forcePropagation() {
    this.forcePropagation = true;
  }

  /** Do not propagate the current command (its effects were propagated another way). */
  public void preventPropagation() {
    this.preventPropagation = true;
  }

  private void reject(Client c, CommandSpec cmd, String error) {
    if (cmd != null) cmd.rejectedCalls++;
    server.gates().flagTransaction(c);
    if (cmd != null && cmd.parent() == null && cmd.name.equals("exec")) {
      // execCommandAbort: a refused EXEC ends the transaction, naming the refusal (whose text
      // Redis formats without the ERR code).
      server.gates().discardTransaction(c);
      String reason = error.startsWith("ERR ") ? error.substring(4) : error;
      c.error("EXECABORT Transaction discarded because of: " + reason);
      return;
    }
    c.error(error);
  }

  private static String latin1(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) n++; // C strings stop at NUL, as in Redis's messages
    return new String(b, 0, n, StandardCharsets.ISO_8859_1);
  }
}
