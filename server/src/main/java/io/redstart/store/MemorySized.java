package io.redstart.store;

/** A boxed value that reports the heap bytes it holds, for {@code used_memory}. */
public interface MemorySized {
  long memoryUsage();
}
