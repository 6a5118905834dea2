package io.redstart.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.command.CommandSpec;
import io.redstart.command.CommandTable;
import io.redstart.embedded.Redstart;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MONITOR line: timestamp, database, peer, sdscatrepr quoting, redactions. */
class MonitorsTest {
  private static final Map<String, CommandSpec> TABLE = CommandTable.commands();

  private static String line(long micros, int db, String peer, String... argv) {
    return new String(
        Monitors.line(micros, db, peer, Bytes.argv(argv)), StandardCharsets.ISO_8859_1);
  }

  private static String[] redact(String... argv) {
    CommandSpec cmd = TABLE.get(argv[0].toLowerCase(java.util.Locale.ROOT));
    byte[][] out = Monitors.redact(cmd, Bytes.argv(argv));
    String[] s = new String[out.length];
    for (int i = 0; i < out.length; i++) s[i] = Bytes.latin1(out[i]);
    return s;
  }

  @Test
  void lineFormat() {
    assertThat(line(1_700_000_000_000_042L, 3, "127.0.0.1:5000", "SET", "k", "v"))
        .isEqualTo("+1700000000.000042 [3 127.0.0.1:5000] \"SET\" \"k\" \"v\"\r\n");
    assertThat(line(5_000_001L, 0, "[::1]:1", "PING"))
        .isEqualTo("+5.000001 [0 [::1]:1] \"PING\"\r\n");
  }

  @Test
  void quotingAsSdscatrepr() {
    byte[][] argv = {
      Bytes.utf8("SET"),
      {'a', '"', '\\', 'b'},
      {'\n', '\r', '\t', 7, '\b', 0, (byte) 0xff, 0x7f, ' '}
    };
    assertThat(Bytes.latin1(Monitors.line(0, 0, "p", argv)))
        .isEqualTo(
            "+0.000000 [0 p] \"SET\" \"a\\\"\\\\b\" \"\\n\\r\\t\\a\\b\\x00\\xff\\x7f \"\r\n");
    assertThat(Bytes.latin1(Monitors.line(0, 0, "p", new byte[][] {Bytes.utf8("ECHO"), {}})))
        .isEqualTo("+0.000000 [0 p] \"ECHO\" \"\"\r\n");
  }

  @Test
  void redactions() {
    assertThat(redact("AUTH", "pw")).containsExactly("AUTH", "(redacted)");
    assertThat(redact("AUTH", "user", "pw")).containsExactly("AUTH", "(redacted)", "(redacted)");
    assertThat(redact("AUTH", "a", "b", "c")).containsExactly("AUTH", "a", "b", "c");
    assertThat(redact("HELLO", "3", "AUTH", "u", "p", "SETNAME", "n"))
        .containsExactly("HELLO", "3", "AUTH", "(redacted)", "(redacted)", "SETNAME", "n");
    assertThat(redact("HELLO", "3", "SETNAME", "n", "AUTH", "u", "p"))
        .containsExactly("HELLO", "3", "SETNAME", "n", "AUTH", "(redacted)", "(redacted)");
    // Parsing stops at the first bad option or protocol version, and so does redaction.
    assertThat(redact("HELLO", "3", "FOO", "AUTH", "u", "p"))
        .containsExactly("HELLO", "3", "FOO", "AUTH", "u", "p");
    assertThat(redact("HELLO", "4", "AUTH", "u", "p"))
        .containsExactly("HELLO", "4", "AUTH", "u", "p");
    assertThat(redact("HELLO", "3", "AUTH", "u")).containsExactly("HELLO", "3", "AUTH", "u");
  }

  @Test
  void adminCommandsAreNotShownAndTheMonitorSeesItsOwnCommands() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0).start();
        RawClient mon = RawClient.connect(h.port());
        RawClient c = RawClient.connect(h.port())) {
      h.server().component(Monitors.class).microsClock(() -> 1_234_567_890_123_456L);
      String monId = Bytes.latin1(mon.call("CLIENT", "ID")).replaceAll("[^0-9]", "");
      assertThat(Bytes.latin1(mon.call("MONITOR"))).isEqualTo("+OK\r\n");
      assertThat(Bytes.latin1(mon.call("CLIENT", "LIST", "ID", monId))).contains(" flags=O ");
      String peer =
          Bytes.latin1(c.call("CLIENT", "INFO")).replaceAll("(?s).* addr=(\\S+) .*", "$1");
      c.call("CONFIG", "GET", "port");
      c.call("SELECT", "2");
      assertThat(Bytes.latin1(mon.read()))
          .isEqualTo("+1234567890.123456 [0 " + peer + "] \"CLIENT\" \"INFO\"\r\n");
      assertThat(Bytes.latin1(mon.read()))
          .isEqualTo("+1234567890.123456 [2 " + peer + "] \"SELECT\" \"2\"\r\n");
      // The monitor's own command: its reply, then its line.
      assertThat(Bytes.latin1(mon.call("GET", "k")))
          .isEqualTo("-ERR Replica can't interact with the keyspace\r\n");
      assertThat(Bytes.latin1(mon.call("PING"))).isEqualTo("+PONG\r\n");
      assertThat(Bytes.latin1(mon.read())).endsWith("] \"PING\"\r\n");
      // RESET ends monitoring: keys again, no more lines.
      assertThat(Bytes.latin1(mon.call("RESET"))).isEqualTo("+RESET\r\n");
      c.call("SELECT", "0");
      c.call("SET", "k", "v");
      assertThat(Bytes.latin1(mon.call("GET", "k"))).isEqualTo("$1\r\nv\r\n");
    }
  }
}
