package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConnectionStateTest {
  private final ConnectionState conn = new ConnectionState();
  private final List<String> log = new ArrayList<>();

  @Test
  void cleanEndRunsOnlyCompleteCallbacksAndLeavesNoReason() {
    conn.onComplete(() -> log.add("complete"));
    conn.onDisconnect(r -> log.add("disconnect:" + r));
    assertTrue(conn.complete());
    assertEquals(List.of("complete"), log);
    assertFalse(conn.isConnected());
    assertNull(conn.disconnectReason());
    assertFalse(conn.disconnectFuture().toCompletableFuture().isDone());
  }

  @Test
  void abnormalEndUpdatesStateInTheSpecOrderBeforeCallbacks() {
    conn.onDisconnect(
        r ->
            log.add(
                conn.isConnected()
                    + ","
                    + conn.disconnectReason()
                    + ","
                    + conn.disconnectFuture().toCompletableFuture().isDone()));
    conn.onComplete(() -> log.add("complete"));
    conn.disconnect("client_closed");
    assertEquals(List.of("false,client_closed,true"), log);
  }

  @Test
  void firstEndWinsAndKeepsTheFirstReason() {
    conn.disconnect("client_closed");
    assertFalse(conn.disconnect("write_error"));
    assertFalse(conn.complete());
    assertEquals("client_closed", conn.disconnectReason());
  }

  @Test
  void lateRegistrationRunsOnlyForTheEndThatHappened() {
    conn.disconnect("server_error");
    conn.onDisconnect(r -> log.add("late:" + r));
    conn.onComplete(() -> log.add("late complete"));
    assertEquals(List.of("late:server_error"), log);

    ConnectionState clean = new ConnectionState();
    clean.complete();
    clean.onComplete(() -> log.add("late complete"));
    clean.onDisconnect(r -> log.add("never"));
    assertEquals(List.of("late:server_error", "late complete"), log);
  }

  @Test
  void callbacksRunInOrderAndAFailureDoesNotStopTheRest() {
    conn.onDisconnect(r -> log.add("one"));
    conn.onDisconnect(
        r -> {
          throw new IllegalStateException("boom");
        });
    conn.onDisconnect(r -> log.add("three"));
    conn.disconnect("client_closed");
    assertEquals(List.of("one", "three"), log);
  }
}
