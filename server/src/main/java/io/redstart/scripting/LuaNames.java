package io.redstart.scripting;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.lib.DebugLib;

/**
 * Names the variable in a runtime error as Lua 5.1 does ("attempt to index local 'a' (a nil
 * value)", "attempt to call field 'f' (a nil value)"), from the faulting instruction and the
 * symbolic execution LuaJ's DebugLib offers (getobjname). Called by the error handler of {@link
 * ScriptGuard} with the frame of the error.
 */
final class LuaNames {
  private LuaNames() {}

  private static final Method GETOBJNAME;
  private static final Field NAME;
  private static final Field WHAT;

  static {
    Method m = null;
    Field n = null;
    Field w = null;
    try {
      m = DebugLib.class.getMethod("getobjname", Prototype.class, int.class, int.class);
      Class<?> nw = m.getReturnType();
      n = nw.getDeclaredField("name");
      w = nw.getDeclaredField("namewhat");
      n.setAccessible(true);
      w.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      m = null;
    }
    GETOBJNAME = m;
    NAME = n;
    WHAT = w;
  }

  /**
   * The message {@code m} (already in Lua 5.1's words, without position) with the variable's name
   * when Lua 5.1 would give it, else {@code m}.
   */
  static String name(String m, Prototype p, int pc, LuaValue[] stack) {
    if (GETOBJNAME == null || pc < 0 || pc >= p.code.length) return m;
    int i = p.code[pc];
    int op = Lua.GET_OPCODE(i);
    String verb;
    int reg;
    if (m.startsWith("attempt to call a ") && (op == Lua.OP_CALL || op == Lua.OP_TAILCALL)) {
      verb = "attempt to call";
      reg = Lua.GETARG_A(i);
    } else if (m.startsWith("attempt to index a ")) {
      verb = "attempt to index";
      if (op == Lua.OP_GETTABLE || op == Lua.OP_SELF) {
        reg = Lua.GETARG_B(i);
      } else if (op == Lua.OP_SETTABLE) {
        reg = Lua.GETARG_A(i);
      } else if (op == Lua.OP_GETTABUP || op == Lua.OP_SETTABUP) {
        int u = op == Lua.OP_GETTABUP ? Lua.GETARG_B(i) : Lua.GETARG_A(i);
        String uname = u < p.upvalues.length && p.upvalues[u].name != null
            ? p.upvalues[u].name.tojstring() : null;
        return uname != null && !uname.equals("_ENV") ? described(m, verb, "upvalue", uname) : m;
      } else {
        return m;
      }
    } else if (m.startsWith("attempt to perform arithmetic on a ")
        && op >= Lua.OP_ADD && op <= Lua.OP_UNM) {
      verb = "attempt to perform arithmetic on";
      if (op == Lua.OP_UNM) {
        reg = Lua.GETARG_B(i);
      } else {
        int b = Lua.GETARG_B(i);
        int c = Lua.GETARG_C(i);
        LuaValue vb = Lua.ISK(b) ? p.k[Lua.INDEXK(b)] : stack[b];
        reg = vb.tonumber().isnil() ? b : c; // Lua blames the first operand that is no number
        if (Lua.ISK(reg)) return m;
      }
    } else if (m.startsWith("attempt to get length of a ") && op == Lua.OP_LEN) {
      verb = "attempt to get length of";
      reg = Lua.GETARG_B(i);
    } else if (m.startsWith("attempt to concatenate a ") && op == Lua.OP_CONCAT) {
      verb = "attempt to concatenate";
      int b = Lua.GETARG_B(i);
      int c = Lua.GETARG_C(i);
      reg = -1;
      for (int j = c; j > b; j--) {
        boolean left = stringy(stack[j - 1]);
        boolean right = stringy(stack[j]);
        if (!left || !right) {
          reg = left ? j : j - 1;
          break;
        }
      }
      if (reg < 0) return m;
    } else {
      return m;
    }
    try {
      Object nw = GETOBJNAME.invoke(null, p, pc, reg);
      if (nw == null) return m;
      String what = (String) WHAT.get(nw);
      String name = (String) NAME.get(nw);
      if (what == null || name == null || what.equals("constant")) return m;
      return described(m, verb, what, name);
    } catch (ReflectiveOperationException | RuntimeException ignored) {
      return m; // without the name
    }
  }

  private static boolean stringy(LuaValue v) {
    return v != null && (v.type() == LuaValue.TSTRING || v.type() == LuaValue.TNUMBER);
  }

  /** "attempt to index a nil value" to "attempt to index local 'a' (a nil value)". */
  private static String described(String m, String verb, String what, String name) {
    String rest = m.substring(verb.length() + 1); // "a nil value"
    return verb + " " + what + " '" + name + "' (" + rest + ")";
  }
}
