package io.redstart.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.resp.CFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Java's answer to each kind of row the C oracle writes (see tools/c/numbers_oracle.c), in the
 * same layout, so that a golden table or a live answer is checked by comparing whole rows. Where a
 * row prints the C library's value (formatting columns), Java formats that same value, so parsing
 * and formatting are checked independently.
 */
final class OracleRows {
  private OracleRows() {}

  /** Asserts that every row equals {@code java.apply(row)}, listing all mismatches. */
  static void assertAllMatch(List<String[]> rows, Function<String[], String> java) {
    List<String> mismatches = new ArrayList<>();
    for (String[] row : rows) {
      String want = String.join("\t", row);
      String got = java.apply(row);
      if (!got.equals(want)) mismatches.add("C:    " + want + "\nJava: " + got);
    }
    assertThat(mismatches).isEmpty();
  }

  /** {@code g BITS PRECISION -> TEXT}. */
  static String g(String[] c) {
    double d = Double.longBitsToDouble(Long.parseUnsignedLong(c[0], 16));
    return String.join("\t", c[0], c[1], CFormat.g(d, Integer.parseInt(c[1])));
  }

  /** {@code fp BITS DIGITS -> TEXT}. */
  static String fixedPoint(String[] c) {
    double d = Double.longBitsToDouble(Long.parseUnsignedLong(c[0], 16));
    return String.join(
        "\t", c[0], c[1], String.valueOf(Doubles.fixedPoint(d, Integer.parseInt(c[1]))));
  }

  /** {@code d TEXT -> CONSUMED ERANGE BITS STRING2D %.17g D2STRING}. */
  static String strtod(String[] c) {
    byte[] text = GoldenTable.unescape(c[0]);
    double cValue = Double.longBitsToDouble(Long.parseUnsignedLong(c[3], 16));
    Doubles.Scan scan = new Doubles.Scan();
    Doubles.strtod(text, 0, text.length, scan);
    boolean sameNaN =
        Double.isNaN(cValue)
            && Double.isNaN(scan.value)
            && (Double.doubleToRawLongBits(cValue) < 0)
                == (Double.doubleToRawLongBits(scan.value) < 0);
    double parsed = Doubles.parse(text);
    String accepted;
    if (Double.isNaN(parsed)) {
      accepted = "0";
    } else {
      // Accepted: the value must be strtod's, bit for bit.
      accepted =
          Double.doubleToRawLongBits(parsed) == Double.doubleToRawLongBits(scan.value) ? "1" : "1?";
    }
    return String.join(
        "\t",
        c[0],
        Integer.toString(scan.end),
        scan.rangeError ? "1" : "0",
        sameNaN ? c[3] : String.format("%016x", Double.doubleToRawLongBits(scan.value)),
        accepted,
        Doubles.replyText(cValue),
        Doubles.d2string(cValue));
  }

  /** {@code ld TEXT -> CONSUMED ERANGE BITS80 STRING2LD HUMAN %.17Lg %La}. */
  static String strtold(String[] c) {
    byte[] text = GoldenTable.unescape(c[0]);
    LongDouble cValue = GoldenTable.longDouble(c[3]);
    FloatParser p = new FloatParser();
    p.scan(text, 0, text.length, FloatParser.X87);
    LongDouble scanned = scanned(p);
    LongDouble parsed = LongDouble.parse(text);
    String accepted = parsed == null ? "0" : parsed.equals(scanned) ? "1" : "1?";
    boolean sameNaN = cValue.isNaN() && scanned.isNaN() && cValue.signBit() == scanned.signBit();
    return String.join(
        "\t",
        c[0],
        Integer.toString(p.end),
        p.rangeError ? "1" : "0",
        sameNaN ? c[3] : GoldenTable.bits80(scanned),
        accepted,
        cValue.toHumanString(),
        cValue.toAutoString(),
        cValue.toHexString());
  }

  /** The value a strtold scan produced (NaN payloads aside). */
  static LongDouble scanned(FloatParser p) {
    return switch (p.kind) {
      case FloatParser.NONE -> LongDouble.ZERO;
      case FloatParser.ZERO -> p.negative ? LongDouble.NEGATIVE_ZERO : LongDouble.ZERO;
      case FloatParser.INFINITE ->
          p.negative ? LongDouble.NEGATIVE_INFINITY : LongDouble.POSITIVE_INFINITY;
      case FloatParser.NAN -> p.negative ? LongDouble.NaN.negate() : LongDouble.NaN;
      default -> {
        int biased = p.significand < 0 ? p.exponent + 63 + 16383 : 0;
        yield LongDouble.fromBits((p.negative ? 0x8000 : 0) | biased, p.significand);
      }
    };
  }

  /** {@code incr CURRENT TEXT -> REPLY}. */
  static String incr(String[] c) {
    String reply =
        IncrByFloatModel.incrbyfloat(GoldenTable.unescape(c[0]), GoldenTable.unescape(c[1]));
    return String.join("\t", c[0], c[1], reply);
  }
}
