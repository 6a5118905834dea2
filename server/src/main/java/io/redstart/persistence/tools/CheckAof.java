package io.redstart.persistence.tools;

import io.redstart.persistence.aof.AofManifest;
import io.redstart.persistence.rdb.RdbInput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code redstart-check-aof [--fix|--truncate-to-timestamp <ts>] <file.manifest|file.aof>}: checks
 * an append-only file as redis-check-aof does. Given a manifest it checks the base (RDB or RESP)
 * and every incremental file; given a single file, an old-style AOF (with or without an RDB
 * preamble). It reports the offset up to which the log is whole; {@code --fix} truncates the last
 * file there after asking, {@code --truncate-to-timestamp} cuts the log at the first timestamp
 * annotation after the given Unix time. Exit status 0 when valid (or fixed), 1 otherwise.
 */
public final class CheckAof {
  private final PrintStream out;
  private final BufferedReader stdin;
  private final boolean fix;
  private final long toTimestamp;
  private String error = "";
  private long epos;
  private long line = 1;

  /** The check stopped (Redis's exit(1) paths). */
  static final class Abort extends Exception {
    Abort() {
      super(null, null, false, false);
    }
  }

  enum Result {
    OK,
    EMPTY,
    TRUNCATED,
    TIMESTAMP_TRUNCATED
  }

  CheckAof(PrintStream out, InputStream stdin, boolean fix, long toTimestamp) {
    this.out = out;
    this.stdin = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.ISO_8859_1));
    this.fix = fix;
    this.toTimestamp = toTimestamp;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.in));
  }

  /** Runs the tool; returns the exit status. */
  public static int run(String[] args, PrintStream out, InputStream stdin) {
    String file;
    boolean fix = false;
    long ts = 0;
    if (args.length == 1) {
      file = args[0];
    } else if (args.length == 2 && args[0].equals("--fix")) {
      fix = true;
      file = args[1];
    } else if (args.length == 3 && args[0].equals("--truncate-to-timestamp")) {
      try {
        ts = Long.parseLong(args[1]);
      } catch (NumberFormatException e) {
        out.println("Invalid timestamp, aborting...");
        return 1;
      }
      file = args[2];
    } else {
      out.println("Usage: redstart-check-aof [--fix|--truncate-to-timestamp $timestamp]"
          + " <file.manifest|file.aof>");
      return 1;
    }
    CheckAof c = new CheckAof(out, stdin, fix, ts);
    try {
      Path p = Path.of(file);
      if (c.isManifest(p)) {
        c.checkMultiPart(p);
      } else {
        c.checkOldStyle(p, isRdb(p));
      }
      return 0;
    } catch (Abort a) {
      return 1;
    } catch (IOException e) {
      out.println("Cannot open file " + file + ": " + e.getMessage() + ", aborting...");
      return 1;
    }
  }

  private boolean isManifest(Path p) throws IOException, Abort {
    if (!Files.exists(p)) {
      out.println("Cannot open file " + p + ": No such file or directory");
      throw new Abort();
    }
    if (Files.size(p) == 0) return false;
    for (String l : new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).split("\n")) {
      if (l.startsWith("#")) continue;
      if (l.startsWith("file")) return true;
    }
    return false;
  }

  static boolean isRdb(Path p) throws IOException {
    if (Files.size(p) < 8) return false;
    try (InputStream in = Files.newInputStream(p)) {
      return Arrays.equals(in.readNBytes(5), "REDIS".getBytes(StandardCharsets.US_ASCII));
    }
  }

  private void checkMultiPart(Path manifestPath) throws IOException, Abort {
    out.println("Start checking Multi Part AOF");
    AofManifest am;
    try {
      am = AofManifest.read(manifestPath);
    } catch (AofManifest.ManifestException e) {
      out.println("\n*** FATAL AOF MANIFEST FILE ERROR ***\n");
      if (e.text() != null) {
        out.println("Reading the manifest file, at line " + e.line() + "\n");
        out.println(">>> '" + e.text() + "'\n");
      }
      out.println(e.getMessage() + "\n");
      throw new Abort();
    }
    Path dir = manifestPath.toAbsolutePath().getParent();
    int total = (am.base() != null ? 1 : 0) + am.incrs().size();
    int num = 0;
    if (am.base() != null) {
      String name = am.base().name();
      Path p = dir.resolve(name);
      boolean last = ++num == total;
      boolean rdb = Files.exists(p) && isRdb(p);
      out.println("Start to check BASE AOF (" + (rdb ? "RDB" : "RESP") + " format).");
      report("BASE", name, checkSingle(name, p, last, rdb));
    }
    if (!am.incrs().isEmpty()) {
      out.println("Start to check INCR files.");
      for (AofManifest.Info i : am.incrs()) {
        boolean last = ++num == total;
        report("INCR", i.name(), checkSingle(i.name(), dir.resolve(i.name()), last, false));
      }
    }
    out.println("All AOF files and manifest are valid");
  }

  private void checkOldStyle(Path p, boolean preamble) throws IOException, Abort {
    out.println("Start checking Old-Style AOF");
    Result r = checkSingle(p.toString(), p, true, preamble);
    switch (r) {
      case OK -> out.println("AOF " + p + " is valid");
      case EMPTY -> out.println("AOF " + p + " is empty");
      case TIMESTAMP_TRUNCATED -> out.println("Successfully truncated AOF " + p + " to timestamp " + toTimestamp);
      case TRUNCATED -> out.println("Successfully truncated AOF " + p);
    }
  }

  private void report(String kind, String name, Result r) {
    switch (r) {
      case OK -> out.println(kind + " AOF " + name + " is valid");
      case EMPTY -> out.println(kind + " AOF " + name + " is empty");
      case TIMESTAMP_TRUNCATED -> out.println("Successfully truncated AOF " + name + " to timestamp " + toTimestamp);
      case TRUNCATED -> out.println("Successfully truncated AOF " + name);
    }
  }

  /** One file: an optional RDB preamble, then commands. */
  Result checkSingle(String name, Path path, boolean last, boolean preamble) throws IOException, Abort {
    if (!Files.exists(path)) {
      out.println("Cannot open file " + path + ": No such file or directory, aborting...");
      throw new Abort();
    }
    long size = Files.size(path);
    if (size == 0) return Result.EMPTY;
    error = "";
    line = 1;
    long start = 0;
    if (preamble) {
      try (InputStream in = Files.newInputStream(path)) {
        RdbInput rdb = new RdbInput(in, size, 1 << 16);
        CheckRdb.Report r = CheckRdb.check(path, out, rdb);
        if (!r.ok()) {
          out.println("RDB preamble of AOF file is not sane, aborting.");
          throw new Abort();
        }
        out.println("RDB preamble is OK, proceeding with AOF tail...");
        start = rdb.position();
      }
    }
    long pos = start;
    int multi = 0;
    boolean stopped = false;
    try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
      Reader r = new Reader(raf, start);
      while (true) {
        if (multi == 0) pos = r.position();
        int c = r.peek();
        if (c < 0) break;
        if (c == '#') {
          epos = r.position();
          byte[] l = r.line(1024);
          if (toTimestamp != 0 && l.length > 4 && l[1] == 'T' && l[2] == 'S' && l[3] == ':') {
            long ts = parseTimestamp(l);
            if (ts > toTimestamp) {
              if (epos == 0) {
                out.println("AOF " + path + " has nothing before timestamp " + toTimestamp + ", aborting...");
                throw new Abort();
              }
              if (!last) {
                out.println("Failed to truncate AOF " + path + " to timestamp " + toTimestamp
                    + " to offset " + epos + " because it is not the last file.");
                out.println("If you insist, please delete all files after this file according to the"
                    + " manifest file and delete the corresponding records in manifest file"
                    + " manually. Then re-run redis-check-aof.");
                throw new Abort();
              }
              raf.setLength(epos);
              return Result.TIMESTAMP_TRUNCATED;
            }
          }
        } else if (c == '*') {
          int[] m = {multi};
          if (!command(r, path.toString(), m)) {
            stopped = true;
            break;
          }
          multi = m[0];
        } else {
          out.println("AOF " + name + " format error");
          stopped = true;
          break;
        }
      }
      if (!stopped && multi != 0 && error.isEmpty()) {
        setError("Reached EOF before reading EXEC for MULTI");
      }
      if (!error.isEmpty()) out.println(error);
      long diff = size - pos;
      if (diff == 0 && toTimestamp != 0) {
        out.println("Truncate nothing in AOF " + name + " to timestamp " + toTimestamp);
        return Result.OK;
      }
      out.println("AOF analyzed: filename=" + name + ", size=" + size + ", ok_up_to=" + pos
          + ", ok_up_to_line=" + line + ", diff=" + diff);
      if (diff > 0) {
        if (!fix) {
          out.println("AOF " + name + " is not valid. Use the --fix option to try fixing it.");
          throw new Abort();
        }
        if (!last) {
          out.println("Failed to truncate AOF " + name + " because it is not the last file");
          throw new Abort();
        }
        out.println("This will shrink the AOF " + name + " from " + size + " bytes, with " + diff
            + " bytes, to " + pos + " bytes");
        out.print("Continue? [y/N]: ");
        out.flush();
        String answer = stdin.readLine();
        if (answer == null || !answer.toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
          out.println("Aborting...");
          throw new Abort();
        }
        raf.setLength(pos);
        return Result.TRUNCATED;
      }
    }
    return Result.OK;
  }

  private long parseTimestamp(byte[] l) throws Abort {
    int i = 4;
    long v = 0;
    boolean any = false;
    while (i < l.length && l[i] >= '0' && l[i] <= '9') {
      v = v * 10 + (l[i++] - '0');
      any = true;
    }
    if (!any || i >= l.length || l[i] != '\r') {
      out.println("Invalid timestamp annotation");
      throw new Abort();
    }
    return v;
  }

  private void setError(String msg) {
    error = String.format("0x%16x: %s", epos, msg);
  }

  /** processRESP: one command; MULTI and EXEC must alternate. */
  private boolean command(Reader r, String filename, int[] multi) throws IOException {
    long[] argc = new long[1];
    if (!readLong(r, '*', argc)) return false;
    for (long i = 0; i < argc[0]; i++) {
      long[] len = new long[1];
      if (!readLong(r, '$', len)) return false;
      if (len[0] < 0 || len[0] > Long.MAX_VALUE - 2) {
        setError("Expected to read string of " + len[0] + " bytes, which is not in the suitable range");
        return false;
      }
      epos = r.position();
      long want = len[0] + 2;
      if (want > r.remaining()) {
        setError("Expected to read " + want + " bytes, got " + r.remaining() + " bytes");
        return false;
      }
      byte[] s = r.bytes((int) want);
      if (s[s.length - 2] != '\r' || s[s.length - 1] != '\n') {
        setError(String.format("Expected \\r\\n, got: %02x%02x", s[s.length - 2] & 0xff, s[s.length - 1] & 0xff));
        return false;
      }
      line++;
      if (i == 0) {
        String cmd = new String(s, 0, s.length - 2, StandardCharsets.ISO_8859_1);
        if (cmd.equalsIgnoreCase("multi")) {
          if (multi[0]++ != 0) {
            setError("Unexpected MULTI in AOF " + filename);
            return false;
          }
        } else if (cmd.equalsIgnoreCase("exec")) {
          if (--multi[0] != 0) {
            setError("Unexpected EXEC in AOF " + filename);
            return false;
          }
        }
      }
    }
    return true;
  }

  private boolean readLong(Reader r, char prefix, long[] target) throws IOException {
    epos = r.position();
    byte[] l = r.line(128);
    if (l.length == 0) return false;
    if (l[0] != prefix) {
      setError("Expected prefix '" + prefix + "', got: '" + (char) (l[0] & 0xff) + "'");
      return false;
    }
    int i = 1;
    boolean neg = false;
    if (i < l.length && (l[i] == '-' || l[i] == '+')) neg = l[i++] == '-';
    long v = 0;
    while (i < l.length && l[i] >= '0' && l[i] <= '9') v = v * 10 + (l[i++] - '0');
    target[0] = neg ? -v : v;
    if (i + 2 > l.length || l[i] != '\r' || l[i + 1] != '\n') {
      int a = i < l.length ? l[i] & 0xff : 0;
      int b = i + 1 < l.length ? l[i + 1] & 0xff : 0;
      setError(String.format("Expected \\r\\n, got: %02x%02x", a, b));
      return false;
    }
    line++;
    return true;
  }

  /** Buffered reads over the file with fgets-like lines and an exact position. */
  private static final class Reader {
    private final RandomAccessFile raf;
    private final byte[] buf = new byte[1 << 16];
    private long base;
    private int pos;
    private int limit;
    private final long size;

    Reader(RandomAccessFile raf, long start) throws IOException {
      this.raf = raf;
      this.base = start;
      this.size = raf.length();
      raf.seek(start);
    }

    long position() {
      return base + pos;
    }

    long remaining() {
      return size - position();
    }

    private boolean fill() throws IOException {
      if (pos < limit) return true;
      base += limit;
      pos = 0;
      limit = 0;
      int n = raf.read(buf);
      if (n <= 0) return false;
      limit = n;
      return true;
    }

    int peek() throws IOException {
      if (!fill()) return -1;
      return buf[pos] & 0xff;
    }

    byte[] line(int max) throws IOException {
      byte[] out = new byte[Math.min(max, 64)];
      int n = 0;
      while (n < max - 1) {
        if (!fill()) break;
        byte b = buf[pos++];
        if (n == out.length) out = Arrays.copyOf(out, Math.min(max, out.length * 2));
        out[n++] = b;
        if (b == '\n') break;
      }
      return Arrays.copyOf(out, n);
    }

    byte[] bytes(int n) throws IOException {
      byte[] out = new byte[n];
      int k = 0;
      while (k < n) {
        if (!fill()) break;
        int c = Math.min(n - k, limit - pos);
        System.arraycopy(buf, pos, out, k, c);
        pos += c;
        k += c;
      }
      return out;
    }
  }
}
