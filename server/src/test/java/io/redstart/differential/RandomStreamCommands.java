package io.redstart.differential;

import static io.redstart.differential.Gen.args;

import java.util.List;

/**
 * Random generators for the stream commands (XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID,
 * XREAD, XREADGROUP, XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO), registered by {@link
 * RandomCommands#standard}. XADD here replaces the type maker of {@link RandomCommands}.
 *
 * <p>What would differ by clock alone is kept out: IDs are explicit (milliseconds from a small
 * range, sequences small, "ms-*"), never "*"; minimum idle times are 0 or far longer than a run;
 * BLOCK waits a few milliseconds at most, on one connection, so it always times out. Idle and
 * delivery times in replies are compared by the stream-times rule. Group and consumer names come
 * from small sets so that groups exist, pending entries pile up and claims move them.
 */
final class RandomStreamCommands {
  private RandomStreamCommands() {}

  static void register(RandomCommands r) {
    r.register("xadd", "stream", 14, RandomStreamCommands::xadd);
    r.register("xlen", "stream", 3, g -> args("XLEN", g.key()).list());
    r.register("xrange", "stream", 5, g -> range(g, "XRANGE"));
    r.register("xrevrange", "stream", 3, g -> range(g, "XREVRANGE"));
    r.register("xdel", "stream", 4, g -> args("XDEL", g.key()).addAll(ids(g, 1, 3)).list());
    r.register("xtrim", "stream", 3, g -> args("XTRIM", g.key()).addAll(trim(g)).list());
    r.register(
        "xsetid",
        "stream",
        2,
        g -> {
          Gen.Args a = args("XSETID", g.key(), id(g));
          if (g.chance(30)) a.add("ENTRIESADDED", g.pick("0", "5", "100", "-1", "x"));
          if (g.chance(30)) a.add("MAXDELETEDID", id(g));
          return a.list();
        });
    r.register("xread", "stream", 5, RandomStreamCommands::xread);
    r.register("xreadgroup", "stream", 10, RandomStreamCommands::xreadgroup);
    r.register("xgroup", "stream", 8, RandomStreamCommands::xgroup);
    r.register(
        "xack", "stream", 5, g -> args("XACK", g.key(), group(g)).addAll(ids(g, 1, 3)).list());
    r.register("xpending", "stream", 5, RandomStreamCommands::xpending);
    r.register("xclaim", "stream", 4, RandomStreamCommands::xclaim);
    r.register("xautoclaim", "stream", 4, RandomStreamCommands::xautoclaim);
    r.register("xinfo", "stream", 4, RandomStreamCommands::xinfo);
  }

  /** An entry ID: a small millisecond, mostly with a small sequence. */
  private static String id(Gen g) {
    return switch (g.between(0, 9)) {
      case 0 -> Integer.toString(g.between(0, 200));
      case 1 -> g.pick("0-0", "0-1", "18446744073709551615-18446744073709551615", "bad", "1-x");
      default -> g.between(0, 200) + "-" + g.between(0, 3);
    };
  }

  private static List<String> ids(Gen g, int min, int max) {
    Gen.Args a = args();
    int n = g.between(min, max);
    for (int i = 0; i < n; i++) a.add(id(g));
    return a.list();
  }

  /** A range bound: -, +, an ID, an exclusive one. */
  private static String bound(Gen g) {
    return switch (g.between(0, 5)) {
      case 0 -> "-";
      case 1 -> "+";
      case 2 -> "(" + id(g);
      default -> id(g);
    };
  }

  private static String group(Gen g) {
    return g.pick("g1", "g1", "g2", "g3");
  }

  private static String consumer(Gen g) {
    return g.pick("c1", "c2", "c3");
  }

  private static String field(Gen g) {
    return g.chance(70) ? g.pick("f", "g", "1") : g.value();
  }

  private static List<String> xadd(Gen g) {
    Gen.Args a = args("XADD", g.key());
    if (g.chance(10)) a.add("NOMKSTREAM");
    if (g.chance(15)) a.addAll(trim(g));
    a.add(
        g.chance(20)
            ? g.between(1, 200) + "-*"
            : g.chance(5) ? g.pick("0-0", "bad", "-") : g.between(1, 200) + "-" + g.between(0, 3));
    int pairs = g.between(1, 3);
    for (int i = 0; i < pairs; i++) a.add(field(g), g.value());
    return a.list();
  }

  private static List<String> trim(Gen g) {
    Gen.Args a = args();
    boolean byLength = g.chance(60);
    a.add(byLength ? g.pick("MAXLEN", "maxlen") : g.pick("MINID", "minid"));
    String mode = g.pick("", "", "~", "=");
    if (!mode.isEmpty()) a.add(mode);
    a.add(byLength ? g.pick("0", "1", "3", "10", "100", "-1", "x") : id(g));
    if (g.chance(20)) a.add("LIMIT", g.pick("0", "1", "5", "-1"));
    return a.list();
  }

  private static List<String> range(Gen g, String command) {
    Gen.Args a = args(command, g.key(), bound(g), bound(g));
    if (g.chance(40)) a.add("COUNT", g.pick("0", "1", "2", "5", "-1", "x"));
    return a.list();
  }

  private static List<String> xread(Gen g) {
    Gen.Args a = args("XREAD");
    if (g.chance(40)) a.add("COUNT", g.pick("1", "2", "0", "-1"));
    if (g.chance(15)) a.add("BLOCK", g.pick("1", "2", "x", "-1"));
    List<String> keys = g.keys(1, 3);
    a.add("STREAMS").addAll(keys);
    for (int i = 0; i < keys.size(); i++) a.add(g.chance(20) ? g.pick("$", ">") : id(g));
    return a.list();
  }

  private static List<String> xreadgroup(Gen g) {
    Gen.Args a = args("XREADGROUP", "GROUP", group(g), consumer(g));
    if (g.chance(40)) a.add("COUNT", g.pick("1", "2", "0"));
    if (g.chance(15)) a.add("NOACK");
    if (g.chance(10)) a.add("BLOCK", g.pick("1", "2"));
    List<String> keys = g.keys(1, 2);
    a.add("STREAMS").addAll(keys);
    for (int i = 0; i < keys.size(); i++) a.add(g.chance(70) ? ">" : g.pick("0", id(g), "$"));
    return a.list();
  }

  private static List<String> xgroup(Gen g) {
    return switch (g.between(0, 9)) {
      case 0, 1, 2 -> {
        Gen.Args a = args("XGROUP", "CREATE", g.key(), group(g), g.pick("0", "$", "-", id(g)));
        if (g.chance(40)) a.add("MKSTREAM");
        if (g.chance(20)) a.add("ENTRIESREAD", g.pick("0", "3", "-1", "-2"));
        yield a.list();
      }
      case 3, 4 -> {
        Gen.Args a = args("XGROUP", "SETID", g.key(), group(g), g.pick("0", "$", "+", id(g)));
        if (g.chance(30)) a.add("ENTRIESREAD", g.pick("0", "3", "-1"));
        yield a.list();
      }
      case 5 -> args("XGROUP", "DESTROY", g.key(), group(g)).list();
      case 6, 7 -> args("XGROUP", "CREATECONSUMER", g.key(), group(g), consumer(g)).list();
      case 8 -> args("XGROUP", "DELCONSUMER", g.key(), group(g), consumer(g)).list();
      default -> args("XGROUP", g.pick("HELP", "FOO")).list();
    };
  }

  private static List<String> xpending(Gen g) {
    Gen.Args a = args("XPENDING", g.key(), group(g));
    if (g.chance(60)) {
      if (g.chance(30)) a.add("IDLE", g.pick("0", "100000000", "x"));
      a.add(bound(g), bound(g), g.pick("0", "1", "10", "-1"));
      if (g.chance(40)) a.add(consumer(g));
    }
    return a.list();
  }

  private static List<String> xclaim(Gen g) {
    Gen.Args a = args("XCLAIM", g.key(), group(g), consumer(g), g.pick("0", "0", "100000000"));
    a.addAll(ids(g, 1, 3));
    int options = g.between(0, 2);
    for (int i = 0; i < options; i++) {
      switch (g.between(0, 6)) {
        case 0 -> a.add("FORCE");
        case 1 -> a.add("JUSTID");
        case 2 -> a.add("IDLE", g.pick("0", "5000", "x"));
        case 3 -> a.add("TIME", g.pick("1", "1000", "x"));
        case 4 -> a.add("RETRYCOUNT", g.pick("0", "3", "-1"));
        case 5 -> a.add("LASTID", id(g));
        default -> a.add("FOO");
      }
    }
    return a.list();
  }

  private static List<String> xautoclaim(Gen g) {
    Gen.Args a =
        args(
            "XAUTOCLAIM",
            g.key(),
            group(g),
            consumer(g),
            g.pick("0", "0", "100000000"),
            g.pick("0", "-", id(g), "(" + id(g)));
    if (g.chance(40)) a.add("COUNT", g.pick("1", "2", "10", "0"));
    if (g.chance(30)) a.add("JUSTID");
    return a.list();
  }

  private static List<String> xinfo(Gen g) {
    return switch (g.between(0, 6)) {
      case 0, 1 -> args("XINFO", "STREAM", g.key()).list();
      case 2 -> {
        Gen.Args a = args("XINFO", "STREAM", g.key(), "FULL");
        if (g.chance(50)) a.add("COUNT", g.pick("0", "1", "5"));
        yield a.list();
      }
      case 3, 4 -> args("XINFO", "GROUPS", g.key()).list();
      case 5 -> args("XINFO", "CONSUMERS", g.key(), group(g)).list();
      default -> args("XINFO", "HELP").list();
    };
  }
}
