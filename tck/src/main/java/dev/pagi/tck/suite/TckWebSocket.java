package dev.pagi.tck.suite;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Jetty's WebSocket client for a target: HTTP/1.1, or HTTP/2 (RFC 8441 extended CONNECT) for an h2c
 * target. What arrives is recorded as strings: {@code text:<t>}, {@code bytes:<n>}, {@code
 * close:<code>:<reason>}, {@code error:<class>}.
 */
public final class TckWebSocket implements AutoCloseable {
  /** The warm-up message; its echoes are skipped by {@link #next()}. */
  public static final String WARM_UP = "tck-warm-up";

  private final TckTarget target;
  private final WebSocketClient client;
  private volatile BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private Session session;

  /**
   * Creates and starts a client speaking the target's protocol.
   *
   * @param target the target
   */
  public TckWebSocket(TckTarget target) {
    this.target = target;
    HttpClient http =
        target.protocol() == TckTarget.Protocol.H2C
            ? new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()))
            : new HttpClient();
    client = new WebSocketClient(http);
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the WebSocket client", e);
    }
  }

  /**
   * Connects and waits (at most 10 s) for the handshake; events of an earlier connection are
   * dropped.
   *
   * @param path a path below the target's base, with any query
   * @param subprotocols subprotocols to offer
   * @return the session
   * @throws Exception when the handshake fails (e.g. an {@code UpgradeException} with the status)
   */
  public Session connect(String path, String... subprotocols) throws Exception {
    BlockingQueue<String> mine = new LinkedBlockingQueue<>();
    events = mine;
    ClientUpgradeRequest request = new ClientUpgradeRequest();
    if (subprotocols.length > 0) {
      request.setSubProtocols(List.of(subprotocols));
    }
    URI http = target.uri(path);
    URI ws =
        URI.create(
            "ws://"
                + http.getRawAuthority()
                + http.getRawPath()
                + (http.getRawQuery() == null ? "" : "?" + http.getRawQuery()));
    session = client.connect(new Listener(mine), ws, request).get(10, TimeUnit.SECONDS);
    return session;
  }

  /**
   * @return the open session
   */
  public Session session() {
    return session;
  }

  /**
   * @param text a text message
   */
  public void text(String text) {
    session.sendText(text, Callback.NOOP);
  }

  /**
   * @param bytes a binary message
   */
  public void bytes(byte[] bytes) {
    session.sendBinary(ByteBuffer.wrap(bytes), Callback.NOOP);
  }

  /**
   * One echoed round trip before a test over HTTP/2: Jetty 12.1's WebSocket over HTTP/2 now and
   * then loses the echo of the first client message (reproduced with a plain Jetty endpoint). Only
   * for echoing probes; later echoes of the warm-up are skipped by {@link #next()}.
   *
   * @throws InterruptedException when interrupted
   */
  public void warmUp() throws InterruptedException {
    if (target.protocol() != TckTarget.Protocol.H2C) {
      return;
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      text(WARM_UP);
      String e = events.poll(2, TimeUnit.SECONDS);
      if (("text:" + WARM_UP).equals(e)) {
        return;
      }
      if (e != null) {
        throw new AssertionError("unexpected event during warm-up: " + e);
      }
    }
    throw new AssertionError("no warm-up echo in 5 attempts");
  }

  /**
   * @return the next event (warm-up echoes skipped), waiting at most 10 s
   * @throws InterruptedException when interrupted
   */
  public String next() throws InterruptedException {
    String e;
    do {
      e = events.poll(10, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError("no WebSocket event within 10 s");
      }
    } while (e.equals("text:" + WARM_UP));
    return e;
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }

  /** Public: Jetty binds listener methods through method handles. */
  public static final class Listener implements Session.Listener.AutoDemanding {
    private final BlockingQueue<String> events;

    Listener(BlockingQueue<String> events) {
      this.events = events;
    }

    @Override
    public void onWebSocketText(String message) {
      events.add("text:" + message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
      events.add("bytes:" + payload.remaining());
      callback.succeed();
    }

    @Override
    public void onWebSocketClose(int code, String reason) {
      events.add("close:" + code + ":" + reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      events.add("error:" + cause.getClass().getSimpleName());
    }
  }
}
