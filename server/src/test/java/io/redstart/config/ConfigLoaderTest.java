package io.redstart.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import io.redstart.config.SpecialParams.SavePoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading redis.conf text and command lines as Redis's config.c and main() do. */
class ConfigLoaderTest {
  @TempDir Path dir;

  private static final String HEADER = "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n";

  private final Config config = new Config();
  private final List<String> notImplemented = new ArrayList<>();
  private final ConfigLoader loader = new ConfigLoader(config, notImplemented::add);

  private void load(List<String> args) throws ConfigLoader.ConfigFileException {
    ConfigLoader.CommandLine cl = ConfigLoader.parseCommandLine(args);
    loader.load(cl.configFile(), cl.configFromStdin(), cl.options());
  }

  private static String report(int line, String text, String reason) {
    return HEADER
        + "Reading the configuration file, at line "
        + line
        + "\n>>> '"
        + text
        + "'\n"
        + reason
        + "\n";
  }

  private String failure(String text) {
    try {
      loader.loadString(text);
    } catch (ConfigLoader.ConfigFileException e) {
      return e.getMessage();
    }
    return fail("accepted: " + text);
  }

  @Test
  void stockRedisConfLoadsUnchanged() throws Exception {
    Path stock = Path.of("/etc/redis/redis.conf");
    if (!Files.isReadable(stock)) {
      if ("1".equals(System.getenv("REDSTART_REQUIRE_ALL"))) fail(stock + " is missing");
      Assumptions.abort(stock + " is missing");
    }
    Path copy = dir.resolve("redis.conf");
    Files.copy(stock, copy);
    load(
        List.of(
            copy.toString(),
            "--dir",
            dir.toString(),
            "--logfile",
            dir.resolve("log").toString(),
            "--pidfile",
            dir.resolve("pid").toString(),
            "--daemonize",
            "no"));
    assertThat(config.configFile()).isEqualTo(copy.toAbsolutePath().toString());
    assertThat(config.bindAddresses()).containsExactly("127.0.0.1", "-::1");
    assertThat(config.getLong(ConfigParams.PORT)).isEqualTo(6379);
    assertThat(config.getBool(ConfigParams.PROTECTED_MODE)).isTrue();
    assertThat(config.getBool(ConfigParams.DAEMONIZE)).isFalse();
    assertThat(config.getString(ConfigParams.APPENDFILENAME)).isEqualTo("appendonly.aof");
    assertThat(config.format(ConfigParams.AUTO_AOF_REWRITE_MIN_SIZE)).isEqualTo("67108864");
    assertThat(config.format(ConfigParams.CLIENT_OUTPUT_BUFFER_LIMIT))
        .isEqualTo("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
    assertThat(config.format(ConfigParams.SAVE)).isEqualTo("3600 1 300 100 60 10000");
    assertThat(config.dir()).isEqualTo(dir.toRealPath().toString());
    assertThat(Files.exists(dir.resolve("log"))).as("log file opened at load").isTrue();
    // The stock file sets every not-implemented directive to its default: nothing to say.
    assertThat(notImplemented).isEmpty();
  }

  @Test
  void unknownDirectiveReportCountsTheCommandLineAsLines() throws Exception {
    assertThatThrownBy(() -> load(List.of("--port", "0", "--foo", "bar")))
        .hasMessage(report(3, "foo \"bar\"", "Bad directive or wrong number of arguments"));
  }

  @Test
  void reportLineNumbersFollowTheFile() throws Exception {
    Path withNewline = dir.resolve("a.conf");
    Files.writeString(withNewline, "port 0\n");
    assertThatThrownBy(() -> load(List.of(withNewline.toString(), "--foo", "bar")))
        .hasMessage(report(3, "foo \"bar\"", "Bad directive or wrong number of arguments"));
    Path without = dir.resolve("b.conf");
    Files.writeString(without, "port 0");
    assertThatThrownBy(() -> load(List.of(without.toString(), "--foo", "bar baz")))
        .hasMessage(report(2, "foo \"bar baz\"", "Bad directive or wrong number of arguments"));
  }

  @Test
  void lineErrors() {
    assertThat(failure("maxmemory 1 2"))
        .isEqualTo(report(1, "maxmemory 1 2", "wrong number of arguments"));
    assertThat(failure("# c\n\n  port   abc  \r"))
        .isEqualTo(report(3, "port   abc", "argument couldn't be parsed into an integer"));
    assertThat(failure("port \"0"))
        .isEqualTo(report(1, "port \"0", "Unbalanced quotes in configuration line"));
    assertThat(failure("dir /nonexistent/x"))
        .isEqualTo(report(1, "dir /nonexistent/x", "No such file or directory"));
    assertThat(failure("activedefrag yes")).endsWith("distribution\n");
    assertThat(failure("list-max-ziplist-entries 1 2"))
        .isEqualTo(
            report(
                1, "list-max-ziplist-entries 1 2", "Bad directive or wrong number of arguments"));
    assertThat(failure("sentinel monitor x"))
        .isEqualTo(
            report(1, "sentinel monitor x", "sentinel directive while not in sentinel mode"));
    assertThat(failure("foo.bar"))
        .isEqualTo(report(1, "foo.bar", "Module config specified without value"));
    assertThat(failure("include"))
        .isEqualTo(report(1, "include", "Bad directive or wrong number of arguments"));
  }

  @Test
  void checksAfterLoading() {
    assertThat(failure("logfile /nonexistent/dir/log"))
        .isEqualTo(HEADER + "Can't open the log file: No such file or directory\n");
    ConfigLoader other = new ConfigLoader(new Config(), d -> {});
    assertThatThrownBy(() -> other.loadString("cluster-enabled yes\nreplicaof 127.0.0.1 6380"))
        .hasMessage(HEADER + "replicaof directive not allowed in cluster mode\n");
  }

  @Test
  void acceptedOddities() throws Exception {
    loader.loadString(
        String.join(
            "\n",
            "list-max-ziplist-entries 5",
            "lua-replicate-commands yes",
            "sentinel",
            "foo.bar baz qux",
            "SLAVEOF 127.0.0.1 6380",
            "Hash-Max-Ziplist-Entries 7",
            "hz 1000",
            "repl-backlog-size 1",
            "bind \"127.0.0.1 ::1\""));
    assertThat(loader.moduleConfigs()).containsEntry("foo.bar", "baz qux");
    assertThat(config.format(ConfigParams.REPLICAOF)).isEqualTo("127.0.0.1 6380");
    assertThat(config.getLong(ConfigParams.HASH_MAX_LISTPACK_ENTRIES)).isEqualTo(7);
    assertThat(config.getLong(ConfigParams.HZ)).isEqualTo(500);
    assertThat(config.getLong(ConfigParams.REPL_BACKLOG_SIZE)).isEqualTo(1);
    assertThat(config.bindAddresses()).containsExactly("127.0.0.1", "::1");
  }

  @Test
  void saveLinesReplaceTheDefaultsThenAccumulate() throws Exception {
    loader.loadString("save 100 1\nsave \"200 2\"\n");
    assertThat(config.savePoints()).containsExactly(new SavePoint(100, 1), new SavePoint(200, 2));
    loader.loadString("save 5 5");
    assertThat(config.format(ConfigParams.SAVE)).isEqualTo("100 1 200 2 5 5");
    loader.loadString("save \"\"\nsave 7 7");
    assertThat(config.format(ConfigParams.SAVE)).isEqualTo("7 7");
  }

  @Test
  void saveAfterAnIncludeReplaces() throws Exception {
    Path empty = dir.resolve("empty.conf");
    Files.writeString(empty, "");
    // Redis clears its "reading a file" flag at the end of the included file.
    loader.loadString("save 100 1\ninclude " + empty + "\nsave 200 2\n");
    assertThat(config.format(ConfigParams.SAVE)).isEqualTo("200 2");
  }

  @Test
  void fileOptionsAccumulateSaveToo() throws Exception {
    Path f = dir.resolve("s.conf");
    Files.writeString(f, "save 100 1\n");
    load(List.of(f.toString(), "--save", "5 5"));
    assertThat(config.format(ConfigParams.SAVE)).isEqualTo("100 1 5 5");
  }

  @Test
  void includeReportsTheIncludedFilesLines() throws Exception {
    Path inc = dir.resolve("inc.conf");
    Files.writeString(inc, "# included\nmaxmemory lots\n");
    assertThat(failure("port 0\ninclude " + inc))
        .isEqualTo(report(2, "maxmemory lots", "argument must be a memory value"));
    Files.writeString(dir.resolve("x1.conf"), "hz 11\n");
    Files.writeString(dir.resolve("x2.conf"), "hz 12\n");
    loader.loadString(
        "include " + dir.resolve("x*.conf") + "\ninclude " + dir.resolve("none*.conf"));
    assertThat(config.getLong(ConfigParams.HZ)).isEqualTo(12);
    // Relative names are relative to the dir set so far, as Redis has chdir'ed there.
    loader.loadString("dir " + dir + "\ninclude x1.conf");
    assertThat(config.getLong(ConfigParams.HZ)).isEqualTo(11);
    loader.loadString("include x?.conf");
    assertThat(config.getLong(ConfigParams.HZ)).isEqualTo(12);
    assertThatThrownBy(() -> loader.loadString("include nope.conf"))
        .hasMessage("Fatal error, can't open config file 'nope.conf': No such file or directory");
  }

  @Test
  void missingFilesAreOpenFailures() {
    Path missing = dir.resolve("missing.conf");
    assertThatThrownBy(() -> load(List.of(missing.toString())))
        .isInstanceOfSatisfying(
            ConfigLoader.ConfigFileException.class, e -> assertThat(e.isOpenFailure()).isTrue())
        .hasMessage(
            "Fatal error, can't open config file '" + missing + "': No such file or directory");
  }

  @Test
  void renameCommandChecksTheCommandTable() {
    loader.commandNames(List.of("get", "set", "flushall"));
    assertThat(failure("rename-command nosuch x"))
        .isEqualTo(report(1, "rename-command nosuch x", "No such command in rename-command"));
    assertThat(failure("rename-command GET set"))
        .isEqualTo(report(1, "rename-command GET set", "Target command name already exists"));
  }

  @Test
  void renameCommandChainsAndRecords() throws Exception {
    loader.commandNames(List.of("get", "flushall"));
    loader.loadString("rename-command flushall \"\"\nrename-command get g2\nrename-command g2 g3");
    assertThat(loader.renames()).hasSize(3);
    assertThat(loader.renames().get(0)).containsExactly("flushall", "");
  }

  @Test
  void notImplementedDirectivesAreReportedOnceWhenNotDefault() throws Exception {
    loader.loadString("io-threads 1\ntls-port 0\nio-threads 4\nio-threads 2\nsyslog-enabled yes");
    assertThat(notImplemented).containsExactly("io-threads", "syslog-enabled");
  }

  @Test
  void optionsFromArgsAsRedisMain() {
    assertThat(ConfigLoader.optionsFromArgs(List.of("--port", "6380"))).isEqualTo("port \"6380\" ");
    assertThat(ConfigLoader.optionsFromArgs(List.of("--port 6380"))).isEqualTo("port 6380 ");
    assertThat(ConfigLoader.optionsFromArgs(List.of("--port 6380", "--hz", "5")))
        .isEqualTo("port 6380 \nhz \"5\" ");
    assertThat(ConfigLoader.optionsFromArgs(List.of("--save"))).isEqualTo("save \"\"");
    assertThat(ConfigLoader.optionsFromArgs(List.of("--save", "--port", "1")))
        .isEqualTo("save \"\"\nport \"1\" ");
    assertThat(ConfigLoader.optionsFromArgs(List.of("--SAVE", "", "--port", "1")))
        .isEqualTo("SAVE \"\" \nport \"1\" ");
    assertThat(ConfigLoader.optionsFromArgs(List.of("--bind", "a", "b")))
        .isEqualTo("bind \"a\" \"b\" ");
    assertThat(ConfigLoader.optionsFromArgs(List.of("--port", "--hz"))).isEqualTo("port \"--hz\" ");
    assertThat(ConfigLoader.optionsFromArgs(List.of("--sentinel", "--port", "1")))
        .isEqualTo("sentinel \nport \"1\" ");
    assertThat(ConfigLoader.optionsFromArgs(List.of("--logfile", "\u00e9\"\\\n")))
        .isEqualTo("logfile \"\\xc3\\xa9\\\"\\\\\\n\" ");
  }

  @Test
  void commandLineSplit() {
    assertThat(ConfigLoader.parseCommandLine(List.of("a.conf", "--port", "1", "-")))
        .isEqualTo(new ConfigLoader.CommandLine("a.conf", true, "port \"1\" "));
    assertThat(ConfigLoader.parseCommandLine(List.of("-", "--port", "1")))
        .isEqualTo(new ConfigLoader.CommandLine(null, true, "port \"1\" "));
    assertThat(ConfigLoader.parseCommandLine(List.of("--port", "-", "--hz", "1")))
        .isEqualTo(new ConfigLoader.CommandLine(null, false, "port \"-\" \nhz \"1\" "));
    assertThat(ConfigLoader.parseCommandLine(List.of()))
        .isEqualTo(new ConfigLoader.CommandLine(null, false, ""));
  }

  @Test
  void configFileNamesAreMadeAbsoluteAsRedisDoes() throws Exception {
    String cwd = Path.of("").toAbsolutePath().toRealPath().toString();
    String parent = Path.of(cwd).getParent().toString();
    assertThat(ConfigLoader.absolutePath("/a/../b.conf")).isEqualTo("/a/../b.conf");
    assertThat(ConfigLoader.absolutePath(" x.conf\n")).isEqualTo(cwd + "/x.conf");
    assertThat(ConfigLoader.absolutePath("../x.conf"))
        .isEqualTo((parent.equals("/") ? "" : parent) + "/x.conf");
  }

  @Test
  void valuesKeepTheirBytes() throws Exception {
    byte[] line = "masterauth \"\\xff\\x00a\"".getBytes(StandardCharsets.ISO_8859_1);
    loader.loadString(new String(line, StandardCharsets.ISO_8859_1));
    assertThat(config.getString(ConfigParams.MASTERAUTH)).isEqualTo("\u00ff\u0000a");
  }
}
