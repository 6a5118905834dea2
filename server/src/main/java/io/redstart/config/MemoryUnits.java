package io.redstart.config;

import io.redstart.resp.Numbers;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Redis's memory notation: 1k = 1000, 1kb = 1024, m/mb, g/gb, b; case-insensitive (memtoull). */
public final class MemoryUnits {
  private MemoryUnits() {}

  /**
   * Bytes, or null when {@code s} is not a memory value. As Redis's memtoull: "" and a bare unit
   * are 0, a too large number saturates and the unit multiplication wraps.
   */
  public static Long parse(String s) {
    return CText.memtoull(s);
  }

  /** A canonical integer (Redis's string2ll), or null. */
  public static Long parseLong(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    return Numbers.isLong(b) ? Numbers.parseLong(b) : null;
  }

  /** Human form as INFO prints it (used_memory_human): 1.00K, 2.50M ... */
  public static String human(long n) {
    double d = n;
    if (n < 1024) return n + "B";
    if (n < 1024L * 1024) return String.format(Locale.ROOT, "%.2fK", d / 1024);
    if (n < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.2fM", d / (1024 * 1024));
    if (n < 1024L * 1024 * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.2fG", d / (1024L * 1024 * 1024));
    }
    if (n < 1024L * 1024 * 1024 * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.2fT", d / (1024L * 1024 * 1024 * 1024));
    }
    return String.format(Locale.ROOT, "%.2fP", d / (1024L * 1024 * 1024 * 1024 * 1024));
  }
}
