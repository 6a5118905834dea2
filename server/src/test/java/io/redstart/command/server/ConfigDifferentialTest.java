package io.redstart.command.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONFIG GET/SET replayed against a reference redis-server and against Redstart's handlers, reply
 * bytes compared. Both start from the same command-line options. Where Redis's reply order comes
 * from its hash table (several names matched), the replies are compared as maps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigDifferentialTest {
  @TempDir static Path dir;

  private ReferenceRedis ref;
  private ConfigHarness ours;

  /** Params whose CONFIG SET touches the machine (sockets, file descriptors, TLS, signals). */
  private static final Set<String> NOT_PROBED =
      Set.of(
          "port",
          "bind",
          "tls-port",
          "tls-cluster",
          "tls-replication",
          "maxclients",
          "watchdog-period",
          "client-output-buffer-limit");

  /** Values tried on every param. */
  private static final List<String> PROBES =
      List.of(
          "yes",
          "no",
          "YES",
          "0",
          "1",
          "-1",
          "+1",
          "01",
          "abc",
          "",
          " ",
          "1k",
          "1KB",
          "2mb",
          "3g",
          "10%",
          "100%",
          "101%",
          "-5%",
          "777",
          "0777",
          "8",
          "18446744073709551615",
          "18446744073709551616",
          "99999999999999999999",
          "9223372036854775807",
          "-9223372036854775808",
          "2147483648",
          "4294967296",
          "1 2",
          "1  2",
          " 1",
          "relative",
          "save now",
          "save nosave",
          "default",
          "default save",
          "local",
          "everysec",
          "allkeys-lru",
          "KEA",
          "K$lx",
          "Ag$",
          "x y",
          "a/b",
          "a\\b",
          "host.name",
          "bad_host",
          "{title}",
          "{port} x",
          "{bad}",
          "{{",
          "{listen-addr}",
          "{unixsocket}",
          "50 99.9",
          "1e2",
          "0x10",
          "nan",
          "-0",
          "100.0001",
          "1 2 3",
          "-2000 0 2000",
          "2001 0 0",
          "no one",
          "127.0.0.1 6379");

  @BeforeAll
  void start() throws Exception {
    List<String> options = List.of("--save", "", "--dir", dir.toString(), "--appendonly", "no");
    ref = ReferenceRedis.start(dir, null, options.toArray(new String[0]));
    ref.call("CLIENT", "NO-EVICT", "on");
    ours =
        ConfigHarness.of(
            "port " + ref.port(),
            "bind 127.0.0.1",
            "daemonize no",
            "logfile \"\"",
            "save \"\"",
            "dir \"" + dir + "\"",
            "appendonly no");
  }

  @AfterAll
  void stop() throws Exception {
    if (ref != null) ref.close();
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** Runs a CONFIG command on both and asserts identical reply bytes. */
  private void same(String... args) throws Exception {
    String[] full = new String[args.length + 1];
    full[0] = "CONFIG";
    System.arraycopy(args, 0, full, 1, args.length);
    String expected = text(ref.call(full));
    String actual = text(ours.config(args));
    assertThat(actual).as("CONFIG %s", String.join(" | ", args)).isEqualTo(expected);
  }

  /** Runs a CONFIG GET on both and asserts the same name/value pairs, in any order. */
  private void sameMap(String... args) throws Exception {
    String[] full = new String[args.length + 1];
    full[0] = "CONFIG";
    System.arraycopy(args, 0, full, 1, args.length);
    Map<String, String> expected = asMap(ref.call(full), ref.protocolIs3);
    Map<String, String> actual = asMap(ours.config(args), ref.protocolIs3);
    assertThat(actual).as("CONFIG %s", String.join(" | ", args)).isEqualTo(expected);
  }

  private static Map<String, String> asMap(byte[] reply, boolean resp3) {
    Object parsed = Resp.parse(reply);
    Map<String, String> m = new TreeMap<>();
    List<?> l = (List<?>) parsed;
    if (resp3) {
      for (Object pair : l)
        m.put((String) ((List<?>) pair).get(0), (String) ((List<?>) pair).get(1));
    } else {
      for (int i = 0; i < l.size(); i += 2) m.put((String) l.get(i), (String) l.get(i + 1));
    }
    assertThat(m).as("duplicate names in reply").hasSize(resp3 ? l.size() : l.size() / 2);
    return m;
  }

  @Test
  void getStarListsTheSameNamesAndValues() throws Exception {
    Map<String, String> expected = asMap(ref.call("CONFIG", "GET", "*"), false);
    Map<String, String> actual = asMap(ours.config("GET", "*"), false);
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void getPatterns() throws Exception {
    for (String[] g :
        List.of(
            new String[] {"GET", "maxmemory"},
            new String[] {"GET", "MAXMEMORY"},
            new String[] {"GET", "MaxMemory", "maxmemory"},
            new String[] {"GET", "slaveof"},
            new String[] {"GET", "SLAVE-READ-ONLY"},
            new String[] {"GET", "watchdog-period"},
            new String[] {"GET", "watchdog*"},
            new String[] {"GET", "nonexistent"},
            new String[] {"GET", "nonexistent", "*nothing*"},
            new String[] {"GET", "save"},
            new String[] {"GET", "client-output-buffer-limit"},
            new String[] {"GET", "dir"},
            new String[] {"GET", "["},
            new String[] {"GET", "h?"},
            new String[] {"GET", "hz\\"},
            new String[] {"GET", "notify-keyspace-events"},
            new String[] {"GET", "latency-tracking-info-percentiles"},
            new String[] {"GET", "oom-score-adj-values"})) {
      same(g);
    }
    for (String[] g :
        List.of(
            new String[] {"GET", "*max*mem*"},
            new String[] {"GET", "MAXMEMORY", "*maxmemory*"},
            new String[] {"GET", "*maxmemory*", "MAXMEMORY"},
            new String[] {"GET", "*ziplist*"},
            new String[] {"GET", "*SLAVE*", "replica*"},
            new String[] {"GET", "[a-c]*"},
            new String[] {"GET", "[^a-r]*"},
            new String[] {"GET", "*-??-*"},
            new String[] {"GET", "*", "*"})) {
      sameMap(g);
    }
  }

  @Test
  void getInResp3() throws Exception {
    ref.call("HELLO", "3");
    ref.protocolIs3 = true;
    ours.resp3();
    try {
      same("GET", "maxmemory");
      same("GET", "nonexistent");
      same("GET", "save");
      sameMap("GET", "*");
      sameMap("GET", "*ziplist*", "hz");
      same("SET", "hz", "abc");
      same("HELP");
    } finally {
      ref.call("HELLO", "2");
      ref.protocolIs3 = false;
      ours.client.protocol(2);
    }
  }

  /** Every probe value on every param: the same reply, then the same value read back. */
  @Test
  void setProbesEveryParam() throws Exception {
    Map<String, String> all = asMap(ref.call("CONFIG", "GET", "*"), false);
    List<String> names = new ArrayList<>(all.keySet());
    names.addAll(
        List.of(
            "use-exit-on-panic",
            "rdb-key-save-delay",
            "key-load-delay",
            "loading-process-events-interval-bytes",
            "nonexistent-param"));
    for (String name : names) {
      if (NOT_PROBED.contains(name)) continue;
      String original = original(name);
      for (String v : PROBES) {
        same("SET", name, v);
        same("GET", name);
        if (original != null) restore(name, original);
      }
    }
  }

  /** The value to put back after a probe, or null for a param that cannot be set. */
  private String original(String name) throws Exception {
    Object got = Resp.parse(ref.call("CONFIG", "GET", name));
    List<?> l = (List<?>) got;
    return l.isEmpty() ? null : (String) l.get(1);
  }

  private void restore(String name, String value) throws Exception {
    String r = text(ref.call("CONFIG", "SET", name, value));
    String o = text(ours.config("SET", name, value));
    assertThat(o).as("restoring %s", name).isEqualTo(r);
  }

  @Test
  void setSequences() throws Exception {
    List<String[]> seq =
        List.of(
            new String[] {"SET", "maxmemory"},
            new String[] {"SET", "maxmemory", "1", "hz"},
            new String[] {"SET", "foo", "bar"},
            new String[] {"SET", "foo", "bar", "maxmemory", "1"},
            new String[] {"SET", "maxmemory", "1", "foo", "bar"},
            new String[] {"SET", "daemonize", "yes", "foo", "bar"},
            new String[] {"SET", "foo", "bar", "daemonize", "yes"},
            new String[] {"SET", "maxmemory", "10mb", "hz", "abc"},
            new String[] {"GET", "maxmemory"},
            new String[] {"SET", "maxmemory", "10mb", "MAXMEMORY", "20mb"},
            new String[] {"SET", "slave-read-only", "no", "replica-read-only", "yes"},
            new String[] {"SET", "slave-read-only", "maybe"},
            new String[] {"SET", "MAXMEMORY", "abc"},
            new String[] {"SET", "dir", "/", "dbfilename", "x"},
            new String[] {"SET", "dbfilename", "x"},
            new String[] {"SET", "hz", "1000", "maxmemory", "5mb"},
            new String[] {"GET", "hz"},
            new String[] {"GET", "maxmemory"},
            new String[] {"SET", "hz", "0"},
            new String[] {"GET", "hz"},
            new String[] {"SET", "hz", "10", "maxmemory", "0"},
            new String[] {"SET", "save", "100 1 200 2", "maxmemory", "bad"},
            new String[] {"GET", "save"},
            new String[] {"SET", "save", "100 1 200 2"},
            new String[] {"GET", "save"},
            new String[] {"SET", "save", ""},
            new String[] {"GET", "save"},
            new String[] {"SET", "client-output-buffer-limit", "pubsub 1mb 2mb 3"},
            new String[] {"GET", "client-output-buffer-limit"},
            new String[] {"SET", "client-output-buffer-limit", "Replica 1gb 2kb 4 PUBSUB 5 6 7"},
            new String[] {"GET", "client-output-buffer-limit"},
            new String[] {"SET", "client-output-buffer-limit", "master 1 2 3"},
            new String[] {"SET", "client-output-buffer-limit", "pubsub 1 2"},
            new String[] {"SET", "client-output-buffer-limit", "pubsub 1 2 x"},
            new String[] {"SET", "client-output-buffer-limit", "pubsub 1 x 2"},
            new String[] {"SET", "client-output-buffer-limit", "pubsub 1 2 3 normal 0 0 -1"},
            new String[] {"GET", "client-output-buffer-limit"},
            new String[] {"SET", "client-output-buffer-limit", "slave 4294967296 0 4294967297"},
            new String[] {"GET", "client-output-buffer-limit"},
            new String[] {
              "SET",
              "client-output-buffer-limit",
              "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"
            },
            new String[] {"SET", "bind", "a b c d e f g h i j k l m n o p q"},
            new String[] {"GET", "bind"},
            new String[] {"SET", "notify-keyspace-events", "KEA"},
            new String[] {"GET", "notify-keyspace-events"},
            new String[] {"SET", "notify-keyspace-events", "Ex$lshzxetdnmgA"},
            new String[] {"GET", "notify-keyspace-events"},
            new String[] {"SET", "notify-keyspace-events", "z"},
            new String[] {"SET", "notify-keyspace-events", ""},
            new String[] {"SET", "shutdown-on-sigint", "now save force"},
            new String[] {"GET", "shutdown-on-sigint"},
            new String[] {"SET", "shutdown-on-sigint", "default"},
            new String[] {"SET", "oom-score-adj", "relative"},
            new String[] {"GET", "oom-score-adj"},
            new String[] {"SET", "oom-score-adj", "no"},
            new String[] {"SET", "latency-tracking-info-percentiles", "50 99.99999999 0.0000001"},
            new String[] {"GET", "latency-tracking-info-percentiles"},
            new String[] {"SET", "latency-tracking-info-percentiles", "50 99 99.9"},
            new String[] {"SET", "maxmemory-clients", "10%"},
            new String[] {"GET", "maxmemory-clients"},
            new String[] {"SET", "maxmemory-clients", "0"},
            new String[] {"SET", "proc-title-template", "{title}"},
            new String[] {"SET", "proc-title-template", "{title} {listen-addr} {server-mode}"},
            new String[] {"RESETSTAT"},
            new String[] {"REWRITE"},
            new String[] {"HELP"});
    for (String[] s : seq) same(s);
  }
}
