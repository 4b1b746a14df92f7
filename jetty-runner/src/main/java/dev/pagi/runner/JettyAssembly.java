package dev.pagi.runner;

import dev.pagi.internal.TlsExtension;
import dev.pagi.runner.internal.PemKeyStore;
import dev.pagi.runner.internal.StdoutLogWriter;
import dev.pagi.servlet.PagiServlet;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.annotations.AnnotationConfiguration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.Configurations;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.RequestLogWriter;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Puts the Jetty server together from {@link PagiServer.Settings} and runs its lifecycle.
 *
 * <p>Start order matters: the handlers (and so the servlet's init and the lifespan startup) start
 * on a server without connectors; only when the application is available are the connectors added
 * and started, so a failed startup never leaves a port that accepted a connection. Stop order: the
 * connectors stop accepting and in-flight requests get the shutdown timeout ({@link
 * GracefulHandler}), then the context stops while connections are still open (the servlet's destroy
 * ends live exchanges with {@code server_shutdown}, so SSE and WebSocket clients see a proper end,
 * then runs the lifespan shutdown), then the connectors close.
 */
final class JettyAssembly {
  private static final Logger LOG = Logger.getLogger(PagiServer.class.getName());

  /**
   * URI compliance of both ports. Jetty's default rejects a path whose percent-decoding is not
   * UTF-8 ({@code GET /%FF}) with 400, but the PAGI spec wants it passed to the application (the
   * adapter decodes it with the spec's fallback); allowing those two violations keeps every other
   * default check.
   */
  static final UriCompliance URI_COMPLIANCE =
      UriCompliance.DEFAULT.with(
          "PAGI",
          UriCompliance.Violation.BAD_UTF8_ENCODING,
          UriCompliance.Violation.TRUNCATED_UTF8_ENCODING);

  /** Lifecycle of the assembly; moves only forward. */
  private enum State {
    /** Built, not started. Initial. */
    NEW,
    /** Entered by start(). */
    STARTING,
    /** Entered when every connector runs. */
    STARTED,
    /** Entered by stop() or a failed start. */
    STOPPED
  }

  private final PagiServer.Settings settings;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private State state = State.NEW;
  private Server server;
  private ContextHandler context;
  private GracefulHandler graceful;
  private ResponseTracker tracker;
  private PagiServlet servlet;
  private ServerConnector plain;
  private ServerConnector tls;
  private URI uri;
  private URI tlsUri;

  JettyAssembly(PagiServer.Settings settings) {
    this.settings = settings;
  }

  void start() throws Exception {
    synchronized (this) {
      if (state != State.NEW) {
        throw new IllegalStateException("Expected a new server but it was " + state);
      }
      state = State.STARTING;
    }
    try {
      QueuedThreadPool pool = new QueuedThreadPool(settings.threads, Math.min(8, settings.threads));
      pool.setName("pagi-jetty");
      server = new Server(pool);
      server.setStopAtShutdown(false);
      context = settings.app != null ? appContext() : warContext();
      tracker = new ResponseTracker(context);
      graceful = new GracefulHandler(tracker);
      server.setHandler(graceful);
      if (settings.accessLog != null) {
        server.setRequestLog(requestLog(settings.accessLog));
      }
      List<ServerConnector> connectors = connectors();
      try {
        server.start();
      } catch (Exception e) {
        throw new StartupException("Could not start " + what() + ": " + rootMessage(e), e);
      }
      String failure = unavailable();
      if (failure != null) {
        throw new StartupException(failure);
      }
      for (ServerConnector c : connectors) {
        server.addConnector(c);
        c.start();
      }
      String path = settings.rootPath + "/";
      uri = uri("http", plain, path);
      tlsUri = tls == null ? null : uri("https", tls, path);
      synchronized (this) {
        state = State.STARTED;
      }
    } catch (Exception | Error e) {
      stopQuietly();
      stopped.countDown();
      throw e;
    }
  }

  private String what() {
    return settings.app != null ? settings.app.getClass().getName() : "WAR " + settings.war;
  }

  /**
   * The reason the application cannot serve, or null when it is available. Jetty starts a context
   * even when a load-on-startup servlet's init threw {@code UnavailableException} (as {@code
   * PagiServlet} does on {@code lifespan.startup.failed}), so every servlet is checked.
   */
  private String unavailable() {
    if (context instanceof WebAppContext webapp && !webapp.isAvailable()) {
      Throwable e = webapp.getUnavailableException();
      return "Could not start " + what() + (e == null ? "" : ": " + rootMessage(e));
    }
    if (!context.isAvailable()) {
      return "Could not start " + what();
    }
    for (ServletHolder h : ((ServletContextHandler) context).getServletHandler().getServlets()) {
      if (!h.isAvailable()) {
        var e = h.getUnavailableException();
        return e == null ? "Servlet '" + h.getName() + "' is unavailable" : e.getMessage();
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.toString() : m;
  }

  private ServletContextHandler appContext() {
    ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    ctx.setContextPath(contextPath());
    ctx.setAllowNullPathInContext(true);
    servlet = new PagiServlet(settings.app, settings.config);
    ServletHolder holder = new ServletHolder("pagi", servlet);
    holder.setAsyncSupported(true);
    holder.setInitOrder(1);
    ctx.addServlet(holder, "/*");
    if (settings.classLoader != null) {
      ctx.setClassLoader(settings.classLoader);
    }
    // Jakarta WebSocket 2.1 server container (and RFC 8441 on HTTP/2) for the adapter's upgrade.
    JakartaWebSocketServletContainerInitializer.configure(ctx, null);
    return ctx;
  }

  private WebAppContext warContext() {
    Configurations.setServerDefault(server);
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath(contextPath());
    webapp.setAllowNullPathInContext(true);
    webapp.setWar(settings.war.toAbsolutePath().toString());
    webapp.addConfiguration(new AnnotationConfiguration());
    webapp.setThrowUnavailableOnStartupException(true);
    // The WAR brings its own adapter; the launcher's copy (and demo apps) stay out of its sight.
    webapp.getHiddenClassMatcher().add("dev.pagi.");
    return webapp;
  }

  private String contextPath() {
    return settings.rootPath.isEmpty() ? "/" : settings.rootPath;
  }

  private static RequestLog requestLog(String target) {
    RequestLog.Writer writer;
    if ("-".equals(target)) {
      writer = new StdoutLogWriter();
    } else {
      RequestLogWriter file = new RequestLogWriter(target);
      file.setAppend(true);
      writer = file;
    }
    return new CustomRequestLog(writer, CustomRequestLog.EXTENDED_NCSA_FORMAT);
  }

  private List<ServerConnector> connectors() throws Exception {
    List<ServerConnector> out = new ArrayList<>();
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setUriCompliance(URI_COMPLIANCE);
    plain =
        settings.h2c
            ? new ServerConnector(
                server,
                new HttpConnectionFactory(http),
                http2(new HTTP2CServerConnectionFactory(http)))
            : new ServerConnector(server, new HttpConnectionFactory(http));
    configure(plain, settings.port);
    out.add(plain);
    if (settings.tlsPort >= 0) {
      HttpConfiguration https = new HttpConfiguration(http);
      https.setSecureScheme("https");
      https.addCustomizer(new SecureRequestCustomizer());
      https.addCustomizer(JettyAssembly::publishTlsSession);
      ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
      alpn.setDefaultProtocol("http/1.1");
      tls =
          new ServerConnector(
              server,
              new SslConnectionFactory(sslContextFactory(), alpn.getProtocol()),
              alpn,
              http2(new HTTP2ServerConnectionFactory(https)),
              new HttpConnectionFactory(https));
      configure(tls, settings.tlsPort);
      out.add(tls);
    }
    return out;
  }

  /**
   * Puts the TLS session on the request under the adapter's portable attribute: a WAR's own adapter
   * cannot see Jetty's classes, but {@code SSLSession} is the JDK's, so the {@code tls} extension
   * is complete in WARs too.
   */
  private static Request publishTlsSession(Request request, HttpFields.Mutable responseHeaders) {
    if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE)
            instanceof EndPoint.SslSessionData data
        && data.sslSession() != null) {
      request.setAttribute(TlsExtension.SESSION_ATTRIBUTE, data.sslSession());
    }
    return request;
  }

  /**
   * Jetty's HTTP/2 protections stay at their defaults (rate control against rapid resets and other
   * frame floods, 128 concurrent streams per connection); the stream idle timeout follows the
   * connection's, and extended CONNECT (RFC 8441) carries WebSocket over HTTP/2.
   */
  private <T extends AbstractHTTP2ServerConnectionFactory> T http2(T factory) {
    factory.setStreamIdleTimeout(settings.idleTimeout.toMillis());
    factory.setConnectProtocolEnabled(true);
    return factory;
  }

  private void configure(ServerConnector connector, int port) {
    connector.setHost(settings.host);
    connector.setPort(port);
    connector.setIdleTimeout(settings.idleTimeout.toMillis());
  }

  private SslContextFactory.Server sslContextFactory() throws Exception {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    if (settings.keystore != null) {
      ssl.setKeyStorePath(settings.keystore.toAbsolutePath().toString());
      ssl.setKeyStoreType(settings.keystoreType);
      ssl.setKeyStorePassword(settings.keystorePassword);
    } else {
      ssl.setKeyStore(PemKeyStore.load(settings.cert, settings.key));
      ssl.setKeyStorePassword(PemKeyStore.PASSWORD);
    }
    if (settings.truststore != null) {
      ssl.setTrustStorePath(settings.truststore.toAbsolutePath().toString());
      ssl.setTrustStoreType(PagiServer.Builder.storeType(settings.truststore));
      ssl.setTrustStorePassword(settings.truststorePassword);
    }
    switch (settings.clientAuth) {
      case WANT -> ssl.setWantClientAuth(true);
      case NEED -> ssl.setNeedClientAuth(true);
      default -> {}
    }
    ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
    return ssl;
  }

  private static URI uri(String scheme, ServerConnector connector, String path) {
    String host = connector.getHost();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create(
        scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + connector.getLocalPort() + path);
  }

  synchronized URI uri() {
    if (state != State.STARTED) {
      throw new IllegalStateException("Expected a started server but it was " + state);
    }
    return uri;
  }

  synchronized URI tlsUri() {
    uri();
    return tlsUri;
  }

  int activeExchanges() {
    PagiServlet s = servlet;
    return s == null ? 0 : s.activeExchanges();
  }

  void awaitStop() throws InterruptedException {
    stopped.await();
  }

  void stop() {
    synchronized (this) {
      if (state == State.STOPPED) {
        return;
      }
      if (state == State.NEW) {
        state = State.STOPPED;
        stopped.countDown();
        return;
      }
      state = State.STOPPED;
    }
    try {
      gracefulStop();
    } finally {
      stopped.countDown();
    }
  }

  private void gracefulStop() {
    long timeout = settings.shutdownTimeout.toMillis();
    try {
      for (ServerConnector c : new ServerConnector[] {plain, tls}) {
        if (c != null && c.isRunning()) {
          c.shutdown();
        }
      }
      // New requests on open connections now get 503; wait for the ones that end by themselves.
      graceful.shutdown();
      tracker.drained().get(timeout, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      LOG.info("In-flight requests still running after the shutdown timeout; ending them");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Graceful shutdown failed", e);
    }
    try {
      // Servlet destroy: live exchanges end with server_shutdown, then lifespan.shutdown runs.
      context.stop();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Stopping the application failed", e);
    }
    stopQuietly();
  }

  private void stopQuietly() {
    synchronized (this) {
      state = State.STOPPED;
    }
    if (server == null) {
      return;
    }
    try {
      server.stop();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Stopping Jetty failed", e);
    }
  }
}
