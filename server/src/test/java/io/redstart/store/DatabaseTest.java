package io.redstart.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.types.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatabaseTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void behavesLikeAMapUnderRandomOperations() {
    Database db = new Database(0);
    Map<String, String> model = new HashMap<>();
    Random r = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      String key = "k" + r.nextInt(5000);
      switch (r.nextInt(4)) {
        case 0, 1 -> {
          String v = "v".repeat(r.nextInt(100));
          db.setString(b(key), b(v), Entries.ENC_EMBSTR, Database.NO_EXPIRE, 0);
          model.put(key, v);
        }
        case 2 -> {
          Object removed = db.remove(b(key));
          assertThat(removed != null).isEqualTo(model.remove(key) != null);
        }
        default -> {
          Object e = db.find(b(key));
          String expected = model.get(key);
          if (expected == null) {
            assertThat(e).isNull();
          } else {
            assertThat(s(Entries.stringValue(e))).isEqualTo(expected);
            assertThat(s(Entries.key(e))).isEqualTo(key);
          }
        }
      }
    }
    assertThat(db.size()).isEqualTo(model.size());
  }

  @Test
  void expiryIsKeptAcrossValueChangesAndCounted() {
    Database db = new Database(0);
    db.setString(b("a"), b("1"), Entries.ENC_INT, 1000, 0);
    db.setString(b("b"), b("2"), Entries.ENC_INT, Database.NO_EXPIRE, 0);
    assertThat(db.volatileCount()).isEqualTo(1);
    db.setString(b("a"), b("x".repeat(200)), Entries.ENC_RAW, Database.KEEP_TTL, 0);
    assertThat(Entries.expireAt(db.find(b("a")))).isEqualTo(1000);
    assertThat(db.setExpire(b("b"), 5000)).isTrue();
    assertThat(db.volatileCount()).isEqualTo(2);
    assertThat(db.setExpire(b("a"), Database.NO_EXPIRE)).isTrue();
    assertThat(Entries.hasExpire(db.find(b("a")))).isFalse();
    assertThat(db.volatileCount()).isEqualTo(1);
    db.remove(b("b"));
    assertThat(db.volatileCount()).isZero();
    assertThat(db.setExpire(b("missing"), 1)).isFalse();
  }

  @Test
  void anArrayReusedForAnotherKeyFindsThatKey() {
    // The slot/hash memo of the last key must match by content, not by array identity.
    Database db = new Database(0);
    byte[] key = b("key:1");
    db.setString(key, b("one"), Entries.ENC_EMBSTR, Database.NO_EXPIRE, 0);
    key[4] = '2';
    assertThat(db.find(key)).isNull();
    db.setString(key, b("two"), Entries.ENC_EMBSTR, Database.NO_EXPIRE, 0);
    assertThat(s(Entries.stringValue(db.find(b("key:1"))))).isEqualTo("one");
    assertThat(s(Entries.stringValue(db.find(b("key:2"))))).isEqualTo("two");
    assertThat(db.size()).isEqualTo(2);
  }

  @Test
  void integersOfTheSameLengthAreOverwrittenInPlaceOnlyWithoutASnapshot() {
    Database db = new Database(0);
    db.setString(b("n"), b("41"), Entries.ENC_INT, 9000, 0);
    db.setString(b("s"), b("ab"), Entries.ENC_EMBSTR, Database.NO_EXPIRE, 0);
    long used = db.usedBytes();
    assertThat(db.overwriteInteger(db.findForWrite(b("n")), 42)).isTrue();
    assertThat(s(Entries.stringValue(db.find(b("n"))))).isEqualTo("42");
    assertThat(Entries.expireAt(db.find(b("n")))).isEqualTo(9000);
    assertThat(db.usedBytes()).isEqualTo(used);
    assertThat(db.overwriteInteger(db.findForWrite(b("n")), 100)).isFalse();
    assertThat(db.overwriteInteger(db.findForWrite(b("n")), -1)).isTrue();
    assertThat(db.overwriteInteger(db.findForWrite(b("s")), 12)).isFalse();
    assertThat(s(Entries.stringValue(db.find(b("s"))))).isEqualTo("ab");
    db.barrier(new WriteBarrier() {
      @Override
      public void beforeWrite(Database d, int slot) {}

      @Override
      public void beforeClear(Database d) {}
    });
    assertThat(db.overwriteInteger(db.findForWrite(b("n")), -2)).isFalse();
    assertThat(s(Entries.stringValue(db.find(b("n"))))).isEqualTo("-1");
  }

  @Test
  void longKeysUseMultiByteLengths() {
    Database db = new Database(0);
    byte[] key = b("k".repeat(100_000));
    db.setString(key, b("v"), Entries.ENC_EMBSTR, 123, 0);
    Object e = db.find(key);
    assertThat(Entries.key(e)).isEqualTo(key);
    assertThat(Entries.expireAt(e)).isEqualTo(123);
    assertThat(s(Entries.stringValue(e))).isEqualTo("v");
  }

  @Test
  void scanReturnsEveryKeyPresentThroughoutEvenWhileTheTableResizes() {
    Database db = new Database(0);
    Random r = new Random(1);
    Set<String> stable = new HashSet<>();
    for (int i = 0; i < 3000; i++) {
      String k = "stable:" + i;
      stable.add(k);
      db.setString(b(k), b("v"), Entries.ENC_EMBSTR, Database.NO_EXPIRE, 0);
    }
    Set<String> seen = new HashSet<>();
    long cursor = 0;
    int step = 0;
    do {
      cursor = db.scan(cursor, e -> seen.add(s(Entries.key(e))));
      // Churn: add and remove other keys so tables grow and shrink between steps.
      for (int j = 0; j < 5; j++) {
        String k = "churn:" + r.nextInt(20000);
        if (r.nextBoolean()) {
          db.setString(b(k), b("v"), Entries.ENC_EMBSTR, Database.NO_EXPIRE, 0);
        } else {
          db.remove(b(k));
        }
      }
      step++;
    } while (cursor != 0 && step < 10_000_000);
    assertThat(cursor).isZero();
    assertThat(seen).containsAll(stable);
  }

  @Test
  void swapAndClear() {
    Database a = new Database(0);
    Database c = new Database(1);
    a.setString(b("x"), b("1"), Entries.ENC_INT, Database.NO_EXPIRE, 0);
    a.swapWith(c);
    assertThat(a.size()).isZero();
    assertThat(c.find(b("x"))).isNotNull();
    c.clear();
    assertThat(c.size()).isZero();
    assertThat(c.nextNonEmptySlot(0)).isEqualTo(-1);
  }

  @Test
  void boxedValuesCarryTypeAndMeta() {
    Database db = new Database(0);
    db.setValue(b("s"), ValueType.STRING, Entries.ENC_RAW, new StringValue(b("hello")), 77, 0);
    Object e = db.find(b("s"));
    assertThat(Entries.type(e)).isEqualTo(ValueType.STRING);
    assertThat(Entries.stringLength(e)).isEqualTo(5);
    assertThat(Entries.expireAt(e)).isEqualTo(77);
    StringValue sv = db.unshareString(b("s"));
    sv.append(b(" world"));
    assertThat(s(Entries.stringValue(db.find(b("s"))))).isEqualTo("hello world");
  }

  @Test
  void hashSlotsMatchRedisCluster() {
    assertThat(HashSlots.slot(b("123456789"))).isEqualTo(0x31C3 & 16383);
    assertThat(HashSlots.slot(b("foo"))).isEqualTo(12182);
    assertThat(HashSlots.slot(b("{user1000}.following")))
        .isEqualTo(HashSlots.slot(b("{user1000}.followers")));
    assertThat(HashSlots.slot(b("foo{}{bar}"))).isEqualTo(HashSlots.slot(b("foo{}{bar}")));
    assertThat(HashSlots.slot(b("{}x"))).isEqualTo(HashSlots.slot(b("{}x")));
  }
}
