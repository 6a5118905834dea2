package io.redstart.config;

/** The classes of notify-keyspace-events as bits (notify.c), and their text form. */
public final class KeyspaceEventFlags {
  private KeyspaceEventFlags() {}

  public static final int KEYSPACE = 1;
  public static final int KEYEVENT = 1 << 1;
  public static final int GENERIC = 1 << 2;
  public static final int STRING = 1 << 3;
  public static final int LIST = 1 << 4;
  public static final int SET = 1 << 5;
  public static final int HASH = 1 << 6;
  public static final int ZSET = 1 << 7;
  public static final int EXPIRED = 1 << 8;
  public static final int EVICTED = 1 << 9;
  public static final int STREAM = 1 << 10;
  public static final int KEY_MISS = 1 << 11;
  public static final int LOADED = 1 << 12;
  public static final int MODULE = 1 << 13;
  public static final int NEW = 1 << 14;
  /** 'A': every class but key-miss and new. */
  public static final int ALL =
      GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

  /** Bits of a class string, or -1 when it has a character that is not a class. */
  public static int parse(String classes) {
    int flags = 0;
    for (int i = 0; i < classes.length(); i++) {
      switch (classes.charAt(i)) {
        case 'A' -> flags |= ALL;
        case 'g' -> flags |= GENERIC;
        case '$' -> flags |= STRING;
        case 'l' -> flags |= LIST;
        case 's' -> flags |= SET;
        case 'h' -> flags |= HASH;
        case 'z' -> flags |= ZSET;
        case 'x' -> flags |= EXPIRED;
        case 'e' -> flags |= EVICTED;
        case 'K' -> flags |= KEYSPACE;
        case 'E' -> flags |= KEYEVENT;
        case 't' -> flags |= STREAM;
        case 'm' -> flags |= KEY_MISS;
        case 'd' -> flags |= MODULE;
        case 'n' -> flags |= NEW;
        default -> {
          return -1;
        }
      }
    }
    return flags;
  }

  /** The canonical text of a set of classes, as CONFIG GET shows it. */
  public static String format(int flags) {
    StringBuilder sb = new StringBuilder();
    if ((flags & ALL) == ALL) {
      sb.append('A');
    } else {
      if ((flags & GENERIC) != 0) sb.append('g');
      if ((flags & STRING) != 0) sb.append('$');
      if ((flags & LIST) != 0) sb.append('l');
      if ((flags & SET) != 0) sb.append('s');
      if ((flags & HASH) != 0) sb.append('h');
      if ((flags & ZSET) != 0) sb.append('z');
      if ((flags & EXPIRED) != 0) sb.append('x');
      if ((flags & EVICTED) != 0) sb.append('e');
      if ((flags & STREAM) != 0) sb.append('t');
      if ((flags & MODULE) != 0) sb.append('d');
      if ((flags & NEW) != 0) sb.append('n');
    }
    if ((flags & KEYSPACE) != 0) sb.append('K');
    if ((flags & KEYEVENT) != 0) sb.append('E');
    if ((flags & KEY_MISS) != 0) sb.append('m');
    return sb.toString();
  }
}
