package io.redstart.command;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * Finds a command by its name as sent (any case), without allocating: an open-addressing table
 * over the lower-case names with an ASCII case-insensitive hash and compare. Immutable.
 */
public final class CommandLookup {
  private final byte[][] names;
  private final CommandSpec[] specs;
  private final int mask;

  public CommandLookup(Collection<CommandSpec> commands) {
    this(commands.size());
    for (CommandSpec s : commands) put(s.name.getBytes(StandardCharsets.US_ASCII), s);
  }

  /** A lookup under the map's names (the commands' own, or those rename-command gave them). */
  public static CommandLookup of(Map<String, CommandSpec> byName) {
    CommandLookup l = new CommandLookup(byName.size());
    for (Map.Entry<String, CommandSpec> e : byName.entrySet()) {
      l.put(e.getKey().getBytes(StandardCharsets.US_ASCII), e.getValue());
    }
    return l;
  }

  private CommandLookup(int count) {
    int cap = Integer.highestOneBit(Math.max(4, count * 4) - 1) << 1;
    names = new byte[cap][];
    specs = new CommandSpec[cap];
    mask = cap - 1;
  }

  private void put(byte[] n, CommandSpec s) {
    int i = hash(n, 0, n.length) & mask;
    while (names[i] != null) i = (i + 1) & mask;
    names[i] = n;
    specs[i] = s;
  }

  /** The command named by {@code name} (any case), or null. */
  public CommandSpec find(byte[] name) {
    int i = hash(name, 0, name.length) & mask;
    while (true) {
      byte[] n = names[i];
      if (n == null) return null;
      if (equalsIgnoreCase(n, name)) return specs[i];
      i = (i + 1) & mask;
    }
  }

  private static int hash(byte[] b, int off, int len) {
    int h = 0;
    for (int i = off; i < off + len; i++) h = 31 * h + lower(b[i]);
    return h ^ (h >>> 16);
  }

  private static int lower(byte b) {
    return (b >= 'A' && b <= 'Z') ? b + 32 : b;
  }

  /** {@code lowerName} is already lower case. */
  private static boolean equalsIgnoreCase(byte[] lowerName, byte[] name) {
    if (lowerName.length != name.length) return false;
    for (int i = 0; i < name.length; i++) if (lowerName[i] != lower(name[i])) return false;
    return true;
  }
}
