package io.redstart.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay between a replica and its master, to cut the replication link on purpose: {@link
 * #cut} closes every relayed connection and refuses new ones (the port stops listening) until
 * {@link #restore}, which listens on the same port again; {@link #hold} stops the bytes without
 * closing anything, as a hung network would. Bytes flow unchanged both ways; {@link #bytes} counts
 * them.
 *
 * <p>Threads: one acceptor, two pumps per connection; methods may be called from any thread.
 */
final class LinkProxy implements AutoCloseable {
  private final int targetPort;
  private final int port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicLong bytes = new AtomicLong();
  private volatile ServerSocket server;
  private volatile boolean closed;
  private volatile boolean held;
  /** Set by {@link #cut} until {@link #restore}: a connection accepted meanwhile is closed. */
  private boolean refusing;

  LinkProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    ServerSocket s = listen(0);
    this.port = s.getLocalPort();
    start(s);
  }

  int port() {
    return port;
  }

  long bytes() {
    return bytes.get();
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }

  private void start(ServerSocket s) {
    server = s;
    Thread.ofPlatform().daemon().name("link-proxy-accept").start(() -> {
      while (!s.isClosed()) {
        Socket in;
        try {
          in = s.accept();
        } catch (IOException e) {
          return;
        }
        try {
          Socket out = new Socket("127.0.0.1", targetPort);
          in.setTcpNoDelay(true);
          out.setTcpNoDelay(true);
          synchronized (this) {
            // A connection that got in as the listener was closing (the kernel may still
            // complete one) is refused too.
            if (refusing || s != server) {
              closeQuietly(in);
              closeQuietly(out);
              continue;
            }
            sockets.add(in);
            sockets.add(out);
          }
          pump(in, out);
          pump(out, in);
        } catch (IOException e) {
          closeQuietly(in);
        }
      }
    });
  }

  private void pump(Socket from, Socket to) {
    Thread.ofPlatform().daemon().name("link-proxy-pump").start(() -> {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          while (held && !closed && !from.isClosed()) Thread.sleep(5);
          out.write(buf, 0, n);
          bytes.addAndGet(n);
        }
      } catch (IOException e) {
        // One side closed: close both.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    });
  }

  /** Cuts the link: closes the relayed connections and stops listening. */
  synchronized void cut() {
    refusing = true;
    closeQuietly(server);
    for (Socket s : sockets) closeQuietly(s);
    sockets.clear();
  }

  /**
   * Holds the bytes in flight without closing anything (a link that hangs: no data, no error),
   * or lets them go again.
   */
  void hold(boolean on) {
    held = on;
  }

  /** Listens again on the same port. */
  void restore() throws IOException {
    if (closed) return;
    ServerSocket s = listen(port);
    synchronized (this) {
      refusing = false;
    }
    start(s);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      if (c != null) c.close();
    } catch (Exception ignored) {
      // Closing anyway.
    }
  }

  @Override
  public void close() {
    closed = true;
    cut();
  }
}
