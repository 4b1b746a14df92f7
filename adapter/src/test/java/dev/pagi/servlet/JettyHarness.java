package dev.pagi.servlet;

import dev.pagi.PagiApp;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An embedded Jetty 12 (h1 + h2c, Jakarta WebSocket initialised) on a free port serving one app
 * through {@link PagiServlet}.
 */
final class JettyHarness implements AutoCloseable {
  final Server server = new Server();
  final PagiServlet servlet;
  final ServletContextHandler context;
  final URI uri;

  JettyHarness(PagiApp app, PagiConfig config, String mapping) throws Exception {
    HttpConfiguration http = new HttpConfiguration();
    ServerConnector connector =
        new ServerConnector(
            server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler("/");
    context = ctx;
    servlet = new PagiServlet(app, config);
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(true);
    holder.setInitOrder(1);
    ctx.addServlet(holder, mapping);
    JakartaWebSocketServletContainerInitializer.configure(ctx, null);
    // Fail the start, as a deployment would, when the servlet cannot initialise.
    ctx.getServletHandler().setStartWithUnavailable(false);
    server.setHandler(ctx);
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw new IllegalStateException("PagiServlet failed to start", e);
    }
    if (!holder.isAvailable()) {
      server.stop();
      throw new IllegalStateException("PagiServlet unavailable after start");
    }
    uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  JettyHarness(PagiApp app) throws Exception {
    this(app, PagiConfig.builder().lifespanMode(PagiConfig.LifespanMode.OFF).build(), "/*");
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** Sessions Jetty's WebSocket container still holds open. */
  int openWebSocketSessions() {
    var container =
        (org.eclipse.jetty.ee10.websocket.jakarta.server.JakartaWebSocketServerContainer)
            context.getServletContext().getAttribute("jakarta.websocket.server.ServerContainer");
    return container.getOpenSessions().size();
  }

  /** Waits (bounded) until the servlet's live-exchange gauge reads {@code n}. */
  void awaitActive(int n) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (servlet.activeExchanges() != n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected " + n + " active exchanges but got " + servlet.activeExchanges());
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
