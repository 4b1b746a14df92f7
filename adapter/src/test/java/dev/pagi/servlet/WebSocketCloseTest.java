package dev.pagi.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.Events;
import dev.pagi.PagiApp;
import dev.pagi.testkit.RawWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Frames, close codes and the disconnect pairs of Www.pod, on a raw socket. */
@Timeout(60)
class WebSocketCloseTest {

  static RawWebSocket open(JettyHarness jetty) throws Exception {
    RawWebSocket ws = new RawWebSocket(jetty.uri);
    ws.handshake("/");
    String head = ws.readHead();
    assertTrue(head.startsWith("HTTP/1.1 101 "), head);
    return ws;
  }

  private static PagiConfig config() {
    return PagiConfig.builder().lifespanMode(PagiConfig.LifespanMode.OFF).build();
  }

  @Test
  void peerCloseGivesItsCodeAndReasonAndIsAnswered() throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(WsApps.echo(seen));
        RawWebSocket ws = open(jetty)) {
      ws.close(4004, "gone fishing");
      RawWebSocket.Frame reply = ws.readUntil(RawWebSocket.CLOSE);
      assertEquals(4004, reply.closeCode());
      Map<String, Object> d = seen.next(Events.WEBSOCKET_DISCONNECT);
      assertEquals(4004, d.get("code"));
      assertEquals("gone fishing", d.get("reason"));
      jetty.awaitActive(0);
    }
  }

  @Test
  void closeWithoutPayloadGives1005() throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(WsApps.echo(seen));
        RawWebSocket ws = open(jetty)) {
      ws.send(true, 0, RawWebSocket.CLOSE, new byte[0]);
      ws.readUntil(RawWebSocket.CLOSE);
      Map<String, Object> d = seen.next(Events.WEBSOCKET_DISCONNECT);
      assertEquals(1005, d.get("code"));
      assertEquals("", d.get("reason"));
    }
  }

  @Test
  void clientVanishingGives1006ClientClosed() throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(WsApps.echo(seen))) {
      RawWebSocket ws = open(jetty);
      ws.text("hi");
      assertEquals("hi", ws.read().text());
      ws.close();
      Map<String, Object> d = seen.next(Events.WEBSOCKET_DISCONNECT);
      assertEquals(1006, d.get("code"));
      assertEquals("client_closed", d.get("reason"));
      jetty.awaitActive(0);
    }
  }

  @Test
  void invalidUtf8Gives1007ProtocolError() throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(WsApps.echo(seen));
        RawWebSocket ws = open(jetty)) {
      ws.send(true, 0, RawWebSocket.TEXT, new byte[] {(byte) 0xff, (byte) 0xfe});
      assertEquals(1007, ws.readUntil(RawWebSocket.CLOSE).closeCode());
      Map<String, Object> d = seen.next(Events.WEBSOCKET_DISCONNECT);
      assertEquals(1007, d.get("code"));
      assertEquals("protocol_error", d.get("reason"));
    }
  }

  @Test
  void framingErrorsGive1002ProtocolError() throws Exception {
    for (int[] bad : new int[][] {{4, RawWebSocket.TEXT}, {0, 3}}) {
      WsApps.Seen seen = new WsApps.Seen();
      try (JettyHarness jetty = new JettyHarness(WsApps.echo(seen));
          RawWebSocket ws = open(jetty)) {
        ws.send(true, bad[0], bad[1], "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(1002, ws.readUntil(RawWebSocket.CLOSE).closeCode());
        Map<String, Object> d = seen.next(Events.WEBSOCKET_DISCONNECT);
        assertEquals(1002, d.get("code"));
        assertEquals("protocol_error", d.get("reason"));
      }
    }
  }

  @Test
  void invalidPeerCloseCodeGives1002() throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(WsApps.echo(seen));
        RawWebSocket ws = open(jetty)) {
      ws.close(999, "");
      assertEquals(1002, ws.readUntil(RawWebSocket.CLOSE).closeCode());
      assertEquals(1002, seen.next(Events.WEBSOCKET_DISCONNECT).get("code"));
    }
  }

  @Test
  void oversizedMessageGives1009() throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    PagiConfig config = config().toBuilder().websocketMaxMessageSize(1000).build();
    try (JettyHarness jetty = new JettyHarness(WsApps.echo(seen), config, "/*");
        RawWebSocket ws = open(jetty)) {
      ws.send(false, 0, RawWebSocket.TEXT, "x".repeat(600).getBytes(StandardCharsets.UTF_8));
      ws.send(true, 0, RawWebSocket.CONTINUATION, "x".repeat(600).getBytes(StandardCharsets.UTF_8));
      assertEquals(1009, ws.readUntil(RawWebSocket.CLOSE).closeCode());
      Map<String, Object> d = seen.next(Events.WEBSOCKET_DISCONNECT);
      assertEquals(1009, d.get("code"));
      assertEquals("body_too_large", d.get("reason"));
    }
  }

  @Test
  void fragmentsArriveAsOneMessageAndPingsAreAnswered() throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(WsApps.echo(seen));
        RawWebSocket ws = open(jetty)) {
      ws.send(false, 0, RawWebSocket.TEXT, "a".getBytes(StandardCharsets.UTF_8));
      ws.send(false, 0, RawWebSocket.CONTINUATION, "b".getBytes(StandardCharsets.UTF_8));
      ws.send(true, 0, RawWebSocket.CONTINUATION, "c".getBytes(StandardCharsets.UTF_8));
      assertEquals("abc", ws.read().text());
      ws.send(true, 0, RawWebSocket.PING, "abc".getBytes(StandardCharsets.UTF_8));
      RawWebSocket.Frame pong = ws.read();
      assertEquals(RawWebSocket.PONG, pong.opcode());
      assertEquals("abc", pong.text());
      seen.next(Events.WEBSOCKET_CONNECT);
      assertEquals("abc", seen.next(Events.WEBSOCKET_RECEIVE).get("text"));
      assertTrue(seen.events.isEmpty(), "pings must not reach the app: " + seen.events);
    }
  }

  @Test
  void appCloseSendsItsCodeAndNoDataFollows() throws Exception {
    CompletableFuture<Throwable> afterClose = new CompletableFuture<>();
    PagiApp app =
        (scope, receive, send) ->
            receive
                .receive()
                .thenCompose(e -> send.send(Events.websocketAccept()))
                .thenCompose(v -> send.send(Events.websocketText("before")))
                .thenCompose(v -> send.send(Events.websocketClose(4001, "bye")))
                .thenCompose(v -> send.send(Events.websocketText("after")))
                .thenCompose(v -> send.send(Events.websocketClose(4002, "again")))
                // After our Close every send is a no-op, whatever the container's timing.
                .thenCompose(v -> send.send(Events.of("websocket.bogus")))
                .whenComplete((v, t) -> afterClose.complete(t))
                .thenCompose(v -> receive.receive());
    try (JettyHarness jetty = new JettyHarness(app);
        RawWebSocket ws = open(jetty)) {
      assertEquals("before", ws.read().text());
      RawWebSocket.Frame close = ws.read();
      assertEquals(RawWebSocket.CLOSE, close.opcode());
      assertEquals(4001, close.closeCode());
      assertEquals("bye", close.closeReason());
      assertEquals(null, afterClose.get(10, TimeUnit.SECONDS), "sends after our Close raised");
      ws.close(4001, "bye");
      assertTrue(ws.eof(), "only EOF may follow our Close");
      jetty.awaitActive(0);
    }
  }

  @Test
  void appFailingAfterAcceptCloses1011() throws Exception {
    PagiApp app =
        (scope, receive, send) ->
            receive
                .receive()
                .thenCompose(e -> send.send(Events.websocketAccept()))
                .thenCompose(v -> CompletableFuture.failedFuture(new IllegalStateException("x")));
    try (JettyHarness jetty = new JettyHarness(app);
        RawWebSocket ws = open(jetty)) {
      assertEquals(1011, ws.readUntil(RawWebSocket.CLOSE).closeCode());
    }
  }

  @Test
  void appReturningAfterAcceptCloses1000() throws Exception {
    PagiApp app =
        (scope, receive, send) ->
            receive.receive().thenCompose(e -> send.send(Events.websocketAccept()));
    try (JettyHarness jetty = new JettyHarness(app);
        RawWebSocket ws = open(jetty)) {
      assertEquals(1000, ws.readUntil(RawWebSocket.CLOSE).closeCode());
      ws.close(1000, "");
      assertTrue(ws.eof());
      jetty.awaitActive(0);
    }
  }

  @Test
  void everySendAfterTheDisconnectIsANoOp() throws Exception {
    CompletableFuture<Throwable> late = new CompletableFuture<>();
    WsApps.Seen seen = new WsApps.Seen();
    PagiApp app =
        (scope, receive, send) ->
            receive
                .receive()
                .thenCompose(e -> send.send(Events.websocketAccept()))
                .thenCompose(
                    v -> WsApps.loop(receive, seen, m -> CompletableFuture.completedFuture(null)))
                .thenCompose(v -> send.send(Events.websocketText("late")))
                // Checked before the type and the fields: an unknown type or a malformed event
                // after the end is a no-op too.
                .thenCompose(v -> send.send(Events.of("websocket.bogus")))
                .thenCompose(v -> send.send(Events.of(Events.WEBSOCKET_SEND)))
                .whenComplete((v, t) -> late.complete(t));
    try (JettyHarness jetty = new JettyHarness(app)) {
      open(jetty).close();
      assertEquals(null, late.get(10, TimeUnit.SECONDS));
      assertEquals(1006, seen.next(Events.WEBSOCKET_DISCONNECT).get("code"));
    }
  }

  @Test
  void binaryMessagesCarryEveryByteValue() throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(WsApps.echo(seen));
        RawWebSocket ws = open(jetty)) {
      byte[] all = new byte[256];
      for (int i = 0; i < 256; i++) {
        all[i] = (byte) i;
      }
      ws.send(true, 0, RawWebSocket.BINARY, all);
      RawWebSocket.Frame f = ws.read();
      assertEquals(RawWebSocket.BINARY, f.opcode());
      assertTrue(f.fin());
      assertArrayEquals(all, f.payload());
      assertFalse(seen.next(Events.WEBSOCKET_RECEIVE).containsKey("text"));
    }
  }
}
