package io.redstart.propagation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one path by which writes leave the keyspace for the AOF and for replicas. Writes are
 * collected while a command (or a cron job such as active expiry) runs and handed to the feeds
 * when it ends, as Redis's alsoPropagate / propagatePendingCommands do: a single operation goes
 * alone, several are wrapped in MULTI/EXEC so that replicas apply them atomically (unless the
 * producer asks for no wrapping, as expiry does). Each argv is already rewritten by its handler to
 * be deterministic (EX to PXAT, SPOP to SREM, INCRBYFLOAT to SET ...).
 *
 * <p>Owned by the keyspace thread; feeds run on it and must only enqueue.
 */
public final class Propagator {
  /** A consumer of the write stream (the AOF, the replication backlog). */
  public interface Feed {
    void feed(int db, byte[][] argv);
  }

  private static final byte[][] MULTI = {"MULTI".getBytes(StandardCharsets.US_ASCII)};
  private static final byte[][] EXEC = {"EXEC".getBytes(StandardCharsets.US_ASCII)};

  private final List<Feed> feeds = new CopyOnWriteArrayList<>();
  private final List<int[]> pendingDbs = new ArrayList<>();
  private final List<byte[][]> pending = new ArrayList<>();
  private int depth;
  private boolean noMulti;
  /** True while an EXEC or script is propagating its own MULTI/EXEC. */
  private boolean inTransaction;

  public void addFeed(Feed feed) {
    feeds.add(feed);
  }

  public void removeFeed(Feed feed) {
    feeds.remove(feed);
  }

  public boolean hasFeeds() {
    return !feeds.isEmpty();
  }

  /** Opens a unit of work; units nest, and only the outermost one flushes. */
  public void begin() {
    depth++;
  }

  /** Opens a unit whose operations are never wrapped in MULTI/EXEC (expiry, eviction). */
  public void beginNoMulti() {
    if (depth == 0) noMulti = true;
    depth++;
  }

  /** True while operations are dropped (a script's redis.set_repl(redis.REPL_NONE)). */
  private boolean suppressed;

  /** While on, {@link #add} drops operations: a script asked not to replicate its writes. */
  public void suppress(boolean on) {
    suppressed = on;
  }

  /** Queues one operation of the current unit. */
  public void add(int db, byte[][] argv) {
    if (feeds.isEmpty() || suppressed) return;
    pending.add(argv);
    pendingDbs.add(new int[] {db});
    if (depth == 0) flush();
  }

  /** Closes a unit; the outermost close hands its operations to the feeds. */
  public void end() {
    if (--depth == 0) flush();
  }

  public void inTransaction(boolean on) {
    inTransaction = on;
  }

  private void flush() {
    int n = pending.size();
    if (n > 0) {
      boolean wrap = n > 1 && !noMulti && !inTransaction;
      // MULTI takes the first operation's database (so its SELECT comes first), EXEC the last
      // one's (so that no SELECT comes between the last operation and EXEC), as Redis does.
      if (wrap) emit(pendingDbs.get(0)[0], MULTI);
      for (int i = 0; i < n; i++) emit(pendingDbs.get(i)[0], pending.get(i));
      if (wrap) emit(pendingDbs.get(n - 1)[0], EXEC);
      pending.clear();
      pendingDbs.clear();
    }
    noMulti = false;
  }

  private void emit(int db, byte[][] argv) {
    for (Feed f : feeds) f.feed(db, argv);
  }
}
