package io.redstart.command.pubsub;

import io.redstart.command.Errors;
import io.redstart.command.Replies;
import io.redstart.config.ConfigParams;
import io.redstart.pubsub.PubSub;
import io.redstart.resp.RespWriter;
import io.redstart.server.Client;
import java.util.List;

/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH and
 * PUBSUB (pubsub.c); the state and delivery are {@link PubSub}'s.
 */
public final class PubSubCommands {
  private PubSubCommands() {}

  private static PubSub pubsub(Client c) {
    return c.server().component(PubSub.class);
  }

  public static void subscribe(Client c, byte[][] argv) {
    // Inside EXEC a client may not block, but SUBSCRIBE is let through there for compatibility;
    // scripts cannot call it at all (noscript).
    pubsub(c).subscribe(c, argv);
  }

  public static void psubscribe(Client c, byte[][] argv) {
    pubsub(c).psubscribe(c, argv);
  }

  public static void ssubscribe(Client c, byte[][] argv) {
    if (c.server().inTransactionOrScript()) {
      c.error(Errors.SSUBSCRIBE_DENY_BLOCKING);
      return;
    }
    pubsub(c).ssubscribe(c, argv);
  }

  public static void unsubscribe(Client c, byte[][] argv) {
    pubsub(c).unsubscribe(c, argv);
  }

  public static void punsubscribe(Client c, byte[][] argv) {
    pubsub(c).punsubscribe(c, argv);
  }

  public static void sunsubscribe(Client c, byte[][] argv) {
    pubsub(c).sunsubscribe(c, argv);
  }

  /** PUBLISH: the number of receptions; replicated (not in cluster mode, where the bus does it). */
  public static void publish(Client c, byte[][] argv) {
    int receivers = pubsub(c).publish(argv[1], argv[2], false);
    if (!c.server().config().getBool(ConfigParams.CLUSTER_ENABLED)) {
      c.server().dispatcher().forcePropagation();
    }
    c.reply().integer(receivers);
  }

  public static void spublish(Client c, byte[][] argv) {
    int receivers = pubsub(c).publish(argv[1], argv[2], true);
    if (!c.server().config().getBool(ConfigParams.CLUSTER_ENABLED)) {
      c.server().dispatcher().forcePropagation();
    }
    c.reply().integer(receivers);
  }

  // ---- PUBSUB

  public static void pubsubHelp(Client c, byte[][] argv) {
    Replies.help(
        c,
        argv[0],
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)");
  }

  public static void pubsubChannels(Client c, byte[][] argv) {
    channelsGeneric(c, argv, false);
  }

  public static void pubsubShardchannels(Client c, byte[][] argv) {
    channelsGeneric(c, argv, true);
  }

  private static void channelsGeneric(Client c, byte[][] argv, boolean shard) {
    if (argv.length > 3) {
      Replies.subcommandSyntaxError(c, argv);
      return;
    }
    List<byte[]> list = pubsub(c).channels(argv.length == 3 ? argv[2] : null, shard);
    RespWriter w = c.reply();
    w.array(list.size());
    for (byte[] ch : list) w.bulk(ch);
  }

  public static void pubsubNumsub(Client c, byte[][] argv) {
    numsubGeneric(c, argv, false);
  }

  public static void pubsubShardnumsub(Client c, byte[][] argv) {
    numsubGeneric(c, argv, true);
  }

  private static void numsubGeneric(Client c, byte[][] argv, boolean shard) {
    PubSub ps = pubsub(c);
    RespWriter w = c.reply();
    w.array((argv.length - 2) * 2L);
    for (int j = 2; j < argv.length; j++) {
      w.bulk(argv[j]);
      w.integer(ps.subscriberCount(argv[j], shard));
    }
  }

  public static void pubsubNumpat(Client c, byte[][] argv) {
    c.reply().integer(pubsub(c).patternCount());
  }
}
