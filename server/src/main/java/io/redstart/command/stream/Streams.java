package io.redstart.command.stream;

import io.netty.buffer.ByteBuf;
import io.redstart.command.Args;
import io.redstart.command.Errors;
import io.redstart.config.ConfigParams;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import io.redstart.types.ValueType;
import io.redstart.types.stream.StreamId;
import io.redstart.types.stream.StreamValue;
import java.nio.charset.StandardCharsets;

/**
 * What the stream command classes share: the stream lookups (with the contract of Redis's
 * lookupKeyRead on a value that is then changed in place), ID arguments parsed as Redis parses
 * them, C-string comparisons of options, error texts that print arguments as C strings, and {@link
 * Deferred} replies whose length is known only at the end.
 *
 * <p>Methods ending in {@code OrReply} have replied when they return null; the caller returns.
 * Handlers run on the keyspace thread.
 */
final class Streams {
  private Streams() {}

  static final byte[] XCLAIM = Args.bytes("XCLAIM");
  static final byte[] XGROUP = Args.bytes("XGROUP");
  static final byte[] SETID = Args.bytes("SETID");
  static final byte[] CREATECONSUMER = Args.bytes("CREATECONSUMER");
  static final byte[] ENTRIESREAD = Args.bytes("ENTRIESREAD");
  static final byte[] TIME = Args.bytes("TIME");
  static final byte[] RETRYCOUNT = Args.bytes("RETRYCOUNT");
  static final byte[] FORCE = Args.bytes("FORCE");
  static final byte[] JUSTID = Args.bytes("JUSTID");
  static final byte[] LASTID = Args.bytes("LASTID");
  static final byte[] ZERO = Args.bytes("0");

  // ---- lookups

  /** The stream an entry holds, or null after replying WRONGTYPE (the entry is not null). */
  static StreamValue streamOrReply(Client c, Object entry) {
    if (Entries.type(entry) != ValueType.STREAM) {
      c.error(Errors.WRONGTYPE);
      return null;
    }
    return (StreamValue) Entries.boxedValue(entry);
  }

  /** Whether an entry (possibly null) holds something other than a stream. */
  static boolean wrongType(Object entry) {
    return entry != null && Entries.type(entry) != ValueType.STREAM;
  }

  static StreamValue value(Object entry) {
    return (StreamValue) Entries.boxedValue(entry);
  }

  /**
   * The stream under {@code key}, already looked up for reading (Redis's lookupKeyRead: its hit
   * counted, its LRU stamped or not as the client asks), for a change in place. It goes through
   * {@link Keyspace#lookupWrite}, the one lookup whose value may be changed (a background snapshot
   * gets its copy there), with the LRU/LFU stamp put back as the read left it.
   */
  static StreamValue forChange(Client c, byte[] key, Object readEntry) {
    int lru = Entries.lru(readEntry);
    Object e = c.server().keyspace().lookupWrite(c.db(), key);
    Entries.setLru(e, lru);
    return value(e);
  }

  /** Creates an empty stream under {@code key} (Redis's dbAdd: "new", blocked clients woken). */
  static StreamValue create(Client c, Database db, byte[] key) {
    StreamValue s = new StreamValue();
    db.setValue(
        key, ValueType.STREAM, 0, s, Database.NO_EXPIRE, c.server().keyspace().initialLru());
    c.server().events().keyCreated(c, db, key);
    return s;
  }

  static long nodeMaxBytes(Client c) {
    return c.server().config().getLong(ConfigParams.STREAM_NODE_MAX_BYTES);
  }

  static long nodeMaxEntries(Client c) {
    return c.server().config().getLong(ConfigParams.STREAM_NODE_MAX_ENTRIES);
  }

  /**
   * Whether commands from this client are applied as given (our master, or an AOF being loaded).
   */
  static boolean mustObey(Client c) {
    return c.replicationRole() == 2 || c.server().isLoading();
  }

  // ---- arguments

  /** Redis's {@code !strcasecmp(arg, word)}: the argument up to its first NUL, any case. */
  static boolean is(byte[] arg, String lower) {
    return Args.isCString(arg, lower);
  }

  /** Redis's {@code !strcmp(arg, text)}: the argument up to its first NUL, exactly. */
  static boolean equalsC(byte[] arg, String text) {
    int n = 0;
    while (n < arg.length && arg[n] != 0) n++;
    if (n != text.length()) return false;
    for (int i = 0; i < n; i++) if (arg[i] != text.charAt(i)) return false;
    return true;
  }

  /** An argument as C's {@code %s} prints it: up to its first NUL byte, bytes as Latin-1. */
  static String cstr(byte[] arg) {
    int n = 0;
    while (n < arg.length && arg[n] != 0) n++;
    return new String(arg, 0, n, StandardCharsets.ISO_8859_1);
  }

  /** A strict ID ("-" and "+" refused), or null after replying "Invalid stream ID". */
  static StreamId strictIdOrReply(Client c, byte[] arg) {
    StreamId id = StreamId.parseStrict(arg, 0);
    if (id == null) c.error(Errors.STREAM_INVALID_ID);
    return id;
  }

  /** An ID where "-" and "+" are accepted, or null after replying "Invalid stream ID". */
  static StreamId idOrReply(Client c, byte[] arg, long missingSeq) {
    StreamId id = StreamId.parse(arg, missingSeq);
    if (id == null) c.error(Errors.STREAM_INVALID_ID);
    return id;
  }

  /**
   * A range bound (Redis's streamParseIntervalIDOrReply then the increment or decrement of an
   * exclusive bound): "(" makes it exclusive and strict. Replies and returns null on error.
   */
  static StreamId boundOrReply(Client c, byte[] arg, boolean start) {
    long missing = start ? 0 : -1L;
    StreamId id;
    if (arg.length > 1 && arg[0] == '(') {
      id = StreamId.parseStrict(arg, 1, arg.length - 1, missing);
      if (id == null) {
        c.error(Errors.STREAM_INVALID_ID);
        return null;
      }
      StreamId moved = start ? id.next() : id.previous();
      if (moved == null) {
        c.error(start ? Errors.STREAM_INVALID_START : Errors.STREAM_INVALID_END);
        return null;
      }
      return moved;
    }
    return idOrReply(c, arg, missing);
  }

  /** "ms-seq" as bytes, for propagated arguments. */
  static byte[] idBytes(StreamId id) {
    return id.toBytes();
  }

  static byte[] idBytes(long ms, long seq) {
    return new StreamId(ms, seq).toBytes();
  }

  // ---- replies of unknown length

  /**
   * A reply whose leading length (array or map) is known only after its elements are written, as
   * Redis's addReplyDeferredLen: the elements go to a scratch buffer, then the header and the
   * elements to the reply. Nothing may call {@code Client.reply()} or {@code Client.error()}
   * between {@link #start} and the end; write through the returned writer.
   */
  static final class Deferred {
    private final RespWriter w;
    private final ByteBuf outer;
    private final ByteBuf body;

    private Deferred(RespWriter w) {
      this.w = w;
      this.outer = w.buffer();
      this.body = outer.alloc().buffer(256);
      w.buffer(body);
    }

    /** Starts capturing what is written through {@code w}. */
    static Deferred start(RespWriter w) {
      return new Deferred(w);
    }

    /** Ends the capture: writes an array header of {@code n}, then the elements. */
    void array(long n) {
      finish(() -> w.array(n));
    }

    /** Ends the capture: writes a map header of {@code n} pairs, then the elements. */
    void map(long n) {
      finish(() -> w.map(n));
    }

    /** Ends the capture: writes what {@code header} writes, then the captured bytes. */
    void finish(Runnable header) {
      w.buffer(outer);
      try {
        header.run();
        outer.writeBytes(body);
      } finally {
        body.release();
      }
    }
  }
}
