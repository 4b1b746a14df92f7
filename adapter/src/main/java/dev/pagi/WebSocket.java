package dev.pagi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A convenience wrapper around a {@code websocket} scope's {@code receive} and {@code send}: accept
 * or deny the handshake, send and receive text, bytes and JSON, loop over messages, learn how the
 * connection ended, keepalive, flow control and a per-connection stash. Everything it does is plain
 * PAGI events, so it works on any PAGI server.
 *
 * <pre>{@code
 * PagiApp echo = (scope, receive, send) -> {
 *   WebSocket ws = WebSocket.of(scope, receive, send);
 *   ws.onClose((code, reason) -> log.info("closed " + code + " " + reason));
 *   return ws.accept().thenCompose(v -> ws.eachText(text -> ws.sendText("echo: " + text)));
 * };
 * }</pre>
 *
 * <h2>Handshake</h2>
 *
 * {@link #accept} and {@link #deny} first consume the {@code websocket.connect} event if the
 * application has not. {@link #deny} uses the {@code websocket.http.response} extension when the
 * server advertises it and otherwise falls back to {@code websocket.close} (the server then answers
 * 403).
 *
 * <h2>Receiving</h2>
 *
 * {@link #receive()} and the {@code each*} loops yield messages until the {@code
 * websocket.disconnect}; then the {@link #onClose} callbacks run (once) and the helper is closed.
 * Only one receive may be outstanding at a time, as with {@link Receive}.
 *
 * <h2>Threads</h2>
 *
 * All methods are thread-safe. Stages complete on the server's threads; {@link #onClose} callbacks
 * run on the thread that saw the end, with no lock held; an exception from one is logged and does
 * not stop the others. {@link #sendJson} and {@link #receiveJson} need {@code
 * com.fasterxml.jackson.core:jackson-databind} on the class path; nothing else does.
 */
public final class WebSocket {
  private static final Logger LOG = Logger.getLogger(WebSocket.class.getName());
  private static final int DENY_FALLBACK_CODE = 1008;

  /** Where the connection is, as this helper has seen it. */
  public enum State {
    /** Before accept or deny. Initial state. */
    CONNECTING,
    /** Entered by {@link #accept}. */
    CONNECTED,
    /** Entered on the disconnect event, {@link #close}, or a denial. */
    CLOSED
  }

  private final Map<String, Object> scope;
  private final Receive receive;
  private final Send send;
  private final Map<String, Object> stash = new ConcurrentHashMap<>();
  private final List<BiConsumer<Integer, String>> onClose = new ArrayList<>();

  private State state = State.CONNECTING;
  private boolean connectSeen;
  private boolean closeCallbacksRan;
  private Integer closeCode;
  private String closeReason;

  private WebSocket(Map<String, Object> scope, Receive receive, Send send) {
    this.scope = scope;
    this.receive = receive;
    this.send = send;
  }

  /**
   * @param scope a {@code websocket} scope
   * @param receive the application's receive
   * @param send the application's send
   * @return a helper for this connection
   * @throws IllegalArgumentException when the scope is not a websocket scope
   */
  public static WebSocket of(Map<String, Object> scope, Receive receive, Send send) {
    if (!Scope.TYPE_WEBSOCKET.equals(Scope.type(scope))) {
      throw new IllegalArgumentException(
          "Expected a 'websocket' scope but got '" + Scope.type(scope) + "'");
    }
    return new WebSocket(scope, receive, send);
  }

  /**
   * @return the scope
   */
  public Map<String, Object> scope() {
    return scope;
  }

  /**
   * @return the subprotocols the client offered, in its order
   */
  public List<String> subprotocols() {
    return Scope.subprotocols(scope);
  }

  /**
   * @return a mutable, thread-safe map for the application's per-connection data
   */
  public Map<String, Object> stash() {
    return stash;
  }

  /**
   * @return the state as this helper has seen it
   */
  public synchronized State state() {
    return state;
  }

  /**
   * @return the close code once closed (the peer's, ours, or the server's), else {@code null}
   */
  public synchronized Integer closeCode() {
    return closeCode;
  }

  /**
   * @return the close reason once closed, else {@code null}
   */
  public synchronized String closeReason() {
    return closeReason;
  }

  // ---- handshake

  /**
   * Accepts without a subprotocol or extra headers.
   *
   * @return a stage completing when the accept was sent
   */
  public CompletionStage<Void> accept() {
    return accept(null, List.of());
  }

  /**
   * Accepts the handshake.
   *
   * @param subprotocol one of {@link #subprotocols()}, or {@code null}
   * @param headers extra handshake response headers
   * @return a stage completing when the accept was sent; failed with {@link ProtocolException} when
   *     the server rejects the event (e.g. a subprotocol the client did not offer)
   */
  public CompletionStage<Void> accept(String subprotocol, List<Header> headers) {
    Map<String, Object> event = Events.websocketAccept();
    if (subprotocol != null) {
      event.put("subprotocol", subprotocol);
    }
    if (!headers.isEmpty()) {
      event.put("headers", headers);
    }
    return connected()
        .thenCompose(v -> send.send(event))
        .thenRun(
            () -> {
              synchronized (this) {
                if (state == State.CONNECTING) {
                  state = State.CONNECTED;
                }
              }
            });
  }

  /**
   * Denies the handshake with an HTTP response, or with {@code websocket.close} (the server answers
   * 403) when the server does not advertise {@code websocket.http.response}.
   *
   * @param status the HTTP status, e.g. 401
   * @param headers response headers
   * @param body the response body
   * @return a stage completing when the denial was sent; the helper is then closed
   */
  public CompletionStage<Void> deny(int status, List<Header> headers, byte[] body) {
    CompletionStage<Void> sent;
    if (Scope.hasExtension(scope, Scope.EXT_WEBSOCKET_HTTP_RESPONSE)) {
      Map<String, Object> start = Events.of(Events.WEBSOCKET_HTTP_RESPONSE_START);
      start.put("status", status);
      start.put("headers", headers);
      Map<String, Object> end = Events.of(Events.WEBSOCKET_HTTP_RESPONSE_BODY);
      end.put("body", body);
      sent = connected().thenCompose(v -> send.send(start)).thenCompose(v -> send.send(end));
    } else {
      sent = connected().thenCompose(v -> send.send(Events.websocketClose(DENY_FALLBACK_CODE, "")));
    }
    return sent.thenRun(() -> closed(DENY_FALLBACK_CODE, "denied"));
  }

  /**
   * Denies with a plain-text body.
   *
   * @param status the HTTP status
   * @param text the body, sent as UTF-8 {@code text/plain}
   * @return see {@link #deny(int, List, byte[])}
   */
  public CompletionStage<Void> deny(int status, String text) {
    return deny(
        status,
        List.of(Header.of("content-type", "text/plain; charset=utf-8")),
        text.getBytes(StandardCharsets.UTF_8));
  }

  /** Consumes {@code websocket.connect} once, if the application has not. */
  private CompletionStage<Void> connected() {
    synchronized (this) {
      if (connectSeen) {
        return CompletableFuture.completedFuture(null);
      }
      connectSeen = true;
    }
    return receive
        .receive()
        .thenAccept(
            e -> {
              if (Events.WEBSOCKET_DISCONNECT.equals(Events.type(e))) {
                noteDisconnect(e);
              }
            });
  }

  // ---- sending

  /**
   * @param text a text message
   * @return a stage completing when the server accepted it (see {@link Send} for backpressure)
   */
  public CompletionStage<Void> sendText(String text) {
    return send.send(Events.websocketText(text));
  }

  /**
   * @param bytes a binary message
   * @return a stage completing when the server accepted it
   */
  public CompletionStage<Void> sendBytes(byte[] bytes) {
    return send.send(Events.websocketBytes(bytes));
  }

  /**
   * Sends a value as a JSON text message (needs Jackson on the class path).
   *
   * @param value any value Jackson can write
   * @return a stage completing when the server accepted it; failed with {@link
   *     IllegalStateException} when Jackson is missing or cannot write the value
   */
  public CompletionStage<Void> sendJson(Object value) {
    String text;
    try {
      text = JsonCodec.write(value);
    } catch (RuntimeException | LinkageError e) {
      return CompletableFuture.failedFuture(JsonCodec.failure(e));
    }
    return sendText(text);
  }

  /**
   * Sends one fragment of a streamed message (extension {@code websocket.send.partial}). The first
   * fragment fixes text; end the message with {@code last}.
   *
   * @param text the fragment
   * @param last whether it ends the message
   * @return a stage completing when the server accepted it
   */
  public CompletionStage<Void> sendFragment(String text, boolean last) {
    return fragment("text", text, last);
  }

  /**
   * Sends one fragment of a streamed binary message (extension {@code websocket.send.partial}).
   *
   * @param bytes the fragment
   * @param last whether it ends the message
   * @return a stage completing when the server accepted it
   */
  public CompletionStage<Void> sendFragment(byte[] bytes, boolean last) {
    return fragment("bytes", bytes, last);
  }

  private CompletionStage<Void> fragment(String kind, Object value, boolean last) {
    if (!Scope.hasExtension(scope, Scope.EXT_WEBSOCKET_SEND_PARTIAL)) {
      return CompletableFuture.failedFuture(
          new ProtocolException(
              "Cannot send 'websocket.send.partial': extension 'websocket.send.partial' is not"
                  + " advertised"));
    }
    Map<String, Object> event = Events.of(Events.WEBSOCKET_SEND_PARTIAL);
    event.put(kind, value);
    event.put("more", last ? 0 : 1);
    return send.send(event);
  }

  /**
   * Pings at {@code interval} seconds; without a Pong within {@code timeout} seconds the server
   * drops the connection (the disconnect reason is {@code keepalive_timeout}). 0 stops the pings;
   * the last call wins.
   *
   * @param interval seconds between pings
   * @param timeout seconds to wait for a Pong; 0 for none
   * @return a stage completing when the server accepted the setting
   */
  public CompletionStage<Void> keepalive(double interval, double timeout) {
    Map<String, Object> event = Events.of(Events.WEBSOCKET_KEEPALIVE);
    event.put("interval", interval);
    if (timeout > 0) {
      event.put("timeout", timeout);
    }
    return send.send(event);
  }

  /** Closes with 1000 and no reason. */
  public CompletionStage<Void> close() {
    return close(1000, "");
  }

  /**
   * Closes the connection; idempotent. The {@link #onClose} callbacks run with this code and
   * reason.
   *
   * @param code a close code (1000-1003, 1007-1014, 3000-4999)
   * @param reason at most 123 bytes as UTF-8
   * @return a stage completing when the server accepted the close
   */
  public CompletionStage<Void> close(int code, String reason) {
    synchronized (this) {
      if (state == State.CLOSED) {
        return CompletableFuture.completedFuture(null);
      }
    }
    return send.send(Events.websocketClose(code, reason)).thenRun(() -> closed(code, reason));
  }

  // ---- receiving

  /**
   * @return the next {@code websocket.receive} event, or {@code null} once the connection has ended
   *     (the {@link #onClose} callbacks have then run)
   */
  public CompletionStage<Map<String, Object>> receive() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return CompletableFuture.completedFuture(null);
      }
    }
    return receive
        .receive()
        .thenCompose(
            e -> {
              String type = Events.type(e);
              if (Events.WEBSOCKET_CONNECT.equals(type)) {
                synchronized (this) {
                  connectSeen = true;
                }
                return receive();
              }
              if (Events.WEBSOCKET_DISCONNECT.equals(type)) {
                noteDisconnect(e);
                return CompletableFuture.completedFuture(null);
              }
              return CompletableFuture.completedFuture(e);
            });
  }

  /**
   * @return the next message as text (binary messages decoded as UTF-8), or {@code null} once the
   *     connection has ended
   */
  public CompletionStage<String> receiveText() {
    return receive().thenApply(e -> e == null ? null : text(e));
  }

  /**
   * @param type what to read each message as
   * @param <T> the value type
   * @return the next message parsed as JSON (needs Jackson), or {@code null} once ended
   */
  public <T> CompletionStage<T> receiveJson(Class<T> type) {
    return receiveText().thenApply(t -> t == null ? null : readJson(t, type));
  }

  /**
   * Receives until the connection ends, handing each {@code websocket.receive} event to {@code
   * handler} and awaiting its stage before the next receive.
   *
   * @param handler called per message
   * @return a stage completing after the end (and the close callbacks), or failing with the first
   *     failure of {@code handler} or {@code receive}
   */
  public CompletionStage<Void> eachMessage(
      Function<Map<String, Object>, ? extends CompletionStage<?>> handler) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop(handler, done);
    return done;
  }

  /**
   * @param handler called with each message as text (binary decoded as UTF-8)
   * @return see {@link #eachMessage}
   */
  public CompletionStage<Void> eachText(Function<String, ? extends CompletionStage<?>> handler) {
    return eachMessage(e -> handler.apply(text(e)));
  }

  /**
   * @param type what to read each message as (needs Jackson)
   * @param handler called with each parsed message
   * @param <T> the value type
   * @return see {@link #eachMessage}
   */
  public <T> CompletionStage<Void> eachJson(
      Class<T> type, Function<T, ? extends CompletionStage<?>> handler) {
    return eachMessage(e -> handler.apply(readJson(text(e), type)));
  }

  /**
   * Iterates without recursion: a message already available completes {@code receive()} at once, so
   * the loop continues on this thread instead of nesting another frame per message.
   */
  private void loop(
      Function<Map<String, Object>, ? extends CompletionStage<?>> handler,
      CompletableFuture<Void> done) {
    while (true) {
      CompletableFuture<Map<String, Object>> next = receive().toCompletableFuture();
      if (!next.isDone()) {
        next.whenComplete(
            (e, err) -> {
              if (step(handler, done, e, err)) {
                loop(handler, done);
              }
            });
        return;
      }
      Map<String, Object> e;
      try {
        e = next.join();
      } catch (RuntimeException err) {
        done.completeExceptionally(err);
        return;
      }
      if (!step(handler, done, e, null)) {
        return;
      }
    }
  }

  /**
   * Runs the handler for one event.
   *
   * @return true when the loop should continue on this thread now
   */
  private boolean step(
      Function<Map<String, Object>, ? extends CompletionStage<?>> handler,
      CompletableFuture<Void> done,
      Map<String, Object> e,
      Throwable err) {
    if (err != null) {
      done.completeExceptionally(err);
      return false;
    }
    if (e == null) {
      done.complete(null);
      return false;
    }
    CompletableFuture<?> handled;
    try {
      handled = handler.apply(e).toCompletableFuture();
    } catch (RuntimeException ex) {
      done.completeExceptionally(ex);
      return false;
    }
    if (handled.isDone() && !handled.isCompletedExceptionally()) {
      return true;
    }
    handled.whenComplete(
        (v, ex) -> {
          if (ex != null) {
            done.completeExceptionally(ex);
          } else {
            loop(handler, done);
          }
        });
    return false;
  }

  private static <T> T readJson(String text, Class<T> type) {
    try {
      return JsonCodec.read(text, type);
    } catch (LinkageError e) {
      throw JsonCodec.failure(e);
    }
  }

  private static String text(Map<String, Object> e) {
    Object t = e.get("text");
    if (t instanceof String s) {
      return s;
    }
    Object b = e.get("bytes");
    return b instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : "";
  }

  // ---- the end

  /**
   * Registers a callback for the end of the connection, with its close code and reason. Runs once:
   * when the helper sees the disconnect event, closes, or denies. Registered after that, it runs at
   * once on the calling thread.
   *
   * @param callback receives the close code and reason
   * @return this
   */
  public WebSocket onClose(BiConsumer<Integer, String> callback) {
    boolean now;
    Integer code;
    String reason;
    synchronized (this) {
      now = closeCallbacksRan;
      code = closeCode;
      reason = closeReason;
      if (!now) {
        onClose.add(callback);
      }
    }
    if (now) {
      run(List.of(callback), code, reason);
    }
    return this;
  }

  private void noteDisconnect(Map<String, Object> e) {
    Object code = e.get("code");
    Object reason = e.get("reason");
    closed(code instanceof Number n ? n.intValue() : 1005, reason instanceof String s ? s : "");
  }

  private void closed(int code, String reason) {
    List<BiConsumer<Integer, String>> callbacks;
    synchronized (this) {
      state = State.CLOSED;
      if (closeCallbacksRan) {
        return;
      }
      closeCallbacksRan = true;
      closeCode = code;
      closeReason = reason;
      callbacks = new ArrayList<>(onClose);
      onClose.clear();
    }
    run(callbacks, code, reason);
  }

  private static void run(List<BiConsumer<Integer, String>> callbacks, Integer code, String r) {
    for (BiConsumer<Integer, String> c : callbacks) {
      try {
        c.accept(code, r);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "WebSocket onClose callback failed", e);
      }
    }
  }

  // ---- flow control

  /**
   * @return bytes queued but not yet written, 0 without {@code pagi.transport}
   */
  public long bufferedAmount() {
    Transport t = Scope.transport(scope);
    return t == null ? 0 : t.bufferedAmount();
  }

  /**
   * @return the transport's high-water mark, or {@code null}
   */
  public Long highWaterMark() {
    Transport t = Scope.transport(scope);
    return t == null ? null : t.highWaterMark();
  }

  /**
   * @return the transport's low-water mark, or {@code null}
   */
  public Long lowWaterMark() {
    Transport t = Scope.transport(scope);
    return t == null ? null : t.lowWaterMark();
  }

  /**
   * @return whether a send now would not wait: the buffer is under the high-water mark (always true
   *     without {@code pagi.transport})
   */
  public boolean isWritable() {
    Transport t = Scope.transport(scope);
    Long high = t == null ? null : t.highWaterMark();
    return high == null || t.bufferedAmount() < high;
  }

  /** JSON through Jackson, loaded only when used so Jackson stays optional. */
  private static final class JsonCodec {
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
        new com.fasterxml.jackson.databind.ObjectMapper();

    static String write(Object value) {
      try {
        return MAPPER.writeValueAsString(value);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("Cannot write JSON: " + e.getOriginalMessage(), e);
      }
    }

    static <T> T read(String text, Class<T> type) {
      try {
        return MAPPER.readValue(text, type);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("Cannot read JSON: " + e.getOriginalMessage(), e);
      }
    }

    static RuntimeException failure(Throwable e) {
      if (e instanceof LinkageError) {
        return new IllegalStateException(
            "JSON needs com.fasterxml.jackson.core:jackson-databind on the class path", e);
      }
      return (RuntimeException) e;
    }
  }
}
