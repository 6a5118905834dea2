package io.redstart.embedded;

import io.redstart.resp.SplitArgs;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that hands tests a running embedded server:
 *
 * <pre>{@code
 * @ExtendWith(RedstartExtension.class)
 * class CacheTest {
 *   @Test
 *   void stores(Redstart.Handle redis) {
 *     var jedis = new Jedis(redis.host(), redis.port());
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>By default one server serves the whole test class (and its {@code @BeforeAll},
 * {@code @BeforeEach} and test methods); it is started when a {@link Redstart.Handle} parameter is
 * first resolved and stopped when the class's tests are done. {@link RedstartConfig} sets
 * directives, asks for a server per test method ({@code perMethod = true}), or gives one method a
 * server of its own. A per-method server is stopped when its method is done; a {@code @BeforeAll}
 * method of such a class, having no test method, gets a server of its own for the class. Servers
 * listen on a free loopback port.
 *
 * <p>Servers are kept in JUnit's extension store and stopped as {@link AutoCloseable} values when
 * their scope ends (JUnit 5.13 and newer do this unless told otherwise).
 */
public final class RedstartExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedstartExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Redstart.Handle.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    RedstartConfig classConfig = classConfig(testClass);
    Optional<Method> method = context.getTestMethod();
    RedstartConfig methodConfig =
        method.map(m -> m.getAnnotation(RedstartConfig.class)).orElse(null);
    boolean perMethod =
        method.isPresent()
            && (methodConfig != null || (classConfig != null && classConfig.perMethod()));
    List<String> directives = new ArrayList<>();
    if (classConfig != null) directives.addAll(Arrays.asList(classConfig.value()));
    ExtensionContext owner;
    String key;
    if (perMethod) {
      if (methodConfig != null) directives.addAll(Arrays.asList(methodConfig.value()));
      owner = context;
      key = "method";
    } else {
      owner = classContext(context, testClass);
      key = "class:" + testClass.getName();
    }
    return owner
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(key, k -> start(directives, owner), Redstart.Handle.class);
  }

  private static Redstart.Handle start(List<String> directives, ExtensionContext owner) {
    Redstart.Builder builder = Redstart.builder().port(0);
    for (String directive : directives) {
      byte[][] words = SplitArgs.split(directive.getBytes(StandardCharsets.ISO_8859_1));
      if (words == null || words.length == 0) {
        throw new ExtensionConfigurationException(
            "@RedstartConfig on " + owner.getDisplayName() + ": bad directive '" + directive + "'");
      }
      String[] values = new String[words.length - 1];
      for (int i = 1; i < words.length; i++) {
        values[i - 1] = new String(words[i], StandardCharsets.ISO_8859_1);
      }
      builder.config(new String(words[0], StandardCharsets.ISO_8859_1), values);
    }
    try {
      return builder.start();
    } catch (Exception e) {
      throw new ParameterResolutionException(
          "Could not start Redstart for " + owner.getDisplayName() + ": " + e.getMessage(), e);
    }
  }

  /** The context of the class itself, above any method context. */
  private static ExtensionContext classContext(ExtensionContext context, Class<?> testClass) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() || !isElement(c, testClass)) {
      Optional<ExtensionContext> parent = c.getParent();
      if (parent.isEmpty()) return context;
      c = parent.get();
    }
    return c;
  }

  private static boolean isElement(ExtensionContext c, Class<?> testClass) {
    Optional<AnnotatedElement> element = c.getElement();
    return element.isPresent() && element.get() == testClass;
  }

  /** The annotation on the class, its superclasses, or the classes enclosing a nested class. */
  private static RedstartConfig classConfig(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = enclosingOfInner(c)) {
      RedstartConfig config = c.getAnnotation(RedstartConfig.class);
      if (config != null) return config;
    }
    return null;
  }

  private static Class<?> enclosingOfInner(Class<?> c) {
    return Modifier.isStatic(c.getModifiers()) ? null : c.getEnclosingClass();
  }
}
