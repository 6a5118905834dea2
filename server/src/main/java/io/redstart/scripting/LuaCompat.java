package io.redstart.scripting;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lua 5.1's wording of runtime errors, for the messages LuaJ (a 5.2 core) words its own way:
 * "attempt to perform arithmetic on a nil value" rather than "... __add on nil and number".
 * Called by the error handler of {@link ScriptGuard} when an error first leaves a Lua frame.
 */
final class LuaCompat {
  private LuaCompat() {}

  private static final Pattern ARITH2 =
      Pattern.compile("^attempt to perform arithmetic (?:\\S+ )?on (\\w+) and (\\w+)$");
  private static final Pattern ARITH1 =
      Pattern.compile("^attempt to perform arithmetic (?:'\\S+' )?on (\\w+)$");
  private static final Pattern CALL = Pattern.compile("^attempt to call (\\w+)$");
  private static final Pattern INDEX = Pattern.compile("^attempt to index \\? \\(a (\\w+) value\\)$");
  private static final Pattern CONCAT = Pattern.compile("^attempt to concatenate (\\w+) and (\\w+)$");
  private static final Pattern LENGTH = Pattern.compile("^attempt to get length of (\\w+)$");
  private static final Pattern COMPARE =
      Pattern.compile("^attempt to compare (?:\\S+ on )?(\\w+) (?:and|with) (\\w+)$");
  private static final Pattern COMPARE_TYPERROR =
      Pattern.compile("^attempt to compare (\\w+) with (\\w+) expected, got \\w+$");

  /** Lua 5.1's wording of a LuaJ message, or the same string. */
  static String reword(String m) {
    if (!m.startsWith("attempt to")) return m;
    Matcher x;
    if ((x = ARITH2.matcher(m)).matches()) {
      String blame = isNumeric(x.group(1)) ? x.group(2) : x.group(1);
      return "attempt to perform arithmetic on " + a(blame);
    }
    if ((x = ARITH1.matcher(m)).matches()) return "attempt to perform arithmetic on " + a(x.group(1));
    if ((x = CALL.matcher(m)).matches()) return "attempt to call " + a(x.group(1));
    if ((x = INDEX.matcher(m)).matches()) return "attempt to index " + a(x.group(1));
    if ((x = CONCAT.matcher(m)).matches()) {
      String blame = isStringy(x.group(1)) ? x.group(2) : x.group(1);
      return "attempt to concatenate " + a(blame);
    }
    if ((x = LENGTH.matcher(m)).matches()) return "attempt to get length of " + a(x.group(1));
    if ((x = COMPARE_TYPERROR.matcher(m)).matches()) {
      // LuaJ raises these from the right operand's side: Lua names the left one first.
      return "attempt to compare " + x.group(2) + " with " + x.group(1);
    }
    if ((x = COMPARE.matcher(m)).matches()) {
      return x.group(1).equals(x.group(2))
          ? "attempt to compare two " + x.group(1) + " values"
          : "attempt to compare " + x.group(1) + " with " + x.group(2);
    }
    return m;
  }

  private static boolean isNumeric(String type) {
    return type.equals("number");
  }

  private static boolean isStringy(String type) {
    return type.equals("string") || type.equals("number");
  }

  private static String a(String type) {
    return "a " + type + " value";
  }
}
