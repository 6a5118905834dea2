package io.redstart.tools;

import io.redstart.command.AclCategories;
import io.redstart.command.CommandDefinition;
import io.redstart.command.CommandFlags;
import io.redstart.command.KeySpec;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Writes the generated files of the command table from the JSON files under {@code
 * server/src/main/resources/commands/}:
 *
 * <ul>
 *   <li>{@code server/src/main/java/io/redstart/command/CommandTable.java}: the implemented
 *       commands (those whose file names a {@code handler}) and the containers of implemented
 *       subcommands, as {@code CommandSpec} constructor calls with flags and ACL categories as
 *       OR'ed constants, key specs as {@code KeySpec} constructor calls and handlers as method
 *       references, so that a handler named in JSON but missing in code fails compilation;
 *   <li>{@code docs/compatibility.md}: every Redis 7.0 command and subcommand by docs group,
 *       implemented or not, with counts.
 * </ul>
 *
 * <p>Output depends only on the JSON files: commands sorted by name, no dates. {@code
 * CommandTableFreshnessTest} regenerates in memory and compares with the committed files.
 *
 * <pre>
 * CommandTableGenerator [--root &lt;repository root&gt;]     (default: the current directory)
 * </pre>
 */
public final class CommandTableGenerator {
  private CommandTableGenerator() {}

  /** Where the command files live, relative to the repository root. */
  public static final Path COMMANDS_DIR = Path.of("server/src/main/resources/commands");

  /** The generated table, relative to the repository root. */
  public static final Path TABLE_FILE =
      Path.of("server/src/main/java/io/redstart/command/CommandTable.java");

  /** The generated compatibility page, relative to the repository root. */
  public static final Path COMPATIBILITY_FILE = Path.of("docs/compatibility.md");

  private static final Pattern HANDLER =
      Pattern.compile(
          "([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)*)\\.([A-Z][A-Za-z0-9_]*)::([a-z][A-Za-z0-9_]*)");

  private static final int WIDTH = 100;

  public static void main(String[] args) throws IOException {
    Path root = Path.of(".");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--root") && i + 1 < args.length) {
        root = Path.of(args[++i]);
      } else {
        System.err.println("usage: CommandTableGenerator [--root <repository root>]");
        System.exit(2);
      }
    }
    Map<Path, String> files = generate(root);
    for (Map.Entry<Path, String> e : files.entrySet()) {
      Path target = root.resolve(e.getKey());
      if (Files.exists(target)
          && Files.readString(target, StandardCharsets.UTF_8).equals(e.getValue())) {
        System.out.println("unchanged: " + e.getKey());
        continue;
      }
      Files.createDirectories(target.getParent());
      Files.writeString(target, e.getValue(), StandardCharsets.UTF_8);
      System.out.println("written: " + e.getKey());
    }
  }

  /** The generated files (relative path to content) for the command files under {@code root}. */
  public static Map<Path, String> generate(Path root) throws IOException {
    Map<String, CommandDefinition> defs = CommandSeeder.readDir(root.resolve(COMMANDS_DIR));
    if (defs.isEmpty()) throw new IOException("no command files in " + root.resolve(COMMANDS_DIR));
    Map<Path, String> out = new LinkedHashMap<>();
    out.put(TABLE_FILE, tableSource(defs));
    out.put(COMPATIBILITY_FILE, compatibility(defs));
    return out;
  }

  // ---- the model: top-level commands with their subcommands

  /** A top-level command and its subcommands, both sorted by name. */
  record Entry(CommandDefinition def, List<CommandDefinition> subs) {
    boolean inTable() {
      return def.handler() != null || subs.stream().anyMatch(s -> s.handler() != null);
    }

    long implementedSubs() {
      return subs.stream().filter(s -> s.handler() != null).count();
    }
  }

  /** Top-level commands by name, each with its subcommands; checks that containers exist. */
  static Map<String, Entry> entries(Map<String, CommandDefinition> defs) {
    Map<String, List<CommandDefinition>> subs = new TreeMap<>();
    for (CommandDefinition d : defs.values()) {
      if (d.container() != null) subs.computeIfAbsent(d.container(), k -> new ArrayList<>()).add(d);
    }
    Map<String, Entry> out = new TreeMap<>();
    for (CommandDefinition d : defs.values()) {
      if (d.container() != null) continue;
      List<CommandDefinition> s = subs.getOrDefault(d.name(), List.of());
      out.put(d.name(), new Entry(d, s));
    }
    for (String container : subs.keySet()) {
      if (!out.containsKey(container)) {
        throw new IllegalStateException(
            "subcommands of " + container + " but no " + container + ".json");
      }
    }
    return out;
  }

  // ---- CommandTable.java

  static String tableSource(Map<String, CommandDefinition> defs) {
    Map<String, Entry> entries = entries(defs);
    List<Entry> table = new ArrayList<>();
    for (Entry e : entries.values()) if (e.inTable()) table.add(e);

    // Handler classes: imported by simple name unless two packages share one.
    Map<String, Set<String>> packagesBySimpleName = new TreeMap<>();
    for (Entry e : table) {
      for (CommandDefinition d : withSubs(e)) {
        if (d.handler() == null) continue;
        String[] h = parseHandler(d);
        packagesBySimpleName.computeIfAbsent(h[1], k -> new TreeSet<>()).add(h[0]);
      }
    }
    Set<String> imports = new TreeSet<>();
    for (Map.Entry<String, Set<String>> e : packagesBySimpleName.entrySet()) {
      if (e.getValue().size() == 1) {
        imports.add("io.redstart.command." + e.getValue().iterator().next() + "." + e.getKey());
      }
    }
    imports.add("java.util.LinkedHashMap");
    imports.add("java.util.Map");

    StringBuilder sb = new StringBuilder();
    sb.append(
        """
        // Generated by io.redstart.tools.CommandTableGenerator from
        // server/src/main/resources/commands/*.json. Do not edit: change the JSON files and
        // run tools/generate-commands (see docs/command-table.md).
        package io.redstart.command;

        """);
    for (String i : imports) sb.append("import ").append(i).append(";\n");
    sb.append(
        """

        /**
         * The implemented commands: each command file that names a handler, and the container of each
         * implemented subcommand (with the container's own handler, or null when it has none; such a
         * container's arity lets no call through without a subcommand). Generated.
         */
        public final class CommandTable {
          private CommandTable() {}

          /**
           * A new table on each call (specs carry per-server statistics): top-level commands by lower-case
           * name in name order, subcommands inside their container.
           */
          public static Map<String, CommandSpec> commands() {
            Map<String, CommandSpec> m = new LinkedHashMap<>();
        """);
    Map<String, String> methods = new HashMap<>();
    for (Entry e : table) {
      sb.append("    m.put(\"").append(e.def.name()).append("\", ");
      sb.append(methodName(e.def, methods)).append("());\n");
    }
    sb.append("    return m;\n");
    sb.append("  }\n");
    for (Entry e : table) {
      List<String> subCalls = new ArrayList<>();
      for (CommandDefinition s : e.subs) {
        if (s.handler() == null) continue;
        subCalls.add(methodName(s, methods) + "()");
      }
      appendSpecMethod(sb, e.def, subCalls, methods, packagesBySimpleName);
      for (CommandDefinition s : e.subs) {
        if (s.handler() == null) continue;
        appendSpecMethod(sb, s, List.of(), methods, packagesBySimpleName);
      }
    }
    sb.append("}\n");
    return sb.toString();
  }

  private static List<CommandDefinition> withSubs(Entry e) {
    List<CommandDefinition> all = new ArrayList<>();
    all.add(e.def);
    all.addAll(e.subs);
    return all;
  }

  private static void appendSpecMethod(
      StringBuilder sb,
      CommandDefinition d,
      List<String> subCalls,
      Map<String, String> methods,
      Map<String, Set<String>> packagesBySimpleName) {
    if (d.handler() == null && d.arity() > -2) {
      throw new IllegalStateException(
          d.fullName() + ": a container without a handler needs an arity of -2 or less");
    }
    List<String> args = new ArrayList<>();
    args.add(javaString(d.fullName()));
    args.add(Integer.toString(d.arity()));
    args.add(bits(flagConstants(d), "0"));
    args.add(bits(aclConstants(d), "0"));
    args.add(Integer.toString(d.firstKey()));
    args.add(Integer.toString(d.lastKey()));
    args.add(Integer.toString(d.keyStep()));
    if (d.keySpecs().isEmpty()) {
      args.add("new KeySpec[] {}");
    } else {
      StringBuilder ks = new StringBuilder("new KeySpec[] {\n");
      for (KeySpec k : d.keySpecs()) {
        ks.append(indent(keySpecSource(k), 10)).append(",\n");
      }
      ks.append("        }");
      args.add(ks.toString());
    }
    args.add(d.handler() == null ? "null" : handlerRef(d, packagesBySimpleName));
    args.addAll(subCalls);

    sb.append("\n  private static CommandSpec ").append(methodName(d, methods)).append("() {\n");
    // Laid out as google-java-format would: one line, else the arguments on the next, else one
    // argument a line.
    String joined = String.join(", ", args);
    if (joined.contains("\n") || 8 + joined.length() + 2 > WIDTH) {
      sb.append("    return new CommandSpec(\n");
      for (int i = 0; i < args.size(); i++) {
        sb.append("        ").append(args.get(i)).append(i + 1 < args.size() ? ",\n" : ");\n");
      }
    } else if ("    return new CommandSpec(".length() + joined.length() + 2 <= WIDTH) {
      sb.append("    return new CommandSpec(").append(joined).append(");\n");
    } else {
      sb.append("    return new CommandSpec(\n        ").append(joined).append(");\n");
    }
    sb.append("  }\n");
  }

  /** "config|get" to "configGetSpec"; checked unique. */
  private static String methodName(CommandDefinition d, Map<String, String> methods) {
    StringBuilder sb = new StringBuilder();
    boolean upper = false;
    for (char c : d.fullName().toCharArray()) {
      if (Character.isLetterOrDigit(c)) {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      } else {
        upper = true;
      }
    }
    String name = sb.append("Spec").toString();
    String prev = methods.putIfAbsent(name, d.fullName());
    if (prev != null && !prev.equals(d.fullName())) {
      throw new IllegalStateException(d.fullName() + " and " + prev + " both map to " + name);
    }
    return name;
  }

  /** {package, Class, method} of a handler, checked against the required form. */
  private static String[] parseHandler(CommandDefinition d) {
    var m = HANDLER.matcher(d.handler());
    if (!m.matches()) {
      throw new IllegalStateException(
          d.fullName() + ": handler \"" + d.handler() + "\" is not \"subpackage.Class::method\"");
    }
    return new String[] {m.group(1), m.group(2), m.group(3)};
  }

  private static String handlerRef(
      CommandDefinition d, Map<String, Set<String>> packagesBySimpleName) {
    String[] h = parseHandler(d);
    boolean imported = packagesBySimpleName.get(h[1]).size() == 1;
    String cls = imported ? h[1] : "io.redstart.command." + h[0] + "." + h[1];
    return cls + "::" + h[2];
  }

  private static List<String> flagConstants(CommandDefinition d) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<Long, String> e : constants(CommandFlags.class).entrySet()) {
      if ((d.flagBits() & e.getKey()) != 0) out.add("CommandFlags." + e.getValue());
    }
    return out;
  }

  private static List<String> aclConstants(CommandDefinition d) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<Long, String> e : constants(AclCategories.class).entrySet()) {
      if ((d.aclBits() & e.getKey()) != 0) out.add("AclCategories." + e.getValue());
    }
    return out;
  }

  /** The single-bit public static long constants of {@code cls}, by bit, in bit order. */
  private static Map<Long, String> constants(Class<?> cls) {
    Map<Long, String> out = new TreeMap<>();
    for (Field f : cls.getFields()) {
      if (f.getType() != long.class || !Modifier.isStatic(f.getModifiers())) continue;
      try {
        long v = f.getLong(null);
        if (Long.bitCount(v) == 1 && out.putIfAbsent(v, f.getName()) != null) {
          throw new IllegalStateException(cls.getSimpleName() + ": two constants for bit " + v);
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  /** Constants OR'ed, wrapped to stay within the line width (continuation lines indented). */
  private static String bits(List<String> names, String none) {
    if (names.isEmpty()) return none;
    String oneLine = String.join(" | ", names);
    if (8 + oneLine.length() + 1 <= WIDTH) return oneLine;
    // As google-java-format breaks a long chain: one operand a line.
    return String.join("\n            | ", names);
  }

  /**
   * A KeySpec constructor call, laid out for an element of the array initializer (indent 10) as
   * google-java-format lays it out: on one line, else its arguments on the next, else one argument
   * a line with a long string split into concatenated pieces.
   */
  private static String keySpecSource(KeySpec k) {
    List<String> a = new ArrayList<>();
    StringBuilder flags = new StringBuilder("new String[] {");
    for (int i = 0; i < k.flags().length; i++) {
      if (i > 0) flags.append(", ");
      flags.append(javaString(k.flags()[i]));
    }
    a.add(flags.append('}').toString());
    a.add(k.notes() == null ? "null" : javaString(k.notes()));
    a.add(Integer.toString(k.beginIndex()));
    a.add(k.keyword() == null ? "null" : javaString(k.keyword()));
    a.add(Integer.toString(k.keywordStartFrom()));
    a.add(Boolean.toString(k.range()));
    a.add(Integer.toString(k.lastKey()));
    a.add(Integer.toString(k.keyStep()));
    a.add(Integer.toString(k.limit()));
    a.add(Integer.toString(k.keynumIndex()));
    a.add(Integer.toString(k.firstKey()));
    a.add(Boolean.toString(k.unknownBegin()));
    a.add(Boolean.toString(k.unknownFind()));
    String args = String.join(", ", a);
    if (10 + "new KeySpec(".length() + args.length() + 2 <= WIDTH) {
      return "new KeySpec(" + args + ")";
    }
    if (14 + args.length() + 2 <= WIDTH) return "new KeySpec(\n    " + args + ")";
    StringBuilder sb = new StringBuilder("new KeySpec(");
    for (int i = 0; i < a.size(); i++) {
      String arg = a.get(i);
      if (i == 1 && k.notes() != null && 14 + arg.length() + 1 > WIDTH) {
        arg = splitString(k.notes(), WIDTH - 18 - 2 - 1);
      }
      sb.append("\n    ").append(arg).append(i + 1 < a.size() ? "," : ")");
    }
    return sb.toString();
  }

  /**
   * {@code text} as concatenated Java string literals of at most {@code room} characters each
   * (quotes included), cut before spaces where possible; continuation lines are indented by 8
   * relative to the first piece's line.
   */
  private static String splitString(String text, int room) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    while (javaString(text.substring(start)).length() > room) {
      // The longest prefix ending before a space whose literal fits; else cut where it fits.
      int cut = -1;
      for (int i = start + 1; i < text.length(); i++) {
        if (javaString(text.substring(start, i)).length() > room) break;
        if (text.charAt(i) == ' ') cut = i;
      }
      if (cut < 0) {
        cut = start + 1;
        while (cut < text.length() && javaString(text.substring(start, cut + 1)).length() <= room) {
          cut++;
        }
      }
      pieces.add(text.substring(start, cut));
      start = cut;
    }
    pieces.add(text.substring(start));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < pieces.size(); i++) {
      if (i > 0) sb.append("\n        + ");
      sb.append(javaString(pieces.get(i)));
    }
    return sb.toString();
  }

  private static String indent(String s, int n) {
    String pad = " ".repeat(n);
    return pad + s.replace("\n", "\n" + pad);
  }

  /** A Java string literal; anything outside printable ASCII as a unicode escape. */
  static String javaString(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            sb.append(c);
          } else {
            sb.append(String.format("\\u%04x", (int) c));
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  // ---- docs/compatibility.md

  static String compatibility(Map<String, CommandDefinition> defs) {
    Map<String, Entry> entries = entries(defs);
    int top = entries.size();
    int topIn = 0;
    int subs = 0;
    int subsIn = 0;
    for (Entry e : entries.values()) {
      if (e.inTable()) topIn++;
      subs += e.subs.size();
      subsIn += (int) e.implementedSubs();
    }
    // Rows by group: a container's row is followed by its subcommands' rows.
    Map<String, List<String[]>> rows = new LinkedHashMap<>();
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (String g : CommandDefinition.GROUPS) {
      rows.put(g, new ArrayList<>());
      counts.put(g, new int[2]);
    }
    for (Entry e : entries.values()) {
      addRow(rows, counts, e.def, status(e));
      for (CommandDefinition s : e.subs) {
        addRow(rows, counts, s, s.handler() != null ? "yes" : "no");
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("# Compatibility with Redis 7.0\n\n");
    sb.append(
        "Generated by `tools/generate-commands` from `server/src/main/resources/commands/`;\n");
    sb.append("do not edit. See [command-table.md](command-table.md).\n\n");
    sb.append("Redstart serves ").append(topIn).append(" of the ").append(top);
    sb.append(" commands of Redis 7.0 and implements ").append(subsIn).append(" of their ");
    sb.append(subs).append(" subcommands.\n");
    sb.append(
        "A command counts as served when it has a handler, or when it is a container with at\n");
    sb.append(
        "least one implemented subcommand: that is what `COMMAND COUNT` counts. Commands marked\n");
    sb.append("\"Sentinel only\" exist in Sentinel mode alone.\n");
    for (Map.Entry<String, List<String[]>> g : rows.entrySet()) {
      if (g.getValue().isEmpty()) continue;
      int[] c = counts.get(g.getKey());
      sb.append("\n## ").append(g.getKey()).append(" (").append(c[0]).append(" of ").append(c[1]);
      sb.append(")\n\n");
      sb.append("| Command | Implemented |\n");
      sb.append("| --- | --- |\n");
      for (String[] r : g.getValue())
        sb.append("| ").append(r[0]).append(" | ").append(r[1]).append(" |\n");
    }
    return sb.toString();
  }

  private static String status(Entry e) {
    if (e.subs.isEmpty()) return e.def.handler() != null ? "yes" : "no";
    long in = e.implementedSubs();
    String subs = in + " of " + e.subs.size() + " subcommands";
    if (e.def.handler() != null) return "yes; " + subs;
    return in == 0 ? "no" : "partly: " + subs;
  }

  private static void addRow(
      Map<String, List<String[]>> rows,
      Map<String, int[]> counts,
      CommandDefinition d,
      String status) {
    String group = d.group();
    if (!rows.containsKey(group)) {
      throw new IllegalStateException(d.fullName() + ": unknown docs group \"" + group + "\"");
    }
    String name = d.fullName().replace('|', ' ').toUpperCase(Locale.ROOT);
    if (d.flags().contains("only_sentinel")) name += " (Sentinel only)";
    rows.get(group).add(new String[] {name, status});
    int[] c = counts.get(group);
    c[1]++;
    if (status.startsWith("yes")) c[0]++;
  }
}
