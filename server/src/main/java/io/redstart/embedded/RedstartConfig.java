package io.redstart.embedded;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Configures the servers that {@link RedstartExtension} starts.
 *
 * <p>On a test class it sets the directives of the class's server and, with {@link #perMethod},
 * asks for a fresh server for every test method. On a test method it gives that method a server of
 * its own, configured with the class's directives followed by the method's.
 *
 * <pre>{@code
 * @ExtendWith(RedstartExtension.class)
 * @RedstartConfig({"maxmemory 10mb", "maxmemory-policy allkeys-lru"})
 * class EvictionTest {
 *   @Test
 *   void evicts(Redstart.Handle redis) { ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RedstartConfig {
  /**
   * Directives in redis.conf syntax, one per element, such as {@code "maxmemory 10mb"}; values may
   * be quoted as in redis.conf ({@code "requirepass \"a b\""}).
   */
  String[] value() default {};

  /** On a class: start a fresh server for every test method instead of one for the class. */
  boolean perMethod() default false;
}
