package io.redstart.types.stream;

import io.redstart.resp.Numbers;
import java.nio.charset.StandardCharsets;

/**
 * A stream entry ID: a millisecond time and a sequence number, both unsigned 64-bit integers held
 * in Java longs and compared unsigned. IDs order first by {@code ms}, then by {@code seq}, as the
 * 128-bit big-endian keys Redis sorts its radix trees by.
 *
 * <p>The parsing methods follow Redis's streamGenericParseIDOrReply to the byte: an argument is
 * read as a C string (up to its first NUL byte, though its full length counts against the 127-byte
 * limit), split at its first '-', and each part read with Redis's string2ull (string2ll, then
 * strtoull, which also takes leading blanks, a sign and leading zeros). They return null for an
 * invalid ID; the caller replies {@code ERR Invalid stream ID specified as stream command
 * argument}.
 *
 * <p>Immutable; thread-safe.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
  /** 0-0, the smallest ID ("-"). */
  public static final StreamId MIN = new StreamId(0, 0);

  /** 18446744073709551615-18446744073709551615, the largest ID ("+"). */
  public static final StreamId MAX = new StreamId(-1L, -1L);

  @Override
  public int compareTo(StreamId o) {
    return compare(ms, seq, o.ms, o.seq);
  }

  /** Compares two IDs given by their parts, unsigned: negative, zero or positive. */
  public static int compare(long ams, long aseq, long bms, long bseq) {
    int c = Long.compareUnsigned(ams, bms);
    return c != 0 ? c : Long.compareUnsigned(aseq, bseq);
  }

  public boolean isZero() {
    return ms == 0 && seq == 0;
  }

  public boolean isMax() {
    return ms == -1L && seq == -1L;
  }

  /** The next ID, or null when this is the largest (Redis's streamIncrID failing). */
  public StreamId next() {
    if (seq != -1L) return new StreamId(ms, seq + 1);
    if (ms != -1L) return new StreamId(ms + 1, 0);
    return null;
  }

  /** The previous ID, or null when this is 0-0 (Redis's streamDecrID failing). */
  public StreamId previous() {
    if (seq != 0) return new StreamId(ms, seq - 1);
    if (ms != 0) return new StreamId(ms - 1, -1L);
    return null;
  }

  /** "ms-seq", the form every reply uses. */
  @Override
  public String toString() {
    return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
  }

  /** "ms-seq" as ASCII bytes. */
  public byte[] toBytes() {
    if (ms < 0 || seq < 0) return toString().getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[Numbers.digits(ms) + 1 + Numbers.digits(seq)];
    int n = Numbers.write(ms, b, 0);
    b[n] = '-';
    Numbers.write(seq, b, n + 1);
    return b;
  }

  // ---- parsing

  /** What {@link #parseForAdd} read: the ID, and whether its sequence was given ("ms-*" not). */
  public record AddId(StreamId id, boolean seqGiven) {}

  /** Longest argument Redis copies into its parse buffer (128 bytes with the NUL). */
  private static final int MAX_ARG_LENGTH = 127;

  /**
   * An ID where "-" and "+" are accepted (XRANGE bounds, XGROUP SETID): a missing sequence becomes
   * {@code missingSeq}. Null when invalid.
   */
  public static StreamId parse(byte[] arg, long missingSeq) {
    AddId a = parseGeneric(arg, 0, arg.length, missingSeq, false, false);
    return a == null ? null : a.id;
  }

  /** An ID where "-" and "+" are refused (XADD, XDEL, XACK ...). Null when invalid. */
  public static StreamId parseStrict(byte[] arg, long missingSeq) {
    AddId a = parseGeneric(arg, 0, arg.length, missingSeq, true, false);
    return a == null ? null : a.id;
  }

  /** The same on {@code len} bytes of {@code arg} from {@code off} (the ID after '('). */
  public static StreamId parseStrict(byte[] arg, int off, int len, long missingSeq) {
    AddId a = parseGeneric(arg, off, len, missingSeq, true, false);
    return a == null ? null : a.id;
  }

  /** XADD's ID: strict, and "ms-*" leaves the sequence to be generated. Null when invalid. */
  public static AddId parseForAdd(byte[] arg) {
    return parseGeneric(arg, 0, arg.length, 0, true, true);
  }

  private static AddId parseGeneric(
      byte[] arg, int off, int len, long missingSeq, boolean strict, boolean allowSeqStar) {
    if (len > MAX_ARG_LENGTH) return null;
    int end = off;
    while (end < off + len && arg[end] != 0) end++; // the C string ends at the first NUL
    int n = end - off;
    boolean single = n == 1;
    if (single && (arg[off] == '-' || arg[off] == '+')) {
      if (strict) return null;
      return new AddId(arg[off] == '-' ? MIN : MAX, true);
    }
    int dash = -1;
    for (int i = off; i < end; i++) {
      if (arg[i] == '-') {
        dash = i;
        break;
      }
    }
    int msEnd = dash < 0 ? end : dash;
    long[] out = new long[1];
    if (!string2ull(arg, off, msEnd, out)) return null;
    long ms = out[0];
    long seq;
    boolean seqGiven = true;
    if (dash >= 0) {
      if (allowSeqStar && end - dash - 1 == 1 && arg[dash + 1] == '*') {
        seq = 0;
        seqGiven = false;
      } else if (string2ull(arg, dash + 1, end, out)) {
        seq = out[0];
      } else {
        return null;
      }
    } else {
      seq = missingSeq;
    }
    return new AddId(new StreamId(ms, seq), seqGiven);
  }

  /**
   * Redis's string2ull over {@code s[from, to)} (a C string without NUL): string2ll, refusing
   * negatives; else strtoull in base 10 (leading white space, an optional sign, digits only up to
   * the end; a '-' negates modulo 2^64; overflow fails).
   */
  static boolean string2ull(byte[] s, int from, int to, long[] out) {
    int len = to - from;
    if (Numbers.isLong(s, from, len)) {
      long v = Numbers.parseLong(s, from, len);
      if (v < 0) return false;
      out[0] = v;
      return true;
    }
    int p = from;
    while (p < to && isSpace(s[p])) p++;
    boolean negative = false;
    if (p < to && (s[p] == '+' || s[p] == '-')) {
      negative = s[p] == '-';
      p++;
    }
    if (p == to || s[p] < '0' || s[p] > '9') return false; // no digits: nothing converted
    long v = 0;
    for (; p < to; p++) {
      int d = s[p] - '0';
      if (d < 0 || d > 9) return false; // trailing bytes: endptr not at the end
      // v * 10 + d must stay below 2^64
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) return false;
      long t = v * 10;
      if (Long.compareUnsigned(t, -1L - d) > 0) return false;
      v = t + d;
    }
    out[0] = negative ? -v : v;
    return true;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
  }
}
