package dev.pagi.tck.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Jetty 12 (ee10) behaviour that PAGI works around, configures or the TCK skips, shown with plain
 * servlets (no adapter) on a default connector. Each test asserts Jetty's behaviour as it is: when
 * one fails after a Jetty upgrade, the workaround it justifies can go (see tck/FINDINGS.md).
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyFindingsTest {
  private final Servlets.Answer answer = new Servlets.Answer();
  private final Servlets.Reader chunkReader = new Servlets.Reader();
  private Server server;
  private int port;

  @BeforeAll
  void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(answer), "/answer/*");
    ServletHolder chunk = new ServletHolder(chunkReader);
    chunk.setAsyncSupported(true);
    context.addServlet(chunk, "/chunk");
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
  }

  @Test
  void aPathWithAnInvalidUtf8EscapeGets400UnderTheDefaultUriCompliance() throws Exception {
    Wire.Answer a =
        Wire.raw(port, "GET /answer/%FF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
    assertEquals(400, a.status(), a.text());
    assertTrue(answer.calls.stream().noneMatch(c -> c.contains("%FF")), answer.calls::toString);
  }

  @Test
  void aMalformedChunkReachesTheReadListenerAsAnEof() throws Exception {
    Wire.raw(
        port,
        "POST /chunk HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n",
        5000);
    assertTrue(chunkReader.ended.await(5, TimeUnit.SECONDS));
    assertEquals("read-error HttpEofException", chunkReader.events.get(0));
    // Not Jetty's BadMessageException: a servlet cannot tell bad framing from a client that left.
  }
}
