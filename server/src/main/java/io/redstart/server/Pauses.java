package io.redstart.server;

import io.redstart.command.CommandFlags;
import io.redstart.command.CommandSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT PAUSE and UNPAUSE: while a pause is in force, commands of normal clients (all of them,
 * or only those that may write, for WRITE pauses) are held unexecuted and run, in order, when the
 * pause ends. Replicas and the master link are never paused. Expiry and eviction stop too, so
 * the dataset is static, as in Redis.
 *
 * <p>Owned by the keyspace thread.
 */
public final class Pauses {
  private final RedstartServer server;
  private boolean all;
  private long endMillis;
  private boolean active;
  /** Writes paused by a FAILOVER in progress, independently of CLIENT PAUSE. */
  private boolean failover;
  private final List<Client> postponed = new ArrayList<>();

  Pauses(RedstartServer server) {
    this.server = server;
  }

  /** Pauses until {@code endMillis}; a longer or stricter pause replaces a shorter one. */
  public void pause(long endMillis, boolean all) {
    if (active) {
      // Redis keeps the most restrictive type and the latest end.
      this.all = this.all || all;
      this.endMillis = Math.max(this.endMillis, endMillis);
    } else {
      this.all = all;
      this.endMillis = endMillis;
      active = true;
    }
    holdExpiry();
  }

  public void unpause() {
    if (!active) return;
    active = false;
    holdExpiry();
    resumePostponed();
  }

  /**
   * Pauses writes for a FAILOVER (Redis's PAUSE_DURING_FAILOVER purpose), or ends that pause.
   * CLIENT UNPAUSE does not end it, as in Redis.
   */
  public void pauseForFailover(boolean on) {
    if (failover == on) return;
    failover = on;
    holdExpiry();
    if (!on) resumePostponed();
  }

  /** Expiry on access holds still while any pause is in force (Redis's expireIfNeeded). */
  private void holdExpiry() {
    server.keyspace().holdExpiry(active || failover);
  }

  private void resumePostponed() {
    List<Client> resume = new ArrayList<>(postponed);
    postponed.clear();
    for (Client c : resume) {
      if (c.isClosed()) continue;
      byte[][] argv = c.takePostponed();
      if (argv != null) server.dispatcher().process(c, argv);
      c.processInput();
    }
    server.flushPending();
  }

  /** Ends the pause if its time has come; called from the cron. */
  public void checkTimeout(long nowMillis) {
    if (active && nowMillis >= endMillis) unpause();
  }

  public boolean isActive() {
    return active;
  }

  /** Whether writes are paused (expiry and eviction hold still). */
  public boolean writesPaused() {
    return active || failover;
  }

  public boolean shouldPostpone(Client c, CommandSpec cmd, byte[][] argv) {
    if ((!active && !failover) || c.isReplicationLink() || c.isMonitor()) return false;
    if (active && server.keyspace().now() >= endMillis) {
      unpause();
      if (!failover) return false;
    }
    if (active && all) return true;
    RedstartServer.LongCommands scripts = server.longCommands();
    if (scripts != null && !cmd.name.equals("exec") && scripts.runs(cmd)) {
      return scripts.mayWrite(cmd, argv); // a script's declared flags decide
    }
    if (cmd.has(CommandFlags.WRITE) || cmd.has(CommandFlags.MAY_REPLICATE)) return true;
    // EXEC waits when it would run a command that may write (Redis's mstate.cmd_flags).
    return cmd.name.equals("exec")
        && (server.gates().queuedCommandHas(c, CommandFlags.WRITE)
            || server.gates().queuedCommandHas(c, CommandFlags.MAY_REPLICATE));
  }

  public void postpone(Client c, byte[][] argv) {
    c.postpone(argv);
    postponed.add(c);
  }

  /** Clients holding a command until the pause ends (Redis counts them as blocked). */
  public int postponedCount() {
    int n = 0;
    for (Client c : postponed) if (!c.isClosed()) n++;
    return n;
  }

  void forget(Client c) {
    postponed.remove(c);
  }
}
