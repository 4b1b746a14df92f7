package dev.pagi.tck;

import dev.pagi.servlet.PagiConfig;
import dev.pagi.servlet.PagiServlet;
import dev.pagi.tck.app.TckApp;
import dev.pagi.tck.suite.HttpRules;
import dev.pagi.tck.suite.SseFaultRules;
import dev.pagi.tck.suite.SseRules;
import dev.pagi.tck.suite.SseStateMatrixRules;
import dev.pagi.tck.suite.TckTarget;
import dev.pagi.tck.suite.WebSocketFaultRules;
import dev.pagi.tck.suite.WebSocketRules;
import dev.pagi.tck.suite.WebSocketStateMatrixRules;
import java.net.URI;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/**
 * The TCK against embedded Jetty 12 (ee10), over HTTP/1.1 and h2c, twice: the app mounted at the
 * root ({@code /*}, {@code fullflush} advertised, 1 MiB body limit), and mounted at a prefix
 * (context {@code /ctx}, servlet {@code /tck/*}, so {@code root_path} is {@code /ctx/tck}) with
 * {@code fullflush} off — the same rules prove prefix handling and the unadvertised-extension path.
 * Jetty's Jakarta WebSocket container is initialised on both (WebSocket over RFC 8441 on h2c).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyTckTest {
  static final long MAX_BODY = 1 << 20;
  private Server server;
  private URI root;
  private URI prefixed;

  @BeforeAll
  void start() throws Exception {
    server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    // Jetty rejects paths whose escapes are not UTF-8 (400) before any servlet runs; the spec
    // wants them passed through with the byte fallback (rule 8), so allow them here.
    http.setUriCompliance(
        UriCompliance.DEFAULT.with(
            "pagi",
            UriCompliance.Violation.BAD_UTF8_ENCODING,
            UriCompliance.Violation.TRUNCATED_UTF8_ENCODING));
    ServerConnector connector =
        new ServerConnector(
            server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    PagiConfig rootConfig = PagiConfig.builder().maxBodySize(MAX_BODY).build();
    PagiConfig prefixConfig = rootConfig.toBuilder().fullflush(false).build();
    server.setHandler(
        new ContextHandlerCollection(
            context("/", "/*", rootConfig), context("/ctx", "/tck/*", prefixConfig)));
    server.start();
    int port = connector.getLocalPort();
    root = URI.create("http://127.0.0.1:" + port + "/");
    prefixed = URI.create("http://127.0.0.1:" + port + "/ctx/tck/");
  }

  private static ServletContextHandler context(
      String contextPath, String mapping, PagiConfig config) {
    ServletContextHandler ctx = new ServletContextHandler(contextPath);
    ServletHolder holder = new ServletHolder(new PagiServlet(new TckApp(), config));
    holder.setAsyncSupported(true);
    holder.setInitOrder(1);
    ctx.addServlet(holder, mapping);
    JakartaWebSocketServletContainerInitializer.configure(ctx, null);
    ctx.getServletHandler().setStartWithUnavailable(false);
    return ctx;
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
  }

  private static TckTarget target(URI base, TckTarget.Protocol protocol) {
    return new TckTarget(
        base,
        protocol,
        Set.of(TckTarget.IN_PROCESS, TckTarget.IDLE_DISCONNECT, "max-body-size=" + MAX_BODY));
  }

  @Nested
  class Http1 extends HttpRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.target(root, TckTarget.Protocol.H1);
    }
  }

  @Nested
  class H2c extends HttpRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.target(root, TckTarget.Protocol.H2C);
    }
  }

  @Nested
  class PrefixHttp1 extends HttpRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.target(prefixed, TckTarget.Protocol.H1);
    }
  }

  @Nested
  class PrefixH2c extends HttpRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.target(prefixed, TckTarget.Protocol.H2C);
    }
  }

  @Nested
  class WebSocketHttp1 extends WebSocketRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.target(root, TckTarget.Protocol.H1);
    }
  }

  @Nested
  class WebSocketH2c extends WebSocketRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.target(root, TckTarget.Protocol.H2C);
    }
  }

  @Nested
  class SseHttp1 extends SseRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.target(root, TckTarget.Protocol.H1);
    }
  }

  @Nested
  class SseH2c extends SseRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.target(root, TckTarget.Protocol.H2C);
    }
  }

  @Nested
  class SseStateHttp1 extends SseStateMatrixRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.target(root, TckTarget.Protocol.H1);
    }
  }

  @Nested
  class SseStateH2c extends SseStateMatrixRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.target(root, TckTarget.Protocol.H2C);
    }
  }

  /** The WebSocket state table reads frames on a raw HTTP/1.1 socket: no h2c run. */
  @Nested
  class WebSocketStateHttp1 extends WebSocketStateMatrixRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.target(root, TckTarget.Protocol.H1);
    }
  }

  @Nested
  class SseFaultHttp1 extends SseFaultRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.target(root, TckTarget.Protocol.H1);
    }
  }

  @Nested
  class SseFaultH2c extends SseFaultRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.target(root, TckTarget.Protocol.H2C);
    }
  }

  @Nested
  class WebSocketFaultHttp1 extends WebSocketFaultRules {
    @Override
    protected TckTarget target() {
      return JettyTckTest.target(root, TckTarget.Protocol.H1);
    }
  }
}
