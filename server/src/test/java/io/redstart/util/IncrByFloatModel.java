package io.redstart.util;

/**
 * INCRBYFLOAT's and HINCRBYFLOAT's arithmetic as Redis 7.0.15 performs it (t_string.c, t_hash.c),
 * built on {@link LongDouble}: texts through string2ld, one x87 addition, a NaN/infinity check,
 * LD_STR_HUMAN. Errors come back as {@code "ERR:" + message}, the form the C oracle prints.
 */
final class IncrByFloatModel {
  private IncrByFloatModel() {}

  static final String NOT_A_FLOAT = "ERR:value is not a valid float";
  static final String NAN_OR_INFINITY = "ERR:increment would produce NaN or Infinity";

  static final String HASH_NOT_A_FLOAT = "ERR:hash value is not a float";
  static final String INCREMENT_NAN_OR_INFINITY = "ERR:value is NaN or Infinity";

  /** The reply to INCRBYFLOAT on a key holding {@code current}, or missing when it is null. */
  static String incrbyfloat(byte[] current, byte[] increment) {
    LongDouble value = current == null ? LongDouble.ZERO : LongDouble.parse(current);
    LongDouble incr = LongDouble.parse(increment);
    if (value == null || incr == null) return NOT_A_FLOAT;
    LongDouble sum = value.add(incr);
    if (!sum.isFinite()) return NAN_OR_INFINITY;
    return sum.toHumanString();
  }

  /** The reply to HINCRBYFLOAT on a field holding {@code current}, or missing when it is null. */
  static String hincrbyfloat(byte[] current, byte[] increment) {
    LongDouble incr = LongDouble.parse(increment);
    if (incr == null) return NOT_A_FLOAT;
    if (!incr.isFinite()) return INCREMENT_NAN_OR_INFINITY;
    LongDouble value = current == null ? LongDouble.ZERO : LongDouble.parse(current);
    if (value == null) return HASH_NOT_A_FLOAT;
    LongDouble sum = value.add(incr);
    if (!sum.isFinite()) return NAN_OR_INFINITY;
    return sum.toHumanString();
  }
}
