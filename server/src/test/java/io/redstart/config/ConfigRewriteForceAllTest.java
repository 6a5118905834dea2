package io.redstart.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DEBUG CONFIG-REWRITE-FORCE-ALL's file: every directive, defaults included, and a server reading
 * it back gets the same configuration (what Redis's CONFIG sanity test checks after a restart).
 */
class ConfigRewriteForceAllTest {

  @Test
  void everyDirectiveIsWrittenAndReadsBackTheSame() throws Exception {
    Config config = new Config();
    String text = ConfigRewriter.render(config, null, true);
    String defaults = ConfigRewriter.render(config, null, false);
    assertThat(text.lines().count()).isGreaterThan(defaults.lines().count() + 100);
    assertThat(text).contains("\nmaxmemory-policy noeviction\n").contains("\nhz 10\n");

    Config reread = new Config();
    List<String> notImplemented = new ArrayList<>();
    new ConfigLoader(reread, notImplemented::add).loadString(text);
    for (ConfigParam p : ConfigParams.all()) {
      assertThat(reread.format(p)).as(p.name).isEqualTo(config.format(p));
    }
  }
}
