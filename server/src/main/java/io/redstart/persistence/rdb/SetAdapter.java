package io.redstart.persistence.rdb;

import io.redstart.config.Config;
import io.redstart.config.ConfigParams;
import io.redstart.persistence.aof.AofBody;
import io.redstart.resp.Numbers;
import io.redstart.types.ValueType;
import io.redstart.types.set.SetValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Sets in RDB: an intset as RDB_TYPE_SET_INTSET (its blob, width kept), a hashtable as
 * RDB_TYPE_SET. Loading follows rdbLoadObject: an intset payload is kept unless it has more
 * members than set-max-intset-entries; a plain set (and a 7.2 set listpack, which 7.0 encodings
 * do not have) is built as an intset while its members are integers and few enough, else a
 * hashtable.
 */
final class SetAdapter implements TypeAdapter {
  @Override
  public ValueType type() {
    return ValueType.SET;
  }

  @Override
  public boolean accepts(Object value) {
    return value instanceof SetValue;
  }

  @Override
  public int rdbType(Object value) {
    return ((SetValue) value).isIntset() ? RdbConstants.TYPE_SET_INTSET : RdbConstants.TYPE_SET;
  }

  @Override
  public void write(Object value, RdbOutput out, Config config) throws IOException {
    SetValue s = (SetValue) value;
    if (s.isIntset()) {
      out.string(s.intsetBlob());
      return;
    }
    out.len(s.size());
    try {
      s.forEach(new SetValue.MemberVisitor() {
        @Override
        public void member(byte[] b, int off, int len) {
          try {
            out.string(b, off, len);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public Object build(RdbValue value, Config config) throws RdbException {
    RdbValue.SetValue v = (RdbValue.SetValue) value;
    long maxIntset = config.getLong(ConfigParams.SET_MAX_INTSET_ENTRIES);
    if (v.intsetBlob() != null) {
      SetValue s = SetValue.fromIntsetBlob(v.intsetBlob(), maxIntset);
      if (s == null) throw RdbException.corrupt("Intset integrity check failed.", -1);
      return s;
    }
    List<byte[]> members = v.members();
    long cap = Math.min(maxIntset, 1L << 30);
    SetValue s = members.size() > cap ? SetValue.newHashtable(members.size()) : SetValue.newIntset();
    for (byte[] m : members) {
      if (!s.add(m, maxIntset)) throw RdbException.corrupt("Duplicate set members detected", -1);
    }
    return s;
  }

  @Override
  public void rewrite(byte[] key, Object value, CommandSink sink) throws IOException {
    AofBody.Batcher batch = new AofBody.Batcher(sink, SADD, key, 1);
    try {
      ((SetValue) value).forEach(new SetValue.MemberVisitor() {
        @Override
        public void member(byte[] b, int off, int len) {
          add(Arrays.copyOfRange(b, off, off + len));
        }

        @Override
        public void integer(long n) {
          add(Numbers.toBytes(n));
        }

        private void add(byte[] member) {
          try {
            batch.add(member);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    batch.finish();
  }

  private static final byte[] SADD = {'S', 'A', 'D', 'D'};
}
