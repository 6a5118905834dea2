package io.redstart.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * INCRBYFLOAT and HINCRBYFLOAT replies of a real redis-server compared with {@link
 * IncrByFloatModel} (LongDouble parse, add, format): hand-picked cases, long chains of small
 * increments, and seeded random pairs. Skipped without redis-server (failed under
 * REDSTART_REQUIRE_ALL=1).
 */
class IncrByFloatReferenceTest {
  private static final long SEED = Long.getLong("redstart.seed", 0x0bad_5eedL);
  private static ReferenceRedis redis;

  @BeforeAll
  static void start() throws Exception {
    redis = ReferenceRedis.start();
  }

  @AfterAll
  static void stop() throws IOException {
    if (redis != null) redis.close();
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static final String[][] EXAMPLES = {
    {"10.5", "0.1"},
    {"1e308", "1e308"},
    {"1e308", "9e308"},
    {"1e4932", "1e4932"},
    {"1.1e4932", "-1e4932"},
    {null, "3.0e3"},
    {"5.0e3", "2.0e2"},
    {null, "0x10"},
    {"0x10", "1"},
    {null, " 1"},
    {null, "1 "},
    {" 1", "1"},
    {"1 ", "1"},
    {null, "inf"},
    {null, "-inf"},
    {"inf", "1"},
    {null, "nan"},
    {null, "1e4933"},
    {null, "1e-4951"},
    {null, "1e-4960"},
    {null, "1e99999999999"},
    {null, "0e99999999999"},
    {"-0", "-0"},
    {"0", "-1e-30"},
    {"abc", "1"},
    {"", "1"},
    {null, ""},
    {"1", "1e-17"},
    {"1", "5e-18"},
    {"3", "1e-20"},
    {"9223372036854775807", "1"},
    {"18446744073709551615", "1"},
    {"0.1", "0.2"},
    {"1e20", "1"},
    {"0x1p-16445", "0"},
    {"1", "0x1p-64"},
    {"1", "0x1.8p-64"},
    {"99999999999999999.9", "0.1"},
    {"1\u00002", "1"},
    {"1.5", "nan(1)"},
    {"+.5", "5."},
  };

  /** Runs (stored value or null, increment) pairs, pipelined; returns the commands' replies. */
  private static List<String> runPairs(String[][] pairs, boolean hash) throws IOException {
    int[] replyIndex = new int[pairs.length];
    int sent = 0;
    for (int i = 0; i < pairs.length; i++) {
      String[] p = pairs[i];
      redis.send("DEL", "k", "h");
      sent++;
      if (p[0] != null) {
        if (hash) redis.send("HSET", "h", "f", p[0]);
        else redis.send("SET", "k", p[0]);
        sent++;
      }
      if (hash) redis.send("HINCRBYFLOAT", "h", "f", p[1]);
      else redis.send("INCRBYFLOAT", "k", p[1]);
      replyIndex[i] = sent++;
    }
    List<String> all = redis.replies(sent);
    List<String> replies = new ArrayList<>(pairs.length);
    for (int i : replyIndex) replies.add(all.get(i));
    return replies;
  }

  private static void assertMatches(String[][] pairs, boolean hash) throws IOException {
    List<String> replies = runPairs(pairs, hash);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < pairs.length; i++) {
      String model =
          hash
              ? IncrByFloatModel.hincrbyfloat(bytes(pairs[i][0]), bytes(pairs[i][1]))
              : IncrByFloatModel.incrbyfloat(bytes(pairs[i][0]), bytes(pairs[i][1]));
      if (!model.equals(replies.get(i))) {
        mismatches.add(
            GoldenTable.escape(String.valueOf(pairs[i][0]).getBytes(StandardCharsets.ISO_8859_1))
                + " + "
                + GoldenTable.escape(pairs[i][1].getBytes(StandardCharsets.ISO_8859_1))
                + ": redis "
                + replies.get(i)
                + ", model "
                + model);
      }
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void examples() throws IOException {
    assertMatches(EXAMPLES, false);
  }

  @Test
  void hashExamples() throws IOException {
    assertMatches(EXAMPLES, true);
  }

  @Test
  void longChainsOfIncrements() throws IOException {
    String[] steps = {
      "0.1", "1.1", "-0.3", "1e-5", "0.0000001", "123456789.123456789", "0.7", "1e17"
    };
    for (String step : steps) {
      redis.send("DEL", "k");
      redis.send("DEL", "h");
      for (int i = 0; i < 1000; i++) {
        redis.send("INCRBYFLOAT", "k", step);
        redis.send("HINCRBYFLOAT", "h", "f", step);
      }
      List<String> replies = redis.replies(2 + 2000);
      String value = null;
      String field = null;
      for (int i = 0; i < 1000; i++) {
        value = IncrByFloatModel.incrbyfloat(bytes(value), bytes(step));
        field = IncrByFloatModel.hincrbyfloat(bytes(field), bytes(step));
        assertThat(replies.get(2 + 2 * i))
            .as("INCRBYFLOAT %s, step %d", step, i + 1)
            .isEqualTo(value);
        assertThat(replies.get(3 + 2 * i))
            .as("HINCRBYFLOAT %s, step %d", step, i + 1)
            .isEqualTo(field);
      }
    }
  }

  @Test
  void randomPairs() throws IOException {
    Random rnd = new Random(SEED);
    String[][] pairs = new String[3000][];
    for (int i = 0; i < pairs.length; i++) {
      String current =
          switch (rnd.nextInt(4)) {
            case 0 -> null;
            case 1 -> LongDoubleTest.randomFinite(rnd).toHumanString();
            default -> NumberTexts.any(rnd, true);
          };
      if (current != null && current.length() > 6000) current = "1";
      String increment =
          rnd.nextInt(4) == 0 && current != null
              ? (current.startsWith("-") ? current.substring(1) : "-" + current)
              : NumberTexts.any(rnd, true);
      pairs[i] = new String[] {current, increment};
    }
    assertMatches(pairs, false);
    assertMatches(pairs, true);
  }
}
