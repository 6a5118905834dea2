package io.redstart.util;

/** The source of time, injected so that tests can move it. */
public interface Clock {
  /** Unix time in milliseconds. */
  long millis();

  /** Monotonic nanoseconds, for measuring durations. */
  long nanos();

  Clock SYSTEM =
      new Clock() {
        @Override
        public long millis() {
          return System.currentTimeMillis();
        }

        @Override
        public long nanos() {
          return System.nanoTime();
        }
      };
}
