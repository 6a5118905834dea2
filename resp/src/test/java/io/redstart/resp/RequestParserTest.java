package io.redstart.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestParserTest {
  private static final long MAX_BULK = 512L * 1024 * 1024;

  /** Feeds {@code input} in chunks of {@code chunk} bytes and collects every command. */
  private static List<List<String>> parse(String input, int chunk, boolean auth) throws Exception {
    byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
    RequestParser p = new RequestParser(MAX_BULK);
    ByteBuf buf = Unpooled.buffer();
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += chunk) {
      buf.writeBytes(bytes, i, Math.min(chunk, bytes.length - i));
      byte[][] cmd;
      while ((cmd = p.next(buf, auth)) != null) {
        List<String> args = new ArrayList<>();
        for (byte[] a : cmd) args.add(new String(a, StandardCharsets.ISO_8859_1));
        out.add(args);
      }
    }
    return out;
  }

  @Test
  void multibulkOneByteAtATime() throws Exception {
    String in = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*1\r\n$4\r\nPING\r\n";
    assertThat(parse(in, 1, true)).containsExactly(List.of("SET", "k", "hello"), List.of("PING"));
  }

  @Test
  void everyChunkSizeGivesTheSameCommands() throws Exception {
    StringBuilder sb = new StringBuilder();
    Random r = new Random(42);
    List<List<String>> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int n = 1 + r.nextInt(5);
      List<String> cmd = new ArrayList<>();
      sb.append('*').append(n).append("\r\n");
      for (int j = 0; j < n; j++) {
        byte[] arg = new byte[r.nextInt(40)];
        r.nextBytes(arg);
        String s = new String(arg, StandardCharsets.ISO_8859_1);
        cmd.add(s);
        sb.append('$').append(arg.length).append("\r\n").append(s).append("\r\n");
      }
      expected.add(cmd);
    }
    for (int chunk : new int[] {1, 2, 3, 7, 64, 1 << 20}) {
      assertThat(parse(sb.toString(), chunk, true)).as("chunk %d", chunk).isEqualTo(expected);
    }
  }

  @Test
  void inlineCommandsWithQuotesAndBareNewlines() throws Exception {
    String in = "SET k \"a b\\x41\\n\"\r\nGET 'it\\'s'\nPING\r\n";
    assertThat(parse(in, 1, true))
        .containsExactly(List.of("SET", "k", "a bA\n"), List.of("GET", "it's"), List.of("PING"));
  }

  @Test
  void emptyCommandsAreSkipped() throws Exception {
    assertThat(parse("\r\n*0\r\n*-1\r\n   \r\nPING\r\n", 1, true)).containsExactly(List.of("PING"));
  }

  @Test
  void bulkPayloadMayContainCrLf() throws Exception {
    assertThat(parse("*2\r\n$4\r\nECHO\r\n$4\r\n\r\n\r\n\r\n", 1, true))
        .containsExactly(List.of("ECHO", "\r\n\r\n"));
  }

  private static String error(String input, boolean auth) {
    try {
      parse(input, 1 << 20, auth);
      return null;
    } catch (ProtocolException e) {
      return e.getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void protocolErrorsUseRedisTexts() {
    assertThat(error("*abc\r\n", true)).isEqualTo("Protocol error: invalid multibulk length");
    assertThat(error("*3000000000\r\n", true)).isEqualTo("Protocol error: invalid multibulk length");
    assertThat(error("*1\r\n+foo\r\n", true)).isEqualTo("Protocol error: expected '$', got '+'");
    assertThat(error("*1\r\n$-1\r\n", true)).isEqualTo("Protocol error: invalid bulk length");
    assertThat(error("*1\r\n$x\r\n", true)).isEqualTo("Protocol error: invalid bulk length");
    assertThat(error("*1\r\n$536870913\r\n", true)).isEqualTo("Protocol error: invalid bulk length");
    assertThat(error("SET \"unbalanced\r\n", true))
        .isEqualTo("Protocol error: unbalanced quotes in request");
    assertThat(error("GET \"a\"b\r\n", true)).isEqualTo("Protocol error: unbalanced quotes in request");
  }

  @Test
  void linesLongerThan64KiBAreRefused() {
    String longLine = "x".repeat(RequestParser.INLINE_MAX_SIZE + 1);
    assertThat(error(longLine, true)).isEqualTo("Protocol error: too big inline request");
    assertThat(error("*" + "1".repeat(RequestParser.INLINE_MAX_SIZE + 1), true))
        .isEqualTo("Protocol error: too big mbulk count string");
    assertThat(error("*1\r\n$" + "1".repeat(RequestParser.INLINE_MAX_SIZE + 1), true))
        .isEqualTo("Protocol error: too big bulk count string");
    // A line of exactly 64 KiB still waits for its newline.
    assertThat(error("x".repeat(RequestParser.INLINE_MAX_SIZE), true)).isNull();
  }

  @Test
  void unauthenticatedClientsHaveSmallLimits() {
    assertThat(error("*11\r\n", false)).isEqualTo("Protocol error: unauthenticated multibulk length");
    assertThat(error("*10\r\n", false)).isNull();
    assertThat(error("*1\r\n$16385\r\n", false)).isEqualTo("Protocol error: unauthenticated bulk length");
    assertThat(error("*1\r\n$16384\r\n", false)).isNull();
  }

  @Test
  void lengthsFollowString2llRules() {
    assertThat(error("*+1\r\n", true)).isEqualTo("Protocol error: invalid multibulk length");
    assertThat(error("*01\r\n", true)).isEqualTo("Protocol error: invalid multibulk length");
    assertThat(error("*1\r\n$01\r\n", true)).isEqualTo("Protocol error: invalid bulk length");
    assertThat(error("*1\r\n$ 1\r\n", true)).isEqualTo("Protocol error: invalid bulk length");
  }

  @Test
  void maxBulkLengthFollowsTheSetting() throws Exception {
    RequestParser p = new RequestParser(1024 * 1024);
    ByteBuf buf = Unpooled.copiedBuffer("*1\r\n$1048577\r\n", StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> p.next(buf, true)).hasMessage("Protocol error: invalid bulk length");
  }
}
