package io.redstart.scripting;

import org.luaj.vm2.LuaError;

/** The error Redis's Lua raises on any write to a protected table. */
final class ReadOnly {
  private ReadOnly() {}

  static final String MESSAGE = "Attempt to modify a readonly table";

  /** Raised by an assignment in Lua code: the error carries the script's position. */
  static LuaError error() {
    return new LuaError(MESSAGE);
  }

  /**
   * Raised through a library function (rawset, setmetatable, table.insert ...): as in Redis's
   * Lua, where the C API raises it, without position.
   */
  static LuaError apiError() {
    return new FixedMessageError(MESSAGE);
  }
}
