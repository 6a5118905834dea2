package io.redstart.command.sort;

import static io.redstart.config.KeyspaceEventFlags.GENERIC;
import static io.redstart.config.KeyspaceEventFlags.LIST;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.config.ConfigParams;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.KeyspaceEvents;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import io.redstart.types.ValueType;
import io.redstart.types.hash.HashValue;
import io.redstart.types.list.ListValue;
import io.redstart.types.set.SetValue;
import io.redstart.types.zset.ZSetValue;
import io.redstart.util.Doubles;
import io.redstart.util.PartialQuicksort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO (sort.c): the elements of a list, set or sorted set, ordered numerically or
 * with ALPHA bytewise, or by the values of other keys (BY pattern, hash fields with {@code ->}),
 * or not at all (BY a pattern without '*'), cut by LIMIT, mapped through GET patterns, and
 * replied or stored as a list (STORE, SORT only).
 *
 * <p>Redis's corners are kept: numbers are read with strtod (leading spaces, hex, "inf" accepted;
 * trailing bytes, overflow, underflow and NaN refused with "One or more scores can't be converted
 * into double"), equal scores are ordered by the element's bytes, missing weights count as 0 (or
 * first, with ALPHA), patterns are C strings (a NUL ends them), a BY/LIMIT sort uses Redis's
 * partial quicksort (so ties come out in Redis's order) and other sorts are stable, as glibc's
 * qsort is. ALPHA without STORE compares as strcoll does in the C and C.UTF-8 locales: bytewise up
 * to the first NUL; other locales' collation is not reproduced. A set under BY a constant is sorted
 * (ALPHA) anyway when stored or run from a script, so that replicas agree.
 *
 * <p>SORT ... STORE is propagated as sent: given the same data a replica computes the same list.
 */
public final class SortCommands {
  private SortCommands() {}

  /**
   * Tells SORT which clients run scripts (for the script rule above); the scripting subsystem
   * registers one with {@code RedstartServer.register(ScriptClients.class, ...)}.
   */
  public interface ScriptClients {
    boolean isScript(Client c);
  }

  /** One element to sort: its bytes, and its numeric score or ALPHA weight. */
  private static final class Item {
    final byte[] obj;
    double score;
    byte[] cmp;

    Item(byte[] obj) {
      this.obj = obj;
    }
  }

  public static void sort(Client c, byte[][] argv) {
    sortGeneric(c, argv, false);
  }

  public static void sortRo(Client c, byte[][] argv) {
    sortGeneric(c, argv, true);
  }

  private static void sortGeneric(Client c, byte[][] argv, boolean readonly) {
    boolean desc = false;
    boolean alpha = false;
    long limitStart = 0;
    long limitCount = -1;
    boolean dontsort = false;
    byte[] sortby = null;
    byte[] storekey = null;
    List<byte[]> gets = new ArrayList<>();
    boolean cluster = c.server().config().getBool(ConfigParams.CLUSTER_ENABLED);
    for (int j = 2; j < argv.length; j++) {
      int left = argv.length - j - 1;
      byte[] a = argv[j];
      if (Args.is(a, "asc")) {
        desc = false;
      } else if (Args.is(a, "desc")) {
        desc = true;
      } else if (Args.is(a, "alpha")) {
        alpha = true;
      } else if (Args.is(a, "limit") && left >= 2) {
        if (!Args.isLongOrReply(c, argv[j + 1]) || !Args.isLongOrReply(c, argv[j + 2])) return;
        limitStart = Args.toLong(argv[j + 1]);
        limitCount = Args.toLong(argv[j + 2]);
        j += 2;
      } else if (!readonly && Args.is(a, "store") && left >= 1) {
        storekey = argv[++j];
      } else if (Args.is(a, "by") && left >= 1) {
        sortby = argv[++j];
        if (indexOf(sortby, (byte) '*', 0) < 0) {
          dontsort = true;
        } else if (cluster) {
          c.error(Errors.SORT_BY_IN_CLUSTER);
          return;
        }
      } else if (Args.is(a, "get") && left >= 1) {
        if (cluster) {
          c.error(Errors.SORT_GET_IN_CLUSTER);
          return;
        }
        gets.add(argv[++j]);
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }

    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    Object e = ks.lookupRead(db, argv[1], c.noTouch());
    ValueType type = e == null ? ValueType.LIST : Entries.type(e);
    if (type != ValueType.SET && type != ValueType.LIST && type != ValueType.ZSET) {
      c.error(Errors.WRONGTYPE);
      return;
    }
    if (dontsort && type == ValueType.SET && (storekey != null || isScript(c))) {
      // Stored or scripted results must not depend on the set's internal order.
      dontsort = false;
      alpha = true;
      sortby = null;
    }

    Object value = e == null ? null : Entries.boxedValue(e);
    if (value instanceof ZSetValue lp && lp.isListpack()) {
      // Redis converts the sorted sets it sorts to skiplists, for good: a change in place, so
      // through the write lookup (a running snapshot keeps its own copy).
      e = db.findForWrite(argv[1]);
      value = Entries.boxedValue(e);
      ZSetValue z = (ZSetValue) value;
      long before = z.memoryUsage();
      z.convertToSkiplist();
      db.adjustUsedBytes(z.memoryUsage() - before);
    }
    long size = sizeOf(value);
    long start = Math.min(Math.max(limitStart, 0), size);
    long count = Math.min(Math.max(limitCount, -1), size);
    long end = count < 0 ? size - 1 : start + count - 1;
    if (start >= size) {
      start = size - 1;
      end = size - 2;
    }
    if (end >= size) end = size - 1;

    Item[] vector;
    if (dontsort && (type == ValueType.LIST || type == ValueType.ZSET)) {
      // The native order, reversed by DESC, and only the LIMIT range.
      long rangelen = start != 0 || end != size - 1 ? end - start + 1 : size;
      vector = loadRange(value, start, rangelen, desc);
      if (type == ValueType.ZSET || end >= start) {
        end -= start;
        start = 0;
      }
    } else {
      vector = loadAll(value);
    }
    int vectorlen = vector.length;

    boolean conversionError = false;
    if (!dontsort) {
      for (Item it : vector) {
        byte[] byval;
        if (sortby != null) {
          byval = lookupByPattern(c, sortby, it.obj);
          if (byval == null) continue;
        } else {
          byval = it.obj;
        }
        if (alpha) {
          if (sortby != null) it.cmp = byval;
        } else if (!score(it, byval)) {
          conversionError = true;
        }
      }
      if (!conversionError) {
        Comparator<Item> cmp = comparator(alpha, sortby != null, storekey != null, desc);
        if (sortby != null && (start != 0 || end != vectorlen - 1)) {
          PartialQuicksort.sort(vector, cmp, (int) start, (int) end);
        } else {
          Arrays.sort(vector, cmp);
        }
      }
    }

    long outputlen = (gets.isEmpty() ? 1 : gets.size()) * (end - start + 1);
    if (conversionError) {
      c.error(Errors.SORT_SCORES_NOT_DOUBLE);
    } else if (storekey == null) {
      RespWriter w = c.reply();
      w.array(outputlen);
      for (long j = start; j <= end; j++) {
        Item it = vector[(int) j];
        if (gets.isEmpty()) w.bulk(it.obj);
        for (byte[] pattern : gets) {
          byte[] val = lookupByPattern(c, pattern, it.obj);
          if (val == null) {
            w.nullBulk();
          } else {
            w.bulk(val);
          }
        }
      }
    } else {
      List<byte[]> out = new ArrayList<>((int) Math.max(0, outputlen));
      for (long j = start; j <= end; j++) {
        Item it = vector[(int) j];
        if (gets.isEmpty()) {
          out.add(it.obj);
        } else {
          for (byte[] pattern : gets) {
            byte[] val = lookupByPattern(c, pattern, it.obj);
            out.add(val == null ? EMPTY : val);
          }
        }
      }
      store(c, storekey, out);
      c.reply().integer(outputlen);
    }
  }

  private static final byte[] EMPTY = new byte[0];

  private static boolean isScript(Client c) {
    ScriptClients s = c.server().optionalComponent(ScriptClients.class);
    return s != null && s.isScript(c);
  }

  /** Elements of a list, set or sorted set (0 for a missing key). */
  private static long sizeOf(Object value) {
    return switch (value) {
      case null -> 0;
      case ListValue l -> l.size();
      case SetValue s -> s.size();
      case ZSetValue z -> z.size();
      default -> throw new IllegalStateException("SORT of " + value.getClass().getSimpleName());
    };
  }

  /** Every element, in the value's own order (nothing for a missing key). */
  private static Item[] loadAll(Object value) {
    List<Item> items = new ArrayList<>((int) Math.min(sizeOf(value), 1 << 20));
    switch (value) {
      case null -> {}
      case ListValue l -> {
        ListValue.Cursor c = l.cursor(0, true);
        while (c.next()) items.add(new Item(c.element()));
      }
      case SetValue s ->
          s.forEach((b, off, len) -> items.add(new Item(Arrays.copyOfRange(b, off, off + len))));
      case ZSetValue z ->
          z.forEach(false, (b, off, len, score) -> items.add(new Item(Arrays.copyOfRange(b, off, off + len))));
      default -> throw new IllegalStateException("SORT of " + value.getClass().getSimpleName());
    }
    return items.toArray(new Item[0]);
  }

  /**
   * {@code rangelen} elements of a list or sorted set from position {@code start} of its order,
   * or of the reversed order when {@code desc} (SORT ... BY constant, where nothing is sorted).
   */
  private static Item[] loadRange(Object value, long start, long rangelen, boolean desc) {
    Item[] items = new Item[(int) Math.max(0, rangelen)];
    if (items.length == 0) return items;
    if (value instanceof ListValue l) {
      ListValue.Cursor c = l.cursor(desc ? l.size() - start - 1 : start, !desc);
      for (int j = 0; j < items.length && c.next(); j++) items[j] = new Item(c.element());
    } else {
      ZSetValue z = (ZSetValue) value;
      ZSetValue.Cursor c = z.atRank(desc ? z.size() - 1 - start : start);
      for (int j = 0; j < items.length; j++) {
        items[j] = new Item(c.member().clone());
        c.step(desc);
      }
    }
    return items;
  }

  /**
   * Sets the numeric score from {@code byval} as Redis's strtod check does; false when it is
   * not a number (the score stays 0).
   */
  private static boolean score(Item it, byte[] byval) {
    Doubles.Scan scan = new Doubles.Scan();
    Doubles.strtod(byval, 0, byval.length, scan);
    it.score = scan.value;
    boolean consumed = scan.end == byval.length || byval[scan.end] == 0;
    return consumed && !scan.rangeError && !Double.isNaN(scan.value);
  }

  /** Redis's sortCompare for the options of this call. */
  private static Comparator<Item> comparator(
      boolean alpha, boolean byPattern, boolean store, boolean desc) {
    Comparator<Item> cmp;
    if (!alpha) {
      cmp =
          (a, b) -> {
            if (a.score > b.score) return 1;
            if (a.score < b.score) return -1;
            return Arrays.compareUnsigned(a.obj, b.obj);
          };
    } else if (byPattern) {
      cmp =
          (a, b) -> {
            if (a.cmp == null || b.cmp == null) {
              if (a.cmp == b.cmp) return 0;
              return a.cmp == null ? -1 : 1;
            }
            return store ? Arrays.compareUnsigned(a.cmp, b.cmp) : collate(a.cmp, b.cmp);
          };
    } else {
      cmp = (a, b) -> store ? Arrays.compareUnsigned(a.obj, b.obj) : collate(a.obj, b.obj);
    }
    return desc ? cmp.reversed() : cmp;
  }

  /** strcoll in the C locale: unsigned bytes, each string ending at its first NUL. */
  static int collate(byte[] a, byte[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      int x = a[i] & 0xff;
      int y = b[i] & 0xff;
      if (x != y) return x - y;
      if (x == 0) return 0;
    }
    int x = a.length > n ? a[n] & 0xff : 0;
    int y = b.length > n ? b[n] & 0xff : 0;
    return x - y;
  }

  // ---- patterns

  /** The index of {@code ch} in {@code b} from {@code from}, stopping at a NUL (strchr). */
  private static int indexOf(byte[] b, byte ch, int from) {
    for (int i = from; i < b.length && b[i] != 0; i++) if (b[i] == ch) return i;
    return -1;
  }

  /** The index of "->" in {@code b} from {@code from}, stopping at a NUL (strstr). */
  private static int arrowAt(byte[] b, int from) {
    for (int i = from; i + 1 < b.length && b[i] != 0; i++) {
      if (b[i] == '-' && b[i + 1] == '>') return i;
    }
    return -1;
  }

  /**
   * The value a GET or BY pattern names for element {@code subst}, as Redis's lookupKeyByPattern:
   * "#" is the element itself; otherwise the first '*' is replaced by the element and the key read
   * (a string), or, with "->field" after the '*', the field of the hash at that key. Null when
   * there is no '*', the key is missing or of another type, or the field is missing.
   */
  static byte[] lookupByPattern(Client c, byte[] pattern, byte[] subst) {
    if (pattern.length >= 1 && pattern[0] == '#' && (pattern.length == 1 || pattern[1] == 0)) {
      return subst;
    }
    int p = indexOf(pattern, (byte) '*', 0);
    if (p < 0) return null;
    int f = arrowAt(pattern, p + 1);
    int fieldlen = 0;
    if (f >= 0 && f + 2 < pattern.length && pattern[f + 2] != 0) {
      fieldlen = pattern.length - f - 2;
    }
    int postfixlen = pattern.length - (p + 1) - (fieldlen > 0 ? fieldlen + 2 : 0);
    byte[] key = new byte[p + subst.length + postfixlen];
    System.arraycopy(pattern, 0, key, 0, p);
    System.arraycopy(subst, 0, key, p, subst.length);
    System.arraycopy(pattern, p + 1, key, p + subst.length, postfixlen);
    Object e = c.server().keyspace().lookupRead(c.db(), key, c.noTouch());
    if (e == null) return null;
    if (fieldlen > 0) {
      if (Entries.type(e) != ValueType.HASH) return null;
      byte[] field = Arrays.copyOfRange(pattern, pattern.length - fieldlen, pattern.length);
      return ((HashValue) Entries.boxedValue(e)).get(field);
    }
    if (Entries.type(e) != ValueType.STRING) return null;
    return Entries.stringValue(e);
  }

  // ---- STORE

  /**
   * Stores the result as a list (Redis's setKey: the destination's TTL goes) with event
   * "sortstore", or deletes the destination when the result is empty.
   */
  private static void store(Client c, byte[] key, List<byte[]> elements) {
    Database db = c.db();
    KeyspaceEvents ev = c.server().events();
    if (elements.isEmpty()) {
      if (db.remove(key) != null) {
        ev.signalModified(c, db, key);
        ev.notify(GENERIC, "del", key, db.id());
        c.server().incrDirty(1);
      }
      return;
    }
    var config = c.server().config();
    ListValue list =
        new ListValue(
            config.getInt(ConfigParams.LIST_MAX_LISTPACK_SIZE),
            config.getInt(ConfigParams.LIST_COMPRESS_DEPTH));
    for (byte[] element : elements) list.pushTail(element);
    Keyspace ks = c.server().keyspace();
    boolean existed = ks.lookupWrite(db, key) != null;
    db.setValue(key, ValueType.LIST, 0, list, Database.NO_EXPIRE, ks.initialLru());
    if (!existed) ev.keyCreated(c, db, key);
    ev.signalModified(c, db, key);
    ev.notify(LIST, "sortstore", key, db.id());
    c.server().incrDirty(elements.size());
  }
}
