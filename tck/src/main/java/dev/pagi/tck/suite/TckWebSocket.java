package dev.pagi.tck.suite;

import dev.pagi.testkit.WsClient;
import java.net.URI;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The test kit's recording WebSocket client bound to a target: HTTP/1.1, or HTTP/2 (RFC 8441
 * extended CONNECT) for an h2c target. What arrives is recorded as strings: {@code text:<t>},
 * {@code bytes:<n>}, {@code close:<code>:<reason>}, {@code error:<class>}.
 */
public final class TckWebSocket implements AutoCloseable {
  private final TckTarget target;
  private final WsClient client;

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
    try {
      client = new WsClient(http);
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
    URI http = target.uri(path);
    URI ws =
        URI.create(
            "ws://"
                + http.getRawAuthority()
                + http.getRawPath()
                + (http.getRawQuery() == null ? "" : "?" + http.getRawQuery()));
    return client.connect(ws, List.of(subprotocols), List.of());
  }

  /**
   * @return the open session
   */
  public Session session() {
    return client.session();
  }

  /**
   * @param text a text message
   */
  public void text(String text) {
    client.text(text);
  }

  /**
   * @param bytes a binary message
   */
  public void bytes(byte[] bytes) {
    client.bytes(bytes);
  }

  /**
   * One echoed round trip before a test over HTTP/2 (see {@link WsClient#warmUp()}); nothing over
   * HTTP/1.1. Only for echoing probes; later echoes of the warm-up are skipped by {@link #next()}.
   *
   * @throws InterruptedException when interrupted
   */
  public void warmUp() throws InterruptedException {
    if (target.protocol() == TckTarget.Protocol.H2C) {
      client.warmUp();
    }
  }

  /**
   * @return the next event (warm-up echoes skipped), waiting at most 10 s
   * @throws InterruptedException when interrupted
   */
  public String next() throws InterruptedException {
    return client.next();
  }

  @Override
  public void close() throws Exception {
    client.close();
  }
}
