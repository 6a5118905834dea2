package io.redstart.differential;

import static io.redstart.differential.Gen.args;

import java.util.List;

/**
 * Random generators for the bitmap commands (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD,
 * BITFIELD_RO) and the HyperLogLog commands (PFADD, PFCOUNT, PFMERGE, PFDEBUG), registered by
 * {@link RandomCommands#standard}.
 *
 * <p>Offsets stay small, or are invalid: a valid offset near 2^32 bits would make a 512 MB value
 * on both servers. HyperLogLog elements come from a small alphabet so that registers collide,
 * change and stay unchanged; every key can meet every command, so WRONGTYPE, the HyperLogLog
 * WRONGTYPE for foreign strings and INVALIDOBJ for strings corrupted by SETRANGE all happen.
 */
final class BitmapHllCommands {
  private BitmapHllCommands() {}

  static void register(RandomCommands r) {
    r.register(
        "setbit",
        "bitmap",
        8,
        g ->
            args("SETBIT", g.key(), bitOffset(g), g.pick("0", "1", "1", "0", "2", "-1", "x"))
                .list());
    r.register("getbit", "bitmap", 6, g -> args("GETBIT", g.key(), bitOffset(g)).list());
    r.register(
        "bitcount",
        "bitmap",
        6,
        g -> {
          Gen.Args a = args("BITCOUNT", g.key());
          switch (g.between(0, 5)) {
            case 0 -> {}
            case 1 -> a.add(index(g));
            case 2, 3 -> a.add(index(g), index(g));
            case 4 -> a.add(index(g), index(g), unit(g));
            default -> a.add(index(g), index(g), unit(g), "x");
          }
          return a.list();
        });
    r.register(
        "bitpos",
        "bitmap",
        6,
        g -> {
          Gen.Args a = args("BITPOS", g.key(), g.pick("0", "1", "1", "0", "2", "-1", "x"));
          switch (g.between(0, 5)) {
            case 0 -> {}
            case 1 -> a.add(index(g));
            case 2 -> a.add(index(g), index(g));
            case 3, 4 -> a.add(index(g), index(g), unit(g));
            default -> a.add(index(g), index(g), unit(g), "x");
          }
          return a.list();
        });
    r.register(
        "bitop",
        "bitmap",
        5,
        g ->
            args(
                    "BITOP",
                    g.pick("AND", "OR", "XOR", "NOT", "NOT", "and", "xor", "nand"),
                    g.key())
                .addAll(g.keys(1, 3))
                .list());
    r.register("bitfield", "bitmap", 8, g -> bitfield(g, "BITFIELD"));
    r.register("bitfield_ro", "bitmap", 3, g -> bitfield(g, "BITFIELD_RO"));

    r.register("pfadd", "hyperloglog", 8, g -> args("PFADD", g.key()).addAll(elements(g)).list());
    r.register("pfcount", "hyperloglog", 6, g -> args("PFCOUNT").addAll(g.keys(1, 3)).list());
    r.register(
        "pfmerge", "hyperloglog", 4, g -> args("PFMERGE", g.key()).addAll(g.keys(0, 3)).list());
    r.register(
        "pfdebug",
        "hyperloglog",
        2,
        g ->
            args(
                    "PFDEBUG",
                    g.pick("ENCODING", "DECODE", "TODENSE", "encoding", "GETREG", "FOO"),
                    g.key())
                .list());
  }

  /** A bit offset: mostly within a few hundred bytes, sometimes invalid or past 2^32 - 1. */
  private static String bitOffset(Gen g) {
    return switch (g.between(0, 9)) {
      case 0 ->
          g.pick(
              "-1",
              "4294967296",
              "9223372036854775807",
              "-9223372036854775808",
              "abc",
              "",
              "#1",
              "1.0");
      case 1 -> Integer.toString(g.between(0, 4000));
      default -> Integer.toString(g.between(0, 200));
    };
  }

  /** A BITCOUNT/BITPOS index: small of either sign, large, or not a number. */
  private static String index(Gen g) {
    return switch (g.between(0, 9)) {
      case 0 ->
          g.pick(
              "9223372036854775807",
              "-9223372036854775808",
              "1152921504606846975",
              "-1152921504606846976",
              "abc",
              "");
      case 1 -> Integer.toString(g.between(-300, 300));
      default -> Integer.toString(g.between(-20, 40));
    };
  }

  private static String unit(Gen g) {
    return g.pick("BIT", "BYTE", "bit", "byte", "BITS", "x");
  }

  /** A BITFIELD type: every width of both signs, and the invalid ones near them. */
  private static String type(Gen g) {
    return switch (g.between(0, 9)) {
      case 0 -> g.pick("u64", "i65", "i0", "u0", "x8", "I8", "i", "", "u-1", "i08", "u8\u0000x");
      case 1 -> (g.chance(50) ? "i" : "u") + g.between(1, 63);
      case 2 -> "i64";
      default -> g.pick("i8", "u8", "i16", "u16", "u1", "i1", "i5", "u3", "u63", "i32");
    };
  }

  /** A BITFIELD offset: bits, the #n form, or invalid. */
  private static String fieldOffset(Gen g) {
    return switch (g.between(0, 9)) {
      case 0 -> g.pick("-1", "#-1", "4294967296", "#", "abc", "", "#9223372036854775807");
      case 1, 2 -> "#" + g.between(0, 20);
      default -> Integer.toString(g.between(0, 300));
    };
  }

  /** A SET value or an INCRBY increment: small, the edges of every width, or not a number. */
  private static String fieldValue(Gen g) {
    return switch (g.between(0, 9)) {
      case 0 -> g.pick("9223372036854775807", "-9223372036854775808", "abc", "", "1.5");
      case 1 -> Long.toString(g.chance(50) ? 1L << g.between(0, 62) : -(1L << g.between(0, 62)));
      case 2 -> Long.toString((1L << g.between(1, 63)) - 1);
      default -> Integer.toString(g.between(-300, 300));
    };
  }

  private static List<String> bitfield(Gen g, String command) {
    Gen.Args a = args(command, g.key());
    int ops = g.between(0, 4);
    for (int i = 0; i < ops; i++) {
      switch (g.between(0, 9)) {
        case 0, 1, 2 -> a.add("GET", type(g), fieldOffset(g));
        case 3, 4 -> a.add("SET", type(g), fieldOffset(g), fieldValue(g));
        case 5, 6 -> a.add("INCRBY", type(g), fieldOffset(g), fieldValue(g));
        case 7, 8 -> a.add("OVERFLOW", g.pick("WRAP", "SAT", "FAIL", "fail", "sat", "NONE"));
        default -> a.add(g.pick("GET", "SET", "INCRBY", "OVERFLOW", "FOO"));
      }
    }
    return a.list();
  }

  /** PFADD elements: none, a few from a small alphabet, or a batch that may make a key dense. */
  private static List<String> elements(Gen g) {
    int n =
        switch (g.between(0, 9)) {
          case 0 -> 0;
          case 1 -> g.between(200, 1500);
          default -> g.between(1, 8);
        };
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = g.chance(70) ? "e" + g.between(0, 5000) : g.binary(g.between(0, 6));
    }
    return List.of(out);
  }
}
