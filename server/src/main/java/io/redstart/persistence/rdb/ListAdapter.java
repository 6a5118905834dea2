package io.redstart.persistence.rdb;

import io.redstart.config.Config;
import io.redstart.config.ConfigParams;
import io.redstart.persistence.aof.AofBody;
import io.redstart.resp.Numbers;
import io.redstart.types.ValueType;
import io.redstart.types.list.ListValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists in RDB: always RDB_TYPE_LIST_QUICKLIST_2, one node after another (container 2 and the
 * node's listpack, or container 1 and a plain node's element), as Redis 7.0 writes a quicklist.
 * Nodes are never compressed here, so with list-compress-depth above 0 the bytes differ from
 * Redis's (its compressed nodes are LZF blobs); both load everywhere. Loading keeps a quicklist 2
 * payload's nodes as they are, as Redis does; older types push their elements one by one.
 */
final class ListAdapter implements TypeAdapter {
  @Override
  public ValueType type() {
    return ValueType.LIST;
  }

  @Override
  public boolean accepts(Object value) {
    return value instanceof ListValue;
  }

  @Override
  public int rdbType(Object value) {
    return RdbConstants.TYPE_LIST_QUICKLIST_2;
  }

  @Override
  public void write(Object value, RdbOutput out, Config config) throws IOException {
    ListValue l = (ListValue) value;
    out.len(l.nodeCount());
    try {
      l.forEachNode((plain, blob) -> {
        try {
          out.len(plain ? RdbConstants.QUICKLIST_NODE_PLAIN : RdbConstants.QUICKLIST_NODE_PACKED);
          out.string(blob);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public Object build(RdbValue value, Config config) throws RdbException {
    RdbValue.ListValue v = (RdbValue.ListValue) value;
    ListValue.Builder b = new ListValue.Builder(
        config.getInt(ConfigParams.LIST_MAX_LISTPACK_SIZE), config.getInt(ConfigParams.LIST_COMPRESS_DEPTH));
    if (v.nodes() != null) {
      for (RdbValue.QuicklistNode n : v.nodes()) {
        if (n.plain()) {
          b.addPlain(n.blob());
        } else if (!b.addListpack(n.blob())) {
          throw RdbException.corrupt("Listpack integrity check failed.", -1);
        }
      }
    } else {
      for (byte[] e : v.elements()) b.addElement(e);
    }
    return b.build();
  }

  @Override
  public void rewrite(byte[] key, Object value, CommandSink sink) throws IOException {
    ListValue l = (ListValue) value;
    List<byte[]> items = new ArrayList<>((int) Math.min(l.size(), 1 << 20));
    ListValue.Cursor c = l.cursor(0, true);
    while (c.next()) items.add(c.isInteger() ? Numbers.toBytes(c.integer()) : c.element());
    AofBody.batched(sink, RPUSH, key, items, 1);
  }

  private static final byte[] RPUSH = {'R', 'P', 'U', 'S', 'H'};
}
