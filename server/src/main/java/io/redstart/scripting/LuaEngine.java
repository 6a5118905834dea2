package io.redstart.scripting;

import io.redstart.server.RedstartServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * One Lua world as Redis sets it up (script_lua.c): the globals a script sees, built from an
 * allow list (no io, os, debug, package, require, dofile, loadfile, print, luajava or any other
 * way into Java), the libraries (string, table, math with Redis's random, cjson, struct,
 * cmsgpack, bit), the {@code redis} table, and the protections: every library table and
 * metatable, the shared string metatable included, is read-only, and reading a missing global
 * raises "Script attempted to access nonexistent global variable". LuaJ is a Lua 5.2 core; the
 * Lua 5.1 functions Redis scripts use (unpack, loadstring, table.getn, math.mod ...) are added
 * here, and the 5.2 ones Redis lacks are left out.
 *
 * <p>Owned by the keyspace thread.
 */
final class LuaEngine {
  /** Lua 5.1's version string, as scripts see in _VERSION. */
  static final LuaString VERSION = LuaString.valueOf("Lua 5.1");

  private static final LuaString ERR = LuaString.valueOf("err");
  private static final LuaString OK = LuaString.valueOf("ok");

  final LuaGlobals globals;
  final ScriptGuard guard;
  final LuaTable redis;
  private final RedisBridge bridge;
  /** The longest string string.rep or load builds: beyond, Lua's "not enough memory". */
  static final long MAX_STRING_BYTES = Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 4);

  /**
   * @param functions true for the FUNCTION engine (no breakpoint/debug/replicate_commands in the
   *     redis table, as Redis's function engine)
   */
  LuaEngine(ScriptGuard guard, RedisBridge bridge, boolean functions) {
    this.guard = guard;
    this.bridge = bridge;
    this.globals = new LuaGlobals(guard);
    protectStringMetatable();

    // LuaJ's libraries register themselves in package.loaded: give them a scratch one.
    LuaTable scratch = new LuaTable();
    LuaTable pkg = new LuaTable();
    pkg.set("loaded", new LuaTable());
    scratch.set("package", pkg);
    Globals build = new Globals();
    build.set("package", pkg);
    BaseLib base = new BaseLib();
    build.load(base);
    build.load(new TableLib());
    build.load(new StringLib());
    build.load(new JseMathLib());
    globals.baselib = base;
    globals.compiler = LuaC.instance;

    LuaGlobals g = globals;
    for (String name :
        new String[] {
          "assert", "collectgarbage", "getmetatable", "next", "pairs", "ipairs", "rawequal",
          "rawget", "rawset", "select", "setmetatable", "tonumber", "tostring", "type"
        }) {
      g.rawset(name, named(name, build.get(name)));
    }
    g.rawset("_G", g);
    g.rawset("_VERSION", VERSION);
    g.rawset("error", new ErrorFunction());
    g.rawset("pcall", new RedisPcall());
    g.rawset("tonumber", new ToNumber(g.rawget("tonumber")));
    g.rawset("xpcall", new XPcall());
    g.rawset("unpack", build.get("table").get("unpack"));
    g.rawset("loadstring", new LoadString());
    g.rawset("load", new Load());
    g.rawset("gcinfo", new GcInfo());
    g.rawset("getfenv", new GetFenv());
    g.rawset("setfenv", new SetFenv());

    g.rawset("string", stringLib(build.get("string")));
    g.rawset("table", tableLib(build.get("table")));
    g.rawset("math", mathLib(build.get("math")));
    g.rawset("cjson", CJson.create());
    g.rawset("struct", Struct.create());
    g.rawset("cmsgpack", CMsgpack.create());
    g.rawset("bit", Bit.create());

    this.redis = redisTable(functions);
    g.rawset("redis", redis);

    ReadOnlyTable meta = new ReadOnlyTable();
    meta.rawset("__index", new MissingGlobal());
    meta.freeze();
    g.setmetatable(meta);
    freezeAll(g);
    g.readonly(true);
  }

  // ---- compiling

  /**
   * Compiles Lua source (text only: Redis's Lua refuses precompiled chunks) into a function whose
   * environment is {@code env}. Throws LuaError with Lua's message on a syntax error.
   */
  LuaClosure compile(byte[] code, int offset, String chunkname, LuaValue env) {
    String hash = CompileErrors.hashFirstLine(code, offset, chunkname);
    if (hash != null) throw new LuaError(hash);
    CompileErrors.Input in = new CompileErrors.Input(code, offset);
    Prototype p;
    try {
      p = LuaC.instance.compile(in, chunkname);
    } catch (LuaError e) {
      throw new LuaError(CompileErrors.reword(e.getMessage(), chunkname, code, offset, in));
    } catch (StackOverflowError e) {
      throw new LuaError("chunk has too many syntax levels");
    } catch (IOException | RuntimeException e) {
      // LuaJ's lexer fails outside its error path on some malformed input ("1e"): Lua 5.1's
      // lexer tells what is wrong.
      throw new LuaError(CompileErrors.unexpected(e, chunkname, code, offset, in));
    }
    String lexical = CompileErrors.lexicalError(code, offset, chunkname);
    if (lexical != null) throw new LuaError(lexical);
    return new LuaClosure(p, env);
  }

  // ---- tables and protection

  /** Makes every table reachable from {@code t} (values and metatables) read-only. */
  static void freezeAll(LuaTable t) {
    LuaValue k = LuaValue.NIL;
    while (true) {
      Varargs n = t.next(k);
      if ((k = n.arg1()).isnil()) break;
      LuaValue v = n.arg(2);
      if (v instanceof ReadOnlyTable r && !r.frozen()) {
        freezeAll(r);
      }
    }
    if (t instanceof ReadOnlyTable r) r.freeze();
    LuaValue mt = t.getmetatable();
    if (mt instanceof ReadOnlyTable r && !r.frozen()) freezeAll(r);
  }

  /**
   * A read-only copy of a LuaJ library table, to be frozen with the globals; its functions word
   * their argument errors as Lua 5.1.
   */
  private static ReadOnlyTable copy(LuaValue lib, String... drop) {
    ReadOnlyTable t = new ReadOnlyTable();
    LuaValue k = LuaValue.NIL;
    outer:
    while (true) {
      Varargs n = lib.next(k);
      if ((k = n.arg1()).isnil()) break;
      for (String d : drop) if (k.tojstring().equals(d)) continue outer;
      t.rawset(k, named(k.tojstring(), n.arg(2)));
    }
    return t;
  }

  /** {@code f} with Lua 5.1's argument errors when it is a function. */
  private static LuaValue named(String name, LuaValue f) {
    return f.isfunction() && !(f instanceof LuaClosure) ? new ArgErrors(name, f) : f;
  }

  private static volatile boolean stringMetatableSet;

  /**
   * The metatable of strings is shared by every Lua state in the JVM (LuaJ keeps it in a static
   * field): a read-only one whose __index is a read-only string library, so no script can change
   * how strings behave for others.
   */
  private static synchronized void protectStringMetatable() {
    if (stringMetatableSet) return;
    Globals g = new Globals();
    LuaTable pkg = new LuaTable();
    pkg.set("loaded", new LuaTable());
    g.set("package", pkg);
    LuaString.s_metatable = null;
    g.load(new StringLib());
    ReadOnlyTable lib = stringLib(g.get("string"));
    lib.freeze();
    ReadOnlyTable meta = new ReadOnlyTable();
    meta.rawset("__index", lib);
    meta.freeze();
    LuaString.s_metatable = meta;
    stringMetatableSet = true;
  }

  private static ReadOnlyTable stringLib(LuaValue lib) {
    ReadOnlyTable t = copy(lib);
    t.rawset("gfind", lib.get("gmatch"));
    t.rawset("rep", named("rep", new Rep()));
    t.rawset("format", new LuaFormat());
    return t;
  }

  private static ReadOnlyTable tableLib(LuaValue lib) {
    ReadOnlyTable t = copy(lib, "pack", "unpack");
    t.rawset("getn", new GetN());
    t.rawset("maxn", new MaxN());
    t.rawset("setn", new SetN());
    t.rawset("foreach", new ForEach(false));
    t.rawset("foreachi", new ForEach(true));
    return t;
  }

  private ReadOnlyTable mathLib(LuaValue lib) {
    ReadOnlyTable t = copy(lib);
    t.rawset("log10", new OneArgFunction() {
      @Override
      public LuaValue call(LuaValue x) {
        return valueOf(Math.log10(x.checkdouble()));
      }
    });
    t.rawset("log", new OneArgFunction() {
      @Override
      public LuaValue call(LuaValue x) {
        return valueOf(Math.log(x.checkdouble()));
      }
    });
    t.rawset("mod", lib.get("fmod"));
    t.rawset("random", new Random());
    t.rawset("randomseed", new RandomSeed());
    return t;
  }

  // ---- the redis table

  private ReadOnlyTable redisTable(boolean functions) {
    ReadOnlyTable r = new ReadOnlyTable();
    r.rawset("call", new Call(true));
    r.rawset("pcall", new Call(false));
    registerLog(r);
    registerVersion(r);
    r.rawset("setresp", new SetResp());
    r.rawset("sha1hex", new Sha1Hex());
    r.rawset("error_reply", new ErrorReply());
    r.rawset("status_reply", new StatusReply());
    r.rawset("set_repl", new SetRepl());
    r.rawset("REPL_NONE", LuaValue.valueOf(0));
    r.rawset("REPL_AOF", LuaValue.valueOf(1));
    r.rawset("REPL_SLAVE", LuaValue.valueOf(2));
    r.rawset("REPL_REPLICA", LuaValue.valueOf(2));
    r.rawset("REPL_ALL", LuaValue.valueOf(3));
    r.rawset("acl_check_cmd", new AclCheck());
    if (!functions) {
      r.rawset("breakpoint", new ZeroArgFunction() {
        @Override
        public LuaValue call() {
          return FALSE;
        }
      });
      r.rawset("debug", new VarArgFunction() {
        @Override
        public Varargs invoke(Varargs args) {
          return NONE;
        }
      });
      r.rawset("replicate_commands", new ZeroArgFunction() {
        @Override
        public LuaValue call() {
          return TRUE;
        }
      });
    }
    return r;
  }

  void registerLog(LuaTable r) {
    r.rawset("log", new Log());
    r.rawset("LOG_DEBUG", LuaValue.valueOf(0));
    r.rawset("LOG_VERBOSE", LuaValue.valueOf(1));
    r.rawset("LOG_NOTICE", LuaValue.valueOf(2));
    r.rawset("LOG_WARNING", LuaValue.valueOf(3));
  }

  static void registerVersion(LuaTable r) {
    String[] parts = RedstartServer.REDIS_VERSION.split("\\.");
    int num =
        (Integer.parseInt(parts[0]) << 16) | (Integer.parseInt(parts[1]) << 8)
            | Integer.parseInt(parts[2]);
    r.rawset("REDIS_VERSION_NUM", LuaValue.valueOf(num));
    r.rawset("REDIS_VERSION", LuaValue.valueOf(RedstartServer.REDIS_VERSION));
  }

  /**
   * Redis's luaPushErrorBuff: {@code {err = "<CODE> <message>"}}; a message starting with '-'
   * carries its own code up to the first space, otherwise the code is ERR. CR and LF are trimmed
   * from the ends.
   */
  static LuaTable errorTable(String error) {
    String code;
    String msg;
    if (error.startsWith("-")) {
      int sp = error.indexOf(' ');
      if (sp < 0) {
        code = "ERR";
        msg = error.substring(1);
      } else {
        code = error.substring(1, sp);
        msg = error.substring(sp + 1);
      }
    } else {
      code = "ERR";
      msg = error;
    }
    msg = trimCrLf(msg);
    LuaTable t = new LuaTable();
    t.rawset(ERR, LuaValue.valueOf((code + " " + msg).getBytes(StandardCharsets.ISO_8859_1)));
    return t;
  }

  /** The same from bytes (command replies keep their bytes). */
  static LuaTable errorTable(byte[] error) {
    return errorTable(new String(error, StandardCharsets.ISO_8859_1));
  }

  private static String trimCrLf(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && (s.charAt(b) == '\r' || s.charAt(b) == '\n')) b++;
    while (e > b && (s.charAt(e - 1) == '\r' || s.charAt(e - 1) == '\n')) e--;
    return s.substring(b, e);
  }

  /** Raises a Lua error whose value is Redis's error table. */
  static LuaError raise(String error) {
    return new LuaError(errorTable(error));
  }

  static LuaTable okTable(LuaValue status) {
    LuaTable t = new LuaTable();
    t.rawset(OK, status);
    return t;
  }

  // ---- base functions

  /** Raised by reading a global that does not exist. */
  private static final class MissingGlobal extends TwoArgFunction {
    @Override
    public LuaValue call(LuaValue table, LuaValue key) {
      throw new LuaError(
          "Script attempted to access nonexistent global variable '" + key.tojstring() + "'");
    }
  }

  /**
   * Lua 5.1's error(message [, level]): a string or number message gets the position of the
   * function {@code level} calls up (1, the default: the caller of error; 0: none); any other
   * value is raised as it is.
   */
  private final class ErrorFunction extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      LuaValue message = args.arg1();
      int level = 1;
      if (!args.isnoneornil(2)) {
        LuaValue l = args.arg(2);
        if (!l.isnumber()) {
          throw new LuaError(
              "bad argument #2 to 'error' (number expected, got " + l.typename() + ")");
        }
        level = (int) l.todouble();
      }
      if (level > 0 && (message.type() == TSTRING || message.type() == TNUMBER)) {
        // Concatenated even to "" (no position): a number becomes a string, as in Lua.
        message = LuaString.valueOf(guard.where(level)).concat(message.strvalue());
      }
      throw new FixedMessageError(message);
    }
  }

  /**
   * Redis's pcall: as Lua's, but an error raised with a table holding an {@code err} string (what
   * redis.call raises) is returned as that string.
   */
  private final class RedisPcall extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      LuaValue func = args.checkvalue(1);
      try {
        guard.enterCCall();
        int mark = guard.enterProtected();
        try {
          return varargsOf(TRUE, func.invoke(args.subargs(2)));
        } finally {
          guard.exitProtected(mark);
          guard.exitCCall();
        }
      } catch (LuaError le) {
        guard.clearError();
        LuaValue m = le.getMessageObject();
        if (m == null) m = NIL;
        if (m.istable()) {
          LuaValue err = m.get(ERR);
          if (err.isstring()) m = err;
        }
        return varargsOf(FALSE, m);
      } catch (RuntimeException e) {
        String m = e.getMessage();
        return varargsOf(FALSE, valueOf(m != null ? m : e.toString()));
      }
    }
  }

  /**
   * Lua 5.1's xpcall(f, handler): f is called without arguments; on an error the handler gets
   * the error value (a message with its position) and its first result is returned after false.
   * An error in the handler gives "error in error handling".
   */
  private final class XPcall extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      if (args.narg() < 2) throw new LuaError("bad argument #2 to 'xpcall' (value expected)");
      LuaValue func = args.arg1();
      LuaValue handler = args.arg(2);
      LuaValue error;
      try {
        guard.enterCCall();
        int mark = guard.enterProtected();
        try {
          return varargsOf(TRUE, func.invoke(NONE));
        } finally {
          guard.exitProtected(mark);
          guard.exitCCall();
        }
      } catch (LuaError le) {
        guard.clearError();
        error = le.getMessageObject();
        if (error == null) error = NIL;
      }
      try {
        return varargsOf(FALSE, handler.call(error));
      } catch (LuaError le) {
        guard.clearError();
        return varargsOf(FALSE, valueOf("error in error handling"));
      }
    }
  }

  /**
   * tonumber as Lua 5.1 (luaO_str2d): a string converts as C's strtod reads it (so "nan", "inf",
   * " 12 " and "0x1A" are numbers), with only spaces after it. Other bases go to LuaJ's.
   */
  private static final class ToNumber extends VarArgFunction {
    private final LuaValue delegate;

    ToNumber(LuaValue delegate) {
      this.delegate = delegate;
    }

    @Override
    public Varargs invoke(Varargs args) {
      LuaValue v = args.arg1();
      if (v.type() != TSTRING || !(args.isnoneornil(2) || args.arg(2).todouble() == 10)) {
        return delegate.invoke(args);
      }
      LuaString s = v.strvalue();
      byte[] b = LuaReplies.bytes(s);
      int n = 0;
      while (n < b.length && b[n] != 0) n++; // a C string ends at NUL
      b = java.util.Arrays.copyOf(b, n);
      int start = 0;
      while (start < n && isSpace(b[start])) start++;
      int[] end = new int[1];
      double d = Strtod.parse(b, start, end);
      if (end[0] == start) return NIL;
      int p = end[0];
      while (p < n && isSpace(b[p])) p++;
      return p == n ? valueOf(d) : NIL;
    }

    private static boolean isSpace(byte c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }
  }

  private final class LoadString extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      LuaString s = args.checkstring(1);
      String name = args.optjstring(2, s.tojstring());
      return loadText(s.m_bytes, s.m_offset, s.m_length, name);
    }
  }

  private final class Load extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      LuaValue f = args.checkfunction(1);
      String name = args.optjstring(2, "=(load)");
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      while (true) {
        LuaValue piece = f.call();
        if (piece.isnil() || (piece.isstring() && piece.strvalue().length() == 0)) break;
        if (!piece.isstring()) return varargsOf(NIL, valueOf("reader function must return a string"));
        LuaString p = piece.strvalue();
        if (out.size() + (long) p.m_length > MAX_STRING_BYTES) throw new NoMemory();
        out.write(p.m_bytes, p.m_offset, p.m_length);
      }
      byte[] b = out.toByteArray();
      return loadText(b, 0, b.length, name);
    }
  }

  private Varargs loadText(byte[] b, int off, int len, String name) {
    try {
      byte[] code = off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len);
      return compile(code, 0, name, globals);
    } catch (LuaError e) {
      return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(e.getMessage()));
    }
  }

  private static final class GcInfo extends ZeroArgFunction {
    @Override
    public LuaValue call() {
      Runtime rt = Runtime.getRuntime();
      return valueOf((int) ((rt.totalMemory() - rt.freeMemory()) / 1024 / 64));
    }
  }

  private final class GetFenv extends OneArgFunction {
    @Override
    public LuaValue call(LuaValue f) {
      return globals;
    }
  }

  private static final class SetFenv extends TwoArgFunction {
    @Override
    public LuaValue call(LuaValue f, LuaValue env) {
      throw new LuaError("'setfenv' cannot change environment of given object");
    }
  }

  // ---- string and table additions

  private static final class Rep extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      LuaString s = args.checkstring(1);
      int n = args.checkint(2);
      if (n <= 0 || s.m_length == 0) return EMPTYSTRING;
      long total = (long) s.m_length * n;
      if (total > MAX_STRING_BYTES) throw new NoMemory();
      byte[] bytes = new byte[(int) total];
      for (int off = 0; off < bytes.length; off += s.m_length) s.copyInto(0, bytes, off, s.m_length);
      return LuaString.valueUsing(bytes);
    }
  }

  private static final class GetN extends OneArgFunction {
    @Override
    public LuaValue call(LuaValue t) {
      return valueOf(t.checktable().length());
    }
  }

  private static final class MaxN extends OneArgFunction {
    @Override
    public LuaValue call(LuaValue t) {
      LuaTable tab = t.checktable();
      double max = 0;
      LuaValue k = NIL;
      while (true) {
        Varargs n = tab.next(k);
        if ((k = n.arg1()).isnil()) break;
        if (k.type() == TNUMBER && k.todouble() > max) max = k.todouble();
      }
      return valueOf(max);
    }
  }

  private static final class SetN extends TwoArgFunction {
    @Override
    public LuaValue call(LuaValue t, LuaValue n) {
      throw new LuaError("'setn' is obsolete");
    }
  }

  private static final class ForEach extends TwoArgFunction {
    private final boolean indexed;

    ForEach(boolean indexed) {
      this.indexed = indexed;
    }

    @Override
    public LuaValue call(LuaValue t, LuaValue f) {
      LuaTable tab = t.checktable();
      f.checkfunction();
      if (indexed) {
        int n = tab.length();
        for (int i = 1; i <= n; i++) {
          LuaValue r = f.call(valueOf(i), tab.get(i));
          if (!r.isnil()) return r;
        }
        return NIL;
      }
      LuaValue k = NIL;
      while (true) {
        Varargs n = tab.next(k);
        if ((k = n.arg1()).isnil()) break;
        LuaValue r = f.call(k, n.arg(2));
        if (!r.isnil()) return r;
      }
      return NIL;
    }
  }

  // ---- math.random as Redis (rand.c's lrand48, shared by every script)

  private final class Random extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      if (!bridge.inRun()) throw new LuaError("math.random can only be called inside a script invocation");
      double r = bridge.random();
      switch (args.narg()) {
        case 0:
          return valueOf(r);
        case 1: {
          int u = args.checkint(1);
          if (u < 1) argerror(1, "interval is empty");
          return valueOf(Math.floor(r * u) + 1);
        }
        case 2: {
          int l = args.checkint(1);
          int u = args.checkint(2);
          if (l > u) argerror(2, "interval is empty");
          return valueOf(Math.floor(r * (u - l + 1)) + l);
        }
        default:
          throw new LuaError("wrong number of arguments");
      }
    }
  }

  private final class RandomSeed extends OneArgFunction {
    @Override
    public LuaValue call(LuaValue seed) {
      if (!bridge.inRun()) {
        throw new LuaError("math.randomseed can only be called inside a script invocation");
      }
      bridge.randomSeed(seed.checkint());
      return NONE.arg1();
    }
  }

  // ---- redis.*

  private final class Call extends VarArgFunction {
    private final boolean raise;

    Call(boolean raise) {
      this.raise = raise;
    }

    @Override
    public Varargs invoke(Varargs args) {
      if (!bridge.inRun()) {
        throw raise("redis.call/pcall can only be called inside a script invocation");
      }
      return bridge.call(args, raise);
    }
  }

  private final class Log extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      int argc = args.narg();
      if (argc < 2) throw raise("redis.log() requires two arguments or more.");
      if (!args.arg1().isnumber()) throw raise("First argument must be a number (log level).");
      int level = (int) args.arg1().todouble();
      if (level < 0 || level > 3) throw raise("Invalid debug level.");
      StringBuilder sb = new StringBuilder();
      boolean first = true;
      for (int j = 2; j <= argc; j++) {
        LuaValue v = args.arg(j);
        if (!v.isstring()) continue;
        if (!first) sb.append(' ');
        first = false;
        LuaString s = v.strvalue();
        sb.append(new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1));
      }
      bridge.log(level, sb.toString());
      return NONE;
    }
  }

  private final class SetResp extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      if (!bridge.inRun()) throw raise("redis.setresp can only be called inside a script invocation");
      if (args.narg() != 1) throw raise("redis.setresp() requires one argument.");
      int resp = (int) args.arg1().optdouble(0);
      if (resp != 2 && resp != 3) throw raise("RESP version must be 2 or 3.");
      bridge.setResp(resp);
      return NONE;
    }
  }

  private final class SetRepl extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      if (!bridge.inRun()) throw raise("redis.set_repl can only be called inside a script invocation");
      if (args.narg() != 1) throw raise("redis.set_repl() requires two arguments.");
      int flags = (int) args.arg1().optdouble(0);
      if ((flags & ~3) != 0) {
        throw raise(
            "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
      }
      bridge.setRepl(flags);
      return NONE;
    }
  }

  private final class AclCheck extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      if (!bridge.inRun()) {
        throw raise("redis.acl_check_cmd can only be called inside a script invocation");
      }
      return bridge.aclCheck(args);
    }
  }

  private static final class Sha1Hex extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      if (args.narg() != 1) throw raise("wrong number of arguments");
      LuaValue v = args.arg1();
      byte[] b;
      if (v.isstring()) {
        LuaString s = v.strvalue();
        b = java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
      } else {
        b = new byte[0];
      }
      return valueOf(Sha1.hex(b));
    }
  }

  private static final class ErrorReply extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      if (args.narg() != 1 || args.arg1().type() != TSTRING) {
        return errorTable("wrong number or type of arguments");
      }
      LuaString s = args.arg1().strvalue();
      String e = new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
      return errorTable(e.startsWith("-") ? e : "-" + e);
    }
  }

  private static final class StatusReply extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      if (args.narg() != 1 || args.arg1().type() != TSTRING) {
        return errorTable("wrong number or type of arguments");
      }
      return okTable(args.arg1());
    }
  }
}
