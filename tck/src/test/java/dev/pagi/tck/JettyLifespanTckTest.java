package dev.pagi.tck;

import dev.pagi.PagiApp;
import dev.pagi.servlet.PagiConfig;
import dev.pagi.servlet.PagiServlet;
import dev.pagi.tck.suite.LifespanRules;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The harness-level lifespan rules on embedded Jetty 12 (ee10): one server per test, the servlet in
 * a web application context as a deployment would have it ("strict" = the context refuses to start
 * when a servlet fails to initialise, Jetty's {@code throwUnavailableOnStartupException}).
 */
class JettyLifespanTckTest extends LifespanRules {

  @Override
  protected Deployment deploy(PagiApp app, boolean strict) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    WebAppContext ctx = new WebAppContext();
    ctx.setContextPath("/");
    // The test class path also holds Tomcat's WebSocket initializer; only Jetty's may run here.
    ctx.setAttribute(
        "org.eclipse.jetty.containerInitializerExclusionPattern", "org\\.apache\\.tomcat\\..*");
    ctx.setBaseResourceAsPath(java.nio.file.Files.createTempDirectory("pagi-tck-lifespan"));
    ctx.setThrowUnavailableOnStartupException(strict);
    ctx.getServletHandler().setStartWithUnavailable(!strict);
    ServletHolder holder = new ServletHolder(new PagiServlet(app, PagiConfig.defaults()));
    holder.setAsyncSupported(true);
    holder.setInitOrder(1);
    ctx.addServlet(holder, "/*");
    server.setHandler(ctx);
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw e;
    }
    URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    return new Deployment() {
      @Override
      public URI base() {
        return base;
      }

      @Override
      public void close() {
        try {
          server.stop();
        } catch (Exception e) {
          throw new IllegalStateException("cannot stop the server", e);
        }
      }
    };
  }
}
