package io.redstart.info;

import io.redstart.command.CommandSpec;
import io.redstart.config.ConfigParams;
import io.redstart.config.MemoryUnits;
import io.redstart.server.Client;
import io.redstart.server.RedstartServer;
import io.redstart.server.ServerStats;
import io.redstart.store.Database;
import io.redstart.store.KeyspaceStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The INFO report: Redis 7.0's sections in its order with its field names. Sections owned by a
 * subsystem (persistence, replication ...) are contributed through {@link #section}; until one is
 * registered a section prints the values of a server without that feature active.
 *
 * <p>Runs on the keyspace thread.
 */
public final class Info {
  /** Writes the fields of one section (without its "# Title" header). */
  @FunctionalInterface
  public interface Section {
    void append(StringBuilder sb);
  }

  /** Section names in output order, each with its title. */
  private static final String[][] ORDER = {
    {"server", "Server"},
    {"clients", "Clients"},
    {"memory", "Memory"},
    {"persistence", "Persistence"},
    {"stats", "Stats"},
    {"replication", "Replication"},
    {"cpu", "CPU"},
    {"modules", "Modules"},
    {"commandstats", "Commandstats"},
    {"errorstats", "Errorstats"},
    {"latencystats", "Latencystats"},
    {"cluster", "Cluster"},
    {"keyspace", "Keyspace"},
  };

  private static final List<String> DEFAULTS =
      List.of(
          "server", "clients", "memory", "persistence", "stats", "replication", "cpu",
          "module_list", "errorstats", "cluster", "keyspace");

  private final RedstartServer server;
  private final Map<String, Section> sections = new LinkedHashMap<>();

  public Info(RedstartServer server) {
    this.server = server;
    sections.put("server", this::serverSection);
    sections.put("clients", this::clients);
    sections.put("memory", this::memory);
    sections.put("persistence", this::persistenceDefaults);
    sections.put("stats", this::stats);
    sections.put("replication", this::replicationDefaults);
    sections.put("cpu", Info::cpu);
    sections.put("modules", sb -> { });
    sections.put("commandstats", this::commandStats);
    sections.put("errorstats", this::errorStats);
    sections.put("latencystats", this::latencyStats);
    sections.put("cluster", sb -> line(sb, "cluster_enabled",
        server.config().getBool(ConfigParams.CLUSTER_ENABLED) ? 1 : 0));
    sections.put("keyspace", this::keyspace);
  }

  /** Replaces a section's writer (persistence, replication, cluster ... register theirs). */
  public void section(String name, Section writer) {
    sections.put(name, writer);
  }

  /** Counters owned by subsystems, shown in place of their zero defaults (pubsub, tracking). */
  private final Map<String, java.util.function.LongSupplier> counters = new java.util.HashMap<>();

  /** Supplies the value of a field that reads 0 until its subsystem is installed. */
  public void counter(String field, java.util.function.LongSupplier value) {
    counters.put(field, value);
  }

  private void counterLine(StringBuilder sb, String field) {
    java.util.function.LongSupplier v = counters.get(field);
    line(sb, field, v == null ? 0 : v.getAsLong());
  }

  /** Extra fields appended to a section by other subsystems (e.g. pubsub counts in stats). */
  private final Map<String, List<Section>> extras = new LinkedHashMap<>();

  public void extra(String name, Section writer) {
    extras.computeIfAbsent(name, k -> new ArrayList<>()).add(writer);
  }

  /** The report for INFO's arguments (section names, "default", "all", "everything"). */
  public String generate(List<String> args) {
    Set<String> wanted = new LinkedHashSet<>();
    boolean all = false;
    if (args.isEmpty()) wanted.addAll(DEFAULTS);
    for (String a : args) {
      String s = a.toLowerCase(Locale.ROOT);
      switch (s) {
        case "default" -> wanted.addAll(DEFAULTS);
        case "all", "everything" -> all = true;
        default -> wanted.add(s);
      }
    }
    StringBuilder sb = new StringBuilder(4096);
    int count = 0;
    for (String[] sec : ORDER) {
      String name = sec[0];
      boolean include = all || wanted.contains(name)
          || (name.equals("modules") && wanted.contains("module_list"));
      if (!include) continue;
      if (count++ > 0) sb.append("\r\n");
      sb.append("# ").append(sec[1]).append("\r\n");
      sections.get(name).append(sb);
      List<Section> ex = extras.get(name);
      if (ex != null) for (Section s : ex) s.append(sb);
    }
    return sb.toString();
  }

  static void line(StringBuilder sb, String key, Object value) {
    sb.append(key).append(':').append(value).append("\r\n");
  }

  // ---- sections

  private void serverSection(StringBuilder sb) {
    line(sb, "redis_version", RedstartServer.REDIS_VERSION);
    line(sb, "redis_git_sha1", "00000000");
    line(sb, "redis_git_dirty", 0);
    line(sb, "redis_build_id", "0");
    line(sb, "redis_mode", server.config().getBool(ConfigParams.CLUSTER_ENABLED) ? "cluster" : "standalone");
    line(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch").replace("amd64", "x86_64"));
    line(sb, "arch_bits", 64);
    line(sb, "monotonic_clock", "POSIX clock_gettime");
    line(sb, "multiplexing_api", server.usesEpoll() ? "epoll" : "nio");
    line(sb, "atomicvar_api", "c11-builtin");
    line(sb, "gcc_version", "0.0.0");
    line(sb, "process_id", ProcessHandle.current().pid());
    line(sb, "process_supervised", "no");
    line(sb, "run_id", server.runId());
    line(sb, "tcp_port", server.port());
    line(sb, "server_time_usec", server.keyspace().clock().millis() * 1000);
    long up = server.uptimeMillis() / 1000;
    line(sb, "uptime_in_seconds", up);
    line(sb, "uptime_in_days", up / 86400);
    line(sb, "hz", server.hz());
    line(sb, "configured_hz", server.config().getInt(ConfigParams.HZ));
    line(sb, "lru_clock", server.keyspace().lruClock());
    line(sb, "executable", ProcessHandle.current().info().command().orElse(""));
    String cf = server.config().configFile();
    line(sb, "config_file", cf == null ? "" : cf);
    line(sb, "io_threads_active", 0);
    line(sb, "redstart_version", RedstartServer.VERSION);
    line(sb, "java_version", Runtime.version());
  }

  private void clients(StringBuilder sb) {
    int connected = 0;
    long maxIn = 0;
    long maxOut = 0;
    for (Client c : server.clients().values()) {
      if (c.isReplicationLink()) continue;
      connected++;
      maxIn = Math.max(maxIn, c.queryBufferLength());
      maxOut = Math.max(maxOut, c.outputBytes());
    }
    line(sb, "connected_clients", connected);
    line(sb, "cluster_connections", 0);
    line(sb, "maxclients", server.config().getLong(ConfigParams.MAXCLIENTS));
    line(sb, "client_recent_max_input_buffer", maxIn);
    line(sb, "client_recent_max_output_buffer", maxOut);
    // Clients held by CLIENT PAUSE are blocked clients too, in Redis 7.0 (BLOCKED_POSTPONE).
    line(sb, "blocked_clients", server.blockedClientCount() + server.pauses().postponedCount());
    counterLine(sb, "tracking_clients");
    line(sb, "clients_in_timeout_table", server.blockedClientCount());
  }

  private void memory(StringBuilder sb) {
    long used = server.usedMemory();
    long peak = server.peakMemory();
    long rss = rssBytes();
    long startup = 880_000;
    long dataset = Math.max(0, used - startup);
    line(sb, "used_memory", used);
    line(sb, "used_memory_human", MemoryUnits.human(used));
    line(sb, "used_memory_rss", rss);
    line(sb, "used_memory_rss_human", MemoryUnits.human(rss));
    line(sb, "used_memory_peak", peak);
    line(sb, "used_memory_peak_human", MemoryUnits.human(peak));
    line(sb, "used_memory_peak_perc", String.format(Locale.ROOT, "%.2f%%", peak == 0 ? 0 : used * 100.0 / peak));
    line(sb, "used_memory_overhead", used - dataset);
    line(sb, "used_memory_startup", startup);
    line(sb, "used_memory_dataset", dataset);
    line(sb, "used_memory_dataset_perc",
        String.format(Locale.ROOT, "%.2f%%", used - startup <= 0 ? 0 : dataset * 100.0 / (used - startup)));
    Runtime rt = Runtime.getRuntime();
    long heapUsed = rt.totalMemory() - rt.freeMemory();
    line(sb, "allocator_allocated", heapUsed);
    line(sb, "allocator_active", rt.totalMemory());
    line(sb, "allocator_resident", rss);
    long total = totalSystemMemory();
    line(sb, "total_system_memory", total);
    line(sb, "total_system_memory_human", MemoryUnits.human(total));
    line(sb, "used_memory_lua", 31744);
    line(sb, "used_memory_vm_eval", 31744);
    line(sb, "used_memory_lua_human", "31.00K");
    counterLine(sb, "used_memory_scripts_eval");
    counterLine(sb, "number_of_cached_scripts");
    counterLine(sb, "number_of_functions");
    counterLine(sb, "number_of_libraries");
    line(sb, "used_memory_vm_functions", 32768);
    line(sb, "used_memory_vm_total", 64512);
    line(sb, "used_memory_vm_total_human", "63.00K");
    line(sb, "used_memory_functions", 184);
    line(sb, "used_memory_scripts", 184);
    line(sb, "used_memory_scripts_human", "184B");
    long maxmemory = server.config().getLong(ConfigParams.MAXMEMORY);
    line(sb, "maxmemory", maxmemory);
    line(sb, "maxmemory_human", MemoryUnits.human(maxmemory));
    line(sb, "maxmemory_policy", server.config().getEnum(ConfigParams.MAXMEMORY_POLICY));
    line(sb, "allocator_frag_ratio", "1.00");
    line(sb, "allocator_frag_bytes", 0);
    line(sb, "allocator_rss_ratio", ratio(rss, rt.totalMemory()));
    line(sb, "allocator_rss_bytes", rss - rt.totalMemory());
    line(sb, "rss_overhead_ratio", "1.00");
    line(sb, "rss_overhead_bytes", 0);
    line(sb, "mem_fragmentation_ratio", ratio(rss, used));
    line(sb, "mem_fragmentation_bytes", rss - used);
    line(sb, "mem_not_counted_for_evict", 0);
    counterLine(sb, "mem_replication_backlog");
    counterLine(sb, "mem_total_replication_buffers");
    counterLine(sb, "mem_clients_slaves");
    long normal = 0;
    for (Client c : server.clients().values()) normal += c.queryBufferLength() + c.parser().pendingArgvBytes() + c.outputBytes();
    line(sb, "mem_clients_normal", normal);
    line(sb, "mem_cluster_links", 0);
    line(sb, "mem_aof_buffer", 0);
    line(sb, "mem_allocator", "jvm-" + Runtime.version().feature());
    line(sb, "active_defrag_running", 0);
    line(sb, "lazyfree_pending_objects", 0);
    line(sb, "lazyfreed_objects", 0);
  }

  private static String ratio(long a, long b) {
    return String.format(Locale.ROOT, "%.2f", b <= 0 ? 0.0 : (double) a / b);
  }

  private void persistenceDefaults(StringBuilder sb) {
    line(sb, "loading", 0);
    line(sb, "async_loading", 0);
    line(sb, "current_cow_peak", 0);
    line(sb, "current_cow_size", 0);
    line(sb, "current_cow_size_age", 0);
    line(sb, "current_fork_perc", "0.00");
    line(sb, "current_save_keys_processed", 0);
    line(sb, "current_save_keys_total", 0);
    line(sb, "rdb_changes_since_last_save", server.dirty());
    line(sb, "rdb_bgsave_in_progress", 0);
    line(sb, "rdb_last_save_time", System.currentTimeMillis() / 1000);
    line(sb, "rdb_last_bgsave_status", "ok");
    line(sb, "rdb_last_bgsave_time_sec", -1);
    line(sb, "rdb_current_bgsave_time_sec", -1);
    line(sb, "rdb_saves", 0);
    line(sb, "rdb_last_cow_size", 0);
    line(sb, "rdb_last_load_keys_expired", 0);
    line(sb, "rdb_last_load_keys_loaded", 0);
    line(sb, "aof_enabled", 0);
    line(sb, "aof_rewrite_in_progress", 0);
    line(sb, "aof_rewrite_scheduled", 0);
    line(sb, "aof_last_rewrite_time_sec", -1);
    line(sb, "aof_current_rewrite_time_sec", -1);
    line(sb, "aof_last_bgrewrite_status", "ok");
    line(sb, "aof_rewrites", 0);
    line(sb, "aof_rewrites_consecutive_failures", 0);
    line(sb, "aof_last_write_status", "ok");
    line(sb, "aof_last_cow_size", 0);
    line(sb, "module_fork_in_progress", 0);
    line(sb, "module_fork_last_cow_size", 0);
  }

  private void stats(StringBuilder sb) {
    ServerStats st = server.stats();
    KeyspaceStats ks = server.keyspace().stats;
    line(sb, "total_connections_received", st.totalConnectionsReceived);
    line(sb, "total_commands_processed", st.totalCommandsProcessed);
    line(sb, "instantaneous_ops_per_sec", st.instantaneousOps());
    line(sb, "total_net_input_bytes", st.totalNetInputBytes);
    line(sb, "total_net_output_bytes", st.totalNetOutputBytes);
    counterLine(sb, "total_net_repl_input_bytes");
    counterLine(sb, "total_net_repl_output_bytes");
    line(sb, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", st.instantaneousInputKbps()));
    line(sb, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", st.instantaneousOutputKbps()));
    line(sb, "instantaneous_input_repl_kbps", "0.00");
    line(sb, "instantaneous_output_repl_kbps", "0.00");
    line(sb, "rejected_connections", st.rejectedConnections);
    counterLine(sb, "sync_full");
    counterLine(sb, "sync_partial_ok");
    counterLine(sb, "sync_partial_err");
    line(sb, "expired_keys", ks.expiredKeys);
    line(sb, "expired_stale_perc", String.format(Locale.ROOT, "%.2f", ks.expiredStalePerc * 100));
    line(sb, "expired_time_cap_reached_count", ks.expiredTimeCapReachedCount);
    line(sb, "expire_cycle_cpu_milliseconds", ks.expireCycleTimeUsed / 1000);
    line(sb, "evicted_keys", ks.evictedKeys);
    line(sb, "evicted_clients", 0);
    line(sb, "total_eviction_exceeded_time", 0);
    line(sb, "current_eviction_exceeded_time", 0);
    line(sb, "keyspace_hits", ks.keyspaceHits);
    line(sb, "keyspace_misses", ks.keyspaceMisses);
    counterLine(sb, "pubsub_channels");
    counterLine(sb, "pubsub_patterns");
    counterLine(sb, "pubsubshard_channels");
    counterLine(sb, "latest_fork_usec");
    counterLine(sb, "total_forks");
    counterLine(sb, "migrate_cached_sockets");
    line(sb, "slave_expires_tracked_keys", 0);
    line(sb, "active_defrag_hits", 0);
    line(sb, "active_defrag_misses", 0);
    line(sb, "active_defrag_key_hits", 0);
    line(sb, "active_defrag_key_misses", 0);
    line(sb, "total_active_defrag_time", 0);
    line(sb, "current_active_defrag_time", 0);
    counterLine(sb, "tracking_total_keys");
    counterLine(sb, "tracking_total_items");
    counterLine(sb, "tracking_total_prefixes");
    line(sb, "unexpected_error_replies", st.unexpectedErrorReplies);
    line(sb, "total_error_replies", st.totalErrorReplies);
    line(sb, "dump_payload_sanitizations", st.dumpPayloadSanitizations);
    line(sb, "total_reads_processed", st.ioReadsProcessed);
    line(sb, "total_writes_processed", st.ioWritesProcessed);
    line(sb, "io_threaded_reads_processed", 0);
    line(sb, "io_threaded_writes_processed", 0);
    line(sb, "reply_buffer_shrinks", 0);
    line(sb, "reply_buffer_expands", 0);
  }

  private void replicationDefaults(StringBuilder sb) {
    line(sb, "role", "master");
    line(sb, "connected_slaves", 0);
    line(sb, "master_failover_state", "no-failover");
    line(sb, "master_replid", server.runId());
    line(sb, "master_replid2", "0000000000000000000000000000000000000000");
    line(sb, "master_repl_offset", 0);
    line(sb, "second_repl_offset", -1);
    line(sb, "repl_backlog_active", 0);
    line(sb, "repl_backlog_size", server.config().getLong(ConfigParams.REPL_BACKLOG_SIZE));
    line(sb, "repl_backlog_first_byte_offset", 0);
    line(sb, "repl_backlog_histlen", 0);
  }

  private static void cpu(StringBuilder sb) {
    double[] self = cpuTimes("/proc/self/stat");
    double[] main = mainThreadCpu();
    line(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", self[1]));
    line(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", self[0]));
    line(sb, "used_cpu_sys_children", "0.000000");
    line(sb, "used_cpu_user_children", "0.000000");
    line(sb, "used_cpu_sys_main_thread", String.format(Locale.ROOT, "%.6f", main[1]));
    line(sb, "used_cpu_user_main_thread", String.format(Locale.ROOT, "%.6f", main[0]));
  }

  private static double[] mainThreadCpu() {
    var bean = java.lang.management.ManagementFactory.getThreadMXBean();
    if (!bean.isCurrentThreadCpuTimeSupported()) return new double[] {0, 0};
    long cpu = bean.getCurrentThreadCpuTime();
    long user = bean.getCurrentThreadUserTime();
    return new double[] {user / 1e9, Math.max(0, cpu - user) / 1e9};
  }

  /** {user, sys} seconds from a /proc stat file (fields 14 and 15, in clock ticks of 1/100 s). */
  private static double[] cpuTimes(String file) {
    try {
      String s = Files.readString(Path.of(file));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return new double[] {Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0};
    } catch (IOException | RuntimeException e) {
      return new double[] {0, 0};
    }
  }

  static long rssBytes() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: fall back to the heap's committed size.
    }
    return Runtime.getRuntime().totalMemory();
  }

  private static long totalSystemMemory() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getTotalMemorySize();
    return 0;
  }

  private void commandStats(StringBuilder sb) {
    for (CommandSpec cmd : server.dispatcher().commands().values()) {
      commandStat(sb, cmd);
      for (CommandSpec sub : cmd.subcommands().values()) commandStat(sb, sub);
    }
  }

  private static void commandStat(StringBuilder sb, CommandSpec c) {
    if (c.calls == 0 && c.failedCalls == 0 && c.rejectedCalls == 0) return;
    sb.append("cmdstat_").append(c.fullName).append(":calls=").append(c.calls)
        .append(",usec=").append(c.microseconds)
        .append(",usec_per_call=")
        .append(String.format(Locale.ROOT, "%.2f", c.calls == 0 ? 0f : (float) c.microseconds / c.calls))
        .append(",rejected_calls=").append(c.rejectedCalls)
        .append(",failed_calls=").append(c.failedCalls).append("\r\n");
  }

  private void errorStats(StringBuilder sb) {
    for (Map.Entry<String, Long> e : server.stats().errorCodes.entrySet()) {
      sb.append("errorstat_").append(e.getKey()).append(":count=").append(e.getValue()).append("\r\n");
    }
  }

  private void latencyStats(StringBuilder sb) {
    server.latency().appendInfo(sb, server.dispatcher().commands().values());
  }

  private void keyspace(StringBuilder sb) {
    for (int i = 0; i < server.keyspace().databases(); i++) {
      Database db = server.keyspace().db(i);
      if (db.size() == 0) continue;
      sb.append("db").append(i).append(":keys=").append(db.size())
          .append(",expires=").append(db.volatileCount())
          .append(",avg_ttl=").append(server.activeExpiry().avgTtl(i)).append("\r\n");
    }
  }
}
