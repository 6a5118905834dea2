package io.redstart.command.server;

import io.redstart.monitor.Monitors;
import io.redstart.server.Client;

/** MONITOR; the feed is {@link Monitors}'. */
public final class MonitorCommands {
  private MonitorCommands() {}

  public static void monitor(Client c, byte[][] argv) {
    c.server().component(Monitors.class).monitor(c);
  }
}
