package io.redstart.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizerTest {
  private static Normalizer.Comparison compare(
      String command, List<String> directives, String ref, String got) {
    byte[][] argv = io.redstart.resp.SplitArgs.split(Bytes.latin1(command));
    return Normalizer.compare(argv, directives, Bytes.latin1(ref), Bytes.latin1(got));
  }

  private static boolean same(String command, String ref, String got) {
    return compare(command, List.of(), ref, got).equal();
  }

  @Test
  void withoutRulesBytesMustMatchExactly() {
    assertThat(same("GET k", "$1\r\nv\r\n", "$1\r\nv\r\n")).isTrue();
    assertThat(same("GET k", "$1\r\nv\r\n", "+v\r\n")).isFalse();
    assertThat(same("GET k", "$-1\r\n", "_\r\n")).isFalse();
  }

  @Test
  void ttlAcceptsOneSecondOfDriftButNotOtherAnswers() {
    assertThat(same("TTL k", ":100\r\n", ":99\r\n")).isTrue();
    assertThat(same("TTL k", ":100\r\n", ":98\r\n")).isFalse();
    assertThat(same("TTL k", ":-1\r\n", ":-2\r\n")).isFalse();
    assertThat(same("TTL k", ":0\r\n", ":-1\r\n")).isFalse();
    assertThat(same("PTTL k", ":100000\r\n", ":99100\r\n")).isTrue();
    assertThat(same("PTTL k", ":100000\r\n", ":98000\r\n")).isFalse();
  }

  @Test
  void exactTurnsTheDefaultsOff() {
    assertThat(compare("TTL k", List.of("exact"), ":100\r\n", ":99\r\n").equal()).isFalse();
  }

  @Test
  void keysAreComparedAsASet() {
    assertThat(same("KEYS *", "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\nb\r\n$1\r\na\r\n"))
        .isTrue();
    assertThat(same("KEYS *", "*2\r\n$1\r\na\r\n$1\r\nb\r\n", "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"))
        .isFalse();
  }

  @Test
  void configGetIsComparedByPairs() {
    String ref = "*4\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n$2\r\nhz\r\n$2\r\n10\r\n";
    String got = "*4\r\n$2\r\nhz\r\n$2\r\n10\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n";
    String wrong = "*4\r\n$2\r\nhz\r\n$1\r\n0\r\n$9\r\nmaxmemory\r\n$2\r\n10\r\n";
    assertThat(same("CONFIG GET hz maxmemory", ref, got)).isTrue();
    assertThat(same("CONFIG GET hz maxmemory", ref, wrong)).isFalse();
    String map = "%2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n$2\r\nhz\r\n$2\r\n10\r\n";
    String map2 = "%2\r\n$2\r\nhz\r\n$2\r\n10\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n";
    assertThat(same("CONFIG GET hz maxmemory", map, map2)).isTrue();
  }

  @Test
  void infoComparesNamesEverywhereAndOnlyStableValues() {
    String ref =
        "$81\r\n"
            + "# Server\r\n"
            + "redis_version:7.0.15\r\n"
            + "process_id:1\r\n\r\n"
            + "# Keyspace\r\n"
            + "db0:keys=1,expires=0,avg_ttl=5\r\n";
    String okGot =
        "$84\r\n"
            + "# Server\r\n"
            + "redis_version:7.0.15\r\n"
            + "process_id:999\r\n\r\n"
            + "# Keyspace\r\n"
            + "db0:keys=1,expires=0,avg_ttl=77\r\n";
    String badVersion =
        "$84\r\n"
            + "# Server\r\n"
            + "redis_version:7.0.14\r\n"
            + "process_id:999\r\n\r\n"
            + "# Keyspace\r\n"
            + "db0:keys=1,expires=0,avg_ttl=77\r\n";
    String badKeys =
        "$84\r\n"
            + "# Server\r\n"
            + "redis_version:7.0.15\r\n"
            + "process_id:999\r\n\r\n"
            + "# Keyspace\r\n"
            + "db0:keys=2,expires=0,avg_ttl=77\r\n";
    String missingField =
        "$70\r\n"
            + "# Server\r\n"
            + "redis_version:7.0.15\r\n\r\n"
            + "# Keyspace\r\n"
            + "db0:keys=1,expires=0,avg_ttl=77\r\n";
    assertThat(same("INFO", fixLength(ref), fixLength(okGot))).isTrue();
    assertThat(same("INFO", fixLength(ref), fixLength(badVersion))).isFalse();
    assertThat(same("INFO", fixLength(ref), fixLength(badKeys))).isFalse();
    assertThat(same("INFO", fixLength(ref), fixLength(missingField))).isFalse();
    String withOwnFields =
        "$0\r\n"
            + "# Server\r\n"
            + "redis_version:7.0.15\r\n"
            + "process_id:999\r\n"
            + "redstart_version:0.1.0\r\n\r\n"
            + "# Keyspace\r\n"
            + "db0:keys=1,expires=0,avg_ttl=-3\r\n";
    assertThat(same("INFO", fixLength(ref), fixLength(withOwnFields))).isTrue();
  }

  @Test
  void clientListMasksIdsAddressesAndAges() {
    String ref =
        bulk(
            "id=3 addr=127.0.0.1:5000 laddr=127.0.0.1:6379 fd=8 name=x age=1 idle=0 flags=N db=0"
                + " cmd=client|list\n");
    String got =
        bulk(
            "id=9 addr=127.0.0.1:6000 laddr=127.0.0.1:7000 fd=12 name=x age=0 idle=1 flags=N db=0"
                + " cmd=client|list\n");
    String otherDb =
        bulk(
            "id=9 addr=127.0.0.1:6000 laddr=127.0.0.1:7000 fd=12 name=x age=0 idle=1 flags=N db=1"
                + " cmd=client|list\n");
    assertThat(same("CLIENT LIST", ref, got)).isTrue();
    assertThat(same("client info", ref, otherDb)).isFalse();
  }

  @Test
  void helloMasksTheClientId() {
    String ref = "%2\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:5\r\n";
    String got = "%2\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:17\r\n";
    String proto2 = "%2\r\n$5\r\nproto\r\n:2\r\n$2\r\nid\r\n:17\r\n";
    assertThat(same("HELLO 3", ref, got)).isTrue();
    assertThat(same("HELLO 3", ref, proto2)).isFalse();
  }

  @Test
  void timeAcceptsCloseClocksOnly() {
    String ref = "*2\r\n$10\r\n1700000000\r\n$6\r\n123456\r\n";
    assertThat(same("TIME", ref, "*2\r\n$10\r\n1700000001\r\n$1\r\n7\r\n")).isTrue();
    assertThat(same("TIME", ref, "*2\r\n$10\r\n1700000100\r\n$1\r\n7\r\n")).isFalse();
    assertThat(same("TIME", ref, "-ERR unknown command\r\n")).isFalse();
  }

  @Test
  void scanSortsACompleteIterationAndComparesOnlyTheShapeOfAPartialOne() {
    String done = "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n";
    String doneOtherOrder = "*2\r\n$1\r\n0\r\n*2\r\n$1\r\nb\r\n$1\r\na\r\n";
    String partial = "*2\r\n$2\r\n12\r\n*1\r\n$1\r\na\r\n";
    String partialOther = "*2\r\n$4\r\n9000\r\n*1\r\n$1\r\nb\r\n";
    assertThat(same("SCAN 0", done, doneOtherOrder)).isTrue();
    assertThat(same("SCAN 0", partial, partialOther)).isTrue();
    assertThat(same("SCAN 0", done, partial)).isFalse();
  }

  @Test
  void typeIgnoreAndErrorCode() {
    assertThat(compare("CLIENT ID", List.of(), ":5\r\n", ":8\r\n").equal()).isTrue();
    assertThat(compare("CLIENT ID", List.of(), ":5\r\n", "$1\r\n8\r\n").equal()).isFalse();
    assertThat(compare("X", List.of("ignore"), ":5\r\n", "-ERR\r\n").equal()).isTrue();
    assertThat(compare("X", List.of("error-code"), "-ERR a\r\n", "-ERR b\r\n").equal()).isTrue();
    assertThat(compare("X", List.of("error-code"), "-ERR a\r\n", "-WRONGTYPE a\r\n").equal())
        .isFalse();
  }

  @Test
  void debugObjectMasksAddressAndClock() {
    String ref =
        "+Value at:0x7f01 refcount:1 encoding:embstr serializedlength:6 lru:82686"
            + " lru_seconds_idle:0\r\n";
    String got =
        "+Value at:0x1 refcount:1 encoding:embstr serializedlength:6 lru:5 lru_seconds_idle:1\r\n";
    String enc =
        "+Value at:0x1 refcount:1 encoding:raw serializedlength:6 lru:5 lru_seconds_idle:1\r\n";
    assertThat(same("DEBUG OBJECT k", ref, got)).isTrue();
    assertThat(same("DEBUG OBJECT k", ref, enc)).isFalse();
  }

  @Test
  void knowsItsRuleNames() {
    assertThat(Normalizer.isRule("sorted")).isTrue();
    assertThat(Normalizer.isRule("approx=10")).isTrue();
    assertThat(Normalizer.isRule("approx")).isFalse();
    assertThat(Normalizer.isRule("approx=x")).isFalse();
    assertThat(Normalizer.isRule("sorted=1")).isFalse();
    assertThat(Normalizer.isRule("closes")).isFalse();
  }

  private static String bulk(String s) {
    return "$" + s.length() + "\r\n" + s + "\r\n";
  }

  /** Rewrites a hand-written bulk's length header to match its payload. */
  private static String fixLength(String frame) {
    int crlf = frame.indexOf("\r\n");
    String payload = frame.substring(crlf + 2, frame.length() - 2);
    return bulk(payload);
  }
}
