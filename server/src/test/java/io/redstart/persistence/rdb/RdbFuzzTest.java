package io.redstart.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Damaged input never crashes the reader: random byte flips, cuts and splices of valid files and
 * payloads end in a value or an {@link RdbException}, never another exception, a hang or an
 * allocation beyond the input's size. The checksum is not verified here, so the damage reaches
 * the value parsers.
 */
class RdbFuzzTest {
  /** A file with every structure the reader decodes: strings, listpacks, intsets, ziplists ... */
  private static byte[] sample() throws IOException {
    RdbOutput out = RdbOutput.inMemory(true);
    out.write("REDIS0011".getBytes(StandardCharsets.US_ASCII));
    out.aux("redis-ver", "7.2.4");
    out.type(RdbConstants.OPCODE_SELECTDB);
    out.len(0);
    out.type(RdbConstants.OPCODE_RESIZEDB);
    out.len(9);
    out.len(1);
    out.type(RdbConstants.OPCODE_EXPIRETIME_MS);
    out.millis(4_000_000_000_000L);
    out.type(RdbConstants.TYPE_STRING);
    out.string(b("s"));
    out.string(b("x".repeat(200)));
    out.type(RdbConstants.TYPE_HASH_LISTPACK);
    out.string(b("h"));
    out.string(new Listpack.Builder().append(b("f")).append(b("1")).append(b("g")).append(b("two")).build());
    out.type(RdbConstants.TYPE_ZSET_LISTPACK);
    out.string(b("z"));
    out.string(new Listpack.Builder().append(b("a")).append(b("1.5")).append(b("b")).append(b("2")).build());
    out.type(RdbConstants.TYPE_SET_INTSET);
    out.string(b("i"));
    out.string(Intset.encode(new long[] {1, 2, 70000}, 3, 2));
    out.type(RdbConstants.TYPE_LIST_QUICKLIST_2);
    out.string(b("l"));
    out.len(2);
    out.len(RdbConstants.QUICKLIST_NODE_PACKED);
    out.string(new Listpack.Builder().append(b("a")).append(7).build());
    out.len(RdbConstants.QUICKLIST_NODE_PLAIN);
    out.string(b("plain"));
    out.type(RdbConstants.TYPE_LIST_ZIPLIST);
    out.string(b("zl"));
    out.string(RdbFormatTest.ziplist("a", 5L, "bb"));
    out.type(RdbConstants.TYPE_ZSET_2);
    out.string(b("z2"));
    out.len(2);
    out.string(b("m1"));
    out.binaryDouble(1.0);
    out.string(b("m2"));
    out.binaryDouble(-2.5);
    out.type(RdbConstants.TYPE_SET_LISTPACK);
    out.string(b("sl"));
    out.string(new Listpack.Builder().append(b("x")).append(b("y")).build());
    RdbSerializer.writeTrailer(out);
    return out.toBytes();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static int parse(byte[] data) {
    int[] keys = {0};
    try {
      RdbLoader.load(new RdbInput(data), (key, value, expireAt, lruIdle, lfuFreq) -> keys[0]++, false);
    } catch (RdbException | IOException expected) {
      return -1;
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      fail("crash on input " + java.util.HexFormat.of().formatHex(data), e);
    }
    return keys[0];
  }

  @Test
  void theSampleIsValid() throws Exception {
    assertThat(parse(sample())).isEqualTo(8);
  }

  @Test
  void damagedInputEndsInAnErrorOrAValue() throws Exception {
    byte[] good = sample();
    Random r = new Random(1234);
    for (int n = 0; n < 20_000; n++) {
      byte[] bad = good.clone();
      switch (n % 4) {
        case 0 -> bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
        case 1 -> bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
        case 2 -> bad = Arrays.copyOf(bad, r.nextInt(bad.length));
        default -> {
          int at = r.nextInt(bad.length);
          for (int k = 0; k < 4 && at + k < bad.length; k++) bad[at + k] = (byte) 0xff;
        }
      }
      parse(bad);
    }
  }
}
