package io.redstart.scripting;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;

/**
 * A global table of a script engine. Closures created with it as their environment report to its
 * {@link ScriptGuard}, which LuaJ's interpreter calls as the debug library of these globals; the
 * guard's error handler is the error function of their Lua thread. Like {@link ReadOnlyTable} it
 * refuses changes while {@link #readonly} is on: Redis 7 protects the globals of scripts, so a
 * script cannot define globals ("Attempt to modify a readonly table"); the server lifts the
 * protection only to set KEYS and ARGV. Owned by the thread running scripts.
 */
final class LuaGlobals extends Globals {
  private boolean readonly;

  public LuaGlobals(ScriptGuard guard) {
    this.debuglib = guard;
    this.running.errorfunc = guard.errorHandler;
  }

  public void readonly(boolean on) {
    readonly = on;
  }

  public boolean readonly() {
    return readonly;
  }

  @Override
  public void set(int key, LuaValue value) {
    if (readonly) throw ReadOnly.error();
    super.set(key, value);
  }

  @Override
  public void set(LuaValue key, LuaValue value) {
    if (readonly) throw ReadOnly.error();
    super.set(key, value);
  }

  @Override
  public void rawset(int key, LuaValue value) {
    if (readonly) throw ReadOnly.apiError();
    super.rawset(key, value);
  }

  @Override
  public void rawset(LuaValue key, LuaValue value) {
    if (readonly) throw ReadOnly.apiError();
    super.rawset(key, value);
  }

  @Override
  public LuaValue setmetatable(LuaValue metatable) {
    if (readonly) throw ReadOnly.apiError();
    return super.setmetatable(metatable);
  }

  @Override
  public void insert(int pos, LuaValue value) {
    if (readonly) throw ReadOnly.apiError();
    super.insert(pos, value);
  }

  @Override
  public LuaValue remove(int pos) {
    if (readonly) throw ReadOnly.apiError();
    return super.remove(pos);
  }

  @Override
  public void sort(LuaValue comparator) {
    if (readonly) throw ReadOnly.apiError();
    super.sort(comparator);
  }

  @Override
  public void hashset(LuaValue key, LuaValue value) {
    if (readonly) throw ReadOnly.apiError();
    super.hashset(key, value);
  }
}
