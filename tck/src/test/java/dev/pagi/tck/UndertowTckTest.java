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
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.InstanceFactory;
import io.undertow.servlet.util.ImmediateInstanceHandle;
import io.undertow.websockets.jsr.WebSocketDeploymentInfo;
import jakarta.servlet.Servlet;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.xnio.OptionMap;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * The TCK against embedded Undertow 2.3, over HTTP/1.1 and h2c (Undertow's HTTP/2 option), the
 * servlet deployed through Undertow's servlet deployment API as a user would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UndertowTckTest {
  private Undertow server;
  private DeploymentManager manager;
  private URI base;
  private XnioWorker worker;

  @BeforeAll
  void start() throws Exception {
    PagiServlet servlet = new PagiServlet(new TckApp(), PagiConfig.defaults());
    InstanceFactory<Servlet> factory = () -> new ImmediateInstanceHandle<>(servlet);
    worker = Xnio.getInstance().createWorker(OptionMap.EMPTY);
    DeploymentInfo info =
        Servlets.deployment()
            .setClassLoader(UndertowTckTest.class.getClassLoader())
            .setContextPath("/")
            .setDeploymentName("pagi-tck")
            .addServlet(
                Servlets.servlet("pagi", PagiServlet.class, factory)
                    .setAsyncSupported(true)
                    .setLoadOnStartup(1)
                    .addMapping("/*"))
            .addServletContextAttribute(
                WebSocketDeploymentInfo.ATTRIBUTE_NAME,
                new WebSocketDeploymentInfo()
                    .setWorker(worker)
                    .setBuffers(new DefaultByteBufferPool(false, 8192)));
    manager = Servlets.defaultContainer().addDeployment(info);
    manager.deploy();
    server =
        Undertow.builder()
            .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
            .addHttpListener(0, "127.0.0.1")
            .setHandler(manager.start())
            .build();
    server.start();
    int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    base = URI.create("http://127.0.0.1:" + port + "/");
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    manager.stop();
    manager.undeploy();
    worker.shutdown();
  }

  private TckTarget target(TckTarget.Protocol protocol) {
    TckTarget t = new TckTarget(base, protocol, Set.of(TckTarget.IN_PROCESS));
    if (protocol == TckTarget.Protocol.H1) {
      String badChunk =
          "Undertow does not reject the chunk-size line 'zz': it neither answers nor fails the"
              + " read, so the request stalls";
      return t.skip(
              "rule079_oversizedRequestLineAndHeadersRejected",
              "Undertow's request-header limit (MAX_HEADER_SIZE, 1 MiB) admits a 64 KiB request"
                  + " line, and past the limit it closes the connection without a status")
          .skip("rule079_badChunkWhileTheAppReadsGives400", badChunk);
    }
    return t;
  }

  @Nested
  class Http1 extends HttpRules {
    @Override
    protected TckTarget target() {
      return UndertowTckTest.this.target(TckTarget.Protocol.H1);
    }
  }

  @Nested
  class H2c extends HttpRules {
    @Override
    protected TckTarget target() {
      return UndertowTckTest.this.target(TckTarget.Protocol.H2C);
    }
  }

  @Nested
  class SseStateHttp1 extends SseStateMatrixRules {
    @Override
    protected TckTarget target() {
      return UndertowTckTest.this.target(TckTarget.Protocol.H1);
    }
  }

  @Nested
  class WebSocketStateHttp1 extends WebSocketStateMatrixRules {
    @Override
    protected TckTarget target() {
      return UndertowTckTest.this.target(TckTarget.Protocol.H1);
    }
  }

  @Nested
  class SseFaultHttp1 extends SseFaultRules {
    @Override
    protected TckTarget target() {
      return UndertowTckTest.this.target(TckTarget.Protocol.H1);
    }
  }

  @Nested
  class WebSocketFaultHttp1 extends WebSocketFaultRules {
    @Override
    protected TckTarget target() {
      return UndertowTckTest.this.target(TckTarget.Protocol.H1);
    }
  }

  /** Undertow has no WebSocket over HTTP/2 (RFC 8441), so WebSocket runs over HTTP/1.1 only. */
  @Nested
  class WebSocketHttp1 extends WebSocketRules {
    @Override
    protected TckTarget target() {
      return UndertowTckTest.this.target(TckTarget.Protocol.H1);
    }
  }

  @Nested
  class SseHttp1 extends SseRules {
    @Override
    protected TckTarget target() {
      return UndertowTckTest.this.target(TckTarget.Protocol.H1);
    }
  }

  @Nested
  class SseH2c extends SseRules {
    @Override
    protected TckTarget target() {
      return UndertowTckTest.this.target(TckTarget.Protocol.H2C);
    }
  }

  @Nested
  class SseStateH2c extends SseStateMatrixRules {
    @Override
    protected TckTarget target() {
      return UndertowTckTest.this.target(TckTarget.Protocol.H2C);
    }
  }

  @Nested
  class SseFaultH2c extends SseFaultRules {
    @Override
    protected TckTarget target() {
      return UndertowTckTest.this.target(TckTarget.Protocol.H2C);
    }
  }
}
