package io.redstart.util;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the tab-separated golden tables that tools/c/numbers_oracle.c writes (and its answers in
 * eval mode): one row per line, text fields escaped with {@code \xHH} for bytes other than
 * printable ASCII and for the backslash.
 */
final class GoldenTable {
  private GoldenTable() {}

  /** The rows of a resource next to this class, each split into its fields. */
  static List<String[]> rows(String resource) {
    List<String[]> rows = new ArrayList<>();
    try (InputStream in = GoldenTable.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing test resource " + resource);
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line; (line = r.readLine()) != null; ) rows.add(line.split("\t", -1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** The bytes an escaped field stands for. */
  static byte[] unescape(String field) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length() && field.charAt(i + 1) == 'x') {
        out.write(Integer.parseInt(field.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }

  /** The escaped form of {@code b}, as the oracle reads and writes text fields. */
  static String escape(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length + 8);
    for (byte x : b) {
      int c = x & 0xff;
      if (c > ' ' && c < 0x7f && c != '\\') sb.append((char) c);
      else sb.append(String.format("\\x%02x", c));
    }
    return sb.toString();
  }

  /** The x87 value of an oracle BITS80 field: 4 hex digits of sign and exponent, then 16. */
  static LongDouble longDouble(String bits80) {
    return LongDouble.fromBits(
        Integer.parseInt(bits80.substring(0, 4), 16),
        Long.parseUnsignedLong(bits80.substring(4), 16));
  }

  /** The BITS80 field of an x87 value. */
  static String bits80(LongDouble v) {
    return String.format("%04x%016x", v.signAndExponentBits(), v.significandBits());
  }
}
