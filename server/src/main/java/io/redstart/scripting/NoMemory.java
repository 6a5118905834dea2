package io.redstart.scripting;

/**
 * Lua's memory error ("not enough memory"): a script that would take the server's memory. As in
 * Lua 5.1, pcall catches it, its message has no position, and the error handler of the script
 * does not run for it, so the reply is Redis's "Error running script" form.
 */
final class NoMemory extends FixedMessageError {
  private static final long serialVersionUID = 1L;

  NoMemory() {
    super("not enough memory");
  }
}
