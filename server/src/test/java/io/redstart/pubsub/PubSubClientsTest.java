package io.redstart.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import io.redstart.embedded.Redstart;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/** Real clients' Pub/Sub listeners (Jedis, Lettuce in RESP2 and RESP3) and Lettuce's cache. */
class PubSubClientsTest {
  private static Redstart.Handle server;

  private static int port() {
    return server.port();
  }

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met in 10 s");
      Thread.sleep(5);
    }
  }

  @Test
  void jedisListenerGetsMessagesAndPatternMessages() throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    CountDownLatch subscribed = new CountDownLatch(2);
    JedisPubSub listener =
        new JedisPubSub() {
          @Override
          public void onMessage(String channel, String message) {
            events.add("message " + channel + " " + message);
          }

          @Override
          public void onPMessage(String pattern, String channel, String message) {
            events.add("pmessage " + pattern + " " + channel + " " + message);
          }

          @Override
          public void onSubscribe(String channel, int count) {
            subscribed.countDown();
          }

          @Override
          public void onPSubscribe(String pattern, int count) {
            subscribed.countDown();
          }
        };
    Thread t =
        new Thread(
            () -> {
              try (Jedis sub = new Jedis("127.0.0.1", port())) {
                sub.subscribe(listener, "jedis-ch");
              }
            });
    t.start();
    try (Jedis pub = new Jedis("127.0.0.1", port())) {
      await(() -> pub.pubsubNumSub("jedis-ch").getOrDefault("jedis-ch", 0L) == 1);
      listener.psubscribe("jedis-*");
      assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(pub.publish("jedis-ch", "hello")).isEqualTo(2);
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("message jedis-ch hello");
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("pmessage jedis-* jedis-ch hello");
      listener.unsubscribe();
      listener.punsubscribe();
      t.join(10_000);
      assertThat(t.isAlive()).isFalse();
      assertThat(pub.pubsubNumPat()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ProtocolVersion.class,
      names = {"RESP2", "RESP3"})
  void lettuceListenerInBothProtocols(ProtocolVersion protocol) throws Exception {
    RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port()));
    client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
    try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
        StatefulRedisConnection<String, String> pub = client.connect()) {
      BlockingQueue<String> events = new LinkedBlockingQueue<>();
      sub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
              events.add("message " + channel + " " + message);
            }

            @Override
            public void message(String pattern, String channel, String message) {
              events.add("pmessage " + pattern + " " + channel + " " + message);
            }
          });
      sub.sync().subscribe("lettuce-ch");
      sub.sync().psubscribe("lettuce-*");
      assertThat(pub.sync().publish("lettuce-ch", "m1")).isEqualTo(2);
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("message lettuce-ch m1");
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("pmessage lettuce-* lettuce-ch m1");
      assertThat(pub.sync().pubsubChannels("lettuce-*")).isEqualTo(List.of("lettuce-ch"));
      assertThat(pub.sync().pubsubNumsub("lettuce-ch")).isEqualTo(Map.of("lettuce-ch", 1L));
      // On the subscribed connection RESP2 answers PING with ["pong", ""], which Lettuce reads as
      // its payload (as with Redis); RESP3 answers +PONG.
      assertThat(sub.sync().ping()).isEqualTo(protocol == ProtocolVersion.RESP3 ? "PONG" : "");
      sub.sync().unsubscribe("lettuce-ch");
      sub.sync().punsubscribe("lettuce-*");
      assertThat(pub.sync().publish("lettuce-ch", "m2")).isZero();
    } finally {
      client.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }

  @Test
  void lettuceClientSideCachingIsInvalidated() throws Exception {
    RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port()));
    client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
    try (StatefulRedisConnection<String, String> cached = client.connect();
        StatefulRedisConnection<String, String> writer = client.connect()) {
      writer.sync().set("csc-key", "v1");
      Map<String, String> local = new ConcurrentHashMap<>();
      CacheFrontend<String, String> frontend =
          ClientSideCaching.enable(
              CacheAccessor.forMap(local), cached, TrackingArgs.Builder.enabled());
      assertThat(frontend.get("csc-key")).isEqualTo("v1");
      assertThat(local).containsEntry("csc-key", "v1");
      writer.sync().set("csc-key", "v2");
      await(() -> !local.containsKey("csc-key"));
      assertThat(frontend.get("csc-key")).isEqualTo("v2");
      assertThat(local).containsEntry("csc-key", "v2");
      // (Lettuce ignores the null that a flush invalidates everything with: not tested here.)
      frontend.close();
    } finally {
      client.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }
}
