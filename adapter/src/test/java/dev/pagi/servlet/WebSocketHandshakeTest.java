package dev.pagi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.ProtocolException;
import dev.pagi.testkit.RawWebSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The handshake as the application decides it, checked on the raw bytes. */
@Timeout(60)
class WebSocketHandshakeTest {
  private static final String KEY_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  private static PagiConfig config() {
    return PagiConfig.builder().lifespanMode(PagiConfig.LifespanMode.OFF).build();
  }

  @Test
  void noSwitchingProtocolsBeforeTheAppAccepts() throws Exception {
    CompletableFuture<Void> go = new CompletableFuture<>();
    CompletableFuture<Map<String, Object>> connect = new CompletableFuture<>();
    PagiApp app =
        (scope, receive, send) ->
            receive
                .receive()
                .thenCompose(
                    e -> {
                      connect.complete(e);
                      return go;
                    })
                .thenCompose(v -> send.send(Events.websocketAccept()))
                .thenCompose(v -> receive.receive());
    try (JettyHarness jetty = new JettyHarness(app);
        RawWebSocket ws = new RawWebSocket(jetty.uri)) {
      ws.handshake("/");
      assertEquals(Events.WEBSOCKET_CONNECT, Events.type(connect.get(10, TimeUnit.SECONDS)));
      ws.socket().setSoTimeout(500);
      assertThrows(SocketTimeoutException.class, ws::readHead, "a response before accept");
      ws.socket().setSoTimeout(5000);
      go.complete(null);
      String head = ws.readHead();
      assertTrue(head.startsWith("HTTP/1.1 101 "), head);
      assertTrue(head.toLowerCase().contains("upgrade: websocket"), head);
      assertTrue(head.contains("Sec-WebSocket-Accept: " + KEY_ACCEPT), head);
      assertFalse(head.toLowerCase().contains("sec-websocket-protocol"), head);
    }
  }

  @Test
  void closeBeforeAcceptAnswers403() throws Exception {
    PagiApp app =
        (scope, receive, send) ->
            receive.receive().thenCompose(e -> send.send(Events.websocketClose(4000, "no")));
    try (JettyHarness jetty = new JettyHarness(app);
        RawWebSocket ws = new RawWebSocket(jetty.uri)) {
      ws.handshake("/");
      String head = ws.readHead();
      assertTrue(head.startsWith("HTTP/1.1 403 "), head);
      assertTrue(head.toLowerCase().contains("content-length: 9"), head);
      assertTrue(head.toLowerCase().contains("date: "), head);
      assertEquals("Forbidden", ws.readRest());
      jetty.awaitActive(0);
    }
  }

  @Test
  void denialSendsTheAppsStatusHeadersAndBodyChunks() throws Exception {
    PagiApp app =
        (scope, receive, send) -> {
          Map<String, Object> start = Events.of(Events.WEBSOCKET_HTTP_RESPONSE_START);
          start.put("status", 429);
          start.put("headers", List.of(Header.of("retry-after", "7")));
          Map<String, Object> one = Events.of(Events.WEBSOCKET_HTTP_RESPONSE_BODY);
          one.put("body", "{\"error\":".getBytes());
          one.put("more", 1);
          Map<String, Object> two = Events.of(Events.WEBSOCKET_HTTP_RESPONSE_BODY);
          two.put("body", "\"slow down\"}".getBytes());
          return receive
              .receive()
              .thenCompose(e -> send.send(start))
              .thenCompose(v -> send.send(one))
              .thenCompose(v -> send.send(two));
        };
    try (JettyHarness jetty = new JettyHarness(app);
        RawWebSocket ws = new RawWebSocket(jetty.uri)) {
      ws.handshake("/");
      String head = ws.readHead();
      assertTrue(head.startsWith("HTTP/1.1 429 "), head);
      assertTrue(head.toLowerCase().contains("retry-after: 7"), head);
      String rest = ws.readRest();
      assertTrue(rest.contains("{\"error\":") && rest.contains("\"slow down\"}"), rest);
      jetty.awaitActive(0);
    }
  }

  @Test
  void acceptChoosesAnOfferedSubprotocolAndAddsHeaders() throws Exception {
    Map<String, Object> accept = Events.websocketAccept();
    accept.put("subprotocol", "chat");
    accept.put("headers", List.of(Header.of("x-pagi", "1")));
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(WsApps.echo(seen, accept));
        RawWebSocket ws = new RawWebSocket(jetty.uri)) {
      ws.handshake("/", "Sec-WebSocket-Protocol: echo, chat", "Sec-WebSocket-Protocol: other");
      String head = ws.readHead();
      assertTrue(head.startsWith("HTTP/1.1 101 "), head);
      assertTrue(head.contains("Sec-WebSocket-Protocol: chat"), head);
      assertTrue(head.toLowerCase().contains("x-pagi: 1"), head);
      assertEquals(List.of("echo", "chat", "other"), seen.scope.get().get("subprotocols"));
    }
  }

  @Test
  void invalidAcceptsRaiseAndLeaveTheHandshakeOpen() throws Exception {
    CompletableFuture<List<Throwable>> raised = new CompletableFuture<>();
    PagiApp app =
        (scope, receive, send) -> {
          Map<String, Object> notOffered = Events.websocketAccept();
          notOffered.put("subprotocol", "mqtt");
          Map<String, Object> injected = Events.websocketAccept();
          injected.put("subprotocol", "chat\r\nX: y");
          Map<String, Object> badHeader = Events.websocketAccept();
          badHeader.put("headers", List.of(Header.of("x-bad", "a\r\nb")));
          return receive
              .receive()
              .thenCompose(
                  e ->
                      failure(send.send(notOffered))
                          .thenCombine(failure(send.send(injected)), List::of)
                          .thenCombine(
                              failure(send.send(badHeader)),
                              (a, b) -> List.of(a.get(0), a.get(1), b)))
              .thenCompose(
                  list -> {
                    raised.complete(list);
                    return send.send(Events.websocketClose(1000, ""));
                  });
        };
    try (JettyHarness jetty = new JettyHarness(app);
        RawWebSocket ws = new RawWebSocket(jetty.uri)) {
      ws.handshake("/", "Sec-WebSocket-Protocol: chat");
      List<Throwable> errors = raised.get(10, TimeUnit.SECONDS);
      for (Throwable t : errors) {
        assertTrue(t instanceof ProtocolException, String.valueOf(t));
      }
      assertEquals(
          "Expected field 'subprotocol' of 'websocket.accept' to be one of the subprotocols the"
              + " client offered [chat] but got String mqtt",
          errors.get(0).getMessage());
      assertTrue(errors.get(1).getMessage().startsWith("Invalid subprotocol 'chat\\x0d\\x0aX"));
      assertTrue(ws.readHead().startsWith("HTTP/1.1 403 "));
    }
  }

  @Test
  void handshakeTimeoutAnswers504AndTellsTheApp() throws Exception {
    CompletableFuture<Map<String, Object>> afterTimeout = new CompletableFuture<>();
    PagiApp app =
        (scope, receive, send) ->
            receive
                .receive()
                .thenCompose(e -> receive.receive())
                .thenAccept(afterTimeout::complete);
    PagiConfig config =
        config().toBuilder().websocketHandshakeTimeout(Duration.ofMillis(300)).build();
    try (JettyHarness jetty = new JettyHarness(app, config, "/*");
        RawWebSocket ws = new RawWebSocket(jetty.uri)) {
      ws.handshake("/");
      assertTrue(ws.readHead().startsWith("HTTP/1.1 504 "));
      Map<String, Object> d = afterTimeout.get(10, TimeUnit.SECONDS);
      assertEquals(Events.WEBSOCKET_DISCONNECT, Events.type(d));
      assertEquals(1006, d.get("code"));
      assertEquals("x-handshake-timeout", d.get("reason"));
      jetty.awaitActive(0);
    }
  }

  @Test
  void appFailingBeforeAcceptAnswers500() throws Exception {
    PagiApp app =
        (scope, receive, send) ->
            receive
                .receive()
                .thenCompose(
                    e -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
    try (JettyHarness jetty = new JettyHarness(app);
        RawWebSocket ws = new RawWebSocket(jetty.uri)) {
      ws.handshake("/");
      assertTrue(ws.readHead().startsWith("HTTP/1.1 500 "));
      jetty.awaitActive(0);
    }
  }

  @Test
  void appReturningWithoutADecisionAnswers500() throws Exception {
    PagiApp app = (scope, receive, send) -> receive.receive();
    try (JettyHarness jetty = new JettyHarness(app);
        RawWebSocket ws = new RawWebSocket(jetty.uri)) {
      ws.handshake("/");
      assertTrue(ws.readHead().startsWith("HTTP/1.1 500 "));
    }
  }

  @Test
  void unsupportedScopeTypeRefusesTheHandshakeWith500() throws Exception {
    PagiApp app =
        (scope, receive, send) -> {
          throw new IllegalArgumentException("only http here");
        };
    try (JettyHarness jetty = new JettyHarness(app);
        RawWebSocket ws = new RawWebSocket(jetty.uri)) {
      ws.handshake("/");
      assertTrue(ws.readHead().startsWith("HTTP/1.1 500 "));
    }
  }

  /** The failure of a stage that must fail, or an assertion error when it succeeds. */
  static java.util.concurrent.CompletionStage<Throwable> failure(
      java.util.concurrent.CompletionStage<?> stage) {
    return stage.handle(
        (v, t) -> {
          if (t == null) {
            throw new AssertionError("expected the send to raise");
          }
          return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        });
  }
}
