package io.redstart.command;

import io.redstart.config.ConfigParam;
import io.redstart.config.ConfigParams;
import io.redstart.resp.Numbers;

/**
 * The arguments of a command as MONITOR and the slow log show them: the secrets Redis replaces
 * with "(redacted)" while it parses a command (redactClientCommandArgument). Redis redacts as far
 * as its parser got, so a command it refuses early keeps some arguments visible; this does the
 * same:
 *
 * <ul>
 *   <li>AUTH: every argument, unless there are more than two (a syntax error);
 *   <li>HELLO: the user name and password of each AUTH option, while the options parse;
 *   <li>MIGRATE: the password of AUTH, the user and password of AUTH2, while the options parse;
 *   <li>CONFIG SET: the value of each sensitive directive (masterauth, masteruser, requirepass),
 *       when the arguments come in pairs;
 *   <li>ACL SETUSER: every argument after SETUSER.
 * </ul>
 *
 * <p>Stateless.
 */
public final class Redaction {
  private Redaction() {}

  private static final byte[] REDACTED = Args.bytes("(redacted)");

  /** {@code argv} itself when nothing is secret, else a copy with the secrets replaced. */
  public static byte[][] redact(CommandSpec cmd, byte[][] argv) {
    String name = cmd.parent() == null ? cmd.name : cmd.parent().name + "|" + cmd.name;
    switch (name) {
      case "auth" -> {
        if (argv.length > 3) return argv;
        byte[][] out = argv.clone();
        for (int j = 1; j < argv.length; j++) out[j] = REDACTED;
        return out;
      }
      case "hello" -> {
        return hello(argv);
      }
      case "migrate" -> {
        return migrate(argv);
      }
      case "config|set" -> {
        if ((argv.length & 1) != 0) return argv;
        byte[][] out = null;
        for (int j = 2; j + 1 < argv.length; j += 2) {
          ConfigParam p = ConfigParams.byName(Args.str(argv[j]));
          if (p != null && p.has(ConfigParam.SENSITIVE)) {
            if (out == null) out = argv.clone();
            out[j + 1] = REDACTED;
          }
        }
        return out == null ? argv : out;
      }
      case "acl|setuser" -> {
        byte[][] out = argv.clone();
        for (int j = 2; j < argv.length; j++) out[j] = REDACTED;
        return out;
      }
      default -> {
        return argv;
      }
    }
  }

  private static byte[][] hello(byte[][] argv) {
    if (argv.length >= 2) {
      if (!Numbers.isLong(argv[1])) return argv;
      long ver = Numbers.parseLong(argv[1]);
      if (ver < 2 || ver > 3) return argv;
    }
    byte[][] out = null;
    for (int j = 2; j < argv.length; j++) {
      int more = argv.length - 1 - j;
      if (Args.is(argv[j], "auth") && more >= 2) {
        if (out == null) out = argv.clone();
        out[j + 1] = REDACTED;
        out[j + 2] = REDACTED;
        j += 2;
      } else if (Args.is(argv[j], "setname") && more >= 1) {
        j++;
      } else {
        break;
      }
    }
    return out == null ? argv : out;
  }

  private static byte[][] migrate(byte[][] argv) {
    byte[][] out = null;
    for (int j = 6; j < argv.length; j++) {
      int more = argv.length - 1 - j;
      if (Args.is(argv[j], "copy") || Args.is(argv[j], "replace")) continue;
      if (Args.is(argv[j], "auth") && more >= 1) {
        if (out == null) out = argv.clone();
        out[++j] = REDACTED;
      } else if (Args.is(argv[j], "auth2") && more >= 2) {
        if (out == null) out = argv.clone();
        out[++j] = REDACTED;
        out[++j] = REDACTED;
      } else {
        break;
      }
    }
    return out == null ? argv : out;
  }
}
