package io.redstart.command.stream;

import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.command.Replies;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.types.stream.Consumer;
import io.redstart.types.stream.ConsumerGroup;
import io.redstart.types.stream.PendingEntry;
import io.redstart.types.stream.StreamId;
import io.redstart.types.stream.StreamValue;

/**
 * XINFO STREAM (and its FULL form), GROUPS, CONSUMERS and HELP, as Redis 7.0's xinfoCommand,
 * including entries-read and lag computed as 7.0 computes them (null when they cannot be known).
 * Read-only.
 *
 * <p>Handlers run on the keyspace thread.
 */
public final class StreamInfoCommands {
  private StreamInfoCommands() {}

  private static final String[] HELP = {
    "CONSUMERS <key> <groupname>",
    "    Show consumers of <groupname>.",
    "GROUPS <key>",
    "    Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]",
    "    Show information about the stream.",
  };

  public static void xinfoHelp(Client c, byte[][] argv) {
    Replies.help(c, argv[0], HELP);
  }

  /** The stream under argv[2], or null after replying "no such key" or WRONGTYPE. */
  private static StreamValue streamOrReply(Client c, byte[][] argv) {
    Object e = c.server().keyspace().lookupRead(c.db(), argv[2], c.noTouch());
    if (e == null) {
      c.error(Errors.NO_SUCH_KEY);
      return null;
    }
    return Streams.streamOrReply(c, e);
  }

  /** XINFO CONSUMERS key group: name, pending and idle of each consumer. */
  public static void xinfoConsumers(Client c, byte[][] argv) {
    StreamValue s = streamOrReply(c, argv);
    if (s == null) return;
    ConsumerGroup g = s.group(argv[3]);
    if (g == null) {
      c.error(Errors.noGroupForKey(Streams.cstr(argv[3]), Streams.cstr(argv[2])));
      return;
    }
    long now = c.server().keyspace().now();
    RespWriter w = c.reply();
    w.array(g.consumerCount());
    for (Consumer consumer : g.consumers()) {
      w.map(3);
      w.bulk("name");
      w.bulk(consumer.name());
      w.bulk("pending");
      w.integer(consumer.pendingCount());
      w.bulk("idle");
      w.integer(Math.max(0, now - consumer.seenTime()));
    }
  }

  /** XINFO GROUPS key. */
  public static void xinfoGroups(Client c, byte[][] argv) {
    StreamValue s = streamOrReply(c, argv);
    if (s == null) return;
    RespWriter w = c.reply();
    w.array(s.groupCount());
    for (ConsumerGroup g : s.groups()) {
      w.map(6);
      w.bulk("name");
      w.bulk(g.name());
      w.bulk("consumers");
      w.integer(g.consumerCount());
      w.bulk("pending");
      w.integer(g.pendingCount());
      w.bulk("last-delivered-id");
      StreamValue.writeId(w, g.lastId());
      w.bulk("entries-read");
      writeEntriesRead(w, g);
      w.bulk("lag");
      writeLag(w, s, g);
    }
  }

  private static void writeEntriesRead(RespWriter w, ConsumerGroup g) {
    if (g.entriesRead() != ConsumerGroup.ENTRIES_READ_UNKNOWN) {
      w.integer(g.entriesRead());
    } else {
      w.nullBulk();
    }
  }

  private static void writeLag(RespWriter w, StreamValue s, ConsumerGroup g) {
    Long lag = s.lag(g);
    if (lag != null) {
      w.integer(lag);
    } else {
      w.nullBulk();
    }
  }

  /** XINFO STREAM key [FULL [COUNT count]]. */
  public static void xinfoStream(Client c, byte[][] argv) {
    StreamValue s = streamOrReply(c, argv);
    if (s == null) return;
    int optc = argv.length - 3;
    boolean full = optc != 0;
    long count = 10;
    if (full) {
      if (optc != 1 && optc != 3) {
        Replies.subcommandSyntaxError(c, argv);
        return;
      }
      if (!Streams.is(argv[3], "full")) {
        Replies.subcommandSyntaxError(c, argv);
        return;
      }
      if (optc == 3) {
        if (!Streams.is(argv[4], "count")) {
          Replies.subcommandSyntaxError(c, argv);
          return;
        }
        if (!Args.isLongOrReply(c, argv[5])) return;
        count = Args.toLong(argv[5]);
        if (count < 0) count = 10;
      }
    }
    RespWriter w = c.reply();
    w.map(full ? 9 : 10);
    w.bulk("length");
    w.integer(s.length());
    w.bulk("radix-tree-keys");
    w.integer(s.nodeCount());
    w.bulk("radix-tree-nodes");
    w.integer(s.radixTreeNodes());
    w.bulk("last-generated-id");
    StreamValue.writeId(w, s.lastId());
    w.bulk("max-deleted-entry-id");
    StreamValue.writeId(w, s.maxDeletedId());
    w.bulk("entries-added");
    w.integer(s.entriesAdded());
    w.bulk("recorded-first-entry-id");
    StreamValue.writeId(w, s.firstId());
    if (!full) {
      w.bulk("groups");
      w.integer(s.groupCount());
      w.bulk("first-entry");
      writeEdge(w, s, false);
      w.bulk("last-entry");
      writeEdge(w, s, true);
      return;
    }
    w.bulk("entries");
    StreamCommands.replyRange(w, s, null, null, count, false);
    w.bulk("groups");
    w.array(s.groupCount());
    for (ConsumerGroup g : s.groups()) {
      w.map(7);
      w.bulk("name");
      w.bulk(g.name());
      w.bulk("last-delivered-id");
      StreamValue.writeId(w, g.lastId());
      w.bulk("entries-read");
      writeEntriesRead(w, g);
      w.bulk("lag");
      writeLag(w, s, g);
      w.bulk("pel-count");
      w.integer(g.pendingCount());
      w.bulk("pending");
      long shown = count == 0 ? g.pendingCount() : Math.min(count, g.pendingCount());
      w.array(shown);
      PendingEntry p = g.firstPending();
      for (long i = 0; i < shown; i++) {
        w.array(4);
        StreamValue.writeId(w, p.ms(), p.seq());
        w.bulk(p.consumer().name());
        w.integer(p.deliveryTime());
        w.integer(p.deliveryCount());
        p = nextPending(g, null, p);
      }
      w.bulk("consumers");
      w.array(g.consumerCount());
      for (Consumer consumer : g.consumers()) {
        w.map(4);
        w.bulk("name");
        w.bulk(consumer.name());
        w.bulk("seen-time");
        w.integer(consumer.seenTime());
        w.bulk("pel-count");
        w.integer(consumer.pendingCount());
        w.bulk("pending");
        long mine = count == 0 ? consumer.pendingCount() : Math.min(count, consumer.pendingCount());
        w.array(mine);
        PendingEntry q = consumer.pendingCeiling(StreamId.MIN);
        for (long i = 0; i < mine; i++) {
          w.array(3);
          StreamValue.writeId(w, q.ms(), q.seq());
          w.integer(q.deliveryTime());
          w.integer(q.deliveryCount());
          q = nextPending(null, consumer, q);
        }
      }
    }
  }

  private static PendingEntry nextPending(ConsumerGroup g, Consumer consumer, PendingEntry p) {
    StreamId next = p.id().next();
    if (next == null) return null;
    return g != null ? g.pendingCeiling(next) : consumer.pendingCeiling(next);
  }

  /** The first or last live entry as [id, [field, value ...]], or null. */
  private static void writeEdge(RespWriter w, StreamValue s, boolean last) {
    StreamValue.Cursor cur = s.cursor(null, null, last);
    if (cur.next()) {
      cur.writeEntry(w);
    } else {
      w.nullBulk();
    }
  }
}
