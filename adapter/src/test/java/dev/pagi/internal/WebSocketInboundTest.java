package dev.pagi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.Events;
import dev.pagi.ProtocolException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WebSocketInboundTest {

  private static Map<String, Object> text(String t) {
    return Map.of("type", Events.WEBSOCKET_RECEIVE, "text", t);
  }

  private static Map<String, Object> now(WebSocketInbound in) {
    CompletableFuture<Map<String, Object>> f = in.receive().toCompletableFuture();
    assertTrue(f.isDone(), "expected an event at once");
    return f.join();
  }

  @Test
  void connectComesFirstThenQueuedMessagesThenTheDisconnectForever() {
    WebSocketInbound in = new WebSocketInbound(10);
    in.message(text("a"));
    in.message(text("b"));
    in.decide(1008, "queue_overflow");
    assertEquals(Events.WEBSOCKET_CONNECT, Events.type(now(in)));
    assertEquals("a", now(in).get("text"));
    assertEquals("b", now(in).get("text"));
    Map<String, Object> d = now(in);
    assertEquals(1008, d.get("code"));
    assertEquals(d, now(in));
  }

  @Test
  void aFullQueueRefusesAndLaterMessagesAfterTheDecisionAreDropped() {
    WebSocketInbound in = new WebSocketInbound(2);
    assertTrue(in.message(text("1")));
    assertTrue(in.message(text("2")));
    assertFalse(in.message(text("3")));
    in.decide(1008, "queue_overflow");
    assertTrue(in.message(text("4")), "dropped quietly after the decision");
    now(in);
    assertEquals("1", now(in).get("text"));
    assertEquals("2", now(in).get("text"));
    assertEquals(Events.WEBSOCKET_DISCONNECT, Events.type(now(in)));
  }

  @Test
  void aWaitingReceiveGetsTheMessageOrTheDisconnectAndTheFirstDecisionWins() {
    WebSocketInbound in = new WebSocketInbound(2);
    now(in);
    CompletableFuture<Map<String, Object>> waiting = in.receive().toCompletableFuture();
    assertFalse(waiting.isDone());
    in.message(text("x"));
    assertEquals("x", waiting.join().get("text"));
    waiting = in.receive().toCompletableFuture();
    Runnable release = in.decideLater(4001, "bye");
    assertFalse(waiting.isDone(), "completed only when the caller runs the release");
    in.decide(1006, "client_closed");
    release.run();
    assertEquals(4001, waiting.join().get("code"));
  }

  @Test
  void aSecondPendingReceiveRaises() {
    WebSocketInbound in = new WebSocketInbound(2);
    now(in);
    in.receive();
    CompletableFuture<Map<String, Object>> second = in.receive().toCompletableFuture();
    CompletionException e =
        org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, second::join);
    assertTrue(e.getCause() instanceof ProtocolException);
  }

  @Test
  void closeCodesMapToTheSpecPairs() {
    assertEquals(
        new WebSocketCloses.Disconnect(4001, "bye"), WebSocketCloses.of(4001, "bye", null));
    assertEquals(new WebSocketCloses.Disconnect(1005, ""), WebSocketCloses.of(1005, null, null));
    assertEquals(
        new WebSocketCloses.Disconnect(1006, "client_closed"),
        WebSocketCloses.of(1006, "Session Closed", new java.nio.channels.ClosedChannelException()));
    assertEquals(
        new WebSocketCloses.Disconnect(1007, "protocol_error"),
        WebSocketCloses.of(1007, "Invalid UTF-8", null));
    assertEquals(
        new WebSocketCloses.Disconnect(1007, "protocol_error"),
        WebSocketCloses.of(
            1006, "x", new java.io.IOException(new java.io.UnsupportedEncodingException("utf8"))));
    assertEquals(
        new WebSocketCloses.Disconnect(1009, "body_too_large"),
        WebSocketCloses.of(1009, "Text message too large", new IllegalStateException()));
  }
}
