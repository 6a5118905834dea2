package io.redstart.testing;

import io.redstart.embedded.Redstart;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A reference redis-server and an embedded Redstart started with the same directives, for
 * differential tests. Both listen on loopback; both have DEBUG enabled.
 */
public final class ServerPair implements AutoCloseable {
  private final ReferenceRedis reference;
  private final Redstart.Handle redstart;
  private final List<String> directives;

  private ServerPair(ReferenceRedis reference, Redstart.Handle redstart, List<String> directives) {
    this.reference = reference;
    this.redstart = redstart;
    this.directives = directives;
  }

  /**
   * Starts both servers; skips the calling test when there is no redis-server (see {@link
   * RedisTools}).
   *
   * @param directives redis.conf lines given to both ({@code "requirepass secret"})
   */
  public static ServerPair start(List<String> directives) throws Exception {
    ReferenceRedis reference = ReferenceRedis.start(directives);
    try {
      Redstart.Builder builder = Redstart.builder().port(0).config("enable-debug-command", "yes");
      for (String directive : directives) {
        List<String> options = ReferenceRedis.asOptions(directive);
        builder.config(
            options.getFirst().substring(2),
            options.subList(1, options.size()).toArray(new String[0]));
      }
      return new ServerPair(reference, builder.start(), List.copyOf(directives));
    } catch (Exception | Error e) {
      reference.close();
      throw e;
    }
  }

  public ReferenceRedis reference() {
    return reference;
  }

  public Redstart.Handle redstart() {
    return redstart;
  }

  public List<String> directives() {
    return directives;
  }

  public RawClient connectReference() throws IOException {
    return RawClient.connect(reference.port());
  }

  public RawClient connectRedstart() throws IOException {
    return RawClient.connect(redstart.port());
  }

  /** A connection to each server. */
  public Connections connect() throws IOException {
    RawClient ref = connectReference();
    try {
      return new Connections(ref, connectRedstart());
    } catch (IOException e) {
      ref.close();
      throw e;
    }
  }

  /** One connection to each server of the pair. */
  public record Connections(RawClient reference, RawClient redstart) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try {
        reference.close();
      } finally {
        redstart.close();
      }
    }
  }

  /**
   * Empties both servers with FLUSHALL on fresh connections. The reference must answer +OK;
   * Redstart's answers are returned (empty when it said +OK), since a missing FLUSHALL there is
   * a finding to report, not a reason to stop.
   */
  public List<String> flushAll(String... auth) throws IOException {
    List<String> problems = new ArrayList<>();
    try (RawClient ref = connectReference(); RawClient rs = connectRedstart()) {
      if (auth.length > 0) {
        ref.call(auth);
        rs.call(auth);
      }
      String r = Bytes.latin1(ref.call("FLUSHALL"));
      if (!r.equals("+OK\r\n")) throw new IllegalStateException("reference FLUSHALL answered " + r);
      byte[] s = rs.call("FLUSHALL");
      if (!Bytes.latin1(s).equals("+OK\r\n")) problems.add("FLUSHALL on Redstart: " + Bytes.printable(s));
    }
    return problems;
  }

  @Override
  public void close() {
    try {
      redstart.close();
    } finally {
      reference.close();
    }
  }

  @Override
  public String toString() {
    return reference + " and Redstart on port " + redstart.port();
  }
}
