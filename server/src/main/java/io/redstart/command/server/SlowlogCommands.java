package io.redstart.command.server;

import io.redstart.command.Replies;
import io.redstart.info.SlowLog;
import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * SLOWLOG GET, LEN, RESET and HELP over the server's {@link SlowLog}, with Redis 7.0's replies
 * (slowlog.c). Run on the keyspace thread; the dispatcher has checked arity.
 */
public final class SlowlogCommands {
  private SlowlogCommands() {}

  private static final String COUNT_ERROR = "ERR count should be greater than or equal to -1";

  /**
   * SLOWLOG GET [count]: the newest {@code count} entries (10 by default, all with -1), each as
   * [id, time, microseconds, [arguments], address, name]. Replies "count should be greater than
   * or equal to -1" for a count that is not an integer or is below -1, and the subcommand syntax
   * error for more arguments.
   */
  public static void get(Client c, byte[][] argv) {
    if (argv.length > 3) {
      Replies.subcommandSyntaxError(c, argv);
      return;
    }
    SlowLog log = c.server().slowLog();
    long count = 10;
    if (argv.length == 3) {
      if (!Numbers.isLong(argv[2]) || Numbers.parseLong(argv[2]) < -1) {
        c.error(COUNT_ERROR);
        return;
      }
      count = Numbers.parseLong(argv[2]);
      if (count == -1) count = log.size();
    }
    List<SlowLog.Entry> out = new ArrayList<>();
    for (Iterator<SlowLog.Entry> it = log.iterator(); it.hasNext() && out.size() < count; ) {
      out.add(it.next());
    }
    RespWriter w = c.reply();
    w.array(out.size());
    for (SlowLog.Entry e : out) {
      w.array(6);
      w.integer(e.id());
      w.integer(e.unixSeconds());
      w.integer(e.micros());
      w.array(e.argv().length);
      for (byte[] a : e.argv()) w.bulk(a);
      w.bulk(e.peer());
      w.bulk(e.clientName());
    }
  }

  /** SLOWLOG LEN: the number of entries. */
  public static void len(Client c, byte[][] argv) {
    c.reply().integer(c.server().slowLog().size());
  }

  /** SLOWLOG RESET: drops every entry. */
  public static void reset(Client c, byte[][] argv) {
    c.server().slowLog().reset();
    c.reply().ok();
  }

  public static void help(Client c, byte[][] argv) {
    Replies.help(
        c,
        argv[0],
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.");
  }
}
