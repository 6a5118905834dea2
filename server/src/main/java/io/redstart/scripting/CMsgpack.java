package io.redstart.scripting;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code cmsgpack} library of Redis's Lua (lua-cmsgpack 0.4.0): {@code pack(...)}, {@code
 * unpack(s)}, {@code unpack_one(s [, offset])}, {@code unpack_limit(s, limit [, offset])}.
 *
 * <p>Writing (MessagePack): nil, booleans; numbers that are whole and fit 64 bits as the
 * smallest integer form, others as float 32 when that is exact, else float 64; strings as str
 * (fixstr, str8 from 32 bytes, str16, str32); tables whose keys are exactly 1..n (n below 2^31)
 * as arrays, other tables as maps in table order; tables nested 16 deep, functions and userdata
 * as nil.
 *
 * <p>Reading: the forms above (every unsigned integer as a signed 64-bit one, so 2^64 - 1 reads
 * -1); nil array elements leave holes; bin, ext and other forms are "Bad data format in input.",
 * truncated input "Missing bytes in input.". The unpack_* forms return the offset after what
 * they read first (-1 at the end of the input).
 *
 * <p>Stateless.
 */
final class CMsgpack {
  private CMsgpack() {}

  /** Tables at this depth are written as nil. */
  private static final int MAX_NESTING = 16;

  static ReadOnlyTable create() {
    ReadOnlyTable t = new ReadOnlyTable();
    t.rawset("pack", new Fn("pack", CMsgpack::pack));
    t.rawset("unpack", new Fn("unpack", a -> unpack(a, "unpack", 0, 0)));
    t.rawset(
        "unpack_one",
        new Fn(
            "unpack_one",
            a -> unpack(a, "unpack_one", 1, (long) LuaArgs.optNumber(a, 2, "unpack_one", 0))));
    t.rawset(
        "unpack_limit",
        new Fn(
            "unpack_limit",
            a -> {
              long limit = LuaArgs.integer(a, 2, "unpack_limit");
              long offset = (long) LuaArgs.optNumber(a, 3, "unpack_limit", 0);
              return unpack(a, "unpack_limit", limit, offset);
            }));
    t.rawset("_NAME", LuaValue.valueOf("cmsgpack"));
    t.rawset("_VERSION", LuaValue.valueOf("lua-cmsgpack 0.4.0"));
    t.rawset("_COPYRIGHT", LuaValue.valueOf("Copyright (C) 2012, Salvatore Sanfilippo"));
    t.rawset("_DESCRIPTION", LuaValue.valueOf("MessagePack C implementation for Lua"));
    return t;
  }

  // ---- writing

  private static Varargs pack(Varargs args) {
    if (args.narg() == 0) throw LuaArgs.error(0, "pack", "MessagePack pack needs input.");
    Writer w = new Writer();
    for (int i = 1; i <= args.narg(); i++) w.value(args.arg(i), 0);
    return LuaString.valueUsing(w.out.toByteArray());
  }

  private static final class Writer {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void value(LuaValue v, int depth) {
      switch (v.type()) {
        case LuaValue.TSTRING -> {
          LuaString s = v.strvalue();
          header(s.length(), 0xa0, 31, 0xd9, 0xda, 0xdb);
          out.write(s.m_bytes, s.m_offset, s.m_length);
        }
        case LuaValue.TBOOLEAN -> out.write(v.toboolean() ? 0xc3 : 0xc2);
        case LuaValue.TNUMBER -> number(v.todouble());
        case LuaValue.TTABLE -> {
          if (depth == MAX_NESTING) {
            out.write(0xc0);
          } else {
            table((LuaTable) v, depth);
          }
        }
        default -> out.write(0xc0);
      }
    }

    private void number(double d) {
      long l = int64(d);
      if (l == d) {
        integer(l);
      } else if ((float) d == d) {
        out.write(0xca);
        bigEndian(Float.floatToRawIntBits((float) d), 4);
      } else {
        out.write(0xcb);
        bigEndian(Double.doubleToRawLongBits(d), 8);
      }
    }

    /** The smallest integer form: fixints, then 8, 16, 32 and 64 bits. */
    private void integer(long n) {
      if (n >= 0) {
        if (n < 0x80) {
          out.write((int) n);
        } else {
          int width = n <= 0xffL ? 1 : n <= 0xffffL ? 2 : n <= 0xffffffffL ? 4 : 8;
          out.write(0xcc + Integer.numberOfTrailingZeros(width)); // 0xcc 0xcd 0xce 0xcf
          bigEndian(n, width);
        }
      } else if (n >= -32) {
        out.write((int) n & 0xff);
      } else {
        int width =
            n >= Byte.MIN_VALUE ? 1 : n >= Short.MIN_VALUE ? 2 : n >= Integer.MIN_VALUE ? 4 : 8;
        out.write(0xd0 + Integer.numberOfTrailingZeros(width)); // 0xd0 0xd1 0xd2 0xd3
        bigEndian(n, width);
      }
    }

    private void table(LuaTable t, int depth) {
      int length = arrayLength(t);
      if (length >= 0) {
        header(length, 0x90, 15, -1, 0xdc, 0xdd);
        for (int i = 1; i <= length; i++) value(t.get(i), depth + 1);
        return;
      }
      long entries = 0;
      for (LuaValue k = t.next(LuaValue.NIL).arg1(); !k.isnil(); k = t.next(k).arg1()) entries++;
      header(entries, 0x80, 15, -1, 0xde, 0xdf);
      LuaValue k = LuaValue.NIL;
      while (true) {
        Varargs e = t.next(k);
        if ((k = e.arg1()).isnil()) break;
        value(k, depth + 1);
        value(e.arg(2), depth + 1);
      }
    }

    /**
     * The length of the array {@code t} is, or -1 when it is no array: every key a number that is
     * a positive C int, as many keys as the largest one (so the keys are 1..n). An empty table is
     * an empty array.
     */
    private static int arrayLength(LuaTable t) {
      int keys = 0;
      int largest = 0;
      for (LuaValue k = t.next(LuaValue.NIL).arg1(); !k.isnil(); k = t.next(k).arg1()) {
        if (k.type() != LuaValue.TNUMBER) return -1;
        double d = k.todouble();
        if (d <= 0 || int32(d) != d) return -1;
        largest = Math.max(largest, (int) d);
        keys++;
      }
      return largest == keys ? keys : -1;
    }

    /**
     * A length or size: the fix form when it fits ({@code fixTag | n} up to {@code fixMax}),
     * else the 8-bit form (if the family has one, {@code tag8 >= 0}), 16-bit, 32-bit.
     */
    private void header(long n, int fixTag, int fixMax, int tag8, int tag16, int tag32) {
      if (n <= fixMax) {
        out.write(fixTag | (int) n);
      } else if (tag8 >= 0 && n <= 0xff) {
        out.write(tag8);
        out.write((int) n);
      } else if (n <= 0xffff) {
        out.write(tag16);
        bigEndian(n, 2);
      } else {
        out.write(tag32);
        bigEndian(n, 4);
      }
    }

    private void bigEndian(long v, int bytes) {
      for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
        out.write((int) (v >>> shift) & 0xff);
      }
    }
  }

  /** C's (int64_t) cast of a double on x86-64 (what does not fit: 0x8000000000000000). */
  private static long int64(double d) {
    return d >= -0x1p63 && d < 0x1p63 ? (long) d : Long.MIN_VALUE;
  }

  /** C's (int) cast of a double on x86-64. */
  private static int int32(double d) {
    return d > -0x1p31 - 1 && d < 0x1p31 ? (int) d : Integer.MIN_VALUE;
  }

  // ---- reading

  /** Why reading stopped. */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stop(String message) {
      super(message, null, false, false);
    }
  }

  private static final Stop TRUNCATED = new Stop("Missing bytes in input.");
  private static final Stop UNKNOWN_FORM = new Stop("Bad data format in input.");

  /**
   * Reads up to {@code limit} values from offset {@code offset} (both 0: all values, and no
   * offset returned).
   */
  private static Varargs unpack(Varargs args, String fn, long limit, long offset) {
    byte[] data = LuaReplies.bytes(LuaArgs.string(args, 1, fn));
    if (offset < 0 || limit < 0) {
      // Redis's message gives the input's length where it says limit.
      throw new LuaError("Invalid request to unpack with offset of " + (int) offset
          + " and limit of " + data.length + ".");
    }
    if (offset > data.length) {
      throw new LuaError(
          "Start offset " + offset + " greater than input length " + data.length + ".");
    }
    boolean everything = limit == 0 && offset == 0;
    Reader r = new Reader(data, (int) offset);
    List<LuaValue> values = new ArrayList<>();
    if (!everything) values.add(LuaValue.NIL); // the offset, set below
    try {
      for (long n = 0; r.pos < data.length && (everything || n < limit); n++) values.add(r.value());
    } catch (Stop s) {
      throw new LuaError(s.getMessage());
    }
    if (!everything) values.set(0, LuaValue.valueOf(r.pos < data.length ? r.pos : -1));
    return LuaValue.varargsOf(values.toArray(new LuaValue[0]));
  }

  private static final class Reader {
    private final byte[] d;
    int pos;

    Reader(byte[] d, int pos) {
      this.d = d;
      this.pos = pos;
    }

    LuaValue value() {
      int tag = tag();
      if (tag <= 0x7f) return LuaValue.valueOf(tag); // positive fixint
      if (tag >= 0xe0) return LuaValue.valueOf(tag - 0x100); // negative fixint
      if (tag <= 0x8f) return map(tag & 0x0f);
      if (tag <= 0x9f) return array(tag & 0x0f);
      if (tag <= 0xbf) return bytes(tag & 0x1f);
      return switch (tag) {
        case 0xc0 -> LuaValue.NIL;
        case 0xc2 -> LuaValue.FALSE;
        case 0xc3 -> LuaValue.TRUE;
        case 0xca -> LuaValue.valueOf((double) Float.intBitsToFloat((int) number(4)));
        case 0xcb -> LuaValue.valueOf(Double.longBitsToDouble(number(8)));
        case 0xcc, 0xcd, 0xce, 0xcf -> LuaValue.valueOf((double) number(1 << (tag - 0xcc)));
        case 0xd0, 0xd1, 0xd2, 0xd3 -> {
          int width = 1 << (tag - 0xd0);
          long v = number(width);
          int unused = 64 - 8 * width;
          yield LuaValue.valueOf((double) (v << unused >> unused)); // sign-extended
        }
        case 0xd9, 0xda, 0xdb -> bytes(number(1 << (tag - 0xd9)));
        case 0xdc, 0xdd -> array(number(tag == 0xdc ? 2 : 4));
        case 0xde, 0xdf -> map(number(tag == 0xde ? 2 : 4));
        default -> throw UNKNOWN_FORM;
      };
    }

    /**
     * The big-endian number of {@code width} bytes after the tag byte just read: the whole item
     * (tag and number) must be there.
     */
    private long number(int width) {
      require(width);
      long v = 0;
      for (int i = 0; i < width; i++) v = (v << 8) | (d[pos + i] & 0xff);
      pos += width;
      return v;
    }

    private LuaValue bytes(long n) {
      require(n);
      LuaValue s = LuaString.valueUsing(Arrays.copyOfRange(d, pos, pos + (int) n));
      pos += (int) n;
      return s;
    }

    private LuaValue array(long n) {
      LuaTable t = new LuaTable();
      for (long i = 1; i <= n; i++) {
        LuaValue v = value();
        if (!v.isnil()) t.rawset((int) i, v);
      }
      return t;
    }

    private LuaValue map(long n) {
      LuaTable t = new LuaTable();
      for (long i = 0; i < n; i++) {
        LuaValue k = value();
        LuaValue v = value();
        // Lua's own errors from the C API: no position.
        if (k.isnil()) throw new FixedMessageError("table index is nil");
        if (k.type() == LuaValue.TNUMBER && Double.isNaN(k.todouble())) {
          throw new FixedMessageError("table index is NaN");
        }
        t.rawset(k, v);
      }
      return t;
    }

    private int tag() {
      if (pos >= d.length) throw TRUNCATED;
      return d[pos++] & 0xff;
    }

    /** {@code n} more bytes must follow the tag just taken. */
    private void require(long n) {
      if (d.length - pos < n) throw TRUNCATED;
    }
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
