package dev.pagi.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pagi.testkit.TestCerts;
import dev.pagi.testkit.WsClient;
import dev.pagi.testwar.WarHello;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpVersion;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The executable jar as users run it: {@code java -jar target/pagi-jetty-runner.jar ...}. */
@Timeout(120)
class RunnerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static ContentResponse get(HttpClient client, URI uri) throws Exception {
    try {
      return client.newRequest(uri).timeout(10, TimeUnit.SECONDS).send();
    } finally {
      client.stop();
    }
  }

  /** Runs curl (installed by .ci/run) and returns its standard output. */
  private static String curl(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      Assumptions.abort("curl is not installed (.ci/run installs it): " + e.getMessage());
      throw e;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void demoIsServedOverHttp11AndH2cAndLoggedToStdout() throws Exception {
    try (RunnerProcess runner = new RunnerProcess("--port", "0", "--access-log", "-")) {
      URI uri = runner.uri();
      assertEquals("127.0.0.1", uri.getHost());
      ContentResponse page = get(Clients.h1(), uri);
      assertEquals(200, page.getStatus());
      assertTrue(page.getContentAsString().contains("<title>PAGI on Jetty</title>"));
      ContentResponse h2 = get(Clients.h2c(), uri.resolve("stream?count=2&interval=1"));
      assertEquals(HttpVersion.HTTP_2, h2.getVersion());
      assertTrue(h2.getContentAsString().contains("chunk 2 of 2"), h2.getContentAsString());
      String prior =
          curl(
              "--http2-prior-knowledge",
              "-w",
              "\n%{http_version}",
              uri + "stream?count=3&interval=1");
      assertTrue(prior.contains("chunk 3 of 3") && prior.endsWith("\n2"), prior);
      String upgrade = curl("--http2", "-w", "\n%{http_version}", uri + "stream?count=1");
      assertTrue(upgrade.endsWith("\n2"), upgrade);
      assertEquals(0, runner.terminate());
      assertTrue(
          runner.out.stream()
              .anyMatch(l -> l.contains("\"GET /stream?count=2&interval=1 HTTP/2.0\" 200")),
          runner.out.toString());
    }
  }

  @Test
  void tlsPortServesH2WithTheTlsExtensionAndClientCertificates() throws Exception {
    TestCerts certs = new TestCerts();
    try (RunnerProcess runner =
        new RunnerProcess(
            Map.of("PAGI_KEYSTORE_PASSWORD", TestCerts.PASSWORD),
            "--app",
            "tls-info",
            "--port",
            "0",
            "--tls-port",
            "0",
            "--keystore",
            certs.server.toString(),
            "--client-auth",
            "want",
            "--truststore",
            certs.serverTrust.toString(),
            "--truststore-password",
            TestCerts.PASSWORD)) {
      List<URI> urls = runner.urls();
      assertEquals(2, urls.size(), urls.toString());
      URI https = urls.get(1);
      assertEquals("https", https.getScheme());
      ContentResponse anonymous =
          get(Clients.tls(true, TestCerts.load(certs.clientTrust), null, null), https);
      assertEquals(HttpVersion.HTTP_2, anonymous.getVersion());
      JsonNode tls = JSON.readTree(anonymous.getContentAsString()).get("tls");
      assertTrue(tls.get("tls_version").asInt() >= 0x0303, tls.toString());
      assertTrue(tls.get("client_cert_name").isNull(), tls.toString());
      ContentResponse alice =
          get(
              Clients.tls(
                  true,
                  TestCerts.load(certs.clientTrust),
                  TestCerts.load(certs.client),
                  TestCerts.PASSWORD),
              https);
      assertEquals(
          "CN=alice,O=Example",
          JSON.readTree(alice.getContentAsString()).get("tls").get("client_cert_name").asText());
      JsonNode clear = JSON.readTree(get(Clients.h1(), urls.get(0)).getContentAsString());
      assertTrue(clear.get("tls").isNull(), clear.toString());
      assertEquals(0, runner.terminate());
    }
  }

  @Test
  void warIsDeployed() throws Exception {
    Path war = TestWar.build(dir, WarHello.class);
    try (RunnerProcess runner = new RunnerProcess("--war", war.toString(), "--port", "0")) {
      ContentResponse r = get(Clients.h1(), runner.uri().resolve("w"));
      assertEquals("war  /w 1.1 tls=none loader=war", r.getContentAsString());
      assertEquals(0, runner.terminate());
    }
  }

  @Test
  void failingLifespanStartupExitsNonZeroWithTheMessageAndNeverAccepts() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    try (RunnerProcess runner =
        new RunnerProcess(
            Map.of("PAGI_EXAMPLE_FAIL_STARTUP", "cache warm-up failed"),
            "--app",
            "lifespan-state",
            "--port",
            Integer.toString(port))) {
      assertEquals(1, runner.awaitExit());
      assertTrue(
          runner.err.stream()
              .anyMatch(
                  l -> l.startsWith("pagi-jetty-runner: ") && l.contains("cache warm-up failed")),
          runner.err.toString());
      assertTrue(runner.out.stream().noneMatch(l -> l.contains("http://")), runner.out.toString());
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }
  }

  @Test
  void badOptionExitsTwoWithOneLine() throws Exception {
    try (RunnerProcess runner = new RunnerProcess("--port", "eighty")) {
      assertEquals(2, runner.awaitExit());
      assertEquals(
          List.of(
              "pagi-jetty-runner: Invalid value for option '--port': expected a port from 0 to"
                  + " 65535 but got 'eighty' (see --help)"),
          runner.err);
    }
  }

  @Test
  void sigtermLetsAnInFlightResponseFinishAndExitsZero() throws Exception {
    try (RunnerProcess runner =
        new RunnerProcess("--app", "streaming", "--port", "0", "--shutdown-timeout", "20")) {
      URI uri = runner.uri();
      HttpClient client = Clients.h1();
      try {
        CountDownLatch firstChunk = new CountDownLatch(1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        CompletableFuture<Result> done = new CompletableFuture<>();
        client
            .newRequest(uri.resolve("?count=5&interval=300"))
            .timeout(30, TimeUnit.SECONDS)
            .onResponseContent(
                (response, content) -> {
                  byte[] bytes = new byte[content.remaining()];
                  content.get(bytes);
                  synchronized (body) {
                    body.writeBytes(bytes);
                  }
                  firstChunk.countDown();
                })
            .send(done::complete);
        assertTrue(firstChunk.await(20, TimeUnit.SECONDS));
        runner.sigterm();
        Result result = done.get(30, TimeUnit.SECONDS);
        assertTrue(result.isSucceeded(), String.valueOf(result.getFailure()));
        assertEquals(200, result.getResponse().getStatus());
        assertTrue(
            body.toString(StandardCharsets.UTF_8).contains("chunk 5 of 5"),
            body.toString(StandardCharsets.UTF_8));
        assertEquals(0, runner.awaitExit(), runner.err.toString());
        assertTrue(runner.err.contains("pagi-jetty-runner: shutting down"), runner.err.toString());
      } finally {
        client.stop();
      }
      assertTrue(Files.exists(RunnerProcess.jar()));
    }
  }

  @Test
  void webSocketEchoAnswersAndSigtermClosesItWith1001() throws Exception {
    try (RunnerProcess runner = new RunnerProcess("--app", "websocket-echo", "--port", "0");
        WsClient ws =
            new WsClient(Clients.h1())
                .open(URI.create(runner.uri().toString().replaceFirst("^http", "ws") + "chat"))) {
      ws.text("hi");
      assertEquals("text:hi", ws.next());
      runner.sigterm();
      String close = ws.next();
      assertTrue(close.startsWith("close:1001:"), close);
      assertEquals(0, runner.awaitExit(), runner.err.toString());
    }
  }

  @Test
  void sigtermEndsAnOpenEventStreamWithServerShutdownAndExitsZero() throws Exception {
    try (RunnerProcess runner =
        new RunnerProcess("--app", "sse-broadcaster", "--port", "0", "--shutdown-timeout", "300")) {
      URI uri = runner.uri();
      HttpClient client = Clients.h1();
      try {
        CountDownLatch subscribed = new CountDownLatch(1);
        ByteArrayOutputStream events = new ByteArrayOutputStream();
        CountDownLatch delivered = new CountDownLatch(1);
        CompletableFuture<Result> stream = new CompletableFuture<>();
        client
            .newRequest(uri)
            .headers(h -> h.put("Accept", "text/event-stream"))
            .idleTimeout(120, TimeUnit.SECONDS)
            .onResponseHeaders(response -> subscribed.countDown())
            .onResponseContent(
                (response, content) -> {
                  byte[] bytes = new byte[content.remaining()];
                  content.get(bytes);
                  synchronized (events) {
                    events.writeBytes(bytes);
                    if (events.toString(StandardCharsets.UTF_8).contains("data: hello")) {
                      delivered.countDown();
                    }
                  }
                })
            .send(stream::complete);
        assertTrue(subscribed.await(20, TimeUnit.SECONDS));
        ContentResponse published =
            client
                .newRequest(uri)
                .method("POST")
                .body(new org.eclipse.jetty.client.StringRequestContent("hello"))
                .timeout(10, TimeUnit.SECONDS)
                .send();
        assertEquals(202, published.getStatus(), published.getContentAsString());
        assertTrue(delivered.await(20, TimeUnit.SECONDS));
        runner.sigterm();
        // The shutdown timeout is 300 s: ending within these bounds shows the stream was not
        // waited for.
        Result result = stream.get(60, TimeUnit.SECONDS);
        assertTrue(result.isSucceeded(), String.valueOf(result.getFailure()));
        assertEquals(0, runner.awaitExit(), runner.err.toString());
        assertTrue(
            runner.err.contains("sse-broadcaster: subscriber left: server_shutdown"),
            runner.err.toString());
      } finally {
        client.stop();
      }
    }
  }
}
