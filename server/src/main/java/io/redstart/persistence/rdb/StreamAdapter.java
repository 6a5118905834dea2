package io.redstart.persistence.rdb;

import io.redstart.config.Config;
import io.redstart.types.ValueType;
import io.redstart.types.stream.Consumer;
import io.redstart.types.stream.ConsumerGroup;
import io.redstart.types.stream.PendingEntry;
import io.redstart.types.stream.StreamId;
import io.redstart.types.stream.StreamValue;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Streams in RDB: always RDB_TYPE_STREAM_LISTPACKS_2, what Redis 7.0 writes. The nodes go out as
 * the stream holds them (their listpacks are Redis's bytes, tombstones included), then the
 * counters, then the groups in name order with their pending entries (16-byte IDs, delivery time,
 * delivery count) and consumers (name, seen time, the IDs they own). Loading keeps the nodes as
 * stored, as Redis does; type 15 streams get the counters Redis derives for them, type 21's
 * consumer active times are dropped (7.0 has none).
 */
final class StreamAdapter implements TypeAdapter {
  @Override
  public ValueType type() {
    return ValueType.STREAM;
  }

  @Override
  public boolean accepts(Object value) {
    return value instanceof StreamValue;
  }

  @Override
  public int rdbType(Object value) {
    return RdbConstants.TYPE_STREAM_LISTPACKS_2;
  }

  @Override
  public void write(Object value, RdbOutput out, Config config) throws IOException {
    StreamValue s = (StreamValue) value;
    out.len(s.nodeCount());
    try {
      s.forEachNode((master, lp, bytes) -> {
        try {
          out.string(key(master));
          out.string(lp, 0, bytes);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    out.len(s.length());
    id(out, s.lastId());
    id(out, s.firstId());
    id(out, s.maxDeletedId());
    out.len(s.entriesAdded());
    out.len(s.groupCount());
    for (ConsumerGroup g : s.groups()) {
      out.string(g.name());
      id(out, g.lastId());
      out.len(g.entriesRead());
      out.len(g.pendingCount());
      IOException[] failed = new IOException[1];
      g.forEachPending(e -> {
        if (failed[0] != null) return;
        try {
          out.write(key(e.id()));
          out.millis(e.deliveryTime());
          out.len(e.deliveryCount());
        } catch (IOException x) {
          failed[0] = x;
        }
      });
      if (failed[0] != null) throw failed[0];
      out.len(g.consumerCount());
      for (Consumer c : g.consumers()) {
        out.string(c.name());
        out.millis(c.seenTime());
        out.len(c.pendingCount());
        c.forEachPending(e -> {
          if (failed[0] != null) return;
          try {
            out.write(key(e.id()));
          } catch (IOException x) {
            failed[0] = x;
          }
        });
        if (failed[0] != null) throw failed[0];
      }
    }
  }

  private static void id(RdbOutput out, StreamId id) throws IOException {
    out.len(id.ms());
    out.len(id.seq());
  }

  /** An ID as the 16 big-endian bytes of a radix tree key or a PEL entry. */
  private static byte[] key(StreamId id) {
    return StreamCodec.encodeId(new StreamCodec.Id(id.ms(), id.seq()));
  }

  private static StreamId id(StreamCodec.Id id) {
    return new StreamId(id.ms(), id.seq());
  }

  @Override
  public Object build(RdbValue value, Config config) throws RdbException {
    RdbValue.StreamValue v = (RdbValue.StreamValue) value;
    StreamCodec.Stream st = v.stream();
    StreamValue s;
    try {
      StreamValue.Loader loader = StreamValue.loader();
      for (StreamCodec.Node n : st.nodes()) loader.addNode(id(n.master()), n.listpack());
      boolean old = v.rdbType() == RdbConstants.TYPE_STREAM_LISTPACKS;
      s = loader.finish(
          st.length(),
          id(st.lastId()),
          old ? null : id(st.firstId()),
          id(st.maxDeletedId()),
          st.entriesAdded());
    } catch (IllegalArgumentException e) {
      throw RdbException.corrupt(e.getMessage(), -1);
    }
    for (StreamCodec.Group g : st.groups()) {
      ConsumerGroup cg = s.createGroup(g.name(), id(g.lastId()), g.entriesRead());
      if (cg == null) throw RdbException.corrupt("Duplicated consumer group name", -1);
      for (StreamCodec.Nack n : g.pel()) {
        if (cg.addPending(id(n.id()), n.deliveryTime(), n.deliveryCount(), null) == null) {
          throw RdbException.corrupt(
              "Duplicated global PEL entry loading stream consumer group", -1);
        }
      }
      for (StreamCodec.Consumer c : g.consumers()) {
        Consumer consumer = cg.createConsumer(c.name(), c.seenTime());
        if (consumer == null) throw RdbException.corrupt("Duplicate stream consumer detected.", -1);
        for (StreamCodec.Id pid : c.pending()) {
          PendingEntry e = cg.pending(id(pid));
          if (e == null) {
            throw RdbException.corrupt("Consumer entry not found in group global PEL", -1);
          }
          cg.assign(e, consumer);
        }
      }
    }
    String problem = s.checkGroups();
    if (problem != null) throw RdbException.corrupt(problem, -1);
    return s;
  }

  @Override
  public void rewrite(byte[] key, Object value, CommandSink sink) throws IOException {
    ((StreamValue) value).rewrite(key, sink::command);
  }
}
