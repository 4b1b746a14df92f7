package dev.pagi.servlet;

import static dev.pagi.servlet.SseApps.attempt;
import static dev.pagi.servlet.SseApps.blocking;
import static dev.pagi.servlet.SseApps.data;
import static dev.pagi.servlet.SseApps.decline;
import static dev.pagi.servlet.SseApps.declineBody;
import static dev.pagi.servlet.SseApps.event;
import static dev.pagi.servlet.SseApps.receive;
import static dev.pagi.servlet.SseApps.send;
import static dev.pagi.servlet.SseApps.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.Events;
import dev.pagi.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Declining an SSE request with a normal HTTP response, and first-send-wins both ways. */
@Timeout(30)
class SseDeclineTest {

  @Test
  void declineSendsAPlainResponseInPartsAndClosesTheConnection() throws Exception {
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, decline(404, List.of(Header.of("content-type", "text/plain"))));
              send(send, declineBody("no such ", true));
              send(send, declineBody("stream", false));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      String all = raw.request("GET", "/nowhere").readToEof();
      String head = raw.head().toLowerCase();
      assertTrue(head.startsWith("http/1.1 404 "), all);
      assertTrue(head.contains("content-type: text/plain"), head);
      assertFalse(head.contains("text/event-stream"), head);
      assertTrue(head.contains("\r\ndate: "), head);
      assertEquals("no such stream", raw.body());
      jetty.awaitActive(0);
    }
  }

  @Test
  void declineWith401CarriesTheChallenge() throws Exception {
    var app =
        blocking(
            (scope, receive, send) -> {
              send(
                  send,
                  decline(
                      401,
                      List.of(
                          Header.of("www-authenticate", "Bearer"),
                          Header.of("content-length", "12"))));
              send(send, declineBody("Unauthorized", false));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      String all = raw.request("GET", "/").readToEof();
      assertTrue(all.startsWith("HTTP/1.1 401 "), all);
      assertTrue(all.toLowerCase().contains("\r\nwww-authenticate: bearer\r\n"), all);
      assertTrue(all.endsWith("\r\n\r\nUnauthorized"), all);
    }
  }

  @Test
  void declineWith204HasNoBody() throws Exception {
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, decline(204, List.of()));
              send(send, declineBody("", false));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      String all = raw.request("GET", "/").readToEof();
      assertTrue(all.startsWith("HTTP/1.1 204 "), all);
      assertTrue(all.endsWith("\r\n\r\n"), all);
    }
  }

  @Test
  void returningWhileDecliningEndsTheDeclineResponse() throws Exception {
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, decline(403, List.of()));
              send(send, declineBody("forbidden", true));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      String all = raw.request("GET", "/").readToEof();
      assertTrue(all.startsWith("HTTP/1.1 403 "), all);
      assertEquals("forbidden", raw.body());
    }
  }

  @Test
  void declineAfterStartRaises() throws Exception {
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, start());
              String a = attempt(send, decline(404, List.of())).getMessage();
              String b = attempt(send, declineBody("x", false)).getMessage();
              send(send, data(a + "|" + b));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      raw.request("GET", "/").readToEof();
      assertTrue(raw.head().startsWith("HTTP/1.1 200 "));
      assertEquals(
          "data: Cannot send 'sse.http.response.start' after 'sse.start'"
              + "|Cannot send 'sse.http.response.body' after 'sse.start'\n\n",
          raw.body());
    }
  }

  @Test
  void streamEventsAfterADeclineRaise() throws Exception {
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, decline(404, List.of()));
              List<String> raised = new ArrayList<>();
              for (Map<String, Object> e :
                  List.of(
                      data("x"),
                      event(Events.SSE_COMMENT, "comment", "c"),
                      event(Events.SSE_KEEPALIVE, "interval", 1),
                      event(Events.SSE_CLOSE),
                      start(),
                      decline(500, List.of()))) {
                raised.add(attempt(send, e).getMessage());
              }
              send(send, declineBody(String.join("\n", raised), false));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      String all = raw.request("GET", "/").readToEof();
      assertTrue(all.startsWith("HTTP/1.1 404 "), all);
      assertEquals(
          String.join(
              "\n",
              "Cannot send 'sse.send' after 'sse.http.response.start'",
              "Cannot send 'sse.comment' after 'sse.http.response.start'",
              "Cannot send 'sse.keepalive' after 'sse.http.response.start'",
              "Cannot send 'sse.close' after 'sse.http.response.start'",
              "Cannot send 'sse.start' after 'sse.http.response.start'",
              "Cannot send 'sse.http.response.start' after 'sse.http.response.start'"),
          raw.body());
    }
  }

  @Test
  void declineBodyBeforeItsStartRaises() throws Exception {
    var app =
        blocking(
            (scope, receive, send) -> {
              String early = attempt(send, declineBody("x", false)).getMessage();
              send(send, start());
              send(send, data(early));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      assertEquals(
          "data: Expected 'sse.http.response.start' but got 'sse.http.response.body'\n\n",
          raw.request("GET", "/").awaitBody("\n\n"));
    }
  }

  @Test
  void aDeclinedStreamDeliversNoDisconnect() throws Exception {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    var app =
        blocking(
            (scope, receive, send) -> {
              receive(receive);
              send(send, decline(204, List.of()));
              send(send, declineBody("", false));
              try {
                failure.complete(new AssertionError("received " + receive(receive)));
              } catch (Exception e) {
                failure.complete(e);
              }
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      raw.request("GET", "/").readToEof();
      assertEquals(
          "Cannot receive after 'sse.http.response.start': a declined stream delivers no"
              + " 'sse.disconnect'",
          failure.get(5, TimeUnit.SECONDS).getMessage());
    }
  }
}
