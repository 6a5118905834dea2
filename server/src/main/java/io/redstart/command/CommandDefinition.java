package io.redstart.command;

import io.redstart.util.Json;
import io.redstart.util.Json.JsonException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command as its JSON file under {@code resources/commands/} describes it: the schema of those
 * files in code. The seeder writes it ({@link #toJson}), the table generator turns it into Java
 * source, and COMMAND INFO / COMMAND DOCS read tips and docs from it at run time ({@link #load}).
 * The schema is documented in {@code docs/command-table.md}.
 *
 * <p>{@code docs} is kept as the JSON object it was read from (summary, since, group, complexity,
 * doc_flags, deprecated_since, replaced_by, history, arguments); {@link #fromJson} checks its keys
 * and the shape of its argument tree. Immutable.
 *
 * @param name lower-case own name ("get"; "get" for CONFIG GET)
 * @param container lower-case container name for a subcommand ("config"), else null
 * @param arity Redis arity: n exactly, -n at least n, the command name included
 * @param flags command flag names: those COMMAND INFO reports, then internal ones
 * @param aclCategories ACL category names without '@', as COMMAND INFO reports them
 * @param firstKey legacy first key position (COMMAND INFO's 4th field)
 * @param lastKey legacy last key position
 * @param keyStep legacy key step
 * @param keySpecs key specs in COMMAND INFO order
 * @param tips command tips ("nondeterministic_output", "request_policy:all_shards" ...)
 * @param docs the COMMAND DOCS fields, without the subcommands
 * @param handler "subpackage.Class::method" relative to {@code io.redstart.command}, or null
 */
public record CommandDefinition(
    String name,
    String container,
    int arity,
    List<String> flags,
    List<String> aclCategories,
    int firstKey,
    int lastKey,
    int keyStep,
    List<KeySpec> keySpecs,
    List<String> tips,
    Map<String, Object> docs,
    String handler) {

  /** Top-level keys of a command file, in the order the seeder writes them. */
  public static final List<String> FIELDS =
      List.of(
          "name",
          "container",
          "arity",
          "flags",
          "acl_categories",
          "first_key",
          "last_key",
          "key_step",
          "key_specs",
          "tips",
          "docs",
          "handler");

  /** COMMAND DOCS fields in the order Redis replies with them (module commands aside). */
  public static final List<String> DOC_FIELDS =
      List.of(
          "summary",
          "since",
          "group",
          "complexity",
          "doc_flags",
          "deprecated_since",
          "replaced_by",
          "history",
          "arguments");

  /** Argument fields in the order Redis replies with them. */
  public static final List<String> ARG_FIELDS =
      List.of(
          "name",
          "type",
          "key_spec_index",
          "token",
          "summary",
          "since",
          "deprecated_since",
          "flags",
          "arguments");

  /** Key-spec flag names in the order COMMAND INFO lists them. */
  public static final List<String> KEY_SPEC_FLAGS =
      List.of(
          "RO",
          "RW",
          "OW",
          "RM",
          "access",
          "update",
          "insert",
          "delete",
          "not_key",
          "incomplete",
          "variable_flags");

  /** Command groups in Redis's order (COMMAND DOCS "group"). */
  public static final List<String> GROUPS =
      List.of(
          "generic",
          "string",
          "list",
          "set",
          "sorted-set",
          "hash",
          "pubsub",
          "transactions",
          "connection",
          "server",
          "scripting",
          "hyperloglog",
          "cluster",
          "sentinel",
          "geo",
          "stream",
          "bitmap",
          "module");

  private static final Set<String> ARG_TYPES =
      Set.of(
          "string",
          "integer",
          "double",
          "key",
          "pattern",
          "unix-time",
          "pure-token",
          "oneof",
          "block");

  public CommandDefinition {
    flags = List.copyOf(flags);
    aclCategories = List.copyOf(aclCategories);
    keySpecs = List.copyOf(keySpecs);
    tips = List.copyOf(tips);
    docs = docs == null ? Map.of() : docs;
  }

  /** "get", or "config|get" for a subcommand: the name COMMAND INFO shows. */
  public String fullName() {
    return container == null ? name : container + "|" + name;
  }

  /** The file this command lives in: "get.json", "config-get.json". */
  public String fileName() {
    return fileName(fullName());
  }

  /** The file of the command with this full name ("config|get" to "config-get.json"). */
  public static String fileName(String fullName) {
    return fullName.replace('|', '-') + ".json";
  }

  /** The docs group ("string", "server" ...), or "" when the docs have none. */
  public String group() {
    String g = Json.string(docs, "group");
    return g == null ? "" : g;
  }

  /** The flags as {@link CommandFlags} bits; throws on an unknown name. */
  public long flagBits() {
    long bits = 0;
    for (String f : flags) {
      long b = CommandFlags.bitOf(f);
      if (b == 0) throw new JsonException(fullName() + ": unknown command flag \"" + f + "\"");
      bits |= b;
    }
    return bits;
  }

  /** The ACL categories as {@link AclCategories} bits; throws on an unknown name. */
  public long aclBits() {
    long bits = 0;
    for (String cat : aclCategories) {
      long b = cat.startsWith("@") ? 0 : AclCategories.bitOf(cat);
      if (b == 0) throw new JsonException(fullName() + ": unknown ACL category \"" + cat + "\"");
      bits |= b;
    }
    return bits;
  }

  // ---- loading

  /**
   * The definition of {@code fullName} ("get", "config|get") from the class path ({@code
   * /commands/<file>.json}), or null when there is no such file. Parses on every call: callers
   * cache.
   */
  public static CommandDefinition load(String fullName) {
    String path = "/commands/" + fileName(fullName);
    try (InputStream in = CommandDefinition.class.getResourceAsStream(path)) {
      if (in == null) return null;
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), path);
    } catch (IOException e) {
      throw new UncheckedIOException(path, e);
    }
  }

  /** Parses one command file's text; {@code source} names it in error messages. */
  public static CommandDefinition parse(String text, String source) {
    try {
      return fromJson(Json.parseObject(text));
    } catch (JsonException e) {
      throw new JsonException(source + ": " + e.getMessage());
    }
  }

  /** Reads a command from its JSON object, checking the schema. */
  public static CommandDefinition fromJson(Map<String, Object> m) {
    for (String k : m.keySet()) {
      if (!FIELDS.contains(k)) throw new JsonException("unknown field \"" + k + "\"");
    }
    String name = Json.string(m, "name");
    if (name == null || name.isEmpty() || !name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
      throw new JsonException("\"name\" must be a non-empty lower-case string");
    }
    List<KeySpec> specs = new ArrayList<>();
    for (Map<String, Object> ks : Json.objects(m, "key_specs")) specs.add(keySpecFromJson(ks));
    Map<String, Object> docs = m.containsKey("docs") ? Json.asMap(m.get("docs"), "docs") : Map.of();
    checkDocs(docs);
    for (String t : Json.strings(m, "tips")) if (t.isEmpty()) throw new JsonException("empty tip");
    return new CommandDefinition(
        name,
        Json.string(m, "container"),
        (int) Json.integer(m, "arity"),
        Json.strings(m, "flags"),
        Json.strings(m, "acl_categories"),
        (int) Json.integer(m, "first_key", 0),
        (int) Json.integer(m, "last_key", 0),
        (int) Json.integer(m, "key_step", 0),
        specs,
        Json.strings(m, "tips"),
        docs,
        Json.string(m, "handler"));
  }

  /** This command as a JSON object, fields in {@link #FIELDS} order. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    if (container != null) m.put("container", container);
    m.put("arity", (long) arity);
    m.put("flags", flags);
    m.put("acl_categories", aclCategories);
    m.put("first_key", (long) firstKey);
    m.put("last_key", (long) lastKey);
    m.put("key_step", (long) keyStep);
    List<Object> specs = new ArrayList<>();
    for (KeySpec ks : keySpecs) specs.add(keySpecToJson(ks));
    m.put("key_specs", specs);
    m.put("tips", tips);
    m.put("docs", docs);
    if (handler != null) m.put("handler", handler);
    return m;
  }

  // ---- key specs

  /** A key spec from its JSON form (see docs/command-table.md). */
  public static KeySpec keySpecFromJson(Map<String, Object> ks) {
    for (String k : ks.keySet()) {
      if (!List.of("notes", "flags", "begin_search", "find_keys").contains(k)) {
        throw new JsonException("key spec: unknown field \"" + k + "\"");
      }
    }
    List<String> flags = Json.strings(ks, "flags");
    for (String f : flags) {
      if (!KEY_SPEC_FLAGS.contains(f)) throw new JsonException("unknown key-spec flag " + f);
    }
    Map<String, Object> bs = Json.asMap(ks.get("begin_search"), "begin_search");
    Map<String, Object> fk = Json.asMap(ks.get("find_keys"), "find_keys");
    int beginIndex = 0;
    String keyword = null;
    int startFrom = 0;
    boolean unknownBegin = false;
    switch (String.valueOf(bs.get("type"))) {
      case "index" -> beginIndex = (int) Json.integer(bs, "index");
      case "keyword" -> {
        keyword = Json.string(bs, "keyword");
        if (keyword == null) throw new JsonException("begin_search keyword: missing \"keyword\"");
        startFrom = (int) Json.integer(bs, "startfrom");
      }
      case "unknown" -> unknownBegin = true;
      default -> throw new JsonException("begin_search: unknown type " + bs.get("type"));
    }
    boolean range = false;
    boolean unknownFind = false;
    int lastKey = 0;
    int keyStep = 0;
    int limit = 0;
    int keynumIdx = 0;
    int firstKey = 0;
    switch (String.valueOf(fk.get("type"))) {
      case "range" -> {
        range = true;
        lastKey = (int) Json.integer(fk, "lastkey");
        keyStep = (int) Json.integer(fk, "keystep");
        limit = (int) Json.integer(fk, "limit");
      }
      case "keynum" -> {
        keynumIdx = (int) Json.integer(fk, "keynumidx");
        firstKey = (int) Json.integer(fk, "firstkey");
        keyStep = (int) Json.integer(fk, "keystep");
      }
      case "unknown" -> unknownFind = true;
      default -> throw new JsonException("find_keys: unknown type " + fk.get("type"));
    }
    return new KeySpec(
        flags.toArray(String[]::new),
        Json.string(ks, "notes"),
        beginIndex,
        keyword,
        startFrom,
        range,
        lastKey,
        keyStep,
        limit,
        keynumIdx,
        firstKey,
        unknownBegin,
        unknownFind);
  }

  /** The JSON form of a key spec. */
  public static Map<String, Object> keySpecToJson(KeySpec ks) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (ks.notes() != null) m.put("notes", ks.notes());
    m.put("flags", List.of(ks.flags()));
    Map<String, Object> bs = new LinkedHashMap<>();
    if (ks.unknownBegin()) {
      bs.put("type", "unknown");
    } else if (ks.keyword() != null) {
      bs.put("type", "keyword");
      bs.put("keyword", ks.keyword());
      bs.put("startfrom", (long) ks.keywordStartFrom());
    } else {
      bs.put("type", "index");
      bs.put("index", (long) ks.beginIndex());
    }
    m.put("begin_search", bs);
    Map<String, Object> fk = new LinkedHashMap<>();
    if (ks.unknownFind()) {
      fk.put("type", "unknown");
    } else if (ks.range()) {
      fk.put("type", "range");
      fk.put("lastkey", (long) ks.lastKey());
      fk.put("keystep", (long) ks.keyStep());
      fk.put("limit", (long) ks.limit());
    } else {
      fk.put("type", "keynum");
      fk.put("keynumidx", (long) ks.keynumIndex());
      fk.put("firstkey", (long) ks.firstKey());
      fk.put("keystep", (long) ks.keyStep());
    }
    m.put("find_keys", fk);
    return m;
  }

  // ---- docs validation

  private static void checkDocs(Map<String, Object> docs) {
    for (Map.Entry<String, Object> e : docs.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      switch (k) {
        case "summary", "since", "group", "complexity", "deprecated_since", "replaced_by" -> {
          if (!(v instanceof String)) throw new JsonException("docs." + k + ": expected a string");
        }
        case "doc_flags" -> {
          for (String f : Json.strings(docs, k)) {
            if (!f.equals("deprecated") && !f.equals("syscmd")) {
              throw new JsonException("docs.doc_flags: unknown flag " + f);
            }
          }
        }
        case "history" -> {
          for (Object h : Json.asList(v, "docs.history")) {
            List<Object> pair = Json.asList(h, "docs.history entry");
            if (pair.size() != 2
                || !(pair.get(0) instanceof String)
                || !(pair.get(1) instanceof String)) {
              throw new JsonException("docs.history: entries are [since, changes]");
            }
          }
        }
        case "arguments" -> checkArguments(Json.asList(v, "docs.arguments"), 0);
        default -> throw new JsonException("docs: unknown field \"" + k + "\"");
      }
    }
  }

  private static void checkArguments(List<Object> args, int depth) {
    if (depth > 16) throw new JsonException("docs.arguments: nested too deep");
    for (Object o : args) {
      Map<String, Object> a = Json.asMap(o, "argument");
      for (String k : a.keySet()) {
        if (!ARG_FIELDS.contains(k)) throw new JsonException("argument: unknown field " + k);
      }
      if (Json.string(a, "name") == null) throw new JsonException("argument without a name");
      String type = Json.string(a, "type");
      if (type == null || !ARG_TYPES.contains(type)) {
        throw new JsonException("argument " + a.get("name") + ": bad type " + type);
      }
      if (a.containsKey("key_spec_index")) Json.integer(a, "key_spec_index");
      for (String f : Json.strings(a, "flags")) {
        if (!List.of("optional", "multiple", "multiple_token").contains(f)) {
          throw new JsonException("argument " + a.get("name") + ": unknown flag " + f);
        }
      }
      for (String k : List.of("token", "summary", "since", "deprecated_since")) Json.string(a, k);
      boolean nested = type.equals("oneof") || type.equals("block");
      if (nested != a.containsKey("arguments")) {
        throw new JsonException(
            "argument " + a.get("name") + ": \"arguments\" goes with oneof/block");
      }
      if (nested) checkArguments(Json.asList(a.get("arguments"), "arguments"), depth + 1);
    }
  }
}
