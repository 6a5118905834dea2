package io.redstart.command.collection;

import io.redstart.server.Client;

/**
 * Bounds replies whose length the client chooses: SRANDMEMBER and HRANDFIELD with a negative
 * count may ask for up to 2^63 elements. Redis writes them until the client's output buffer
 * passes its hard limit, then closes the client (CLIENT_CLOSE_ASAP stops the loop). Redstart does
 * the same with the normal class's client-output-buffer-limit, and, since that limit is 0
 * (unlimited) by default, with a ceiling of its own: a quarter of the heap, at most 512 MiB. The
 * client then gets a truncated reply and a closed connection; the server keeps its memory.
 *
 * <p>Used on the keyspace thread by the handlers that loop over such counts.
 */
public final class ReplyGuard {
  private ReplyGuard() {}

  private static final long CEILING =
      Math.min(512L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);

  /** The most reply bytes a client may have pending before it is closed. */
  public static long limit(Client c) {
    long hard = c.server().config().clientOutputBufferLimits().normal().hard();
    return hard > 0 ? Math.min(hard, CEILING) : CEILING;
  }

  /**
   * Whether the client's pending reply has passed its limit; if so the client is closed (what was
   * written so far is flushed first) and the caller stops producing.
   */
  public static boolean exceeded(Client c, long limit) {
    if (c.isClosed()) return true;
    c.reply(); // under CLIENT REPLY OFF/SKIP this empties the discarded bytes
    if (c.outputBytes() <= limit) return false;
    c.closeNow();
    return true;
  }
}
