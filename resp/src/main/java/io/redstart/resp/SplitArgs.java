package io.redstart.resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line into arguments the way Redis's {@code sdssplitargs} does: for inline commands,
 * redis.conf lines and redis-cli input. Double quotes take the escapes {@code \n \r \t \b \a
 * \xHH} and a backslash before any other character; single quotes take only {@code \'}. A closing
 * quote must be followed by a space or the end of the line. A NUL byte ends the line, as in C.
 */
public final class SplitArgs {
  private SplitArgs() {}

  /** The arguments, an empty array for a blank line, or {@code null} for unbalanced quotes. */
  public static byte[][] split(byte[] line) {
    List<byte[]> out = new ArrayList<>();
    int p = 0;
    int n = line.length;
    while (true) {
      while (p < n && line[p] != 0 && isSpace(line[p])) p++;
      if (p >= n || line[p] == 0) return out.toArray(new byte[0][]);
      boolean inDouble = false;
      boolean inSingle = false;
      boolean done = false;
      ByteArrayOutputStream current = new ByteArrayOutputStream();
      while (!done) {
        int c = at(line, p);
        if (inDouble) {
          if (c == '\\' && at(line, p + 1) == 'x' && isHex(at(line, p + 2)) && isHex(at(line, p + 3))) {
            current.write(hex(at(line, p + 2)) * 16 + hex(at(line, p + 3)));
            p += 3;
          } else if (c == '\\' && at(line, p + 1) != 0) {
            p++;
            int e = at(line, p);
            current.write(
                switch (e) {
                  case 'n' -> '\n';
                  case 'r' -> '\r';
                  case 't' -> '\t';
                  case 'b' -> '\b';
                  case 'a' -> 7;
                  default -> e;
                });
          } else if (c == '"') {
            int next = at(line, p + 1);
            if (next != 0 && !isSpace((byte) next)) return null;
            done = true;
          } else if (c == 0) {
            return null;
          } else {
            current.write(c);
          }
        } else if (inSingle) {
          if (c == '\\' && at(line, p + 1) == '\'') {
            p++;
            current.write('\'');
          } else if (c == '\'') {
            int next = at(line, p + 1);
            if (next != 0 && !isSpace((byte) next)) return null;
            done = true;
          } else if (c == 0) {
            return null;
          } else {
            current.write(c);
          }
        } else {
          switch (c) {
            case ' ', '\n', '\r', '\t', 0 -> done = true;
            case '"' -> inDouble = true;
            case '\'' -> inSingle = true;
            default -> current.write(c);
          }
        }
        if (at(line, p) != 0) p++;
      }
      out.add(current.toByteArray());
    }
  }

  /** The byte at {@code i} as 0..255, or 0 past the end (the C string's terminator). */
  private static int at(byte[] s, int i) {
    return i < s.length ? s[i] & 0xff : 0;
  }

  /** C's isspace in the "C" locale. */
  static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == 0x0c;
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int hex(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
  }
}
