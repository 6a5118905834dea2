package io.redstart.scripting;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redstart.command.Errors;
import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.resp.SplitArgs;
import io.redstart.server.Client;
import io.redstart.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Redis 7 functions (functions.c, function_lua.c): libraries loaded with FUNCTION LOAD, each
 * registering named functions with redis.register_function, called with FCALL/FCALL_RO, listed,
 * deleted, flushed, dumped and restored (the payload is Redis's: RDB function records, the RDB
 * version and a CRC64, so dumps move between Redis and Redstart).
 *
 * <p>The functions' Lua world is separate from EVAL's. A library's body runs with globals that
 * offer only the load-time API ({@code redis.register_function}, {@code redis.log} and the
 * version); its functions, when called, see the full API. Both are read-only.
 *
 * <p>Owned by the keyspace thread.
 */
final class Functions {
  /** Redis's LOAD_TIMEOUT_MS: a library's body must finish within this. */
  static final long LOAD_TIMEOUT_MS = 500;

  static final int RDB_OPCODE_FUNCTION2 = 245;
  static final int RDB_OPCODE_FUNCTION = 246;
  static final int RDB_VERSION = 10;

  record Function(String name, LuaValue callback, String description, int flags, Library library) {}

  static final class Library {
    final String name;
    final byte[] code;
    final Map<String, Function> functions = new LinkedHashMap<>();

    Library(String name, byte[] code) {
      this.name = name;
      this.code = code;
    }
  }

  private final Scripting scripting;
  private final LuaEngine engine;
  private final LuaGlobals libGlobals;
  private final ReadOnlyTable libMeta;
  private final ReadOnlyTable loadApi;
  private Map<String, Library> libraries = new LinkedHashMap<>();
  private Map<String, Function> functions = new LinkedHashMap<>();
  /** The library whose body is running (FUNCTION LOAD), or null. */
  private Library loading;

  Functions(Scripting scripting, ScriptGuard guard) {
    this.scripting = scripting;
    this.engine = new LuaEngine(guard, scripting, true);
    ReadOnlyTable redis = new ReadOnlyTable();
    redis.rawset("register_function", new RegisterFunction());
    engine.registerLog(redis);
    LuaEngine.registerVersion(redis);
    ReadOnlyTable missing = new ReadOnlyTable();
    missing.rawset("__index", engine.globals.getmetatable().get("__index"));
    missing.freeze();
    redis.setmetatable(missing);
    redis.freeze();
    this.loadApi = new ReadOnlyTable();
    loadApi.rawset("redis", redis);
    loadApi.setmetatable(missing);
    loadApi.freeze();
    this.libGlobals = new LuaGlobals(guard);
    this.libMeta = new ReadOnlyTable();
    libMeta.rawset("__index", engine.globals);
    libMeta.freeze();
    libGlobals.setmetatable(libMeta);
    libGlobals.readonly(true);
  }

  // ---- FUNCTION LOAD

  /** FUNCTION LOAD [REPLACE] code. */
  void load(Client c, byte[][] argv) {
    boolean replace = false;
    int pos = 2;
    while (pos < argv.length - 1) {
      byte[] a = argv[pos++];
      if (io.redstart.command.Args.is(a, "replace")) {
        replace = true;
        continue;
      }
      c.error("ERR Unknown option given: " + Scripting.cstr(a));
      return;
    }
    if (pos >= argv.length) {
      c.error(Errors.FUNCTION_CODE_MISSING);
      return;
    }
    String[] err = new String[1];
    Library lib = create(argv[pos], replace, err, libraries, functions, true);
    if (lib == null) {
      c.error("ERR " + err[0]);
      return;
    }
    scripting.server().incrDirty(1);
    c.reply().bulk(lib.name);
  }

  /**
   * Redis's functionsCreateWithLibraryCtx: parses the metadata, runs the body, and links the
   * library into {@code libs}/{@code funcs} (replacing one of the same name when allowed). Null
   * with err[0] set on failure, nothing changed.
   */
  private Library create(byte[] code, boolean replace, String[] err, Map<String, Library> libs,
      Map<String, Function> funcs, boolean timeout) {
    if (code.length < 2 || code[0] != '#' || code[1] != '!') {
      err[0] = "Missing library metadata";
      return null;
    }
    int end = -1;
    for (int i = 0; i < code.length; i++) {
      if (code[i] == '\n') {
        end = i;
        break;
      }
    }
    if (end < 0) {
      err[0] = "Invalid library metadata";
      return null;
    }
    byte[][] parts = SplitArgs.split(java.util.Arrays.copyOf(code, end));
    if (parts == null || parts.length == 0) {
      err[0] = "Invalid library metadata";
      return null;
    }
    String engineName = Scripting.cstr(parts[0]).substring(2);
    String name = null;
    for (int i = 1; i < parts.length; i++) {
      String p = Scripting.cstr(parts[i]);
      if (p.regionMatches(true, 0, "name=", 0, 5)) {
        if (name != null) {
          err[0] = "Invalid metadata value, name argument was given multiple times";
          return null;
        }
        name = p.substring(5);
        continue;
      }
      err[0] = "Invalid metadata value given: " + p;
      return null;
    }
    if (name == null) {
      err[0] = "Library name was not given";
      return null;
    }
    if (!validName(name)) {
      err[0] = "Library names can only contain letters, numbers, or underscores(_) and must be at"
          + " least one character long";
      return null;
    }
    if (!engineName.equalsIgnoreCase("LUA")) {
      err[0] = "Engine '" + engineName + "' not found";
      return null;
    }
    Library old = libs.get(name);
    if (old != null && !replace) {
      err[0] = "Library '" + name + "' already exists";
      return null;
    }
    Library lib = new Library(name, code);
    LuaClosure body;
    try {
      body = engine.compile(code, end, "@user_function", libGlobals);
    } catch (LuaError e) {
      err[0] = "Error compiling function: " + e.getMessage();
      return null;
    }
    libMeta.forceSet(LuaValue.valueOf("__index"), loadApi);
    loading = lib;
    scripting.loadStarted(timeout ? LOAD_TIMEOUT_MS : 0);
    try {
      body.call();
    } catch (LuaError e) {
      err[0] = "Error registering functions: " + errorText(e);
      return null;
    } catch (StackOverflowError e) {
      err[0] = "Error registering functions: stack overflow";
      return null;
    } finally {
      loading = null;
      scripting.loadEnded();
      libMeta.forceSet(LuaValue.valueOf("__index"), engine.globals);
    }
    if (lib.functions.isEmpty()) {
      err[0] = "No functions registered";
      return null;
    }
    for (String f : lib.functions.keySet()) {
      Function existing = funcs.get(f);
      if (existing != null && existing.library() != old) {
        err[0] = "Function " + f + " already exists";
        return null;
      }
    }
    if (old != null) unlink(old, libs, funcs);
    libs.put(name, lib);
    for (Function f : lib.functions.values()) funcs.put(f.name(), f);
    return lib;
  }

  /** luaExtractErrorInformation's message of a failed library body. */
  private static String errorText(LuaError e) {
    LuaValue v = e.getMessageObject();
    if (v != null && v.istable()) {
      LuaValue err = v.get(LuaReplies.ERR);
      return err.isstring() ? LuaReplies.latin1(err.strvalue()) : "(null)";
    }
    return "ERR " + (v == null ? "nil" : v.tojstring());
  }

  private static void unlink(Library lib, Map<String, Library> libs, Map<String, Function> funcs) {
    libs.remove(lib.name);
    for (String f : lib.functions.keySet()) funcs.remove(f);
  }

  static boolean validName(String name) {
    if (name.isEmpty()) return false;
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_')) {
        return false;
      }
    }
    return true;
  }

  /** redis.register_function(name, callback) or redis.register_function{...}. */
  private final class RegisterFunction extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      Library lib = loading;
      if (lib == null) {
        throw LuaEngine.raise("redis.register_function can only be called on FUNCTION LOAD command");
      }
      int argc = args.narg();
      if (argc < 1 || argc > 2) throw LuaEngine.raise("wrong number of arguments to redis.register_function");
      String name;
      String desc = null;
      LuaValue callback = null;
      int flags = 0;
      if (argc == 1) {
        if (!args.arg1().istable()) {
          throw LuaEngine.raise("calling redis.register_function with a single argument is only"
              + " applicable to Lua table (representing named arguments).");
        }
        LuaTable t = (LuaTable) args.arg1();
        name = null;
        LuaValue k = NIL;
        while (true) {
          Varargs n = t.next(k);
          if ((k = n.arg1()).isnil()) break;
          LuaValue v = n.arg(2);
          if (!k.isstring()) throw LuaEngine.raise("named argument key given to redis.register_function is not a string");
          String key = k.tojstring();
          if (key.equalsIgnoreCase("function_name")) {
            if (!v.isstring()) throw LuaEngine.raise("function_name argument given to redis.register_function must be a string");
            name = LuaReplies.latin1(v.strvalue());
          } else if (key.equalsIgnoreCase("description")) {
            if (!v.isstring()) throw LuaEngine.raise("description argument given to redis.register_function must be a string");
            desc = LuaReplies.latin1(v.strvalue());
          } else if (key.equalsIgnoreCase("callback")) {
            if (!v.isfunction()) throw LuaEngine.raise("callback argument given to redis.register_function must be a function");
            callback = v;
          } else if (key.equalsIgnoreCase("flags")) {
            if (!v.istable()) {
              throw LuaEngine.raise("flags argument to redis.register_function must be a table"
                  + " representing function flags");
            }
            for (int j = 1; ; j++) {
              LuaValue f = v.get(j);
              if (f.isnil()) break;
              int bit = f.isstring() ? Scripting.flagBit(f.tojstring(), true) : -1;
              if (bit < 0) throw LuaEngine.raise("unknown flag given");
              flags |= bit;
            }
          } else {
            throw LuaEngine.raise("unknown argument given to redis.register_function");
          }
        }
        if (name == null) throw LuaEngine.raise("redis.register_function must get a function name argument");
        if (callback == null) throw LuaEngine.raise("redis.register_function must get a callback argument");
      } else {
        if (!args.arg1().isstring()) throw LuaEngine.raise("first argument to redis.register_function must be a string");
        if (!args.arg(2).isfunction()) throw LuaEngine.raise("second argument to redis.register_function must be a function");
        name = LuaReplies.latin1(args.arg1().strvalue());
        callback = args.arg(2);
      }
      if (!validName(name)) {
        throw LuaEngine.raise("Library names can only contain letters, numbers, or underscores(_)"
            + " and must be at least one character long");
      }
      if (lib.functions.containsKey(name)) throw LuaEngine.raise("Function already exists in the library");
      lib.functions.put(name, new Function(name, callback, desc, flags, lib));
      return NONE;
    }
  }

  // ---- FCALL

  /** FCALL and FCALL_RO. */
  void fcall(Client c, byte[][] argv, boolean ro) {
    Function f = functions.get(new String(argv[1], StandardCharsets.ISO_8859_1));
    if (f == null) {
      c.error(Errors.FUNCTION_NOT_FOUND);
      return;
    }
    if (!Numbers.isLong(argv[2])) {
      c.error(Errors.NUMKEYS_BAD);
      return;
    }
    long numkeys = Numbers.parseLong(argv[2]);
    if (numkeys > argv.length - 3) {
      c.error(Errors.NUMKEYS_TOO_BIG);
      return;
    }
    if (numkeys < 0) {
      c.error(Errors.NUMKEYS_NEGATIVE);
      return;
    }
    Scripting.Run r = scripting.prepareOrReply(c, f.name(), f.flags(), ro, false);
    if (r == null) return;
    LuaTable keys = Scripting.array(argv, 3, (int) numkeys);
    LuaTable args = Scripting.array(argv, 3 + (int) numkeys, argv.length - 3 - (int) numkeys);
    scripting.execute(r, f.callback(), keys, args);
  }

  // ---- LIST, DELETE, FLUSH, STATS

  void list(Client c, byte[][] argv) {
    boolean withCode = false;
    byte[] pattern = null;
    for (int i = 2; i < argv.length; i++) {
      byte[] a = argv[i];
      if (!withCode && io.redstart.command.Args.is(a, "withcode")) {
        withCode = true;
        continue;
      }
      if (pattern == null && io.redstart.command.Args.is(a, "libraryname")) {
        if (i >= argv.length - 1) {
          c.error(Errors.LIBRARY_NAME_NOT_GIVEN);
          return;
        }
        pattern = argv[++i];
        continue;
      }
      c.error("ERR Unknown argument " + Scripting.cstr(a));
      return;
    }
    List<Library> shown = new ArrayList<>();
    for (Library l : libraries.values()) {
      byte[] n = l.name.getBytes(StandardCharsets.ISO_8859_1);
      if (pattern == null || Glob.matches(pattern, n, true)) shown.add(l);
    }
    RespWriter w = c.reply();
    w.array(shown.size());
    for (Library l : shown) {
      w.map(withCode ? 4 : 3);
      w.bulk("library_name");
      w.bulk(l.name.getBytes(StandardCharsets.ISO_8859_1));
      w.bulk("engine");
      w.bulk("LUA");
      w.bulk("functions");
      w.array(l.functions.size());
      for (Function f : l.functions.values()) {
        w.map(3);
        w.bulk("name");
        w.bulk(f.name().getBytes(StandardCharsets.ISO_8859_1));
        w.bulk("description");
        if (f.description() == null) {
          w.nullBulk();
        } else {
          w.bulk(f.description().getBytes(StandardCharsets.ISO_8859_1));
        }
        w.bulk("flags");
        int n = Integer.bitCount(f.flags());
        w.set(n);
        for (int i = 0; i < Scripting.FLAG_NAMES.length; i++) {
          if ((f.flags() & (1 << i)) != 0 && Scripting.FLAG_NAMES[i] != null) {
            w.simple(Scripting.FLAG_NAMES[i]);
          }
        }
      }
      if (withCode) {
        w.bulk("library_code");
        w.bulk(l.code);
      }
    }
  }

  void delete(Client c, byte[] name) {
    Library l = libraries.get(new String(name, StandardCharsets.ISO_8859_1));
    if (l == null) {
      c.error(Errors.LIBRARY_NOT_FOUND);
      return;
    }
    unlink(l, libraries, functions);
    scripting.server().incrDirty(1);
    c.reply().ok();
  }

  List<byte[]> codes() {
    List<byte[]> out = new ArrayList<>();
    for (Library l : libraries.values()) out.add(l.code);
    return out;
  }

  /** Loads a library from an RDB record; null or the error. */
  String loadForRdb(byte[] code, boolean replace) {
    String[] err = new String[1];
    return create(code, replace, err, libraries, functions, false) == null ? err[0] : null;
  }

  void flush() {
    libraries = new LinkedHashMap<>();
    functions = new LinkedHashMap<>();
  }

  int libraryCount() {
    return libraries.size();
  }

  int functionCount() {
    return functions.size();
  }

  // ---- DUMP and RESTORE

  /** FUNCTION DUMP: every library as an RDB function record, then RDB version and CRC64. */
  byte[] dump() {
    ByteBuf b = Unpooled.buffer();
    for (Library l : libraries.values()) {
      b.writeByte(RDB_OPCODE_FUNCTION2);
      writeLength(b, l.code.length);
      b.writeBytes(l.code);
    }
    b.writeByte(RDB_VERSION & 0xff);
    b.writeByte((RDB_VERSION >> 8) & 0xff);
    long crc = Crc64.crc64(0, b.array(), b.arrayOffset() + b.readerIndex(), b.readableBytes());
    b.writeLongLE(crc);
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  private static void writeLength(ByteBuf b, long len) {
    if (len < (1 << 6)) {
      b.writeByte((int) len);
    } else if (len < (1 << 14)) {
      b.writeByte((int) ((len >> 8) | 0x40));
      b.writeByte((int) (len & 0xff));
    } else if (len <= 0xFFFFFFFFL) {
      b.writeByte(0x80);
      b.writeInt((int) len);
    } else {
      b.writeByte(0x81);
      b.writeLong(len);
    }
  }

  /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]. */
  void restore(Client c, byte[][] argv) {
    if (argv.length > 4) {
      io.redstart.command.Replies.subcommandSyntaxError(c, argv);
      return;
    }
    int policy = 1; // 0 flush, 1 append, 2 replace
    if (argv.length == 4) {
      if (io.redstart.command.Args.is(argv[3], "append")) {
        policy = 1;
      } else if (io.redstart.command.Args.is(argv[3], "replace")) {
        policy = 2;
      } else if (io.redstart.command.Args.is(argv[3], "flush")) {
        policy = 0;
      } else {
        c.error(Errors.RESTORE_POLICY);
        return;
      }
    }
    byte[] data = argv[2];
    if (!verifyPayload(data)) {
      c.error(Errors.DUMP_PAYLOAD);
      return;
    }
    Map<String, Library> libs = new LinkedHashMap<>();
    Map<String, Function> funcs = new LinkedHashMap<>();
    String[] err = new String[1];
    int[] pos = {0};
    int limit = data.length - 10;
    while (pos[0] < limit) {
      int type = data[pos[0]++] & 0xff;
      if (type != RDB_OPCODE_FUNCTION && type != RDB_OPCODE_FUNCTION2) {
        c.error(Errors.RESTORE_NOT_A_FUNCTION);
        return;
      }
      byte[] code = type == RDB_OPCODE_FUNCTION2 ? readString(data, pos, limit) : null;
      if (code == null) {
        c.error(Errors.RESTORE_FAILED);
        return;
      }
      if (create(code, false, err, libs, funcs, false) == null) {
        c.error("ERR " + err[0]);
        return;
      }
    }
    if (policy == 0) {
      libraries = libs;
      functions = funcs;
    } else {
      // libraryJoin: libraries of the same name fail (APPEND) or are replaced (REPLACE); a
      // function name held by another library fails either way. All or nothing.
      Map<String, Library> newLibs = new LinkedHashMap<>(libraries);
      Map<String, Function> newFuncs = new LinkedHashMap<>(functions);
      for (Library l : libs.values()) {
        Library old = newLibs.get(l.name);
        if (old != null) {
          if (policy == 1) {
            c.error("ERR Library " + l.name + " already exists");
            return;
          }
          unlink(old, newLibs, newFuncs);
        }
      }
      for (Function f : funcs.values()) {
        if (newFuncs.containsKey(f.name())) {
          c.error("ERR Function " + f.name() + " already exists");
          return;
        }
      }
      for (Library l : libs.values()) {
        newLibs.put(l.name, l);
        for (Function f : l.functions.values()) newFuncs.put(f.name(), f);
      }
      libraries = newLibs;
      functions = newFuncs;
    }
    scripting.server().incrDirty(1);
    c.reply().ok();
  }

  /** Redis's verifyDumpPayload: a known RDB version and a matching CRC64 footer. */
  static boolean verifyPayload(byte[] p) {
    if (p.length < 10) return false;
    int ver = (p[p.length - 10] & 0xff) | ((p[p.length - 9] & 0xff) << 8);
    if (ver > RDB_VERSION) return false;
    long crc = Crc64.crc64(0, p, 0, p.length - 8);
    long stored = 0;
    for (int i = 0; i < 8; i++) stored |= (long) (p[p.length - 8 + i] & 0xff) << (8 * i);
    return crc == stored;
  }

  /** An RDB string at pos[0] (plain, integer-encoded or LZF-compressed), or null if malformed. */
  static byte[] readString(byte[] d, int[] pos, int limit) {
    if (pos[0] >= limit) return null;
    int first = d[pos[0]] & 0xff;
    int kind = first >> 6;
    if (kind == 3) {
      pos[0]++;
      int enc = first & 0x3f;
      switch (enc) {
        case 0, 1, 2: {
          int n = 1 << enc;
          if (pos[0] + n > limit) return null;
          long v = 0;
          for (int i = 0; i < n; i++) v |= (long) (d[pos[0] + i] & 0xff) << (8 * i);
          v = (v << (64 - 8 * n)) >> (64 - 8 * n);
          pos[0] += n;
          return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
        }
        case 3: {
          long clen = readLength(d, pos, limit);
          long len = readLength(d, pos, limit);
          if (clen < 0 || len < 0 || pos[0] + clen > limit || len > Integer.MAX_VALUE) return null;
          byte[] out = Lzf.decompress(d, pos[0], (int) clen, (int) len);
          pos[0] += (int) clen;
          return out;
        }
        default:
          return null;
      }
    }
    long len = readLength(d, pos, limit);
    if (len < 0 || pos[0] + len > limit) return null;
    byte[] s = java.util.Arrays.copyOfRange(d, pos[0], pos[0] + (int) len);
    pos[0] += (int) len;
    return s;
  }

  private static long readLength(byte[] d, int[] pos, int limit) {
    if (pos[0] >= limit) return -1;
    int first = d[pos[0]++] & 0xff;
    switch (first >> 6) {
      case 0:
        return first & 0x3f;
      case 1:
        if (pos[0] >= limit) return -1;
        return ((first & 0x3f) << 8) | (d[pos[0]++] & 0xff);
      case 2: {
        int n = first == 0x80 ? 4 : first == 0x81 ? 8 : -1;
        if (n < 0 || pos[0] + n > limit) return -1;
        long v = 0;
        for (int i = 0; i < n; i++) v = (v << 8) | (d[pos[0]++] & 0xff);
        return v;
      }
      default:
        return -1;
    }
  }

  /** FUNCTION STATS. */
  void stats(Client c, Scripting.Run running, byte[][] callerArgv) {
    RespWriter w = c.reply();
    w.map(2);
    w.bulk("running_script");
    if (running == null) {
      w.nullBulk();
    } else {
      w.map(3);
      w.bulk("name");
      w.bulk(running.name.getBytes(StandardCharsets.ISO_8859_1));
      w.bulk("command");
      w.array(callerArgv.length);
      for (byte[] a : callerArgv) w.bulk(a);
      w.bulk("duration_ms");
      w.integer((System.nanoTime() - running.startNanos) / 1_000_000);
    }
    w.bulk("engines");
    w.map(1);
    w.bulk("LUA");
    w.map(2);
    w.bulk("libraries_count");
    w.integer(libraries.size());
    w.bulk("functions_count");
    w.integer(functions.size());
  }
}
