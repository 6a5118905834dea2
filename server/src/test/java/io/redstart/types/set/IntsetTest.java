package io.redstart.types.set;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IntsetTest {
  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void blobIsRedisIntsetLayoutAndWidensAsRedis() {
    Intset s = new Intset();
    assertThat(hex(s.toBlob())).isEqualTo("0200000000000000");
    s.add(2);
    s.add(1);
    assertThat(hex(s.toBlob())).isEqualTo("02000000" + "02000000" + "0100" + "0200");
    s.add(65536);
    assertThat(s.width()).isEqualTo(4);
    assertThat(hex(s.toBlob()))
        .isEqualTo("04000000" + "03000000" + "01000000" + "02000000" + "00000100");
    s.add(-(1L << 40));
    assertThat(s.width()).isEqualTo(8);
    assertThat(hex(s.toBlob()))
        .isEqualTo(
            "08000000" + "04000000" + "0000000000ffffff" + "0100000000000000" + "0200000000000000"
                + "0000010000000000");
    // Removing never narrows.
    s.remove(-(1L << 40));
    s.remove(65536);
    assertThat(s.width()).isEqualTo(8);
    assertThat(s.size()).isEqualTo(2);
    assertThat(s.contains(1L << 40)).isFalse();
    assertThat(s.remove(1L << 40)).isFalse();
  }

  @Test
  void blobsRoundTripAndCorruptOnesAreRefused() {
    Intset s = new Intset();
    for (long v : new long[] {5, -70000, 1L << 40, 3}) s.add(v);
    byte[] blob = s.toBlob();
    Intset back = Intset.fromBlob(blob);
    assertThat(back).isNotNull();
    assertThat(hex(back.toBlob())).isEqualTo(hex(blob));
    assertThat(Intset.fromBlob(new byte[] {2, 0, 0, 0, 0, 0, 0, 0}).size()).isZero();
    byte[] badWidth = blob.clone();
    badWidth[0] = 3;
    assertThat(Intset.fromBlob(badWidth)).isNull();
    byte[] badLength = blob.clone();
    badLength[4] = 9;
    assertThat(Intset.fromBlob(badLength)).isNull();
    // 2 then 1: not ascending
    assertThat(Intset.fromBlob(HexFormat.of().parseHex("02000000020000000200" + "0100"))).isNull();
    assertThat(Intset.fromBlob(new byte[3])).isNull();
    SetValue v = SetValue.fromIntsetBlob(blob, 3);
    assertThat(v.encodingName()).isEqualTo("hashtable");
    assertThat(v.containsInteger(1L << 40)).isTrue();
    assertThat(SetValue.fromIntsetBlob(blob, 512).encodingName()).isEqualTo("intset");
  }

  @Test
  void widthBoundaries() {
    assertThat(Intset.widthFor(Short.MAX_VALUE)).isEqualTo(2);
    assertThat(Intset.widthFor(Short.MIN_VALUE)).isEqualTo(2);
    assertThat(Intset.widthFor(Short.MAX_VALUE + 1)).isEqualTo(4);
    assertThat(Intset.widthFor(Short.MIN_VALUE - 1)).isEqualTo(4);
    assertThat(Intset.widthFor(Integer.MAX_VALUE)).isEqualTo(4);
    assertThat(Intset.widthFor(Integer.MIN_VALUE - 1L)).isEqualTo(8);
    assertThat(Intset.widthFor(Long.MIN_VALUE)).isEqualTo(8);
  }

  @Test
  void staysSortedAndDistinctUnderRandomOperations() {
    SplittableRandom r = new SplittableRandom(11);
    Intset s = new Intset();
    TreeSet<Long> model = new TreeSet<>();
    for (int step = 0; step < 50_000; step++) {
      long v =
          switch (r.nextInt(4)) {
            case 0 -> r.nextInt(-100, 100);
            case 1 -> r.nextInt(-40_000, 40_000);
            case 2 -> r.nextLong(-5_000_000_000L, 5_000_000_000L);
            default -> r.nextLong();
          };
      if (r.nextInt(3) == 0) {
        assertThat(s.remove(v)).isEqualTo(model.remove(v));
      } else {
        assertThat(s.add(v)).isEqualTo(model.add(v));
      }
      if (step % 5000 == 0) {
        List<Long> got = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) got.add(s.get(i));
        assertThat(got).containsExactlyElementsOf(model);
      }
    }
    for (long v : model) assertThat(s.contains(v)).isTrue();
    assertThat(s.search(Long.MAX_VALUE) >= 0).isEqualTo(model.contains(Long.MAX_VALUE));
    Intset c = s.copy();
    c.add(12345678901L);
    assertThat(s.size()).isEqualTo(model.size());
  }
}
