package io.redstart.persistence.rdb;

import io.redstart.config.Config;
import io.redstart.config.ConfigParams;
import io.redstart.persistence.aof.AofBody;
import io.redstart.resp.CFormat;
import io.redstart.types.ValueType;
import io.redstart.types.zset.ZSetValue;
import io.redstart.util.Doubles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Sorted sets in RDB: a listpack-encoded set as RDB_TYPE_ZSET_LISTPACK (member, then the score as
 * d2string writes it, lowest first: the listpack Redis holds), a skiplist as RDB_TYPE_ZSET_2
 * (count, then member and binary score from the highest down, as zsetSave does). Loading follows
 * rdbLoadObject: ZSET and ZSET_2 become a skiplist that converts to a listpack when it fits
 * zset-max-listpack-entries, -value and the listpack safety size; listpack and ziplist payloads
 * stay compact unless they have too many members.
 */
final class ZSetAdapter implements TypeAdapter {
  @Override
  public ValueType type() {
    return ValueType.ZSET;
  }

  @Override
  public boolean accepts(Object value) {
    return value instanceof ZSetValue;
  }

  @Override
  public int rdbType(Object value) {
    return ((ZSetValue) value).isListpack() ? RdbConstants.TYPE_ZSET_LISTPACK : RdbConstants.TYPE_ZSET_2;
  }

  @Override
  public void write(Object value, RdbOutput out, Config config) throws IOException {
    ZSetValue z = (ZSetValue) value;
    if (z.isListpack()) {
      Listpack.Builder lp = new Listpack.Builder();
      z.forEach(false, (m, off, len, score) -> {
        lp.append(m, off, len);
        lp.append(Doubles.d2string(score).getBytes(StandardCharsets.US_ASCII));
      });
      out.string(lp.build());
      return;
    }
    out.len(z.size());
    try {
      z.forEach(true, (m, off, len, score) -> {
        try {
          out.string(m, off, len);
          out.binaryDouble(score);
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
    RdbValue.ZSetValue v = (RdbValue.ZSetValue) value;
    long maxEntries = config.getLong(ConfigParams.ZSET_MAX_LISTPACK_ENTRIES);
    long maxValue = config.getLong(ConfigParams.ZSET_MAX_LISTPACK_VALUE);
    List<byte[]> members = v.members();
    double[] scores = v.scores();
    boolean compact = value.rdbType() == RdbConstants.TYPE_ZSET_LISTPACK
        || value.rdbType() == RdbConstants.TYPE_ZSET_ZIPLIST;
    ZSetValue z = compact && members.size() <= maxEntries ? ZSetValue.newListpack() : ZSetValue.newSkiplist();
    long maxLen = 0;
    long total = 0;
    for (int i = 0; i < members.size(); i++) {
      byte[] m = members.get(i);
      if (z.contains(m)) throw RdbException.corrupt("Duplicate zset fields detected", -1);
      z.insertNew(m, scores[i]);
      maxLen = Math.max(maxLen, m.length);
      total += m.length;
    }
    if (!compact) z.convertToListpackIfFits(new ZSetValue.Limits(maxEntries, maxValue), maxLen, total);
    return z;
  }

  @Override
  public void rewrite(byte[] key, Object value, CommandSink sink) throws IOException {
    AofBody.Batcher b = new AofBody.Batcher(sink, ZADD, key, 2);
    try {
      ((ZSetValue) value).forEach(false, (m, off, len, score) -> {
        try {
          b.add(CFormat.g17(score).getBytes(StandardCharsets.US_ASCII));
          b.add(Arrays.copyOfRange(m, off, off + len));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    b.finish();
  }

  private static final byte[] ZADD = {'Z', 'A', 'D', 'D'};
}
