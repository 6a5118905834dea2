package io.redstart.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.embedded.RedstartConfig;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import io.redstart.testing.ServerPair;
import io.redstart.testing.ServerPairExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes on a raw socket, the same to the reference server and to Redstart, each case on fresh
 * connections: malformed and oversized requests, pipelines that end in garbage, inline quirks,
 * input that arrives one byte at a time, and the limits on unauthenticated clients. Both servers
 * must write the same bytes and either both close the connection or both keep it open.
 *
 * <p>Each case says what the reference does (closes, or answers {@code replies} replies and stays
 * open); that is checked too, so a case that does not test what its name says fails.
 */
@ExtendWith(ServerPairExtension.class)
class ProtocolDifferentialTest {
  private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(5);

  /**
   * One exchange. {@code replies} replies are read and then, for a case that stays open, a PING
   * shows the connection still works; a closing case reads until the server closes.
   */
  record Case(String name, byte[] input, int replies, boolean closes, int chunk) {
    /** The same input, written {@code size} bytes at a time. */
    Case chunked(int size) {
      return new Case(name + " (in writes of " + size + " bytes)", input, replies, closes, size);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** What a server did: every byte it wrote, and whether it closed the connection. */
  record Observed(String bytes, boolean closed) {}

  static Case open(String name, String input, int replies) {
    return new Case(name, Bytes.latin1(input), replies, false, 0);
  }

  static Case closes(String name, String input) {
    return new Case(name, Bytes.latin1(input), 0, true, 0);
  }

  static Stream<Arguments> malformed() {
    List<Case> cases = new ArrayList<>();
    cases.add(open("empty line", "\r\n", 0));
    cases.add(open("blank inline line", "   \r\n", 0));
    cases.add(open("negative multibulk length", "*-10\r\n", 0));
    cases.add(open("zero multibulk length", "*0\r\n", 0));
    cases.add(closes("out of range multibulk length", "*3000000000\r\n"));
    cases.add(closes("multibulk length not a number", "*abc\r\n"));
    cases.add(closes("multibulk length with a plus sign", "*+1\r\n"));
    cases.add(closes("multibulk length with leading zero", "*01\r\n$4\r\nPING\r\n"));
    cases.add(closes("'$' expected, got 'f'", "*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n"));
    cases.add(closes("'$' expected right after the count", "*1\r\nfoo\r\n"));
    cases.add(closes("negative bulk length", "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n"));
    cases.add(closes("bulk length -1", "*1\r\n$-1\r\n"));
    cases.add(
        closes(
            "bulk length over proto-max-bulk-len",
            "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n"));
    cases.add(closes("bulk length not a number", "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n"));
    cases.add(open("empty command name", "*1\r\n$0\r\n\r\n", 1));
    cases.add(open("bulk payload not followed by CR LF", "*1\r\n$4\r\nPINGxx", 1));
    cases.add(open("bulk shorter than its data", "*2\r\n$4\r\nECHO\r\n$1\r\nab\r\n", 1));
    cases.add(open("inline with LF only", "PING\n", 1));
    // Redis looks for the newline with strchr, which stops at the NUL: the line never ends, and
    // the bytes that follow only make it too long.
    cases.add(
        closes(
            "inline with a NUL byte before its newline", "ECHO a\u0000b\r\n" + "x".repeat(70_000)));
    cases.add(open("inline after a multibulk", "*1\r\n$4\r\nPING\r\nPING\r\n", 2));
    cases.add(
        open(
            "pipeline of three",
            "PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nECHO \"quoted arg\"\r\n",
            3));
    cases.add(closes("pipeline then a bad multibulk type", "PING\r\nPING\r\n*1\r\n+foo\r\n"));
    cases.add(closes("pipeline then a bad count", "*1\r\n$4\r\nPING\r\n*x\r\n"));
    cases.add(closes("pipeline then unbalanced quotes", "PING\r\nECHO \"open\r\nPING\r\n"));
    cases.add(closes("unbalanced quotes", "set \"\"\"test-key\"\"\" test-value\r\nping\r\n"));
    cases.add(closes("closing quote followed by a letter", "ECHO \"a\"b\r\n"));
    cases.add(closes("too big inline request", "a".repeat(70_000)));
    cases.add(closes("too big inline request after a NUL", "\u0000" + "payload".repeat(10_000)));
    cases.add(closes("too big mbulk count string", "*" + "1".repeat(70_000)));
    cases.add(closes("too big mbulk count string after a NUL", "*\u0000" + "A".repeat(70_000)));
    cases.add(closes("too big bulk count string", "*1\r\n$" + "1".repeat(70_000)));
    cases.add(
        closes(
            "inline of 64 KiB and more then garbage",
            "ECHO " + "x".repeat(65_530) + "\r\n*1\r\n+x\r\n"));
    cases.add(
        open("long inline request under the limit", "ECHO " + "x".repeat(60_000) + "\r\n", 1));
    cases.add(
        open(
                "one byte at a time",
                "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\nPING\r\nSET k \"a b\"\r\nGET k\r\n",
                4)
            .chunked(1));
    cases.add(open("a stray '$' line", "PING\r\n*1\r\n$4\r\nPING\r\n$\r\n", 3).chunked(1));
    cases.add(closes("garbage", "PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n+x\r\n").chunked(1));
    cases.add(
        open(
                "a 1 MB value",
                "*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$1048576\r\n"
                    + "v".repeat(1 << 20)
                    + "\r\n*2\r\n$6\r\nSTRLEN\r\n$3\r\nbig\r\n",
                2)
            .chunked(7919));
    cases.add(closes("QUIT in a pipeline stops it", "PING\r\nQUIT\r\nPING\r\n"));
    return cases.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void sameBytesAndSameClosing(Case c, ServerPair pair) throws IOException {
    compare(c, pair);
  }

  /** The limits on clients that have not authenticated yet, against servers with a password. */
  @Nested
  @ExtendWith(ServerPairExtension.class)
  @RedstartConfig("requirepass secret")
  class Unauthenticated {
    static Stream<Arguments> cases() {
      List<Case> cases = new ArrayList<>();
      cases.add(open("commands before AUTH", "PING\r\nGET k\r\n*1\r\n$4\r\nPING\r\n", 3));
      cases.add(closes("more than 10 arguments", multibulk(11, 1)));
      cases.add(open("10 arguments", multibulk(10, 1), 1));
      cases.add(closes("an argument over 16 KiB", "*2\r\n$4\r\nAUTH\r\n$16385\r\n"));
      cases.add(open("an argument of 16 KiB", multibulk(2, 16_384), 1));
      cases.add(
          open(
              "wrong password",
              "AUTH wrong\r\nAUTH default wrong\r\nAUTH nosuchuser secret\r\nPING\r\n",
              4));
      cases.add(open("AUTH with too many arguments", "AUTH a b c\r\n", 1));
      cases.add(open("HELLO before AUTH", "HELLO 3\r\nHELLO 2\r\nHELLO\r\n", 3));
      cases.add(open("HELLO with a wrong password", "HELLO 3 AUTH default wrong\r\n", 1));
      cases.add(open("inline commands before AUTH", "SET k v\r\nECHO \"a b\"\r\n", 2));
      cases.add(closes("too big inline request before AUTH", "a".repeat(70_000)));
      cases.add(closes("QUIT before AUTH", "QUIT\r\n"));
      List<String> mget = new ArrayList<>(List.of("MGET"));
      for (int i = 0; i < 11; i++) mget.add("k".repeat(20_000));
      cases.add(open("AUTH lifts the limits", "AUTH secret\r\n" + command(mget), 2));
      cases.add(open("AUTH default secret", "AUTH default secret\r\nGET k\r\n", 2));
      return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameBytesAndSameClosing(Case c, ServerPair pair) throws IOException {
      compare(c, pair);
    }
  }

  /** A command of {@code args} arguments of {@code size} bytes each ("aaa..."). */
  static String multibulk(int args, int size) {
    StringBuilder sb = new StringBuilder("*").append(args).append("\r\n");
    String arg = "a".repeat(size);
    for (int i = 0; i < args; i++)
      sb.append('$').append(size).append("\r\n").append(arg).append("\r\n");
    return sb.toString();
  }

  /** A command as a RESP multibulk. */
  static String command(List<String> args) {
    StringBuilder sb = new StringBuilder("*").append(args.size()).append("\r\n");
    for (String a : args) sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
    return sb.toString();
  }

  static void compare(Case c, ServerPair pair) throws IOException {
    Observed ref;
    try (RawClient client = pair.connectReference()) {
      ref = observe(client, c);
    }
    assertThat(ref.closed())
        .as(
            "the reference server %s the connection in case '%s' (the case is wrong): %s",
            c.closes() ? "keeps" : "closes", c.name(), ref.bytes())
        .isEqualTo(c.closes());
    Observed got;
    try (RawClient client = pair.connectRedstart()) {
      got = observe(client, c);
    }
    assertThat(got).as("case '%s'", c.name()).isEqualTo(ref);
  }

  /** Sends the case's input and collects what the server does. */
  static Observed observe(RawClient client, Case c) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    try {
      if (c.chunk() > 0) {
        client.sendInChunks(c.input(), c.chunk());
      } else {
        client.sendRaw(c.input());
      }
    } catch (IOException e) {
      // The server may close while we still write (too big requests): read what it said.
    }
    try {
      for (int i = 0; i < c.replies(); i++) seen.writeBytes(client.read());
      if (c.closes()) {
        seen.writeBytes(client.readUntilClosed(CLOSE_DEADLINE));
        return new Observed(Bytes.printable(seen.toByteArray()), true);
      }
      seen.writeBytes(client.sendRaw("PING\r\n").read());
      return new Observed(Bytes.printable(seen.toByteArray()), false);
    } catch (RawClient.ConnectionClosedException e) {
      seen.writeBytes(e.partial());
      return new Observed(Bytes.printable(seen.toByteArray()), true);
    } catch (SocketTimeoutException e) {
      seen.writeBytes(client.pending());
      return new Observed(
          Bytes.printable(seen.toByteArray()) + " <no more within the deadline>", false);
    }
  }
}
