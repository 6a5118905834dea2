package io.redstart.scripting;

import org.luaj.vm2.Varargs;

/**
 * What the {@code redis} Lua table asks of the server: running commands and changing the state of
 * the current run. Implemented by {@link Scripting}; called on the keyspace thread while a script
 * runs (and, for the checks that say so, outside of any run).
 */
interface RedisBridge {
  /** redis.call (raise true) and redis.pcall: the command's reply as Lua values. */
  Varargs call(Varargs args, boolean raise);

  /** Whether a script is being run (false while FUNCTION LOAD runs a library's body). */
  boolean inRun();

  void setResp(int resp);

  void setRepl(int flags);

  /** redis.acl_check_cmd: whether the caller's user may run this command line. */
  Varargs aclCheck(Varargs args);

  /** Writes a line to the server log at Redis's level (0 debug .. 3 warning). */
  void log(int level, String message);

  /** The next number of Redis's math.random generator, in [0, 1). */
  double random();

  void randomSeed(int seed);
}
