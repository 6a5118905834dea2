package io.redstart.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of every directive Redis 7.0 knows, with its names, type, bounds, default and flags
 * as config.c declares them (the facts; the code is ours). Directives of features Redstart has
 * not built are accepted and stored like the others; {@link ConfigParam#NOT_IMPLEMENTED} marks
 * them so the loader can say so once.
 */
public final class ConfigParams {
  private ConfigParams() {}

  private static final List<ConfigParam> ALL = new ArrayList<>();
  private static final Map<String, ConfigParam> BY_NAME = new LinkedHashMap<>();

  private static final int IMMUTABLE = ConfigParam.IMMUTABLE;
  private static final int SENSITIVE = ConfigParam.SENSITIVE;
  private static final int MEMORY = ConfigParam.MEMORY;
  private static final int PERCENT = ConfigParam.PERCENT;
  private static final int OCTAL = ConfigParam.OCTAL;
  private static final int DENY_LOADING = ConfigParam.DENY_LOADING;
  private static final int PROTECTED = ConfigParam.PROTECTED;
  private static final int HIDDEN = ConfigParam.HIDDEN;
  private static final int MULTI_ARG = ConfigParam.MULTI_ARG;

  public static final ConfigParam RDBCHECKSUM = bool("rdbchecksum", null, IMMUTABLE, true);
  public static final ConfigParam DAEMONIZE = bool("daemonize", null, IMMUTABLE, false);
  public static final ConfigParam IO_THREADS_DO_READS = bool("io-threads-do-reads", null, IMMUTABLE, false);
  public static final ConfigParam ALWAYS_SHOW_LOGO = bool("always-show-logo", null, IMMUTABLE, false);
  public static final ConfigParam PROTECTED_MODE = bool("protected-mode", null, 0, true);
  public static final ConfigParam RDBCOMPRESSION = bool("rdbcompression", null, 0, true);
  public static final ConfigParam RDB_DEL_SYNC_FILES = bool("rdb-del-sync-files", null, 0, false);
  public static final ConfigParam ACTIVEREHASHING = bool("activerehashing", null, 0, true);
  public static final ConfigParam STOP_WRITES_ON_BGSAVE_ERROR = bool("stop-writes-on-bgsave-error", null, 0, true);
  public static final ConfigParam SET_PROC_TITLE = bool("set-proc-title", null, IMMUTABLE, true);
  public static final ConfigParam DYNAMIC_HZ = bool("dynamic-hz", null, 0, true);
  public static final ConfigParam LAZYFREE_LAZY_EVICTION = bool("lazyfree-lazy-eviction", null, 0, false);
  public static final ConfigParam LAZYFREE_LAZY_EXPIRE = bool("lazyfree-lazy-expire", null, 0, false);
  public static final ConfigParam LAZYFREE_LAZY_SERVER_DEL = bool("lazyfree-lazy-server-del", null, 0, false);
  public static final ConfigParam LAZYFREE_LAZY_USER_DEL = bool("lazyfree-lazy-user-del", null, 0, false);
  public static final ConfigParam LAZYFREE_LAZY_USER_FLUSH = bool("lazyfree-lazy-user-flush", null, 0, false);
  public static final ConfigParam REPL_DISABLE_TCP_NODELAY = bool("repl-disable-tcp-nodelay", null, 0, false);
  public static final ConfigParam REPL_DISKLESS_SYNC = bool("repl-diskless-sync", null, 0, true);
  public static final ConfigParam AOF_REWRITE_INCREMENTAL_FSYNC = bool("aof-rewrite-incremental-fsync", null, 0, true);
  public static final ConfigParam NO_APPENDFSYNC_ON_REWRITE = bool("no-appendfsync-on-rewrite", null, 0, false);
  public static final ConfigParam CLUSTER_REQUIRE_FULL_COVERAGE = bool("cluster-require-full-coverage", null, 0, true);
  public static final ConfigParam RDB_SAVE_INCREMENTAL_FSYNC = bool("rdb-save-incremental-fsync", null, 0, true);
  public static final ConfigParam AOF_LOAD_TRUNCATED = bool("aof-load-truncated", null, 0, true);
  public static final ConfigParam AOF_USE_RDB_PREAMBLE = bool("aof-use-rdb-preamble", null, 0, true);
  public static final ConfigParam AOF_TIMESTAMP_ENABLED = bool("aof-timestamp-enabled", null, 0, false);
  public static final ConfigParam CLUSTER_REPLICA_NO_FAILOVER = bool("cluster-replica-no-failover", "cluster-slave-no-failover", 0, false);
  public static final ConfigParam REPLICA_LAZY_FLUSH = bool("replica-lazy-flush", "slave-lazy-flush", 0, false);
  public static final ConfigParam REPLICA_SERVE_STALE_DATA = bool("replica-serve-stale-data", "slave-serve-stale-data", 0, true);
  public static final ConfigParam REPLICA_READ_ONLY = bool("replica-read-only", "slave-read-only", 0, true);
  public static final ConfigParam REPLICA_IGNORE_MAXMEMORY = bool("replica-ignore-maxmemory", "slave-ignore-maxmemory", 0, true);
  public static final ConfigParam JEMALLOC_BG_THREAD = bool("jemalloc-bg-thread", null, 0, true);
  public static final ConfigParam ACTIVEDEFRAG = bool("activedefrag", null, 0, false);
  public static final ConfigParam SYSLOG_ENABLED = bool("syslog-enabled", null, IMMUTABLE, false);
  public static final ConfigParam CLUSTER_ENABLED = bool("cluster-enabled", null, IMMUTABLE, false);
  public static final ConfigParam APPENDONLY = bool("appendonly", null, DENY_LOADING, false);
  public static final ConfigParam CLUSTER_ALLOW_READS_WHEN_DOWN = bool("cluster-allow-reads-when-down", null, 0, false);
  public static final ConfigParam CLUSTER_ALLOW_PUBSUBSHARD_WHEN_DOWN = bool("cluster-allow-pubsubshard-when-down", null, 0, true);
  public static final ConfigParam CRASH_LOG_ENABLED = bool("crash-log-enabled", null, 0, true);
  public static final ConfigParam CRASH_MEMCHECK_ENABLED = bool("crash-memcheck-enabled", null, 0, true);
  public static final ConfigParam USE_EXIT_ON_PANIC = bool("use-exit-on-panic", null, HIDDEN, false);
  public static final ConfigParam DISABLE_THP = bool("disable-thp", null, IMMUTABLE, true);
  public static final ConfigParam CLUSTER_ALLOW_REPLICA_MIGRATION = bool("cluster-allow-replica-migration", null, 0, true);
  public static final ConfigParam REPLICA_ANNOUNCED = bool("replica-announced", null, 0, true);
  public static final ConfigParam LATENCY_TRACKING = bool("latency-tracking", null, 0, true);
  public static final ConfigParam AOF_DISABLE_AUTO_GC = bool("aof-disable-auto-gc", null, 0, false);
  public static final ConfigParam REPLICA_IGNORE_DISK_WRITE_ERRORS = bool("replica-ignore-disk-write-errors", null, 0, false);
  public static final ConfigParam ACLFILE = string("aclfile", null, IMMUTABLE, "");
  public static final ConfigParam UNIXSOCKET = string("unixsocket", null, IMMUTABLE, "");
  public static final ConfigParam PIDFILE = string("pidfile", null, IMMUTABLE, "");
  public static final ConfigParam REPLICA_ANNOUNCE_IP = string("replica-announce-ip", "slave-announce-ip", 0, "");
  public static final ConfigParam MASTERUSER = string("masteruser", null, SENSITIVE, "");
  public static final ConfigParam CLUSTER_ANNOUNCE_IP = string("cluster-announce-ip", null, 0, "");
  public static final ConfigParam CLUSTER_CONFIG_FILE = string("cluster-config-file", null, IMMUTABLE, "nodes.conf");
  public static final ConfigParam CLUSTER_ANNOUNCE_HOSTNAME = string("cluster-announce-hostname", null, 0, "");
  public static final ConfigParam SYSLOG_IDENT = string("syslog-ident", null, IMMUTABLE, "redis");
  public static final ConfigParam DBFILENAME = string("dbfilename", null, PROTECTED, "dump.rdb");
  public static final ConfigParam APPENDFILENAME = string("appendfilename", null, IMMUTABLE, "appendonly.aof");
  public static final ConfigParam APPENDDIRNAME = string("appenddirname", null, IMMUTABLE, "appendonlydir");
  public static final ConfigParam SERVER_CPULIST = string("server_cpulist", null, IMMUTABLE, "");
  public static final ConfigParam BIO_CPULIST = string("bio_cpulist", null, IMMUTABLE, "");
  public static final ConfigParam AOF_REWRITE_CPULIST = string("aof_rewrite_cpulist", null, IMMUTABLE, "");
  public static final ConfigParam BGSAVE_CPULIST = string("bgsave_cpulist", null, IMMUTABLE, "");
  public static final ConfigParam IGNORE_WARNINGS = string("ignore-warnings", null, 0, "");
  public static final ConfigParam PROC_TITLE_TEMPLATE = string("proc-title-template", null, 0, "{title} {listen-addr} {server-mode}");
  public static final ConfigParam BIND_SOURCE_ADDR = string("bind-source-addr", null, 0, "");
  public static final ConfigParam LOGFILE = string("logfile", null, IMMUTABLE, "");
  public static final ConfigParam MASTERAUTH = string("masterauth", null, SENSITIVE, "");
  public static final ConfigParam REQUIREPASS = string("requirepass", null, SENSITIVE, "");
  public static final ConfigParam SUPERVISED = enumParam("supervised", null, IMMUTABLE, "no", "upstart", "systemd", "auto", "no");
  public static final ConfigParam SYSLOG_FACILITY = enumParam("syslog-facility", null, IMMUTABLE, "local0", "user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7");
  public static final ConfigParam REPL_DISKLESS_LOAD = enumParam("repl-diskless-load", null, DENY_LOADING, "disabled", "disabled", "on-empty-db", "swapdb");
  public static final ConfigParam LOGLEVEL = enumParam("loglevel", null, 0, "notice", "debug", "verbose", "notice", "warning");
  public static final ConfigParam MAXMEMORY_POLICY = enumParam("maxmemory-policy", null, 0, "noeviction", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction");
  public static final ConfigParam APPENDFSYNC = enumParam("appendfsync", null, 0, "everysec", "everysec", "always", "no");
  public static final ConfigParam OOM_SCORE_ADJ = enumParam("oom-score-adj", null, 0, "no", "no", "yes", "relative", "absolute");
  public static final ConfigParam ACL_PUBSUB_DEFAULT = enumParam("acl-pubsub-default", null, 0, "resetchannels", "allchannels", "resetchannels");
  public static final ConfigParam SANITIZE_DUMP_PAYLOAD = enumParam("sanitize-dump-payload", null, 0, "no", "no", "yes", "clients");
  public static final ConfigParam ENABLE_PROTECTED_CONFIGS = enumParam("enable-protected-configs", null, IMMUTABLE, "no", "no", "yes", "local");
  public static final ConfigParam ENABLE_DEBUG_COMMAND = enumParam("enable-debug-command", null, IMMUTABLE, "no", "no", "yes", "local");
  public static final ConfigParam ENABLE_MODULE_COMMAND = enumParam("enable-module-command", null, IMMUTABLE, "no", "no", "yes", "local");
  public static final ConfigParam CLUSTER_PREFERRED_ENDPOINT_TYPE = enumParam("cluster-preferred-endpoint-type", null, 0, "ip", "ip", "hostname", "unknown-endpoint");
  public static final ConfigParam PROPAGATION_ERROR_BEHAVIOR = enumParam("propagation-error-behavior", null, 0, "ignore", "ignore", "panic", "panic-on-replicas");
  public static final ConfigParam SHUTDOWN_ON_SIGINT = enumParam("shutdown-on-sigint", null, MULTI_ARG, "default", "default", "save", "nosave", "now", "force");
  public static final ConfigParam SHUTDOWN_ON_SIGTERM = enumParam("shutdown-on-sigterm", null, MULTI_ARG, "default", "default", "save", "nosave", "now", "force");
  public static final ConfigParam DATABASES = numeric("databases", null, IMMUTABLE, 1, Integer.MAX_VALUE, 16);
  public static final ConfigParam PORT = numeric("port", null, 0, 0, 65535, 6379);
  public static final ConfigParam IO_THREADS = numeric("io-threads", null, IMMUTABLE, 1, 128, 1);
  public static final ConfigParam AUTO_AOF_REWRITE_PERCENTAGE = numeric("auto-aof-rewrite-percentage", null, 0, 0, Integer.MAX_VALUE, 100);
  public static final ConfigParam CLUSTER_REPLICA_VALIDITY_FACTOR = numeric("cluster-replica-validity-factor", "cluster-slave-validity-factor", 0, 0, Integer.MAX_VALUE, 10);
  public static final ConfigParam LIST_MAX_LISTPACK_SIZE = numeric("list-max-listpack-size", "list-max-ziplist-size", 0, Integer.MIN_VALUE, Integer.MAX_VALUE, -2);
  public static final ConfigParam TCP_KEEPALIVE = numeric("tcp-keepalive", null, 0, 0, Integer.MAX_VALUE, 300);
  public static final ConfigParam CLUSTER_MIGRATION_BARRIER = numeric("cluster-migration-barrier", null, 0, 0, Integer.MAX_VALUE, 1);
  public static final ConfigParam ACTIVE_DEFRAG_CYCLE_MIN = numeric("active-defrag-cycle-min", null, 0, 1, 99, 1);
  public static final ConfigParam ACTIVE_DEFRAG_CYCLE_MAX = numeric("active-defrag-cycle-max", null, 0, 1, 99, 25);
  public static final ConfigParam ACTIVE_DEFRAG_THRESHOLD_LOWER = numeric("active-defrag-threshold-lower", null, 0, 0, 1000, 10);
  public static final ConfigParam ACTIVE_DEFRAG_THRESHOLD_UPPER = numeric("active-defrag-threshold-upper", null, 0, 0, 1000, 100);
  public static final ConfigParam LFU_LOG_FACTOR = numeric("lfu-log-factor", null, 0, 0, Integer.MAX_VALUE, 10);
  public static final ConfigParam LFU_DECAY_TIME = numeric("lfu-decay-time", null, 0, 0, Integer.MAX_VALUE, 1);
  public static final ConfigParam REPLICA_PRIORITY = numeric("replica-priority", "slave-priority", 0, 0, Integer.MAX_VALUE, 100);
  public static final ConfigParam REPL_DISKLESS_SYNC_DELAY = numeric("repl-diskless-sync-delay", null, 0, 0, Integer.MAX_VALUE, 5);
  public static final ConfigParam MAXMEMORY_SAMPLES = numeric("maxmemory-samples", null, 0, 1, Integer.MAX_VALUE, 5);
  public static final ConfigParam MAXMEMORY_EVICTION_TENACITY = numeric("maxmemory-eviction-tenacity", null, 0, 0, 100, 10);
  public static final ConfigParam TIMEOUT = numeric("timeout", null, 0, 0, Integer.MAX_VALUE, 0);
  public static final ConfigParam REPLICA_ANNOUNCE_PORT = numeric("replica-announce-port", "slave-announce-port", 0, 0, 65535, 0);
  public static final ConfigParam TCP_BACKLOG = numeric("tcp-backlog", null, IMMUTABLE, 0, Integer.MAX_VALUE, 511);
  public static final ConfigParam CLUSTER_PORT = numeric("cluster-port", null, IMMUTABLE, 0, 65535, 0);
  public static final ConfigParam CLUSTER_ANNOUNCE_BUS_PORT = numeric("cluster-announce-bus-port", null, 0, 0, 65535, 0);
  public static final ConfigParam CLUSTER_ANNOUNCE_PORT = numeric("cluster-announce-port", null, 0, 0, 65535, 0);
  public static final ConfigParam CLUSTER_ANNOUNCE_TLS_PORT = numeric("cluster-announce-tls-port", null, 0, 0, 65535, 0);
  public static final ConfigParam REPL_TIMEOUT = numeric("repl-timeout", null, 0, 1, Integer.MAX_VALUE, 60);
  public static final ConfigParam REPL_PING_REPLICA_PERIOD = numeric("repl-ping-replica-period", "repl-ping-slave-period", 0, 1, Integer.MAX_VALUE, 10);
  public static final ConfigParam LIST_COMPRESS_DEPTH = numeric("list-compress-depth", null, 0, 0, Integer.MAX_VALUE, 0);
  public static final ConfigParam RDB_KEY_SAVE_DELAY = numeric("rdb-key-save-delay", null, HIDDEN, Integer.MIN_VALUE, Integer.MAX_VALUE, 0);
  public static final ConfigParam KEY_LOAD_DELAY = numeric("key-load-delay", null, HIDDEN, Integer.MIN_VALUE, Integer.MAX_VALUE, 0);
  public static final ConfigParam ACTIVE_EXPIRE_EFFORT = numeric("active-expire-effort", null, 0, 1, 10, 1);
  public static final ConfigParam HZ = numeric("hz", null, 0, 0, Integer.MAX_VALUE, 10);
  public static final ConfigParam MIN_REPLICAS_TO_WRITE = numeric("min-replicas-to-write", "min-slaves-to-write", 0, 0, Integer.MAX_VALUE, 0);
  public static final ConfigParam MIN_REPLICAS_MAX_LAG = numeric("min-replicas-max-lag", "min-slaves-max-lag", 0, 0, Integer.MAX_VALUE, 10);
  public static final ConfigParam WATCHDOG_PERIOD = numeric("watchdog-period", null, HIDDEN, 0, Integer.MAX_VALUE, 0);
  public static final ConfigParam SHUTDOWN_TIMEOUT = numeric("shutdown-timeout", null, 0, 0, Integer.MAX_VALUE, 10);
  public static final ConfigParam REPL_DISKLESS_SYNC_MAX_REPLICAS = numeric("repl-diskless-sync-max-replicas", null, 0, 0, Integer.MAX_VALUE, 0);
  public static final ConfigParam MAXCLIENTS = numeric("maxclients", null, 0, 1, 4294967295L, 10000);
  public static final ConfigParam UNIXSOCKETPERM = numeric("unixsocketperm", null, IMMUTABLE|OCTAL, 0, 0777, 0);
  public static final ConfigParam SOCKET_MARK_ID = numeric("socket-mark-id", null, IMMUTABLE, 0, 4294967295L, 0);
  public static final ConfigParam ACTIVE_DEFRAG_MAX_SCAN_FIELDS = numeric("active-defrag-max-scan-fields", null, 0, 1, Long.MAX_VALUE, 1000);
  public static final ConfigParam SLOWLOG_MAX_LEN = numeric("slowlog-max-len", null, 0, 0, Long.MAX_VALUE, 128);
  public static final ConfigParam ACLLOG_MAX_LEN = numeric("acllog-max-len", null, 0, 0, Long.MAX_VALUE, 128);
  public static final ConfigParam BUSY_REPLY_THRESHOLD = numeric("busy-reply-threshold", "lua-time-limit", 0, 0, Long.MAX_VALUE, 5000);
  public static final ConfigParam CLUSTER_NODE_TIMEOUT = numeric("cluster-node-timeout", null, 0, 0, Long.MAX_VALUE, 15000);
  public static final ConfigParam SLOWLOG_LOG_SLOWER_THAN = numeric("slowlog-log-slower-than", null, 0, -1, Long.MAX_VALUE, 10000);
  public static final ConfigParam LATENCY_MONITOR_THRESHOLD = numeric("latency-monitor-threshold", null, 0, 0, Long.MAX_VALUE, 0);
  public static final ConfigParam PROTO_MAX_BULK_LEN = numeric("proto-max-bulk-len", null, MEMORY, 1024*1024, Long.MAX_VALUE, 512L*1024*1024);
  public static final ConfigParam STREAM_NODE_MAX_ENTRIES = numeric("stream-node-max-entries", null, 0, 0, Long.MAX_VALUE, 100);
  public static final ConfigParam REPL_BACKLOG_SIZE = numeric("repl-backlog-size", null, MEMORY, 1, Long.MAX_VALUE, 1024*1024);
  public static final ConfigParam MAXMEMORY = numeric("maxmemory", null, MEMORY, 0, Long.MAX_VALUE, 0);
  public static final ConfigParam CLUSTER_LINK_SENDBUF_LIMIT = numeric("cluster-link-sendbuf-limit", null, MEMORY, 0, Long.MAX_VALUE, 0);
  public static final ConfigParam HASH_MAX_LISTPACK_ENTRIES = numeric("hash-max-listpack-entries", "hash-max-ziplist-entries", 0, 0, Long.MAX_VALUE, 512);
  public static final ConfigParam SET_MAX_INTSET_ENTRIES = numeric("set-max-intset-entries", null, 0, 0, Long.MAX_VALUE, 512);
  public static final ConfigParam ZSET_MAX_LISTPACK_ENTRIES = numeric("zset-max-listpack-entries", "zset-max-ziplist-entries", 0, 0, Long.MAX_VALUE, 128);
  public static final ConfigParam ACTIVE_DEFRAG_IGNORE_BYTES = numeric("active-defrag-ignore-bytes", null, MEMORY, 1, Long.MAX_VALUE, 100<<20);
  public static final ConfigParam HASH_MAX_LISTPACK_VALUE = numeric("hash-max-listpack-value", "hash-max-ziplist-value", MEMORY, 0, Long.MAX_VALUE, 64);
  public static final ConfigParam STREAM_NODE_MAX_BYTES = numeric("stream-node-max-bytes", null, MEMORY, 0, Long.MAX_VALUE, 4096);
  public static final ConfigParam ZSET_MAX_LISTPACK_VALUE = numeric("zset-max-listpack-value", "zset-max-ziplist-value", MEMORY, 0, Long.MAX_VALUE, 64);
  public static final ConfigParam HLL_SPARSE_MAX_BYTES = numeric("hll-sparse-max-bytes", null, MEMORY, 0, Long.MAX_VALUE, 3000);
  public static final ConfigParam TRACKING_TABLE_MAX_KEYS = numeric("tracking-table-max-keys", null, 0, 0, Long.MAX_VALUE, 1000000);
  public static final ConfigParam CLIENT_QUERY_BUFFER_LIMIT = numeric("client-query-buffer-limit", null, MEMORY, 1024*1024, Long.MAX_VALUE, 1024*1024*1024);
  public static final ConfigParam MAXMEMORY_CLIENTS = numeric("maxmemory-clients", null, MEMORY|PERCENT, -100, Long.MAX_VALUE, 0);
  public static final ConfigParam REPL_BACKLOG_TTL = numeric("repl-backlog-ttl", null, 0, 0, Long.MAX_VALUE, 60*60);
  public static final ConfigParam AUTO_AOF_REWRITE_MIN_SIZE = numeric("auto-aof-rewrite-min-size", null, MEMORY, 0, Long.MAX_VALUE, 64*1024*1024);
  public static final ConfigParam LOADING_PROCESS_EVENTS_INTERVAL_BYTES = numeric("loading-process-events-interval-bytes", null, HIDDEN, 1024, Integer.MAX_VALUE, 1024*1024*2);
  public static final ConfigParam TLS_PORT = numeric("tls-port", null, 0, 0, 65535, 0);
  public static final ConfigParam TLS_SESSION_CACHE_SIZE = numeric("tls-session-cache-size", null, 0, 0, Integer.MAX_VALUE, 20*1024);
  public static final ConfigParam TLS_SESSION_CACHE_TIMEOUT = numeric("tls-session-cache-timeout", null, 0, 0, Integer.MAX_VALUE, 300);
  public static final ConfigParam TLS_CLUSTER = bool("tls-cluster", null, 0, false);
  public static final ConfigParam TLS_REPLICATION = bool("tls-replication", null, 0, false);
  public static final ConfigParam TLS_AUTH_CLIENTS = enumParam("tls-auth-clients", null, 0, "yes", "no", "yes", "optional");
  public static final ConfigParam TLS_PREFER_SERVER_CIPHERS = bool("tls-prefer-server-ciphers", null, 0, false);
  public static final ConfigParam TLS_SESSION_CACHING = bool("tls-session-caching", null, 0, true);
  public static final ConfigParam TLS_CERT_FILE = string("tls-cert-file", null, 0, "");
  public static final ConfigParam TLS_KEY_FILE = string("tls-key-file", null, 0, "");
  public static final ConfigParam TLS_KEY_FILE_PASS = string("tls-key-file-pass", null, 0, "");
  public static final ConfigParam TLS_CLIENT_CERT_FILE = string("tls-client-cert-file", null, 0, "");
  public static final ConfigParam TLS_CLIENT_KEY_FILE = string("tls-client-key-file", null, 0, "");
  public static final ConfigParam TLS_CLIENT_KEY_FILE_PASS = string("tls-client-key-file-pass", null, 0, "");
  public static final ConfigParam TLS_DH_PARAMS_FILE = string("tls-dh-params-file", null, 0, "");
  public static final ConfigParam TLS_CA_CERT_FILE = string("tls-ca-cert-file", null, 0, "");
  public static final ConfigParam TLS_CA_CERT_DIR = string("tls-ca-cert-dir", null, 0, "");
  public static final ConfigParam TLS_PROTOCOLS = string("tls-protocols", null, 0, "");
  public static final ConfigParam TLS_CIPHERS = string("tls-ciphers", null, 0, "");
  public static final ConfigParam TLS_CIPHERSUITES = string("tls-ciphersuites", null, 0, "");

  // Directives with their own syntax.
  public static final ConfigParam DIR = special("dir", null, DENY_LOADING | PROTECTED, ".", SpecialParams.DIR);
  public static final ConfigParam SAVE = special("save", null, MULTI_ARG, "3600 1 300 100 60 10000", SpecialParams.SAVE);
  public static final ConfigParam CLIENT_OUTPUT_BUFFER_LIMIT =
      special(
          "client-output-buffer-limit",
          null,
          MULTI_ARG,
          "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
          SpecialParams.CLIENT_OUTPUT_BUFFER_LIMIT);
  public static final ConfigParam OOM_SCORE_ADJ_VALUES =
      special("oom-score-adj-values", null, MULTI_ARG, "0 200 800", SpecialParams.OOM_SCORE_ADJ_VALUES);
  public static final ConfigParam NOTIFY_KEYSPACE_EVENTS =
      special("notify-keyspace-events", null, 0, "", SpecialParams.NOTIFY_KEYSPACE_EVENTS);
  public static final ConfigParam BIND = special("bind", null, MULTI_ARG, "* -::*", SpecialParams.BIND);
  public static final ConfigParam REPLICAOF =
      special("replicaof", "slaveof", IMMUTABLE | MULTI_ARG, "", SpecialParams.REPLICAOF);
  public static final ConfigParam LATENCY_TRACKING_INFO_PERCENTILES =
      special(
          "latency-tracking-info-percentiles",
          null,
          MULTI_ARG,
          "50 99 99.9",
          SpecialParams.LATENCY_PERCENTILES);

  // ---- registry

  /** Every param, in declaration order. */
  public static List<ConfigParam> all() {
    return Collections.unmodifiableList(ALL);
  }

  /** The param named {@code name} or one of its aliases (case-insensitive), or null. */
  public static ConfigParam byName(String name) {
    return BY_NAME.get(name.toLowerCase(Locale.ROOT));
  }

  /** Names and aliases, each mapped to its param, in declaration order. */
  public static Map<String, ConfigParam> names() {
    return Collections.unmodifiableMap(BY_NAME);
  }

  static boolean isMultiArg(ConfigParam p) {
    return p.has(ConfigParam.MULTI_ARG);
  }

  static String[] splitDefault(ConfigParam p) {
    if (p.kind == ConfigParam.Kind.SPECIAL && p.has(ConfigParam.MULTI_ARG)) {
      return p.defaultValue.isEmpty() ? new String[0] : splitWords(p.defaultValue);
    }
    return new String[] {p.defaultValue};
  }

  static String[] splitWords(String s) {
    String t = s.trim();
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }

  private static ConfigParam register(ConfigParam p) {
    ALL.add(p);
    BY_NAME.put(p.name, p);
    for (String a : p.aliases) BY_NAME.put(a, p);
    return p;
  }

  private static List<String> aliases(String alias) {
    return alias == null ? List.of() : List.of(alias);
  }

  private static ConfigParam bool(String name, String alias, int flags, boolean dflt) {
    return register(
        new ConfigParam(ALL.size(), name, aliases(alias), ConfigParam.Kind.BOOL, flags,
            dflt ? "yes" : "no", 0, 1, List.of(), null, null));
  }

  private static ConfigParam string(String name, String alias, int flags, String dflt) {
    return register(
        new ConfigParam(ALL.size(), name, aliases(alias), ConfigParam.Kind.STRING, flags, dflt,
            0, 0, List.of(), null, null));
  }

  private static ConfigParam numeric(String name, String alias, int flags, long min, long max, long dflt) {
    return register(
        new ConfigParam(ALL.size(), name, aliases(alias), ConfigParam.Kind.NUMERIC, flags,
            Long.toString(dflt), min, max, List.of(), null, null));
  }

  private static ConfigParam enumParam(String name, String alias, int flags, String dflt, String... names) {
    int f = flags;
    if ((flags & MULTI_ARG) != 0) f |= ConfigParam.MULTI_ENUM;
    return register(
        new ConfigParam(ALL.size(), name, aliases(alias), ConfigParam.Kind.ENUM, f, dflt, 0, 0,
            List.of(names), null, null));
  }

  private static ConfigParam special(String name, String alias, int flags, String dflt, SpecialConfig impl) {
    return register(
        new ConfigParam(ALL.size(), name, aliases(alias), ConfigParam.Kind.SPECIAL, flags, dflt,
            0, 0, List.of(), null, impl));
  }
}
