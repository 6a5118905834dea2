package io.redstart.command;

import io.redstart.resp.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds which arguments of a command are keys, as Redis 7.0 does for COMMAND GETKEYS, cluster
 * routing and ACL key checks (db.c getKeysFromCommandWithSpecs): from the command's key specs when
 * they describe every key with reliable flags, else with the command's own key procedure.
 *
 * <p>Key specs: a begin-search step (a fixed index, or the argument after a keyword searched from
 * {@code startfrom}, backwards when negative, never looking at the search's end position itself)
 * and a find-keys step (a range with lastkey, step and limit, or a key count read from an argument
 * with Redis's strict integer syntax). A spec whose keyword is absent contributes nothing; a spec
 * that cannot be applied (unknown type, count not an integer or negative, bounds outside the
 * arguments) or that is flagged {@code incomplete} makes the whole spec pass fail, and the
 * procedure decides. Specs flagged {@code not_key} (channel-like arguments) are skipped.
 *
 * <p>Procedures: Redis has one for 27 commands whose specs are incomplete, variable in their flags,
 * or fail on unusual input: SORT and SORT_RO (the STORE key), MIGRATE (its KEYS form), SET and
 * BITFIELD (flags that depend on GET), the numkeys commands (EVAL*, FCALL*, *MPOP, SINTERCARD,
 * ZUNION/ZINTER/ZDIFF and their STORE forms, ZINTERCARD), GEORADIUS* and XREAD*. They are
 * implemented here, keyed by command name, with Redis's quirks: the numkeys procedures read the
 * count with C's {@code atoi}, put a destination key last and give no flags.
 *
 * <p>Stateless; the caller has checked the arity. Allocates only the result.
 */
public final class KeyExtractor {
  private KeyExtractor() {}

  /** A key argument: its index in argv (0 is the command name) and its key-spec flag names. */
  public record KeyRef(int index, String[] flags) {}

  private static final String[] NO_FLAGS = {};
  private static final String[] RO_ACCESS = {"RO", "access"};
  private static final String[] OW_UPDATE = {"OW", "update"};
  private static final String[] RW_ACCESS_UPDATE = {"RW", "access", "update"};
  private static final String[] RW_ACCESS_DELETE = {"RW", "access", "delete"};

  /** Commands that have a key procedure in Redis 7.0 (its get_keys_function). */
  private static final Set<String> PROCEDURES =
      Set.of(
          "bitfield",
          "blmpop",
          "bzmpop",
          "eval",
          "eval_ro",
          "evalsha",
          "evalsha_ro",
          "fcall",
          "fcall_ro",
          "georadius",
          "georadiusbymember",
          "lmpop",
          "migrate",
          "set",
          "sintercard",
          "sort",
          "sort_ro",
          "xread",
          "xreadgroup",
          "zdiff",
          "zdiffstore",
          "zinter",
          "zintercard",
          "zinterstore",
          "zmpop",
          "zunion",
          "zunionstore");

  /**
   * Whether the command may have keys at all (Redis's doesCommandHaveKeys): it has a key procedure
   * or a key spec not flagged {@code not_key}.
   */
  public static boolean hasKeys(CommandSpec cmd) {
    return PROCEDURES.contains(cmd.fullName) || hasRealKeySpec(cmd);
  }

  /**
   * The keys of {@code argv} (a whole command line, argv[0] being the command name), in Redis's
   * order. Empty when none can be found; COMMAND GETKEYS then replies with an error unless the
   * command is flagged {@code no_mandatory_keys}.
   */
  public static List<KeyRef> keys(CommandSpec cmd, byte[][] argv) {
    if (hasRealKeySpec(cmd) && !hasSpecFlag(cmd, "variable_flags")) {
      List<KeyRef> keys = fromKeySpecs(cmd.keySpecs, argv, false);
      if (keys != null) return keys;
    }
    if (PROCEDURES.contains(cmd.fullName)) return byProcedure(cmd.fullName, argv);
    return List.of();
  }

  private static boolean hasRealKeySpec(CommandSpec cmd) {
    for (KeySpec ks : cmd.keySpecs) if (!has(ks.flags(), "not_key")) return true;
    return false;
  }

  private static boolean hasSpecFlag(CommandSpec cmd, String flag) {
    for (KeySpec ks : cmd.keySpecs) if (has(ks.flags(), flag)) return true;
    return false;
  }

  private static boolean has(String[] flags, String flag) {
    for (String f : flags) if (f.equals(flag)) return true;
    return false;
  }

  /**
   * Applies the key specs in order (Redis's getKeysUsingKeySpecs). Returns null when a spec cannot
   * be applied or is incomplete; with {@code includeNotKeys}, {@code not_key} specs count.
   */
  public static List<KeyRef> fromKeySpecs(KeySpec[] specs, byte[][] argv, boolean includeNotKeys) {
    int argc = argv.length;
    List<KeyRef> out = new ArrayList<>();
    for (KeySpec spec : specs) {
      if (has(spec.flags(), "not_key") && !includeNotKeys) continue;
      int first = 0;
      if (spec.unknownBegin()) return null;
      if (spec.keyword() == null) {
        first = spec.beginIndex();
      } else {
        int from = spec.keywordStartFrom();
        int start = from > 0 ? from : argc + from;
        int end = from > 0 ? argc - 1 : 1;
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
          if (i >= argc || i < 1) break;
          if (cEqualsIgnoreCase(argv[i], spec.keyword())) {
            first = i + 1;
            break;
          }
        }
        if (first == 0) continue; // keyword absent: this spec has no keys
      }
      int last;
      int step;
      if (spec.unknownFind()) return null;
      if (spec.range()) {
        step = spec.keyStep();
        if (spec.lastKey() >= 0) {
          last = first + spec.lastKey();
        } else if (spec.limit() == 0) {
          last = argc + spec.lastKey();
        } else {
          last = first + ((argc - first) / spec.limit() + spec.lastKey());
        }
      } else {
        step = spec.keyStep();
        int countAt = first + spec.keynumIndex();
        if (spec.keynumIndex() >= argc || countAt >= argc) return null;
        byte[] count = argv[countAt];
        if (!Numbers.isLong(count)) return null;
        long numKeys = Numbers.parseLong(count);
        if (numKeys < 0) return null;
        first += spec.firstKey();
        last = first + (int) numKeys - 1;
      }
      if (last >= argc || last < first || first >= argc) return null;
      if (step < 1) return null; // no such spec in Redis; refused rather than looping forever
      for (int i = first; i <= last && i >= first; i += step) out.add(new KeyRef(i, spec.flags()));
      if (has(spec.flags(), "incomplete")) return null;
    }
    return out;
  }

  // ---- key procedures (Redis's get_keys_function of each command)

  private static List<KeyRef> byProcedure(String name, byte[][] argv) {
    return switch (name) {
      case "sintercard", "zunion", "zinter", "zdiff", "zintercard", "lmpop", "zmpop" ->
          numkeys(0, 1, 2, argv);
      case "zunionstore", "zinterstore", "zdiffstore" -> numkeys(1, 2, 3, argv);
      case "eval", "eval_ro", "evalsha", "evalsha_ro", "fcall", "fcall_ro", "blmpop", "bzmpop" ->
          numkeys(0, 2, 3, argv);
      case "sort" -> sort(argv);
      case "sort_ro" -> List.of(new KeyRef(1, RO_ACCESS));
      case "migrate" -> migrate(argv);
      case "georadius", "georadiusbymember" -> georadius(argv);
      case "xread", "xreadgroup" -> xread(argv);
      case "set" -> set(argv);
      case "bitfield" -> bitfield(argv);
      default -> List.of();
    };
  }

  /**
   * {@code [dest] numkeys key ...}: the count read with atoi, nothing when it is below 1 or more
   * than the arguments left; the destination (when {@code storeAt} > 0) comes last; no flags.
   */
  private static List<KeyRef> numkeys(int storeAt, int countAt, int firstAt, byte[][] argv) {
    int argc = argv.length;
    if (countAt >= argc) return List.of();
    int num = atoi(argv[countAt]);
    if (num < 1 || num > (argc - firstAt)) return List.of();
    List<KeyRef> out = new ArrayList<>(num + 1);
    for (int i = 0; i < num; i++) out.add(new KeyRef(firstAt + i, NO_FLAGS));
    if (storeAt > 0) out.add(new KeyRef(storeAt, NO_FLAGS));
    return out;
  }

  /** SORT key ... [STORE dest]: options LIMIT (2 args), GET and BY (1 arg) are skipped. */
  private static List<KeyRef> sort(byte[][] argv) {
    int argc = argv.length;
    int store = -1;
    for (int i = 2; i < argc; i++) {
      if (cEqualsIgnoreCase(argv[i], "limit")) {
        i += 2;
      } else if (cEqualsIgnoreCase(argv[i], "store") && i + 1 < argc) {
        store = i + 1; // the last STORE wins, as in SORT itself
      } else if (cEqualsIgnoreCase(argv[i], "get") || cEqualsIgnoreCase(argv[i], "by")) {
        i += 1;
      }
    }
    List<KeyRef> out = new ArrayList<>(2);
    out.add(new KeyRef(1, RO_ACCESS));
    if (store > 0) out.add(new KeyRef(store, OW_UPDATE));
    return out;
  }

  /** MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw] [AUTH2 u pw] [KEYS k ...]. */
  private static List<KeyRef> migrate(byte[][] argv) {
    int argc = argv.length;
    int first = 3;
    int num = 1;
    if (argc > 6) {
      for (int i = 6; i < argc; i++) {
        if (cEqualsIgnoreCase(argv[i], "keys")) {
          if (argv[3].length > 0) {
            num = 0; // a key and KEYS together: MIGRATE itself replies with a syntax error
          } else {
            first = i + 1;
            num = argc - first;
          }
          break;
        }
        if (cEqualsIgnoreCase(argv[i], "auth")) {
          i += 1;
        } else if (cEqualsIgnoreCase(argv[i], "auth2")) {
          i += 2;
        }
      }
    }
    List<KeyRef> out = new ArrayList<>(num);
    for (int i = 0; i < num; i++) out.add(new KeyRef(first + i, RW_ACCESS_DELETE));
    return out;
  }

  /** GEORADIUS[BYMEMBER] key ... [STORE k] [STOREDIST k]: the last store option wins. */
  private static List<KeyRef> georadius(byte[][] argv) {
    int argc = argv.length;
    int stored = -1;
    for (int i = 5; i < argc; i++) {
      boolean store =
          cEqualsIgnoreCase(argv[i], "store") || cEqualsIgnoreCase(argv[i], "storedist");
      if (store && i + 1 < argc) {
        stored = i + 1;
        i++;
      }
    }
    List<KeyRef> out = new ArrayList<>(2);
    out.add(new KeyRef(1, NO_FLAGS));
    if (stored > 0) out.add(new KeyRef(stored, NO_FLAGS));
    return out;
  }

  /**
   * XREAD[GROUP] [BLOCK ms] [COUNT n] [GROUP g c] [NOACK] STREAMS key ... id ...: half are keys.
   */
  private static List<KeyRef> xread(byte[][] argv) {
    int argc = argv.length;
    int streams = -1;
    for (int i = 1; i < argc; i++) {
      if (cEqualsIgnoreCase(argv[i], "block") || cEqualsIgnoreCase(argv[i], "count")) {
        i++;
      } else if (cEqualsIgnoreCase(argv[i], "group")) {
        i += 2;
      } else if (cEqualsIgnoreCase(argv[i], "noack")) {
        // no argument
      } else if (cEqualsIgnoreCase(argv[i], "streams")) {
        streams = i;
        break;
      } else {
        break;
      }
    }
    if (streams < 0) return List.of();
    int num = argc - streams - 1;
    if (num == 0 || num % 2 != 0) return List.of();
    num /= 2;
    List<KeyRef> out = new ArrayList<>(num);
    for (int i = streams + 1; i < argc - num; i++) out.add(new KeyRef(i, NO_FLAGS));
    return out;
  }

  /** SET key value ...: read and written with GET among the options, else overwritten. */
  private static List<KeyRef> set(byte[][] argv) {
    for (int i = 3; i < argv.length; i++) {
      if (cEqualsIgnoreCase(argv[i], "get")) return List.of(new KeyRef(1, RW_ACCESS_UPDATE));
    }
    return List.of(new KeyRef(1, OW_UPDATE));
  }

  /** BITFIELD key [GET t o] ...: read-only when only GET and OVERFLOW operations parse. */
  private static List<KeyRef> bitfield(byte[][] argv) {
    int argc = argv.length;
    boolean readonly = true;
    for (int i = 2; i < argc; i++) {
      int remaining = argc - i - 1;
      if (cEqualsIgnoreCase(argv[i], "get") && remaining >= 2) {
        i += 2;
      } else if ((cEqualsIgnoreCase(argv[i], "set") || cEqualsIgnoreCase(argv[i], "incrby"))
          && remaining >= 3) {
        readonly = false;
        break;
      } else if (cEqualsIgnoreCase(argv[i], "overflow") && remaining >= 1) {
        i += 1;
      } else {
        readonly = false; // a syntax error: assume a write
        break;
      }
    }
    return List.of(new KeyRef(1, readonly ? RO_ACCESS : RW_ACCESS_UPDATE));
  }

  // ---- C string helpers: Redis compares these arguments as NUL-terminated strings

  /** strcasecmp(arg, word) == 0, with {@code arg} ending at its first NUL byte. */
  static boolean cEqualsIgnoreCase(byte[] arg, String word) {
    int n = 0;
    while (n < arg.length && arg[n] != 0) n++;
    if (n != word.length()) return false;
    for (int i = 0; i < n; i++) {
      int a = arg[i] & 0xff;
      int b = word.charAt(i);
      if (a >= 'A' && a <= 'Z') a += 32;
      if (b >= 'A' && b <= 'Z') b += 32;
      if (a != b) return false;
    }
    return true;
  }

  /**
   * C's atoi as glibc has it: strtol in base 10 (leading white space, a sign, digits up to the
   * first other byte, clamped to 64 bits) narrowed to int.
   */
  static int atoi(byte[] s) {
    int i = 0;
    while (i < s.length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) i++;
    boolean negative = false;
    if (i < s.length && (s[i] == '+' || s[i] == '-')) {
      negative = s[i] == '-';
      i++;
    }
    long acc = 0;
    boolean overflow = false;
    for (; i < s.length && s[i] >= '0' && s[i] <= '9'; i++) {
      int d = s[i] - '0';
      if (!overflow) {
        if (acc > (Long.MAX_VALUE - d) / 10) {
          overflow = true;
        } else {
          acc = acc * 10 + d;
        }
      }
    }
    long v;
    if (overflow) {
      v = negative ? Long.MIN_VALUE : Long.MAX_VALUE;
    } else {
      v = negative ? -acc : acc;
    }
    return (int) v;
  }
}
