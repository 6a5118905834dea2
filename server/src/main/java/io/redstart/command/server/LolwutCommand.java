package io.redstart.command.server;

import io.redstart.command.Args;
import io.redstart.resp.Numbers;
import io.redstart.server.Client;
import io.redstart.server.RedstartServer;

/**
 * LOLWUT [VERSION v] [arguments]: a piece of computer art and the version, as verbatim text (a bulk
 * string in RESP2), as Redis replies. The drawings are Redstart's own. Like Redis, VERSION selects
 * a drawing by its number taken as a C unsigned int (5 and 6 draw, any other number only prints
 * the version line), and each drawing reads up to three integer arguments, clamped to keep the
 * command cheap; an argument that is not an integer gets "value is not an integer or out of
 * range". Without VERSION the server's own version (7) is used: the version line alone.
 *
 * <p>Run on the keyspace thread.
 */
public final class LolwutCommand {
  private LolwutCommand() {}

  public static void lolwut(Client c, byte[][] argv) {
    long version = 7;
    int first = 1;
    if (argv.length >= 3 && Args.isCString(argv[1], "version")) {
      if (!Args.isLongOrReply(c, argv[2])) return;
      version = Numbers.parseLong(argv[2]) & 0xffffffffL;
      first = 3;
    }
    long[] params = new long[3];
    int given = 0;
    int accepted = version == 5 ? 3 : version == 6 ? 2 : 0;
    for (int j = first; j < argv.length && given < accepted; j++) {
      if (!Args.isLongOrReply(c, argv[j])) return;
      params[given++] = Numbers.parseLong(argv[j]);
    }
    String versionLine = "Redis ver. " + RedstartServer.REDIS_VERSION + "\n";
    String text;
    if (version == 5) {
      int cols = clamp(given > 0 ? params[0] : 66, 1, 1000);
      int rings = clamp(given > 1 ? params[1] : 8, 1, 200);
      int aspect = clamp(given > 2 ? params[2] : 12, 1, 200);
      text = ripples(cols, rings, aspect) + "\nRipples on a pond, braille on screen. " + versionLine;
    } else if (version == 6) {
      int cols = clamp(given > 0 ? params[0] : 80, 1, 1000);
      int rows = clamp(given > 1 ? params[1] : 20, 1, 1000);
      text = hills(cols, rows) + "\nA redstart's morning over the hills. " + versionLine;
    } else {
      text = versionLine;
    }
    c.reply().verbatim(text, "txt");
  }

  private static int clamp(long v, int min, int max) {
    return (int) Math.max(min, Math.min(max, v));
  }

  /**
   * Concentric circles drawn with braille cells (two by four dots each): {@code cols} cells wide,
   * {@code rings} circles, the height {@code aspect}/{@code rings} times the width (at most 250
   * lines).
   */
  static String ripples(int cols, int rings, int aspect) {
    int width = cols * 2;
    int lines = (int) Math.max(1, Math.min(250, (long) cols * aspect / rings / 2));
    int height = lines * 4;
    double cx = (width - 1) / 2.0;
    double cy = (height - 1) / 2.0;
    double step = Math.max(1.5, Math.min(cx, cy) / rings + 0.5);
    StringBuilder sb = new StringBuilder();
    for (int line = 0; line < lines; line++) {
      for (int col = 0; col < cols; col++) {
        int bits = 0;
        for (int dx = 0; dx < 2; dx++) {
          for (int dy = 0; dy < 4; dy++) {
            double d = Math.hypot(col * 2 + dx - cx, line * 4 + dy - cy);
            double phase = d % step;
            if (d / step < rings && (phase < 0.75 || step - phase < 0.25)) bits |= dot(dx, dy);
          }
        }
        sb.append((char) (0x2800 + bits));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The bit of a dot in a braille cell (Unicode's numbering: dots 1-3 and 7 left, 4-6, 8 right). */
  private static int dot(int x, int y) {
    if (y == 3) return x == 0 ? 0x40 : 0x80;
    return (x == 0 ? 1 : 8) << y;
  }

  /** Rolling hills under a sun, {@code cols} by {@code rows} characters. */
  static String hills(int cols, int rows) {
    StringBuilder sb = new StringBuilder();
    double sunX = cols * 0.75;
    double sunY = rows * 0.25;
    double sunR = Math.max(1, rows / 8.0);
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        double ground =
            rows * (0.6 + 0.15 * Math.sin(x / 9.0) + 0.07 * Math.sin(x / 3.7 + 1.3));
        double far = rows * (0.45 + 0.1 * Math.sin(x / 13.0 + 2.0));
        char ch;
        if (y >= ground) {
          ch = y < ground + 1 ? '^' : ((x + y) % 5 == 0 ? '"' : '.');
        } else if (y >= far) {
          ch = y < far + 1 ? '-' : ' ';
        } else if (Math.hypot((x - sunX) / 2.0, y - sunY) <= sunR) {
          ch = 'o';
        } else {
          ch = ' ';
        }
        sb.append(ch);
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
