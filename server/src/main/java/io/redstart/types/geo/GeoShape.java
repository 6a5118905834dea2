package io.redstart.types.geo;

/**
 * A GEO search area: a circle of {@code radius}, or a box of {@code width} by {@code height},
 * centred on ({@code longitude}, {@code latitude}); lengths are in the query's unit, {@code
 * conversion} meters each. Immutable.
 */
public record GeoShape(
    double longitude,
    double latitude,
    boolean isRadius,
    double radius,
    double width,
    double height,
    double conversion) {

  public static GeoShape circle(
      double longitude, double latitude, double radius, double conversion) {
    return new GeoShape(longitude, latitude, true, radius, 0, 0, conversion);
  }

  public static GeoShape box(
      double longitude, double latitude, double width, double height, double conversion) {
    return new GeoShape(longitude, latitude, false, 0, width, height, conversion);
  }
}
