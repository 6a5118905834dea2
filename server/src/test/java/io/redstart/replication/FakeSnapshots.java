package io.redstart.replication;

import io.redstart.server.RedstartServer;
import io.redstart.store.Database;
import io.redstart.store.Entries;
import io.redstart.types.ValueType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Snapshots in a tiny text format instead of RDB, so that the replication protocol (framing,
 * offsets, streaming, partial resynchronization) is tested apart from the RDB codecs. The dataset
 * is the string keys of database 0, taken at the snapshot's start:
 *
 * <pre>FAKERDB &lt;replid&gt; &lt;offset&gt; &lt;streamdb&gt; &lt;n&gt;\n key value\n ... END\n</pre>
 *
 * <p>Keys and values must not contain spaces or newlines.
 */
final class FakeSnapshots implements Snapshots {
  private final RedstartServer server;
  private final Path dir;
  /** Pause after each line written, to slow a transfer down. */
  volatile long lineDelayMillis;
  volatile int saves;

  FakeSnapshots(RedstartServer server, Path dir) {
    this.server = server;
    this.dir = dir;
  }

  private byte[] image(ReplInfo info) {
    Map<String, String> keys = new LinkedHashMap<>();
    Database db = server.keyspace().db(0);
    for (int s = db.nextNonEmptySlot(0); s >= 0; s = db.nextNonEmptySlot(s + 1)) {
      for (Object e : db.slotEntries(s)) {
        if (Entries.type(e) != ValueType.STRING) continue;
        keys.put(new String(Entries.key(e), StandardCharsets.ISO_8859_1),
            new String(Entries.stringValue(e), StandardCharsets.ISO_8859_1));
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("FAKERDB ").append(info.replid()).append(' ').append(info.offset()).append(' ')
        .append(info.streamDb()).append(' ').append(keys.size()).append('\n');
    keys.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
    sb.append("END\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private boolean busy;

  @Override
  public boolean hasActiveJob() {
    return busy;
  }

  @Override
  public boolean diskSaveInProgress() {
    return busy && diskBusy;
  }

  private boolean diskBusy;

  @Override
  public boolean saveToDisk(ReplInfo info, Consumer<String> done) {
    byte[] img = image(info);
    busy = true;
    diskBusy = true;
    saves++;
    Thread.ofPlatform().daemon().start(() -> {
      String err = null;
      try {
        Files.write(rdbFile(), img);
      } catch (IOException e) {
        err = e.toString();
      }
      String e = err;
      server.execute(() -> {
        busy = false;
        diskBusy = false;
        done.accept(e);
      });
    });
    return true;
  }

  private volatile boolean cancelled;

  @Override
  public boolean saveToStream(ReplInfo info, int exclude, StreamOut out, Consumer<String> done) {
    byte[] img = image(info);
    busy = true;
    cancelled = false;
    saves++;
    Thread.ofPlatform().daemon().start(() -> {
      String err = null;
      try {
        int start = 0;
        for (int i = 0; i < img.length; i++) {
          if (img[i] != '\n') continue;
          out.write(img, start, i + 1 - start);
          start = i + 1;
          if (cancelled) throw new IOException("cancelled");
          if (lineDelayMillis > 0) Thread.sleep(lineDelayMillis);
        }
      } catch (IOException | InterruptedException e) {
        err = e.toString();
      }
      String e = err;
      server.execute(() -> {
        busy = false;
        done.accept(e);
      });
    });
    return true;
  }

  @Override
  public void cancelSave() {
    cancelled = true;
  }

  @Override
  public Path rdbFile() {
    return dir.resolve("fake.rdb");
  }

  @Override
  public boolean persistenceEnabled() {
    return false;
  }

  @Override
  public Loaded load(InputStream in, long size) throws Exception {
    String header = line(in);
    String[] h = header.split(" ");
    if (!h[0].equals("FAKERDB")) throw new IOException("Wrong signature: " + header);
    int n = Integer.parseInt(h[4]);
    List<String[]> kv = new ArrayList<>();
    for (int i = 0; i < n; i++) kv.add(line(in).split(" ", 2));
    if (!line(in).equals("END")) throw new IOException("no END");
    String replid = h[1];
    long offset = Long.parseLong(h[2]);
    int streamDb = Integer.parseInt(h[3]);
    return new Loaded() {
      @Override
      public String replid() {
        return replid;
      }

      @Override
      public long offset() {
        return offset;
      }

      @Override
      public int streamDb() {
        return streamDb;
      }

      @Override
      public long keys() {
        return kv.size();
      }

      @Override
      public void install() {
        for (int i = 0; i < server.keyspace().databases(); i++) server.keyspace().db(i).clear();
        Database db = server.keyspace().db(0);
        for (String[] p : kv) {
          db.setString(p[0].getBytes(StandardCharsets.ISO_8859_1),
              p[1].getBytes(StandardCharsets.ISO_8859_1), Entries.ENC_RAW, Database.NO_EXPIRE, 0);
        }
      }
    };
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) throw new IOException("Short read");
      if (c == '\n') return b.toString(StandardCharsets.ISO_8859_1);
      b.write(c);
    }
  }

  volatile int stops;
  volatile int aofRestarts;

  @Override
  public void stopForSync() {
    stops++;
  }

  @Override
  public void restartAof() {
    aofRestarts++;
  }
}
