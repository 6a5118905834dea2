package io.redstart.util;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer (RFC 8259) for the project's own data files: the command table
 * under {@code resources/commands/} and the tools that write it. No dependency, no reflection.
 *
 * <p>Values map to Java as: object to {@code Map<String, Object>} (insertion order kept,
 * read-only), array to {@code List<Object>} (read-only), string to {@link String}, a number without
 * fraction or exponent that fits 64 bits to {@link Long}, any other number to {@link Double},
 * {@code true}/{@code false} to {@link Boolean}, {@code null} to Java {@code null}.
 *
 * <p>The reader is strict: one value with optional surrounding whitespace, no trailing commas, no
 * comments, no leading zeros, no control characters inside strings, duplicate keys refused, and
 * nesting bounded by {@link #MAX_DEPTH}. Any violation throws {@link JsonException} with the line
 * and column.
 *
 * <p>The writer prints in a stable layout: two-space indentation, keys in the map's iteration
 * order, an array of scalars on one line, everything else one element per line, a final newline
 * left to the caller. Strings escape only what JSON requires (quote, backslash, control
 * characters); other characters are written as they are. Stateless and thread-safe.
 */
public final class Json {
  private Json() {}

  /** Deepest nesting of arrays and objects the reader accepts. */
  public static final int MAX_DEPTH = 128;

  /** Malformed input, or a value of an unexpected shape in the typed accessors. */
  public static final class JsonException extends RuntimeException {
    public JsonException(String message) {
      super(message);
    }
  }

  // ---- reading

  /** Parses exactly one JSON value from {@code text}. */
  public static Object parse(String text) {
    Reader r = new Reader(text);
    r.skipWhitespace();
    Object v = r.value(0);
    r.skipWhitespace();
    if (r.pos != text.length()) throw r.error("unexpected content after the value");
    return v;
  }

  /** Parses {@code text}, which must hold a JSON object. */
  public static Map<String, Object> parseObject(String text) {
    return asMap(parse(text), "document");
  }

  private static final class Reader {
    private final String s;
    private int pos;

    Reader(String s) {
      this.s = s;
    }

    JsonException error(String what) {
      int line = 1;
      int col = 1;
      for (int i = 0; i < pos && i < s.length(); i++) {
        if (s.charAt(i) == '\n') {
          line++;
          col = 1;
        } else {
          col++;
        }
      }
      return new JsonException("JSON: " + what + " at line " + line + ", column " + col);
    }

    void skipWhitespace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
        pos++;
      }
    }

    Object value(int depth) {
      if (pos >= s.length()) throw error("unexpected end of input");
      char c = s.charAt(pos);
      return switch (c) {
        case '{' -> object(depth + 1);
        case '[' -> array(depth + 1);
        case '"' -> string();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", null);
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) yield number();
          throw error("unexpected character '" + c + "'");
        }
      };
    }

    private Object literal(String word, Object v) {
      if (!s.startsWith(word, pos)) throw error("invalid literal");
      pos += word.length();
      return v;
    }

    private Map<String, Object> object(int depth) {
      if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
      pos++; // '{'
      Map<String, Object> m = new LinkedHashMap<>();
      skipWhitespace();
      if (peek() == '}') {
        pos++;
        return Collections.unmodifiableMap(m);
      }
      while (true) {
        skipWhitespace();
        if (peek() != '"') throw error("expected a string key");
        int keyAt = pos;
        String key = string();
        skipWhitespace();
        if (peek() != ':') throw error("expected ':'");
        pos++;
        skipWhitespace();
        Object v = value(depth);
        if (m.containsKey(key)) {
          pos = keyAt;
          throw error("duplicate key \"" + key + "\"");
        }
        m.put(key, v);
        skipWhitespace();
        char c = peek();
        pos++;
        if (c == '}') return Collections.unmodifiableMap(m);
        if (c != ',') {
          pos--;
          throw error("expected ',' or '}'");
        }
      }
    }

    private List<Object> array(int depth) {
      if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
      pos++; // '['
      List<Object> l = new ArrayList<>();
      skipWhitespace();
      if (peek() == ']') {
        pos++;
        return Collections.unmodifiableList(l);
      }
      while (true) {
        skipWhitespace();
        l.add(value(depth));
        skipWhitespace();
        char c = peek();
        pos++;
        if (c == ']') return Collections.unmodifiableList(l);
        if (c != ',') {
          pos--;
          throw error("expected ',' or ']'");
        }
      }
    }

    private char peek() {
      if (pos >= s.length()) throw error("unexpected end of input");
      return s.charAt(pos);
    }

    private String string() {
      pos++; // opening quote
      StringBuilder sb = null;
      int start = pos;
      while (true) {
        if (pos >= s.length()) throw error("unterminated string");
        char c = s.charAt(pos);
        if (c == '"') {
          String out = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
          pos++;
          return out;
        }
        if (c < 0x20) throw error("control character in string");
        if (c != '\\') {
          pos++;
          continue;
        }
        if (sb == null) sb = new StringBuilder();
        sb.append(s, start, pos);
        pos++;
        char e = peek();
        pos++;
        switch (e) {
          case '"' -> sb.append('"');
          case '\\' -> sb.append('\\');
          case '/' -> sb.append('/');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (pos + 4 > s.length()) throw error("truncated \\u escape");
            int cp = 0;
            for (int i = 0; i < 4; i++) {
              int d = Character.digit(s.charAt(pos + i), 16);
              if (d < 0) throw error("invalid \\u escape");
              cp = cp * 16 + d;
            }
            pos += 4;
            sb.append((char) cp);
          }
          default -> {
            pos--;
            throw error("invalid escape '\\" + e + "'");
          }
        }
        start = pos;
      }
    }

    private Object number() {
      int start = pos;
      if (peek() == '-') pos++;
      if (pos >= s.length()) throw error("truncated number");
      char c = s.charAt(pos);
      if (c == '0') {
        pos++;
      } else if (c >= '1' && c <= '9') {
        while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
      } else {
        throw error("invalid number");
      }
      boolean integral = true;
      if (pos < s.length() && s.charAt(pos) == '.') {
        integral = false;
        pos++;
        if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("invalid fraction");
        while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        integral = false;
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
        if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("invalid exponent");
        while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
      }
      String text = s.substring(start, pos);
      if (integral) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException tooBig) {
          // falls through to a double, as other readers do
        }
      }
      return Double.parseDouble(text);
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }
  }

  // ---- writing

  /** {@code value} as indented JSON text, without a trailing newline. */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, int indent) {
    switch (v) {
      case null -> sb.append("null");
      case String str -> quote(sb, str);
      case Boolean b -> sb.append(b.booleanValue());
      case Long l -> sb.append(l.longValue());
      case Integer i -> sb.append(i.intValue());
      case Double d -> {
        if (d.isNaN() || d.isInfinite()) throw new JsonException("JSON has no " + d);
        sb.append(d.doubleValue());
      }
      case Map<?, ?> m -> writeObject(sb, m, indent);
      case List<?> l -> writeArray(sb, l, indent);
      default -> throw new JsonException("cannot write " + v.getClass().getName() + " as JSON");
    }
  }

  private static void writeObject(StringBuilder sb, Map<?, ?> m, int indent) {
    if (m.isEmpty()) {
      sb.append("{}");
      return;
    }
    sb.append("{\n");
    int i = 0;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String key)) throw new JsonException("object keys are strings");
      pad(sb, indent + 1);
      quote(sb, key);
      sb.append(": ");
      write(sb, e.getValue(), indent + 1);
      if (++i < m.size()) sb.append(',');
      sb.append('\n');
    }
    pad(sb, indent);
    sb.append('}');
  }

  private static void writeArray(StringBuilder sb, List<?> l, int indent) {
    if (l.isEmpty()) {
      sb.append("[]");
      return;
    }
    boolean scalars = true;
    for (Object o : l) if (o instanceof Map || o instanceof List) scalars = false;
    if (scalars) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) sb.append(", ");
        write(sb, l.get(i), indent);
      }
      sb.append(']');
      return;
    }
    sb.append("[\n");
    for (int i = 0; i < l.size(); i++) {
      pad(sb, indent + 1);
      write(sb, l.get(i), indent + 1);
      if (i + 1 < l.size()) sb.append(',');
      sb.append('\n');
    }
    pad(sb, indent);
    sb.append(']');
  }

  private static void pad(StringBuilder sb, int indent) {
    for (int i = 0; i < indent; i++) sb.append("  ");
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  // ---- typed access, for code that reads a known schema

  /** {@code v} as an object; throws {@link JsonException} naming {@code what} otherwise. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asMap(Object v, String what) {
    if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
    throw new JsonException(what + ": expected an object, got " + describe(v));
  }

  /** {@code v} as an array; throws {@link JsonException} naming {@code what} otherwise. */
  @SuppressWarnings("unchecked")
  public static List<Object> asList(Object v, String what) {
    if (v instanceof List<?> l) return (List<Object>) l;
    throw new JsonException(what + ": expected an array, got " + describe(v));
  }

  /** The string at {@code key}, or null when absent; throws when present but not a string. */
  public static String string(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v == null || v instanceof String) return (String) v;
    throw new JsonException(key + ": expected a string, got " + describe(v));
  }

  /** The integer at {@code key}; throws when absent or not an integer. */
  public static long integer(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v instanceof Long l) return l;
    throw new JsonException(key + ": expected an integer, got " + describe(v));
  }

  /** The integer at {@code key}, or {@code dflt} when absent. */
  public static long integer(Map<String, Object> m, String key, long dflt) {
    return m.containsKey(key) ? integer(m, key) : dflt;
  }

  /** The array of strings at {@code key}, or an empty list when absent. */
  public static List<String> strings(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v == null) return List.of();
    List<String> out = new ArrayList<>();
    for (Object o : asList(v, key)) {
      if (!(o instanceof String str)) throw new JsonException(key + ": expected strings");
      out.add(str);
    }
    return out;
  }

  /** The array of objects at {@code key}, or an empty list when absent. */
  public static List<Map<String, Object>> objects(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v == null) return List.of();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : asList(v, key)) out.add(asMap(o, key));
    return out;
  }

  private static String describe(Object v) {
    return v == null ? "null" : v.getClass().getSimpleName();
  }
}
