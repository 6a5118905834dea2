package io.redstart.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * A Lua error whose value is final when raised: LuaJ adds no position to it (Lua 5.1 has already
 * placed one, or none, in the value). Raised by {@code error(msg, level)}, which computes its own
 * position from the level, and by errors Lua raises without position (writes to read-only tables
 * through the API, "not enough memory").
 *
 * <p>LuaJ still runs the error handler of the script's guard when the error crosses its first
 * Lua frame (that records the position Redis adds to the reply); what that handler returns is
 * ignored here, because both {@link #getMessage} and {@link #getMessageObject} give the value.
 */
class FixedMessageError extends LuaError {
  private static final long serialVersionUID = 1L;

  private final LuaValue value;

  FixedMessageError(LuaValue value) {
    super(value);
    this.value = value;
  }

  FixedMessageError(String message) {
    this(LuaValue.valueOf(message));
  }

  @Override
  public String getMessage() {
    return value.tojstring();
  }

  @Override
  public LuaValue getMessageObject() {
    return value;
  }
}
