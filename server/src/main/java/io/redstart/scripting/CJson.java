package io.redstart.scripting;

import io.redstart.resp.CFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code cjson} library of Redis's Lua (lua_cjson 2.1.0 as Redis builds it), with its output
 * and its errors.
 *
 * <p>encode: nil and {@code cjson.null} are null; numbers are written with {@code %.14g} (NaN and
 * infinities refused); strings escape '"', '\', '/', the control characters and DEL; a table whose
 * keys are all whole numbers from 1 is an array up to its largest key (holes are null, and a table
 * too sparse for the sparse settings is refused), any other table an object whose number keys
 * become strings (an empty table is {}); nesting deeper than 1000 tables is refused.
 *
 * <p>decode: JSON with the extensions strtod reads (hexadecimal, inf, nan, a leading '+'); null
 * is {@code cjson.null}; a NUL byte ends the text; errors say what was expected, what was found
 * (a token name such as T_END, or what is wrong with the token) and at which character.
 *
 * <p>The settings functions (encode_sparse_array, encode_max_depth, decode_max_depth,
 * encode_number_precision, encode_keep_buffer, encode_invalid_numbers, decode_invalid_numbers)
 * change the settings of one Lua world. Owned by the thread running scripts. Object members come
 * out in LuaJ's table order, which may differ from Lua 5.1's for objects of several members.
 */
final class CJson {
  private CJson() {}

  /** cjson.null: a light userdata that stands for JSON null. */
  static final LuaValue NULL = new LuaUserdata(new Object()) {
    @Override
    public String tojstring() {
      return "userdata: (nil)";
    }
  };

  /** The escape of each byte that needs one in a JSON string, else null. */
  private static final byte[][] ESCAPE = new byte[256][];

  static {
    for (int c = 0; c < 0x20; c++) ESCAPE[c] = ascii(String.format("\\u%04x", c));
    ESCAPE[0x7f] = ascii("\\u007f");
    ESCAPE['\b'] = ascii("\\b");
    ESCAPE['\t'] = ascii("\\t");
    ESCAPE['\n'] = ascii("\\n");
    ESCAPE['\f'] = ascii("\\f");
    ESCAPE['\r'] = ascii("\\r");
    ESCAPE['"'] = ascii("\\\"");
    ESCAPE['\\'] = ascii("\\\\");
    ESCAPE['/'] = ascii("\\/");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** What encode does with NaN and infinities. */
  private enum InvalidNumbers {
    REFUSED,
    ALLOWED,
    AS_NULL
  }

  /** The settings of one Lua world. */
  private static final class Settings {
    boolean sparseAsObject;
    int sparseRatio = 2;
    int sparseSafe = 10;
    int encodeMaxDepth = 1000;
    int decodeMaxDepth = 1000;
    int precision = 14;
    boolean keepBuffer = true;
    InvalidNumbers encodeInvalid = InvalidNumbers.REFUSED;
    boolean decodeInvalid = true;
  }

  static ReadOnlyTable create() {
    Settings s = new Settings();
    ReadOnlyTable t = new ReadOnlyTable();
    t.rawset("encode", new Fn("encode", a -> new Encoder(s).run(a)));
    t.rawset("decode", new Fn("decode", a -> new Decoder(s).run(a)));
    setting(t, "encode_sparse_array", 3, a -> {
      s.sparseAsObject = bool(a, 1, "encode_sparse_array", s.sparseAsObject);
      s.sparseRatio = integer(a, 2, "encode_sparse_array", s.sparseRatio, 0, Integer.MAX_VALUE);
      s.sparseSafe = integer(a, 3, "encode_sparse_array", s.sparseSafe, 0, Integer.MAX_VALUE);
      return LuaValue.varargsOf(
          LuaValue.valueOf(s.sparseAsObject),
          LuaValue.valueOf(s.sparseRatio),
          LuaValue.valueOf(s.sparseSafe));
    });
    int max = Integer.MAX_VALUE;
    setting(t, "encode_max_depth", 1, a -> LuaValue.valueOf(
        s.encodeMaxDepth = integer(a, 1, "encode_max_depth", s.encodeMaxDepth, 1, max)));
    setting(t, "decode_max_depth", 1, a -> LuaValue.valueOf(
        s.decodeMaxDepth = integer(a, 1, "decode_max_depth", s.decodeMaxDepth, 1, max)));
    setting(t, "encode_number_precision", 1, a -> LuaValue.valueOf(
        s.precision = integer(a, 1, "encode_number_precision", s.precision, 1, 14)));
    setting(t, "encode_keep_buffer", 1, a -> LuaValue.valueOf(
        s.keepBuffer = bool(a, 1, "encode_keep_buffer", s.keepBuffer)));
    setting(t, "encode_invalid_numbers", 1, a -> {
      s.encodeInvalid = invalidNumbers(a, s.encodeInvalid);
      return switch (s.encodeInvalid) {
        case REFUSED -> LuaValue.FALSE;
        case ALLOWED -> LuaValue.TRUE;
        case AS_NULL -> LuaValue.valueOf("null");
      };
    });
    setting(t, "decode_invalid_numbers", 1, a -> LuaValue.valueOf(
        s.decodeInvalid = bool(a, 1, "decode_invalid_numbers", s.decodeInvalid)));
    t.rawset("null", NULL);
    t.rawset("_NAME", LuaValue.valueOf("cjson"));
    t.rawset("_VERSION", LuaValue.valueOf("2.1.0"));
    return t;
  }

  // ---- settings functions

  /** A settings function of at most {@code options} arguments; nil leaves a setting as it is. */
  private static void setting(
      ReadOnlyTable t, String name, int options, Function<Varargs, Varargs> body) {
    t.rawset(name, new Fn(name, a -> {
      if (a.narg() > options) throw LuaArgs.error(options + 1, name, "found too many arguments");
      return body.apply(a);
    }));
  }

  /** An integer setting; out of range names argument #1 whichever it is, as lua_cjson does. */
  private static int integer(Varargs a, int i, String fn, int current, int min, int max) {
    if (a.arg(i).isnil()) return current;
    long v = LuaArgs.integer(a, i, fn);
    if (v < min || v > max) {
      throw LuaArgs.error(1, fn, "expected integer between " + min + " and " + max);
    }
    return (int) v;
  }

  /** An on/off setting: a boolean, or "on" / "off". */
  private static boolean bool(Varargs a, int i, String fn, boolean current) {
    LuaValue v = a.arg(i);
    if (v.isnil()) return current;
    if (v.isboolean()) return v.toboolean();
    return option(a, i, fn, "off", "on") == 1;
  }

  private static InvalidNumbers invalidNumbers(Varargs a, InvalidNumbers current) {
    LuaValue v = a.arg(1);
    if (v.isnil()) return current;
    if (v.isboolean()) return v.toboolean() ? InvalidNumbers.ALLOWED : InvalidNumbers.REFUSED;
    return InvalidNumbers.values()[option(a, 1, "encode_invalid_numbers", "off", "on", "null")];
  }

  /** The index of the string argument among {@code names} (luaL_checkoption). */
  private static int option(Varargs a, int i, String fn, String... names) {
    String s = LuaArgs.string(a, i, fn).tojstring();
    for (int k = 0; k < names.length; k++) if (names[k].equals(s)) return k;
    throw LuaArgs.error(i, fn, "invalid option '" + s + "'");
  }

  // ---- encode

  private static final class Encoder {
    private final Settings settings;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int depth;

    Encoder(Settings settings) {
      this.settings = settings;
    }

    Varargs run(Varargs a) {
      if (a.narg() != 1) throw LuaArgs.error(1, "encode", "expected 1 argument");
      value(a.arg1());
      return LuaString.valueUsing(out.toByteArray());
    }

    private void value(LuaValue v) {
      switch (v.type()) {
        case LuaValue.TSTRING -> string(v.strvalue());
        case LuaValue.TNUMBER -> number(v.todouble());
        case LuaValue.TBOOLEAN -> out.writeBytes(ascii(v.toboolean() ? "true" : "false"));
        case LuaValue.TNIL -> out.writeBytes(ascii("null"));
        case LuaValue.TTABLE -> table((LuaTable) v);
        default -> {
          if (v != NULL) throw refused(v, "type not supported");
          out.writeBytes(ascii("null"));
        }
      }
    }

    private void string(LuaString s) {
      out.write('"');
      for (int i = 0; i < s.m_length; i++) {
        int c = s.m_bytes[s.m_offset + i] & 0xff;
        byte[] e = ESCAPE[c];
        if (e != null) {
          out.writeBytes(e);
        } else {
          out.write(c);
        }
      }
      out.write('"');
    }

    private void number(double d) {
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        switch (settings.encodeInvalid) {
          case REFUSED -> throw new LuaError("Cannot serialise number: must not be NaN or Inf");
          case AS_NULL -> {
            out.writeBytes(ascii("null"));
            return;
          }
          case ALLOWED -> {
            if (Double.isNaN(d)) {
              out.writeBytes(ascii("nan"));
              return;
            }
          }
        }
      }
      out.writeBytes(ascii(CFormat.g(d, settings.precision)));
    }

    private void table(LuaTable t) {
      if (++depth > settings.encodeMaxDepth) {
        throw new LuaError("Cannot serialise, excessive nesting (" + depth + ")");
      }
      int length = arrayLength(t);
      if (length > 0) {
        out.write('[');
        for (int i = 1; i <= length; i++) {
          if (i > 1) out.write(',');
          value(t.rawget(i));
        }
        out.write(']');
      } else {
        out.write('{');
        boolean first = true;
        LuaValue k = LuaValue.NIL;
        while (true) {
          Varargs entry = t.next(k);
          if ((k = entry.arg1()).isnil()) break;
          if (!first) out.write(',');
          first = false;
          if (k.type() == LuaValue.TNUMBER) {
            out.write('"');
            number(k.todouble());
            out.write('"');
          } else if (k.type() == LuaValue.TSTRING) {
            string(k.strvalue());
          } else {
            throw refused(k, "table key must be a number or string");
          }
          out.write(':');
          value(entry.arg(2));
        }
        out.write('}');
      }
      depth--;
    }

    /**
     * The array length of {@code t} (its largest key), or a value below 1 when {@code t} is
     * encoded as an object: some key is not a whole number from 1, or the table is empty, or the
     * largest key does not fit a C int (lua_cjson keeps it in one; x86 makes it INT_MIN), or the
     * array is too sparse and the settings make it an object (or else refuse it).
     */
    private int arrayLength(LuaTable t) {
      int largest = 0;
      int keys = 0;
      LuaValue k = LuaValue.NIL;
      while (!(k = t.next(k).arg1()).isnil()) {
        double d = k.type() == LuaValue.TNUMBER ? k.todouble() : 0;
        if (!(d >= 1 && Math.floor(d) == d)) return -1;
        if (d > largest) largest = d < 0x1p31 ? (int) d : Integer.MIN_VALUE;
        keys++;
      }
      int ratio = settings.sparseRatio;
      if (ratio > 0 && largest > keys * ratio && largest > settings.sparseSafe) {
        if (!settings.sparseAsObject) {
          throw new LuaError("Cannot serialise table: excessively sparse array");
        }
        return -1;
      }
      return largest;
    }

    private static LuaError refused(LuaValue v, String why) {
      return new LuaError("Cannot serialise " + v.typename() + ": " + why);
    }
  }

  // ---- decode

  /** The kinds of token, by the names errors print. */
  private enum Kind {
    OBJECT_START("T_OBJ_BEGIN"),
    OBJECT_END("T_OBJ_END"),
    ARRAY_START("T_ARR_BEGIN"),
    ARRAY_END("T_ARR_END"),
    STRING("T_STRING"),
    NUMBER("T_NUMBER"),
    BOOLEAN("T_BOOLEAN"),
    NULL("T_NULL"),
    COLON("T_COLON"),
    COMMA("T_COMMA"),
    END("T_END"),
    BAD(null);

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** A token: its kind, where it starts, its value (or, for BAD, what is wrong). */
  private record Token(Kind kind, int at, LuaValue value, String problem) {
    String found() {
      return kind == Kind.BAD ? problem : kind.label;
    }
  }

  private static final class Decoder {
    private final Settings settings;
    private byte[] text;
    private int pos;
    private int depth;

    Decoder(Settings settings) {
      this.settings = settings;
    }

    Varargs run(Varargs a) {
      if (a.narg() != 1) throw LuaArgs.error(1, "decode", "expected 1 argument");
      text = LuaReplies.bytes(LuaArgs.string(a, 1, "decode"));
      if (text.length >= 2 && (text[0] == 0 || text[1] == 0)) {
        throw new LuaError("JSON parser does not support UTF-16 or UTF-32");
      }
      LuaValue v = value(next());
      Token after = next();
      if (after.kind() != Kind.END) throw unexpected("the end", after);
      return v;
    }

    /** The byte at {@code i}; 0 at the end, as for a C string. */
    private int at(int i) {
      return i < text.length ? text[i] & 0xff : 0;
    }

    private LuaValue value(Token t) {
      return switch (t.kind()) {
        case STRING, NUMBER, BOOLEAN -> t.value();
        case NULL -> NULL;
        case OBJECT_START -> object();
        case ARRAY_START -> array();
        default -> throw unexpected("value", t);
      };
    }

    private LuaValue object() {
      descend();
      LuaTable o = new LuaTable();
      Token t = next();
      if (t.kind() == Kind.OBJECT_END) {
        depth--;
        return o;
      }
      while (true) {
        if (t.kind() != Kind.STRING) throw unexpected("object key string", t);
        LuaValue key = t.value();
        t = next();
        if (t.kind() != Kind.COLON) throw unexpected("colon", t);
        o.rawset(key, value(next()));
        t = next();
        if (t.kind() == Kind.OBJECT_END) break;
        if (t.kind() != Kind.COMMA) throw unexpected("comma or object end", t);
        t = next();
      }
      depth--;
      return o;
    }

    private LuaValue array() {
      descend();
      LuaTable a = new LuaTable();
      Token t = next();
      if (t.kind() == Kind.ARRAY_END) {
        depth--;
        return a;
      }
      for (int i = 1; ; i++) {
        a.rawset(i, value(t));
        t = next();
        if (t.kind() == Kind.ARRAY_END) break;
        if (t.kind() != Kind.COMMA) throw unexpected("comma or array end", t);
        t = next();
      }
      depth--;
      return a;
    }

    private void descend() {
      if (++depth > settings.decodeMaxDepth) {
        throw new LuaError(
            "Found too many nested data structures (" + depth + ") at character " + pos);
      }
    }

    private static LuaError unexpected(String expected, Token t) {
      return new LuaError(
          "Expected " + expected + " but found " + t.found() + " at character " + (t.at() + 1));
    }

    // ---- tokens

    private Token next() {
      int c;
      while ((c = at(pos)) == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
      int start = pos;
      Kind single =
          switch (c) {
            case '{' -> Kind.OBJECT_START;
            case '}' -> Kind.OBJECT_END;
            case '[' -> Kind.ARRAY_START;
            case ']' -> Kind.ARRAY_END;
            case ',' -> Kind.COMMA;
            case ':' -> Kind.COLON;
            default -> null;
          };
      if (single != null) {
        pos++;
        return new Token(single, start, null, null);
      }
      if (c == 0) return new Token(Kind.END, start, null, null);
      if (c == '"') return string();
      if (c == '-' || isDigit(c)) {
        if (!settings.decodeInvalid && notJsonNumber()) return bad("invalid number");
        return number();
      }
      if (c == 't' && word("true")) return new Token(Kind.BOOLEAN, start, LuaValue.TRUE, null);
      if (c == 'f' && word("false")) return new Token(Kind.BOOLEAN, start, LuaValue.FALSE, null);
      if (c == 'n' && word("null")) return new Token(Kind.NULL, start, null, null);
      if ("+iInN".indexOf(c) >= 0 && settings.decodeInvalid && notJsonNumber()) return number();
      return bad("invalid token");
    }

    /** A token error at the current position (which does not move). */
    private Token bad(String problem) {
      return new Token(Kind.BAD, pos, null, problem);
    }

    /** Takes the literal {@code w} when the text goes on with it. */
    private boolean word(String w) {
      for (int i = 0; i < w.length(); i++) if (at(pos + i) != w.charAt(i)) return false;
      pos += w.length();
      return true;
    }

    /**
     * Whether the number here is one JSON does not allow although strtod reads it: a leading
     * '+'; after an optional '-', a 0 followed by a digit or an 'x', or inf or nan in any case.
     */
    private boolean notJsonNumber() {
      int p = pos;
      if (at(p) == '+') return true;
      if (at(p) == '-') p++;
      int c = at(p);
      if (c == '0') {
        int d = at(p + 1);
        return d == 'x' || d == 'X' || isDigit(d);
      }
      if (c <= '9') return false;
      return wordIgnoringCase(p, "inf") || wordIgnoringCase(p, "nan");
    }

    private boolean wordIgnoringCase(int p, String w) {
      for (int i = 0; i < w.length(); i++) {
        if (Character.toLowerCase(at(p + i)) != w.charAt(i)) return false;
      }
      return true;
    }

    private Token number() {
      int start = pos;
      int[] end = new int[1];
      double d = Strtod.parse(text, pos, end);
      if (end[0] == start) return bad("invalid number");
      pos = end[0];
      return new Token(Kind.NUMBER, start, LuaValue.valueOf(d), null);
    }

    private Token string() {
      int start = pos;
      pos++; // the opening quote
      ByteArrayOutputStream s = new ByteArrayOutputStream();
      while (true) {
        int c = at(pos);
        if (c == '"') break;
        if (c == 0) return bad("unexpected end of string");
        if (c != '\\') {
          s.write(c);
          pos++;
          continue;
        }
        int e = at(pos + 1);
        int plain =
            switch (e) {
              case '"', '\\', '/' -> e;
              case 'b' -> '\b';
              case 'f' -> '\f';
              case 'n' -> '\n';
              case 'r' -> '\r';
              case 't' -> '\t';
              default -> -1;
            };
        if (plain >= 0) {
          s.write(plain);
          pos += 2;
        } else if (e == 'u') {
          if (!unicode(s)) return bad("invalid unicode escape code");
        } else {
          return bad("invalid escape code");
        }
      }
      pos++; // the closing quote
      return new Token(Kind.STRING, start, LuaString.valueUsing(s.toByteArray()), null);
    }

    /**
     * A \\uXXXX escape at {@code pos} (two of them for a surrogate pair) as UTF-8; false, without
     * moving, when it is malformed or a lone surrogate.
     */
    private boolean unicode(ByteArrayOutputStream s) {
      int unit = hex4(pos + 2);
      if (unit < 0) return false;
      int length = 6;
      int codePoint = unit;
      if (Character.isSurrogate((char) unit)) {
        if (!Character.isHighSurrogate((char) unit)) return false;
        if (at(pos + 6) != '\\' || at(pos + 7) != 'u') return false;
        int low = hex4(pos + 8);
        if (low < 0 || !Character.isLowSurrogate((char) low)) return false;
        codePoint = Character.toCodePoint((char) unit, (char) low);
        length = 12;
      }
      s.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
      pos += length;
      return true;
    }

    /** Four hexadecimal digits at {@code p} as a number, or -1. */
    private int hex4(int p) {
      int v = 0;
      for (int i = 0; i < 4; i++) {
        int c = at(p + i);
        int lower = c | 0x20;
        int digit = isDigit(c) ? c - '0' : lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
        if (digit < 0) return -1;
        v = v << 4 | digit;
      }
      return v;
    }
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** A named library function. */
  private static final class Fn extends VarArgFunction {
    private final Function<Varargs, Varargs> body;

    Fn(String name, Function<Varargs, Varargs> body) {
      this.name = name;
      this.body = body;
    }

    @Override
    public Varargs invoke(Varargs args) {
      return body.apply(args);
    }
  }
}
