package io.redstart.replication;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.resp.Numbers;
import io.redstart.server.Client;

/**
 * FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms] (Redis 6.2's coordinated failover): the
 * master pauses writes, waits until a replica (the named one, or any) acknowledged its whole
 * stream, then turns itself into a replica of it and sends it {@code PSYNC replid offset FAILOVER},
 * which makes the replica a master that continues our history. With FORCE, the switch happens at
 * the timeout even if the target has not caught up; without, the timeout aborts.
 *
 * <p>Owned by the keyspace thread.
 */
final class Failover {
  enum State {
    NONE("no-failover"),
    WAIT_FOR_SYNC("waiting-for-sync"),
    IN_PROGRESS("failover-in-progress");

    final String text;

    State(String text) {
      this.text = text;
    }
  }

  private final Replication repl;
  State state = State.NONE;
  /** Unix ms at which to give up (or force), 0 for never. */
  private long endTime;
  private boolean force;
  String targetHost;
  int targetPort;

  Failover(Replication repl) {
    this.repl = repl;
  }

  boolean inProgress() {
    return state != State.NONE;
  }

  boolean sendingFailoverPsync() {
    return state == State.IN_PROGRESS;
  }

  String stateName() {
    return state.text;
  }

  long endTime() {
    return endTime;
  }

  /** FAILOVER. */
  void failoverCommand(Client c, byte[][] argv) {
    if (repl.config.getBool(io.redstart.config.ConfigParams.CLUSTER_ENABLED)) {
      c.error("ERR FAILOVER not allowed in cluster mode. Use CLUSTER FAILOVER command instead.");
      return;
    }
    if (argv.length == 2 && Args.isCString(argv[1], "abort")) {
      if (state == State.NONE) {
        c.error("ERR No failover in progress.");
        return;
      }
      abort("Failover manually aborted");
      c.reply().ok();
      return;
    }
    long timeout = 0;
    boolean forceFlag = false;
    long port = 0;
    String host = null;
    for (int j = 1; j < argv.length; j++) {
      if (Args.isCString(argv[j], "timeout") && j + 1 < argv.length && timeout == 0) {
        if (!Numbers.isLong(argv[j + 1])) {
          c.error(Errors.NOT_AN_INTEGER);
          return;
        }
        timeout = Numbers.parseLong(argv[j + 1]);
        if (timeout <= 0) {
          c.error("ERR FAILOVER timeout must be greater than 0");
          return;
        }
        j++;
      } else if (Args.isCString(argv[j], "to") && j + 2 < argv.length && host == null) {
        if (!Numbers.isLong(argv[j + 2])) {
          c.error(Errors.NOT_AN_INTEGER);
          return;
        }
        port = Numbers.parseLong(argv[j + 2]);
        host = Replication.cstr(argv[j + 1]);
        j += 2;
      } else if (Args.isCString(argv[j], "force") && !forceFlag) {
        forceFlag = true;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    if (state != State.NONE) {
      c.error("ERR FAILOVER already in progress.");
      return;
    }
    if (repl.isReplica()) {
      c.error("ERR FAILOVER is not valid when server is a replica.");
      return;
    }
    if (repl.replicas.isEmpty()) {
      c.error("ERR FAILOVER requires connected replicas.");
      return;
    }
    if (forceFlag && (timeout == 0 || host == null)) {
      c.error("ERR FAILOVER with force option requires both a timeout and target HOST and IP.");
      return;
    }
    if (host != null) {
      Replica target = find(host, port);
      if (target == null) {
        c.error("ERR FAILOVER target HOST and PORT is not a replica.");
        return;
      }
      if (target.state != Replica.State.ONLINE) {
        c.error("ERR FAILOVER target replica is not online.");
        return;
      }
      targetHost = host;
      targetPort = (int) port;
      repl.log.notice("FAILOVER requested to " + host + ":" + port + ".");
    } else {
      repl.log.notice("FAILOVER requested to any replica.");
    }
    endTime = timeout == 0 ? 0 : System.currentTimeMillis() + timeout;
    force = forceFlag;
    state = State.WAIT_FOR_SYNC;
    repl.server.pauses().pauseForFailover(true);
    c.reply().ok();
  }

  /** findReplica: the replica announcing host:port. */
  private Replica find(String host, long port) {
    for (Replica r : repl.replicas) {
      if (host.equalsIgnoreCase(r.ip()) && port == r.listeningPort) return r;
    }
    return null;
  }

  /** Clears the state and resumes writes (clearFailoverState). */
  void clear() {
    endTime = 0;
    force = false;
    targetHost = null;
    targetPort = 0;
    state = State.NONE;
    repl.server.pauses().pauseForFailover(false);
  }

  /** abortFailover. */
  void abort(String why) {
    if (state == State.NONE) return;
    if (targetHost != null) {
      repl.log.notice("FAILOVER to " + targetHost + ":" + targetPort + " aborted: " + why);
    } else {
      repl.log.notice("FAILOVER to any replica aborted: " + why);
    }
    if (state == State.IN_PROGRESS) repl.unsetMaster();
    clear();
  }

  /** The PSYNC FAILOVER reply arrived: done, or aborted when refused. */
  void psyncAnswered(boolean accepted) {
    if (state != State.IN_PROGRESS) return;
    if (accepted) {
      clear();
    } else {
      abort("Failover target rejected psync request");
    }
  }

  /** Runs from the cron and after ACKs (updateFailoverStatus). */
  void cron(long nowMs) {
    check(nowMs);
  }

  void check() {
    check(System.currentTimeMillis());
  }

  private void check(long now) {
    if (state != State.WAIT_FOR_SYNC) return;
    if (endTime != 0 && endTime <= now) {
      if (force) {
        repl.log.notice("FAILOVER to " + targetHost + ":" + targetPort
            + " time out exceeded, failing over.");
        state = State.IN_PROGRESS;
        repl.setMaster(targetHost, targetPort);
      } else {
        abort("Replica never caught up before timeout");
      }
      return;
    }
    Replica target = null;
    if (targetHost != null) {
      target = find(targetHost, targetPort);
    } else {
      for (Replica r : repl.replicas) {
        if (r.ackOffset == repl.buffer.offset()) {
          targetHost = r.ip();
          targetPort = r.listeningPort;
          target = r;
          break;
        }
      }
    }
    if (target != null && target.ackOffset == repl.buffer.offset()) {
      state = State.IN_PROGRESS;
      repl.log.notice("Failover target " + targetHost + ":" + targetPort
          + " is synced, failing over.");
      repl.setMaster(targetHost, targetPort);
    }
  }
}
