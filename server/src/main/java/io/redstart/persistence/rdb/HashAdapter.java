package io.redstart.persistence.rdb;

import io.redstart.config.Config;
import io.redstart.config.ConfigParams;
import io.redstart.persistence.aof.AofBody;
import io.redstart.types.ValueType;
import io.redstart.types.hash.HashValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Hashes in RDB: a listpack-encoded hash is written as RDB_TYPE_HASH_LISTPACK (its pairs in
 * order, as the listpack Redis would hold), a hashtable as RDB_TYPE_HASH (count, then field and
 * value per pair). Loading follows rdbLoadObject: RDB_TYPE_HASH starts as a listpack unless it
 * has more than hash-max-listpack-entries pairs and converts on a long field or value; listpack,
 * ziplist and zipmap payloads stay compact unless they hold too many pairs (a zipmap also
 * converts on a value longer than hash-max-listpack-value).
 */
final class HashAdapter implements TypeAdapter {
  @Override
  public ValueType type() {
    return ValueType.HASH;
  }

  @Override
  public boolean accepts(Object value) {
    return value instanceof HashValue;
  }

  @Override
  public int rdbType(Object value) {
    return ((HashValue) value).isListpack() ? RdbConstants.TYPE_HASH_LISTPACK : RdbConstants.TYPE_HASH;
  }

  @Override
  public void write(Object value, RdbOutput out, Config config) throws IOException {
    HashValue h = (HashValue) value;
    try {
      if (h.isListpack()) {
        Listpack.Builder lp = new Listpack.Builder();
        h.forEach((f, fo, fl, v, vo, vl) -> {
          lp.append(f, fo, fl);
          lp.append(v, vo, vl);
        });
        out.string(lp.build());
      } else {
        out.len(h.size());
        h.forEach((f, fo, fl, v, vo, vl) -> {
          try {
            out.string(f, fo, fl);
            out.string(v, vo, vl);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public Object build(RdbValue value, Config config) throws RdbException {
    List<byte[]> fv = ((RdbValue.HashValue) value).fieldsAndValues();
    long maxEntries = config.getLong(ConfigParams.HASH_MAX_LISTPACK_ENTRIES);
    long maxValue = config.getLong(ConfigParams.HASH_MAX_LISTPACK_VALUE);
    int pairs = fv.size() / 2;
    HashValue h;
    switch (value.rdbType()) {
      case RdbConstants.TYPE_HASH -> {
        if (pairs > maxEntries) {
          h = HashValue.newHashtable(pairs);
          for (int i = 0; i < fv.size(); i += 2) h.put(fv.get(i), fv.get(i + 1), Long.MAX_VALUE, Long.MAX_VALUE);
        } else {
          h = HashValue.newListpack();
          for (int i = 0; i < fv.size(); i += 2) h.put(fv.get(i), fv.get(i + 1), Long.MAX_VALUE, maxValue);
        }
      }
      default -> {
        h = HashValue.newListpack();
        long maxLen = 0;
        for (int i = 0; i < fv.size(); i += 2) {
          h.put(fv.get(i), fv.get(i + 1), Long.MAX_VALUE, Long.MAX_VALUE);
          maxLen = Math.max(maxLen, Math.max(fv.get(i).length, fv.get(i + 1).length));
        }
        boolean tooLong = value.rdbType() == RdbConstants.TYPE_HASH_ZIPMAP && maxLen > maxValue;
        if (pairs > maxEntries || tooLong) h.convertToHashtable();
      }
    }
    if (h.size() != pairs) throw RdbException.corrupt("Duplicate hash fields detected", -1);
    return h;
  }

  @Override
  public void rewrite(byte[] key, Object value, CommandSink sink) throws IOException {
    AofBody.Batcher b = new AofBody.Batcher(sink, HMSET, key, 2);
    try {
      ((HashValue) value).forEach((f, fo, fl, v, vo, vl) -> {
        try {
          b.add(Arrays.copyOfRange(f, fo, fo + fl));
          b.add(Arrays.copyOfRange(v, vo, vo + vl));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    b.finish();
  }

  private static final byte[] HMSET = {'H', 'M', 'S', 'E', 'T'};
}
