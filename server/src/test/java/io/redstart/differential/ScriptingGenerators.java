package io.redstart.differential;

import static io.redstart.differential.Gen.args;

/**
 * Random EVAL, EVALSHA, EVAL_RO and SCRIPT calls for {@link DifferentialRandomTest}: small scripts
 * over the random keys (reads, writes, pcall of wrong types, errors, number conversions), so that
 * scripts meet every state the other generators leave.
 */
final class ScriptingGenerators {
  private ScriptingGenerators() {}

  /** Script bodies; KEYS[1], KEYS[2] and ARGV[1] come from the generator. */
  private static final String[] SCRIPTS = {
    "return redis.call('get', KEYS[1])",
    "return redis.call('set', KEYS[1], ARGV[1])",
    "return redis.pcall('incr', KEYS[1])",
    "return redis.call('incrby', KEYS[1], 3)",
    "return redis.call('del', KEYS[1], KEYS[2])",
    "return redis.call('exists', KEYS[1], KEYS[2])",
    "return {redis.call('get', KEYS[1]), redis.call('get', KEYS[2])}",
    "redis.call('set', KEYS[1], ARGV[1]) return redis.call('strlen', KEYS[1])",
    "return redis.call('append', KEYS[1], ARGV[1])",
    "return redis.pcall('type', KEYS[1])",
    "return tostring(redis.call('get', KEYS[1]))",
    "local v = redis.call('get', KEYS[1]) if v then return #v else return -1 end",
    "return {ok = redis.call('type', KEYS[1]).ok}",
    "return redis.call('ttl', KEYS[1]) > -2",
    "return redis.call('expire', KEYS[1], 1000)",
    "return tonumber(ARGV[1])",
    "return cjson.encode({KEYS[1], ARGV[1]})",
    "return redis.call('mget', KEYS[1], KEYS[2])",
    "return redis.call('nosuchcommand')",
    "return nil + ARGV[1]",
  };

  /** The SHA1 of each script, for EVALSHA. */
  private static final String[] SHAS = new String[SCRIPTS.length];

  static {
    for (int i = 0; i < SCRIPTS.length; i++) SHAS[i] = sha1(SCRIPTS[i]);
  }

  static void register(RandomCommands r) {
    r.register("eval", "scripting", 6, g -> {
      int i = g.between(0, SCRIPTS.length - 1);
      return args("EVAL", SCRIPTS[i], "2", g.key(), g.key(), g.value()).list();
    });
    r.register("eval_ro", "scripting", 2, g -> {
      int i = g.between(0, SCRIPTS.length - 1);
      return args("EVAL_RO", SCRIPTS[i], "2", g.key(), g.key(), g.value()).list();
    });
    r.register("evalsha", "scripting", 4, g -> {
      int i = g.between(0, SCRIPTS.length - 1);
      return args("EVALSHA", g.chance(80) ? SHAS[i] : SHAS[i].substring(1), "2", g.key(), g.key(),
          g.value()).list();
    });
    r.register("script|load", "scripting", 1,
        g -> args("SCRIPT", "LOAD", SCRIPTS[g.between(0, SCRIPTS.length - 1)]).list());
    r.register("script|exists", "scripting", 1,
        g -> args("SCRIPT", "EXISTS", SHAS[g.between(0, SHAS.length - 1)], "f".repeat(40)).list());
  }

  private static String sha1(String s) {
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-1")
          .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(h);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
