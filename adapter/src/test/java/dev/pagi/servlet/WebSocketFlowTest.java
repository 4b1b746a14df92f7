package dev.pagi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.Events;
import dev.pagi.PagiApp;
import dev.pagi.ProtocolException;
import dev.pagi.Scope;
import dev.pagi.Transport;
import dev.pagi.testkit.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keepalive, the bounded inbound queue, partial messages, flow control, invalid events. */
@Timeout(60)
class WebSocketFlowTest {

  private static PagiConfig config() {
    return PagiConfig.builder().lifespanMode(PagiConfig.LifespanMode.OFF).build();
  }

  private static Map<String, Object> keepalive(double interval, Double timeout) {
    Map<String, Object> e = Events.of(Events.WEBSOCKET_KEEPALIVE);
    e.put("interval", interval);
    if (timeout != null) {
      e.put("timeout", timeout);
    }
    return e;
  }

  /** Accepts, sends {@code first}, then records everything it receives. */
  private static PagiApp acceptThen(WsApps.Seen seen, Map<String, Object> first) {
    return (scope, receive, send) ->
        receive
            .receive()
            .thenCompose(e -> send.send(Events.websocketAccept()))
            .thenCompose(v -> send.send(first))
            .thenCompose(
                v -> WsApps.loop(receive, seen, m -> CompletableFuture.completedFuture(null)));
  }

  @Test
  void unansweredPingsCloseWithKeepaliveTimeout() throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(acceptThen(seen, keepalive(0.2, 0.3)));
        RawWebSocket ws = WebSocketCloseTest.open(jetty)) {
      assertEquals(RawWebSocket.PING, ws.read().opcode());
      Map<String, Object> d = seen.next(Events.WEBSOCKET_DISCONNECT);
      assertEquals(1006, d.get("code"));
      assertEquals("keepalive_timeout", d.get("reason"));
      assertTrue(ws.eof(), "the connection is dropped");
      jetty.awaitActive(0);
    }
  }

  @Test
  void answeredPingsKeepTheConnection() throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(acceptThen(seen, keepalive(0.1, 0.3)));
        RawWebSocket ws = WebSocketCloseTest.open(jetty)) {
      for (int i = 0; i < 6; i++) {
        RawWebSocket.Frame ping = ws.read();
        assertEquals(RawWebSocket.PING, ping.opcode());
        ws.send(true, 0, RawWebSocket.PONG, ping.payload());
      }
      ws.text("still here");
      assertEquals("still here", seen.next(Events.WEBSOCKET_RECEIVE).get("text"));
    }
  }

  @Test
  void keepaliveIntervalZeroStopsThePings() throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    PagiApp app =
        (scope, receive, send) ->
            receive
                .receive()
                .thenCompose(e -> send.send(Events.websocketAccept()))
                .thenCompose(v -> send.send(keepalive(0.05, null)))
                .thenCompose(v -> receive.receive())
                .thenCompose(
                    m -> {
                      seen.events.add(m);
                      return send.send(keepalive(0, null));
                    })
                .thenCompose(v -> send.send(Events.websocketText("stopped")))
                .thenCompose(
                    v -> WsApps.loop(receive, seen, x -> CompletableFuture.completedFuture(null)));
    try (JettyHarness jetty = new JettyHarness(app);
        RawWebSocket ws = WebSocketCloseTest.open(jetty)) {
      assertEquals(RawWebSocket.PING, ws.read().opcode());
      ws.text("stop");
      RawWebSocket.Frame f;
      while ((f = ws.read()).opcode() == RawWebSocket.PING) {
        ws.send(true, 0, RawWebSocket.PONG, f.payload());
      }
      assertEquals("stopped", f.text());
      ws.socket().setSoTimeout(400);
      SocketTimeoutException quiet = null;
      try {
        RawWebSocket.Frame late = ws.read();
        throw new AssertionError("a frame after keepalive stopped: opcode " + late.opcode());
      } catch (SocketTimeoutException e) {
        quiet = e;
      }
      assertTrue(quiet != null);
    }
  }

  @Test
  void aStalledAppIsClosedWith1008AfterItsQueuedMessages() throws Exception {
    CompletableFuture<Void> go = new CompletableFuture<>();
    WsApps.Seen seen = new WsApps.Seen();
    PagiApp app =
        (scope, receive, send) ->
            receive
                .receive()
                .thenCompose(e -> send.send(Events.websocketAccept()))
                .thenCompose(v -> go)
                .thenCompose(
                    v -> WsApps.loop(receive, seen, m -> CompletableFuture.completedFuture(null)));
    PagiConfig config = config().toBuilder().websocketMaxReceiveQueue(3).build();
    try (JettyHarness jetty = new JettyHarness(app, config, "/*");
        RawWebSocket ws = WebSocketCloseTest.open(jetty)) {
      for (int i = 1; i <= 5; i++) {
        ws.text("m" + i);
      }
      RawWebSocket.Frame close = ws.readUntil(RawWebSocket.CLOSE);
      assertEquals(1008, close.closeCode());
      go.complete(null);
      List<Object> texts = new ArrayList<>();
      Map<String, Object> e;
      while (!Events.type(e = seen.next()).equals(Events.WEBSOCKET_DISCONNECT)) {
        texts.add(e.get("text"));
      }
      assertEquals(List.of("m1", "m2", "m3"), texts);
      assertEquals(1008, e.get("code"));
      assertEquals("queue_overflow", e.get("reason"));
    }
  }

  @Test
  void partialMessagesAreSentAsFragments() throws Exception {
    CompletableFuture<List<Throwable>> raised = new CompletableFuture<>();
    PagiApp app =
        (scope, receive, send) ->
            receive
                .receive()
                .thenCompose(e -> send.send(Events.websocketAccept()))
                .thenCompose(v -> send.send(partial("text", "ab", 1)))
                .thenCompose(
                    v ->
                        WebSocketHandshakeTest.failure(send.send(Events.websocketText("whole")))
                            .thenCombine(
                                WebSocketHandshakeTest.failure(
                                    send.send(partial("bytes", new byte[] {1}, 0))),
                                List::of))
                .thenCompose(
                    errors -> {
                      raised.complete(errors);
                      return send.send(partial("text", "cd", 1));
                    })
                .thenCompose(v -> send.send(partial("text", "é", 0)))
                .thenCompose(v -> send.send(Events.websocketText("next")))
                .thenCompose(v -> receive.receive());
    try (JettyHarness jetty = new JettyHarness(app);
        RawWebSocket ws = WebSocketCloseTest.open(jetty)) {
      RawWebSocket.Frame first = ws.read();
      assertEquals(RawWebSocket.TEXT, first.opcode());
      assertFalse(first.fin());
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      message.writeBytes(first.payload());
      RawWebSocket.Frame f;
      do {
        f = ws.read();
        assertEquals(RawWebSocket.CONTINUATION, f.opcode());
        message.writeBytes(f.payload());
      } while (!f.fin());
      assertEquals("abcdé", message.toString(StandardCharsets.UTF_8));
      assertEquals("next", ws.read().text());
      List<Throwable> errors = raised.get(10, TimeUnit.SECONDS);
      assertEquals(
          "Cannot send 'websocket.send' while a partial text message is open; end it with"
              + " 'websocket.send.partial' and 'more': 0",
          errors.get(0).getMessage());
      assertEquals(
          "Expected 'text' to continue the partial text message but got 'bytes'",
          errors.get(1).getMessage());
    }
  }

  private static Map<String, Object> partial(String kind, Object value, int more) {
    Map<String, Object> e = Events.of(Events.WEBSOCKET_SEND_PARTIAL);
    e.put(kind, value);
    e.put("more", more);
    return e;
  }

  @Test
  void invalidEventsRaise() throws Exception {
    CompletableFuture<List<Throwable>> raised = new CompletableFuture<>();
    Map<String, Object> both = Events.websocketText("a");
    both.put("bytes", new byte[] {1});
    Map<String, Object> neither = Events.of(Events.WEBSOCKET_SEND);
    Map<String, Object> textNotString = Events.of(Events.WEBSOCKET_SEND);
    textNotString.put("text", 42);
    Map<String, Object> lone = Events.websocketText("a\uD800b");
    Map<String, Object> longReason = Events.websocketClose(1000, "r".repeat(124));
    Map<String, Object> intervalMissing = Events.of(Events.WEBSOCKET_KEEPALIVE);
    List<Map<String, Object>> bad =
        List.of(
            both,
            neither,
            textNotString,
            lone,
            Events.websocketClose(1005, ""),
            Events.websocketClose(999, ""),
            Events.websocketClose(5000, ""),
            longReason,
            intervalMissing,
            Events.of("websocket.bogus"),
            Events.responseStart(200, List.of()));
    PagiApp app =
        (scope, receive, send) ->
            receive
                .receive()
                .thenCompose(e -> send.send(Events.websocketAccept()))
                .thenCompose(
                    v -> {
                      CompletionStage<List<Throwable>> all =
                          CompletableFuture.completedFuture(new CopyOnWriteArrayList<>());
                      for (Map<String, Object> event : bad) {
                        all =
                            all.thenCompose(
                                list ->
                                    WebSocketHandshakeTest.failure(send.send(event))
                                        .thenApply(
                                            t -> {
                                              list.add(t);
                                              return list;
                                            }));
                      }
                      return all;
                    })
                .thenCompose(
                    list -> {
                      raised.complete(list);
                      return send.send(Events.websocketText("alive"));
                    })
                .thenCompose(v -> receive.receive());
    try (JettyHarness jetty = new JettyHarness(app);
        RawWebSocket ws = WebSocketCloseTest.open(jetty)) {
      assertEquals("alive", ws.read().text(), "nothing of the bad events reached the wire");
      List<Throwable> errors = raised.get(10, TimeUnit.SECONDS);
      assertEquals(bad.size(), errors.size());
      for (Throwable t : errors) {
        assertTrue(t instanceof ProtocolException, String.valueOf(t));
      }
      assertEquals(
          "Expected exactly one of 'text' and 'bytes' in 'websocket.send' but got both",
          errors.get(0).getMessage());
      assertEquals(
          "Expected exactly one of 'text' and 'bytes' in 'websocket.send' but got neither",
          errors.get(1).getMessage());
      assertEquals(
          "Expected field 'code' of 'websocket.close' to be a close code 1000-1003, 1007-1014 or"
              + " 3000-4999 but got Integer 1005",
          errors.get(4).getMessage());
      assertTrue(
          errors.get(9).getMessage().startsWith("Unrecognized event type 'websocket.bogus'"));
    }
  }

  /**
   * Sends 16 KiB messages until a send has to wait (at most 4096), then reports the transport's
   * view and how many were sent; the stage completes when that send is released.
   */
  private static CompletionStage<Void> burst(
      dev.pagi.Send send,
      Transport t,
      List<String> marks,
      CompletableFuture<Map<String, Object>> report) {
    byte[] chunk = new byte[16 * 1024];
    for (int sent = 1; sent <= 4096; sent++) {
      CompletionStage<Void> s = send.send(Events.websocketBytes(chunk));
      if (!s.toCompletableFuture().isDone()) {
        report.complete(
            Map.of(
                "buffered", t.bufferedAmount(),
                "high", t.highWaterMark(),
                "sent", sent,
                "marks", List.copyOf(marks)));
        return s;
      }
    }
    report.complete(Map.of("buffered", -1L));
    return CompletableFuture.completedFuture(null);
  }

  @Test
  void transportCountsBytesTheClientHasNotRead() throws Exception {
    List<CompletableFuture<Map<String, Object>>> reports =
        List.of(new CompletableFuture<>(), new CompletableFuture<>());
    List<String> marks = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> drained = new CompletableFuture<>();
    PagiApp app =
        (scope, receive, send) -> {
          Transport t = Scope.transport(scope);
          t.onHighWater(() -> marks.add("high"));
          t.onDrain(
              () -> {
                marks.add("drain");
                drained.complete(null);
              });
          return receive
              .receive()
              .thenCompose(e -> send.send(Events.websocketAccept()))
              .thenCompose(v -> burst(send, t, marks, reports.get(0)))
              .thenCompose(v -> burst(send, t, marks, reports.get(1)))
              .thenCompose(v -> receive.receive());
        };
    try (JettyHarness jetty = new JettyHarness(app);
        RawWebSocket ws = WebSocketCloseTest.open(jetty)) {
      Map<String, Object> r = reports.get(0).get(20, TimeUnit.SECONDS);
      long buffered = (Long) r.get("buffered");
      assertTrue(buffered >= (Long) r.get("high"), "buffered " + buffered + " in " + r);
      assertEquals(List.of("high"), r.get("marks"));
      ws.socket().setSoTimeout(10_000);
      // Read the queued 16 KiB messages (each with a 4-byte frame header); their sends complete
      // and the buffer drains, which releases the app into a second burst.
      ws.socket().getInputStream().readNBytes((Integer) r.get("sent") * (16 * 1024 + 4));
      drained.get(10, TimeUnit.SECONDS);
      Map<String, Object> second = reports.get(1).get(20, TimeUnit.SECONDS);
      assertEquals(List.of("high", "drain", "high"), second.get("marks"), "re-armed");
    }
  }
}
