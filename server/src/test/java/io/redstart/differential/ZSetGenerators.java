package io.redstart.differential;

import static io.redstart.differential.Gen.args;

import io.redstart.testing.Bytes;
import io.redstart.testing.DifferentialRunner;
import io.redstart.testing.Reply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Random generators for the sorted-set and GEO commands, for {@link DifferentialRandomTest}.
 *
 * <p>Sorted sets live on the shared keys ({@link Gen#key}), where they meet every other type, grow
 * past the listpack limits now and then (long members) and get any score. Lexicographic commands
 * use their own keys, {@code zl0..zl2}, whose members all score 0: on a skiplist with mixed scores
 * Redis's lex results depend on its random node levels, so only equal scores can be compared.
 * ZRANDMEMBER is checked by property, ZSCAN by a full iteration, and the blocking pops use a 10 ms
 * timeout so that a run never hangs.
 */
final class ZSetGenerators {
  private ZSetGenerators() {}

  static void register(RandomCommands r) {
    r.register("zadd", "zset", 10, ZSetGenerators::zadd);
    r.register("zincrby", "zset", 4, g -> args("ZINCRBY", g.key(), score(g), member(g)).list());
    r.register("zrem", "zset", 4, g -> args("ZREM", zkey(g)).addAll(members(g, 1, 3)).list());
    r.register("zcard", "zset", 2, g -> args("ZCARD", zkey(g)).list());
    r.register("zscore", "zset", 4, g -> args("ZSCORE", zkey(g), member(g)).list());
    r.register("zmscore", "zset", 3, g -> args("ZMSCORE", zkey(g)).addAll(members(g, 1, 4)).list());
    r.register("zrank", "zset", 3, g -> args("ZRANK", zkey(g), member(g)).list());
    r.register("zrevrank", "zset", 2, g -> args("ZREVRANK", zkey(g), member(g)).list());
    r.register("zcount", "zset", 3, g -> args("ZCOUNT", zkey(g), bound(g), bound(g)).list());
    r.register(
        "zlexcount", "zset", 2, g -> args("ZLEXCOUNT", lexKey(g), lexBound(g), lexBound(g)).list());
    r.register("zrange", "zset", 8, g -> zrange(g, "ZRANGE", zkey(g), true));
    r.register(
        "zrangestore",
        "zset",
        3,
        g -> {
          List<String> a = zrange(g, "ZRANGESTORE", zkey(g), false);
          a.add(1, g.key());
          return a;
        });
    r.register(
        "zrevrange",
        "zset",
        2,
        g -> withScores(g, args("ZREVRANGE", zkey(g), index(g), index(g))).list());
    r.register(
        "zrangebyscore",
        "zset",
        3,
        g -> limit(g, withScores(g, args("ZRANGEBYSCORE", zkey(g), bound(g), bound(g)))).list());
    r.register(
        "zrevrangebyscore",
        "zset",
        2,
        g -> limit(g, withScores(g, args("ZREVRANGEBYSCORE", zkey(g), bound(g), bound(g)))).list());
    r.register(
        "zrangebylex",
        "zset",
        2,
        g -> limit(g, args("ZRANGEBYLEX", lexKey(g), lexBound(g), lexBound(g))).list());
    r.register(
        "zrevrangebylex",
        "zset",
        2,
        g -> limit(g, args("ZREVRANGEBYLEX", lexKey(g), lexBound(g), lexBound(g))).list());
    r.register(
        "zremrangebyrank",
        "zset",
        2,
        g -> args("ZREMRANGEBYRANK", zkey(g), index(g), index(g)).list());
    r.register(
        "zremrangebyscore",
        "zset",
        2,
        g -> args("ZREMRANGEBYSCORE", zkey(g), bound(g), bound(g)).list());
    r.register(
        "zremrangebylex",
        "zset",
        1,
        g -> args("ZREMRANGEBYLEX", lexKey(g), lexBound(g), lexBound(g)).list());
    r.register("zpopmin", "zset", 3, g -> pop(g, "ZPOPMIN"));
    r.register("zpopmax", "zset", 3, g -> pop(g, "ZPOPMAX"));
    r.register("zmpop", "zset", 2, g -> mpop(g, args("ZMPOP")));
    r.register(
        "bzpopmin", "zset", 1, g -> args("BZPOPMIN").addAll(zkeys(g, 1, 3)).add(timeout(g)).list());
    r.register(
        "bzpopmax", "zset", 1, g -> args("BZPOPMAX").addAll(zkeys(g, 1, 3)).add(timeout(g)).list());
    r.register("bzmpop", "zset", 1, g -> mpop(g, args("BZMPOP", timeout(g))));
    r.register("zunion", "zset", 2, g -> algebra(g, "ZUNION", null, true, true));
    r.register("zinter", "zset", 2, g -> algebra(g, "ZINTER", null, true, true));
    r.register("zdiff", "zset", 2, g -> algebra(g, "ZDIFF", null, false, true));
    r.register("zunionstore", "zset", 2, g -> algebra(g, "ZUNIONSTORE", g.key(), true, false));
    r.register("zinterstore", "zset", 2, g -> algebra(g, "ZINTERSTORE", g.key(), true, false));
    r.register("zdiffstore", "zset", 2, g -> algebra(g, "ZDIFFSTORE", g.key(), false, false));
    r.register(
        "zintercard",
        "zset",
        2,
        g -> {
          List<String> keys = zkeys(g, 1, 3);
          Gen.Args a = args("ZINTERCARD", numkeys(g, keys.size())).addAll(keys);
          if (g.chance(50)) a.add("LIMIT", g.pick("0", "1", "2", "-1", "abc", "100"));
          return a.list();
        });
    r.register(
        "zrandmember", "zset", 3, ZSetGenerators::zrandmember, ZSetGenerators::checkRandomMembers);
    r.register("zscan", "zset", 2, ZSetGenerators::zscan, ZSetGenerators::checkScan);

    r.register("geoadd", "geo", 4, ZSetGenerators::geoadd);
    r.register("geopos", "geo", 2, g -> args("GEOPOS", zkey(g)).addAll(members(g, 1, 3)).list());
    r.register("geohash", "geo", 2, g -> args("GEOHASH", zkey(g)).addAll(members(g, 1, 3)).list());
    r.register(
        "geodist",
        "geo",
        2,
        g -> {
          Gen.Args a = args("GEODIST", zkey(g), member(g), member(g));
          if (g.chance(60)) a.add(unit(g));
          return a.list();
        });
    r.register("georadius", "geo", 2, g -> georadius(g, "GEORADIUS", false, true));
    r.register("georadius_ro", "geo", 1, g -> georadius(g, "GEORADIUS_RO", false, false));
    r.register("georadiusbymember", "geo", 2, g -> georadius(g, "GEORADIUSBYMEMBER", true, true));
    r.register(
        "georadiusbymember_ro", "geo", 1, g -> georadius(g, "GEORADIUSBYMEMBER_RO", true, false));
    r.register("geosearch", "geo", 3, g -> geosearch(g, false));
    r.register("geosearchstore", "geo", 2, g -> geosearch(g, true));
  }

  // ---- argument pieces

  /** A sorted-set key: mostly the shared keys, now and then a lex key. */
  private static String zkey(Gen g) {
    return g.chance(90) ? g.key() : lexKey(g);
  }

  private static String lexKey(Gen g) {
    return "zl" + g.between(0, 2);
  }

  private static List<String> zkeys(Gen g, int min, int max) {
    int n = g.between(min, max);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(zkey(g));
    return out;
  }

  private static String member(Gen g) {
    return switch (g.between(0, 9)) {
      case 0, 1, 2 -> g.pick("a", "b", "c", "d", "e", "f", "g", "h");
      case 3, 4 -> "m" + g.between(0, 40);
      case 5 -> g.pick("1", "10", "-1", "01", "0", "9223372036854775807", "", " 1");
      case 6 -> g.binary(g.between(1, 4));
      case 7 -> g.chance(20) ? g.text(g.between(65, 100)) : g.text(g.between(1, 10));
      default -> g.pick("Palermo", "Catania", "x", "y");
    };
  }

  private static List<String> members(Gen g, int min, int max) {
    int n = g.between(min, max);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(member(g));
    return out;
  }

  private static String score(Gen g) {
    return switch (g.between(0, 9)) {
      case 0, 1, 2, 3 -> Integer.toString(g.between(-5, 5));
      case 4 -> g.pick("1.5", "-0.5", "0.1", "2.25", "1e-5", "3e20", "1152921504606846976");
      case 5 -> g.pick("inf", "-inf", "+inf", "-0", "0", "1e308", "-1e308", "0x10", "4.9e-324");
      case 6 -> g.pick("nan", "abc", "", " 1", "1e400", "1 ");
      case 7 -> Double.toString(g.chance(50) ? g.between(0, 1000) / 7.0 : -g.between(0, 100) / 3.0);
      default -> Integer.toString(g.between(0, 100));
    };
  }

  private static String bound(Gen g) {
    String s = g.pick("-inf", "+inf", "inf", "0", "1", "2", "5", "-3", "1.5", "100", "-0");
    return switch (g.between(0, 9)) {
      case 0, 1, 2 -> "(" + s;
      case 3 -> g.pick("nan", "abc", "", "(", " 1", "1e400", "(nan", "0x5", "[1");
      default -> s;
    };
  }

  private static String lexBound(Gen g) {
    return switch (g.between(0, 9)) {
      case 0, 1 -> g.pick("-", "+");
      case 2, 3, 4 -> "[" + member(g);
      case 5, 6, 7 -> "(" + member(g);
      default -> g.pick("", "a", "[", "(", "-x", "+x", "*");
    };
  }

  private static String index(Gen g) {
    return switch (g.between(0, 7)) {
      case 0 -> g.pick("-9223372036854775808", "9223372036854775807", "abc", "1.5");
      case 1 -> Integer.toString(g.between(-20, -1));
      default -> Integer.toString(g.between(0, 10));
    };
  }

  private static String count(Gen g) {
    return switch (g.between(0, 7)) {
      case 0 -> g.pick("0", "-1", "abc", "9223372036854775807", "-9223372036854775808");
      default -> Integer.toString(g.between(1, 10));
    };
  }

  private static String numkeys(Gen g, int n) {
    return g.chance(92) ? Integer.toString(n) : g.pick("0", "-1", "abc", Integer.toString(n + 1));
  }

  private static String timeout(Gen g) {
    return g.chance(95) ? "0.01" : g.pick("-1", "abc", "inf");
  }

  private static Gen.Args withScores(Gen g, Gen.Args a) {
    if (g.chance(40)) a.add("WITHSCORES");
    return a;
  }

  private static Gen.Args limit(Gen g, Gen.Args a) {
    if (g.chance(35)) a.add("LIMIT", index(g), index(g));
    return a;
  }

  private static String unit(Gen g) {
    return g.pick("m", "km", "mi", "ft", "KM", "parsec");
  }

  // ---- commands

  private static List<String> zadd(Gen g) {
    if (g.chance(20)) {
      Gen.Args a = args("ZADD", lexKey(g));
      int n = g.between(1, 4);
      for (int i = 0; i < n; i++) a.add("0", member(g));
      return a.list();
    }
    Gen.Args a = args("ZADD", g.key());
    if (g.chance(40)) {
      int n = g.between(1, 2);
      for (int i = 0; i < n; i++) a.add(g.pick("NX", "XX", "GT", "LT", "CH", "INCR", "ch"));
    }
    int pairs = g.chance(80) ? g.between(1, 4) : g.between(5, 40);
    for (int i = 0; i < pairs; i++) a.add(score(g), member(g));
    return a.list();
  }

  private static List<String> zrange(Gen g, String command, String key, boolean client) {
    String kind = g.pick("rank", "rank", "score", "score", "lex");
    Gen.Args a;
    if (kind.equals("lex")) {
      a = args(command, lexKey(g), lexBound(g), lexBound(g), "BYLEX");
    } else if (kind.equals("score")) {
      a = args(command, key, bound(g), bound(g), "BYSCORE");
    } else {
      a = args(command, key, index(g), index(g));
    }
    if (g.chance(30)) a.add("REV");
    if (g.chance(30) && (!kind.equals("rank") || g.chance(20))) a.add("LIMIT", index(g), index(g));
    if (client && g.chance(40)) a.add("WITHSCORES");
    if (g.chance(5)) a.add(g.pick("BYSCORE", "BYLEX", "REV", "FOO"));
    return a.list();
  }

  private static List<String> pop(Gen g, String command) {
    Gen.Args a = args(command, zkey(g));
    if (g.chance(50)) a.add(count(g));
    return a.list();
  }

  private static List<String> mpop(Gen g, Gen.Args a) {
    List<String> keys = zkeys(g, 1, 3);
    a.add(numkeys(g, keys.size())).addAll(keys).add(g.pick("MIN", "MAX", "min", "FOO"));
    if (g.chance(50)) a.add("COUNT", count(g));
    return a.list();
  }

  private static List<String> algebra(
      Gen g, String command, String dst, boolean weights, boolean client) {
    List<String> keys = zkeys(g, 1, 3);
    Gen.Args a = dst == null ? args(command) : args(command, dst);
    a.add(numkeys(g, keys.size())).addAll(keys);
    if (weights && g.chance(30)) {
      a.add("WEIGHTS");
      int n = g.chance(90) ? keys.size() : keys.size() + 1;
      for (int i = 0; i < n; i++) a.add(g.pick("1", "2", "0", "-1", "0.5", "inf", "abc"));
    }
    if (weights && g.chance(30)) a.add("AGGREGATE", g.pick("SUM", "MIN", "MAX", "max", "AVG"));
    if (client && g.chance(40)) a.add("WITHSCORES");
    return a.list();
  }

  private static List<String> zrandmember(Gen g) {
    Gen.Args a = args("ZRANDMEMBER", zkey(g));
    if (g.chance(70)) {
      a.add(
          g.pick(
              "1",
              "2",
              "3",
              "5",
              "10",
              "100",
              "-1",
              "-3",
              "-20",
              "0",
              "abc",
              "-9223372036854775808",
              "9223372036854775807"));
      if (g.chance(40)) a.add(g.chance(95) ? "WITHSCORES" : "FOO");
    }
    return a.list();
  }

  private static List<String> zscan(Gen g) {
    Gen.Args a = args("ZSCAN", zkey(g), g.chance(95) ? "0" : g.pick("abc", "-1", "1.5"));
    if (g.chance(40)) a.add("MATCH", g.pick("*", "m*", "[a-c]", "?", "*1*", "nosuch"));
    if (g.chance(40)) a.add("COUNT", g.pick("1", "5", "100", "0", "-1", "abc"));
    if (g.chance(3)) a.add("TYPE", "zset");
    return a.list();
  }

  private static String longitude(Gen g) {
    return switch (g.between(0, 5)) {
      case 0 -> g.pick("180", "-180", "0", "180.0001", "abc", "inf");
      default -> String.format(Locale.ROOT, "%.6f", g.between(-180_000_000, 180_000_000) / 1e6);
    };
  }

  private static String latitude(Gen g) {
    return switch (g.between(0, 5)) {
      case 0 -> g.pick("85.05112878", "-85.05112878", "0", "85.06", "-90", "nan");
      default -> String.format(Locale.ROOT, "%.6f", g.between(-85_000_000, 85_000_000) / 1e6);
    };
  }

  private static List<String> geoadd(Gen g) {
    Gen.Args a = args("GEOADD", g.key());
    if (g.chance(30)) a.add(g.pick("NX", "XX", "CH", "GT"));
    int n = g.between(1, 4);
    for (int i = 0; i < n; i++) {
      if (g.chance(70)) {
        // Around Sicily: searches find something.
        a.add(
            String.format(Locale.ROOT, "%.6f", 12 + g.between(0, 4_000_000) / 1e6),
            String.format(Locale.ROOT, "%.6f", 36 + g.between(0, 4_000_000) / 1e6),
            member(g));
      } else {
        a.add(longitude(g), latitude(g), member(g));
      }
    }
    return a.list();
  }

  private static void searchOptions(Gen g, Gen.Args a, boolean allowWith) {
    if (allowWith) {
      if (g.chance(40)) a.add("WITHDIST");
      if (g.chance(30)) a.add("WITHCOORD");
      if (g.chance(20)) a.add("WITHHASH");
    }
    if (g.chance(40)) a.add(g.pick("ASC", "DESC"));
    if (g.chance(40)) {
      a.add("COUNT", g.pick("1", "2", "3", "10", "0", "-1", "abc"));
      if (g.chance(30)) a.add("ANY");
    }
  }

  private static String radius(Gen g) {
    return g.pick("0", "1", "50", "100", "200", "500", "5000", "20000", "-1", "abc", "1e308");
  }

  private static List<String> georadius(Gen g, String command, boolean byMember, boolean store) {
    Gen.Args a =
        byMember
            ? args(command, zkey(g), member(g))
            : args(
                command,
                zkey(g),
                g.chance(70) ? "14" : longitude(g),
                g.chance(70) ? "38" : latitude(g));
    a.add(radius(g), g.chance(90) ? g.pick("km", "mi") : unit(g));
    boolean storing = store && g.chance(25);
    searchOptions(g, a, !storing || g.chance(10));
    if (storing) a.add(g.pick("STORE", "STOREDIST"), g.key());
    return a.list();
  }

  private static List<String> geosearch(Gen g, boolean store) {
    Gen.Args a = store ? args("GEOSEARCHSTORE", g.key(), zkey(g)) : args("GEOSEARCH", zkey(g));
    if (g.chance(50)) {
      a.add("FROMMEMBER", member(g));
    } else if (g.chance(95)) {
      a.add("FROMLONLAT", g.chance(70) ? "14" : longitude(g), g.chance(70) ? "38" : latitude(g));
    }
    if (g.chance(50)) {
      a.add("BYRADIUS", radius(g), unit(g));
    } else if (g.chance(95)) {
      a.add("BYBOX", radius(g), radius(g), unit(g));
    }
    searchOptions(g, a, !store || g.chance(10));
    if (store && g.chance(30)) a.add("STOREDIST");
    return a.list();
  }

  // ---- property checks

  /** One server's side of a call. */
  @FunctionalInterface
  private interface Call {
    byte[] call(byte[]... argv) throws IOException;
  }

  /** The (member, score) pairs of a key on one server, by ZRANGE key 0 -1 WITHSCORES. */
  private static Set<String> contents(Call call, byte[] key) throws IOException {
    byte[] reply =
        call.call(
            Bytes.latin1("ZRANGE"),
            key,
            Bytes.latin1("0"),
            Bytes.latin1("-1"),
            Bytes.latin1("WITHSCORES"));
    Set<String> out = new HashSet<>();
    if (reply == null) return out;
    List<String> flat = flatten(Reply.parse(reply));
    for (int i = 0; i + 1 < flat.size(); i += 2) out.add(flat.get(i) + "\u0000" + flat.get(i + 1));
    return out;
  }

  /** The strings of a reply, pairs (RESP3 nested arrays) flattened. */
  private static List<String> flatten(Reply r) {
    List<String> out = new ArrayList<>();
    if (r.children() == null) {
      if (r.isString() || r.type() == ',') out.add(r.text());
      return out;
    }
    for (Reply c : r.children()) out.addAll(flatten(c));
    return out;
  }

  /**
   * ZRANDMEMBER: errors, nulls and empty replies compared as they are; otherwise both replies have
   * the same shape and length, every member (with its score) is in that server's set, and a
   * positive count gives distinct members.
   */
  private static void checkRandomMembers(DifferentialRunner runner, String where, byte[][] argv)
      throws IOException {
    byte[] ref = runner.onReference(argv);
    byte[] got = runner.onRedstart(argv);
    String command = Bytes.commandLine(argv);
    if (got == null) {
      runner.record(where, command, Bytes.printable(ref), "<no reply>");
      return;
    }
    String head = Bytes.latin1(ref);
    boolean settled =
        head.startsWith("-")
            || head.startsWith("$-1\r\n")
            || head.startsWith("*-1\r\n")
            || head.startsWith("_")
            || head.equals("*0\r\n");
    Reply r = Reply.parse(ref);
    Reply s = Reply.parse(got);
    if (settled || r.type() != s.type()) {
      runner.compare(where, command, ref, got, List.of());
      return;
    }
    boolean withScores = argv.length > 3;
    boolean unique = argv.length > 2 && !Bytes.latin1(argv[2]).startsWith("-");
    String problem =
        problem(
            r,
            s,
            withScores,
            unique,
            contents(runner::onReference, argv[1]),
            contents(runner::onRedstart, argv[1]));
    if (problem != null) {
      runner.record(
          where, command + " (" + problem + ")", Bytes.printable(ref), Bytes.printable(got));
    }
  }

  private static String problem(
      Reply r,
      Reply s,
      boolean withScores,
      boolean unique,
      Set<String> refSet,
      Set<String> gotSet) {
    if (r.isString()) {
      return containsMember(gotSet, s.text()) ? null : "a member not in the set";
    }
    if (r.children().size() != s.children().size()) return "lengths differ";
    List<String> got = flatten(s);
    List<String> members = new ArrayList<>();
    for (int i = 0; i < got.size(); i += withScores ? 2 : 1) {
      String m = got.get(i);
      members.add(m);
      boolean ok =
          withScores ? gotSet.contains(m + "\u0000" + got.get(i + 1)) : containsMember(gotSet, m);
      if (!ok) return "a member or score not in the set: " + m;
    }
    if (unique && new HashSet<>(members).size() != members.size()) return "duplicate members";
    if (!refSet.equals(gotSet)) return "the sets differ";
    return null;
  }

  private static boolean containsMember(Set<String> set, String member) {
    for (String p : set) if (p.startsWith(member + "\u0000")) return true;
    return false;
  }

  /**
   * ZSCAN: on a listpack (everything in one reply, in the listpack's order) the replies are
   * compared as they are; on a skiplist, whose order is the hash table's, a full iteration runs on
   * each server with the same options and the pairs seen must be equal.
   */
  private static void checkScan(DifferentialRunner runner, String where, byte[][] argv)
      throws IOException {
    byte[] encoding = runner.onReference(Bytes.latin1("OBJECT"), Bytes.latin1("ENCODING"), argv[1]);
    if (!Bytes.latin1(encoding).contains("skiplist")) {
      runner.run(where, argv, List.of());
      return;
    }
    String ref = iterate(argv, runner::onReference);
    String got = iterate(argv, runner::onRedstart);
    if (!ref.equals(got)) {
      runner.record(where, Bytes.commandLine(argv) + " (full iteration, pairs sorted)", ref, got);
    }
  }

  private static String iterate(byte[][] argv, Call call) throws IOException {
    Set<String> pairs = new TreeSet<>();
    byte[][] a = argv.clone();
    for (int calls = 0; calls < 10_000; calls++) {
      byte[] reply = call.call(a);
      if (reply == null) return "<no reply>";
      Reply r = Reply.parse(reply);
      if (r.type() != '*' || r.children() == null || r.children().size() != 2) {
        return Bytes.printable(reply);
      }
      List<String> flat = flatten(r.children().get(1));
      for (int i = 0; i + 1 < flat.size(); i += 2) pairs.add(flat.get(i) + " = " + flat.get(i + 1));
      String cursor = r.children().get(0).text();
      if (cursor.equals("0")) return pairs.toString();
      a[2] = Bytes.latin1(cursor);
    }
    return "<scan did not end>";
  }
}
