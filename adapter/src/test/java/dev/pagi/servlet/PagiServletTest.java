package dev.pagi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.ProtocolException;
import dev.pagi.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PagiServletTest {
  private final HttpClient client = HttpClient.newHttpClient();

  private static CompletionStage<Void> text(dev.pagi.Send send, int status, String body) {
    return send.send(Events.responseStart(status, List.of(Header.of("content-type", "text/plain"))))
        .thenCompose(v -> send.send(Events.body(body)));
  }

  @Test
  void helloWorldOverHttp11() throws Exception {
    PagiApp app = (scope, receive, send) -> text(send, 200, "hello " + Scope.path(scope));
    try (JettyHarness jetty = new JettyHarness(app)) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(jetty.uri.resolve("/a%20b")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertEquals("hello /a b", r.body());
      assertTrue(r.headers().firstValue("date").isPresent());
    }
  }

  @Test
  void requestBodyArrivesInChunksEndingWithMoreZero() throws Exception {
    PagiApp app =
        (scope, receive, send) -> {
          CompletableFuture<Void> done = new CompletableFuture<>();
          long[] total = {0, 0};
          Runnable[] loop = new Runnable[1];
          loop[0] =
              () ->
                  receive
                      .receive()
                      .thenAccept(
                          e -> {
                            total[0] += Events.body(e).length;
                            total[1]++;
                            if (Events.more(e)) {
                              loop[0].run();
                            } else {
                              done.complete(null);
                            }
                          });
          loop[0].run();
          return done.thenCompose(v -> text(send, 200, total[0] + " bytes"));
        };
    try (JettyHarness jetty = new JettyHarness(app)) {
      byte[] body = new byte[200_000];
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(jetty.uri)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals("200000 bytes", r.body());
    }
  }

  @Test
  void appReturningWithoutResponseGets500AndClose() throws Exception {
    PagiApp app = (scope, receive, send) -> CompletableFuture.completedFuture(null);
    try (JettyHarness jetty = new JettyHarness(app);
        RawClient raw = new RawClient(jetty.uri)) {
      String resp = raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readToEof();
      assertTrue(resp.startsWith("HTTP/1.1 500"), resp);
      assertTrue(resp.endsWith("Internal Server Error"), resp);
    }
  }

  @Test
  void exceptionAfterStartLeavesNoTerminalChunk() throws Exception {
    PagiApp app =
        (scope, receive, send) ->
            send.send(Events.responseStart(200, List.of()))
                .thenCompose(v -> send.send(Events.body("part".getBytes(), true)))
                .thenCompose(
                    v -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
    try (JettyHarness jetty = new JettyHarness(app);
        RawClient raw = new RawClient(jetty.uri)) {
      String resp = raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readToEof();
      assertTrue(resp.startsWith("HTTP/1.1 200"), resp);
      assertTrue(resp.contains("part"), resp);
      assertFalse(resp.contains("\r\n0\r\n\r\n"), resp);
    }
  }

  @Test
  void invalidEventsFailTheSendWithMessages() throws Exception {
    List<String> errors = new CopyOnWriteArrayList<>();
    PagiApp app =
        (scope, receive, send) -> {
          List<Map<String, Object>> bad =
              List.of(
                  Events.of("http.bogus"),
                  Events.of("sse.start"),
                  Events.of(Events.HTTP_RESPONSE_START),
                  Events.responseStart(200, List.of(Header.of("x", "a\r\nSet-Cookie: pwned=1"))),
                  Events.body("early"));
          CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
          for (Map<String, Object> e : bad) {
            chain =
                chain.thenCompose(
                    v ->
                        send.send(e)
                            .handle(
                                (ok, t) -> {
                                  errors.add(
                                      t instanceof ProtocolException ? t.getMessage() : "none");
                                  return null;
                                }));
          }
          return chain.thenCompose(v -> text(send, 200, String.join("\n", errors)));
        };
    try (JettyHarness jetty = new JettyHarness(app);
        RawClient raw = new RawClient(jetty.uri)) {
      String resp = raw.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readToEof();
      assertFalse(resp.contains("pwned"), resp);
      assertEquals(5, errors.size());
      assertTrue(errors.get(0).startsWith("Unrecognized event type 'http.bogus'"), errors.get(0));
      assertTrue(errors.get(1).startsWith("Unrecognized event type 'sse.start'"), errors.get(1));
      assertEquals(
          "Expected field 'status' (an integer) in 'http.response.start' but it is missing",
          errors.get(2));
      assertTrue(errors.get(3).contains("contains CR, LF, or NUL"), errors.get(3));
      assertEquals("Expected 'http.response.start' but got 'http.response.body'", errors.get(4));
    }
  }

  @Test
  void clientAbortMidBodyGivesClientClosedAndDisconnectEvent() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    PagiApp app =
        (scope, receive, send) -> {
          dev.pagi.Connection c = Scope.connection(scope);
          c.onDisconnect(
              r ->
                  seen.add("disconnect:" + r + ":" + c.isConnected() + ":" + c.disconnectReason()));
          c.onComplete(() -> seen.add("complete"));
          CompletableFuture<Void> finished = new CompletableFuture<>();
          Runnable[] loop = new Runnable[1];
          loop[0] =
              () ->
                  receive
                      .receive()
                      .thenAccept(
                          e -> {
                            if (Events.type(e).equals(Events.HTTP_DISCONNECT)) {
                              seen.add("event:http.disconnect");
                              finished.complete(null);
                              done.countDown();
                            } else {
                              loop[0].run();
                            }
                          });
          loop[0].run();
          return finished;
        };
    try (JettyHarness jetty = new JettyHarness(app)) {
      try (RawClient raw = new RawClient(jetty.uri)) {
        raw.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc");
      }
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertEquals(
          List.of("disconnect:client_closed:false:client_closed", "event:http.disconnect"), seen);
    }
  }

  @Test
  void contentLengthOverLimitAnswers413BeforeTheAppRuns() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    PagiApp app =
        (scope, receive, send) -> {
          calls.add("called");
          return text(send, 200, "no");
        };
    PagiConfig config =
        PagiConfig.builder().maxBodySize(10).lifespanMode(PagiConfig.LifespanMode.OFF).build();
    try (JettyHarness jetty = new JettyHarness(app, config, "/*");
        RawClient raw = new RawClient(jetty.uri)) {
      String resp =
          raw.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n01234567890")
              .readToEof();
      assertTrue(resp.startsWith("HTTP/1.1 413"), resp);
      assertEquals(List.of(), calls);
    }
  }

  @Test
  void trailersFollowTheChunkedBody() throws Exception {
    PagiApp app =
        (scope, receive, send) -> {
          Map<String, Object> start = Events.responseStart(200, List.of());
          start.put("trailers", 1);
          Map<String, Object> trailers = Events.of(Events.HTTP_RESPONSE_TRAILERS);
          trailers.put("headers", List.of(Header.of("x-test-trailer", "trailer-value")));
          return send.send(start)
              .thenCompose(
                  v -> send.send(Events.body("abc".getBytes(StandardCharsets.UTF_8), true)))
              .thenCompose(v -> send.send(Events.body(new byte[0])))
              .thenCompose(v -> send.send(trailers));
        };
    try (JettyHarness jetty = new JettyHarness(app);
        RawClient raw = new RawClient(jetty.uri)) {
      String resp =
          raw.send("GET / HTTP/1.1\r\nHost: x\r\nTE: trailers\r\nConnection: close\r\n\r\n")
              .readToEof();
      assertTrue(resp.toLowerCase().contains("x-test-trailer: trailer-value"), resp);
    }
  }

  @Test
  void rootPathIsContextPlusServletPrefix() throws Exception {
    PagiApp app =
        (scope, receive, send) ->
            text(send, 200, scope.get(Scope.ROOT_PATH) + "|" + Scope.path(scope));
    try (JettyHarness jetty =
        new JettyHarness(
            app,
            PagiConfig.builder().lifespanMode(PagiConfig.LifespanMode.OFF).build(),
            "/api/*")) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(jetty.uri + "api/x")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals("/api|/api/x", r.body());
    }
  }
}
