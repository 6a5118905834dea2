package io.redstart.command.list;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.command.Replies;
import io.redstart.command.server.DebugCommands;
import io.redstart.server.Client;
import io.redstart.store.Entries;
import io.redstart.types.ValueType;
import io.redstart.types.list.ListValue;
import java.math.BigInteger;

/**
 * The DEBUG subcommands of lists: QUICKLIST-PACKED-THRESHOLD (the element size from which an
 * element gets a plain node of its own; Redis's tests lower it to exercise plain nodes) and
 * QUICKLIST (logs a list's nodes). Registered with {@link DebugCommands#register} once per process;
 * handlers run on the keyspace thread.
 */
public final class ListDebug {
  private ListDebug() {}

  /** Adds the subcommands to DEBUG. */
  public static void register() {
    DebugCommands.register("quicklist-packed-threshold", ListDebug::packedThreshold);
    DebugCommands.register("quicklist", ListDebug::quicklist);
  }

  /** DEBUG QUICKLIST-PACKED-THRESHOLD size: a memory value (1kb, 2mb ...), 0 for the default. */
  static void packedThreshold(Client c, byte[][] argv) {
    if (argv.length != 3) {
      Replies.subcommandSyntaxError(c, argv);
      return;
    }
    long bytes = memtoull(Args.str(argv[2]));
    if (bytes == -1 || !ListValue.setPackedThreshold(bytes)) {
      c.error(Errors.PACKED_THRESHOLD);
      return;
    }
    c.reply().ok();
  }

  /** DEBUG QUICKLIST key [0|1]: writes the list's nodes to the log. */
  static void quicklist(Client c, byte[][] argv) {
    if (argv.length != 3 && argv.length != 4) {
      Replies.subcommandSyntaxError(c, argv);
      return;
    }
    Object e = c.server().keyspace().lookupRead(c.db(), argv[2], true);
    if (e == null) {
      c.error(Errors.NO_SUCH_KEY);
      return;
    }
    if (Entries.type(e) != ValueType.LIST) {
      c.error(Errors.NOT_A_QUICKLIST);
      return;
    }
    ListValue list = (ListValue) Entries.boxedValue(e);
    StringBuilder sb = new StringBuilder("{quicklist nodes:").append(list.nodeCount());
    sb.append(" count:").append(list.size()).append(" fill:").append(list.fill());
    sb.append(" compress:").append(list.compressDepth()).append('}');
    int[] i = {0};
    list.forEachNode(
        (plain, blob) ->
            sb.append("\n  {node ")
                .append(i[0]++)
                .append(plain ? " plain" : " packed")
                .append(" bytes:")
                .append(blob.length)
                .append('}'));
    c.server().log().notice(sb.toString());
    c.reply().simple("Quicklist structure printed on stdout");
  }

  /**
   * Redis's memtoull: digits and an optional unit (b, k, kb, m, mb, g, gb, any case); -1 for a
   * malformed value. Overflow wraps as the C unsigned arithmetic does.
   */
  static long memtoull(String s) {
    if (s.startsWith("-")) return -1;
    int u = 0;
    while (u < s.length() && s.charAt(u) >= '0' && s.charAt(u) <= '9') u++;
    String unit = s.substring(u).toLowerCase(java.util.Locale.ROOT);
    long mul =
        switch (unit) {
          case "", "b" -> 1;
          case "k" -> 1000;
          case "kb" -> 1024;
          case "m" -> 1000 * 1000;
          case "mb" -> 1024 * 1024;
          case "g" -> 1000L * 1000 * 1000;
          case "gb" -> 1024L * 1024 * 1024;
          default -> 0;
        };
    if (mul == 0 || u >= 128) return -1;
    BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    BigInteger v = u == 0 ? BigInteger.ZERO : new BigInteger(s.substring(0, u));
    if (v.compareTo(max) > 0) v = max; // strtoull saturates
    return v.multiply(BigInteger.valueOf(mul)).longValue(); // low 64 bits, as C wraps
  }
}
