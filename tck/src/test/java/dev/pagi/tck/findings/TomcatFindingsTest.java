package dev.pagi.tck.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.coyote.http2.Http2Protocol;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Tomcat behaviour that PAGI works around or the TCK skips, shown with plain servlets (no adapter)
 * on a default connector with h2c. Each test asserts Tomcat's behaviour as it is: when one fails
 * after a Tomcat upgrade, the workaround or skip it justifies can go (see tck/FINDINGS.md). The
 * build runs it on Tomcat 11 and, with the Tomcat 10.1 jars, on 10.1.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TomcatFindingsTest {
  private final Servlets.Answer answer = new Servlets.Answer();
  private final Servlets.Reader chunkReader = new Servlets.Reader();
  private Tomcat tomcat;
  private int port;

  @BeforeAll
  void start() throws Exception {
    Path baseDir = Files.createTempDirectory("pagi-findings-tomcat");
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.addUpgradeProtocol(new Http2Protocol());
    tomcat.setConnector(connector);
    Context ctx = tomcat.addContext("", baseDir.toString());
    add(ctx, "answer", answer, "/answer/*");
    add(ctx, "chunk", chunkReader, "/chunk");
    add(ctx, "async", new Servlets.AsyncNothing(), "/async");
    tomcat.start();
    port = connector.getLocalPort();
  }

  private static void add(Context ctx, String name, jakarta.servlet.Servlet servlet, String map) {
    Tomcat.addServlet(ctx, name, servlet).setAsyncSupported(true);
    ctx.addServletMappingDecoded(map, name);
  }

  @AfterAll
  void stop() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  @Test
  void aPathWithAnInvalidUtf8EscapeGets400BeforeAnyServlet() throws Exception {
    Wire.Answer a =
        Wire.raw(port, "GET /answer/%FF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
    assertEquals(400, a.status(), a.text());
    assertTrue(answer.calls.stream().noneMatch(c -> c.contains("%FF")), answer.calls::toString);
  }

  @Test
  void continueIsSentBeforeTheServletRuns() throws Exception {
    Wire.Answer a =
        Wire.raw(
            port,
            "POST /answer/continue HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                + "Expect: 100-continue\r\nConnection: close\r\n\r\n",
            5000);
    assertTrue(a.text().startsWith("HTTP/1.1 100 "), () -> "no 100 Continue first: " + a.text());
  }

  @Test
  void aMalformedChunkClosesTheConnectionWithoutAResponse() throws Exception {
    Wire.Answer a =
        Wire.raw(
            port,
            "POST /chunk HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n",
            5000);
    assertTrue(a.closed(), "the connection is closed");
    assertEquals(0, a.status(), () -> "answered: " + a.text());
    assertTrue(chunkReader.ended.await(5, TimeUnit.SECONDS));
    assertTrue(chunkReader.events.get(0).startsWith("read-error"), chunkReader.events::toString);
  }

  /** Tomcat 11 only: 10.1 ends the stream. */
  @Test
  void http2NeverEndsTheStreamOfAnAsynchronousHeadOnTomcat11() throws Exception {
    HttpClient client = Wire.h2c();
    try {
      String url = "http://127.0.0.1:" + port + "/async";
      assertEquals(
          200,
          client.newRequest(url).method("GET").timeout(5, TimeUnit.SECONDS).send().getStatus(),
          "the same servlet answers a GET");
      String version = ServerInfo.getServerNumber();
      if (version.startsWith("10.")) {
        assertEquals(
            200,
            client.newRequest(url).method("HEAD").timeout(5, TimeUnit.SECONDS).send().getStatus(),
            version);
        return;
      }
      assertThrows(
          TimeoutException.class,
          () -> client.newRequest(url).method("HEAD").timeout(3, TimeUnit.SECONDS).send(),
          () -> "the HEAD stream ended on " + version);
    } finally {
      client.stop();
    }
  }
}
