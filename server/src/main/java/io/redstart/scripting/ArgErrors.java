package io.redstart.scripting;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Wraps a LuaJ library function so that its argument errors read as Lua 5.1's luaL_argerror:
 * "bad argument #1 to 'rep' (string expected, got no value)". LuaJ words them without the
 * function ("bad argument: string expected, got nil"); the index is the first argument of the
 * type LuaJ names, "no value" when that is past the last argument.
 */
final class ArgErrors extends VarArgFunction {
  private static final Pattern TYPED = Pattern.compile("^bad argument: (\\w+) expected, got (\\w+)$");
  private static final Pattern INDEXED = Pattern.compile("^bad argument #(\\d+): (.*)$");

  private final String fn;
  private final LuaValue delegate;

  ArgErrors(String fn, LuaValue delegate) {
    this.fn = fn;
    this.delegate = delegate;
    this.name = fn;
  }

  @Override
  public Varargs invoke(Varargs args) {
    try {
      return delegate.invoke(args);
    } catch (FixedMessageError e) {
      throw e;
    } catch (LuaError e) {
      // Still LuaJ's message: no Lua frame has been left yet, so it has no position.
      String m = e.getMessage();
      if (m != null && m.startsWith("bad argument")) {
        String r = reword(m, args);
        if (!r.equals(m)) throw new LuaError(r);
      }
      throw e;
    }
  }

  private String reword(String m, Varargs args) {
    Matcher x = TYPED.matcher(m);
    if (x.matches()) {
      String expected = x.group(1);
      String got = x.group(2);
      int n = args.narg();
      for (int i = 1; i <= n; i++) {
        if (args.arg(i).typename().equals(got)) {
          return "bad argument #" + i + " to '" + fn + "' (" + expected + " expected, got " + got + ")";
        }
      }
      if (got.equals("nil")) {
        return "bad argument #" + (n + 1) + " to '" + fn + "' (" + expected + " expected, got no value)";
      }
      return m;
    }
    x = INDEXED.matcher(m);
    if (x.matches()) {
      String why = x.group(2);
      if (why.equals("value")) why = "value expected";
      return "bad argument #" + x.group(1) + " to '" + fn + "' (" + why + ")";
    }
    return m;
  }
}
