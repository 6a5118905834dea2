package io.redstart.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.testing.Bytes;
import io.redstart.testing.DifferentialRunner;
import io.redstart.testing.RawClient;
import io.redstart.testing.Reply;
import io.redstart.testing.ServerPair;
import io.redstart.testing.ServerPairExtension;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Thousands of random commands, the same on a reference redis-server and on Redstart, replies
 * compared after the default normalisation rules (and by property for RANDOMKEY and SCAN).
 *
 * <p>System properties:
 *
 * <ul>
 *   <li>{@code redstart.diff.seed}: replay a run (the seed is printed and in the failure message);
 *   <li>{@code redstart.diff.commands}: how many commands (default 5000);
 *   <li>{@code redstart.diff.only}: comma-separated commands to draw from, instead of every
 *       registered command that Redstart's COMMAND LIST reports (or, while Redstart has no COMMAND
 *       LIST, every command of the string, generic, connection and server groups);
 *   <li>{@code redstart.diff.exclude}: commands never to draw;
 *   <li>{@code redstart.diff.maxMismatches}: stop after this many (default 20).
 * </ul>
 *
 * <p>After a mismatch both servers are emptied (FLUSHALL on fresh connections) so that the run goes
 * on from equal states; the first mismatch is reported with the commands before it.
 */
@ExtendWith(ServerPairExtension.class)
class DifferentialRandomTest {
  private static final int HISTORY = 15;

  @Test
  void randomCommandsGetTheSameReplies(ServerPair pair) throws IOException {
    long seed = Long.getLong("redstart.diff.seed", new SecureRandom().nextLong());
    int count = Integer.getInteger("redstart.diff.commands", 5000);
    String report = run(pair, seed, count, Integer.getInteger("redstart.diff.maxMismatches", 20));
    assertThat(report).withFailMessage(() -> report).isNull();
  }

  /**
   * Draws {@code count} commands with {@code seed} and runs them on both servers of the pair.
   *
   * @return the failure report, or null when every reply matched
   */
  static String run(ServerPair pair, long seed, int count, int maxMismatches) throws IOException {
    RandomCommands registry = RandomCommands.standard();
    List<RandomCommands.Command> enabled = enabled(pair, registry);
    assertThat(enabled).as("commands to draw").isNotEmpty();
    String run =
        "seed="
            + seed
            + " (replay with -Dredstart.diff.seed="
            + seed
            + "), "
            + count
            + " commands drawn from "
            + enabled.stream().map(RandomCommands.Command::name).toList();
    System.out.println("DifferentialRandomTest " + run);

    Gen g = new Gen(seed);
    int totalWeight = enabled.stream().mapToInt(RandomCommands.Command::weight).sum();
    Deque<String> history = new ArrayDeque<>();
    List<String> firstHistory = null;
    Map<String, Integer> perCommand = new TreeMap<>();
    String stoppedBecause = null;
    List<DifferentialRunner.Mismatch> mismatches;
    try (DifferentialRunner runner = new DifferentialRunner(pair).open(2)) {
      int seen = runner.mismatches().size();
      if (seen > 0) perCommand.merge("(setup)", seen, Integer::sum);
      for (int step = 0; step < count; step++) {
        RandomCommands.Command c = draw(g, enabled, totalWeight);
        List<String> args = c.generator().generate(g);
        if (c.mangle()) args = mangle(g, args);
        byte[][] argv = Gen.argv(args);
        history.addLast(step + ": " + Bytes.commandLine(argv));
        if (history.size() > HISTORY) history.removeFirst();
        c.check().run(runner, "seed " + seed + " step " + step, argv);
        if (runner.mismatches().size() > seen) {
          perCommand.merge(c.name(), runner.mismatches().size() - seen, Integer::sum);
          if (firstHistory == null) firstHistory = List.copyOf(history);
          seen = runner.mismatches().size();
          if (seen >= maxMismatches) {
            stoppedBecause = "stopped after " + seen + " mismatches at step " + step;
            break;
          }
          if (!resync(runner)) {
            stoppedBecause =
                "stopped at step "
                    + step
                    + ": FLUSHALL on Redstart fails, states cannot be made equal again";
            break;
          }
          history.clear();
        }
      }
      mismatches = List.copyOf(runner.mismatches());
    }
    if (mismatches.isEmpty()) return null;
    StringBuilder report = new StringBuilder("DifferentialRandomTest ").append(run).append('\n');
    if (stoppedBecause != null) report.append(stoppedBecause).append('\n');
    report.append("mismatches per command: ").append(perCommand).append('\n');
    if (firstHistory != null) {
      report.append("commands before the first mismatch (after the last FLUSHALL):\n");
      for (String h : firstHistory) report.append("    ").append(h).append('\n');
    }
    for (DifferentialRunner.Mismatch m : mismatches)
      report.append("  ").append(m.describe()).append('\n');
    return report.toString();
  }

  private static RandomCommands.Command draw(
      Gen g, List<RandomCommands.Command> enabled, int totalWeight) {
    int x = g.between(0, totalWeight - 1);
    for (RandomCommands.Command c : enabled) {
      x -= c.weight();
      if (x < 0) return c;
    }
    return enabled.getLast();
  }

  /** Now and then a call loses its last argument or gains one: arity and syntax errors. */
  private static List<String> mangle(Gen g, List<String> args) {
    if (args.size() > 1 && g.chance(3)) return args.subList(0, args.size() - 1);
    if (g.chance(2)) {
      List<String> more = new ArrayList<>(args);
      more.add(g.value());
      return more;
    }
    return args;
  }

  /** Empties both servers on fresh connections; false when Redstart cannot do it. */
  private static boolean resync(DifferentialRunner runner) throws IOException {
    runner.reconnect();
    runner.onReference(Bytes.argv("FLUSHALL"));
    byte[] got = runner.onRedstart(Bytes.argv("FLUSHALL"));
    return got != null && Bytes.latin1(got).equals("+OK\r\n");
  }

  /** The commands to draw from (see the class comment). */
  static List<RandomCommands.Command> enabled(ServerPair pair, RandomCommands registry)
      throws IOException {
    Set<String> names = new HashSet<>();
    String only = System.getProperty("redstart.diff.only", "");
    if (!only.isBlank()) {
      names.addAll(words(only));
    } else {
      Set<String> redstart = commandList(pair);
      if (redstart != null) {
        names.addAll(redstart);
      } else {
        for (RandomCommands.Command c : registry.all()) {
          if (RandomCommands.DEFAULT_GROUPS.contains(c.group())) names.add(c.name());
        }
      }
    }
    names.removeAll(words(System.getProperty("redstart.diff.exclude", "")));
    List<RandomCommands.Command> out = new ArrayList<>();
    for (String n : registry.registered(names)) out.add(registry.get(n));
    return out;
  }

  private static List<String> words(String csv) {
    List<String> out = new ArrayList<>();
    for (String w : csv.split(",")) if (!w.isBlank()) out.add(w.strip().toLowerCase(Locale.ROOT));
    return out;
  }

  /** Redstart's COMMAND LIST in lower case, or null when it does not answer with one. */
  private static Set<String> commandList(ServerPair pair) throws IOException {
    try (RawClient c = pair.connectRedstart()) {
      Reply reply = Reply.parse(c.call("COMMAND", "LIST"));
      if (reply.children() == null) return null;
      Set<String> names = new HashSet<>();
      for (Reply r : reply.children()) names.add(r.text().toLowerCase(Locale.ROOT));
      return names;
    }
  }

  @Test
  void generatorsAreDeterministicForASeed() {
    RandomCommands registry = RandomCommands.standard();
    List<String> first = sample(registry, 42);
    List<String> second = sample(registry, 42);
    assertThat(first).isEqualTo(second).hasSize(200);
    assertThat(sample(registry, 43)).isNotEqualTo(first);
  }

  private static List<String> sample(RandomCommands registry, long seed) {
    Gen g = new Gen(seed);
    List<RandomCommands.Command> all = new ArrayList<>(registry.all());
    int total = all.stream().mapToInt(RandomCommands.Command::weight).sum();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      RandomCommands.Command c = draw(g, all, total);
      out.add(Arrays.toString(c.generator().generate(g).toArray()));
    }
    return out;
  }
}
