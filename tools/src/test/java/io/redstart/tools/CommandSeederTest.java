package io.redstart.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.command.CommandDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandSeederTest {
  @TempDir Path dir;

  private static CommandDefinition def(String name, List<String> flags, String handler) {
    return new CommandDefinition(
        name,
        null,
        -2,
        flags,
        List.of("slow"),
        0,
        0,
        0,
        List.of(),
        List.of(),
        Map.of("summary", "s", "group", "server"),
        handler);
  }

  @Test
  void rewritingKeepsHandlersAndInternalFlags() throws Exception {
    Map<String, CommandDefinition> first = new TreeMap<>();
    first.put("ping", def("ping", List.of("fast"), null));
    first.put("publish", def("publish", List.of("pubsub"), null));
    CommandSeeder.write(dir, first, Set.of("ping"));
    String ping = Files.readString(dir.resolve("ping.json"));
    assertThat(ping).contains("\"flags\": [\"fast\", \"sentinel\"]");
    // may_replicate comes from the table of Redis's hidden flags.
    assertThat(Files.readString(dir.resolve("publish.json")))
        .contains("\"flags\": [\"pubsub\", \"may_replicate\"]");

    // A handler added by hand, and a flag COMMAND INFO hides, survive a new seeding.
    Files.writeString(
        dir.resolve("ping.json"),
        ping.replace("\n}\n", ",\n  \"handler\": \"connection.ConnectionCommands::ping\"\n}\n")
            .replace("\"sentinel\"]", "\"sentinel\", \"protected\"]"));
    CommandSeeder.Result r = CommandSeeder.write(dir, first, null);
    assertThat(r.written()).isZero();
    CommandDefinition kept = CommandSeeder.readDir(dir).get("ping");
    assertThat(kept.handler()).isEqualTo("connection.ConnectionCommands::ping");
    assertThat(kept.flags()).containsExactly("fast", "sentinel", "protected");

    // With a Sentinel to ask, its answer replaces the sentinel flags; nothing is deleted.
    Map<String, CommandDefinition> second =
        new TreeMap<>(Map.of("ping", def("ping", List.of("fast", "stale"), null)));
    r = CommandSeeder.write(dir, second, Set.of());
    assertThat(r.written()).isEqualTo(1);
    assertThat(r.stale()).containsExactly("publish");
    kept = CommandSeeder.readDir(dir).get("ping");
    assertThat(kept.flags()).containsExactly("fast", "stale", "protected");
    assertThat(kept.handler()).isEqualTo("connection.ConnectionCommands::ping");
  }

  /**
   * Seeding from a reference server (and a Sentinel) over a copy of the committed files changes
   * none of them: they are exactly what the seeder makes of Redis 7.0.15, plus the handlers.
   */
  @Test
  void committedFilesAreWhatTheReferenceSays() throws Exception {
    Path committed =
        CommandTableFreshnessTest.repositoryRoot().resolve(CommandTableGenerator.COMMANDS_DIR);
    try (Stream<Path> files = Files.list(committed)) {
      for (Path p : files.toList()) Files.copy(p, dir.resolve(p.getFileName()));
    }
    CommandSeeder.Seeded seeded;
    try (ReferenceServer redis = ReferenceServer.start(false);
        ReferenceServer sentinel = ReferenceServer.start(true)) {
      seeded = CommandSeeder.fetchAll("127.0.0.1", redis.port(), sentinel.port());
    }
    assertThat(seeded.commands()).hasSizeGreaterThan(380);
    CommandSeeder.Result r = CommandSeeder.write(dir, seeded.commands(), seeded.sentinelNames());
    assertThat(r.stale()).isEmpty();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        assertThat(Files.readString(p, StandardCharsets.UTF_8))
            .as(p.getFileName().toString())
            .isEqualTo(
                Files.readString(committed.resolve(p.getFileName()), StandardCharsets.UTF_8));
      }
    }
    assertThat(r.written()).isZero();
  }
}
