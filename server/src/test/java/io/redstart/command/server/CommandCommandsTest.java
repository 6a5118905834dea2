package io.redstart.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.redstart.command.AllCommands;
import io.redstart.command.CommandDefinition;
import io.redstart.command.CommandFlags;
import io.redstart.command.CommandSpec;
import io.redstart.command.CommandTable;
import io.redstart.command.KeySpec;
import io.redstart.command.RawResp;
import io.redstart.command.ReferenceServer;
import io.redstart.command.RespSplit;
import io.redstart.embedded.Redstart;
import io.redstart.resp.ReplyParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * COMMAND and its subcommands compared byte for byte with a reference redis-server: the INFO entry
 * and DOCS map of every command of the JSON files (encoded as Redstart would serve them), then the
 * replies of a running embedded Redstart for the commands it implements, in RESP2 and, once HELLO
 * is there, RESP3. Where Redis's order is its hash-table order (subcommands) the comparison sorts;
 * everything else must match exactly.
 */
class CommandCommandsTest {
  private static ReferenceServer redis;
  private static Redstart.Handle redstart;

  @BeforeAll
  static void start() throws Exception {
    redstart = Redstart.builder().port(0).start();
  }

  @AfterAll
  static void stop() {
    if (redstart != null) redstart.close();
    if (redis != null) redis.close();
  }

  /** A client of the reference server, started on first use (the test is skipped without one). */
  private static RawResp ref(int resp) throws Exception {
    if (redis == null) redis = ReferenceServer.start();
    RawResp c = new RawResp("127.0.0.1", redis.port());
    return resp == 3 ? c.protocol(3) : c;
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** Names of a COMMAND INFO entry's subcommands, in the reply's order. */
  private static List<String> subcommandOrder(byte[] infoReply) throws Exception {
    Object decoded = new ReplyParser().next(Unpooled.wrappedBuffer(infoReply));
    List<?> entry = (List<?>) ((List<?>) decoded).get(0);
    List<String> out = new ArrayList<>();
    if (!(entry.get(9) instanceof List<?> subs)) return out; // an empty set: no subcommands
    for (Object sub : subs) out.add(text((byte[]) ((List<?>) sub).get(0)));
    return out;
  }

  // ---- encodings of every command

  @Test
  void infoOfEveryCommandIsTheReferences() throws Exception {
    for (int resp : new int[] {2, 3}) {
      try (RawResp ref = ref(resp)) {
        for (CommandDefinition d : AllCommands.definitions().values()) {
          if (!AllCommands.inNormalMode(d)) continue;
          byte[] theirs = ref.call("COMMAND", "INFO", d.fullName());
          CommandSpec spec = AllCommands.spec(d.fullName(), subcommandOrder(theirs));
          String mine = "*1\r\n" + text(CommandDescriptions.info(spec, resp));
          assertThat(mine).as("RESP%d COMMAND INFO %s", resp, d.fullName()).isEqualTo(text(theirs));
        }
      }
    }
  }

  @Test
  void docsOfEveryCommandAreTheReferences() throws Exception {
    for (int resp : new int[] {2, 3}) {
      try (RawResp ref = ref(resp)) {
        for (CommandDefinition d : AllCommands.definitions().values()) {
          if (!AllCommands.inNormalMode(d)) continue;
          byte[] theirs = ref.call("COMMAND", "DOCS", d.fullName());
          byte[] order = ref.call("COMMAND", "INFO", d.fullName());
          CommandSpec spec = AllCommands.spec(d.fullName(), subcommandOrder(order));
          String name = "$" + d.fullName().length() + "\r\n" + d.fullName() + "\r\n";
          String mine =
              (resp == 3 ? "%1\r\n" : "*2\r\n") + name + text(CommandDescriptions.docs(spec, resp));
          // DOCS lists subcommands in the same hash-table order as INFO, but compare sorted to be
          // independent of that.
          assertThat(normalizeDocsReply(mine))
              .as("RESP%d COMMAND DOCS %s", resp, d.fullName())
              .isEqualTo(normalizeDocsReply(text(theirs)));
        }
      }
    }
  }

  @Test
  void aCommandWithoutAJsonFileIsDescribedFromItsSpec() {
    KeySpec ks = KeySpec.indexRange(new String[] {"RO"}, 1, 0, 1, 0);
    CommandSpec spec =
        new CommandSpec("nojson", 2, CommandFlags.READONLY, 0, 1, 1, 1, new KeySpec[] {ks}, null);
    String info = text(CommandDescriptions.info(spec, 2));
    assertThat(info)
        .startsWith("*10\r\n$6\r\nnojson\r\n:2\r\n*1\r\n+readonly\r\n:1\r\n:1\r\n:1\r\n");
    assertThat(info).contains("$5\r\nflags\r\n*1\r\n+RO\r\n");
    assertThat(text(CommandDescriptions.docs(spec, 3)))
        .isEqualTo("%1\r\n$5\r\ngroup\r\n$7\r\ngeneric\r\n");
  }

  // ---- a running Redstart against the reference

  private static Set<String> implemented() {
    Set<String> out = new TreeSet<>();
    for (CommandSpec c : CommandTable.commands().values()) {
      out.add(c.fullName);
      for (CommandSpec s : c.subcommands().values()) out.add(s.fullName);
    }
    return out;
  }

  /**
   * Opens a Redstart client in {@code resp}. While HELLO is not implemented, RESP3 is switched on
   * in-process: the newest client's protocol is set on the keyspace thread.
   */
  private static RawResp ours(int resp) throws Exception {
    RawResp c = new RawResp(redstart.host(), redstart.port());
    if (resp == 3 && text(c.call("HELLO", "3")).startsWith("-")) {
      var server = redstart.server();
      server.call(
          () -> {
            long newest =
                server.clients().keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            server.clients().get(newest).protocol(3);
            return null;
          });
    }
    return c;
  }

  private static void sameReplies(int resp, List<List<String>> calls) throws Exception {
    try (RawResp ref = ref(resp);
        RawResp ours = ours(resp)) {
      for (List<String> call : calls) {
        assertThat(text(ours.call(call)))
            .as("RESP%d %s", resp, call)
            .isEqualTo(text(ref.call(call)));
      }
    }
  }

  private static final List<List<String>> EXACT =
      List.of(
          List.of("COMMAND", "INFO", "ping"),
          List.of("COMMAND", "INFO", "PING", "command|count", "Command|Docs", "nosuch"),
          List.of("COMMAND", "INFO", "get|x", "config|", "|", "a|b|c", "command|nosuch", "ping|x"),
          List.of("COMMAND", "DOCS", "ping"),
          List.of("COMMAND", "DOCS", "ping", "nosuch", "command|list", "COMMAND|GETKEYS"),
          List.of("COMMAND", "DOCS", "nosuch"),
          List.of("COMMAND", "INFO", ""),
          List.of("COMMAND", "DOCS", "", "|"),
          List.of("COMMAND", "HELP"),
          List.of("command", "help"),
          List.of("COMMAND", "HELP", "x"),
          List.of("COMMAND", "COUNT", "x"),
          List.of("COMMAND", "NOSUCH"),
          List.of("COMMAND", "LIST", "FILTERBY"),
          List.of("COMMAND", "LIST", "FILTERBY", "PATTERN"),
          List.of("COMMAND", "LIST", "FILTERBY", "PATTERN", "x", "y"),
          List.of("COMMAND", "LIST", "FILTERBY", "NOSUCH", "x"),
          List.of("COMMAND", "LIST", "x", "FILTERBY", "PATTERN", "x"),
          List.of("COMMAND", "LIST", "FILTERBY", "MODULE", "x"),
          List.of("COMMAND", "LIST", "FILTERBY", "ACLCAT", "@connection"),
          List.of("COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"),
          List.of("COMMAND", "GETKEYS"),
          List.of("COMMAND", "GETKEYS", "ping"),
          List.of("COMMAND", "GETKEYSANDFLAGS", "ping", "x"),
          List.of("COMMAND", "GETKEYS", "nosuch", "x"),
          List.of("COMMAND", "GETKEYS", "command", "nosuch"),
          List.of("COMMAND", "GETKEYS", "command", "count"),
          List.of("COMMAND", "GETKEYSANDFLAGS", "COMMAND", "INFO", "x"),
          List.of("COMMAND", "GETKEYS", "command"),
          // Implemented commands with keys.
          List.of("COMMAND", "GETKEYS", "get", "k"),
          List.of("COMMAND", "GETKEYS", "GET"),
          List.of("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "GET"),
          List.of("COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v", "EX", "1"),
          List.of("COMMAND", "GETKEYSANDFLAGS", "MSET", "a", "1", "b", "2"),
          List.of("COMMAND", "GETKEYS", "MSET", "a", "1", "b"),
          List.of("COMMAND", "GETKEYSANDFLAGS", "OBJECT", "ENCODING", "k"),
          List.of("COMMAND", "GETKEYSANDFLAGS", "RENAME", "a", "b"),
          List.of("COMMAND", "GETKEYS", "DEL", "a", "b", "c"),
          List.of("COMMAND", "GETKEYSANDFLAGS", "LCS", "a", "b", "LEN"),
          List.of("COMMAND", "GETKEYS", "CONFIG", "GET", "x"),
          List.of("COMMAND", "GETKEYS", "CONFIG"));

  @Test
  void exactRepliesResp2() throws Exception {
    sameReplies(2, EXACT);
  }

  @Test
  void exactRepliesResp3() throws Exception {
    sameReplies(3, EXACT);
  }

  @Test
  void containerRepliesResp2() throws Exception {
    containerReplies(2);
  }

  @Test
  void containerRepliesResp3() throws Exception {
    containerReplies(3);
  }

  /** COMMAND INFO/DOCS of containers and of everything: equal up to subcommand order. */
  private static void containerReplies(int resp) throws Exception {
    try (RawResp ref = ref(resp);
        RawResp ours = ours(resp)) {
      for (List<String> call :
          List.of(
              List.of("COMMAND", "INFO", "command"),
              List.of("COMMAND", "INFO", "command", "ping"))) {
        assertThat(normalizeInfoReply(text(ours.call(call))))
            .as("RESP%d %s", resp, call)
            .isEqualTo(normalizeInfoReply(text(ref.call(call))));
      }
      List<String> docs = List.of("COMMAND", "DOCS", "command", "ping");
      assertThat(normalizeDocsReply(text(ours.call(docs))))
          .isEqualTo(normalizeDocsReply(text(ref.call(docs))));

      // Everything: each of our entries is the reference's entry for that command, its
      // subcommands restricted to those Redstart implements.
      Set<String> implemented = implemented();
      Map<String, String> refInfo = new HashMap<>();
      for (String e : RespSplit.elements(ref.call("COMMAND"))) {
        String name = RespSplit.bulkText(RespSplit.elements(e).get(0));
        refInfo.put(name, RespSplit.normalizeInfo(e, implemented));
      }
      for (List<String> call : List.of(List.of("COMMAND"), List.of("COMMAND", "INFO"))) {
        List<String> mine = RespSplit.elements(ours.call(call));
        assertThat(mine).hasSize(CommandTable.commands().size());
        for (String e : mine) {
          String name = RespSplit.bulkText(RespSplit.elements(e).get(0));
          assertThat(RespSplit.normalizeInfo(e))
              .as("%s %s", call, name)
              .isEqualTo(refInfo.get(name));
        }
      }
      Map<String, String> refDocs = docsByName(text(ref.call("COMMAND", "DOCS")), implemented);
      Map<String, String> myDocs = docsByName(text(ours.call("COMMAND", "DOCS")), null);
      assertThat(myDocs.keySet()).containsExactlyElementsOf(CommandTable.commands().keySet());
      for (Map.Entry<String, String> e : myDocs.entrySet()) {
        assertThat(e.getValue()).as(e.getKey()).isEqualTo(refDocs.get(e.getKey()));
      }
    }
  }

  private static Map<String, String> docsByName(String reply, Set<String> keep) {
    List<String> pairs = RespSplit.elements(reply);
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i + 1 < pairs.size(); i += 2) {
      out.put(RespSplit.bulkText(pairs.get(i)), RespSplit.normalizeDocs(pairs.get(i + 1), keep));
    }
    return out;
  }

  private static String normalizeInfoReply(String reply) {
    StringBuilder sb =
        new StringBuilder(RespSplit.header(reply.getBytes(StandardCharsets.ISO_8859_1)));
    for (String e : RespSplit.elements(reply)) sb.append(RespSplit.normalizeInfo(e));
    return sb.toString();
  }

  private static String normalizeDocsReply(String reply) {
    StringBuilder sb =
        new StringBuilder(RespSplit.header(reply.getBytes(StandardCharsets.ISO_8859_1)));
    List<String> pairs = RespSplit.elements(reply);
    for (int i = 0; i + 1 < pairs.size(); i += 2) {
      sb.append(pairs.get(i)).append(RespSplit.normalizeDocs(pairs.get(i + 1)));
    }
    return sb.toString();
  }

  @Test
  void countIsTheNumberOfTopLevelCommands() throws Exception {
    try (RawResp ours = ours(2)) {
      assertThat(text(ours.call("COMMAND", "COUNT")))
          .isEqualTo(":" + redstart.server().dispatcher().commands().size() + "\r\n");
    }
  }

  @Test
  void listsAreTheReferencesRestrictedToWhatIsImplemented() throws Exception {
    listsMatch(2);
  }

  @Test
  void listsAreTheReferencesRestrictedToWhatIsImplementedResp3() throws Exception {
    listsMatch(3);
  }

  private static void listsMatch(int resp) throws Exception {
    Set<String> implemented = implemented();
    List<List<String>> calls =
        List.of(
            List.of("COMMAND", "LIST"),
            List.of("COMMAND", "LIST", "FILTERBY", "PATTERN", "c*"),
            List.of("COMMAND", "LIST", "filterby", "pattern", "COMMAND|*"),
            List.of("COMMAND", "LIST", "FILTERBY", "PATTERN", "*[|]*"),
            List.of("COMMAND", "LIST", "FILTERBY", "PATTERN", "p?ng"),
            List.of("COMMAND", "LIST", "FILTERBY", "ACLCAT", "connection"),
            List.of("COMMAND", "LIST", "FILTERBY", "aclcat", "FAST"),
            List.of("COMMAND", "LIST", "FILTERBY", "ACLCAT", "slow"),
            List.of("COMMAND", "LIST", "FILTERBY", "ACLCAT", "keyspace"));
    try (RawResp ref = ref(resp);
        RawResp ours = ours(resp)) {
      for (List<String> call : calls) {
        List<String> theirs = new ArrayList<>(RespSplit.elements(ref.call(call)));
        theirs.removeIf(
            bulk ->
                !implemented.contains(bulk.substring(bulk.indexOf('\n') + 1, bulk.length() - 2)));
        List<String> mine = RespSplit.elements(ours.call(call));
        assertThat(new TreeSet<>(mine)).as("%s", call).isEqualTo(new TreeSet<>(theirs));
        assertThat(mine).as("%s: no duplicates", call).doesNotHaveDuplicates();
      }
    }
  }

  @Test
  void listOrderIsTableOrderWithSubcommandsAfterTheirContainer() throws Exception {
    try (RawResp ours = ours(2)) {
      List<String> names = new ArrayList<>();
      for (String bulk : RespSplit.elements(ours.call("COMMAND", "LIST"))) {
        names.add(bulk.substring(bulk.indexOf('\n') + 1, bulk.length() - 2));
      }
      List<String> expected = new ArrayList<>();
      for (CommandSpec c : CommandTable.commands().values()) {
        expected.add(c.fullName);
        for (CommandSpec s : c.subcommands().values()) expected.add(s.fullName);
      }
      assertThat(names).isEqualTo(expected);
    }
  }
}
