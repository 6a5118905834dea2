package io.redstart.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.util.Json.JsonException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void scalars() {
    assertThat(Json.parse("\"a\"")).isEqualTo("a");
    assertThat(Json.parse(" 42 ")).isEqualTo(42L);
    assertThat(Json.parse("-0")).isEqualTo(0L);
    assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    assertThat(Json.parse("9223372036854775808")).isEqualTo(9.223372036854775808e18);
    assertThat(Json.parse("1.5")).isEqualTo(1.5);
    assertThat(Json.parse("2e3")).isEqualTo(2000.0);
    assertThat(Json.parse("-1.25E-2")).isEqualTo(-0.0125);
    assertThat(Json.parse("true")).isEqualTo(true);
    assertThat(Json.parse("false")).isEqualTo(false);
    assertThat(Json.parse("null")).isNull();
  }

  @Test
  void stringEscapes() {
    assertThat(Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t\""))
        .isEqualTo("q\" b\\ s/ \b\f\n\r\t");
    assertThat(Json.parse("\"\\u00e9\\u20AC\"")).isEqualTo("é€");
    assertThat(Json.parse("\"\\ud83d\\ude00\"")).isEqualTo("\uD83D\uDE00");
    assertThat(Json.parse("\"héllo ✓\"")).isEqualTo("héllo ✓");
  }

  @Test
  void containersKeepOrderAndAreReadOnly() {
    Map<String, Object> m =
        Json.parseObject("{\"z\": 1, \"a\": [1, \"x\", {}], \"m\": {\"k\": null}}");
    assertThat(m.keySet()).containsExactly("z", "a", "m");
    assertThat(Json.asList(m.get("a"), "a")).containsExactly(1L, "x", Map.of());
    assertThat(Json.asMap(m.get("m"), "m")).containsEntry("k", null);
    assertThatThrownBy(() -> m.put("b", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(Json.parse("[]")).isEqualTo(List.of());
  }

  @Test
  void malformedInputIsRefusedWithItsPosition() {
    assertError("", "unexpected end of input at line 1, column 1");
    assertError("[1,]", "unexpected character ']' at line 1, column 4");
    assertError("{\"a\":1,}", "expected a string key at line 1, column 8");
    assertError("{\"a\" 1}", "expected ':'");
    assertError("[1 2]", "expected ',' or ']' at line 1, column 4");
    assertError("{\"a\":1 \"b\":2}", "expected ',' or '}'");
    assertError("01", "unexpected content after the value");
    assertError("1.", "invalid fraction");
    assertError("1e", "invalid exponent");
    assertError("-", "truncated number");
    assertError("+1", "unexpected character '+'");
    assertError("tru", "invalid literal");
    assertError("\"abc", "unterminated string");
    assertError("\"a\nb\"", "control character in string");
    assertError("\"\\x\"", "invalid escape '\\x'");
    assertError("\"\\u12zz\"", "invalid \\u escape");
    assertError("\"\\u12\"", "truncated \\u escape");
    assertError("{\"a\":1,\n \"a\":2}", "duplicate key \"a\" at line 2, column 2");
    assertError("[] []", "unexpected content after the value");
    assertError("// c\n1", "unexpected character '/'");
  }

  @Test
  void nestingIsBounded() {
    String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertThat(Json.parse(ok)).isInstanceOf(List.class);
    String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    assertError(deep, "nesting deeper than " + Json.MAX_DEPTH);
  }

  private static void assertError(String text, String message) {
    assertThatThrownBy(() -> Json.parse(text))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining(message);
  }

  @Test
  void writerLayout() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "get");
    m.put("n", 2L);
    m.put("flags", List.of("readonly", "fast"));
    m.put("empty", List.of());
    m.put("obj", Map.of());
    m.put("specs", List.of(Map.of("a", true)));
    m.put("s", "q\"\\\n\u0001é");
    m.put("d", 1.5);
    m.put("nil", null);
    assertThat(Json.write(m))
        .isEqualTo(
            """
            {
              "name": "get",
              "n": 2,
              "flags": ["readonly", "fast"],
              "empty": [],
              "obj": {},
              "specs": [
                {
                  "a": true
                }
              ],
              "s": "q\\"\\\\\\n\\u0001é",
              "d": 1.5,
              "nil": null
            }\
            """);
    assertThat(Json.parse(Json.write(m))).isEqualTo(m);
  }

  @Test
  void writerRefusesWhatJsonCannotHold() {
    assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(JsonException.class);
    assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(JsonException.class);
  }

  @Test
  void typedAccessors() {
    Map<String, Object> m =
        Json.parseObject("{\"s\": \"x\", \"n\": 3, \"l\": [\"a\"], \"o\": [{}]}");
    assertThat(Json.string(m, "s")).isEqualTo("x");
    assertThat(Json.string(m, "missing")).isNull();
    assertThat(Json.integer(m, "n")).isEqualTo(3);
    assertThat(Json.integer(m, "missing", 7)).isEqualTo(7);
    assertThat(Json.strings(m, "l")).containsExactly("a");
    assertThat(Json.strings(m, "missing")).isEmpty();
    assertThat(Json.objects(m, "o")).containsExactly(Map.of());
    assertThatThrownBy(() -> Json.integer(m, "s")).hasMessageContaining("s: expected an integer");
    assertThatThrownBy(() -> Json.string(m, "n")).hasMessageContaining("n: expected a string");
    assertThatThrownBy(() -> Json.strings(m, "o")).hasMessageContaining("expected strings");
  }

  /** The command files are written by this writer: reading and writing them changes nothing. */
  @Test
  void everyCommandFileRoundTrips() throws Exception {
    URI dir = JsonTest.class.getResource("/commands").toURI();
    int n = 0;
    try (Stream<Path> files = Files.list(Path.of(dir))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        String text = Files.readString(p, StandardCharsets.UTF_8);
        assertThat(Json.write(Json.parse(text)) + "\n").as(p.toString()).isEqualTo(text);
        n++;
      }
    }
    assertThat(n).isGreaterThan(300);
  }
}
