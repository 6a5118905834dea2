package io.redstart.scripting;

import io.redstart.resp.CFormat;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua 5.1's string.format, with C's printf semantics for each conversion (%d %i %o %u %x %X %c
 * %e %E %f %g %G %q %s, flags "-+ #0", width and precision up to two digits), the exact binary
 * value of doubles rounded as glibc rounds them.
 */
final class LuaFormat extends VarArgFunction {
  @Override
  public Varargs invoke(Varargs args) {
    LuaString fmt = args.checkstring(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int arg = 1;
    int n = fmt.m_length;
    byte[] f = fmt.m_bytes;
    int base = fmt.m_offset;
    for (int i = 0; i < n; ) {
      int c = f[base + i++] & 0xff;
      if (c != '%') {
        out.write(c);
        continue;
      }
      if (i >= n) throw new LuaError("invalid option '%' to 'format'");
      if ((f[base + i] & 0xff) == '%') {
        out.write('%');
        i++;
        continue;
      }
      arg++;
      if (arg > args.narg()) throw new LuaError("bad argument #" + arg + " to 'format' (no value)");
      int start = i;
      while (i < n && "-+ #0".indexOf(f[base + i]) >= 0) i++;
      if (i - start > 5) throw new LuaError("invalid format (repeated flags)");
      String flags = new String(f, base + start, i - start, StandardCharsets.ISO_8859_1);
      int width = -1;
      int digits = 0;
      while (i < n && Character.isDigit(f[base + i])) {
        width = (width < 0 ? 0 : width * 10) + (f[base + i++] - '0');
        digits++;
      }
      if (digits > 2) throw new LuaError("invalid format (width or precision too long)");
      int precision = -1;
      if (i < n && f[base + i] == '.') {
        i++;
        precision = 0;
        digits = 0;
        while (i < n && Character.isDigit(f[base + i])) {
          precision = precision * 10 + (f[base + i++] - '0');
          digits++;
        }
        if (digits > 2) throw new LuaError("invalid format (width or precision too long)");
      }
      if (i >= n) throw new LuaError("invalid option '%' to 'format'");
      int conv = f[base + i++] & 0xff;
      String body;
      switch (conv) {
        case 'c' -> {
          out.write((int) args.checkdouble(arg));
          continue;
        }
        case 'd', 'i' -> body = integer(LuaReplies.toLongLong(args.checkdouble(arg)), flags, precision);
        case 'o' -> body = radix(LuaReplies.toLongLong(args.checkdouble(arg)), 8, flags, precision, false);
        case 'u' -> body = Long.toUnsignedString(LuaReplies.toLongLong(args.checkdouble(arg)));
        case 'x' -> body = radix(LuaReplies.toLongLong(args.checkdouble(arg)), 16, flags, precision, false);
        case 'X' -> body = radix(LuaReplies.toLongLong(args.checkdouble(arg)), 16, flags, precision, true);
        case 'e', 'E', 'f', 'g', 'G' -> body = floating(args.checkdouble(arg), conv, flags, precision);
        case 'q' -> {
          quoted(out, args.checkstring(arg));
          continue;
        }
        case 's' -> {
          LuaString s = args.arg(arg).isnumber()
              ? args.arg(arg).strvalue() : args.checkstring(arg);
          byte[] b = LuaReplies.bytes(s);
          if (precision >= 0 && precision < b.length) b = java.util.Arrays.copyOf(b, precision);
          pad(out, b, width, flags.indexOf('-') >= 0, false);
          continue;
        }
        default -> throw new LuaError(
            "invalid option '%" + (char) conv + "' to 'format'");
      }
      boolean numeric = conv != 'c';
      boolean zero = numeric && flags.indexOf('0') >= 0 && flags.indexOf('-') < 0
          && !((conv == 'd' || conv == 'i' || conv == 'o' || conv == 'u' || conv == 'x' || conv == 'X')
              && precision >= 0);
      pad(out, body.getBytes(StandardCharsets.ISO_8859_1), width, flags.indexOf('-') >= 0, zero);
    }
    return LuaString.valueUsing(out.toByteArray());
  }

  private static String sign(boolean negative, String flags) {
    if (negative) return "-";
    if (flags.indexOf('+') >= 0) return "+";
    if (flags.indexOf(' ') >= 0) return " ";
    return "";
  }

  private static String integer(long v, String flags, int precision) {
    String digits = v == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(Math.abs(v));
    if (precision == 0 && v == 0) digits = "";
    while (precision > digits.length()) digits = "0" + digits;
    return sign(v < 0, flags) + digits;
  }

  private static String radix(long v, int radix, String flags, int precision, boolean upper) {
    String digits = radix == 8 ? Long.toOctalString(v) : Long.toHexString(v);
    if (upper) digits = digits.toUpperCase(java.util.Locale.ROOT);
    if (precision == 0 && v == 0) digits = "";
    while (precision > digits.length()) digits = "0" + digits;
    if (flags.indexOf('#') >= 0 && v != 0) {
      digits = (radix == 8 ? "0" : upper ? "0X" : "0x") + digits;
    }
    return digits;
  }

  static String floating(double d, int conv, String flags, int precision) {
    boolean upper = conv == 'E' || conv == 'G';
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      String s = Double.isNaN(d) ? "nan" : "inf";
      boolean neg = Double.isNaN(d) || d < 0;
      if (upper) s = s.toUpperCase(java.util.Locale.ROOT);
      return sign(neg, flags) + s;
    }
    boolean neg = d < 0 || (d == 0 && 1 / d < 0);
    double a = Math.abs(d);
    int p = precision < 0 ? 6 : precision;
    String body;
    switch (conv) {
      case 'f' -> body = new BigDecimal(a).setScale(p, RoundingMode.HALF_EVEN).toPlainString();
      case 'e', 'E' -> body = exponent(a, p);
      default -> {
        body = CFormat.g(a, p == 0 ? 1 : p);
        if (flags.indexOf('#') >= 0 && !body.contains(".") && !body.contains("e")) body += ".";
      }
    }
    if (conv == 'f' && p == 0 && flags.indexOf('#') >= 0) body += ".";
    if (upper) body = body.toUpperCase(java.util.Locale.ROOT);
    return sign(neg, flags) + body;
  }

  private static String exponent(double a, int p) {
    if (a == 0) {
      StringBuilder z = new StringBuilder("0");
      if (p > 0) z.append('.').append("0".repeat(p));
      return z.append("e+00").toString();
    }
    BigDecimal bd = new BigDecimal(a);
    BigDecimal r = bd.round(new java.math.MathContext(p + 1, RoundingMode.HALF_EVEN));
    int exp = r.precision() - r.scale() - 1;
    String digits = r.unscaledValue().toString();
    while (digits.length() < p + 1) digits += "0";
    digits = digits.substring(0, p + 1);
    StringBuilder sb = new StringBuilder();
    sb.append(digits.charAt(0));
    if (p > 0) sb.append('.').append(digits, 1, p + 1);
    sb.append('e').append(exp < 0 ? '-' : '+');
    int e = Math.abs(exp);
    if (e < 10) sb.append('0');
    sb.append(e);
    return sb.toString();
  }

  private static void pad(ByteArrayOutputStream out, byte[] body, int width, boolean left, boolean zero) {
    int fill = width - body.length;
    if (fill <= 0) {
      out.write(body, 0, body.length);
      return;
    }
    if (left) {
      out.write(body, 0, body.length);
      for (int i = 0; i < fill; i++) out.write(' ');
    } else if (zero) {
      int signLen = body.length > 0 && (body[0] == '-' || body[0] == '+' || body[0] == ' ') ? 1 : 0;
      out.write(body, 0, signLen);
      for (int i = 0; i < fill; i++) out.write('0');
      out.write(body, signLen, body.length - signLen);
    } else {
      for (int i = 0; i < fill; i++) out.write(' ');
      out.write(body, 0, body.length);
    }
  }

  private static void quoted(ByteArrayOutputStream out, LuaString s) {
    out.write('"');
    for (int i = 0; i < s.m_length; i++) {
      int c = s.m_bytes[s.m_offset + i] & 0xff;
      switch (c) {
        case '"', '\\', '\n' -> {
          out.write('\\');
          out.write(c);
        }
        case '\r' -> out.writeBytes("\\r".getBytes(StandardCharsets.US_ASCII));
        case 0 -> out.writeBytes("\\000".getBytes(StandardCharsets.US_ASCII));
        default -> out.write(c);
      }
    }
    out.write('"');
  }
}
