package io.redstart.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.config.SpecialParams.BufferLimit;
import io.redstart.config.SpecialParams.ReplicaOf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Values parsed, validated and printed as Redis 7.0 does (the texts were taken from a reference
 * redis-server; ConfigDifferentialTest checks them against one when it is installed).
 */
class ConfigParsingTest {
  private final Config config = new Config();

  private String set(ConfigParam p, String value) {
    try {
      config.set(p, value);
      return "OK";
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }

  @Test
  void enumsPrintTheFirstNameOfTheirValue() {
    assertThat(set(ConfigParams.OOM_SCORE_ADJ, "relative")).isEqualTo("OK");
    assertThat(config.getEnum(ConfigParams.OOM_SCORE_ADJ)).isEqualTo("yes");
    assertThat(set(ConfigParams.SHUTDOWN_ON_SIGINT, "now SAVE force")).isEqualTo("OK");
    assertThat(config.format(ConfigParams.SHUTDOWN_ON_SIGINT)).isEqualTo("save now force");
    assertThat(set(ConfigParams.SHUTDOWN_ON_SIGINT, "default save")).isEqualTo("OK");
    assertThat(config.format(ConfigParams.SHUTDOWN_ON_SIGINT)).isEqualTo("save");
    assertThat(set(ConfigParams.SHUTDOWN_ON_SIGINT, "save nosave"))
        .isEqualTo("shutdown options SAVE and NOSAVE can't be used simultaneously");
    assertThat(set(ConfigParams.SHUTDOWN_ON_SIGINT, "save  now"))
        .isEqualTo("argument(s) must be one of the following: default, save, nosave, now, force");
    assertThat(set(ConfigParams.SHUTDOWN_ON_SIGINT, ""))
        .isEqualTo("argument(s) must be one of the following: default, save, nosave, now, force");
    assertThat(set(ConfigParams.LOGLEVEL, "foo"))
        .isEqualTo("argument(s) must be one of the following: debug, verbose, notice, warning");
    assertThat(set(ConfigParams.ACL_PUBSUB_DEFAULT, "ALLCHANNELS")).isEqualTo("OK");
    assertThat(config.format(ConfigParams.ACL_PUBSUB_DEFAULT)).isEqualTo("allchannels");
  }

  @Test
  void numbers() {
    assertThat(set(ConfigParams.TIMEOUT, "3000000000"))
        .isEqualTo("argument must be between 0 and 2147483647 inclusive");
    assertThat(set(ConfigParams.LIST_MAX_LISTPACK_SIZE, "01"))
        .isEqualTo("argument couldn't be parsed into an integer");
    assertThat(set(ConfigParams.LIST_MAX_LISTPACK_SIZE, "+1"))
        .isEqualTo("argument couldn't be parsed into an integer");
    assertThat(set(ConfigParams.MAXCLIENTS, "-1"))
        .isEqualTo("argument must be between 1 and 4294967295 inclusive");
    assertThat(set(ConfigParams.HASH_MAX_LISTPACK_ENTRIES, "-1"))
        .isEqualTo("argument must be between 0 and 9223372036854775807 inclusive");
    assertThat(set(ConfigParams.SLOWLOG_MAX_LEN, "-1"))
        .isEqualTo("argument must be between 0 and 9223372036854775807 inclusive");
    assertThat(set(ConfigParams.PROTO_MAX_BULK_LEN, "1kb"))
        .isEqualTo("argument must be between 1048576 and 9223372036854775807 inclusive");
  }

  @Test
  void memoryValues() {
    assertThat(set(ConfigParams.MAXMEMORY, "1gb")).isEqualTo("OK");
    assertThat(config.getLong(ConfigParams.MAXMEMORY)).isEqualTo(1L << 30);
    assertThat(set(ConfigParams.MAXMEMORY, "2K")).isEqualTo("OK");
    assertThat(config.getLong(ConfigParams.MAXMEMORY)).isEqualTo(2000);
    assertThat(set(ConfigParams.MAXMEMORY, "")).isEqualTo("OK");
    assertThat(config.getLong(ConfigParams.MAXMEMORY)).isZero();
    // strtoull saturates: the largest unsigned value, printed unsigned.
    assertThat(set(ConfigParams.MAXMEMORY, "99999999999999999999")).isEqualTo("OK");
    assertThat(config.format(ConfigParams.MAXMEMORY)).isEqualTo("18446744073709551615");
    assertThat(set(ConfigParams.MAXMEMORY, "-1")).isEqualTo("argument must be a memory value");
    assertThat(set(ConfigParams.MAXMEMORY, "1tb")).isEqualTo("argument must be a memory value");
    assertThat(set(ConfigParams.HASH_MAX_LISTPACK_VALUE, "18446744073709551615"))
        .isEqualTo("argument must be between 0 and 9223372036854775807 inclusive");
  }

  @Test
  void percentValues() {
    assertThat(set(ConfigParams.MAXMEMORY_CLIENTS, "10%")).isEqualTo("OK");
    assertThat(config.getLong(ConfigParams.MAXMEMORY_CLIENTS)).isEqualTo(-10);
    assertThat(config.format(ConfigParams.MAXMEMORY_CLIENTS)).isEqualTo("10%");
    assertThat(set(ConfigParams.MAXMEMORY_CLIENTS, "200%"))
        .isEqualTo("percentage argument must be less or equal to 100");
    assertThat(set(ConfigParams.MAXMEMORY_CLIENTS, "0%")).isEqualTo("OK");
    assertThat(config.format(ConfigParams.MAXMEMORY_CLIENTS)).isEqualTo("0");
    assertThat(set(ConfigParams.MAXMEMORY_CLIENTS, "-5%"))
        .isEqualTo("argument must be a memory or percent value");
  }

  @Test
  void octalValues() throws Exception {
    ConfigLoader loader = new ConfigLoader(config, d -> {});
    loader.loadString("unixsocketperm 700");
    assertThat(config.getLong(ConfigParams.UNIXSOCKETPERM)).isEqualTo(0700);
    assertThat(config.format(ConfigParams.UNIXSOCKETPERM)).isEqualTo("700");
    assertThatThrownBy(() -> loader.loadString("unixsocketperm 1000"))
        .hasMessageEndingWith("argument must be between 0 and 777 inclusive\n");
    assertThatThrownBy(() -> loader.loadString("unixsocketperm 8"))
        .hasMessageEndingWith("argument couldn't be parsed as an octal number\n");
  }

  @Test
  void hzIsClamped() {
    assertThat(set(ConfigParams.HZ, "1000")).isEqualTo("OK");
    assertThat(config.getLong(ConfigParams.HZ)).isEqualTo(500);
    assertThat(set(ConfigParams.HZ, "0")).isEqualTo("OK");
    assertThat(config.getLong(ConfigParams.HZ)).isEqualTo(1);
  }

  @Test
  void stringValidation() {
    assertThat(set(ConfigParams.DBFILENAME, "a/b"))
        .isEqualTo("dbfilename can't be a path, just a filename");
    assertThat(set(ConfigParams.DBFILENAME, "a\\b"))
        .isEqualTo("dbfilename can't be a path, just a filename");
    assertThat(set(ConfigParams.DBFILENAME, "")).isEqualTo("OK");
    assertThat(set(ConfigParams.CLUSTER_ANNOUNCE_HOSTNAME, "bad_host"))
        .isEqualTo("Hostnames may only contain alphanumeric characters, hyphens or dots");
    assertThat(set(ConfigParams.CLUSTER_ANNOUNCE_HOSTNAME, "a".repeat(256)))
        .isEqualTo("Hostnames must be less than 256 characters");
    assertThat(set(ConfigParams.CLUSTER_ANNOUNCE_HOSTNAME, "host-1.example")).isEqualTo("OK");
    String template = "template format is invalid or contains unknown variables";
    assertThat(set(ConfigParams.PROC_TITLE_TEMPLATE, "{title}")).isEqualTo(template);
    assertThat(set(ConfigParams.PROC_TITLE_TEMPLATE, "{bad}")).isEqualTo(template);
    assertThat(set(ConfigParams.PROC_TITLE_TEMPLATE, "{title")).isEqualTo(template);
    assertThat(set(ConfigParams.PROC_TITLE_TEMPLATE, "{{")).isEqualTo("OK");
    assertThat(set(ConfigParams.PROC_TITLE_TEMPLATE, "{port} {config-file}")).isEqualTo("OK");
  }

  @Test
  void aofNamesAreCheckedInTheFile() {
    ConfigLoader loader = new ConfigLoader(config, d -> {});
    assertThatThrownBy(() -> loader.loadString("appendfilename \"\""))
        .hasMessageEndingWith("appendfilename can't be empty\n");
    assertThatThrownBy(() -> loader.loadString("appendfilename a/b"))
        .hasMessageEndingWith("appendfilename can't be a path, just a filename\n");
    assertThatThrownBy(() -> loader.loadString("appenddirname a/b"))
        .hasMessageEndingWith("appenddirname can't be a path, just a dirname\n");
  }

  @Test
  void saveParameters() {
    assertThat(set(ConfigParams.SAVE, "100 ")).isEqualTo("OK");
    assertThat(config.format(ConfigParams.SAVE)).isEqualTo("100 0");
    assertThat(set(ConfigParams.SAVE, "3600  1")).isEqualTo("Invalid save parameters");
    assertThat(set(ConfigParams.SAVE, "0 1")).isEqualTo("Invalid save parameters");
    assertThat(set(ConfigParams.SAVE, "100 +1")).isEqualTo("OK");
    assertThat(set(ConfigParams.SAVE, "100 4294967297")).isEqualTo("OK");
    assertThat(config.format(ConfigParams.SAVE)).isEqualTo("100 1");
    assertThat(set(ConfigParams.SAVE, "")).isEqualTo("OK");
    assertThat(config.savePoints()).isEmpty();
  }

  @Test
  void clientOutputBufferLimit() {
    assertThat(set(ConfigParams.CLIENT_OUTPUT_BUFFER_LIMIT, "Replica 1mb 2 3")).isEqualTo("OK");
    assertThat(config.clientOutputBufferLimits().replica())
        .isEqualTo(new BufferLimit(1 << 20, 2, 3));
    assertThat(config.format(ConfigParams.CLIENT_OUTPUT_BUFFER_LIMIT))
        .isEqualTo("normal 0 0 0 slave 1048576 2 3 pubsub 33554432 8388608 60");
    assertThat(set(ConfigParams.CLIENT_OUTPUT_BUFFER_LIMIT, "master 1 2 3"))
        .isEqualTo("Invalid client class specified in buffer limit configuration.");
    assertThat(set(ConfigParams.CLIENT_OUTPUT_BUFFER_LIMIT, "normal 1 2"))
        .isEqualTo("Wrong number of arguments in buffer limit configuration.");
    // All or nothing: the valid first class is not applied when the second is refused.
    assertThat(set(ConfigParams.CLIENT_OUTPUT_BUFFER_LIMIT, "normal 5 5 5 pubsub 1 2 -3"))
        .isEqualTo("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
    assertThat(config.clientOutputBufferLimits().normal()).isEqualTo(new BufferLimit(0, 0, 0));
  }

  @Test
  void notifyKeyspaceEventsCanonicalForm() {
    assertThat(set(ConfigParams.NOTIFY_KEYSPACE_EVENTS, "KEA")).isEqualTo("OK");
    assertThat(config.format(ConfigParams.NOTIFY_KEYSPACE_EVENTS)).isEqualTo("AKE");
    assertThat(set(ConfigParams.NOTIFY_KEYSPACE_EVENTS, "mEx$")).isEqualTo("OK");
    assertThat(config.format(ConfigParams.NOTIFY_KEYSPACE_EVENTS)).isEqualTo("$xEm");
    assertThat(set(ConfigParams.NOTIFY_KEYSPACE_EVENTS, "Q"))
        .isEqualTo("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  }

  @Test
  void otherSpecials() {
    assertThat(set(ConfigParams.BIND, "a b c d e f g h i j k l m n o p q"))
        .isEqualTo("Too many bind addresses specified.");
    assertThat(set(ConfigParams.BIND, "")).isEqualTo("OK");
    assertThat(config.bindAddresses()).isEmpty();
    assertThat(set(ConfigParams.OOM_SCORE_ADJ_VALUES, "0 200"))
        .isEqualTo("wrong number of arguments");
    assertThat(set(ConfigParams.OOM_SCORE_ADJ_VALUES, "0 200 2001"))
        .isEqualTo("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
    assertThat(set(ConfigParams.LATENCY_TRACKING_INFO_PERCENTILES, "50 99.99999999 0.0000001"))
        .isEqualTo("OK");
    assertThat(config.format(ConfigParams.LATENCY_TRACKING_INFO_PERCENTILES)).isEqualTo("50 100 0");
    assertThat(set(ConfigParams.LATENCY_TRACKING_INFO_PERCENTILES, "1e2 0x10")).isEqualTo("OK");
    assertThat(config.format(ConfigParams.LATENCY_TRACKING_INFO_PERCENTILES)).isEqualTo("100 16");
    assertThat(set(ConfigParams.LATENCY_TRACKING_INFO_PERCENTILES, " 50"))
        .isEqualTo("Invalid latency-tracking-info-percentiles parameters");
    assertThat(set(ConfigParams.LATENCY_TRACKING_INFO_PERCENTILES, "101"))
        .isEqualTo("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
    assertThat(config.replicaOf()).isEqualTo(ReplicaOf.NONE);
  }

  @Test
  void setAllRestoresEverythingWhenOneValueIsRefused() throws Exception {
    config.set(ConfigParams.MAXMEMORY, new String[] {"1mb"}, false);
    Config.SetFailure f =
        config.setAll(
            List.of(ConfigParams.MAXMEMORY, ConfigParams.HZ, ConfigParams.TIMEOUT),
            List.of("2mb", "20", "x"));
    assertThat(f)
        .isEqualTo(new Config.SetFailure(2, "argument couldn't be parsed into an integer"));
    assertThat(config.getLong(ConfigParams.MAXMEMORY)).isEqualTo(1 << 20);
    assertThat(config.getLong(ConfigParams.HZ)).isEqualTo(10);
  }

  @Test
  void listenersRunOnceAndMayRefuse() {
    List<String> calls = new ArrayList<>();
    java.util.function.Consumer<ConfigParam> shared = p -> calls.add("shared:" + p.name);
    config.onChange(ConfigParams.MIN_REPLICAS_TO_WRITE, shared);
    config.onChange(ConfigParams.MIN_REPLICAS_MAX_LAG, shared);
    assertThat(
            config.setAll(
                List.of(ConfigParams.MIN_REPLICAS_TO_WRITE, ConfigParams.MIN_REPLICAS_MAX_LAG),
                List.of("1", "20")))
        .isNull();
    assertThat(calls).containsExactly("shared:min-replicas-to-write");
    calls.clear();
    // Unchanged values do not run listeners.
    config.setAll(List.of(ConfigParams.MIN_REPLICAS_MAX_LAG), List.of("20"));
    assertThat(calls).isEmpty();
    config.onChange(
        ConfigParams.PORT,
        p -> {
          if (config.getLong(p) == 1) {
            throw new Config.ConfigApplyException(
                "Unable to listen on this port. Check server logs.");
          }
        });
    Config.SetFailure f =
        config.setAll(
            List.of(ConfigParams.MIN_REPLICAS_TO_WRITE, ConfigParams.PORT), List.of("3", "1"));
    assertThat(f)
        .isEqualTo(new Config.SetFailure(1, "Unable to listen on this port. Check server logs."));
    assertThat(config.getLong(ConfigParams.PORT)).isEqualTo(6379);
    assertThat(config.getLong(ConfigParams.MIN_REPLICAS_TO_WRITE)).isEqualTo(1);
    // The listener ran for the new value, then again for the restored one.
    assertThat(calls)
        .containsExactly("shared:min-replicas-to-write", "shared:min-replicas-to-write");
  }

  @Test
  void namesAndAliases() {
    assertThat(ConfigParams.byName("SLAVEOF")).isSameAs(ConfigParams.REPLICAOF);
    assertThat(ConfigParams.lookup("hash-max-ziplist-entries"))
        .isEqualTo(
            new ConfigParams.Entry(
                "hash-max-ziplist-entries", ConfigParams.HASH_MAX_LISTPACK_ENTRIES, true));
    long visible =
        ConfigParams.entries().stream().filter(e -> !e.param().has(ConfigParam.HIDDEN)).count();
    // What CONFIG GET * lists on Redis 7.0.15 built with TLS: 178 directives, 19 aliases, 5 hidden.
    assertThat(ConfigParams.all()).hasSize(178);
    assertThat(visible).isEqualTo(192);
  }
}
