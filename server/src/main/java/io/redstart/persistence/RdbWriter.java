package io.redstart.persistence;

import io.redstart.persistence.rdb.RdbOutput;
import io.redstart.persistence.rdb.RdbSerializer;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.store.Keyspace;
import io.redstart.store.SlotImage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Writes a whole dataset in RDB form (rdbSaveRio): header and aux fields, function libraries,
 * each non-empty database (SELECTDB, RESIZEDB, its keys), EOF and the checksum. The keys come from
 * the live keyspace ({@link #writeLive}, keyspace thread only) or from a {@link Snapshot} ({@link
 * #writeSnapshot}, its writer thread). {@link #toFile} puts the bytes in a temporary file that is
 * synced and renamed over the target only when complete, so a crash leaves the old file whole.
 */
final class RdbWriter {
  private RdbWriter() {}

  /** What goes at the top of a file besides the keys. */
  record Header(RdbSerializer.AuxFields aux, List<byte[]> functions) {}

  /** Progress for INFO's current_save_keys_processed; written by the writer, read anywhere. */
  static final class Progress {
    volatile long keysProcessed;
    volatile long keysTotal;
  }

  /** Writes the live keyspace. Keyspace thread. */
  static void writeLive(
      Keyspace ks, RdbOutput out, Header header, RdbSerializer.SaveOptions o, Progress progress)
      throws IOException {
    RdbSerializer.writeHeader(out, header.aux());
    RdbSerializer.writeFunctions(out, header.functions());
    long processed = 0;
    for (int i = 0; i < ks.databases(); i++) {
      Database db = ks.db(i);
      if (db.size() == 0) continue;
      RdbSerializer.writeDbHeader(out, i, db.size(), db.volatileCount());
      for (int s = db.nextNonEmptySlot(0); s >= 0; s = db.nextNonEmptySlot(s + 1)) {
        for (Object e : db.slotEntries(s)) {
          RdbSerializer.writeKeyValue(out, Entries.record(e), Entries.boxedValue(e), o);
          processed++;
        }
        if (progress != null) progress.keysProcessed = processed;
      }
    }
    RdbSerializer.writeTrailer(out);
  }

  /**
   * Writes a snapshot's view, releasing each slot once written. Writer thread. Returns false when
   * the snapshot was cancelled midway.
   *
   * @param keyDelayMicros rdb-key-save-delay: a pause after each key (tests)
   */
  static boolean writeSnapshot(
      Snapshot snap,
      RdbOutput out,
      Header header,
      RdbSerializer.SaveOptions o,
      Progress progress,
      int keyDelayMicros)
      throws IOException {
    return writeSnapshot(snap, out, header, o, progress, keyDelayMicros, true);
  }

  /**
   * {@link #writeSnapshot}; with {@code data} false the keys are left out (a replica asking for
   * the function libraries only, REPLCONF rdb-filter-only).
   */
  static boolean writeSnapshot(
      Snapshot snap,
      RdbOutput out,
      Header header,
      RdbSerializer.SaveOptions o,
      Progress progress,
      int keyDelayMicros,
      boolean data)
      throws IOException {
    RdbSerializer.writeHeader(out, header.aux());
    RdbSerializer.writeFunctions(out, header.functions());
    long processed = 0;
    for (int i = 0; data && i < snap.databases(); i++) {
      Snapshot.DbCapture c = snap.db(i);
      if (c.size == 0) continue;
      RdbSerializer.writeDbHeader(out, i, c.size, c.expires);
      for (int s = nextSet(c.atStart, 0); s >= 0; s = nextSet(c.atStart, s + 1)) {
        SlotImage img = snap.awaitSlot(i, s);
        if (img == null) return false;
        byte[][] records = img.records();
        Object[] values = img.values();
        for (int k = 0; k < records.length; k++) {
          RdbSerializer.writeKeyValue(out, records[k], values[k], o);
          processed++;
          if (keyDelayMicros != 0) delayMicros(keyDelayMicros);
        }
        snap.release(i, s);
        progress.keysProcessed = processed;
        if (snap.isCancelled()) return false;
      }
    }
    RdbSerializer.writeTrailer(out);
    return true;
  }

  private static int nextSet(long[] bits, int from) {
    if (from >= bits.length * 64) return -1;
    int w = from >>> 6;
    long word = bits[w] & (-1L << (from & 63));
    while (true) {
      if (word != 0) return (w << 6) + Long.numberOfTrailingZeros(word);
      if (++w == bits.length) return -1;
      word = bits[w];
    }
  }

  /**
   * debugDelay: sleeps {@code micros}; a negative value sleeps 1 microsecond with probability
   * 1/|micros|, so that tests can slow a save down by less than a microsecond a key on average.
   */
  static void delayMicros(int micros) {
    if (micros < 0) micros = java.util.concurrent.ThreadLocalRandom.current().nextInt(-micros) == 0 ? 1 : 0;
    if (micros == 0) return;
    long end = System.nanoTime() + micros * 1000L;
    long left;
    while ((left = end - System.nanoTime()) > 0) java.util.concurrent.locks.LockSupport.parkNanos(left);
  }

  /** Produces the bytes of a file through an {@link RdbOutput}. */
  @FunctionalInterface
  interface Body {
    /** Returns false to abandon the file (cancelled). */
    boolean write(RdbOutput out) throws IOException;
  }

  /** Why {@link #toFile} failed: the step (as Redis's log names it) and the cause. */
  static final class SaveException extends IOException {
    final String step;

    SaveException(String step, IOException cause) {
      super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
      this.step = step;
    }
  }

  /**
   * Writes {@code temp}, fsyncs it, and renames it to {@code target} (then fsyncs the folder), as
   * rdbSave does. On failure or cancellation the temporary file is removed and {@code target} left
   * as it was. Returns the bytes written, or -1 when the body abandoned the file.
   *
   * @param incrementalFsync rdb-save-incremental-fsync: sync every 4 MB written
   * @param cancelled checked between buffers; a true answer abandons the file
   */
  static long toFile(
      Path temp,
      Path target,
      boolean compression,
      boolean checksum,
      boolean incrementalFsync,
      BooleanSupplier cancelled,
      Body body)
      throws SaveException {
    FileChannel ch;
    try {
      ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new SaveException("open", e);
    }
    long[] state = new long[2]; // bytes written, bytes at last sync
    String step = "rdbSaveRio";
    try {
      RdbOutput out = new RdbOutput((b, off, len) -> {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b, off, len);
        while (bb.hasRemaining()) ch.write(bb);
        state[0] += len;
        if (incrementalFsync && state[0] - state[1] >= io.redstart.persistence.rdb.RdbConstants.AUTOSYNC_BYTES) {
          ch.force(false);
          state[1] = state[0];
        }
        if (cancelled.getAsBoolean()) throw new CancelledSave();
      }, compression, checksum, 1 << 20);
      boolean complete = body.write(out);
      out.flush();
      if (!complete) {
        ch.close();
        Files.deleteIfExists(temp);
        return -1;
      }
      step = "fsync";
      ch.force(true);
      step = "fclose";
      ch.close();
      step = "rename";
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      step = "fsyncFileDir";
      fsyncDir(target.toAbsolutePath().getParent());
      return state[0];
    } catch (CancelledSave c) {
      closeQuietly(ch);
      deleteQuietly(temp);
      return -1;
    } catch (IOException e) {
      closeQuietly(ch);
      deleteQuietly(temp);
      throw new SaveException(step, e);
    }
  }

  /** Thrown inside the sink to abandon a file. */
  private static final class CancelledSave extends IOException {
    CancelledSave() {
      super("cancelled", null);
    }
  }

  static void fsyncDir(Path dir) throws IOException {
    if (dir == null) return;
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // Already failing; the first error is the one reported.
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // Best effort, as Redis's unlink of a temp file.
    }
  }
}
