package io.redstart.differential;

import static io.redstart.differential.Gen.args;

import java.util.List;

/**
 * Random generators for the list commands (group "list"), registered by {@link
 * RandomCommands#standard}. Elements come mostly from a small pool so that LREM, LPOS and LINSERT
 * find them, with every kind of {@link Gen#value} (integers of each listpack width, long strings)
 * mixed in; indexes are mostly within a few elements of either end.
 *
 * <p>The blocking commands always get a timeout of a few milliseconds (or an invalid one), never 0,
 * and are not mangled: a mangled call could turn a key or a value into a timeout and wait for
 * hours.
 */
final class RandomListCommands {
  private RandomListCommands() {}

  static void register(RandomCommands r) {
    r.register("lpush", "list", 6, g -> push(g, "LPUSH"));
    r.register("rpush", "list", 6, g -> push(g, "RPUSH"));
    r.register("lpushx", "list", 2, g -> push(g, "LPUSHX"));
    r.register("rpushx", "list", 2, g -> push(g, "RPUSHX"));
    r.register("lpop", "list", 3, g -> pop(g, "LPOP"));
    r.register("rpop", "list", 3, g -> pop(g, "RPOP"));
    r.register("llen", "list", 2, g -> args("LLEN", g.key()).list());
    r.register("lindex", "list", 3, g -> args("LINDEX", g.key(), index(g)).list());
    r.register("lset", "list", 3, g -> args("LSET", g.key(), index(g), element(g)).list());
    r.register("lrange", "list", 4, g -> args("LRANGE", g.key(), index(g), index(g)).list());
    r.register("ltrim", "list", 2, g -> args("LTRIM", g.key(), index(g), index(g)).list());
    r.register(
        "lrem",
        "list",
        3,
        g -> args("LREM", g.key(), g.chance(80) ? small(g) : g.integer(), element(g)).list());
    r.register("lpos", "list", 3, RandomListCommands::lpos);
    r.register(
        "linsert",
        "list",
        3,
        g ->
            args(
                    "LINSERT",
                    g.key(),
                    g.chance(95) ? g.pick("BEFORE", "AFTER", "before", "after") : "MIDDLE",
                    element(g),
                    element(g))
                .list());
    r.register(
        "lmove",
        "list",
        3,
        g -> args("LMOVE", g.key(), g.key(), direction(g), direction(g)).list());
    r.register("rpoplpush", "list", 2, g -> args("RPOPLPUSH", g.key(), g.key()).list());
    r.register("lmpop", "list", 3, g -> lmpop(g, "LMPOP", null));
    r.register("blpop", "list", 1, g -> blockingPop(g, "BLPOP"), RandomCommands.COMPARE);
    r.register("brpop", "list", 1, g -> blockingPop(g, "BRPOP"), RandomCommands.COMPARE);
    r.register(
        "blmove",
        "list",
        1,
        g -> args("BLMOVE", g.key(), g.key(), direction(g), direction(g), timeout(g)).list(),
        RandomCommands.COMPARE);
    r.register(
        "brpoplpush",
        "list",
        1,
        g -> args("BRPOPLPUSH", g.key(), g.key(), timeout(g)).list(),
        RandomCommands.COMPARE);
    r.register("blmpop", "list", 1, g -> lmpop(g, "BLMPOP", timeout(g)), RandomCommands.COMPARE);
  }

  /** An element: mostly from a small pool (so searches hit), else any kind of value. */
  private static String element(Gen g) {
    if (g.chance(60)) return g.pick("a", "b", "c", "1", "2", "-1", "100", "abcdefghij");
    return g.value();
  }

  private static List<String> push(Gen g, String command) {
    Gen.Args a = args(command, g.key());
    int n = g.chance(90) ? g.between(1, 4) : g.between(5, 40);
    for (int i = 0; i < n; i++) a.add(element(g));
    return a.list();
  }

  private static List<String> pop(Gen g, String command) {
    Gen.Args a = args(command, g.key());
    if (g.chance(50)) a.add(g.chance(80) ? Integer.toString(g.between(0, 5)) : g.integer());
    return a.list();
  }

  /** A small count or index, either sign. */
  private static String small(Gen g) {
    return Integer.toString(g.between(-4, 4));
  }

  /** An index: near either end mostly, sometimes at the limits or not a number. */
  private static String index(Gen g) {
    return g.chance(80) ? Integer.toString(g.between(-12, 12)) : g.integer();
  }

  private static String direction(Gen g) {
    return g.chance(97) ? g.pick("LEFT", "RIGHT", "left", "Right") : g.pick("UP", "");
  }

  /** A timeout of a few milliseconds, or one Redis refuses; never 0 (that would wait forever). */
  private static String timeout(Gen g) {
    return g.chance(85)
        ? g.pick("0.001", "0.002", "0.005", "0.0001", "1e-3")
        : g.pick("-1", "-0.5", "abc", "", "inf", "1e400");
  }

  private static List<String> lpos(Gen g) {
    Gen.Args a = args("LPOS", g.key(), element(g));
    int options = g.between(0, 3);
    for (int i = 0; i < options; i++) {
      switch (g.between(0, 6)) {
        case 0, 1 -> a.add("RANK", g.chance(80) ? g.pick("1", "2", "-1", "-2", "3") : g.integer());
        case 2, 3 -> a.add("COUNT", g.chance(80) ? g.pick("0", "1", "2", "5") : g.integer());
        case 4, 5 -> a.add("MAXLEN", g.chance(80) ? g.pick("0", "1", "3", "10") : g.integer());
        default -> a.add(g.pick("RANK", "COUNT", "MAXLEN", "FOO"));
      }
    }
    return a.list();
  }

  /** LMPOP numkeys key... LEFT|RIGHT [COUNT n], or BLMPOP with {@code timeout} first. */
  private static List<String> lmpop(Gen g, String command, String timeout) {
    Gen.Args a = args(command);
    if (timeout != null) a.add(timeout);
    int keys = g.between(1, 3);
    a.add(g.chance(90) ? Integer.toString(keys) : g.pick("0", "-1", "4", "abc"));
    a.addAll(g.keys(keys, keys));
    a.add(direction(g));
    if (g.chance(50))
      a.add("COUNT", g.chance(85) ? Integer.toString(g.between(1, 5)) : g.integer());
    if (g.chance(3)) a.add(g.pick("COUNT", "FOO"));
    return a.list();
  }

  private static List<String> blockingPop(Gen g, String command) {
    return args(command).addAll(g.keys(1, 3)).add(timeout(g)).list();
  }
}
