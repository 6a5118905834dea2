package io.redstart.scripting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redstart.embedded.Redstart;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.FlushMode;
import redis.clients.jedis.args.FunctionRestorePolicy;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.LibraryInfo;

/** EVAL, EVALSHA, SCRIPT and FUNCTION through Jedis's scripting API against an embedded server. */
class ScriptingJedisTest {
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
    jedis.flushAll();
    jedis.scriptFlush();
    jedis.functionFlush();
  }

  @AfterEach
  void disconnect() {
    jedis.close();
  }

  @Test
  void evalConvertsRepliesBothWays() {
    assertThat(jedis.eval("return 1")).isEqualTo(1L);
    assertThat(jedis.eval("return 3.99")).isEqualTo(3L);
    assertThat(jedis.eval("return 'x'")).isEqualTo("x");
    assertThat(jedis.eval("return true")).isEqualTo(1L);
    assertThat(jedis.eval("return false")).isNull();
    assertThat(jedis.eval("return {1, 'a', {2}, nil, 5}")).isEqualTo(List.of(1L, "a", List.of(2L)));
    assertThat(jedis.eval("return {ok='FINE'}")).isEqualTo("FINE");
    assertThat(jedis.eval("return tostring(1/3)")).isEqualTo("0.33333333333333");
    assertThatThrownBy(() -> jedis.eval("return {err='MY failure'}"))
        .isInstanceOf(JedisDataException.class)
        .hasMessage("MY failure");
    assertThat(
            jedis.eval("return redis.call('set', KEYS[1], ARGV[1])", List.of("k"), List.of("v")))
        .isEqualTo("OK");
    assertThat(jedis.eval("return redis.call('get', KEYS[1])", List.of("k"), List.of()))
        .isEqualTo("v");
    assertThat(jedis.eval("return redis.call('get', 'nokey')")).isNull();
    assertThat(jedis.eval("return type(redis.call('get', 'nokey'))")).isEqualTo("boolean");
  }

  @Test
  void evalshaAndTheScriptCache() {
    String sha = jedis.scriptLoad("return ARGV[1] .. '!'");
    assertThat(sha).hasSize(40).matches("[0-9a-f]{40}");
    assertThat(jedis.evalsha(sha, List.of(), List.of("hi"))).isEqualTo("hi!");
    assertThat(jedis.evalsha(sha.toUpperCase(), List.of(), List.of("x"))).isEqualTo("x!");
    assertThat(jedis.scriptExists(sha, "0000000000000000000000000000000000000000"))
        .containsExactly(true, false);
    assertThat(jedis.scriptFlush(FlushMode.ASYNC)).isEqualTo("OK");
    assertThatThrownBy(() -> jedis.evalsha(sha))
        .hasMessage("NOSCRIPT No matching script. Please use EVAL.");
    assertThatThrownBy(() -> jedis.evalsha("short"))
        .hasMessage("NOSCRIPT No matching script. Please use EVAL.");
  }

  @Test
  void errorsCarryTheScriptAndLine() {
    String sha = jedis.scriptLoad("local x = 1\nreturn redis.call('nosuch')");
    assertThatThrownBy(() -> jedis.evalsha(sha))
        .hasMessage("ERR Unknown Redis command called from script script: " + sha
            + ", on @user_script:2.");
    assertThatThrownBy(() -> jedis.eval("return redis.call('set', 'x')"))
        .hasMessageStartingWith("ERR Wrong number of args calling Redis command from script");
    assertThatThrownBy(() -> jedis.eval("return nil + 1"))
        .hasMessageStartingWith("ERR user_script:1: attempt to perform arithmetic on a nil value");
    assertThatThrownBy(() -> jedis.eval("return ("))
        .hasMessage("ERR Error compiling script (new function): user_script:1: unexpected symbol"
            + " near '<eof>'");
    assertThatThrownBy(() -> jedis.eval("return 1", 2, "a"))
        .hasMessage("ERR Number of keys can't be greater than number of args");
    assertThatThrownBy(() -> jedis.eval("return redis.call('multi')"))
        .hasMessageStartingWith("ERR This Redis command is not allowed from script");
    assertThat(jedis.eval("return redis.pcall('incr', KEYS[1])", List.of("s"), List.of()))
        .isEqualTo(1L);
    jedis.set("s", "abc");
    Object r = jedis.eval("local ok, e = pcall(redis.call, 'incr', KEYS[1]) return e",
        List.of("s"), List.of());
    assertThat(r).isEqualTo("ERR value is not an integer or out of range");
  }

  @Test
  void shebangFlagsAndReadOnlyVariants() {
    assertThatThrownBy(() -> jedis.eval("#!lua flags=no-writes\nreturn redis.call('set','a','b')"))
        .hasMessageStartingWith("ERR Write commands are not allowed from read-only scripts.");
    assertThatThrownBy(() -> jedis.eval("#!lua flags=bogus\nreturn 1"))
        .hasMessage("ERR Unexpected flag in script shebang: bogus");
    assertThatThrownBy(() -> jedis.eval("#!python\nreturn 1"))
        .hasMessage("ERR Unexpected engine in script shebang: #!python");
    assertThatThrownBy(() -> jedis.evalReadonly("#!lua\nreturn 1", List.of(), List.of()))
        .hasMessage("ERR Can not execute a script with write flag using *_ro command.");
    assertThat(jedis.evalReadonly("#!lua flags=no-writes\nreturn 7", List.of(), List.of()))
        .isEqualTo(7L);
    assertThatThrownBy(
            () -> jedis.evalReadonly("return redis.call('del', KEYS[1])", List.of("x"), List.of()))
        .hasMessageStartingWith("ERR Write commands are not allowed from read-only scripts.");
  }

  @Test
  void scriptsSeeTheTimeTheyStarted() {
    String script =
        "redis.call('set', KEYS[1], 'v', 'px', 5) local t = redis.call('time')"
            + " while true do local n = redis.call('time')"
            + " if (n[1] - t[1]) * 1000000 + (n[2] - t[2]) > 30000 then break end end"
            + " return redis.call('exists', KEYS[1])";
    // 30 ms after setting a 5 ms expiry the key is still there: expiry uses the script's start.
    assertThat(jedis.eval(script, List.of("tk"), List.of())).isEqualTo(1L);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (jedis.exists("tk")) {
      assertThat(System.nanoTime()).isLessThan(deadline);
    }
  }

  @Test
  void denyOomRefusesTheFirstWriteOnly() {
    jedis.set("k", "v");
    jedis.configSet("maxmemory", "1");
    try {
      assertThatThrownBy(() -> jedis.eval("return redis.call('set', 'a', 'b')"))
          .hasMessageStartingWith("OOM command not allowed when used memory > 'maxmemory'."
              + " script: ");
      assertThat(jedis.eval("return redis.call('get', 'k')")).isEqualTo("v");
      // DEL does not grow memory; once the script wrote, later writes must go through.
      assertThat(jedis.eval("redis.call('del', 'nokey') return redis.call('set', 'a', 'b')"))
          .isEqualTo("OK");
      assertThatThrownBy(() -> jedis.eval("#!lua\nreturn 1"))
          .hasMessage("OOM command not allowed when used memory > 'maxmemory'.");
      assertThat(jedis.eval("#!lua flags=allow-oom\nreturn redis.call('set', 'a', 'c')"))
          .isEqualTo("OK");
      assertThat(jedis.eval("#!lua flags=no-writes\nreturn redis.call('get', 'a')"))
          .isEqualTo("c");
    } finally {
      jedis.configSet("maxmemory", "0");
    }
  }

  @Test
  void compareAndDeleteLockFromRedisDocs() {
    String release =
        "if redis.call(\"get\",KEYS[1]) == ARGV[1] then\n"
            + "    return redis.call(\"del\",KEYS[1])\n"
            + "else\n"
            + "    return 0\n"
            + "end";
    assertThat(jedis.set("lock", "token-1", SetParams.setParams().nx().px(30_000))).isEqualTo("OK");
    assertThat(jedis.set("lock", "token-2", SetParams.setParams().nx().px(30_000))).isNull();
    assertThat(jedis.eval(release, List.of("lock"), List.of("token-2"))).isEqualTo(0L);
    assertThat(jedis.exists("lock")).isTrue();
    assertThat(jedis.eval(release, List.of("lock"), List.of("token-1"))).isEqualTo(1L);
    assertThat(jedis.exists("lock")).isFalse();
    assertThat(jedis.set("lock", "token-2", SetParams.setParams().nx().px(30_000))).isEqualTo("OK");
  }

  @Test
  void functionsLoadCallListDelete() {
    String lib =
        "#!lua name=mylib\n"
            + "redis.register_function('echo', function(keys, args) return args[1] end)\n"
            + "redis.register_function{function_name='getter', callback=function(keys, args)"
            + " return redis.call('get', keys[1]) end, flags={'no-writes'},"
            + " description='reads a key'}\n";
    assertThat(jedis.functionLoad(lib)).isEqualTo("mylib");
    assertThatThrownBy(() -> jedis.functionLoad(lib))
        .hasMessage("ERR Library 'mylib' already exists");
    assertThat(jedis.functionLoadReplace(lib)).isEqualTo("mylib");
    assertThat(jedis.fcall("echo", List.of(), List.of("hello"))).isEqualTo("hello");
    jedis.set("k", "v");
    assertThat(jedis.fcallReadonly("getter", List.of("k"), List.of())).isEqualTo("v");
    assertThatThrownBy(() -> jedis.fcallReadonly("echo", List.of(), List.of("x")))
        .hasMessage("ERR Can not execute a script with write flag using *_ro command.");
    assertThatThrownBy(() -> jedis.fcall("nosuch", List.of(), List.of()))
        .hasMessage("ERR Function not found");
    List<LibraryInfo> libs = jedis.functionList();
    assertThat(libs).hasSize(1);
    assertThat(libs.get(0).getLibraryName()).isEqualTo("mylib");
    assertThat(libs.get(0).getEngine()).isEqualTo("LUA");
    assertThat(libs.get(0).getFunctions()).hasSize(2);
    assertThat(jedis.functionDelete("mylib")).isEqualTo("OK");
    assertThatThrownBy(() -> jedis.functionDelete("mylib")).hasMessage("ERR Library not found");
  }

  @Test
  void functionLoadErrors() {
    assertThatThrownBy(() -> jedis.functionLoad("return 1"))
        .hasMessage("ERR Missing library metadata");
    assertThatThrownBy(() -> jedis.functionLoad("#!lua\n"))
        .hasMessage("ERR Library name was not given");
    assertThatThrownBy(() -> jedis.functionLoad("#!lua name=x\nreturn 1"))
        .hasMessage("ERR No functions registered");
    assertThatThrownBy(() -> jedis.functionLoad("#!lua name=x\nredis.call('ping')"))
        .hasMessage("ERR Error registering functions: ERR user_function:2: Script attempted to"
            + " access nonexistent global variable 'call'");
    assertThatThrownBy(() -> jedis.functionLoad("#!lua name=x\nwhile true do end"))
        .hasMessageContaining("FUNCTION LOAD timeout");
  }

  @Test
  void functionDumpRestoreRoundTrip() {
    jedis.functionLoad("#!lua name=a\nredis.register_function('fa', function() return 'A' end)");
    jedis.functionLoad("#!lua name=b\nredis.register_function('fb', function() return 'B' end)");
    byte[] dump = jedis.functionDump();
    assertThat(jedis.functionFlush()).isEqualTo("OK");
    assertThat(jedis.functionList()).isEmpty();
    assertThat(jedis.functionRestore(dump)).isEqualTo("OK");
    assertThat(jedis.fcall("fa", List.of(), List.of())).isEqualTo("A");
    assertThat(jedis.fcall("fb", List.of(), List.of())).isEqualTo("B");
    assertThatThrownBy(() -> jedis.functionRestore(dump))
        .hasMessage("ERR Library a already exists");
    assertThat(jedis.functionRestore(dump, FunctionRestorePolicy.REPLACE)).isEqualTo("OK");
    jedis.functionLoad("#!lua name=c\nredis.register_function('fc', function() return 'C' end)");
    assertThat(jedis.functionRestore(dump, FunctionRestorePolicy.FLUSH)).isEqualTo("OK");
    assertThat(jedis.functionList()).hasSize(2);
    assertThatThrownBy(() -> jedis.fcall("fc", List.of(), List.of()))
        .hasMessage("ERR Function not found");
    byte[] corrupt = dump.clone();
    corrupt[corrupt.length - 1] ^= 1;
    assertThatThrownBy(() -> jedis.functionRestore(corrupt))
        .hasMessage("ERR DUMP payload version or checksum are wrong");
  }

  @Test
  void functionStatsWhileIdle() {
    jedis.functionLoad("#!lua name=a\nredis.register_function('fa', function() return 1 end)");
    Map<String, Object> stats = jedis.functionStats().getEngines().get("LUA");
    assertThat(stats).containsEntry("libraries_count", 1L).containsEntry("functions_count", 1L);
    assertThat(jedis.functionStats().getRunningScript()).isNull();
  }
}
