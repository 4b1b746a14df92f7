package dev.pagi.internal;

import jakarta.servlet.http.HttpServletRequest;

/**
 * What the one pass over the request headers noticed on the way, so that telling an SSE request or
 * a WebSocket handshake from a plain one takes no further header lookups (each a scan of the
 * request's fields in most containers). A flag set only means "look closer": the exact tests
 * ({@link WebSocketUpgrade#requested}, {@link SseExchange#isSseRequest}) still decide.
 */
public final class RequestHints {
  private boolean webSocket;
  private boolean eventStream;
  private boolean transferEncoding;
  // The Content-Length line as a number: -1 none, -2 one that did not parse.
  private long contentLength = -1;
  // Whether the lines came from the container's own fields (what its getContentLengthLong reads).
  private boolean containerFields;

  /** Nothing noticed yet; filled in by {@link ScopeBuilder#build}. */
  public RequestHints() {}

  /** The lines came from the container's own fields (what its getContentLengthLong reads). */
  void fromContainerFields() {
    containerFields = true;
  }

  /**
   * @return whether a {@code Sec-WebSocket-Key} or {@code Sec-WebSocket-Version} came: the request
   *     may be a WebSocket handshake
   */
  public boolean webSocket() {
    return webSocket;
  }

  /**
   * @return whether an {@code Accept} line names {@code text/event-stream} (in any case): the
   *     request may be an SSE request
   */
  public boolean eventStream() {
    return eventStream;
  }

  /**
   * @return whether a {@code Transfer-Encoding} came
   */
  public boolean transferEncoding() {
    return transferEncoding;
  }

  /**
   * The request's {@code getContentLengthLong()}, without asking again where the pass read the same
   * fields the container answers from.
   *
   * @param req the request
   * @return the declared body length, or -1
   */
  public long contentLength(HttpServletRequest req) {
    return containerFields && contentLength >= -1 ? contentLength : req.getContentLengthLong();
  }

  void note(String name, String value) {
    switch (name) {
      case "content-length" -> contentLength = contentLength == -1 ? parseLength(value) : -2;
      case "sec-websocket-key", "sec-websocket-version" -> webSocket = true;
      case "accept" -> eventStream |= containsIgnoreCase(value, "text/event-stream");
      case "transfer-encoding" -> transferEncoding = true;
      default -> {}
    }
  }

  private static long parseLength(String value) {
    try {
      long n = Long.parseLong(value.trim());
      return n >= 0 ? n : -2;
    } catch (NumberFormatException e) {
      return -2;
    }
  }

  static boolean containsIgnoreCase(String value, String part) {
    for (int i = 0, last = value.length() - part.length(); i <= last; i++) {
      if (value.regionMatches(true, i, part, 0, part.length())) {
        return true;
      }
    }
    return false;
  }
}
