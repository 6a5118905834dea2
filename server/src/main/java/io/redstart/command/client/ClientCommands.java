package io.redstart.command.client;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.command.Replies;
import io.redstart.command.connection.ClientNames;
import io.redstart.resp.Numbers;
import io.redstart.server.Client;
import io.redstart.server.RedstartServer;
import io.redstart.tracking.Tracking;
import java.util.ArrayList;
import java.util.List;

/** The CLIENT subcommands (networking.c clientCommand). */
public final class ClientCommands {
  private ClientCommands() {}

  public static void help(Client c, byte[][] argv) {
    Replies.help(c, argv[0],
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.");
  }

  public static void id(Client c, byte[][] argv) {
    c.reply().integer(c.id());
  }

  public static void info(Client c, byte[][] argv) {
    c.reply().verbatim(c.info() + "\n", "txt");
  }

  /** Client types as CLIENT LIST TYPE and KILL TYPE name them; -1 for an unknown name. */
  static int typeByName(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "normal" -> 0;
      case "slave", "replica" -> 1;
      case "pubsub" -> 2;
      case "master" -> 3;
      default -> -1;
    };
  }

  static int typeOf(Client c) {
    if (c.replicationRole() == 2) return 3;
    if (c.replicationRole() == 1) return 1;
    if (c.server().inSubscribeContext(c)) return 2;
    return 0;
  }

  public static void list(Client c, byte[][] argv) {
    RedstartServer s = c.server();
    StringBuilder out = new StringBuilder();
    if (argv.length == 4 && Args.is(argv[2], "type")) {
      int type = typeByName(Args.str(argv[3]));
      if (type == -1) {
        c.error("ERR Unknown client type '" + Args.str(argv[3]) + "'");
        return;
      }
      for (Client cl : s.clients().values()) {
        if (typeOf(cl) == type) out.append(cl.info()).append('\n');
      }
    } else if (argv.length > 3 && Args.is(argv[2], "id")) {
      for (int j = 3; j < argv.length; j++) {
        if (!Numbers.isLong(argv[j])) {
          c.error("ERR Invalid client ID");
          return;
        }
        Client cl = s.clients().get(Numbers.parseLong(argv[j]));
        if (cl != null) out.append(cl.info()).append('\n');
      }
    } else if (argv.length != 2) {
      c.error(Errors.SYNTAX);
      return;
    } else {
      for (Client cl : s.clients().values()) out.append(cl.info()).append('\n');
    }
    c.reply().verbatim(out.toString(), "txt");
  }

  public static void reply(Client c, byte[][] argv) {
    if (Args.is(argv[2], "on")) {
      c.replyMode(Client.ReplyMode.ON);
      c.reply().ok();
    } else if (Args.is(argv[2], "off")) {
      c.replyMode(Client.ReplyMode.OFF);
    } else if (Args.is(argv[2], "skip")) {
      if (c.replyMode() != Client.ReplyMode.OFF) c.replyMode(Client.ReplyMode.SKIP);
    } else {
      c.error(Errors.SYNTAX);
    }
  }

  public static void noEvict(Client c, byte[][] argv) {
    if (Args.is(argv[2], "on")) {
      c.noEvict(true);
      c.reply().ok();
    } else if (Args.is(argv[2], "off")) {
      c.noEvict(false);
      c.reply().ok();
    } else {
      c.error(Errors.SYNTAX);
    }
  }

  public static void noTouch(Client c, byte[][] argv) {
    if (Args.is(argv[2], "on")) {
      c.noTouch(true);
      c.reply().ok();
    } else if (Args.is(argv[2], "off")) {
      c.noTouch(false);
      c.reply().ok();
    } else {
      c.error(Errors.SYNTAX);
    }
  }

  public static void kill(Client c, byte[][] argv) {
    String addr = null;
    String laddr = null;
    String user = null;
    int type = -1;
    long id = 0;
    boolean skipMe = true;
    if (argv.length == 3) {
      addr = Args.str(argv[2]);
      skipMe = false;
    } else if (argv.length > 3) {
      for (int i = 2; i < argv.length; i += 2) {
        boolean more = argv.length > i + 1;
        if (Args.is(argv[i], "id") && more) {
          if (!Numbers.isLong(argv[i + 1]) || Numbers.parseLong(argv[i + 1]) < 1) {
            c.error("ERR client-id should be greater than 0");
            return;
          }
          id = Numbers.parseLong(argv[i + 1]);
        } else if (Args.is(argv[i], "type") && more) {
          type = typeByName(Args.str(argv[i + 1]));
          if (type == -1) {
            c.error("ERR Unknown client type '" + Args.str(argv[i + 1]) + "'");
            return;
          }
        } else if (Args.is(argv[i], "addr") && more) {
          addr = Args.str(argv[i + 1]);
        } else if (Args.is(argv[i], "laddr") && more) {
          laddr = Args.str(argv[i + 1]);
        } else if (Args.is(argv[i], "user") && more) {
          user = Args.str(argv[i + 1]);
          if (!c.server().userExists(user)) {
            c.error("ERR No such user '" + user + "'");
            return;
          }
        } else if (Args.is(argv[i], "skipme") && more) {
          if (Args.is(argv[i + 1], "yes")) {
            skipMe = true;
          } else if (Args.is(argv[i + 1], "no")) {
            skipMe = false;
          } else {
            c.error(Errors.SYNTAX);
            return;
          }
        } else {
          c.error(Errors.SYNTAX);
          return;
        }
      }
    } else {
      c.error(Errors.SYNTAX);
      return;
    }
    List<Client> victims = new ArrayList<>();
    boolean closeThis = false;
    for (Client cl : c.server().clients().values()) {
      if (addr != null && !addr.equals(cl.connection().remoteAddress())) continue;
      if (laddr != null && !laddr.equals(cl.connection().localAddress())) continue;
      if (type != -1 && typeOf(cl) != type) continue;
      if (id != 0 && cl.id() != id) continue;
      if (user != null && !user.equals(cl.user())) continue;
      if (cl == c && skipMe) continue;
      if (cl == c) {
        closeThis = true;
      } else {
        victims.add(cl);
      }
    }
    for (Client v : victims) v.closeNow();
    int killed = victims.size() + (closeThis ? 1 : 0);
    if (argv.length == 3) {
      if (killed == 0) {
        c.error(Errors.NO_SUCH_CLIENT);
      } else {
        c.reply().ok();
      }
    } else {
      c.reply().integer(killed);
    }
    if (closeThis) c.closeAfterReply();
  }

  public static void unblock(Client c, byte[][] argv) {
    boolean error = false;
    if (argv.length == 4) {
      if (Args.is(argv[3], "error")) {
        error = true;
      } else if (!Args.is(argv[3], "timeout")) {
        c.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
        return;
      }
    }
    if (!Args.isLongOrReply(c, argv[2])) return;
    Client target = c.server().clients().get(Args.toLong(argv[2]));
    boolean done = target != null
        && c.server().component(io.redstart.blocking.Blocking.class).unblock(target, error);
    c.reply().integer(done ? 1 : 0);
  }

  private static Tracking tracking(Client c) {
    return c.server().component(Tracking.class);
  }

  /**
   * CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP]: the
   * options are parsed (and the redirection checked) before ON or OFF is looked at.
   */
  public static void tracking(Client c, byte[][] argv) {
    long redirect = 0;
    boolean bcast = false;
    boolean optin = false;
    boolean optout = false;
    boolean noloop = false;
    List<byte[]> prefixes = new ArrayList<>();
    for (int j = 3; j < argv.length; j++) {
      boolean more = j < argv.length - 1;
      if (Args.is(argv[j], "redirect") && more) {
        j++;
        if (redirect != 0) {
          c.error(Errors.TRACKING_SINGLE_REDIRECT);
          return;
        }
        if (!Args.isLongOrReply(c, argv[j])) return;
        redirect = Args.toLong(argv[j]);
        if (!c.server().clients().containsKey(redirect)) {
          c.error(Errors.TRACKING_NO_SUCH_REDIRECT);
          return;
        }
      } else if (Args.is(argv[j], "bcast")) {
        bcast = true;
      } else if (Args.is(argv[j], "optin")) {
        optin = true;
      } else if (Args.is(argv[j], "optout")) {
        optout = true;
      } else if (Args.is(argv[j], "noloop")) {
        noloop = true;
      } else if (Args.is(argv[j], "prefix") && more) {
        prefixes.add(argv[++j]);
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    if (Args.is(argv[2], "on")) {
      Tracking.Options o = new Tracking.Options(redirect, bcast, optin, optout, noloop, prefixes);
      if (!tracking(c).enableOrReply(c, o)) return;
    } else if (Args.is(argv[2], "off")) {
      tracking(c).disable(c);
    } else {
      c.error(Errors.SYNTAX);
      return;
    }
    c.reply().ok();
  }

  /** CLIENT GETREDIR: the redirection of tracking (0 none), -1 while tracking is off. */
  public static void getredir(Client c, byte[][] argv) {
    c.reply().integer(tracking(c).redirection(c));
  }

  /** CLIENT TRACKINGINFO: flags, redirection and BCAST prefixes. */
  public static void trackinginfo(Client c, byte[][] argv) {
    tracking(c).trackingInfo(c);
  }

  /** CLIENT CACHING YES|NO: the next command is (YES, OPTIN) or is not (NO, OPTOUT) tracked. */
  public static void caching(Client c, byte[][] argv) {
    Tracking t = tracking(c);
    if (t.redirection(c) == -1) {
      c.error(Errors.CACHING_WITHOUT_TRACKING);
    } else if (Args.is(argv[2], "yes")) {
      t.caching(c, true);
    } else if (Args.is(argv[2], "no")) {
      t.caching(c, false);
    } else {
      c.error(Errors.SYNTAX);
    }
  }

  public static void setname(Client c, byte[][] argv) {
    if (ClientNames.setNameOrReply(c, argv[2])) c.reply().ok();
  }

  public static void getname(Client c, byte[][] argv) {
    if (c.name().isEmpty()) {
      c.reply().nullBulk();
    } else {
      c.reply().bulk(c.name());
    }
  }

  public static void unpause(Client c, byte[][] argv) {
    c.server().pauses().unpause();
    c.reply().ok();
  }

  public static void pause(Client c, byte[][] argv) {
    boolean all = true;
    if (argv.length == 4) {
      if (Args.is(argv[3], "write")) {
        all = false;
      } else if (!Args.is(argv[3], "all")) {
        c.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
        return;
      }
    }
    if (!Numbers.isLong(argv[2])) {
      c.error(Errors.TIMEOUT_NOT_INTEGER);
      return;
    }
    long ms = Numbers.parseLong(argv[2]);
    if (ms < 0) {
      c.error(Errors.TIMEOUT_NEGATIVE);
      return;
    }
    long now = c.server().keyspace().now();
    if (ms > 0 && ms > Long.MAX_VALUE - now) {
      c.error("ERR timeout is out of range");
      return;
    }
    c.server().pauses().pause(ms > 0 ? now + ms : 0, all);
    c.reply().ok();
  }
}
