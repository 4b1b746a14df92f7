package dev.pagi;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scope keys and typed accessors, so an application never needs a cast.
 *
 * <p>The scope the server passes is an unmodifiable map. Middleware that adds keys passes a copy
 * made with {@link #with(Map, String, Object)}.
 */
public final class Scope {
  private Scope() {}

  /** The core specification version this server implements, in {@code scope.pagi.version}. */
  public static final String PAGI_VERSION = "0.3";

  /** {@code type}: http, sse, websocket or lifespan. */
  public static final String TYPE = "type";

  /** {@code pagi}: a map with {@code version} and {@code spec_version}. */
  public static final String PAGI = "pagi";

  /** {@code http_version}: "1.0", "1.1" or "2". */
  public static final String HTTP_VERSION = "http_version";

  /** {@code method}: upper-case request method. */
  public static final String METHOD = "method";

  /** {@code scheme}: http, https, ws or wss. */
  public static final String SCHEME = "scheme";

  /** {@code path}: the percent-decoded path, UTF-8 decoded where valid. */
  public static final String PATH = "path";

  /** {@code raw_path}: the path bytes as they came on the request line. */
  public static final String RAW_PATH = "raw_path";

  /** {@code query_string}: the raw bytes after {@code ?}, empty when none. */
  public static final String QUERY_STRING = "query_string";

  /** {@code root_path}: where the application is mounted (context path plus servlet prefix). */
  public static final String ROOT_PATH = "root_path";

  /** {@code headers}: {@code List<Header>}, lower-case names. */
  public static final String HEADERS = "headers";

  /** {@code client}: {@code [host, port]}. */
  public static final String CLIENT = "client";

  /** {@code server}: {@code [host, port]}. */
  public static final String SERVER = "server";

  /** {@code state}: a shallow copy of the lifespan state. */
  public static final String STATE = "state";

  /** {@code extensions}: advertised server capabilities. */
  public static final String EXTENSIONS = "extensions";

  /** {@code subprotocols}: the WebSocket subprotocols the client offered. */
  public static final String SUBPROTOCOLS = "subprotocols";

  /** {@code pagi.connection}: the {@link Connection} of an http scope. */
  public static final String CONNECTION = "pagi.connection";

  /** {@code pagi.transport}: the {@link Transport} of an http, sse or websocket scope. */
  public static final String TRANSPORT = "pagi.transport";

  /** Scope type of an HTTP request. */
  public static final String TYPE_HTTP = "http";

  /** Scope type of a Server-Sent Events stream. */
  public static final String TYPE_SSE = "sse";

  /** Scope type of a WebSocket connection. */
  public static final String TYPE_WEBSOCKET = "websocket";

  /** Scope type of the startup/shutdown lifespan. */
  public static final String TYPE_LIFESPAN = "lifespan";

  /** Extension key: {@code http.fullflush} is accepted. */
  public static final String EXT_FULLFLUSH = "fullflush";

  /** Extension key: TLS connection details. */
  public static final String EXT_TLS = "tls";

  /** Extension key: a WebSocket handshake can be denied with a custom HTTP response. */
  public static final String EXT_WEBSOCKET_HTTP_RESPONSE = "websocket.http.response";

  /**
   * Extension key: {@code websocket.send.partial} streams one message as fragments ({@code text} or
   * {@code bytes} plus {@code more}); the first fragment fixes text or binary.
   */
  public static final String EXT_WEBSOCKET_SEND_PARTIAL = "websocket.send.partial";

  /**
   * @param scope a websocket scope
   * @return {@code scope.subprotocols}, empty when absent
   */
  @SuppressWarnings("unchecked")
  public static List<String> subprotocols(Map<String, Object> scope) {
    Object s = scope.get(SUBPROTOCOLS);
    return s == null ? List.of() : (List<String>) s;
  }

  /**
   * @param scope a scope
   * @return {@code scope.type}
   */
  public static String type(Map<String, Object> scope) {
    return (String) scope.get(TYPE);
  }

  /**
   * @param scope a scope
   * @return {@code scope.path}
   */
  public static String path(Map<String, Object> scope) {
    return (String) scope.get(PATH);
  }

  /**
   * @param scope a scope
   * @return {@code scope.method}, or {@code null} for scopes without one
   */
  public static String method(Map<String, Object> scope) {
    return (String) scope.get(METHOD);
  }

  /**
   * @param scope a scope
   * @return {@code scope.query_string} decoded as ISO-8859-1 (still percent-encoded)
   */
  public static String queryString(Map<String, Object> scope) {
    Object q = scope.get(QUERY_STRING);
    return q instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : "";
  }

  /**
   * @param scope a scope
   * @return {@code scope.headers}, empty when absent
   */
  @SuppressWarnings("unchecked")
  public static List<Header> headers(Map<String, Object> scope) {
    Object h = scope.get(HEADERS);
    return h == null ? List.of() : (List<Header>) h;
  }

  /**
   * @param scope a scope
   * @param name a header name, any case
   * @return the first value of that header, or {@code null}
   */
  public static String header(Map<String, Object> scope, String name) {
    for (Header h : headers(scope)) {
      if (h.name().equalsIgnoreCase(name)) {
        return h.value();
      }
    }
    return null;
  }

  /**
   * @param scope an http scope
   * @return its {@code pagi.connection}, or {@code null} for other scope types
   */
  public static Connection connection(Map<String, Object> scope) {
    return (Connection) scope.get(CONNECTION);
  }

  /**
   * @param scope an http, sse or websocket scope
   * @return its {@code pagi.transport}, or {@code null} when introspection is unavailable
   */
  public static Transport transport(Map<String, Object> scope) {
    return (Transport) scope.get(TRANSPORT);
  }

  /**
   * @param scope a scope
   * @return {@code scope.state} (mutable: lifespan writes to it, requests get shallow copies), or
   *     an empty map when there is none
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> state(Map<String, Object> scope) {
    Object s = scope.get(STATE);
    return s == null ? Collections.emptyMap() : (Map<String, Object>) s;
  }

  /**
   * @param scope a scope
   * @return {@code scope.extensions}, empty when absent
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> extensions(Map<String, Object> scope) {
    Object e = scope.get(EXTENSIONS);
    return e == null ? Map.of() : (Map<String, Object>) e;
  }

  /**
   * @param scope a scope
   * @param extension an extension key such as {@link #EXT_FULLFLUSH}
   * @return whether the server advertised it
   */
  public static boolean hasExtension(Map<String, Object> scope, String extension) {
    return extensions(scope).containsKey(extension);
  }

  /**
   * Copies a scope with one key added or replaced, for middleware.
   *
   * @param scope the scope received
   * @param key the key to set
   * @param value its value
   * @return a new unmodifiable scope; {@code scope} is unchanged
   */
  public static Map<String, Object> with(Map<String, Object> scope, String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(scope);
    copy.put(key, value);
    return Collections.unmodifiableMap(copy);
  }
}
