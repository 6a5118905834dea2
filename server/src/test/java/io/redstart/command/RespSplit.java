package io.redstart.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redstart.resp.ProtocolException;
import io.redstart.resp.ReplyParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits the bytes of one RESP aggregate reply into its header line and the exact bytes of each
 * element (for a map: key, value, key, value ...), so that tests can compare replies byte for byte
 * except where Redis's order is arbitrary (its hash-table order of subcommands).
 */
public final class RespSplit {
  private RespSplit() {}

  /** The header ("*3\r\n", "%2\r\n" ...) of an aggregate reply. */
  public static String header(byte[] reply) {
    int end = indexOfCrlf(reply) + 2;
    return new String(reply, 0, end, StandardCharsets.ISO_8859_1);
  }

  /** The elements of an aggregate reply, each as its exact bytes (Latin-1 text). */
  public static List<String> elements(byte[] reply) {
    int headerEnd = indexOfCrlf(reply) + 2;
    char type = (char) reply[0];
    long n = Long.parseLong(new String(reply, 1, headerEnd - 3, StandardCharsets.US_ASCII));
    if (type == '%' || type == '|') n *= 2;
    ByteBuf buf = Unpooled.wrappedBuffer(reply, headerEnd, reply.length - headerEnd);
    ReplyParser parser = new ReplyParser();
    List<String> out = new ArrayList<>();
    try {
      for (long i = 0; i < n; i++) {
        int start = buf.readerIndex();
        if (parser.next(buf) == null) throw new IllegalArgumentException("truncated reply");
        out.add(buf.toString(start, buf.readerIndex() - start, StandardCharsets.ISO_8859_1));
      }
    } catch (ProtocolException e) {
      throw new IllegalArgumentException(e);
    }
    if (buf.isReadable()) throw new IllegalArgumentException("bytes after the reply");
    return out;
  }

  public static List<String> elements(String reply) {
    return elements(reply.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * A COMMAND INFO entry with its subcommand entries sorted (each normalized the same way); all
   * else as it was.
   */
  public static String normalizeInfo(String entry) {
    return normalizeInfo(entry, null);
  }

  /**
   * Like {@link #normalizeInfo(String)}, keeping only the subcommands whose full name is in {@code
   * keep} (all when null): the reference's entry of a container Redstart implements in part.
   */
  public static String normalizeInfo(String entry, Set<String> keep) {
    if (entry.startsWith("$-1") || entry.startsWith("_")) return entry;
    List<String> e = elements(entry);
    StringBuilder sb = new StringBuilder(header(bytes(entry)));
    for (int i = 0; i < e.size() - 1; i++) sb.append(e.get(i));
    String subs = e.get(e.size() - 1);
    List<String> sorted = new ArrayList<>();
    for (String sub : elements(subs)) {
      if (keep == null || keep.contains(bulkText(elements(sub).get(0)))) {
        sorted.add(normalizeInfo(sub, keep));
      }
    }
    sorted.sort(null);
    String head = header(bytes(subs));
    sb.append(keep == null ? head : head.charAt(0) + Integer.toString(sorted.size()) + "\r\n");
    for (String sub : sorted) sb.append(sub);
    return sb.toString();
  }

  /** A COMMAND DOCS value (a map) with its "subcommands" map sorted by name, recursively. */
  public static String normalizeDocs(String docs) {
    return normalizeDocs(docs, null);
  }

  /** Like {@link #normalizeDocs(String)}, keeping only the subcommands in {@code keep}. */
  public static String normalizeDocs(String docs, Set<String> keep) {
    List<String> e = elements(docs);
    StringBuilder sb = new StringBuilder(header(bytes(docs)));
    for (int i = 0; i + 1 < e.size(); i += 2) {
      sb.append(e.get(i));
      if (!e.get(i).equals("$11\r\nsubcommands\r\n")) {
        sb.append(e.get(i + 1));
        continue;
      }
      String subs = e.get(i + 1);
      List<String> pairs = elements(subs);
      List<String> sorted = new ArrayList<>();
      for (int j = 0; j + 1 < pairs.size(); j += 2) {
        if (keep == null || keep.contains(bulkText(pairs.get(j)))) {
          sorted.add(pairs.get(j) + normalizeDocs(pairs.get(j + 1), keep));
        }
      }
      sorted.sort(null);
      String head = header(bytes(subs));
      if (keep != null) {
        int n = head.charAt(0) == '%' ? sorted.size() : 2 * sorted.size();
        head = head.charAt(0) + Integer.toString(n) + "\r\n";
      }
      sb.append(head);
      for (String p : sorted) sb.append(p);
    }
    return sb.toString();
  }

  /** The text of a bulk string reply ("$3\r\nget\r\n" to "get"). */
  public static String bulkText(String bulk) {
    return bulk.substring(bulk.indexOf('\n') + 1, bulk.length() - 2);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static int indexOfCrlf(byte[] b) {
    for (int i = 0; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
    throw new IllegalArgumentException("no CRLF");
  }
}
