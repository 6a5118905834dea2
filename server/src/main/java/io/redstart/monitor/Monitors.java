package io.redstart.monitor;

import io.redstart.blocking.Blocking;
import io.redstart.command.CommandFlags;
import io.redstart.command.CommandSpec;
import io.redstart.command.Errors;
import io.redstart.command.Redaction;
import io.redstart.server.Client;
import io.redstart.server.CommandGates;
import io.redstart.server.RedstartServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * MONITOR (Redis's replicationFeedMonitors): after each executed command, clients in monitor mode
 * get a status line {@code +<unix seconds>.<microseconds> [<db> <peer address>] "arg" ...} with
 * every argument quoted as sdscatrepr quotes it, secrets redacted as {@link Redaction} says. The database is the client's after the command (SELECT shows its new one).
 * Administrative and skip-monitor commands are never shown, nor commands run while loading, nor the
 * re-run of a blocked command when it is served. Inside MULTI/EXEC each command is shown as it
 * runs, then EXEC.
 *
 * <p>A monitor is what Redis calls a replica client in two ways: it is never paused or timed out,
 * and it may not run commands that read or write keys. The REPLICA_CLIENT gate installed here
 * refuses those for monitors and for replicas of this server alike.
 *
 * <p>Owned by the keyspace thread.
 */
public final class Monitors {

  private final RedstartServer server;
  private final List<Client> monitors = new ArrayList<>();
  private LongSupplier microsClock =
      () -> {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
      };

  public Monitors(RedstartServer server) {
    this.server = server;
    server.addAfterCallListener(this::afterCall);
    server.addClientListener(this::stop);
    server.addClientResetHook(this::stop);
    server.addClientFlags(
        (c, sb) -> {
          if (c.isMonitor()) sb.append('O');
        });
    // Redis marks monitors as replicas (CLIENT_SLAVE): like replicas, they may not touch keys.
    server
        .gates()
        .install(
            CommandGates.Stage.REPLICA_CLIENT,
            (c, cmd, argv) ->
                c.isMonitor()
                        && (cmd.has(CommandFlags.READONLY) || RedstartServer.mayWrite(cmd))
                    ? Errors.REPLICA_KEYSPACE
                    : null);
  }

  /** Replaces the source of the lines' timestamps (Unix microseconds), for tests. */
  public void microsClock(LongSupplier clock) {
    this.microsClock = clock;
  }

  /**
   * MONITOR: puts the client in monitor mode and replies OK; refused inside MULTI/EXEC or a script;
   * a client already monitoring (or a replication link) gets no reply at all, as in Redis.
   */
  public void monitor(Client c) {
    if (server.inTransactionOrScript()) {
      c.error(Errors.MONITOR_DENY_BLOCKING);
      return;
    }
    if (c.isMonitor() || c.isReplicationLink()) return;
    c.monitor(true);
    monitors.add(c);
    c.reply().ok();
  }

  private void stop(Client c) {
    if (!c.isMonitor()) return;
    monitors.remove(c);
    c.monitor(false);
  }

  public int count() {
    return monitors.size();
  }

  private void afterCall(Client c, CommandSpec cmd, byte[][] argv, long micros) {
    if (monitors.isEmpty() || server.isLoading()) return;
    if (cmd.has(CommandFlags.ADMIN) || cmd.has(CommandFlags.SKIP_MONITOR)) return;
    if (isServedBlockedCommand(c)) return;
    feed(c, c.dbIndex(), Redaction.redact(cmd, argv));
  }

  private boolean isServedBlockedCommand(Client c) {
    try {
      return server.component(Blocking.class).isReprocessing(c);
    } catch (IllegalStateException notInstalled) {
      return false;
    }
  }

  /**
   * Sends one command line to every monitor. Public for callers that feed commands outside of the
   * dispatcher's calls (a script's EVAL before its body runs; Redis shows a script's own commands
   * as {@code [<db> lua]}, which a script client whose peer address reads "lua" gets).
   */
  public void feed(Client c, int db, byte[][] argv) {
    if (monitors.isEmpty() || server.isLoading()) return;
    byte[] line = line(microsClock.getAsLong(), db, c.connection().monitorPeer(), argv);
    for (Client m : new ArrayList<>(monitors)) {
      m.reply().raw(line);
      m.afterPush();
    }
  }

  /** The status line of one command, CR LF included. */
  static byte[] line(long unixMicros, int db, String peer, byte[][] argv) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    String head =
        "+"
            + unixMicros / 1_000_000
            + "."
            + String.format("%06d", unixMicros % 1_000_000)
            + " ["
            + db
            + " "
            + peer
            + "] ";
    out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    for (int j = 0; j < argv.length; j++) {
      repr(out, argv[j]);
      if (j != argv.length - 1) out.write(' ');
    }
    out.write('\r');
    out.write('\n');
    return out.toByteArray();
  }

  /** sdscatrepr: double quotes, C escapes, other bytes outside printable ASCII as \xhh. */
  static void repr(ByteArrayOutputStream out, byte[] s) {
    out.write('"');
    for (byte b : s) {
      switch (b) {
        case '\\', '"' -> {
          out.write('\\');
          out.write(b);
        }
        case '\n' -> writeAscii(out, "\\n");
        case '\r' -> writeAscii(out, "\\r");
        case '\t' -> writeAscii(out, "\\t");
        case 7 -> writeAscii(out, "\\a");
        case '\b' -> writeAscii(out, "\\b");
        default -> {
          if (b >= 0x20 && b <= 0x7e) {
            out.write(b);
          } else {
            writeAscii(out, String.format("\\x%02x", b & 0xff));
          }
        }
      }
    }
    out.write('"');
  }

  private static void writeAscii(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }
}
