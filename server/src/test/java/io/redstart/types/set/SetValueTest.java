package io.redstart.types.set;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SetValueTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Set<String> members(SetValue v) {
    Set<String> out = new HashSet<>();
    v.forEach((a, off, len) -> out.add(new String(a, off, len, StandardCharsets.ISO_8859_1)));
    return out;
  }

  @Test
  void encodingFollowsRedisRules() {
    SetValue v = SetValue.forMember(b("1"));
    assertThat(v.encodingName()).isEqualTo("intset");
    v.add(b("1"), 512);
    v.add(b("-9223372036854775808"), 512);
    assertThat(v.encodingName()).isEqualTo("intset");
    for (String notInt : new String[] {"01", "-0", "+1", " 1", "1 ", "1.0", "9223372036854775808", ""}) {
      SetValue w = SetValue.forMember(b(notInt));
      assertThat(w.encodingName()).as(notInt).isEqualTo("hashtable");
      SetValue x = SetValue.newIntset();
      x.add(b("5"), 512);
      x.add(b(notInt), 512);
      assertThat(x.encodingName()).as(notInt).isEqualTo("hashtable");
      assertThat(members(x)).containsExactlyInAnyOrder("5", notInt);
    }
    SetValue limited = SetValue.newIntset();
    limited.add(b("1"), 2);
    limited.add(b("2"), 2);
    assertThat(limited.encodingName()).isEqualTo("intset");
    limited.add(b("3"), 2);
    assertThat(limited.encodingName()).isEqualTo("hashtable");
    assertThat(limited.containsInteger(3)).isTrue();
    assertThat(limited.contains(b("3"))).isTrue();
    assertThat(limited.contains(b("03"))).isFalse();
  }

  @Test
  void keepRandomRebuildsTheRemainder() {
    SplittableRandom r = new SplittableRandom(2);
    SetValue v = SetValue.newHashtable(0);
    for (int i = 0; i < 100; i++) v.add(b(Integer.toString(i)), 512);
    Set<String> before = members(v);
    SetValue popped = v.keepRandom(r, 10, 512);
    assertThat(v.size()).isEqualTo(10);
    assertThat(v.encodingName()).isEqualTo("intset");
    assertThat(popped.size()).isEqualTo(90);
    Set<String> union = new HashSet<>(members(v));
    union.addAll(members(popped));
    assertThat(union).isEqualTo(before);
  }

  @Test
  void duplicatesAreDeepAndKeepTheEncoding() {
    SetValue i = SetValue.newIntset();
    i.add(b("7"), 512);
    SetValue copy = (SetValue) i.duplicate();
    copy.add(b("8"), 512);
    assertThat(members(i)).containsExactly("7");
    assertThat(copy.encodingName()).isEqualTo("intset");
    SetValue h = SetValue.forMember(b("x"));
    h.add(b("x"), 512);
    h.add(b("1"), 512);
    SetValue hc = (SetValue) h.duplicate();
    assertThat(hc.encodingName()).isEqualTo("hashtable");
    assertThat(members(hc)).isEqualTo(members(h));
    assertThat(i.intsetBlob()).isNotNull();
    assertThat(h.intsetBlob()).isNull();
  }

  @Test
  void digestIsOrderIndependent() {
    SetValue a = SetValue.newIntset();
    SetValue c = SetValue.newHashtable(0);
    for (String m : new String[] {"3", "1", "2"}) {
      a.add(b(m), 512);
    }
    for (String m : new String[] {"2", "3", "1"}) {
      c.add(b(m), 512);
    }
    byte[] da = new byte[20];
    byte[] dc = new byte[20];
    a.digestInto(da);
    c.digestInto(dc);
    assertThat(da).isEqualTo(dc).isNotEqualTo(new byte[20]);
  }
}
