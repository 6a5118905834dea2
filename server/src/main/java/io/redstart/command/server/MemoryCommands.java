package io.redstart.command.server;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.command.Replies;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.server.RedstartServer;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.store.MemorySized;

/** MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE, HELP. */
public final class MemoryCommands {
  private MemoryCommands() {}

  public static void help(Client c, byte[][] argv) {
    Replies.help(c, argv[0],
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).");
  }

  /**
   * MEMORY USAGE: the heap bytes of the key's record, its value and its share of the slot table.
   * Our values account their size exactly, so SAMPLES only validates its argument.
   */
  public static void usage(Client c, byte[][] argv) {
    for (int j = 3; j < argv.length; j++) {
      if (Args.is(argv[j], "samples") && j + 1 < argv.length) {
        if (!Args.isLongOrReply(c, argv[j + 1])) return;
        if (Args.toLong(argv[j + 1]) < 0) {
          c.error(Errors.SYNTAX);
          return;
        }
        j++;
      } else {
        c.error(Errors.SYNTAX);
        return;
      }
    }
    Object e = c.db().find(argv[2]);
    if (e == null) {
      c.reply().nullBulk();
      return;
    }
    long bytes = Entries.arrayBytes(Entries.record(e).length) + 12; // record + its index slots
    Object v = Entries.boxedValue(e);
    if (v instanceof MemorySized m) bytes += 16 + m.memoryUsage();
    c.reply().integer(bytes);
  }

  public static void stats(Client c, byte[][] argv) {
    RedstartServer s = c.server();
    long used = s.usedMemory();
    long peak = s.peakMemory();
    long startup = RedstartServer.baselineMemory();
    long keys = s.keyspace().totalKeys();
    long clientsNormal = 0;
    for (Client cl : s.clients().values()) {
      if (!cl.isReplicationLink()) clientsNormal += cl.queryBufferLength() + cl.parser().pendingArgvBytes() + cl.outputBytes();
    }
    int dbs = 0;
    for (int i = 0; i < s.keyspace().databases(); i++) if (s.keyspace().db(i).size() > 0) dbs++;
    long overheadTables = 0;
    RespWriter w = c.reply();
    w.map(27 + dbs);
    long dataset = Math.max(0, used - startup - clientsNormal);
    kv(w, "peak.allocated", peak);
    kv(w, "total.allocated", used);
    kv(w, "startup.allocated", startup);
    kv(w, "replication.backlog", 0);
    kv(w, "clients.slaves", 0);
    kv(w, "clients.normal", clientsNormal);
    kv(w, "cluster.links", 0);
    kv(w, "aof.buffer", 0);
    kv(w, "lua.caches", 0);
    kv(w, "functions.caches", 184);
    for (int i = 0; i < s.keyspace().databases(); i++) {
      Database db = s.keyspace().db(i);
      if (db.size() == 0) continue;
      w.bulk("db." + i);
      w.map(3);
      long table = db.size() * 12;
      overheadTables += table;
      kv(w, "overhead.hashtable.main", table);
      kv(w, "overhead.hashtable.expires", 0);
      kv(w, "overhead.hashtable.slot-to-keys", 0);
    }
    kv(w, "overhead.total", startup + clientsNormal + overheadTables);
    kv(w, "keys.count", keys);
    kv(w, "keys.bytes-per-key", keys == 0 ? 0 : (used - startup) / keys);
    kv(w, "dataset.bytes", dataset);
    w.bulk("dataset.percentage");
    w.doubleValue(used - startup <= 0 ? 0 : dataset * 100.0 / (used - startup));
    w.bulk("peak.percentage");
    w.doubleValue(peak == 0 ? 0 : used * 100.0 / peak);
    Runtime rt = Runtime.getRuntime();
    long heapUsed = rt.totalMemory() - rt.freeMemory();
    kv(w, "allocator.allocated", heapUsed);
    kv(w, "allocator.active", rt.totalMemory());
    kv(w, "allocator.resident", rt.totalMemory());
    w.bulk("allocator-fragmentation.ratio");
    w.doubleValue(heapUsed == 0 ? 1 : (double) rt.totalMemory() / heapUsed);
    kv(w, "allocator-fragmentation.bytes", rt.totalMemory() - heapUsed);
    w.bulk("allocator-rss.ratio");
    w.doubleValue(1.0);
    kv(w, "allocator-rss.bytes", 0);
    w.bulk("rss-overhead.ratio");
    w.doubleValue(1.0);
    kv(w, "rss-overhead.bytes", 0);
    w.bulk("fragmentation");
    w.doubleValue(used == 0 ? 1 : (double) rt.totalMemory() / used);
    kv(w, "fragmentation.bytes", rt.totalMemory() - used);
  }

  private static void kv(RespWriter w, String k, long v) {
    w.bulk(k);
    w.integer(v);
  }

  /** MEMORY DOCTOR: a short report on what in the memory figures looks wrong. */
  public static void doctor(Client c, byte[][] argv) {
    RedstartServer s = c.server();
    long used = s.usedMemory();
    StringBuilder sb = new StringBuilder();
    if (used < 5L * 1024 * 1024) {
      sb.append("This instance is empty or holds very little data: there is nothing for the memory"
          + " doctor to examine yet.\n");
    } else {
      int clients = Math.max(1, s.clients().size());
      long clientBytes = 0;
      for (Client cl : s.clients().values()) clientBytes += cl.queryBufferLength() + cl.parser().pendingArgvBytes() + cl.outputBytes();
      boolean peak = s.peakMemory() > used * 3 / 2;
      boolean bigClients = clientBytes / clients > 200 * 1024;
      if (!peak && !bigClients) {
        sb.append("No memory issue found in this instance.\n");
      } else {
        sb.append("Memory issues found in this instance:\n\n");
        if (peak) {
          sb.append(" * Peak memory: the instance once used more than 150% of what it uses now;"
              + " the JVM returns freed heap to the system only gradually.\n\n");
        }
        if (bigClients) {
          sb.append(" * Big client buffers: client output and query buffers average more than"
              + " 200K per client. Slow pub/sub subscribers or very long pipelines are the usual"
              + " causes; CLIENT LIST shows which clients hold them.\n\n");
        }
      }
    }
    c.reply().verbatim(sb.toString(), "txt");
  }

  public static void mallocStats(Client c, byte[][] argv) {
    c.reply().bulk("Stats not supported for the current allocator");
  }

  public static void purge(Client c, byte[][] argv) {
    c.reply().ok();
  }
}
