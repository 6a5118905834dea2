package io.redstart.persistence.rdb;

import io.redstart.types.ValueType;
import java.util.EnumMap;
import java.util.Map;

/**
 * The registry of {@link TypeAdapter}s, one per collection type that exists in this build.
 * Populated once, statically; read from any thread.
 */
public final class TypeAdapters {
  private TypeAdapters() {}

  private static final Map<ValueType, TypeAdapter> BY_TYPE = new EnumMap<>(ValueType.class);

  static {
    register(new ListAdapter());
    register(new StreamAdapter());
    register(new HashAdapter());
    register(new SetAdapter());
    register(new ZSetAdapter());
  }

  private static void register(TypeAdapter a) {
    BY_TYPE.put(a.type(), a);
  }

  /** The adapter of {@code type}, or null when the type has none (strings, missing types). */
  public static TypeAdapter of(ValueType type) {
    return BY_TYPE.get(type);
  }

  /** The value type an RDB type byte holds. */
  public static ValueType valueTypeOf(int rdbType) {
    return switch (rdbType) {
      case RdbConstants.TYPE_STRING -> ValueType.STRING;
      case RdbConstants.TYPE_LIST,
          RdbConstants.TYPE_LIST_ZIPLIST,
          RdbConstants.TYPE_LIST_QUICKLIST,
          RdbConstants.TYPE_LIST_QUICKLIST_2 -> ValueType.LIST;
      case RdbConstants.TYPE_SET, RdbConstants.TYPE_SET_INTSET, RdbConstants.TYPE_SET_LISTPACK ->
          ValueType.SET;
      case RdbConstants.TYPE_ZSET,
          RdbConstants.TYPE_ZSET_2,
          RdbConstants.TYPE_ZSET_ZIPLIST,
          RdbConstants.TYPE_ZSET_LISTPACK -> ValueType.ZSET;
      case RdbConstants.TYPE_HASH,
          RdbConstants.TYPE_HASH_ZIPMAP,
          RdbConstants.TYPE_HASH_ZIPLIST,
          RdbConstants.TYPE_HASH_LISTPACK -> ValueType.HASH;
      case RdbConstants.TYPE_STREAM_LISTPACKS,
          RdbConstants.TYPE_STREAM_LISTPACKS_2,
          RdbConstants.TYPE_STREAM_LISTPACKS_3 -> ValueType.STREAM;
      default -> null;
    };
  }
}
