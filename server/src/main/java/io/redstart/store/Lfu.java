package io.redstart.store;

import java.util.random.RandomGenerator;

/**
 * Redis's LFU counter in the 24-bit LRU field of a key: the high 16 bits hold the last decrement
 * time in minutes, the low 8 bits a logarithmic access counter (evict.c: LFULogIncr,
 * LFUDecrAndReturn). New keys start at {@link #INIT_VAL}.
 */
public final class Lfu {
  private Lfu() {}

  public static final int INIT_VAL = 5;

  /** Minutes, 16 bits. */
  public static int timeInMinutes(long nowMillis) {
    return (int) ((nowMillis / 1000 / 60) & 0xffff);
  }

  /** The initial LFU field of a new key. */
  public static int initial(long nowMillis) {
    return (timeInMinutes(nowMillis) << 8) | INIT_VAL;
  }

  static int elapsedMinutes(int ldt, long nowMillis) {
    int now = timeInMinutes(nowMillis);
    if (now >= ldt) return now - ldt;
    return 65535 - ldt + now;
  }

  /** The counter after decay for elapsed periods, without storing it. */
  public static int decrAndReturn(int field, long nowMillis, int decayTime) {
    int ldt = field >>> 8;
    int counter = field & 0xff;
    int periods = decayTime > 0 ? elapsedMinutes(ldt, nowMillis) / decayTime : 0;
    if (periods > 0) counter = periods > counter ? 0 : counter - periods;
    return counter;
  }

  /** Logarithmic increment: the more hits, the less likely another increment. */
  public static int logIncr(int counter, int logFactor, RandomGenerator random) {
    if (counter == 255) return 255;
    double r = random.nextDouble();
    double baseval = counter - INIT_VAL;
    if (baseval < 0) baseval = 0;
    double p = 1.0 / (baseval * logFactor + 1);
    if (r < p) counter++;
    return counter;
  }

  /** The field after an access: decay, increment, stamp the time. */
  public static int touch(int field, long nowMillis, int logFactor, int decayTime, RandomGenerator random) {
    int counter = decrAndReturn(field, nowMillis, decayTime);
    counter = logIncr(counter, logFactor, random);
    return (timeInMinutes(nowMillis) << 8) | counter;
  }
}
