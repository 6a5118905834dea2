package io.redstart.scripting;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A Lua table that refuses every change once {@link #freeze frozen}, as the tables Redis's Lua
 * marks read-only (the libraries, the {@code redis} table, their metatables): assignments,
 * {@code rawset}, {@code setmetatable}, {@code table.insert/remove/sort} raise "Attempt to modify a
 * readonly table". Owned by the thread running scripts.
 */
public class ReadOnlyTable extends LuaTable {
  private boolean frozen;

  public void freeze() {
    frozen = true;
  }

  public boolean frozen() {
    return frozen;
  }

  /** Sets a field even when frozen: for the server's own switches (the functions' globals). */
  void forceSet(LuaValue key, LuaValue value) {
    boolean was = frozen;
    frozen = false;
    try {
      super.rawset(key, value);
    } finally {
      frozen = was;
    }
  }

  @Override
  public void set(int key, LuaValue value) {
    if (frozen) throw ReadOnly.error();
    super.set(key, value);
  }

  @Override
  public void set(LuaValue key, LuaValue value) {
    if (frozen) throw ReadOnly.error();
    super.set(key, value);
  }

  @Override
  public void rawset(int key, LuaValue value) {
    if (frozen) throw ReadOnly.apiError();
    super.rawset(key, value);
  }

  @Override
  public void rawset(LuaValue key, LuaValue value) {
    if (frozen) throw ReadOnly.apiError();
    super.rawset(key, value);
  }

  @Override
  public LuaValue setmetatable(LuaValue metatable) {
    if (frozen) throw ReadOnly.apiError();
    return super.setmetatable(metatable);
  }

  @Override
  public void insert(int pos, LuaValue value) {
    if (frozen) throw ReadOnly.apiError();
    super.insert(pos, value);
  }

  @Override
  public LuaValue remove(int pos) {
    if (frozen) throw ReadOnly.apiError();
    return super.remove(pos);
  }

  @Override
  public void sort(LuaValue comparator) {
    if (frozen) throw ReadOnly.apiError();
    super.sort(comparator);
  }

  @Override
  public void hashset(LuaValue key, LuaValue value) {
    if (frozen) throw ReadOnly.apiError();
    super.hashset(key, value);
  }
}
