package io.redstart.scripting;

import io.netty.buffer.ByteBuf;
import io.redstart.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Conversions between Redis replies and Lua values, as script_lua.c does them.
 *
 * <p>Reply to Lua (what redis.call returns): integers become numbers, bulk strings strings, null
 * bulks and null arrays false, arrays tables, status {@code {ok=...}}, errors {@code {err=...}};
 * in RESP3 also maps {@code {map={...}}}, sets {@code {set={k=true}}}, null nil, booleans,
 * doubles {@code {double=n}}, big numbers {@code {big_number=s}}, verbatim strings {@code
 * {verbatim_string={string=s, format=f}}}; attributes are skipped.
 *
 * <p>Lua to reply (what a script returns): strings bulk, numbers integers (truncated), true 1 and
 * false null (booleans in RESP3 when the script chose RESP3), tables with err/ok/double/
 * big_number/verbatim_string/map/set fields those types, other tables arrays up to their first
 * nil, anything else null.
 *
 * <p>Stateless; used on the keyspace thread.
 */
final class LuaReplies {
  private LuaReplies() {}

  static final LuaString ERR = LuaString.valueOf("err");
  static final LuaString OK = LuaString.valueOf("ok");
  static final LuaString DOUBLE = LuaString.valueOf("double");
  static final LuaString BIG_NUMBER = LuaString.valueOf("big_number");
  static final LuaString VERBATIM = LuaString.valueOf("verbatim_string");
  static final LuaString FORMAT = LuaString.valueOf("format");
  static final LuaString STRING = LuaString.valueOf("string");
  static final LuaString MAP = LuaString.valueOf("map");
  static final LuaString SET = LuaString.valueOf("set");
  static final LuaString IGNORE_STATS = LuaString.valueOf("ignore_error_stats_update");

  /** Nesting beyond which a reply element becomes an error, where Lua's stack ends in Redis. */
  static final int MAX_DEPTH = 7994;

  // ---- reply bytes to Lua

  /** Parses one complete reply from {@code in} into a Lua value. */
  static LuaValue toLua(ByteBuf in) {
    byte type = in.readByte();
    switch (type) {
      case '+': {
        return LuaEngine.okTable(LuaString.valueUsing(line(in)));
      }
      case '-': {
        LuaTable t = LuaEngine.errorTable(concat((byte) '-', line(in)));
        t.rawset(IGNORE_STATS, LuaValue.TRUE);
        return t;
      }
      case ':':
        return LuaValue.valueOf((double) parseLong(in));
      case '$': {
        long len = parseLong(in);
        if (len < 0) return LuaValue.FALSE;
        byte[] b = new byte[(int) len];
        in.readBytes(b);
        in.skipBytes(2);
        return LuaString.valueUsing(b);
      }
      case '*': {
        long n = parseLong(in);
        if (n < 0) return LuaValue.FALSE;
        LuaTable t = new LuaTable((int) Math.min(n, 1 << 16), 0);
        for (int i = 1; i <= n; i++) {
          LuaValue v = toLua(in);
          if (!v.isnil()) t.rawset(i, v);
        }
        return t;
      }
      case '%': {
        long n = parseLong(in);
        LuaTable m = new LuaTable();
        for (long i = 0; i < n; i++) {
          LuaValue k = toLua(in);
          LuaValue v = toLua(in);
          if (!k.isnil()) m.rawset(k, v);
        }
        LuaTable t = new LuaTable();
        t.rawset(MAP, m);
        return t;
      }
      case '~': {
        long n = parseLong(in);
        LuaTable s = new LuaTable();
        for (long i = 0; i < n; i++) {
          LuaValue k = toLua(in);
          if (!k.isnil()) s.rawset(k, LuaValue.TRUE);
        }
        LuaTable t = new LuaTable();
        t.rawset(SET, s);
        return t;
      }
      case '_':
        in.skipBytes(2);
        return LuaValue.NIL;
      case '#': {
        byte b = in.readByte();
        in.skipBytes(2);
        return LuaValue.valueOf(b == 't');
      }
      case ',': {
        String s = new String(line(in), StandardCharsets.US_ASCII);
        double d =
            switch (s) {
              case "inf" -> Double.POSITIVE_INFINITY;
              case "-inf" -> Double.NEGATIVE_INFINITY;
              case "nan", "-nan" -> Double.NaN;
              default -> Double.parseDouble(s);
            };
        LuaTable t = new LuaTable();
        t.rawset(DOUBLE, LuaValue.valueOf(d));
        return t;
      }
      case '(': {
        LuaTable t = new LuaTable();
        t.rawset(BIG_NUMBER, LuaString.valueUsing(line(in)));
        return t;
      }
      case '=': {
        long len = parseLong(in);
        byte[] b = new byte[(int) len];
        in.readBytes(b);
        in.skipBytes(2);
        LuaTable v = new LuaTable();
        v.rawset(STRING, LuaString.valueUsing(java.util.Arrays.copyOfRange(b, 4, b.length)));
        v.rawset(FORMAT, LuaString.valueUsing(java.util.Arrays.copyOfRange(b, 0, 3)));
        LuaTable t = new LuaTable();
        t.rawset(VERBATIM, v);
        return t;
      }
      case '|': {
        long n = parseLong(in);
        for (long i = 0; i < 2 * n; i++) toLua(in);
        return toLua(in);
      }
      case '>': {
        long n = parseLong(in);
        LuaTable t = new LuaTable();
        for (int i = 1; i <= n; i++) t.rawset(i, toLua(in));
        return t;
      }
      default:
        throw new IllegalStateException("unexpected reply type " + (char) type);
    }
  }

  private static byte[] line(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.indexOf(start, in.writerIndex(), (byte) '\r');
    byte[] b = new byte[end - start];
    in.readBytes(b);
    in.skipBytes(2);
    return b;
  }

  private static long parseLong(ByteBuf in) {
    long v = 0;
    boolean neg = false;
    byte b = in.readByte();
    if (b == '-') {
      neg = true;
      b = in.readByte();
    }
    while (b != '\r') {
      v = v * 10 + (b - '0');
      b = in.readByte();
    }
    in.skipBytes(1);
    return neg ? -v : v;
  }

  private static byte[] concat(byte first, byte[] rest) {
    byte[] b = new byte[rest.length + 1];
    b[0] = first;
    System.arraycopy(rest, 0, b, 1, rest.length);
    return b;
  }

  // ---- Lua to reply

  /**
   * Writes {@code v} as the reply of a script. {@code scriptResp} is the protocol the script chose
   * with redis.setresp (it decides how booleans go out). Returns the error text written when the
   * value was an error table, else null, so the caller can count it.
   */
  static void write(RespWriter w, LuaValue v, int scriptResp, ErrorSink errors, int depth) {
    if (depth > MAX_DEPTH) {
      errors.error("ERR reached lua stack limit", false);
      return;
    }
    switch (v.type()) {
      case LuaValue.TSTRING -> {
        LuaString s = v.strvalue();
        w.bulk(s.m_bytes, s.m_offset, s.m_length);
      }
      case LuaValue.TBOOLEAN -> {
        if (scriptResp == 2) {
          if (v.toboolean()) {
            w.integer(1);
          } else {
            w.nullBulk();
          }
        } else {
          w.bool(v.toboolean());
        }
      }
      case LuaValue.TNUMBER -> w.integer(toLongLong(v.todouble()));
      case LuaValue.TTABLE -> writeTable(w, (LuaTable) v, scriptResp, errors, depth);
      default -> w.nullBulk();
    }
  }

  /** Receives error replies (the message with its code, and whether stats are to skip it). */
  interface ErrorSink {
    void error(String message, boolean ignoreStats);
  }

  private static void writeTable(
      RespWriter w, LuaTable t, int scriptResp, ErrorSink errors, int depth) {
    LuaValue f = t.rawget(ERR);
    if (f.isstring()) {
      errors.error(latin1(f.strvalue()), t.get(IGNORE_STATS).toboolean());
      return;
    }
    f = t.rawget(OK);
    if (f.isstring()) {
      byte[] b = bytes(f.strvalue());
      for (int i = 0; i < b.length; i++) if (b[i] == '\r' || b[i] == '\n') b[i] = ' ';
      w.simple(b);
      return;
    }
    f = t.rawget(DOUBLE);
    if (f.type() == LuaValue.TNUMBER) {
      w.doubleValue(f.todouble());
      return;
    }
    f = t.rawget(BIG_NUMBER);
    if (f.isstring()) {
      byte[] b = bytes(f.strvalue());
      for (int i = 0; i < b.length; i++) if (b[i] == '\r' || b[i] == '\n') b[i] = ' ';
      w.bigNumber(new String(b, StandardCharsets.ISO_8859_1));
      return;
    }
    f = t.rawget(VERBATIM);
    if (f.istable()) {
      LuaValue format = f.rawget(FORMAT);
      LuaValue str = f.rawget(STRING);
      if (format.isstring() && str.isstring()) {
        byte[] s = bytes(str.strvalue());
        if (w.resp3()) {
          byte[] fmt = bytes(format.strvalue());
          java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
          byte[] head = ("=" + (s.length + 4) + "\r\n").getBytes(StandardCharsets.US_ASCII);
          o.write(head, 0, head.length);
          for (int i = 0; i < 3; i++) o.write(i < fmt.length ? fmt[i] : 0);
          o.write(':');
          o.write(s, 0, s.length);
          o.write('\r');
          o.write('\n');
          w.raw(o.toByteArray());
        } else {
          w.bulk(s);
        }
        return;
      }
    }
    f = t.rawget(MAP);
    if (f.istable()) {
      LuaTable m = (LuaTable) f;
      int n = 0;
      LuaValue k = LuaValue.NIL;
      while (!(k = m.next(k).arg1()).isnil()) n++;
      w.map(n);
      k = LuaValue.NIL;
      while (true) {
        Varargs e = m.next(k);
        if ((k = e.arg1()).isnil()) break;
        write(w, k, scriptResp, errors, depth + 1);
        write(w, e.arg(2), scriptResp, errors, depth + 1);
      }
      return;
    }
    f = t.rawget(SET);
    if (f.istable()) {
      LuaTable s = (LuaTable) f;
      int n = 0;
      LuaValue k = LuaValue.NIL;
      while (!(k = s.next(k).arg1()).isnil()) n++;
      w.set(n);
      k = LuaValue.NIL;
      while (!(k = s.next(k).arg1()).isnil()) write(w, k, scriptResp, errors, depth + 1);
      return;
    }
    int n = 0;
    while (!t.rawget(n + 1).isnil()) n++;
    w.array(n);
    for (int i = 1; i <= n; i++) write(w, t.rawget(i), scriptResp, errors, depth + 1);
  }

  /** C's (long long) cast of a double as x86-64 does it: NaN and overflow give LLONG_MIN. */
  static long toLongLong(double d) {
    if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) return Long.MIN_VALUE;
    return (long) d;
  }

  static byte[] bytes(LuaString s) {
    return java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
  }

  static String latin1(LuaString s) {
    return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
  }
}
