package io.redstart.command.list;

import io.netty.buffer.Unpooled;
import io.redstart.embedded.Redstart;
import io.redstart.server.Client;
import io.redstart.server.RedstartServer;
import io.redstart.testing.InMemoryConnection;
import io.redstart.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * An embedded server driven without sockets: each {@link LocalClient} is a client on an in-memory
 * connection whose input is fed on the server's event loop, as the transport would feed it, and
 * whose replies are read back as text. Tests observe the server's insides (keyspace events,
 * propagation, dirty count, memory) through {@link #onLoop}.
 */
final class InProcessServer implements AutoCloseable {
  final Redstart.Handle handle;
  final RedstartServer server;

  InProcessServer(String... directives) throws Exception {
    Redstart.Builder b = Redstart.builder().port(0).config("enable-debug-command", "yes");
    for (int i = 0; i + 1 < directives.length; i += 2) b.config(directives[i], directives[i + 1]);
    handle = b.start();
    server = handle.server();
  }

  /** Runs {@code task} on the keyspace thread and returns its result. */
  <T> T onLoop(Callable<T> task) {
    try {
      return server.call(task);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  void run(Runnable task) {
    onLoop(
        () -> {
          task.run();
          return null;
        });
  }

  LocalClient connect() {
    return onLoop(LocalClient::new);
  }

  @Override
  public void close() {
    handle.close();
  }

  /** One client connection. */
  final class LocalClient {
    final InMemoryConnection conn = new InMemoryConnection();
    final Client client;

    private LocalClient() {
      client = server.newLocalClient(conn);
    }

    /** Feeds one command (as RESP) and returns what the server wrote back at once. */
    String call(String... argv) {
      return onLoop(
          () -> {
            feed(argv);
            return conn.takeOutputText();
          });
    }

    /** Feeds commands without reading replies (a pipeline, or a command that blocks). */
    void send(String... argv) {
      run(() -> feed(argv));
    }

    /** Feeds several commands in one read, as a pipeline. */
    void pipeline(List<String[]> commands) {
      run(
          () -> {
            List<byte[]> all = new ArrayList<>();
            int n = 0;
            for (String[] argv : commands) {
              byte[] b = RawClient.encode(bytes(argv));
              all.add(b);
              n += b.length;
            }
            byte[] joined = new byte[n];
            int p = 0;
            for (byte[] b : all) {
              System.arraycopy(b, 0, joined, p, b.length);
              p += b.length;
            }
            client.onInput(Unpooled.wrappedBuffer(joined));
            server.flushPending();
          });
    }

    private void feed(String[] argv) {
      client.onInput(Unpooled.wrappedBuffer(RawClient.encode(bytes(argv))));
      server.flushPending();
    }

    /** What the server has written since the last read (possibly nothing). */
    String output() {
      return onLoop(conn::takeOutputText);
    }

    /** Waits until the server has written something, up to {@code timeout}; returns it. */
    String await(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      StringBuilder sb = new StringBuilder();
      while (true) {
        sb.append(output());
        if (!sb.isEmpty()) return sb.toString();
        if (System.nanoTime() > deadline) return "";
        try {
          Thread.sleep(1); // a poll interval, not a wait for an outcome: the deadline decides
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return sb.toString();
        }
      }
    }

    /** Waits for {@code expected} bytes of replies (a reply arrives in pieces at most). */
    String await(String expected) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      StringBuilder sb = new StringBuilder();
      while (sb.length() < expected.length() && System.nanoTime() < deadline) {
        sb.append(await(Duration.ofMillis(100)));
      }
      return sb.toString();
    }

    boolean blocked() {
      return onLoop(() -> server.isBlocked(client));
    }

    long id() {
      return client.id();
    }

    void disconnect() {
      run(client::closeNow);
    }
  }

  static byte[][] bytes(String... argv) {
    byte[][] out = new byte[argv.length][];
    for (int i = 0; i < argv.length; i++) out[i] = argv[i].getBytes(StandardCharsets.ISO_8859_1);
    return out;
  }
}
