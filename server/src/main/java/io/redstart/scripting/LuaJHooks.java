package io.redstart.scripting;

import io.redstart.resp.CFormat;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.TailcallVarargs;
import org.luaj.vm2.Varargs;

/**
 * What LuaJ's classes call once {@link LuaJPatch} has adapted them. Public only because LuaJ's
 * package calls it; nothing else should. Stateless, so any thread.
 */
public final class LuaJHooks {
  private LuaJHooks() {}

  /**
   * A number as Lua 5.1 prints it (LUAI_NUMFFORMAT {@code "%.14g"}): "0.33333333333333", "1e+15",
   * "-0", "inf", "-nan". Called by {@code LuaDouble.tojstring}, so tostring, concatenation and
   * every library that takes a number as a string agree.
   */
  public static String numberToString(double v) {
    return CFormat.g(v, 14);
  }

  /**
   * A tail call of LuaClosure.execute: a Lua function is left to LuaJ's tail-call loop (it
   * replaces the calling frame, as in Lua); any other function (a Java one, or a value with a
   * __call metamethod) runs now, inside the calling frame, as Lua 5.1 runs C functions, so that
   * its errors carry the calling frame's position.
   */
  public static Varargs tailCall(LuaValue f, Varargs args) {
    return f instanceof LuaClosure ? new TailcallVarargs(f, args) : f.invoke(args);
  }
}
