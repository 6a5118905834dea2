package io.redstart.scripting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.embedded.Redstart;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Every way out of the Lua sandbox we know of fails with a Lua error, and leaves the server (and
 * the next script) unharmed: one test per escape attempt.
 */
class SandboxTest {
  private static Redstart.Handle server;
  private Jedis jedis;

  @BeforeAll
  static void start() throws Exception {
    server = Redstart.builder().port(0).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void connect() {
    jedis = new Jedis("127.0.0.1", server.port());
  }

  @AfterEach
  void stillHealthy() {
    // Whatever the escape tried, the libraries and globals of the next script are intact.
    assertThat(jedis.eval("return string.upper('ok') .. tostring(#redis.sha1hex('x'))"))
        .isEqualTo("OK40");
    assertThat(jedis.eval("return rawget(_G, 'os') == nil")).isEqualTo(1L);
    assertThat(jedis.ping()).isEqualTo("PONG");
    jedis.close();
  }

  private void refused(String script, String message) {
    assertThatThrownBy(() -> jedis.eval(script))
        .isInstanceOf(JedisDataException.class)
        .hasMessageContaining(message);
  }

  private void missingGlobal(String script, String name) {
    refused(script, "Script attempted to access nonexistent global variable '" + name + "'");
  }

  private void readOnly(String script) {
    refused(script, "Attempt to modify a readonly table");
  }

  @Test
  void osIsAbsent() {
    missingGlobal("return os.execute('touch /tmp/pwned')", "os");
  }

  @Test
  void ioIsAbsent() {
    missingGlobal("return io.open('/etc/passwd'):read('*a')", "io");
  }

  @Test
  void requireIsAbsent() {
    missingGlobal("return require('os')", "require");
  }

  @Test
  void packageIsAbsent() {
    missingGlobal("return package.loadlib('libc.so.6', 'system')", "package");
  }

  @Test
  void loadfileIsAbsent() {
    missingGlobal("return loadfile('/etc/passwd')", "loadfile");
  }

  @Test
  void dofileIsAbsent() {
    missingGlobal("return dofile('/etc/passwd')", "dofile");
  }

  @Test
  void printIsAbsent() {
    missingGlobal("print('x')", "print");
  }

  @Test
  void luajavaIsAbsent() {
    missingGlobal("return luajava.bindClass('java.lang.System'):exit(0)", "luajava");
  }

  @Test
  void debugIsAbsent() {
    missingGlobal("return debug.getregistry()", "debug");
  }

  @Test
  void rawlenAndOtherLua52GlobalsAreAbsent() {
    missingGlobal("return rawlen({})", "rawlen");
  }

  @Test
  void globalsCannotBeDefined() {
    readOnly("x = 1");
  }

  @Test
  void globalFunctionsCannotBeDefined() {
    readOnly("function f() end");
  }

  @Test
  void rawsetOnGlobalsIsRefused() {
    readOnly("rawset(_G, 'x', 1)");
  }

  @Test
  void globalsMetatableCannotBeReplaced() {
    readOnly("setmetatable(_G, {})");
  }

  @Test
  void globalsMetatableCannotBeEdited() {
    readOnly("getmetatable(_G).__index = function() return 1 end");
  }

  @Test
  void builtinsCannotBeReplaced() {
    readOnly("_G.tostring = function() return 'pwned' end");
  }

  @Test
  void stringLibraryCannotBeEdited() {
    readOnly("string.upper = function() return 'pwned' end");
  }

  @Test
  void stringMetatableCannotBeEdited() {
    readOnly("getmetatable('').__index = {upper = function() return 'pwned' end}");
  }

  @Test
  void stringMetatableIndexCannotBeEdited() {
    readOnly("getmetatable('').__index.upper = function() return 'pwned' end");
  }

  @Test
  void redisTableCannotBeEdited() {
    readOnly("redis.call = function() return 'pwned' end");
  }

  @Test
  void cjsonTableCannotBeEdited() {
    readOnly("cjson.encode = function() return 'pwned' end");
  }

  @Test
  void cmsgpackTableCannotBeEdited() {
    readOnly("cmsgpack.pack = nil");
  }

  @Test
  void bitTableCannotBeEdited() {
    readOnly("bit.band = nil");
  }

  @Test
  void structTableCannotBeEdited() {
    readOnly("struct.pack = nil");
  }

  @Test
  void mathTableCannotBeEdited() {
    readOnly("math.random = function() return 4 end");
  }

  @Test
  void tableInsertIntoALibraryIsRefused() {
    readOnly("table.insert(string, 'x')");
  }

  @Test
  void setfenvCannotSwapEnvironments() {
    refused("setfenv(1, {})", "cannot change environment");
  }

  @Test
  void precompiledChunksAreRefused() {
    Object r = jedis.eval(
        "local f, e = loadstring(string.dump(function() return 1 end)) return {tostring(f), e}");
    assertThat(r).isInstanceOf(List.class);
    List<?> l = (List<?>) r;
    assertThat(l.get(0)).isEqualTo("nil");
    assertThat((String) l.get(1)).isNotEmpty();
  }

  @Test
  void loadedChunksStayInTheSandbox() {
    missingGlobal("return loadstring('return os')()", "os");
  }

  @Test
  void deepRecursionIsALuaError() {
    refused("local function f(n) return 1 + f(n + 1) end return f(1)", "stack overflow");
  }

  @Test
  void deepPcallRecursionIsALuaError() {
    Object r = jedis.eval("local function f() return pcall(f) end return {f()}");
    // Lua 5.1's C-call limit: 198 successful pcalls, then false and "C stack overflow".
    assertThat(r).isInstanceOf(List.class);
    List<?> l = (List<?>) r;
    assertThat(l).hasSize(200);
    assertThat(l.get(l.size() - 1)).asString().contains("C stack overflow");
  }

  @Test
  void metamethodLoopsEnd() {
    refused("local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x",
        "stack overflow");
  }

  @Test
  void hugeStringsAreRefused() {
    refused("return string.rep('x', 2^30) .. string.rep('y', 2^30)", "Error running script");
  }

  @Test
  void deeplyNestedRepliesEndInAnError() throws Exception {
    // As Redis: the arrays down to Lua's stack limit, then an error element.
    String script = "local t = {} local c = t for i = 1, 9000 do c[1] = {} c = c[1] end return t";
    byte[] reply = RawRedis.call(server.port(), "EVAL", script, "0");
    String text = new String(reply, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(text).startsWith("*1\r\n*1\r\n").endsWith("*1\r\n-ERR reached lua stack limit\r\n");
    assertThat(text.split("\\*1\r\n", -1)).hasSize(7996);
  }

  @Test
  void scriptsCannotRunScripts() {
    refused("return redis.call('eval', 'return 1', 0)", "This Redis command is not allowed from script");
  }

  @Test
  void scriptsCannotBlock() {
    assertThat(jedis.eval("return redis.call('get', 'nokey')", List.of(), List.of())).isNull();
  }
}
