package io.redstart.types.geo;

/**
 * Redis's geohash arithmetic (geohash.c, geohash_helper.c), reproduced operation for operation so
 * that scores, positions and distances come out bit for bit as Redis 7.0 computes them.
 *
 * <p>A position is encoded as two fixed-point offsets of {@code step} bits each, latitude in the
 * even bits and longitude in the odd bits of an interleaved integer; a sorted-set score is that
 * integer at step 26 (52 bits, exact in a double). Latitudes are limited to the Web Mercator range
 * ±85.05112878. Distances use the haversine formula on a sphere of radius 6372797.560856 m.
 *
 * <p>Stateless and thread-safe.
 */
public final class GeoHash {
  private GeoHash() {}

  public static final int STEP_MAX = 26;
  public static final double LAT_MIN = -85.05112878;
  public static final double LAT_MAX = 85.05112878;
  public static final double LONG_MIN = -180;
  public static final double LONG_MAX = 180;

  /** Earth's quadratic mean radius for WGS-84, in meters. */
  public static final double EARTH_RADIUS_IN_METERS = 6372797.560856;

  private static final double MERCATOR_MAX = 20037726.37;
  private static final double D_R = Math.PI / 180.0;

  /** A hash: its interleaved bits and the number of bits per coordinate. */
  public record Bits(long bits, int step) {
    static final Bits ZERO = new Bits(0, 0);

    boolean isZero() {
      return bits == 0 && step == 0;
    }
  }

  /** A cell: the hash and the longitude and latitude intervals it covers. */
  public record Area(Bits hash, double longMin, double longMax, double latMin, double latMax) {}

  // ---- interleaving

  /** Spreads the low 32 bits of {@code x} and {@code y}: x in the even bits, y in the odd. */
  static long interleave64(long xlo, long ylo) {
    long x = xlo & 0xFFFFFFFFL;
    long y = ylo & 0xFFFFFFFFL;
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
    y = (y | (y << 16)) & 0x0000FFFF0000FFFFL;
    x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
    y = (y | (y << 8)) & 0x00FF00FF00FF00FFL;
    x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
    y = (y | (y << 4)) & 0x0F0F0F0F0F0F0F0FL;
    x = (x | (x << 2)) & 0x3333333333333333L;
    y = (y | (y << 2)) & 0x3333333333333333L;
    x = (x | (x << 1)) & 0x5555555555555555L;
    y = (y | (y << 1)) & 0x5555555555555555L;
    return x | (y << 1);
  }

  /** The inverse: even bits in the low 32 bits of the result, odd bits in the high 32. */
  static long deinterleave64(long interleaved) {
    long x = interleaved;
    long y = interleaved >>> 1;
    x = x & 0x5555555555555555L;
    y = y & 0x5555555555555555L;
    x = (x | (x >>> 1)) & 0x3333333333333333L;
    y = (y | (y >>> 1)) & 0x3333333333333333L;
    x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
    y = (y | (y >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
    x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
    y = (y | (y >>> 4)) & 0x00FF00FF00FF00FFL;
    x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
    y = (y | (y >>> 8)) & 0x0000FFFF0000FFFFL;
    x = (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
    y = (y | (y >>> 16)) & 0x00000000FFFFFFFFL;
    return x | (y << 32);
  }

  /** C's conversion of a non-negative double below 2^32 to uint32_t (truncation). */
  private static long toUint32(double d) {
    return ((long) d) & 0xFFFFFFFFL;
  }

  /**
   * C's {@code (uint64_t) d} as gcc compiles it for x86-64: values below 2^63 through a signed
   * conversion (negative ones wrap, anything out of range or NaN gives 2^63), values from 2^63 by
   * subtracting 2^63 first and flipping the top bit back (so 2^64 and above, and +inf, give 0).
   */
  public static long toUint64(double d) {
    if (d >= 0x1p63) {
      double r = d - 0x1p63;
      long v = r < 0x1p63 ? (long) r : Long.MIN_VALUE;
      return v ^ Long.MIN_VALUE;
    }
    if (Double.isNaN(d) || d < -0x1p63) return Long.MIN_VALUE;
    return (long) d;
  }

  // ---- encoding and decoding

  /**
   * geohashEncode over the given ranges: null when the step is out of 1..32 or the position lies
   * outside Redis's limits or the ranges.
   */
  public static Bits encode(
      double longMin,
      double longMax,
      double latMin,
      double latMax,
      double longitude,
      double latitude,
      int step) {
    if (step > 32 || step == 0) return null;
    if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN) {
      return null;
    }
    if (latitude < latMin || latitude > latMax || longitude < longMin || longitude > longMax) {
      return null;
    }
    double latOffset = (latitude - latMin) / (latMax - latMin);
    double longOffset = (longitude - longMin) / (longMax - longMin);
    latOffset *= (double) (1L << step);
    longOffset *= (double) (1L << step);
    return new Bits(interleave64(toUint32(latOffset), toUint32(longOffset)), step);
  }

  /** geohashEncodeWGS84: over Redis's coordinate limits. */
  public static Bits encodeWgs84(double longitude, double latitude, int step) {
    return encode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, longitude, latitude, step);
  }

  /** The 52-bit score of a position (GEOADD), the hash at step 26 left-aligned. */
  public static long score(double longitude, double latitude) {
    return align52(encodeWgs84(longitude, latitude, STEP_MAX));
  }

  /** geohashAlign52Bits. */
  public static long align52(Bits hash) {
    return hash.bits() << (52 - hash.step() * 2);
  }

  /** geohashDecode over the given ranges; null for the zero hash. */
  public static Area decode(
      double longMin, double longMax, double latMin, double latMax, Bits hash) {
    if (hash.isZero()) return null;
    int step = hash.step();
    long sep = deinterleave64(hash.bits());
    double latScale = latMax - latMin;
    double longScale = longMax - longMin;
    long ilato = sep & 0xFFFFFFFFL;
    long ilono = sep >>> 32;
    // ilato + 1 and ilono + 1 are 32-bit unsigned sums in C: they wrap at 2^32.
    double div = (double) (1L << step);
    return new Area(
        hash,
        longMin + (ilono * 1.0 / div) * longScale,
        longMin + (((ilono + 1) & 0xFFFFFFFFL) * 1.0 / div) * longScale,
        latMin + (ilato * 1.0 / div) * latScale,
        latMin + (((ilato + 1) & 0xFFFFFFFFL) * 1.0 / div) * latScale);
  }

  public static Area decodeWgs84(Bits hash) {
    return decode(LONG_MIN, LONG_MAX, LAT_MIN, LAT_MAX, hash);
  }

  /**
   * The position a sorted-set score stands for (Redis's decodeGeohash): the center of its step-26
   * cell, clamped to the limits, as {longitude, latitude}. Any score decodes, as in Redis (the
   * score goes through C's conversion to uint64_t first).
   */
  public static double[] decodeScore(double score) {
    Area area = decodeWgs84(new Bits(toUint64(score), STEP_MAX));
    double[] xy = new double[2];
    xy[0] = (area.longMin() + area.longMax()) / 2;
    if (xy[0] > LONG_MAX) xy[0] = LONG_MAX;
    if (xy[0] < LONG_MIN) xy[0] = LONG_MIN;
    xy[1] = (area.latMin() + area.latMax()) / 2;
    if (xy[1] > LAT_MAX) xy[1] = LAT_MAX;
    if (xy[1] < LAT_MIN) xy[1] = LAT_MIN;
    return xy;
  }

  private static final String ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz";

  /**
   * GEOHASH's 11-character string of a score: the decoded position re-encoded over the standard
   * ranges (±180, ±90) at step 26, in base 32, the last character always '0'.
   */
  public static String standardString(double score) {
    double[] xy = decodeScore(score);
    Bits hash = encode(-180, 180, -90, 90, xy[0], xy[1], 26);
    long bits = hash == null ? 0 : hash.bits();
    char[] buf = new char[11];
    for (int i = 0; i < 11; i++) {
      int idx = i == 10 ? 0 : (int) ((bits >>> (52 - ((i + 1) * 5))) & 0x1f);
      buf[i] = ALPHABET.charAt(idx);
    }
    return new String(buf);
  }

  // ---- neighbours

  private static Bits moveX(Bits hash, int d) {
    if (d == 0) return hash;
    long x = hash.bits() & 0xaaaaaaaaaaaaaaaaL;
    long y = hash.bits() & 0x5555555555555555L;
    long zz = 0x5555555555555555L >>> (64 - hash.step() * 2);
    if (d > 0) {
      x = x + (zz + 1);
    } else {
      x = x | zz;
      x = x - (zz + 1);
    }
    x &= (0xaaaaaaaaaaaaaaaaL >>> (64 - hash.step() * 2));
    return new Bits(x | y, hash.step());
  }

  private static Bits moveY(Bits hash, int d) {
    if (d == 0) return hash;
    long x = hash.bits() & 0xaaaaaaaaaaaaaaaaL;
    long y = hash.bits() & 0x5555555555555555L;
    long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - hash.step() * 2);
    if (d > 0) {
      y = y + (zz + 1);
    } else {
      y = y | zz;
      y = y - (zz + 1);
    }
    y &= (0x5555555555555555L >>> (64 - hash.step() * 2));
    return new Bits(x | y, hash.step());
  }

  /**
   * The cells to search for a shape, in Redis's order: the center cell, then north, south, east,
   * west, north-east, north-west, south-east, south-west; a cell that need not be searched is
   * {@link Bits#ZERO}.
   */
  static Bits[] neighbours(Bits hash) {
    return new Bits[] {
      hash,
      moveY(moveX(hash, 0), 1),
      moveY(moveX(hash, 0), -1),
      moveY(moveX(hash, 1), 0),
      moveY(moveX(hash, -1), 0),
      moveY(moveX(hash, 1), 1),
      moveY(moveX(hash, -1), 1),
      moveY(moveX(hash, 1), -1),
      moveY(moveX(hash, -1), -1)
    };
  }

  // ---- search areas

  /** geohashEstimateStepsByRadius. */
  static int estimateStepsByRadius(double rangeMeters, double lat) {
    if (rangeMeters == 0) return 26;
    int step = 1;
    while (rangeMeters < MERCATOR_MAX) {
      rangeMeters *= 2;
      step++;
    }
    step -= 2;
    if (lat > 66 || lat < -66) {
      step--;
      if (lat > 80 || lat < -80) step--;
    }
    if (step < 1) step = 1;
    if (step > 26) step = 26;
    return step;
  }

  private static double degRad(double ang) {
    return ang * D_R;
  }

  private static double radDeg(double ang) {
    return ang / D_R;
  }

  /**
   * The cells covering a shape (geohashCalculateAreasByShapeWGS84): nine hashes in the order of
   * {@link #neighbours}, the ones outside the shape's bounding box zeroed.
   */
  public static Bits[] searchAreas(GeoShape shape) {
    double longitude = shape.longitude();
    double latitude = shape.latitude();
    double height = shape.conversion() * (shape.isRadius() ? shape.radius() : shape.height() / 2);
    double width = shape.conversion() * (shape.isRadius() ? shape.radius() : shape.width() / 2);
    double latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
    double longDeltaTop =
        radDeg(width / EARTH_RADIUS_IN_METERS / StrictMath.cos(degRad(latitude + latDelta)));
    double longDeltaBottom =
        radDeg(width / EARTH_RADIUS_IN_METERS / StrictMath.cos(degRad(latitude - latDelta)));
    boolean southern = latitude < 0;
    double minLon = southern ? longitude - longDeltaBottom : longitude - longDeltaTop;
    double maxLon = southern ? longitude + longDeltaBottom : longitude + longDeltaTop;
    double minLat = latitude - latDelta;
    double maxLat = latitude + latDelta;

    double radiusMeters =
        shape.isRadius()
            ? shape.radius()
            : Math.sqrt(
                (shape.width() / 2) * (shape.width() / 2)
                    + (shape.height() / 2) * (shape.height() / 2));
    radiusMeters *= shape.conversion();
    int steps = estimateStepsByRadius(radiusMeters, latitude);
    Bits hash = encodeWgs84(longitude, latitude, steps);
    Bits[] n = neighbours(hash);
    Area area = decodeWgs84(hash);

    boolean decreaseStep = false;
    Area north = decodeWgs84(n[1]);
    Area south = decodeWgs84(n[2]);
    Area east = decodeWgs84(n[3]);
    Area west = decodeWgs84(n[4]);
    if (north != null && north.latMax() < maxLat) decreaseStep = true;
    if (south != null && south.latMin() > minLat) decreaseStep = true;
    if (east != null && east.longMax() < maxLon) decreaseStep = true;
    if (west != null && west.longMin() > minLon) decreaseStep = true;
    if (steps > 1 && decreaseStep) {
      steps--;
      hash = encodeWgs84(longitude, latitude, steps);
      n = neighbours(hash);
      area = decodeWgs84(hash);
    }
    if (steps >= 2) {
      if (area.latMin() < minLat) {
        n[2] = Bits.ZERO; // south
        n[8] = Bits.ZERO; // south west
        n[7] = Bits.ZERO; // south east
      }
      if (area.latMax() > maxLat) {
        n[1] = Bits.ZERO; // north
        n[5] = Bits.ZERO; // north east
        n[6] = Bits.ZERO; // north west
      }
      if (area.longMin() < minLon) {
        n[4] = Bits.ZERO; // west
        n[8] = Bits.ZERO; // south west
        n[6] = Bits.ZERO; // north west
      }
      if (area.longMax() > maxLon) {
        n[3] = Bits.ZERO; // east
        n[7] = Bits.ZERO; // south east
        n[5] = Bits.ZERO; // north east
      }
    }
    return n;
  }

  // ---- distances

  /** geohashGetLatDistance: meters between two latitudes on one meridian. */
  static double latDistance(double lat1d, double lat2d) {
    return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
  }

  /** geohashGetDistance: the haversine distance in meters. */
  public static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
    double lon1r = degRad(lon1d);
    double lon2r = degRad(lon2d);
    double v = StrictMath.sin((lon2r - lon1r) / 2);
    if (v == 0.0) return latDistance(lat1d, lat2d);
    double lat1r = degRad(lat1d);
    double lat2r = degRad(lat2d);
    double u = StrictMath.sin((lat2r - lat1r) / 2);
    double a = u * u + StrictMath.cos(lat1r) * StrictMath.cos(lat2r) * v * v;
    return 2.0 * EARTH_RADIUS_IN_METERS * StrictMath.asin(Math.sqrt(a));
  }

  /**
   * Whether a point ({@code x2}, {@code y2}) lies in the shape centred on its own position, with
   * Redis's tests (geohashGetDistanceIfInRadiusWGS84, geohashGetDistanceIfInRectangle); when it
   * does, {@code distance[0]} receives its distance from the center in meters. As in Redis, a NaN
   * distance (rounding past the antipode) fails no comparison, so the point counts as inside.
   */
  public static boolean within(GeoShape shape, double x2, double y2, double[] distance) {
    double x1 = shape.longitude();
    double y1 = shape.latitude();
    if (shape.isRadius()) {
      double d = distance(x1, y1, x2, y2);
      if (d > shape.radius() * shape.conversion()) return false;
      distance[0] = d;
      return true;
    }
    double widthM = shape.width() * shape.conversion();
    double heightM = shape.height() * shape.conversion();
    if (latDistance(y2, y1) > heightM / 2) return false;
    if (distance(x2, y2, x1, y2) > widthM / 2) return false;
    distance[0] = distance(x1, y1, x2, y2);
    return true;
  }
}
