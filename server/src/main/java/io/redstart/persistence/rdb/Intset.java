package io.redstart.persistence.rdb;

/**
 * Redis's intset byte layout (intset.c), as RDB stores sets of integers:
 *
 * <pre>
 * encoding   uint32 LE: 2, 4 or 8, the byte width of every element
 * length     uint32 LE: the element count
 * contents   the elements, sorted ascending, no duplicates, each little-endian in that width
 * </pre>
 *
 * Redis widens the encoding when a larger element arrives and never narrows it; a set type that
 * remembers its width passes it to {@link #encode}, otherwise the narrowest width is used.
 * Stateless and thread-safe.
 */
public final class Intset {
  private Intset() {}

  public static final int HEADER_SIZE = 8;

  /** The narrowest width (2, 4 or 8) that holds {@code v}. */
  public static int widthOf(long v) {
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) return 8;
    if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) return 4;
    return 2;
  }

  /**
   * The intset of {@code n} sorted, distinct {@code values}, at least {@code minWidth} bytes wide
   * (pass 2 for the narrowest).
   */
  public static byte[] encode(long[] values, int n, int minWidth) {
    int width = minWidth;
    for (int i = 0; i < n; i++) width = Math.max(width, widthOf(values[i]));
    byte[] b = new byte[HEADER_SIZE + n * width];
    putLe(b, 0, width, 4);
    putLe(b, 4, n, 4);
    int p = HEADER_SIZE;
    for (int i = 0; i < n; i++) {
      putLe(b, p, values[i], width);
      p += width;
    }
    return b;
  }

  private static void putLe(byte[] b, int p, long v, int width) {
    for (int i = 0; i < width; i++) b[p + i] = (byte) (v >>> (8 * i));
  }

  /** The width of an intset's elements. */
  public static int width(byte[] is) {
    return (int) getLe(is, 0, 4);
  }

  private static long getLe(byte[] b, int p, int width) {
    long v = 0;
    for (int i = width - 1; i >= 0; i--) v = (v << 8) | (b[p + i] & 0xff);
    // Sign-extend narrower widths; the 4-byte header fields are read as unsigned.
    return v;
  }

  private static long element(byte[] is, int width, int i) {
    int p = HEADER_SIZE + i * width;
    return switch (width) {
      case 2 -> (short) getLe(is, p, 2);
      case 4 -> (int) getLe(is, p, 4);
      default -> getLe(is, p, 8);
    };
  }

  /**
   * The elements of a valid intset (intsetValidateIntegrity with deep checking: a known width,
   * the size matching the count, not empty, strictly ascending), or null when it is not valid.
   */
  public static long[] decode(byte[] is) {
    if (is.length < HEADER_SIZE) return null;
    long enc = getLe(is, 0, 4);
    if (enc != 2 && enc != 4 && enc != 8) return null;
    int width = (int) enc;
    long count = getLe(is, 4, 4);
    if (HEADER_SIZE + count * width != is.length) return null;
    if (count == 0) return null;
    long[] out = new long[(int) count];
    for (int i = 0; i < count; i++) {
      out[i] = element(is, width, i);
      if (i > 0 && out[i] <= out[i - 1]) return null;
    }
    return out;
  }
}
