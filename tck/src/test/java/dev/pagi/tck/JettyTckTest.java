package dev.pagi.tck;

import dev.pagi.servlet.PagiConfig;
import dev.pagi.servlet.PagiServlet;
import dev.pagi.tck.app.TckApp;
import dev.pagi.tck.suite.HttpRules;
import dev.pagi.tck.suite.SseRules;
import dev.pagi.tck.suite.TckTarget;
import java.net.URI;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/** The TCK against embedded Jetty 12 (ee10), over HTTP/1.1 and h2c, app mounted at the root. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyTckTest {
  private Server server;
  private URI base;

  @BeforeAll
  void start() throws Exception {
    server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    ServerConnector connector =
        new ServerConnector(
            server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler("/");
    ServletHolder holder = new ServletHolder(new PagiServlet(new TckApp(), PagiConfig.defaults()));
    holder.setAsyncSupported(true);
    holder.setInitOrder(1);
    ctx.addServlet(holder, "/*");
    server.setHandler(ctx);
    server.start();
    if (!holder.isAvailable()) {
      throw new IllegalStateException("PagiServlet unavailable after start");
    }
    base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
  }

  private TckTarget target(TckTarget.Protocol protocol) {
    return new TckTarget(base, protocol, Set.of(TckTarget.IDLE_DISCONNECT));
  }

  @Nested
  class Http1 extends HttpRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.this.target(TckTarget.Protocol.H1);
    }
  }

  @Nested
  class H2c extends HttpRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.this.target(TckTarget.Protocol.H2C);
    }
  }

  @Nested
  class SseHttp1 extends SseRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.this.target(TckTarget.Protocol.H1);
    }
  }

  @Nested
  class SseH2c extends SseRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.this.target(TckTarget.Protocol.H2C);
    }
  }
}
