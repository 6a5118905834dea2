package io.redstart.types.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The chunked pending list against a sorted map, through appends, random inserts and removals. */
class PendingListTest {
  private static PendingEntry entry(StreamId id) {
    return new PendingEntry(id.ms(), id.seq(), 0, 1, null);
  }

  @Test
  void behavesAsASortedMap() {
    SplittableRandom random = new SplittableRandom(42);
    PendingList list = new PendingList();
    TreeMap<StreamId, PendingEntry> model = new TreeMap<>();
    long next = 0;
    for (int step = 0; step < 200_000; step++) {
      int op = random.nextInt(10);
      if (op < 4) {
        // Mostly increasing IDs, as deliveries are, and sometimes anywhere.
        StreamId id =
            random.nextInt(4) == 0
                ? new StreamId(random.nextLong(0, next + 1), random.nextLong(0, 3))
                : new StreamId(next++, 0);
        PendingEntry e = entry(id);
        boolean added = list.insert(e);
        assertThat(added).isEqualTo(!model.containsKey(id));
        if (added) model.put(id, e);
      } else if (op < 8) {
        StreamId id = randomKey(random, model, next);
        PendingEntry removed = list.remove(id.ms(), id.seq());
        assertThat(removed).isSameAs(model.remove(id));
      } else {
        StreamId id = new StreamId(random.nextLong(0, next + 2), random.nextLong(0, 3));
        Map.Entry<StreamId, PendingEntry> ceiling = model.ceilingEntry(id);
        assertThat(list.ceiling(id.ms(), id.seq()))
            .isSameAs(ceiling == null ? null : ceiling.getValue());
        assertThat(list.find(id.ms(), id.seq())).isSameAs(model.get(id));
      }
      assertThat(list.size()).isEqualTo(model.size());
      if (step % 5000 == 0) {
        List<PendingEntry> all = new ArrayList<>();
        list.forEach(all::add);
        assertThat(all).containsExactlyElementsOf(model.values());
        assertThat(list.first()).isSameAs(model.isEmpty() ? null : model.firstEntry().getValue());
        assertThat(list.last()).isSameAs(model.isEmpty() ? null : model.lastEntry().getValue());
      }
    }
  }

  private static StreamId randomKey(
      SplittableRandom random, TreeMap<StreamId, PendingEntry> model, long next) {
    if (model.isEmpty() || random.nextInt(5) == 0) {
      return new StreamId(random.nextLong(0, next + 1), 0);
    }
    // Acknowledgements mostly take the oldest messages.
    StreamId id = new StreamId(random.nextLong(0, next + 1), 0);
    Map.Entry<StreamId, PendingEntry> e =
        random.nextBoolean() ? model.firstEntry() : model.ceilingEntry(id);
    return e == null ? model.firstKey() : e.getKey();
  }

  @Test
  void emptiedChunksGoAway() {
    PendingList list = new PendingList();
    for (int i = 0; i < 10_000; i++) list.insert(entry(new StreamId(i, 0)));
    long full = list.arrayBytes();
    for (int i = 0; i < 10_000; i++) {
      if (i % 100 != 0) list.remove(i, 0);
    }
    assertThat(list.size()).isEqualTo(100);
    assertThat(list.arrayBytes()).isLessThan(full / 10);
    for (int i = 0; i < 10_000; i += 100) assertThat(list.find(i, 0)).isNotNull();
  }
}
