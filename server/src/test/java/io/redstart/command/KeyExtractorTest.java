package io.redstart.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redstart.command.KeyExtractor.KeyRef;
import io.redstart.command.server.CommandCommands;
import io.redstart.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Key extraction from the key specs of the JSON files and from Redis's key procedures: expected
 * keys for many command lines, then every command line of {@link #LINES} and a sweep over every
 * command and argument count compared byte for byte with COMMAND GETKEYS and GETKEYSANDFLAGS of a
 * reference redis-server.
 */
class KeyExtractorTest {
  private static Map<String, CommandSpec> table;
  private static CommandLookup lookup;

  @BeforeAll
  static void load() throws Exception {
    table = AllCommands.table();
    lookup = CommandLookup.of(table);
  }

  private static byte[][] line(String... args) {
    byte[][] b = new byte[args.length][];
    for (int i = 0; i < args.length; i++) b[i] = args[i].getBytes(StandardCharsets.UTF_8);
    return b;
  }

  private static CommandSpec cmd(byte[][] line) {
    return AllCommands.lookup(lookup, line);
  }

  /** "key:FLAG,FLAG" per key found. */
  private static List<String> keys(String... args) {
    byte[][] line = line(args);
    List<String> out = new ArrayList<>();
    for (KeyRef k : KeyExtractor.keys(cmd(line), line)) {
      out.add(args[k.index()] + ":" + String.join(",", k.flags()));
    }
    return out;
  }

  @Test
  void indexRanges() {
    assertThat(keys("GET", "k")).containsExactly("k:RO,access");
    assertThat(keys("mget", "a", "b", "c"))
        .containsExactly("a:RO,access", "b:RO,access", "c:RO,access");
    assertThat(keys("MSET", "a", "1", "b", "2")).containsExactly("a:OW,update", "b:OW,update");
    assertThat(keys("RENAME", "a", "b")).containsExactly("a:RW,access,delete", "b:OW,update");
    assertThat(keys("OBJECT", "ENCODING", "k")).containsExactly("k:RO");
    assertThat(keys("BLPOP", "a", "b", "0"))
        .containsExactly("a:RW,access,delete", "b:RW,access,delete");
  }

  @Test
  void keywordsAndLimits() {
    // XREAD: keyword STREAMS, then half of the remaining arguments.
    assertThat(keys("XREAD", "COUNT", "2", "STREAMS", "a", "b", "0", "0"))
        .containsExactly("a:RO,access", "b:RO,access");
    // An odd number after STREAMS: the limit rounds down, as in Redis.
    assertThat(keys("XREAD", "STREAMS", "a", "b", "0")).containsExactly("a:RO,access");
    // Nothing after STREAMS: the spec fails and the procedure finds nothing.
    assertThat(keys("XREAD", "COUNT", "1", "STREAMS")).isEmpty();
    assertThat(keys("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"))
        .containsExactly("s:RO,access");
  }

  @Test
  void keynum() {
    assertThat(keys("EVAL", "return 1", "2", "a", "b", "x"))
        .containsExactly("a:RW,access,update", "b:RW,access,update");
    assertThat(keys("EVAL", "return 1", "0")).isEmpty();
    assertThat(keys("ZUNIONSTORE", "d", "2", "a", "b"))
        .containsExactly("d:OW,update", "a:RO,access", "b:RO,access");
    assertThat(keys("LMPOP", "2", "a", "b", "LEFT"))
        .containsExactly("a:RW,access,delete", "b:RW,access,delete");
  }

  @Test
  void numkeysProceduresReadTheCountWithAtoi() {
    // "02" is not a strict integer: the spec fails and the procedure (atoi) finds the keys, with
    // the destination last and no flags, as Redis does.
    assertThat(keys("ZUNIONSTORE", "d", "02", "a", "b")).containsExactly("a:", "b:", "d:");
    assertThat(keys("ZUNIONSTORE", "d", "0", "a", "b")).isEmpty();
    assertThat(keys("SINTERCARD", "3", "a", "b")).isEmpty();
    assertThat(KeyExtractor.atoi("  -12abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-12);
    assertThat(KeyExtractor.atoi("+7".getBytes(StandardCharsets.US_ASCII))).isEqualTo(7);
    assertThat(KeyExtractor.atoi("99999999999999999999".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(-1); // strtol clamps to LONG_MAX, which narrows to -1
    assertThat(KeyExtractor.atoi("x".getBytes(StandardCharsets.US_ASCII))).isZero();
  }

  @Test
  void sortAndMigrateAndFlagDependentCommands() {
    assertThat(keys("SORT", "k", "BY", "store", "LIMIT", "0", "1", "STORE", "d"))
        .containsExactly("k:RO,access", "d:OW,update");
    assertThat(keys("SORT", "k", "STORE")).containsExactly("k:RO,access");
    assertThat(keys("SORT_RO", "k", "GET", "#")).containsExactly("k:RO,access");
    assertThat(keys("MIGRATE", "h", "1", "k", "0", "0")).containsExactly("k:RW,access,delete");
    assertThat(keys("MIGRATE", "h", "1", "", "0", "0", "AUTH", "keys", "KEYS", "a", "b"))
        .containsExactly("a:RW,access,delete", "b:RW,access,delete");
    assertThat(keys("MIGRATE", "h", "1", "k", "0", "0", "KEYS", "a")).isEmpty();
    assertThat(keys("SET", "k", "v", "GET")).containsExactly("k:RW,access,update");
    assertThat(keys("SET", "k", "v", "EX", "1")).containsExactly("k:OW,update");
    assertThat(keys("BITFIELD", "k", "GET", "u8", "0")).containsExactly("k:RO,access");
    assertThat(keys("BITFIELD", "k", "INCRBY", "u8", "0", "1"))
        .containsExactly("k:RW,access,update");
    assertThat(keys("GEORADIUS", "k", "1", "2", "3", "m", "STORE", "d"))
        .containsExactly("k:RO,access", "d:OW,update");
  }

  @Test
  void commandsWithoutKeys() {
    assertThat(KeyExtractor.hasKeys(cmd(line("PING")))).isFalse();
    assertThat(KeyExtractor.hasKeys(cmd(line("PUBLISH", "c", "m")))).isFalse();
    // SPUBLISH's only spec is a not_key (a shard channel).
    assertThat(KeyExtractor.hasKeys(cmd(line("SPUBLISH", "c", "m")))).isFalse();
    assertThat(KeyExtractor.hasKeys(cmd(line("GET", "k")))).isTrue();
    assertThat(KeyExtractor.hasKeys(cmd(line("SORT", "k")))).isTrue();
  }

  @Test
  void notKeySpecsCountOnlyWhenAsked() {
    CommandSpec spublish = cmd(line("SPUBLISH", "c", "m"));
    assertThat(KeyExtractor.fromKeySpecs(spublish.keySpecs, line("SPUBLISH", "c", "m"), false))
        .isEmpty();
    assertThat(KeyExtractor.fromKeySpecs(spublish.keySpecs, line("SPUBLISH", "c", "m"), true))
        .extracting(KeyRef::index)
        .containsExactly(1);
  }

  @Test
  void keywordSearchFromTheEndNeverLooksAtTheFirstArgument() {
    KeySpec fromEnd =
        new KeySpec(new String[] {"RO"}, null, 0, "KEYS", -1, true, -1, 1, 0, 0, 0, false, false);
    KeySpec[] specs = {fromEnd};
    // Searching backwards from the last argument stops before argv[1].
    assertThat(KeyExtractor.fromKeySpecs(specs, line("X", "KEYS", "a"), false)).isEmpty();
    assertThat(KeyExtractor.fromKeySpecs(specs, line("X", "y", "KEYS", "a"), false))
        .extracting(KeyRef::index)
        .containsExactly(3);
  }

  // ---- the reference

  /** Command lines compared with the reference, beyond the sweep's generated ones. */
  static final List<List<String>> LINES =
      List.of(
          List.of("GET", "k"),
          List.of("get", "k", "extra"),
          List.of("MSET", "a", "1", "b"),
          List.of("MSET", "a", "1", "b", "2"),
          List.of("XREAD", "COUNT", "2", "STREAMS", "a", "b", "0", "0"),
          List.of("XREAD", "BLOCK", "0", "STREAMS", "a", "0"),
          List.of("XREAD", "STREAMS", "a", "b", "0"),
          List.of("XREAD", "NOACK", "STREAMS", "a", "0"),
          List.of("XREAD", "FOO", "STREAMS", "a", "0"),
          List.of("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
          List.of("XREADGROUP", "GROUP", "g", "c", "NOACK", "STREAMS", "s", "t", ">", ">"),
          List.of("EVAL", "return 1", "2", "a", "b", "x"),
          List.of("EVAL", "return 1", "0"),
          List.of("EVAL", "return 1", "-1"),
          List.of("EVAL", "return 1", "3", "a"),
          List.of("EVAL", "return 1", "01", "a"),
          List.of("EVALSHA_RO", "abc", "1", "a"),
          List.of("FCALL", "f", "2", "a", "b"),
          List.of("FCALL_RO", "f", "1", "a", "x"),
          List.of("ZUNIONSTORE", "d", "2", "a", "b"),
          List.of("ZUNIONSTORE", "d", "02", "a", "b"),
          List.of("ZUNIONSTORE", "d", " 2", "a", "b"),
          List.of("ZUNIONSTORE", "d", "+2", "a", "b"),
          List.of("ZUNIONSTORE", "d", "0", "a", "b"),
          List.of("ZINTERSTORE", "d", "1", "a", "WEIGHTS", "2"),
          List.of("ZDIFFSTORE", "d", "2", "a", "b"),
          List.of("ZUNION", "2", "a", "b", "WITHSCORES"),
          List.of("ZINTER", "02", "a", "b"),
          List.of("ZDIFF", "1", "a"),
          List.of("ZINTERCARD", "2", "a", "b", "LIMIT", "1"),
          List.of("SINTERCARD", "2", "a", "b"),
          List.of("SINTERCARD", "3", "a", "b"),
          List.of("SINTERCARD", "2x", "a", "b"),
          List.of("LMPOP", "2", "a", "b", "LEFT"),
          List.of("LMPOP", "0", "a", "LEFT"),
          List.of("BLMPOP", "0", "2", "a", "b", "LEFT"),
          List.of("ZMPOP", "1", "a", "MIN"),
          List.of("BZMPOP", "0", "1", "a", "MAX", "COUNT", "2"),
          List.of("BZMPOP", "0", "01", "a", "MAX"),
          List.of("SORT", "k"),
          List.of("SORT", "k", "STORE", "d"),
          List.of("SORT", "k", "STORE", "d", "STORE", "e"),
          List.of("SORT", "k", "BY", "store", "LIMIT", "0", "1", "STORE", "d"),
          List.of("SORT", "k", "GET", "#", "STORE"),
          List.of("SORT", "k", "LIMIT", "STORE", "x", "STORE", "y"),
          List.of("SORT_RO", "k", "BY", "x", "GET", "y"),
          List.of("MIGRATE", "h", "1", "k", "0", "0"),
          List.of("MIGRATE", "h", "1", "", "0", "0", "KEYS", "a", "b"),
          List.of("MIGRATE", "h", "1", "", "0", "0", "COPY", "REPLACE", "KEYS", "a"),
          List.of("MIGRATE", "h", "1", "", "0", "0", "AUTH", "keys", "KEYS", "a"),
          List.of("MIGRATE", "h", "1", "", "0", "0", "AUTH2", "u", "keys", "KEYS", "a"),
          List.of("MIGRATE", "h", "1", "k", "0", "0", "KEYS", "a", "b"),
          List.of("MIGRATE", "h", "1", "", "0", "0"),
          List.of("SET", "k", "v"),
          List.of("SET", "k", "v", "GET"),
          List.of("SET", "k", "v", "get", "EX", "1"),
          List.of("SET", "k", "GET"),
          List.of("BITFIELD", "k"),
          List.of("BITFIELD", "k", "GET", "u8", "0"),
          List.of("BITFIELD", "k", "GET", "u8", "0", "OVERFLOW", "SAT", "GET", "i4", "1"),
          List.of("BITFIELD", "k", "SET", "u8", "0", "1"),
          List.of("BITFIELD", "k", "GET", "u8"),
          List.of("BITFIELD_RO", "k", "GET", "u8", "0"),
          List.of("GEORADIUS", "k", "1", "2", "3", "m"),
          List.of("GEORADIUS", "k", "1", "2", "3", "m", "STORE", "d"),
          List.of("GEORADIUS", "k", "1", "2", "3", "m", "STORE", "d", "STOREDIST", "e"),
          List.of("GEORADIUS", "k", "1", "2", "3", "m", "STORE"),
          List.of("GEORADIUSBYMEMBER", "k", "m", "3", "km", "STOREDIST", "d"),
          List.of("GEORADIUS_RO", "k", "1", "2", "3", "m"),
          List.of("GEOSEARCHSTORE", "d", "s", "FROMMEMBER", "m", "BYRADIUS", "1", "m"),
          List.of("OBJECT", "ENCODING", "k"),
          List.of("OBJECT", "HELP"),
          List.of("OBJECT"),
          List.of("MEMORY", "USAGE", "k", "SAMPLES", "5"),
          List.of("CONFIG", "GET", "x"),
          List.of("CONFIG"),
          List.of("XINFO", "STREAM", "s", "FULL"),
          List.of("XGROUP", "CREATE", "s", "g", "$"),
          List.of("CLIENT", "KILL", "ID", "1"),
          List.of("PUBLISH", "c", "m"),
          List.of("SPUBLISH", "c", "m"),
          List.of("SUBSCRIBE", "c"),
          List.of("PING"),
          List.of("NOSUCH", "a"),
          List.of("GET"),
          List.of("RENAME", "a", "b"),
          List.of("BLPOP", "a", "b", "0"),
          List.of("BRPOPLPUSH", "a", "b", "0"),
          List.of("LCS", "a", "b", "LEN"),
          List.of("PFCOUNT", "a", "b"),
          List.of("DEL", "a", "b", "c"),
          List.of("EXISTS", "a"),
          List.of("TOUCH", "a", "b"),
          List.of("WATCH", "a", "b"),
          List.of("COPY", "a", "b", "DB", "1"),
          List.of("RESTORE", "k", "0", "payload"),
          List.of("SMOVE", "a", "b", "m"),
          List.of("LMOVE", "a", "b", "LEFT", "RIGHT"),
          List.of("BITOP", "AND", "d", "a", "b"),
          List.of("GEOSEARCH", "k", "FROMLONLAT", "1", "2", "BYBOX", "1", "1", "m"),
          List.of("XADD", "s", "*", "f", "v"),
          List.of("XCLAIM", "s", "g", "c", "0", "0-1"),
          List.of("HSET", "h", "f", "v"),
          List.of("COMMAND", "GETKEYS", "GET", "k"),
          List.of("DEBUG", "OBJECT", "k"));

  /** Our reply to COMMAND GETKEYS[ANDFLAGS] for {@code args}, or the error line. */
  private static byte[] ours(List<String> args, boolean withFlags, int resp) {
    byte[][] line = line(args.toArray(String[]::new));
    CommandSpec cmd = AllCommands.lookup(lookup, line);
    ByteBuf buf = Unpooled.buffer();
    RespWriter w = new RespWriter(buf);
    w.protocol(resp);
    // The dispatcher's arity check of COMMAND GETKEYS[ANDFLAGS] itself comes first.
    CommandSpec self = table.get("command").subcommand(withFlags ? "getkeysandflags" : "getkeys");
    String error =
        self.arityAccepts(line.length + 2)
            ? CommandCommands.writeKeys(w, cmd, line, withFlags)
            : Errors.wrongArity(self.fullName);
    if (error != null) w.error(error);
    byte[] out = new byte[buf.readableBytes()];
    buf.readBytes(out);
    return out;
  }

  private static void compare(RawResp ref, List<String> args, int resp) throws Exception {
    for (String sub : List.of("GETKEYS", "GETKEYSANDFLAGS")) {
      List<String> call = new ArrayList<>(List.of("COMMAND", sub));
      call.addAll(args);
      String theirs = new String(ref.call(call), StandardCharsets.ISO_8859_1);
      String mine =
          new String(ours(args, sub.equals("GETKEYSANDFLAGS"), resp), StandardCharsets.ISO_8859_1);
      assertThat(mine).as("RESP%d COMMAND %s %s", resp, sub, args).isEqualTo(theirs);
    }
  }

  @Test
  void sameAsTheReferenceForHandPickedLines() throws Exception {
    try (ReferenceServer redis = ReferenceServer.start();
        RawResp ref2 = new RawResp("127.0.0.1", redis.port());
        RawResp ref3 = new RawResp("127.0.0.1", redis.port()).protocol(3)) {
      for (List<String> args : LINES) {
        compare(ref2, args, 2);
        compare(ref3, args, 3);
      }
    }
  }

  /**
   * Every command known in normal mode (subcommands included), with argument counts around its
   * arity and arguments of a few shapes ("1", key-like names, keywords of the command itself),
   * compared with the reference. This reaches every key spec, the arity and no-keys errors, and the
   * procedures' fallbacks.
   */
  @Test
  void sameAsTheReferenceForEveryCommand() throws Exception {
    int compared = 0;
    try (ReferenceServer redis = ReferenceServer.start();
        RawResp ref = new RawResp("127.0.0.1", redis.port())) {
      for (CommandDefinition d : AllCommands.definitions().values()) {
        if (!AllCommands.inNormalMode(d)) continue;
        List<String> head =
            d.container() == null ? List.of(d.name()) : List.of(d.container(), d.name());
        int min = Math.abs(d.arity());
        for (int argc = Math.max(head.size(), min - 1); argc <= min + 4; argc++) {
          for (List<String> args : shapes(head, argc, tokens(d))) {
            compare(ref, args, 2);
            compared++;
          }
        }
      }
    }
    assertThat(compared).isGreaterThan(3000);
  }

  /** Words the command's docs use as tokens (STORE, KEYS, STREAMS ...). */
  private static List<String> tokens(CommandDefinition d) {
    List<String> out = new ArrayList<>();
    collectTokens(d.docs().get("arguments"), out);
    return out;
  }

  private static void collectTokens(Object args, List<String> out) {
    if (!(args instanceof List<?> list)) return;
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> a)) continue;
      if (a.get("token") instanceof String t && !out.contains(t)) out.add(t);
      collectTokens(a.get("arguments"), out);
    }
  }

  private static List<List<String>> shapes(List<String> head, int argc, List<String> tokens) {
    List<List<String>> out = new ArrayList<>();
    int n = argc - head.size();
    List<String> ones = new ArrayList<>(head);
    List<String> keys = new ArrayList<>(head);
    List<String> twos = new ArrayList<>(head);
    List<String> mixed = new ArrayList<>(head);
    for (int i = 0; i < n; i++) {
      ones.add("1");
      keys.add("k" + i);
      twos.add(i % 2 == 0 ? "2" : "k" + i);
      mixed.add(
          tokens.isEmpty() ? "x" + i : (i % 2 == 0 ? "k" + i : tokens.get(i / 2 % tokens.size())));
    }
    out.add(ones);
    out.add(keys);
    out.add(twos);
    out.add(mixed);
    // Each token at each position once the line is long enough: reaches the keyword searches.
    if (n >= 2) {
      for (String t : tokens) {
        List<String> l = new ArrayList<>(keys);
        l.set(head.size() + 1, t);
        out.add(l);
        List<String> end = new ArrayList<>(keys);
        end.set(end.size() - 2, t);
        out.add(end);
      }
    }
    return out;
  }
}
