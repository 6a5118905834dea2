package io.redstart.resp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitArgsTest {
  private static List<String> split(String line) {
    byte[][] r = SplitArgs.split(line.getBytes(StandardCharsets.ISO_8859_1));
    if (r == null) return null;
    List<String> out = new ArrayList<>();
    for (byte[] b : r) out.add(new String(b, StandardCharsets.ISO_8859_1));
    return out;
  }

  @Test
  void splitsLikeSdssplitargs() {
    assertThat(split("  set   key  value ")).containsExactly("set", "key", "value");
    assertThat(split("a \"b c\" 'd e'")).containsExactly("a", "b c", "d e");
    assertThat(split("\"\\x41\\x4a\\n\\r\\t\\b\\a\\\\\\\"\"")).containsExactly("AJ\n\r\t\b\u0007\\\"");
    assertThat(split("'a\\'b'")).containsExactly("a'b");
    assertThat(split("'a\\nb'")).containsExactly("a\\nb");
    assertThat(split("\"\"")).containsExactly("");
    assertThat(split("ab\"cd ef\"")).containsExactly("abcd ef");
    assertThat(split("")).isEmpty();
    assertThat(split("   ")).isEmpty();
  }

  @Test
  void refusesUnbalancedQuotes() {
    assertThat(split("\"abc")).isNull();
    assertThat(split("'abc")).isNull();
    assertThat(split("\"abc\"def")).isNull();
    assertThat(split("'abc'def")).isNull();
  }

  @Test
  void invalidHexEscapeIsKeptAsCharacters() {
    assertThat(split("\"\\xZZ\"")).containsExactly("xZZ");
  }
}
