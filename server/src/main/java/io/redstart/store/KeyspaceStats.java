package io.redstart.store;

/** Counters INFO reports under stats and keyspace; reset by CONFIG RESETSTAT where Redis does. */
public final class KeyspaceStats {
  public long keyspaceHits;
  public long keyspaceMisses;
  public long expiredKeys;
  public long evictedKeys;
  /** Running estimate of logically expired keys still stored (fraction, 0..1). */
  public double expiredStalePerc;
  public long expiredTimeCapReachedCount;
  /** Microseconds spent in active expiry. */
  public long expireCycleTimeUsed;

  public void reset() {
    keyspaceHits = 0;
    keyspaceMisses = 0;
    expiredKeys = 0;
    evictedKeys = 0;
    expiredStalePerc = 0;
    expiredTimeCapReachedCount = 0;
    expireCycleTimeUsed = 0;
  }
}
