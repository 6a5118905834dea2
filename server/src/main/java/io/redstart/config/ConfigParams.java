package io.redstart.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of every directive Redis 7.0 knows, in config.c's order, with its names, type, bounds,
 * default, flags and validation as config.c declares them (the facts; the code is ours). Directives
 * of features Redstart has not built are accepted and stored like the others; {@link
 * ConfigParam#NOT_IMPLEMENTED} marks them so that the loader can say so once.
 */
public final class ConfigParams {
  private ConfigParams() {}

  private static final List<ConfigParam> ALL = new ArrayList<>();

  /** Every name and alias, lower case, in registration order (a name, then its alias). */
  private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

  /**
   * A name under which a directive is known. Redis keeps an alias as an entry of its own: CONFIG
   * GET patterns list it, and CONFIG SET errors name it.
   */
  public record Entry(String name, ConfigParam param, boolean isAlias) {}

  private static final int IMMUTABLE = ConfigParam.IMMUTABLE;
  private static final int SENSITIVE = ConfigParam.SENSITIVE;
  private static final int MEMORY = ConfigParam.MEMORY;
  private static final int PERCENT = ConfigParam.PERCENT;
  private static final int OCTAL = ConfigParam.OCTAL;
  private static final int DENY_LOADING = ConfigParam.DENY_LOADING;
  private static final int PROTECTED = ConfigParam.PROTECTED;
  private static final int HIDDEN = ConfigParam.HIDDEN;
  private static final int MULTI_ARG = ConfigParam.MULTI_ARG;
  private static final int UNSIGNED = ConfigParam.UNSIGNED;
  private static final int NULLABLE = ConfigParam.EMPTY_IS_NULL;
  private static final int TODO = ConfigParam.NOT_IMPLEMENTED;

  private static final long INT_MIN = Integer.MIN_VALUE;
  private static final long INT_MAX = Integer.MAX_VALUE;
  private static final long UINT_MAX = 4294967295L;
  private static final long LONG_MAX = Long.MAX_VALUE;

  /** ULLONG_MAX, as an unsigned bound. */
  private static final long ULLONG_MAX = -1L;

  // ---- bool configs
  public static final ConfigParam RDBCHECKSUM = bool("rdbchecksum", null, IMMUTABLE, true);
  public static final ConfigParam DAEMONIZE = bool("daemonize", null, IMMUTABLE, false);
  public static final ConfigParam IO_THREADS_DO_READS =
      bool("io-threads-do-reads", null, IMMUTABLE | TODO, false);
  public static final ConfigParam ALWAYS_SHOW_LOGO =
      bool("always-show-logo", null, IMMUTABLE | TODO, false);
  public static final ConfigParam PROTECTED_MODE = bool("protected-mode", null, 0, true);
  public static final ConfigParam RDBCOMPRESSION = bool("rdbcompression", null, 0, true);
  public static final ConfigParam RDB_DEL_SYNC_FILES = bool("rdb-del-sync-files", null, 0, false);
  public static final ConfigParam ACTIVEREHASHING = bool("activerehashing", null, 0, true);
  public static final ConfigParam STOP_WRITES_ON_BGSAVE_ERROR =
      bool("stop-writes-on-bgsave-error", null, 0, true);
  public static final ConfigParam SET_PROC_TITLE =
      bool("set-proc-title", null, IMMUTABLE | TODO, true);
  public static final ConfigParam DYNAMIC_HZ = bool("dynamic-hz", null, 0, true);
  public static final ConfigParam LAZYFREE_LAZY_EVICTION =
      bool("lazyfree-lazy-eviction", null, 0, false);
  public static final ConfigParam LAZYFREE_LAZY_EXPIRE =
      bool("lazyfree-lazy-expire", null, 0, false);
  public static final ConfigParam LAZYFREE_LAZY_SERVER_DEL =
      bool("lazyfree-lazy-server-del", null, 0, false);
  public static final ConfigParam LAZYFREE_LAZY_USER_DEL =
      bool("lazyfree-lazy-user-del", null, 0, false);
  public static final ConfigParam LAZYFREE_LAZY_USER_FLUSH =
      bool("lazyfree-lazy-user-flush", null, 0, false);
  public static final ConfigParam REPL_DISABLE_TCP_NODELAY =
      bool("repl-disable-tcp-nodelay", null, 0, false);
  public static final ConfigParam REPL_DISKLESS_SYNC = bool("repl-diskless-sync", null, 0, true);
  public static final ConfigParam AOF_REWRITE_INCREMENTAL_FSYNC =
      bool("aof-rewrite-incremental-fsync", null, 0, true);
  public static final ConfigParam NO_APPENDFSYNC_ON_REWRITE =
      bool("no-appendfsync-on-rewrite", null, 0, false);
  public static final ConfigParam CLUSTER_REQUIRE_FULL_COVERAGE =
      bool("cluster-require-full-coverage", null, 0, true);
  public static final ConfigParam RDB_SAVE_INCREMENTAL_FSYNC =
      bool("rdb-save-incremental-fsync", null, 0, true);
  public static final ConfigParam AOF_LOAD_TRUNCATED = bool("aof-load-truncated", null, 0, true);
  public static final ConfigParam AOF_USE_RDB_PREAMBLE =
      bool("aof-use-rdb-preamble", null, 0, true);
  public static final ConfigParam AOF_TIMESTAMP_ENABLED =
      bool("aof-timestamp-enabled", null, 0, false);
  public static final ConfigParam CLUSTER_REPLICA_NO_FAILOVER =
      bool("cluster-replica-no-failover", "cluster-slave-no-failover", 0, false);
  public static final ConfigParam REPLICA_LAZY_FLUSH =
      bool("replica-lazy-flush", "slave-lazy-flush", 0, false);
  public static final ConfigParam REPLICA_SERVE_STALE_DATA =
      bool("replica-serve-stale-data", "slave-serve-stale-data", 0, true);
  public static final ConfigParam REPLICA_READ_ONLY =
      bool("replica-read-only", "slave-read-only", 0, true);
  public static final ConfigParam REPLICA_IGNORE_MAXMEMORY =
      bool("replica-ignore-maxmemory", "slave-ignore-maxmemory", 0, true);
  public static final ConfigParam JEMALLOC_BG_THREAD = bool("jemalloc-bg-thread", null, TODO, true);

  /**
   * Refused when set to yes, as by a Redis built without its own jemalloc (the Debian build this
   * project is compared with): "Active defragmentation cannot be enabled ...".
   */
  public static final ConfigParam ACTIVEDEFRAG =
      bool("activedefrag", null, TODO, false, Validators::activeDefrag);

  public static final ConfigParam SYSLOG_ENABLED =
      bool("syslog-enabled", null, IMMUTABLE | TODO, false);
  public static final ConfigParam CLUSTER_ENABLED = bool("cluster-enabled", null, IMMUTABLE, false);
  public static final ConfigParam APPENDONLY = bool("appendonly", null, DENY_LOADING, false);
  public static final ConfigParam CLUSTER_ALLOW_READS_WHEN_DOWN =
      bool("cluster-allow-reads-when-down", null, 0, false);
  public static final ConfigParam CLUSTER_ALLOW_PUBSUBSHARD_WHEN_DOWN =
      bool("cluster-allow-pubsubshard-when-down", null, 0, true);
  public static final ConfigParam CRASH_LOG_ENABLED = bool("crash-log-enabled", null, TODO, true);
  public static final ConfigParam CRASH_MEMCHECK_ENABLED =
      bool("crash-memcheck-enabled", null, TODO, true);
  public static final ConfigParam USE_EXIT_ON_PANIC =
      bool("use-exit-on-panic", null, HIDDEN | TODO, false);
  public static final ConfigParam DISABLE_THP = bool("disable-thp", null, IMMUTABLE | TODO, true);
  public static final ConfigParam CLUSTER_ALLOW_REPLICA_MIGRATION =
      bool("cluster-allow-replica-migration", null, 0, true);
  public static final ConfigParam REPLICA_ANNOUNCED = bool("replica-announced", null, 0, true);
  public static final ConfigParam LATENCY_TRACKING = bool("latency-tracking", null, 0, true);
  public static final ConfigParam AOF_DISABLE_AUTO_GC = bool("aof-disable-auto-gc", null, 0, false);
  public static final ConfigParam REPLICA_IGNORE_DISK_WRITE_ERRORS =
      bool("replica-ignore-disk-write-errors", null, 0, false);

  // ---- string configs
  public static final ConfigParam ACLFILE = string("aclfile", null, IMMUTABLE, "");
  public static final ConfigParam UNIXSOCKET =
      string("unixsocket", null, IMMUTABLE | NULLABLE | TODO, "");
  public static final ConfigParam PIDFILE = string("pidfile", null, IMMUTABLE | NULLABLE, "");
  public static final ConfigParam REPLICA_ANNOUNCE_IP =
      string("replica-announce-ip", "slave-announce-ip", NULLABLE, "");
  public static final ConfigParam MASTERUSER = string("masteruser", null, SENSITIVE | NULLABLE, "");
  public static final ConfigParam CLUSTER_ANNOUNCE_IP =
      string("cluster-announce-ip", null, NULLABLE, "");
  public static final ConfigParam CLUSTER_CONFIG_FILE =
      string("cluster-config-file", null, IMMUTABLE, "nodes.conf");
  public static final ConfigParam CLUSTER_ANNOUNCE_HOSTNAME =
      string("cluster-announce-hostname", null, NULLABLE, "", Validators::announcedHostname);
  public static final ConfigParam SYSLOG_IDENT =
      string("syslog-ident", null, IMMUTABLE | TODO, "redis");
  public static final ConfigParam DBFILENAME =
      string("dbfilename", null, PROTECTED, "dump.rdb", Validators::dbFilename);
  public static final ConfigParam APPENDFILENAME =
      string("appendfilename", null, IMMUTABLE, "appendonly.aof", Validators::aofFilename);
  public static final ConfigParam APPENDDIRNAME =
      string("appenddirname", null, IMMUTABLE, "appendonlydir", Validators::aofDirname);
  public static final ConfigParam SERVER_CPULIST =
      string("server_cpulist", null, IMMUTABLE | NULLABLE | TODO, "");
  public static final ConfigParam BIO_CPULIST =
      string("bio_cpulist", null, IMMUTABLE | NULLABLE | TODO, "");
  public static final ConfigParam AOF_REWRITE_CPULIST =
      string("aof_rewrite_cpulist", null, IMMUTABLE | NULLABLE | TODO, "");
  public static final ConfigParam BGSAVE_CPULIST =
      string("bgsave_cpulist", null, IMMUTABLE | NULLABLE | TODO, "");
  public static final ConfigParam IGNORE_WARNINGS = string("ignore-warnings", null, TODO, "");
  public static final ConfigParam PROC_TITLE_TEMPLATE =
      string(
          "proc-title-template",
          null,
          TODO,
          "{title} {listen-addr} {server-mode}",
          Validators::procTitleTemplate);
  public static final ConfigParam BIND_SOURCE_ADDR = string("bind-source-addr", null, NULLABLE, "");
  public static final ConfigParam LOGFILE = string("logfile", null, IMMUTABLE, "");
  public static final ConfigParam MASTERAUTH = string("masterauth", null, SENSITIVE | NULLABLE, "");
  public static final ConfigParam REQUIREPASS =
      string("requirepass", null, SENSITIVE | NULLABLE, "");

  // ---- enum configs
  public static final ConfigParam SUPERVISED =
      enumParam(
          "supervised",
          IMMUTABLE | TODO,
          "no",
          names("upstart", "systemd", "auto", "no"),
          values(3, 2, 1, 0),
          null);
  public static final ConfigParam SYSLOG_FACILITY =
      enumParam(
          "syslog-facility",
          IMMUTABLE | TODO,
          "local0",
          names(
              "user", "local0", "local1", "local2", "local3", "local4", "local5", "local6",
              "local7"),
          null,
          null);
  public static final ConfigParam REPL_DISKLESS_LOAD =
      enumParam(
          "repl-diskless-load",
          DENY_LOADING,
          "disabled",
          names("disabled", "on-empty-db", "swapdb"),
          null,
          null);
  public static final ConfigParam LOGLEVEL =
      enumParam(
          "loglevel", 0, "notice", names("debug", "verbose", "notice", "warning"), null, null);
  public static final ConfigParam MAXMEMORY_POLICY =
      enumParam(
          "maxmemory-policy",
          0,
          "noeviction",
          names(
              "volatile-lru",
              "volatile-lfu",
              "volatile-random",
              "volatile-ttl",
              "allkeys-lru",
              "allkeys-lfu",
              "allkeys-random",
              "noeviction"),
          null,
          null);
  public static final ConfigParam APPENDFSYNC =
      enumParam("appendfsync", 0, "everysec", names("everysec", "always", "no"), null, null);

  /** "yes" and "relative" are one value: CONFIG GET prints "yes" after "relative". */
  public static final ConfigParam OOM_SCORE_ADJ =
      enumParam(
          "oom-score-adj",
          TODO,
          "no",
          names("no", "yes", "relative", "absolute"),
          values(0, 1, 1, 2),
          null);

  public static final ConfigParam ACL_PUBSUB_DEFAULT =
      enumParam(
          "acl-pubsub-default",
          0,
          "resetchannels",
          names("allchannels", "resetchannels"),
          values(8, 0),
          null);
  public static final ConfigParam SANITIZE_DUMP_PAYLOAD =
      enumParam("sanitize-dump-payload", 0, "no", names("no", "yes", "clients"), null, null);
  public static final ConfigParam ENABLE_PROTECTED_CONFIGS =
      enumParam(
          "enable-protected-configs", IMMUTABLE, "no", names("no", "yes", "local"), null, null);
  public static final ConfigParam ENABLE_DEBUG_COMMAND =
      enumParam("enable-debug-command", IMMUTABLE, "no", names("no", "yes", "local"), null, null);
  public static final ConfigParam ENABLE_MODULE_COMMAND =
      enumParam("enable-module-command", IMMUTABLE, "no", names("no", "yes", "local"), null, null);
  public static final ConfigParam CLUSTER_PREFERRED_ENDPOINT_TYPE =
      enumParam(
          "cluster-preferred-endpoint-type",
          0,
          "ip",
          names("ip", "hostname", "unknown-endpoint"),
          null,
          null);
  public static final ConfigParam PROPAGATION_ERROR_BEHAVIOR =
      enumParam(
          "propagation-error-behavior",
          0,
          "ignore",
          names("ignore", "panic", "panic-on-replicas"),
          null,
          null);

  /** Bit flags: save 1, nosave 2, now 4, force 8; "default" is 0. */
  public static final ConfigParam SHUTDOWN_ON_SIGINT =
      enumParam(
          "shutdown-on-sigint",
          MULTI_ARG,
          "default",
          names("default", "save", "nosave", "now", "force"),
          values(0, 1, 2, 4, 8),
          Validators::shutdownFlags);

  public static final ConfigParam SHUTDOWN_ON_SIGTERM =
      enumParam(
          "shutdown-on-sigterm",
          MULTI_ARG,
          "default",
          names("default", "save", "nosave", "now", "force"),
          values(0, 1, 2, 4, 8),
          Validators::shutdownFlags);

  // ---- integer configs
  public static final ConfigParam DATABASES = numeric("databases", null, IMMUTABLE, 1, INT_MAX, 16);
  public static final ConfigParam PORT = numeric("port", null, 0, 0, 65535, 6379);

  /** Logged as not implemented when set to anything but 1. */
  public static final ConfigParam IO_THREADS =
      numeric("io-threads", null, IMMUTABLE | TODO, 1, 128, 1);

  public static final ConfigParam AUTO_AOF_REWRITE_PERCENTAGE =
      numeric("auto-aof-rewrite-percentage", null, 0, 0, INT_MAX, 100);
  public static final ConfigParam CLUSTER_REPLICA_VALIDITY_FACTOR =
      numeric(
          "cluster-replica-validity-factor", "cluster-slave-validity-factor", 0, 0, INT_MAX, 10);
  public static final ConfigParam LIST_MAX_LISTPACK_SIZE =
      numeric("list-max-listpack-size", "list-max-ziplist-size", 0, INT_MIN, INT_MAX, -2);
  public static final ConfigParam TCP_KEEPALIVE =
      numeric("tcp-keepalive", null, 0, 0, INT_MAX, 300);
  public static final ConfigParam CLUSTER_MIGRATION_BARRIER =
      numeric("cluster-migration-barrier", null, 0, 0, INT_MAX, 1);
  public static final ConfigParam ACTIVE_DEFRAG_CYCLE_MIN =
      numeric("active-defrag-cycle-min", null, TODO, 1, 99, 1);
  public static final ConfigParam ACTIVE_DEFRAG_CYCLE_MAX =
      numeric("active-defrag-cycle-max", null, TODO, 1, 99, 25);
  public static final ConfigParam ACTIVE_DEFRAG_THRESHOLD_LOWER =
      numeric("active-defrag-threshold-lower", null, TODO, 0, 1000, 10);
  public static final ConfigParam ACTIVE_DEFRAG_THRESHOLD_UPPER =
      numeric("active-defrag-threshold-upper", null, TODO, 0, 1000, 100);
  public static final ConfigParam LFU_LOG_FACTOR =
      numeric("lfu-log-factor", null, 0, 0, INT_MAX, 10);
  public static final ConfigParam LFU_DECAY_TIME =
      numeric("lfu-decay-time", null, 0, 0, INT_MAX, 1);
  public static final ConfigParam REPLICA_PRIORITY =
      numeric("replica-priority", "slave-priority", 0, 0, INT_MAX, 100);
  public static final ConfigParam REPL_DISKLESS_SYNC_DELAY =
      numeric("repl-diskless-sync-delay", null, 0, 0, INT_MAX, 5);
  public static final ConfigParam MAXMEMORY_SAMPLES =
      numeric("maxmemory-samples", null, 0, 1, INT_MAX, 5);
  public static final ConfigParam MAXMEMORY_EVICTION_TENACITY =
      numeric("maxmemory-eviction-tenacity", null, 0, 0, 100, 10);
  public static final ConfigParam TIMEOUT = numeric("timeout", null, 0, 0, INT_MAX, 0);
  public static final ConfigParam REPLICA_ANNOUNCE_PORT =
      numeric("replica-announce-port", "slave-announce-port", 0, 0, 65535, 0);
  public static final ConfigParam TCP_BACKLOG =
      numeric("tcp-backlog", null, IMMUTABLE, 0, INT_MAX, 511);
  public static final ConfigParam CLUSTER_PORT =
      numeric("cluster-port", null, IMMUTABLE, 0, 65535, 0);
  public static final ConfigParam CLUSTER_ANNOUNCE_BUS_PORT =
      numeric("cluster-announce-bus-port", null, 0, 0, 65535, 0);
  public static final ConfigParam CLUSTER_ANNOUNCE_PORT =
      numeric("cluster-announce-port", null, 0, 0, 65535, 0);
  public static final ConfigParam CLUSTER_ANNOUNCE_TLS_PORT =
      numeric("cluster-announce-tls-port", null, 0, 0, 65535, 0);
  public static final ConfigParam REPL_TIMEOUT = numeric("repl-timeout", null, 0, 1, INT_MAX, 60);
  public static final ConfigParam REPL_PING_REPLICA_PERIOD =
      numeric("repl-ping-replica-period", "repl-ping-slave-period", 0, 1, INT_MAX, 10);
  public static final ConfigParam LIST_COMPRESS_DEPTH =
      numeric("list-compress-depth", null, 0, 0, INT_MAX, 0);
  public static final ConfigParam RDB_KEY_SAVE_DELAY =
      numeric("rdb-key-save-delay", null, HIDDEN, INT_MIN, INT_MAX, 0);
  public static final ConfigParam KEY_LOAD_DELAY =
      numeric("key-load-delay", null, HIDDEN, INT_MIN, INT_MAX, 0);
  public static final ConfigParam ACTIVE_EXPIRE_EFFORT =
      numeric("active-expire-effort", null, 0, 1, 10, 1);

  /** Values outside 1..500 are accepted and clamped, as Redis's updateHZ does. */
  public static final ConfigParam HZ = numeric("hz", null, 0, 0, INT_MAX, 10);

  public static final ConfigParam MIN_REPLICAS_TO_WRITE =
      numeric("min-replicas-to-write", "min-slaves-to-write", 0, 0, INT_MAX, 0);
  public static final ConfigParam MIN_REPLICAS_MAX_LAG =
      numeric("min-replicas-max-lag", "min-slaves-max-lag", 0, 0, INT_MAX, 10);
  public static final ConfigParam WATCHDOG_PERIOD =
      numeric("watchdog-period", null, HIDDEN | TODO, 0, INT_MAX, 0);
  public static final ConfigParam SHUTDOWN_TIMEOUT =
      numeric("shutdown-timeout", null, 0, 0, INT_MAX, 10);
  public static final ConfigParam REPL_DISKLESS_SYNC_MAX_REPLICAS =
      numeric("repl-diskless-sync-max-replicas", null, 0, 0, INT_MAX, 0);

  // ---- unsigned int configs
  public static final ConfigParam MAXCLIENTS =
      numeric("maxclients", null, UNSIGNED, 1, UINT_MAX, 10000);
  public static final ConfigParam UNIXSOCKETPERM =
      numeric("unixsocketperm", null, IMMUTABLE | UNSIGNED | OCTAL | TODO, 0, 0777, 0);
  public static final ConfigParam SOCKET_MARK_ID =
      numeric("socket-mark-id", null, IMMUTABLE | UNSIGNED | TODO, 0, UINT_MAX, 0);

  // ---- unsigned long configs (bounds compared signed, as Redis does for unsigned long)
  public static final ConfigParam ACTIVE_DEFRAG_MAX_SCAN_FIELDS =
      numeric("active-defrag-max-scan-fields", null, TODO, 1, LONG_MAX, 1000);
  public static final ConfigParam SLOWLOG_MAX_LEN =
      numeric("slowlog-max-len", null, 0, 0, LONG_MAX, 128);
  public static final ConfigParam ACLLOG_MAX_LEN =
      numeric("acllog-max-len", null, 0, 0, LONG_MAX, 128);

  // ---- long long configs
  public static final ConfigParam BUSY_REPLY_THRESHOLD =
      numeric("busy-reply-threshold", "lua-time-limit", 0, 0, LONG_MAX, 5000);
  public static final ConfigParam CLUSTER_NODE_TIMEOUT =
      numeric("cluster-node-timeout", null, 0, 0, LONG_MAX, 15000);
  public static final ConfigParam SLOWLOG_LOG_SLOWER_THAN =
      numeric("slowlog-log-slower-than", null, 0, -1, LONG_MAX, 10000);
  public static final ConfigParam LATENCY_MONITOR_THRESHOLD =
      numeric("latency-monitor-threshold", null, 0, 0, LONG_MAX, 0);
  public static final ConfigParam PROTO_MAX_BULK_LEN =
      numeric("proto-max-bulk-len", null, MEMORY, 1024 * 1024, LONG_MAX, 512L * 1024 * 1024);
  public static final ConfigParam STREAM_NODE_MAX_ENTRIES =
      numeric("stream-node-max-entries", null, 0, 0, LONG_MAX, 100);
  public static final ConfigParam REPL_BACKLOG_SIZE =
      numeric("repl-backlog-size", null, MEMORY, 1, LONG_MAX, 1024 * 1024);

  // ---- unsigned long long configs
  /** An unsigned 64-bit value: read it with {@link Long#compareUnsigned} in mind. */
  public static final ConfigParam MAXMEMORY =
      numeric("maxmemory", null, MEMORY | UNSIGNED, 0, ULLONG_MAX, 0);

  public static final ConfigParam CLUSTER_LINK_SENDBUF_LIMIT =
      numeric("cluster-link-sendbuf-limit", null, MEMORY | UNSIGNED, 0, ULLONG_MAX, 0);

  // ---- size_t configs
  public static final ConfigParam HASH_MAX_LISTPACK_ENTRIES =
      numeric("hash-max-listpack-entries", "hash-max-ziplist-entries", UNSIGNED, 0, LONG_MAX, 512);
  public static final ConfigParam SET_MAX_INTSET_ENTRIES =
      numeric("set-max-intset-entries", null, UNSIGNED, 0, LONG_MAX, 512);
  public static final ConfigParam ZSET_MAX_LISTPACK_ENTRIES =
      numeric("zset-max-listpack-entries", "zset-max-ziplist-entries", UNSIGNED, 0, LONG_MAX, 128);
  public static final ConfigParam ACTIVE_DEFRAG_IGNORE_BYTES =
      numeric("active-defrag-ignore-bytes", null, MEMORY | UNSIGNED | TODO, 1, LONG_MAX, 100 << 20);
  public static final ConfigParam HASH_MAX_LISTPACK_VALUE =
      numeric(
          "hash-max-listpack-value", "hash-max-ziplist-value", MEMORY | UNSIGNED, 0, LONG_MAX, 64);
  public static final ConfigParam STREAM_NODE_MAX_BYTES =
      numeric("stream-node-max-bytes", null, MEMORY | UNSIGNED, 0, LONG_MAX, 4096);
  public static final ConfigParam ZSET_MAX_LISTPACK_VALUE =
      numeric(
          "zset-max-listpack-value", "zset-max-ziplist-value", MEMORY | UNSIGNED, 0, LONG_MAX, 64);
  public static final ConfigParam HLL_SPARSE_MAX_BYTES =
      numeric("hll-sparse-max-bytes", null, MEMORY | UNSIGNED, 0, LONG_MAX, 3000);
  public static final ConfigParam TRACKING_TABLE_MAX_KEYS =
      numeric("tracking-table-max-keys", null, UNSIGNED, 0, LONG_MAX, 1000000);
  public static final ConfigParam CLIENT_QUERY_BUFFER_LIMIT =
      numeric(
          "client-query-buffer-limit",
          null,
          MEMORY | UNSIGNED,
          1024 * 1024,
          LONG_MAX,
          1024 * 1024 * 1024);

  /** A byte count, or a percentage of maxmemory stored negated (-10 for "10%"). */
  public static final ConfigParam MAXMEMORY_CLIENTS =
      numeric("maxmemory-clients", null, MEMORY | PERCENT, -100, LONG_MAX, 0);

  // ---- other numeric configs
  public static final ConfigParam REPL_BACKLOG_TTL =
      numeric("repl-backlog-ttl", null, 0, 0, LONG_MAX, 60 * 60);
  public static final ConfigParam AUTO_AOF_REWRITE_MIN_SIZE =
      numeric("auto-aof-rewrite-min-size", null, MEMORY, 0, LONG_MAX, 64 * 1024 * 1024);
  public static final ConfigParam LOADING_PROCESS_EVENTS_INTERVAL_BYTES =
      numeric(
          "loading-process-events-interval-bytes", null, HIDDEN, 1024, INT_MAX, 1024 * 1024 * 2);

  // ---- TLS configs (Redis built with TLS, as the reference is)
  public static final ConfigParam TLS_PORT = numeric("tls-port", null, TODO, 0, 65535, 0);
  public static final ConfigParam TLS_SESSION_CACHE_SIZE =
      numeric("tls-session-cache-size", null, TODO, 0, INT_MAX, 20 * 1024);
  public static final ConfigParam TLS_SESSION_CACHE_TIMEOUT =
      numeric("tls-session-cache-timeout", null, TODO, 0, INT_MAX, 300);
  public static final ConfigParam TLS_CLUSTER = bool("tls-cluster", null, TODO, false);
  public static final ConfigParam TLS_REPLICATION = bool("tls-replication", null, TODO, false);
  public static final ConfigParam TLS_AUTH_CLIENTS =
      enumParam("tls-auth-clients", TODO, "yes", names("no", "yes", "optional"), null, null);
  public static final ConfigParam TLS_PREFER_SERVER_CIPHERS =
      bool("tls-prefer-server-ciphers", null, TODO, false);
  public static final ConfigParam TLS_SESSION_CACHING =
      bool("tls-session-caching", null, TODO, true);
  public static final ConfigParam TLS_CERT_FILE =
      string("tls-cert-file", null, NULLABLE | TODO, "");
  public static final ConfigParam TLS_KEY_FILE = string("tls-key-file", null, NULLABLE | TODO, "");
  public static final ConfigParam TLS_KEY_FILE_PASS =
      string("tls-key-file-pass", null, NULLABLE | TODO, "");
  public static final ConfigParam TLS_CLIENT_CERT_FILE =
      string("tls-client-cert-file", null, NULLABLE | TODO, "");
  public static final ConfigParam TLS_CLIENT_KEY_FILE =
      string("tls-client-key-file", null, NULLABLE | TODO, "");
  public static final ConfigParam TLS_CLIENT_KEY_FILE_PASS =
      string("tls-client-key-file-pass", null, NULLABLE | TODO, "");
  public static final ConfigParam TLS_DH_PARAMS_FILE =
      string("tls-dh-params-file", null, NULLABLE | TODO, "");
  public static final ConfigParam TLS_CA_CERT_FILE =
      string("tls-ca-cert-file", null, NULLABLE | TODO, "");
  public static final ConfigParam TLS_CA_CERT_DIR =
      string("tls-ca-cert-dir", null, NULLABLE | TODO, "");
  public static final ConfigParam TLS_PROTOCOLS =
      string("tls-protocols", null, NULLABLE | TODO, "");
  public static final ConfigParam TLS_CIPHERS = string("tls-ciphers", null, NULLABLE | TODO, "");
  public static final ConfigParam TLS_CIPHERSUITES =
      string("tls-ciphersuites", null, NULLABLE | TODO, "");

  // ---- directives with their own syntax
  /** The working directory, always an absolute path (the JVM cannot chdir). */
  public static final ConfigParam DIR =
      special("dir", null, DENY_LOADING | PROTECTED, ".", SpecialParams.DIR);

  /** A list of {@link SpecialParams.SavePoint}. */
  public static final ConfigParam SAVE =
      special("save", null, MULTI_ARG, "3600 1 300 100 60 10000", SpecialParams.SAVE);

  /** A {@link SpecialParams.BufferLimits}. */
  public static final ConfigParam CLIENT_OUTPUT_BUFFER_LIMIT =
      special(
          "client-output-buffer-limit",
          null,
          MULTI_ARG,
          "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
          SpecialParams.CLIENT_OUTPUT_BUFFER_LIMIT);

  /** A list of three integers (master, replica, background child). */
  public static final ConfigParam OOM_SCORE_ADJ_VALUES =
      special(
          "oom-score-adj-values",
          null,
          MULTI_ARG | TODO,
          "0 200 800",
          SpecialParams.OOM_SCORE_ADJ_VALUES);

  /** An Integer of {@link KeyspaceEventFlags} bits. */
  public static final ConfigParam NOTIFY_KEYSPACE_EVENTS =
      special("notify-keyspace-events", null, 0, "", SpecialParams.NOTIFY_KEYSPACE_EVENTS);

  /** A list of addresses. */
  public static final ConfigParam BIND =
      special("bind", null, MULTI_ARG, "* -::*", SpecialParams.BIND);

  /** A {@link SpecialParams.ReplicaOf}. */
  public static final ConfigParam REPLICAOF =
      special("replicaof", "slaveof", IMMUTABLE | MULTI_ARG, "", SpecialParams.REPLICAOF);

  /** A list of doubles. */
  public static final ConfigParam LATENCY_TRACKING_INFO_PERCENTILES =
      special(
          "latency-tracking-info-percentiles",
          null,
          MULTI_ARG,
          "50 99 99.9",
          SpecialParams.LATENCY_PERCENTILES);

  // ---- registry

  /** Every param, in config.c's order. */
  public static List<ConfigParam> all() {
    return Collections.unmodifiableList(ALL);
  }

  /** The param named {@code name} or one of its aliases (ASCII case-insensitive), or null. */
  public static ConfigParam byName(String name) {
    Entry e = lookup(name);
    return e == null ? null : e.param();
  }

  /** The entry of a name or alias (ASCII case-insensitive), or null. */
  public static Entry lookup(String name) {
    return BY_NAME.get(CText.toLower(name));
  }

  /** Every name and alias as an entry, in registration order. */
  public static List<Entry> entries() {
    return List.copyOf(BY_NAME.values());
  }

  /** Names and aliases, each mapped to its param, in registration order. */
  public static Map<String, ConfigParam> names() {
    Map<String, ConfigParam> m = new LinkedHashMap<>();
    for (Entry e : BY_NAME.values()) m.put(e.name(), e.param());
    return Collections.unmodifiableMap(m);
  }

  // ---- table construction

  private static ConfigParam register(ConfigParam p) {
    ALL.add(p);
    BY_NAME.put(p.name, new Entry(p.name, p, false));
    for (String a : p.aliases) BY_NAME.put(a, new Entry(a, p, true));
    return p;
  }

  private static List<String> aliases(String alias) {
    return alias == null ? List.of() : List.of(alias);
  }

  private static List<String> names(String... names) {
    return List.of(names);
  }

  private static long[] values(long... values) {
    return values;
  }

  private static ConfigParam bool(String name, String alias, int flags, boolean dflt) {
    return bool(name, alias, flags, dflt, null);
  }

  private static ConfigParam bool(
      String name, String alias, int flags, boolean dflt, ConfigParam.Validator v) {
    return register(
        new ConfigParam(
            ALL.size(),
            name,
            aliases(alias),
            ConfigParam.Kind.BOOL,
            flags,
            dflt ? "yes" : "no",
            0,
            1,
            List.of(),
            null,
            null,
            v));
  }

  private static ConfigParam string(String name, String alias, int flags, String dflt) {
    return string(name, alias, flags, dflt, null);
  }

  private static ConfigParam string(
      String name, String alias, int flags, String dflt, ConfigParam.Validator v) {
    return register(
        new ConfigParam(
            ALL.size(),
            name,
            aliases(alias),
            ConfigParam.Kind.STRING,
            flags,
            dflt,
            0,
            0,
            List.of(),
            null,
            null,
            v));
  }

  private static ConfigParam numeric(
      String name, String alias, int flags, long min, long max, long dflt) {
    return register(
        new ConfigParam(
            ALL.size(),
            name,
            aliases(alias),
            ConfigParam.Kind.NUMERIC,
            flags,
            Long.toString(dflt),
            min,
            max,
            List.of(),
            null,
            null,
            null));
  }

  /** An enum: {@code values} null means each name's value is its index. */
  private static ConfigParam enumParam(
      String name,
      int flags,
      String dflt,
      List<String> names,
      long[] values,
      ConfigParam.Validator v) {
    long[] vals = values;
    if (vals == null) {
      vals = new long[names.size()];
      for (int i = 0; i < vals.length; i++) vals[i] = i;
    }
    int f = flags;
    if ((flags & MULTI_ARG) != 0) f |= ConfigParam.MULTI_ENUM;
    return register(
        new ConfigParam(
            ALL.size(),
            name,
            List.of(),
            ConfigParam.Kind.ENUM,
            f,
            dflt,
            0,
            0,
            names,
            vals,
            null,
            v));
  }

  private static ConfigParam special(
      String name, String alias, int flags, String dflt, SpecialConfig impl) {
    return register(
        new ConfigParam(
            ALL.size(),
            name,
            aliases(alias),
            ConfigParam.Kind.SPECIAL,
            flags,
            dflt,
            0,
            0,
            List.of(),
            null,
            impl,
            null));
  }
}
