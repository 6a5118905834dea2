package io.redstart.testing;

import io.redstart.embedded.RedstartConfig;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves a {@link ServerPair} parameter: one pair per test class, started on first use and
 * stopped when the class is done. The class's {@link RedstartConfig} directives go to both servers.
 * Without a redis-server the test is skipped (or fails under REDSTART_REQUIRE_ALL=1).
 */
public final class ServerPairExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ServerPairExtension.class);

  /**
   * Skips (or fails) the class up front when there is no redis-server: an assumption that fails
   * inside parameter resolution would be reported as an error instead of a skip.
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    RedisTools.redisServer();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ServerPair.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    ExtensionContext owner = context;
    while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) {
      owner = owner.getParent().get();
    }
    RedstartConfig config = testClass.getAnnotation(RedstartConfig.class);
    List<String> directives = config == null ? List.of() : Arrays.asList(config.value());
    return owner
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "pair:" + testClass.getName(), k -> start(directives), ServerPair.class);
  }

  private static ServerPair start(List<String> directives) {
    try {
      return ServerPair.start(directives);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new ParameterResolutionException("could not start the servers: " + e.getMessage(), e);
    }
  }
}
