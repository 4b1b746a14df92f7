package dev.pagi;

import dev.pagi.internal.ArrayMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Event type constants, builders and typed accessors.
 *
 * <p>Events are plain maps keyed as the specification names them; the builders here only save
 * typing and return mutable maps an application may extend. Accessors read received events without
 * casts.
 */
public final class Events {
  private Events() {}

  /** Key of every event's type. */
  public static final String TYPE = "type";

  // http
  /** Receive: a request body chunk ({@code body}, {@code more}). */
  public static final String HTTP_REQUEST = "http.request";

  /** Receive: the request is over or the client is gone. */
  public static final String HTTP_DISCONNECT = "http.disconnect";

  /** Send: status, headers, trailers flag. */
  public static final String HTTP_RESPONSE_START = "http.response.start";

  /** Send: a body chunk, or a file. */
  public static final String HTTP_RESPONSE_BODY = "http.response.body";

  /** Send: trailer fields after a start with {@code trailers: 1}. */
  public static final String HTTP_RESPONSE_TRAILERS = "http.response.trailers";

  /** Send: flush buffered bytes now (extension {@code fullflush}). */
  public static final String HTTP_FULLFLUSH = "http.fullflush";

  // sse
  /** Receive: a request body chunk of an SSE request. */
  public static final String SSE_REQUEST = "sse.request";

  /** Receive: the stream ended ({@code reason}). */
  public static final String SSE_DISCONNECT = "sse.disconnect";

  /** Send: start the event stream. */
  public static final String SSE_START = "sse.start";

  /** Send: one event ({@code data}, {@code event}, {@code id}, {@code retry}). */
  public static final String SSE_SEND = "sse.send";

  /** Send: a comment line. */
  public static final String SSE_COMMENT = "sse.comment";

  /** Send: periodic keepalive comments ({@code interval}, {@code comment}). */
  public static final String SSE_KEEPALIVE = "sse.keepalive";

  /** Send: end the stream now ({@code reason}, never written to the wire). */
  public static final String SSE_CLOSE = "sse.close";

  /** Send: decline the stream with a normal HTTP response start. */
  public static final String SSE_HTTP_RESPONSE_START = "sse.http.response.start";

  /** Send: body of a declined stream. */
  public static final String SSE_HTTP_RESPONSE_BODY = "sse.http.response.body";

  // websocket
  /** Receive: the client asks to connect. */
  public static final String WEBSOCKET_CONNECT = "websocket.connect";

  /** Send: accept the handshake ({@code subprotocol}, {@code headers}). */
  public static final String WEBSOCKET_ACCEPT = "websocket.accept";

  /** Receive: a message ({@code text} or {@code bytes}). */
  public static final String WEBSOCKET_RECEIVE = "websocket.receive";

  /** Send: a message ({@code text} or {@code bytes}). */
  public static final String WEBSOCKET_SEND = "websocket.send";

  /** Send: pings ({@code interval}, {@code timeout}). */
  public static final String WEBSOCKET_KEEPALIVE = "websocket.keepalive";

  /** Send: close ({@code code}, {@code reason}); before accept, refuses with 403. */
  public static final String WEBSOCKET_CLOSE = "websocket.close";

  /** Receive: the connection ended ({@code code}, {@code reason}). */
  public static final String WEBSOCKET_DISCONNECT = "websocket.disconnect";

  /** Send: deny the handshake with an HTTP response start. */
  public static final String WEBSOCKET_HTTP_RESPONSE_START = "websocket.http.response.start";

  /** Send: body of a denial response. */
  public static final String WEBSOCKET_HTTP_RESPONSE_BODY = "websocket.http.response.body";

  /**
   * Send: one fragment of a streamed message ({@code text} or {@code bytes}, {@code more});
   * extension {@code websocket.send.partial}.
   */
  public static final String WEBSOCKET_SEND_PARTIAL = "websocket.send.partial";

  // lifespan
  /** Receive: the server is starting. */
  public static final String LIFESPAN_STARTUP = "lifespan.startup";

  /** Send: startup succeeded. */
  public static final String LIFESPAN_STARTUP_COMPLETE = "lifespan.startup.complete";

  /** Send: startup failed ({@code message}); the server does not start. */
  public static final String LIFESPAN_STARTUP_FAILED = "lifespan.startup.failed";

  /** Receive: the server is stopping. */
  public static final String LIFESPAN_SHUTDOWN = "lifespan.shutdown";

  /** Send: shutdown finished. */
  public static final String LIFESPAN_SHUTDOWN_COMPLETE = "lifespan.shutdown.complete";

  /** Send: shutdown failed ({@code message}); logged. */
  public static final String LIFESPAN_SHUTDOWN_FAILED = "lifespan.shutdown.failed";

  // ---- builders

  /**
   * @param type an event type
   * @return a mutable event with only its type
   */
  public static Map<String, Object> of(String type) {
    return event(type);
  }

  // Insertion-ordered like a LinkedHashMap, with room for the few fields an event carries and none
  // of a hash table's per-entry objects: events are built by the million. The builders append
  // their fixed keys with add(), no lookup.
  private static ArrayMap event(String type) {
    ArrayMap event = new ArrayMap(4);
    event.add(TYPE, type);
    return event;
  }

  /**
   * @param status HTTP status
   * @param headers response headers
   * @return an {@code http.response.start}
   */
  public static Map<String, Object> responseStart(int status, List<Header> headers) {
    ArrayMap event = event(HTTP_RESPONSE_START);
    event.add("status", status);
    event.add("headers", headers);
    return event;
  }

  /**
   * @param body the whole (final) body
   * @return an {@code http.response.body} with {@code more: 0}
   */
  public static Map<String, Object> body(byte[] body) {
    return body(body, false);
  }

  /**
   * @param body the whole (final) body, encoded as UTF-8
   * @return an {@code http.response.body} with {@code more: 0}
   */
  public static Map<String, Object> body(String body) {
    return body(body.getBytes(StandardCharsets.UTF_8), false);
  }

  /**
   * @param body a body chunk
   * @param more whether more chunks follow
   * @return an {@code http.response.body}
   */
  public static Map<String, Object> body(byte[] body, boolean more) {
    ArrayMap event = event(HTTP_RESPONSE_BODY);
    event.add("body", body);
    event.add("more", more ? 1 : 0);
    return event;
  }

  /**
   * @param data the event data
   * @return an {@code sse.send}
   */
  public static Map<String, Object> sseSend(String data) {
    ArrayMap event = event(SSE_SEND);
    event.add("data", data);
    return event;
  }

  /**
   * @param text a text message
   * @return a {@code websocket.send}
   */
  public static Map<String, Object> websocketText(String text) {
    ArrayMap event = event(WEBSOCKET_SEND);
    event.add("text", text);
    return event;
  }

  /**
   * @param bytes a binary message
   * @return a {@code websocket.send}
   */
  public static Map<String, Object> websocketBytes(byte[] bytes) {
    ArrayMap event = event(WEBSOCKET_SEND);
    event.add("bytes", bytes);
    return event;
  }

  /**
   * @return a {@code websocket.accept} without subprotocol or headers
   */
  public static Map<String, Object> websocketAccept() {
    return of(WEBSOCKET_ACCEPT);
  }

  /**
   * @param code the close code
   * @param reason the close reason (at most 123 bytes as UTF-8)
   * @return a {@code websocket.close}
   */
  public static Map<String, Object> websocketClose(int code, String reason) {
    ArrayMap event = event(WEBSOCKET_CLOSE);
    event.add("code", code);
    event.add("reason", reason);
    return event;
  }

  // ---- accessors

  /**
   * @param event an event
   * @return its type, or {@code ""} when missing
   */
  public static String type(Map<String, Object> event) {
    Object t = event.get(TYPE);
    return t instanceof String s ? s : "";
  }

  /**
   * @param event an {@code http.request} or {@code sse.request}
   * @return its body bytes, empty when missing
   */
  public static byte[] body(Map<String, Object> event) {
    Object b = event.get("body");
    return b instanceof byte[] bytes ? bytes : new byte[0];
  }

  /**
   * @param event a request event
   * @return whether {@code more} is set
   */
  public static boolean more(Map<String, Object> event) {
    Object m = event.get("more");
    return m instanceof Number n ? n.longValue() != 0 : Boolean.TRUE.equals(m);
  }

  /**
   * @param event an event
   * @param key a key
   * @return the string value, or {@code null}
   */
  public static String string(Map<String, Object> event, String key) {
    Object v = event.get(key);
    return v instanceof String s ? s : null;
  }

  /**
   * @param event an event
   * @param key a key
   * @param otherwise the default
   * @return the integer value, or {@code otherwise}
   */
  public static int integer(Map<String, Object> event, String key, int otherwise) {
    Object v = event.get(key);
    return v instanceof Number n ? n.intValue() : otherwise;
  }
}
