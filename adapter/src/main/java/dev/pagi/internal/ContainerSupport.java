package dev.pagi.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The one place container differences live. {@link #detect} picks an implementation at runtime; the
 * portable default uses only Servlet 6 APIs.
 */
public interface ContainerSupport {

  /**
   * Arranges for {@code onGone} to run promptly when the client goes away while the exchange is
   * idle (no read or write pending). Returns false when the container cannot tell; the exchange
   * then learns it from the next failing read or write.
   */
  boolean onClientGone(HttpServletRequest request, Runnable onGone);

  /**
   * For a response that streams until the server ends it (an SSE stream), once the request body has
   * been read completely: lets the container notice a client that closes the connection while
   * nothing is read or written, reported through {@link #onClientGone}. An HTTP/1.1 connection
   * watched this way is closed when the response ends instead of being reused.
   *
   * @return false when the container cannot tell; the next failing write (an event or a keepalive
   *     comment) is then the signal
   */
  default boolean watchIdleClient(HttpServletRequest request) {
    return false;
  }

  /**
   * Ends a started response so the client cannot mistake it for complete: no terminal chunk, a
   * short body, or a stream reset. Called at most once, instead of {@code complete()}.
   */
  void abort(HttpServletRequest request, AsyncContext async, Throwable cause);

  /** The {@code tls} extension for a TLS request, or {@code null} on cleartext or when unknown. */
  Map<String, Object> tlsExtension(HttpServletRequest request);

  /**
   * The outbound side of an open WebSocket session. The portable default uses only Jakarta
   * WebSocket 2.1 and runs its blocking calls on {@code blocking}.
   *
   * @param session the Jakarta session
   * @param blocking where blocking container calls may run
   * @return the wire for this session
   */
  default WebSocketWire webSocketWire(jakarta.websocket.Session session, Executor blocking) {
    return new JakartaWire(session, blocking);
  }

  /**
   * Arranges for {@code action} to run when the server or the context begins to stop, before the
   * container closes connections, so long-lived sessions can say goodbye (a WebSocket Close 1001).
   * The portable default cannot tell and does nothing: such sessions then end at servlet destroy.
   *
   * @return undoes the registration (called at servlet destroy)
   */
  default Runnable onStopping(jakarta.servlet.ServletContext context, Runnable action) {
    return () -> {};
  }

  /**
   * Passes every request header line to {@code line} as (name, value), in arrival order, when the
   * container can do that more cheaply than the Servlet API's name-by-name enumeration.
   *
   * @return false when it cannot; the caller then enumerates through the Servlet API
   */
  default boolean forEachHeader(
      HttpServletRequest request, java.util.function.BiConsumer<String, String> line) {
    return false;
  }

  /**
   * Makes sure the container's own request-body limit cannot end a body before the adapter's {@code
   * limit} does, for containers that end such a request without telling the servlet. Called before
   * the body is read. The portable default does nothing: a container limit that the servlet hears
   * of (a read error) is reported as {@code body_too_large}.
   *
   * @param request the request
   * @param limit the adapter's limit in bytes, 0 for none
   */
  default void admitBodyUpTo(HttpServletRequest request, long limit) {}

  /** Request attribute carrying the failure of an aborted exchange into the re-dispatch. */
  String ABORT_ATTRIBUTE = "dev.pagi.abort";

  /**
   * @param context the servlet context the adapter runs in
   * @return the best implementation for the running container
   */
  static ContainerSupport detect(ServletContext context) {
    return ContainerSupports.detect(context);
  }
}
