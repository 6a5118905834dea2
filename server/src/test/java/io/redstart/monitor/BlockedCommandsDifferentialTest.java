package io.redstart.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import io.redstart.testing.ServerPair;
import io.redstart.testing.ServerPairExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Blocked commands seen by MONITOR and by client-side caching, compared with the reference: a
 * blocked command is shown once, when it blocks (not again when it is served), and a client
 * served after blocking gets its reply before the invalidation its command caused.
 */
@ExtendWith(ServerPairExtension.class)
class BlockedCommandsDifferentialTest {
  /** Waits until CLIENT LIST (never shown by MONITOR) reports a blocked client. */
  private static void awaitBlocked(RawClient control) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!Bytes.latin1(control.call("CLIENT", "LIST")).matches("(?s).* flags=[a-zA-Z]*b.*")) {
      if (System.nanoTime() > deadline) throw new AssertionError("nobody blocked in 10 s");
      Thread.sleep(5);
    }
  }

  /** The monitor lines and the blocked client's stream for one server. */
  private static List<String> run(int port) throws Exception {
    List<String> out = new ArrayList<>();
    try (RawClient mon = RawClient.connect(port);
        RawClient blocked = RawClient.connect(port);
        RawClient pusher = RawClient.connect(port);
        RawClient control = RawClient.connect(port)) {
      control.call("FLUSHALL");
      blocked.hello3();
      blocked.call("CLIENT", "TRACKING", "on");
      blocked.call("RPUSH", "dst", "x");
      blocked.call("LRANGE", "dst", "0", "-1");
      mon.call("MONITOR");
      blocked.send("BLMOVE", "src", "dst", "LEFT", "LEFT", "0");
      awaitBlocked(control);
      pusher.call("RPUSH", "src", "v");
      out.add("blocked> " + Bytes.printable(blocked.read()));
      out.add("blocked> " + Bytes.printable(blocked.read()));
      pusher.call("PING");
      for (int i = 0; i < 3; i++) {
        out.add("monitor> " + Bytes.latin1(mon.read()).replaceAll("^\\+\\d+\\.\\d+ \\[0 [^]]+\\]", ""));
      }
    }
    return out;
  }

  @Test
  void blockedCommandIsShownOnceAndItsInvalidationFollowsItsReply(ServerPair pair)
      throws Exception {
    assertThat(pair.flushAll()).isEmpty();
    List<String> expected = run(pair.reference().port());
    assertThat(expected)
        .containsExactly(
            "blocked> \"$1\\r\\nv\\r\\n\"",
            "blocked> \">2\\r\\n$10\\r\\ninvalidate\\r\\n*1\\r\\n$3\\r\\ndst\\r\\n\"",
            "monitor>  \"BLMOVE\" \"src\" \"dst\" \"LEFT\" \"LEFT\" \"0\"\r\n",
            "monitor>  \"RPUSH\" \"src\" \"v\"\r\n",
            "monitor>  \"PING\"\r\n");
    assertThat(run(pair.candidatePort())).isEqualTo(expected);
  }
}
