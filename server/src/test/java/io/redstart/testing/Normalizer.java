package io.redstart.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes two replies comparable where they legitimately differ: times, ids, addresses, memory
 * figures, and orders that are a hash table's. Each rule is small and named; a command gets the
 * rules {@link #defaultRules} lists for it plus those its script line asks for (see the README next
 * to the differential scripts), and nothing else: everything not covered by a rule is compared byte
 * for byte.
 *
 * <p>Rules (an argument follows {@code =}):
 *
 * <dl>
 *   <dt>{@code exact}
 *   <dd>no default rules for this command; only the rules named with it.
 *   <dt>{@code sorted}
 *   <dd>elements of the top-level array or set in byte order (map entries by key).
 *   <dt>{@code sorted-pairs}
 *   <dd>a flat array of name/value pairs (or a map) sorted by name: CONFIG GET.
 *   <dt>{@code approx=N}, {@code ttl} (N=1), {@code pttl} (N=1000)
 *   <dd>non-negative integers, anywhere in the reply, equal when within N of each other.
 *   <dt>{@code type}
 *   <dd>only the reply's type is compared (an integer is an integer).
 *   <dt>{@code ignore}
 *   <dd>the reply is not compared (both servers must still answer).
 *   <dt>{@code error-code}
 *   <dd>errors compared by their first word only ({@code ERR}, {@code WRONGTYPE}).
 *   <dt>{@code info}
 *   <dd>INFO text: section headers and field names compared, values only for the fields of {@link
 *       #INFO_KEPT}, the error counts and the keys/expires counts of {@code dbN} lines; Redstart's
 *       own fields ({@link #INFO_REDSTART_ONLY}) are dropped.
 *   <dt>{@code client-list}
 *   <dd>CLIENT LIST / CLIENT INFO: values of {@link #CLIENT_MASKED} fields masked.
 *   <dt>{@code hello}
 *   <dd>HELLO: the client id masked.
 *   <dt>{@code time}
 *   <dd>TIME: two numbers, seconds within 5 of each other.
 *   <dt>{@code scan}
 *   <dd>SCAN-like: when both cursors are 0 the elements are sorted; otherwise only the shape.
 *   <dt>{@code debug-object}
 *   <dd>DEBUG OBJECT: address and LRU fields masked.
 *   <dt>{@code stream-times}
 *   <dd>XPENDING, XINFO: idle times (the third of an XPENDING entry, an "idle" field) within 1000
 *       ms of each other, and absolute times (XINFO STREAM FULL's delivery and seen times, any
 *       integer from 10^12 on) within 5000 ms.
 *   <dt>{@code command-table}
 *   <dd>COMMAND, COMMAND INFO, COMMAND DOCS: commands, and the subcommands of each container, in
 *       byte order (Redis lists them in hash-table order).
 * </dl>
 */
public final class Normalizer {
  private Normalizer() {}

  /** Both sides of one comparison, as edited by the rules. */
  public static final class Pair {
    public Reply reference;
    public Reply redstart;

    Pair(Reply reference, Reply redstart) {
      this.reference = reference;
      this.redstart = redstart;
    }
  }

  /** The outcome of {@link #compare}: the normalised bytes, and whether they are equal. */
  public record Comparison(boolean equal, byte[] reference, byte[] redstart, List<String> rules) {}

  /** Field values INFO compares; every other field is compared by name only. */
  public static final Set<String> INFO_KEPT =
      Set.of(
          "redis_version",
          "redis_mode",
          "arch_bits",
          "hz",
          "configured_hz",
          "io_threads_active",
          "connected_clients",
          "maxclients",
          "blocked_clients",
          "tracking_clients",
          "clients_in_timeout_table",
          "maxmemory",
          "maxmemory_policy",
          "loading",
          "async_loading",
          "rdb_changes_since_last_save",
          "rdb_bgsave_in_progress",
          "aof_enabled",
          "aof_rewrite_in_progress",
          "total_commands_processed",
          "rejected_connections",
          "keyspace_hits",
          "keyspace_misses",
          "expired_keys",
          "evicted_keys",
          "pubsub_channels",
          "pubsub_patterns",
          "pubsubshard_channels",
          "total_error_replies",
          "role",
          "connected_slaves",
          "master_repl_offset",
          "repl_backlog_active",
          "cluster_enabled");

  /**
   * INFO fields only Redstart has (its own version, the JVM's): dropped from its side, so that they
   * are neither a missing nor an unexpected field.
   */
  public static final Set<String> INFO_REDSTART_ONLY = Set.of("redstart_version", "java_version");

  /** CLIENT LIST fields whose values depend on time, addresses, ids or allocation. */
  public static final Set<String> CLIENT_MASKED =
      Set.of(
          "id",
          "addr",
          "laddr",
          "fd",
          "age",
          "idle",
          "qbuf",
          "qbuf-free",
          "argv-mem",
          "multi-mem",
          "rbs",
          "rbp",
          "obl",
          "oll",
          "omem",
          "tot-mem");

  private static final Set<String> NAMES =
      Set.of(
          "exact",
          "sorted",
          "sorted-pairs",
          "approx",
          "ttl",
          "pttl",
          "type",
          "ignore",
          "error-code",
          "info",
          "client-list",
          "hello",
          "time",
          "scan",
          "debug-object",
          "stream-times",
          "command-table");

  /** Whether {@code directive} names a rule of this class (with its argument, if any). */
  public static boolean isRule(String directive) {
    String name = name(directive);
    if (!NAMES.contains(name)) return false;
    if (name.equals("approx")) {
      String arg = argument(directive);
      return arg != null && arg.matches("[0-9]+");
    }
    return argument(directive) == null;
  }

  /**
   * The rules a command gets unless its line says {@code exact}: the reply of TIME, INFO, CLIENT
   * LIST, HELLO, KEYS, CONFIG GET, SCAN, TTL and their kind depends on time, ids or hash order.
   */
  public static List<String> defaultRules(byte[][] argv) {
    if (argv.length == 0) return List.of();
    String cmd = lower(argv[0]);
    String sub = argv.length > 1 ? lower(argv[1]) : "";
    return switch (cmd) {
      case "time" -> List.of("time");
      case "info" -> List.of("info");
      case "hello" -> List.of("hello");
      case "keys" -> List.of("sorted");
      case "scan" -> List.of("scan");
      case "ttl", "expiretime" -> List.of("ttl");
      case "pttl", "pexpiretime" -> List.of("pttl");
      case "client" ->
          switch (sub) {
            case "list", "info" -> List.of("client-list");
            case "id" -> List.of("type");
            default -> List.of();
          };
      case "config" -> sub.equals("get") ? List.of("sorted-pairs") : List.of();
      case "command" -> {
        if (sub.equals("list")) yield List.of("sorted");
        if (argv.length == 1 || sub.equals("info") || sub.equals("docs"))
          yield List.of("command-table");
        yield List.of();
      }
      case "object" -> sub.equals("idletime") ? List.of("approx=2") : List.of();
      case "debug" -> sub.equals("object") ? List.of("debug-object") : List.of();
      case "xpending", "xinfo" -> List.of("stream-times");
      default -> List.of();
    };
  }

  /**
   * Compares two reply frames after applying the command's default rules and {@code directives}
   * (runner directives such as {@code closes} are ignored here).
   */
  public static Comparison compare(
      byte[][] argv, List<String> directives, byte[] reference, byte[] redstart) {
    List<String> rules = new ArrayList<>();
    boolean exact = directives.contains("exact");
    if (!exact) rules.addAll(defaultRules(argv));
    for (String d : directives)
      if (isRule(d) && !d.equals("exact") && !rules.contains(d)) rules.add(d);
    if (rules.isEmpty()) {
      return new Comparison(Arrays.equals(reference, redstart), reference, redstart, rules);
    }
    List<Reply> refAll;
    List<Reply> gotAll;
    try {
      refAll = Reply.parseAll(reference);
      gotAll = Reply.parseAll(redstart);
    } catch (RuntimeException e) {
      return new Comparison(Arrays.equals(reference, redstart), reference, redstart, rules);
    }
    Pair pair = new Pair(refAll.getLast().copy(), gotAll.getLast().copy());
    for (String rule : rules) apply(rule, pair);
    refAll.set(refAll.size() - 1, pair.reference);
    gotAll.set(gotAll.size() - 1, pair.redstart);
    byte[] r = Reply.encodeAll(refAll);
    byte[] g = Reply.encodeAll(gotAll);
    return new Comparison(Arrays.equals(r, g), r, g, rules);
  }

  /** Applies one rule to both sides. */
  static void apply(String rule, Pair p) {
    switch (name(rule)) {
      case "sorted" -> {
        sorted(p.reference);
        sorted(p.redstart);
      }
      case "sorted-pairs" -> {
        sortedPairs(p.reference);
        sortedPairs(p.redstart);
      }
      case "approx" -> approx(p.reference, p.redstart, Long.parseLong(argument(rule)));
      case "ttl" -> approx(p.reference, p.redstart, 1);
      case "pttl" -> approx(p.reference, p.redstart, 1000);
      case "type" -> {
        if (p.reference.type == p.redstart.type) p.redstart = p.reference.copy();
      }
      case "ignore" -> p.redstart = p.reference.copy();
      case "error-code" -> {
        if (p.reference.type == '-' && p.redstart.type == '-') {
          p.reference.line = firstWord(p.reference.line);
          p.redstart.line = firstWord(p.redstart.line);
        }
      }
      case "info" -> {
        info(p.reference, false);
        info(p.redstart, true);
      }
      case "client-list" -> {
        clientList(p.reference);
        clientList(p.redstart);
      }
      case "hello" -> {
        hello(p.reference);
        hello(p.redstart);
      }
      case "time" -> time(p);
      case "scan" -> scan(p);
      case "debug-object" -> {
        debugObject(p.reference);
        debugObject(p.redstart);
      }
      case "command-table" -> {
        commandTable(p.reference);
        commandTable(p.redstart);
      }
      case "stream-times" -> streamTimes(p.reference, p.redstart);
      case "exact" -> {}
      default -> throw new IllegalArgumentException("unknown normalisation rule: " + rule);
    }
  }

  // ---- the rules

  private static final Comparator<Reply> BY_BYTES =
      (a, b) -> Arrays.compare(a.encode(), b.encode());

  private static void sorted(Reply r) {
    if (r.children == null) return;
    if (r.isMap()) {
      sortPairs(r.children);
    } else {
      r.children.sort(BY_BYTES);
    }
  }

  private static void sortedPairs(Reply r) {
    if (r.children == null || r.children.size() % 2 != 0) return;
    if (r.type == '*' || r.isMap()) sortPairs(r.children);
  }

  private static void sortPairs(List<Reply> flat) {
    List<Reply[]> pairs = new ArrayList<>();
    for (int i = 0; i + 1 < flat.size(); i += 2)
      pairs.add(new Reply[] {flat.get(i), flat.get(i + 1)});
    pairs.sort((a, b) -> BY_BYTES.compare(a[0], b[0]));
    flat.clear();
    for (Reply[] pair : pairs) {
      flat.add(pair[0]);
      flat.add(pair[1]);
    }
  }

  /** Walks both trees in step; non-negative integers within {@code tolerance} become equal. */
  private static void approx(Reply ref, Reply got, long tolerance) {
    if (ref.type == ':' && got.type == ':') {
      try {
        long a = Long.parseLong(ref.line);
        long b = Long.parseLong(got.line);
        if (a >= 0 && b >= 0 && Math.abs(a - b) <= tolerance) got.line = ref.line;
      } catch (NumberFormatException e) {
        // Not numbers after all: leave them to the byte comparison.
      }
      return;
    }
    if (ref.children != null
        && got.children != null
        && ref.children.size() == got.children.size()) {
      for (int i = 0; i < ref.children.size(); i++)
        approx(ref.children.get(i), got.children.get(i), tolerance);
    }
  }

  private static String firstWord(String s) {
    int sp = s.indexOf(' ');
    return sp < 0 ? s : s.substring(0, sp);
  }

  private static final Pattern DB_LINE = Pattern.compile("db[0-9]+");

  private static void info(Reply r, boolean redstart) {
    if (!r.isString() || r.payload == null) return;
    String text = Bytes.latin1(r.payload);
    String prefix = "";
    if (r.type == '=' && text.length() >= 4 && text.charAt(3) == ':') {
      prefix = text.substring(0, 4);
      text = text.substring(4);
    }
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r\n", -1)));
    if (redstart)
      lines.removeIf(
          l -> l.indexOf(':') > 0 && INFO_REDSTART_ONLY.contains(l.substring(0, l.indexOf(':'))));
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int colon = line.indexOf(':');
      if (line.isEmpty() || line.startsWith("#") || colon < 0) continue;
      String field = line.substring(0, colon);
      if (INFO_KEPT.contains(field) || field.startsWith("errorstat_")) continue;
      if (DB_LINE.matcher(field).matches()) {
        lines.set(i, line.replaceAll("avg_ttl=-?[0-9]+", "avg_ttl=*"));
      } else {
        lines.set(i, field + ":*");
      }
    }
    r.payload = (prefix + String.join("\r\n", lines)).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void clientList(Reply r) {
    if (!r.isString() || r.payload == null) return;
    String text = Bytes.latin1(r.payload);
    String prefix = "";
    if (r.type == '=' && text.length() >= 4 && text.charAt(3) == ':') {
      prefix = text.substring(0, 4);
      text = text.substring(4);
    }
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String[] fields = lines[i].split(" ", -1);
      for (int f = 0; f < fields.length; f++) {
        int eq = fields[f].indexOf('=');
        if (eq > 0 && CLIENT_MASKED.contains(fields[f].substring(0, eq))) {
          fields[f] = fields[f].substring(0, eq + 1) + "*";
        }
      }
      lines[i] = String.join(" ", fields);
    }
    r.payload = (prefix + String.join("\n", lines)).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void hello(Reply r) {
    if (r.children == null) return;
    for (int i = 0; i + 1 < r.children.size(); i += 2) {
      Reply k = r.children.get(i);
      if (k.isString() && "id".equals(k.text()) && r.children.get(i + 1).type == ':') {
        r.children.set(i + 1, Reply.line(':', "0"));
      }
    }
  }

  private static void time(Pair p) {
    long[] a = timeOf(p.reference);
    long[] b = timeOf(p.redstart);
    if (a == null || b == null || Math.abs(a[0] - b[0]) > 5 || b[1] < 0 || b[1] > 999_999) return;
    p.reference = timeMask();
    p.redstart = timeMask();
  }

  private static long[] timeOf(Reply r) {
    if (r.type != '*' || r.children == null || r.children.size() != 2) return null;
    try {
      return new long[] {
        Long.parseLong(r.children.get(0).text()), Long.parseLong(r.children.get(1).text())
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Reply timeMask() {
    return Reply.aggregate(
        '*',
        new ArrayList<>(
            List.of(Reply.bulk(Bytes.latin1("<seconds>")), Reply.bulk(Bytes.latin1("<micros>")))));
  }

  private static void scan(Pair p) {
    if (!isScanReply(p.reference) || !isScanReply(p.redstart)) return;
    boolean refDone = p.reference.children.get(0).text().equals("0");
    boolean gotDone = p.redstart.children.get(0).text().equals("0");
    if (refDone && gotDone) {
      p.reference.children.get(1).children.sort(BY_BYTES);
      p.redstart.children.get(1).children.sort(BY_BYTES);
    } else if (!refDone && !gotDone) {
      for (Reply r : List.of(p.reference, p.redstart)) {
        r.children.set(0, Reply.bulk(Bytes.latin1("<cursor>")));
        r.children.get(1).children.clear();
      }
    }
  }

  private static boolean isScanReply(Reply r) {
    return r.type == '*'
        && r.children != null
        && r.children.size() == 2
        && r.children.get(0).isString()
        && r.children.get(1).children != null;
  }

  private static void debugObject(Reply r) {
    if (r.type != '+') return;
    r.line =
        r.line
            .replaceAll("at:0x[0-9a-fA-F]+", "at:*")
            .replaceAll("lru:[0-9]+", "lru:*")
            .replaceAll("lru_seconds_idle:[0-9]+", "lru_seconds_idle:*");
  }

  private static final long ABSOLUTE_TIME = 1_000_000_000_000L;

  /** Walks both trees in step, making stream idle and absolute times equal when close. */
  private static void streamTimes(Reply ref, Reply got) {
    if (ref.children == null || got.children == null) {
      if (ref.type == ':' && got.type == ':' && within(ref, got, ABSOLUTE_TIME, 5000)) {
        got.line = ref.line;
      }
      return;
    }
    if (ref.children.size() != got.children.size()) return;
    List<Reply> a = ref.children;
    List<Reply> b = got.children;
    boolean pendingEntry =
        a.size() == 4 && a.get(0).isString() && a.get(1).isString() && a.get(2).type == ':';
    for (int i = 0; i < a.size(); i++) {
      boolean idle =
          (pendingEntry && i == 2)
              || (i > 0 && a.get(i - 1).isString() && "idle".equals(a.get(i - 1).text()));
      if (idle && a.get(i).type == ':' && b.get(i).type == ':' && within(a.get(i), b.get(i), 0, 1000)) {
        b.get(i).line = a.get(i).line;
      } else {
        streamTimes(a.get(i), b.get(i));
      }
    }
  }

  /** Both integers are at least {@code floor} and within {@code tolerance} of each other. */
  private static boolean within(Reply a, Reply b, long floor, long tolerance) {
    try {
      long x = Long.parseLong(a.line);
      long y = Long.parseLong(b.line);
      return x >= floor && y >= floor && Math.abs(x - y) <= tolerance;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Sorts COMMAND INFO entries (arrays of 10 whose 10th element lists the subcommands) and COMMAND
   * DOCS maps (a "subcommands" entry), at the top level and inside every container.
   */
  private static void commandTable(Reply r) {
    if (r.children == null) return;
    boolean docs = r.isMap() || (r.type == '*' && looksLikeDocs(r));
    if (docs) {
      for (int i = 1; i < r.children.size(); i += 2) commandDocs(r.children.get(i));
      sortPairs(r.children);
    } else {
      for (Reply entry : r.children) commandInfo(entry);
      r.children.sort(BY_BYTES);
    }
  }

  private static void commandInfo(Reply entry) {
    if (entry.children == null || entry.children.size() != 10) return;
    Reply subcommands = entry.children.get(9);
    if (subcommands.children == null) return;
    for (Reply sub : subcommands.children) commandInfo(sub);
    subcommands.children.sort(BY_BYTES);
  }

  private static void commandDocs(Reply doc) {
    if (doc.children == null) return;
    for (int i = 0; i + 1 < doc.children.size(); i += 2) {
      if (doc.children.get(i).isString() && doc.children.get(i).text().equals("subcommands")) {
        Reply subs = doc.children.get(i + 1);
        if (subs.children == null) continue;
        for (int j = 1; j < subs.children.size(); j += 2) commandDocs(subs.children.get(j));
        sortPairs(subs.children);
      }
    }
  }

  /** A RESP2 COMMAND DOCS reply: name, docs, name, docs ... */
  private static boolean looksLikeDocs(Reply r) {
    return r.children.size() % 2 == 0
        && !r.children.isEmpty()
        && r.children.get(0).isString()
        && r.children.get(1).children != null
        && r.children.get(1).children.size() % 2 == 0
        && !r.children.get(1).children.isEmpty()
        && r.children.get(1).children.get(0).isString()
        && r.children.get(1).children.get(0).text().equals("summary");
  }

  // ---- helpers

  private static String name(String directive) {
    int eq = directive.indexOf('=');
    return eq < 0 ? directive : directive.substring(0, eq);
  }

  private static String argument(String directive) {
    int eq = directive.indexOf('=');
    return eq < 0 ? null : directive.substring(eq + 1);
  }

  private static String lower(byte[] b) {
    return Bytes.latin1(b).toLowerCase(Locale.ROOT);
  }
}
