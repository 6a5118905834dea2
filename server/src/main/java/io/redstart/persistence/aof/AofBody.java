package io.redstart.persistence.aof;

import io.redstart.persistence.rdb.RdbOutput;
import io.redstart.persistence.rdb.TypeAdapter;
import io.redstart.persistence.rdb.TypeAdapters;
import io.redstart.resp.Numbers;
import io.redstart.store.Entries;
import io.redstart.store.StringValue;
import io.redstart.types.ValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Commands in the AOF's RESP form (catAppendOnlyGenericCommand), and the commands that rebuild a
 * dataset for an AOF base written without an RDB preamble (rewriteAppendOnlyFileRio): per
 * database a SELECT, per key SET, RPUSH, SADD, ZADD, HMSET or XADD commands of at most 64 items,
 * and PEXPIREAT for a key with an expiry.
 *
 * <p>Stateless; writes into the {@link RdbOutput} it is given (used here as a plain byte sink).
 */
public final class AofBody {
  private AofBody() {}

  /** Items per command in a rewrite (AOF_REWRITE_ITEMS_PER_CMD). */
  public static final int ITEMS_PER_CMD = 64;

  private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SET = "*3\r\n$3\r\nSET\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PEXPIREAT =
      "*3\r\n$9\r\nPEXPIREAT\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Appends {@code *argc}, then each argument as a bulk string. */
  public static void command(RdbOutput out, byte[][] argv) throws IOException {
    count(out, '*', argv.length);
    for (byte[] a : argv) bulk(out, a, 0, a.length);
  }

  static void count(RdbOutput out, char prefix, long n) throws IOException {
    out.writeByte(prefix);
    out.write(Numbers.toBytes(n));
    out.writeByte('\r');
    out.writeByte('\n');
  }

  static void bulk(RdbOutput out, byte[] b, int off, int len) throws IOException {
    count(out, '$', len);
    out.write(b, off, len);
    out.writeByte('\r');
    out.writeByte('\n');
  }

  /** The SELECT a log needs before commands of another database. */
  public static byte[][] select(int db) {
    return new byte[][] {SELECT, Numbers.toBytes(db)};
  }

  /** A timestamp annotation line ({@code #TS:<seconds>}). */
  public static void timestamp(RdbOutput out, long seconds) throws IOException {
    out.write(("#TS:" + seconds + "\r\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** The SELECT that opens a database in a rewrite. */
  public static void selectDb(RdbOutput out, int db) throws IOException {
    out.write("*2\r\n$6\r\nSELECT\r\n".getBytes(StandardCharsets.US_ASCII));
    byte[] n = Numbers.toBytes(db);
    bulk(out, n, 0, n.length);
  }

  /** The FUNCTION LOAD of one library. */
  public static void functionLoad(RdbOutput out, byte[] code) throws IOException {
    out.write("*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n".getBytes(StandardCharsets.US_ASCII));
    bulk(out, code, 0, code.length);
  }

  /** The commands rebuilding one key, then its PEXPIREAT if it has an expiry. */
  public static void rewriteKey(RdbOutput out, byte[] record, Object boxed) throws IOException {
    byte[] key = Entries.key(record);
    ValueType t = Entries.type(record);
    if (t == ValueType.STRING) {
      out.write(SET);
      bulk(out, key, 0, key.length);
      if (boxed == null) {
        int off = Entries.inlineValueOffset(record);
        bulk(out, record, off, record.length - off);
      } else {
        StringValue sv = (StringValue) boxed;
        bulk(out, sv.array(), 0, sv.length());
      }
    } else {
      TypeAdapter a = TypeAdapters.of(t);
      if (a == null) throw new IllegalStateException("Unknown object type " + t);
      a.rewrite(key, boxed, argv -> command(out, argv));
    }
    long expire = Entries.expireAt(record);
    if (expire != -1) {
      out.write(PEXPIREAT);
      bulk(out, key, 0, key.length);
      byte[] when = Numbers.toBytes(expire);
      bulk(out, when, 0, when.length);
    }
  }

  /**
   * Streams the items of one collection into commands of at most {@link #ITEMS_PER_CMD} items,
   * {@code <name> <key> item...}, as rewriteAppendOnlyFileRio does: a rewrite holds one command's
   * items at a time, never a copy of the whole collection. Used by one thread; the sink gets a
   * fresh argument array each time.
   */
  public static final class Batcher {
    private final TypeAdapter.CommandSink sink;
    private final byte[][] argv;
    private int filled = 2;

    /**
     * @param width elements per item (1 for lists and sets, 2 for hashes and zsets)
     */
    public Batcher(TypeAdapter.CommandSink sink, byte[] name, byte[] key, int width) {
      this.sink = sink;
      this.argv = new byte[2 + ITEMS_PER_CMD * width][];
      argv[0] = name;
      argv[1] = key;
    }

    /** Adds one element (a whole item, or one half of a pair); the array is kept as it is. */
    public void add(byte[] element) throws IOException {
      argv[filled++] = element;
      if (filled == argv.length) flush();
    }

    /** Emits what is left (a last, shorter command). */
    public void finish() throws IOException {
      if (filled > 2) flush();
    }

    private void flush() throws IOException {
      sink.command(Arrays.copyOf(argv, filled));
      Arrays.fill(argv, 2, filled, null);
      filled = 2;
    }
  }
}
