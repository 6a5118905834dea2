package io.redstart.command.collection;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.server.Client;
import io.redstart.util.Glob;

/**
 * The options of HSCAN, SSCAN (and ZSCAN): COUNT and MATCH as Redis's scanGenericCommand parses
 * them for a key's value. TYPE is SCAN's alone: here it is a syntax error.
 *
 * @param count COUNT, 10 by default, at least 1
 * @param pattern MATCH, or null when absent or exactly "*"
 */
public record ScanOptions(long count, byte[] pattern) {
  /**
   * Parses the options from {@code argv[from]}; null after replying "value is not an integer or
   * out of range" (COUNT not a number) or "syntax error" (COUNT below 1, unknown option, missing
   * argument).
   */
  public static ScanOptions parseOrReply(Client c, byte[][] argv, int from) {
    long count = 10;
    byte[] pattern = null;
    for (int i = from; i < argv.length; ) {
      int left = argv.length - i;
      if (Args.is(argv[i], "count") && left >= 2) {
        if (!Args.isLongOrReply(c, argv[i + 1])) return null;
        count = Args.toLong(argv[i + 1]);
        if (count < 1) {
          c.error(Errors.SYNTAX);
          return null;
        }
        i += 2;
      } else if (Args.is(argv[i], "match") && left >= 2) {
        pattern = argv[i + 1];
        if (pattern.length == 1 && pattern[0] == '*') pattern = null;
        i += 2;
      } else {
        c.error(Errors.SYNTAX);
        return null;
      }
    }
    return new ScanOptions(count, pattern);
  }

  /** The reply to a scan of a missing key: cursor 0 and no elements. */
  public static void replyEmpty(Client c) {
    c.reply().array(2);
    c.reply().bulk(ZERO);
    c.reply().emptyArray();
  }

  private static final byte[] ZERO = {'0'};

  /** Whether an element (a field, a member) passes MATCH. */
  public boolean matches(byte[] b, int off, int len) {
    return pattern == null || Glob.matches(pattern, 0, pattern.length, b, off, len, false);
  }
}
