package io.redstart.scripting;

import io.netty.buffer.ByteBuf;
import io.redstart.command.CommandFlags;
import io.redstart.command.CommandSpec;
import io.redstart.command.Errors;
import io.redstart.monitor.Monitors;
import io.redstart.config.ConfigParams;
import io.redstart.resp.CFormat;
import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.resp.SplitArgs;
import io.redstart.server.Client;
import io.redstart.server.CommandGates;
import io.redstart.server.NullConnection;
import io.redstart.server.RedstartServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Lua scripting (Redis's eval.c, script.c, script_lua.c): the script cache of EVAL/EVALSHA, the
 * run of a script or function with its checks (shebang flags, read-only runs, deny-oom, commands
 * a script may not call), the {@code redis} API, and busy scripts.
 *
 * <p>A script is atomic: nothing else touches the keyspace while it runs. It runs on the keyspace
 * thread inside a continuation ({@link Yielder}); once it has run longer than
 * busy-reply-threshold it gives the event loop back every few milliseconds, and while it is
 * suspended the loop answers other clients with BUSY (or runs the few commands flagged
 * allow_busy: SCRIPT KILL, FUNCTION KILL, SHUTDOWN NOSAVE ...), skips the cron, active expiry and
 * the serving of blocked clients, and leaves the script's client's input waiting. Everything
 * stays on one thread, so the keyspace needs no handoff. See docs/architecture.md, "Scripts".
 *
 * <p>Owned by the keyspace thread.
 */
public final class Scripting implements RedisBridge, RedstartServer.LongCommands {
  static {
    // Normally done already by Subsystems; fails clearly if LuaJ was loaded unadapted.
    LuaJPatch.install();
  }

  /** Flags of a script (shebang) or function, as Redis's SCRIPT_FLAG_*. */
  static final int NO_WRITES = 1;

  static final int ALLOW_OOM = 1 << 1;
  static final int ALLOW_STALE = 1 << 2;
  static final int NO_CLUSTER = 1 << 3;
  static final int EVAL_COMPAT_MODE = 1 << 4;
  static final int ALLOW_CROSS_SLOT = 1 << 5;

  /** Names of the shebang/function flags, in Redis's order. */
  static final String[] FLAG_NAMES = {
    "no-writes", "allow-oom", "allow-stale", "no-cluster", null, "allow-cross-slot-keys"
  };

  /** Deepest nesting of Lua calls; deeper recursion fails with "stack overflow". */
  static final int MAX_CALL_DEPTH = Integer.getInteger("redstart.luaMaxDepth", 20_000);

  /** How long a busy script runs between two visits of the event loop. */
  private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /** A script of the EVAL cache. */
  record EvalScript(String sha, byte[] body, int flags, LuaClosure function) {}

  /** One run of a script or function. */
  static final class Run {
    final Client caller;
    final String name;
    final boolean eval;
    boolean readOnly;
    boolean allowOom;
    boolean oomAtStart;
    boolean writeDirty;
    boolean killed;
    boolean timedOut;
    int resp = 2;
    int repl = 3;
    final long startNanos = System.nanoTime();
    long sliceStart;

    Run(Client caller, String name, boolean eval) {
      this.caller = caller;
      this.name = name;
      this.eval = eval;
    }
  }

  private final RedstartServer server;
  private final ScriptGuard guard;
  final LuaEngine evalEngine;
  final Functions functions;
  private final Map<String, EvalScript> scripts = new HashMap<>();
  private long scriptsBytes;
  private final Client scriptClient;
  private final CommandSpec[] yielding;
  private Run run;
  /** The FUNCTION LOAD in progress: its deadline (System.nanoTime), or 0. */
  private long loadDeadline;
  private boolean loadTimedOut;

  // Long-command state: the suspended continuation and its client.
  private Object suspended;
  private Client suspendedClient;
  private boolean mounted;
  private String busyError;

  // Redis's rand.c lrand48 state, shared by every script's math.random.
  private long rand48 = 0x1234ABCD330EL;
  private int ticks;

  public Scripting(RedstartServer server) {
    this.server = server;
    this.guard = new ScriptGuard(MAX_CALL_DEPTH, this::tick);
    this.evalEngine = new LuaEngine(guard, this, false);
    this.functions = new Functions(this, guard);
    this.scriptClient = server.newDetachedClient(NullConnection.forScripts());
    List<CommandSpec> y = new ArrayList<>();
    for (String n : new String[] {"eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "exec"}) {
      CommandSpec s = server.dispatcher().lookupByName(n);
      if (s != null) y.add(s);
    }
    this.yielding = y.toArray(new CommandSpec[0]);
    io.redstart.command.server.DebugCommands.register(
        "set-disable-deny-scripts", Scripting::debugSetDisableDenyScripts);
    server.longCommands(this);
    server.info().counter("used_memory_scripts_eval", () -> scriptsBytes);
    server.info().counter("number_of_cached_scripts", scripts::size);
    server.info().counter("number_of_functions", () -> functions.functionCount());
    server.info().counter("number_of_libraries", () -> functions.libraryCount());
    server.gates().install(CommandGates.Stage.BUSY_SCRIPT, (c, cmd, argv) ->
        busyError != null && !cmd.has(CommandFlags.ALLOW_BUSY) ? busyError : null);
    if (!Yielder.available()) {
      server.log().verbose("Scripts cannot yield to the event loop (" + Yielder.unavailableReason()
          + "): a busy script blocks the server until it ends.");
    }
  }

  RedstartServer server() {
    return server;
  }

  // ---- EVAL and SCRIPT

  /** EVAL, EVALSHA and their _RO forms. Replies itself. */
  public void eval(Client c, byte[][] argv, boolean sha, boolean ro) {
    feedMonitors(c, argv);
    if (sha && argv[1].length != 40) {
      c.error(Errors.NOSCRIPT);
      return;
    }
    long numkeys = numkeysOrReply(c, argv[2], argv.length - 3);
    if (numkeys < 0) return;
    EvalScript s;
    if (sha) {
      s = scripts.get(new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
      if (s == null) {
        c.error(Errors.NOSCRIPT);
        return;
      }
    } else {
      s = createScriptOrReply(c, argv[1]);
      if (s == null) return;
    }
    Run r = prepareOrReply(c, s.sha, s.flags, ro, true);
    if (r == null) return;
    LuaTable keys = array(argv, 3, (int) numkeys);
    LuaTable args = array(argv, 3 + (int) numkeys, argv.length - 3 - (int) numkeys);
    LuaGlobals g = evalEngine.globals;
    g.readonly(false);
    g.rawset("KEYS", keys);
    g.rawset("ARGV", args);
    g.readonly(true);
    execute(r, s.function, null, null);
  }

  /**
   * Parses numkeys: replies Redis's error and returns -1 when it is not an integer, negative, or
   * more than the arguments that follow.
   */
  static long numkeysOrReply(Client c, byte[] arg, int available) {
    if (!Numbers.isLong(arg)) {
      c.error(Errors.NOT_AN_INTEGER);
      return -1;
    }
    long n = Numbers.parseLong(arg);
    if (n > available) {
      c.error(Errors.NUMKEYS_TOO_BIG);
      return -1;
    }
    if (n < 0) {
      c.error(Errors.NUMKEYS_NEGATIVE);
      return -1;
    }
    return n;
  }

  // EVAL's body is hashed when the dispatcher judges its flags and again when it runs: the last
  // body (an argument array, never changed once parsed) keeps its SHA1.
  private byte[] lastBody;
  private String lastBodySha;

  private String shaOf(byte[] body) {
    if (body != lastBody) {
      lastBodySha = Sha1.hex(body);
      lastBody = body;
    }
    return lastBodySha;
  }

  /** The cached script of {@code body}, compiled and cached now if new; null after an error reply. */
  EvalScript createScriptOrReply(Client c, byte[] body) {
    String sha = shaOf(body);
    EvalScript s = scripts.get(sha);
    if (s != null) return s;
    int[] shebang = new int[2];
    String err = shebangFlags(body, shebang);
    if (err != null) {
      c.error("ERR " + err);
      return null;
    }
    LuaClosure f;
    try {
      f = evalEngine.compile(body, shebang[1], "@user_script", evalEngine.globals);
    } catch (LuaError e) {
      c.error(Errors.scriptCompile(e.getMessage()));
      return null;
    }
    s = new EvalScript(sha, body, shebang[0], f);
    scripts.put(sha, s);
    scriptsBytes += body.length + 40;
    return s;
  }

  /**
   * Redis's evalExtractShebangFlags: out[0] the flags, out[1] the length of the shebang line
   * (the newline stays, so line numbers do not move). Returns the error text or null.
   */
  static String shebangFlags(byte[] body, int[] out) {
    out[0] = EVAL_COMPAT_MODE;
    out[1] = 0;
    if (body.length < 2 || body[0] != '#' || body[1] != '!') return null;
    int end = indexOf(body, (byte) '\n');
    if (end < 0) return "Invalid script shebang";
    byte[][] parts = SplitArgs.split(java.util.Arrays.copyOf(body, end));
    if (parts == null || parts.length == 0) return "Invalid engine in script shebang";
    String engine = cstr(parts[0]);
    if (!engine.equals("#!lua")) return "Unexpected engine in script shebang: " + engine;
    int flags = 0;
    for (int j = 1; j < parts.length; j++) {
      String p = cstr(parts[j]);
      if (p.startsWith("flags=")) {
        String list = p.substring(6);
        if (!list.isEmpty() || parts[j].length > 6) {
          for (String f : list.split(",", -1)) {
            int bit = flagBit(f, false);
            if (bit < 0) return "Unexpected flag in script shebang: " + f;
            flags |= bit;
          }
        }
      } else {
        return "Unknown lua shebang option: " + p;
      }
    }
    out[0] = flags;
    out[1] = end;
    return null;
  }

  /** The bit of a flag name, or -1. */
  static int flagBit(String name, boolean ignoreCase) {
    for (int i = 0; i < FLAG_NAMES.length; i++) {
      String n = FLAG_NAMES[i];
      if (n != null && (ignoreCase ? n.equalsIgnoreCase(name) : n.equals(name))) return 1 << i;
    }
    return -1;
  }

  private static int indexOf(byte[] b, byte x) {
    for (int i = 0; i < b.length; i++) if (b[i] == x) return i;
    return -1;
  }

  /** Bytes as a C string would show them: up to the first NUL. */
  static String cstr(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) n++;
    return new String(b, 0, n, StandardCharsets.ISO_8859_1);
  }

  /** SCRIPT LOAD. */
  public void scriptLoad(Client c, byte[] body) {
    EvalScript s = createScriptOrReply(c, body);
    if (s != null) c.reply().bulk(s.sha);
  }

  /** SCRIPT EXISTS. */
  public void scriptExists(Client c, byte[][] argv) {
    RespWriter w = c.reply();
    w.array(argv.length - 2);
    for (int j = 2; j < argv.length; j++) {
      w.integer(scripts.containsKey(new String(argv[j], StandardCharsets.ISO_8859_1)) ? 1 : 0);
    }
  }

  /** SCRIPT FLUSH: forgets every cached script. */
  public void scriptFlush() {
    scripts.clear();
    scriptsBytes = 0;
  }

  public int cachedScripts() {
    return scripts.size();
  }

  public long scriptsMemory() {
    return scriptsBytes;
  }

  /** SCRIPT KILL (eval true) and FUNCTION KILL. */
  public void kill(Client c, boolean eval) {
    Run r = run;
    if (r == null) {
      c.error(Errors.NOTBUSY);
      return;
    }
    if (r.caller.isReplicationLink()) {
      c.error(Errors.UNKILLABLE_MASTER);
      return;
    }
    if (r.writeDirty) {
      c.error(Errors.UNKILLABLE_WROTE);
      return;
    }
    if (eval && !r.eval) {
      c.error(Errors.BUSY_FUNCTION);
      return;
    }
    if (!eval && r.eval) {
      c.error(Errors.BUSY_EVAL);
      return;
    }
    r.killed = true;
    c.reply().ok();
  }

  // ---- FUNCTION and FCALL (the library registry is Functions)

  /** FCALL and FCALL_RO. */
  public void fcall(Client c, byte[][] argv, boolean ro) {
    feedMonitors(c, argv);
    functions.fcall(c, argv, ro);
  }

  /**
   * EVAL, EVALSHA and FCALL (flagged skip_monitor) show themselves to MONITOR before they run, as
   * Redis's do, so that the script's own commands (shown as {@code [<db> lua]}) follow them.
   */
  private void feedMonitors(Client c, byte[][] argv) {
    Monitors m;
    try {
      m = server.component(Monitors.class);
    } catch (IllegalStateException notInstalled) {
      return;
    }
    m.feed(c, c.dbIndex(), argv);
  }

  public void functionLoad(Client c, byte[][] argv) {
    functions.load(c, argv);
  }

  public void functionList(Client c, byte[][] argv) {
    functions.list(c, argv);
  }

  public void functionDelete(Client c, byte[] name) {
    functions.delete(c, name);
  }

  /** FUNCTION FLUSH: deletes every library. */
  public void functionFlush() {
    functions.flush();
    server.incrDirty(1);
  }

  public byte[] functionDump() {
    return functions.dump();
  }

  public void functionRestore(Client c, byte[][] argv) {
    functions.restore(c, argv);
  }

  /** FUNCTION STATS (refused with BUSY while an EVAL script runs, as Redis does). */
  public void functionStats(Client c) {
    Run r = run;
    if (r != null && r.eval) {
      c.error(Errors.BUSY_EVAL);
      return;
    }
    functions.stats(c, r, r == null ? null : r.caller.currentArgv());
  }

  /**
   * The code of every function library, in order: what an RDB file saves (one
   * RDB_OPCODE_FUNCTION2 record each) and FUNCTION DUMP writes.
   */
  public List<byte[]> functionLibraryCodes() {
    return functions.codes();
  }

  /**
   * Loads one library from its code as RDB loading does (a library of the same name is replaced
   * when {@code replace}); returns null, or the error text ("Library 'x' already exists" ...).
   */
  public String loadFunctionLibrary(byte[] code, boolean replace) {
    return functions.loadForRdb(code, replace);
  }

  /** The number of function libraries and of functions, for INFO. */
  public int libraryCount() {
    return functions.libraryCount();
  }

  // ---- running

  /**
   * Redis's scriptPrepareForRun: the checks a script's flags call for, then the run. Returns null
   * after replying an error.
   */
  Run prepareOrReply(Client c, String name, int flags, boolean ro, boolean eval) {
    if (run != null) {
      // A script cannot start while another runs (only reachable through a suspended one).
      c.error(eval ? Errors.BUSY_EVAL : Errors.BUSY_FUNCTION);
      return null;
    }
    long maxmemory = server.eviction().maxmemory();
    boolean oom = maxmemory != 0
        && Long.compareUnsigned(server.usedMemory(), maxmemory) > 0;
    boolean stale = server.runningStale();
    if ((flags & EVAL_COMPAT_MODE) == 0) {
      if (stale && (flags & ALLOW_STALE) == 0) {
        c.error(Errors.SCRIPT_MASTERDOWN);
        return null;
      }
      if ((flags & NO_WRITES) == 0) {
        if (server.isReplica() && server.config().getBool(ConfigParams.REPLICA_READ_ONLY)
            && !c.isReplicationLink()) {
          c.error(Errors.SCRIPT_WRITE_ON_READONLY_REPLICA);
          return null;
        }
        if (ro) {
          c.error(Errors.SCRIPT_WRITE_WITH_RO);
          return null;
        }
      }
      if (oom && (flags & (ALLOW_OOM | NO_WRITES)) == 0) {
        // Redis refuses such a script in processCommand already (its flags make the command
        // deny-oom) with the generic OOM error; inside EXEC it gets here.
        c.error(server.inTransactionOrScript() ? Errors.SCRIPT_ALLOW_OOM : Errors.OOM);
        return null;
      }
    } else if (stale) {
      // A script without shebang on a replica that may not serve stale data.
      c.error(Errors.MASTERDOWN);
      return null;
    }
    Run r = new Run(c, name, eval);
    r.oomAtStart = oom;
    r.readOnly = ro || ((flags & EVAL_COMPAT_MODE) == 0 && (flags & NO_WRITES) != 0);
    r.allowOom = (flags & EVAL_COMPAT_MODE) == 0 && (flags & ALLOW_OOM) != 0;
    return r;
  }

  /**
   * Runs {@code fn} (an EVAL script with no arguments, or a function with KEYS and ARGV tables)
   * and writes its result or error to the caller.
   */
  void execute(Run r, LuaValue fn, LuaTable keys, LuaTable args) {
    Client c = r.caller;
    Client sc = scriptClient;
    sc.select(c.dbIndex());
    sc.protocol(2);
    sc.authenticated(c.user());
    run = r;
    r.sliceStart = r.startNanos;
    guard.reset();
    server.keyspace().freezeTime(true);
    server.enterTransactionOrScript();
    LuaValue result = null;
    Throwable failure = null;
    try {
      result = keys == null ? fn.call() : fn.call(keys, args);
    } catch (LuaError e) {
      failure = e;
    } catch (StackOverflowError e) {
      failure = new LuaError("stack overflow");
    } catch (OutOfMemoryError e) {
      failure = new NoMemory();
    } finally {
      run = null;
      server.exitTransactionOrScript();
      server.keyspace().freezeTime(false);
      server.propagator().suppress(false);
      if (r.timedOut) {
        busyError = null;
        server.log().verbose("Script ended after being busy");
      }
      ByteBuf left = sc.takeReply();
      if (left != null) left.release();
    }
    RespWriter w = c.reply();
    if (failure == null) {
      LuaReplies.write(w, result, r.resp, (msg, ignore) -> replyError(c, msg, ignore), 0);
    } else {
      replyScriptError(c, r, (LuaError) failure);
    }
    server.dispatcher().preventPropagation();
  }

  /** The error reply of a failed run, as luaCallFunction writes it. */
  private void replyScriptError(Client c, Run r, LuaError e) {
    if (e instanceof NoMemory) {
      // Lua runs no error handler for memory errors: luaCallFunction's plain form.
      c.error(Errors.scriptRunning(r.name, "not enough memory"));
      return;
    }
    LuaValue v = e.getMessageObject();
    if (v == null) v = LuaValue.NIL;
    String source = guard.errorSource();
    int line = guard.errorLine();
    String msg;
    boolean ignore = false;
    if (v.istable()) {
      LuaValue err = v.get(LuaReplies.ERR);
      msg = err.isstring() ? LuaReplies.latin1(err.strvalue()) : "(null)";
      ignore = v.get(LuaReplies.IGNORE_STATS).toboolean();
    } else {
      msg = "ERR " + tostring(v);
    }
    if (source != null && line >= 0) {
      msg = msg + " script: " + r.name + ", on " + source + ":" + line + ".";
    }
    replyError(c, msg, ignore);
  }

  private static String tostring(LuaValue v) {
    LuaValue s = v.tostring();
    return s.isstring() ? LuaReplies.latin1(s.strvalue()) : String.valueOf(v);
  }

  /** An error reply; {@code ignoreStats} for errors already counted (a command's own). */
  private void replyError(Client c, String msg, boolean ignoreStats) {
    if (ignoreStats) {
      c.reply().error(msg);
      c.restoreCommandFailed(true);
    } else {
      c.error(msg);
    }
  }

  static LuaTable array(byte[][] argv, int from, int n) {
    LuaTable t = new LuaTable(n, 0);
    for (int i = 0; i < n; i++) t.rawset(i + 1, LuaString.valueUsing(argv[from + i]));
    return t;
  }

  // ---- the redis API (RedisBridge)

  @Override
  public boolean inRun() {
    return run != null;
  }

  @Override
  public Varargs call(Varargs args, boolean raise) {
    Run r = run;
    int argc = args.narg();
    if (argc == 0) {
      LuaTable e = LuaEngine.errorTable("Please specify at least one argument for this redis lib call");
      if (raise) throw new LuaError(e);
      return e;
    }
    byte[][] argv = new byte[argc][];
    for (int j = 0; j < argc; j++) {
      LuaValue a = args.arg(j + 1);
      if (a.type() == LuaValue.TNUMBER) {
        argv[j] = (a instanceof LuaInteger ? Long.toString(a.tolong()) : CFormat.g17(a.todouble()))
            .getBytes(StandardCharsets.US_ASCII);
      } else if (a.type() == LuaValue.TSTRING) {
        argv[j] = LuaReplies.bytes(a.strvalue());
      } else {
        LuaTable e = LuaEngine.errorTable("Lua redis lib command arguments must be strings or integers");
        if (raise) throw new LuaError(e);
        return e;
      }
    }
    CommandSpec cmd = server.dispatcher().lookup(argv);
    String refusal = checkCall(r, cmd, argv);
    LuaValue reply;
    if (refusal != null) {
      LuaTable e = LuaEngine.errorTable(refusal);
      e.rawset(LuaReplies.IGNORE_STATS, LuaValue.TRUE);
      server.stats().countError(e.get(LuaReplies.ERR).tojstring());
      reply = e;
    } else {
      server.propagator().suppress(r.repl == 0);
      Client sc = scriptClient;
      sc.protocol(r.resp);
      server.dispatcher().call(sc, cmd, argv);
      ByteBuf out = sc.replyBuffer();
      try {
        reply = out == null || !out.isReadable() ? LuaValue.NIL : LuaReplies.toLua(out);
      } finally {
        if (out != null) out.clear();
      }
    }
    if (raise && reply.istable() && reply.rawget(LuaReplies.ERR).isstring()) {
      throw new LuaError(reply);
    }
    return reply;
  }

  /** DEBUG SET-DISABLE-DENY-SCRIPTS: scripts may call noscript commands (a testing aid). */
  private boolean disableDenyScripts;

  /** DEBUG SET-DISABLE-DENY-SCRIPTS 0|1 (C's atoi of the argument), replies OK. */
  private static void debugSetDisableDenyScripts(Client c, byte[][] argv) {
    if (argv.length != 3) {
      io.redstart.command.Replies.subcommandSyntaxError(c, argv);
      return;
    }
    c.server().component(Scripting.class).disableDenyScripts =
        io.redstart.command.server.DebugCommands.atoi(
                new String(argv[2], StandardCharsets.ISO_8859_1))
            != 0;
    c.reply().ok();
  }

  /** Redis's scriptCall checks; the refusal text or null. */
  private String checkCall(Run r, CommandSpec cmd, byte[][] argv) {
    if (cmd == null || cmd.isContainer() && argv.length == 1) {
      return cmd == null ? "Unknown Redis command called from script"
          : "Wrong number of args calling Redis command from script";
    }
    if (!cmd.arityAccepts(argv.length)) return "Wrong number of args calling Redis command from script";
    if (cmd.has(CommandFlags.NOSCRIPT) && !disableDenyScripts) {
      return "This Redis command is not allowed from script";
    }
    boolean write = cmd.has(CommandFlags.WRITE);
    if (r.readOnly && (write || cmd.has(CommandFlags.MAY_REPLICATE))) {
      return "Write commands are not allowed from read-only scripts.";
    }
    if (write && !r.writeDirty && server.isReplica()
        && server.config().getBool(ConfigParams.REPLICA_READ_ONLY) && !r.caller.isReplicationLink()) {
      return "-" + Errors.READONLY;
    }
    if (!r.allowOom && !r.writeDirty && r.oomAtStart && cmd.has(CommandFlags.DENYOOM)
        && !r.caller.isReplicationLink()) {
      return "-" + Errors.OOM;
    }
    if (write) r.writeDirty = true;
    return null;
  }

  @Override
  public void setResp(int resp) {
    run.resp = resp;
  }

  @Override
  public void setRepl(int flags) {
    run.repl = flags;
  }

  @Override
  public Varargs aclCheck(Varargs args) {
    int argc = args.narg();
    if (argc == 0) {
      throw new LuaError(LuaEngine.errorTable("Please specify at least one argument for this redis lib call"));
    }
    byte[][] argv = new byte[argc][];
    for (int j = 0; j < argc; j++) {
      LuaValue a = args.arg(j + 1);
      if (!a.isstring()) {
        throw new LuaError(LuaEngine.errorTable("Lua redis lib command arguments must be strings or integers"));
      }
      argv[j] = a.type() == LuaValue.TNUMBER
          ? CFormat.g17(a.todouble()).getBytes(StandardCharsets.US_ASCII)
          : LuaReplies.bytes(a.strvalue());
    }
    CommandSpec cmd = server.dispatcher().lookup(argv);
    if (cmd == null) throw LuaEngine.raise("Invalid command passed to redis.acl_check_cmd()");
    return LuaValue.TRUE; // without ACL users every command is permitted
  }

  @Override
  public void log(int level, String message) {
    server.log().log(level, message);
  }

  @Override
  public double random() {
    rand48 = (rand48 * 0x5DEECE66DL + 0xB) & ((1L << 48) - 1);
    long r = rand48 >>> 17; // lrand48: the high 31 bits
    return (double) (r % Integer.MAX_VALUE) / (double) Integer.MAX_VALUE;
  }

  @Override
  public void randomSeed(int seed) {
    rand48 = (((long) seed & 0xFFFFFFFFL) << 16) | 0x330E;
  }

  // ---- the guard: time, SCRIPT KILL, yielding, memory

  private void tick() {
    Run r = run;
    if (r == null) {
      if (loadDeadline != 0 && (loadTimedOut || System.nanoTime() - loadDeadline > 0)) {
        loadTimedOut = true;
        guard.checkAtNextInstruction();
        throw LuaEngine.raise("FUNCTION LOAD timeout");
      }
      return;
    }
    if (r.killed) {
      guard.checkAtNextInstruction();
      throw LuaEngine.raise("Script killed by user with SCRIPT KILL...");
    }
    if ((++ticks & 63) == 0) checkMemory();
    long now = System.nanoTime();
    if (!r.timedOut) {
      long threshold = server.config().getLong(ConfigParams.BUSY_REPLY_THRESHOLD);
      long elapsedMs = (now - r.startNanos) / 1_000_000;
      if (threshold <= 0 || elapsedMs < threshold) return;
      r.timedOut = true;
      busyError = r.eval ? Errors.BUSY_EVAL : Errors.BUSY_FUNCTION;
      server.log().warning("Slow script detected: still in execution after " + elapsedMs
          + " milliseconds. You can try killing the script using the "
          + (r.eval ? "SCRIPT KILL" : "FUNCTION KILL") + " command. Script name is: " + r.name
          + ".");
    }
    if (mounted && now - r.sliceStart >= SLICE_NANOS) {
      mounted = false;
      try {
        Yielder.yieldNow();
      } finally {
        mounted = true;
      }
      r.sliceStart = System.nanoTime();
      if (r.killed) {
        guard.checkAtNextInstruction();
        throw LuaEngine.raise("Script killed by user with SCRIPT KILL...");
      }
    }
  }

  private static final List<MemoryPoolMXBean> HEAP_POOLS = new ArrayList<>();

  static {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()) {
        HEAP_POOLS.add(p);
      }
    }
  }

  /**
   * Fails the script with Lua's "not enough memory" when the heap is nearly full even after
   * collection, so that a script cannot take the server's memory.
   */
  private void checkMemory() {
    Runtime rt = Runtime.getRuntime();
    long max = rt.maxMemory();
    if (rt.totalMemory() - rt.freeMemory() < max * 0.85) return;
    long after = 0;
    for (MemoryPoolMXBean p : HEAP_POOLS) {
      MemoryUsage u = p.getCollectionUsage();
      if (u != null) after += u.getUsed();
    }
    if (after > max * 0.85) throw new NoMemory();
  }

  // ---- FUNCTION LOAD's timeout

  void loadStarted(long timeoutMs) {
    loadTimedOut = false;
    loadDeadline = timeoutMs <= 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    guard.reset();
  }

  void loadEnded() {
    loadDeadline = 0;
    loadTimedOut = false;
  }

  // ---- long commands (RedstartServer.LongCommands)

  /**
   * getCommandFlags for scripts (scriptFlagsToCmdFlags): EVAL and EVALSHA of a script declaring
   * flags, and FCALL of a known function, may write and are deny-oom unless they declare
   * no-writes (or allow-oom), and serve stale data only with allow-stale; otherwise (a script
   * without shebang, an unknown script or function) the command's own flags stand.
   */
  @Override
  public long effectiveFlags(CommandSpec cmd, byte[][] argv) {
    int declared = declaredFlags(cmd, argv);
    if (declared < 0) return cmd.flags;
    long flags = cmd.flags
        & ~(CommandFlags.STALE | CommandFlags.DENYOOM | CommandFlags.WRITE
            | CommandFlags.MAY_REPLICATE);
    if ((declared & (ALLOW_OOM | NO_WRITES)) == 0) flags |= CommandFlags.DENYOOM;
    if ((declared & NO_WRITES) == 0) flags |= CommandFlags.WRITE;
    if ((declared & ALLOW_STALE) != 0) flags |= CommandFlags.STALE;
    return flags;
  }

  /** The flags a script or function call declares, or -1 when there are none to go by. */
  private int declaredFlags(CommandSpec cmd, byte[][] argv) {
    if (argv.length < 2) return -1;
    int flags;
    switch (cmd.name) {
      case "eval", "eval_ro" -> {
        EvalScript s = scripts.get(shaOf(argv[1]));
        if (s != null) {
          flags = s.flags();
        } else {
          int[] shebang = new int[2];
          if (shebangFlags(argv[1], shebang) != null) return -1;
          flags = shebang[0];
        }
      }
      case "evalsha", "evalsha_ro" -> {
        EvalScript s =
            scripts.get(new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
        if (s == null) return -1;
        flags = s.flags();
      }
      case "fcall", "fcall_ro" -> {
        Functions.Function f = functions.lookup(argv[1]);
        if (f == null) return -1;
        flags = f.flags();
      }
      default -> {
        return -1;
      }
    }
    return (flags & EVAL_COMPAT_MODE) != 0 ? -1 : flags;
  }

  @Override
  public boolean runs(CommandSpec cmd) {
    for (CommandSpec s : yielding) if (s == cmd) return true;
    return false;
  }

  @Override
  public void run(Client c, CommandSpec cmd, byte[][] argv) {
    Runnable body = () -> {
      server.dispatcher().call(c, cmd, argv);
      server.afterCommand();
    };
    if (!Yielder.available() || mounted || suspended != null) {
      body.run();
      return;
    }
    Object k = Yielder.create(body);
    mounted = true;
    try {
      Yielder.run(k);
    } finally {
      mounted = false;
    }
    if (!Yielder.isDone(k)) {
      suspended = k;
      suspendedClient = c;
      scheduleResume();
    }
  }

  private void scheduleResume() {
    server.schedule(this::resume, 0, TimeUnit.NANOSECONDS);
  }

  private void resume() {
    Object k = suspended;
    if (k == null || server.isStopped()) return;
    mounted = true;
    try {
      Yielder.run(k);
    } catch (RuntimeException | Error e) {
      server.log().warning("Error in a resumed script: " + e);
    } finally {
      mounted = false;
    }
    if (!Yielder.isDone(k)) {
      scheduleResume();
      return;
    }
    Client c = suspendedClient;
    suspended = null;
    suspendedClient = null;
    busyError = null;
    server.flushPending();
    if (!c.isClosed()) server.resumeClient(c);
  }

  @Override
  public boolean isRunning(Client c) {
    return c == suspendedClient;
  }

  @Override
  public String busyError() {
    return busyError;
  }
}
