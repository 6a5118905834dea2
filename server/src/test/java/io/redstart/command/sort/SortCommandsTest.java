package io.redstart.command.sort;

import static org.assertj.core.api.Assertions.assertThat;

import io.redstart.command.collection.InProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SORT in-process: STORE's events, dirty count and propagation; the script rule; collation. */
class SortCommandsTest {
  private InProcess s;

  @BeforeEach
  void setUp() {
    s = new InProcess();
  }

  @Test
  void storeFiresSortstoreCountsTheElementsAndIsPropagatedAsSent() {
    s.raw("CONFIG", "SET", "notify-keyspace-events", "KEAn");
    s.raw("RPUSH", "l", "3", "1", "2");
    s.events.clear();
    s.propagated.clear();
    long dirty = s.dirty();
    assertThat(s.raw("SORT", "l", "GET", "#", "GET", "nosuch", "STORE", "dst")).isEqualTo(":6\r\n");
    assertThat(s.dirty() - dirty).isEqualTo(6);
    assertThat(s.events)
        .containsExactly(
            "__keyspace@0__:dst new",
            "__keyevent@0__:new dst",
            "__keyspace@0__:dst sortstore",
            "__keyevent@0__:sortstore dst");
    assertThat(s.propagated).containsExactly("SORT l GET # GET nosuch STORE dst");
    assertThat(s.raw("LRANGE", "dst", "0", "-1"))
        .isEqualTo("*6\r\n$1\r\n1\r\n$0\r\n\r\n$1\r\n2\r\n$0\r\n\r\n$1\r\n3\r\n$0\r\n\r\n");
    s.events.clear();
    s.propagated.clear();
    assertThat(s.raw("SORT", "nosuch", "STORE", "dst")).isEqualTo(":0\r\n");
    assertThat(s.events).containsExactly("__keyspace@0__:dst del", "__keyevent@0__:del dst");
    assertThat(s.raw("SORT", "nosuch", "STORE", "dst")).isEqualTo(":0\r\n");
    assertThat(s.propagated).containsExactly("SORT nosuch STORE dst");
  }

  @Test
  void readsDoNotPropagateAndSortRoRefusesStore() {
    s.raw("SADD", "s", "2", "1");
    s.propagated.clear();
    assertThat(s.raw("SORT", "s")).isEqualTo("*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    assertThat(s.raw("SORT_RO", "s", "STORE", "x")).isEqualTo("-ERR syntax error\r\n");
    assertThat(s.propagated).isEmpty();
  }

  @Test
  void scriptsSortSetsEvenUnderAConstantBy() {
    s.raw("SADD", "s", "c", "a", "b", "x", "y", "z", "q");
    String unsorted = s.raw("SORT", "s", "BY", "nosort");
    s.server.register(SortCommands.ScriptClients.class, c -> c == s.client());
    assertThat(s.raw("SORT", "s", "BY", "nosort"))
        .isEqualTo(
            "*7\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nq\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n");
    assertThat(unsorted).startsWith("*7\r\n");
  }

  @Test
  void collationStopsAtNul() {
    assertThat(SortCommands.collate(new byte[] {'a', 0, 'b'}, new byte[] {'a', 0, 'c'})).isZero();
    assertThat(SortCommands.collate(new byte[] {'a'}, new byte[] {'a', 0, 'c'})).isZero();
    assertThat(SortCommands.collate(new byte[] {'a'}, new byte[] {'a', 'c'})).isNegative();
    assertThat(SortCommands.collate(new byte[] {(byte) 0xff}, new byte[] {'z'})).isPositive();
  }

  @Test
  void watchedStoreDestinationsAbortTransactions() {
    InProcess.Session other = s.session();
    s.raw("RPUSH", "l", "1");
    s.raw("WATCH", "dst");
    other.raw("SORT", "l", "STORE", "dst");
    s.raw("MULTI");
    s.raw("GET", "x");
    assertThat(s.raw("EXEC")).isEqualTo("*-1\r\n");
  }
}
