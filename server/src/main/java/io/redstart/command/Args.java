package io.redstart.command;

import io.redstart.resp.Numbers;
import io.redstart.server.Client;
import java.nio.charset.StandardCharsets;

/**
 * Argument helpers for handlers. Methods ending in {@code OrReply} have already replied with
 * Redis's error when they return false; the handler returns at once.
 */
public final class Args {
  private Args() {}

  /** Whether {@code arg} equals {@code lower} (an ASCII lower-case word) ignoring ASCII case. */
  public static boolean is(byte[] arg, String lower) {
    int n = lower.length();
    if (arg.length != n) return false;
    for (int i = 0; i < n; i++) {
      int b = arg[i];
      if (b >= 'A' && b <= 'Z') b += 32;
      if (b != lower.charAt(i)) return false;
    }
    return true;
  }

  /**
   * Whether {@code arg} read as a C string, up to its first NUL byte, equals {@code lower} ignoring
   * ASCII case: Redis's {@code strcasecmp(c->argv[j]->ptr, "word")}, which accepts "word\0junk".
   */
  public static boolean isCString(byte[] arg, String lower) {
    int n = 0;
    while (n < arg.length && arg[n] != 0) n++;
    if (n != lower.length()) return false;
    for (int i = 0; i < n; i++) {
      int b = arg[i];
      if (b >= 'A' && b <= 'Z') b += 32;
      if (b != lower.charAt(i)) return false;
    }
    return true;
  }

  /** Checks that {@code arg} is a 64-bit integer, else replies "value is not an integer ...". */
  public static boolean isLongOrReply(Client c, byte[] arg) {
    if (Numbers.isLong(arg)) return true;
    c.error(Errors.NOT_AN_INTEGER);
    return false;
  }

  /** Checks that {@code arg} is an integer within [min, max], with Redis's range message. */
  public static boolean isLongInRangeOrReply(Client c, byte[] arg, long min, long max) {
    if (!Numbers.isLong(arg)) {
      c.error(Errors.NOT_AN_INTEGER);
      return false;
    }
    long v = Numbers.parseLong(arg);
    if (v < min || v > max) {
      c.error(Errors.valueOutOfRangeBetween(min, max));
      return false;
    }
    return true;
  }

  /** The value of an argument {@link Numbers#isLong} accepted. */
  public static long toLong(byte[] arg) {
    return Numbers.parseLong(arg);
  }

  /** The argument as text (ISO-8859-1, byte for char). */
  public static String str(byte[] arg) {
    return new String(arg, StandardCharsets.ISO_8859_1);
  }

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
