package dev.pagi.servlet;

import static dev.pagi.servlet.SseApps.attempt;
import static dev.pagi.servlet.SseApps.blocking;
import static dev.pagi.servlet.SseApps.data;
import static dev.pagi.servlet.SseApps.event;
import static dev.pagi.servlet.SseApps.receive;
import static dev.pagi.servlet.SseApps.send;
import static dev.pagi.servlet.SseApps.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.ProtocolException;
import dev.pagi.Scope;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code sse} scope on embedded Jetty over HTTP/1.1, checked byte for byte on raw sockets. */
@Timeout(30)
class SseStreamTest {

  private static PagiConfig config(Duration idle) {
    return PagiConfig.builder()
        .lifespanMode(PagiConfig.LifespanMode.OFF)
        .sseIdleTimeout(idle)
        .build();
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }

  @Test
  void startSendsEventStreamHeadersAndNoContentLength() throws Exception {
    var app =
        blocking(
            (scope, receive, send) -> {
              send(
                  send,
                  event(
                      Events.SSE_START,
                      "headers",
                      List.of(Header.of("content-length", "5"), Header.of("x-app", "1"))));
              send(send, data("hi"));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      String head = raw.request("GET", "/").head().toLowerCase();
      assertTrue(head.startsWith("http/1.1 200 "), head);
      assertTrue(head.contains("\r\ncontent-type: text/event-stream\r\n"), head);
      assertTrue(head.contains("\r\ncache-control: no-cache\r\n"), head);
      assertTrue(head.contains("\r\ndate: "), head);
      assertTrue(head.contains("\r\ntransfer-encoding: chunked\r\n"), head);
      assertTrue(head.contains("\r\nx-app: 1\r\n"), head);
      assertFalse(head.contains("content-length"), head);
      assertEquals("data: hi\n\n", raw.awaitBody("hi\n\n"));
    }
  }

  @Test
  void appStatusContentTypeAndCacheControlPassThrough() throws Exception {
    var app =
        blocking(
            (scope, receive, send) ->
                send(
                    send,
                    event(
                        Events.SSE_START,
                        "status",
                        201,
                        "headers",
                        List.of(
                            Header.of("content-type", "text/event-stream;charset=utf-8"),
                            Header.of("cache-control", "no-store")))));
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      String head = raw.request("GET", "/").head().toLowerCase();
      assertTrue(head.startsWith("http/1.1 201 "), head);
      assertEquals(1, count(head, "content-type:"), head);
      assertTrue(head.contains("text/event-stream;charset=utf-8"), head);
      assertTrue(head.contains("cache-control: no-store"), head);
      assertFalse(head.contains("no-cache"), head);
    }
  }

  @Test
  void eachEventReachesTheClientBeforeTheAppSendsTheNext() throws Exception {
    CountDownLatch seenOne = new CountDownLatch(1);
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, start());
              send(send, data("one"));
              assertTrue(seenOne.await(10, TimeUnit.SECONDS));
              send(send, data("two"));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      raw.request("GET", "/").awaitBody("data: one\n\n");
      seenOne.countDown();
      assertEquals("data: one\n\ndata: two\n\n", raw.awaitBody("two\n\n"));
    }
  }

  @Test
  void eventFieldsAndDataLinesOnTheWire() throws Exception {
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, start());
              send(
                  send,
                  event(
                      Events.SSE_SEND,
                      "data",
                      "a\nb\r\nc\rd",
                      "event",
                      "click",
                      "id",
                      "42",
                      "retry",
                      3000));
              send(send, data("\u2713\n"));
              send(send, event(Events.SSE_COMMENT, "comment", "ping"));
              send(send, event(Events.SSE_COMMENT, "comment", ":x\r\ny"));
              send(send, data("end"));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      String body = raw.request("GET", "/").awaitBody("data: end\n\n");
      assertEquals(
          "event: click\ndata: a\ndata: b\ndata: c\ndata: d\nid: 42\nretry: 3000\n\n"
              + "data: \u2713\ndata: \n\n"
              + ":ping\n\n"
              + ":x\n:y\n\n"
              + "data: end\n\n",
          body);
      assertTrue(raw.text().contains("data: \u00e2\u009c\u0093\n"), "UTF-8 bytes E2 9C 93");
    }
  }

  @Test
  void invalidEventRaisesAndWritesNothing() throws Exception {
    CompletableFuture<Throwable> raised = new CompletableFuture<>();
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, start());
              raised.complete(
                  attempt(send, event(Events.SSE_SEND, "data", "x", "event", "a\ndata: injected")));
              send(send, data("after"));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      assertEquals("data: after\n\n", raw.request("GET", "/").awaitBody("after\n\n"));
      assertFalse(raw.text().contains("injected"));
      assertInstanceOf(ProtocolException.class, raised.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void sseCloseEndsTheStreamBeforeTheAppReturnsAndKeepsTheReasonOffTheWire() throws Exception {
    CountDownLatch eof = new CountDownLatch(1);
    CompletableFuture<List<Object>> seen = new CompletableFuture<>();
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, start());
              send(send, data("A"));
              send(send, event(Events.SSE_CLOSE, "reason", "x-job-done-secret"));
              // The stream is over on the wire while the app is still running.
              assertTrue(eof.await(10, TimeUnit.SECONDS));
              Throwable second = attempt(send, event(Events.SSE_CLOSE));
              Throwable late = attempt(send, data("LATE"));
              Throwable comment = attempt(send, event(Events.SSE_COMMENT, "comment", "c"));
              Throwable keepalive = attempt(send, event(Events.SSE_KEEPALIVE, "interval", 1));
              seen.complete(
                  List.of(
                      String.valueOf(second),
                      late.getMessage(),
                      String.valueOf(comment),
                      String.valueOf(keepalive),
                      receive(receive),
                      receive(receive)));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      raw.request("GET", "/").readToEof();
      eof.countDown();
      assertEquals("data: A\n\n", raw.body());
      assertTrue(raw.terminated(), raw.text());
      assertEquals("", raw.afterTerminal());
      assertFalse(raw.text().contains("x-job-done-secret"));
      List<Object> s = seen.get(5, TimeUnit.SECONDS);
      assertEquals("null", s.get(0), "a second sse.close is ignored");
      assertEquals("Cannot send 'sse.send' after 'sse.close'", s.get(1));
      assertTrue(((String) s.get(2)).contains("after 'sse.close'"), s.toString());
      assertTrue(((String) s.get(3)).contains("after 'sse.close'"), s.toString());
      // Once closed, every receive yields the disconnect carrying the close reason.
      Map<String, Object> disconnect =
          Map.of("type", Events.SSE_DISCONNECT, "reason", "x-job-done-secret");
      assertEquals(disconnect, s.get(4));
      assertEquals(disconnect, s.get(5));
      assertFalse(raw.text().contains("LATE"));
      jetty.awaitActive(0);
    }
  }

  @Test
  void returningAfterTheLastSendLooksTheSameAsSseClose() throws Exception {
    String[] bodies = new String[2];
    for (int i = 0; i < 2; i++) {
      boolean close = i == 0;
      var app =
          blocking(
              (scope, receive, send) -> {
                send(send, start());
                send(send, data("A"));
                if (close) {
                  send(send, event(Events.SSE_CLOSE, "reason", "done"));
                }
              });
      try (JettyHarness jetty = new JettyHarness(app);
          RawSse raw = new RawSse(jetty.uri)) {
        String all = raw.request("GET", "/").readToEof();
        assertTrue(raw.terminated(), all);
        assertEquals("", raw.afterTerminal());
        bodies[i] = all.substring(all.indexOf("\r\n\r\n"));
        jetty.awaitActive(0);
      }
    }
    assertEquals(bodies[0], bodies[1]);
  }

  @Test
  void streamEventsBeforeStartAndASecondStartRaise() throws Exception {
    CompletableFuture<List<String>> seen = new CompletableFuture<>();
    var app =
        blocking(
            (scope, receive, send) -> {
              String early = attempt(send, data("early")).getMessage();
              String earlyClose = attempt(send, event(Events.SSE_CLOSE)).getMessage();
              Throwable keepalive = attempt(send, event(Events.SSE_KEEPALIVE, "interval", 0));
              send(send, start());
              String again = attempt(send, start()).getMessage();
              String foreign = attempt(send, Events.responseStart(200, List.of())).getMessage();
              String unknown = attempt(send, Events.of("sse.bogus")).getMessage();
              seen.complete(
                  List.of(early, earlyClose, String.valueOf(keepalive), again, foreign, unknown));
              send(send, data("ok"));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      assertEquals("data: ok\n\n", raw.request("GET", "/").awaitBody("ok\n\n"));
      List<String> s = seen.get(5, TimeUnit.SECONDS);
      assertEquals("Expected 'sse.start' but got 'sse.send'", s.get(0));
      assertEquals("Expected 'sse.start' but got 'sse.close'", s.get(1));
      assertEquals("null", s.get(2), "sse.keepalive is accepted before sse.start");
      assertEquals("Cannot send 'sse.start' after 'sse.start'", s.get(3));
      assertTrue(
          s.get(4).startsWith("Unrecognized event type 'http.response.start' for sse"), s.get(4));
      assertTrue(s.get(5).startsWith("Unrecognized event type 'sse.bogus' for sse"), s.get(5));
    }
  }

  @Test
  void keepaliveWritesCommentsAtTheIntervalUntilIntervalZero() throws Exception {
    CountDownLatch sawTwo = new CountDownLatch(1);
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, event(Events.SSE_KEEPALIVE, "interval", 0.05, "comment", "ka"));
              send(send, start());
              assertTrue(sawTwo.await(10, TimeUnit.SECONDS));
              send(send, event(Events.SSE_KEEPALIVE, "interval", 0));
              send(send, data("stopped"));
              receive(receive);
              receive(receive);
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      raw.request("GET", "/").awaitBody(":ka\n\n:ka\n\n");
      sawTwo.countDown();
      String body = raw.awaitBody("data: stopped\n\n");
      assertTrue(body.startsWith(":ka\n\n:ka\n\n"), body);
      assertEquals("data: stopped\n\n", body.substring(body.indexOf("data: stopped")));
      raw.socket.setSoTimeout(300);
      assertThrows(SocketTimeoutException.class, () -> raw.awaitBody("after-stop"));
      assertEquals(body, raw.body(), "no comment after interval 0");
    }
  }

  @Test
  void keepaliveLastSettingWins() throws Exception {
    CountDownLatch sawOld = new CountDownLatch(1);
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, start());
              send(send, event(Events.SSE_KEEPALIVE, "interval", 0.03, "comment", "old"));
              assertTrue(sawOld.await(10, TimeUnit.SECONDS));
              send(send, event(Events.SSE_KEEPALIVE, "interval", 0.03, "comment", "new"));
              send(send, data("switched"));
              receive(receive);
              receive(receive);
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      raw.request("GET", "/").awaitBody(":old\n\n");
      sawOld.countDown();
      String body = raw.awaitBody("data: switched\n\n");
      String after = raw.awaitBody(body + ":new\n\n:new\n\n").substring(body.length());
      assertFalse(after.contains("old"), after);
    }
  }

  @Test
  void idleTimeoutEndsTheStreamCleanlyWithReasonIdleTimeout() throws Exception {
    CompletableFuture<Map<String, Object>> disconnect = new CompletableFuture<>();
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, start());
              send(send, event(Events.SSE_KEEPALIVE, "interval", 0.02));
              send(send, data("A"));
              receive(receive);
              disconnect.complete(receive(receive));
              assertNull(attempt(send, data("after idle")), "a send after the end is a no-op");
            });
    try (JettyHarness jetty = new JettyHarness(app, config(Duration.ofMillis(300)), "/*");
        RawSse raw = new RawSse(jetty.uri)) {
      raw.request("GET", "/").readToEof();
      assertTrue(raw.terminated(), raw.text());
      assertTrue(raw.body().startsWith("data: A\n\n:\n\n"), "keepalives ran: " + raw.body());
      assertEquals(
          Map.of("type", Events.SSE_DISCONNECT, "reason", "idle_timeout"),
          disconnect.get(5, TimeUnit.SECONDS));
      jetty.awaitActive(0);
    }
  }

  @Test
  void destroyingTheServletEndsStreamsWithServerShutdown() throws Exception {
    CompletableFuture<Map<String, Object>> disconnect = new CompletableFuture<>();
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, start());
              send(send, data("A"));
              receive(receive);
              disconnect.complete(receive(receive));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      raw.request("GET", "/").awaitBody("data: A\n\n");
      ((ServletContextHandler) jetty.server.getHandler()).stop();
      assertEquals(
          Map.of("type", Events.SSE_DISCONNECT, "reason", "server_shutdown"),
          disconnect.get(5, TimeUnit.SECONDS));
      raw.readToEof();
      assertTrue(raw.terminated(), raw.text());
    }
  }

  @Test
  void getGivesOneEmptySseRequestThenWaitsForTheDisconnect() throws Exception {
    CompletableFuture<Map<String, Object>> first = new CompletableFuture<>();
    CompletableFuture<Map<String, Object>> second = new CompletableFuture<>();
    var app =
        blocking(
            (scope, receive, send) -> {
              first.complete(receive(receive));
              send(send, start());
              send(send, data("A"));
              second.complete(receive(receive));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      raw.request("GET", "/").awaitBody("data: A\n\n");
      Map<String, Object> request = first.get(5, TimeUnit.SECONDS);
      assertEquals(Events.SSE_REQUEST, Events.type(request));
      assertEquals(0, Events.body(request).length);
      assertFalse(Events.more(request));
      assertFalse(second.isDone(), "the second receive waits for the end");
      raw.close();
      assertEquals(
          Map.of("type", Events.SSE_DISCONNECT, "reason", "client_closed"),
          second.get(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void postBodyArrivesAsSseRequestEvents() throws Exception {
    var app =
        blocking(
            (scope, receive, send) -> {
              StringBuilder body = new StringBuilder();
              Map<String, Object> e;
              do {
                e = receive(receive);
                assertEquals(Events.SSE_REQUEST, Events.type(e));
                body.append(new String(Events.body(e)));
              } while (Events.more(e));
              send(send, start());
              send(send, data(Scope.method(scope) + " " + body));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      raw.request("POST", "/", "Content-Length: 11", "Content-Type: text/plain");
      raw.send("hello world");
      assertEquals("data: POST hello world\n\n", raw.awaitBody("world\n\n"));
      raw.readToEof();
      assertTrue(raw.terminated());
    }
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      raw.request("PUT", "/", "Transfer-Encoding: chunked");
      raw.send("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
      assertEquals("data: PUT hello world\n\n", raw.awaitBody("world\n\n"));
    }
  }

  @Test
  void scopeHasTheHttpKeysAndTransportButNoConnection() throws Exception {
    CompletableFuture<Map<String, Object>> seen = new CompletableFuture<>();
    var app =
        blocking(
            (scope, receive, send) -> {
              seen.complete(scope);
              send(send, start());
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      raw.request("GET", "/a%20b?x=1").readToEof();
      Map<String, Object> scope = seen.get(5, TimeUnit.SECONDS);
      assertEquals("sse", scope.get("type"));
      assertEquals("1.1", scope.get("http_version"));
      assertEquals("GET", scope.get("method"));
      assertEquals("http", scope.get("scheme"));
      assertEquals("/a b", scope.get("path"));
      assertEquals("x=1", Scope.queryString(scope));
      assertEquals("", scope.get("root_path"));
      assertEquals("text/event-stream", Scope.header(scope, "accept"));
      for (String key : List.of("pagi", "raw_path", "client", "server", "extensions")) {
        assertTrue(scope.containsKey(key), key);
      }
      assertFalse(scope.containsKey(Scope.CONNECTION), "sse scopes have no pagi.connection");
      assertEquals(64 * 1024L, Scope.transport(scope).highWaterMark());
    }
  }
}
