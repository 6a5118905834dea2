package io.redstart.persistence;

import io.redstart.config.ConfigParams;
import io.redstart.persistence.rdb.RdbException;
import io.redstart.persistence.rdb.RdbInput;
import io.redstart.persistence.rdb.RdbLoader;
import io.redstart.persistence.rdb.RdbOutput;
import io.redstart.persistence.rdb.RdbSerializer;
import io.redstart.replication.Snapshots;
import io.redstart.server.Log;
import io.redstart.server.RedstartServer;
import io.redstart.store.Keyspace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Persistence's side of replication: background snapshots for full synchronizations (a BGSAVE to
 * the RDB file whose end is reported to replication, or an RDB written straight to replicas'
 * sockets by a snapshot writer thread), loading the dataset a replica receives into databases
 * apart from the live ones, and stopping and restarting the AOF around a synchronization.
 *
 * <p>Keyspace thread, except {@link #load} (the replica's loader thread) and the stream writer.
 */
final class ReplicationSnapshots implements Snapshots {
  private final Persistence persistence;
  private final RedstartServer server;
  private final Log log;
  private Consumer<String> diskDone;

  ReplicationSnapshots(Persistence persistence) {
    this.persistence = persistence;
    this.server = persistence.server();
    this.log = server.log();
    persistence.addJobDoneListener(this::jobDone);
  }

  @Override
  public boolean hasActiveJob() {
    return persistence.hasActiveJob();
  }

  @Override
  public boolean diskSaveInProgress() {
    Persistence.Job j = persistence.job();
    return j != null && j.type == Persistence.JobType.RDB && !j.socket;
  }

  @Override
  public boolean saveToDisk(ReplInfo info, Consumer<String> done) {
    if (!persistence.bgsave()) return false;
    diskDone = done;
    return true;
  }

  /** A background job ended: if it was our disk save, tell replication how it went. */
  private void jobDone() {
    Consumer<String> d = diskDone;
    if (d == null || persistence.hasActiveJob()) return;
    diskDone = null;
    d.accept(persistence.lastBgsaveOk() ? null : "Background saving error");
  }

  @Override
  public boolean saveToStream(ReplInfo info, int exclude, StreamOut out, Consumer<String> done) {
    if (persistence.hasActiveJob()) return false;
    Persistence.Job j = persistence.startSocketJob();
    RdbWriter.Header h = persistence.header(false);
    if ((exclude & 2) != 0) h = new RdbWriter.Header(h.aux(), List.of());
    RdbWriter.Header header = h;
    boolean data = (exclude & 1) == 0;
    RdbSerializer.SaveOptions opts = persistence.saveOptions();
    boolean compress = persistence.compression();
    boolean sum = persistence.checksum();
    int keyDelay = server.config().getInt(ConfigParams.RDB_KEY_SAVE_DELAY);
    Thread t = Thread.ofPlatform().name("redstart-repl-rdb").daemon().unstarted(() -> {
      String error = null;
      try {
        RdbOutput o = new RdbOutput(out::write, compress, sum, 64 * 1024);
        boolean complete = RdbWriter.writeSnapshot(
            j.snapshot, o, header, opts, j.progress, keyDelay, data);
        o.flush();
        if (!complete) error = "cancelled";
      } catch (IOException | RuntimeException e) {
        error = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      String err = error;
      try {
        server.execute(() -> {
          persistence.socketJobDone(j, err == null);
          done.accept(err);
        });
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        // The server stops; nobody is left to tell.
      }
    });
    j.thread = t;
    j.snapshot.writer(t);
    j.snapshot.startSweeper();
    t.start();
    return true;
  }

  @Override
  public void cancelSave() {
    Persistence.Job j = persistence.job();
    if (j == null || j.type != Persistence.JobType.RDB) return;
    if (j.socket) {
      j.snapshot.cancel(); // the writer stops and reports
    } else {
      persistence.killRdbJob();
      Consumer<String> d = diskDone;
      diskDone = null;
      if (d != null) d.accept("killed");
    }
  }

  @Override
  public Path rdbFile() {
    return persistence.rdbPath();
  }

  @Override
  public boolean persistenceEnabled() {
    return !server.config().savePoints().isEmpty() || persistence.aof().enabled();
  }

  @Override
  public Loaded load(InputStream in, long size) throws Exception {
    Keyspace live = server.keyspace();
    Keyspace temp = new Keyspace(live.databases(), live.clock());
    temp.replica(true); // keys expired on the master are the master's to delete
    temp.loading(true);
    List<byte[]> libraries = new ArrayList<>();
    Persistence.FunctionLibraries collect = new Persistence.FunctionLibraries() {
      @Override
      public List<byte[]> codes() {
        return libraries;
      }

      @Override
      public void load(byte[] code, boolean replace) {
        libraries.add(code);
      }

      @Override
      public void clear() {
        libraries.clear();
      }
    };
    KeyspaceLoader loader = new KeyspaceLoader(temp, server.config(), log, collect, false, false);
    try {
      RdbLoader.load(new RdbInput(in, size, 1 << 20), loader, persistence.checksum());
    } catch (RdbException e) {
      throw new IOException(e.getMessage()
          + (e.offset() >= 0 ? " (at offset " + e.offset() + ")" : ""), e);
    }
    loader.logDone();
    temp.loading(false);
    return new Loaded() {
      @Override
      public String replid() {
        return loader.replId;
      }

      @Override
      public long offset() {
        return loader.replOffset;
      }

      @Override
      public int streamDb() {
        return loader.replStreamDb;
      }

      @Override
      public long keys() {
        return loader.keysLoaded;
      }

      @Override
      public void install() {
        server.flushDatabase(null, -1);
        for (int i = 0; i < live.databases(); i++) live.db(i).swapWith(temp.db(i));
        Persistence.FunctionLibraries f = persistence.functions();
        if (f != null) {
          f.clear(); // the master's libraries replace ours, as its keys do
          for (byte[] code : libraries) {
            try {
              f.load(code, true);
            } catch (Exception e) {
              log.warning("Failed loading library from the master: " + e.getMessage());
            }
          }
        }
      }
    };
  }

  @Override
  public void stopForSync() {
    persistence.aof().stopForReplication();
    if (persistence.rdbSaveInProgress()) {
      log.notice("Replica is about to load the RDB file received from the master, but there is a"
          + " pending RDB child running. Killing process " + ProcessHandle.current().pid()
          + " and removing its temp file to avoid any race");
      persistence.killRdbJob();
    }
  }

  @Override
  public void restartAof() {
    if (!persistence.aof().restartAfterSync()) {
      log.warning("Failed enabling the AOF after successful master synchronization!");
    }
  }
}
