package io.redstart.differential;

import static io.redstart.differential.Gen.args;

import io.redstart.persistence.rdb.RdbOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Random generators for DUMP and RESTORE, registered by {@link RandomCommands#standard}. DUMP
 * replies are compared byte for byte. RESTORE gets payloads built here for the random values the
 * other generators use (string payloads in RDB version 10, as Redis writes them), damaged ones
 * (a flipped byte, a cut, a bad type, a newer version is left out: Redstart reads RDB 11), and the
 * options in valid and invalid combinations.
 */
final class PersistenceGenerators {
  private PersistenceGenerators() {}

  static void register(RandomCommands r) {
    r.register("dump", "generic", 4, g -> args("DUMP", g.key()).list(), PersistenceGenerators::dump);
    r.register("restore", "generic", 4, PersistenceGenerators::restore, RandomCommands.COMPARE);
  }

  /**
   * DUMP compared byte for byte when the value's bytes are a function of its content (strings,
   * listpacks, intsets, quicklists); hashtables, skiplists and streams depend on each server's
   * hash seed or clock, so only the kind of reply is compared for them. DEBUG OBJECT's
   * serializedlength is compared for every existing key but streams.
   */
  private static void dump(io.redstart.testing.DifferentialRunner runner, String where, byte[][] argv)
      throws IOException {
    byte[] enc = runner.onReference("OBJECT".getBytes(StandardCharsets.US_ASCII),
        "ENCODING".getBytes(StandardCharsets.US_ASCII), argv[1]);
    String e = new String(enc, StandardCharsets.ISO_8859_1);
    boolean exact = e.contains("int") || e.contains("embstr") || e.contains("raw")
        || e.contains("listpack") || e.contains("quicklist") || e.startsWith("$-1") || e.startsWith("_")
        || e.startsWith("-");
    runner.run(where, argv, exact ? List.of() : List.of("type"));
    // And the value's serialized length (DEBUG OBJECT), the same whatever the order; not for
    // streams, whose IDs drawn with * come from each server's clock.
    if (!e.startsWith("$-1") && !e.startsWith("_") && !e.startsWith("-") && !e.contains("stream")) {
      byte[][] debug = {
        "DEBUG".getBytes(StandardCharsets.US_ASCII), "OBJECT".getBytes(StandardCharsets.US_ASCII), argv[1]
      };
      String ref = serializedLength(runner.onReference(debug));
      String ours = serializedLength(runner.onRedstart(debug));
      if (!ref.equals(ours)) {
        runner.record(where, "DEBUG OBJECT " + new String(argv[1], StandardCharsets.ISO_8859_1)
            + " (serializedlength)", ref, ours);
      }
    }
  }

  /** The serializedlength field of a DEBUG OBJECT reply, or the whole reply when it has none. */
  private static String serializedLength(byte[] reply) {
    String s = reply == null ? "(none)" : new String(reply, StandardCharsets.ISO_8859_1);
    for (String part : s.trim().split(" ")) {
      if (part.startsWith("serializedlength:")) return part;
    }
    return s;
  }

  /** A DUMP payload of a string value (type 0, the value, version 10, CRC-64). */
  static String stringPayload(String value) {
    try {
      RdbOutput out = RdbOutput.inMemory(true);
      out.type(0);
      out.string(value.getBytes(StandardCharsets.ISO_8859_1));
      out.writeByte(10);
      out.writeByte(0);
      out.millis(out.crc());
      return new String(out.toBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> restore(Gen g) {
    String payload = stringPayload(g.value());
    switch (g.between(0, 9)) {
      case 0 -> {
        char[] c = payload.toCharArray();
        int at = g.between(0, c.length - 1);
        c[at] = (char) ((c[at] + 1) & 0xff);
        payload = new String(c);
      }
      case 1 -> payload = payload.substring(0, g.between(0, payload.length() - 1));
      default -> { }
    }
    String ttl = switch (g.between(0, 6)) {
      case 0, 1, 2 -> "0";
      case 3 -> g.millis();
      case 4 -> g.pick("-1", "x", "9223372036854775807");
      default -> "0";
    };
    Gen.Args a = args("RESTORE", g.key(), ttl, payload);
    if (g.chance(30)) a.add("REPLACE");
    if (g.chance(15)) {
      a.add("ABSTTL");
      if (ttl.equals("0") && g.chance(50)) {
        // An absolute time far in the past or far ahead: never one that expires meanwhile.
        a.list().set(2, g.pick("1", "4000000000000"));
      }
    }
    if (g.chance(15)) a.add("IDLETIME", g.pick("0", "10", "-1", "x"));
    if (g.chance(15)) a.add("FREQ", g.pick("0", "255", "256", "-1"));
    if (g.chance(5)) a.add(g.pick("FOO", "IDLETIME", "FREQ"));
    return a.list();
  }
}
