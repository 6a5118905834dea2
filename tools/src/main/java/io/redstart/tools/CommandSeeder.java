package io.redstart.tools;

import io.redstart.command.CommandDefinition;
import io.redstart.command.CommandFlags;
import io.redstart.command.KeySpec;
import io.redstart.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Seeds the command table from a running reference server: asks {@code COMMAND INFO} and {@code
 * COMMAND DOCS} over RESP3 (so that maps stay maps) and writes one JSON file per command and
 * subcommand under {@code server/src/main/resources/commands/} ({@code get.json}, {@code
 * config-get.json}), in the schema of {@link CommandDefinition} (see docs/command-table.md).
 *
 * <pre>
 * CommandSeeder &lt;host&gt; &lt;port&gt; [--sentinel &lt;port&gt;] [--dir &lt;commands dir&gt;]
 * </pre>
 *
 * <p>{@code --sentinel} names a reference server started with {@code --sentinel}: the commands it
 * lists get the internal flag {@code sentinel}, those only it knows (SENTINEL and its subcommands)
 * are added with {@code only_sentinel}. Without it, those flags and the Sentinel-only files are
 * kept as they are.
 *
 * <p>Re-running keeps what was added by hand: the {@code handler} field and the internal flags
 * COMMAND INFO hides. Internal flags Redis 7.0 sets ({@code may_replicate}, {@code protected},
 * {@code touches_arbitrary_keys}) are added from {@link #INTERNAL_FLAGS}. Files of commands the
 * server no longer reports are listed, never deleted. Files are rewritten only when their content
 * changes.
 */
public final class CommandSeeder {
  private CommandSeeder() {}

  /**
   * Flags that Redis 7.0 sets in its command table (src/commands/*.json) but COMMAND INFO hides, by
   * full name. SENTINEL and ONLY_SENTINEL come from a Sentinel instance instead.
   */
  static final Map<String, List<String>> INTERNAL_FLAGS =
      Map.ofEntries(
          Map.entry("eval", List.of("may_replicate")),
          Map.entry("evalsha", List.of("may_replicate")),
          Map.entry("fcall", List.of("may_replicate")),
          Map.entry("pfcount", List.of("may_replicate")),
          Map.entry("publish", List.of("may_replicate")),
          Map.entry("spublish", List.of("may_replicate")),
          Map.entry("debug", List.of("protected")),
          Map.entry("module|load", List.of("protected")),
          Map.entry("module|loadex", List.of("protected")),
          Map.entry("module|unload", List.of("protected")),
          Map.entry("randomkey", List.of("touches_arbitrary_keys")),
          Map.entry("scan", List.of("touches_arbitrary_keys")));

  /** Internal flag names in the order they are written after the reported ones. */
  static final List<String> INTERNAL_ORDER =
      List.of("may_replicate", "sentinel", "only_sentinel", "protected", "touches_arbitrary_keys");

  public static void main(String[] args) throws IOException {
    String host = null;
    int port = -1;
    int sentinelPort = -1;
    Path dir = Path.of("server/src/main/resources/commands");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sentinel" -> sentinelPort = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        default -> {
          if (host == null) {
            host = args[i];
          } else if (port < 0) {
            port = Integer.parseInt(args[i]);
          } else {
            usage();
          }
        }
      }
    }
    if (host == null || port < 0) usage();
    Seeded seeded = fetchAll(host, port, sentinelPort);
    Result r = write(dir, seeded.commands(), seeded.sentinelNames());
    System.out.println(
        "commands: "
            + seeded.commands().size()
            + " seeded, "
            + r.written
            + " file(s) written to "
            + dir);
    for (String s : r.stale) System.out.println("not reported by the server, kept: " + s);
  }

  private static void usage() {
    System.err.println(
        "usage: CommandSeeder <host> <port> [--sentinel <port>] [--dir <commands dir>]");
    System.exit(2);
  }

  /**
   * What the reference servers report: every command by full name, and the names a Sentinel serves
   * (null when no Sentinel was asked).
   */
  record Seeded(Map<String, CommandDefinition> commands, Set<String> sentinelNames) {}

  /**
   * Asks the server at host:port, and the Sentinel at host:sentinelPort when that is positive;
   * commands only the Sentinel knows get the flag {@code only_sentinel}.
   */
  static Seeded fetchAll(String host, int port, int sentinelPort) throws IOException {
    Map<String, CommandDefinition> seeded = fetch(host, port);
    if (sentinelPort <= 0) return new Seeded(seeded, null);
    Map<String, CommandDefinition> sentinel = fetch(host, sentinelPort);
    for (Map.Entry<String, CommandDefinition> e : sentinel.entrySet()) {
      if (!seeded.containsKey(e.getKey())) {
        seeded.put(e.getKey(), withFlags(e.getValue(), List.of("only_sentinel")));
      }
    }
    return new Seeded(seeded, sentinel.keySet());
  }

  /** Outcome of {@link #write}. */
  record Result(int written, List<String> stale) {}

  /**
   * Writes {@code seeded} (by full name) into {@code dir}, merging what the existing files hold:
   * the handler and the internal flags. {@code sentinelNames}, when not null, are the commands a
   * Sentinel serves; when null the existing sentinel flags are kept.
   */
  static Result write(Path dir, Map<String, CommandDefinition> seeded, Set<String> sentinelNames)
      throws IOException {
    Files.createDirectories(dir);
    Map<String, CommandDefinition> existing = readDir(dir);
    int written = 0;
    for (CommandDefinition fresh : seeded.values()) {
      String full = fresh.fullName();
      CommandDefinition old = existing.get(full);
      Set<String> internal = new LinkedHashSet<>(INTERNAL_FLAGS.getOrDefault(full, List.of()));
      for (String f : fresh.flags()) if (INTERNAL_ORDER.contains(f)) internal.add(f);
      if (old != null) {
        for (String f : old.flags()) {
          boolean sentinelFlag = f.equals("sentinel") || f.equals("only_sentinel");
          if (INTERNAL_ORDER.contains(f) && (!sentinelFlag || sentinelNames == null)) {
            internal.add(f);
          }
        }
      }
      if (sentinelNames != null && sentinelNames.contains(full)) internal.add("sentinel");
      List<String> flags = new ArrayList<>();
      for (String f : fresh.flags()) if (!INTERNAL_ORDER.contains(f)) flags.add(f);
      for (String f : INTERNAL_ORDER) if (internal.contains(f)) flags.add(f);
      CommandDefinition merged =
          new CommandDefinition(
              fresh.name(),
              fresh.container(),
              fresh.arity(),
              flags,
              fresh.aclCategories(),
              fresh.firstKey(),
              fresh.lastKey(),
              fresh.keyStep(),
              fresh.keySpecs(),
              fresh.tips(),
              fresh.docs(),
              old == null ? null : old.handler());
      merged.flagBits(); // refuses flag names CommandFlags does not know
      Path file = dir.resolve(merged.fileName());
      String text = Json.write(merged.toJson()) + "\n";
      if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        written++;
      }
    }
    List<String> stale = new ArrayList<>();
    for (String name : existing.keySet()) if (!seeded.containsKey(name)) stale.add(name);
    return new Result(written, stale);
  }

  /** Every command file in {@code dir}, by full name, sorted. */
  static Map<String, CommandDefinition> readDir(Path dir) throws IOException {
    Map<String, CommandDefinition> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) return out;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        CommandDefinition d =
            CommandDefinition.parse(Files.readString(p, StandardCharsets.UTF_8), p.toString());
        if (!p.getFileName().toString().equals(d.fileName())) {
          throw new IOException(p + ": holds " + d.fullName() + ", expected in " + d.fileName());
        }
        out.put(d.fullName(), d);
      }
    }
    return out;
  }

  private static CommandDefinition withFlags(CommandDefinition d, List<String> extra) {
    List<String> flags = new ArrayList<>(d.flags());
    for (String f : extra) if (!flags.contains(f)) flags.add(f);
    return new CommandDefinition(
        d.name(),
        d.container(),
        d.arity(),
        flags,
        d.aclCategories(),
        d.firstKey(),
        d.lastKey(),
        d.keyStep(),
        d.keySpecs(),
        d.tips(),
        d.docs(),
        d.handler());
  }

  // ---- asking the server

  /** Every command and subcommand the server at host:port reports, by full name. */
  static Map<String, CommandDefinition> fetch(String host, int port) throws IOException {
    try (RespClient client = new RespClient(host, port)) {
      client.callOk("HELLO", "3");
      List<Object> infos = list(client.callOk("COMMAND", "INFO"), "COMMAND INFO");
      Map<String, Object> docs = map(client.callOk("COMMAND", "DOCS"), "COMMAND DOCS");
      Map<String, CommandDefinition> out = new TreeMap<>();
      for (Object info : infos) collect(list(info, "command info"), docs, null, out);
      return out;
    }
  }

  private static void collect(
      List<Object> info,
      Map<String, Object> docsByName,
      String container,
      Map<String, CommandDefinition> out) {
    String fullName = text(info.get(0)).toLowerCase(Locale.ROOT);
    String name = container == null ? fullName : fullName.substring(fullName.indexOf('|') + 1);
    Map<String, Object> docs = map(docsByName.get(fullName), "docs of " + fullName);
    List<String> acl = new ArrayList<>();
    for (Object o : list(info.get(6), "acl categories")) acl.add(text(o).substring(1));
    List<KeySpec> specs = new ArrayList<>();
    for (Object o : list(info.get(8), "key specs")) specs.add(keySpec(map(o, "key spec")));
    List<String> flags = strings(info.get(2));
    for (String f : flags) {
      if (CommandFlags.bitOf(f) == 0) throw new IllegalStateException(fullName + ": flag " + f);
    }
    out.put(
        fullName,
        new CommandDefinition(
            name,
            container,
            (int) (long) (Long) info.get(1),
            flags,
            acl,
            (int) (long) (Long) info.get(3),
            (int) (long) (Long) info.get(4),
            (int) (long) (Long) info.get(5),
            specs,
            strings(info.get(7)),
            docs(docs),
            null));
    Map<String, Object> subDocs =
        docs.containsKey("subcommands") ? map(docs.get("subcommands"), "subcommands") : Map.of();
    for (Object sub : list(info.get(9), "subcommands")) {
      collect(list(sub, "subcommand info"), subDocs, fullName, out);
    }
  }

  private static KeySpec keySpec(Map<String, Object> m) {
    Map<String, Object> json = new LinkedHashMap<>();
    if (m.containsKey("notes")) json.put("notes", text(m.get("notes")));
    json.put("flags", strings(m.get("flags")));
    json.put("begin_search", flatten(map(m.get("begin_search"), "begin_search")));
    json.put("find_keys", flatten(map(m.get("find_keys"), "find_keys")));
    return CommandDefinition.keySpecFromJson(json);
  }

  /** {type: t, spec: {a: 1}} to {type: t, a: 1}. */
  private static Map<String, Object> flatten(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", text(m.get("type")));
    for (Map.Entry<String, Object> e : map(m.get("spec"), "spec").entrySet()) {
      out.put(e.getKey(), e.getValue() instanceof byte[] b ? text(b) : e.getValue());
    }
    return out;
  }

  /** The docs map in our schema: Redis's field order, no subcommands, strings decoded. */
  private static Map<String, Object> docs(Map<String, Object> d) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : d.keySet()) {
      if (!k.equals("subcommands") && !CommandDefinition.DOC_FIELDS.contains(k)) {
        throw new IllegalStateException("unexpected COMMAND DOCS field " + k);
      }
    }
    for (String k : CommandDefinition.DOC_FIELDS) {
      if (!d.containsKey(k)) continue;
      Object v = d.get(k);
      switch (k) {
        case "doc_flags" -> out.put(k, strings(v));
        case "history" -> {
          List<Object> h = new ArrayList<>();
          for (Object e : list(v, "history")) h.add(strings(e));
          out.put(k, h);
        }
        case "arguments" -> out.put(k, arguments(list(v, "arguments")));
        default -> out.put(k, text(v));
      }
    }
    return out;
  }

  private static List<Object> arguments(List<Object> args) {
    List<Object> out = new ArrayList<>();
    for (Object o : args) {
      Map<String, Object> a = map(o, "argument");
      Map<String, Object> j = new LinkedHashMap<>();
      for (String k : a.keySet()) {
        if (!CommandDefinition.ARG_FIELDS.contains(k)) {
          throw new IllegalStateException("unexpected argument field " + k);
        }
      }
      for (String k : CommandDefinition.ARG_FIELDS) {
        if (!a.containsKey(k)) continue;
        Object v = a.get(k);
        switch (k) {
          case "key_spec_index" -> j.put(k, v);
          case "flags" -> j.put(k, strings(v));
          case "arguments" -> j.put(k, arguments(list(v, "arguments")));
          default -> j.put(k, text(v));
        }
      }
      out.add(j);
    }
    return out;
  }

  // ---- RESP value helpers

  private static String text(Object o) {
    if (o instanceof byte[] b) return new String(b, StandardCharsets.UTF_8);
    if (o instanceof String s) return s;
    throw new IllegalStateException("expected a string, got " + o);
  }

  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    for (Object e : list(o, "strings")) out.add(text(e));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o, String what) {
    if (o instanceof List<?> l) return (List<Object>) l;
    throw new IllegalStateException(what + ": expected an array, got " + o);
  }

  private static Map<String, Object> map(Object o, String what) {
    if (o instanceof Map<?, ?> already) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : already.entrySet()) out.put((String) e.getKey(), e.getValue());
      return out;
    }
    throw new IllegalStateException(what + ": expected a map, got " + o);
  }
}
