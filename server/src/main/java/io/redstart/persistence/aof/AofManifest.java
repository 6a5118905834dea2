package io.redstart.persistence.aof;

import io.redstart.resp.SplitArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest of a multi-part AOF (Redis 7's aof.c): which files make up the log, in order. One
 * line per file, base first, then history, then incremental files:
 *
 * <pre>
 * file appendonly.aof.1.base.rdb seq 1 type b
 * file appendonly.aof.1.incr.aof seq 1 type i
 * </pre>
 *
 * Types: {@code b} base (an RDB or AOF file holding the dataset at a rewrite), {@code i}
 * incremental (commands since), {@code h} history (replaced files awaiting deletion). Names are
 * {@code <appendfilename>.<seq>.base.rdb|aof} and {@code <appendfilename>.<seq>.incr.aof}; a name
 * that needs quoting is written as sdscatrepr would. Lines starting with '#' are comments.
 *
 * <p>Not thread-safe: owned by the keyspace thread (or a checking tool).
 */
public final class AofManifest {
  public static final char TYPE_BASE = 'b';
  public static final char TYPE_HIST = 'h';
  public static final char TYPE_INCR = 'i';

  static final String BASE_SUFFIX = ".base";
  static final String INCR_SUFFIX = ".incr";
  static final String RDB_SUFFIX = ".rdb";
  static final String AOF_SUFFIX = ".aof";
  static final String MANIFEST_SUFFIX = ".manifest";
  static final String TEMP_PREFIX = "temp-";
  private static final int MAX_LINE = 1024;

  /** One file of the log. */
  public record Info(String name, long seq, char type) {
    Info withType(char t) {
      return new Info(name, seq, t);
    }
  }

  /** A manifest that cannot be read; the message is Redis's. */
  public static final class ManifestException extends Exception {
    final int line;
    final String text;

    ManifestException(String message, int line, String text) {
      super(message, null, false, false);
      this.line = line;
      this.text = text;
    }

    /** The line number at fault (0 when none). */
    public int line() {
      return line;
    }

    /** The line's text, trimmed, or null. */
    public String text() {
      return text;
    }
  }

  private Info base;
  private final List<Info> history = new ArrayList<>();
  private final List<Info> incrs = new ArrayList<>();
  private long currBaseSeq;
  private long currIncrSeq;
  private boolean dirty;

  /** Whether the manifest changed since it was last written. */
  public boolean dirty() {
    return dirty;
  }

  public void clean() {
    dirty = false;
  }

  /** Sets the base (an old-style single AOF file adopted as base 1: aofUpgradePrepare). */
  public void adoptBase(String name) {
    base = new Info(name, 1, TYPE_BASE);
    currBaseSeq = 1;
    dirty = true;
  }

  /** Forgets the history files (after deleting them). */
  public void clearHistory() {
    if (history.isEmpty()) return;
    history.clear();
    dirty = true;
  }

  public Info base() {
    return base;
  }

  public List<Info> incrs() {
    return List.copyOf(incrs);
  }

  public List<Info> history() {
    return List.copyOf(history);
  }

  public boolean isEmpty() {
    return base == null && incrs.isEmpty();
  }

  public AofManifest copy() {
    AofManifest m = new AofManifest();
    m.base = base;
    m.history.addAll(history);
    m.incrs.addAll(incrs);
    m.currBaseSeq = currBaseSeq;
    m.currIncrSeq = currIncrSeq;
    m.dirty = dirty;
    return m;
  }

  /** The manifest's text (getAofManifestAsString). */
  public String format() {
    StringBuilder sb = new StringBuilder();
    if (base != null) line(sb, base);
    for (Info i : history) line(sb, i);
    for (Info i : incrs) line(sb, i);
    return sb.toString();
  }

  private static void line(StringBuilder sb, Info i) {
    sb.append("file ").append(repr(i.name())).append(" seq ").append(i.seq()).append(" type ")
        .append(i.type()).append('\n');
  }

  /** sdsneedsrepr then sdscatrepr: quote a name with spaces, quotes or unprintable bytes. */
  static String repr(String name) {
    boolean needs = false;
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      if (c == '\\' || c == '"' || c == '\n' || c == '\r' || c == '\t' || c == 7 || c == '\b'
          || c < 32 || c > 126 || c == ' ') {
        needs = true;
        break;
      }
    }
    if (!needs) return name;
    StringBuilder sb = new StringBuilder("\"");
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      switch (c) {
        case '\\', '"' -> sb.append('\\').append(c);
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 7 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        default -> {
          if (c >= 32 && c <= 126) {
            sb.append(c);
          } else {
            sb.append(String.format("\\x%02x", (int) c & 0xff));
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** Parses a manifest file (aofLoadManifestFromFile); throws with Redis's reason. */
  public static AofManifest read(Path file) throws IOException, ManifestException {
    return parse(Files.readAllBytes(file));
  }

  public static AofManifest parse(byte[] content) throws ManifestException {
    AofManifest am = new AofManifest();
    long maxSeq = 0;
    int lineNum = 0;
    int p = 0;
    if (content.length == 0) throw new ManifestException("Found an empty AOF manifest", 0, null);
    while (p < content.length) {
      int nl = p;
      while (nl < content.length && content[nl] != '\n' && nl - p < MAX_LINE) nl++;
      lineNum++;
      boolean hasNewline = nl < content.length && content[nl] == '\n';
      String raw = new String(content, p, nl - p, StandardCharsets.ISO_8859_1);
      p = hasNewline ? nl + 1 : nl;
      if (!raw.isEmpty() && raw.charAt(0) == '#') continue; // comments, as fgets reads them
      if (!hasNewline) {
        throw new ManifestException("The AOF manifest file contains too long line", lineNum, raw.strip());
      }
      String line = strip(raw);
      if (line.isEmpty()) throw new ManifestException("Invalid AOF manifest file format", lineNum, line);
      byte[][] argv = SplitArgs.split(line.getBytes(StandardCharsets.ISO_8859_1));
      if (argv == null || argv.length < 6 || (argv.length % 2) != 0) {
        throw new ManifestException("Invalid AOF manifest file format", lineNum, line);
      }
      String name = null;
      long seq = 0;
      char type = 0;
      for (int i = 0; i < argv.length; i += 2) {
        String k = new String(argv[i], StandardCharsets.ISO_8859_1);
        String v = new String(argv[i + 1], StandardCharsets.ISO_8859_1);
        if (k.equalsIgnoreCase("file")) {
          name = v;
          if (name.contains("/")) {
            throw new ManifestException("File can't be a path, just a filename", lineNum, line);
          }
        } else if (k.equalsIgnoreCase("seq")) {
          seq = atoll(v);
        } else if (k.equalsIgnoreCase("type")) {
          type = v.isEmpty() ? 0 : v.charAt(0);
        }
      }
      if (name == null || seq == 0 || type == 0) {
        throw new ManifestException("Invalid AOF manifest file format", lineNum, line);
      }
      Info info = new Info(name, seq, type);
      switch (type) {
        case TYPE_BASE -> {
          if (am.base != null) {
            throw new ManifestException("Found duplicate base file information", lineNum, line);
          }
          am.base = info;
          am.currBaseSeq = seq;
        }
        case TYPE_HIST -> am.history.add(info);
        case TYPE_INCR -> {
          if (seq <= maxSeq) {
            throw new ManifestException("Found a non-monotonic sequence number", lineNum, line);
          }
          am.incrs.add(info);
          am.currIncrSeq = seq;
          maxSeq = seq;
        }
        default -> throw new ManifestException("Unknown AOF file type", lineNum, line);
      }
    }
    return am;
  }

  private static String strip(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && " \t\r\n".indexOf(s.charAt(a)) >= 0) a++;
    while (b > a && " \t\r\n".indexOf(s.charAt(b - 1)) >= 0) b--;
    return s.substring(a, b);
  }

  private static long atoll(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    boolean neg = false;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) neg = s.charAt(i++) == '-';
    long v = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) v = v * 10 + (s.charAt(i++) - '0');
    return neg ? -v : v;
  }

  // ---- changes (as aof.c's helpers)

  /** A new base name; the old base becomes history (getNewBaseFileNameAndMarkPreAsHistory). */
  public String newBase(String aofFilename, boolean rdbPreamble) {
    if (base != null) history.add(0, base.withType(TYPE_HIST));
    currBaseSeq++;
    String name = aofFilename + "." + currBaseSeq + BASE_SUFFIX + (rdbPreamble ? RDB_SUFFIX : AOF_SUFFIX);
    base = new Info(name, currBaseSeq, TYPE_BASE);
    dirty = true;
    return name;
  }

  /** A new incremental file at the end (getNewIncrAofName). */
  public String newIncr(String aofFilename) {
    currIncrSeq++;
    String name = aofFilename + "." + currIncrSeq + INCR_SUFFIX + AOF_SUFFIX;
    incrs.add(new Info(name, currIncrSeq, TYPE_INCR));
    dirty = true;
    return name;
  }

  /** The last incremental file, created when there is none (getLastIncrAofName). */
  public String lastIncr(String aofFilename) {
    if (incrs.isEmpty()) return newIncr(aofFilename);
    return incrs.get(incrs.size() - 1).name();
  }

  /**
   * After a rewrite: every incremental file but the one being written (when the AOF is on)
   * becomes history (markRewrittenIncrAofAsHistory).
   */
  public void markRewrittenIncrsAsHistory(boolean aofOn) {
    if (incrs.isEmpty()) return;
    int keep = aofOn ? 1 : 0;
    List<Info> moved = new ArrayList<>(incrs.subList(0, incrs.size() - keep));
    incrs.subList(0, incrs.size() - keep).clear();
    for (int i = moved.size() - 1; i >= 0; i--) history.add(0, moved.get(i).withType(TYPE_HIST));
    dirty = true;
  }

  public static String manifestName(String aofFilename) {
    return aofFilename + MANIFEST_SUFFIX;
  }

  public static String tempManifestName(String aofFilename) {
    return TEMP_PREFIX + aofFilename + MANIFEST_SUFFIX;
  }

  public static String tempIncrName(String aofFilename) {
    return TEMP_PREFIX + aofFilename + INCR_SUFFIX;
  }
}
