package io.redstart.command;

/**
 * Every error text Redstart replies with, word for word as Redis 7.0 sends it (with its prefix:
 * {@code ERR}, {@code WRONGTYPE}, {@code NOAUTH} ...). Handlers never spell an error themselves.
 */
public final class Errors {
  private Errors() {}

  // ---- shared errors (server.c createSharedObjects)
  public static final String WRONGTYPE =
      "WRONGTYPE Operation against a key holding the wrong kind of value";
  public static final String NO_SUCH_KEY = "ERR no such key";
  public static final String SYNTAX = "ERR syntax error";
  public static final String SAME_OBJECT = "ERR source and destination objects are the same";
  public static final String INDEX_OUT_OF_RANGE = "ERR index out of range";
  public static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";
  public static final String LOADING = "LOADING Redis is loading the dataset in memory";
  public static final String BUSY_EVAL =
      "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
  public static final String BUSY_FUNCTION =
      "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
  public static final String MASTERDOWN =
      "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
  public static final String MISCONF =
      "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to"
          + " disk. Commands that may modify the data set are disabled, because this instance is"
          + " configured to report errors during writes if RDB snapshotting fails"
          + " (stop-writes-on-bgsave-error option). Please check the Redis logs for details about"
          + " the RDB error.";
  public static final String READONLY = "READONLY You can't write against a read only replica.";
  public static final String NOAUTH = "NOAUTH Authentication required.";
  public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
  public static final String EXECABORT =
      "EXECABORT Transaction discarded because of previous errors.";
  public static final String NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";
  public static final String BUSYKEY = "BUSYKEY Target key name already exists.";

  // ---- authentication
  public static final String WRONGPASS =
      "WRONGPASS invalid username-password pair or user is disabled.";
  public static final String AUTH_NO_PASSWORD =
      "ERR AUTH <password> called without any password configured for the default user. Are you"
          + " sure your configuration is correct?";
  public static final String NOPROTO = "NOPROTO unsupported protocol version";

  // ---- numbers
  public static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";
  public static final String NOT_A_FLOAT = "ERR value is not a valid float";
  public static final String OUT_OF_RANGE = "ERR value is out of range";
  public static final String OUT_OF_RANGE_POSITIVE = "ERR value is out of range, must be positive";
  public static final String INCR_OVERFLOW = "ERR increment or decrement would overflow";
  public static final String DECR_OVERFLOW = "ERR decrement would overflow";
  public static final String INCR_NAN_OR_INF = "ERR increment would produce NaN or Infinity";
  public static final String OFFSET_OUT_OF_RANGE = "ERR offset is out of range";
  public static final String STRING_TOO_LONG =
      "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
  public static final String INVALID_EXPIRE_TIME_FORMAT = "ERR invalid expire time in '%s' command";
  public static final String TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range";
  public static final String TIMEOUT_NEGATIVE = "ERR timeout is negative";
  public static final String TIMEOUT_NOT_INTEGER = "ERR timeout is not an integer or out of range";

  // ---- keys and databases
  public static final String INVALID_CURSOR = "ERR invalid cursor";
  public static final String DB_INDEX_OUT_OF_RANGE = "ERR DB index is out of range";
  public static final String INVALID_FIRST_DB_INDEX = "ERR invalid first DB index";
  public static final String INVALID_SECOND_DB_INDEX = "ERR invalid second DB index";
  public static final String SELECT_IN_CLUSTER = "ERR SELECT is not allowed in cluster mode";
  public static final String SWAPDB_IN_CLUSTER = "ERR SWAPDB is not allowed in cluster mode";
  public static final String MOVE_IN_CLUSTER = "ERR MOVE is not allowed in cluster mode";
  public static final String COPY_IN_CLUSTER =
      "ERR Copying to another database is not allowed in cluster mode";
  public static final String NX_XX_GT_LT =
      "ERR NX and XX, GT or LT options at the same time are not compatible";
  public static final String GT_LT = "ERR GT and LT options at the same time are not compatible";
  public static final String LFU_NOT_SELECTED =
      "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note"
          + " that when switching between policies at runtime LRU and LFU data will take some time"
          + " to adjust.";
  public static final String LFU_SELECTED =
      "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when"
          + " switching between policies at runtime LRU and LFU data will take some time to"
          + " adjust.";

  // ---- clients and server
  public static final String NO_SUCH_CLIENT = "ERR No such client";
  public static final String CLIENT_NAME_SPACES =
      "ERR Client names cannot contain spaces, newlines or special characters.";
  public static final String NOT_IN_MULTI_CONTEXT = "ERR Command not allowed inside a transaction";
  public static final String MAX_CLIENTS = "ERR max number of clients reached";

  // ---- COMMAND GETKEYS
  public static final String INVALID_COMMAND_SPECIFIED = "ERR Invalid command specified";
  public static final String NO_KEY_ARGUMENTS = "ERR The command has no key arguments";
  public static final String INVALID_NUMBER_OF_ARGUMENTS =
      "ERR Invalid number of arguments specified for command";
  public static final String INVALID_ARGUMENTS = "ERR Invalid arguments specified for command";

  // ---- hashes, sets and SORT (t_hash.c, t_set.c, sort.c)
  public static final String HASH_VALUE_NOT_INTEGER = "ERR hash value is not an integer";
  public static final String HASH_VALUE_NOT_FLOAT = "ERR hash value is not a float";
  public static final String VALUE_NAN_OR_INFINITY = "ERR value is NaN or Infinity";
  public static final String NUMKEYS_NOT_POSITIVE = "ERR numkeys should be greater than 0";
  public static final String NUMKEYS_TOO_MANY =
      "ERR Number of keys can't be greater than number of args";
  public static final String LIMIT_NEGATIVE = "ERR LIMIT can't be negative";
  public static final String SORT_SCORES_NOT_DOUBLE =
      "ERR One or more scores can't be converted into double";
  public static final String SORT_BY_IN_CLUSTER = "ERR BY option of SORT denied in Cluster mode.";
  public static final String SORT_GET_IN_CLUSTER = "ERR GET option of SORT denied in Cluster mode.";

  // ---- pub/sub, client-side caching (CLIENT TRACKING / CACHING), MONITOR
  public static final String SSUBSCRIBE_DENY_BLOCKING =
      "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client";
  public static final String MONITOR_DENY_BLOCKING =
      "ERR MONITOR isn't allowed for DENY BLOCKING client";
  public static final String REPLICA_KEYSPACE = "ERR Replica can't interact with the keyspace";
  public static final String TRACKING_SINGLE_REDIRECT =
      "ERR A client can only redirect to a single other client";
  public static final String TRACKING_NO_SUCH_REDIRECT =
      "ERR The client ID you want redirect to does not exist";
  public static final String TRACKING_PREFIX_WITHOUT_BCAST =
      "ERR PREFIX option requires BCAST mode to be enabled";
  public static final String TRACKING_SWITCH_BCAST =
      "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then"
          + " re-enabling it with a different mode.";
  public static final String TRACKING_OPTIN_OPTOUT_BCAST =
      "ERR OPTIN and OPTOUT are not compatible with BCAST";
  public static final String TRACKING_OPTIN_AND_OPTOUT =
      "ERR You can't specify both OPTIN mode and OPTOUT mode";
  public static final String TRACKING_SWITCH_OPTIN_OPTOUT =
      "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then"
          + " re-enabling it with a different mode.";
  public static final String CACHING_WITHOUT_TRACKING =
      "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or"
          + " OPTOUT mode enabled";
  public static final String CACHING_YES_WITHOUT_OPTIN =
      "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.";
  public static final String CACHING_NO_WITHOUT_OPTOUT =
      "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.";

  /** A RESP2 connection in the subscribe context ran a command other than the few allowed. */
  public static String subscribeContext(String fullName) {
    return "ERR Can't execute '" + fullName + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING /"
        + " QUIT / RESET are allowed in this context";
  }

  /** Two BCAST prefixes of one CLIENT TRACKING call overlap (names as C strings). */
  public static String trackingPrefixOverlapsProvided(String prefix, String other) {
    return "ERR Prefix '" + prefix + "' overlaps with another provided prefix '" + other
        + "'. Prefixes for a single client must not overlap.";
  }

  /** A new BCAST prefix overlaps one the client already has (names as C strings). */
  public static String trackingPrefixOverlapsExisting(String prefix, String existing) {
    return "ERR Prefix '" + prefix + "' overlaps with an existing prefix '" + existing
        + "'. Prefixes for a single client must not overlap.";
  }

  // ---- lists
  public static final String LPOS_RANK_ZERO =
      "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use"
          + " negative to start from the end of the list";
  public static final String LPOS_COUNT_NEGATIVE = "ERR COUNT can't be negative";
  public static final String LPOS_MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
  public static final String LMPOP_NUMKEYS = "ERR numkeys should be greater than 0";
  public static final String LMPOP_COUNT = "ERR count should be greater than 0";
  public static final String NOT_A_QUICKLIST = "ERR Not a quicklist encoded object.";
  public static final String PACKED_THRESHOLD =
      "ERR argument must be a memory value bigger than 1 and smaller than 4gb";

  // ---- bitmaps (bitops.c) and HyperLogLog (hyperloglog.c)
  public static final String BIT_OFFSET = "ERR bit offset is not an integer or out of range";
  public static final String BIT_VALUE = "ERR bit is not an integer or out of range";
  public static final String BIT_ARGUMENT = "ERR The bit argument must be 1 or 0.";
  public static final String BITFIELD_TYPE =
      "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but"
          + " i64 is.";
  public static final String BITFIELD_OVERFLOW = "ERR Invalid OVERFLOW type specified";
  public static final String BITFIELD_RO_WRITE = "ERR BITFIELD_RO only supports the GET subcommand";
  public static final String BITOP_NOT_ONE_KEY =
      "ERR BITOP NOT must be called with a single source key.";
  public static final String HLL_WRONGTYPE =
      "WRONGTYPE Key is not a valid HyperLogLog string value.";
  public static final String HLL_INVALIDOBJ = "INVALIDOBJ Corrupted HLL object detected";
  public static final String HLL_NOT_SPARSE = "ERR HLL encoding is not sparse";
  public static final String PFDEBUG_NO_KEY = "ERR The specified key does not exist";

  // ---- scripting (EVAL, SCRIPT, FUNCTION, FCALL)
  public static final String NUMKEYS_TOO_BIG =
      "ERR Number of keys can't be greater than number of args";
  public static final String NUMKEYS_NEGATIVE = "ERR Number of keys can't be negative";
  public static final String NUMKEYS_BAD = "ERR Bad number of keys provided";
  public static final String NOTBUSY = "NOTBUSY No scripts in execution right now.";
  public static final String UNKILLABLE_MASTER =
      "UNKILLABLE The busy script was sent by a master instance in the context of replication and"
          + " cannot be killed.";
  public static final String UNKILLABLE_WROTE =
      "UNKILLABLE Sorry the script already executed write commands against the dataset. You can"
          + " either wait the script termination or kill the server in a hard way using the"
          + " SHUTDOWN NOSAVE command.";
  public static final String SCRIPT_MASTERDOWN =
      "MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' and"
          + " 'allow-stale' flag is not set on the script.";
  public static final String SCRIPT_WRITE_ON_READONLY_REPLICA =
      "READONLY Can not run script with write flag on readonly replica";
  public static final String SCRIPT_WRITE_WITH_RO =
      "ERR Can not execute a script with write flag using *_ro command.";
  public static final String SCRIPT_ALLOW_OOM =
      "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'";
  public static final String SCRIPT_FLUSH_OPTION = "ERR SCRIPT FLUSH only support SYNC|ASYNC option";
  public static final String FUNCTION_FLUSH_OPTION =
      "ERR FUNCTION FLUSH only supports SYNC|ASYNC option";
  public static final String FUNCTION_CODE_MISSING = "ERR Function code is missing";
  public static final String FUNCTION_NOT_FOUND = "ERR Function not found";
  public static final String LIBRARY_NAME_NOT_GIVEN = "ERR library name argument was not given";
  public static final String LIBRARY_NOT_FOUND = "ERR Library not found";
  public static final String RESTORE_POLICY =
      "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.";
  public static final String DUMP_PAYLOAD = "ERR DUMP payload version or checksum are wrong";
  public static final String RESTORE_NOT_A_FUNCTION = "ERR given type is not a function";
  public static final String RESTORE_FAILED = "ERR failed loading the given functions payload";

  /** {@code ERR Error compiling script (new function): <Lua's message>} */
  public static String scriptCompile(String luaMessage) {
    return "ERR Error compiling script (new function): " + luaMessage;
  }

  /** {@code ERR Error running script <name>, <message>}: Lua errors no handler saw (memory). */
  public static String scriptRunning(String name, String message) {
    return "ERR Error running script " + name + ", " + message;
  }

  // ---- streams (t_stream.c)
  public static final String STREAM_INVALID_ID =
      "ERR Invalid stream ID specified as stream command argument";
  public static final String STREAM_ID_ZERO = "ERR The ID specified in XADD must be greater than 0-0";
  public static final String STREAM_ID_TOO_SMALL =
      "ERR The ID specified in XADD is equal or smaller than the target stream top item";
  public static final String STREAM_TOO_LARGE = "ERR Elements are too large to be stored";
  public static final String STREAM_EXHAUSTED =
      "ERR The stream has exhausted the last possible ID, unable to add more items";
  public static final String STREAM_MAXLEN_MINID =
      "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";
  public static final String STREAM_MAXLEN_NEGATIVE = "ERR The MAXLEN argument must be >= 0.";
  public static final String STREAM_LIMIT_NEGATIVE = "ERR The LIMIT argument must be >= 0.";
  public static final String STREAM_LIMIT_WITHOUT_STRATEGY =
      "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy";
  public static final String STREAM_XTRIM_WITHOUT_STRATEGY =
      "ERR syntax error, XTRIM must be called with a trimming strategy";
  public static final String STREAM_LIMIT_WITHOUT_APPROX =
      "ERR syntax error, LIMIT cannot be used without the special ~ option";
  public static final String STREAM_INVALID_START = "ERR invalid start ID for the interval";
  public static final String STREAM_INVALID_END = "ERR invalid end ID for the interval";
  public static final String XREAD_UNBALANCED =
      "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.";
  public static final String XREAD_GROUP_OPTION =
      "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.";
  public static final String XREAD_NOACK_OPTION =
      "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.";
  public static final String XREADGROUP_MISSING_GROUP = "ERR Missing GROUP option for XREADGROUP";
  public static final String XREADGROUP_DOLLAR =
      "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of"
          + " this consumer by specifying a proper ID, or use the > ID to get new messages. The $"
          + " ID would just return an empty result set.";
  public static final String XREAD_GREATER_ID =
      "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group>"
          + " <consumer> option.";
  public static final String XREADGROUP_GROUP_GONE =
      "NOGROUP the consumer group this client was blocked on no longer exists";
  public static final String XREADGROUP_KEY_GONE = "UNBLOCKED the stream key no longer exists";
  public static final String XGROUP_ENTRIES_READ = "ERR value for ENTRIESREAD must be positive or -1";
  public static final String XGROUP_NO_KEY =
      "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to"
          + " use the MKSTREAM option to create an empty stream automatically.";
  public static final String BUSYGROUP = "BUSYGROUP Consumer Group name already exists";
  public static final String XSETID_ENTRIES_ADDED = "ERR entries_added must be positive";
  public static final String XSETID_BELOW_MAX_DELETED =
      "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id";
  public static final String XSETID_BELOW_TOP =
      "ERR The ID specified in XSETID is smaller than the target stream top item";
  public static final String XSETID_ENTRIES_BELOW_LENGTH =
      "ERR The entries_added specified in XSETID is smaller than the target stream length";
  public static final String XCLAIM_MIN_IDLE = "ERR Invalid min-idle-time argument for XCLAIM";
  public static final String XCLAIM_IDLE = "ERR Invalid IDLE option argument for XCLAIM";
  public static final String XCLAIM_TIME = "ERR Invalid TIME option argument for XCLAIM";
  public static final String XCLAIM_RETRYCOUNT = "ERR Invalid RETRYCOUNT option argument for XCLAIM";
  public static final String XAUTOCLAIM_MIN_IDLE =
      "ERR Invalid min-idle-time argument for XAUTOCLAIM";
  public static final String XAUTOCLAIM_COUNT = "ERR COUNT must be > 0";
  public static final String XAUTOCLAIM_MEMORY =
      "ERR Insufficient memory, failed allocating transient memory, COUNT too high.";

  /** {@code ERR Unrecognized XCLAIM option '%s'}. */
  public static String xclaimUnrecognizedOption(String option) {
    return "ERR Unrecognized XCLAIM option '" + option + "'";
  }

  /** {@code ERR %s command is not allowed with BLOCK option from scripts}. */
  public static String blockInScript(String command) {
    return "ERR " + command + " command is not allowed with BLOCK option from scripts";
  }

  /** {@code NOGROUP No such key '%s' or consumer group '%s'} (XPENDING, XCLAIM, XAUTOCLAIM). */
  public static String noKeyOrGroup(String key, String group) {
    return "NOGROUP No such key '" + key + "' or consumer group '" + group + "'";
  }

  /** XREADGROUP's NOGROUP, naming the key and group. */
  public static String noKeyOrGroupForRead(String key, String group) {
    return noKeyOrGroup(key, group) + " in XREADGROUP with GROUP option";
  }

  /** {@code NOGROUP No such consumer group '%s' for key name '%s'} (XGROUP, XINFO). */
  public static String noGroupForKey(String group, String key) {
    return "NOGROUP No such consumer group '" + group + "' for key name '" + key + "'";
  }

  // ---- formatted errors

  /** {@code ERR unknown command '%s', with args beginning with: '%s' ...} */
  public static String unknownCommand(String name, byte[][] argv) {
    StringBuilder args = new StringBuilder();
    for (int i = 1; i < argv.length && args.length() < 128; i++) {
      int room = 128 - args.length();
      String a = printable(argv[i]);
      if (a.length() > room) a = a.substring(0, room);
      args.append('\'').append(a).append("' ");
    }
    return "ERR unknown command '" + truncate(name, 128) + "', with args beginning with: " + args;
  }

  /** {@code ERR unknown subcommand '%s'. Try CONTAINER HELP.} */
  public static String unknownSubcommand(String sub, String container) {
    return "ERR unknown subcommand '" + truncate(sub, 128) + "'. Try " + container.toUpperCase()
        + " HELP.";
  }

  /** {@code ERR wrong number of arguments for '%s' command}; subcommands as "config|get". */
  public static String wrongArity(String fullName) {
    return "ERR wrong number of arguments for '" + fullName + "' command";
  }

  public static String invalidExpireTime(String command) {
    return "ERR invalid expire time in '" + command + "' command";
  }

  public static String valueOutOfRangeBetween(long min, long max) {
    return "ERR value is out of range, value must between " + min + " and " + max;
  }

  public static String unsupportedOption(String opt) {
    return "ERR Unsupported option " + opt;
  }

  static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  /** Redis escapes nothing here but stops at 128 chars; bytes are shown as Latin-1. */
  static String printable(byte[] b) {
    return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
