package io.redstart.scripting;

import java.util.Locale;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code bit} library of Redis's Lua (LuaBitOp 1.0): operations on 32-bit integers.
 *
 * <p>How a number becomes 32 bits (LuaBitOp's documented rule): it is added to 2^52 + 2^51 in
 * double precision and the low 32 bits of the sum's IEEE-754 representation are kept. For
 * numbers below 2^51 in magnitude that is the number rounded to the nearest integer (ties to
 * even) modulo 2^32; beyond, the addition's own rounding decides. Results are signed 32-bit
 * numbers. Strings that convert to numbers are numbers; anything else is "number expected".
 *
 * <p>Stateless.
 */
final class Bit {
  private Bit() {}

  private static final double BIAS = 0x1.8p52;

  static ReadOnlyTable create() {
    ReadOnlyTable t = new ReadOnlyTable();
    unary(t, "tobit", x -> x);
    unary(t, "bnot", x -> ~x);
    unary(t, "bswap", Integer::reverseBytes);
    folding(t, "band", (x, y) -> x & y);
    folding(t, "bor", (x, y) -> x | y);
    folding(t, "bxor", (x, y) -> x ^ y);
    shift(t, "lshift", (x, n) -> x << n);
    shift(t, "rshift", (x, n) -> x >>> n);
    shift(t, "arshift", (x, n) -> x >> n);
    shift(t, "rol", Integer::rotateLeft);
    shift(t, "ror", Integer::rotateRight);
    t.rawset("tohex", new Fn("tohex", Bit::tohex));
    return t;
  }

  /** Argument {@code n} as 32 bits (see the class comment). */
  static int bits(Varargs args, int n, String fn) {
    double d = LuaArgs.number(args, n, fn);
    return (int) Double.doubleToRawLongBits(d + BIAS);
  }

  private static void unary(ReadOnlyTable t, String name, IntUnaryOperator op) {
    t.rawset(name, new Fn(name, a -> LuaValue.valueOf(op.applyAsInt(bits(a, 1, name)))));
  }

  /**
   * band, bor, bxor: any number of arguments. The first is converted first, then the others from
   * the last one back (which decides the argument an error names).
   */
  private static void folding(ReadOnlyTable t, String name, IntBinaryOperator op) {
    t.rawset(
        name,
        new Fn(
            name,
            a -> {
              int acc = bits(a, 1, name);
              for (int i = a.narg(); i >= 2; i--) acc = op.applyAsInt(acc, bits(a, i, name));
              return LuaValue.valueOf(acc);
            }));
  }

  /** Shifts and rotations: the count is taken modulo 32. */
  private static void shift(ReadOnlyTable t, String name, IntBinaryOperator op) {
    t.rawset(
        name,
        new Fn(
            name,
            a -> {
              int x = bits(a, 1, name);
              int count = bits(a, 2, name) & 31;
              return LuaValue.valueOf(op.applyAsInt(x, count));
            }));
  }

  /**
   * tohex(x [, n]): the low |n| hex digits of x (8 by default, at most 8), upper case when n is
   * negative.
   */
  private static Varargs tohex(Varargs a) {
    int x = bits(a, 1, "tohex");
    int n = a.narg() < 2 ? 8 : bits(a, 2, "tohex");
    boolean upper = n < 0;
    int digits = Math.clamp(Math.abs((long) n), 0, 8);
    String all = String.format(Locale.ROOT, upper ? "%08X" : "%08x", x);
    return LuaValue.valueOf(all.substring(8 - digits));
  }

  /** A named library function. */
  private static final class Fn extends VarArgFunction {
    private final java.util.function.Function<Varargs, Varargs> body;

    Fn(String name, java.util.function.Function<Varargs, Varargs> body) {
      this.name = name;
      this.body = body;
    }

    @Override
    public Varargs invoke(Varargs args) {
      return body.apply(args);
    }
  }
}
