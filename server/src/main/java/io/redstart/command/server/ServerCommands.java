package io.redstart.command.server;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.config.ConfigParams;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.RedstartServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** INFO, DBSIZE, FLUSHDB, FLUSHALL, TIME, SHUTDOWN. */
public final class ServerCommands {
  private ServerCommands() {}

  public static void info(Client c, byte[][] argv) {
    List<String> args = new ArrayList<>();
    for (int i = 1; i < argv.length; i++) args.add(Args.str(argv[i]));
    c.reply().verbatim(c.server().info().generate(args), "txt");
  }

  public static void dbsize(Client c, byte[][] argv) {
    c.reply().integer(c.db().size());
  }

  /** FLUSHDB/FLUSHALL's option: ASYNC, SYNC, or the lazyfree-lazy-user-flush default. */
  private static boolean flushFlagsOrReply(Client c, byte[][] argv) {
    boolean ok = argv.length == 1
        || (argv.length == 2 && (Args.is(argv[1], "sync") || Args.is(argv[1], "async")));
    if (!ok) {
      c.error(Errors.SYNTAX);
      return false;
    }
    return true;
  }

  public static void flushdb(Client c, byte[][] argv) {
    if (!flushFlagsOrReply(c, argv)) return;
    RedstartServer s = c.server();
    long removed = s.flushDatabase(c, c.db().id());
    s.incrDirty(removed);
    s.dispatcher().forcePropagation();
    c.reply().ok();
  }

  public static void flushall(Client c, byte[][] argv) {
    if (!flushFlagsOrReply(c, argv)) return;
    RedstartServer s = c.server();
    long removed = s.flushDatabase(c, -1);
    s.incrDirty(removed);
    s.dispatcher().forcePropagation();
    s.afterFlushAll();
    c.reply().ok();
  }

  public static void time(Client c, byte[][] argv) {
    Instant now = Instant.now();
    RespWriter w = c.reply();
    w.array(2);
    w.bulkLong(now.getEpochSecond());
    w.bulkLong(now.getNano() / 1000);
  }

  public static void shutdown(Client c, byte[][] argv) {
    boolean save = false;
    boolean nosave = false;
    boolean abort = false;
    for (int i = 1; i < argv.length; i++) {
      if (Args.is(argv[i], "nosave")) {
        nosave = true;
      } else if (Args.is(argv[i], "save")) {
        save = true;
      } else if (Args.is(argv[i], "now") || Args.is(argv[i], "force")) {
        // NOW and FORCE only matter with replicas and failing saves; accepted.
      } else if (Args.is(argv[i], "abort")) {
        abort = true;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    if ((abort && argv.length != 2) || (save && nosave)) {
      c.error(Errors.SYNTAX);
      return;
    }
    if (abort) {
      c.error("ERR No shutdown in progress.");
      return;
    }
    RedstartServer s = c.server();
    if (!nosave && s.insideYieldingLongCommand()) {
      // A busy script: only SHUTDOWN NOSAVE may stop the server now.
      c.error(s.longCommands().busyError());
      return;
    }
    boolean doSave = save || (!nosave && !savePointsEmpty(s));
    if (!s.prepareShutdown(doSave, save)) {
      c.error("ERR Errors trying to SHUTDOWN. Check logs.");
      return;
    }
    s.log().warning("User requested shutdown...");
    s.shutdown();
  }

  private static boolean savePointsEmpty(RedstartServer s) {
    Object v = s.config().getSpecial(ConfigParams.SAVE);
    return !(v instanceof List<?> l) || l.isEmpty();
  }
}
