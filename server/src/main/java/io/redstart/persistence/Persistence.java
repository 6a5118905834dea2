package io.redstart.persistence;

import io.redstart.command.Errors;
import io.redstart.config.Config;
import io.redstart.config.ConfigParams;
import io.redstart.config.SpecialParams.SavePoint;
import io.redstart.persistence.rdb.RdbException;
import io.redstart.persistence.rdb.RdbInput;
import io.redstart.persistence.rdb.RdbLoader;
import io.redstart.persistence.rdb.RdbSerializer;
import io.redstart.scripting.Scripting;
import io.redstart.server.Client;
import io.redstart.server.CommandGates;
import io.redstart.server.Log;
import io.redstart.server.RedstartServer;
import io.redstart.store.Keyspace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The persistence subsystem: RDB snapshots (SAVE, BGSAVE, save points, the save at shutdown and
 * after FLUSHALL), loading at startup, the append-only file ({@link AppendOnlyFile}), the MISCONF gate, and
 * the persistence section of INFO. Background saves run on a writer thread over a {@link
 * Snapshot}; at most one background job (BGSAVE or AOF rewrite) runs at a time, as Redis allows one
 * child.
 *
 * <p>Owned by the keyspace thread: every method runs there unless its Javadoc says otherwise.
 */
public final class Persistence {
  /** Seconds after a failed background save before a save point may try again. */
  static final int BGSAVE_RETRY_DELAY = 5;

  /** The function libraries, as the scripting subsystem provides them to RDB and AOF. */
  public interface FunctionLibraries {
    /** The code of every library (what FUNCTION LOAD took), in a stable order. */
    List<byte[]> codes();

    /** Loads a library; throws with Redis's reason when it cannot. */
    void load(byte[] code, boolean replace) throws Exception;

    /** Deletes every library (DEBUG RELOAD and LOADAOF empty them with the data, as Redis). */
    void clear();
  }

  /** The scripting subsystem's libraries. */
  private record ScriptingLibraries(Scripting scripting) implements FunctionLibraries {
    @Override
    public List<byte[]> codes() {
      return scripting.functionLibraryCodes();
    }

    @Override
    public void load(byte[] code, boolean replace) throws Exception {
      String error = scripting.loadFunctionLibrary(code, replace);
      if (error != null) throw new Exception(error);
    }

    @Override
    public void clear() {
      scripting.functionFlush();
    }
  }

  /** A background job: what runs on the writer thread over a snapshot. */
  enum JobType {
    RDB,
    AOF
  }

  /** The running background job. */
  final class Job {
    final JobType type;
    final Snapshot snapshot;
    final long startSeconds;
    final RdbWriter.Progress progress = new RdbWriter.Progress();
    Thread thread;
    /** An RDB written to replicas' sockets rather than to the file (rdb_child_type SOCKET). */
    boolean socket;

    Job(JobType type, Snapshot snapshot) {
      this.type = type;
      this.snapshot = snapshot;
      this.startSeconds = nowSeconds();
    }
  }

  private final RedstartServer server;
  private final Config config;
  private final Log log;
  private FunctionLibraries functions;
  private final AppendOnlyFile aof;

  // RDB state (Redis's server.lastsave, lastbgsave_status ...).
  private long lastSave;
  private long lastBgsaveTry;
  private boolean lastBgsaveOk = true;
  private long rdbSaves;
  private long lastBgsaveSeconds = -1;
  private long dirtyBeforeBgsave;
  private boolean bgsaveScheduled;
  private long lastCowSize;
  private long lastLoadKeysLoaded;
  private long lastLoadKeysExpired;
  private Job job;
  /** Set once a SHUTDOWN command prepared the exit (so the exit hook does not save again). */
  private boolean shutdownPrepared;

  /** Snapshots started (INFO total_forks) and the last one's start in microseconds. */
  private long totalForks;

  private long latestForkUsec;

  public Persistence(RedstartServer server) {
    this.server = server;
    this.config = server.config();
    this.log = server.log();
    this.lastSave = nowSeconds();
    this.aof = new AppendOnlyFile(server, this);
    server.gates().install(CommandGates.Stage.DISK_ERROR, this::diskErrorGate);
    server.info().section("persistence", this::info);
    // A snapshot is this server's fork: counted, and timed on the keyspace thread, as Redis does.
    server.info().counter("total_forks", () -> totalForks);
    server.info().counter("latest_fork_usec", () -> latestForkUsec);
    server.addResetStatsHook(this::resetStats);
    server.addCronTask(this::cron);
    server.addShutdownGuard(this::prepareShutdown);
    server.addShutdownHook(this::onExit);
    server.addAfterFlushAllHook(this::afterFlushAll);
    // FLUSHALL stops a BGSAVE (as Redis kills its child) before the snapshot would capture what
    // is being emptied.
    server.addFlushHook(db -> {
      if (db == -1) killRdbJob();
    });
    server.addStartupTask(this::loadDataFromDisk);
    io.redstart.command.server.DebugCommands.register("reload", this::debugReload);
    io.redstart.command.server.DebugCommands.register("loadaof", this::debugLoadAof);
  }

  /** What persistence asks of replication; installed by the replication subsystem. */
  public interface ReplicationState {
    /**
     * The replication fields to save in an RDB header now (rdbPopulateSaveInfo), or null when
     * there are none.
     */
    io.redstart.replication.Snapshots.ReplInfo saveInfo();

    /** The RDB loaded at start carried these fields (null id, -1 offset or db when absent). */
    void restored(String replid, long offset, int streamDb);

    /** Whether a replica loads its master's dataset while the old one serves (async_loading). */
    default boolean asyncLoading() {
      return false;
    }
  }

  private ReplicationState replicationState;

  /** Installs replication's side of the RDB aux fields. */
  public void replicationState(ReplicationState r) {
    this.replicationState = r;
  }

  /** Installs the function libraries (by default, those of the server's scripting subsystem). */
  public void functions(FunctionLibraries f) {
    this.functions = f;
  }

  /** The function libraries: those installed, else the scripting subsystem's; null if none. */
  FunctionLibraries functions() {
    if (functions == null) {
      Scripting scripting = server.component(Scripting.class);
      if (scripting != null) functions = new ScriptingLibraries(scripting);
    }
    return functions;
  }

  public AppendOnlyFile aof() {
    return aof;
  }

  RedstartServer server() {
    return server;
  }

  static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  // ---- files

  /** The RDB file (dbfilename in dir). */
  Path rdbPath() {
    return config.resolve(config.getString(ConfigParams.DBFILENAME));
  }

  private Path tempRdbPath() {
    return config.resolve("temp-" + ProcessHandle.current().pid() + ".rdb");
  }

  boolean compression() {
    return config.getBool(ConfigParams.RDBCOMPRESSION);
  }

  boolean checksum() {
    return config.getBool(ConfigParams.RDBCHECKSUM);
  }

  /** The header of a file written now. */
  RdbWriter.Header header(boolean aofBase) {
    io.redstart.replication.Snapshots.ReplInfo repl =
        aofBase || replicationState == null ? null : replicationState.saveInfo();
    RdbSerializer.AuxFields aux = new RdbSerializer.AuxFields(
        RedstartServer.REDIS_VERSION, nowSeconds(), server.usedMemory(), aofBase,
        repl == null ? null : repl.replid(), repl == null ? 0 : repl.offset(),
        repl == null ? 0 : repl.streamDb());
    FunctionLibraries f = functions();
    List<byte[]> libs = f == null ? List.of() : f.codes();
    return new RdbWriter.Header(aux, libs);
  }

  RdbSerializer.SaveOptions saveOptions() {
    return RdbSerializer.SaveOptions.of(config, server.keyspace());
  }

  // ---- SAVE

  /** Whether a background RDB save is running (child_type == CHILD_TYPE_RDB). */
  public boolean rdbSaveInProgress() {
    return job != null && job.type == JobType.RDB;
  }

  /** Whether any background job runs (hasActiveChildProcess). */
  public boolean hasActiveJob() {
    return job != null;
  }

  Job job() {
    return job;
  }

  /**
   * rdbSave: writes the live dataset to the RDB file on this thread. Returns true on success (dirty
   * reset, lastsave updated), false after logging the failure.
   */
  public boolean saveSync() {
    Path target = rdbPath();
    Keyspace ks = server.keyspace();
    RdbWriter.Header header = header(false);
    RdbSerializer.SaveOptions opts = saveOptions();
    try {
      RdbWriter.toFile(tempRdbPath(), target, compression(), checksum(),
          config.getBool(ConfigParams.RDB_SAVE_INCREMENTAL_FSYNC), () -> false, out -> {
            RdbWriter.writeLive(ks, out, header, opts, null);
            return true;
          });
    } catch (RdbWriter.SaveException e) {
      if (e.step.equals("open")) {
        log.warning("Failed opening the temp RDB file " + tempRdbPath().getFileName()
            + " (in server root dir " + config.dir() + ") for saving: " + e.getMessage());
      } else if (e.step.equals("rename")) {
        log.warning("Error moving temp DB file " + tempRdbPath().getFileName()
            + " on the final destination " + target.getFileName() + " (in server root dir "
            + config.dir() + "): " + e.getMessage());
      } else {
        log.warning("Write error saving DB on disk(" + e.step + "): " + e.getMessage());
      }
      return false;
    } catch (RuntimeException e) {
      log.warning("Write error saving DB on disk(rdbSaveRio): " + e);
      return false;
    }
    log.notice("DB saved on disk");
    server.resetDirty();
    lastSave = nowSeconds();
    lastBgsaveOk = true;
    return true;
  }

  /** SAVE. */
  public void saveCommand(Client c) {
    if (rdbSaveInProgress()) {
      c.error("ERR Background save already in progress");
      return;
    }
    rdbSaves++;
    if (saveSync()) {
      c.reply().ok();
    } else {
      c.error("ERR");
    }
  }

  /** BGSAVE [SCHEDULE]. */
  public void bgsaveCommand(Client c, boolean schedule) {
    if (rdbSaveInProgress()) {
      c.error("ERR Background save already in progress");
    } else if (hasActiveJob() || server.inTransactionOrScript()) {
      if (schedule || server.inTransactionOrScript()) {
        bgsaveScheduled = true;
        c.reply().simple("Background saving scheduled");
      } else {
        c.error("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE"
            + " SCHEDULE in order to schedule a BGSAVE whenever possible.");
      }
    } else if (bgsave()) {
      c.reply().simple("Background saving started");
    } else {
      c.error("ERR");
    }
  }

  /** LASTSAVE. */
  public void lastsaveCommand(Client c) {
    c.reply().integer(lastSave);
  }

  /**
   * rdbSaveBackground: starts a snapshot and its writer thread. Returns false when a job already
   * runs.
   */
  public boolean bgsave() {
    if (hasActiveJob()) return false;
    rdbSaves++;
    dirtyBeforeBgsave = server.dirty();
    lastBgsaveTry = nowSeconds();
    Snapshot snap = snapshot();
    Job j = new Job(JobType.RDB, snap);
    job = j;
    j.progress.keysTotal = server.keyspace().totalKeys();
    Path target = rdbPath();
    Path temp = tempRdbPath();
    RdbWriter.Header header = header(false);
    RdbSerializer.SaveOptions opts = saveOptions();
    boolean compress = compression();
    boolean sum = checksum();
    boolean incremental = config.getBool(ConfigParams.RDB_SAVE_INCREMENTAL_FSYNC);
    int keyDelay = config.getInt(ConfigParams.RDB_KEY_SAVE_DELAY);
    Thread t = Thread.ofPlatform().name("redstart-bgsave").daemon().unstarted(() -> {
      String error = null;
      boolean cancelled = false;
      try {
        long n = RdbWriter.toFile(temp, target, compress, sum, incremental, snap::isCancelled,
            out -> RdbWriter.writeSnapshot(snap, out, header, opts, j.progress, keyDelay));
        cancelled = n < 0;
      } catch (RdbWriter.SaveException e) {
        error = e.step.equals("open")
            ? "Failed opening the temp RDB file " + temp.getFileName() + " (in server root dir "
                + config.dir() + ") for saving: " + e.getMessage()
            : "Write error saving DB on disk(" + e.step + "): " + e.getMessage();
      } catch (RuntimeException | Error e) {
        error = "Write error saving DB on disk(rdbSaveRio): " + e;
      }
      String err = error;
      boolean wasCancelled = cancelled;
      try {
        server.execute(() -> bgsaveDone(j, err, wasCancelled));
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        // The server stopped meanwhile; nothing left to report to.
      }
    });
    j.thread = t;
    snap.writer(t);
    snap.startSweeper();
    log.notice("Background saving started by pid " + ProcessHandle.current().pid());
    t.start();
    return true;
  }

  /** backgroundSaveDoneHandlerDisk, on the keyspace thread. */
  private void bgsaveDone(Job j, String error, boolean cancelled) {
    j.snapshot.finish();
    if (job == j) job = null;
    lastCowSize = j.snapshot.peakExtraBytes();
    if (cancelled) {
      log.warning("Background saving terminated by signal 10");
    } else if (error == null) {
      log.notice("Background saving terminated with success");
      server.incrDirty(-dirtyBeforeBgsave);
      lastSave = nowSeconds();
      lastBgsaveOk = true;
    } else {
      log.warning(error);
      log.warning("Background saving error");
      lastBgsaveOk = false;
    }
    lastBgsaveSeconds = nowSeconds() - j.startSeconds;
    for (Runnable r : new ArrayList<>(jobDoneListeners)) r.run();
  }

  private final List<Runnable> jobDoneListeners = new ArrayList<>();

  /** Called after each background job ends (replication waits on BGSAVE here). */
  public void addJobDoneListener(Runnable r) {
    jobDoneListeners.add(r);
  }

  /** Stops a running BGSAVE (killRDBChild): the writer abandons its temp file. */
  void killRdbJob() {
    Job j = job;
    if (j == null || j.type != JobType.RDB) return;
    j.snapshot.cancel();
    try {
      j.thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    j.snapshot.finish();
    job = null;
    RdbWriter.deleteQuietly(tempRdbPath());
  }

  /**
   * Starts a snapshot, counted in INFO's total_forks, its start's duration in latest_fork_usec
   * (what the event loop paused for, where Redis reports its fork() call). Keyspace thread.
   */
  private Snapshot snapshot() {
    long start = System.nanoTime();
    Snapshot snap = new Snapshot(server);
    latestForkUsec = (System.nanoTime() - start) / 1000;
    totalForks++;
    return snap;
  }

  /**
   * Starts the job of an RDB written to replicas' sockets (rdbSaveToSlavesSockets); its writer is
   * replication's. Counts as a BGSAVE in progress, as Redis's socket child does.
   */
  Job startSocketJob() {
    Job j = new Job(JobType.RDB, snapshot());
    j.socket = true;
    j.progress.keysTotal = server.keyspace().totalKeys();
    job = j;
    rdbSaves++;
    lastBgsaveTry = nowSeconds();
    log.notice("Background RDB transfer started by pid " + ProcessHandle.current().pid());
    return j;
  }

  /** A socket job ended (backgroundSaveDoneHandlerSocket). */
  void socketJobDone(Job j, boolean ok) {
    j.snapshot.finish();
    if (job == j) job = null;
    lastCowSize = j.snapshot.peakExtraBytes();
    lastBgsaveSeconds = nowSeconds() - j.startSeconds;
    if (ok) {
      log.notice("Background RDB transfer terminated with success");
    } else if (j.snapshot.isCancelled()) {
      log.warning("Background transfer terminated by signal 10");
    } else {
      log.warning("Background transfer error");
    }
    for (Runnable r : new ArrayList<>(jobDoneListeners)) r.run();
  }

  /** The adapter replication uses for full synchronizations and loading. */
  public io.redstart.replication.Snapshots replicationSnapshots() {
    return new ReplicationSnapshots(this);
  }

  /** Starts a background AOF rewrite job over a fresh snapshot; the AppendOnlyFile drives it. */
  Job startAofJob() {
    Job j = new Job(JobType.AOF, snapshot());
    j.progress.keysTotal = server.keyspace().totalKeys();
    job = j;
    return j;
  }

  /** An AOF job ended (the AppendOnlyFile has handled its files). */
  void aofJobDone(Job j) {
    j.snapshot.finish();
    if (job == j) job = null;
    for (Runnable r : new ArrayList<>(jobDoneListeners)) r.run();
  }

  // ---- cron

  private void cron() {
    long now = nowSeconds();
    aof.cron(now);
    if (!hasActiveJob()) {
      for (SavePoint sp : config.savePoints()) {
        if (server.dirty() >= sp.changes()
            && now - lastSave > sp.seconds()
            && (now - lastBgsaveTry > BGSAVE_RETRY_DELAY || lastBgsaveOk)) {
          log.notice(sp.changes() + " changes in " + sp.seconds() + " seconds. Saving...");
          bgsave();
          break;
        }
      }
      if (!hasActiveJob()) aof.maybeAutoRewrite();
    }
    if (!hasActiveJob()
        && bgsaveScheduled
        && (now - lastBgsaveTry > BGSAVE_RETRY_DELAY || lastBgsaveOk)) {
      if (bgsave()) bgsaveScheduled = false;
    }
  }

  // ---- MISCONF

  /** writeCommandsDeniedByDiskError, for writes and PING. */
  private String diskErrorGate(Client c, io.redstart.command.CommandSpec cmd, byte[][] argv) {
    boolean write = RedstartServer.mayWrite(cmd) && cmd.has(io.redstart.command.CommandFlags.WRITE);
    boolean ping = cmd.name.equals("ping") && cmd.parent() == null;
    if (!write && !ping) return null;
    if (c.replicationRole() == 2) return null; // our master: obey
    if (config.getBool(ConfigParams.STOP_WRITES_ON_BGSAVE_ERROR)
        && !config.savePoints().isEmpty()
        && !lastBgsaveOk) {
      return Errors.MISCONF;
    }
    String aofError = aof.writeError();
    if (aofError != null) return "MISCONF Errors writing to the AOF file: " + aofError;
    return null;
  }

  /** Whether the last background save succeeded (INFO's rdb_last_bgsave_status). */
  public boolean lastBgsaveOk() {
    return lastBgsaveOk;
  }

  // ---- shutdown and FLUSHALL

  /** finishShutdown's persistence part, for SHUTDOWN: false refuses the exit. */
  private boolean prepareShutdown(boolean save, boolean explicitSave) {
    if (server.isLoading()) save = false;
    boolean ok = finishShutdown(save, false);
    if (ok) shutdownPrepared = true;
    return ok;
  }

  /**
   * Kills background jobs, flushes and syncs the AOF, and saves when asked. Returns false when the
   * save failed (and {@code force} is not set).
   */
  private boolean finishShutdown(boolean save, boolean force) {
    if (rdbSaveInProgress()) {
      log.warning("There is a child saving an .rdb. Killing it!");
      killRdbJob();
    }
    if (!aof.prepareShutdown(force)) return false;
    if (save) {
      log.notice("Saving the final RDB snapshot before exiting.");
      if (!saveSync()) {
        if (force) {
          log.warning("Error trying to save the DB. Exit anyway.");
        } else {
          log.warning("Error trying to save the DB, can't exit.");
          log.warning("Errors trying to shut down the server. Check the logs for more information.");
          return false;
        }
      }
    }
    return true;
  }

  /** The server is stopping without a SHUTDOWN command (SIGTERM, embedded close). */
  private void onExit() {
    if (shutdownPrepared) {
      aof.close();
      return;
    }
    shutdownPrepared = true;
    long flags = config.getLong(ConfigParams.SHUTDOWN_ON_SIGTERM);
    boolean save = (flags & 1) != 0 || ((flags & 2) == 0 && !config.savePoints().isEmpty());
    if (server.isLoading()) save = false;
    log.warning("User requested shutdown...");
    finishShutdown(save, true);
    aof.close();
  }

  /**
   * FLUSHALL: stop a BGSAVE and, with save points, save the now empty dataset, which leaves no
   * change unsaved (rdb_changes_since_last_save 0, as Redis's flushAllDataAndResetRDB; FLUSHALL
   * forces its own propagation).
   */
  private void afterFlushAll() {
    killRdbJob();
    if (!config.savePoints().isEmpty()) saveSync();
  }

  // ---- loading

  /** loadDataFromDisk: the AOF when appendonly is on, else the RDB file. Keyspace thread. */
  private void loadDataFromDisk() {
    long start = System.nanoTime();
    if (config.getBool(ConfigParams.APPENDONLY)) {
      aof.loadOnStart();
      return;
    }
    Path path = rdbPath();
    if (!Files.exists(path)) {
      aof.openOnStart();
      return;
    }
    try {
      KeyspaceLoader loader = loadRdb(path, false, false, true);
      if (replicationState != null) {
        replicationState.restored(loader.replId, loader.replOffset, loader.replStreamDb);
      }
    } catch (NoSuchFileException e) {
      aof.openOnStart();
      return;
    } catch (IOException e) {
      log.warning("Fatal error loading the DB: " + e.getMessage() + ". Exiting.");
      throw new IllegalStateException("Fatal error loading the DB: " + e.getMessage());
    } catch (RdbException e) {
      throw fatalRdb(e, path);
    }
    log.notice(String.format(Locale.ROOT, "DB loaded from disk: %.3f seconds",
        (System.nanoTime() - start) / 1e9));
    aof.openOnStart();
  }

  /** Logs an unreadable RDB file as Redis does and returns the exception that stops the start. */
  IllegalStateException fatalRdb(RdbException e, Path path) {
    if (e.kind() == RdbException.Kind.UNSUPPORTED && e.getMessage().startsWith("Can't handle")) {
      log.warning(e.getMessage());
      log.warning("Fatal error loading the DB: Invalid argument. Exiting.");
    } else if (e.getMessage().startsWith("Wrong signature")) {
      log.warning(e.getMessage());
      log.warning("Fatal error loading the DB: Invalid argument. Exiting.");
    } else {
      if (e.kind() == RdbException.Kind.SHORT_READ) {
        log.warning("Short read or OOM loading DB. Unrecoverable error, aborting now.");
      }
      log.warning("Internal error in RDB reading offset " + Math.max(0, e.offset())
          + ", function at rdb.c -> " + e.getMessage());
      log.warning("Terminating server after rdb file reading failure.");
    }
    return new IllegalStateException("Can't load " + path.getFileName() + ": " + e.getMessage()
        + (e.offset() >= 0 ? " (at offset " + e.offset() + ")" : ""));
  }

  /**
   * Loads an RDB file into the keyspace (rdbLoad). The keyspace must be empty unless {@code
   * allowDuplicates}. Marks the server loading meanwhile.
   *
   * @param aofBase the file is an AOF base: keep expired keys, the log that follows expects them
   */
  KeyspaceLoader loadRdb(Path path, boolean aofBase, boolean allowDuplicates, boolean verbose)
      throws IOException, RdbException {
    long size = Files.size(path);
    try (InputStream in = Files.newInputStream(path)) {
      return loadRdb(new RdbInput(in, size, 1 << 20), aofBase, allowDuplicates, verbose);
    }
  }

  KeyspaceLoader loadRdb(RdbInput in, boolean aofBase, boolean allowDuplicates, boolean verbose)
      throws IOException, RdbException {
    KeyspaceLoader loader = new KeyspaceLoader(server.keyspace(), config,
        verbose ? log : Log.silent(), functions(), aofBase, allowDuplicates);
    boolean wasLoading = server.isLoading();
    server.loading(true);
    server.keyspace().loading(true);
    try {
      RdbLoader.Result r = RdbLoader.load(in, loader, checksum());
      if (r.checksum() == RdbLoader.Checksum.DISABLED) {
        log.warning("RDB file was saved with checksum disabled: no check performed.");
      }
    } finally {
      server.loading(wasLoading);
      server.keyspace().loading(wasLoading);
    }
    lastLoadKeysLoaded = loader.keysLoaded;
    lastLoadKeysExpired = loader.keysExpired;
    if (verbose) loader.logDone();
    return loader;
  }

  // ---- DUMP and RESTORE

  /** DUMP key: the value's RDB payload, or a null reply when the key does not exist. */
  public void dumpCommand(Client c, byte[] key) {
    Object e = server.keyspace().lookupRead(c.db(), key, c.noTouch());
    if (e == null) {
      c.reply().nullBulk();
      return;
    }
    byte[] payload;
    try {
      payload = RdbSerializer.dump(io.redstart.store.Entries.record(e),
          io.redstart.store.Entries.boxedValue(e), config, compression());
    } catch (IOException | RuntimeException ex) {
      c.error("ERR " + ex.getMessage());
      return;
    }
    c.reply().bulk(payload);
  }

  private static final byte[] ABSTTL = "ABSTTL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] DEL = "DEL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]. */
  public void restoreCommand(Client c, byte[][] argv) {
    boolean replace = false;
    boolean absttl = false;
    long lfuFreq = -1;
    long lruIdle = -1;
    for (int j = 4; j < argv.length; j++) {
      int additional = argv.length - j - 1;
      if (io.redstart.command.Args.is(argv[j], "replace")) {
        replace = true;
      } else if (io.redstart.command.Args.is(argv[j], "absttl")) {
        absttl = true;
      } else if (io.redstart.command.Args.is(argv[j], "idletime") && additional >= 1 && lfuFreq == -1) {
        if (!io.redstart.command.Args.isLongOrReply(c, argv[j + 1])) return;
        lruIdle = io.redstart.command.Args.toLong(argv[j + 1]);
        if (lruIdle < 0) {
          c.error("ERR Invalid IDLETIME value, must be >= 0");
          return;
        }
        j++;
      } else if (io.redstart.command.Args.is(argv[j], "freq") && additional >= 1 && lruIdle == -1) {
        if (!io.redstart.command.Args.isLongOrReply(c, argv[j + 1])) return;
        lfuFreq = io.redstart.command.Args.toLong(argv[j + 1]);
        if (lfuFreq < 0 || lfuFreq > 255) {
          c.error("ERR Invalid FREQ value, must be >= 0 and <= 255");
          return;
        }
        j++;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    Keyspace ks = server.keyspace();
    var db = c.db();
    byte[] key = argv[1];
    if (!replace && ks.lookupWrite(db, key) != null) {
      c.error(Errors.BUSYKEY);
      return;
    }
    if (!io.redstart.command.Args.isLongOrReply(c, argv[2])) return;
    long ttl = io.redstart.command.Args.toLong(argv[2]);
    if (ttl < 0) {
      c.error("ERR Invalid TTL value, must be >= 0");
      return;
    }
    byte[] payload = argv[3];
    if (!verifyDumpPayload(payload)) {
      c.error("ERR DUMP payload version or checksum are wrong");
      return;
    }
    io.redstart.persistence.rdb.RdbValue value;
    try {
      // The whole payload, footer included, as Redis reads it: a short body reads into it.
      RdbInput in = new RdbInput(payload, 0, payload.length);
      int type = in.type();
      if (!io.redstart.persistence.rdb.RdbConstants.isObjectType(type)) throw new RdbException(
          RdbException.Kind.CORRUPT, "bad type", 0);
      value = io.redstart.persistence.rdb.RdbValueReader.read(type, in);
      if (value == null) throw new RdbException(RdbException.Kind.CORRUPT, "empty", 0);
      if (value.rdbType() != io.redstart.persistence.rdb.RdbConstants.TYPE_STRING
          && io.redstart.persistence.rdb.TypeAdapters.of(
              io.redstart.persistence.rdb.TypeAdapters.valueTypeOf(value.rdbType())) == null) {
        throw new RdbException(RdbException.Kind.UNSUPPORTED, "type", 0);
      }
    } catch (IOException | RdbException | RuntimeException ex) {
      c.error("ERR Bad data format");
      return;
    }
    boolean deleted = false;
    if (replace) {
      ks.lookupQuiet(db, key);
      deleted = db.remove(key) != null;
    }
    long now = ks.now();
    if (ttl != 0 && !absttl) ttl += now;
    if (ttl != 0 && ttl <= now && !server.isLoading() && !ks.isReplica()) {
      if (deleted) {
        server.dispatcher().propagateAs(new byte[][] {DEL, key});
        server.events().written(c, db, key, io.redstart.config.KeyspaceEventFlags.GENERIC, "del");
      }
      c.reply().ok();
      return;
    }
    boolean lfu = config.getEnum(ConfigParams.MAXMEMORY_POLICY).endsWith("-lfu");
    int lru = KeyspaceLoader.lruOf(ks, lfu, now, ks.lruClock(), lruIdle, (int) lfuFreq);
    try {
      KeyspaceLoader.store(db, key, value, ttl != 0 ? ttl : io.redstart.store.Database.NO_EXPIRE,
          lru, config);
    } catch (RdbException ex) {
      c.error("ERR Bad data format");
      return;
    }
    server.events().keyCreated(c, db, key);
    if (ttl != 0 && !absttl) {
      byte[][] prop = java.util.Arrays.copyOf(argv, argv.length + 1);
      prop[2] = io.redstart.resp.Numbers.toBytes(ttl);
      prop[argv.length] = ABSTTL;
      server.dispatcher().propagateAs(prop);
    }
    c.reply().ok();
    server.events().written(c, db, key, io.redstart.config.KeyspaceEventFlags.GENERIC, "restore");
  }

  /** verifyDumpPayload: a version this server reads and a matching CRC-64. */
  static boolean verifyDumpPayload(byte[] p) {
    if (p.length < 10) return false;
    int footer = p.length - 10;
    int version = (p[footer] & 0xff) | (p[footer + 1] & 0xff) << 8;
    if (version > io.redstart.persistence.rdb.RdbConstants.RDB_MAX_READ_VERSION) return false;
    long crc = io.redstart.persistence.rdb.Crc64.update(0, p, 0, p.length - 8);
    long stored = 0;
    for (int i = 7; i >= 0; i--) stored = (stored << 8) | (p[footer + 2 + i] & 0xff);
    return crc == stored;
  }

  // ---- DEBUG RELOAD / LOADAOF

  /** DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty, load back. */
  private void debugReload(Client c, byte[][] argv) {
    boolean flush = true;
    boolean save = true;
    boolean merge = false;
    for (int i = 2; i < argv.length; i++) {
      String opt = new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1);
      if (opt.equalsIgnoreCase("MERGE")) {
        merge = true;
      } else if (opt.equalsIgnoreCase("NOFLUSH")) {
        flush = false;
      } else if (opt.equalsIgnoreCase("NOSAVE")) {
        save = false;
      } else {
        c.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
        return;
      }
    }
    if (save) {
      if (!saveSync()) {
        c.error("ERR");
        return;
      }
    }
    if (flush) emptyData(c);
    Path path = rdbPath();
    try {
      loadRdb(path, false, merge, true);
    } catch (IOException | RdbException e) {
      c.error("ERR Error trying to load the RDB dump");
      log.warning("Error loading the RDB dump: " + e.getMessage());
      return;
    }
    log.warning("DB reloaded by DEBUG RELOAD");
    c.reply().ok();
  }

  /** Redis's emptyData(-1, EMPTYDB_NO_FLAGS): every database and the function libraries. */
  void emptyData(Client c) {
    server.flushDatabase(c, -1);
    FunctionLibraries f = functions();
    if (f != null) f.clear();
  }

  /** DEBUG LOADAOF: flush the AOF, empty, load it back. */
  private void debugLoadAof(Client c, byte[][] argv) {
    aof.debugLoadAof(c);
  }

  // ---- INFO

  private void info(StringBuilder sb) {
    Job j = job;
    long processed = j == null ? 0 : j.progress.keysProcessed;
    long total = j == null ? 0 : j.progress.keysTotal;
    double perc = total == 0 ? 0 : (double) processed / total * 100;
    long cow = j == null ? 0 : j.snapshot.extraBytes();
    long cowPeak = j == null ? 0 : j.snapshot.peakExtraBytes();
    boolean loading = server.isLoading();
    line(sb, "loading", loading ? 1 : 0);
    line(sb, "async_loading",
        replicationState != null && replicationState.asyncLoading() ? 1 : 0);
    line(sb, "current_cow_peak", cowPeak);
    line(sb, "current_cow_size", cow);
    line(sb, "current_cow_size_age", 0);
    line(sb, "current_fork_perc", String.format(Locale.ROOT, "%.2f", perc));
    line(sb, "current_save_keys_processed", processed);
    line(sb, "current_save_keys_total", total);
    line(sb, "rdb_changes_since_last_save", server.dirty());
    line(sb, "rdb_bgsave_in_progress", rdbSaveInProgress() ? 1 : 0);
    line(sb, "rdb_last_save_time", lastSave);
    line(sb, "rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err");
    line(sb, "rdb_last_bgsave_time_sec", lastBgsaveSeconds);
    line(sb, "rdb_current_bgsave_time_sec",
        rdbSaveInProgress() ? nowSeconds() - j.startSeconds : -1);
    line(sb, "rdb_saves", rdbSaves);
    line(sb, "rdb_last_cow_size", lastCowSize);
    line(sb, "rdb_last_load_keys_expired", lastLoadKeysExpired);
    line(sb, "rdb_last_load_keys_loaded", lastLoadKeysLoaded);
    aof.info(sb, j != null && j.type == JobType.AOF ? j : null);
  }

  static void line(StringBuilder sb, String key, Object value) {
    sb.append(key).append(':').append(value).append("\r\n");
  }

  /**
   * CONFIG RESETSTAT clears what resetServerStats clears here: the save and rewrite counts, the
   * rewrite failure streak, delayed fsyncs and the fork statistics (not the last copy-on-write
   * sizes). Keyspace thread.
   */
  void resetStats() {
    rdbSaves = 0;
    aof.resetStats();
    totalForks = 0;
    latestForkUsec = 0;
  }
}
