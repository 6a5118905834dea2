package io.redstart.command.set;

import static io.redstart.config.KeyspaceEventFlags.GENERIC;
import static io.redstart.config.KeyspaceEventFlags.SET;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.command.collection.ReplyGuard;
import io.redstart.command.collection.ScanOptions;
import io.redstart.command.keys.KeyCommands;
import io.redstart.config.ConfigParams;
import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.KeyspaceEvents;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import io.redstart.types.ValueType;
import io.redstart.types.set.SetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The set commands of Redis 7.0 (t_set.c), over {@link SetValue}. Replies (RESP3 sets where
 * Redis sends them), errors, keyspace events and their order, dirty counts and propagation are
 * Redis's: SPOP is propagated as SREM of the popped members (one SREM per member, wrapped in
 * MULTI/EXEC by the propagator when there are several), or as DEL when it empties the set.
 */
public final class SetCommands {
  private SetCommands() {}

  private static final byte[] SREM_NAME = Args.bytes("SREM");
  private static final byte[] DEL_NAME = Args.bytes("DEL");

  /** SPOP with a count rebuilds the set when fewer than count/5 members would remain. */
  private static final long SPOP_MOVE_STRATEGY_MUL = 5;

  static long maxIntsetEntries(Client c) {
    return c.server().config().getLong(ConfigParams.SET_MAX_INTSET_ENTRIES);
  }

  /** A visitor writing each member as a bulk string. */
  static SetValue.MemberVisitor writer(RespWriter w) {
    return new SetValue.MemberVisitor() {
      @Override
      public void member(byte[] b, int off, int len) {
        w.bulk(b, off, len);
      }

      @Override
      public void integer(long v) {
        w.bulkLong(v);
      }
    };
  }

  // ---- lookups

  /**
   * The set at {@code key} for reading, or null after replying: {@code missing} when there is no
   * such key, WRONGTYPE when it holds another type.
   */
  static SetValue readOrReply(Client c, byte[] key, Consumer<RespWriter> missing) {
    Object e = c.server().keyspace().lookupRead(c.db(), key, c.noTouch());
    if (e == null) {
      missing.accept(c.reply());
      return null;
    }
    if (Entries.type(e) != ValueType.SET) {
      c.error(Errors.WRONGTYPE);
      return null;
    }
    return (SetValue) Entries.boxedValue(e);
  }

  /** As {@link #readOrReply}, with the write lookup (no hit/miss counting). */
  private static SetValue writeOrReply(Client c, byte[] key, Consumer<RespWriter> missing) {
    Object e = c.server().keyspace().lookupWrite(c.db(), key);
    if (e == null) {
      missing.accept(c.reply());
      return null;
    }
    if (Entries.type(e) != ValueType.SET) {
      c.error(Errors.WRONGTYPE);
      return null;
    }
    return (SetValue) Entries.boxedValue(e);
  }

  /** Stores a new set under {@code key} and fires "new" (Redis's dbAdd). */
  private static void addKey(Client c, byte[] key, SetValue s) {
    Database db = c.db();
    db.setValue(key, ValueType.SET, 0, s, Database.NO_EXPIRE, c.server().keyspace().initialLru());
    c.server().events().keyCreated(c, db, key);
  }

  // ---- SADD, SREM, SMOVE

  public static void sadd(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    byte[] key = argv[1];
    Object e = ks.lookupWrite(db, key);
    if (e != null && Entries.type(e) != ValueType.SET) {
      c.error(Errors.WRONGTYPE);
      return;
    }
    SetValue s = e == null ? SetValue.forMember(argv[2]) : (SetValue) Entries.boxedValue(e);
    long before = e == null ? 0 : s.memoryUsage();
    long max = maxIntsetEntries(c);
    long added = 0;
    for (int j = 2; j < argv.length; j++) {
      if (s.add(argv[j], max)) added++;
    }
    if (e == null) {
      addKey(c, key, s);
    } else {
      db.adjustUsedBytes(s.memoryUsage() - before);
    }
    if (added > 0) {
      KeyspaceEvents ev = c.server().events();
      ev.signalModified(c, db, key);
      ev.notify(SET, "sadd", key, db.id());
    }
    c.server().incrDirty(added);
    c.reply().integer(added);
  }

  public static void srem(Client c, byte[][] argv) {
    byte[] key = argv[1];
    SetValue s = writeOrReply(c, key, w -> w.integer(0));
    if (s == null) return;
    Database db = c.db();
    long before = s.memoryUsage();
    long deleted = 0;
    for (int j = 2; j < argv.length; j++) {
      if (s.remove(argv[j])) {
        deleted++;
        if (s.size() == 0) break;
      }
    }
    db.adjustUsedBytes(s.memoryUsage() - before);
    if (deleted > 0) {
      boolean removed = s.size() == 0;
      if (removed) db.remove(key);
      KeyspaceEvents ev = c.server().events();
      ev.signalModified(c, db, key);
      ev.notify(SET, "srem", key, db.id());
      if (removed) ev.notify(GENERIC, "del", key, db.id());
      c.server().incrDirty(deleted);
    }
    c.reply().integer(deleted);
  }

  public static void smove(Client c, byte[][] argv) {
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    byte[] src = argv[1];
    byte[] dst = argv[2];
    byte[] member = argv[3];
    Object se = ks.lookupWrite(db, src);
    Object de = ks.lookupWrite(db, dst);
    if (se == null) {
      c.reply().integer(0);
      return;
    }
    if (Entries.type(se) != ValueType.SET || (de != null && Entries.type(de) != ValueType.SET)) {
      c.error(Errors.WRONGTYPE);
      return;
    }
    SetValue from = (SetValue) Entries.boxedValue(se);
    SetValue to = de == null ? null : (SetValue) Entries.boxedValue(de);
    if (from == to) {
      c.reply().integer(from.contains(member) ? 1 : 0);
      return;
    }
    long before = from.memoryUsage();
    if (!from.remove(member)) {
      c.reply().integer(0);
      return;
    }
    db.adjustUsedBytes(from.memoryUsage() - before);
    KeyspaceEvents ev = c.server().events();
    ev.notify(SET, "srem", src, db.id());
    if (from.size() == 0) {
      db.remove(src);
      ev.notify(GENERIC, "del", src, db.id());
    }
    long max = maxIntsetEntries(c);
    boolean added;
    if (to == null) {
      to = SetValue.forMember(member);
      added = to.add(member, max);
      addKey(c, dst, to);
    } else {
      long dstBefore = to.memoryUsage();
      added = to.add(member, max);
      db.adjustUsedBytes(to.memoryUsage() - dstBefore);
    }
    ev.signalModified(c, db, src);
    c.server().incrDirty(1);
    if (added) {
      c.server().incrDirty(1);
      ev.signalModified(c, db, dst);
      ev.notify(SET, "sadd", dst, db.id());
    }
    c.reply().integer(1);
  }

  // ---- membership and size

  public static void sismember(Client c, byte[][] argv) {
    SetValue s = readOrReply(c, argv[1], w -> w.integer(0));
    if (s == null) return;
    c.reply().integer(s.contains(argv[2]) ? 1 : 0);
  }

  public static void smismember(Client c, byte[][] argv) {
    Object e = c.server().keyspace().lookupRead(c.db(), argv[1], c.noTouch());
    if (e != null && Entries.type(e) != ValueType.SET) {
      c.error(Errors.WRONGTYPE);
      return;
    }
    SetValue s = e == null ? null : (SetValue) Entries.boxedValue(e);
    RespWriter w = c.reply();
    w.array(argv.length - 2);
    for (int j = 2; j < argv.length; j++) w.integer(s != null && s.contains(argv[j]) ? 1 : 0);
  }

  public static void scard(Client c, byte[][] argv) {
    SetValue s = readOrReply(c, argv[1], w -> w.integer(0));
    if (s == null) return;
    c.reply().integer(s.size());
  }

  // ---- SPOP, SRANDMEMBER

  public static void spop(Client c, byte[][] argv) {
    if (argv.length == 3) {
      spopWithCount(c, argv);
      return;
    } else if (argv.length > 3) {
      c.error(Errors.SYNTAX);
      return;
    }
    byte[] key = argv[1];
    SetValue s = writeOrReply(c, key, RespWriter::nullBulk);
    if (s == null) return;
    Database db = c.db();
    long before = s.memoryUsage();
    byte[] member = s.popRandom(c.server().keyspace().random());
    db.adjustUsedBytes(s.memoryUsage() - before);
    KeyspaceEvents ev = c.server().events();
    ev.notify(SET, "spop", key, db.id());
    c.server().dispatcher().propagateAs(new byte[][] {SREM_NAME, key, member});
    c.reply().bulk(member);
    if (s.size() == 0) {
      db.remove(key);
      ev.notify(GENERIC, "del", key, db.id());
    }
    ev.signalModified(c, db, key);
    c.server().incrDirty(1);
  }

  /**
   * SPOP key count, with Redis's three strategies: the whole set (then DEL), members popped one
   * by one when many remain, or the set rebuilt from the few members that remain. Each popped
   * member is propagated as its own SREM.
   */
  private static void spopWithCount(Client c, byte[][] argv) {
    if (!positiveLongOrReply(c, argv[2], Errors.OUT_OF_RANGE_POSITIVE)) return;
    long count = Args.toLong(argv[2]);
    byte[] key = argv[1];
    SetValue s = writeOrReply(c, key, w -> w.set(0));
    if (s == null) return;
    if (count == 0) {
      c.reply().set(0);
      return;
    }
    Database db = c.db();
    KeyspaceEvents ev = c.server().events();
    long size = s.size();
    ev.notify(SET, "spop", key, db.id());
    c.server().incrDirty(Math.min(count, size));
    if (count >= size) {
      // Redis replies through SUNION of the key: a read lookup (a keyspace hit) and a new set.
      c.server().keyspace().lookupRead(db, key, c.noTouch());
      RespWriter w = c.reply();
      w.set(size);
      s.forEach(writer(w));
      db.remove(key);
      ev.notify(GENERIC, "del", key, db.id());
      c.server().dispatcher().propagateAs(new byte[][] {DEL_NAME, key});
      ev.signalModified(c, db, key);
      return;
    }
    RandomGenerator random = c.server().keyspace().random();
    RespWriter w = c.reply();
    w.set(count);
    long remaining = size - count;
    long before = s.memoryUsage();
    int dbIndex = c.dbIndex();
    var propagator = c.server().propagator();
    if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
      for (long i = 0; i < count; i++) {
        byte[] m = s.popRandom(random);
        w.bulk(m);
        propagator.add(dbIndex, new byte[][] {SREM_NAME, key, m});
      }
    } else {
      SetValue popped = s.keepRandom(random, (int) remaining, maxIntsetEntries(c));
      popped.forEach(
          new SetValue.MemberVisitor() {
            @Override
            public void member(byte[] b, int off, int len) {
              byte[] m = Arrays.copyOfRange(b, off, off + len);
              w.bulk(m);
              propagator.add(dbIndex, new byte[][] {SREM_NAME, key, m});
            }

            @Override
            public void integer(long v) {
              byte[] m = Numbers.toBytes(v);
              w.bulk(m);
              propagator.add(dbIndex, new byte[][] {SREM_NAME, key, m});
            }
          });
    }
    db.adjustUsedBytes(s.memoryUsage() - before);
    c.server().dispatcher().preventPropagation();
    ev.signalModified(c, db, key);
  }

  public static void srandmember(Client c, byte[][] argv) {
    if (argv.length == 3) {
      srandmemberWithCount(c, argv);
      return;
    } else if (argv.length > 3) {
      c.error(Errors.SYNTAX);
      return;
    }
    SetValue s = readOrReply(c, argv[1], RespWriter::nullBulk);
    if (s == null) return;
    s.randomMember(c.server().keyspace().random(), writer(c.reply()));
  }

  /**
   * SRANDMEMBER key count: a negative count samples with repetition (bounded by {@link
   * ReplyGuard}), a positive one returns distinct members, all of them when the count reaches the
   * size.
   */
  private static void srandmemberWithCount(Client c, byte[][] argv) {
    if (!Args.isLongInRangeOrReply(c, argv[2], -Long.MAX_VALUE, Long.MAX_VALUE)) return;
    long l = Args.toLong(argv[2]);
    boolean unique = l >= 0;
    long count = unique ? l : -l;
    SetValue s = readOrReply(c, argv[1], RespWriter::emptyArray);
    if (s == null) return;
    if (count == 0) {
      c.reply().emptyArray();
      return;
    }
    RandomGenerator random = c.server().keyspace().random();
    RespWriter w = c.reply();
    if (!unique || count == 1) {
      w.array(count);
      s.randomMembers(random, count, writer(w), ReplyGuard.stopper(c));
      return;
    }
    long size = s.size();
    if (count >= size) {
      w.array(size);
      s.forEach(writer(w));
      return;
    }
    w.array(count);
    s.randomDistinctMembers(random, (int) count, writer(w));
  }

  // ---- SINTER, SMEMBERS, SINTERCARD, SINTERSTORE

  public static void smembers(Client c, byte[][] argv) {
    sinterGeneric(c, argv, 1, 1, null, false, 0);
  }

  public static void sinter(Client c, byte[][] argv) {
    sinterGeneric(c, argv, 1, argv.length - 1, null, false, 0);
  }

  public static void sinterstore(Client c, byte[][] argv) {
    sinterGeneric(c, argv, 2, argv.length - 2, argv[1], false, 0);
  }

  /** SINTERCARD numkeys key [key ...] [LIMIT limit]. */
  public static void sintercard(Client c, byte[][] argv) {
    if (!Numbers.isLong(argv[1]) || Args.toLong(argv[1]) < 1) {
      c.error(Errors.NUMKEYS_NOT_POSITIVE);
      return;
    }
    long numkeys = Args.toLong(argv[1]);
    if (numkeys > argv.length - 2) {
      c.error(Errors.NUMKEYS_TOO_MANY);
      return;
    }
    long limit = 0;
    for (int j = 2 + (int) numkeys; j < argv.length; j++) {
      int more = argv.length - 1 - j;
      if (Args.is(argv[j], "limit") && more > 0) {
        j++;
        if (!positiveLongOrReply(c, argv[j], Errors.LIMIT_NEGATIVE)) return;
        limit = Args.toLong(argv[j]);
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    sinterGeneric(c, argv, 2, (int) numkeys, null, true, limit);
  }

  /** Checks a non-negative integer, else replies {@code error} (not a number or negative). */
  private static boolean positiveLongOrReply(Client c, byte[] arg, String error) {
    if (Numbers.isLong(arg) && Numbers.parseLong(arg) >= 0) return true;
    c.error(error);
    return false;
  }

  /**
   * The sets named by {@code argv[from .. from+n)}, read with the read lookup; null entries for
   * missing keys. Returns null after replying WRONGTYPE.
   */
  private static SetValue[] lookupSetsOrReply(Client c, byte[][] argv, int from, int n) {
    Keyspace ks = c.server().keyspace();
    SetValue[] sets = new SetValue[n];
    for (int j = 0; j < n; j++) {
      Object e = ks.lookupRead(c.db(), argv[from + j], c.noTouch());
      if (e == null) continue;
      if (Entries.type(e) != ValueType.SET) {
        c.error(Errors.WRONGTYPE);
        return null;
      }
      sets[j] = (SetValue) Entries.boxedValue(e);
    }
    return sets;
  }

  /**
   * SINTER and friends: iterates the smallest set and keeps members found in every other set.
   * Replies the members (a set), their count (SINTERCARD, stopping at {@code limit} when not 0),
   * or stores them in {@code dst}.
   */
  private static void sinterGeneric(
      Client c, byte[][] argv, int from, int n, byte[] dst, boolean cardinalityOnly, long limit) {
    SetValue[] sets = lookupSetsOrReply(c, argv, from, n);
    if (sets == null) return;
    for (SetValue s : sets) {
      if (s != null) continue;
      if (dst != null) {
        deleteDestination(c, dst);
        c.reply().integer(0);
      } else if (cardinalityOnly) {
        c.reply().integer(0);
      } else {
        c.reply().set(0);
      }
      return;
    }
    Arrays.sort(sets, Comparator.comparingInt(SetValue::size));
    SetValue first = sets[0];
    Membership inAll = new Membership(sets);
    long max = maxIntsetEntries(c);
    if (cardinalityOnly) {
      long cardinality = 0;
      for (int p = first.firstPosition(); p >= 0; p = first.nextPosition(p)) {
        first.visitAt(p, inAll);
        if (!inAll.found) continue;
        cardinality++;
        if (limit != 0 && cardinality >= limit) break;
      }
      c.reply().integer(cardinality);
      return;
    }
    if (dst != null) {
      SetValue result = SetValue.newIntset();
      for (int p = first.firstPosition(); p >= 0; p = first.nextPosition(p)) {
        first.visitAt(p, inAll);
        if (inAll.found) inAll.addTo(result, max);
      }
      storeResult(c, dst, result, "sinterstore");
      return;
    }
    // Replied in the first set's order, as Redis does.
    List<byte[]> members = new ArrayList<>();
    for (int p = first.firstPosition(); p >= 0; p = first.nextPosition(p)) {
      first.visitAt(p, inAll);
      if (inAll.found) members.add(inAll.copy());
    }
    RespWriter w = c.reply();
    w.set(members.size());
    for (byte[] m : members) w.bulk(m);
  }

  /**
   * Checks the visited member of the first set against the other sets; remembers it so that
   * {@link #addTo} can copy it.
   */
  private static final class Membership implements SetValue.MemberVisitor {
    private final SetValue[] sets;
    boolean found;
    private boolean isInt;
    private long intValue;
    private byte[] b;
    private int off;
    private int len;

    Membership(SetValue[] sets) {
      this.sets = sets;
    }

    @Override
    public void member(byte[] b, int off, int len) {
      isInt = false;
      this.b = b;
      this.off = off;
      this.len = len;
      found = true;
      for (int j = 1; j < sets.length; j++) {
        if (sets[j] == sets[0]) continue;
        if (!sets[j].contains(b, off, len)) {
          found = false;
          return;
        }
      }
    }

    @Override
    public void integer(long v) {
      isInt = true;
      intValue = v;
      found = true;
      for (int j = 1; j < sets.length; j++) {
        if (sets[j] == sets[0]) continue;
        if (!sets[j].containsInteger(v)) {
          found = false;
          return;
        }
      }
    }

    byte[] copy() {
      return isInt ? Numbers.toBytes(intValue) : Arrays.copyOfRange(b, off, off + len);
    }

    void addTo(SetValue result, long max) {
      if (isInt) {
        result.addInteger(intValue, max);
      } else {
        result.add(b, off, len, max);
      }
    }
  }

  /** Stores a non-empty result (Redis's setKey: TTL removed) or deletes the destination. */
  private static void storeResult(Client c, byte[] dst, SetValue result, String event) {
    if (result.size() == 0) {
      c.reply().integer(0);
      deleteDestination(c, dst);
      return;
    }
    Keyspace ks = c.server().keyspace();
    Database db = c.db();
    boolean existed = ks.lookupWrite(db, dst) != null;
    db.setValue(dst, ValueType.SET, 0, result, Database.NO_EXPIRE, ks.initialLru());
    KeyspaceEvents ev = c.server().events();
    if (!existed) ev.keyCreated(c, db, dst);
    ev.signalModified(c, db, dst);
    c.reply().integer(result.size());
    ev.notify(SET, event, dst, db.id());
    c.server().incrDirty(1);
  }

  /** Deletes a STORE destination that gets an empty result ("del" if it existed). */
  private static void deleteDestination(Client c, byte[] dst) {
    Database db = c.db();
    if (db.remove(dst) != null) {
      KeyspaceEvents ev = c.server().events();
      ev.signalModified(c, db, dst);
      ev.notify(GENERIC, "del", dst, db.id());
      c.server().incrDirty(1);
    }
  }

  // ---- SUNION, SDIFF and their STORE forms

  public static void sunion(Client c, byte[][] argv) {
    sunionDiffGeneric(c, argv, 1, argv.length - 1, null, false);
  }

  public static void sunionstore(Client c, byte[][] argv) {
    sunionDiffGeneric(c, argv, 2, argv.length - 2, argv[1], false);
  }

  public static void sdiff(Client c, byte[][] argv) {
    sunionDiffGeneric(c, argv, 1, argv.length - 1, null, true);
  }

  public static void sdiffstore(Client c, byte[][] argv) {
    sunionDiffGeneric(c, argv, 2, argv.length - 2, argv[1], true);
  }

  /**
   * SUNION and SDIFF: builds the result as a new set (an intset until a member or the count says
   * otherwise) and replies it (a set) or stores it. SDIFF picks Redis's cheaper algorithm:
   * checking each member of the first set against the others, or adding the first set and
   * removing the others.
   */
  private static void sunionDiffGeneric(
      Client c, byte[][] argv, int from, int n, byte[] dst, boolean diff) {
    SetValue[] sets = lookupSetsOrReply(c, argv, from, n);
    if (sets == null) return;
    boolean sameSet = false;
    for (int j = 1; j < n; j++) if (sets[j] != null && sets[j] == sets[0]) sameSet = true;
    long max = maxIntsetEntries(c);
    SetValue result = SetValue.newIntset();
    if (!diff) {
      for (SetValue s : sets) if (s != null) addAll(result, s, max);
    } else if (sets[0] != null && !sameSet) {
      long algoOne = 0;
      long algoTwo = 0;
      for (SetValue s : sets) {
        if (s == null) continue;
        algoOne += sets[0].size();
        algoTwo += s.size();
      }
      algoOne /= 2;
      if (algoOne <= algoTwo) {
        SetValue[] others = Arrays.copyOfRange(sets, 1, n);
        Arrays.sort(
            others, Comparator.comparingInt((SetValue s) -> s == null ? 0 : s.size()).reversed());
        diffByLookup(sets[0], others, result, max);
      } else {
        addAll(result, sets[0], max);
        for (int j = 1; j < n && result.size() > 0; j++) {
          if (sets[j] != null) removeAll(result, sets[j]);
        }
      }
    }
    if (dst != null) {
      storeResult(c, dst, result, diff ? "sdiffstore" : "sunionstore");
    } else {
      RespWriter w = c.reply();
      w.set(result.size());
      result.forEach(writer(w));
    }
  }

  private static void addAll(SetValue into, SetValue from, long max) {
    from.forEach(
        new SetValue.MemberVisitor() {
          @Override
          public void member(byte[] b, int off, int len) {
            into.add(b, off, len, max);
          }

          @Override
          public void integer(long v) {
            into.addInteger(v, max);
          }
        });
  }

  private static void removeAll(SetValue from, SetValue members) {
    members.forEach(
        new SetValue.MemberVisitor() {
          @Override
          public void member(byte[] b, int off, int len) {
            from.remove(off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len));
          }

          @Override
          public void integer(long v) {
            from.remove(Numbers.toBytes(v));
          }
        });
  }

  /** SDIFF's first algorithm: members of {@code first} found in none of {@code others}. */
  private static void diffByLookup(SetValue first, SetValue[] others, SetValue result, long max) {
    first.forEach(
        new SetValue.MemberVisitor() {
          @Override
          public void member(byte[] b, int off, int len) {
            for (SetValue s : others) {
              if (s == null) continue;
              if (s == first || s.contains(b, off, len)) return;
            }
            result.add(b, off, len, max);
          }

          @Override
          public void integer(long v) {
            for (SetValue s : others) {
              if (s == null) continue;
              if (s == first || s.containsInteger(v)) return;
            }
            result.addInteger(v, max);
          }
        });
  }

  // ---- SSCAN

  /** SSCAN key cursor [MATCH pattern] [COUNT count]. */
  public static void sscan(Client c, byte[][] argv) {
    Long cursor = KeyCommands.parseCursor(argv[2]);
    if (cursor == null) {
      c.error(Errors.INVALID_CURSOR);
      return;
    }
    SetValue s = readOrReply(c, argv[1], w -> ScanOptions.replyEmpty(c));
    if (s == null) return;
    ScanOptions o = ScanOptions.parseOrReply(c, argv, 3);
    if (o == null) return;
    List<byte[]> out = new ArrayList<>();
    long next =
        s.scan(
            cursor,
            o.count(),
            (b, off, len) -> {
              if (o.matches(b, off, len)) out.add(Arrays.copyOfRange(b, off, off + len));
            });
    RespWriter w = c.reply();
    w.array(2);
    w.bulkLong(next);
    w.array(out.size());
    for (byte[] m : out) w.bulk(m);
  }
}
