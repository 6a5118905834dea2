package io.redstart.store;

/** A boxed value that COPY can duplicate deeply. */
public interface Duplicable {
  Object duplicate();
}
