package io.redstart.store;

import java.util.random.RandomGenerator;

/**
 * maxmemory eviction as Redis 7.0 does it (evict.c): when used memory passes maxmemory, keys are
 * evicted until it is back under, chosen by the policy: the LRU/LFU/TTL policies keep a pool of
 * the 16 best candidates, fed by {@code maxmemory-samples} keys sampled from every database (all
 * keys, or only those with an expiry for volatile-*); the random policies take a random key from
 * each database in turn. Each pass is time-bounded by maxmemory-eviction-tenacity; what remains
 * is left to the next command or the cron.
 *
 * <p>Owned by the keyspace thread.
 */
public final class Eviction {
  /** Memory is under the limit (or eviction freed enough). */
  public static final int OK = 0;
  /** Over the limit, keys were evicted, more remain to evict: not an error. */
  public static final int RUNNING = 1;
  /** Over the limit and nothing can be evicted: denyoom commands get OOM. */
  public static final int FAIL = 2;

  /** The policies, as maxmemory-policy names them. */
  public enum Policy {
    VOLATILE_LRU(false, Kind.LRU),
    VOLATILE_LFU(false, Kind.LFU),
    VOLATILE_RANDOM(false, Kind.RANDOM),
    VOLATILE_TTL(false, Kind.TTL),
    ALLKEYS_LRU(true, Kind.LRU),
    ALLKEYS_LFU(true, Kind.LFU),
    ALLKEYS_RANDOM(true, Kind.RANDOM),
    NOEVICTION(true, Kind.NONE);

    final boolean allKeys;
    final Kind kind;

    Policy(boolean allKeys, Kind kind) {
      this.allKeys = allKeys;
      this.kind = kind;
    }

    public static Policy of(String name) {
      return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
  }

  enum Kind {
    LRU,
    LFU,
    TTL,
    RANDOM,
    NONE
  }

  /** What the server tells eviction about memory and how to report a deletion. */
  public interface Host {
    /** Bytes counted against maxmemory (Redis's used_memory minus replication/AOF buffers). */
    long usedMemoryForEviction();

    /** Deletes an evicted key's side effects: "evicted" event, WATCH, propagation as DEL. */
    void evicted(Database db, byte[] key);

    /** Whether evicting now is unsafe (loading, paused clients, busy script, replica). */
    boolean evictionUnsafe();
  }

  private static final int POOL_SIZE = 16;

  private final Keyspace keyspace;
  private final Host host;
  private final long[] poolIdle = new long[POOL_SIZE];
  private final int[] poolDb = new int[POOL_SIZE];
  private final byte[][] poolKey = new byte[POOL_SIZE][];
  private int nextDb;

  private long maxmemory;
  private Policy policy = Policy.NOEVICTION;
  private int samples = 5;
  private int tenacity = 10;

  /** INFO stats: total microseconds spent over the limit. */
  private long exceededSinceNanos;

  private long totalExceededMicros;

  public Eviction(Keyspace keyspace, Host host) {
    this.keyspace = keyspace;
    this.host = host;
  }

  public void configure(long maxmemory, Policy policy, int samples, int tenacity) {
    this.maxmemory = maxmemory;
    this.policy = policy;
    this.samples = samples;
    this.tenacity = tenacity;
  }

  public long maxmemory() {
    return maxmemory;
  }

  public Policy policy() {
    return policy;
  }

  /** Microseconds a pass may take before it stops (evictionTimeLimitUs). */
  long timeLimitMicros() {
    if (tenacity <= 10) return 50L * tenacity;
    if (tenacity < 100) return (long) (500.0 * Math.pow(1.15, tenacity - 10.0));
    return Long.MAX_VALUE;
  }

  public long totalExceededMicros() {
    return totalExceededMicros + currentExceededMicros();
  }

  public long currentExceededMicros() {
    return exceededSinceNanos == 0 ? 0 : (System.nanoTime() - exceededSinceNanos) / 1000;
  }

  /** Brings memory back under maxmemory if it can; returns {@link #OK}, RUNNING or FAIL. */
  public int perform() {
    if (maxmemory == 0 || host.evictionUnsafe()) return OK;
    long used = host.usedMemoryForEviction();
    if (used <= maxmemory) return track(OK);
    if (policy == Policy.NOEVICTION) return track(FAIL);
    long toFree = used - maxmemory;
    long freed = 0;
    long limit = timeLimitMicros();
    long start = System.nanoTime();
    int keysFreed = 0;
    while (freed < toFree) {
      int[] dbOut = new int[1];
      byte[] key = pickKey(dbOut);
      if (key == null) return track(FAIL);
      Database db = keyspace.db(dbOut[0]);
      long before = keyspace.usedBytes();
      db.remove(key);
      freed += before - keyspace.usedBytes();
      keyspace.stats.evictedKeys++;
      host.evicted(db, key);
      keysFreed++;
      if (keysFreed % 16 == 0 && (System.nanoTime() - start) / 1000 > limit) {
        return track(host.usedMemoryForEviction() > maxmemory ? RUNNING : OK);
      }
    }
    return track(OK);
  }

  private int track(int result) {
    if (result == OK) {
      if (exceededSinceNanos != 0) {
        totalExceededMicros += (System.nanoTime() - exceededSinceNanos) / 1000;
        exceededSinceNanos = 0;
      }
    } else if (exceededSinceNanos == 0) {
      exceededSinceNanos = System.nanoTime();
    }
    return result;
  }

  /** The next key to evict per the policy, with its database in {@code dbOut[0]}, or null. */
  private byte[] pickKey(int[] dbOut) {
    RandomGenerator random = keyspace.random();
    int dbs = keyspace.databases();
    if (policy.kind == Kind.RANDOM) {
      for (int i = 0; i < dbs; i++) {
        int j = (++nextDb & Integer.MAX_VALUE) % dbs;
        Database db = keyspace.db(j);
        Object e = policy.allKeys ? db.randomEntry(random) : db.randomVolatileEntry(random);
        if (e != null) {
          dbOut[0] = j;
          return Entries.key(e);
        }
      }
      return null;
    }
    while (true) {
      long total = 0;
      for (int i = 0; i < dbs; i++) {
        Database db = keyspace.db(i);
        long keys = policy.allKeys ? db.size() : db.volatileCount();
        if (keys == 0) continue;
        total += keys;
        populate(db, random);
      }
      if (total == 0) return null;
      for (int k = POOL_SIZE - 1; k >= 0; k--) {
        byte[] key = poolKey[k];
        if (key == null) continue;
        int dbid = poolDb[k];
        poolKey[k] = null;
        poolIdle[k] = 0;
        Object e = keyspace.db(dbid).find(key);
        if (e != null && (policy.allKeys || Entries.hasExpire(e))) {
          dbOut[0] = dbid;
          return key;
        }
        // A ghost (deleted since it was sampled): try the next best.
      }
    }
  }

  /** Samples keys of one database into the pool, ordered by ascending idle score. */
  private void populate(Database db, RandomGenerator random) {
    Object[] sampled = db.sampleEntries(random, samples, !policy.allKeys);
    for (Object e : sampled) {
      if (e == null) break;
      long idle =
          switch (policy.kind) {
            case LRU -> keyspace.idleMillis(e);
            case LFU -> 255 - Lfu.decrAndReturn(Entries.lru(e), keyspace.now(), keyspace.lfuDecayTime());
            case TTL -> Long.MAX_VALUE - Entries.expireAt(e);
            default -> 0;
          };
      insert(db.id(), Entries.key(e), idle);
    }
  }

  private void insert(int dbid, byte[] key, long idle) {
    int k = 0;
    while (k < POOL_SIZE && poolKey[k] != null && Long.compareUnsigned(poolIdle[k], idle) < 0) k++;
    if (k == 0 && poolKey[POOL_SIZE - 1] != null) return;
    if (k < POOL_SIZE && poolKey[k] == null) {
      // An empty slot: use it.
    } else if (poolKey[POOL_SIZE - 1] == null) {
      System.arraycopy(poolKey, k, poolKey, k + 1, POOL_SIZE - k - 1);
      System.arraycopy(poolIdle, k, poolIdle, k + 1, POOL_SIZE - k - 1);
      System.arraycopy(poolDb, k, poolDb, k + 1, POOL_SIZE - k - 1);
    } else {
      k--;
      System.arraycopy(poolKey, 1, poolKey, 0, k);
      System.arraycopy(poolIdle, 1, poolIdle, 0, k);
      System.arraycopy(poolDb, 1, poolDb, 0, k);
    }
    poolKey[k] = key;
    poolIdle[k] = idle;
    poolDb[k] = dbid;
  }
}
