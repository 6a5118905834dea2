package io.redstart.store;

/** Receives the entries a SCAN step visits. */
@FunctionalInterface
public interface EntryVisitor {
  void visit(Object entry);
}
