package io.redstart.command.string;

import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import java.util.ArrayList;
import java.util.List;

/**
 * LCS by dynamic programming over a table of (|a|+1)*(|b|+1) 32-bit lengths, refused when that
 * table would exceed proto-max-bulk-len bytes (as Redis refuses it), then walked back from the end
 * to build the common subsequence and the matching ranges, longest-suffix first, in Redis's order.
 */
final class Lcs {
  private Lcs() {}

  static void reply(
      Client c, byte[] a, byte[] b, boolean getLen, boolean getIdx, boolean withMatchLen,
      long minMatchLen) {
    int alen = a.length;
    int blen = b.length;
    long cells = (long) (alen + 1) * (blen + 1);
    if (cells * 4 > c.server().protoMaxBulkLen()) {
      c.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
      return;
    }
    int[] lcs;
    try {
      lcs = new int[(int) cells];
    } catch (OutOfMemoryError oom) {
      c.error("ERR Insufficient memory, failed allocating transient memory for LCS");
      return;
    }
    int w = blen + 1;
    for (int i = 1; i <= alen; i++) {
      for (int j = 1; j <= blen; j++) {
        if (a[i - 1] == b[j - 1]) {
          lcs[i * w + j] = lcs[(i - 1) * w + j - 1] + 1;
        } else {
          int l1 = lcs[(i - 1) * w + j];
          int l2 = lcs[i * w + j - 1];
          lcs[i * w + j] = Math.max(l1, l2);
        }
      }
    }
    int idx = lcs[alen * w + blen];
    boolean computeLcs = getIdx || !getLen;
    byte[] result = computeLcs ? new byte[idx] : null;
    List<long[]> ranges = new ArrayList<>();
    int aStart = alen; // alen means "no range in progress"
    int aEnd = 0;
    int bStart = 0;
    int bEnd = 0;
    int i = alen;
    int j = blen;
    int k = idx;
    while (computeLcs && i > 0 && j > 0) {
      boolean emit = false;
      if (a[i - 1] == b[j - 1]) {
        result[k - 1] = a[i - 1];
        if (aStart == alen) {
          aStart = i - 1;
          aEnd = i - 1;
          bStart = j - 1;
          bEnd = j - 1;
        } else if (aStart == i && bStart == j) {
          aStart--;
          bStart--;
        } else {
          emit = true;
        }
        if (aStart == 0 || bStart == 0) emit = true;
        k--;
        i--;
        j--;
      } else {
        int l1 = lcs[(i - 1) * w + j];
        int l2 = lcs[i * w + j - 1];
        if (l1 > l2) {
          i--;
        } else {
          j--;
        }
        if (aStart != alen) emit = true;
      }
      long matchLen = (long) aEnd - aStart + 1;
      if (emit) {
        if (minMatchLen == 0 || matchLen >= minMatchLen) {
          ranges.add(new long[] {aStart, aEnd, bStart, bEnd, matchLen});
        }
        aStart = alen;
      }
    }
    RespWriter out = c.reply();
    if (getIdx) {
      out.map(2);
      out.bulk("matches");
      out.array(ranges.size());
      for (long[] r : ranges) {
        out.array(withMatchLen ? 3 : 2);
        out.array(2);
        out.integer(r[0]);
        out.integer(r[1]);
        out.array(2);
        out.integer(r[2]);
        out.integer(r[3]);
        if (withMatchLen) out.integer(r[4]);
      }
      out.bulk("len");
      out.integer(idx);
    } else if (getLen) {
      out.integer(idx);
    } else {
      out.bulk(result);
    }
  }
}
