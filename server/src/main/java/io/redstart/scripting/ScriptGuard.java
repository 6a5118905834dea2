package io.redstart.scripting;

import java.util.Arrays;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.OneArgFunction;

/**
 * What the Lua interpreter reports to the server while a script runs. It is the {@code debuglib}
 * of every script world ({@link LuaGlobals}), which is how LuaJ's interpreter calls it: at each
 * Lua call ({@link #onCall}), instruction ({@link #onInstruction}) and return ({@link #onReturn}).
 * The {@code debug} library itself is never given to scripts; these hooks replace it.
 *
 * <ul>
 *   <li>Every {@link #INTERVAL} instructions it runs the server's tick (time checks, SCRIPT
 *       KILL, yielding to the event loop once the script is busy).
 *   <li>It bounds the depth of Lua calls, so that deep recursion ends with Lua's "stack
 *       overflow" error instead of a JVM {@link StackOverflowError}, and counts protected calls
 *       against Lua 5.1's C-call limit ("C stack overflow").
 *   <li>It keeps the call stack (each Lua frame's prototype, registers and current instruction,
 *       and the protected calls between them), from which {@link #where} places {@code
 *       error(msg, level)} as Lua 5.1's luaL_where does.
 *   <li>Its {@link #errorHandler} is the error function of the script's Lua thread: LuaJ calls it
 *       once per error, when the error leaves its innermost Lua frame, while that frame is still
 *       on the stack. It words the message as Lua 5.1 ("user_script:1: attempt to index local
 *       'a' (a nil value)", in place of LuaJ's "@user_script:1 attempt to index ? (a nil
 *       value)") and records the position Redis adds to a script's error reply. Because an error
 *       function is set, LuaJ appends no traceback to messages.
 * </ul>
 *
 * <p>Owned by the thread running scripts (the keyspace thread); one guard serves both script
 * worlds of a server, one run at a time.
 */
final class ScriptGuard extends DebugLib {
  /** Instructions between two ticks. */
  public static final int INTERVAL = 10_000;

  /** Lua 5.1's LUAI_MAXCCALLS: nested calls made through C functions (pcall, xpcall). */
  public static final int MAX_C_CALLS = 200;

  private int countdown = INTERVAL;
  private final int maxDepth;
  private final Runnable tick;

  // The call stack, innermost at [top]: a Lua frame has its prototype, its registers and the
  // instruction it runs; a protected call has no prototype.
  private Prototype[] protos = new Prototype[64];
  private LuaValue[][] registers = new LuaValue[64][];
  private int[] pcs = new int[64];
  private int top = -1;
  private int luaDepth;
  private int cCalls = 1;

  // Where the last error arose: its innermost Lua frame.
  private String errorSource;
  private int errorLine;

  /** The error function of script threads; see the class comment. */
  final LuaValue errorHandler = new ErrorHandler();

  /**
   * @param maxDepth the deepest nesting of Lua calls allowed
   * @param tick what to do every {@link #INTERVAL} instructions (may throw to stop the script)
   */
  public ScriptGuard(int maxDepth, Runnable tick) {
    this.maxDepth = maxDepth;
    this.tick = tick;
  }

  /** Never loaded as a library: the hooks work without the {@code debug} table. */
  @Override
  public LuaValue call(LuaValue modname, LuaValue env) {
    throw new LuaError("the debug library is not available");
  }

  // ---- LuaJ's hooks

  /** A Lua function starts; past the bound, Lua's "stack overflow" (raised in the caller). */
  @Override
  public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
    if (luaDepth >= maxDepth) throw new LuaError("stack overflow");
    luaDepth++;
    push(c.p, stack);
  }

  /** Only LuaJ's own pcall and xpcall report Java calls; scripts get ours. */
  @Override
  public void onCall(LuaFunction f) {}

  @Override
  public void onInstruction(int pc, Varargs v, int stackTop) {
    pcs[top] = pc;
    if (--countdown < 0) {
      countdown = INTERVAL;
      tick.run();
    }
  }

  /** A Lua function returns or unwinds. */
  @Override
  public void onReturn() {
    pop();
  }

  /** Not used while the error handler is set. */
  @Override
  public String traceback(int level) {
    return "";
  }

  private void push(Prototype p, LuaValue[] stack) {
    int i = ++top;
    if (i == protos.length) {
      int n = i * 2;
      protos = Arrays.copyOf(protos, n);
      registers = Arrays.copyOf(registers, n);
      pcs = Arrays.copyOf(pcs, n);
    }
    protos[i] = p;
    registers[i] = stack;
    pcs[i] = 0;
  }

  private void pop() {
    int i = top--;
    if (protos[i] != null) luaDepth--;
    protos[i] = null;
    registers[i] = null;
  }

  // ---- protected calls

  /**
   * A protected call (pcall, xpcall) is about to call into Lua; past Lua 5.1's limit raises its
   * "C stack overflow" error, which keeps pcall recursion short as in Redis.
   */
  public void enterCCall() {
    if (++cCalls >= MAX_C_CALLS) {
      cCalls--;
      throw new LuaError("C stack overflow");
    }
  }

  public void exitCCall() {
    cCalls--;
  }

  /**
   * A protected call enters the call stack, as the C function it is in Lua 5.1 (so that {@code
   * pcall(error, 'x')} has no position and {@code pcall(error, 'x', 2)} has its caller's).
   * Returns the mark to give to {@link #exitProtected}.
   */
  int enterProtected() {
    int mark = top;
    push(null, null);
    return mark;
  }

  /** The protected call ends: the stack is as it was before {@link #enterProtected}. */
  void exitProtected(int mark) {
    while (top > mark) pop();
  }

  // ---- positions

  /**
   * Lua 5.1's luaL_where: "user_script:3: " for the Lua function {@code level} calls up the
   * stack (1: the function that called the Java function asking), or "" when that is a protected
   * call, beyond the stack, or without line information.
   */
  String where(int level) {
    int i = top - (level - 1);
    if (level <= 0 || i < 0 || protos[i] == null) return "";
    int line = line(protos[i], pcs[i]);
    return line > 0 ? chunkid(protos[i]) + ":" + line + ": " : "";
  }

  /**
   * The source ("@user_script") of the innermost Lua frame of the last error that left one, or
   * null when no error did since the last {@link #clearError} (or {@link #reset}).
   */
  public String errorSource() {
    return errorSource;
  }

  /** The line of {@link #errorSource}, -1 when unknown. */
  public int errorLine() {
    return errorLine;
  }

  /** Forgets the last error's position (an error caught by pcall does not reach the reply). */
  void clearError() {
    errorSource = null;
  }

  private static int line(Prototype p, int pc) {
    return p.lineinfo != null && pc >= 0 && pc < p.lineinfo.length ? p.lineinfo[pc] : -1;
  }

  private static String source(Prototype p) {
    return p.source != null ? p.source.tojstring() : "?";
  }

  private static String chunkid(Prototype p) {
    return Lua.chunkid(source(p));
  }

  /** The error function; see the class comment. */
  private final class ErrorHandler extends OneArgFunction {
    @Override
    public LuaValue call(LuaValue message) {
      int i = top;
      while (i >= 0 && protos[i] == null) i--;
      if (i < 0) return message;
      Prototype p = protos[i];
      int pc = pcs[i];
      int line = line(p, pc);
      errorSource = source(p);
      errorLine = line;
      try {
        String m = withoutLuaJPosition(message.tojstring(), errorSource);
        m = LuaNames.name(LuaCompat.reword(m), p, pc, registers[i]);
        return valueOf(chunkid(p) + ":" + (line >= 0 ? String.valueOf(line) : "?") + ": " + m);
      } catch (RuntimeException e) {
        return message;
      }
    }
  }

  /** LuaJ's "@user_script:3 message" (its position, then a space) without the position. */
  static String withoutLuaJPosition(String m, String source) {
    String prefix = source + ":";
    if (!m.startsWith(prefix)) return m;
    int j = prefix.length();
    while (j < m.length() && (Character.isDigit(m.charAt(j)) || m.charAt(j) == '?')) j++;
    if (j > prefix.length() && j < m.length() && m.charAt(j) == ' ') return m.substring(j + 1);
    return m;
  }

  // ---- runs

  /** Makes the next instruction run the tick (after SCRIPT KILL). */
  public void checkAtNextInstruction() {
    countdown = 0;
  }

  /**
   * Clears the call stack and the error record before a new run (a killed or abandoned script
   * may leave frames behind).
   */
  public void reset() {
    while (top >= 0) pop();
    luaDepth = 0;
    cCalls = 1;
    countdown = INTERVAL;
    errorSource = null;
  }
}
