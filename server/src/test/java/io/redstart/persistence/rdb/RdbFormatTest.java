package io.redstart.persistence.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte-level pieces of the RDB format, against golden bytes taken from redis-server 7.0.15
 * (DUMP payloads and SAVE output) and against the format's edge cases.
 */
class RdbFormatTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Test
  void crc64IsJonesReflected() {
    assertThat(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(0xe9c6d914c4b8d9caL);
    assertThat(Crc64.of(new byte[0])).isZero();
    // Slicing by 8 agrees with the byte-at-a-time definition at every length and offset.
    Random r = new Random(7);
    byte[] data = new byte[300];
    r.nextBytes(data);
    for (int off = 0; off < 9; off++) {
      for (int len = 0; len < 100; len++) {
        long slow = 0;
        for (int i = off; i < off + len; i++) {
          slow ^= data[i] & 0xff;
          for (int k = 0; k < 8; k++) slow = (slow & 1) != 0 ? (slow >>> 1) ^ Crc64.POLY : slow >>> 1;
        }
        assertThat(Crc64.update(0, data, off, len)).isEqualTo(slow);
      }
    }
  }

  @Test
  void constantsAreFrozen() {
    assertThat(RdbConstants.RDB_VERSION).isEqualTo(10);
    int[] types = {
      RdbConstants.TYPE_STRING, RdbConstants.TYPE_LIST, RdbConstants.TYPE_SET, RdbConstants.TYPE_ZSET,
      RdbConstants.TYPE_HASH, RdbConstants.TYPE_ZSET_2, RdbConstants.TYPE_MODULE,
      RdbConstants.TYPE_MODULE_2, RdbConstants.TYPE_HASH_ZIPMAP, RdbConstants.TYPE_LIST_ZIPLIST,
      RdbConstants.TYPE_SET_INTSET, RdbConstants.TYPE_ZSET_ZIPLIST, RdbConstants.TYPE_HASH_ZIPLIST,
      RdbConstants.TYPE_LIST_QUICKLIST, RdbConstants.TYPE_STREAM_LISTPACKS,
      RdbConstants.TYPE_HASH_LISTPACK, RdbConstants.TYPE_ZSET_LISTPACK,
      RdbConstants.TYPE_LIST_QUICKLIST_2, RdbConstants.TYPE_STREAM_LISTPACKS_2,
      RdbConstants.TYPE_SET_LISTPACK, RdbConstants.TYPE_STREAM_LISTPACKS_3
    };
    assertThat(types).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21);
    int[] opcodes = {
      RdbConstants.OPCODE_FUNCTION2, RdbConstants.OPCODE_FUNCTION_PRE_GA, RdbConstants.OPCODE_MODULE_AUX,
      RdbConstants.OPCODE_IDLE, RdbConstants.OPCODE_FREQ, RdbConstants.OPCODE_AUX,
      RdbConstants.OPCODE_RESIZEDB, RdbConstants.OPCODE_EXPIRETIME_MS, RdbConstants.OPCODE_EXPIRETIME,
      RdbConstants.OPCODE_SELECTDB, RdbConstants.OPCODE_EOF
    };
    assertThat(opcodes).containsExactly(245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255);
    assertThat(new int[] {RdbConstants.ENC_INT8, RdbConstants.ENC_INT16, RdbConstants.ENC_INT32,
        RdbConstants.ENC_LZF}).containsExactly(0, 1, 2, 3);
    assertThat(new int[] {RdbConstants.QUICKLIST_NODE_PLAIN, RdbConstants.QUICKLIST_NODE_PACKED})
        .containsExactly(1, 2);
    assertThat(Crc64.POLY).isEqualTo(0x95AC9329AC4BC9B5L);
  }

  private static byte[] written(IoConsumer w) throws IOException {
    RdbOutput out = RdbOutput.inMemory(true);
    w.accept(out);
    return out.toBytes();
  }

  @FunctionalInterface
  interface IoConsumer {
    void accept(RdbOutput out) throws IOException;
  }

  @Test
  void lengthsTakeOneTwoFiveOrNineBytes() throws Exception {
    assertThat(hex(written(o -> o.len(0)))).isEqualTo("00");
    assertThat(hex(written(o -> o.len(63)))).isEqualTo("3f");
    assertThat(hex(written(o -> o.len(64)))).isEqualTo("4040");
    assertThat(hex(written(o -> o.len(16383)))).isEqualTo("7fff");
    assertThat(hex(written(o -> o.len(16384)))).isEqualTo("8000004000");
    assertThat(hex(written(o -> o.len(0xffffffffL)))).isEqualTo("80ffffffff");
    assertThat(hex(written(o -> o.len(0x100000000L)))).isEqualTo("810000000100000000");
    for (long v : new long[] {0, 1, 63, 64, 16383, 16384, 0xffffffffL, 0x100000000L, 1L << 61}) {
      RdbInput in = new RdbInput(written(o -> o.len(v)));
      assertThat(in.len()).isEqualTo(v);
      assertThat(in.atEnd()).isTrue();
    }
  }

  @Test
  void stringsUseIntegerEncodingsAsRedisDoes() throws Exception {
    // Canonical integers of up to 11 characters that fit 32 bits.
    assertThat(hex(written(o -> o.string(b("12345"))))).isEqualTo("c1" + "3930");
    assertThat(hex(written(o -> o.string(b("-1"))))).isEqualTo("c0ff");
    assertThat(hex(written(o -> o.string(b("127"))))).isEqualTo("c07f");
    assertThat(hex(written(o -> o.string(b("128"))))).isEqualTo("c18000");
    assertThat(hex(written(o -> o.string(b("2147483647"))))).isEqualTo("c2ffffff7f");
    assertThat(hex(written(o -> o.string(b("-2147483648"))))).isEqualTo("c200000080");
    // Outside 32 bits, or not canonical: plain text.
    assertThat(hex(written(o -> o.string(b("2147483648"))))).isEqualTo("0a" + hex(b("2147483648")));
    assertThat(hex(written(o -> o.string(b("007"))))).isEqualTo("03303037");
    assertThat(hex(written(o -> o.string(b("+7"))))).isEqualTo("022b37");
    assertThat(hex(written(o -> o.string(b(""))))).isEqualTo("00");
    // Read back as text.
    for (String s : new String[] {"12345", "-1", "127", "128", "2147483647", "-2147483648", "007", ""}) {
      assertThat(new String(new RdbInput(written(o -> o.string(b(s)))).string(), StandardCharsets.US_ASCII))
          .isEqualTo(s);
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void lzfMatchesRedisBytes() throws Exception {
    // redis-server 7.0.15: SET big <100 x 'a'>, then its value in dump.rdb.
    byte[] hundredA = "a".repeat(100).getBytes(StandardCharsets.US_ASCII);
    assertThat(hex(written(o -> o.string(hundredA)))).isEqualTo("c3094064016161e05700016161");
    // Exactly 20 bytes are never compressed; 21 are tried.
    assertThat(written(o -> o.string(b("a".repeat(20))))[0]).isEqualTo((byte) 20);
    assertThat(written(o -> o.string(b("a".repeat(21))))[0]).isEqualTo((byte) 0xc3);
    // Incompressible data stays plain.
    byte[] random = new byte[100];
    new Random(1).nextBytes(random);
    assertThat(hex(written(o -> o.string(random))).substring(0, 4)).isEqualTo("4064");
    // Compression off: plain.
    RdbOutput plain = RdbOutput.inMemory(false);
    plain.string(hundredA);
    assertThat(plain.toBytes()[0]).isEqualTo((byte) 0x40);
  }

  @Test
  void lzfRoundTripsAndRefusesMalformedInput() {
    Random r = new Random(3);
    for (int n = 0; n < 2000; n++) {
      int len = 1 + r.nextInt(3000);
      byte[] data = new byte[len];
      int alphabet = 1 + r.nextInt(20);
      for (int i = 0; i < len; i++) data[i] = (byte) ('a' + r.nextInt(alphabet));
      byte[] out = new byte[len + 64];
      int c = Lzf.compress(data, 0, len, out, len + 63);
      if (c == 0) continue;
      byte[] back = new byte[len];
      assertThat(Lzf.decompress(out, 0, c, back, len)).isEqualTo(len);
      assertThat(back).isEqualTo(data);
      // Too small an output buffer is refused, never overrun.
      assertThat(Lzf.decompress(out, 0, c, new byte[len - 1], len - 1)).isEqualTo(-1);
    }
    // A back reference before the start of the output.
    assertThat(Lzf.decompress(hex("20ff"), 0, 2, new byte[100], 100)).isEqualTo(-1);
    // A literal run longer than the input.
    assertThat(Lzf.decompress(hex("05616263"), 0, 4, new byte[100], 100)).isEqualTo(-1);
    // A reference cut before its offset byte.
    assertThat(Lzf.decompress(hex("0061e0"), 0, 3, new byte[100], 100)).isEqualTo(-1);
  }

  @Test
  void listpackMatchesRedisBytes() {
    // redis-server 7.0.15: HSET h a 1 b 2; DUMP h is 10 + this listpack as a string + footer.
    byte[] lp = new Listpack.Builder().append(b("a")).append(b("1")).append(b("b")).append(b("2")).build();
    assertThat(hex(lp)).isEqualTo("11000000040081610201018162020201ff");
    assertThat(Listpack.validate(lp, true)).isEqualTo(4);
  }

  @Test
  void listpackIntegerEncodingsRoundTrip() {
    long[] values = {
      0, 127, 128, -1, -4096, 4095, 4096, -4097, 32767, -32768, 32768, 8388607, -8388608, 8388608,
      Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE + 1L, Long.MAX_VALUE, Long.MIN_VALUE
    };
    int[] sizes = {1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 9, 9, 9};
    for (int i = 0; i < values.length; i++) {
      byte[] lp = new Listpack.Builder().append(values[i]).build();
      assertThat(lp.length).as("size of %d", values[i]).isEqualTo(6 + sizes[i] + 1 + 1);
      Listpack.Cursor c = new Listpack.Cursor(lp);
      assertThat(c.next()).isTrue();
      assertThat(c.isInt()).isTrue();
      assertThat(c.longValue()).isEqualTo(values[i]);
      // The same number given as text is stored as the integer.
      assertThat(new Listpack.Builder().append(b(Long.toString(values[i]))).build()).isEqualTo(lp);
    }
  }

  @Test
  void listpackStringsOfEveryLengthClass() {
    for (int len : new int[] {0, 1, 63, 64, 127, 128, 4095, 4096, 16383, 20000}) {
      byte[] s = b("x".repeat(len));
      byte[] lp = new Listpack.Builder().append(s).append(b("tail")).build();
      assertThat(Listpack.validate(lp, true)).as("length %d", len).isEqualTo(2);
      List<byte[]> items = RdbValueReader.listpackElements(lp);
      assertThat(items.get(0)).isEqualTo(s);
      assertThat(items.get(1)).isEqualTo(b("tail"));
    }
  }

  @Test
  void listpackValidationRefusesDamage() {
    byte[] lp = new Listpack.Builder().append(b("hello")).append(7).append(b("world")).build();
    assertThat(Listpack.validate(lp, true)).isEqualTo(3);
    byte[] wrongTotal = lp.clone();
    wrongTotal[0]++;
    assertThat(Listpack.validate(wrongTotal, true)).isEqualTo(-1);
    byte[] noEnd = lp.clone();
    noEnd[noEnd.length - 1] = 0;
    assertThat(Listpack.validate(noEnd, true)).isEqualTo(-1);
    byte[] wrongCount = lp.clone();
    wrongCount[4] = 9;
    assertThat(Listpack.validate(wrongCount, true)).isEqualTo(-1);
    byte[] badBacklen = lp.clone();
    badBacklen[6 + 6] = 3; // the backlen of "hello" (1 + 5 bytes)
    assertThat(Listpack.validate(badBacklen, true)).isEqualTo(-1);
    byte[] badEncoding = lp.clone();
    badEncoding[6] = (byte) 0xF7;
    assertThat(Listpack.validate(badEncoding, true)).isEqualTo(-1);
    // A string length running past the end.
    byte[] longString = lp.clone();
    longString[6] = (byte) (0x80 | 60);
    assertThat(Listpack.validate(longString, true)).isEqualTo(-1);
    // Every truncation is refused.
    for (int n = 0; n < lp.length; n++) {
      assertThat(Listpack.validate(java.util.Arrays.copyOf(lp, n), true)).isEqualTo(-1);
    }
  }

  @Test
  void intsetEncodesWidestElementAndValidates() {
    byte[] is = Intset.encode(new long[] {1, 2, 3}, 3, 2);
    assertThat(hex(is)).isEqualTo("0200000003000000010002000300");
    assertThat(Intset.decode(is)).containsExactly(1, 2, 3);
    byte[] wide = Intset.encode(new long[] {-5, 70000}, 2, 2);
    assertThat(Intset.width(wide)).isEqualTo(4);
    assertThat(Intset.decode(wide)).containsExactly(-5, 70000);
    assertThat(Intset.decode(Intset.encode(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, 3, 2)))
        .containsExactly(Long.MIN_VALUE, 0, Long.MAX_VALUE);
    // Kept width (Redis never narrows an intset).
    assertThat(Intset.width(Intset.encode(new long[] {1}, 1, 8))).isEqualTo(8);
    // Unsorted, duplicated, empty, bad width, bad size: refused.
    assertThat(Intset.decode(hex("020000000200000002000100"))).isNull();
    assertThat(Intset.decode(hex("020000000200000001000100"))).isNull();
    assertThat(Intset.decode(hex("0200000000000000"))).isNull();
    assertThat(Intset.decode(hex("030000000100000001000000"))).isNull();
    assertThat(Intset.decode(hex("02000000020000000100"))).isNull();
  }

  /** A ziplist built as ziplist.c lays one out, for the reader's tests. */
  static byte[] ziplist(Object... items) {
    ByteArrayOutputStream entries = new ByteArrayOutputStream();
    int prevLen = 0;
    int lastStart = 10;
    for (Object item : items) {
      ByteArrayOutputStream e = new ByteArrayOutputStream();
      if (prevLen < 254) {
        e.write(prevLen);
      } else {
        e.write(0xFE);
        for (int i = 0; i < 4; i++) e.write(prevLen >>> (8 * i));
      }
      if (item instanceof String s) {
        byte[] d = b(s);
        if (d.length <= 63) {
          e.write(d.length);
        } else if (d.length <= 16383) {
          e.write(0x40 | (d.length >>> 8));
          e.write(d.length & 0xff);
        } else {
          e.write(0x80);
          for (int i = 3; i >= 0; i--) e.write(d.length >>> (8 * i));
        }
        e.writeBytes(d);
      } else {
        long v = (Long) item;
        if (v >= 0 && v <= 12) {
          e.write(0xF1 + (int) v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
          e.write(0xFE);
          e.write((int) v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
          e.write(0xC0);
          e.write((int) v);
          e.write((int) (v >>> 8));
        } else if (v >= -(1 << 23) && v < (1 << 23)) {
          e.write(0xF0);
          for (int i = 0; i < 3; i++) e.write((int) (v >>> (8 * i)));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
          e.write(0xD0);
          for (int i = 0; i < 4; i++) e.write((int) (v >>> (8 * i)));
        } else {
          e.write(0xE0);
          for (int i = 0; i < 8; i++) e.write((int) (v >>> (8 * i)));
        }
      }
      lastStart = 10 + entries.size();
      byte[] eb = e.toByteArray();
      prevLen = eb.length;
      entries.writeBytes(eb);
    }
    int total = 10 + entries.size() + 1;
    ByteArrayOutputStream zl = new ByteArrayOutputStream();
    for (int i = 0; i < 4; i++) zl.write(total >>> (8 * i));
    int tail = items.length == 0 ? 10 : lastStart;
    for (int i = 0; i < 4; i++) zl.write(tail >>> (8 * i));
    zl.write(items.length & 0xff);
    zl.write(items.length >>> 8);
    zl.writeBytes(entries.toByteArray());
    zl.write(0xFF);
    return zl.toByteArray();
  }

  @Test
  void ziplistDecodesEveryEncoding() {
    String big = "y".repeat(300);
    byte[] zl = ziplist("a", 0L, 12L, 13L, -1L, 300L, -40000L, 8000000L, 3000000000L, big, "z".repeat(20000));
    List<byte[]> items = Ziplist.decode(zl);
    assertThat(items).isNotNull();
    assertThat(items.stream().map(x -> new String(x, StandardCharsets.ISO_8859_1)).toList())
        .containsExactly("a", "0", "12", "13", "-1", "300", "-40000", "8000000", "3000000000", big,
            "z".repeat(20000));
    byte[] broken = zl.clone();
    broken[4]++; // the tail offset no longer points at the last entry
    assertThat(Ziplist.decode(broken)).isNull();
    for (int n = 0; n < zl.length; n += 7) {
      assertThat(Ziplist.decode(java.util.Arrays.copyOf(zl, n))).isNull();
    }
  }

  @Test
  void lengthsBeyondTheInputAreRefusedBeforeAllocating() {
    // A string claiming 2 GB in a 6-byte payload.
    RdbInput in = new RdbInput(hex("80 7f ff ff ff 00"));
    assertThatThrownBy(in::string).isInstanceOf(RdbException.class);
    // An LZF string claiming to expand far beyond what its bytes can make.
    RdbInput lzf = new RdbInput(hex("c3 01 80 7f ff ff ff 00"));
    assertThatThrownBy(lzf::string).isInstanceOf(RdbException.class);
    // A 64-bit length with the top bits set.
    RdbInput huge = new RdbInput(hex("81 ff ff ff ff ff ff ff ff"));
    assertThatThrownBy(huge::len).isInstanceOf(RdbException.class);
  }

  @Test
  void streamInputReadsAcrossBufferBoundaries() throws Exception {
    RdbOutput out = RdbOutput.inMemory(true);
    Random r = new Random(9);
    byte[][] strings = new byte[500][];
    for (int i = 0; i < strings.length; i++) {
      strings[i] = new byte[r.nextInt(2000)];
      for (int k = 0; k < strings[i].length; k++) strings[i][k] = (byte) ('a' + r.nextInt(3));
      out.string(strings[i]);
    }
    byte[] data = out.toBytes();
    RdbInput in = new RdbInput(new ByteArrayInputStream(data), data.length, 256);
    for (byte[] s : strings) assertThat(in.string()).isEqualTo(s);
    assertThat(in.atEnd()).isTrue();
    assertThat(in.crc()).isEqualTo(Crc64.of(data));
  }

  @Test
  void moduleNamesDecodeFromIds() {
    // "ReJSON-RL" is ReJSON's type name; its id packs the name in 54 bits and the version in 10.
    String cset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    long id = 0;
    for (char ch : "ReJSON-RL".toCharArray()) id = (id << 6) | cset.indexOf(ch);
    id = (id << 10) | 3;
    assertThat(RdbValueReader.moduleName(id)).isEqualTo("ReJSON-RL");
  }
}
