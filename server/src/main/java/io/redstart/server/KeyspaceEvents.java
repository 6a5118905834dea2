package io.redstart.server;

import io.redstart.config.Config;
import io.redstart.config.ConfigParams;
import io.redstart.config.KeyspaceEventFlags;
import io.redstart.store.Database;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The end of every write, in one place: the key is signalled as modified (WATCH, client-side
 * caching), a keyspace notification is fired when notify-keyspace-events asks for its class, and
 * the change is counted. Handlers call {@link #written} (or its parts) once per key they change.
 *
 * <p>Owned by the keyspace thread.
 */
public final class KeyspaceEvents {
  /** Receives notifications to publish: channel and message, as pub/sub delivers them. */
  public interface Publisher {
    void publish(byte[] channel, byte[] message);
  }

  /** Receives every modified key (WATCH, client tracking). */
  public interface ModifiedKeyListener {
    void keyModified(Client c, Database db, byte[] key);
  }

  private final RedstartServer server;
  private int flags;
  private Publisher publisher;
  private final List<ModifiedKeyListener> modifiedListeners = new ArrayList<>();

  KeyspaceEvents(RedstartServer server, Config config) {
    this.server = server;
    this.flags = (Integer) config.getSpecial(ConfigParams.NOTIFY_KEYSPACE_EVENTS);
    config.onChange(
        ConfigParams.NOTIFY_KEYSPACE_EVENTS,
        p -> this.flags = (Integer) config.getSpecial(ConfigParams.NOTIFY_KEYSPACE_EVENTS));
  }

  public void publisher(Publisher p) {
    this.publisher = p;
  }

  public void addModifiedKeyListener(ModifiedKeyListener l) {
    modifiedListeners.add(l);
  }

  /**
   * A write to one key: signals it modified, fires the notification of {@code type} (a {@link
   * KeyspaceEventFlags} class) named {@code event}, and counts one change.
   */
  public void written(Client c, Database db, byte[] key, int type, String event) {
    signalModified(c, db, key);
    notify(type, event, key, db.id());
    server.incrDirty(1);
  }

  /** Receives keys that were created (blocked clients waiting on a key, as signalKeyAsReady). */
  public interface KeyCreatedListener {
    void keyCreated(Database db, byte[] key);
  }

  private final List<KeyCreatedListener> createdListeners = new ArrayList<>();

  public void addKeyCreatedListener(KeyCreatedListener l) {
    createdListeners.add(l);
  }

  /**
   * A key was added to a database (Redis's dbAdd): fires the "new" notification and wakes
   * clients blocked on it. Call right after creating the key, before the command's own event.
   */
  public void keyCreated(Client c, Database db, byte[] key) {
    for (KeyCreatedListener l : createdListeners) l.keyCreated(db, key);
    notify(KeyspaceEventFlags.NEW, "new", key, db.id());
  }

  /** Signals a key as modified for WATCH and client tracking, without a notification. */
  public void signalModified(Client c, Database db, byte[] key) {
    for (ModifiedKeyListener l : modifiedListeners) l.keyModified(c, db, key);
  }

  /** Fires a keyspace/keyevent notification if its class is enabled. */
  public void notify(int type, String event, byte[] key, int dbid) {
    if ((flags & type) == 0 || publisher == null) return;
    byte[] ev = event.getBytes(StandardCharsets.US_ASCII);
    if ((flags & KeyspaceEventFlags.KEYSPACE) != 0) {
      publisher.publish(concat("__keyspace@" + dbid + "__:", key), ev);
    }
    if ((flags & KeyspaceEventFlags.KEYEVENT) != 0) {
      publisher.publish(concat("__keyevent@" + dbid + "__:", ev), key);
    }
  }

  public boolean enabled(int type) {
    return (flags & type) != 0;
  }

  private static byte[] concat(String prefix, byte[] tail) {
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[p.length + tail.length];
    System.arraycopy(p, 0, out, 0, p.length);
    System.arraycopy(tail, 0, out, p.length, tail.length);
    return out;
  }
}
