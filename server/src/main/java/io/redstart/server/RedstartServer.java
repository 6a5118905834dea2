package io.redstart.server;

import io.netty.channel.EventLoop;
import io.redstart.command.CommandFlags;
import io.redstart.command.CommandSpec;
import io.redstart.command.CommandTable;
import io.redstart.command.Dispatcher;
import io.redstart.config.Config;
import io.redstart.config.ConfigParams;
import io.redstart.config.KeyspaceEventFlags;
import io.redstart.propagation.Propagator;
import io.redstart.store.ActiveExpiry;
import io.redstart.store.Database;
import io.redstart.store.Keyspace;
import io.redstart.util.Clock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running Redstart server: configuration, keyspace, command dispatcher, clients, the event loop
 * that owns them all, and the cron that drives expiry and housekeeping at {@code hz}.
 *
 * <p>Everything that touches the keyspace runs on the single event-loop thread ({@link
 * #execute}); {@link #start} and {@link #shutdown} may be called from any thread.
 */
public final class RedstartServer {
  /** The Redis version whose behaviour we follow, reported where clients look for it. */
  public static final String REDIS_VERSION = "7.0.15";

  /** Redstart's own version. */
  public static final String VERSION = "0.1.0";

  private final Config config;
  private final Log log;
  private final Keyspace keyspace;
  private final ActiveExpiry activeExpiry;
  private final Dispatcher dispatcher;
  private final Propagator propagator = new Propagator();
  private final CommandGates gates = new CommandGates();
  private final Pauses pauses = new Pauses(this);
  private final ServerStats stats = new ServerStats();
  private final KeyspaceEvents events;
  private final io.redstart.info.Info info;
  private final io.redstart.info.LatencyTracker latency = new io.redstart.info.LatencyTracker();
  private final io.redstart.info.SlowLog slowLog;
  private final io.redstart.info.LatencyMonitor latencyMonitor;
  private final Map<Long, Client> clients = new LinkedHashMap<>();
  private final List<Client> pendingFlush = new ArrayList<>();
  private final String runId;
  private final long startMillis;
  private final long startNanos;
  private final boolean embedded;

  private NettyTransport transport;
  private EventLoop loop;
  private int port;
  /** Client ids as Redis hands them out: its own Lua and function clients take 1 and 2. */
  private long nextClientId = 3;

  private long nextInternalClientId = 1;
  private long dirty;
  private long statPeakMemory;
  private boolean loading;
  private volatile boolean stopped;
  private final CountDownLatch stoppedLatch = new CountDownLatch(1);
  private final List<Runnable> shutdownHooks = new ArrayList<>();

  // Hot config values, refreshed by listeners.
  private volatile long protoMaxBulkLen;
  private volatile long clientQueryBufferLimit;
  private volatile int hz;
  private volatile int tcpKeepAlive;
  private volatile io.redstart.config.SpecialParams.BufferLimits outputLimits;
  private volatile long replBacklogSize;

  public RedstartServer(Config config, Log log, Clock clock, boolean embedded) {
    this.config = config;
    this.log = log;
    this.embedded = embedded;
    this.keyspace = new Keyspace(config.getInt(ConfigParams.DATABASES), clock);
    this.activeExpiry = new ActiveExpiry(keyspace);
    this.dispatcher = new Dispatcher(this, CommandTable.commands());
    this.events = new KeyspaceEvents(this, config);
    this.info = new io.redstart.info.Info(this);
    this.slowLog = new io.redstart.info.SlowLog(config, () -> clock.millis() / 1000);
    this.latencyMonitor = new io.redstart.info.LatencyMonitor(config, () -> clock.millis() / 1000);
    byte[] id = new byte[20];
    new SecureRandom().nextBytes(id);
    this.runId = HexFormat.of().formatHex(id);
    this.startMillis = clock.millis();
    this.startNanos = System.nanoTime();
    applyConfig();
    keyspace.hooks(
        new Keyspace.Hooks() {
          @Override
          public void keyExpired(Database db, byte[] key) {
            RedstartServer.this.keyExpired(db, key);
          }

          @Override
          public void keyMissed(Database db, byte[] key) {
            events.notify(KeyspaceEventFlags.KEY_MISS, "keymiss", key, db.id());
          }
        });
    this.eviction = new io.redstart.store.Eviction(keyspace, new EvictionHost());
    configureEviction();
    for (var p : List.of(ConfigParams.MAXMEMORY, ConfigParams.MAXMEMORY_POLICY,
        ConfigParams.MAXMEMORY_SAMPLES, ConfigParams.MAXMEMORY_EVICTION_TENACITY)) {
      config.onChange(p, x -> {
        configureEviction();
        if (loop != null) execute(this::evictInCron);
      });
    }
    gates.install(CommandGates.Stage.MEMORY, this::memoryGate);
    Subsystems.install(this);
  }

  private void applyConfig() {
    protoMaxBulkLen = config.getLong(ConfigParams.PROTO_MAX_BULK_LEN);
    clientQueryBufferLimit = config.getLong(ConfigParams.CLIENT_QUERY_BUFFER_LIMIT);
    hz = clampHz(config.getInt(ConfigParams.HZ));
    tcpKeepAlive = config.getInt(ConfigParams.TCP_KEEPALIVE);
    outputLimits = config.clientOutputBufferLimits();
    replBacklogSize = config.getLong(ConfigParams.REPL_BACKLOG_SIZE);
    log.level(Log.levelOf(config.getEnum(ConfigParams.LOGLEVEL)));
    applyEvictionPolicy();
    config.onChange(ConfigParams.PROTO_MAX_BULK_LEN, p -> {
      protoMaxBulkLen = config.getLong(p);
      for (Client c : clients.values()) c.parser().setMaxBulkLength(protoMaxBulkLen);
    });
    config.onChange(ConfigParams.CLIENT_QUERY_BUFFER_LIMIT, p -> clientQueryBufferLimit = config.getLong(p));
    config.onChange(ConfigParams.HZ, p -> hz = clampHz(config.getInt(p)));
    config.onChange(ConfigParams.TCP_KEEPALIVE, p -> tcpKeepAlive = config.getInt(p));
    config.onChange(
        ConfigParams.CLIENT_OUTPUT_BUFFER_LIMIT, p -> outputLimits = config.clientOutputBufferLimits());
    config.onChange(ConfigParams.REPL_BACKLOG_SIZE, p -> replBacklogSize = config.getLong(p));
    config.onChange(ConfigParams.LOGLEVEL, p -> log.level(Log.levelOf(config.getEnum(p))));
    config.onChange(ConfigParams.MAXMEMORY_POLICY, p -> applyEvictionPolicy());
    applyLatencyTracking();
    config.onChange(ConfigParams.LATENCY_TRACKING, p -> applyLatencyTracking());
    config.onChange(ConfigParams.LATENCY_TRACKING_INFO_PERCENTILES, p -> applyLatencyTracking());
    config.onChange(ConfigParams.LFU_LOG_FACTOR, p -> applyEvictionPolicy());
    config.onChange(ConfigParams.LFU_DECAY_TIME, p -> applyEvictionPolicy());
    config.onChange(ConfigParams.REQUIREPASS, p -> { });
  }

  private final io.redstart.store.Eviction eviction;

  private void configureEviction() {
    eviction.configure(
        config.getLong(ConfigParams.MAXMEMORY),
        io.redstart.store.Eviction.Policy.of(config.getEnum(ConfigParams.MAXMEMORY_POLICY)),
        config.getInt(ConfigParams.MAXMEMORY_SAMPLES),
        config.getInt(ConfigParams.MAXMEMORY_EVICTION_TENACITY));
  }

  public io.redstart.store.Eviction eviction() {
    return eviction;
  }

  /**
   * processCommand's maxmemory step: evict first; when memory is still over the limit and
   * nothing more can go, refuse commands that may grow memory (and anything queued in MULTI but
   * EXEC, DISCARD, QUIT and RESET) with OOM.
   */
  private String memoryGate(Client c, CommandSpec cmd, byte[][] argv) {
    // A suspended script owns the keyspace: no eviction then, as Redis.
    if (eviction.maxmemory() == 0 || insideYieldingLongCommand()) return null;
    int result;
    propagator.beginNoMulti();
    try {
      result = eviction.perform();
    } finally {
      propagator.end();
    }
    if (result != io.redstart.store.Eviction.FAIL) return null;
    boolean reject = cmd.has(io.redstart.command.CommandFlags.DENYOOM);
    String name = cmd.parent() == null ? cmd.name : cmd.parent().name;
    if (gates.inMulti(c)
        && !(name.equals("exec") || name.equals("discard") || name.equals("quit")
            || name.equals("reset"))) {
      reject = true;
    }
    // EXEC is refused (EXECABORT ... OOM) when it would run a command that may grow memory.
    if (name.equals("exec") && gates.queuedCommandHas(c, io.redstart.command.CommandFlags.DENYOOM)) {
      reject = true;
    }
    return reject ? io.redstart.command.Errors.OOM : null;
  }

  /** Keeps evicting from the cron while memory stays over the limit (Redis's eviction timer). */
  private void evictInCron() {
    if (eviction.maxmemory() == 0) return;
    propagator.beginNoMulti();
    try {
      eviction.perform();
    } finally {
      propagator.end();
    }
  }

  private final class EvictionHost implements io.redstart.store.Eviction.Host {
    @Override
    public void latencySample(String event, long millis) {
      latencyMonitor.addSampleIfNeeded(event, millis);
    }

    @Override
    public long usedMemoryForEviction() {
      return usedMemory() - memoryNotCountedForEviction();
    }

    @Override
    public void evicted(Database db, byte[] key) {
      events.signalModified(null, db, key);
      events.notify(KeyspaceEventFlags.EVICTED, "evicted", key, db.id());
      propagator.add(db.id(), new byte[][] {DEL, key});
    }

    @Override
    public boolean evictionUnsafe() {
      return loading || pauses.writesPaused()
          || (isReplica() && config.getBool(ConfigParams.REPLICA_IGNORE_MAXMEMORY))
          || inTransactionOrScript();
    }
  }

  private final List<java.util.function.LongSupplier> notCountedForEviction = new ArrayList<>();

  /** Memory Redis does not count against maxmemory: replication backlog and buffers, AOF buffer. */
  public void addMemoryNotCountedForEviction(java.util.function.LongSupplier s) {
    notCountedForEviction.add(s);
  }

  public long memoryNotCountedForEviction() {
    long n = 0;
    for (var s : notCountedForEviction) n += s.getAsLong();
    return n;
  }

  private void applyEvictionPolicy() {
    String policy = config.getEnum(ConfigParams.MAXMEMORY_POLICY);
    keyspace.evictionPolicy(
        policy.endsWith("lfu"),
        config.getInt(ConfigParams.LFU_LOG_FACTOR),
        config.getInt(ConfigParams.LFU_DECAY_TIME));
  }

  private void applyLatencyTracking() {
    latency.enabled(config.getBool(ConfigParams.LATENCY_TRACKING));
    List<Double> p = config.latencyTrackingPercentiles();
    double[] percentiles = new double[p.size()];
    for (int i = 0; i < percentiles.length; i++) percentiles[i] = p.get(i);
    latency.percentiles(percentiles);
  }

  private static int clampHz(int hz) {
    return Math.max(1, Math.min(500, hz));
  }

  // ---- lifecycle

  /** Binds the listeners and starts the event loop and the cron. Returns once accepting. */
  public void start() throws Exception {
    start(() -> {});
  }

  /**
   * As {@link #start()}, running {@code afterBind} once the listeners are bound and before the
   * "Ready to accept connections" line (Redis prints its logo there). Throws when a listener
   * cannot be bound, with Redis's "Could not create server TCP listening socket" text.
   */
  public void start(Runnable afterBind) throws Exception {
    transport = new NettyTransport(this);
    loop = transport.group().next();
    if (!startupTasks.isEmpty()) {
      // Loading data (persistence) happens on the keyspace thread before the listeners open.
      io.netty.util.concurrent.Future<?> f = loop.submit(() -> {
        for (Runnable r : startupTasks) r.run();
      });
      f.awaitUninterruptibly();
      if (!f.isSuccess()) {
        transport.shutdownGroup();
        Throwable cause = f.cause();
        if (cause instanceof Exception e) throw e;
        throw new IllegalStateException(cause);
      }
    }
    try {
      port = transport.bind(
          config.format(ConfigParams.BIND), config.getInt(ConfigParams.PORT),
          config.getInt(ConfigParams.TCP_BACKLOG));
    } catch (Exception e) {
      transport.shutdownGroup();
      throw e;
    }
    afterBind.run();
    scheduleCron();
    config.onChange(ConfigParams.PORT, p -> rebind("Unable to listen on this port. Check server logs."));
    config.onChange(ConfigParams.BIND, p -> rebind("Failed to bind to specified addresses."));
    log.notice("Ready to accept connections tcp");
  }

  private void rebind(String refusal) {
    try {
      port = transport.rebind(config.format(ConfigParams.BIND), config.getInt(ConfigParams.PORT),
          config.getInt(ConfigParams.TCP_BACKLOG));
    } catch (Exception e) {
      log.warning(e.getMessage());
      throw new Config.ConfigApplyException(refusal);
    }
  }

  /**
   * Opens an outgoing connection whose events run on the keyspace thread (the replication link to
   * a master). Keyspace thread.
   */
  public io.netty.channel.ChannelFuture connect(
      String host, int port, int timeoutMillis, io.netty.channel.ChannelHandler handler) {
    return transport.connect(host, port, timeoutMillis, handler);
  }

  private final List<Runnable> startupTasks = new ArrayList<>();

  /**
   * Work to run on the keyspace thread when the server starts, before it accepts connections
   * (loading data from disk). A task that throws stops the start.
   */
  public void addStartupTask(Runnable task) {
    startupTasks.add(task);
  }

  /** Runs {@code task} on the keyspace thread (at once before the server has started). */
  public void execute(Runnable task) {
    if (loop == null || loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  /** Runs {@code task} on the keyspace thread and waits for its result. */
  public <T> T call(java.util.concurrent.Callable<T> task) throws Exception {
    if (loop.inEventLoop()) return task.call();
    CompletableFuture<T> f = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        f.complete(task.call());
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    return f.get(60, TimeUnit.SECONDS);
  }

  public boolean inLoop() {
    return loop != null && loop.inEventLoop();
  }

  private void scheduleCron() {
    loop.schedule(this::cron, 1000 / hz, TimeUnit.MILLISECONDS);
  }

  private long cronLoops;
  private long lastStatsSample;

  /** serverCron: runs every 1000/hz ms on the keyspace thread. */
  private void cron() {
    if (stopped) return;
    if (insideYieldingLongCommand()) {
      // A suspended script owns the keyspace: no expiry or housekeeping until it ends.
      scheduleCron();
      return;
    }
    try {
      long now = keyspace.updateTime();
      cronLoops++;
      if (now - lastStatsSample >= 100) {
        stats.sample(now);
        lastStatsSample = now;
      }
      pauses.checkTimeout(now);
      clientsCron(now);
      if (!pauses.writesPaused()) {
        propagator.beginNoMulti();
        try {
          expireCycle(false);
        } finally {
          propagator.end();
        }
      }
      sampleClientBuffers();
      evictInCron();
      long used = usedMemory();
      if (used > statPeakMemory) statPeakMemory = used;
      for (Runnable r : cronTasks) r.run();
      flushPending();
    } catch (Throwable t) {
      log.warning("Unexpected error in cron: " + t);
    } finally {
      if (!stopped) scheduleCron();
    }
  }

  /** One active expiry cycle, its time reported to the latency monitor as "expire-cycle". */
  private void expireCycle(boolean fast) {
    long start = System.nanoTime();
    activeExpiry.cycle(fast, hz, config.getInt(ConfigParams.ACTIVE_EXPIRE_EFFORT));
    latencyMonitor.addSampleIfNeeded("expire-cycle", (System.nanoTime() - start) / 1_000_000);
  }

  private final List<Runnable> cronTasks = new ArrayList<>();

  /** Adds a task to run at each cron tick (subsystems' housekeeping). */
  public void addCronTask(Runnable task) {
    cronTasks.add(task);
  }

  private void clientsCron(long now) {
    int timeout = config.getInt(ConfigParams.TIMEOUT);
    for (Client c : new ArrayList<>(clients.values())) {
      if (c.closeIfOutputLimitReached(false)) continue;
      if (timeout <= 0) continue;
      // Replicas, masters, MONITOR, blocked and Pub/Sub clients are never timed out.
      if (c.isReplicationLink() || c.isMonitor() || isBlocked(c) || inSubscribeContext(c)) continue;
      if (now - c.lastInteractionMillis() > timeout * 1000L) {
        log.verbose("Closing idle client");
        c.closeNow();
      }
    }
  }

  /** What the event loop does after reading, as Redis's beforeSleep. */
  void afterReadBatch() {
    // Once per turn of the event loop, after every ready connection has been read (Netty runs
    // queued tasks after its I/O): a client gets one write for all the replies and messages of
    // the turn, however many publishers wrote to it, as Redis's beforeSleep does.
    if (endOfTurnScheduled) return;
    endOfTurnScheduled = true;
    loop.execute(this::endOfTurn);
  }

  private boolean endOfTurnScheduled;

  private void endOfTurn() {
    endOfTurnScheduled = false;
    if (stopped) return;
    flushPending();
    if (!pauses.writesPaused() && activeExpiry.enabled() && !insideYieldingLongCommand()) {
      propagator.beginNoMulti();
      try {
        expireCycle(true);
      } finally {
        propagator.end();
      }
      flushPending();
    }
  }

  /**
   * Stops the server: closes listeners and clients, runs shutdown hooks (saving is theirs), and
   * ends the event loop. A standalone server's process exits afterwards.
   */
  public void shutdown() {
    if (stopped) return;
    Runnable stop = () -> {
      if (stopped) return;
      stopped = true;
      for (Runnable r : shutdownHooks) {
        try {
          r.run();
        } catch (Throwable t) {
          log.warning("Error during shutdown: " + t);
        }
      }
      transport.closeListeners();
      for (Client c : new ArrayList<>(clients.values())) c.closeNow();
      flushPending();
      log.warning("Redis is now ready to exit, bye bye...");
      transport.shutdownGroup();
      stoppedLatch.countDown();
    };
    if (loop == null) {
      stopped = true;
      stoppedLatch.countDown();
      return;
    }
    if (loop.inEventLoop()) {
      stop.run();
    } else {
      loop.execute(stop);
      // Stopping may save the dataset first (SIGTERM with save points): wait as long as that takes.
      awaitStop(600_000);
    }
  }

  /** Waits until the server has stopped; true if it did within the time. */
  public boolean awaitStop(long millis) {
    try {
      return stoppedLatch.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public void addShutdownHook(Runnable hook) {
    shutdownHooks.add(hook);
  }

  public boolean isStopped() {
    return stopped;
  }

  public boolean isEmbedded() {
    return embedded;
  }

  // ---- clients

  /** The refusal to send a new connection (max clients, protected mode), or null to accept it. */
  String acceptRefusal(Connection conn) {
    if (clients.size() >= config.getLong(ConfigParams.MAXCLIENTS)) {
      stats.rejectedConnections++;
      return "-ERR max number of clients reached\r\n";
    }
    if (config.getBool(ConfigParams.PROTECTED_MODE) && !authRequired() && !conn.isLocal()) {
      stats.rejectedConnections++;
      return PROTECTED_MODE_DENIED;
    }
    return null;
  }

  Client newClient(Connection conn) {
    Client c = new Client(this, conn, nextClientId++);
    clients.put(c.id(), c);
    stats.totalConnectionsReceived++;
    return c;
  }

  /** A client that is not attached to a socket, for in-process use and tests. */
  public Client newLocalClient(Connection conn) {
    return newClient(conn);
  }

  /**
   * A client of the server itself, not listed among the connections (CLIENT LIST, INFO clients)
   * and never closed by timeouts: the client scripts run their commands as.
   */
  public Client newDetachedClient(Connection conn) {
    long id = nextInternalClientId < 3 ? nextInternalClientId++ : nextClientId++;
    return new Client(this, conn, id);
  }

  void clientClosed(Client c) {
    clients.remove(c.id());
    pendingFlush.remove(c);
    Held h = heldByClient.remove(c);
    if (h != null) held.remove(h);
    pauses.forget(c);
    for (ClientListener l : clientListeners) l.clientClosed(c);
  }

  /** Notified when a client goes away (blocked lists, subscriptions, MULTI state ...). */
  public interface ClientListener {
    void clientClosed(Client c);
  }

  private final List<ClientListener> clientListeners = new ArrayList<>();

  public void addClientListener(ClientListener l) {
    clientListeners.add(l);
  }

  public Map<Long, Client> clients() {
    return clients;
  }

  void markPendingFlush(Client c) {
    pendingFlush.add(c);
  }

  private final List<Runnable> beforeFlushHooks = new ArrayList<>();

  /**
   * Work done before the queued replies of a batch are written, as in Redis's beforeSleep
   * (broadcast invalidation messages of client-side caching; the AOF writes its buffer).
   */
  public void addBeforeFlushHook(Runnable r) {
    beforeFlushHooks.add(r);
  }

  /** Writes every client's queued replies; called after each batch of work. */
  public void flushPending() {
    for (int i = 0; i < beforeFlushHooks.size(); i++) beforeFlushHooks.get(i).run();
    if (pendingFlush.isEmpty()) return;
    long ticket = replyGate == null ? -1 : replyGate.ticket();
    if (ticket >= 0) {
      holdReplies(ticket);
      return;
    }
    // Flushing may close clients, which edits the list: work on a copy.
    Client[] batch = pendingFlush.toArray(new Client[0]);
    pendingFlush.clear();
    for (Client c : batch) c.flush();
  }

  // ---- replies held until durable (appendfsync always)

  /**
   * Decides whether replies may leave now: {@link #ticket} names what they depend on (-1: nothing,
   * write them now), and the gate calls {@link #releaseReplies} once tickets became durable.
   */
  public interface ReplyGate {
    /** The ticket replies written now must wait for, or -1 when they need not wait. */
    long ticket();

    /** Whether {@code ticket} is durable. */
    boolean durable(long ticket);
  }

  /** A client whose replies wait for a ticket; {@code outBytes} its reply bytes when held. */
  private static final class Held {
    final Client client;
    long ticket;
    int outBytes;

    Held(Client client, long ticket, int outBytes) {
      this.client = client;
      this.ticket = ticket;
      this.outBytes = outBytes;
    }
  }

  private ReplyGate replyGate;
  private final java.util.ArrayDeque<Held> held = new java.util.ArrayDeque<>();
  private final java.util.Map<Client, Held> heldByClient = new java.util.IdentityHashMap<>();

  /** Installs (or removes, with null) the gate that holds replies until durable. */
  public void replyGate(ReplyGate gate) {
    this.replyGate = gate;
    if (gate == null) releaseReplies();
  }

  private void holdReplies(long ticket) {
    for (Client c : pendingFlush) {
      Held h = heldByClient.get(c);
      if (h == null) {
        h = new Held(c, ticket, c.pendingReplyBytes());
        heldByClient.put(c, h);
        held.add(h);
      } else {
        h.ticket = ticket;
      }
    }
    pendingFlush.clear();
    // Replies added since a client was held depend on this ticket too.
    for (Held h : held) {
      int n = h.client.pendingReplyBytes();
      if (n != h.outBytes) {
        h.ticket = Math.max(h.ticket, ticket);
        h.outBytes = n;
      }
    }
  }

  /** Writes the held replies whose tickets are durable. Keyspace thread. */
  public void releaseReplies() {
    List<Client> released = null;
    for (java.util.Iterator<Held> it = held.iterator(); it.hasNext(); ) {
      Held h = it.next();
      int n = h.client.pendingReplyBytes();
      if (n != h.outBytes) {
        // Replies added since the last hold depend on what is written now.
        long t = replyGate == null ? -1 : replyGate.ticket();
        h.outBytes = n;
        if (t >= 0) h.ticket = Math.max(h.ticket, t);
      }
      if (replyGate != null && !replyGate.durable(h.ticket)) continue;
      it.remove();
      heldByClient.remove(h.client);
      if (released == null) released = new ArrayList<>();
      released.add(h.client);
    }
    if (released == null) return;
    // Only the released clients: others in pendingFlush may wait for a write still in the AOF
    // buffer (this runs between commands when the fsync thread reports).
    for (Client c : released) {
      pendingFlush.remove(c);
      c.flush();
    }
  }

  /**
   * Whether {@code c} runs a script that gave the event loop back: its pipelined commands wait
   * for the script's reply (Redis protects that client and reads nothing more from it).
   */
  public boolean runsSuspendedCommand(Client c) {
    return longCommands != null && longCommands.isRunning(c);
  }

  /**
   * Whether a client is waiting: in a blocking command, or in a script that gave the event loop
   * back while it runs. Its further input waits.
   */
  public boolean isBlocked(Client c) {
    return (blockedClients != null && blockedClients.isBlocked(c))
        || (longCommands != null && longCommands.isRunning(c));
  }

  /**
   * Commands that may run long and give the event loop back in the middle (scripts): while such
   * a command is suspended the loop answers other clients (BUSY, or the few commands allowed then)
   * and touches nothing of the keyspace. Installed by the scripting subsystem.
   */
  public interface LongCommands {
    /** Whether {@code cmd} is to be run through {@link #run}. */
    boolean runs(CommandSpec cmd);

    /** Runs the command as the dispatcher would (call, then the after-command work). */
    void run(Client c, CommandSpec cmd, byte[][] argv);

    /** Whether {@code c} is the client whose long command is suspended. */
    boolean isRunning(Client c);

    /** The BUSY error while a long command is past busy-reply-threshold, else null. */
    String busyError();

    /**
     * The command's flags as Redis's getCommandFlags computes them: for a call of a script or
     * function that declares flags, write, deny-oom and stale follow its flags.
     */
    default long effectiveFlags(CommandSpec cmd, byte[][] argv) {
      return cmd.flags;
    }

    /** Whether {@code cmd} may write, by {@link #effectiveFlags} (CLIENT PAUSE WRITE holds it). */
    default boolean mayWrite(CommandSpec cmd, byte[][] argv) {
      return (effectiveFlags(cmd, argv)
              & (io.redstart.command.CommandFlags.WRITE | io.redstart.command.CommandFlags.MAY_REPLICATE))
          != 0;
    }
  }

  private LongCommands longCommands;

  public void longCommands(LongCommands l) {
    this.longCommands = l;
  }

  public LongCommands longCommands() {
    return longCommands;
  }

  /**
   * Whether a long command is past its busy threshold and may be suspended: the keyspace then
   * belongs to it, and the cron, active expiry and the serving of blocked clients wait.
   */
  public boolean insideYieldingLongCommand() {
    return longCommands != null && longCommands.busyError() != null;
  }

  /** Blocking-command support (lists, zsets, streams, WAIT), installed by its subsystem. */
  public interface BlockedClients {
    boolean isBlocked(Client c);
  }

  private BlockedClients blockedClients;

  public void blockedClients(BlockedClients b) {
    this.blockedClients = b;
  }

  /** Flags contributed by subsystems to CLIENT LIST (x for MULTI, b blocked, P pubsub ...). */
  public interface ClientFlags {
    void append(Client c, StringBuilder sb);
  }

  private final List<ClientFlags> clientFlags = new ArrayList<>();

  public void addClientFlags(ClientFlags f) {
    clientFlags.add(f);
  }

  void appendClientFlags(Client c, StringBuilder sb) {
    for (ClientFlags f : clientFlags) f.append(c, sb);
  }

  /** Subscription counts for CLIENT LIST (kind 0 channels, 1 patterns, 2 shard channels). */
  public interface SubscriptionCounts {
    int count(Client c, int kind);
  }

  private SubscriptionCounts subscriptionCounts = (c, k) -> 0;

  public void subscriptionCounts(SubscriptionCounts s) {
    this.subscriptionCounts = s;
  }

  int subscriptionCount(Client c, int kind) {
    return subscriptionCounts.count(c, kind);
  }

  /** The redirection of a client's tracking (0 none), or -1 without tracking, for CLIENT LIST. */
  public interface TrackingRedirections {
    long redirection(Client c);
  }

  private TrackingRedirections trackingRedirections = c -> -1;

  public void trackingRedirections(TrackingRedirections t) {
    this.trackingRedirections = t;
  }

  long trackingRedirection(Client c) {
    return trackingRedirections.redirection(c);
  }

  /** Queued commands of a client in MULTI, or -1, for CLIENT LIST. */
  public interface MultiCounts {
    int count(Client c);
  }

  private MultiCounts multiCounts = c -> -1;

  public void multiCounts(MultiCounts m) {
    this.multiCounts = m;
  }

  int multiCount(Client c) {
    return multiCounts.count(c);
  }

  // ---- keyspace plumbing

  private void keyExpired(Database db, byte[] key) {
    // Redis notifies "expired" before it signals the key (WATCH, client-side caching).
    events.notify(KeyspaceEventFlags.EXPIRED, "expired", key, db.id());
    events.signalModified(null, db, key);
    propagator.add(db.id(), new byte[][] {DEL, key});
  }

  private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);

  private Client currentClient;

  /**
   * The client whose command is running (Redis's server.current_client): set by the dispatcher
   * for the length of a call, nested calls included; null between commands (cron, expiry).
   */
  public Client currentClient() {
    return currentClient;
  }

  private Client topClient;

  /**
   * The client of the outermost running call: the one whose command the server is serving, also
   * while a script or EXEC runs commands inside it (Redis 7.0's server.current_client, which a
   * script's own calls do not change); null between commands.
   */
  public Client topClient() {
    return topClient;
  }

  /** Makes {@code c} the current client; returns the previous one, to be restored after. */
  public Client enterCall(Client c) {
    Client outer = currentClient;
    currentClient = c;
    if (outer == null) topClient = c;
    return outer;
  }

  public void exitCall(Client outer) {
    currentClient = outer;
    if (outer == null) topClient = null;
  }

  /**
   * Called by the dispatcher after each command: latency histogram, latency monitor ("command" or
   * "fast-command"), slow log, then the listeners. A command that left its client blocked enters
   * the slow log when it is released ({@link #blockedCommandFinished}), as in Redis.
   */
  public void afterCall(Client c, CommandSpec cmd, byte[][] argv, long micros) {
    latency.record(cmd, micros);
    latencyMonitor.addSampleIfNeeded(
        cmd.has(io.redstart.command.CommandFlags.FAST) ? "fast-command" : "command", micros / 1000);
    if (!c.blocked()) slowLog(c, cmd, argv, micros);
    for (AfterCallListener l : afterCallListeners) l.afterCall(c, cmd, argv, micros);
  }

  /**
   * A blocked command was released (served, timed out or unblocked): it enters the slow log with
   * {@code micros}, the time it ran when first called and when served.
   */
  public void blockedCommandFinished(Client c, CommandSpec cmd, byte[][] argv, long micros) {
    slowLog(c, cmd, argv, micros);
  }

  private void slowLog(Client c, CommandSpec cmd, byte[][] argv, long micros) {
    slowLog.commandFinished(cmd, argv, micros, c.connection().remoteAddress(), c.name());
  }

  /** The slow log (SLOWLOG). */
  public io.redstart.info.SlowLog slowLog() {
    return slowLog;
  }

  /** The latency monitor (LATENCY, latency-monitor-threshold). */
  public io.redstart.info.LatencyMonitor latencyMonitor() {
    return latencyMonitor;
  }

  /** Hooks run after every command (blocked-client wakeups, slowlog, monitors). */
  public interface AfterCallListener {
    void afterCall(Client c, CommandSpec cmd, byte[][] argv, long micros);
  }

  private final List<AfterCallListener> afterCallListeners = new ArrayList<>();

  public void addAfterCallListener(AfterCallListener l) {
    afterCallListeners.add(l);
  }

  // ---- connection state, authentication, databases

  /** Whether the client is subscribed to anything (the RESP2 subscribe context). */
  public boolean inSubscribeContext(Client c) {
    return subscriptionCounts.count(c, 0) + subscriptionCounts.count(c, 1)
        + subscriptionCounts.count(c, 2) > 0;
  }

  private final List<java.util.function.Consumer<Client>> clientResetHooks = new ArrayList<>();

  /** Subsystems clear their per-client state here on RESET (MULTI, subscriptions, tracking). */
  public void addClientResetHook(java.util.function.Consumer<Client> hook) {
    clientResetHooks.add(hook);
  }

  /** RESET: database 0, RESP2, default authentication, no name, replies on, subsystems cleared. */
  public void resetClient(Client c) {
    for (java.util.function.Consumer<Client> h : clientResetHooks) h.accept(c);
    c.select(0);
    c.protocol(2);
    c.deauthenticate();
    c.name("");
    c.replyMode(Client.ReplyMode.ON);
    c.noTouch(false);
  }

  /** Checks a user's password; the ACL subsystem replaces this with its own. */
  public interface Authenticator {
    /** The user's name when the credentials are good, else null. */
    boolean check(String user, byte[] password);

    boolean userExists(String user);
  }

  private Authenticator authenticator =
      new Authenticator() {
        @Override
        public boolean check(String user, byte[] password) {
          if (!user.equals("default")) return false;
          String pass = config.getString(ConfigParams.REQUIREPASS);
          if (pass.isEmpty()) return true;
          return java.security.MessageDigest.isEqual(
              pass.getBytes(StandardCharsets.ISO_8859_1), password);
        }

        @Override
        public boolean userExists(String user) {
          return user.equals("default");
        }
      };

  public void authenticator(Authenticator a) {
    this.authenticator = a;
  }

  /** Authenticates the client as {@code user}; false (client unchanged) on bad credentials. */
  public boolean authenticate(Client c, String user, byte[] password) {
    if (!authenticator.check(user, password)) return false;
    c.authenticated(user);
    return true;
  }

  public boolean userExists(String user) {
    return authenticator.userExists(user);
  }

  /** Whether this server replicates from a master (the replication subsystem sets it). */
  public boolean isReplica() {
    return keyspace.isReplica();
  }

  private java.util.function.BooleanSupplier runningStale = () -> false;

  /**
   * Whether this is a replica whose link is down while replica-serve-stale-data is no (Redis's
   * running_stale, which scripts check). The replication subsystem supplies the answer.
   */
  public boolean runningStale() {
    return runningStale.getAsBoolean();
  }

  public void runningStale(java.util.function.BooleanSupplier s) {
    this.runningStale = s;
  }

  private final List<java.util.function.BiConsumer<Integer, Integer>> swapHooks = new ArrayList<>();

  /** Subsystems that track keys per database (WATCH, blocked clients) react to SWAPDB here. */
  public void addSwapDbHook(java.util.function.BiConsumer<Integer, Integer> hook) {
    swapHooks.add(hook);
  }

  public void swapDatabases(int a, int b) {
    keyspace.db(a).swapWith(keyspace.db(b));
    activeExpiry.resetAvgTtl(a);
    activeExpiry.resetAvgTtl(b);
    for (var h : swapHooks) h.accept(a, b);
  }

  private final List<java.util.function.IntConsumer> flushHooks = new ArrayList<>();

  /** Called with the database index (-1 for all) before it is emptied (WATCH, blocking ...). */
  public void addFlushHook(java.util.function.IntConsumer hook) {
    flushHooks.add(hook);
  }

  /** Empties one database, or all with -1; returns the number of keys removed. */
  public long flushDatabase(Client c, int index) {
    for (var h : flushHooks) h.accept(index);
    long removed = 0;
    for (int i = 0; i < keyspace.databases(); i++) {
      if (index >= 0 && i != index) continue;
      Database db = keyspace.db(i);
      removed += db.size();
      db.clear();
      activeExpiry.resetAvgTtl(i);
    }
    return removed;
  }

  private final List<Runnable> afterFlushAllHooks = new ArrayList<>();

  /** Persistence saves an empty snapshot after FLUSHALL when save points are set. */
  public void addAfterFlushAllHook(Runnable r) {
    afterFlushAllHooks.add(r);
  }

  public void afterFlushAll() {
    for (Runnable r : afterFlushAllHooks) r.run();
  }

  /** Decides whether SHUTDOWN may proceed (persistence saves here); false refuses it. */
  public interface ShutdownGuard {
    boolean prepare(boolean save, boolean explicitSave);
  }

  private final List<ShutdownGuard> shutdownGuards = new ArrayList<>();

  public void addShutdownGuard(ShutdownGuard g) {
    shutdownGuards.add(g);
  }

  public boolean prepareShutdown(boolean save, boolean explicitSave) {
    for (ShutdownGuard g : shutdownGuards) if (!g.prepare(save, explicitSave)) return false;
    return true;
  }

  public int blockedClientCount() {
    int n = 0;
    if (blockedClients == null) return 0;
    for (Client c : clients.values()) if (blockedClients.isBlocked(c)) n++;
    return n;
  }

  private final List<Runnable> afterCommandHooks = new ArrayList<>();

  /**
   * Work to do after each top-level command (not after each command of a transaction or a
   * script): serving clients blocked on keys that became ready.
   */
  public void addAfterCommandHook(Runnable r) {
    afterCommandHooks.add(r);
  }

  /** Called by the dispatcher after a top-level command. */
  public void afterCommand() {
    if (insideYieldingLongCommand()) return; // a suspended script owns the keyspace
    for (Runnable r : afterCommandHooks) r.run();
  }

  private int transactionDepth;

  /** Marks the start and end of EXEC or a script: blocking commands must not block inside. */
  public void enterTransactionOrScript() {
    transactionDepth++;
  }

  public void exitTransactionOrScript() {
    transactionDepth--;
  }

  public boolean inTransactionOrScript() {
    return transactionDepth > 0;
  }

  /** Runs {@code task} on the keyspace thread after {@code delay}. */
  public io.netty.util.concurrent.ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return loop.schedule(task, delay, unit);
  }

  /**
   * Lets a client that was blocked or paused go on with its pipelined input, after the current
   * batch of work (as Redis's processUnblockedClients in beforeSleep).
   */
  public void resumeClient(Client c) {
    loop.execute(() -> {
      if (c.isClosed() || isBlocked(c)) return;
      keyspace.updateTime();
      c.processInput();
      flushPending();
    });
  }

  private final Map<Class<?>, Object> components = new java.util.HashMap<>();

  /** Registers a subsystem so handlers can find it with {@link #component}. */
  public <T> void register(Class<T> type, T instance) {
    components.put(type, instance);
  }

  /** The registered subsystem of {@code type}, or null when it was not installed. */
  public <T> T optionalComponent(Class<T> type) {
    return type.cast(components.get(type));
  }

  /** The registered subsystem of {@code type}; fails loudly when it was not installed. */
  public <T> T component(Class<T> type) {
    Object o = components.get(type);
    if (o == null) throw new IllegalStateException(type.getSimpleName() + " is not installed");
    return type.cast(o);
  }

  // ---- accessors

  public io.redstart.info.Info info() {
    return info;
  }

  public io.redstart.info.LatencyTracker latency() {
    return latency;
  }

  public Config config() {
    return config;
  }

  public Log log() {
    return log;
  }

  public Keyspace keyspace() {
    return keyspace;
  }

  public ActiveExpiry activeExpiry() {
    return activeExpiry;
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  public Propagator propagator() {
    return propagator;
  }

  public CommandGates gates() {
    return gates;
  }

  public Pauses pauses() {
    return pauses;
  }

  public ServerStats stats() {
    return stats;
  }

  public KeyspaceEvents events() {
    return events;
  }

  public String runId() {
    return runId;
  }

  public long startMillis() {
    return startMillis;
  }

  public long uptimeMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  public int port() {
    return port;
  }

  public int hz() {
    return hz;
  }

  public long cronLoops() {
    return cronLoops;
  }

  public boolean usesEpoll() {
    return transport != null && transport.usesEpoll();
  }

  public long protoMaxBulkLen() {
    return protoMaxBulkLen;
  }

  public long clientQueryBufferLimit() {
    return clientQueryBufferLimit;
  }

  int tcpKeepAlive() {
    return tcpKeepAlive;
  }

  /** The client-output-buffer-limit of a class: 0 normal, 1 replica, 2 pubsub. */
  io.redstart.config.SpecialParams.BufferLimit outputBufferLimit(int cls) {
    io.redstart.config.SpecialParams.BufferLimits l = outputLimits;
    return switch (cls) {
      case 1 -> l.replica();
      case 2 -> l.pubsub();
      default -> l.normal();
    };
  }

  long replBacklogSize() {
    return replBacklogSize;
  }

  /** Whether new clients must authenticate (the default user has a password). */
  public boolean authRequired() {
    return !config.getString(ConfigParams.REQUIREPASS).isEmpty();
  }

  /** Changes since the last save, as Redis's server.dirty. */
  public long dirty() {
    return dirty;
  }

  public void incrDirty(long n) {
    dirty += n;
  }

  public void resetDirty() {
    dirty = 0;
  }

  public boolean isLoading() {
    return loading;
  }

  public void loading(boolean on) {
    this.loading = on;
  }

  /**
   * The server's own estimate of live bytes, used_memory: a fixed baseline, the keyspace (kept
   * current on every write) and the client buffers (summed by the cron, so reading this is cheap
   * enough to do before every command when maxmemory is set).
   */
  public long usedMemory() {
    return BASELINE_MEMORY + keyspace.usedBytes() + clientBufferBytes;
  }

  private long clientBufferBytes;

  private void sampleClientBuffers() {
    long n = 0;
    for (Client c : clients.values()) {
      n += c.queryBufferLength() + c.parser().pendingArgvBytes() + c.outputBytes();
    }
    clientBufferBytes = n;
  }

  public static long baselineMemory() {
    return BASELINE_MEMORY;
  }

  /** Fixed overhead of an empty server (tables, buffers), as an empty Redis reports ~ 870 KB. */
  static final long BASELINE_MEMORY = 880_000;

  public long peakMemory() {
    return Math.max(statPeakMemory, usedMemory());
  }

  /** CONFIG RESETSTAT: clears the counters Redis clears (stats, command stats, error stats). */
  public void resetStats() {
    stats.reset();
    keyspace.stats.reset();
    for (CommandSpec cmd : dispatcher.commands().values()) {
      cmd.resetStats();
      for (CommandSpec sub : cmd.subcommands().values()) sub.resetStats();
    }
    latency.reset();
    for (Runnable r : resetStatsHooks) r.run();
  }

  private final List<Runnable> resetStatsHooks = new ArrayList<>();

  /** Subsystems with their own counters (replication, persistence) reset them here. */
  public void addResetStatsHook(Runnable r) {
    resetStatsHooks.add(r);
  }

  public void resetPeakMemory() {
    statPeakMemory = usedMemory();
  }

  /** Whether a protected command (DEBUG, MODULE) may run for this client. */
  public boolean allowsProtected(CommandSpec cmd, Client c) {
    String setting =
        config.getEnum(
            cmd.fullName.startsWith("debug")
                ? ConfigParams.ENABLE_DEBUG_COMMAND
                : ConfigParams.ENABLE_MODULE_COMMAND);
    return switch (setting) {
      case "yes" -> true;
      case "local" -> c.connection().isLocal();
      default -> false;
    };
  }

  /** Whether a command may write (for CLIENT PAUSE WRITE and read-only gates). */
  public static boolean mayWrite(CommandSpec cmd) {
    return cmd.has(CommandFlags.WRITE) || cmd.has(CommandFlags.MAY_REPLICATE);
  }

  static final String PROTECTED_MODE_DENIED =
      "-DENIED Redis is running in protected mode because protected mode is enabled and no"
          + " password is set for the default user. In this mode connections are only accepted"
          + " from the loopback interface. If you want to connect from external computers to"
          + " Redis you may adopt one of the following solutions: 1) Just disable protected mode"
          + " sending the command 'CONFIG SET protected-mode no' from the loopback interface by"
          + " connecting to Redis from the same host the server is running, however MAKE SURE"
          + " Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to"
          + " make this change permanent. 2) Alternatively you can just disable the protected"
          + " mode by editing the Redis configuration file, and setting the protected mode option"
          + " to 'no', and then restarting the server. 3) If you started the server manually just"
          + " for testing, restart it with the '--protected-mode no' option. 4) Setup a an"
          + " authentication password for the default user. NOTE: You only need to do one of the"
          + " above things in order for the server to start accepting connections from the"
          + " outside.\r\n";
}
