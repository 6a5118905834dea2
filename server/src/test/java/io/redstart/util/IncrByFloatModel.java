package io.redstart.util;

/**
 * INCRBYFLOAT's arithmetic as Redis 7.0.15 performs it (t_string.c), built on {@link LongDouble}:
 * both texts through string2ld, one x87 addition, a NaN/infinity check, LD_STR_HUMAN. Errors come
 * back as {@code "ERR:" + message}, the form the C oracle prints.
 */
final class IncrByFloatModel {
  private IncrByFloatModel() {}

  static final String NOT_A_FLOAT = "ERR:value is not a valid float";
  static final String NAN_OR_INFINITY = "ERR:increment would produce NaN or Infinity";

  static String incrbyfloat(byte[] current, byte[] increment) {
    LongDouble value = LongDouble.parse(current);
    LongDouble incr = LongDouble.parse(increment);
    if (value == null || incr == null) return NOT_A_FLOAT;
    LongDouble sum = value.add(incr);
    if (!sum.isFinite()) return NAN_OR_INFINITY;
    return sum.toHumanString();
  }
}
