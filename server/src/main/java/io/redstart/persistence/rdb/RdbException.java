package io.redstart.persistence.rdb;

/**
 * A file or payload in RDB format that cannot be read: cut short, damaged, of an unknown version,
 * or holding what this server cannot load (module data). {@link #offset} is the byte position of
 * the reader when the problem was found, or -1 when unknown.
 */
public final class RdbException extends Exception {
  /** Why the input was refused. */
  public enum Kind {
    /** The input ended before the format said it would (Redis's "Short read"). */
    SHORT_READ,
    /** The bytes do not follow the format (Redis's "corrupt" reports). */
    CORRUPT,
    /** Valid for Redis but not loadable here (module types, newer versions). */
    UNSUPPORTED
  }

  private final Kind kind;
  private final long offset;

  public RdbException(Kind kind, String message, long offset) {
    super(message, null, false, false);
    this.kind = kind;
    this.offset = offset;
  }

  public Kind kind() {
    return kind;
  }

  public long offset() {
    return offset;
  }

  static RdbException corrupt(String message, long offset) {
    return new RdbException(Kind.CORRUPT, message, offset);
  }

  static RdbException shortRead(long offset) {
    return new RdbException(Kind.SHORT_READ, "Unexpected EOF reading RDB file", offset);
  }
}
