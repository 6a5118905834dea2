package io.redstart.differential;

import static io.redstart.differential.Gen.args;

/**
 * Random generators for the replication commands a client of a master without replicas can run
 * without changing the server's role: ROLE, WAIT with short timeouts (nothing acknowledges, so a
 * positive count waits for its timeout), REPLCONF options that reply, REPLICAOF NO ONE and
 * refused ports, and FAILOVER, which always fails without replicas.
 */
final class ReplicationGenerators {
  private ReplicationGenerators() {}

  static void register(RandomCommands r) {
    r.register("role", "server", 2, g -> args("ROLE").list());
    r.register(
        "wait",
        "generic",
        2,
        g -> args("WAIT", g.pick("0", "1", "-1", "2", "x"), g.pick("1", "3", "0.5", "-1", "x"))
            .list());
    r.register(
        "replconf",
        "server",
        2,
        g ->
            switch (g.between(0, 5)) {
              case 0 -> args("REPLCONF", "listening-port", g.integer()).list();
              case 1 -> args("REPLCONF", "capa", g.pick("eof", "psync2", "x")).list();
              case 2 -> args("REPLCONF", "rdb-only", g.integer()).list();
              case 3 -> args("REPLCONF", "ip-address", g.value()).list();
              case 4 -> args("REPLCONF", g.pick("x", "listening-port", "capa")).list();
              default -> args("REPLCONF", "rdb-filter-only", g.pick("functions", "", "x")).list();
            });
    r.register(
        "replicaof",
        "server",
        1,
        g ->
            g.chance(30)
                ? args("REPLICAOF", "NO", "ONE").list()
                : args("REPLICAOF", "127.0.0.1", g.pick("-1", "65536", "x", "1.5")).list());
    r.register(
        "failover",
        "server",
        1,
        g ->
            switch (g.between(0, 3)) {
              case 0 -> args("FAILOVER").list();
              case 1 -> args("FAILOVER", "ABORT").list();
              case 2 -> args("FAILOVER", "TIMEOUT", g.integer()).list();
              default -> args("FAILOVER", "TO", "127.0.0.1", g.integer(), "FORCE").list();
            });
  }
}
