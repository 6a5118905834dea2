package io.redstart.replication;

import io.redstart.server.Client;

/**
 * A replica connected to us, seen from the master side: what it announced with REPLCONF, where it
 * is in its synchronization, how far it acknowledged the stream, and which part of the stream it
 * has yet to be sent. Created at its first REPLCONF (or SYNC/PSYNC); it becomes a replica proper
 * ({@link #isReplica}) when SYNC or PSYNC succeeds.
 *
 * <p>Owned by the keyspace thread.
 */
final class Replica {
  /** Redis's SLAVE_STATE_*: where the replica is in its synchronization. */
  enum State {
    /** Announced itself with REPLCONF, no SYNC yet (not a replica). */
    HANDSHAKE,
    /** Waits for a snapshot to start (diskless delay, another job running). */
    WAIT_BGSAVE_START,
    /** Got +FULLRESYNC; its snapshot is being produced (or streamed, diskless). */
    WAIT_BGSAVE_END,
    /** The snapshot file is being sent (disk target). */
    SEND_BULK,
    /** Has the dataset; receives the stream. */
    ONLINE
  }

  /** REPLCONF capa eof: understands the "$EOF:" form of diskless transfers. */
  static final int CAPA_EOF = 1;

  /** REPLCONF capa psync2: understands "+CONTINUE replid". */
  static final int CAPA_PSYNC2 = 2;

  /** RDB requirement (rdb-filter-only): leave the keys out. */
  static final int REQ_EXCLUDE_DATA = 1;

  /** RDB requirement (rdb-filter-only): leave the function libraries out. */
  static final int REQ_EXCLUDE_FUNCTIONS = 2;

  final Client client;
  State state = State.HANDSHAKE;
  int listeningPort;
  /** REPLCONF ip-address, or null to use the peer address. */
  String announcedIp;
  int capa;
  /** Connected with SYNC (redis-cli --replica): no ACKs expected. */
  boolean prePsync;
  /** REPLCONF rdb-only 1: wants the snapshot and nothing after. */
  boolean rdbOnly;
  /** REPLCONF rdb-filter-only: what the snapshot leaves out (REQ_* bits). */
  int rdbFilter;
  long ackOffset;
  /** Unix seconds of the last ACK (or newline) received. */
  long ackTime;
  /** The offset of the +FULLRESYNC reply. */
  long psyncInitialOffset;
  /** The first stream offset not yet handed to the connection. */
  long nextOffset;
  /** Diskless: the stream starts at the first ACK after the snapshot. */
  boolean startStreamOnAck;
  /** Whether stream bytes flow to the connection now. */
  boolean streaming;
  /** Unix seconds when the output went over the soft limit, or 0. */
  long softLimitSince;
  /** The diskless transfer feeding this replica a snapshot, while there is one. */
  RdbTransfer transfer;
  /** The thread sending it the RDB file (disk target), while there is one. */
  FileSender sender;

  Replica(Client client, long now) {
    this.client = client;
    this.ackTime = now;
  }

  boolean isReplica() {
    return state != State.HANDSHAKE;
  }

  /** The address to report: REPLCONF ip-address, else the peer's IP. */
  String ip() {
    if (announcedIp != null) return announcedIp;
    String addr = client.connection().remoteAddress();
    int colon = addr.lastIndexOf(':');
    return colon < 0 ? addr : addr.substring(0, colon);
  }

  /** replicationGetSlaveName: "ip:port", or "ip:<unknown-replica-port>". */
  String name() {
    String ip = ip();
    if (listeningPort != 0) {
      return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + listeningPort : ip + ":" + listeningPort;
    }
    return ip + ":<unknown-replica-port>";
  }

  /** INFO's state name (replstateToString). */
  String stateName() {
    return switch (state) {
      case WAIT_BGSAVE_START, WAIT_BGSAVE_END -> "wait_bgsave";
      case SEND_BULK -> "send_bulk";
      case ONLINE -> "online";
      case HANDSHAKE -> "";
    };
  }
}
