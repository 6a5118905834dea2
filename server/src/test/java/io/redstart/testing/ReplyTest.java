package io.redstart.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "+OK\r\n",
        "-ERR syntax error\r\n",
        ":-9223372036854775808\r\n",
        "$0\r\n\r\n",
        "$-1\r\n",
        "*-1\r\n",
        "*0\r\n",
        "$4\r\na\r\nb\r\n",
        "*3\r\n$1\r\na\r\n*1\r\n:1\r\n$-1\r\n",
        "%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n~1\r\n#t\r\n",
        "=15\r\ntxt:Some string\r\n",
        ",3.141\r\n",
        ",inf\r\n",
        "(1234567999999999999999999999999999999\r\n",
        "_\r\n",
        ">2\r\n$7\r\nmessage\r\n$1\r\nx\r\n",
        "|1\r\n$3\r\nkey\r\n:1\r\n$5\r\nreply\r\n",
      })
  void encodesBackTheBytesItParsed(String frame) {
    byte[] bytes = Bytes.latin1(frame);
    assertThat(Reply.encodeAll(Reply.parseAll(bytes))).isEqualTo(bytes);
  }

  @Test
  void anAttributeIsANodeBeforeTheReplyItAnnotates() {
    List<Reply> all = Reply.parseAll(Bytes.latin1("|1\r\n$3\r\nkey\r\n:1\r\n$5\r\nreply\r\n"));
    assertThat(all).hasSize(2);
    assertThat(all.get(0).type()).isEqualTo('|');
    assertThat(Reply.parse(Bytes.latin1("|1\r\n$3\r\nkey\r\n:1\r\n$5\r\nreply\r\n")).text())
        .isEqualTo("reply");
  }

  @Test
  void lengthsFollowEditedPayloads() {
    Reply r = Reply.parse(Bytes.latin1("*1\r\n$3\r\nabc\r\n"));
    r.children().get(0).payload = Bytes.latin1("abcdef");
    assertThat(Bytes.latin1(r.encode())).isEqualTo("*1\r\n$6\r\nabcdef\r\n");
  }

  @Test
  void printableEscapesControlAndHighBytes() {
    assertThat(Bytes.printable(new byte[] {'a', '\r', '\n', 0, (byte) 0xff, '"'}))
        .isEqualTo("\"a\\r\\n\\x00\\xff\\\"\"");
  }
}
