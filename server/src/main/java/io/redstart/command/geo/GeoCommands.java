package io.redstart.command.geo;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.command.zset.ZSetCommands;
import io.redstart.command.zset.ZSets;
import io.redstart.resp.Numbers;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.types.geo.GeoHash;
import io.redstart.types.geo.GeoShape;
import io.redstart.types.zset.ScoreRange;
import io.redstart.types.zset.ZSetValue;
import io.redstart.util.Doubles;
import io.redstart.util.LongDouble;
import io.redstart.util.PartialQuicksort;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The GEO commands of Redis 7.0 (geo.c) over sorted sets whose scores are 52-bit geohashes: GEOADD
 * (a ZADD of encoded positions, replicated as that ZADD), GEODIST, GEOHASH, GEOPOS, and the
 * searches GEORADIUS, GEORADIUSBYMEMBER (and their _RO forms), GEOSEARCH and GEOSEARCHSTORE, all
 * through {@link #searchGeneric}. Positions print as ld2string's human form, distances with four
 * decimals (fixedpoint_d2string), as Redis prints them.
 *
 * <p>Handlers run on the keyspace thread.
 */
public final class GeoCommands {
  private GeoCommands() {}

  static final String UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI";
  static final String NEED_RADIUS = "ERR need numeric radius";
  static final String NEGATIVE_RADIUS = "ERR radius cannot be negative";
  static final String NEED_WIDTH = "ERR need numeric width";
  static final String NEED_HEIGHT = "ERR need numeric height";
  static final String NEGATIVE_BOX = "ERR height or width cannot be negative";
  static final String NO_MEMBER = "ERR could not decode requested zset member";
  static final String COUNT_POSITIVE = "ERR COUNT must be > 0";
  static final String ANY_NEEDS_COUNT = "ERR the ANY argument requires COUNT argument";

  private static final byte[] ZADD = Args.bytes("zadd");

  // Flags of searchGeneric, as geo.c's.
  private static final int RADIUS_COORDS = 1;
  private static final int RADIUS_MEMBER = 1 << 1;
  private static final int RADIUS_NOSTORE = 1 << 2;
  private static final int GEOSEARCH = 1 << 3;
  private static final int GEOSEARCHSTORE = 1 << 4;

  private static final int SORT_NONE = 0;
  private static final int SORT_ASC = 1;
  private static final int SORT_DESC = 2;

  // ---- argument helpers

  /** C's {@code "%f"}: the exact value rounded to six decimals, "inf", "-inf", "-0.000000". */
  static String cFixed6(double d) {
    if (Double.isNaN(d)) return (Double.doubleToRawLongBits(d) < 0 ? "-" : "") + "nan";
    if (Double.isInfinite(d)) return d < 0 ? "-inf" : "inf";
    boolean negative = d < 0 || (d == 0 && 1 / d < 0);
    String abs = new BigDecimal(Math.abs(d)).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    return negative ? "-" + abs : abs;
  }

  /**
   * Longitude then latitude at {@code argv[at]} (extractLongLatOrReply): two floats within the
   * geohash limits; null after replying.
   */
  private static double[] longLatOrReply(Client c, byte[][] argv, int at) {
    double[] xy = new double[2];
    for (int i = 0; i < 2; i++) {
      xy[i] = ZSets.doubleOrReply(c, argv[at + i], null);
      if (Double.isNaN(xy[i])) return null;
    }
    if (xy[0] < GeoHash.LONG_MIN
        || xy[0] > GeoHash.LONG_MAX
        || xy[1] < GeoHash.LAT_MIN
        || xy[1] > GeoHash.LAT_MAX) {
      c.error("ERR invalid longitude,latitude pair " + cFixed6(xy[0]) + "," + cFixed6(xy[1]));
      return null;
    }
    return xy;
  }

  /** Meters per unit (extractUnitOrReply), or -1 after replying. */
  private static double unitOrReply(Client c, byte[] unit) {
    if (Args.is(unit, "m")) return 1;
    if (Args.is(unit, "km")) return 1000;
    if (Args.is(unit, "ft")) return 0.3048;
    if (Args.is(unit, "mi")) return 1609.34;
    c.error(UNIT);
    return -1;
  }

  /** The position a member's score stands for, or null when the member is absent. */
  private static double[] memberPosition(ZSetValue z, byte[] member) {
    double score = z.score(member);
    return Double.isNaN(score) ? null : GeoHash.decodeScore(score);
  }

  /** A coordinate as addReplyHumanLongDouble: a bulk string in RESP2, a double in RESP3. */
  private static void replyCoordinate(RespWriter w, double v) {
    byte[] text = LongDouble.valueOf(v).toHumanBytes();
    if (w.resp3()) {
      w.doubleText(text);
    } else {
      w.bulk(text);
    }
  }

  private static void replyDistance(RespWriter w, double d) {
    w.bulk(Doubles.fixedPoint(d, 4));
  }

  /** The argument as C prints it with %s: up to its first NUL byte. */
  private static String cString(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) n++;
    return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  // ---- GEOADD

  /**
   * GEOADD key [NX|XX] [CH] longitude latitude member ...: checks the options and every position,
   * then runs (and replicates) the equivalent ZADD with each position's 52-bit score.
   */
  public static void geoadd(Client c, byte[][] argv) {
    boolean xx = false;
    boolean nx = false;
    int longIdx = 2;
    while (longIdx < argv.length) {
      byte[] opt = argv[longIdx];
      if (Args.is(opt, "nx")) {
        nx = true;
      } else if (Args.is(opt, "xx")) {
        xx = true;
      } else if (!Args.is(opt, "ch")) {
        break;
      }
      longIdx++;
    }
    if ((argv.length - longIdx) % 3 != 0 || (xx && nx)) {
      c.error(Errors.SYNTAX);
      return;
    }
    int elements = (argv.length - longIdx) / 3;
    byte[][] zadd = new byte[longIdx + elements * 2][];
    zadd[0] = ZADD;
    System.arraycopy(argv, 1, zadd, 1, longIdx - 1);
    for (int i = 0; i < elements; i++) {
      double[] xy = longLatOrReply(c, argv, longIdx + i * 3);
      if (xy == null) return;
      zadd[longIdx + i * 2] = Numbers.toBytes(GeoHash.score(xy[0], xy[1]));
      zadd[longIdx + i * 2 + 1] = argv[longIdx + i * 3 + 2];
    }
    c.server().dispatcher().propagateAs(zadd);
    ZSetCommands.zadd(c, zadd);
  }

  // ---- GEODIST, GEOHASH, GEOPOS

  public static void geodist(Client c, byte[][] argv) {
    double toMeter = 1;
    if (argv.length == 5) {
      toMeter = unitOrReply(c, argv[4]);
      if (toMeter < 0) return;
    } else if (argv.length > 5) {
      c.error(Errors.SYNTAX);
      return;
    }
    Object e = ZSets.lookupRead(c, argv[1]);
    if (e == null) {
      c.reply().nullBulk();
      return;
    }
    if (!ZSets.checkTypeOrReply(c, e)) return;
    ZSetValue z = ZSets.value(e);
    double s1 = z.score(argv[2]);
    double s2 = Double.isNaN(s1) ? Double.NaN : z.score(argv[3]);
    if (Double.isNaN(s2)) {
      c.reply().nullBulk();
      return;
    }
    double[] a = GeoHash.decodeScore(s1);
    double[] b = GeoHash.decodeScore(s2);
    replyDistance(c.reply(), GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeter);
  }

  public static void geohash(Client c, byte[][] argv) {
    Object e = ZSets.lookupRead(c, argv[1]);
    if (!ZSets.checkTypeOrReply(c, e)) return;
    ZSetValue z = ZSets.value(e);
    RespWriter w = c.reply();
    w.array(argv.length - 2);
    for (int j = 2; j < argv.length; j++) {
      double score = z == null ? Double.NaN : z.score(argv[j]);
      if (Double.isNaN(score)) {
        w.nullBulk();
      } else {
        w.bulk(Args.bytes(GeoHash.standardString(score)));
      }
    }
  }

  public static void geopos(Client c, byte[][] argv) {
    Object e = ZSets.lookupRead(c, argv[1]);
    if (!ZSets.checkTypeOrReply(c, e)) return;
    ZSetValue z = ZSets.value(e);
    RespWriter w = c.reply();
    w.array(argv.length - 2);
    for (int j = 2; j < argv.length; j++) {
      double[] xy = z == null ? null : memberPosition(z, argv[j]);
      if (xy == null) {
        w.nullArray();
      } else {
        w.array(2);
        replyCoordinate(w, xy[0]);
        replyCoordinate(w, xy[1]);
      }
    }
  }

  // ---- searches

  public static void georadius(Client c, byte[][] argv) {
    searchGeneric(c, argv, 1, RADIUS_COORDS);
  }

  public static void georadiusbymember(Client c, byte[][] argv) {
    searchGeneric(c, argv, 1, RADIUS_MEMBER);
  }

  public static void georadiusRo(Client c, byte[][] argv) {
    searchGeneric(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE);
  }

  public static void georadiusbymemberRo(Client c, byte[][] argv) {
    searchGeneric(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE);
  }

  public static void geosearch(Client c, byte[][] argv) {
    searchGeneric(c, argv, 1, GEOSEARCH);
  }

  public static void geosearchstore(Client c, byte[][] argv) {
    searchGeneric(c, argv, 2, GEOSEARCH | GEOSEARCHSTORE);
  }

  /** A point found by a search (geo.c's geoPoint). */
  private static final class Point {
    final double longitude;
    final double latitude;
    double dist;
    final double score;
    final byte[] member;

    Point(double longitude, double latitude, double dist, double score, byte[] member) {
      this.longitude = longitude;
      this.latitude = latitude;
      this.dist = dist;
      this.score = score;
      this.member = member;
    }
  }

  /** geo.c's sort_gp_asc. */
  private static final Comparator<Point> ASC =
      (a, b) -> a.dist > b.dist ? 1 : (a.dist == b.dist ? 0 : -1);

  private static final Comparator<Point> DESC = (a, b) -> -ASC.compare(a, b);

  /** A shape being parsed: GEOSEARCH fills it option by option. */
  private static final class ShapeArgs {
    double longitude;
    double latitude;
    boolean radius = true;
    double r;
    double width;
    double height;
    double conversion;

    GeoShape shape() {
      return radius
          ? GeoShape.circle(longitude, latitude, r, conversion)
          : GeoShape.box(longitude, latitude, width, height, conversion);
    }
  }

  /** extractDistanceOrReply: a radius and a unit; false after replying. */
  private static boolean radiusOrReply(Client c, byte[][] argv, int at, ShapeArgs s) {
    double d = ZSets.doubleOrReply(c, argv[at], NEED_RADIUS);
    if (Double.isNaN(d)) return false;
    if (d < 0) {
      c.error(NEGATIVE_RADIUS);
      return false;
    }
    s.r = d;
    double conv = unitOrReply(c, argv[at + 1]);
    if (conv < 0) return false;
    s.conversion = conv;
    return true;
  }

  /** extractBoxOrReply: width, height and a unit; false after replying. */
  private static boolean boxOrReply(Client c, byte[][] argv, int at, ShapeArgs s) {
    double w = ZSets.doubleOrReply(c, argv[at], NEED_WIDTH);
    if (Double.isNaN(w)) return false;
    double h = ZSets.doubleOrReply(c, argv[at + 1], NEED_HEIGHT);
    if (Double.isNaN(h)) return false;
    if (h < 0 || w < 0) {
      c.error(NEGATIVE_BOX);
      return false;
    }
    s.width = w;
    s.height = h;
    double conv = unitOrReply(c, argv[at + 2]);
    if (conv < 0) return false;
    s.conversion = conv;
    return true;
  }

  /**
   * georadiusGeneric: every search command. Errors come in Redis's order: the source key's type,
   * the fixed position and radius arguments, each option as it is read, then the combinations
   * (STORE with WITH*, GEOSEARCH without a center or a shape, ANY without COUNT).
   */
  private static void searchGeneric(Client c, byte[][] argv, int srcKeyIdx, int flags) {
    byte[] storeKey = null;
    boolean storeDist = false;
    Object e = ZSets.lookupRead(c, argv[srcKeyIdx]);
    if (!ZSets.checkTypeOrReply(c, e)) return;
    ZSetValue z = ZSets.value(e);
    ShapeArgs s = new ShapeArgs();
    int baseArgs;
    if ((flags & RADIUS_COORDS) != 0) {
      baseArgs = 6;
      double[] xy = longLatOrReply(c, argv, 2);
      if (xy == null) return;
      s.longitude = xy[0];
      s.latitude = xy[1];
      if (!radiusOrReply(c, argv, baseArgs - 2, s)) return;
    } else if ((flags & RADIUS_MEMBER) != 0 && z == null) {
      baseArgs = 5;
    } else if ((flags & RADIUS_MEMBER) != 0) {
      baseArgs = 5;
      double[] xy = memberPosition(z, argv[2]);
      if (xy == null) {
        c.error(NO_MEMBER);
        return;
      }
      s.longitude = xy[0];
      s.latitude = xy[1];
      if (!radiusOrReply(c, argv, baseArgs - 2, s)) return;
    } else {
      baseArgs = 2;
      if ((flags & GEOSEARCHSTORE) != 0) {
        baseArgs = 3;
        storeKey = argv[1];
      }
    }
    boolean withDist = false;
    boolean withHash = false;
    boolean withCoords = false;
    boolean fromMember = false;
    boolean fromLoc = false;
    boolean byRadius = false;
    boolean byBox = false;
    int sort = SORT_NONE;
    boolean any = false;
    long count = 0;
    boolean search = (flags & GEOSEARCH) != 0;
    int remaining = argv.length - baseArgs;
    for (int i = 0; i < remaining; i++) {
      byte[] arg = argv[baseArgs + i];
      if (Args.is(arg, "withdist")) {
        withDist = true;
      } else if (Args.is(arg, "withhash")) {
        withHash = true;
      } else if (Args.is(arg, "withcoord")) {
        withCoords = true;
      } else if (Args.is(arg, "any")) {
        any = true;
      } else if (Args.is(arg, "asc")) {
        sort = SORT_ASC;
      } else if (Args.is(arg, "desc")) {
        sort = SORT_DESC;
      } else if (Args.is(arg, "count") && i + 1 < remaining) {
        Long n = ZSets.longOrReply(c, argv[baseArgs + i + 1], null);
        if (n == null) return;
        if (n <= 0) {
          c.error(COUNT_POSITIVE);
          return;
        }
        count = n;
        i++;
      } else if (Args.is(arg, "store")
          && i + 1 < remaining
          && (flags & RADIUS_NOSTORE) == 0
          && !search) {
        storeKey = argv[baseArgs + i + 1];
        storeDist = false;
        i++;
      } else if (Args.is(arg, "storedist")
          && i + 1 < remaining
          && (flags & RADIUS_NOSTORE) == 0
          && !search) {
        storeKey = argv[baseArgs + i + 1];
        storeDist = true;
        i++;
      } else if (Args.is(arg, "storedist") && search && (flags & GEOSEARCHSTORE) != 0) {
        storeDist = true;
      } else if (Args.is(arg, "frommember") && i + 1 < remaining && search && !fromLoc) {
        if (z != null) {
          double[] xy = memberPosition(z, argv[baseArgs + i + 1]);
          if (xy == null) {
            c.error(NO_MEMBER);
            return;
          }
          s.longitude = xy[0];
          s.latitude = xy[1];
        }
        fromMember = true;
        i++;
      } else if (Args.is(arg, "fromlonlat") && i + 2 < remaining && search && !fromMember) {
        double[] xy = longLatOrReply(c, argv, baseArgs + i + 1);
        if (xy == null) return;
        s.longitude = xy[0];
        s.latitude = xy[1];
        fromLoc = true;
        i += 2;
      } else if (Args.is(arg, "byradius") && i + 2 < remaining && search && !byBox) {
        if (!radiusOrReply(c, argv, baseArgs + i + 1, s)) return;
        s.radius = true;
        byRadius = true;
        i += 2;
      } else if (Args.is(arg, "bybox") && i + 3 < remaining && search && !byRadius) {
        if (!boxOrReply(c, argv, baseArgs + i + 1, s)) return;
        s.radius = false;
        byBox = true;
        i += 3;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    if (storeKey != null && (withDist || withHash || withCoords)) {
      c.error(
          "ERR "
              + ((flags & GEOSEARCHSTORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
              + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
      return;
    }
    if (search && !(fromMember || fromLoc)) {
      c.error(
          "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + cString(argv[0]));
      return;
    }
    if (search && !(byRadius || byBox)) {
      c.error("ERR exactly one of BYRADIUS and BYBOX can be specified for " + cString(argv[0]));
      return;
    }
    if (any && count == 0) {
      c.error(ANY_NEEDS_COUNT);
      return;
    }
    if (z == null) {
      if (storeKey != null) {
        ZSets.deleteResult(c, storeKey);
        c.reply().integer(0);
      } else {
        c.reply().emptyArray();
      }
      return;
    }
    if (count != 0 && sort == SORT_NONE && !any) sort = SORT_ASC;
    GeoShape shape = s.shape();
    List<Point> found = membersOfAllNeighbours(z, shape, any ? count : 0);
    if (found.isEmpty() && storeKey == null) {
      c.reply().emptyArray();
      return;
    }
    int resultLength = found.size();
    int returned = count == 0 || resultLength < count ? resultLength : (int) count;
    Point[] points = found.toArray(new Point[0]);
    if (sort != SORT_NONE) {
      Comparator<Point> cmp = sort == SORT_ASC ? ASC : DESC;
      if (returned == resultLength) {
        Arrays.sort(points, cmp); // stable, as glibc's merge-sorting qsort
      } else {
        PartialQuicksort.sort(points, cmp, 0, returned - 1);
      }
    }
    if (storeKey == null) {
      int options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
      RespWriter w = c.reply();
      w.array(returned);
      for (int i = 0; i < returned; i++) {
        Point p = points[i];
        p.dist /= shape.conversion();
        if (options > 0) w.array(options + 1);
        w.bulk(p.member);
        if (withDist) replyDistance(w, p.dist);
        if (withHash) w.integer((long) p.score);
        if (withCoords) {
          w.array(2);
          replyCoordinate(w, p.longitude);
          replyCoordinate(w, p.latitude);
        }
      }
      return;
    }
    if (returned > 0) {
      ZSetValue out = ZSetValue.newSkiplist();
      long maxLen = 0;
      long totalLen = 0;
      for (int i = 0; i < returned; i++) {
        Point p = points[i];
        p.dist /= shape.conversion();
        out.insertNew(p.member, storeDist ? p.dist : p.score);
        maxLen = Math.max(maxLen, p.member.length);
        totalLen += p.member.length;
      }
      out.convertToListpackIfFits(ZSets.limits(c), maxLen, totalLen);
      ZSets.storeResult(c, storeKey, out, search ? "geosearchstore" : "georadiusstore", returned);
    } else {
      ZSets.deleteResult(c, storeKey);
    }
    c.reply().integer(returned);
  }

  /**
   * membersOfAllNeighbors: the members inside {@code shape} found in the nine cells, cell by cell
   * (a cell equal to the one searched before it is skipped), each cell's members in score order;
   * with a {@code limit} (ANY), stops as soon as that many were found.
   */
  private static List<Point> membersOfAllNeighbours(ZSetValue z, GeoShape shape, long limit) {
    GeoHash.Bits[] cells = GeoHash.searchAreas(shape);
    List<Point> out = new ArrayList<>();
    int lastProcessed = 0;
    for (int i = 0; i < cells.length; i++) {
      GeoHash.Bits cell = cells[i];
      if (cell.bits() == 0 && cell.step() == 0) continue;
      if (lastProcessed != 0
          && cell.bits() == cells[lastProcessed].bits()
          && cell.step() == cells[lastProcessed].step()) {
        continue;
      }
      if (!out.isEmpty() && limit != 0 && out.size() >= limit) break;
      long min = GeoHash.align52(cell);
      long max = GeoHash.align52(new GeoHash.Bits(cell.bits() + 1, cell.step()));
      pointsInRange(z, (double) min, (double) max, shape, out, limit);
      lastProcessed = i;
    }
    return out;
  }

  /** geoGetPointsInRange: members with {@code min <= score < max} inside the shape. */
  private static void pointsInRange(
      ZSetValue z, double min, double max, GeoShape shape, List<Point> out, long limit) {
    ScoreRange range = new ScoreRange(min, false, max, true);
    double[] dist = new double[1];
    for (ZSetValue.Cursor cur = z.firstInRange(range); cur.valid(); cur.next()) {
      double score = cur.score();
      if (!range.belowMax(score)) break;
      double[] xy = GeoHash.decodeScore(score);
      if (GeoHash.within(shape, xy[0], xy[1], dist)) {
        out.add(new Point(xy[0], xy[1], dist[0], score, cur.member()));
      }
      if (!out.isEmpty() && limit != 0 && out.size() >= limit) break;
    }
  }
}
