package io.redstart.replication;

import io.redstart.config.ConfigParams;
import java.io.IOException;
import java.util.ArrayList;

/**
 * Full synchronizations on the master side (syncCommand's full path, startBgsaveForReplication,
 * updateSlavesWaitingBgsave, replicationStartPendingFork): which snapshot a replica waiting for
 * one gets, when it starts, how it reaches the replica (the RDB file, or straight to sockets with
 * repl-diskless-sync), and putting the replica online afterwards.
 *
 * <p>A replica's part of the stream is kept from the snapshot's point in time on: the
 * +FULLRESYNC offset is the stream offset when the snapshot starts, and everything after it
 * waits in the replication buffer (client-output-buffer-limit replica applies) until the
 * replica has the snapshot.
 *
 * <p>Owned by the keyspace thread.
 */
final class FullSync {
  /** The target of the snapshot replication started, if one runs. */
  enum Target {
    NONE,
    DISK,
    SOCKET
  }

  private final Replication repl;
  private Snapshots source;
  private Target running = Target.NONE;
  private RdbTransfer transfer;

  FullSync(Replication repl) {
    this.repl = repl;
  }

  /** Installs persistence's snapshots; without them a full sync fails. */
  void source(Snapshots source) {
    this.source = source;
  }

  Snapshots source() {
    return source;
  }

  /** Whether the snapshot being produced for replicas goes to sockets (rdb_child_type). */
  boolean socketTarget() {
    return running == Target.SOCKET;
  }

  private boolean hasActiveJob() {
    return source != null && source.hasActiveJob();
  }

  /** A replica needs a full sync (the end of syncCommand). */
  void replicaWantsSync(Replica r) {
    if (running == Target.DISK || (source != null && source.diskSaveInProgress())) {
      Replica other = null;
      for (Replica o : repl.replicas) {
        if (o.state == Replica.State.WAIT_BGSAVE_END && (!o.rdbOnly || r.rdbOnly)) {
          other = o;
          break;
        }
      }
      if (other != null && running == Target.DISK && (r.capa & other.capa) == other.capa
          && r.rdbFilter == other.rdbFilter) {
        repl.setupFullResync(r, other.psyncInitialOffset);
        r.nextOffset = other.nextOffset;
        repl.log.notice("Waiting for end of BGSAVE for SYNC");
      } else {
        repl.log.notice("Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE"
            + " for SYNC");
      }
    } else if (running == Target.SOCKET) {
      repl.log.notice("Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC");
    } else if (repl.config.getBool(ConfigParams.REPL_DISKLESS_SYNC)
        && (r.capa & Replica.CAPA_EOF) != 0
        && repl.config.getInt(ConfigParams.REPL_DISKLESS_SYNC_DELAY) != 0) {
      repl.log.notice("Delay next BGSAVE for diskless SYNC");
    } else if (!hasActiveJob()) {
      start(r.capa, r.rdbFilter);
    } else {
      repl.log.notice("No BGSAVE in progress, but another BG operation is active. BGSAVE for"
          + " replication delayed");
    }
  }

  /** shouldStartChildReplication / replicationStartPendingFork, once a second. */
  void cron(long now) {
    if (hasActiveJob() || running != Target.NONE) return;
    long maxIdle = 0;
    int waiting = 0;
    int mincapa = 0;
    int req = 0;
    boolean first = true;
    for (Replica r : repl.replicas) {
      if (r.state != Replica.State.WAIT_BGSAVE_START) continue;
      if (first) {
        req = r.rdbFilter;
      } else if (req != r.rdbFilter) {
        continue;
      }
      long idle = now - r.client.lastInteractionMillis() / 1000;
      if (idle > maxIdle) maxIdle = idle;
      waiting++;
      mincapa = first ? r.capa : (mincapa & r.capa);
      first = false;
    }
    if (waiting == 0) return;
    int maxReplicas = repl.config.getInt(ConfigParams.REPL_DISKLESS_SYNC_MAX_REPLICAS);
    if (!repl.config.getBool(ConfigParams.REPL_DISKLESS_SYNC)
        || (maxReplicas > 0 && waiting >= maxReplicas)
        || maxIdle >= repl.config.getInt(ConfigParams.REPL_DISKLESS_SYNC_DELAY)) {
      start(mincapa, req);
    }
  }

  /** startBgsaveForReplication. */
  private boolean start(int mincapa, int req) {
    boolean socket = (repl.config.getBool(ConfigParams.REPL_DISKLESS_SYNC) || req != 0)
        && (mincapa & Replica.CAPA_EOF) != 0;
    repl.log.notice("Starting BGSAVE for SYNC with target: "
        + (socket ? "replicas sockets" : "disk"));
    int streamDb = repl.streamDbForSave();
    boolean ok;
    if (source == null) {
      repl.log.warning("BGSAVE for replication: no snapshots available");
      ok = false;
    } else if (streamDb < 0) {
      repl.log.warning("BGSAVE for replication: replication information not available, can't"
          + " generate the RDB file right now. Try later.");
      ok = false;
    } else {
      Snapshots.ReplInfo info =
          new Snapshots.ReplInfo(repl.replid, repl.buffer.offset(), streamDb);
      ok = socket ? startSocket(info, req) : startDisk(info, req);
    }
    if (!ok) {
      repl.log.warning("BGSAVE for replication failed");
      for (Replica r : new ArrayList<>(repl.replicas)) {
        if (r.state != Replica.State.WAIT_BGSAVE_START) continue;
        repl.replicas.remove(r);
        r.state = Replica.State.HANDSHAKE;
        r.client.replicationRole(0);
        r.client.error("ERR BGSAVE failed, replication can't continue");
        r.client.closeAfterReply();
      }
    }
    return ok;
  }

  private boolean startDisk(Snapshots.ReplInfo info, int req) {
    if (!source.saveToDisk(info, this::diskDone)) return false;
    running = Target.DISK;
    for (Replica r : repl.replicas) {
      if (r.state == Replica.State.WAIT_BGSAVE_START && r.rdbFilter == req) {
        repl.setupFullResync(r, info.offset());
      }
    }
    return true;
  }

  private boolean startSocket(Snapshots.ReplInfo info, int req) {
    RdbTransfer t = new RdbTransfer(repl);
    for (Replica r : repl.replicas) {
      if (r.state == Replica.State.WAIT_BGSAVE_START && r.rdbFilter == req) {
        repl.setupFullResync(r, info.offset());
        t.add(r);
      }
    }
    t.start();
    if (!source.saveToStream(info, req, t, err -> socketDone(t, err))) {
      for (RdbTransfer.Target x : t.targets) {
        x.replica.transfer = null;
        x.replica.client.closeNow();
      }
      return false;
    }
    transfer = t;
    running = Target.SOCKET;
    return true;
  }

  /** The disk BGSAVE we started ended: send the file to those waiting for it. */
  private void diskDone(String error) {
    running = Target.NONE;
    for (Replica r : new ArrayList<>(repl.replicas)) {
      if (r.state != Replica.State.WAIT_BGSAVE_END) continue;
      if (error != null) {
        r.client.closeNow();
        repl.log.warning("SYNC failed. BGSAVE child returned an error");
        continue;
      }
      try {
        r.state = Replica.State.SEND_BULK;
        r.sender = FileSender.start(repl, r, source.rdbFile());
      } catch (IOException e) {
        r.client.closeNow();
        repl.log.warning("SYNC failed. Can't open/stat DB after BGSAVE: " + e.getMessage());
      }
    }
  }

  /** The whole file was handed to the replica's connection. */
  void bulkSent(Replica r, FileSender s, String error) {
    if (r.sender != s) return;
    r.sender = null;
    if (r.client.isClosed()) return;
    if (error != null) {
      repl.log.warning("Read error sending DB to replica: " + error);
      r.client.closeNow();
      return;
    }
    if (!repl.putOnline(r)) {
      r.client.closeAfterReply();
      return;
    }
    repl.startStream(r);
  }

  /** The socket transfer ended (the writer handed its last byte, or failed). */
  private void socketDone(RdbTransfer t, String error) {
    if (transfer == t) {
      transfer = null;
      running = Target.NONE;
    }
    if (error == null && !t.abandoned()) t.finish();
    for (RdbTransfer.Target x : t.targets) {
      Replica r = x.replica;
      r.transfer = null;
      if (x.gone || r.state != Replica.State.WAIT_BGSAVE_END || r.client.isClosed()) continue;
      if (error != null) {
        r.client.closeNow();
        repl.log.warning("SYNC failed. BGSAVE child returned an error");
        continue;
      }
      repl.log.notice("Streamed RDB transfer with replica " + r.name()
          + " succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming");
      if (!repl.putOnline(r)) {
        r.client.closeAfterReply();
        continue;
      }
      r.startStreamOnAck = true;
    }
  }

  /** A replica left during its sync. */
  void replicaGone(Replica r) {
    if (r.sender != null) {
      r.sender.cancel();
      r.sender = null;
    }
    if (r.transfer != null) {
      RdbTransfer t = r.transfer;
      if (t.remove(r) && transfer == t) {
        repl.log.warning("Diskless rdb transfer, last replica dropped, killing fork child.");
        source.cancelSave();
      }
    } else if (running == Target.DISK && r.state == Replica.State.WAIT_BGSAVE_END
        && repl.config.savePoints().isEmpty()) {
      boolean other = false;
      for (Replica o : repl.replicas) {
        if (o != r && (o.state == Replica.State.WAIT_BGSAVE_START
            || o.state == Replica.State.WAIT_BGSAVE_END)) {
          other = true;
        }
      }
      if (!other) source.cancelSave();
    }
  }

  /** The time since which a diskless transfer waits for this replica, or 0. */
  long lastPartialWrite(Replica r) {
    return r.transfer == null ? 0 : r.transfer.waitingSince(r);
  }
}
