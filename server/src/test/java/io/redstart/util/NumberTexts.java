package io.redstart.util;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;

/**
 * Random number texts for differential tests: everyday decimals, hex floats, texts at exact
 * halfway points between neighbouring doubles or long doubles (and a hair either side), and
 * malformed variants (spaces, garbage, doubled signs). Deterministic for a given {@link Random}.
 */
final class NumberTexts {
  private NumberTexts() {}

  static String decimal(Random rnd, int maxExponent) {
    StringBuilder sb = new StringBuilder();
    switch (rnd.nextInt(4)) {
      case 0 -> sb.append('-');
      case 1 -> sb.append('+');
      default -> {}
    }
    int ints = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 22);
    int fracs = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(22);
    if (ints == 0 && fracs == 0) ints = 1;
    for (int i = 0; i < ints; i++) sb.append((char) ('0' + rnd.nextInt(10)));
    if (fracs > 0 || rnd.nextInt(8) == 0) {
      sb.append('.');
      for (int i = 0; i < fracs; i++) sb.append((char) ('0' + rnd.nextInt(10)));
    }
    if (rnd.nextBoolean()) {
      sb.append(rnd.nextBoolean() ? 'e' : 'E');
      switch (rnd.nextInt(3)) {
        case 0 -> sb.append('-');
        case 1 -> sb.append('+');
        default -> {}
      }
      sb.append(rnd.nextInt(maxExponent + 1));
    }
    return sb.toString();
  }

  static String hex(Random rnd, int maxExponent) {
    StringBuilder sb = new StringBuilder();
    if (rnd.nextInt(3) == 0) sb.append('-');
    sb.append(rnd.nextBoolean() ? "0x" : "0X");
    String digits = "0123456789abcdefABCDEF";
    int ints = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(18);
    int fracs = rnd.nextBoolean() ? 0 : rnd.nextInt(20);
    if (ints == 0 && fracs == 0) ints = 1;
    for (int i = 0; i < ints; i++) sb.append(digits.charAt(rnd.nextInt(digits.length())));
    if (fracs > 0) {
      sb.append('.');
      for (int i = 0; i < fracs; i++) sb.append(digits.charAt(rnd.nextInt(digits.length())));
    }
    if (rnd.nextInt(4) != 0) {
      sb.append(rnd.nextBoolean() ? 'p' : 'P');
      if (rnd.nextBoolean()) sb.append('-');
      sb.append(rnd.nextInt(maxExponent + 1));
    }
    return sb.toString();
  }

  /** The exact value {@code v}, or a hair below or above it, as a decimal text. */
  static String nearly(Random rnd, BigDecimal v) {
    BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(-Math.max(v.scale(), 0) - 3);
    return switch (rnd.nextInt(3)) {
      case 0 -> v.toString();
      case 1 -> v.subtract(unit).toString();
      default -> v.add(unit).toString();
    };
  }

  /** A text at or next to the halfway point between a random double and its successor. */
  static String doubleMidpoint(Random rnd) {
    double d;
    do {
      d = Double.longBitsToDouble(rnd.nextLong() & Long.MAX_VALUE);
    } while (!Double.isFinite(d) || d == Double.MAX_VALUE);
    if (rnd.nextBoolean())
      d = Math.scalb(1.0 + rnd.nextInt(1 << 20) / (double) (1 << 20), rnd.nextInt(200) - 100);
    BigDecimal mid = new BigDecimal(d).add(new BigDecimal(Math.nextUp(d))).divide(BigDecimal.TWO);
    String t = nearly(rnd, mid);
    return rnd.nextInt(4) == 0 ? "-" + t : t;
  }

  /**
   * A text at or next to the halfway point between a random long double and its successor, kept
   * under Redis's length limit.
   */
  static String longDoubleMidpoint(Random rnd) {
    for (; ; ) {
      long sig = rnd.nextLong() | Long.MIN_VALUE;
      int e = rnd.nextInt(4) == 0 ? rnd.nextInt(6000) - 3000 : rnd.nextInt(200) - 100;
      BigDecimal half = pow2(e - 64);
      BigDecimal mid =
          new BigDecimal(new BigInteger(Long.toUnsignedString(sig)))
              .multiply(pow2(e - 63))
              .add(half);
      String t = nearly(rnd, mid);
      if (t.length() < LongDouble.MAX_CHARS - 2) return rnd.nextInt(4) == 0 ? "-" + t : t;
    }
  }

  private static BigDecimal pow2(int e) {
    return e >= 0
        ? new BigDecimal(BigInteger.ONE.shiftLeft(e))
        : new BigDecimal(BigInteger.valueOf(5).pow(-e), -e);
  }

  /** {@code text} spoiled in one of the ways clients spoil numbers, or left alone. */
  static String spoil(Random rnd, String text) {
    return switch (rnd.nextInt(16)) {
      case 0 -> " " + text;
      case 1 -> text + " ";
      case 2 -> "\t" + text;
      case 3 -> text + "x";
      case 4 -> "+" + text;
      case 5 -> "-" + text;
      case 6 -> text + "e";
      case 7 -> text + "\u0000";
      case 8 -> text.isEmpty() ? text : text.substring(0, rnd.nextInt(text.length()));
      default -> text;
    };
  }

  private static final String[] WORDS = {
    "inf",
    "-inf",
    "+inf",
    "INF",
    "infinity",
    "-Infinity",
    "infinit",
    "nan",
    "-nan",
    "NaN",
    "nan(1)",
    "nan()",
    "",
    ".",
    "-",
    "e1",
    "0x",
    "0x.",
    "0x1p",
    "1e",
    "1e+"
  };

  /** Any text a long double or double parser might be handed. */
  static String any(Random rnd, boolean longDouble) {
    String t =
        switch (rnd.nextInt(10)) {
          case 0, 1, 2 -> decimal(rnd, rnd.nextInt(3) == 0 ? (longDouble ? 5000 : 340) : 30);
          case 3 -> hex(rnd, rnd.nextBoolean() ? 300 : (longDouble ? 16500 : 1100));
          case 4 -> longDouble ? longDoubleMidpoint(rnd) : doubleMidpoint(rnd);
          case 5 -> WORDS[rnd.nextInt(WORDS.length)];
          case 6 -> LongDoubleTest.randomFinite(rnd).toHexString();
          case 7 ->
              io.redstart.resp.CFormat.g(
                  Double.longBitsToDouble(rnd.nextLong()), 1 + rnd.nextInt(20));
          default -> Double.toString(Double.longBitsToDouble(rnd.nextLong()));
        };
    return spoil(rnd, t);
  }
}
