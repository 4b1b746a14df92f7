package dev.pagi.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.Scope;
import dev.pagi.testkit.WsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class WebSocketSessionTest {

  @ParameterizedTest(name = "http2={0}")
  @ValueSource(booleans = {false, true})
  void echoesTextAndBytes(boolean http2) throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(WsApps.echo(seen));
        WsClient ws = new WsClient(http2)) {
      ws.connect(jetty.uri, "/chat?room=1");
      assertEquals(Events.WEBSOCKET_CONNECT, Events.type(seen.next()));
      if (http2) {
        ws.warmUp();
      }
      ws.text("héllo ✓");
      assertEquals("text:héllo ✓", ws.next());
      byte[] all = new byte[256];
      for (int i = 0; i < 256; i++) {
        all[i] = (byte) i;
      }
      ws.bytes(all);
      assertEquals("bytes:256", ws.next());
      assertArrayEquals(all, ws.binaries().poll());
      Map<String, Object> scope = seen.scope.get();
      assertEquals("websocket", scope.get(Scope.TYPE));
      assertEquals(http2 ? "2" : "1.1", scope.get(Scope.HTTP_VERSION));
      assertEquals("ws", scope.get(Scope.SCHEME));
      assertEquals("/chat", scope.get(Scope.PATH));
      assertEquals("room=1", Scope.queryString(scope));
      assertFalse(scope.containsKey(Scope.CONNECTION));
      assertFalse(scope.containsKey(Scope.METHOD));
      assertTrue(scope.get(Scope.TRANSPORT) instanceof dev.pagi.Transport);
      assertEquals(List.of(), scope.get(Scope.SUBPROTOCOLS));
      assertTrue(Scope.hasExtension(scope, Scope.EXT_WEBSOCKET_HTTP_RESPONSE));
      ws.session().close(4001, "bye", org.eclipse.jetty.websocket.api.Callback.NOOP);
      Map<String, Object> d = seen.next(Events.WEBSOCKET_DISCONNECT);
      assertEquals(4001, d.get("code"));
      assertEquals("bye", d.get("reason"));
      jetty.awaitActive(0);
    }
  }

  @ParameterizedTest(name = "http2={0}")
  @ValueSource(booleans = {false, true})
  void acceptAppliesSubprotocolAndHeaders(boolean http2) throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    Map<String, Object> accept = Events.websocketAccept();
    accept.put("subprotocol", "chat");
    accept.put("headers", List.of(Header.of("x-pagi", "yes")));
    try (JettyHarness jetty = new JettyHarness(WsApps.echo(seen, accept));
        WsClient ws = new WsClient(http2)) {
      var session = ws.connect(jetty.uri, "/", List.of("echo", "chat"), List.of());
      assertEquals("chat", session.getUpgradeResponse().getAcceptedSubProtocol());
      assertEquals("yes", session.getUpgradeResponse().getHeader("x-pagi"));
      assertEquals(List.of("echo", "chat"), seen.scope.get().get(Scope.SUBPROTOCOLS));
    }
  }

  @Test
  void permessageDeflateIsNegotiatedWhenOffered() throws Exception {
    WsApps.Seen seen = new WsApps.Seen();
    try (JettyHarness jetty = new JettyHarness(WsApps.echo(seen));
        WsClient ws = new WsClient(false)) {
      var session = ws.connect(jetty.uri, "/", List.of(), List.of("permessage-deflate"));
      assertEquals(
          "permessage-deflate", session.getUpgradeResponse().getExtensions().get(0).getName());
      String big = "z".repeat(60_000);
      ws.text(big);
      assertTrue(ws.next().equals("text:" + big), "the compressed echo differs");
    }
  }
}
