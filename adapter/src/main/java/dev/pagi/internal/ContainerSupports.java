package dev.pagi.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;

/** Picks the {@link ContainerSupport} for the running container. */
final class ContainerSupports {
  private ContainerSupports() {}

  /**
   * Undertow support when the context is Undertow's (by its server info, or its class where a
   * product renames the server); it reaches Undertow reflectively. Jetty support only when the
   * context really is Jetty's: Jetty classes on a class path (a fat jar, a test class path) do not
   * make Tomcat or Undertow a Jetty, and a WAR on Jetty usually cannot see the server's classes at
   * all.
   */
  static ContainerSupport detect(ServletContext context) {
    String server = context == null ? null : context.getServerInfo();
    String name = server == null ? "" : server.toLowerCase(java.util.Locale.ROOT);
    if (name.startsWith("undertow")
        || context != null && context.getClass().getName().startsWith("io.undertow.")) {
      return new UndertowSupport();
    }
    if (!name.startsWith("jetty")) {
      return new Portable();
    }
    try {
      Class.forName(
          "org.eclipse.jetty.ee10.servlet.ServletContextRequest",
          false,
          ContainerSupports.class.getClassLoader());
      return new JettySupport();
    } catch (ClassNotFoundException | LinkageError e) {
      return new Portable();
    }
  }

  /**
   * Servlet 6 only. Abort uses the re-dispatch-and-throw technique: the exchange dispatches back
   * into the servlet with the failure as a request attribute and the servlet rethrows it, so the
   * container sees an exception on a committed response and drops the connection (HTTP/1.1) or
   * resets the stream (HTTP/2) instead of ending the body cleanly.
   */
  static class Portable implements ContainerSupport {
    @Override
    public boolean onClientGone(HttpServletRequest request, Runnable onGone) {
      return false;
    }

    @Override
    public void abort(HttpServletRequest request, AsyncContext async, Throwable cause) {
      request.setAttribute(ABORT_ATTRIBUTE, cause);
      async.dispatch();
    }

    /**
     * From the TLS session when a launcher published it ({@link TlsExtension#SESSION_ATTRIBUTE});
     * otherwise from the Servlet spec's request attributes: the client chain and the cipher suite,
     * the protocol from Tomcat's attribute where present, the server certificate unknown.
     */
    @Override
    public Map<String, Object> tlsExtension(HttpServletRequest request) {
      if (request.getAttribute(TlsExtension.SESSION_ATTRIBUTE)
          instanceof javax.net.ssl.SSLSession session) {
        return TlsExtension.build(session);
      }
      Object chain = request.getAttribute(TlsExtension.CERT_ATTRIBUTE);
      Object cipher = request.getAttribute(TlsExtension.CIPHER_ATTRIBUTE);
      Object protocol = request.getAttribute(TOMCAT_PROTOCOL_ATTRIBUTE);
      return TlsExtension.build(
          null,
          chain instanceof java.security.cert.Certificate[] c ? c : null,
          protocol instanceof String p ? p : null,
          cipher instanceof String s ? s : null);
    }

    private static final String TOMCAT_PROTOCOL_ATTRIBUTE =
        "org.apache.tomcat.util.net.secure_protocol_version";
  }
}
