package io.redstart.command.connection;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.config.ConfigParams;
import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.RedstartServer;

/** PING, ECHO, QUIT, RESET, SELECT, SWAPDB, HELLO, AUTH (networking.c, db.c, acl.c). */
public final class ConnectionCommands {
  private ConnectionCommands() {}

  public static void ping(Client c, byte[][] argv) {
    if (argv.length > 2) {
      c.error(Errors.wrongArity(c.currentCommand().fullName));
      return;
    }
    RespWriter w = c.reply();
    if (c.server().inSubscribeContext(c) && c.protocol() == 2) {
      w.array(2);
      w.bulk(PONG_LOWER);
      w.bulk(argv.length == 1 ? EMPTY : argv[1]);
    } else if (argv.length == 1) {
      w.simple("PONG");
    } else {
      w.bulk(argv[1]);
    }
  }

  private static final byte[] PONG_LOWER = Args.bytes("pong");
  private static final byte[] EMPTY = new byte[0];

  public static void echo(Client c, byte[][] argv) {
    c.reply().bulk(argv[1]);
  }

  public static void quit(Client c, byte[][] argv) {
    c.reply().ok();
    c.closeAfterReply();
  }

  public static void reset(Client c, byte[][] argv) {
    if (c.isReplicationLink()) {
      c.error("ERR can only reset normal client connections");
      return;
    }
    c.server().resetClient(c);
    c.reply().simple("RESET");
  }

  public static void select(Client c, byte[][] argv) {
    if (!intOrReply(c, argv[1], null)) return;
    long id = Numbers.parseLong(argv[1]);
    if (c.server().config().getBool(ConfigParams.CLUSTER_ENABLED) && id != 0) {
      c.error(Errors.SELECT_IN_CLUSTER);
      return;
    }
    if (id < 0 || id >= c.server().keyspace().databases()) {
      c.error(Errors.DB_INDEX_OUT_OF_RANGE);
      return;
    }
    c.select((int) id);
    c.reply().ok();
  }

  /**
   * Redis's getIntFromObjectOrReply: an integer within the int range; with {@code msg} that text
   * replaces both the "not an integer" and the range errors.
   */
  private static boolean intOrReply(Client c, byte[] arg, String msg) {
    if (!Numbers.isLong(arg)) {
      c.error(msg != null ? msg : Errors.NOT_AN_INTEGER);
      return false;
    }
    long v = Numbers.parseLong(arg);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      c.error(msg != null ? msg : Errors.valueOutOfRangeBetween(Integer.MIN_VALUE, Integer.MAX_VALUE));
      return false;
    }
    return true;
  }

  public static void swapdb(Client c, byte[][] argv) {
    RedstartServer s = c.server();
    if (s.config().getBool(ConfigParams.CLUSTER_ENABLED)) {
      c.error(Errors.SWAPDB_IN_CLUSTER);
      return;
    }
    if (!intOrReply(c, argv[1], Errors.INVALID_FIRST_DB_INDEX)) return;
    if (!intOrReply(c, argv[2], Errors.INVALID_SECOND_DB_INDEX)) return;
    long id1 = Numbers.parseLong(argv[1]);
    long id2 = Numbers.parseLong(argv[2]);
    int n = s.keyspace().databases();
    if (id1 < 0 || id1 >= n || id2 < 0 || id2 >= n) {
      c.error(Errors.DB_INDEX_OUT_OF_RANGE);
      return;
    }
    s.swapDatabases((int) id1, (int) id2);
    s.incrDirty(1);
    c.reply().ok();
  }

  public static void auth(Client c, byte[][] argv) {
    if (argv.length > 3) {
      c.error(Errors.SYNTAX);
      return;
    }
    RedstartServer s = c.server();
    String user;
    byte[] pass;
    if (argv.length == 2) {
      if (!s.authRequired()) {
        c.error(Errors.AUTH_NO_PASSWORD);
        return;
      }
      user = "default";
      pass = argv[1];
    } else {
      user = Args.str(argv[1]);
      pass = argv[2];
    }
    if (s.authenticate(c, user, pass)) {
      c.reply().ok();
    } else {
      c.error(Errors.WRONGPASS);
    }
  }

  public static void hello(Client c, byte[][] argv) {
    RedstartServer s = c.server();
    long ver = 0;
    int next = 1;
    if (argv.length >= 2) {
      if (!Numbers.isLong(argv[1])) {
        c.error("ERR Protocol version is not an integer or out of range");
        return;
      }
      ver = Numbers.parseLong(argv[1]);
      next = 2;
      if (ver < 2 || ver > 3) {
        c.error(Errors.NOPROTO);
        return;
      }
    }
    for (int j = next; j < argv.length; j++) {
      int more = argv.length - 1 - j;
      if (Args.is(argv[j], "auth") && more >= 2) {
        if (!s.authenticate(c, Args.str(argv[j + 1]), argv[j + 2])) {
          c.error(Errors.WRONGPASS);
          return;
        }
        j += 2;
      } else if (Args.is(argv[j], "setname") && more >= 1) {
        if (!ClientNames.setNameOrReply(c, argv[j + 1])) return;
        j++;
      } else {
        c.error("ERR Syntax error in HELLO option '" + Args.str(argv[j]) + "'");
        return;
      }
    }
    if (!c.authenticated()) {
      c.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the"
          + " HELLO AUTH <user> <pass> option can be used to authenticate the client and select"
          + " the RESP protocol version at the same time");
      return;
    }
    if (ver != 0) c.protocol((int) ver);
    RespWriter w = c.reply();
    w.map(7);
    w.bulk("server");
    w.bulk("redis");
    w.bulk("version");
    w.bulk(RedstartServer.REDIS_VERSION);
    w.bulk("proto");
    w.integer(c.protocol());
    w.bulk("id");
    w.integer(c.id());
    w.bulk("mode");
    w.bulk(s.config().getBool(ConfigParams.CLUSTER_ENABLED) ? "cluster" : "standalone");
    w.bulk("role");
    w.bulk(s.isReplica() ? "replica" : "master");
    w.bulk("modules");
    w.emptyArray();
  }
}
