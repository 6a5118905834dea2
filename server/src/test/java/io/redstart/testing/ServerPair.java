package io.redstart.testing;

import io.redstart.embedded.Redstart;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A reference redis-server and an embedded Redstart started with the same directives, for
 * differential tests. Both listen on loopback; both have DEBUG enabled.
 *
 * <p>{@link #twoReferences} puts a second redis-server where Redstart would be: the harness's own
 * check that scripts, generators and rules report no difference between identical servers.
 */
public final class ServerPair implements AutoCloseable {
  private final ReferenceRedis reference;
  private final Redstart.Handle redstart;
  private final ReferenceRedis secondReference;
  private final List<String> directives;

  private ServerPair(
      ReferenceRedis reference,
      Redstart.Handle redstart,
      ReferenceRedis secondReference,
      List<String> directives) {
    this.reference = reference;
    this.redstart = redstart;
    this.secondReference = secondReference;
    this.directives = directives;
  }

  /** Two reference servers, the second standing in for Redstart. */
  public static ServerPair twoReferences(List<String> directives) throws IOException {
    ReferenceRedis first = ReferenceRedis.start(directives);
    try {
      return new ServerPair(first, null, ReferenceRedis.start(directives), List.copyOf(directives));
    } catch (IOException | RuntimeException | Error e) {
      first.close();
      throw e;
    }
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
      return new ServerPair(reference, builder.start(), null, List.copyOf(directives));
    } catch (Exception | Error e) {
      reference.close();
      throw e;
    }
  }

  public ReferenceRedis reference() {
    return reference;
  }

  /** The embedded server; not available in a {@link #twoReferences} pair. */
  public Redstart.Handle redstart() {
    if (redstart == null) throw new IllegalStateException("this pair has no Redstart: " + this);
    return redstart;
  }

  /** The port of the server under test (Redstart, or the second reference). */
  public int candidatePort() {
    return redstart != null ? redstart.port() : secondReference.port();
  }

  public List<String> directives() {
    return directives;
  }

  public RawClient connectReference() throws IOException {
    return RawClient.connect(reference.port());
  }

  /** A connection to the server under test (Redstart, or the second reference). */
  public RawClient connectRedstart() throws IOException {
    return RawClient.connect(candidatePort());
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
   * Redstart's answers are returned (empty when it said +OK), since a missing FLUSHALL there is a
   * finding to report, not a reason to stop.
   */
  public List<String> flushAll(String... auth) throws IOException {
    List<String> problems = new ArrayList<>();
    try (RawClient ref = connectReference();
        RawClient rs = connectRedstart()) {
      if (auth.length > 0) {
        ref.call(auth);
        rs.call(auth);
      }
      String r = Bytes.latin1(ref.call("FLUSHALL"));
      if (!r.equals("+OK\r\n")) throw new IllegalStateException("reference FLUSHALL answered " + r);
      byte[] s = rs.call("FLUSHALL");
      if (!Bytes.latin1(s).equals("+OK\r\n"))
        problems.add("FLUSHALL on Redstart: " + Bytes.printable(s));
    }
    return problems;
  }

  @Override
  public void close() {
    try {
      if (redstart != null) redstart.close();
      if (secondReference != null) secondReference.close();
    } finally {
      reference.close();
    }
  }

  @Override
  public String toString() {
    return redstart != null
        ? reference + " and Redstart on port " + redstart.port()
        : reference + " and " + secondReference;
  }
}
