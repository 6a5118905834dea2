package io.redstart.persistence.tools;

import io.redstart.persistence.rdb.RdbException;
import io.redstart.persistence.rdb.RdbInput;
import io.redstart.persistence.rdb.RdbLoader;
import io.redstart.persistence.rdb.RdbValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code redstart-check-rdb <file>}: reads an RDB file through (every value decoded and checked,
 * the checksum compared) and reports as redis-check-rdb does: the aux fields and databases met,
 * then "RDB looks OK" and counts, or "RDB ERROR DETECTED" with the offset, what was being read and
 * the key. Exit status 0 when the file is sane, 1 otherwise.
 */
public final class CheckRdb {
  private CheckRdb() {}

  private static final String[] TYPE_NAMES = {
    "string", "list-linked", "set-hashtable", "zset-v1", "hash-hashtable", "zset-v2",
    "module-value", "", "", "hash-zipmap", "list-ziplist", "set-intset", "zset-ziplist",
    "hash-ziplist", "quicklist", "stream", "hash-listpack", "zset-listpack", "quicklist-v2",
    "stream-v2", "set-listpack", "stream-v3"
  };

  /** What a check found. */
  public record Report(boolean ok, long keys, long expires, long alreadyExpired) {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("Usage: redstart-check-rdb <rdb-file-name>");
      System.exit(1);
    }
    Report r = check(Path.of(args[0]), System.out, null);
    System.exit(r.ok() ? 0 : 1);
  }

  /**
   * Checks a file (or, with {@code in}, a stream positioned at an RDB preamble), printing the
   * report to {@code out}.
   */
  public static Report check(Path file, PrintStream out, RdbInput in) {
    long now = System.currentTimeMillis();
    long[] counts = new long[3];
    String[] doing = {"start"};
    byte[][] key = {null};
    int[] keyType = {-1};
    RdbInput input = in;
    InputStream stream = null;
    try {
      if (input == null) {
        stream = Files.newInputStream(file);
        input = new RdbInput(stream, Files.size(file), 1 << 20);
      }
      RdbInput rdb = input;
      out.println("[offset 0] Checking RDB file " + file);
      doing[0] = "read-type";
      int version = RdbLoader.readHeader(rdb);
      RdbLoader.Result result = RdbLoader.body(rdb, version, new RdbLoader.Handler() {
        @Override
        public void aux(String name, String value) {
          out.println("[offset " + rdb.position() + "] AUX FIELD " + name + " = '" + value + "'");
          doing[0] = "read-type";
        }

        @Override
        public void selectDb(long db) {
          out.println("[offset " + rdb.position() + "] Selecting DB ID " + db);
        }

        @Override
        public void readingValue(byte[] k, int type) {
          doing[0] = "read-object-value";
          key[0] = k;
          keyType[0] = type;
        }

        @Override
        public void key(byte[] k, RdbValue value, long expireAt, long lruIdle, int lfuFreq) {
          count(expireAt);
        }

        @Override
        public void emptyKey(byte[] k) {
          counts[0]++;
        }

        @Override
        public void moduleKey(byte[] k, long expireAt) {
          count(expireAt);
        }

        private void count(long expireAt) {
          counts[0]++;
          if (expireAt != -1) {
            counts[1]++;
            if (expireAt < now) counts[2]++;
          }
          doing[0] = "read-type";
          key[0] = null;
          keyType[0] = -1;
        }

        @Override
        public boolean skipModuleAux() {
          return true;
        }

        @Override
        public boolean skipModuleValues() {
          return true;
        }
      }, true);
      if (result.checksum() == RdbLoader.Checksum.OK) {
        out.println("[offset " + rdb.position() + "] Checksum OK");
      } else if (result.checksum() == RdbLoader.Checksum.DISABLED) {
        out.println("[offset " + rdb.position() + "] RDB file was saved with checksum disabled: no"
            + " check performed.");
      }
      out.println("[offset " + rdb.position() + "] \\o/ RDB looks OK! \\o/");
      info(out, counts);
      return new Report(true, counts[0], counts[1], counts[2]);
    } catch (RdbException | IOException e) {
      long offset = e instanceof RdbException re && re.offset() >= 0 ? re.offset()
          : input == null ? 0 : input.position();
      if (e instanceof RdbException re && re.getMessage().startsWith("Wrong RDB checksum")) {
        doing[0] = "check-sum";
      }
      out.println("--- RDB ERROR DETECTED ---");
      out.println("[offset " + offset + "] " + e.getMessage());
      out.println("[additional info] While doing: " + doing[0]);
      if (key[0] != null) {
        out.println("[additional info] Reading key '" + new String(key[0], StandardCharsets.ISO_8859_1) + "'");
      }
      if (keyType[0] != -1) {
        String name = keyType[0] < TYPE_NAMES.length ? TYPE_NAMES[keyType[0]] : "unknown";
        out.println("[additional info] Reading type " + keyType[0] + " (" + name + ")");
      }
      info(out, counts);
      return new Report(false, counts[0], counts[1], counts[2]);
    } finally {
      if (stream != null) {
        try {
          stream.close();
        } catch (IOException ignored) {
          // Read-only.
        }
      }
    }
  }

  private static void info(PrintStream out, long[] counts) {
    out.println("[info] " + counts[0] + " keys read");
    out.println("[info] " + counts[1] + " expires");
    out.println("[info] " + counts[2] + " already expired");
  }
}
