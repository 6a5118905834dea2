package io.redstart.command.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.embedded.Redstart;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import org.junit.jupiter.api.Test;

/** rename-command, with the replies redis-server 7.0.15 gives for the same configuration. */
class RenameCommandTest {
  private static String call(RawClient c, String... argv) throws Exception {
    return Bytes.latin1(c.call(argv));
  }

  @Test
  void aRenamedCommandAnswersOnlyToItsNewNameAndAnEmptyNameDisablesIt() throws Exception {
    try (Redstart.Handle h = Redstart.builder().port(0)
            .config("rename-command", "flushall", "")
            .config("rename-command", "config", "myconfig")
            .start();
        RawClient c = RawClient.connect(h.port())) {
      assertThat(call(c, "FLUSHALL"))
          .isEqualTo("-ERR unknown command 'FLUSHALL', with args beginning with: \r\n");
      assertThat(call(c, "CONFIG", "GET", "maxmemory")).isEqualTo(
          "-ERR unknown command 'CONFIG', with args beginning with: 'GET' 'maxmemory' \r\n");
      assertThat(call(c, "MYCONFIG", "GET", "maxmemory"))
          .isEqualTo("*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n");
      // Scripts call commands by their new names too.
      assertThat(call(c, "EVAL", "return redis.call('config', 'get', 'port')", "0"))
          .startsWith("-ERR Unknown Redis command called from script");
      assertThat(call(c, "EVAL", "return redis.call('myconfig', 'get', 'port')", "0"))
          .startsWith("-ERR This Redis command is not allowed from script");
      // COMMAND describes a renamed command under its own name, and not under the old one.
      assertThat(call(c, "COMMAND", "INFO", "myconfig")).startsWith("*1\r\n*10\r\n$6\r\nconfig\r\n");
      assertThat(call(c, "COMMAND", "INFO", "config")).isEqualTo("*1\r\n$-1\r\n");
      int all = Integer.parseInt(call(c, "COMMAND", "COUNT").substring(1).trim());
      assertThat(all).isEqualTo(io.redstart.command.CommandTable.commands().size() - 1);
      assertThat(call(c, "SET", "k", "v")).isEqualTo("+OK\r\n");
    }
  }

  @Test
  void anUnknownCommandOrATakenNameIsRefusedAtStartup() {
    assertThatThrownBy(() -> Redstart.builder().port(0)
            .config("rename-command", "nosuchcommand", "x").start())
        .hasMessageContaining("No such command in rename-command");
    assertThatThrownBy(() -> Redstart.builder().port(0)
            .config("rename-command", "get", "set").start())
        .hasMessageContaining("Target command name already exists");
  }
}
