package dev.pagi.tck.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.util.ImmediateInstanceHandle;
import jakarta.servlet.Servlet;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Undertow 2.3 behaviour that PAGI works around or the TCK skips, shown with plain servlets (no
 * adapter) and default options except HTTP/2. Each test asserts Undertow's behaviour as it is: when
 * one fails after an Undertow upgrade, the workaround or skip it justifies can go (see
 * tck/FINDINGS.md).
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UndertowFindingsTest {
  private final Servlets.Answer answer = new Servlets.Answer();
  private final Servlets.Reader reader = new Servlets.Reader();
  private final Servlets.Reader chunkReader = new Servlets.Reader();
  private Undertow server;
  private DeploymentManager manager;
  private int port;

  @BeforeAll
  void start() throws Exception {
    DeploymentInfo info =
        io.undertow.servlet.Servlets.deployment()
            .setClassLoader(getClass().getClassLoader())
            .setContextPath("/")
            .setDeploymentName("findings")
            .addServlets(
                servlet("answer", answer, "/answer/*"),
                servlet("reader", reader, "/read"),
                servlet("chunk", chunkReader, "/chunk"));
    manager = io.undertow.servlet.Servlets.defaultContainer().addDeployment(info);
    manager.deploy();
    server =
        Undertow.builder()
            .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
            .addHttpListener(0, "127.0.0.1")
            .setHandler(manager.start())
            .build();
    server.start();
    port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
  }

  private static io.undertow.servlet.api.ServletInfo servlet(
      String name, Servlet servlet, String mapping) {
    return io.undertow.servlet.Servlets.servlet(
            name, servlet.getClass(), () -> new ImmediateInstanceHandle<>(servlet))
        .setAsyncSupported(true)
        .addMapping(mapping);
  }

  @AfterAll
  void stop() {
    server.stop();
    manager.undeploy();
  }

  @Test
  void http2CancelsAStreamPastTheEntityLimitWithoutTellingTheServlet() throws Exception {
    HttpClient client = Wire.h2c();
    try {
      Wire.streamBody(client, "http://127.0.0.1:" + port + "/read", 4L << 20);
      assertFalse(
          reader.ended.await(2, TimeUnit.SECONDS),
          () -> "the servlet heard of the end: " + reader.events);
      assertEquals(2L << 20, reader.read.get(), "read up to the 2 MiB default, then nothing");
    } finally {
      client.stop();
    }
  }

  @Test
  void aRequestLineOf64KiBIsAdmitted() throws Exception {
    String path = "/answer/" + "a".repeat(64 * 1024);
    Wire.Answer a =
        Wire.raw(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
    assertEquals(200, a.status(), a.text().substring(0, Math.min(200, a.text().length())));
  }

  @Test
  void aMalformedChunkIsReportedAsAClosedChannelAndNeverAnswered() throws Exception {
    Wire.Answer a =
        Wire.raw(
            port,
            "POST /chunk HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n",
            2000);
    assertTrue(chunkReader.ended.await(5, TimeUnit.SECONDS));
    assertEquals(
        "read-error ClosedChannelException",
        chunkReader.events.get(0),
        "reported as a closed channel, as if the client had left");
    assertEquals(0, a.status(), () -> "answered: " + a.text());
    assertFalse(a.closed(), "the connection stays open, with no answer");
  }

  @Test
  void theTestServletsAnswerNormally() throws Exception {
    Wire.Answer a =
        Wire.raw(port, "GET /answer/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
    assertEquals(200, a.status());
    assertTrue(a.text().endsWith("ok"), a.text());
  }
}
