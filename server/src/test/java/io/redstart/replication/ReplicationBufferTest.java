package io.redstart.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The replication buffer: offsets, the backlog window, trimming, slices across blocks. */
class ReplicationBufferTest {
  private static String text(ByteBuf b) {
    String s = b.toString(StandardCharsets.ISO_8859_1);
    b.release();
    return s;
  }

  @Test
  void nothingIsRecordedWithoutABacklog() {
    ReplicationBuffer b = new ReplicationBuffer(1 << 20);
    b.append("abc".getBytes(StandardCharsets.US_ASCII));
    assertThat(b.offset()).isZero();
    assertThat(b.active()).isFalse();
    assertThat(b.holds(1)).isFalse();
  }

  @Test
  void offsetsStartAfterTheCurrentOneAndSlicesReturnTheBytes() {
    ReplicationBuffer b = new ReplicationBuffer(1 << 20);
    b.offset(100);
    b.create();
    assertThat(b.backlogOffset()).isEqualTo(101);
    assertThat(b.histlen()).isZero();
    assertThat(b.holds(101)).isTrue(); // a replica that has everything may continue
    assertThat(b.holds(102)).isFalse();
    b.append("hello world".getBytes(StandardCharsets.US_ASCII));
    assertThat(b.offset()).isEqualTo(111);
    assertThat(text(b.slice(101, 111))).isEqualTo("hello world");
    assertThat(text(b.slice(107, 111))).isEqualTo("world");
    assertThat(text(b.slice(112, 111))).isEmpty();
    assertThat(b.holds(100)).isFalse();
    assertThat(b.holds(112)).isTrue();
    assertThatThrownBy(() -> b.slice(100, 105)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void trimsWholeBlocksBeyondTheSizeButKeepsWhatAReplicaNeeds() {
    long size = ReplicationBuffer.MIN_BLOCK * 4L;
    ReplicationBuffer b = new ReplicationBuffer(size);
    b.create();
    byte[] chunk = new byte[1000];
    for (int i = 0; i < 200; i++) b.append(chunk); // 200 000 bytes, about 13 blocks
    b.trim(50); // a replica still needs offset 50
    assertThat(b.backlogOffset()).isEqualTo(1);
    b.trim(Long.MAX_VALUE);
    assertThat(b.histlen()).isGreaterThan(size).isLessThanOrEqualTo(size + ReplicationBuffer.MIN_BLOCK);
    assertThat(b.backlogOffset()).isEqualTo(b.offset() - b.histlen() + 1);
    assertThat(b.memory()).isGreaterThanOrEqualTo(b.histlen());
  }

  @Test
  void slicesMatchTheStreamAtRandomRanges() {
    SplittableRandom r = new SplittableRandom(7);
    ReplicationBuffer b = new ReplicationBuffer(ReplicationBuffer.MIN_BLOCK * 16L);
    b.create();
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      int n = r.nextInt(1, 3000);
      byte[] piece = new byte[n];
      for (int j = 0; j < n; j++) piece[j] = (byte) ('a' + r.nextInt(26));
      b.append(piece);
      all.append(new String(piece, StandardCharsets.ISO_8859_1));
    }
    for (int i = 0; i < 200; i++) {
      long from = r.nextLong(b.backlogOffset(), b.offset() + 1);
      long to = r.nextLong(from - 1, b.offset() + 1);
      String expected = all.substring((int) from - 1, (int) to);
      assertThat(text(b.slice(from, to))).isEqualTo(expected);
    }
  }

  @Test
  void freeForgetsTheStreamButNotTheOffset() {
    ReplicationBuffer b = new ReplicationBuffer(1 << 20);
    b.create();
    b.append(new byte[10]);
    b.free();
    assertThat(b.offset()).isEqualTo(10);
    assertThat(b.memory()).isZero();
    b.create();
    assertThat(b.backlogOffset()).isEqualTo(11);
    b.rebase(1000);
    assertThat(b.offset()).isEqualTo(1010);
  }
}
