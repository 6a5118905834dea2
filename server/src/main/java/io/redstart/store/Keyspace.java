package io.redstart.store;

import io.redstart.util.Clock;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * All databases, with what Redis layers over raw storage: lazy expiry on access, keyspace hit and
 * miss counts, LRU/LFU stamps, and the hooks through which expiry reaches notifications,
 * propagation and WATCH. Time is the server's cached command time ({@link #now}), set once per
 * command as Redis does.
 *
 * <p>Owned by the keyspace thread.
 */
public final class Keyspace {
  /** What happens around a key's removal by expiry; implemented by the server. */
  public interface Hooks {
    /** {@code key} was removed from {@code db} because it expired. */
    void keyExpired(Database db, byte[] key);

    /** A read lookup found no {@code key} (Redis's "keymiss" notification). */
    default void keyMissed(Database db, byte[] key) {}
  }

  /** 24-bit LRU clock in seconds, as Redis's LRU_CLOCK. */
  public static final int LRU_CLOCK_MAX = (1 << 24) - 1;

  private final Database[] dbs;
  private final Clock clock;
  private Hooks hooks = (db, key) -> {};
  private RandomGenerator random = new SplittableRandom();

  private long now;
  private boolean lfu;
  private int lfuLogFactor = 10;
  private int lfuDecayTime = 1;
  /** A replica never expires keys itself: its master sends DEL. Reads still see them as gone. */
  private boolean replica;
  /** Set while a replica runs its master's commands: for them no key is expired. */
  private boolean obeyMaster;
  /** While loading, nothing expires (keyIsExpired): an AOF replays on the keys as they were. */
  private boolean loading;

  public final KeyspaceStats stats = new KeyspaceStats();

  public Keyspace(int databases, Clock clock) {
    this.dbs = new Database[databases];
    for (int i = 0; i < databases; i++) dbs[i] = new Database(i);
    this.clock = clock;
    this.now = clock.millis();
  }

  public void hooks(Hooks hooks) {
    this.hooks = hooks;
  }

  public void random(RandomGenerator random) {
    this.random = random;
  }

  public RandomGenerator random() {
    return random;
  }

  public Database db(int index) {
    return dbs[index];
  }

  public int databases() {
    return dbs.length;
  }

  /** The cached time of the command being run, Unix ms. */
  public long now() {
    return now;
  }

  /**
   * Refreshes the cached time from the clock; called before each command and each cron tick.
   * While the time is {@linkplain #freezeTime frozen} it keeps the frozen value.
   */
  public long updateTime() {
    if (!timeFrozen) now = clock.millis();
    return now;
  }

  private boolean timeFrozen;

  /**
   * Freezes the cached time (a script sees the time of its start, for expiry too) or lets it
   * move again; freezing refreshes it first.
   */
  public void freezeTime(boolean on) {
    if (on && !timeFrozen) now = clock.millis();
    timeFrozen = on;
  }

  public Clock clock() {
    return clock;
  }

  public void evictionPolicy(boolean lfu, int logFactor, int decayTime) {
    this.lfu = lfu;
    this.lfuLogFactor = logFactor;
    this.lfuDecayTime = decayTime;
  }

  public boolean lfu() {
    return lfu;
  }

  public int lfuDecayTime() {
    return lfuDecayTime;
  }

  public void replica(boolean replica) {
    this.replica = replica;
  }

  public boolean isReplica() {
    return replica;
  }

  private boolean expiryHeld;

  /**
   * While held (CLIENT PAUSE), expired keys read as missing but stay in place, uncounted, so the
   * dataset does not change; they go at the next access after the pause, as in Redis.
   */
  public void holdExpiry(boolean held) {
    this.expiryHeld = held;
  }

  /**
   * Marks the commands of a replica's master as running (or done): they see keys whose time has
   * passed as still there, as Redis's expireIfNeeded does for the master client, since the master
   * decides when they go and sends a DEL.
   */
  public void obeyMaster(boolean on) {
    this.obeyMaster = on;
  }

  /** The LRU clock now (seconds, 24 bits). */
  public int lruClock() {
    return (int) ((now / 1000) & LRU_CLOCK_MAX);
  }

  /** The LRU/LFU field a new key starts with. */
  public int initialLru() {
    return lfu ? Lfu.initial(now) : lruClock();
  }

  /** Milliseconds since the entry was last touched, from its LRU stamp. */
  public long idleMillis(Object entry) {
    int lruclock = lruClock();
    int lru = Entries.lru(entry);
    if (lruclock >= lru) return (long) (lruclock - lru) * 1000;
    return (long) (lruclock + (LRU_CLOCK_MAX - lru)) * 1000;
  }

  // ---- lookups

  /**
   * Looks up a key for reading: expires it lazily, counts a hit or a miss (and fires "keymiss"),
   * stamps its LRU/LFU unless {@code noTouch}. Returns the entry or null.
   */
  public Object lookupRead(Database db, byte[] key, boolean noTouch) {
    Object e = lookupReadNoNotify(db, key, noTouch);
    if (e == null) hooks.keyMissed(db, key);
    return e;
  }

  /** {@link #lookupRead} without the "keymiss" notification (OBJECT's lookups). */
  public Object lookupReadNoNotify(Database db, byte[] key, boolean noTouch) {
    Object e = db.find(key);
    if (e != null && expireIfNeeded(db, key, e)) e = null;
    if (e == null) {
      stats.keyspaceMisses++;
      return null;
    }
    stats.keyspaceHits++;
    if (!noTouch) touch(e);
    return e;
  }

  /**
   * Looks up a key for writing: expires it lazily and stamps it; no hit/miss counting. This is the
   * only lookup whose entry's value may be changed in place: while a background snapshot runs it
   * hands out a private copy of a value the snapshot still needs (see {@link WriteBarrier}).
   */
  public Object lookupWrite(Database db, byte[] key) {
    Object e = db.findForWrite(key);
    if (e != null && expireIfNeeded(db, key, e)) return null;
    if (e != null) touch(e);
    return e;
  }

  /** Looks up without side effects beyond lazy expiry (EXISTS-like checks inside commands). */
  public Object lookupQuiet(Database db, byte[] key) {
    Object e = db.find(key);
    if (e != null && expireIfNeeded(db, key, e)) return null;
    return e;
  }

  /** Whether the key exists and is not logically expired; no expiry deletion, no stats. */
  public boolean existsNoSideEffects(Database db, byte[] key) {
    Object e = db.find(key);
    return e != null && !isExpired(e);
  }

  /** While on, no key counts as expired (loading a dataset, as Redis's keyIsExpired). */
  public void loading(boolean on) {
    this.loading = on;
  }

  public boolean isExpired(Object entry) {
    if (loading) return false;
    long when = Entries.expireAt(entry);
    return when >= 0 && when <= now;
  }

  public void touch(Object entry) {
    if (lfu) {
      Entries.setLru(entry, Lfu.touch(Entries.lru(entry), now, lfuLogFactor, lfuDecayTime, random));
    } else {
      Entries.setLru(entry, lruClock());
    }
  }

  /**
   * Deletes the key if it is expired (unless this is a replica), firing the expiry hooks. Returns
   * true when the key is logically gone.
   */
  public boolean expireIfNeeded(Database db, byte[] key, Object entry) {
    if (!isExpired(entry)) return false;
    if (replica) return !obeyMaster;
    if (expiryHeld) return true;
    db.remove(key);
    stats.expiredKeys++;
    hooks.keyExpired(db, key);
    return true;
  }

  /** Removes every key of every database. */
  public void flushAll() {
    for (Database db : dbs) db.clear();
  }

  public long totalKeys() {
    long n = 0;
    for (Database db : dbs) n += db.size();
    return n;
  }

  public long usedBytes() {
    long n = 0;
    for (Database db : dbs) n += db.usedBytes();
    return n;
  }

  public Hooks hooks() {
    return hooks;
  }
}
