package io.redstart.replication;

import io.netty.util.concurrent.ScheduledFuture;
import io.redstart.blocking.Blocking;
import io.redstart.command.Errors;
import io.redstart.resp.Numbers;
import io.redstart.server.Client;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * WAIT numreplicas timeout (Redis's synchronous replication): the client waits until that many
 * replicas acknowledged the replication offset its last command left the stream at, or until the
 * timeout; the reply is the number of replicas that acknowledged it. A WAIT that must wait asks
 * every replica for an acknowledgement (REPLCONF GETACK) before the next replies leave.
 *
 * <p>Waiting clients are kept newest first and served in that order, with Redis's shortcut: once a
 * client is satisfied at an offset and count, later ones asking no more are answered with the same
 * count without counting again.
 *
 * <p>Owned by the keyspace thread.
 */
final class Waits {
  private static final class Waiter {
    final Client client;
    final long offset;
    final long numReplicas;
    ScheduledFuture<?> timer;

    Waiter(Client client, long offset, long numReplicas) {
      this.client = client;
      this.offset = offset;
      this.numReplicas = numReplicas;
    }
  }

  private final Replication repl;
  /** Newest first, as Redis's clients_waiting_acks. */
  private final LinkedList<Waiter> waiting = new LinkedList<>();
  private final Map<Client, Waiter> byClient = new IdentityHashMap<>();
  /** Each client's replication offset after its last command (Redis's c->woff). */
  private final Map<Client, Long> woff = new IdentityHashMap<>();

  Waits(Replication repl) {
    this.repl = repl;
    repl.server.addClientFlags((c, sb) -> {
      if (byClient.containsKey(c)) sb.append('b');
    });
  }

  /** After every command: remember where the stream is, for this client's next WAIT. */
  void afterCall(Client c) {
    if (!repl.buffer.active()) return;
    long o = repl.buffer.offset();
    Long prev = woff.get(c);
    if (prev == null || prev != o) woff.put(c, o);
  }

  private long woff(Client c) {
    Long o = woff.get(c);
    return o == null ? 0 : o;
  }

  /** WAIT numreplicas timeout. */
  void waitCommand(Client c, byte[][] argv) {
    if (repl.isReplica()) {
      c.error("ERR WAIT cannot be used with replica instances. Please also note that since Redis"
          + " 4.0 if a replica is configured to be writable (which is not the default) writes to"
          + " replicas are just local and are not propagated.");
      return;
    }
    if (!Numbers.isLong(argv[1])) {
      c.error(Errors.NOT_AN_INTEGER);
      return;
    }
    long numReplicas = Numbers.parseLong(argv[1]);
    long now = repl.server.keyspace().clock().millis();
    long deadline = Blocking.timeoutMillisOrReply(c, argv[2], now);
    if (deadline == Blocking.INVALID_TIMEOUT) return;
    long offset = woff(c);
    int acked = countAcks(offset);
    if (acked >= numReplicas || repl.server.inTransactionOrScript()) {
      c.reply().integer(acked);
      return;
    }
    Waiter w = new Waiter(c, offset, numReplicas);
    waiting.addFirst(w);
    byClient.put(c, w);
    c.blocked(true);
    if (deadline > 0) {
      long delay = Math.max(0, deadline - now);
      w.timer = repl.server.schedule(() -> timedOut(w), delay, TimeUnit.MILLISECONDS);
    }
    repl.requestAcks();
  }

  /** replicationCountAcksByOffset: online replicas that acknowledged {@code offset}. */
  int countAcks(long offset) {
    int n = 0;
    for (Replica r : repl.replicas) {
      if (r.state == Replica.State.ONLINE && r.ackOffset >= offset) n++;
    }
    return n;
  }

  /** processClientsWaitingReplicas: answers the waiting clients that are satisfied. */
  void process() {
    if (waiting.isEmpty()) return;
    long lastOffset = 0;
    int lastCount = 0;
    for (Waiter w : new ArrayList<>(waiting)) {
      if (lastOffset != 0 && lastOffset >= w.offset && lastCount >= w.numReplicas) {
        release(w);
        w.client.reply().integer(lastCount);
        continue;
      }
      int n = countAcks(w.offset);
      if (n >= w.numReplicas) {
        lastOffset = w.offset;
        lastCount = n;
        release(w);
        w.client.reply().integer(n);
      }
    }
  }

  private void timedOut(Waiter w) {
    if (byClient.get(w.client) != w) return;
    repl.server.keyspace().updateTime();
    release(w);
    w.client.reply().integer(countAcks(w.offset));
    repl.server.flushPending();
  }

  private void release(Waiter w) {
    waiting.remove(w);
    byClient.remove(w.client);
    if (w.timer != null) w.timer.cancel(false);
    w.client.blocked(false);
    if (!w.client.isClosed()) repl.server.resumeClient(w.client);
  }

  /** Whether the client waits in WAIT. */
  boolean isWaiting(Client c) {
    return byClient.containsKey(c);
  }

  void clientClosed(Client c) {
    woff.remove(c);
    Waiter w = byClient.remove(c);
    if (w != null) {
      waiting.remove(w);
      if (w.timer != null) w.timer.cancel(false);
    }
  }

  /**
   * disconnectAllBlockedClients: the instance becomes a replica, so every client blocked in a
   * command (WAIT here, lists and the like through the blocking subsystem) gets an UNBLOCKED
   * error and is closed after it.
   */
  void disconnectAll() {
    String err = "UNBLOCKED force unblock from blocking operation, instance state changed (master"
        + " -> replica?)";
    Blocking blocking = repl.server.component(Blocking.class);
    for (Client c : new ArrayList<>(repl.server.clients().values())) {
      if (!c.blocked()) continue;
      Waiter w = byClient.get(c);
      if (w != null) {
        waiting.remove(w);
        byClient.remove(c);
        if (w.timer != null) w.timer.cancel(false);
        c.blocked(false);
        c.error(err);
      } else if (!blocking.unblockWith(c, cc -> cc.error(err))) {
        continue;
      }
      c.closeAfterReply();
    }
  }

  /** The clients waiting now (for tests and INFO). */
  List<Client> waitingClients() {
    List<Client> out = new ArrayList<>();
    for (Waiter w : waiting) out.add(w.client);
    return out;
  }
}
