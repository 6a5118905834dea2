package io.redstart.scripting;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code struct} library of Redis's Lua (lstruct as Redis builds it on x86-64): {@code
 * pack(fmt, ...)}, {@code unpack(fmt, data [, pos])}, {@code size(fmt)}.
 *
 * <p>A format is read left to right. Settings: '&lt;' little-endian (the default), '&gt;'
 * big-endian, '!n' aligns items to min(their size, n) bytes (n a power of two, 8 without a
 * number; 1 at the start), ' ' is ignored. Items: b/B h/H l/L T i/I[n] are integers of 1, 2, 8, 8
 * and n (default 4, at most 32) bytes, lower case signed; f and d floats of 4 and 8 bytes; x a zero
 * byte; c[n] n characters (c0: the whole string when packing, a length given by the previous
 * result when unpacking); s a zero-terminated string. Integers wider than 8 bytes carry 64 bits
 * of value. Numbers convert to integers as C casts them on x86-64; offsets are C's size_t, so a
 * negative unpack position wraps around (and is then too far for any data).
 *
 * <p>Stateless.
 */
final class Struct {
  private Struct() {}

  private static final int MAX_INT_SIZE = 32;
  private static final int DEFAULT_ALIGN = 8;

  static ReadOnlyTable create() {
    ReadOnlyTable t = new ReadOnlyTable();
    t.rawset("pack", new Fn("pack", Struct::pack));
    t.rawset("unpack", new Fn("unpack", Struct::unpack));
    t.rawset("size", new Fn("size", Struct::size));
    return t;
  }

  /** One item of a format: its option letter and byte size (0 for s and c0). */
  private record Item(int option, long size) {}

  /**
   * A format being read. Settings are applied as they are met; {@link #next} hands out the other
   * options one at a time, so errors come in the order the format is read.
   */
  private static final class Format {
    private final byte[] spec;
    private final String fn;
    private int at;
    boolean bigEndian;
    int align = 1;

    Format(LuaString spec, String fn) {
      this.spec = LuaReplies.bytes(spec);
      this.fn = fn;
    }

    /** The next option with its size, or null at the end of the format (or at a NUL). */
    Item next() {
      if (at >= spec.length || spec[at] == 0) return null;
      int option = spec[at++] & 0xff;
      long size =
          switch (option) {
            case 'b', 'B', 'x' -> 1;
            case 'h', 'H' -> 2;
            case 'f' -> 4;
            case 'l', 'L', 'T', 'd' -> 8;
            case 'c' -> count(1);
            case 'i', 'I' -> {
              int n = count(4);
              if (n > MAX_INT_SIZE) {
                throw new LuaError(
                    "integral size " + n + " is larger than limit of " + MAX_INT_SIZE);
              }
              yield n;
            }
            default -> 0;
          };
      return new Item(option, size);
    }

    /** A setting option; an unknown option is an argument error of the format. */
    void setting(int option) {
      switch (option) {
        case ' ' -> { }
        case '<' -> bigEndian = false;
        case '>' -> bigEndian = true;
        case '!' -> {
          int n = count(DEFAULT_ALIGN);
          if (Integer.bitCount(n) != 1) {
            throw new LuaError("alignment " + n + " is not a power of 2");
          }
          align = n;
        }
        default -> throw LuaArgs.error(1, fn, "invalid format option '" + (char) option + "'");
      }
    }

    /** The decimal number that follows an option, or {@code otherwise}. */
    private int count(int otherwise) {
      if (at >= spec.length || !isDigit(spec[at])) return otherwise;
      long n = 0;
      while (at < spec.length && isDigit(spec[at])) {
        n = n * 10 + (spec[at++] - '0');
        if (n > Integer.MAX_VALUE) throw new LuaError("integral size overflow");
      }
      return (int) n;
    }

    /** Zero bytes to put before {@code item} at offset {@code offset}. */
    long padding(long offset, Item item) {
      long size = item.size();
      if (size == 0 || item.option() == 'c') return 0;
      long boundary = Math.min(size, align);
      return (boundary - (offset & (boundary - 1))) & (boundary - 1);
    }
  }

  // ---- pack

  private static Varargs pack(Varargs args) {
    Format f = new Format(LuaArgs.string(args, 1, "pack"), "pack");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int arg = 2;
    long total = 0;
    for (Item item = f.next(); item != null; item = f.next()) {
      long size = item.size();
      long pad = f.padding(total, item);
      for (long i = 0; i < pad; i++) out.write(0);
      total += pad;
      switch (item.option()) {
        case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
          double n = packNumber(args, arg++);
          long bits = n < 0 ? (long) n : toUnsigned64(n);
          writeInteger(out, bits, (int) size, f.bigEndian);
        }
        case 'x' -> out.write(0);
        case 'f' -> {
          float v = (float) packNumber(args, arg++);
          writeInteger(out, Float.floatToRawIntBits(v) & 0xFFFFFFFFL, 4, f.bigEndian);
        }
        case 'd' -> {
          double v = packNumber(args, arg++);
          writeInteger(out, Double.doubleToRawLongBits(v), 8, f.bigEndian);
        }
        case 'c', 's' -> {
          LuaString s = packString(args, arg++);
          if (size == 0) size = s.length();
          if (s.length() < size) {
            // Redis names the argument after the string's (lstruct checks after moving on).
            throw LuaArgs.error(arg, "pack", "string too short");
          }
          out.write(s.m_bytes, s.m_offset, (int) size);
          if (item.option() == 's') {
            out.write(0);
            size++;
          }
        }
        default -> f.setting(item.option());
      }
      total += size;
    }
    return LuaString.valueUsing(out.toByteArray());
  }

  /**
   * An argument of pack. lstruct keeps a nil on Lua's stack just past the arguments, so the one
   * missing argument there reads as nil rather than "no value".
   */
  private static double packNumber(Varargs args, int n) {
    LuaValue v = args.arg(n).tonumber();
    if (!v.isnil()) return v.todouble();
    String got = n == args.narg() + 1 ? "nil" : LuaArgs.typeName(args, n);
    throw LuaArgs.error(n, "pack", "number expected, got " + got);
  }

  private static LuaString packString(Varargs args, int n) {
    LuaValue v = args.arg(n);
    if (v.type() == LuaValue.TSTRING || v.type() == LuaValue.TNUMBER) return v.strvalue();
    String got = n == args.narg() + 1 ? "nil" : LuaArgs.typeName(args, n);
    throw LuaArgs.error(n, "pack", "string expected, got " + got);
  }

  /** {@code size} bytes of {@code bits} (64 bits of value; wider integers get zeros). */
  private static void writeInteger(ByteArrayOutputStream out, long bits, int size, boolean big) {
    for (int i = 0; i < size; i++) {
      int k = big ? size - 1 - i : i; // the byte of significance k goes to position i
      out.write(k < 8 ? (int) (bits >>> (8 * k)) & 0xff : 0);
    }
  }

  /**
   * C's (unsigned long long) cast of a double that is not negative, as x86-64 code does it: values
   * from 2^63 go through a subtraction of 2^63; what does not fit gives the "integer indefinite"
   * 0x8000000000000000 of the conversion instruction.
   */
  static long toUnsigned64(double n) {
    if (!(n >= 0x1p63)) return cvtt(n);
    return cvtt(n - 0x1p63) ^ Long.MIN_VALUE;
  }

  /** x86's truncating conversion to a signed 64-bit integer. */
  private static long cvtt(double d) {
    return d >= -0x1p63 && d < 0x1p63 ? (long) d : Long.MIN_VALUE;
  }

  /** C's conversion of an unsigned 64-bit integer to double (rounded to nearest). */
  private static double unsignedToDouble(long bits) {
    if (bits >= 0) return bits;
    return ((double) ((bits >>> 1) | (bits & 1))) * 2;
  }

  // ---- unpack

  private static Varargs unpack(Varargs args) {
    Format f = new Format(LuaArgs.string(args, 1, "unpack"), "unpack");
    LuaString s = LuaArgs.string(args, 2, "unpack");
    byte[] data = LuaReplies.bytes(s);
    long length = data.length;
    long start = args.isnoneornil(3) ? 1 : cvtt(LuaArgs.number(args, 3, "unpack"));
    if (start == 0) throw LuaArgs.error(3, "unpack", "offset must be 1 or greater");
    long pos = start - 1; // unsigned from here on
    List<LuaValue> results = new ArrayList<>();
    for (Item item = f.next(); item != null; item = f.next()) {
      long size = item.size();
      pos += f.padding(pos, item);
      requireData(size, pos, length);
      int p = (int) pos;
      switch (item.option()) {
        case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
          long bits = readInteger(data, p, (int) size, f.bigEndian);
          if (Character.isLowerCase(item.option())) {
            long sign = -1L << (size * 8 - 1); // the shift count wraps at 64, as on x86
            if ((bits & sign) != 0) bits |= sign;
            results.add(LuaValue.valueOf((double) bits));
          } else {
            results.add(LuaValue.valueOf(unsignedToDouble(bits)));
          }
        }
        case 'x' -> { }
        case 'f' -> results.add(LuaValue.valueOf(
            (double) Float.intBitsToFloat((int) readInteger(data, p, 4, f.bigEndian))));
        case 'd' -> results.add(LuaValue.valueOf(
            Double.longBitsToDouble(readInteger(data, p, 8, f.bigEndian))));
        case 'c' -> {
          if (size == 0) {
            LuaValue last = results.isEmpty() ? LuaValue.NIL : results.getLast();
            if (results.isEmpty() || !last.isnumber()) {
              throw new LuaError("format 'c0' needs a previous size");
            }
            size = toUnsigned(last.todouble());
            results.removeLast();
            requireData(size, pos, length);
          }
          results.add(LuaString.valueUsing(java.util.Arrays.copyOfRange(data, p, p + (int) size)));
        }
        case 's' -> {
          int end = p;
          while (end < data.length && data[end] != 0) end++;
          if (end == data.length) throw new LuaError("unfinished string in data");
          size = end - p + 1;
          results.add(LuaString.valueUsing(java.util.Arrays.copyOfRange(data, p, end)));
        }
        default -> f.setting(item.option());
      }
      pos += size;
    }
    results.add(LuaValue.valueOf((double) (pos + 1)));
    return LuaValue.varargsOf(results.toArray(new LuaValue[0]));
  }

  /** C's cast of a double to size_t. */
  private static long toUnsigned(double d) {
    return d < 0 ? cvtt(d) : toUnsigned64(d);
  }

  /** "data string too short" unless {@code size} bytes are there at {@code pos} (unsigned). */
  private static void requireData(long size, long pos, long length) {
    if (Long.compareUnsigned(size, length) > 0 || Long.compareUnsigned(pos, length - size) > 0) {
      throw LuaArgs.error(2, "unpack", "data string too short");
    }
  }

  /**
   * {@code size} bytes at {@code p} as an integer; of a wider field only the 8 least significant
   * bytes count.
   */
  private static long readInteger(byte[] data, int p, int size, boolean big) {
    long bits = 0;
    for (int k = Math.min(size, 8) - 1; k >= 0; k--) {
      int i = big ? p + size - 1 - k : p + k; // the byte of significance k
      bits = (bits << 8) | (data[i] & 0xff);
    }
    return bits;
  }

  // ---- size

  private static Varargs size(Varargs args) {
    Format f = new Format(LuaArgs.string(args, 1, "size"), "size");
    long total = 0;
    for (Item item = f.next(); item != null; item = f.next()) {
      total += f.padding(total, item);
      int option = item.option();
      if (option == 's') throw LuaArgs.error(1, "size", "option 's' has no fixed size");
      if (option == 'c' && item.size() == 0) {
        throw LuaArgs.error(1, "size", "option 'c0' has no fixed size");
      }
      // size reads settings but, unlike pack and unpack, lets unknown letters and digits pass.
      if (!isAlnum(option)) f.setting(option);
      total += item.size();
    }
    return LuaValue.valueOf((double) total);
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAlnum(int c) {
    return isDigit(c) || (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
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
