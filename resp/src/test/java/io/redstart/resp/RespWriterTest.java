package io.redstart.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RespWriterTest {
  private static String write(int protocol, Consumer<RespWriter> body) {
    ByteBuf buf = Unpooled.buffer();
    RespWriter w = new RespWriter(buf);
    w.protocol(protocol);
    body.accept(w);
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void resp2FallbacksForResp3Types() {
    assertThat(write(2, w -> w.map(1))).isEqualTo("*2\r\n");
    assertThat(write(3, w -> w.map(1))).isEqualTo("%1\r\n");
    assertThat(write(2, w -> w.set(2))).isEqualTo("*2\r\n");
    assertThat(write(3, w -> w.set(2))).isEqualTo("~2\r\n");
    assertThat(write(2, RespWriter::nullBulk)).isEqualTo("$-1\r\n");
    assertThat(write(2, RespWriter::nullArray)).isEqualTo("*-1\r\n");
    assertThat(write(3, RespWriter::nullBulk)).isEqualTo("_\r\n");
    assertThat(write(2, w -> w.bool(true))).isEqualTo(":1\r\n");
    assertThat(write(3, w -> w.bool(false))).isEqualTo("#f\r\n");
    assertThat(write(2, w -> w.doubleValue(1.5))).isEqualTo("$3\r\n1.5\r\n");
    assertThat(write(3, w -> w.doubleValue(0.1))).isEqualTo(",0.10000000000000001\r\n");
    assertThat(write(3, w -> w.doubleValue(Double.POSITIVE_INFINITY))).isEqualTo(",inf\r\n");
    assertThat(write(2, w -> w.verbatim("hi", "txt"))).isEqualTo("$2\r\nhi\r\n");
    assertThat(write(3, w -> w.verbatim("hi", "txt"))).isEqualTo("=6\r\ntxt:hi\r\n");
    assertThat(write(3, w -> w.push(3))).isEqualTo(">3\r\n");
  }

  @Test
  void bulksOfEveryShortLengthAndBeyondFromAnOffset() {
    byte[] src = new byte[200];
    for (int i = 0; i < src.length; i++) src[i] = (byte) ('a' + i % 26);
    for (int len = 0; len <= 130; len++) {
      int n = len;
      String body = new String(src, 3, n, StandardCharsets.ISO_8859_1);
      assertThat(write(2, w -> w.bulk(src, 3, n))).isEqualTo("$" + n + "\r\n" + body + "\r\n");
    }
    // Several in a row share the scratch framing without mixing.
    assertThat(write(2, w -> {
      w.bulk(src, 0, 2);
      w.bulk(src, 5, 12);
      w.bulk(src, 1, 0);
    })).isEqualTo("$2\r\nab\r\n$12\r\nfghijklmnopq\r\n$0\r\n\r\n");
  }

  @Test
  void integersAndBulks() {
    assertThat(write(2, w -> w.integer(0))).isEqualTo(":0\r\n");
    assertThat(write(2, w -> w.integer(-42))).isEqualTo(":-42\r\n");
    assertThat(write(2, w -> w.integer(Long.MIN_VALUE))).isEqualTo(":-9223372036854775808\r\n");
    assertThat(write(2, w -> w.bulkLong(1234))).isEqualTo("$4\r\n1234\r\n");
    assertThat(write(2, w -> w.bulk(new byte[0]))).isEqualTo("$0\r\n\r\n");
    assertThat(write(2, w -> w.error("ERR a\r\nb"))).isEqualTo("-ERR a  b\r\n");
    assertThat(write(2, w -> w.error("-ERR x"))).isEqualTo("-ERR x\r\n");
  }

  @Test
  void replyParserReadsWhatTheWriterWrites() throws Exception {
    ByteBuf buf = Unpooled.buffer();
    RespWriter w = new RespWriter(buf);
    w.protocol(3);
    w.map(1);
    w.bulk("k");
    w.array(2);
    w.integer(7);
    w.doubleValue(2.5);
    ReplyParser p = new ReplyParser();
    ByteBuf partial = buf.copy(0, buf.readableBytes() - 1);
    assertThat(p.next(partial)).isNull();
    assertThat(partial.readerIndex()).isZero();
    Object v = p.next(buf);
    assertThat(v).isInstanceOf(ReplyParser.RespMap.class);
    var flat = ((ReplyParser.RespMap) v).flat();
    assertThat(new String((byte[]) flat.get(0), StandardCharsets.US_ASCII)).isEqualTo("k");
    assertThat(flat.get(1)).isEqualTo(java.util.List.of(7L, 2.5));
  }
}
