package io.redstart.differential;

import static io.redstart.differential.Gen.args;

/**
 * Random generators for the Pub/Sub commands a connection can run without entering the subscribe
 * context: PUBLISH, SPUBLISH and PUBSUB's introspection (nobody is subscribed during a random run,
 * so counts are zero and lists empty; the errors and shapes are what is compared).
 */
final class PubSubGenerators {
  private PubSubGenerators() {}

  static void register(RandomCommands r) {
    r.register("publish", "pubsub", 3, g -> args("PUBLISH", channel(g), g.value()).list());
    r.register("spublish", "pubsub", 2, g -> args("SPUBLISH", channel(g), g.value()).list());
    r.register(
        "pubsub",
        "pubsub",
        3,
        g ->
            switch (g.between(0, 7)) {
              case 0 -> args("PUBSUB", "CHANNELS").list();
              case 1 -> args("PUBSUB", "CHANNELS", g.pattern()).list();
              case 2 -> args("PUBSUB", "NUMSUB").add(channel(g), channel(g)).list();
              case 3 -> args("PUBSUB", "NUMPAT").list();
              case 4 -> args("PUBSUB", "SHARDCHANNELS", g.pattern()).list();
              case 5 -> args("PUBSUB", "SHARDNUMSUB", channel(g)).list();
              case 6 -> args("PUBSUB", "HELP").list();
              default -> args("PUBSUB", g.pick("FOO", "channel", "numsub")).list();
            });
  }

  private static String channel(Gen g) {
    return g.pick("news", "", "__keyspace@0__:k", "ch:" + g.between(0, 9));
  }
}
