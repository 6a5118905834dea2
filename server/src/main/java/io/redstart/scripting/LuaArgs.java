package io.redstart.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Argument checks of our Lua library functions, with Lua 5.1's messages: "bad argument #2 to
 * 'pack' (number expected, got string)", "got no value" past the last argument. Numbers are
 * also taken from strings that convert, and strings from numbers, as the C API does. Stateless.
 */
final class LuaArgs {
  private LuaArgs() {}

  /** luaL_argerror: "bad argument #n to 'fn' (why)". */
  static LuaError error(int n, String fn, String why) {
    return new LuaError("bad argument #" + n + " to '" + fn + "' (" + why + ")");
  }

  /** The type name of argument {@code n} as Lua's errors say it ("no value" when absent). */
  static String typeName(Varargs args, int n) {
    return n > args.narg() ? "no value" : args.arg(n).typename();
  }

  static LuaError typeError(Varargs args, int n, String fn, String expected) {
    return error(n, fn, expected + " expected, got " + typeName(args, n));
  }

  /** luaL_checknumber. */
  static double number(Varargs args, int n, String fn) {
    LuaValue v = args.arg(n).tonumber();
    if (v.isnil()) throw typeError(args, n, fn, "number");
    return v.todouble();
  }

  /** luaL_optnumber: {@code def} when the argument is absent or nil. */
  static double optNumber(Varargs args, int n, String fn, double def) {
    return args.isnoneornil(n) ? def : number(args, n, fn);
  }

  /** luaL_checkinteger: the number truncated toward zero, as C's cast. */
  static long integer(Varargs args, int n, String fn) {
    return (long) number(args, n, fn);
  }

  /** luaL_checklstring. */
  static LuaString string(Varargs args, int n, String fn) {
    LuaValue v = args.arg(n);
    if (v.type() != LuaValue.TSTRING && v.type() != LuaValue.TNUMBER) {
      throw typeError(args, n, fn, "string");
    }
    return v.strvalue();
  }
}
