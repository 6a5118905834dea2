package io.redstart.persistence;

import io.redstart.server.RedstartServer;
import io.redstart.store.Database;
import io.redstart.store.Frozen;
import io.redstart.store.HashSlots;
import io.redstart.store.Keyspace;
import io.redstart.store.SlotImage;
import io.redstart.store.WriteBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A point-in-time view of every database, taken without fork, read by one writer thread while the
 * keyspace thread goes on serving.
 *
 * <p>How: when the snapshot starts, every database gets a {@link WriteBarrier} and every slot that
 * holds keys is marked uncaptured. A slot is captured, on the keyspace thread, either just before
 * its first change (the barrier) or by the sweeper, a task that captures slots in order ahead of
 * the writer in small batches. Capturing copies the slot's entry references ({@link SlotImage})
 * and freezes its boxed values: the keyspace copies a frozen value before changing it (copy on
 * write at value granularity), and records are never rewritten in place while a barrier is up.
 * The writer takes captured slots in slot order, serializes them, and releases them. Extra memory
 * is what is captured and not yet written, plus copies of values changed meanwhile; the sweeper
 * pauses while more than {@link #MAX_PENDING_ENTRIES} entries wait.
 *
 * <p>Threads: {@link #start}, the barrier callbacks, the sweeper and {@link #finish} run on the
 * keyspace thread; {@link #awaitSlot} and {@link #release} on the writer thread. They meet in
 * atomic arrays and counters only.
 */
final class Snapshot {
  /** The sweeper stops capturing ahead when this many captured entries wait for the writer. */
  static final long MAX_PENDING_ENTRIES = 500_000;

  /** Entries the sweeper captures per turn before it yields the keyspace thread. */
  private static final int SWEEP_BATCH_ENTRIES = 20_000;

  /** Nanoseconds the sweeper may run per turn. */
  private static final long SWEEP_BATCH_NANOS = 500_000;

  /** One captured slot; held (for its frozen values) until the writer has written it. */
  static final class SlotCapture implements Frozen {
    SlotImage image;
    private volatile boolean written;

    SlotCapture(SlotImage image) {
      this.image = image;
    }

    @Override
    public boolean held() {
      return !written;
    }
  }

  private static final SlotCapture EMPTY = new SlotCapture(null);

  /** The capture state of one database of the snapshot: a barrier that follows its data. */
  final class DbCapture implements WriteBarrier {
    final int index;
    final long size;
    final long expires;
    /** Slots non-empty at the start (read by the writer; never changed). */
    final long[] atStart;
    /** Slots still to capture (keyspace thread only). */
    private final long[] uncaptured;
    private int sweepCursor;
    final AtomicReferenceArray<SlotCapture> captured =
        new AtomicReferenceArray<>(HashSlots.SLOTS);

    DbCapture(int index, Database db) {
      this.index = index;
      this.size = db.size();
      this.expires = db.volatileCount();
      this.atStart = db.nonEmptySlots();
      this.uncaptured = atStart.clone();
    }

    Snapshot owner() {
      return Snapshot.this;
    }

    boolean isUncaptured(int slot) {
      return (uncaptured[slot >>> 6] & (1L << (slot & 63))) != 0;
    }

    void capture(Database db, int slot) {
      uncaptured[slot >>> 6] &= ~(1L << (slot & 63));
      SlotCapture c = new SlotCapture(null);
      SlotImage img = db.captureSlot(slot, c);
      c.image = img;
      pendingEntries.addAndGet(img.size());
      extraBytes.addAndGet(16L * img.size() + 64);
      captured.set(slot, c);
      LockSupport.unpark(writerThread);
    }

    @Override
    public void beforeWrite(Database db, int slot) {
      if (isUncaptured(slot)) capture(db, slot);
    }

    @Override
    public void beforeClear(Database db) {
      for (int s = nextUncaptured(0); s >= 0; s = nextUncaptured(s + 1)) capture(db, s);
    }

    @Override
    public void copied(long bytes) {
      extraBytes.addAndGet(bytes);
      copiedBytes.addAndGet(bytes);
    }

    int nextUncaptured(int from) {
      if (from >= HashSlots.SLOTS) return -1;
      int w = from >>> 6;
      long word = uncaptured[w] & (-1L << (from & 63));
      while (true) {
        if (word != 0) return (w << 6) + Long.numberOfTrailingZeros(word);
        if (++w == uncaptured.length) return -1;
        word = uncaptured[w];
      }
    }
  }

  private final RedstartServer server;
  private final DbCapture[] dbs;
  private final AtomicLong pendingEntries = new AtomicLong();
  private final AtomicLong extraBytes = new AtomicLong();
  private final AtomicLong copiedBytes = new AtomicLong();
  private final AtomicBoolean sweeperScheduled = new AtomicBoolean();
  private volatile long peakExtraBytes;
  private volatile boolean finished;
  private volatile Thread writerThread;
  private volatile boolean cancelled;

  /** Starts a snapshot of every database of {@code server}. Keyspace thread. */
  Snapshot(RedstartServer server) {
    this.server = server;
    Keyspace ks = server.keyspace();
    dbs = new DbCapture[ks.databases()];
    for (int i = 0; i < dbs.length; i++) {
      Database db = ks.db(i);
      dbs[i] = new DbCapture(i, db);
      db.barrier(dbs[i]);
    }
  }

  int databases() {
    return dbs.length;
  }

  DbCapture db(int index) {
    return dbs[index];
  }

  /** The writer thread; set before it starts waiting. */
  void writer(Thread t) {
    this.writerThread = t;
  }

  /** Extra bytes held for the snapshot now, and the most so far. */
  long extraBytes() {
    return extraBytes.get();
  }

  long peakExtraBytes() {
    return Math.max(peakExtraBytes, extraBytes.get());
  }

  /** Bytes of values copied because they changed while held. */
  long copiedBytes() {
    return copiedBytes.get();
  }

  /** Starts the sweeper. Keyspace thread. */
  void startSweeper() {
    scheduleSweeper();
  }

  private void scheduleSweeper() {
    if (finished || cancelled) return;
    if (sweeperScheduled.compareAndSet(false, true)) server.execute(this::sweep);
  }

  /** One turn of the sweeper: captures slots ahead of the writer, then yields. Keyspace thread. */
  private void sweep() {
    sweeperScheduled.set(false);
    if (finished || cancelled) return;
    long deadline = System.nanoTime() + SWEEP_BATCH_NANOS;
    int done = 0;
    Keyspace ks = server.keyspace();
    for (int i = 0; i < ks.databases(); i++) {
      Database db = ks.db(i);
      if (!(db.barrier() instanceof DbCapture c) || c.owner() != this) continue;
      for (int s = c.nextUncaptured(c.sweepCursor); s >= 0; s = c.nextUncaptured(s + 1)) {
        if (pendingEntries.get() >= MAX_PENDING_ENTRIES) {
          c.sweepCursor = s;
          return; // the writer reschedules us when it has caught up
        }
        c.capture(db, s);
        done += db.slotSize(s) + 1;
        if (done >= SWEEP_BATCH_ENTRIES || System.nanoTime() > deadline) {
          c.sweepCursor = s + 1;
          noteExtra();
          scheduleSweeper(); // let I/O in between: continue as a fresh task
          return;
        }
      }
      c.sweepCursor = HashSlots.SLOTS;
    }
    noteExtra();
  }

  private void noteExtra() {
    long e = extraBytes.get();
    if (e > peakExtraBytes) peakExtraBytes = e;
  }

  /**
   * Waits until {@code slot} of snapshot database {@code db} is captured and returns it, or null
   * when the snapshot was cancelled. Writer thread.
   */
  SlotImage awaitSlot(int db, int slot) {
    DbCapture c = dbs[db];
    while (true) {
      SlotCapture sc = c.captured.get(slot);
      if (sc != null && sc != EMPTY) return sc.image;
      if (cancelled) return null;
      scheduleSweeper();
      LockSupport.parkNanos(this, 1_000_000);
    }
  }

  /** The writer is done with a slot: its values are no longer held, its memory freed. */
  void release(int db, int slot) {
    DbCapture c = dbs[db];
    SlotCapture sc = c.captured.getAndSet(slot, EMPTY);
    if (sc == null || sc == EMPTY) return;
    long n = sc.image.size();
    sc.written = true;
    sc.image = null;
    long p = pendingEntries.addAndGet(-n);
    extraBytes.addAndGet(-(16L * n + 64));
    if (p < MAX_PENDING_ENTRIES / 2) scheduleSweeper();
  }

  /** Asks the writer to stop; it sees null from {@link #awaitSlot}. Any thread. */
  void cancel() {
    cancelled = true;
    Thread t = writerThread;
    if (t != null) LockSupport.unpark(t);
  }

  boolean isCancelled() {
    return cancelled;
  }

  /**
   * Removes the barriers once the writer is done (or cancelled). Keyspace thread. Values still
   * frozen by slots never written are released, so the keyspace stops copying them.
   */
  void finish() {
    finished = true;
    Keyspace ks = server.keyspace();
    for (int i = 0; i < ks.databases(); i++) {
      Database db = ks.db(i);
      if (db.barrier() instanceof DbCapture c && c.owner() == this) db.barrier(null);
    }
    for (DbCapture c : dbs) {
      for (int s = 0; s < HashSlots.SLOTS; s++) {
        SlotCapture sc = c.captured.get(s);
        if (sc != null && sc != EMPTY) {
          sc.written = true;
          sc.image = null;
        }
      }
    }
    noteExtra();
  }
}
