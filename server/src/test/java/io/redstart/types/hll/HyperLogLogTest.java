package io.redstart.types.hll;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.store.StringValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The HyperLogLog representation against golden values written by redis-server 7.0.15 (values
 * byte for byte, estimates), and its behaviour on corrupt input: reports, never exceptions.
 */
class HyperLogLogTest {
  private static final long SPARSE_MAX = 3000;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static StringValue hllOf(int n) {
    StringValue v = new StringValue(HyperLogLog.create());
    for (int i = 0; i < n; i++) HyperLogLog.add(v, bytes("e" + i), SPARSE_MAX);
    return v;
  }

  /** PFCOUNT's effect on one key: the estimate, cached in the header. */
  private static long countAndCache(StringValue v) {
    byte[] a = v.mutableArray();
    long card = HyperLogLog.count(a, 0, v.length());
    HyperLogLog.setCachedCardinality(a, 0, card);
    return card;
  }

  private static String sha256(StringValue v) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(v.mutableArray(), 0, v.length());
    return HexFormat.of().formatHex(md.digest());
  }

  private static String hex(StringValue v) {
    return HexFormat.of().formatHex(v.toBytes());
  }

  @Test
  void newValueIsOneXzeroWithAValidZeroCache() {
    assertThat(HexFormat.of().formatHex(HyperLogLog.create()))
        .isEqualTo("48594c4c" + "01" + "000000" + "0000000000000000" + "7fff");
    byte[] a = HyperLogLog.create();
    assertThat(HyperLogLog.isValid(a, 0, a.length)).isTrue();
    assertThat(HyperLogLog.isCacheValid(a, 0)).isTrue();
    assertThat(HyperLogLog.count(a, 0, a.length)).isZero();
  }

  @Test
  void sparseValuesAreTheReferencesByteForByte() {
    StringValue v = new StringValue(HyperLogLog.create());
    for (String e : new String[] {"a", "b", "c"}) {
      assertThat(HyperLogLog.add(v, bytes(e), SPARSE_MAX)).isEqualTo(1);
    }
    HyperLogLog.invalidateCache(v.mutableArray(), 0);
    assertThat(hex(v)).isEqualTo("48594c4c01000000000000000000008060f38050b1844bfb80425a");
    assertThat(HyperLogLog.add(v, bytes("a"), SPARSE_MAX)).isZero();

    StringValue w = new StringValue(HyperLogLog.create());
    for (String e : new String[] {"hello", "world", ""}) HyperLogLog.add(w, bytes(e), SPARSE_MAX);
    HyperLogLog.invalidateCache(w.mutableArray(), 0);
    assertThat(hex(w)).isEqualTo("48594c4c0100000000000000000000804ab5884c7a844ccc805bfe");
  }

  @Test
  void estimatesAndValuesMatchTheReference() throws Exception {
    long[][] golden = {{1, 1}, {10, 10}, {100, 100}, {1000, 1008}, {10_000, 9973}};
    for (long[] g : golden) {
      StringValue v = hllOf((int) g[0]);
      assertThat(countAndCache(v)).as("estimate of %d elements", g[0]).isEqualTo(g[1]);
    }
    StringValue v100 = hllOf(100);
    countAndCache(v100);
    assertThat(v100.length()).isEqualTo(285);
    assertThat(sha256(v100))
        .isEqualTo("aebee27e50c672722325ed27d2acb1011cc7138f9a0f43d52abc23308a822a44");
    StringValue v1000 = hllOf(1000);
    countAndCache(v1000);
    assertThat(v1000.length()).isEqualTo(1906);
    assertThat(sha256(v1000))
        .isEqualTo("ab6313e24c05ff993730105e09ef76d5c0c4fcde58406d6a29d1889220a056e4");
    StringValue v10000 = hllOf(10_000);
    countAndCache(v10000);
    assertThat(HyperLogLog.encoding(v10000.mutableArray(), 0)).isEqualTo(HyperLogLog.DENSE);
    assertThat(sha256(v10000))
        .isEqualTo("c44e2d26f9f332c8f4369b82fc1a4a99449b59ddf9337f9680ccdd66872ca7b5");
  }

  @Test
  void aMillionElementsDenseAndTheirUnionEstimate() throws Exception {
    StringValue big = hllOf(1_000_000);
    assertThat(countAndCache(big)).isEqualTo(991_657);
    assertThat(sha256(big))
        .isEqualTo("9a4c3b1fc4651eeeaa0333e9a4b1c5bdec1f002a185b11590d97d312ad7c535b");

    byte[] max = new byte[HyperLogLog.REGISTERS];
    for (StringValue v : new StringValue[] {hllOf(1000), hllOf(10_000)}) {
      assertThat(HyperLogLog.merge(max, v.mutableArray(), 0, v.length())).isTrue();
    }
    StringValue abc = new StringValue(HyperLogLog.create());
    for (String e : new String[] {"a", "b", "c"}) HyperLogLog.add(abc, bytes(e), SPARSE_MAX);
    assertThat(HyperLogLog.merge(max, abc.mutableArray(), 0, abc.length())).isTrue();
    assertThat(HyperLogLog.countRegisters(max)).isEqualTo(9977);
  }

  @Test
  void sparseAndDenseAgreeAndConversionKeepsTheRegisters() {
    SplittableRandom random = new SplittableRandom(42);
    for (int round = 0; round < 50; round++) {
      StringValue sparse = new StringValue(HyperLogLog.create());
      StringValue dense = new StringValue(HyperLogLog.create());
      assertThat(HyperLogLog.sparseToDense(dense)).isTrue();
      int n = random.nextInt(0, 400);
      for (int i = 0; i < n; i++) {
        byte[] e = bytes(Long.toString(random.nextLong()));
        assertThat(HyperLogLog.add(sparse, e, 1 << 20)).isEqualTo(HyperLogLog.add(dense, e, 0));
      }
      assertThat(HyperLogLog.encoding(sparse.mutableArray(), 0)).isEqualTo(HyperLogLog.SPARSE);
      long sparseCount = HyperLogLog.count(sparse.mutableArray(), 0, sparse.length());
      assertThat(sparseCount).isEqualTo(HyperLogLog.count(dense.mutableArray(), 0, dense.length()));
      assertThat(HyperLogLog.sparseToDense(sparse)).isTrue();
      assertThat(HyperLogLog.registers(sparse.mutableArray(), 0, sparse.length()))
          .isEqualTo(HyperLogLog.registers(dense.mutableArray(), 0, dense.length()));
    }
  }

  @Test
  void sparseMaxBytesPromotesToDense() {
    StringValue v = new StringValue(HyperLogLog.create());
    HyperLogLog.add(v, bytes("a"), 0);
    assertThat(HyperLogLog.encoding(v.mutableArray(), 0)).isEqualTo(HyperLogLog.DENSE);
    assertThat(v.length()).isEqualTo(HyperLogLog.DENSE_SIZE);
    StringValue w = new StringValue(HyperLogLog.create());
    for (int i = 0; i < 30; i++) HyperLogLog.add(w, bytes("e" + i), 100);
    assertThat(HyperLogLog.encoding(w.mutableArray(), 0)).isEqualTo(HyperLogLog.DENSE);
  }

  @Test
  void foreignStringsAreNotHyperLogLogs() {
    byte[] good = HyperLogLog.create();
    assertThat(HyperLogLog.isValid(good, 0, 15)).isFalse();
    byte[] magic = good.clone();
    magic[3] = 'X';
    assertThat(HyperLogLog.isValid(magic, 0, magic.length)).isFalse();
    byte[] encoding = good.clone();
    encoding[4] = 2;
    assertThat(HyperLogLog.isValid(encoding, 0, encoding.length)).isFalse();
    byte[] denseTooShort = good.clone();
    denseTooShort[4] = HyperLogLog.DENSE;
    assertThat(HyperLogLog.isValid(denseTooShort, 0, denseTooShort.length)).isFalse();
  }

  @Test
  void corruptSparseValuesAreReportedNeverThrown() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 20_000; round++) {
      StringValue base = hllOf(random.nextInt(0, 300));
      byte[] a = base.toBytes();
      int flips = random.nextInt(1, 6);
      for (int i = 0; i < flips && a.length > 16; i++) {
        a[random.nextInt(16, a.length)] = (byte) random.nextInt(256);
      }
      if (random.nextInt(4) == 0) a = java.util.Arrays.copyOf(a, random.nextInt(16, a.length + 4));
      if (!HyperLogLog.isValid(a, 0, a.length)) continue;
      long count = HyperLogLog.count(a, 0, a.length);
      assertThat(count).isGreaterThanOrEqualTo(-1);
      byte[] max = new byte[HyperLogLog.REGISTERS];
      HyperLogLog.merge(max, a, 0, a.length);
      HyperLogLog.decode(a, 0, a.length);
      StringValue v = new StringValue(a.clone());
      int result = HyperLogLog.add(v, bytes("x" + round), random.nextInt(0, 4000));
      assertThat(result).isBetween(-1, 1);
      StringValue d = new StringValue(a.clone());
      boolean converted = HyperLogLog.sparseToDense(d);
      if (converted) assertThat(d.length()).isEqualTo(HyperLogLog.DENSE_SIZE);
      HyperLogLog.set(d, random.nextInt(HyperLogLog.REGISTERS), random.nextInt(1, 64), 3000);
    }
  }

  @Test
  void decodeListsTheOpcodes() {
    byte[] a = HyperLogLog.create();
    assertThat(HyperLogLog.decode(a, 0, a.length)).isEqualTo("Z:16384");
    StringValue v = new StringValue(a);
    HyperLogLog.set(v, 100, 3, SPARSE_MAX);
    HyperLogLog.set(v, 101, 3, SPARSE_MAX);
    HyperLogLog.set(v, 16383, 32, SPARSE_MAX);
    assertThat(HyperLogLog.decode(v.mutableArray(), 0, v.length()))
        .isEqualTo("Z:100 v:3,2 Z:16281 v:32,1");
    HyperLogLog.set(v, 16383, 33, SPARSE_MAX);
    assertThat(HyperLogLog.encoding(v.mutableArray(), 0)).isEqualTo(HyperLogLog.DENSE);
    assertThat(HyperLogLog.registers(v.mutableArray(), 0, v.length())[16383]).isEqualTo(33);
  }

  @Test
  void selfTestPasses() {
    assertThat(HyperLogLog.selfTest(new SplittableRandom(1), SPARSE_MAX)).isNull();
  }
}
