package io.redstart.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.config.Config;
import io.redstart.config.ConfigLoader;
import io.redstart.config.ConfigParams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CONFIG handlers on a server that is not started, through an in-memory client. */
class ConfigCommandsTest {
  @TempDir Path dir;

  @Test
  void getRepliesWithAMap() throws Exception {
    ConfigHarness h = ConfigHarness.of("maxmemory 1mb");
    assertThat(h.text("GET", "maxmemory")).isEqualTo("*2\r\n$9\r\nmaxmemory\r\n$7\r\n1048576\r\n");
    assertThat(h.text("GET", "MaxMemory", "nothing"))
        .isEqualTo("*2\r\n$9\r\nMaxMemory\r\n$7\r\n1048576\r\n");
    assertThat(h.text("GET", "nothing")).isEqualTo("*0\r\n");
    h.resp3();
    assertThat(h.text("GET", "maxmemory")).isEqualTo("%1\r\n$9\r\nmaxmemory\r\n$7\r\n1048576\r\n");
    assertThat(h.text("GET", "nothing")).isEqualTo("%0\r\n");
  }

  @Test
  void hiddenParamsNeedTheirExactName() throws Exception {
    ConfigHarness h = ConfigHarness.of();
    assertThat(h.text("GET", "key-load-delay"))
        .isEqualTo("*2\r\n$14\r\nkey-load-delay\r\n$1\r\n0\r\n");
    assertThat(h.text("GET", "key-load-*")).isEqualTo("*0\r\n");
  }

  @Test
  void aliasesAreListedUnderTheirOwnName() throws Exception {
    ConfigHarness h = ConfigHarness.of();
    assertThat(h.text("GET", "*slaveof*")).isEqualTo("*2\r\n$7\r\nslaveof\r\n$0\r\n\r\n");
    assertThat(h.text("GET", "*replicaof", "slaveof"))
        .isEqualTo("*4\r\n$9\r\nreplicaof\r\n$0\r\n\r\n$7\r\nslaveof\r\n$0\r\n\r\n");
  }

  @Test
  void setErrors() throws Exception {
    ConfigHarness h = ConfigHarness.of();
    assertThat(h.text("SET", "maxmemory", "1", "hz")).isEqualTo("-ERR syntax error\r\n");
    assertThat(h.text("SET", "daemonize", "yes", "foo", "bar"))
        .isEqualTo(
            "-ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set"
                + " immutable config\r\n");
    assertThat(h.text("SET", "foo", "bar", "daemonize", "yes"))
        .isEqualTo("-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n");
    assertThat(h.text("SET", "hz", "1", "HZ", "2"))
        .isEqualTo(
            "-ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter\r\n");
    assertThat(h.text("SET", "SLAVE-PRIORITY", "x"))
        .isEqualTo(
            "-ERR CONFIG SET failed (possibly related to argument 'slave-priority') -"
                + " argument couldn't be parsed into an integer\r\n");
  }

  @Test
  void protectedConfigsFollowEnableProtectedConfigs() throws Exception {
    String denied =
        "-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected"
            + " config\r\n";
    assertThat(ConfigHarness.of().text("SET", "dbfilename", "a.rdb")).isEqualTo(denied);
    assertThat(ConfigHarness.of("enable-protected-configs yes").text("SET", "dbfilename", "a.rdb"))
        .isEqualTo("+OK\r\n");
    ConfigHarness local = ConfigHarness.of("enable-protected-configs local");
    assertThat(local.text("SET", "dir", dir.toString())).isEqualTo("+OK\r\n");
    assertThat(local.config.dir()).isEqualTo(dir.toRealPath().toString());
    Config config = new Config();
    new ConfigLoader(config, d -> {}).loadString("enable-protected-configs local");
    ConfigHarness remote = new ConfigHarness(config, false);
    assertThat(remote.text("SET", "dbfilename", "a.rdb")).isEqualTo(denied);
  }

  @Test
  void loadingRefusesDenyLoadingParams() throws Exception {
    ConfigHarness h = ConfigHarness.of();
    h.server.loading(true);
    assertThat(h.text("SET", "appendonly", "yes"))
        .isEqualTo("-LOADING Redis is loading the dataset in memory\r\n");
    assertThat(h.text("SET", "hz", "5")).isEqualTo("+OK\r\n");
  }

  @Test
  void refusedApplyRestoresAndNamesTheParam() throws Exception {
    ConfigHarness h = ConfigHarness.of();
    h.config.onChange(
        ConfigParams.PORT,
        p -> {
          throw new Config.ConfigApplyException(
              "Unable to listen on this port. Check server logs.");
        });
    assertThat(h.text("SET", "maxmemory", "5mb", "port", "7000"))
        .isEqualTo(
            "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen"
                + " on this port. Check server logs.\r\n");
    assertThat(h.config.getLong(ConfigParams.MAXMEMORY)).isZero();
    assertThat(h.config.getLong(ConfigParams.PORT)).isEqualTo(6379);
  }

  @Test
  void rewriteNeedsAConfigFile() throws Exception {
    assertThat(ConfigHarness.of().text("REWRITE"))
        .isEqualTo("-ERR The server is running without a config file\r\n");
    Config config = new Config();
    config.configFile(dir.resolve("missing-dir/redis.conf").toString());
    assertThat(new ConfigHarness(config, true).text("REWRITE"))
        .isEqualTo("-ERR Rewriting config file: No such file or directory\r\n");
  }

  @Test
  void rewriteKeepsTheFile() throws Exception {
    Path file = dir.resolve("redis.conf");
    Files.writeString(file, "# mine\nmaxmemory 1mb\nhz 10\nhz 20\n");
    Config config = new Config();
    new ConfigLoader(config, d -> {}).load(file.toString(), null);
    ConfigHarness h = new ConfigHarness(config, true);
    assertThat(h.text("SET", "maxmemory", "2gb")).isEqualTo("+OK\r\n");
    assertThat(h.text("REWRITE")).isEqualTo("+OK\r\n");
    assertThat(Files.readString(file, StandardCharsets.ISO_8859_1))
        .startsWith("# mine\nmaxmemory 2gb\nhz 20\n\n# Generated by CONFIG REWRITE\n")
        .contains("\nsave 3600 1\nsave 300 100\nsave 60 10000\n")
        .endsWith("\nuser default on nopass ~* &* +@all\n");
    try (var files = Files.list(dir)) {
      assertThat(files).as("no temporary file left").hasSize(1);
    }
  }

  @Test
  void resetStatAndHelp() throws Exception {
    ConfigHarness h = ConfigHarness.of();
    assertThat(h.text("RESETSTAT")).isEqualTo("+OK\r\n");
    assertThat(h.text("HELP"))
        .isEqualTo(
            "*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
                + "+GET <pattern>\r\n"
                + "+    Return parameters matching the glob-like <pattern> and their values.\r\n"
                + "+SET <directive> <value>\r\n"
                + "+    Set the configuration <directive> to <value>.\r\n"
                + "+RESETSTAT\r\n"
                + "+    Reset statistics reported by the INFO command.\r\n"
                + "+REWRITE\r\n"
                + "+    Rewrite the configuration file.\r\n"
                + "+HELP\r\n"
                + "+    Prints this help.\r\n");
  }
}
