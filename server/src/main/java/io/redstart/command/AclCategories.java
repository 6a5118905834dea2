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
