package io.redstart.replication;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What replication needs from persistence: on the master side, background snapshots of the
 * dataset, to the RDB file or written to replicas' sockets, carrying the replication id and offset
 * of their point in time; on the replica side, loading the dataset received from the master.
 * Implemented by the persistence subsystem.
 *
 * <p>Every method runs on the keyspace thread unless its Javadoc says otherwise; {@link
 * StreamOut} is called on the snapshot's writer thread.
 */
public interface Snapshots {
  /** The replication fields of a snapshot's header (rdbSaveInfo). */
  record ReplInfo(String replid, long offset, int streamDb) {}

  /** Where a streamed snapshot's bytes go, on the writer thread. */
  interface StreamOut {
    /** Takes a piece of the RDB; may block for back-pressure; throws to abandon the snapshot. */
    void write(byte[] b, int off, int len) throws IOException;
  }

  /** Whether a background job (a BGSAVE, an AOF rewrite) runs: hasActiveChildProcess. */
  boolean hasActiveJob();

  /** Whether the running job is a BGSAVE to the RDB file. */
  boolean diskSaveInProgress();

  /**
   * Starts a BGSAVE to the RDB file with {@code info} in its header. {@code done} runs on the
   * keyspace thread with null on success or the reason of the failure. Returns false (after
   * logging why) when the save could not start.
   */
  boolean saveToDisk(ReplInfo info, Consumer<String> done);

  /**
   * Starts a snapshot written to {@code out} (the RDB alone, without framing). {@code exclude}
   * leaves out the keys (bit 1) or the function libraries (bit 2). {@code done} runs on the
   * keyspace thread after the last byte was handed to {@code out}, with null on success or the
   * reason of the failure. Returns false when the snapshot could not start.
   */
  boolean saveToStream(ReplInfo info, int exclude, StreamOut out, Consumer<String> done);

  /** Stops a running snapshot (killRDBChild); its {@code done} reports the failure. */
  void cancelSave();

  /** The RDB file ({@code dir}/{@code dbfilename}). */
  Path rdbFile();

  /** Whether any persistence is on (save points or the AOF). */
  boolean persistenceEnabled();

  /** A dataset read from our master, held apart from the live databases until installed. */
  interface Loaded {
    /** The repl-id aux field, or null. */
    String replid();

    /** The repl-offset aux field, or -1. */
    long offset();

    /** The repl-stream-db aux field, or -1. */
    int streamDb();

    /** Keys loaded. */
    long keys();

    /** Puts the loaded databases (and libraries) in place of the live ones. Keyspace thread. */
    void install();
  }

  /**
   * Reads a whole RDB (ending at its checksum) from {@code in} into databases apart from the live
   * ones, on the calling thread (a loader thread: the live keyspace is not touched). Throws with
   * the reason when the payload is not a valid RDB.
   *
   * @param size the payload's length when known, else -1
   */
  Loaded load(java.io.InputStream in, long size) throws Exception;

  /**
   * Before a received dataset replaces ours: stops the AOF and a running BGSAVE (so that neither
   * writes the old data over the new), as readSyncBulkPayload does.
   */
  void stopForSync();

  /** After a successful synchronization, or a promotion: turns the AOF back on when configured. */
  void restartAof();
}
