package io.redstart.command.stream;

import io.redstart.blocking.Blocking;
import io.redstart.command.CommandSpec;
import io.redstart.command.Errors;
import io.redstart.server.Client;
import io.redstart.server.RedstartServer;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.types.ValueType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Releases clients blocked in XREADGROUP whose stream key is deleted or overwritten, as Redis 7.0's
 * unblockDeletedStreamReadgroupClients: a client blocked in XREADGROUP needs both its key and its
 * group, so when the key stops being a stream (DEL, SET, expiry, eviction, RENAME, MOVE, FLUSHDB,
 * FLUSHALL, SWAPDB ...) it is answered {@code -UNBLOCKED the stream key no longer exists} at once,
 * rather than waiting for an XADD that could never serve it; when the key holds another stream
 * without its group, {@code -NOGROUP}. XREAD clients keep waiting, as in Redis.
 *
 * <p>Keys with XREADGROUP waiters are remembered when they block; a change to one of them (the
 * modified-key signal every write sends, flushes, swaps) marks it for a check after the command,
 * transaction or script, or after the cron task that expired it.
 *
 * <p>Owned by the keyspace thread.
 */
public final class StreamWaits {
  private record Key(int db, ByteBuffer key) {
    static Key of(int db, byte[] key) {
      return new Key(db, ByteBuffer.wrap(key));
    }
  }

  private final RedstartServer server;

  /** Keys that had XREADGROUP waiters when last looked at (some may have none by now). */
  private final Set<Key> groupKeys = new HashSet<>();

  private final LinkedHashSet<Key> toCheck = new LinkedHashSet<>();
  private boolean checkScheduled;

  public StreamWaits(RedstartServer server) {
    this.server = server;
    server.events().addModifiedKeyListener((c, db, key) -> changed(db.id(), key));
    server.addFlushHook(this::flushed);
    server.addSwapDbHook(this::swapped);
    server.addAfterCommandHook(this::check);
  }

  /** An XREADGROUP client blocked on these keys of {@code db}. */
  void groupWaitOn(Database db, List<byte[]> keys) {
    for (byte[] k : keys) groupKeys.add(Key.of(db.id(), k.clone()));
  }

  private void changed(int db, byte[] key) {
    if (groupKeys.isEmpty()) return;
    Key k = Key.of(db, key);
    if (groupKeys.contains(k)) mark(k);
  }

  private void flushed(int index) {
    for (Key k : groupKeys) if (index < 0 || k.db() == index) mark(k);
  }

  private void swapped(int a, int b) {
    for (Key k : groupKeys) if (k.db() == a || k.db() == b) mark(k);
  }

  private void mark(Key k) {
    toCheck.add(k);
    if (!checkScheduled && server.inLoop()) {
      // Changes outside a command (active expiry, eviction in the cron) are checked after it.
      checkScheduled = true;
      server.schedule(this::check, 0, TimeUnit.MILLISECONDS);
    }
  }

  /** Answers the XREADGROUP waiters of the marked keys that can no longer be served. */
  private void check() {
    checkScheduled = false;
    if (toCheck.isEmpty()) return;
    Blocking blocking = server.component(Blocking.class);
    List<Key> keys = new ArrayList<>(toCheck);
    toCheck.clear();
    boolean replied = false;
    for (Key k : keys) {
      byte[] key = k.key().array();
      Database db = server.keyspace().db(k.db());
      Object entry = server.keyspace().lookupQuiet(db, key);
      boolean waiters = false;
      for (Client cl : blocking.clientsBlockedOn(db, key)) {
        if (!(blocking.readiness(cl) instanceof StreamReadCommands.StreamWait w)
            || w.group == null) {
          continue;
        }
        waiters = true;
        String error;
        if (entry == null || Entries.type(entry) != ValueType.STREAM) {
          error = Errors.XREADGROUP_KEY_GONE;
        } else if (Streams.value(entry).group(w.group) == null) {
          error = Errors.XREADGROUP_GROUP_GONE;
        } else {
          continue;
        }
        CommandSpec cmd = server.dispatcher().lookupByName("xreadgroup");
        if (cmd != null) cmd.failedCalls++;
        blocking.unblockWith(cl, c -> c.error(error));
        replied = true;
      }
      if (!waiters) groupKeys.remove(k);
    }
    if (replied) server.flushPending();
  }
}
