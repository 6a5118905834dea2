package io.redstart.differential;

import static io.redstart.differential.Gen.args;

import io.redstart.testing.Bytes;
import io.redstart.testing.DifferentialRunner;
import io.redstart.testing.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Random generators for the hash and set commands and SORT, registered by {@link
 * RandomCommands#standard}. Fields and members come from small pools (so that commands meet each
 * other's elements, integers keep sets in the intset encoding, and some writes convert them),
 * with Gen's odd values now and then.
 *
 * <p>Replies in hash-table order are compared sorted; random replies (SPOP, SRANDMEMBER,
 * HRANDFIELD) by property; HSCAN and SSCAN by a full iteration. After an SPOP the two servers hold
 * different members, so the key is rebuilt on both from the reference's members.
 */
final class HashSetGenerators {
  private HashSetGenerators() {}

  static void register(RandomCommands r) {
    hashes(r);
    sets(r);
    sort(r);
  }

  // ---- pools

  private static String field(Gen g) {
    if (g.chance(85)) return "f" + g.between(0, 5);
    return g.value();
  }

  private static String hashValue(Gen g) {
    return switch (g.between(0, 4)) {
      case 0 -> Integer.toString(g.between(-100, 100));
      case 1 -> g.pick("1.5", "-0.25", "3e2", "abc", "", "9223372036854775807");
      default -> g.value();
    };
  }

  private static String member(Gen g) {
    return switch (g.between(0, 9)) {
      case 0, 1, 2, 3, 4 -> Integer.toString(g.between(-5, 20));
      case 5 -> g.pick("a", "b", "c", "x");
      case 6 ->
          g.pick(
              "9223372036854775807",
              "-9223372036854775808",
              "70000",
              "-70000",
              "4294967296",
              "01",
              "-0",
              "1.0");
      default -> g.value();
    };
  }

  private static List<String> members(Gen g, int min, int max) {
    int n = g.between(min, max);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(member(g));
    return out;
  }

  private static String count(Gen g) {
    return switch (g.between(0, 9)) {
      case 0, 1, 2, 3 -> Integer.toString(g.between(0, 12));
      case 4, 5 -> Integer.toString(g.between(-12, -1));
      case 6 -> g.pick("100", "1", "-1");
      default -> g.integer();
    };
  }

  /**
   * A count for SRANDMEMBER and HRANDFIELD: never a large negative one, which redis-server would
   * answer with an endless reply (Redstart cuts it, see ReplyGuard; tested elsewhere).
   */
  private static String randomCount(Gen g) {
    return switch (g.between(0, 9)) {
      case 0, 1, 2, 3 -> Integer.toString(g.between(0, 12));
      case 4, 5, 6 -> Integer.toString(g.between(-12, -1));
      case 7 -> g.pick("100", "1", "-1", "-100");
      case 8 ->
          g.pick(
              "9223372036854775807",
              "-9223372036854775808",
              "4611686018427387904",
              "9223372036854775808");
      default -> g.pick("abc", "1.5", "", " 1", "+1", "01", "-0");
    };
  }

  // ---- hashes

  private static void hashes(RandomCommands r) {
    r.register(
        "hset",
        "hash",
        12,
        g -> {
          Gen.Args a = args("HSET", g.key());
          if (g.chance(3)) {
            for (int i = 0; i < 600; i++) a.add("big" + i, Integer.toString(i));
            return a.list();
          }
          int pairs = g.between(1, 4);
          for (int i = 0; i < pairs; i++) a.add(field(g), hashValue(g));
          return a.list();
        });
    r.register(
        "hmset",
        "hash",
        3,
        g -> {
          Gen.Args a = args("HMSET", g.key());
          int pairs = g.between(1, 3);
          for (int i = 0; i < pairs; i++) a.add(field(g), hashValue(g));
          return a.list();
        });
    r.register("hsetnx", "hash", 4, g -> args("HSETNX", g.key(), field(g), hashValue(g)).list());
    r.register("hget", "hash", 8, g -> args("HGET", g.key(), field(g)).list());
    r.register(
        "hmget",
        "hash",
        4,
        g -> {
          Gen.Args a = args("HMGET", g.key());
          int n = g.between(1, 4);
          for (int i = 0; i < n; i++) a.add(field(g));
          return a.list();
        });
    r.register("hdel", "hash", 5, g -> {
      Gen.Args a = args("HDEL", g.key());
      int n = g.between(1, 3);
      for (int i = 0; i < n; i++) a.add(field(g));
      return a.list();
    });
    r.register("hlen", "hash", 3, g -> args("HLEN", g.key()).list());
    r.register("hstrlen", "hash", 3, g -> args("HSTRLEN", g.key(), field(g)).list());
    r.register("hexists", "hash", 3, g -> args("HEXISTS", g.key(), field(g)).list());
    r.register(
        "hincrby",
        "hash",
        6,
        g -> args("HINCRBY", g.key(), field(g), g.chance(70) ? count(g) : g.integer()).list());
    r.register(
        "hincrbyfloat",
        "hash",
        5,
        g -> args("HINCRBYFLOAT", g.key(), field(g), g.floatIncrement()).list());
    r.register(
        "hgetall",
        "hash",
        4,
        g -> args("HGETALL", g.key()).list(),
        (runner, where, argv) -> runner.run(where, argv, List.of("sorted-pairs")));
    r.register(
        "hkeys",
        "hash",
        3,
        g -> args("HKEYS", g.key()).list(),
        (runner, where, argv) -> runner.run(where, argv, List.of("sorted")));
    r.register(
        "hvals",
        "hash",
        3,
        g -> args("HVALS", g.key()).list(),
        (runner, where, argv) -> runner.run(where, argv, List.of("sorted")));
    r.register("hrandfield", "hash", 5, HashSetGenerators::hrandfieldArgs, HashSetGenerators::hrandfield);
    r.register("hscan", "hash", 3, g -> scanArgs(g, "HSCAN"), HashSetGenerators::scanIteration);
  }

  private static List<String> hrandfieldArgs(Gen g) {
    Gen.Args a = args("HRANDFIELD", g.key());
    if (g.chance(75)) {
      a.add(randomCount(g));
      if (g.chance(50)) a.add(g.chance(90) ? "WITHVALUES" : g.pick("withvalues", "FOO"));
    }
    return a.list();
  }

  // ---- sets

  private static void sets(RandomCommands r) {
    r.register(
        "sadd",
        "set",
        14,
        g -> {
          Gen.Args a = args("SADD", g.key());
          if (g.chance(3)) {
            for (int i = 0; i < 600; i++) a.add(Integer.toString(i * 3));
            return a.list();
          }
          return a.addAll(members(g, 1, 5)).list();
        });
    r.register("srem", "set", 6, g -> args("SREM", g.key()).addAll(members(g, 1, 4)).list());
    r.register("sismember", "set", 5, g -> args("SISMEMBER", g.key(), member(g)).list());
    r.register(
        "smismember", "set", 3, g -> args("SMISMEMBER", g.key()).addAll(members(g, 1, 4)).list());
    r.register("scard", "set", 4, g -> args("SCARD", g.key()).list());
    r.register("smove", "set", 5, g -> args("SMOVE", g.key(), g.key(), member(g)).list());
    r.register(
        "smembers",
        "set",
        4,
        g -> args("SMEMBERS", g.key()).list(),
        (runner, where, argv) -> runner.run(where, argv, List.of("sorted")));
    for (String cmd : List.of("sinter", "sunion", "sdiff")) {
      r.register(
          cmd,
          "set",
          4,
          g -> args(cmd.toUpperCase(Locale.ROOT)).addAll(g.keys(1, 4)).list(),
          (runner, where, argv) -> runner.run(where, argv, List.of("sorted")));
      String store = cmd + "store";
      r.register(
          store,
          "set",
          3,
          g -> args(store.toUpperCase(Locale.ROOT), g.key()).addAll(g.keys(1, 3)).list());
    }
    r.register(
        "sintercard",
        "set",
        3,
        g -> {
          List<String> keys = g.keys(1, 3);
          String numkeys =
              g.chance(90) ? Integer.toString(keys.size()) : g.pick("0", "-1", "9", "abc");
          Gen.Args a = args("SINTERCARD", numkeys).addAll(keys);
          if (g.chance(40)) a.add("LIMIT", g.chance(80) ? count(g) : g.integer());
          return a.list();
        });
    r.register("srandmember", "set", 5, HashSetGenerators::srandmemberArgs, HashSetGenerators::srandmember);
    r.register("spop", "set", 4, HashSetGenerators::spopArgs, HashSetGenerators::spop);
    r.register("sscan", "set", 3, g -> scanArgs(g, "SSCAN"), HashSetGenerators::scanIteration);
  }

  private static List<String> srandmemberArgs(Gen g) {
    Gen.Args a = args("SRANDMEMBER", g.key());
    if (g.chance(75)) a.add(randomCount(g));
    return a.list();
  }

  private static List<String> spopArgs(Gen g) {
    Gen.Args a = args("SPOP", g.key());
    if (g.chance(60)) a.add(g.chance(80) ? Integer.toString(g.between(0, 8)) : count(g));
    return a.list();
  }

  // ---- SORT

  private static void sort(RandomCommands r) {
    r.register("sort", "sort", 6, g -> sortArgs(g, "SORT"), HashSetGenerators::sortCheck);
    r.register("sort_ro", "sort", 3, g -> sortArgs(g, "SORT_RO"), HashSetGenerators::sortCheck);
  }

  /**
   * SORT with options that keep the reply comparable: BY a weight pattern (numeric ties fall back
   * to the element's bytes) or a constant; ALPHA only without BY (strings rarely tie bytewise).
   * Members 0 to 7 name the keys k0 to k7, so "k*" patterns read real strings and hashes.
   */
  private static List<String> sortArgs(Gen g, String command) {
    Gen.Args a = args(command, g.key());
    boolean by = false;
    switch (g.between(0, 5)) {
      case 0 -> {
        a.add("BY", g.pick("k*", "k*", "nosuch_*", "k*->f0"));
        by = true;
      }
      case 1 -> a.add("BY", g.pick("nosort", "constant"));
      default -> {}
    }
    if (!by && g.chance(35)) a.add("ALPHA");
    if (g.chance(30)) a.add(g.pick("DESC", "ASC"));
    if (g.chance(30)) a.add("LIMIT", count(g), count(g));
    if (g.chance(25)) a.add("GET", g.pick("#", "k*", "k*->f1", "nostar"));
    if (g.chance(10)) a.add("GET", "#");
    if (command.equals("SORT") && g.chance(15)) a.add("STORE", g.key());
    if (g.chance(3)) a.add(g.pick("FOO", "LIMIT", "BY", "GET", "STORE"));
    return a.list();
  }

  /**
   * SORT: exact, except that BY a constant leaves a set in its own (hash-table) order.
   *
   * <p>Redis's SORT tests {@code errno == ERANGE} after strtod without clearing errno first, so a
   * non-integer element fails with "One or more scores can't be converted into double" whenever an
   * earlier command left ERANGE behind (an overflowing number anywhere). Before each SORT the
   * reference runs a read-only ZUNION whose WEIGHTS parse clears errno, so that the reply depends
   * on the elements only.
   */
  private static void sortCheck(DifferentialRunner runner, String where, byte[][] argv)
      throws IOException {
    runner.onReference(Bytes.argv("ZUNION", "1", "errno:reset", "WEIGHTS", "1"));
    boolean constantBy = false;
    boolean store = false;
    for (int i = 2; i < argv.length; i++) {
      String a = Bytes.latin1(argv[i]).toUpperCase(Locale.ROOT);
      if (a.equals("BY") && i + 1 < argv.length && !Bytes.latin1(argv[i + 1]).contains("*")) {
        constantBy = true;
      }
      if (a.equals("STORE")) store = true;
    }
    if (!constantBy || store) {
      runner.run(where, argv, List.of());
      return;
    }
    // The order of a set's members is the server's own: compare the LIMIT-free result sorted,
    // or only the reply's type and length under LIMIT.
    boolean limit = false;
    for (byte[] a : argv) if (Bytes.latin1(a).equalsIgnoreCase("LIMIT")) limit = true;
    byte[] type = runner.onReference(Bytes.latin1("TYPE"), argv[1]);
    boolean isSet = type != null && Bytes.latin1(type).contains("set") && !Bytes.latin1(type).contains("zset");
    if (!isSet) {
      runner.run(where, argv, List.of());
    } else if (!limit) {
      runner.run(where, argv, List.of("sorted"));
    } else {
      byte[] ref = runner.onReference(argv);
      byte[] got = runner.onRedstart(argv);
      runner.compare(
          where,
          Bytes.commandLine(argv) + " (length only)",
          shape(ref),
          got == null ? Bytes.latin1("<no reply>") : shape(got),
          List.of());
    }
  }

  /** The reply's first line (type and length), or the whole reply when it is not an array. */
  private static byte[] shape(byte[] reply) {
    String s = Bytes.latin1(reply);
    if (!s.startsWith("*")) return reply;
    return Bytes.latin1(s.substring(0, s.indexOf("\r\n") + 2));
  }

  // ---- property checks

  /** A bulk string that is not the null bulk. */
  private static boolean isBulk(byte[] reply) {
    return reply.length > 0 && reply[0] == '$' && !Bytes.latin1(reply).startsWith("$-1");
  }

  /** An array or set with at least one element. */
  private static boolean isNonEmptyAggregate(byte[] reply) {
    String s = Bytes.latin1(reply);
    return (s.startsWith("*") || s.startsWith("~")) && !s.startsWith("*0\r") && !s.startsWith("~0\r")
        && !s.startsWith("*-1");
  }

  /** Members of a set or fields of a hash on the reference, or null when the key is neither. */
  private static Set<String> elements(DifferentialRunner runner, byte[] key, boolean hash)
      throws IOException {
    byte[] reply =
        runner.onReference(Bytes.latin1(hash ? "HKEYS" : "SMEMBERS"), key);
    Reply r = Reply.parse(reply);
    if (r.children() == null) return null;
    Set<String> out = new HashSet<>();
    for (Reply c : r.children()) out.add(c.text());
    return out;
  }

  private static Map<String, String> hashContent(DifferentialRunner runner, byte[] key)
      throws IOException {
    Reply r = Reply.parse(runner.onReference(Bytes.latin1("HGETALL"), key));
    Map<String, String> out = new HashMap<>();
    if (r.children() == null) return out;
    for (int i = 0; i + 1 < r.children().size(); i += 2) {
      out.put(r.children().get(i).text(), r.children().get(i + 1).text());
    }
    return out;
  }

  /** The count argument as a long, or null when it is not one (errors are compared as they are). */
  private static Long countOf(byte[][] argv) {
    if (argv.length < 3) return null;
    try {
      return Long.parseLong(Bytes.latin1(argv[2]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * SRANDMEMBER: errors, nils and empty replies exactly; otherwise the same reply type and length
   * on both, every element a member, distinct for a positive count, and the whole set (sorted)
   * when the count covers it.
   */
  private static void srandmember(DifferentialRunner runner, String where, byte[][] argv)
      throws IOException {
    randomReply(runner, where, argv, false);
  }

  private static void hrandfield(DifferentialRunner runner, String where, byte[][] argv)
      throws IOException {
    randomReply(runner, where, argv, true);
  }

  private static void randomReply(
      DifferentialRunner runner, String where, byte[][] argv, boolean hash) throws IOException {
    byte[] ref = runner.onReference(argv);
    byte[] got = runner.onRedstart(argv);
    String command = Bytes.commandLine(argv);
    if (got == null) {
      runner.record(where, command, Bytes.printable(ref), "<no reply>");
      return;
    }
    Reply r = Reply.parse(ref);
    Reply s = Reply.parse(got);
    boolean withValues =
        hash && argv.length == 4 && Bytes.latin1(argv[3]).equalsIgnoreCase("withvalues");
    Long count = countOf(argv);
    if (isBulk(ref) && isBulk(got)) {
      // One random element on both sides: check that it belongs.
      checkElements(runner, where, command, argv[1], hash, List.of(s.text()), got);
      return;
    }
    if (!isNonEmptyAggregate(ref) || !isNonEmptyAggregate(got)) {
      runner.compare(where, command, ref, got, List.of());
      return;
    }
    if (r.type() != s.type() || r.children().size() != s.children().size()) {
      runner.record(where, command + " (type and length)", Bytes.printable(ref), Bytes.printable(got));
      return;
    }
    List<String> names = new ArrayList<>();
    Map<String, String> values = new TreeMap<>();
    List<Reply> items = s.children();
    boolean nested = withValues && !items.isEmpty() && items.get(0).children() != null;
    int step = withValues && !nested ? 2 : 1;
    for (int i = 0; i < items.size(); i += step) {
      if (nested) {
        names.add(items.get(i).children().get(0).text());
        values.put(items.get(i).children().get(0).text(), items.get(i).children().get(1).text());
      } else {
        names.add(items.get(i).text());
        if (withValues) values.put(items.get(i).text(), items.get(i + 1).text());
      }
    }
    if (count != null && count > 0 && new HashSet<>(names).size() != names.size()) {
      runner.record(where, command + " (distinct elements)", "distinct", Bytes.printable(got));
      return;
    }
    Set<String> all = checkElements(runner, where, command, argv[1], hash, names, got);
    if (all == null) return;
    if (count != null && count > 0 && count >= all.size()) {
      runner.compare(where, command + " (whole set, sorted)", ref, got, List.of("sorted"));
    }
    if (withValues) {
      Map<String, String> content = hashContent(runner, argv[1]);
      for (Map.Entry<String, String> e : values.entrySet()) {
        if (!e.getValue().equals(content.get(e.getKey()))) {
          runner.record(where, command + " (values)", content.toString(), Bytes.printable(got));
          return;
        }
      }
    }
  }

  /** Checks that every name is an element of the key; returns the elements, or null after a mismatch. */
  private static Set<String> checkElements(
      DifferentialRunner runner, String where, String command, byte[] key, boolean hash,
      Collection<String> names, byte[] got) throws IOException {
    Set<String> all = elements(runner, key, hash);
    if (all == null || !all.containsAll(names)) {
      runner.record(where, command + " (elements of the key)", String.valueOf(all), Bytes.printable(got));
      return null;
    }
    return all;
  }

  /**
   * SPOP: the same reply shape on both, popped members taken from the set; then the key is rebuilt
   * on both servers from the reference's remaining members, so that they hold the same set again.
   */
  private static void spop(DifferentialRunner runner, String where, byte[][] argv)
      throws IOException {
    byte[] key = argv[1];
    Set<String> before = elements(runner, key, false);
    byte[] ref = runner.onReference(argv);
    byte[] got = runner.onRedstart(argv);
    String command = Bytes.commandLine(argv);
    if (got == null) {
      runner.record(where, command, Bytes.printable(ref), "<no reply>");
      return;
    }
    if (!isBulk(ref) && !isNonEmptyAggregate(ref)) {
      runner.compare(where, command, ref, got, List.of());
      return;
    }
    Reply r = Reply.parse(ref);
    Reply s = Reply.parse(got);
    List<String> names = new ArrayList<>();
    if (s.children() != null) {
      for (Reply c : s.children()) names.add(c.text());
    } else if (isBulk(got)) {
      names.add(s.text());
    }
    boolean sameShape =
        r.type() == s.type()
            && (r.children() == null
                ? s.children() == null
                : s.children() != null && r.children().size() == s.children().size());
    if (!sameShape || before == null || !before.containsAll(names)
        || new HashSet<>(names).size() != names.size()) {
      runner.record(where, command + " (shape, members of the set)", Bytes.printable(ref), Bytes.printable(got));
    }
    resyncSet(runner, key);
  }

  /** Makes Redstart's set at {@code key} the reference's, rebuilding it on both with SADD. */
  private static void resyncSet(DifferentialRunner runner, byte[] key) throws IOException {
    Set<String> members = elements(runner, key, false);
    byte[] del = Bytes.latin1("DEL");
    runner.onReference(del, key);
    runner.onRedstart(del, key);
    if (members == null || members.isEmpty()) return;
    List<byte[]> sadd = new ArrayList<>();
    sadd.add(Bytes.latin1("SADD"));
    sadd.add(key);
    for (String m : new TreeSet<>(members)) sadd.add(Bytes.latin1(m));
    byte[][] a = sadd.toArray(new byte[0][]);
    runner.onReference(a);
    runner.onRedstart(a);
  }

  // ---- HSCAN, SSCAN

  private static List<String> scanArgs(Gen g, String command) {
    // Only cursor 0 starts a deterministic iteration: where another cursor (such as -1, which
    // Redis reads as 2^64-1) lands in a hashtable depends on each server's hash function.
    Gen.Args a = args(command, g.key(),
        g.chance(95) ? "0" : g.pick("abc", "18446744073709551616", "1.5", ""));
    if (g.chance(40)) a.add("MATCH", g.pick("*", "f*", "1*", "[a-c]", "*0", "nosuch"));
    if (g.chance(40)) a.add("COUNT", g.pick("1", "2", "10", "1000", "0", "-1", "abc"));
    if (g.chance(5)) a.add(g.pick("TYPE", "FOO", "COUNT"));
    return a.list();
  }

  private static final int MAX_SCAN_CALLS = 10_000;

  /**
   * HSCAN/SSCAN: a full iteration on each server with the same options; the elements seen (pairs
   * for HSCAN) are compared as sorted sets. An error or non-scan reply is compared as it is.
   */
  private static void scanIteration(DifferentialRunner runner, String where, byte[][] argv)
      throws IOException {
    boolean pairs = Bytes.latin1(argv[0]).equalsIgnoreCase("hscan");
    byte[] ref = iterate(argv, pairs, runner::onReference);
    byte[] got = iterate(argv, pairs, runner::onRedstart);
    runner.compare(
        where, Bytes.commandLine(argv) + " (full iteration, sorted)", ref, got, List.of());
  }

  @FunctionalInterface
  private interface Call {
    byte[] call(byte[]... argv) throws IOException;
  }

  private static byte[] iterate(byte[][] argv, boolean pairs, Call call) throws IOException {
    Set<String> seen = new TreeSet<>();
    byte[][] a = argv.clone();
    for (int calls = 0; calls < MAX_SCAN_CALLS; calls++) {
      byte[] reply = call.call(a);
      if (reply == null) return Bytes.latin1("<no reply>");
      Reply r = Reply.parse(reply);
      if (r.type() != '*' || r.children() == null || r.children().size() != 2) return reply;
      List<Reply> items = r.children().get(1).children();
      for (int i = 0; i < items.size(); i += pairs ? 2 : 1) {
        seen.add(pairs ? items.get(i).text() + "\u0000=" + items.get(i + 1).text() : items.get(i).text());
      }
      String cursor = r.children().get(0).text();
      if (cursor.equals("0")) return array(seen);
      a[2] = Bytes.latin1(cursor);
    }
    return Bytes.latin1("<scan did not end after " + MAX_SCAN_CALLS + " calls>");
  }

  private static byte[] array(Collection<String> items) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("*" + items.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String s : items) {
      byte[] b = Bytes.latin1(s);
      out.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(b);
      out.writeBytes(new byte[] {'\r', '\n'});
    }
    return out.toByteArray();
  }
}
