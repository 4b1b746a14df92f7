package dev.pagi.testkit;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * Jetty's WebSocket client over a given HTTP client (HTTP/1.1, or HTTP/2 with RFC 8441 when the
 * HTTP client speaks it), recording what arrives on the current connection as strings (see {@link
 * #next()}): {@code text:<t>}, {@code bytes:<length>} (the payload itself goes to {@link
 * #binaries()}), {@code close:<code>:<reason>}, {@code error:<exception class simple name>}. Each
 * {@code connect} starts fresh queues, so late events of an earlier connection are not mixed in.
 */
public final class WsClient implements AutoCloseable {
  /** The text sent by {@link #warmUp()}; its echoes are skipped by {@link #next()}. */
  public static final String WARM_UP = "warm-up";

  private final WebSocketClient client;
  private volatile BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private volatile BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
  private Session session;

  /**
   * Starts a client over {@code http} (started with the WebSocket client, stopped by {@link
   * #close()}).
   *
   * @param http the HTTP client; its transport decides HTTP/1.1 or HTTP/2
   * @throws Exception when the client does not start
   */
  public WsClient(HttpClient http) throws Exception {
    client = new WebSocketClient(http);
    client.start();
  }

  /**
   * Starts a client over HTTP/1.1 or, when {@code http2} is true, HTTP/2 cleartext (RFC 8441).
   *
   * @param http2 whether to use HTTP/2
   * @throws Exception when the client does not start
   */
  public WsClient(boolean http2) throws Exception {
    this(
        http2
            ? new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()))
            : new HttpClient());
  }

  /**
   * Connects and waits (at most 10 s) for the handshake.
   *
   * @param uri a {@code ws://} or {@code wss://} URI
   * @return the session
   * @throws Exception when the handshake fails or times out
   */
  public Session connect(URI uri) throws Exception {
    return connect(uri, List.of(), List.of());
  }

  /**
   * Connects like {@link #connect(URI)}, for use in a try-with-resources header.
   *
   * @param uri a {@code ws://} or {@code wss://} URI
   * @return this
   * @throws Exception when the handshake fails or times out
   */
  public WsClient open(URI uri) throws Exception {
    connect(uri);
    return this;
  }

  /**
   * Connects to {@code path} on the host and port of {@code base} (cleartext).
   *
   * @param base the server's base URI
   * @param path absolute path with any query
   * @return the session
   * @throws Exception when the handshake fails or times out
   */
  public Session connect(URI base, String path) throws Exception {
    return connect(base, path, List.of(), List.of());
  }

  /**
   * Connects to {@code path} on the host and port of {@code base} (cleartext), offering
   * subprotocols and extensions.
   *
   * @param base the server's base URI
   * @param path absolute path with any query
   * @param subprotocols offered subprotocols, in order of preference
   * @param extensions offered extensions, e.g. {@code permessage-deflate}
   * @return the session
   * @throws Exception when the handshake fails or times out
   */
  public Session connect(URI base, String path, List<String> subprotocols, List<String> extensions)
      throws Exception {
    return connect(
        URI.create("ws://" + base.getHost() + ":" + base.getPort() + path),
        subprotocols,
        extensions);
  }

  /**
   * Connects and waits (at most 10 s) for the handshake, offering subprotocols and extensions.
   *
   * @param uri a {@code ws://} or {@code wss://} URI
   * @param subprotocols offered subprotocols, in order of preference
   * @param extensions offered extensions, e.g. {@code permessage-deflate}
   * @return the session
   * @throws Exception when the handshake fails (e.g. an {@code UpgradeException} with the status)
   *     or times out
   */
  public Session connect(URI uri, List<String> subprotocols, List<String> extensions)
      throws Exception {
    ClientUpgradeRequest request = new ClientUpgradeRequest();
    if (!subprotocols.isEmpty()) {
      request.setSubProtocols(subprotocols);
    }
    extensions.forEach(request::addExtensions);
    BlockingQueue<String> e = new LinkedBlockingQueue<>();
    BlockingQueue<byte[]> b = new LinkedBlockingQueue<>();
    events = e;
    binaries = b;
    session = client.connect(new Listener(e, b), uri, request).get(10, TimeUnit.SECONDS);
    return session;
  }

  /**
   * @return what arrived on the current connection and was not yet taken, in order
   */
  public BlockingQueue<String> events() {
    return events;
  }

  /**
   * @return the payload of each binary message of the current connection, in order
   */
  public BlockingQueue<byte[]> binaries() {
    return binaries;
  }

  /**
   * @return the session of the last {@code connect}
   */
  public Session session() {
    return session;
  }

  /**
   * Sends a text message without waiting.
   *
   * @param text the message
   */
  public void text(String text) {
    session.sendText(text, Callback.NOOP);
  }

  /**
   * Sends a binary message without waiting.
   *
   * @param data the message
   */
  public void bytes(byte[] data) {
    session.sendBinary(ByteBuffer.wrap(data), Callback.NOOP);
  }

  /**
   * One echoed round trip before a test over HTTP/2. Jetty 12.1.8's WebSocket over HTTP/2 now and
   * then loses the echo of the client's first message (reproduced with a plain Jetty endpoint and
   * no PAGI code); after one round trip the stream is reliable. Needs an app that echoes; later
   * echoes of the warm-up are skipped by {@link #next()}.
   *
   * @throws InterruptedException when interrupted
   */
  public void warmUp() throws InterruptedException {
    BlockingQueue<String> events = this.events;
    for (int attempt = 0; attempt < 5; attempt++) {
      text(WARM_UP);
      String e = events.poll(2, TimeUnit.SECONDS);
      if (e != null && e.equals("text:" + WARM_UP)) {
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
   * @throws AssertionError when nothing arrives in time
   */
  public String next() throws InterruptedException {
    BlockingQueue<String> events = this.events;
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

  /**
   * @param b bytes
   * @return them decoded as UTF-8
   */
  public static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Public: Jetty binds listener methods through method handles. */
  public static final class Listener implements Session.Listener.AutoDemanding {
    private final BlockingQueue<String> events;
    private final BlockingQueue<byte[]> binaries;

    Listener(BlockingQueue<String> events, BlockingQueue<byte[]> binaries) {
      this.events = events;
      this.binaries = binaries;
    }

    @Override
    public void onWebSocketText(String message) {
      events.add("text:" + message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
      byte[] b = new byte[payload.remaining()];
      payload.get(b);
      binaries.add(b);
      events.add("bytes:" + b.length);
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
