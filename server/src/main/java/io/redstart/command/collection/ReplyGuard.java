package io.redstart.command.collection;

import io.redstart.server.Client;

/**
 * Bounds replies whose length the client chooses: SRANDMEMBER and HRANDFIELD with a negative
 * count may ask for up to 2^63 elements. Redis writes them until the client passes its output
 * buffer limit; then the client is scheduled to be closed (CLIENT_CLOSE_ASAP stops the loop), its
 * pending output dropped. Redstart applies the same limits ({@link
 * Client#closeIfOutputLimitReached}) and, since the normal class's limit is 0 (unlimited) by
 * default, a ceiling of its own: a quarter of the heap, at most 512 MiB, past which the client is
 * closed the same way. A reply that is discarded (CLIENT REPLY OFF or SKIP) never fills a buffer:
 * it is cut once it has produced what the limit would have allowed, so that the loop ends (Redis
 * would loop on).
 *
 * <p>Used on the keyspace thread by the handlers that loop over such counts.
 */
public final class ReplyGuard {
  private ReplyGuard() {}

  private static final long CEILING =
      Math.min(512L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);

  /** The most reply bytes a client may have pending (its hard limit, or the ceiling). */
  public static long limit(Client c) {
    long hard = c.server().config().clientOutputBufferLimits().normal().hard();
    return hard > 0 ? Math.min(hard, CEILING) : CEILING;
  }

  /** The shortest element a reply holds ("$0\r\n\r\n" and more). */
  private static final long MIN_ELEMENT_BYTES = 6;

  /**
   * A check for a loop producing one reply of a client-chosen length: call {@code test} with the
   * number of elements produced so far (every so often). It answers true when the loop must stop:
   * the client passed its output buffer limit or the ceiling (it is then scheduled to be closed),
   * or the reply is being discarded and has grown past what the limit would have allowed.
   */
  public static java.util.function.LongPredicate stopper(Client c) {
    long limit = limit(c);
    return produced -> {
      if (c.isClosed()) return true;
      c.reply(); // under CLIENT REPLY OFF/SKIP this empties the discarded bytes
      if (c.closeIfOutputLimitReached(true)) return true;
      if (c.outputBytes() > CEILING) {
        c.scheduleCloseForOutput();
        return true;
      }
      return produced > limit / MIN_ELEMENT_BYTES;
    };
  }
}
