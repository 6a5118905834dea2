package io.redstart.command;

import java.util.ArrayList;
import java.util.List;

/** ACL categories as bits, in Redis's order (acl.c ACLCommandCategories). */
public final class AclCategories {
  private AclCategories() {}

  public static final String[] NAMES = {
    "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap",
    "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous",
    "connection", "transaction", "scripting"
  };

  public static final long KEYSPACE = 1L;
  public static final long READ = 1L << 1;
  public static final long WRITE = 1L << 2;
  public static final long SET = 1L << 3;
  public static final long SORTEDSET = 1L << 4;
  public static final long LIST = 1L << 5;
  public static final long HASH = 1L << 6;
  public static final long STRING = 1L << 7;
  public static final long BITMAP = 1L << 8;
  public static final long HYPERLOGLOG = 1L << 9;
  public static final long GEO = 1L << 10;
  public static final long STREAM = 1L << 11;
  public static final long PUBSUB = 1L << 12;
  public static final long ADMIN = 1L << 13;
  public static final long FAST = 1L << 14;
  public static final long SLOW = 1L << 15;
  public static final long BLOCKING = 1L << 16;
  public static final long DANGEROUS = 1L << 17;
  public static final long CONNECTION = 1L << 18;
  public static final long TRANSACTION = 1L << 19;
  public static final long SCRIPTING = 1L << 20;

  /** The bit of a category name (any case, with or without '@'), or 0 when unknown. */
  public static long bitOf(String name) {
    String n = name.startsWith("@") ? name.substring(1) : name;
    for (int i = 0; i < NAMES.length; i++) if (NAMES[i].equalsIgnoreCase(n)) return 1L << i;
    return 0;
  }

  /** Category names with their '@', in Redis's order. */
  public static List<String> names(long bits) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < NAMES.length; i++) if ((bits & (1L << i)) != 0) out.add("@" + NAMES[i]);
    return out;
  }
}
