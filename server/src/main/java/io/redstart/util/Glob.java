package io.redstart.util;

/**
 * Redis's glob-style matching (util.c stringmatchlen): {@code *}, {@code ?}, {@code [...]} with
 * ranges and {@code ^} negation, and backslash escapes, over bytes, optionally ignoring ASCII
 * case. Used by KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE and friends.
 *
 * <p>Like Redis 7.2 and later, recursion is cut at 1000 nested stars (no match) so that a hostile
 * pattern cannot exhaust the stack.
 */
public final class Glob {
  private Glob() {}

  private static final int MAX_NESTING = 1000;

  public static boolean matches(byte[] pattern, byte[] string, boolean nocase) {
    return matches(pattern, 0, pattern.length, string, 0, string.length, nocase);
  }

  public static boolean matches(String pattern, String string, boolean nocase) {
    return matches(
        pattern.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
        string.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
        nocase);
  }

  public static boolean matches(
      byte[] pattern, int pOff, int pLen, byte[] string, int sOff, int sLen, boolean nocase) {
    boolean[] skipLonger = new boolean[1];
    return impl(pattern, pOff, pLen, string, sOff, sLen, nocase, skipLonger, 0);
  }

  /** The byte at {@code i}, or 0 past the end (C's terminator). */
  private static int at(byte[] b, int i, int end) {
    return i < end ? b[i] : 0;
  }

  private static int lower(int c) {
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  }

  private static boolean impl(
      byte[] pat,
      int p,
      int pLen,
      byte[] str,
      int s,
      int sLen,
      boolean nocase,
      boolean[] skipLonger,
      int nesting) {
    if (nesting > MAX_NESTING) return false;
    int pEnd = p + pLen;
    int sEnd = s + sLen;
    while (pLen > 0 && sLen > 0) {
      switch (pat[p]) {
        case '*' -> {
          while (pLen > 0 && at(pat, p + 1, pEnd) == '*') {
            p++;
            pLen--;
          }
          if (pLen == 1) return true;
          while (sLen > 0) {
            if (impl(pat, p + 1, pLen - 1, str, s, sLen, nocase, skipLonger, nesting + 1)) {
              return true;
            }
            if (skipLonger[0]) return false;
            s++;
            sLen--;
          }
          skipLonger[0] = true;
          return false;
        }
        case '?' -> {
          s++;
          sLen--;
        }
        case '[' -> {
          p++;
          pLen--;
          boolean not = at(pat, p, pEnd) == '^';
          if (not) {
            p++;
            pLen--;
          }
          boolean match = false;
          int sc = str[s];
          while (true) {
            int pc = at(pat, p, pEnd);
            if (pc == '\\' && pLen >= 2) {
              p++;
              pLen--;
              if (at(pat, p, pEnd) == sc) match = true;
            } else if (pc == ']') {
              break;
            } else if (pLen == 0) {
              p--;
              pLen++;
              break;
            } else if (pLen >= 3 && at(pat, p + 1, pEnd) == '-') {
              int start = pc;
              int end = at(pat, p + 2, pEnd);
              int c = sc;
              if (start > end) {
                int t = start;
                start = end;
                end = t;
              }
              if (nocase) {
                start = lower(start);
                end = lower(end);
                c = lower(c);
              }
              p += 2;
              pLen -= 2;
              if (c >= start && c <= end) match = true;
            } else {
              if (!nocase) {
                if (pc == sc) match = true;
              } else if (lower(pc) == lower(sc)) {
                match = true;
              }
            }
            p++;
            pLen--;
          }
          if (not) match = !match;
          if (!match) return false;
          s++;
          sLen--;
        }
        default -> {
          if (pat[p] == '\\' && pLen >= 2) {
            p++;
            pLen--;
          }
          int pc = pat[p];
          int sc = str[s];
          if (!nocase) {
            if (pc != sc) return false;
          } else if (lower(pc) != lower(sc)) {
            return false;
          }
          s++;
          sLen--;
        }
      }
      p++;
      pLen--;
      if (sLen == 0) {
        while (at(pat, p, pEnd) == '*') {
          p++;
          pLen--;
        }
        break;
      }
    }
    return pLen == 0 && sLen == 0;
  }
}
