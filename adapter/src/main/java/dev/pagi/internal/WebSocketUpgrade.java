package dev.pagi.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;

/**
 * Detects WebSocket handshakes and routes them to {@link WebSocketExchange}. Uses only the Servlet
 * API, so a container without Jakarta WebSocket never loads a {@code jakarta.websocket} class:
 * there such requests simply stay {@code http} scopes.
 */
public final class WebSocketUpgrade {
  private WebSocketUpgrade() {}

  /** Where Jakarta WebSocket 2.1 containers publish their {@code ServerContainer}. */
  public static final String CONTAINER_ATTRIBUTE = "jakarta.websocket.server.ServerContainer";

  /** Request attribute carrying an accepted exchange into its upgrade dispatch. */
  static final String EXCHANGE_ATTRIBUTE = "dev.pagi.websocket.exchange";

  /**
   * @param req a request
   * @return whether it asks for a WebSocket: an RFC 6455 upgrade ({@code GET} with {@code Upgrade:
   *     websocket}, {@code Connection: upgrade} and a {@code Sec-WebSocket-Key}) or an RFC 8441
   *     extended {@code CONNECT} on HTTP/2 (which carries {@code Sec-WebSocket-Version})
   */
  public static boolean requested(HttpServletRequest req) {
    String method = req.getMethod();
    if ("CONNECT".equals(method)) {
      return req.getProtocol() != null
          && req.getProtocol().startsWith("HTTP/2")
          && req.getHeader("Sec-WebSocket-Version") != null;
    }
    // The key first: a plain lookup that rules out almost every request before any token split.
    return "GET".equals(method)
        && req.getHeader("Sec-WebSocket-Key") != null
        && hasToken(req, "Upgrade", "websocket")
        && hasToken(req, "Connection", "upgrade");
  }

  /**
   * Runs the request as a {@code websocket} scope when it is a handshake and the container has a
   * Jakarta WebSocket {@code ServerContainer}.
   *
   * @return whether the request was taken
   */
  public static boolean service(ServletRuntime rt, HttpServletRequest req, HttpServletResponse resp)
      throws IOException {
    if (!requested(req)) {
      return false;
    }
    Object container = req.getServletContext().getAttribute(CONTAINER_ATTRIBUTE);
    if (container == null) {
      return false;
    }
    WebSocketExchange.start(rt, req, resp, container);
    return true;
  }

  /**
   * Performs the upgrade of an accepted handshake in the async re-dispatch it asked for.
   *
   * @return whether the dispatch was an upgrade
   */
  public static boolean dispatched(HttpServletRequest req, HttpServletResponse resp)
      throws IOException {
    Object exchange = req.getAttribute(EXCHANGE_ATTRIBUTE);
    if (exchange == null) {
      return false;
    }
    req.removeAttribute(EXCHANGE_ATTRIBUTE);
    WebSocketExchange.upgrade(exchange, req, resp);
    return true;
  }

  private static boolean hasToken(HttpServletRequest req, String header, String token) {
    for (var values = req.getHeaders(header); values.hasMoreElements(); ) {
      for (String t : values.nextElement().split(",")) {
        if (t.trim().toLowerCase(Locale.ROOT).equals(token)) {
          return true;
        }
      }
    }
    return false;
  }
}
