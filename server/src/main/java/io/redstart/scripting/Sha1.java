package io.redstart.scripting;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-1 in lower-case hex, as Redis names scripts (sha1hex). */
final class Sha1 {
  private Sha1() {}

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static String hex(byte[] data) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] h = md.digest(data);
    char[] out = new char[40];
    for (int i = 0; i < 20; i++) {
      out[2 * i] = HEX[(h[i] >> 4) & 15];
      out[2 * i + 1] = HEX[h[i] & 15];
    }
    return new String(out);
  }
}
