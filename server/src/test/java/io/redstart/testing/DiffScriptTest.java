package io.redstart.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DiffScriptTest {
  @Test
  void parsesCommandsDirectivesAndHeaders() {
    DiffScript s =
        DiffScript.parse(
            "t.redis",
            """
            # a comment
            #requires lpush hset
            #protocol 2

            SET k "a b" #~ ttl sorted
              GET k
            ECHO "has #~ inside quotes" #~ ignore
            ECHO "unbalanced #~ inline closes
            """);
    assertThat(s.requires()).containsExactly("lpush", "hset");
    assertThat(s.protocols()).containsExactly(2);
    assertThat(s.lines()).hasSize(4);
    DiffScript.Line set = s.lines().get(0);
    assertThat(set.number()).isEqualTo(5);
    assertThat(set.argv()).hasNumberOfRows(3);
    assertThat(Bytes.latin1(set.argv()[2])).isEqualTo("a b");
    assertThat(set.directives()).containsExactly("ttl", "sorted");
    assertThat(s.lines().get(1).directives()).isEmpty();
    assertThat(Bytes.latin1(s.lines().get(2).argv()[1])).isEqualTo("has #~ inside quotes");
    DiffScript.Line inline = s.lines().get(3);
    assertThat(inline.has("inline")).isTrue();
    assertThat(Bytes.latin1(inline.inlineBytes())).isEqualTo("ECHO \"unbalanced\r\n");
  }

  @Test
  void rejectsUnknownDirectivesAndUnbalancedQuotes() {
    assertThatThrownBy(() -> DiffScript.parse("t.redis", "GET k #~ sortd\n"))
        .hasMessageContaining("t.redis:1")
        .hasMessageContaining("sortd");
    assertThatThrownBy(() -> DiffScript.parse("t.redis", "\nGET \"k\n"))
        .hasMessageContaining("t.redis:2")
        .hasMessageContaining("unbalanced");
    assertThatThrownBy(() -> DiffScript.parse("t.redis", "#protocol 4\n"))
        .hasMessageContaining("#protocol");
  }

  @Test
  void everyCommittedScriptParses() throws IOException, URISyntaxException {
    URL dir = getClass().getClassLoader().getResource("differential");
    assertThat(dir).isNotNull();
    List<Path> scripts;
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      scripts = files.filter(p -> p.toString().endsWith(".redis")).toList();
    }
    assertThat(scripts).hasSizeGreaterThan(5);
    for (Path p : scripts) {
      DiffScript s = DiffScript.load("differential/" + p.getFileName());
      assertThat(s.lines()).as(p.getFileName().toString()).isNotEmpty();
    }
  }
}
