package io.redstart.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.testing.DiffScript;
import io.redstart.testing.DifferentialRunner;
import io.redstart.testing.RawClient;
import io.redstart.testing.Reply;
import io.redstart.testing.ServerPair;
import io.redstart.testing.ServerPairExtension;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every script under {@code src/test/resources/differential} against a reference redis-server
 * and Redstart, in RESP2 and in RESP3 (unless the script says {@code #protocol}), each run on fresh
 * connections after FLUSHALL, and fails with the list of differing replies.
 *
 * <p>{@code -Dredstart.diff.scripts=strings,expire} runs only the scripts whose names start with
 * those words. A script whose {@code #requires} commands Redstart does not know yet (by COMMAND
 * INFO) is skipped, unless {@code -Dredstart.diff.force=true}.
 */
@ExtendWith(ServerPairExtension.class)
class DifferentialScriptTest {
  static Stream<Arguments> scripts() throws IOException, URISyntaxException {
    URL dir = DifferentialScriptTest.class.getClassLoader().getResource("differential");
    assertThat(dir).as("differential scripts on the class path").isNotNull();
    String only = System.getProperty("redstart.diff.scripts", "");
    List<String> prefixes = only.isBlank() ? List.of() : Arrays.asList(only.split(","));
    List<Arguments> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      for (Path p : files.sorted().toList()) {
        String name = p.getFileName().toString();
        if (!name.endsWith(".redis")) continue;
        if (!prefixes.isEmpty() && prefixes.stream().noneMatch(name::startsWith)) continue;
        DiffScript script = DiffScript.load("differential/" + name);
        for (int protocol : script.protocols()) out.add(Arguments.of(name, protocol));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} RESP{1}")
  @MethodSource("scripts")
  void script(String name, int protocol, ServerPair pair) throws IOException {
    DiffScript script = DiffScript.load("differential/" + name);
    List<String> missing = missingCommands(pair, script.requires());
    Assumptions.assumeTrue(
        missing.isEmpty() || Boolean.getBoolean("redstart.diff.force"),
        () -> name + " needs commands Redstart does not have yet: " + missing);
    String report = run(pair, script, protocol);
    assertThat(report).withFailMessage(() -> report).isNull();
  }

  /** Runs a script on fresh connections; returns the failure report, or null. */
  static String run(ServerPair pair, DiffScript script, int protocol) throws IOException {
    try (DifferentialRunner runner = new DifferentialRunner(pair).open(protocol)) {
      for (DiffScript.Line line : script.lines()) {
        runner.run(line, script.name() + ":" + line.number() + " (RESP" + protocol + ")");
      }
      return runner.report(script.name() + " in RESP" + protocol, 200);
    }
  }

  /** The commands of {@code required} that Redstart's COMMAND INFO does not describe. */
  static List<String> missingCommands(ServerPair pair, List<String> required) throws IOException {
    if (required.isEmpty()) return List.of();
    List<String> missing = new ArrayList<>();
    Set<String> known = knownCommands(pair, required);
    for (String cmd : required) if (!known.contains(cmd)) missing.add(cmd);
    return missing;
  }

  private static Set<String> knownCommands(ServerPair pair, List<String> names) throws IOException {
    try (RawClient c = pair.connectRedstart()) {
      String[] argv = new String[names.size() + 2];
      argv[0] = "COMMAND";
      argv[1] = "INFO";
      for (int i = 0; i < names.size(); i++) argv[i + 2] = names.get(i);
      Reply reply = Reply.parse(c.call(argv));
      if (reply.children() == null) return Set.of();
      List<String> known = new ArrayList<>();
      for (int i = 0; i < names.size() && i < reply.children().size(); i++) {
        if (reply.children().get(i).children() != null) known.add(names.get(i));
      }
      return Set.copyOf(known);
    } catch (RuntimeException e) {
      throw new IOException("cannot read COMMAND INFO from Redstart: " + e, e);
    }
  }
}
