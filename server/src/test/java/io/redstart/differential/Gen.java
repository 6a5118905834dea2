package io.redstart.differential;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random arguments for command generators, from one seeded source so that a run can be replayed
 * with its seed. Values lean towards the corners: a small key space (collisions, WRONGTYPE,
 * expiry), shared-integer and encoding boundaries, the limits of 64-bit integers, malformed
 * numbers.
 *
 * <p>Times never race: a relative TTL is 100 000 s or more (nothing expires during a run), an
 * absolute one is long past or far in the future, so both servers always agree on whether a key is
 * alive, whatever the milliseconds between them.
 */
public final class Gen {
  /** Keys per database. Few, so that commands meet each other's keys. */
  static final int KEYS = 8;

  private final SplittableRandom random;

  Gen(long seed) {
    this.random = new SplittableRandom(seed);
  }

  public boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  public int between(int lowInclusive, int highInclusive) {
    return random.nextInt(lowInclusive, highInclusive + 1);
  }

  @SafeVarargs
  public final <T> T pick(T... options) {
    return options[random.nextInt(options.length)];
  }

  public <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  /** A key: mostly one of {@link #KEYS} short names, sometimes an odd one. */
  public String key() {
    if (chance(95)) return "k" + random.nextInt(KEYS);
    return pick("", "k\u0000bin", "{tag}k", "K0", "k" + random.nextInt(KEYS) + " ");
  }

  /** Several keys, possibly repeated. */
  public List<String> keys(int min, int max) {
    int n = between(min, max);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(key());
    return out;
  }

  /** A value for SET and friends: numbers in every encoding, strings around the boundaries. */
  public String value() {
    return switch (random.nextInt(12)) {
      case 0 -> Integer.toString(random.nextInt(-20, 10_020));
      case 1 -> pick("0", "-0", "9999", "10000", "-1", "01", "+1", " 1", "1 ", "");
      case 2 ->
          pick(
              "9223372036854775807",
              "-9223372036854775808",
              "9223372036854775808",
              "-9223372036854775809",
              "4294967296",
              "18446744073709551615");
      case 3 ->
          pick(
              "1.5",
              "-0.5",
              "3e2",
              "1e308",
              "1e-308",
              "inf",
              "-inf",
              "nan",
              "0x10",
              "1.7976931348623157e308",
              ".5",
              "5.",
              "1e400");
      case 4 -> Long.toString(random.nextLong());
      case 5 -> Double.toString(random.nextDouble(-1e6, 1e6));
      case 6 -> text(between(43, 46));
      case 7 -> text(between(0, 8));
      case 8 -> chance(10) ? text(between(200, 1000)) : text(between(10, 60));
      case 9 -> binary(between(1, 12));
      default -> "v" + random.nextInt(100);
    };
  }

  /** Printable ASCII of {@code n} characters. */
  public String text(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) sb.append((char) random.nextInt('!', '~' + 1));
    return sb.toString();
  }

  /** Any bytes, as characters 0..255 (sent as ISO-8859-1). */
  public String binary(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) sb.append((char) random.nextInt(256));
    return sb.toString();
  }

  /** An integer argument (increments, indexes, counts): small, limits, or not a number. */
  public String integer() {
    return switch (random.nextInt(10)) {
      case 0, 1, 2, 3 -> Integer.toString(random.nextInt(-20, 21));
      case 4 -> Integer.toString(random.nextInt(-100_000, 100_001));
      case 5 ->
          pick(
              "9223372036854775807",
              "-9223372036854775808",
              "9223372036854775806",
              "-9223372036854775807");
      case 6 -> pick("9223372036854775808", "-9223372036854775809", "99999999999999999999");
      case 7 -> pick("abc", "1.5", "", " 1", "1 ", "+1", "01", "-0", "0x1", "1e3");
      case 8 -> Long.toString(random.nextLong());
      default -> Integer.toString(random.nextInt(0, 100));
    };
  }

  /** A float increment for INCRBYFLOAT. */
  public String floatIncrement() {
    return switch (random.nextInt(8)) {
      case 0 -> Double.toString(random.nextDouble(-100, 100));
      case 1 -> pick("0.1", "-0.1", "1e-5", "0.000001", "1e17", "1e20", "-1e20");
      case 2 ->
          pick(
              "inf",
              "-inf",
              "+inf",
              "nan",
              "abc",
              "",
              " 1",
              "1,5",
              "1e",
              "0x10",
              ".5",
              "5.",
              "1e400",
              "1.7976931348623157e308");
      case 3 -> Integer.toString(random.nextInt(-1000, 1001));
      case 4 -> pick("9223372036854775807", "-9223372036854775808", "1e300", "-1e300");
      default -> Double.toString(random.nextDouble(-1, 1));
    };
  }

  /**
   * An offset for SETRANGE: small, negative, or past the 512 MB limit (never just below it: one
   * byte there would make a 512 MB value on both servers).
   */
  public String offset() {
    return switch (random.nextInt(10)) {
      case 0 ->
          pick(
              "-1",
              "-9223372036854775808",
              "536870912",
              "4294967296",
              "9223372036854775807",
              "abc",
              "");
      default -> Integer.toString(random.nextInt(0, 64));
    };
  }

  /** A relative time in seconds for EX and EXPIRE: long, or invalid, or in the past. */
  public String seconds() {
    return switch (random.nextInt(10)) {
      case 0 -> pick("0", "-1", "-100");
      case 1 ->
          pick(
              "9223372036854775807",
              "-9223372036854775808",
              "9223372036854776",
              "9223370399119966",
              "abc",
              "1.5",
              "");
      default -> Integer.toString(random.nextInt(100_000, 10_000_000));
    };
  }

  /** A relative time in milliseconds for PX and PEXPIRE. */
  public String millis() {
    return switch (random.nextInt(10)) {
      case 0 -> pick("0", "-1", "-100000");
      case 1 ->
          pick("9223372036854775807", "-9223372036854775808", "9223372036854770000", "abc", "");
      default -> Long.toString(random.nextLong(100_000_000L, 10_000_000_000L));
    };
  }

  /** An absolute Unix time in seconds: long past, far future, or invalid. */
  public String unixSeconds() {
    return switch (random.nextInt(8)) {
      case 0 -> pick("0", "-1", "1", "1000000000");
      case 1 -> pick("9223372036854775807", "9223372036854776", "-9223372036854775808", "abc");
      default ->
          Long.toString(pick(4_000_000_000L, 4_100_000_000L, 4_200_000_000L) + random.nextInt(3));
    };
  }

  /** An absolute Unix time in milliseconds. */
  public String unixMillis() {
    return switch (random.nextInt(8)) {
      case 0 -> pick("0", "-1", "1", "1000000000000");
      case 1 -> pick("9223372036854775807", "9223372036854770000", "-9223372036854775808", "abc");
      default -> Long.toString(pick(4_000_000_000_000L, 4_100_000_000_000L) + random.nextInt(3));
    };
  }

  /** A database index: mostly the first few, sometimes out of range or not a number. */
  public String db() {
    if (chance(90)) return Integer.toString(random.nextInt(0, 4));
    return pick("15", "16", "-1", "abc", "9223372036854775808");
  }

  /** A glob pattern for KEYS and SCAN MATCH. */
  public String pattern() {
    return pick(
        "*", "k*", "k?", "k[0-3]", "k[^0]", "*1*", "[", "k\\*", "", "nosuch*", "{tag}*", "*\\",
        "k[2-0]");
  }

  /** Arguments as bytes: strings are sent as ISO-8859-1, so characters 0..255 are bytes. */
  static byte[][] argv(List<String> args) {
    byte[][] argv = new byte[args.size()][];
    for (int i = 0; i < args.size(); i++)
      argv[i] = args.get(i).getBytes(StandardCharsets.ISO_8859_1);
    return argv;
  }

  /** Builds an argument list fluently. */
  public static final class Args {
    private final List<String> list = new ArrayList<>();

    Args(String... first) {
      list.addAll(List.of(first));
    }

    public Args add(String... more) {
      list.addAll(List.of(more));
      return this;
    }

    public Args addAll(List<String> more) {
      list.addAll(more);
      return this;
    }

    public List<String> list() {
      return list;
    }
  }

  public static Args args(String... first) {
    return new Args(first);
  }
}
