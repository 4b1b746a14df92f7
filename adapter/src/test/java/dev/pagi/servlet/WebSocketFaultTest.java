package dev.pagi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.Events;
import dev.pagi.PagiApp;
import dev.pagi.testkit.RawWebSocket;
import dev.pagi.testkit.WsClient;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Clients that vanish, servers that stop, and many short sessions. */
@Timeout(120)
class WebSocketFaultTest {

  /** Accepts, turns keepalive on (so each session owns timers) and records what it receives. */
  private static PagiApp keepaliveEcho(WsApps.Seen seen) {
    return (scope, receive, send) -> {
      Map<String, Object> keepalive = Events.of(Events.WEBSOCKET_KEEPALIVE);
      keepalive.put("interval", 30);
      keepalive.put("timeout", 10);
      return receive
          .receive()
          .thenCompose(e -> send.send(Events.websocketAccept()))
          .thenCompose(v -> send.send(keepalive))
          .thenCompose(v -> WsApps.loop(receive, seen, m -> WsApps.echoOne(send, m)));
    };
  }

  @Test
  void thousandSessionsOpenedAndDroppedLeaveNothingBehind() throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(keepaliveEcho(seen))) {
      for (int i = 0; i < 1000; i++) {
        RawWebSocket ws = WebSocketCloseTest.open(jetty);
        if (i % 2 == 0) {
          ws.text("x");
          assertEquals("x", ws.read().text());
        }
        ws.close();
      }
      jetty.awaitActive(0);
      assertEquals(0, jetty.openWebSocketSessions());
      int disconnects = 0;
      Map<String, Object> e;
      while ((e = seen.events.poll()) != null) {
        if (Events.type(e).equals(Events.WEBSOCKET_DISCONNECT)) {
          disconnects++;
          assertEquals(1006, e.get("code"));
        }
      }
      assertEquals(1000, disconnects);
    }
  }

  @ParameterizedTest(name = "http2={0}")
  @ValueSource(booleans = {false, true})
  void serverShutdownClosesWith1001AndTellsTheApp(boolean http2) throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(keepaliveEcho(seen));
        WsClient ws = new WsClient(http2)) {
      ws.connect(jetty.uri, "/");
      if (http2) {
        ws.warmUp();
      }
      ws.text("hi");
      assertEquals("text:hi", ws.next());
      jetty.server.stop();
      String close = ws.next();
      assertTrue(close.startsWith("close:1001:"), close);
      Map<String, Object> d = seen.next(Events.WEBSOCKET_DISCONNECT);
      assertEquals(1006, d.get("code"));
      assertEquals("server_shutdown", d.get("reason"));
    }
  }

  @Test
  void http2ClientDisconnectGives1006() throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(keepaliveEcho(seen));
        WsClient ws = new WsClient(true)) {
      ws.connect(jetty.uri, "/");
      ws.warmUp();
      ws.text("hi");
      assertEquals("text:hi", ws.next());
      ws.session().disconnect();
      Map<String, Object> d = seen.next(Events.WEBSOCKET_DISCONNECT);
      assertEquals(1006, d.get("code"));
      assertEquals("client_closed", d.get("reason"));
      jetty.awaitActive(0);
    }
  }

  @Test
  void http2CloseBeforeAcceptAnswers403() throws Exception {
    PagiApp app =
        (scope, receive, send) ->
            receive.receive().thenCompose(e -> send.send(Events.websocketClose(1000, "")));
    try (JettyHarness jetty = new JettyHarness(app);
        WsClient ws = new WsClient(true)) {
      ExecutionException failed = null;
      try {
        ws.connect(jetty.uri, "/");
      } catch (ExecutionException e) {
        failed = e;
      }
      assertTrue(failed != null && failed.getCause() instanceof UpgradeException, "" + failed);
      assertEquals(403, ((UpgradeException) failed.getCause()).getResponseStatusCode());
      jetty.awaitActive(0);
    }
  }

  /**
   * A handshake request is not read any further (its bytes after the head belong to WebSocket), so
   * a client that leaves before the decision is noticed by the handshake timeout at the latest.
   */
  @Test
  void clientGoneBeforeTheDecisionEndsTheHandshakeInBoundedTime() throws Exception {
    CompletableFuture<Void> connected = new CompletableFuture<>();
    CompletableFuture<Map<String, Object>> next = new CompletableFuture<>();
    PagiApp app =
        (scope, receive, send) ->
            receive
                .receive()
                .thenCompose(
                    e -> {
                      connected.complete(null);
                      return receive.receive();
                    })
                .thenAccept(next::complete);
    PagiConfig config =
        PagiConfig.builder()
            .lifespanMode(PagiConfig.LifespanMode.OFF)
            .websocketHandshakeTimeout(java.time.Duration.ofMillis(500))
            .build();
    try (JettyHarness jetty = new JettyHarness(app, config, "/*")) {
      RawWebSocket ws = new RawWebSocket(jetty.uri);
      ws.handshake("/");
      connected.get();
      ws.close();
      Map<String, Object> d = next.get();
      assertEquals(1006, d.get("code"));
      assertTrue(
          java.util.Set.of("client_closed", "x-handshake-timeout").contains(d.get("reason")),
          String.valueOf(d));
      jetty.awaitActive(0);
    }
  }
}
