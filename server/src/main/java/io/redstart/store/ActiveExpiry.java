package io.redstart.store;

/**
 * The active expiry cycle of Redis 7.0 (expire.c activeExpireCycle) over our slot tables: each
 * call visits up to 16 databases, sampling {@code 20 + 5*(effort-1)} keys with an expiry per
 * loop and expiring those that are due, and repeats a database while more than {@code
 * 10-(effort-1)} percent of the sample had expired, within a time budget. The slow cycle runs
 * from the cron at {@code hz}; the fast cycle runs before the event loop sleeps, only when the
 * previous cycle ran out of time or the stale estimate is high.
 *
 * <p>A database's cursor walks the slots that have volatile keys, then the positions of each
 * slot's table, so the work is spread evenly and no key is starved.
 *
 * <p>Owned by the keyspace thread.
 */
public final class ActiveExpiry {
  private static final int KEYS_PER_LOOP = 20;
  private static final int FAST_DURATION_US = 1000;
  private static final int SLOW_TIME_PERC = 25;
  private static final int ACCEPTABLE_STALE = 10;
  private static final int DBS_PER_CALL = 16;

  private final Keyspace keyspace;
  private int currentDb;
  private boolean timelimitExit;
  private long lastFastCycleUs;
  private boolean enabled = true;
  private final long[] avgTtl;

  public ActiveExpiry(Keyspace keyspace) {
    this.keyspace = keyspace;
    this.avgTtl = new long[keyspace.databases()];
  }

  /** DEBUG SET-ACTIVE-EXPIRE. */
  public void enabled(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  /** The running average TTL (ms) of the database's volatile keys, for INFO keyspace. */
  public long avgTtl(int db) {
    return avgTtl[db];
  }

  public void resetAvgTtl(int db) {
    avgTtl[db] = 0;
  }

  /**
   * Runs one cycle.
   *
   * @param fast the short cycle run before sleeping, rather than the cron's
   * @param hz the server's current hz
   * @param effort active-expire-effort, 1..10
   */
  public void cycle(boolean fast, int hz, int effort) {
    if (!enabled || keyspace.isReplica()) return;
    int e = effort - 1;
    int keysPerLoop = KEYS_PER_LOOP + KEYS_PER_LOOP / 4 * e;
    int fastDuration = FAST_DURATION_US + FAST_DURATION_US / 4 * e;
    int slowTimePerc = SLOW_TIME_PERC + 2 * e;
    int acceptableStale = ACCEPTABLE_STALE - e;

    long startUs = keyspace.clock().nanos() / 1000;
    KeyspaceStats stats = keyspace.stats;
    if (fast) {
      if (!timelimitExit && stats.expiredStalePerc * 100 < acceptableStale) return;
      if (startUs < lastFastCycleUs + fastDuration * 2L) return;
      lastFastCycleUs = startUs;
    }
    int dbs = keyspace.databases();
    int dbsPerCall = Math.min(DBS_PER_CALL, dbs);
    if (timelimitExit) dbsPerCall = dbs;
    long timelimit = fast ? fastDuration : Math.max(1, (long) slowTimePerc * 1_000_000 / hz / 100);
    timelimitExit = false;

    long totalSampled = 0;
    long totalExpired = 0;
    int iteration = 0;
    for (int j = 0; j < dbsPerCall && !timelimitExit; j++) {
      Database db = keyspace.db(currentDb % dbs);
      currentDb++;
      long expired;
      long sampled;
      do {
        iteration++;
        if (db.volatileCount() == 0) {
          avgTtl[db.id()] = 0;
          break;
        }
        long now = keyspace.updateTime();
        long num = Math.min(db.volatileCount(), keysPerLoop);
        long maxChecked = num * 20;
        long checked = 0;
        expired = 0;
        sampled = 0;
        long ttlSum = 0;
        int ttlSamples = 0;
        while (sampled < num && checked < maxChecked) {
          SlotTable t = cursorTable(db);
          if (t == null) break;
          int pos = db.expirePosCursor;
          checked++;
          Object entry = t.entries[pos];
          if (entry != null && Entries.hasExpire(entry)) {
            long ttl = Entries.expireAt(entry) - now;
            sampled++;
            if (ttl <= 0) {
              keyspace.expireIfNeeded(db, Entries.key(entry), entry);
              expired++;
              // Backward-shift deletion may have moved a key into this position: look again.
              continue;
            }
            ttlSum += ttl;
            ttlSamples++;
          }
          db.expirePosCursor++;
        }
        totalExpired += expired;
        totalSampled += sampled;
        if (ttlSamples > 0) {
          long avg = ttlSum / ttlSamples;
          int id = db.id();
          if (avgTtl[id] == 0) avgTtl[id] = avg;
          avgTtl[id] = (avgTtl[id] / 50) * 49 + (avg / 50);
        }
        if ((iteration & 0xf) == 0) {
          long elapsed = keyspace.clock().nanos() / 1000 - startUs;
          if (elapsed > timelimit) {
            timelimitExit = true;
            stats.expiredTimeCapReachedCount++;
            break;
          }
        }
      } while (sampled == 0 || expired * 100 / sampled > acceptableStale);
    }
    long elapsed = keyspace.clock().nanos() / 1000 - startUs;
    stats.expireCycleTimeUsed += elapsed;
    double current = totalSampled > 0 ? (double) totalExpired / totalSampled : 0;
    stats.expiredStalePerc = current * 0.05 + stats.expiredStalePerc * 0.95;
  }

  /**
   * The table under the database's expiry cursor, advancing the cursor to the next slot with
   * volatile keys when the current one is exhausted; null when the database has none.
   */
  private static SlotTable cursorTable(Database db) {
    for (int attempts = 0; attempts <= HashSlots.SLOTS + 1; attempts++) {
      SlotTable t = db.slotTable(db.expireSlotCursor);
      if (t != null && t.volatileCount > 0 && db.expirePosCursor < t.capacity()) return t;
      int next = db.nextNonEmptySlot(db.expireSlotCursor + 1);
      if (next < 0) next = db.nextNonEmptySlot(0);
      if (next < 0) return null;
      db.expireSlotCursor = next;
      db.expirePosCursor = 0;
    }
    return null;
  }
}
