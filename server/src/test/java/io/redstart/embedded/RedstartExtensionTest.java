package io.redstart.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.config.ConfigParams;
import io.redstart.testing.Bytes;
import io.redstart.testing.RawClient;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The extension's lifecycles, seen from real test classes: the nested classes use it, and this
 * class checks afterwards (its {@code @AfterAll} runs once they are done) which servers they got
 * and that every one of them was stopped.
 */
class RedstartExtensionTest {
  private static final List<Redstart.Handle> classScoped = new CopyOnWriteArrayList<>();
  private static final List<Redstart.Handle> methodConfigured = new CopyOnWriteArrayList<>();
  private static final List<Redstart.Handle> methodScoped = new CopyOnWriteArrayList<>();

  @AfterAll
  static void everyServerWasSharedAsPromisedAndStopped() {
    assertThat(classScoped).hasSize(4);
    assertThat(classScoped).allSatisfy(h -> assertThat(h).isSameAs(classScoped.getFirst()));
    assertThat(methodConfigured).hasSize(2);
    assertThat(methodConfigured.get(0)).isSameAs(methodConfigured.get(1));
    assertThat(methodConfigured.getFirst()).isNotSameAs(classScoped.getFirst());
    assertThat(methodScoped).hasSize(4);
    assertThat(methodScoped.get(0)).isSameAs(methodScoped.get(1));
    assertThat(methodScoped.get(2)).isSameAs(methodScoped.get(3));
    assertThat(methodScoped.get(0)).isNotSameAs(methodScoped.get(2));

    List<Redstart.Handle> all = new CopyOnWriteArrayList<>(classScoped);
    all.addAll(methodConfigured);
    all.addAll(methodScoped);
    for (Redstart.Handle h : all) {
      assertThat(h.server().isStopped()).as("server on port %d stopped", h.port()).isTrue();
      assertThatThrownBy(() -> RawClient.connect(h.port()).close()).isInstanceOf(IOException.class);
    }
  }

  private static String ping(Redstart.Handle h) throws IOException {
    try (RawClient c = RawClient.connect(h.port())) {
      return Bytes.latin1(c.call("PING"));
    }
  }

  @Nested
  @ExtendWith(RedstartExtension.class)
  @RedstartConfig({"maxmemory 10mb", "maxmemory-policy allkeys-lru"})
  class OneServerPerClass {
    @BeforeEach
    void before(Redstart.Handle redis, TestInfo test) {
      // @BeforeEach sees the server of the method it prepares.
      boolean own = test.getTestMethod().orElseThrow().isAnnotationPresent(RedstartConfig.class);
      (own ? methodConfigured : classScoped).add(redis);
    }

    @Test
    void answersOnItsPort(Redstart.Handle redis) throws IOException {
      classScoped.add(redis);
      assertThat(redis.host()).isEqualTo("127.0.0.1");
      assertThat(redis.port()).isPositive();
      assertThat(ping(redis)).isEqualTo("+PONG\r\n");
    }

    @Test
    void appliesTheClassDirectives(Redstart.Handle redis) {
      classScoped.add(redis);
      assertThat(redis.server().config().getLong(ConfigParams.MAXMEMORY)).isEqualTo(10L << 20);
      assertThat(redis.server().config().getEnum(ConfigParams.MAXMEMORY_POLICY))
          .isEqualTo("allkeys-lru");
    }

    @Test
    @RedstartConfig({"maxmemory 20mb", "requirepass \"a b\""})
    void givesAnAnnotatedMethodItsOwnServer(Redstart.Handle redis) throws IOException {
      methodConfigured.add(redis);
      assertThat(redis.server().config().getLong(ConfigParams.MAXMEMORY)).isEqualTo(20L << 20);
      assertThat(redis.server().config().getEnum(ConfigParams.MAXMEMORY_POLICY))
          .isEqualTo("allkeys-lru");
      assertThat(redis.server().config().getString(ConfigParams.REQUIREPASS)).isEqualTo("a b");
      assertThat(ping(redis)).startsWith("-NOAUTH");
    }
  }

  @Nested
  @ExtendWith(RedstartExtension.class)
  @RedstartConfig(perMethod = true)
  class OneServerPerMethod {
    @BeforeEach
    void before(Redstart.Handle redis) {
      methodScoped.add(redis);
    }

    @Test
    void first(Redstart.Handle redis) throws IOException {
      methodScoped.add(redis);
      assertThat(ping(redis)).isEqualTo("+PONG\r\n");
    }

    @Test
    void second(Redstart.Handle redis) throws IOException {
      methodScoped.add(redis);
      assertThat(ping(redis)).isEqualTo("+PONG\r\n");
    }
  }
}
