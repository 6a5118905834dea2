package io.redstart.command;

/**
 * Where a command's keys are, as Redis 7 key specs describe it: a begin-search step (a fixed
 * index, or the position after a keyword) and a find-keys step (a range, or a count read from an
 * argument). Used by COMMAND GETKEYS, cluster routing and ACL key checks.
 *
 * @param flags key-spec flag names as COMMAND INFO lists them ("RW", "ACCESS", ...)
 * @param beginIndex begin_search index (>0), or 0 when the search is by keyword
 * @param keyword begin_search keyword, or null
 * @param keywordStartFrom where the keyword search starts (negative: from the end)
 * @param range true for find_keys range, false for keynum
 * @param lastKey range: last key relative to the first (-1: last argument, -2: ...)
 * @param keyStep range/keynum step between keys
 * @param limit range: limit (0: none; n: 1/n of the remaining args)
 * @param keynumIndex keynum: index of the count argument relative to the begin position
 * @param firstKey keynum: first key relative to the begin position
 */
public record KeySpec(
    String[] flags,
    String notes,
    int beginIndex,
    String keyword,
    int keywordStartFrom,
    boolean range,
    int lastKey,
    int keyStep,
    int limit,
    int keynumIndex,
    int firstKey,
    boolean unknownBegin,
    boolean unknownFind) {

  public static KeySpec indexRange(String[] flags, int index, int lastKey, int step, int limit) {
    return new KeySpec(flags, null, index, null, 0, true, lastKey, step, limit, 0, 0, false, false);
  }
}
