package io.redstart.command.zset;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.store.Entries;
import io.redstart.types.ValueType;
import io.redstart.types.zset.ZSetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Sorted-set algebra of Redis 7.0 (zunionInterDiffGenericCommand): ZUNION, ZINTER, ZDIFF, their
 * STORE forms and ZINTERCARD. Inputs may be sorted sets or sets (members of a set score 1); WEIGHTS
 * multiply each input's scores, AGGREGATE SUM|MIN|MAX combines a member's scores, and a sum of +inf
 * and -inf (or a weight of 0 times an infinite score) counts as 0, as in Redis.
 *
 * <p>Inputs are taken smallest first for union and intersection (a stable sort, as glibc's qsort is
 * a merge sort), which decides the order in which a member's scores are added: floating-point sums
 * depend on it. Handlers run on the keyspace thread.
 */
public final class ZSetOpCommands {
  private ZSetOpCommands() {}

  static final String WEIGHT_NOT_FLOAT = "ERR weight value is not a float";
  static final String LIMIT_NEGATIVE = "ERR LIMIT can't be negative";

  private enum Op {
    UNION,
    INTER,
    DIFF
  }

  private static final int SUM = 0;
  private static final int MIN = 1;
  private static final int MAX = 2;

  public static void zunion(Client c, byte[][] argv) {
    generic(c, argv, null, 1, Op.UNION, false);
  }

  public static void zunionstore(Client c, byte[][] argv) {
    generic(c, argv, argv[1], 2, Op.UNION, false);
  }

  public static void zinter(Client c, byte[][] argv) {
    generic(c, argv, null, 1, Op.INTER, false);
  }

  public static void zinterstore(Client c, byte[][] argv) {
    generic(c, argv, argv[1], 2, Op.INTER, false);
  }

  public static void zintercard(Client c, byte[][] argv) {
    generic(c, argv, null, 1, Op.INTER, true);
  }

  public static void zdiff(Client c, byte[][] argv) {
    generic(c, argv, null, 1, Op.DIFF, false);
  }

  public static void zdiffstore(Client c, byte[][] argv) {
    generic(c, argv, argv[1], 2, Op.DIFF, false);
  }

  /**
   * One input: a sorted set, a set, or nothing (a missing key). {@code value} identifies the stored
   * object, so that an input named twice is recognised as the same.
   */
  private static final class Source {
    final ZSetValue zset;
    final SetSources.Members set;
    final Object value;
    double weight = 1.0;

    Source(ZSetValue zset, SetSources.Members set, Object value) {
      this.zset = zset;
      this.set = set;
      this.value = value;
    }

    long size() {
      if (zset != null) return zset.size();
      return set != null ? set.size() : 0;
    }

    /** The member's score in this input (1 for a set member), or NaN when absent. */
    double find(byte[] member) {
      if (zset != null) return zset.score(member);
      if (set != null) return set.contains(member) ? 1.0 : Double.NaN;
      return Double.NaN;
    }

    /**
     * Visits the members with their (unweighted) scores: a sorted set from its highest score down,
     * as Redis's iterator walks it.
     */
    void forEach(ZSetValue.PairVisitor v) {
      if (zset != null) {
        zset.forEach(true, v);
      } else if (set != null) {
        set.forEach(m -> v.visit(m, 0, m.length, 1.0));
      }
    }
  }

  private static void generic(
      Client c, byte[][] argv, byte[] dst, int numkeysIdx, Op op, boolean cardinalityOnly) {
    Long setnum = ZSets.longOrReply(c, argv[numkeysIdx], null);
    if (setnum == null) return;
    if (setnum < 1) {
      c.error(
          "ERR at least 1 input key is needed for '" + c.currentCommand().fullName + "' command");
      return;
    }
    if (setnum > argv.length - (numkeysIdx + 1)) {
      c.error(Errors.SYNTAX);
      return;
    }
    int n = (int) (long) setnum;
    Source[] src = new Source[n];
    int j = numkeysIdx + 1;
    for (int i = 0; i < n; i++, j++) {
      Object e = ZSets.lookupRead(c, argv[j]);
      if (e == null) {
        src[i] = new Source(null, null, null);
      } else if (Entries.type(e) == ValueType.ZSET) {
        ZSetValue z = ZSets.value(e);
        src[i] = new Source(z, null, z);
      } else if (Entries.type(e) == ValueType.SET) {
        Object v = Entries.boxedValue(e);
        src[i] = new Source(null, SetSources.of(v), v);
      } else {
        c.error(Errors.WRONGTYPE);
        return;
      }
    }
    int aggregate = SUM;
    boolean withScores = false;
    long limit = 0;
    int remaining = argv.length - j;
    while (remaining > 0) {
      if (op != Op.DIFF && !cardinalityOnly && remaining >= n + 1 && Args.is(argv[j], "weights")) {
        j++;
        remaining--;
        for (int i = 0; i < n; i++, j++, remaining--) {
          double w = ZSets.doubleOrReply(c, argv[j], WEIGHT_NOT_FLOAT);
          if (Double.isNaN(w)) return;
          src[i].weight = w;
        }
      } else if (op != Op.DIFF
          && !cardinalityOnly
          && remaining >= 2
          && Args.is(argv[j], "aggregate")) {
        j++;
        remaining--;
        if (Args.is(argv[j], "sum")) {
          aggregate = SUM;
        } else if (Args.is(argv[j], "min")) {
          aggregate = MIN;
        } else if (Args.is(argv[j], "max")) {
          aggregate = MAX;
        } else {
          c.error(Errors.SYNTAX);
          return;
        }
        j++;
        remaining--;
      } else if (dst == null && !cardinalityOnly && Args.is(argv[j], "withscores")) {
        j++;
        remaining--;
        withScores = true;
      } else if (cardinalityOnly && remaining >= 2 && Args.is(argv[j], "limit")) {
        j++;
        remaining--;
        Long l = ZSets.positiveLongOrReply(c, argv[j], LIMIT_NEGATIVE);
        if (l == null) return;
        limit = l;
        j++;
        remaining--;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    if (op != Op.DIFF) Arrays.sort(src, Comparator.comparingLong(Source::size));
    ZSetValue result = ZSetValue.newSkiplist();
    long cardinality = 0;
    switch (op) {
      case INTER -> cardinality = inter(src, aggregate, cardinalityOnly, limit, result);
      case UNION -> union(src, aggregate, result);
      default -> diff(src, result);
    }
    if (cardinalityOnly) {
      c.reply().integer(cardinality);
      return;
    }
    if (dst != null) {
      if (result.size() > 0) {
        result.convertToListpackIfFits(ZSets.limits(c));
        String event =
            switch (op) {
              case UNION -> "zunionstore";
              case INTER -> "zinterstore";
              default -> "zdiffstore";
            };
        ZSets.storeResult(c, dst, result, event, 1);
        c.reply().integer(result.size());
      } else {
        c.reply().integer(0);
        ZSets.deleteResult(c, dst);
      }
      return;
    }
    RespWriter w = c.reply();
    boolean resp3 = c.protocol() > 2;
    boolean scores = withScores;
    long size = result.size();
    w.array(scores && !resp3 ? size * 2 : size);
    result.forEach(
        false,
        (m, off, len, score) -> {
          if (scores && resp3) w.array(2);
          w.bulk(m, off, len);
          if (scores) w.doubleValue(score);
        });
  }

  /** Redis's zunionInterAggregate. */
  private static double aggregate(double target, double value, int aggregate) {
    return switch (aggregate) {
      case SUM -> {
        double s = target + value;
        yield Double.isNaN(s) ? 0.0 : s;
      }
      case MIN -> value < target ? value : target;
      default -> value > target ? value : target;
    };
  }

  private static long inter(
      Source[] src, int aggregate, boolean cardinalityOnly, long limit, ZSetValue result) {
    if (src[0].size() == 0) return 0;
    long[] cardinality = {0};
    boolean[] stop = {false};
    Source first = src[0];
    List<byte[]> members = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    first.forEach(
        (m, off, len, s) -> {
          if (stop[0]) return;
          byte[] member = Arrays.copyOfRange(m, off, off + len);
          double score = first.weight * s;
          if (Double.isNaN(score)) score = 0;
          for (int j = 1; j < src.length; j++) {
            double value;
            if (src[j].value == first.value) {
              value = s * src[j].weight;
            } else {
              double found = src[j].find(member);
              if (Double.isNaN(found)) return;
              value = found * src[j].weight;
            }
            score = aggregate(score, value, aggregate);
          }
          if (cardinalityOnly) {
            cardinality[0]++;
            if (limit != 0 && cardinality[0] >= limit) stop[0] = true;
          } else {
            members.add(member);
            scores.add(score);
          }
        });
    for (int i = 0; i < members.size(); i++) result.insertNew(members.get(i), scores.get(i));
    return cardinality[0];
  }

  private static void union(Source[] src, int aggregate, ZSetValue result) {
    for (Source s : src) {
      if (s.size() == 0) continue;
      List<byte[]> members = new ArrayList<>();
      List<Double> scores = new ArrayList<>();
      s.forEach(
          (m, off, len, score) -> {
            members.add(Arrays.copyOfRange(m, off, off + len));
            scores.add(score);
          });
      for (int i = 0; i < members.size(); i++) {
        byte[] m = members.get(i);
        double score = s.weight * scores.get(i);
        if (Double.isNaN(score)) score = 0;
        double cur = result.score(m);
        if (Double.isNaN(cur)) {
          result.insertNew(m, score);
        } else {
          result.setScore(m, aggregate(cur, score, aggregate));
        }
      }
    }
  }

  private static void diff(Source[] src, ZSetValue result) {
    Source first = src[0];
    if (first.size() == 0) return;
    for (int j = 1; j < src.length; j++) if (src[j].value == first.value) return;
    Source[] others = Arrays.copyOfRange(src, 1, src.length);
    Arrays.sort(others, Comparator.comparingLong(Source::size).reversed());
    List<byte[]> members = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    first.forEach(
        (m, off, len, s) -> {
          byte[] member = Arrays.copyOfRange(m, off, off + len);
          for (Source o : others) {
            if (!Double.isNaN(o.find(member))) return;
          }
          members.add(member);
          scores.add(s);
        });
    for (int i = 0; i < members.size(); i++) result.insertNew(members.get(i), scores.get(i));
  }
}
