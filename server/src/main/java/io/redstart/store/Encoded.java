package io.redstart.store;

/** A boxed value that names its representation as OBJECT ENCODING reports it. */
public interface Encoded {
  /** "listpack", "quicklist", "intset", "hashtable", "skiplist", "stream" ... */
  String encodingName();

  /**
   * Fields DEBUG OBJECT appends after its common ones for this encoding, each with its leading
   * space (a quicklist's " ql_nodes:.. ql_avg_node:.."), or "" when the encoding has none.
   */
  default String debugObjectFields() {
    return "";
  }
}
