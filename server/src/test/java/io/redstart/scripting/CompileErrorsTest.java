package io.redstart.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Lua 5.1 lexer behind the wording of syntax errors: tokens as Lua prints them in "near
 * '...'", its lexical errors, and strtod's reading of numerals. The wording of whole messages is
 * checked against redis-server by the differential scripts (scripting-errors.redis).
 */
class CompileErrorsTest {
  private static List<String> tokens(String chunk) {
    CompileErrors.Lexer lexer = new CompileErrors.Lexer(bytes(chunk), 0);
    List<String> out = new ArrayList<>();
    while (true) {
      CompileErrors.Token t = lexer.next();
      out.add(t.text);
      if (t.type == CompileErrors.Token.EOS) return out;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static CompileErrors.LexError lexError(String chunk) {
    CompileErrors.Lexer lexer = new CompileErrors.Lexer(bytes(chunk), 0);
    try {
      while (lexer.next().type != CompileErrors.Token.EOS) {
        // until the error
      }
    } catch (CompileErrors.LexError e) {
      return e;
    }
    throw new AssertionError("no lexical error in " + chunk);
  }

  @Test
  void tokensPrintAsLua51PrintsThem() {
    assertThat(tokens("local x = a..b ... == ~= <= >= ~ \u0001 ::"))
        .containsExactly(
            "local", "x", "=", "a", "..", "b", "...", "==", "~=", "<=", ">=", "~", "char(1)", ":",
            ":", "<eof>");
  }

  @Test
  void stringsKeepTheirQuotesAndTheirEscapesReplaced() {
    assertThat(tokens("'a\\tb' \"\\65\\q\" [==[x]]y]==]"))
        .containsExactly("'a\tb'", "\"Aq\"", "[==[x]]y]==]", "<eof>");
  }

  @Test
  void commentsAndLineEndsAreSkipped() {
    CompileErrors.Lexer lexer = new CompileErrors.Lexer(bytes("--[[ a\r\nb ]] x -- y\n\rz"), 0);
    CompileErrors.Token x = lexer.next();
    CompileErrors.Token z = lexer.next();
    assertThat(x.text).isEqualTo("x");
    assertThat(x.line).isEqualTo(2);
    assertThat(z.text).isEqualTo("z");
    assertThat(z.line).isEqualTo(3); // "\n\r" is one line end
  }

  @Test
  void lexicalErrorsAreLua51s() {
    assertThat(lexError("return 1e").format("user_script"))
        .isEqualTo("user_script:1: malformed number near '1e'");
    assertThat(lexError("x = 'abc\ndef'").format("user_script"))
        .isEqualTo("user_script:1: unfinished string near ''abc'");
    assertThat(lexError("x = 'abc").format("user_script"))
        .isEqualTo("user_script:1: unfinished string near '<eof>'");
    assertThat(lexError("\n--[==[ x").format("c"))
        .isEqualTo("c:2: unfinished long comment near '<eof>'");
    assertThat(lexError("x = [=x").format("c"))
        .isEqualTo("c:1: invalid long string delimiter near '[='");
    assertThat(lexError("x = '\\300'").format("c"))
        .isEqualTo("c:1: escape sequence too large near '''");
  }

  @Test
  void numeralsAreWhatStrtodReadsWhole() {
    for (String ok : new String[] {"1", "1.", ".5", "1e5", "1E+5", "0x1F", "0x1p4", "0x.8", "1e999"}) {
      assertThat(CompileErrors.isNumber(ok)).as(ok).isTrue();
    }
    for (String bad : new String[] {"0x", "1e", "1e+", "1..2", "3in", "0x1p", "1_0"}) {
      assertThat(CompileErrors.isNumber(bad)).as(bad).isFalse();
    }
  }

  @Test
  void aChunkStartingWithHashIsASyntaxError() {
    assertThat(CompileErrors.hashFirstLine(bytes("#!x\nreturn 1"), 0, "@user_script"))
        .isEqualTo("user_script:1: unexpected symbol near '#'");
    assertThat(CompileErrors.hashFirstLine(bytes("return 1"), 0, "@user_script")).isNull();
  }

  @Test
  void theInputEndsWithOneSpaceThenTheEnd() {
    CompileErrors.Input in = new CompileErrors.Input(bytes("xab"), 1);
    assertThat(in.read()).isEqualTo('a');
    assertThat(in.read()).isEqualTo('b');
    assertThat(in.atEnd()).isFalse();
    assertThat(in.read()).isEqualTo(' ');
    assertThat(in.lookahead()).isEqualTo(2);
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.atEnd()).isTrue();
  }
}
