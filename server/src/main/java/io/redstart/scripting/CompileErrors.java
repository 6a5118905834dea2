package io.redstart.scripting;

import java.io.InputStream;
import org.luaj.vm2.Lua;

/**
 * Syntax errors in Lua 5.1's words. LuaJ's compiler (Lua 5.2's grammar) reports "file:line:
 * message" without the token the error is near, names the end of the chunk "<eos>", and words a
 * few errors its own way. Lua 5.1 writes {@code user_script:1: '=' expected near '=='}.
 *
 * <p>The missing token is recovered from how far LuaJ read: its lexer reads one character past
 * the token it stopped on, so the token ending one character before the last one read is that
 * token, or the end of the chunk when the input was read to its end ({@link Input} adds a space
 * after the chunk so that the two cases differ). {@link Lexer}, a lexer of Lua 5.1's lexical
 * rules, finds the token at that place and prints it as Lua 5.1 does; it also finds the lexical
 * errors Lua 5.1 would raise first in what LuaJ read ("malformed number near '1e'", "unfinished
 * string near '<eof>'"), which then are the error.
 *
 * <p>Stateless; an {@link Input} belongs to one compilation.
 */
final class CompileErrors {
  private CompileErrors() {}

  /**
   * What LuaJ's compiler reads: the chunk, then one space (which changes no token, line or
   * error), then the end. Counts what was read.
   */
  static final class Input extends InputStream {
    private final byte[] code;
    private final int start;
    private int pos;
    private boolean end;

    Input(byte[] code, int offset) {
      this.code = code;
      this.start = offset;
      this.pos = offset;
    }

    @Override
    public int read() {
      if (pos < code.length) return code[pos++] & 0xff;
      if (pos == code.length) {
        pos++;
        return ' ';
      }
      end = true;
      return -1;
    }

    /** The offset, from the chunk's start, of the last character read (the lexer's lookahead). */
    int lookahead() {
      return pos - start - 1;
    }

    /** Whether the end of the input was read (the lexer is at the end of the chunk). */
    boolean atEnd() {
      return end;
    }
  }

  /**
   * A chunk that starts with '#': LuaJ skips that line as a Unix script header, which
   * luaL_loadbuffer does not. Returns Lua 5.1's error, or null.
   */
  static String hashFirstLine(byte[] code, int offset, String chunkname) {
    if (offset >= code.length || code[offset] != '#') return null;
    return Lua.chunkid(chunkname) + ":1: unexpected symbol near '#'";
  }

  /** Lua 5.1's message for the syntax error LuaJ reported as {@code message}. */
  static String reword(String message, String chunkname, byte[] code, int offset, Input in) {
    String cid = Lua.chunkid(chunkname);
    String prefix = cid + ":";
    if (message == null || !message.startsWith(prefix)) return message;
    int i = prefix.length();
    int j = i;
    while (j < message.length() && Character.isDigit(message.charAt(j))) j++;
    if (j == i || !message.startsWith(": ", j)) return message;
    String line = message.substring(i, j);
    String msg = message.substring(j + 2);

    Scan scan = scan(code, offset, in);
    if (scan.error != null) return scan.error.format(cid);
    if (withoutNear(msg)) return prefix + line + ": " + msg;
    if (msg.startsWith("nesting of [[...]]")) {
      // LuaJ refuses "[[" inside a long string, which Redis's Lua reads as text.
      return prefix + line + ": " + msg + " near '['";
    }
    return prefix + line + ": " + in51Words(msg, scan) + " near '" + scan.at.text + "'";
  }

  /**
   * Lua 5.1's lexical error in a chunk LuaJ compiled (its 5.2 lexer reads "0x" as 0 where 5.1
   * finds a malformed number), or null.
   */
  static String lexicalError(byte[] code, int offset, String chunkname) {
    Lexer lexer = new Lexer(code, offset);
    try {
      while (lexer.next().type != Token.EOS) {
        // only the errors matter
      }
      return null;
    } catch (LexError e) {
      return e.format(Lua.chunkid(chunkname));
    }
  }

  /**
   * The message for a compiler that failed outside its error path: the lexical error Lua 5.1
   * finds in what was read, or the failure itself at the line reached.
   */
  static String unexpected(Exception e, String chunkname, byte[] code, int offset, Input in) {
    String cid = Lua.chunkid(chunkname);
    Scan scan = scan(code, offset, in);
    if (scan.error != null) return scan.error.format(cid);
    return cid + ":" + scan.line + ": " + e;
  }

  /** LuaJ's wording of a parser error, as Lua 5.1 words it. */
  private static String in51Words(String msg, Scan scan) {
    if (msg.startsWith("unexpected symbol")) return "unexpected symbol"; // LuaJ adds the code
    if (msg.equals("syntax error")
        && !scan.at.is('=')
        && !scan.at.is(',')
        && (scan.before == null || !scan.before.is(')'))) {
      // LuaJ's exprstat: a statement that is an expression but no call. Lua 5.1 takes it for
      // an assignment missing its '=', unless it is a parenthesized expression (no variable).
      return "'=' expected";
    }
    return msg.replace("'<eos>'", "'<eof>'");
  }

  /** LuaJ's errors that Lua 5.1 raises (or would raise) without the "near" part. */
  private static boolean withoutNear(String msg) {
    return msg.startsWith("chunk has too many syntax levels")
        || msg.contains(" has more than ")
        || msg.startsWith("<goto ")
        || msg.startsWith("<break> ")
        || msg.startsWith("no visible label ")
        || msg.startsWith("label '");
  }

  /** The token LuaJ stopped on, the one before it, or the lexical error met first. */
  private static final class Scan {
    Token at;
    Token before;
    LexError error;
    int line = 1;
  }

  private static Scan scan(byte[] code, int offset, Input in) {
    Scan s = new Scan();
    int lookahead = in.lookahead();
    Lexer lexer = new Lexer(code, offset);
    Token prev = null;
    Token cur = null;
    try {
      while (true) {
        Token t = lexer.next();
        if (!in.atEnd() && t.end > lookahead) break; // LuaJ did not read this one whole
        prev = cur;
        cur = t;
        s.line = t.line;
        if (t.type == Token.EOS) break;
      }
    } catch (LexError e) {
      if (in.atEnd() || e.start < lookahead) s.error = e; // LuaJ read into its token
    }
    s.at = cur != null ? cur : Token.eos(1);
    s.before = prev;
    return s;
  }

  // ---- Lua 5.1's lexical rules

  /** A token: its kind (a character, or one of the constants), place and text as Lua prints it. */
  static final class Token {
    static final int NAME = 256;
    static final int STRING = 257;
    static final int NUMBER = 258;
    static final int EOS = 259;
    static final int OTHER = 260; // "..", "...", "==", ">=", "<=", "~="

    final int type;
    final int start;
    final int end;
    final int line;
    final String text;

    Token(int type, int start, int end, int line, String text) {
      this.type = type;
      this.start = start;
      this.end = end;
      this.line = line;
      this.text = text;
    }

    static Token eos(int line) {
      return new Token(EOS, Integer.MAX_VALUE, Integer.MAX_VALUE, line, "<eof>");
    }

    boolean is(char c) {
      return type == c;
    }
  }

  /** A lexical error: message, the text it is near (null: none), line, where its token starts. */
  static final class LexError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String near;
    final int line;
    final int start;

    LexError(String message, String near, int line, int start) {
      super(message, null, false, false);
      this.near = near;
      this.line = line;
      this.start = start;
    }

    String format(String cid) {
      return cid + ":" + line + ": " + getMessage() + (near != null ? " near '" + near + "'" : "");
    }
  }

  /**
   * Splits a chunk into tokens by Lua 5.1's rules (llex): names and reserved words, numerals,
   * short strings with 5.1's escapes, long strings and comments with their level of '=', the
   * operators of 5.1 (no "::", "//" or bit operators), and lines counted as 5.1 counts them
   * ("\r\n" and "\n\r" are one line end). Offsets are from the chunk's start.
   */
  static final class Lexer {
    private static final int END = -1;

    private final byte[] b;
    private final int base;
    private int p;
    private int line = 1;

    Lexer(byte[] code, int offset) {
      this.b = code;
      this.base = offset;
      this.p = offset;
    }

    private int cur() {
      return p < b.length ? b[p] & 0xff : END;
    }

    private int at(int i) {
      return i < b.length ? b[i] & 0xff : END;
    }

    private boolean newlineAt(int i) {
      int c = at(i);
      return c == '\n' || c == '\r';
    }

    /** Steps over a line end ("\n", "\r", "\r\n" or "\n\r"). */
    private void lineEnd() {
      int c = cur();
      p++;
      int d = cur();
      if ((d == '\n' || d == '\r') && d != c) p++;
      line++;
    }

    Token next() {
      while (true) {
        int c = cur();
        int start = p;
        switch (c) {
          case END:
            return Token.eos(line); // ends past anything LuaJ reads before its end of input
          case '\n', '\r':
            lineEnd();
            continue;
          case '-':
            if (at(p + 1) != '-') return single(start);
            p += 2;
            if (cur() == '[') {
              int level = bracketLevel(p, '[');
              if (level >= 0) {
                longBracket(start, level, false);
                continue;
              }
            }
            while (cur() != END && !newlineAt(p)) p++;
            continue;
          case '[': {
            int level = bracketLevel(p, '[');
            if (level >= 0) return longBracket(start, level, true);
            if (level == -1) return single(start);
            throw new LexError(
                "invalid long string delimiter", text(start, start - level), line, start - base);
          }
          case '=', '<', '>', '~':
            if (at(p + 1) == '=') return fixed(start, 2);
            return single(start);
          case '"', '\'':
            return shortString(start, c);
          case '.':
            if (at(p + 1) == '.') return fixed(start, at(p + 2) == '.' ? 3 : 2);
            if (!isDigit(at(p + 1))) return single(start);
            return numeral(start);
          default:
            if (c == ' ' || c == '\t' || c == 0x0b || c == '\f') {
              p++;
              continue;
            }
            if (isDigit(c)) return numeral(start);
            if (isAlpha(c) || c == '_') {
              while (isAlnum(cur()) || cur() == '_') p++;
              return new Token(Token.NAME, start - base, p - base, line, text(start, p));
            }
            return single(start);
        }
      }
    }

    private Token single(int start) {
      int c = b[start] & 0xff;
      p = start + 1;
      String text = c < 32 || c == 127 ? "char(" + c + ")" : String.valueOf((char) c);
      return new Token(c, start - base, p - base, line, text);
    }

    private Token fixed(int start, int length) {
      p = start + length;
      return new Token(Token.OTHER, start - base, p - base, line, text(start, p));
    }

    /**
     * At an opening or closing bracket {@code [==[}: its level (the count of '='), or -1 for a
     * lone bracket, or -(count + 1) - 1 when the '=' are not followed by the second bracket.
     */
    private int bracketLevel(int i, int bracket) {
      int n = 0;
      int j = i + 1;
      while (at(j) == '=') {
        j++;
        n++;
      }
      return at(j) == bracket ? n : -n - 1;
    }

    /** A long string (or comment) opened at {@code start} by a bracket of {@code level}. */
    private Token longBracket(int start, int level, boolean string) {
      StringBuilder text = new StringBuilder();
      int open = p;
      p += level + 2;
      text.append(text(open, p));
      if (newlineAt(p)) lineEnd(); // a first line end is not part of the string
      while (true) {
        int c = cur();
        if (c == END) {
          throw new LexError(
              string ? "unfinished long string" : "unfinished long comment",
              "<eof>",
              line,
              start - base);
        }
        if (c == ']' && bracketLevel(p, ']') == level) {
          text.append(text(p, p + level + 2));
          p += level + 2;
          return new Token(Token.STRING, start - base, p - base, line, text.toString());
        } else if (c == '\n' || c == '\r') {
          text.append('\n');
          lineEnd();
        } else {
          text.append((char) c);
          p++;
        }
      }
    }

    /**
     * A quoted string: its text as Lua 5.1 keeps it in its buffer (the quotes, and the escapes
     * already replaced by what they stand for).
     */
    private Token shortString(int start, int quote) {
      StringBuilder text = new StringBuilder().append((char) quote);
      p++;
      while (true) {
        int c = cur();
        if (c == quote) break;
        if (c == END) throw new LexError("unfinished string", "<eof>", line, start - base);
        if (c == '\n' || c == '\r') {
          throw new LexError("unfinished string", text.toString(), line, start - base);
        }
        if (c != '\\') {
          text.append((char) c);
          p++;
          continue;
        }
        p++; // the backslash
        int e = cur();
        switch (e) {
          case 'a' -> escape(text, 7);
          case 'b' -> escape(text, '\b');
          case 'f' -> escape(text, '\f');
          case 'n' -> escape(text, '\n');
          case 'r' -> escape(text, '\r');
          case 't' -> escape(text, '\t');
          case 'v' -> escape(text, 0x0b);
          case '\n', '\r' -> {
            text.append('\n');
            lineEnd();
          }
          case END -> { } // the string is unfinished: said at the next character
          default -> {
            if (!isDigit(e)) {
              escape(text, e); // \\ \" \' and any other character stand for themselves
            } else {
              int value = 0;
              int digits = 0;
              while (digits < 3 && isDigit(cur())) {
                value = value * 10 + (cur() - '0');
                p++;
                digits++;
              }
              if (value > 255) {
                throw new LexError(
                    "escape sequence too large", text.toString(), line, start - base);
              }
              text.append((char) value);
            }
          }
        }
      }
      p++;
      text.append((char) quote);
      return new Token(Token.STRING, start - base, p - base, line, text.toString());
    }

    private void escape(StringBuilder text, int c) {
      text.append((char) c);
      p++;
    }

    /**
     * A numeral as Lua 5.1 reads it: digits and dots, an exponent mark with its sign, then any
     * letters, digits and '_'; "malformed number" unless C's strtod reads it all.
     */
    private Token numeral(int start) {
      while (isDigit(cur()) || cur() == '.') p++;
      if (cur() == 'e' || cur() == 'E') {
        p++;
        if (cur() == '+' || cur() == '-') p++;
      }
      while (isAlnum(cur()) || cur() == '_') p++;
      String text = text(start, p);
      if (!isNumber(text)) throw new LexError("malformed number", text, line, start - base);
      return new Token(Token.NUMBER, start - base, p - base, line, text);
    }

    private String text(int from, int to) {
      StringBuilder s = new StringBuilder(to - from);
      for (int i = from; i < to && i < b.length; i++) s.append((char) (b[i] & 0xff));
      return s.toString();
    }
  }

  /**
   * Whether C's strtod (glibc's: decimal, or hexadecimal with an optional binary exponent) reads
   * all of {@code s}, a numeral (it starts with a digit or a dot).
   */
  static boolean isNumber(String s) {
    int n = s.length();
    int i;
    boolean hex = n > 2 && s.charAt(0) == '0' && (s.charAt(1) | 0x20) == 'x';
    if (hex) {
      int digits = 0;
      i = 2;
      while (i < n && isHexDigit(s.charAt(i))) {
        i++;
        digits++;
      }
      if (i < n && s.charAt(i) == '.') {
        i++;
        while (i < n && isHexDigit(s.charAt(i))) {
          i++;
          digits++;
        }
      }
      if (digits == 0) return false; // strtod reads "0" and stops at the 'x'
      return exponent(s, i, 'p') == n;
    }
    int digits = 0;
    i = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
    }
    return digits > 0 && exponent(s, i, 'e') == n;
  }

  /** Past an optional exponent ({@code mark}, a sign, digits) at {@code i}; {@code i} if none. */
  private static int exponent(String s, int i, char mark) {
    int n = s.length();
    if (i >= n || (s.charAt(i) | 0x20) != mark) return i;
    int j = i + 1;
    if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) j++;
    int k = j;
    while (k < n && isDigit(s.charAt(k))) k++;
    return k > j ? k : i;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(int c) {
    return isDigit(c) || (c | 0x20) >= 'a' && (c | 0x20) <= 'f';
  }

  private static boolean isAlpha(int c) {
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  }

  private static boolean isAlnum(int c) {
    return isAlpha(c) || isDigit(c);
  }
}
