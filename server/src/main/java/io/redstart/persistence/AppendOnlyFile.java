package io.redstart.persistence;

import io.redstart.command.CommandSpec;
import io.redstart.config.Config;
import io.redstart.config.ConfigParams;
import io.redstart.persistence.aof.AofBody;
import io.redstart.persistence.aof.AofManifest;
import io.redstart.persistence.aof.AofReader;
import io.redstart.persistence.rdb.RdbException;
import io.redstart.persistence.rdb.RdbInput;
import io.redstart.persistence.rdb.RdbOutput;
import io.redstart.propagation.Propagator;
import io.redstart.server.Client;
import io.redstart.server.Log;
import io.redstart.server.RedstartServer;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import io.redstart.store.SlotImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append-only file in Redis 7's multi-part layout (aof.c): a folder (appenddirname) holding a
 * manifest, a base file (the dataset at the last rewrite, in RDB or AOF form) and incremental
 * files of the commands since.
 *
 * <p>Writes reach it through the {@link Propagator} feed as RESP commands (a SELECT when the
 * database changes, a {@code #TS:} line when aof-timestamp-enabled and the second changed), into a
 * buffer that is written to the current incremental file before any reply leaves (the server's
 * before-flush hook), so a reply never announces a write the file does not have. fsync follows
 * appendfsync: {@code always} holds replies until the fsync that covers them (the server's reply
 * gate; one fsync covers every client whose writes came before it: group commit), {@code everysec}
 * syncs in the background once a second, {@code no} leaves it to the kernel.
 *
 * <p>A rewrite (BGREWRITEAOF, the automatic one, CONFIG SET appendonly yes) opens a new
 * incremental file and writes a new base from a {@link Snapshot} taken at the same instant; when
 * the base is complete the manifest switches to it and the old files become history.
 *
 * <p>Owned by the keyspace thread, except the fsync thread ({@link FsyncThread}) and rewrite
 * writers, which touch only what their Javadoc says.
 */
public final class AppendOnlyFile {
  enum State {
    OFF,
    ON,
    WAIT_REWRITE
  }

  private static final int REWRITE_LIMIT_THRESHOLD = 3;
  private static final int REWRITE_LIMIT_MAX_MINUTES = 60;

  private final RedstartServer server;
  private final Persistence persistence;
  private final Config config;
  private final Log log;
  private final Propagator.Feed feed = this::feed;

  private State state;
  private AofManifest manifest = new AofManifest();
  private FileChannel fd;
  private boolean feedInstalled;
  private boolean replaying;

  // The buffer of commands not yet written (server.aof_buf).
  private byte[] buf = new byte[4096];
  private int bufLen;
  private int selectedDb = -1;
  private long curTimestamp;

  // Sizes, as Redis keeps them.
  private long currentSize;
  private long rewriteBaseSize;
  private long lastIncrSize;
  private long lastIncrFsyncOffset;

  // Durability tickets: bytes ever appended to the buffer, bytes written, bytes known synced.
  private long appended;
  private long written;
  private final FsyncThread fsyncThread = new FsyncThread();

  // Status.
  private boolean lastWriteOk = true;
  private String lastWriteError = "";
  private long lastFsyncSecond;
  private boolean rewriteScheduled;
  private long rewriteStart = -1;
  private long rewriteTimeLast = -1;
  private boolean lastBgrewriteOk = true;
  private long rewrites;
  private long consecutiveFailures;
  private long lastCowSize;
  private long delayedFsync;
  private int nextDelayMinutes;
  private long nextRewriteTime;
  private Persistence.Job rewriteJob;

  AppendOnlyFile(RedstartServer server, Persistence persistence) {
    this.server = server;
    this.persistence = persistence;
    this.config = server.config();
    this.log = server.log();
    this.state = config.getBool(ConfigParams.APPENDONLY) ? State.ON : State.OFF;
    this.fsyncPolicy = policyOf(config.getEnum(ConfigParams.APPENDFSYNC));
    server.addBeforeFlushHook(() -> flush(false));
    // CONFIG SET runs on the keyspace thread; a server that is not running has no files to open.
    config.onChange(ConfigParams.APPENDONLY, p -> {
      if (server.inLoop()) appendonlyChanged();
    });
    config.onChange(ConfigParams.APPENDFSYNC, p -> {
      fsyncPolicy = policyOf(config.getEnum(ConfigParams.APPENDFSYNC));
      if (server.inLoop()) fsyncPolicyChanged();
    });
  }

  // ---- paths and settings

  private String aofFilename() {
    return config.getString(ConfigParams.APPENDFILENAME);
  }

  private Path dir() {
    return config.resolve(config.getString(ConfigParams.APPENDDIRNAME));
  }

  private Path path(String name) {
    return dir().resolve(name);
  }

  /** appendfsync. */
  enum Policy {
    ALWAYS,
    EVERYSEC,
    NO
  }

  private volatile Policy fsyncPolicy;

  private static Policy policyOf(String name) {
    return switch (name) {
      case "always" -> Policy.ALWAYS;
      case "no" -> Policy.NO;
      default -> Policy.EVERYSEC;
    };
  }

  private boolean always() {
    return fsyncPolicy == Policy.ALWAYS;
  }

  private boolean everysec() {
    return fsyncPolicy == Policy.EVERYSEC;
  }

  /** Whether the log is being written (INFO's aof_enabled). */
  public boolean enabled() {
    return state != State.OFF;
  }

  // ---- the feed

  private void installFeed(boolean on) {
    if (on && !feedInstalled) {
      server.propagator().addFeed(feed);
      server.replyGate(fsyncThread);
    } else if (!on && feedInstalled) {
      server.propagator().removeFeed(feed);
      server.replyGate(null);
    }
    feedInstalled = on;
  }

  /** feedAppendOnlyFile: one command, with SELECT and timestamp as needed. */
  private void feed(int db, byte[][] argv) {
    if (replaying) return;
    if (state != State.ON && !(state == State.WAIT_REWRITE && rewriteJob != null)) return;
    if (config.getBool(ConfigParams.AOF_TIMESTAMP_ENABLED)) {
      long now = server.keyspace().now() / 1000;
      if (curTimestamp < now) {
        curTimestamp = now;
        append(("#TS:" + now + "\r\n").getBytes(StandardCharsets.US_ASCII));
      }
    }
    if (db != selectedDb) {
      byte[] n = Integer.toString(db).getBytes(StandardCharsets.US_ASCII);
      append(("*2\r\n$6\r\nSELECT\r\n$" + n.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      append(n);
      append(CRLF);
      selectedDb = db;
    }
    appendCount('*', argv.length);
    for (byte[] a : argv) {
      appendCount('$', a.length);
      append(a);
      append(CRLF);
    }
  }

  private static final byte[] CRLF = {'\r', '\n'};

  private void appendCount(char prefix, int n) {
    ensure(12);
    int start = bufLen;
    buf[bufLen++] = (byte) prefix;
    bufLen += io.redstart.resp.Numbers.write(n, buf, bufLen);
    buf[bufLen++] = '\r';
    buf[bufLen++] = '\n';
    appended += bufLen - start;
  }

  private void append(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, bufLen, b.length);
    bufLen += b.length;
    appended += b.length;
  }

  private void ensure(int n) {
    if (buf.length - bufLen >= n) return;
    buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(buf.length * 2L, (long) bufLen + n)));
  }

  // ---- writing and syncing

  /**
   * flushAppendOnlyFile: writes the buffer to the current file, then asks for the fsync the policy
   * wants. On a write error the buffer is kept and writes are refused (MISCONF) until a later
   * write succeeds; with appendfsync always the server stops, as Redis does, since replies that
   * were waiting can no longer be made durable.
   */
  void flush(boolean force) {
    if (fd == null || state == State.OFF && rewriteJob == null) return;
    if (!force && always() && bufLen > 0) {
      // Replies wait for the fsync anyway: write and sync once per event-loop cycle, after every
      // input of the cycle was read (Redis's beforeSleep), so one fsync covers them all.
      if (!cycleFlushScheduled) {
        cycleFlushScheduled = true;
        server.schedule(this::cycleFlush, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      return;
    }
    if (bufLen > 0) {
      long before = lastIncrSize;
      long done = 0;
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, bufLen);
      try {
        while (bb.hasRemaining()) done += fd.write(bb);
      } catch (IOException e) {
        writeFailed(e, done, before);
        return;
      }
      if (!lastWriteOk) {
        log.warning("AOF write error looks solved, Redis can write again.");
        lastWriteOk = true;
      }
      written += done;
      currentSize += done;
      lastIncrSize += done;
      if (buf.length > 1 << 20) buf = new byte[4096];
      bufLen = 0;
    }
    if (config.getBool(ConfigParams.NO_APPENDFSYNC_ON_REWRITE) && persistence.hasActiveJob()) return;
    if (always()) {
      if (lastIncrFsyncOffset != lastIncrSize || fsyncThread.synced() < written) {
        fsyncThread.request(written);
        lastIncrFsyncOffset = lastIncrSize;
      }
    } else if (everysec()) {
      long now = Persistence.nowSeconds();
      if (now > lastFsyncSecond && lastIncrFsyncOffset != lastIncrSize) {
        fsyncThread.request(written);
        lastIncrFsyncOffset = lastIncrSize;
        lastFsyncSecond = now;
      }
    }
  }

  private boolean cycleFlushScheduled;

  private void cycleFlush() {
    cycleFlushScheduled = false;
    flush(true);
  }

  private void writeFailed(IOException e, long done, long sizeBefore) {
    String reason = errorText(e);
    log.warning("Error writing to the AOF file: " + reason);
    if (done > 0) {
      try {
        fd.truncate(sizeBefore);
        done = 0;
      } catch (IOException te) {
        log.warning("Could not remove short write from the append-only file.  Redis may refuse to"
            + " load the AOF the next time it starts.  ftruncate: " + errorText(te));
      }
    }
    if (always()) {
      log.warning("Can't recover from AOF write error when the AOF fsync policy is 'always'."
          + " Exiting...");
      fatal();
      return;
    }
    lastWriteOk = false;
    lastWriteError = reason;
    if (done > 0) {
      // The part that stayed in the file is no longer ours to write.
      System.arraycopy(buf, (int) done, buf, 0, bufLen - (int) done);
      bufLen -= (int) done;
      written += done;
      currentSize += done;
      lastIncrSize += done;
    }
  }

  static String errorText(IOException e) {
    String m = e.getMessage();
    if (m == null) return e.getClass().getSimpleName();
    int colon = m.lastIndexOf(": ");
    // java.nio adds the path before the reason for some errors.
    return colon >= 0 && m.startsWith("/") ? m.substring(colon + 2) : m;
  }

  /** Stops the process after an unrecoverable AOF error (exit(1) in Redis). */
  private void fatal() {
    if (server.isEmbedded()) {
      installFeed(false);
      server.execute(server::shutdown);
    } else {
      Runtime.getRuntime().halt(1);
    }
  }

  /** The MISCONF reason for writes, or null: a failed write or background fsync. */
  String writeError() {
    if (state == State.OFF) return null;
    if (!lastWriteOk) return lastWriteError;
    String f = fsyncThread.error();
    return f;
  }

  /**
   * Syncs the log in the background and holds replies until their writes are synced (with
   * appendfsync always). Runs its own daemon thread; the keyspace thread calls {@link #request}
   * and {@link #switchTo}, the server's reply gate {@link #ticket} and {@link #durable}. The
   * state lock is never held across an fsync, so the keyspace thread does not wait for the disk.
   */
  private final class FsyncThread implements RedstartServer.ReplyGate {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** Held while an fsync runs, so a file switch waits for it. */
    private final Object forcing = new Object();
    private long requested;
    private volatile long synced;
    private volatile String error;
    private FileChannel channel;
    private Thread thread;
    private boolean stop;

    long synced() {
      return synced;
    }

    String error() {
      return error;
    }

    void clearError() {
      error = null;
    }

    /** Syncs up to {@code upTo} soon. Keyspace thread. */
    void request(long upTo) {
      lock.lock();
      try {
        if (thread == null) {
          thread = Thread.ofPlatform().name("redstart-aof-fsync").daemon().start(this::run);
        }
        channel = fd;
        if (upTo > requested) requested = upTo;
        wake.signal();
      } finally {
        lock.unlock();
      }
    }

    /**
     * Makes {@code next} the file to sync after syncing the current one up to {@code upTo} on the
     * caller's thread (waiting for an fsync in flight). Keyspace thread.
     */
    void switchTo(FileChannel next, long upTo) throws IOException {
      FileChannel current;
      lock.lock();
      try {
        current = channel == null ? fd : channel;
      } finally {
        lock.unlock();
      }
      synchronized (forcing) {
        if (current != null && current.isOpen() && synced < upTo) current.force(false);
      }
      lock.lock();
      try {
        synced = Math.max(synced, upTo);
        requested = Math.max(requested, upTo);
        channel = next;
      } finally {
        lock.unlock();
      }
      server.releaseReplies();
    }

    private void run() {
      while (true) {
        long target;
        FileChannel ch;
        lock.lock();
        try {
          while (!stop && requested <= synced) wake.awaitUninterruptibly();
          if (stop) return;
          target = requested;
          ch = channel;
        } finally {
          lock.unlock();
        }
        try {
          synchronized (forcing) {
            if (ch != null && ch.isOpen()) ch.force(false);
          }
        } catch (java.nio.channels.ClosedChannelException e) {
          // Switched away meanwhile: the switch synced it.
        } catch (IOException e) {
          error = errorText(e);
          if (fsyncPolicy == Policy.ALWAYS) {
            log.warning("Can't persist AOF for fsync error when the AOF fsync policy is"
                + " 'always': " + error + ". Exiting...");
            server.execute(AppendOnlyFile.this::fatal);
            return;
          }
          log.warning("Fail to fsync the AOF file: " + error);
        }
        lock.lock();
        try {
          if (target > synced) synced = target;
        } finally {
          lock.unlock();
        }
        if (fsyncPolicy == Policy.ALWAYS) server.execute(server::releaseReplies);
      }
    }

    void stop() {
      lock.lock();
      try {
        stop = true;
        wake.signal();
      } finally {
        lock.unlock();
      }
    }

    /** Replies wait for every byte appended so far: written and synced in order. */
    @Override
    public long ticket() {
      return fsyncPolicy == Policy.ALWAYS && appended > synced ? appended : -1;
    }

    @Override
    public boolean durable(long ticket) {
      return synced >= ticket;
    }
  }

  /** Flushes and syncs now (shutdown, stopping the AOF). Keyspace thread. */
  private void flushAndSync() {
    flush(true);
    if (fd == null) return;
    try {
      fsyncThread.switchTo(fd, written);
      lastIncrFsyncOffset = lastIncrSize;
    } catch (IOException e) {
      log.warning("Fail to fsync the AOF file: " + errorText(e));
    }
  }

  // ---- cron

  void cron(long now) {
    if (state == State.OFF) return;
    if (rewriteScheduled && !persistence.hasActiveJob() && !rewriteLimited(now)) rewrite();
    flush(false);
  }

  /** The automatic rewrite on growth (auto-aof-rewrite-percentage and -min-size). */
  void maybeAutoRewrite() {
    if (state != State.ON || persistence.hasActiveJob()) return;
    long perc = config.getLong(ConfigParams.AUTO_AOF_REWRITE_PERCENTAGE);
    long min = config.getLong(ConfigParams.AUTO_AOF_REWRITE_MIN_SIZE);
    if (perc == 0 || currentSize <= min) return;
    long base = rewriteBaseSize != 0 ? rewriteBaseSize : 1;
    long growth = currentSize * 100 / base - 100;
    if (growth >= perc && !rewriteLimited(Persistence.nowSeconds())) {
      log.notice("Starting automatic rewriting of AOF on " + growth + "% growth");
      rewrite();
    }
  }

  /** aofRewriteLimited: back off 1, 2, 4 ... 60 minutes after 3 failures in a row. */
  private boolean rewriteLimited(long now) {
    if (consecutiveFailures < REWRITE_LIMIT_THRESHOLD) {
      nextDelayMinutes = 0;
      nextRewriteTime = 0;
      return false;
    }
    if (nextRewriteTime != 0) {
      if (now < nextRewriteTime) return true;
      nextRewriteTime = 0;
      return false;
    }
    nextDelayMinutes = nextDelayMinutes == 0 ? 1 : Math.min(nextDelayMinutes * 2, REWRITE_LIMIT_MAX_MINUTES);
    nextRewriteTime = now + nextDelayMinutes * 60L;
    log.warning("Background AOF rewrite has repeatedly failed and triggered the limit, will retry"
        + " in " + nextDelayMinutes + " minutes");
    return true;
  }

  // ---- manifest and files

  private boolean persistManifest(AofManifest am) {
    if (!am.dirty()) return true;
    String name = AofManifest.manifestName(aofFilename());
    String tmpName = AofManifest.tempManifestName(aofFilename());
    Path tmp = path(tmpName);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bb = ByteBuffer.wrap(am.format().getBytes(StandardCharsets.ISO_8859_1));
        while (bb.hasRemaining()) ch.write(bb);
        ch.force(true);
      }
    } catch (IOException e) {
      log.warning("Error trying to write the temporary AOF manifest file " + tmpName + ": " + errorText(e));
      RdbWriter.deleteQuietly(tmp);
      return false;
    }
    try {
      move(tmp, path(name));
    } catch (IOException e) {
      log.warning("Error trying to rename the temporary AOF manifest file " + tmpName + " into "
          + name + ": " + errorText(e));
      return false;
    }
    try {
      RdbWriter.fsyncDir(dir());
    } catch (IOException e) {
      log.warning("Fail to fsync AOF directory " + path(name) + ": " + errorText(e));
      return false;
    }
    am.clean();
    return true;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private FileChannel openAppend(Path p, boolean truncate) throws IOException {
    // A fresh file is written from its start on; an existing one is appended to.
    return truncate
        ? FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)
        : FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
  }

  /**
   * Makes {@code next} the file written. With appendfsync always the old file is synced first on
   * this thread (replies wait for it anyway); otherwise it is synced and closed in the background,
   * as Redis's bio does, so a rewrite's start does not wait for the disk.
   */
  private void useChannel(FileChannel next) throws IOException {
    FileChannel old = fd;
    if (old == null || old == next || always()) {
      fsyncThread.switchTo(next, written);
      fd = next;
      closeQuietly(old == next ? null : old);
      return;
    }
    fd = next;
    fsyncThread.switchTo(next, fsyncThread.synced());
    Thread.ofPlatform().name("redstart-aof-close").daemon().start(() -> {
      try {
        old.force(false);
      } catch (IOException e) {
        log.warning("Fail to fsync the AOF file: " + errorText(e));
      } finally {
        closeQuietly(old);
      }
    });
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch == null) return;
    try {
      ch.close();
    } catch (IOException ignored) {
      // Synced already, or abandoned.
    }
  }

  private boolean createDir() {
    try {
      Files.createDirectories(dir());
      return true;
    } catch (IOException e) {
      log.warning("Can't open or create append-only dir " + config.getString(ConfigParams.APPENDDIRNAME)
          + ": " + errorText(e));
      return false;
    }
  }

  /** openNewIncrAofForAppend: a new incremental file (a temporary one while waiting to start). */
  private boolean openNewIncr() {
    if (state == State.OFF) return true;
    AofManifest temp = null;
    String name;
    if (state == State.WAIT_REWRITE) {
      name = AofManifest.tempIncrName(aofFilename());
    } else {
      temp = manifest.copy();
      name = temp.newIncr(aofFilename());
    }
    FileChannel next;
    try {
      next = openAppend(path(name), true);
    } catch (IOException e) {
      log.warning("Can't open the append-only file " + name + ": " + errorText(e));
      return false;
    }
    if (temp != null && !persistManifest(temp)) {
      try {
        next.close();
      } catch (IOException ignored) {
        // Abandoned file.
      }
      return false;
    }
    log.notice("Creating AOF incr file " + name + " on background rewrite");
    try {
      useChannel(next);
    } catch (IOException e) {
      log.warning("Fail to fsync the AOF file: " + errorText(e));
    }
    lastIncrSize = 0;
    lastIncrFsyncOffset = 0;
    if (temp != null) manifest = temp;
    return true;
  }

  // ---- rewrite

  /** BGREWRITEAOF. */
  public void bgrewriteaofCommand(Client c) {
    if (rewriteJob != null) {
      c.error("ERR Background append only file rewriting already in progress");
    } else if (persistence.hasActiveJob() || server.inTransactionOrScript()) {
      rewriteScheduled = true;
      consecutiveFailures = 0;
      c.reply().simple("Background append only file rewriting scheduled");
    } else if (rewrite()) {
      c.reply().simple("Background append only file rewriting started");
    } else {
      c.error("ERR Can't execute an AOF background rewriting. Please check the server logs for"
          + " more information.");
    }
  }

  /** rewriteAppendOnlyFileBackground. */
  boolean rewrite() {
    if (persistence.hasActiveJob()) return false;
    if (!createDir()) {
      lastBgrewriteOk = false;
      return false;
    }
    selectedDb = -1;
    flush(true);
    if (!openNewIncr()) {
      lastBgrewriteOk = false;
      return false;
    }
    rewrites++;
    Persistence.Job j = persistence.startAofJob();
    rewriteJob = j;
    long pid = ProcessHandle.current().pid();
    Path temp = config.resolve("temp-rewriteaof-bg-" + pid + ".aof");
    boolean preamble = config.getBool(ConfigParams.AOF_USE_RDB_PREAMBLE);
    RdbWriter.Header header = persistence.header(true);
    var opts = persistence.saveOptions();
    boolean timestamps = config.getBool(ConfigParams.AOF_TIMESTAMP_ENABLED);
    boolean incremental = config.getBool(ConfigParams.AOF_REWRITE_INCREMENTAL_FSYNC);
    int keyDelay = config.getInt(ConfigParams.RDB_KEY_SAVE_DELAY);
    boolean compress = persistence.compression();
    boolean sum = persistence.checksum();
    Thread t = Thread.ofPlatform().name("redstart-aof-rewrite").daemon().unstarted(() -> {
      String error = null;
      boolean cancelled = false;
      try {
        Path inner = config.resolve("temp-rewriteaof-" + pid + ".aof");
        long n = RdbWriter.toFile(inner, temp, preamble && compress, preamble && sum, incremental,
            j.snapshot::isCancelled,
            out -> preamble
                ? RdbWriter.writeSnapshot(j.snapshot, out, header, opts, j.progress, keyDelay)
                : writeCommands(j, out, header, timestamps, keyDelay));
        cancelled = n < 0;
      } catch (RdbWriter.SaveException e) {
        error = "Write error writing append only file on disk: " + e.getMessage();
      } catch (RuntimeException | Error e) {
        error = "Write error writing append only file on disk: " + e;
      }
      String err = error;
      boolean wasCancelled = cancelled;
      if (err == null && !wasCancelled) {
        log.notice("Successfully created the temporary AOF base file " + temp.getFileName());
      }
      try {
        server.execute(() -> rewriteDone(j, temp, err, wasCancelled));
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        // The server stopped meanwhile.
      }
    });
    j.thread = t;
    j.snapshot.writer(t);
    j.snapshot.startSweeper();
    log.notice("Background append only file rewriting started by pid " + pid);
    rewriteScheduled = false;
    rewriteStart = Persistence.nowSeconds();
    t.start();
    return true;
  }

  /** rewriteAppendOnlyFileRio over a snapshot: the dataset as commands. Writer thread. */
  private static boolean writeCommands(
      Persistence.Job j, RdbOutput out, RdbWriter.Header header, boolean timestamps, int keyDelay)
      throws IOException {
    Snapshot snap = j.snapshot;
    if (timestamps) AofBody.timestamp(out, Persistence.nowSeconds());
    for (byte[] code : header.functions()) AofBody.functionLoad(out, code);
    long processed = 0;
    for (int i = 0; i < snap.databases(); i++) {
      Snapshot.DbCapture c = snap.db(i);
      if (c.size == 0) continue;
      AofBody.selectDb(out, i);
      for (int s = nextSet(c.atStart, 0); s >= 0; s = nextSet(c.atStart, s + 1)) {
        SlotImage img = snap.awaitSlot(i, s);
        if (img == null) return false;
        for (int k = 0; k < img.size(); k++) {
          AofBody.rewriteKey(out, img.records()[k], img.values()[k]);
          processed++;
          if (keyDelay != 0) RdbWriter.delayMicros(keyDelay);
        }
        snap.release(i, s);
        j.progress.keysProcessed = processed;
      }
    }
    return true;
  }

  private static int nextSet(long[] bits, int from) {
    if (from >= bits.length * 64) return -1;
    int w = from >>> 6;
    long word = bits[w] & (-1L << (from & 63));
    while (true) {
      if (word != 0) return (w << 6) + Long.numberOfTrailingZeros(word);
      if (++w == bits.length) return -1;
      word = bits[w];
    }
  }

  /** backgroundRewriteDoneHandler. Keyspace thread. */
  private void rewriteDone(Persistence.Job j, Path temp, String error, boolean cancelled) {
    if (rewriteJob == j) rewriteJob = null;
    lastCowSize = j.snapshot.peakExtraBytes();
    persistence.aofJobDone(j);
    if (cancelled) {
      log.warning("Background AOF rewrite terminated by signal 10");
    } else if (error != null) {
      log.warning(error);
      lastBgrewriteOk = false;
      consecutiveFailures++;
      log.warning("Background AOF rewrite terminated with error");
    } else {
      finishRewrite(temp);
    }
    RdbWriter.deleteQuietly(temp);
    if (state == State.WAIT_REWRITE) {
      discardBuffer();
      Path tempIncr = path(AofManifest.tempIncrName(aofFilename()));
      log.notice("Removing the temp incr aof file " + tempIncr.getFileName() + " in the background");
      RdbWriter.deleteQuietly(tempIncr);
    }
    rewriteTimeLast = Persistence.nowSeconds() - rewriteStart;
    rewriteStart = -1;
    if (state == State.WAIT_REWRITE) rewriteScheduled = true;
  }

  private void finishRewrite(Path temp) {
    log.notice("Background AOF rewrite terminated with success");
    boolean preamble = config.getBool(ConfigParams.AOF_USE_RDB_PREAMBLE);
    AofManifest am = manifest.copy();
    String baseName = am.newBase(aofFilename(), preamble);
    Path basePath = path(baseName);
    try {
      move(temp, basePath);
    } catch (IOException e) {
      log.warning("Error trying to rename the temporary AOF base file " + temp.getFileName()
          + " into " + basePath + ": " + errorText(e));
      rewriteFailed();
      return;
    }
    log.notice("Successfully renamed the temporary AOF base file " + temp.getFileName() + " into "
        + baseName);
    Path newIncrPath = null;
    if (state == State.WAIT_REWRITE) {
      String tempIncr = AofManifest.tempIncrName(aofFilename());
      String incrName = am.newIncr(aofFilename());
      newIncrPath = path(incrName);
      try {
        flush(true);
        move(path(tempIncr), newIncrPath);
      } catch (IOException e) {
        log.warning("Error trying to rename the temporary AOF incr file " + path(tempIncr)
            + " into " + newIncrPath + ": " + errorText(e));
        RdbWriter.deleteQuietly(basePath);
        rewriteFailed();
        return;
      }
      log.notice("Successfully renamed the temporary AOF incr file " + tempIncr + " into " + incrName);
    }
    am.markRewrittenIncrsAsHistory(fd != null);
    if (!persistManifest(am)) {
      RdbWriter.deleteQuietly(basePath);
      if (newIncrPath != null) RdbWriter.deleteQuietly(newIncrPath);
      rewriteFailed();
      return;
    }
    manifest = am;
    if (state != State.OFF) {
      currentSize = fileSize(baseName) + lastIncrSize;
      rewriteBaseSize = currentSize;
    }
    deleteHistory();
    lastBgrewriteOk = true;
    consecutiveFailures = 0;
    log.notice("Background AOF rewrite finished successfully");
    if (state == State.WAIT_REWRITE) {
      state = State.ON;
      // The temporary incr file is now the manifest's last incr file: keep appending to it.
    }
  }

  private void rewriteFailed() {
    lastBgrewriteOk = false;
    consecutiveFailures++;
  }

  private long fileSize(String name) {
    try {
      return Files.size(path(name));
    } catch (IOException e) {
      log.warning("Unable to obtain the AOF file " + name + " length. stat: " + errorText(e));
      return 0;
    }
  }

  /** aofDelHistoryFiles. */
  private void deleteHistory() {
    if (config.getBool(ConfigParams.AOF_DISABLE_AUTO_GC) || manifest.history().isEmpty()) return;
    for (AofManifest.Info h : manifest.history()) {
      log.notice("Removing the history file " + h.name() + " in the background");
      RdbWriter.deleteQuietly(path(h.name()));
    }
    manifest.clearHistory();
    persistManifest(manifest);
  }

  private void killRewrite() {
    Persistence.Job j = rewriteJob;
    if (j == null) return;
    log.notice("Killing running AOF rewrite child: " + ProcessHandle.current().pid());
    j.snapshot.cancel();
    try {
      j.thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    rewriteJob = null;
    persistence.aofJobDone(j);
    RdbWriter.deleteQuietly(config.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof"));
    rewriteStart = -1;
  }

  // ---- turning on and off at run time

  private void appendonlyChanged() {
    boolean on = config.getBool(ConfigParams.APPENDONLY);
    if (!on && state != State.OFF) {
      stop();
    } else if (on && state == State.OFF) {
      if (!start()) throw new Config.ConfigApplyException("Unable to turn on AOF. Check server logs.");
    }
  }

  /** startAppendOnly: wait for a rewrite that writes the first base. */
  private boolean start() {
    state = State.WAIT_REWRITE;
    installFeed(true);
    if (persistence.hasActiveJob() && rewriteJob == null) {
      rewriteScheduled = true;
      log.warning("AOF was enabled but there is already another background operation. An AOF"
          + " background was scheduled to start when possible.");
    } else if (server.inTransactionOrScript()) {
      rewriteScheduled = true;
      log.warning("AOF was enabled during a transaction. An AOF background was scheduled to start"
          + " when possible.");
    } else {
      if (rewriteJob != null) {
        log.warning("AOF was enabled but there is already an AOF rewriting in background."
            + " Stopping background AOF and starting a rewrite now.");
        killRewrite();
      }
      if (!rewrite()) {
        state = State.OFF;
        installFeed(false);
        log.warning("Redis needs to enable the AOF but can't trigger a background AOF rewrite"
            + " operation. Check the above logs for more info about the error.");
        return false;
      }
    }
    lastFsyncSecond = Persistence.nowSeconds();
    if (fsyncThread.error() != null) {
      log.warning("AOF reopen, just ignore the AOF fsync error in bio job");
      fsyncThread.clearError();
    }
    if (!lastWriteOk) {
      log.warning("AOF reopen, just ignore the last error.");
      lastWriteOk = true;
    }
    return true;
  }

  /** stopAppendOnly. */
  private void stop() {
    flushAndSync();
    if (fd != null) {
      try {
        fd.close();
      } catch (IOException ignored) {
        // Synced above.
      }
    }
    fd = null;
    selectedDb = -1;
    state = State.OFF;
    rewriteScheduled = false;
    lastIncrSize = 0;
    lastIncrFsyncOffset = 0;
    killRewrite();
    discardBuffer();
    installFeed(false);
  }

  /**
   * A replica is about to load its master's dataset: the log stops (stopAppendOnly), and starts
   * again with a rewrite of the new data once the synchronization is done ({@link
   * #restartAfterSync}).
   */
  void stopForReplication() {
    if (state != State.OFF) stop();
  }

  /**
   * restartAOFAfterSYNC: turns the log back on after a synchronization (or a promotion) when
   * appendonly is set and it is off; false when it could not start.
   */
  boolean restartAfterSync() {
    if (!config.getBool(ConfigParams.APPENDONLY) || state != State.OFF) return true;
    return start();
  }

  /** Drops what was not written; tickets count only bytes that will be written. */
  private void discardBuffer() {
    appended -= bufLen;
    bufLen = 0;
  }

  private void fsyncPolicyChanged() {
    fsyncPolicy = policyOf(config.getEnum(ConfigParams.APPENDFSYNC));
    // A change to always: sync what is pending now.
    flush(false);
    server.releaseReplies();
  }

  // ---- startup

  /** aofLoadManifestFromDisk + loadAppendOnlyFiles + aofOpenIfNeededOnServerStart. */
  void loadOnStart() {
    long start = System.nanoTime();
    loadManifestFromDisk();
    upgradeIfNeeded();
    LoadResult r = loadFiles();
    if (r == LoadResult.FAILED || r == LoadResult.OPEN_ERR) {
      throw new IllegalStateException("Can't load the append only file: see the log");
    }
    if (r != LoadResult.NOT_EXIST) {
      log.notice(String.format(Locale.ROOT, "DB loaded from append only file: %.3f seconds",
          (System.nanoTime() - start) / 1e9));
    }
    openOnStart();
  }

  private void loadManifestFromDisk() {
    manifest = new AofManifest();
    Path file = path(AofManifest.manifestName(aofFilename()));
    if (!Files.isDirectory(dir()) || !Files.exists(file)) return;
    try {
      manifest = AofManifest.read(file);
    } catch (IOException e) {
      log.warning("Fatal error: can't open the AOF manifest file " + file + " for reading: " + errorText(e));
      throw new IllegalStateException("can't open the AOF manifest");
    } catch (AofManifest.ManifestException e) {
      log.warning("\n*** FATAL AOF MANIFEST FILE ERROR ***\n");
      if (e.text() != null) {
        log.warning("Reading the manifest file, at line " + e.line() + "\n");
        log.warning(">>> '" + e.text() + "'\n");
      }
      log.warning(e.getMessage() + "\n");
      throw new IllegalStateException(e.getMessage());
    }
  }

  /** aofUpgradePrepare: adopt an old single-file AOF in dir as base 1 of the folder layout. */
  private void upgradeIfNeeded() {
    Path old = config.resolve(aofFilename());
    if (!Files.exists(old)) return;
    AofManifest.Info base = manifest.base();
    boolean upgrade = !Files.isDirectory(dir())
        || manifest.isEmpty()
        || (base != null && manifest.incrs().isEmpty() && base.name().equals(aofFilename())
            && !Files.exists(path(aofFilename())));
    if (!upgrade) return;
    if (!createDir()) throw new IllegalStateException("can't create the AOF folder");
    manifest.adoptBase(aofFilename());
    if (!persistManifest(manifest)) throw new IllegalStateException("can't write the AOF manifest");
    try {
      Files.move(old, path(aofFilename()));
    } catch (IOException e) {
      log.warning("Error trying to move the old AOF file " + aofFilename() + " into dir "
          + config.getString(ConfigParams.APPENDDIRNAME) + ": " + errorText(e));
      throw new IllegalStateException("can't move the old AOF file");
    }
    log.notice("Successfully migrated an old-style AOF file (" + aofFilename()
        + ") into the AOF directory (" + config.getString(ConfigParams.APPENDDIRNAME) + ").");
  }

  enum LoadResult {
    OK,
    NOT_EXIST,
    EMPTY,
    OPEN_ERR,
    FAILED,
    TRUNCATED
  }

  /** loadAppendOnlyFiles. */
  private LoadResult loadFiles() {
    if (manifest.isEmpty()) return LoadResult.NOT_EXIST;
    int total = (manifest.base() != null ? 1 : 0) + manifest.incrs().size();
    long totalSize = 0;
    for (String name : fileNames()) {
      Path p = path(name);
      if (!Files.exists(p)) {
        log.warning("Unable to obtain the AOF file " + name + " length. stat: No such file or directory");
        return LoadResult.FAILED;
      }
      totalSize += fileSize(name);
    }
    if (totalSize == 0) return LoadResult.EMPTY;
    server.loading(true);
    server.keyspace().loading(true);
    LoadResult ret = LoadResult.OK;
    long baseSize = 0;
    int num = 0;
    try {
      if (manifest.base() != null) {
        String name = manifest.base().name();
        baseSize = fileSize(name);
        boolean last = ++num == total;
        long start = System.nanoTime();
        ret = loadFile(name);
        if (ret == LoadResult.OK || (ret == LoadResult.TRUNCATED && last)) {
          log.notice(String.format(Locale.ROOT, "DB loaded from base file %s: %.3f seconds", name,
              (System.nanoTime() - start) / 1e9));
        }
        if (ret == LoadResult.TRUNCATED && !last) {
          ret = LoadResult.FAILED;
          log.warning("Fatal error: the truncated file is not the last file");
        }
        if (ret == LoadResult.OPEN_ERR || ret == LoadResult.FAILED) return ret;
      }
      for (AofManifest.Info incr : manifest.incrs()) {
        String name = incr.name();
        boolean last = ++num == total;
        long start = System.nanoTime();
        ret = loadFile(name);
        if (ret == LoadResult.OK || (ret == LoadResult.TRUNCATED && last)) {
          log.notice(String.format(Locale.ROOT, "DB loaded from incr file %s: %.3f seconds", name,
              (System.nanoTime() - start) / 1e9));
        }
        if (ret == LoadResult.EMPTY) ret = LoadResult.OK;
        if (ret == LoadResult.TRUNCATED && !last) {
          ret = LoadResult.FAILED;
          log.warning("Fatal error: the truncated file is not the last file");
        }
        if (ret == LoadResult.OPEN_ERR || ret == LoadResult.FAILED) return ret;
      }
      currentSize = 0;
      for (String name : fileNames()) currentSize += fileSize(name);
      rewriteBaseSize = baseSize;
      return ret;
    } finally {
      server.loading(false);
      server.keyspace().loading(false);
    }
  }

  private java.util.List<String> fileNames() {
    java.util.List<String> names = new java.util.ArrayList<>();
    if (manifest.base() != null) names.add(manifest.base().name());
    for (AofManifest.Info i : manifest.incrs()) names.add(i.name());
    return names;
  }

  /** loadSingleAppendOnlyFile: an RDB base, or commands (after an old-style RDB preamble). */
  LoadResult loadFile(String name) {
    Path p = path(name);
    long size;
    try {
      size = Files.size(p);
    } catch (NoSuchFileException e) {
      log.warning("The append log file " + name + " doesn't exist: No such file or directory");
      return LoadResult.NOT_EXIST;
    } catch (IOException e) {
      log.warning("Fatal error: can't open the append log file " + name + " for reading: " + errorText(e));
      return LoadResult.OPEN_ERR;
    }
    if (size == 0) return LoadResult.EMPTY;
    long commandsStart = 0;
    try (InputStream in = Files.newInputStream(p)) {
      byte[] sig = in.readNBytes(5);
      if (Arrays.equals(sig, "REDIS".getBytes(StandardCharsets.US_ASCII))) {
        boolean oldStyle = name.equals(aofFilename());
        log.notice(oldStyle ? "Reading RDB preamble from AOF file..." : "Reading RDB base file on AOF loading...");
        try (InputStream rin = Files.newInputStream(p)) {
          RdbInput rdb = new RdbInput(rin, size, 1 << 20);
          persistence.loadRdb(rdb, true, false, true);
          commandsStart = rdb.position();
        } catch (RdbException e) {
          log.warning(oldStyle
              ? "Error reading the RDB preamble of the AOF file " + name + ", AOF loading aborted"
              : "Error reading the RDB base file " + name + ", AOF loading aborted");
          log.warning("Internal error in RDB reading offset " + Math.max(0, e.offset()) + " -> " + e.getMessage());
          return LoadResult.FAILED;
        }
        if (oldStyle) log.notice("Reading the remaining AOF tail...");
        if (commandsStart >= size) return LoadResult.OK;
      }
    } catch (IOException e) {
      log.warning("Unrecoverable error reading the append only file " + name + ": " + errorText(e));
      return LoadResult.FAILED;
    }
    return replay(name, p, commandsStart, size);
  }

  private LoadResult replay(String name, Path p, long start, long size) {
    Client fake = server.newLocalClient(new io.redstart.server.NullConnection());
    server.stats().totalConnectionsReceived--;
    replaying = true;
    server.enterTransactionOrScript();
    long validBeforeMulti = start;
    boolean inMulti = false;
    AofReader.Status status;
    AofReader reader;
    try (InputStream raw = Files.newInputStream(p)) {
      raw.skipNBytes(start);
      reader = new AofReader(raw, start, size);
      while (true) {
        long before = reader.validUpTo();
        status = reader.next();
        if (status != AofReader.Status.COMMAND) break;
        byte[][] argv = reader.argv();
        CommandSpec cmd = server.dispatcher().lookup(argv);
        if (cmd == null) {
          log.warning("Unknown command '" + new String(argv[0], StandardCharsets.ISO_8859_1)
              + "' reading the append only file " + name);
          return LoadResult.FAILED;
        }
        if (!cmd.arityAccepts(argv.length)) {
          log.warning("Bad file format reading the append only file " + name + " at offset " + before
              + ": wrong number of arguments for '" + cmd.fullName + "'");
          return LoadResult.FAILED;
        }
        String base = cmd.parent() == null ? cmd.name : cmd.parent().name;
        if (base.equals("multi")) {
          validBeforeMulti = before;
          inMulti = true;
        } else if (base.equals("exec") || base.equals("discard")) {
          inMulti = false;
        }
        if (!server.gates().queueInMulti(fake, cmd, argv)) {
          try {
            fake.beforeCommand(cmd, argv);
            server.keyspace().updateTime();
            cmd.handler.execute(fake, argv);
            fake.afterCommand();
          } catch (RuntimeException e) {
            log.warning("Error replaying '" + cmd.fullName + "' at offset " + before + " of the append"
                + " only file " + name + ": " + e);
            return LoadResult.FAILED;
          }
        }
        int keyDelay = config.getInt(ConfigParams.KEY_LOAD_DELAY);
        if (keyDelay != 0) RdbWriter.delayMicros(keyDelay);
      }
    } catch (IOException e) {
      log.warning("Unrecoverable error reading the append only file " + name + ": " + errorText(e));
      return LoadResult.FAILED;
    } finally {
      server.exitTransactionOrScript();
      replaying = false;
      server.resetClient(fake);
      fake.closeNow();
    }
    if (status == AofReader.Status.BAD_FORMAT) {
      log.warning("Bad file format reading the append only file " + name + ": make a backup of your"
          + " AOF file, then use ./redis-check-aof --fix <filename.manifest>");
      log.warning("The first bad byte of " + name + " is near offset " + reader.validUpTo());
      return LoadResult.FAILED;
    }
    long validUpTo = reader.validUpTo();
    if (status == AofReader.Status.END) {
      if (!inMulti) return LoadResult.OK;
      log.warning("Revert incomplete MULTI/EXEC transaction in AOF file " + name);
      validUpTo = validBeforeMulti;
    }
    // A short read: the tail of the file was cut.
    if (config.getBool(ConfigParams.AOF_LOAD_TRUNCATED)) {
      log.warning("!!! Warning: short read while loading the AOF file " + name + "!!!");
      log.warning("!!! Truncating the AOF " + name + " at offset " + validUpTo + " !!!");
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
        ch.truncate(validUpTo);
        ch.force(true);
        // The queued commands of a cut transaction were never applied: nothing to undo.
        log.warning("AOF " + name + " loaded anyway because aof-load-truncated is enabled");
        return LoadResult.TRUNCATED;
      } catch (IOException e) {
        log.warning("Error truncating the AOF file " + name + ": " + errorText(e));
      }
    }
    log.warning("Unexpected end of file reading the append only file " + name + ". You can: 1)"
        + " Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>."
        + " 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and"
        + " restart the server.");
    return LoadResult.FAILED;
  }

  /** aofOpenIfNeededOnServerStart: the base when starting empty, and an incr file to append to. */
  void openOnStart() {
    if (state != State.ON) return;
    if (!createDir()) throw new IllegalStateException("can't create the AOF folder");
    boolean hadIncr = !manifest.incrs().isEmpty();
    if (manifest.base() == null && !hadIncr) {
      String baseName = manifest.newBase(aofFilename(), config.getBool(ConfigParams.AOF_USE_RDB_PREAMBLE));
      if (!rewriteSync(path(baseName))) throw new IllegalStateException("can't create the AOF base file");
      log.notice("Creating AOF base file " + baseName + " on server start");
    }
    String name = manifest.lastIncr(aofFilename());
    try {
      fd = openAppend(path(name), false);
    } catch (IOException e) {
      log.warning("Can't open the append-only file " + name + ": " + errorText(e));
      throw new IllegalStateException("can't open the append-only file");
    }
    if (!persistManifest(manifest)) throw new IllegalStateException("can't write the AOF manifest");
    lastIncrSize = fileSize(name);
    lastIncrFsyncOffset = lastIncrSize;
    if (currentSize == 0) {
      for (String n : fileNames()) currentSize += fileSize(n);
      rewriteBaseSize = manifest.base() == null ? 0 : fileSize(manifest.base().name());
    }
    installFeed(true);
    log.notice((hadIncr ? "Opening" : "Creating") + " AOF incr file " + name + " on server start");
  }

  /** rewriteAppendOnlyFile: a base from the live dataset, on this thread. */
  private boolean rewriteSync(Path target) {
    Path temp = config.resolve("temp-rewriteaof-" + ProcessHandle.current().pid() + ".aof");
    boolean preamble = config.getBool(ConfigParams.AOF_USE_RDB_PREAMBLE);
    RdbWriter.Header header = persistence.header(true);
    var opts = persistence.saveOptions();
    Keyspace ks = server.keyspace();
    try {
      RdbWriter.toFile(temp, target, preamble && persistence.compression(),
          preamble && persistence.checksum(),
          config.getBool(ConfigParams.AOF_REWRITE_INCREMENTAL_FSYNC), () -> false, out -> {
            if (preamble) {
              RdbWriter.writeLive(ks, out, header, opts, null);
            } else {
              writeLiveCommands(ks, out, header);
            }
            return true;
          });
      return true;
    } catch (RdbWriter.SaveException e) {
      log.warning("Write error writing append only file on disk: " + e.getMessage());
      return false;
    }
  }

  private void writeLiveCommands(Keyspace ks, RdbOutput out, RdbWriter.Header header)
      throws IOException {
    if (config.getBool(ConfigParams.AOF_TIMESTAMP_ENABLED)) AofBody.timestamp(out, Persistence.nowSeconds());
    for (byte[] code : header.functions()) AofBody.functionLoad(out, code);
    for (int i = 0; i < ks.databases(); i++) {
      var db = ks.db(i);
      if (db.size() == 0) continue;
      AofBody.selectDb(out, i);
      for (int s = db.nextNonEmptySlot(0); s >= 0; s = db.nextNonEmptySlot(s + 1)) {
        for (Object e : db.slotEntries(s)) AofBody.rewriteKey(out, Entries.record(e), Entries.boxedValue(e));
      }
    }
  }

  // ---- shutdown

  /** finishShutdown's AOF part: no exit while the first base is being written, unless forced. */
  boolean prepareShutdown(boolean force) {
    if (rewriteJob != null) {
      if (state == State.WAIT_REWRITE) {
        if (force) {
          log.warning("Writing initial AOF. Exit anyway.");
        } else {
          log.warning("Writing initial AOF, can't exit.");
          return false;
        }
      }
      log.warning("There is a child rewriting the AOF. Killing it!");
      killRewrite();
    }
    if (state != State.OFF) {
      log.notice("Calling fsync() on the AOF file.");
      flushAndSync();
    }
    return true;
  }

  /** The server stops: sync and close. */
  void close() {
    if (fd != null) {
      flushAndSync();
      try {
        fd.close();
      } catch (IOException ignored) {
        // Synced.
      }
      fd = null;
    }
    fsyncThread.stop();
    installFeed(false);
  }

  // ---- DEBUG LOADAOF

  void debugLoadAof(Client c) {
    if (state != State.ON) {
      c.reply().ok();
      return;
    }
    flush(true);
    persistence.emptyData(c);
    LoadResult r = loadFiles();
    if (r != LoadResult.OK && r != LoadResult.EMPTY) {
      c.error("ERR Error loading the AOF");
      return;
    }
    server.resetDirty();
    log.warning("Append Only File loaded by DEBUG LOADAOF");
    c.reply().ok();
  }

  // ---- INFO

  void info(StringBuilder sb, Persistence.Job aofJob) {
    Persistence.line(sb, "aof_enabled", state != State.OFF ? 1 : 0);
    Persistence.line(sb, "aof_rewrite_in_progress", rewriteJob != null ? 1 : 0);
    Persistence.line(sb, "aof_rewrite_scheduled", rewriteScheduled ? 1 : 0);
    Persistence.line(sb, "aof_last_rewrite_time_sec", rewriteTimeLast);
    Persistence.line(sb, "aof_current_rewrite_time_sec",
        rewriteJob != null ? Persistence.nowSeconds() - rewriteStart : -1);
    Persistence.line(sb, "aof_last_bgrewrite_status", lastBgrewriteOk ? "ok" : "err");
    Persistence.line(sb, "aof_rewrites", rewrites);
    Persistence.line(sb, "aof_rewrites_consecutive_failures", consecutiveFailures);
    Persistence.line(sb, "aof_last_write_status",
        lastWriteOk && fsyncThread.error() == null ? "ok" : "err");
    Persistence.line(sb, "aof_last_cow_size", lastCowSize);
    Persistence.line(sb, "module_fork_in_progress", 0);
    Persistence.line(sb, "module_fork_last_cow_size", 0);
    if (config.getBool(ConfigParams.APPENDONLY)) {
      Persistence.line(sb, "aof_current_size", currentSize);
      Persistence.line(sb, "aof_base_size", rewriteBaseSize);
      Persistence.line(sb, "aof_pending_rewrite", rewriteScheduled ? 1 : 0);
      Persistence.line(sb, "aof_buffer_length", bufLen);
      Persistence.line(sb, "aof_pending_bio_fsync", fsyncThread.synced() < written ? 1 : 0);
      Persistence.line(sb, "aof_delayed_fsync", delayedFsync);
    }
  }

  /** CONFIG RESETSTAT's part here (see {@link Persistence#resetStats}). Keyspace thread. */
  void resetStats() {
    rewrites = 0;
    consecutiveFailures = 0;
    delayedFsync = 0;
  }

  /** The manifest in force (tests, tools). */
  AofManifest manifest() {
    return manifest;
  }
}
