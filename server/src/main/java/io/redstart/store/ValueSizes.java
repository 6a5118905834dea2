package io.redstart.store;

/** Heap-size estimates of boxed values. */
final class ValueSizes {
  private ValueSizes() {}

  static long of(Object value) {
    if (value instanceof StringValue s) return s.memoryUsage();
    if (value instanceof MemorySized m) return m.memoryUsage();
    return 64;
  }
}
