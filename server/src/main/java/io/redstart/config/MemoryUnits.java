package io.redstart.config;

import io.redstart.resp.Numbers;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Redis's memory notation: 1k = 1000, 1kb = 1024, m/mb, g/gb, b; case-insensitive (memtoull). */
public final class MemoryUnits {
  private MemoryUnits() {}

  /** Bytes, or null when {@code s} is not a memory value. */
  public static Long parse(String s) {
    if (s.startsWith("-")) return null;
    int u = 0;
    while (u < s.length() && Character.isDigit(s.charAt(u)) && s.charAt(u) < 128) u++;
    String unit = s.substring(u).toLowerCase(Locale.ROOT);
    long mul =
        switch (unit) {
          case "", "b" -> 1;
          case "k" -> 1000;
          case "kb" -> 1024;
          case "m" -> 1000 * 1000;
          case "mb" -> 1024 * 1024;
          case "g" -> 1000L * 1000 * 1000;
          case "gb" -> 1024L * 1024 * 1024;
          default -> -1;
        };
    if (mul < 0) return null;
    String digits = s.substring(0, u);
    if (digits.isEmpty()) return 0L; // strtoull("") is 0 without EINVAL on glibc
    try {
      long v = Long.parseUnsignedLong(digits);
      long r = v * mul;
      if (mul != 1 && (v != 0 && r / mul != v)) return null;
      return r;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A canonical integer (Redis's string2ll), or null. */
  public static Long parseLong(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
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
