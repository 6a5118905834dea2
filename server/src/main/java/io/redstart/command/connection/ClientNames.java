package io.redstart.command.connection;

import io.redstart.command.Errors;
import io.redstart.server.Client;
import java.nio.charset.StandardCharsets;

/** Client name validation shared by CLIENT SETNAME and HELLO SETNAME. */
public final class ClientNames {
  private ClientNames() {}

  /** Sets (or clears, when empty) the client's name; replies the charset error and returns false. */
  public static boolean setNameOrReply(Client c, byte[] name) {
    for (byte b : name) {
      if (b < '!' || b > '~') {
        c.error(Errors.CLIENT_NAME_SPACES);
        return false;
      }
    }
    c.name(new String(name, StandardCharsets.US_ASCII));
    return true;
  }
}
