package io.redstart.command.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redstart.command.AclCategories;
import io.redstart.command.CommandDefinition;
import io.redstart.command.CommandFlags;
import io.redstart.command.CommandSpec;
import io.redstart.command.KeySpec;
import io.redstart.resp.RespWriter;
import io.redstart.util.Json;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The encoded COMMAND INFO entry and COMMAND DOCS map of each command, byte for byte as Redis 7.0
 * writes them (server.c addReplyCommandInfo, addReplyCommandDocs), in RESP2 and RESP3.
 *
 * <p>Arity, flags, ACL categories and legacy key positions come from the {@link CommandSpec}; key
 * specs, tips and docs from the command's JSON file ({@link CommandDefinition#load}); the
 * subcommands listed are the container's implemented ones, in table order. A command without a JSON
 * file (a hand-built table in a test) is described with its spec's key specs, no tips and docs
 * holding only the group "generic".
 *
 * <p>Encodings are computed once per spec and protocol and cached (weakly keyed by the spec, so a
 * stopped embedded server's table can go); parsed JSON is cached by full name. Both caches are safe
 * for the keyspace threads of several servers in one JVM.
 */
final class CommandDescriptions {
  private CommandDescriptions() {}

  private static final Map<String, Optional<CommandDefinition>> DEFINITIONS =
      new ConcurrentHashMap<>();
  private static final Map<CommandSpec, byte[][]> INFO =
      Collections.synchronizedMap(new WeakHashMap<>());
  private static final Map<CommandSpec, byte[][]> DOCS =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** The JSON definition of {@code fullName}, or null when there is no file for it. */
  static CommandDefinition definition(String fullName) {
    return DEFINITIONS
        .computeIfAbsent(fullName, n -> Optional.ofNullable(CommandDefinition.load(n)))
        .orElse(null);
  }

  /** The COMMAND INFO entry of {@code cmd} (an array of 10) in protocol {@code resp}. */
  static byte[] info(CommandSpec cmd, int resp) {
    return cached(INFO, cmd, resp, true);
  }

  /** The COMMAND DOCS value of {@code cmd} (a map, without the name before it). */
  static byte[] docs(CommandSpec cmd, int resp) {
    return cached(DOCS, cmd, resp, false);
  }

  private static byte[] cached(
      Map<CommandSpec, byte[][]> cache, CommandSpec cmd, int resp, boolean info) {
    int slot = resp >= 3 ? 1 : 0;
    byte[][] both;
    synchronized (cache) {
      both = cache.computeIfAbsent(cmd, k -> new byte[2][]);
      if (both[slot] != null) return both[slot];
    }
    // Encoded outside the lock (a container's entry encodes its subcommands through here); two
    // threads may both encode, to the same bytes.
    ByteBuf buf = Unpooled.buffer(1024);
    RespWriter w = new RespWriter(buf);
    w.protocol(resp);
    if (info) {
      writeInfo(w, cmd);
    } else {
      writeDocs(w, cmd);
    }
    byte[] b = new byte[buf.readableBytes()];
    buf.readBytes(b);
    synchronized (cache) {
      both[slot] = b;
    }
    return b;
  }

  // ---- COMMAND INFO

  private static void writeInfo(RespWriter w, CommandSpec cmd) {
    CommandDefinition def = definition(cmd.fullName);
    w.array(10);
    w.bulk(cmd.fullName);
    w.integer(cmd.arity);
    statusSet(w, CommandFlags.reportedNames(cmd.flags));
    w.integer(cmd.firstKey);
    w.integer(cmd.lastKey);
    w.integer(cmd.keyStep);
    statusSet(w, AclCategories.names(cmd.aclCategories));
    List<String> tips = def == null ? List.of() : def.tips();
    w.set(tips.size());
    for (String t : tips) w.bulk(t);
    List<KeySpec> specs = def == null ? List.of(cmd.keySpecs) : def.keySpecs();
    w.set(specs.size());
    for (KeySpec ks : specs) writeKeySpec(w, ks);
    if (cmd.isContainer()) {
      w.array(cmd.subcommands().size());
      for (CommandSpec sub : cmd.subcommands().values()) w.raw(info(sub, w.protocol()));
    } else {
      w.set(0);
    }
  }

  private static void writeKeySpec(RespWriter w, KeySpec ks) {
    w.map(ks.notes() == null ? 3 : 4);
    if (ks.notes() != null) {
      w.bulk("notes");
      w.bulk(ks.notes());
    }
    w.bulk("flags");
    statusSet(w, List.of(ks.flags()));
    w.bulk("begin_search");
    w.map(2);
    w.bulk("type");
    if (ks.unknownBegin()) {
      w.bulk("unknown");
      w.bulk("spec");
      w.map(0);
    } else if (ks.keyword() == null) {
      w.bulk("index");
      w.bulk("spec");
      w.map(1);
      w.bulk("index");
      w.integer(ks.beginIndex());
    } else {
      w.bulk("keyword");
      w.bulk("spec");
      w.map(2);
      w.bulk("keyword");
      w.bulk(ks.keyword());
      w.bulk("startfrom");
      w.integer(ks.keywordStartFrom());
    }
    w.bulk("find_keys");
    w.map(2);
    w.bulk("type");
    if (ks.unknownFind()) {
      w.bulk("unknown");
      w.bulk("spec");
      w.map(0);
    } else if (ks.range()) {
      w.bulk("range");
      w.bulk("spec");
      w.map(3);
      w.bulk("lastkey");
      w.integer(ks.lastKey());
      w.bulk("keystep");
      w.integer(ks.keyStep());
      w.bulk("limit");
      w.integer(ks.limit());
    } else {
      w.bulk("keynum");
      w.bulk("spec");
      w.map(3);
      w.bulk("keynumidx");
      w.integer(ks.keynumIndex());
      w.bulk("firstkey");
      w.integer(ks.firstKey());
      w.bulk("keystep");
      w.integer(ks.keyStep());
    }
  }

  // ---- COMMAND DOCS

  private static void writeDocs(RespWriter w, CommandSpec cmd) {
    CommandDefinition def = definition(cmd.fullName);
    Map<String, Object> docs = def == null ? Map.of("group", "generic") : def.docs();
    int fields = 0;
    for (String k : CommandDefinition.DOC_FIELDS) if (docs.containsKey(k)) fields++;
    if (!docs.containsKey("group")) fields++; // Redis always sends the group
    if (cmd.isContainer()) fields++;
    w.map(fields);
    for (String k : CommandDefinition.DOC_FIELDS) {
      if (k.equals("group") && !docs.containsKey(k)) {
        w.bulk("group");
        w.bulk("generic");
        continue;
      }
      if (!docs.containsKey(k)) continue;
      w.bulk(k);
      switch (k) {
        case "doc_flags" -> statusSet(w, Json.strings(docs, k));
        case "history" -> {
          List<Object> history = Json.asList(docs.get(k), k);
          w.set(history.size());
          for (Object h : history) {
            List<Object> pair = Json.asList(h, k);
            w.array(2);
            w.bulk((String) pair.get(0));
            w.bulk((String) pair.get(1));
          }
        }
        case "arguments" -> writeArguments(w, Json.asList(docs.get(k), k));
        default -> w.bulk((String) docs.get(k));
      }
    }
    if (cmd.isContainer()) {
      w.bulk("subcommands");
      w.map(cmd.subcommands().size());
      for (CommandSpec sub : cmd.subcommands().values()) {
        w.bulk(sub.fullName);
        w.raw(docs(sub, w.protocol()));
      }
    }
  }

  private static void writeArguments(RespWriter w, List<Object> args) {
    w.array(args.size());
    for (Object o : args) {
      Map<String, Object> a = Json.asMap(o, "argument");
      int fields = 0;
      for (String k : CommandDefinition.ARG_FIELDS) if (a.containsKey(k)) fields++;
      w.map(fields);
      for (String k : CommandDefinition.ARG_FIELDS) {
        if (!a.containsKey(k)) continue;
        w.bulk(k);
        switch (k) {
          case "key_spec_index" -> w.integer(Json.integer(a, k));
          case "flags" -> statusSet(w, Json.strings(a, k));
          case "arguments" -> writeArguments(w, Json.asList(a.get(k), k));
          default -> w.bulk((String) a.get(k));
        }
      }
    }
  }

  private static void statusSet(RespWriter w, List<String> names) {
    w.set(names.size());
    for (String n : names) w.simple(n);
  }
}
