package io.redstart.persistence.rdb;

import io.redstart.config.Config;
import io.redstart.config.ConfigParams;
import io.redstart.persistence.aof.AofBody;
import io.redstart.resp.Numbers;
import io.redstart.types.ValueType;
import io.redstart.types.list.ListValue;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Lists in RDB: always RDB_TYPE_LIST_QUICKLIST_2, one node after another (container 2 and the
 * node's listpack, or container 1 and a plain node's element), as Redis 7.0 writes a quicklist.
 * Lists are never compressed in memory here; with a list-compress-depth above 0, the nodes Redis
 * would hold compressed (those beyond the depth from both ends, of 48 bytes or more, when LZF saves
 * more than 8 bytes) are written as the LZF blobs Redis writes for them, even with rdbcompression
 * off, so the bytes are Redis's either way. Loading keeps a quicklist 2 payload's nodes as they
 * are, as Redis does; older types push their elements one by one.
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
    int nodes = l.nodeCount();
    int depth = l.compressDepth();
    // Redis's __quicklistCompress leaves everything raw when the list is shorter than both depths.
    boolean compressed = depth > 0 && nodes >= 2L * depth;
    int[] index = {0};
    out.len(nodes);
    try {
      l.forEachNode((plain, blob) -> {
        try {
          int i = index[0]++;
          out.len(plain ? RdbConstants.QUICKLIST_NODE_PLAIN : RdbConstants.QUICKLIST_NODE_PACKED);
          if (!(compressed && i >= depth && i < nodes - depth && writeCompressed(blob, out))) {
            out.string(blob);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Smallest node Redis compresses (MIN_COMPRESS_BYTES). */
  private static final int MIN_COMPRESS_BYTES = 48;

  /** Bytes compression must save for Redis to keep a node compressed (MIN_COMPRESS_IMPROVE). */
  private static final int MIN_COMPRESS_IMPROVE = 8;

  /**
   * Writes a node as the LZF blob of __quicklistCompressNode when Redis would hold it compressed;
   * false (nothing written) when it would not.
   */
  private static boolean writeCompressed(byte[] blob, RdbOutput out) throws IOException {
    if (blob.length < MIN_COMPRESS_BYTES) return false;
    byte[] lzf = new byte[blob.length + 1];
    int n = Lzf.compress(blob, 0, blob.length, lzf, blob.length);
    if (n == 0 || n + MIN_COMPRESS_IMPROVE >= blob.length) return false;
    out.lzfBlob(lzf, 0, n, blob.length);
    return true;
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
    AofBody.Batcher b = new AofBody.Batcher(sink, RPUSH, key, 1);
    ListValue.Cursor c = l.cursor(0, true);
    while (c.next()) b.add(c.isInteger() ? Numbers.toBytes(c.integer()) : c.element());
    b.finish();
  }

  private static final byte[] RPUSH = {'R', 'P', 'U', 'S', 'H'};
}
