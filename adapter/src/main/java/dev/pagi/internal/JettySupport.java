package dev.pagi.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.ee10.servlet.ServletApiRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Jetty 12 (ee10) support, used when the adapter can see Jetty's classes (embedded Jetty, or a WAR
 * whose context exposes them). Jetty reports a vanished client through the core request's failure
 * listeners: over HTTP/2 always, over HTTP/1.1 only once something reads or writes, which is what
 * {@link JettyIdleWatch} does for idle SSE streams. Jetty can also abort a response directly:
 * HTTP/1.1 closes the connection, HTTP/2 resets only that stream. WebSocket sessions send
 * fragments, pings and Close frames through Jetty's non-blocking core session ({@link
 * JettyWebSocketWire}).
 */
final class JettySupport extends ContainerSupports.Portable {

  /** The core request behind a servlet request, or null when it is not Jetty's (wrapped away). */
  static ServletContextRequest core(HttpServletRequest request) {
    try {
      return ServletContextRequest.getServletContextRequest(request);
    } catch (IllegalStateException e) {
      return null;
    }
  }

  @Override
  public boolean onClientGone(HttpServletRequest request, Runnable onGone) {
    ServletContextRequest core = core(request);
    if (core == null) {
      return super.onClientGone(request, onGone);
    }
    core.addFailureListener(failure -> onGone.run());
    return true;
  }

  /**
   * Straight from the core request's fields, when the servlet sees Jetty's own request object (a
   * wrapper installed by a filter may change headers, so it gets the Servlet API path).
   */
  @Override
  public boolean forEachHeader(
      HttpServletRequest request, java.util.function.BiConsumer<String, String> line) {
    if (!(request instanceof ServletApiRequest api)) {
      return false;
    }
    HttpFields fields = api.getFields();
    if (fields == null) {
      return false;
    }
    for (int i = 0, n = fields.size(); i < n; i++) {
      HttpField f = fields.getField(i);
      String value = f.getValue();
      line.accept(f.getLowerCaseName(), value == null ? "" : value);
    }
    return true;
  }

  @Override
  public boolean watchIdleClient(HttpServletRequest request) {
    ServletContextRequest core = core(request);
    return core != null && JettyIdleWatch.start(core);
  }

  @Override
  public void abort(HttpServletRequest request, AsyncContext async, Throwable cause) {
    ServletContextRequest core = core(request);
    if (core == null) {
      super.abort(request, async, cause);
      return;
    }
    core.getServletChannel().abort(cause == null ? new java.io.IOException("aborted") : cause);
  }

  /** From the TLS session Jetty's {@code SecureRequestCustomizer} attaches to the request. */
  @Override
  public Map<String, Object> tlsExtension(HttpServletRequest request) {
    ServletContextRequest core = core(request);
    Object data = core == null ? null : core.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
    if (!(data instanceof EndPoint.SslSessionData ssl) || ssl.sslSession() == null) {
      return super.tlsExtension(request);
    }
    SSLSession session = ssl.sslSession();
    java.security.cert.Certificate[] local = session.getLocalCertificates();
    return TlsExtension.build(
        local == null || local.length == 0 ? null : local[0],
        ssl.peerCertificates(),
        session.getProtocol(),
        session.getCipherSuite());
  }

  @Override
  public Runnable onStopping(ServletContext context, Runnable action) {
    ServletContextHandler handler = handler(context);
    if (handler == null) {
      return super.onStopping(context, action);
    }
    LifeCycle.Listener listener =
        new LifeCycle.Listener() {
          @Override
          public void lifeCycleStopping(LifeCycle event) {
            action.run();
          }
        };
    // The server closes connections before it stops its contexts, so listen to both.
    Server server = handler.getServer();
    handler.addEventListener(listener);
    if (server != null) {
      server.addEventListener(listener);
    }
    return () -> {
      handler.removeEventListener(listener);
      if (server != null) {
        server.removeEventListener(listener);
      }
    };
  }

  /** Jetty's context handler, or {@code null} on another container. */
  private static ServletContextHandler handler(ServletContext context) {
    try {
      return ServletContextHandler.getServletContextHandler(context);
    } catch (IllegalStateException e) {
      return null;
    }
  }

  @Override
  public WebSocketWire webSocketWire(jakarta.websocket.Session session, Executor blocking) {
    try {
      WebSocketWire wire = JettyWebSocketWire.of(session, blocking);
      if (wire != null) {
        return wire;
      }
    } catch (LinkageError e) {
      // Jetty's WebSocket implementation is not visible here: fall back to the portable wire.
    }
    return super.webSocketWire(session, blocking);
  }
}
