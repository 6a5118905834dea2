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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry of random command generators for {@link DifferentialRandomTest}: one entry per
 * command, with a group, a weight (how often it is drawn) and, for commands whose replies are
 * random, a property check that replaces the byte comparison.
 *
 * <p>To cover a new command, register a generator in {@link #standard} (or in a method of its own
 * for a new type): the test draws it as soon as Redstart's {@code COMMAND LIST} reports the
 * command. Generators of the {@code types} group only create keys of other types, so that the
 * string and generic commands meet WRONGTYPE; they switch on by themselves the same way.
 */
final class RandomCommands {
  /** Makes the arguments of one call, the command name included. */
  @FunctionalInterface
  interface Generator {
    List<String> generate(Gen g);
  }

  /** Runs one generated call on both servers and records any difference. */
  @FunctionalInterface
  interface Check {
    void run(DifferentialRunner runner, String where, byte[][] argv) throws IOException;
  }

  /** The check of a command with a deterministic reply: bytes after the default rules. */
  static final Check COMPARE = (runner, where, argv) -> runner.run(where, argv, List.of());

  record Command(
      String name, String group, int weight, Generator generator, Check check, boolean mangle) {}

  private final Map<String, Command> commands = new LinkedHashMap<>();

  void register(String name, String group, int weight, Generator generator) {
    commands.put(name, new Command(name, group, weight, generator, COMPARE, true));
  }

  /** Registers a command that has its own check, or whose arguments must be used as generated. */
  void register(String name, String group, int weight, Generator generator, Check check) {
    commands.put(name, new Command(name, group, weight, generator, check, false));
  }

  Collection<Command> all() {
    return commands.values();
  }

  Command get(String name) {
    return commands.get(name);
  }

  Set<String> names() {
    return commands.keySet();
  }

  /** Groups whose commands are drawn when Redstart cannot say which commands it has. */
  static final Set<String> DEFAULT_GROUPS = Set.of("string", "generic", "connection", "server");

  /** The generators for the string, generic, connection and server commands, and type makers. */
  static RandomCommands standard() {
    RandomCommands r = new RandomCommands();
    strings(r);
    generic(r);
    connection(r);
    server(r);
    typeMakers(r);
    HashSetGenerators.register(r);
    RandomListCommands.register(r);
    BitmapHllCommands.register(r);
    PersistenceGenerators.register(r);
    ScriptingGenerators.register(r);
    RandomStreamCommands.register(r);
    PubSubGenerators.register(r);
    ReplicationGenerators.register(r);
    ZSetGenerators.register(r);
    return r;
  }

  private static void strings(RandomCommands r) {
    r.register("get", "string", 20, g -> args("GET", g.key()).list());
    r.register("set", "string", 25, RandomCommands::set, RandomCommands::setThenTouch);
    r.register("setnx", "string", 4, g -> args("SETNX", g.key(), g.value()).list());
    r.register("setex", "string", 4, g -> args("SETEX", g.key(), g.seconds(), g.value()).list());
    r.register("psetex", "string", 4, g -> args("PSETEX", g.key(), g.millis(), g.value()).list());
    r.register("getset", "string", 4, g -> args("GETSET", g.key(), g.value()).list());
    r.register("getdel", "string", 4, g -> args("GETDEL", g.key()).list());
    r.register(
        "getex",
        "string",
        8,
        g -> {
          Gen.Args a = args("GETEX", g.key());
          switch (g.between(0, 7)) {
            case 0 -> a.add("EX", g.seconds());
            case 1 -> a.add("PX", g.millis());
            case 2 -> a.add("EXAT", g.unixSeconds());
            case 3 -> a.add("PXAT", g.unixMillis());
            case 4 -> a.add("PERSIST");
            case 5 -> a.add(g.pick("EX", "PERSIST", "FOO"), g.pick("PERSIST", "EX", "1"));
            default -> {}
          }
          return a.list();
        });
    r.register(
        "mset",
        "string",
        6,
        g -> {
          Gen.Args a = args("MSET");
          int pairs = g.between(1, 4);
          for (int i = 0; i < pairs; i++) a.add(g.key(), g.value());
          return a.list();
        });
    r.register(
        "msetnx",
        "string",
        4,
        g -> {
          Gen.Args a = args("MSETNX");
          int pairs = g.between(1, 3);
          for (int i = 0; i < pairs; i++) a.add(g.key(), g.value());
          return a.list();
        });
    r.register("mget", "string", 8, g -> args("MGET").addAll(g.keys(1, 5)).list());
    r.register(
        "append",
        "string",
        8,
        g -> args("APPEND", g.key(), g.chance(80) ? g.text(g.between(0, 8)) : g.value()).list());
    r.register("strlen", "string", 6, g -> args("STRLEN", g.key()).list());
    r.register(
        "getrange", "string", 6, g -> args("GETRANGE", g.key(), g.integer(), g.integer()).list());
    r.register(
        "substr", "string", 2, g -> args("SUBSTR", g.key(), g.integer(), g.integer()).list());
    r.register(
        "setrange",
        "string",
        6,
        g -> args("SETRANGE", g.key(), g.offset(), g.text(g.between(0, 6))).list());
    r.register("incr", "string", 8, g -> args("INCR", g.key()).list());
    r.register("decr", "string", 6, g -> args("DECR", g.key()).list());
    r.register("incrby", "string", 8, g -> args("INCRBY", g.key(), g.integer()).list());
    r.register("decrby", "string", 6, g -> args("DECRBY", g.key(), g.integer()).list());
    r.register(
        "incrbyfloat", "string", 8, g -> args("INCRBYFLOAT", g.key(), g.floatIncrement()).list());
    r.register(
        "lcs",
        "string",
        4,
        g -> {
          Gen.Args a = args("LCS", g.key(), g.key());
          switch (g.between(0, 5)) {
            case 0 -> a.add("LEN");
            case 1 -> a.add("IDX");
            case 2 -> a.add("IDX", "WITHMATCHLEN");
            case 3 -> a.add("IDX", "MINMATCHLEN", g.integer());
            case 4 ->
                a.add(
                    g.pick("LEN", "IDX", "FOO", "MINMATCHLEN"),
                    g.pick("IDX", "LEN", "WITHMATCHLEN"));
            default -> {}
          }
          return a.list();
        });
  }

  private static List<String> set(Gen g) {
    Gen.Args a = args("SET", g.key(), g.value());
    int options = g.between(0, 3);
    for (int i = 0; i < options; i++) {
      switch (g.between(0, 9)) {
        case 0 -> a.add("NX");
        case 1 -> a.add("XX");
        case 2 -> a.add("GET");
        case 3 -> a.add("KEEPTTL");
        case 4 -> a.add("EX", g.seconds());
        case 5 -> a.add("PX", g.millis());
        case 6 -> a.add("EXAT", g.unixSeconds());
        case 7 -> a.add("PXAT", g.unixMillis());
        case 8 -> a.add(g.pick("ex", "nx", "get", "FOO"));
        default -> a.add("EX");
      }
    }
    return a.list();
  }

  /**
   * SET, then EXISTS on its key when it was given a time in the past. Redis 7.0 keeps such a key in
   * memory until something reads it or the active expiry cycle finds it, and that cycle runs at
   * different moments on the two servers: DBSIZE, INFO keyspace and DEBUG DIGEST would then differ
   * by chance. Reading the key at once makes both drop it (and that is compared too).
   */
  private static void setThenTouch(DifferentialRunner runner, String where, byte[][] argv)
      throws IOException {
    runner.run(where, argv, List.of());
    for (int i = 3; i + 1 < argv.length; i++) {
      String option = Bytes.latin1(argv[i]).toUpperCase(java.util.Locale.ROOT);
      if (option.equals("EXAT") || option.equals("PXAT")) {
        runner.run(
            where + " (reading the key)",
            new byte[][] {Bytes.latin1("EXISTS"), argv[1]},
            List.of());
        return;
      }
    }
  }

  private static void generic(RandomCommands r) {
    r.register("del", "generic", 8, g -> args("DEL").addAll(g.keys(1, 3)).list());
    r.register("unlink", "generic", 3, g -> args("UNLINK").addAll(g.keys(1, 3)).list());
    r.register("exists", "generic", 8, g -> args("EXISTS").addAll(g.keys(1, 4)).list());
    r.register("type", "generic", 6, g -> args("TYPE", g.key()).list());
    r.register("touch", "generic", 3, g -> args("TOUCH").addAll(g.keys(1, 3)).list());
    r.register("rename", "generic", 4, g -> args("RENAME", g.key(), g.key()).list());
    r.register("renamenx", "generic", 3, g -> args("RENAMENX", g.key(), g.key()).list());
    r.register("move", "generic", 3, g -> args("MOVE", g.key(), g.db()).list());
    r.register(
        "copy",
        "generic",
        4,
        g -> {
          Gen.Args a = args("COPY", g.key(), g.key());
          if (g.chance(40)) a.add("DB", g.db());
          if (g.chance(40)) a.add("REPLACE");
          return a.list();
        });
    r.register("keys", "generic", 3, g -> args("KEYS", g.pattern()).list());
    r.register("dbsize", "generic", 3, g -> args("DBSIZE").list());
    r.register("randomkey", "generic", 3, g -> args("RANDOMKEY").list(), RandomCommands::randomKey);
    r.register("scan", "generic", 3, RandomCommands::scanArgs, RandomCommands::scan);
    r.register(
        "object",
        "generic",
        5,
        g -> {
          String sub =
              g.pick("ENCODING", "ENCODING", "REFCOUNT", "IDLETIME", "FREQ", "HELP", "FOO");
          return sub.equals("HELP")
              ? args("OBJECT", sub).list()
              : args("OBJECT", sub, g.key()).list();
        },
        RandomCommands::object);
    r.register("expire", "generic", 6, g -> expireArgs(g, "EXPIRE", g.seconds()));
    r.register("pexpire", "generic", 4, g -> expireArgs(g, "PEXPIRE", g.millis()));
    r.register("expireat", "generic", 4, g -> expireArgs(g, "EXPIREAT", g.unixSeconds()));
    r.register("pexpireat", "generic", 4, g -> expireArgs(g, "PEXPIREAT", g.unixMillis()));
    r.register("ttl", "generic", 6, g -> args("TTL", g.key()).list());
    r.register("pttl", "generic", 4, g -> args("PTTL", g.key()).list());
    r.register("expiretime", "generic", 3, g -> args("EXPIRETIME", g.key()).list());
    r.register("pexpiretime", "generic", 3, g -> args("PEXPIRETIME", g.key()).list());
    r.register("persist", "generic", 4, g -> args("PERSIST", g.key()).list());
  }

  /**
   * OBJECT: IDLETIME only by type. In Redis a key holding a shared integer (0 to 9999) reports the
   * idle time of that shared object, which whatever key last read it refreshed: a quirk that
   * depends on timing, not on this key.
   */
  private static void object(DifferentialRunner runner, String where, byte[][] argv)
      throws IOException {
    boolean idle = argv.length > 1 && Bytes.latin1(argv[1]).equalsIgnoreCase("IDLETIME");
    runner.run(where, argv, idle ? List.of("type") : List.of());
  }

  private static List<String> expireArgs(Gen g, String command, String time) {
    Gen.Args a = args(command, g.key(), time);
    if (g.chance(50)) a.add(g.pick("NX", "XX", "GT", "LT", "nx", "gt"));
    if (g.chance(10)) a.add(g.pick("NX", "XX", "GT", "LT", "FOO"));
    return a.list();
  }

  private static void connection(RandomCommands r) {
    r.register(
        "ping",
        "connection",
        2,
        g -> g.chance(50) ? args("PING").list() : args("PING", g.value()).list());
    r.register("echo", "connection", 2, g -> args("ECHO", g.value()).list());
    r.register("select", "connection", 4, g -> args("SELECT", g.db()).list());
    r.register("swapdb", "connection", 1, g -> args("SWAPDB", g.db(), g.db()).list());
    r.register(
        "hello",
        "connection",
        1,
        g ->
            g.chance(90)
                ? args("HELLO", g.pick("2", "3")).list()
                : args("HELLO", g.pick("1", "4", "abc")).list());
    r.register("reset", "connection", 1, g -> args("RESET").list());
    r.register(
        "client",
        "connection",
        2,
        g ->
            switch (g.between(0, 4)) {
              case 0 -> args("CLIENT", "ID").list();
              case 1 -> args("CLIENT", "GETNAME").list();
              case 2 -> args("CLIENT", "SETNAME", g.pick("n1", "n2", "", "bad name")).list();
              case 3 -> args("CLIENT", "INFO").list();
              default -> args("CLIENT", "NO-EVICT", g.pick("on", "off", "maybe")).list();
            });
  }

  private static void server(RandomCommands r) {
    r.register(
        "flushdb",
        "server",
        1,
        g ->
            g.chance(50)
                ? args("FLUSHDB").list()
                : args("FLUSHDB", g.pick("ASYNC", "SYNC", "FOO")).list());
    r.register("flushall", "server", 1, g -> args("FLUSHALL").list());
    r.register("time", "server", 1, g -> args("TIME").list());
    // Only the keyspace section: counters since start differ (the harness's own probes), and the
    // call is never mangled into a plain INFO.
    r.register("info", "server", 1, g -> args("INFO", "keyspace").list(), COMPARE);
    r.register(
        "config",
        "server",
        1,
        g -> args("CONFIG", "GET", g.pick("maxmemory", "hz", "maxmemory*", "nosuch")).list());
    r.register(
        "debug",
        "server",
        3,
        g ->
            switch (g.between(0, 3)) {
              case 0 -> args("DEBUG", "OBJECT", g.key()).list();
              case 1 -> args("DEBUG", "DIGEST-VALUE").addAll(g.keys(1, 3)).list();
              case 2 -> args("DEBUG", "DIGEST").list();
              default -> args("DEBUG", "SLEEP", "0").list();
            });
  }

  /** Commands that create keys of other types, so that WRONGTYPE happens. */
  private static void typeMakers(RandomCommands r) {
    r.register(
        "rpush",
        "types",
        3,
        g -> args("RPUSH", g.key()).addAll(List.of(g.value(), g.value())).list());
    r.register(
        "sadd",
        "types",
        3,
        g -> args("SADD", g.key()).addAll(List.of(g.value(), g.value())).list());
    r.register("hset", "types", 3, g -> args("HSET", g.key(), g.value(), g.value()).list());
    r.register(
        "zadd",
        "types",
        3,
        g -> args("ZADD", g.key(), Integer.toString(g.between(-5, 5)), g.value()).list());
    // Explicit ids: "*" would take each server's clock.
    r.register(
        "xadd",
        "types",
        2,
        g ->
            args("XADD", g.key(), g.between(1, 1000) + "-" + g.between(0, 3), "f", g.value())
                .list());
  }

  // ---- property checks for commands whose replies are random

  /** RANDOMKEY: both nil, or both a key that exists on both servers. */
  private static void randomKey(DifferentialRunner runner, String where, byte[][] argv)
      throws IOException {
    byte[] ref = runner.onReference(argv);
    byte[] got = runner.onRedstart(argv);
    String command = Bytes.commandLine(argv);
    if (got == null) {
      runner.record(where, command, Bytes.printable(ref), "<no reply>");
      return;
    }
    if (!isKey(ref) || !isKey(got)) {
      // Nil on both sides is equal; anything else differs and is shown as it is.
      runner.compare(where, command, ref, got, List.of());
      return;
    }
    Reply r = Reply.parse(ref);
    Reply s = Reply.parse(got);
    for (byte[] key : List.of(r.bytes(), s.bytes())) {
      byte[] onRef = runner.onReference(Bytes.latin1("EXISTS"), key);
      byte[] onGot = runner.onRedstart(Bytes.latin1("EXISTS"), key);
      if (!":1\r\n".equals(Bytes.latin1(onRef))
          || onGot == null
          || !":1\r\n".equals(Bytes.latin1(onGot))) {
        runner.record(
            where,
            command + " (then EXISTS " + Bytes.printable(key) + " on both)",
            Bytes.printable(ref) + " then " + Bytes.printable(onRef),
            Bytes.printable(got)
                + " then "
                + (onGot == null ? "<no reply>" : Bytes.printable(onGot)));
        return;
      }
    }
  }

  private static boolean isKey(byte[] reply) {
    return reply.length > 0 && reply[0] == '$' && !Bytes.latin1(reply).startsWith("$-1");
  }

  private static List<String> scanArgs(Gen g) {
    Gen.Args a = args("SCAN", g.chance(95) ? "0" : g.pick("abc", "-1x", "1.5"));
    if (g.chance(50)) a.add("MATCH", g.pattern());
    if (g.chance(50)) a.add("COUNT", g.pick("1", "2", "10", "100", "0", "-1", "abc"));
    if (g.chance(30))
      a.add("TYPE", g.pick("string", "list", "hash", "set", "zset", "stream", "nosuch"));
    return a.list();
  }

  /**
   * SCAN: cursors are the server's own business, so a full iteration is compared instead. Both
   * servers iterate with the same options until the cursor is 0 again, and the sets of keys seen
   * must be equal; an error on the first call is compared as it is.
   */
  private static void scan(DifferentialRunner runner, String where, byte[][] argv)
      throws IOException {
    Iteration ref = iterate(argv, a -> runner.onReference(a));
    Iteration got = iterate(argv, a -> runner.onRedstart(a));
    runner.compare(
        where,
        Bytes.commandLine(argv) + " (full iteration, keys sorted)",
        ref.reply(),
        got.reply(),
        List.of());
  }

  @FunctionalInterface
  private interface Call {
    byte[] call(byte[][] argv) throws IOException;
  }

  private record Iteration(byte[] reply) {}

  private static final int MAX_SCAN_CALLS = 10_000;

  private static Iteration iterate(byte[][] argv, Call call) throws IOException {
    Set<String> keys = new TreeSet<>();
    byte[][] a = argv.clone();
    for (int calls = 0; calls < MAX_SCAN_CALLS; calls++) {
      byte[] reply = call.call(a);
      if (reply == null) return new Iteration(Bytes.latin1("<no reply>"));
      Reply r = Reply.parse(reply);
      if (r.type() != '*' || r.children() == null || r.children().size() != 2)
        return new Iteration(reply);
      for (Reply k : r.children().get(1).children()) keys.add(k.text());
      String cursor = r.children().get(0).text();
      if (cursor.equals("0")) return new Iteration(array(keys));
      a[1] = Bytes.latin1(cursor);
    }
    return new Iteration(Bytes.latin1("<scan did not end after " + MAX_SCAN_CALLS + " calls>"));
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

  /** Names in {@code names} that are registered, in registration order. */
  List<String> registered(Collection<String> names) {
    List<String> out = new ArrayList<>();
    for (String n : commands.keySet()) if (names.contains(n)) out.add(n);
    return out;
  }
}
