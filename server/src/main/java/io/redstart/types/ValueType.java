package io.redstart.types;

/**
 * The type of a value as TYPE and SCAN TYPE name it. {@link #code} is the in-memory tag packed
 * into a key's header; it is not an on-disk constant (RDB has its own, frozen, numbers).
 */
public enum ValueType {
  STRING(0, "string"),
  LIST(1, "list"),
  SET(2, "set"),
  ZSET(3, "zset"),
  HASH(4, "hash"),
  STREAM(5, "stream");

  public final int code;
  public final String typeName;

  ValueType(int code, String typeName) {
    this.code = code;
    this.typeName = typeName;
  }

  private static final ValueType[] BY_CODE = values();

  public static ValueType ofCode(int code) {
    return BY_CODE[code];
  }

  /** The type named {@code name} (case-insensitive), or null. */
  public static ValueType byName(String name) {
    for (ValueType t : BY_CODE) if (t.typeName.equalsIgnoreCase(name)) return t;
    return null;
  }
}
