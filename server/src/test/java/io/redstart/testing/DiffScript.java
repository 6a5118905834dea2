package io.redstart.testing;

import io.redstart.resp.SplitArgs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A differential script: one command per line in inline syntax, quoted as redis-cli and the inline
 * protocol quote ({@link SplitArgs}). The syntax (documented for script writers in the README
 * beside the scripts):
 *
 * <ul>
 *   <li>blank lines and lines starting with {@code #} are skipped;
 *   <li>header lines {@code #requires CMD ...} (skip the script until Redstart has these commands)
 *       and {@code #protocol 2} (run in RESP2 only; by default a script runs in RESP2 and RESP3);
 *   <li>a command may end with {@code #~ directive ...}: normalisation rules of {@link Normalizer},
 *       or {@code noreply} (no reply is read), {@code closes} (both servers must close the
 *       connection after the reply; the runner reconnects), {@code inline} (the line is sent as
 *       typed, as an inline command, instead of as a RESP multibulk).
 * </ul>
 */
public record DiffScript(
    String name, List<String> requires, List<Integer> protocols, List<Line> lines) {
  /** Directives the runner acts on (the others are {@link Normalizer} rules). */
  public static final Set<String> RUNNER_DIRECTIVES = Set.of("noreply", "closes", "inline");

  /** One command of a script. */
  public record Line(int number, String text, byte[][] argv, List<String> directives) {
    public boolean has(String directive) {
      return directives.contains(directive);
    }

    /** The line as an inline command: its text and CR LF. */
    public byte[] inlineBytes() {
      return (text + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return number + ": " + text;
    }
  }

  /** Loads a script from the class path ({@code differential/strings.redis}). */
  public static DiffScript load(String resource) throws IOException {
    try (InputStream in = DiffScript.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IOException("no such resource: " + resource);
      String name = resource.substring(resource.lastIndexOf('/') + 1);
      return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /**
   * Parses a script.
   *
   * @throws IllegalArgumentException naming the line, for unbalanced quotes outside {@code inline}
   *     lines and for unknown directives
   */
  public static DiffScript parse(String name, String content) {
    List<String> requires = new ArrayList<>();
    List<Integer> protocols = new ArrayList<>(List.of(2, 3));
    List<Line> lines = new ArrayList<>();
    String[] raw = content.split("\n", -1);
    for (int i = 0; i < raw.length; i++) {
      int number = i + 1;
      String line = raw[i].endsWith("\r") ? raw[i].substring(0, raw[i].length() - 1) : raw[i];
      String trimmed = line.strip();
      if (trimmed.isEmpty()) continue;
      if (trimmed.startsWith("#")) {
        if (trimmed.startsWith("#requires ")) {
          requires.addAll(words(trimmed.substring("#requires ".length())));
        } else if (trimmed.startsWith("#protocol ")) {
          protocols.clear();
          for (String w : words(trimmed.substring("#protocol ".length()))) {
            if (!w.equals("2") && !w.equals("3"))
              throw error(name, number, "#protocol takes 2 and/or 3");
            protocols.add(Integer.parseInt(w));
          }
        }
        continue;
      }
      int marker = directiveMarker(line);
      String command = (marker < 0 ? line : line.substring(0, marker)).strip();
      List<String> directives = marker < 0 ? List.of() : words(line.substring(marker + 2));
      for (String d : directives) {
        if (!RUNNER_DIRECTIVES.contains(d) && !Normalizer.isRule(d)) {
          throw error(name, number, "unknown directive '" + d + "'");
        }
      }
      byte[][] argv = SplitArgs.split(command.getBytes(StandardCharsets.UTF_8));
      if (argv == null) {
        if (!directives.contains("inline")) {
          throw error(name, number, "unbalanced quotes (use #~ inline to send it as it is)");
        }
        argv = new byte[0][];
      }
      if (argv.length == 0 && !directives.contains("inline")) {
        throw error(name, number, "no command");
      }
      lines.add(new Line(number, command, argv, directives));
    }
    return new DiffScript(name, List.copyOf(requires), List.copyOf(protocols), List.copyOf(lines));
  }

  /**
   * Where the directives start: the last {@code #~} at the start of the line or after a blank, or
   * -1. Searching from the end keeps lines with unbalanced quotes (sent on purpose with {@code
   * inline}) readable; an argument that must contain {@code " #~"} can spell the {@code #} as
   * {@code \x23} inside double quotes.
   */
  static int directiveMarker(String line) {
    for (int i = line.lastIndexOf("#~"); i >= 0; i = i == 0 ? -1 : line.lastIndexOf("#~", i - 1)) {
      if (i == 0 || Character.isWhitespace(line.charAt(i - 1))) return i;
    }
    return -1;
  }

  private static List<String> words(String s) {
    String t = s.strip();
    return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
  }

  private static IllegalArgumentException error(String name, int line, String message) {
    return new IllegalArgumentException(name + ":" + line + ": " + message);
  }
}
