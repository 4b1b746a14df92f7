package dev.pagi.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Scope;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PagiServerTest {

  /** Answers "<http_version> <scheme> <root_path> <path>". */
  static final PagiApp ECHO =
      (scope, receive, send) -> {
        if (!Scope.TYPE_HTTP.equals(Scope.type(scope))) {
          throw new IllegalArgumentException("unsupported");
        }
        String line =
            scope.get(Scope.HTTP_VERSION)
                + " "
                + scope.get(Scope.SCHEME)
                + " "
                + scope.get(Scope.ROOT_PATH)
                + " "
                + Scope.path(scope);
        return send.send(
                Events.responseStart(200, List.of(Header.of("content-type", "text/plain"))))
            .thenCompose(v -> send.send(Events.body(line)));
      };

  private static ContentResponse get(HttpClient client, java.net.URI uri) throws Exception {
    return client.newRequest(uri).timeout(10, TimeUnit.SECONDS).send();
  }

  @Test
  void servesHttp11AndH2cOnOnePort() throws Exception {
    try (PagiServer server = PagiServer.builder().app(ECHO).port(0).build().start()) {
      HttpClient h1 = Clients.h1();
      HttpClient h2c = Clients.h2c();
      try {
        ContentResponse r1 = get(h1, server.uri().resolve("a"));
        assertEquals(HttpVersion.HTTP_1_1, r1.getVersion());
        assertEquals("1.1 http  /a", r1.getContentAsString());
        ContentResponse r2 = get(h2c, server.uri().resolve("b"));
        assertEquals(HttpVersion.HTTP_2, r2.getVersion());
        assertEquals("2 http  /b", r2.getContentAsString());
      } finally {
        h1.stop();
        h2c.stop();
      }
    }
  }

  @Test
  void rootPathBecomesTheScopesRootPath() throws Exception {
    try (PagiServer server =
        PagiServer.builder().app(ECHO).port(0).rootPath("/api").build().start()) {
      assertTrue(server.uri().toString().endsWith("/api/"), server.uri().toString());
      HttpClient h1 = Clients.h1();
      try {
        assertEquals(
            "1.1 http /api /api/x", get(h1, server.uri().resolve("x")).getContentAsString());
      } finally {
        h1.stop();
      }
    }
  }

  @Test
  void invalidUtf8PathReachesTheAppWithTheByteFallback() throws Exception {
    try (PagiServer server = PagiServer.builder().app(ECHO).port(0).build().start()) {
      String response =
          Raw.exchange(server.uri(), "GET /%FF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(response.endsWith("1.1 http  /\u00c3\u00bf"), response);
    }
  }

  @Test
  void failedLifespanStartupThrowsWithTheAppsMessageAndOpensNoPort() throws Exception {
    PagiApp failing =
        (scope, receive, send) ->
            receive
                .receive()
                .thenCompose(
                    e ->
                        send.send(
                            Map.of(
                                Events.TYPE,
                                Events.LIFESPAN_STARTUP_FAILED,
                                "message",
                                "database unreachable")));
    PagiServer server = PagiServer.builder().app(failing).port(0).build();
    StartupException e = assertThrows(StartupException.class, server::start);
    assertTrue(e.getMessage().contains("database unreachable"), e.getMessage());
    assertThrows(IllegalStateException.class, server::uri);
    server.close();
  }

  @Test
  void closeDoesNotWaitForAnEventStreamAndEndsItWithServerShutdown() throws Exception {
    java.util.concurrent.CompletableFuture<String> reason =
        new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CountDownLatch streaming = new java.util.concurrent.CountDownLatch(1);
    PagiApp endless =
        (scope, receive, send) -> {
          if (Scope.TYPE_LIFESPAN.equals(Scope.type(scope))) {
            throw new IllegalArgumentException("no lifespan");
          }
          if (Scope.TYPE_SSE.equals(Scope.type(scope))) {
            // sse.request first, then the stream waits for sse.disconnect.
            return receive
                .receive()
                .thenCompose(
                    request -> send.send(Map.of(Events.TYPE, Events.SSE_START, "status", 200)))
                .thenRun(streaming::countDown)
                .thenCompose(v -> receive.receive())
                .thenAccept(
                    e -> {
                      assertEquals(Events.SSE_DISCONNECT, Events.type(e));
                      reason.complete(Events.string(e, "reason"));
                    });
          }
          Scope.connection(scope).onDisconnect(reason::complete);
          return send.send(Events.responseStart(200, List.of()))
              .thenCompose(v -> send.send(Events.body("event: tick\n\n".getBytes(), true)))
              .thenRun(streaming::countDown)
              .thenCompose(v -> Scope.connection(scope).disconnectFuture())
              .thenApply(r -> null);
        };
    PagiServer server =
        PagiServer.builder()
            .app(endless)
            .port(0)
            .shutdownTimeout(java.time.Duration.ofSeconds(120))
            .build()
            .start();
    java.net.Socket client = new java.net.Socket("127.0.0.1", server.port());
    try {
      client
          .getOutputStream()
          .write(
              "GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertTrue(streaming.await(10, TimeUnit.SECONDS));
      assertEquals(1, server.activeExchanges());
      Thread closer = new Thread(server::close, "closer");
      closer.start();
      // The shutdown timeout is 120 s: returning at all within 20 s shows the stream was not
      // waited for.
      closer.join(20_000);
      assertTrue(!closer.isAlive(), "close() is still waiting for the event stream");
      assertEquals("server_shutdown", reason.get(10, TimeUnit.SECONDS));
    } finally {
      client.close();
      server.close();
    }
  }
}
