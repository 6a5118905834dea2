package io.redstart.server;

import io.redstart.blocking.Blocking;
import io.redstart.command.stream.StreamWaits;
import io.redstart.monitor.Monitors;
import io.redstart.persistence.Persistence;
import io.redstart.pubsub.PubSub;
import io.redstart.scripting.LuaJPatch;
import io.redstart.scripting.Scripting;
import io.redstart.tracking.Tracking;
import io.redstart.transaction.Transactions;

/**
 * Creates the optional subsystems of a server and registers them, in dependency order. Each
 * subsystem wires itself to the server's hooks (gates, key events, client lifecycle) in its
 * constructor; handlers reach it through {@link RedstartServer#component}.
 */
final class Subsystems {
  private Subsystems() {}

  static void install(RedstartServer server) {
    server.register(Blocking.class, new Blocking(server));
    server.register(Transactions.class, new Transactions(server));
    server.register(Persistence.class, new Persistence(server));
    server.register(StreamWaits.class, new StreamWaits(server));
    server.register(PubSub.class, new PubSub(server));
    server.register(Tracking.class, new Tracking(server));
    server.register(Monitors.class, new Monitors(server));
    server.register(
        io.redstart.command.keys.Migrations.class, new io.redstart.command.keys.Migrations(server));
    io.redstart.command.list.ListDebug.register();
    LuaJPatch.install(); // before anything loads LuaJ's classes
    server.register(Scripting.class, new Scripting(server));
    server.register(io.redstart.replication.Replication.class,
        new io.redstart.replication.Replication(server));
  }
}
