package io.redstart.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redstart.command.Args;
import io.redstart.command.CommandFlags;
import io.redstart.command.CommandSpec;
import io.redstart.command.Errors;
import io.redstart.config.Config;
import io.redstart.config.ConfigParams;
import io.redstart.config.SpecialParams;
import io.redstart.propagation.Propagator;
import io.redstart.resp.Numbers;
import io.redstart.server.Client;
import io.redstart.server.CommandGates;
import io.redstart.server.Log;
import io.redstart.server.RedstartServer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Master/replica replication (Redis's replication.c): the replication ids and offset, the stream
 * and its backlog, the replicas connected to us (master side), the link to our master (replica
 * side, {@link MasterLink}), WAIT, min-replicas-to-write, FAILOVER, and the gates and INFO fields
 * that go with them.
 *
 * <p>The stream: as a top-level master, the writes the {@link Propagator} hands to our feed are
 * written to the {@link ReplicationBuffer} in RESP, with a SELECT when the database changes; as a
 * replica, the bytes of the master's stream are appended as they are applied, so sub-replicas and
 * the backlog hold the master's stream byte for byte and share its offsets. Replicas are sent
 * what is new just before the replies of a batch of work leave (and by the cron), one write each.
 *
 * <p>Owned by the keyspace thread: every method runs there unless its Javadoc says otherwise.
 */
public final class Replication {
  /** The all-zero replication id (no secondary id). */
  static final String ZERO_ID = "0000000000000000000000000000000000000000";

  /** Redis's CONFIG_REPL_BACKLOG_MIN_SIZE. */
  static final long BACKLOG_MIN_SIZE = 16 * 1024;

  /** Redis's PROTO_IOBUF_LEN, the piece size of snapshot transfers. */
  static final int IO_CHUNK = 16 * 1024;

  private static final byte[] PING = {'*', '1', '\r', '\n', '$', '4', '\r', '\n', 'P', 'I', 'N',
      'G', '\r', '\n'};
  private static final byte[][] GETACK_ARGV = {
    "REPLCONF".getBytes(StandardCharsets.US_ASCII),
    "GETACK".getBytes(StandardCharsets.US_ASCII),
    "*".getBytes(StandardCharsets.US_ASCII)
  };

  final RedstartServer server;
  final Config config;
  final Log log;
  final ReplicationBuffer buffer;
  private final SecureRandom random = new SecureRandom();

  // ---- ids (server.replid, replid2, second_replid_offset)
  String replid;
  String replid2 = ZERO_ID;
  long secondReplidOffset = -1;
  /** The database the stream last selected (server.slaveseldb), -1 to force a SELECT. */
  int seldb = -1;

  // ---- master side
  /** Everything that sent REPLCONF/SYNC/PSYNC, by client. */
  private final Map<Client, Replica> byClient = new IdentityHashMap<>();
  /** The replicas (server.slaves), in the order they became replicas. */
  final List<Replica> replicas = new ArrayList<>();
  /** Unix seconds since when no replica is connected (repl_no_slaves_since). */
  private long noReplicasSince;
  private int goodReplicas;
  private final Propagator.Feed feed = this::feed;
  private boolean feedInstalled;
  /** WAIT asked for acknowledgements: send REPLCONF GETACK before the next replies. */
  private boolean getAckRequested;
  final FullSync fullSync;
  final Waits waits;
  final Failover failover;

  // ---- replica side
  /** The master's address (server.masterhost / masterport), null when we are a master. */
  String masterHost;
  int masterPort;
  final MasterLink link;

  // ---- statistics (INFO stats)
  long statSyncFull;
  long statSyncPartialOk;
  long statSyncPartialErr;
  long statReplInputBytes;
  long statReplOutputBytes;

  private long lastCron;
  private long cronLoops;

  public Replication(RedstartServer server) {
    this.server = server;
    this.config = server.config();
    this.log = server.log();
    this.buffer = new ReplicationBuffer(backlogSize());
    this.replid = randomId();
    this.noReplicasSince = nowSeconds();
    this.fullSync = new FullSync(this);
    this.waits = new Waits(this);
    this.failover = new Failover(this);
    this.link = new MasterLink(this);

    CommandGates gates = server.gates();
    gates.install(CommandGates.Stage.MIN_REPLICAS, this::minReplicasGate);
    gates.install(CommandGates.Stage.READONLY_REPLICA, this::readOnlyGate);
    gates.install(CommandGates.Stage.STALE_DATA, this::staleDataGate);
    gates.install(CommandGates.Stage.REPLICA_CLIENT, this::replicaClientGate);
    server.info().section("replication", this::info);
    registerCounters(server.info());
    server.addCronTask(this::cron);
    server.addBeforeFlushHook(this::flush);
    server.addClientListener(this::clientClosed);
    server.addClientFlags((c, sb) -> {
      if (c.replicationRole() == 1) sb.append('S');
      if (c.replicationRole() == 2) sb.append('M');
    });
    server.addAfterCallListener((c, cmd, argv, micros) -> waits.afterCall(c));
    server.addResetStatsHook(this::resetStats);
    server.addMemoryNotCountedForEviction(this::memoryNotCounted);
    config.onChange(ConfigParams.REPL_BACKLOG_SIZE, p -> server.execute(() -> {
      buffer.backlogSize(backlogSize());
      trim();
    }));
    config.onChange(ConfigParams.MIN_REPLICAS_TO_WRITE, p -> refreshGoodReplicas());
    config.onChange(ConfigParams.MIN_REPLICAS_MAX_LAG, p -> refreshGoodReplicas());
    io.redstart.command.server.DebugCommands.register("change-repl-id", this::debugChangeReplId);
    installPersistence();
    server.runningStale(() -> isReplica() && !link.connected()
        && !config.getBool(ConfigParams.REPLICA_SERVE_STALE_DATA));
    SpecialParams.ReplicaOf initial =
        config.replicaOf();
    if (initial != null && initial.isSet()) {
      // replicaof in the configuration: connect once the server runs (the first cron).
      masterHost = initial.host();
      masterPort = initial.port();
      server.keyspace().replica(true);
      log.role('S');
      link.configured();
    }
  }

  /**
   * Wires replication and persistence together when persistence is installed: full
   * synchronizations use its snapshots and loading, and RDB files carry our ids and offset (and
   * give them back at start).
   */
  private void installPersistence() {
    io.redstart.persistence.Persistence p;
    try {
      p = server.component(io.redstart.persistence.Persistence.class);
    } catch (IllegalStateException none) {
      return;
    }
    fullSync.source(p.replicationSnapshots());
    p.replicationState(new io.redstart.persistence.Persistence.ReplicationState() {
      @Override
      public Snapshots.ReplInfo saveInfo() {
        int db = streamDbForSave();
        return db < 0 ? null : new Snapshots.ReplInfo(replid, buffer.offset(), db);
      }

      @Override
      public void restored(String id, long offset, int streamDb) {
        restoreFromRdb(id, offset, streamDb);
      }

      @Override
      public boolean asyncLoading() {
        return link.asyncLoading();
      }
    });
  }

  // ---- small helpers

  static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  private String randomId() {
    byte[] b = new byte[20];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  long backlogSize() {
    return Math.max(BACKLOG_MIN_SIZE, config.getLong(ConfigParams.REPL_BACKLOG_SIZE));
  }

  /** Whether we replicate from a master (server.masterhost != NULL). */
  public boolean isReplica() {
    return masterHost != null;
  }

  /** The replication offset (master_repl_offset). */
  public long offset() {
    return buffer.offset();
  }

  public String replid() {
    return replid;
  }

  // ---- ids

  /** changeReplicationId. */
  void changeReplicationId() {
    replid = randomId();
  }

  /** clearReplicationId2. */
  void clearReplicationId2() {
    replid2 = ZERO_ID;
    secondReplidOffset = -1;
  }

  /** shiftReplicationId: our id becomes the secondary one, valid up to our offset + 1. */
  void shiftReplicationId() {
    replid2 = replid;
    secondReplidOffset = buffer.offset() + 1;
    changeReplicationId();
    log.warning("Setting secondary replication ID to " + replid2 + ", valid up to offset: "
        + secondReplidOffset + ". New replication ID is " + replid);
  }

  /** DEBUG CHANGE-REPL-ID. */
  private void debugChangeReplId(Client c, byte[][] argv) {
    if (argv.length != 2) {
      c.error(Errors.SYNTAX);
      return;
    }
    log.warning("Changing replication IDs after receiving DEBUG change-repl-id");
    changeReplicationId();
    clearReplicationId2();
    c.reply().ok();
  }

  // ---- the backlog

  /** createReplicationBacklog; the feed follows the backlog's life. */
  void createBacklog() {
    buffer.create();
    if (!feedInstalled) {
      server.propagator().addFeed(feed);
      feedInstalled = true;
    }
  }

  /** freeReplicationBacklog. */
  void freeBacklog() {
    buffer.free();
    if (feedInstalled) {
      server.propagator().removeFeed(feed);
      feedInstalled = false;
    }
  }

  /**
   * Restores the ids and offset an RDB file carried (loadDataFromDisk): a master keeps them as its
   * secondary id, so that its replicas can still continue; a replica uses them to ask its master
   * for a partial resynchronization. Called once the dataset is loaded, before serving.
   */
  public void restoreFromRdb(String id, long offset, int streamDb) {
    if (id == null || offset < 0 || streamDb < 0) {
      if (!isReplica()) freeBacklog();
      return;
    }
    if (isReplica()) {
      replid = id;
      buffer.offset(offset);
      link.cacheMasterUsingMyself(streamDb);
    } else {
      if (!buffer.active()) createBacklog();
      replid2 = id;
      secondReplidOffset = offset + 1;
      buffer.rebase(offset);
      noReplicasSince = nowSeconds();
    }
  }

  /** rdbPopulateSaveInfo: the stream database to record with our ids, or -1 for none. */
  public int streamDbForSave() {
    if (!isReplica() && buffer.active()) return seldb == -1 ? 0 : seldb;
    return link.streamDbForSave();
  }

  // ---- the stream

  /** The propagator's feed: our own writes, when we are a top-level master with a backlog. */
  private void feed(int db, byte[][] argv) {
    if (isReplica() || !buffer.active()) return;
    if (db >= 0 && seldb != db) {
      appendCommand(new byte[][] {
        "SELECT".getBytes(StandardCharsets.US_ASCII), Integer.toString(db).getBytes(StandardCharsets.US_ASCII)
      });
      seldb = db;
    }
    appendCommand(argv);
  }

  private final byte[] header = new byte[24];

  /** Appends {@code argv} to the stream in RESP, as replicationFeedSlaves encodes it. */
  private void appendCommand(byte[][] argv) {
    appendHeader('*', argv.length);
    for (byte[] a : argv) {
      appendHeader('$', a.length);
      buffer.append(a, 0, a.length);
      buffer.append(CRLF, 0, 2);
    }
  }

  private static final byte[] CRLF = {'\r', '\n'};

  private void appendHeader(char type, long n) {
    header[0] = (byte) type;
    int len = 1 + Numbers.write(n, header, 1);
    header[len++] = '\r';
    header[len++] = '\n';
    buffer.append(header, 0, len);
  }

  /** replicationFeedStreamFromMasterStream: bytes of our master's stream we just applied. */
  void feedFromMasterStream(ByteBuf bytes) {
    if (!buffer.active()) return;
    int n = bytes.readableBytes();
    if (bytes.hasArray()) {
      buffer.append(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), n);
    } else {
      byte[] copy = new byte[n];
      bytes.getBytes(bytes.readerIndex(), copy);
      buffer.append(copy);
    }
  }

  /** Asks every replica for an acknowledgement before the next replies (WAIT). */
  void requestAcks() {
    getAckRequested = true;
  }

  /**
   * Sends replicas what the stream gained since the last call, checks their output limits, and
   * trims the backlog. Runs before each batch of replies leaves and from the cron.
   */
  void flush() {
    if (getAckRequested && !server.pauses().writesPaused()) {
      getAckRequested = false;
      if (!isReplica() && buffer.active() && !replicas.isEmpty()) appendCommand(GETACK_ARGV);
    }
    if (replicas.isEmpty()) {
      trim();
      return;
    }
    long end = buffer.offset();
    for (int i = 0; i < replicas.size(); i++) {
      Replica r = replicas.get(i);
      if (!r.streaming || r.nextOffset > end || r.client.isClosed()) continue;
      send(r, buffer.slice(r.nextOffset, end));
      r.nextOffset = end + 1;
    }
    checkOutputLimits();
    trim();
  }

  /** Writes stream bytes (or a reply of the sync protocol) to a replica's connection. */
  void send(Replica r, ByteBuf b) {
    int n = b.readableBytes();
    if (n == 0) {
      b.release();
      return;
    }
    r.client.connection().writeAndFlush(b);
    // The transport counted these as client output; Redis counts them as replication output.
    server.stats().totalNetOutputBytes -= n;
    statReplOutputBytes += n;
  }

  void send(Replica r, String text) {
    send(r, Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
  }

  /** Trims the backlog, keeping what replicas still have to be sent. */
  void trim() {
    if (!buffer.active()) return;
    long keep = Long.MAX_VALUE;
    for (Replica r : replicas) {
      if (r.state == Replica.State.WAIT_BGSAVE_START || r.rdbOnly) continue;
      if (r.nextOffset <= buffer.offset()) keep = Math.min(keep, r.nextOffset);
    }
    buffer.trim(keep);
  }

  // ---- output buffer limits (client-output-buffer-limit replica)

  /** Output bytes a replica holds: stream not yet sent plus bytes its connection has queued. */
  long outputBytes(Replica r) {
    long pendingStream = r.state == Replica.State.WAIT_BGSAVE_START || r.rdbOnly
        ? 0
        : Math.max(0, buffer.offset() - r.nextOffset + 1);
    long queued = r.streaming ? r.client.connection().pendingOutputBytes() : 0;
    return pendingStream + queued;
  }

  private void checkOutputLimits() {
    SpecialParams.BufferLimit limit = config.clientOutputBufferLimits().replica();
    if (limit.hard() == 0 && limit.soft() == 0) return;
    long now = nowSeconds();
    for (Replica r : new ArrayList<>(replicas)) {
      long used = outputBytes(r);
      boolean hard = limit.hard() != 0 && Long.compareUnsigned(used, limit.hard()) >= 0;
      boolean soft = false;
      if (limit.soft() != 0 && Long.compareUnsigned(used, limit.soft()) >= 0) {
        if (r.softLimitSince == 0) {
          r.softLimitSince = now;
        } else if (now - r.softLimitSince > limit.softSeconds()) {
          soft = true;
        }
      } else {
        r.softLimitSince = 0;
      }
      if (hard || soft) {
        log.warning("Client " + r.client.info()
            + " scheduled to be closed ASAP for overcoming of output buffer limits.");
        r.client.closeNow();
      }
    }
  }

  // ---- replicas (master side)

  /** The handshake record of a client, created at its first REPLCONF. */
  Replica replicaOf(Client c) {
    Replica r = byClient.get(c);
    if (r == null) {
      r = new Replica(c, nowSeconds());
      byClient.put(c, r);
    }
    return r;
  }

  /** The replica record of a client, or null. */
  Replica replica(Client c) {
    return byClient.get(c);
  }

  /**
   * Makes a handshaking client a replica (listAddNodeTail(server.slaves)). From now on its
   * connection carries the stream: replies to what it sends are never written (a replica's
   * commands that touch the keyspace close it, see {@link #replicaClientGate}).
   */
  void addReplica(Replica r) {
    r.client.replicationRole(1);
    r.client.replyMode(Client.ReplyMode.OFF);
    replicas.add(r);
  }

  private void clientClosed(Client c) {
    waits.clientClosed(c);
    Replica r = byClient.remove(c);
    if (r != null && r.isReplica()) {
      log.warning("Connection with replica " + r.name() + " lost.");
      replicas.remove(r);
      fullSync.replicaGone(r);
      if (replicas.isEmpty()) noReplicasSince = nowSeconds();
      refreshGoodReplicas();
      trim();
    }
    if (c.replicationRole() == 2) link.masterClientClosed(c);
  }

  /** disconnectSlaves: closes every replica (they will resynchronize). */
  void disconnectReplicas() {
    for (Replica r : new ArrayList<>(replicas)) r.client.closeNow();
  }

  /** Puts a replica online (replicaPutOnline); false when it must be closed (rdb-only). */
  boolean putOnline(Replica r) {
    if (r.rdbOnly) {
      log.notice("RDB transfer completed, rdb only replica (" + r.name()
          + ") should be disconnected asap");
      return false;
    }
    r.state = Replica.State.ONLINE;
    r.ackTime = nowSeconds();
    refreshGoodReplicas();
    log.notice("Synchronization with replica " + r.name() + " succeeded");
    return true;
  }

  /** replicaStartCommandStream: what accumulated since its sync offset leaves now. */
  void startStream(Replica r) {
    r.startStreamOnAck = false;
    r.streaming = true;
    flush();
  }

  // ---- SYNC and PSYNC (master side)

  /** SYNC and PSYNC replid offset [FAILOVER]. */
  public void syncCommand(Client c, byte[][] argv) {
    Replica existing = byClient.get(c);
    if (existing != null && existing.isReplica()) return; // already a replica: ignored
    boolean psync = Args.is(argv[0], "psync");
    if (psync && argv.length > 3 && Args.isCString(argv[3], "failover")) {
      log.warning("Failover request received for replid " + cstr(argv[1]) + ".");
      if (!isReplica()) {
        c.error("ERR PSYNC FAILOVER can't be sent to a master.");
        return;
      }
      if (cstr(argv[1]).equalsIgnoreCase(replid)) {
        unsetMaster();
        log.notice("MASTER MODE enabled (failover request from '" + c.info() + "')");
      } else {
        c.error("ERR PSYNC FAILOVER replid must match my replid.");
        return;
      }
    }
    if (failover.inProgress()) {
      c.error("NOMASTERLINK Can't SYNC while failing over");
      return;
    }
    if (isReplica() && !link.connected()) {
      c.error("NOMASTERLINK Can't SYNC while not connected with my master");
      return;
    }
    if (c.outputBytes() > 0) {
      c.error("ERR SYNC and PSYNC are invalid with pending output");
      return;
    }
    Replica r = replicaOf(c);
    if (r.rdbFilter != 0 && (r.capa & Replica.CAPA_EOF) == 0) {
      c.error("ERR Filtered replica requires EOF capability");
      return;
    }
    log.notice("Replica " + r.name() + " asks for synchronization");
    if (psync) {
      if (!Numbers.isLong(argv[2])) {
        log.warning("Replica " + r.name() + " asks for synchronization but with a wrong offset");
        c.error(Errors.NOT_AN_INTEGER);
        return;
      }
      long offset = Numbers.parseLong(argv[2]);
      String id = cstr(argv[1]);
      if (tryPartialResync(r, id, offset)) {
        statSyncPartialOk++;
        return;
      }
      if (!id.startsWith("?")) statSyncPartialErr++;
    } else {
      r.prePsync = true;
    }
    statSyncFull++;
    r.state = Replica.State.WAIT_BGSAVE_START;
    r.ackTime = nowSeconds();
    addReplica(r);
    if (replicas.size() == 1 && !buffer.active()) {
      changeReplicationId();
      clearReplicationId2();
      createBacklog();
      log.notice("Replication backlog created, my new replication IDs are '" + replid
          + "' and '" + replid2 + "'");
    }
    fullSync.replicaWantsSync(r);
  }

  /** masterTryPartialResynchronization; true when the replica continues from the backlog. */
  private boolean tryPartialResync(Replica r, String id, long offset) {
    if (!id.equalsIgnoreCase(replid)
        && (!id.equalsIgnoreCase(replid2) || offset > secondReplidOffset)) {
      if (!id.startsWith("?")) {
        if (!id.equalsIgnoreCase(replid) && !id.equalsIgnoreCase(replid2)) {
          log.notice("Partial resynchronization not accepted: Replication ID mismatch (Replica"
              + " asked for '" + id + "', my replication IDs are '" + replid + "' and '" + replid2
              + "')");
        } else {
          log.notice("Partial resynchronization not accepted: Requested offset for second ID was "
              + offset + ", but I can reply up to " + secondReplidOffset);
        }
      } else {
        log.notice("Full resync requested by replica " + r.name());
      }
      return false;
    }
    if (!buffer.holds(offset)) {
      log.notice("Unable to partial resync with replica " + r.name()
          + " for lack of backlog (Replica request was: " + offset + ").");
      if (offset > buffer.offset()) {
        log.warning("Warning: replica " + r.name()
            + " tried to PSYNC with an offset that is greater than the master replication"
            + " offset.");
      }
      return false;
    }
    r.state = Replica.State.ONLINE;
    r.ackTime = nowSeconds();
    addReplica(r);
    send(r, (r.capa & Replica.CAPA_PSYNC2) != 0 ? "+CONTINUE " + replid + "\r\n" : "+CONTINUE\r\n");
    long len = buffer.offset() - offset + 1;
    r.nextOffset = offset;
    r.streaming = true;
    flush();
    log.notice("Partial resynchronization request from " + r.name()
        + " accepted. Sending " + len + " bytes of backlog starting from offset " + offset + ".");
    refreshGoodReplicas();
    return true;
  }

  /**
   * replicationSetupSlaveForFullResync: +FULLRESYNC with our id and the snapshot's offset; the
   * replica's stream starts right after it (a SELECT is forced first).
   */
  void setupFullResync(Replica r, long offset) {
    r.psyncInitialOffset = offset;
    r.state = Replica.State.WAIT_BGSAVE_END;
    r.nextOffset = offset + 1;
    seldb = -1;
    if (!r.prePsync) send(r, "+FULLRESYNC " + replid + " " + offset + "\r\n");
  }

  // ---- REPLCONF

  /** REPLCONF option value [option value ...]. */
  public void replconfCommand(Client c, byte[][] argv) {
    if (argv.length % 2 == 0) {
      c.error(Errors.SYNTAX);
      return;
    }
    for (int j = 1; j < argv.length; j += 2) {
      byte[] opt = argv[j];
      byte[] val = argv[j + 1];
      if (Args.isCString(opt, "listening-port")) {
        if (!Args.isLongOrReply(c, val)) return;
        replicaOf(c).listeningPort = (int) Numbers.parseLong(val);
      } else if (Args.isCString(opt, "ip-address")) {
        if (val.length >= 256) { // NET_HOST_STR_LEN
          c.error("ERR REPLCONF ip-address provided by replica instance is too long: "
              + val.length + " bytes");
          return;
        }
        replicaOf(c).announcedIp = Args.str(val);
      } else if (Args.isCString(opt, "capa")) {
        if (Args.isCString(val, "eof")) replicaOf(c).capa |= Replica.CAPA_EOF;
        else if (Args.isCString(val, "psync2")) replicaOf(c).capa |= Replica.CAPA_PSYNC2;
      } else if (Args.isCString(opt, "ack")) {
        Replica r = byClient.get(c);
        if (r == null || !r.isReplica()) return;
        if (!Numbers.isLong(val)) return;
        long offset = Numbers.parseLong(val);
        if (offset > r.ackOffset) r.ackOffset = offset;
        r.ackTime = nowSeconds();
        if (r.startStreamOnAck && r.state == Replica.State.ONLINE) startStream(r);
        waits.process();
        failover.check();
        return; // no reply
      } else if (Args.isCString(opt, "getack")) {
        if (isReplica()) link.sendAck();
        return; // no reply
      } else if (Args.isCString(opt, "rdb-only")) {
        if (!Args.isLongInRangeOrReply(c, val, 0, 1)) return;
        replicaOf(c).rdbOnly = Numbers.parseLong(val) == 1;
      } else if (Args.isCString(opt, "rdb-filter-only")) {
        byte[][] filters = io.redstart.resp.SplitArgs.split(val);
        if (filters == null) {
          c.error("ERR Missing rdb-filter-only values");
          return;
        }
        int req = Replica.REQ_EXCLUDE_DATA | Replica.REQ_EXCLUDE_FUNCTIONS;
        for (byte[] f : filters) {
          if (Args.isCString(f, "functions")) {
            req &= ~Replica.REQ_EXCLUDE_FUNCTIONS;
          } else {
            c.error("ERR Unsupported rdb-filter-only option: " + cstr(f));
            return;
          }
        }
        replicaOf(c).rdbFilter = req;
      } else {
        c.error("ERR Unrecognized REPLCONF option: " + cstr(opt));
        return;
      }
    }
    c.reply().ok();
  }

  /** A C string's text: up to the first NUL. */
  static String cstr(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) n++;
    return new String(b, 0, n, StandardCharsets.ISO_8859_1);
  }

  // ---- REPLICAOF / SLAVEOF

  /** REPLICAOF host port | NO ONE (and SLAVEOF). */
  public void replicaofCommand(Client c, byte[][] argv) {
    if (config.getBool(ConfigParams.CLUSTER_ENABLED)) {
      c.error("ERR REPLICAOF not allowed in cluster mode.");
      return;
    }
    if (failover.inProgress()) {
      c.error("ERR REPLICAOF not allowed while failing over.");
      return;
    }
    if (Args.isCString(argv[1], "no") && Args.isCString(argv[2], "one")) {
      if (isReplica()) {
        unsetMaster();
        log.notice("MASTER MODE enabled (user request from '" + c.info() + "')");
      }
    } else {
      Replica self = byClient.get(c);
      if (self != null && self.isReplica()) {
        c.error("ERR Command is not valid when client is a replica.");
        return;
      }
      if (!Numbers.isLong(argv[2])) {
        c.error("ERR Invalid master port");
        return;
      }
      long port = Numbers.parseLong(argv[2]);
      if (port < 0 || port > 65535) {
        c.error("ERR Invalid master port");
        return;
      }
      String host = cstr(argv[1]);
      if (isReplica() && masterHost.equalsIgnoreCase(host) && masterPort == port) {
        log.notice("REPLICAOF would result into synchronization with the master we are already"
            + " connected with. No operation performed.");
        c.reply().simple("OK Already connected to specified master");
        return;
      }
      setMaster(host, (int) port);
      log.notice("REPLICAOF " + masterHost + ":" + masterPort + " enabled (user request from '"
          + c.info() + "')");
    }
    c.reply().ok();
  }

  /** replicationSetMaster: becomes (or stays) a replica of host:port and connects. */
  void setMaster(String host, int port) {
    boolean wasMaster = !isReplica();
    masterHost = null;
    link.dropMasterClient();
    waits.disconnectAll();
    masterHost = host;
    masterPort = port;
    server.keyspace().replica(true);
    log.role('S');
    link.cancelHandshake(false);
    if (wasMaster) {
      link.discardCachedMaster();
      link.cacheMasterUsingMyself(-1);
    }
    link.connect();
  }

  /** replicationUnsetMaster: becomes a master with a new history (the old one as second id). */
  void unsetMaster() {
    if (!isReplica()) return;
    masterHost = null;
    link.dropMasterClient();
    link.discardCachedMaster();
    link.cancelHandshake(false);
    shiftReplicationId();
    disconnectReplicas();
    link.stopped();
    seldb = -1;
    noReplicasSince = nowSeconds();
    server.keyspace().replica(false);
    log.role('M');
    link.restartAofIfNeeded();
  }

  // ---- WAIT and FAILOVER

  /** WAIT numreplicas timeout. */
  public void waitCommand(Client c, byte[][] argv) {
    waits.waitCommand(c, argv);
  }

  /** FAILOVER. */
  public void failoverCommand(Client c, byte[][] argv) {
    failover.failoverCommand(c, argv);
  }

  /** Installs persistence's snapshots and loading (full synchronizations need them). */
  public void snapshots(Snapshots s) {
    fullSync.source(s);
  }

  // ---- ROLE

  /** ROLE. */
  public void roleCommand(Client c) {
    var w = c.reply();
    if (!isReplica()) {
      List<Replica> online = new ArrayList<>();
      for (Replica r : replicas) if (r.state == Replica.State.ONLINE) online.add(r);
      w.array(3);
      w.bulk("master");
      w.integer(buffer.offset());
      w.array(online.size());
      for (Replica r : online) {
        w.array(3);
        w.bulk(r.ip());
        w.bulk(Integer.toString(r.listeningPort));
        w.bulk(Long.toString(r.ackOffset));
      }
    } else {
      w.array(5);
      w.bulk("slave");
      w.bulk(masterHost);
      w.integer(masterPort);
      w.bulk(link.roleState());
      w.integer(link.masterOffsetOrMinusOne());
    }
  }

  // ---- gates

  /** min-replicas-to-write: writes need enough replicas with a recent ACK. */
  private String minReplicasGate(Client c, CommandSpec cmd, byte[][] argv) {
    if (!isWrite(c, cmd) || goodReplicasOk()) return null;
    return Errors.NOREPLICAS;
  }

  /** processCommand's is_write_command: a write, or an EXEC with a write queued. */
  private boolean isWrite(Client c, CommandSpec cmd) {
    return cmd.has(CommandFlags.WRITE)
        || (cmd.name.equals("exec") && server.gates().queuedCommandHas(c, CommandFlags.WRITE));
  }

  /** checkGoodReplicasStatus. */
  boolean goodReplicasOk() {
    int toWrite = config.getInt(ConfigParams.MIN_REPLICAS_TO_WRITE);
    int maxLag = config.getInt(ConfigParams.MIN_REPLICAS_MAX_LAG);
    return isReplica() || maxLag == 0 || toWrite == 0 || goodReplicas >= toWrite;
  }

  /** refreshGoodSlavesCount. */
  void refreshGoodReplicas() {
    int toWrite = config.getInt(ConfigParams.MIN_REPLICAS_TO_WRITE);
    int maxLag = config.getInt(ConfigParams.MIN_REPLICAS_MAX_LAG);
    if (toWrite == 0 || maxLag == 0) return;
    long now = nowSeconds();
    int good = 0;
    for (Replica r : replicas) {
      if (r.state == Replica.State.ONLINE && now - lastAck(r) <= maxLag) good++;
    }
    goodReplicas = good;
  }

  /** The last time a replica was heard from: an ACK, or any input (the newlines it sends). */
  long lastAck(Replica r) {
    return Math.max(r.ackTime, r.client.lastInteractionMillis() / 1000);
  }

  /** A read-only replica refuses writes, except from its master. */
  private String readOnlyGate(Client c, CommandSpec cmd, byte[][] argv) {
    if (isReplica() && c.replicationRole() != 2 && isWrite(c, cmd)
        && config.getBool(ConfigParams.REPLICA_READ_ONLY)) {
      return Errors.READONLY;
    }
    return null;
  }

  /**
   * replica-serve-stale-data no: only "stale" commands while the link is down. While a full
   * synchronization loads in the background (async loading), commands flagged no-async-loading
   * get LOADING, as Redis's check that follows.
   */
  private String staleDataGate(Client c, CommandSpec cmd, byte[][] argv) {
    if (isReplica() && !link.connected() && !config.getBool(ConfigParams.REPLICA_SERVE_STALE_DATA)
        && !cmd.has(CommandFlags.STALE)) {
      return Errors.MASTERDOWN;
    }
    if (link.asyncLoading() && cmd.has(CommandFlags.NO_ASYNC_LOADING)) return Errors.LOADING;
    return null;
  }

  /**
   * A replica's connection may not touch the keyspace (it is never paused). Redis refuses with an
   * error, and since a replica must never get a reply on the replication link, then closes it:
   * the error is logged, the connection closed before anything is written.
   */
  private String replicaClientGate(Client c, CommandSpec cmd, byte[][] argv) {
    if (c.replicationRole() == 1
        && (cmd.has(CommandFlags.WRITE) || cmd.has(CommandFlags.MAY_REPLICATE)
            || cmd.has(CommandFlags.READONLY))) {
      log.warning("Replica generated a reply to command '" + cmd.fullName
          + "', disconnecting it: " + c.info());
      c.closeNow();
      return "ERR Replica can't interact with the keyspace";
    }
    return null;
  }

  // ---- cron (replicationCron, once a second)

  private void cron() {
    long nowMs = System.currentTimeMillis();
    failover.cron(nowMs);
    if (nowMs - lastCron < 1000) {
      flush();
      return;
    }
    lastCron = nowMs;
    long now = nowMs / 1000;
    link.cron(now);
    int pingPeriod = config.getInt(ConfigParams.REPL_PING_REPLICA_PERIOD);
    if (!isReplica() && !replicas.isEmpty() && cronLoops % pingPeriod == 0
        && !(failover.endTime() != 0 && server.pauses().writesPaused())) {
      buffer.append(PING);
    }
    for (Replica r : replicas) {
      boolean presync = r.state == Replica.State.WAIT_BGSAVE_START
          || (r.state == Replica.State.WAIT_BGSAVE_END && !fullSync.socketTarget());
      if (presync) send(r, "\n");
    }
    int timeout = config.getInt(ConfigParams.REPL_TIMEOUT);
    for (Replica r : new ArrayList<>(replicas)) {
      if (r.state == Replica.State.ONLINE && !r.prePsync && now - lastAck(r) > timeout) {
        log.warning("Disconnecting timedout replica (streaming sync): " + r.name());
        r.client.closeNow();
        continue;
      }
      long partial = fullSync.lastPartialWrite(r);
      if (r.state == Replica.State.WAIT_BGSAVE_END && fullSync.socketTarget()
          && partial != 0 && now - partial > timeout) {
        log.warning("Disconnecting timedout replica (full sync): " + r.name());
        r.client.closeNow();
      }
    }
    long ttl = config.getLong(ConfigParams.REPL_BACKLOG_TTL);
    if (replicas.isEmpty() && ttl > 0 && buffer.active() && !isReplica()
        && now - noReplicasSince > ttl) {
      changeReplicationId();
      clearReplicationId2();
      freeBacklog();
      log.notice("Replication backlog freed after " + ttl + " seconds without connected"
          + " replicas.");
    }
    fullSync.cron(now);
    refreshGoodReplicas();
    cronLoops++;
    flush();
  }

  // ---- INFO

  private void info(StringBuilder sb) {
    line(sb, "role", isReplica() ? "slave" : "master");
    if (isReplica()) link.info(sb);
    line(sb, "connected_slaves", replicas.size());
    if (config.getInt(ConfigParams.MIN_REPLICAS_TO_WRITE) != 0
        && config.getInt(ConfigParams.MIN_REPLICAS_MAX_LAG) != 0) {
      line(sb, "min_slaves_good_slaves", goodReplicas);
    }
    int id = 0;
    long now = nowSeconds();
    for (Replica r : replicas) {
      String state = r.stateName();
      if (state.isEmpty()) continue;
      long lag = r.state == Replica.State.ONLINE ? now - lastAck(r) : 0;
      sb.append("slave").append(id++).append(":ip=").append(r.ip()).append(",port=")
          .append(r.listeningPort).append(",state=").append(state).append(",offset=")
          .append(r.ackOffset).append(",lag=").append(lag).append("\r\n");
    }
    line(sb, "master_failover_state", failover.stateName());
    line(sb, "master_replid", replid);
    line(sb, "master_replid2", replid2);
    line(sb, "master_repl_offset", buffer.offset());
    line(sb, "second_repl_offset", secondReplidOffset);
    line(sb, "repl_backlog_active", buffer.active() ? 1 : 0);
    line(sb, "repl_backlog_size", backlogSize());
    line(sb, "repl_backlog_first_byte_offset", buffer.active() ? buffer.backlogOffset() : 0);
    line(sb, "repl_backlog_histlen", buffer.active() ? buffer.histlen() : 0);
  }

  static void line(StringBuilder sb, String name, Object value) {
    sb.append(name).append(':').append(value).append("\r\n");
  }

  /** INFO's replication figures (memory, network, sync counts). */
  private void registerCounters(io.redstart.info.Info info) {
    info.counter("mem_replication_backlog", () -> {
      long mem = buffer.memory();
      return !replicas.isEmpty() && mem > backlogSize() ? backlogSize() : mem;
    });
    info.counter("mem_total_replication_buffers", buffer::memory);
    info.counter("mem_clients_slaves", () -> {
      long mem = buffer.memory();
      long n = !replicas.isEmpty() && mem > backlogSize() ? mem - backlogSize() : 0;
      for (Replica r : replicas) n += r.client.connection().pendingOutputBytes();
      return n;
    });
    info.counter("total_net_repl_input_bytes", () -> statReplInputBytes);
    info.counter("total_net_repl_output_bytes", () -> statReplOutputBytes);
    info.counter("sync_full", () -> statSyncFull);
    info.counter("sync_partial_ok", () -> statSyncPartialOk);
    info.counter("sync_partial_err", () -> statSyncPartialErr);
  }

  private long memoryNotCounted() {
    return buffer.memory();
  }

  private void resetStats() {
    statSyncFull = 0;
    statSyncPartialOk = 0;
    statSyncPartialErr = 0;
    statReplInputBytes = 0;
    statReplOutputBytes = 0;
  }

  /** The lower-case ASCII form of a name, for comparisons. */
  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
