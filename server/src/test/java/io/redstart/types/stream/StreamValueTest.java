package io.redstart.types.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The stream type against a model (a sorted map of live entries): appends with generated and given
 * IDs, deletions, exact trims, cursors over random ranges both ways, copies, digests, the
 * persistence export and import, and the radix tree shape XINFO reports.
 */
class StreamValueTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static final String[] FIELDS = {"f", "g", "1", "-5", "name"};
  private static final String[] VALUES = {
    "v", "0", "-1", "127", "128", "4096", "-9223372036854775808", "", "007", "x".repeat(70)
  };

  private static byte[][] randomFields(SplittableRandom random) {
    int n = random.nextInt(1, 4);
    byte[][] fv = new byte[2 * n][];
    boolean usual = random.nextInt(3) > 0;
    for (int i = 0; i < n; i++) {
      fv[2 * i] = b(usual ? FIELDS[i] : FIELDS[random.nextInt(FIELDS.length)] + i);
      fv[2 * i + 1] = b(VALUES[random.nextInt(VALUES.length)]);
    }
    return fv;
  }

  private static List<String> entries(StreamValue.Cursor cur, long max) {
    List<String> out = new ArrayList<>();
    while ((max == 0 || out.size() < max) && cur.next())
      out.add(describe(cur.id(), cur.fieldsAndValues()));
    return out;
  }

  private static String describe(StreamId id, byte[][] fv) {
    StringBuilder sb = new StringBuilder(id.toString());
    for (byte[] x : fv) sb.append(' ').append(new String(x, StandardCharsets.ISO_8859_1));
    return sb.toString();
  }

  private static List<String> model(NavigableMap<StreamId, byte[][]> m) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<StreamId, byte[][]> e : m.entrySet())
      out.add(describe(e.getKey(), e.getValue()));
    return out;
  }

  @Test
  void matchesAModelThroughRandomChanges() {
    for (long seed = 1; seed <= 6; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      long maxEntries = new long[] {0, 3, 5, 100}[random.nextInt(4)];
      long maxBytes = new long[] {0, 60, 200, 4096}[random.nextInt(4)];
      StreamValue s = new StreamValue();
      TreeMap<StreamId, byte[][]> m = new TreeMap<>();
      long now = 1000;
      long added = 0;
      StreamId maxDeleted = StreamId.MIN;
      for (int step = 0; step < 3000; step++) {
        int op = random.nextInt(20);
        if (op < 11) {
          byte[][] fv = randomFields(random);
          now += random.nextInt(0, 3);
          StreamId last = s.lastId();
          int r;
          if (random.nextInt(3) == 0) {
            StreamId id = new StreamId(last.ms() + random.nextInt(0, 3), random.nextInt(0, 4));
            r = s.append(fv, 0, fv.length / 2, id, true, now, maxBytes, maxEntries);
            assertThat(r == StreamValue.ADDED).isEqualTo(id.compareTo(last) > 0);
          } else {
            r = s.append(fv, 0, fv.length / 2, null, true, now, maxBytes, maxEntries);
            assertThat(r).isEqualTo(StreamValue.ADDED);
            assertThat(s.lastId().compareTo(last)).isPositive();
          }
          if (r == StreamValue.ADDED) {
            m.put(s.lastId(), fv);
            added++;
          }
        } else if (op < 15) {
          StreamId id =
              !m.isEmpty() && random.nextBoolean()
                  ? new ArrayList<>(m.keySet()).get(random.nextInt(m.size()))
                  : new StreamId(random.nextLong(0, now + 1), random.nextInt(0, 4));
          boolean first = !m.isEmpty() && id.equals(m.firstKey());
          boolean deleted = s.delete(id);
          assertThat(deleted).isEqualTo(m.remove(id) != null);
          if (deleted) {
            s.afterDeletes(first);
            if (id.compareTo(maxDeleted) > 0) maxDeleted = id;
          }
        } else if (op < 17) {
          long keep = random.nextInt(0, 40);
          long removed = s.trim(keep, null, false, 0);
          long expected = Math.max(0, m.size() - keep);
          assertThat(removed).isEqualTo(expected);
          for (long i = 0; i < expected; i++) m.pollFirstEntry();
        } else if (op < 18) {
          StreamId min = new StreamId(random.nextLong(0, now + 1), 0);
          long removed = s.trim(0, min, false, 0);
          int before = m.size();
          m.headMap(min, false).clear();
          assertThat(removed).isEqualTo(before - m.size());
        } else {
          StreamId a = new StreamId(random.nextLong(0, now + 2), random.nextInt(0, 3));
          StreamId z = new StreamId(random.nextLong(0, now + 2), random.nextInt(0, 3));
          long count = random.nextInt(0, 5);
          NavigableMap<StreamId, byte[][]> in =
              a.compareTo(z) > 0 ? new TreeMap<>() : m.subMap(a, true, z, true);
          assertThat(entries(s.cursor(a, z, false), count))
              .isEqualTo(model(in).stream().limit(count == 0 ? Long.MAX_VALUE : count).toList());
          assertThat(entries(s.cursor(a, z, true), count))
              .isEqualTo(
                  model(in.descendingMap()).stream()
                      .limit(count == 0 ? Long.MAX_VALUE : count)
                      .toList());
          assertThat(s.count(a, z, false, count))
              .isEqualTo(Math.min(count == 0 ? Long.MAX_VALUE : count, in.size()));
        }
        assertThat(s.length()).isEqualTo(m.size());
        assertThat(s.entriesAdded()).isEqualTo(added);
        assertThat(s.maxDeletedId()).isEqualTo(maxDeleted);
        assertThat(s.firstId()).isEqualTo(m.isEmpty() ? StreamId.MIN : m.firstKey());
        assertThat(s.memoryUsage()).isPositive();
        if (maxEntries > 0) {
          s.forEachNode(
              (master, lp, bytes) -> {
                int p = Listpack.first(lp);
                long entriesInNode =
                    Listpack.integer(lp, p, 0) + Listpack.integer(lp, Listpack.next(lp, p), 0);
                assertThat(entriesInNode).isLessThanOrEqualTo(maxEntries);
              });
        }
      }
      assertThat(entries(s.cursor(null, null, false), 0)).isEqualTo(model(m));
      assertThat(entries(s.cursor(null, null, true), 0)).isEqualTo(model(m.descendingMap()));
      checkCopyAndPersistence(s);
    }
  }

  /** A copy and a reload from the exported nodes hold the same entries, digest and counters. */
  private static void checkCopyAndPersistence(StreamValue s) {
    StreamValue copy = s.duplicate();
    assertThat(entries(copy.cursor(null, null, false), 0))
        .isEqualTo(entries(s.cursor(null, null, false), 0));
    assertThat(digest(copy)).isEqualTo(digest(s));
    StreamValue.Loader loader = StreamValue.loader();
    s.forEachNode(
        (master, lp, bytes) -> {
          assertThat(StreamValue.validNode(Arrays.copyOf(lp, bytes))).isTrue();
          loader.addNode(master, Arrays.copyOf(lp, bytes));
        });
    StreamValue loaded =
        loader.finish(s.length(), s.lastId(), s.firstId(), s.maxDeletedId(), s.entriesAdded());
    assertThat(digest(loaded)).isEqualTo(digest(s));
    assertThat(loaded.nodeCount()).isEqualTo(s.nodeCount());
    assertThat(loaded.radixTreeNodes()).isEqualTo(s.radixTreeNodes());
    // Changing the copy leaves the original alone.
    long length = s.length();
    copy.trim(0, null, false, 0);
    assertThat(s.length()).isEqualTo(length);
  }

  private static String digest(StreamValue s) {
    byte[] d = new byte[20];
    s.digestInto(d);
    return java.util.HexFormat.of().formatHex(d);
  }

  @Test
  void idsNeverGoBackWhenTheClockDoes() {
    StreamValue s = new StreamValue();
    byte[][] fv = {b("f"), b("v")};
    assertThat(s.append(fv, 0, 1, null, true, 1000, 4096, 100)).isEqualTo(StreamValue.ADDED);
    assertThat(s.lastId()).isEqualTo(new StreamId(1000, 0));
    assertThat(s.append(fv, 0, 1, null, true, 900, 4096, 100)).isEqualTo(StreamValue.ADDED);
    assertThat(s.lastId()).isEqualTo(new StreamId(1000, 1));
    assertThat(s.append(fv, 0, 1, null, true, 1000, 4096, 100)).isEqualTo(StreamValue.ADDED);
    assertThat(s.lastId()).isEqualTo(new StreamId(1000, 2));
    s.setIds(new StreamId(1000, -1L), -1, null);
    assertThat(s.append(fv, 0, 1, null, true, 5, 4096, 100)).isEqualTo(StreamValue.ADDED);
    assertThat(s.lastId()).isEqualTo(new StreamId(1001, 0));
    s.setIds(new StreamId(7, -1L), -1, null);
    assertThat(s.append(fv, 0, 1, new StreamId(7, 0), false, 0, 4096, 100))
        .isEqualTo(StreamValue.SEQUENCE_EXHAUSTED);
    s.setIds(StreamId.MAX, -1, null);
    assertThat(s.append(fv, 0, 1, null, true, 5, 4096, 100)).isEqualTo(StreamValue.ID_TOO_SMALL);
    assertThat(s.length()).isEqualTo(4);
  }

  @Test
  void ordersGroupsAndConsumersByNameBytes() {
    StreamValue s = new StreamValue();
    for (String name : new String[] {"b", "a", "\u00ff", "ab", "B"}) {
      s.createGroup(b(name), StreamId.MIN, ConsumerGroup.ENTRIES_READ_UNKNOWN);
    }
    assertThat(s.createGroup(b("a"), StreamId.MIN, 0)).isNull();
    List<String> names = new ArrayList<>();
    for (ConsumerGroup g : s.groups()) names.add(new String(g.name(), StandardCharsets.ISO_8859_1));
    assertThat(names).containsExactly("B", "a", "ab", "b", "\u00ff");
    long base = s.memoryUsage();
    ConsumerGroup g = s.group(b("a"));
    Consumer c = g.createConsumer(b("c1"), 5);
    for (int i = 1; i <= 100; i++) g.addPending(new StreamId(i, 0), 5, 1, c);
    assertThat(s.memoryUsage()).isGreaterThan(base);
    assertThat(g.deleteConsumer(c)).isEqualTo(100);
    assertThat(g.pendingCount()).isZero();
    assertThat(s.memoryUsage()).isEqualTo(base);
    s.destroyGroup(g);
    assertThat(s.groupCount()).isEqualTo(4);
  }

  @Test
  void loaderRefusesBrokenParts() {
    StreamValue s = new StreamValue();
    byte[][] fv = {b("f"), b("v")};
    s.append(fv, 0, 1, new StreamId(5, 0), true, 0, 4096, 100);
    List<byte[]> nodes = new ArrayList<>();
    s.forEachNode((master, lp, bytes) -> nodes.add(Arrays.copyOf(lp, bytes)));
    byte[] node = nodes.getFirst();
    byte[] broken = node.clone();
    broken[broken.length - 3] = 99; // the last entry's lp-count
    assertThatThrownBy(() -> StreamValue.loader().addNode(new StreamId(5, 0), broken))
        .hasMessage("Stream listpack integrity check failed.");
    assertThatThrownBy(
            () ->
                StreamValue.loader()
                    .addNode(new StreamId(5, 0), node)
                    .addNode(new StreamId(5, 0), node))
        .hasMessage("Listpack re-added with existing key");
    assertThatThrownBy(
            () ->
                StreamValue.loader()
                    .addNode(new StreamId(5, 0), node)
                    .finish(2, new StreamId(5, 0), new StreamId(5, 0), StreamId.MIN, 2))
        .hasMessage("Stream length inconsistent with rax entries");
    for (int cut = 0; cut < node.length; cut++) {
      assertThat(StreamValue.validNode(Arrays.copyOf(node, cut))).isFalse();
    }
  }

  @Test
  void radixTreeNodesMatchABruteForceCount() {
    SplittableRandom random = new SplittableRandom(3);
    for (int round = 0; round < 200; round++) {
      StreamValue s = new StreamValue();
      byte[][] fv = {b("f"), b("v")};
      long ms = random.nextLong(0, 1L << 40);
      int n = random.nextInt(1, 40);
      List<byte[]> keys = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ms += random.nextInt(3) == 0 ? random.nextLong(1, 1L << 20) : random.nextInt(1, 300);
        s.append(fv, 0, 1, new StreamId(ms, random.nextInt(0, 3)), true, 0, 0, 1);
        StreamId id = s.lastId();
        byte[] k = new byte[16];
        for (int j = 0; j < 8; j++) {
          k[j] = (byte) (id.ms() >>> (56 - 8 * j));
          k[8 + j] = (byte) (id.seq() >>> (56 - 8 * j));
        }
        keys.add(k);
      }
      assertThat(s.nodeCount()).isEqualTo(n);
      assertThat(s.radixTreeNodes()).isEqualTo(bruteForceRaxNodes(keys));
    }
  }

  /**
   * Nodes of a compressed radix tree over equal-length keys, counted position by position: the
   * root, every position right after a branching one, and every other position where a run of
   * single-child positions ends (at a branching position or a key's end).
   */
  private static long bruteForceRaxNodes(List<byte[]> keys) {
    long nodes = 1;
    for (int depth = 1; depth <= 16; depth++) {
      TreeMap<String, Integer> children = new TreeMap<>();
      for (byte[] k : keys) {
        children.putIfAbsent(new String(k, 0, depth, StandardCharsets.ISO_8859_1), 0);
      }
      TreeMap<String, java.util.Set<String>> kids = new TreeMap<>();
      TreeMap<String, java.util.Set<String>> grandKids = new TreeMap<>();
      for (byte[] k : keys) {
        String prefix = new String(k, 0, depth, StandardCharsets.ISO_8859_1);
        String parent = new String(k, 0, depth - 1, StandardCharsets.ISO_8859_1);
        kids.computeIfAbsent(parent, x -> new java.util.TreeSet<>()).add(prefix);
        if (depth < 16) {
          grandKids
              .computeIfAbsent(prefix, x -> new java.util.TreeSet<>())
              .add(new String(k, 0, depth + 1, StandardCharsets.ISO_8859_1));
        }
      }
      for (String prefix : children.keySet()) {
        String parent = prefix.substring(0, depth - 1);
        boolean parentBranches = kids.get(parent).size() > 1;
        int ownChildren = depth == 16 ? 0 : grandKids.get(prefix).size();
        if (parentBranches || ownChildren != 1) nodes++;
      }
    }
    return nodes;
  }
}
