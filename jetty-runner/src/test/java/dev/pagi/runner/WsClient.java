package dev.pagi.runner;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Jetty's WebSocket client over a given HTTP client (HTTP/1.1, h2c or h2 over TLS: RFC 8441 when
 * the HTTP client speaks HTTP/2), recording what arrives as {@code text:<t>}, {@code bytes:<hex>},
 * {@code close:<code>}.
 */
final class WsClient implements AutoCloseable {
  private final WebSocketClient client;
  final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  Session session;

  WsClient(HttpClient http) throws Exception {
    client = new WebSocketClient(http);
    client.start();
  }

  /** Connects to {@code uri} (ws:// or wss://) and waits (bounded) for the handshake. */
  WsClient connect(URI uri) throws Exception {
    session =
        client.connect(new Listener(), uri, new ClientUpgradeRequest()).get(10, TimeUnit.SECONDS);
    return this;
  }

  void text(String text) {
    session.sendText(text, Callback.NOOP);
  }

  void bytes(byte[] data) {
    session.sendBinary(ByteBuffer.wrap(data), Callback.NOOP);
  }

  /** The next event, waiting at most 10 s. */
  String next() throws InterruptedException {
    String e = events.poll(10, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no WebSocket event within 10 s");
    }
    return e;
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }

  /** Public: Jetty binds listener methods through method handles. */
  public final class Listener implements Session.Listener.AutoDemanding {
    @Override
    public void onWebSocketText(String message) {
      events.add("text:" + message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
      byte[] b = new byte[payload.remaining()];
      payload.get(b);
      events.add("bytes:" + java.util.HexFormat.of().formatHex(b));
      callback.succeed();
    }

    @Override
    public void onWebSocketClose(int code, String reason) {
      events.add("close:" + code);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      events.add("error:" + cause);
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
