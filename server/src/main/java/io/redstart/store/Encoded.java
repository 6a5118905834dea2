package io.redstart.store;

/** A boxed value that names its representation as OBJECT ENCODING reports it. */
public interface Encoded {
  /** "listpack", "quicklist", "intset", "hashtable", "skiplist", "stream" ... */
  String encodingName();
}
