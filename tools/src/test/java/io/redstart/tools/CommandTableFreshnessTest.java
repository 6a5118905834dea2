package io.redstart.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fails when the committed CommandTable.java or docs/compatibility.md is not what the generator
 * makes of the committed command files: someone edited a JSON file (or a generated file) without
 * running {@code tools/generate-commands}.
 */
class CommandTableFreshnessTest {

  /** The repository root: the nearest directory up from here that holds the command files. */
  static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.isDirectory(p.resolve(CommandTableGenerator.COMMANDS_DIR))) return p;
      p = p.getParent();
    }
    throw new IllegalStateException(
        "no " + CommandTableGenerator.COMMANDS_DIR + " above " + Path.of("").toAbsolutePath());
  }

  @Test
  void generatedFilesAreFresh() throws Exception {
    Path root = repositoryRoot();
    StringBuilder stale = new StringBuilder();
    for (Map.Entry<Path, String> e : CommandTableGenerator.generate(root).entrySet()) {
      Path file = root.resolve(e.getKey());
      String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
      if (e.getValue().equals(committed)) continue;
      stale
          .append("\n")
          .append(e.getKey())
          .append(": ")
          .append(firstDifference(committed, e.getValue()));
    }
    if (!stale.isEmpty()) {
      fail("generated files are stale; run tools/generate-commands and commit the result." + stale);
    }
  }

  /** Where two texts first differ, as a line number and both lines. */
  static String firstDifference(String committed, String generated) {
    if (committed == null) return "missing";
    String[] a = committed.split("\n", -1);
    String[] b = generated.split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < a.length ? a[i] : "(end of file)";
      String y = i < b.length ? b[i] : "(end of file)";
      if (!x.equals(y)) {
        return "line " + (i + 1) + "\n  committed: " + x + "\n  generated: " + y;
      }
    }
    return "differs";
  }

  @Test
  void differenceHintNamesTheFirstDifferingLine() {
    assertThat(firstDifference("a\nb\nc\n", "a\nB\nc\n"))
        .isEqualTo("line 2\n  committed: b\n  generated: B");
    assertThat(firstDifference("a", "a\nb")).contains("committed: (end of file)");
    assertThat(firstDifference(null, "x")).isEqualTo("missing");
  }
}
