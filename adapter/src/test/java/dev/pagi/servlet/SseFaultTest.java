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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.Events;
import dev.pagi.Scope;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Clients that leave, applications that fail, and what an ended stream leaves behind. */
@Timeout(60)
class SseFaultTest {

  @Test
  void clientClosingMidStreamGivesClientClosedSilentSendsAndNoErrorLog() throws Exception {
    CompletableFuture<Map<String, Object>> disconnect = new CompletableFuture<>();
    CompletableFuture<Integer> raises = new CompletableFuture<>();
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, start());
              send(send, data("A"));
              receive(receive);
              disconnect.complete(receive(receive));
              int raised = 0;
              for (int i = 0; i < 20; i++) {
                raised += attempt(send, data("after " + i)) == null ? 0 : 1;
              }
              raised += attempt(send, event(Events.SSE_COMMENT, "comment", "c")) == null ? 0 : 1;
              raised += attempt(send, event(Events.SSE_CLOSE)) == null ? 0 : 1;
              raises.complete(raised);
            });
    try (SseApps.LogCapture log = new SseApps.LogCapture(Level.WARNING);
        JettyHarness jetty = new JettyHarness(app)) {
      try (RawSse raw = new RawSse(jetty.uri)) {
        raw.request("GET", "/").awaitBody("data: A\n\n");
      }
      assertEquals(
          Map.of("type", Events.SSE_DISCONNECT, "reason", "client_closed"),
          disconnect.get(5, TimeUnit.SECONDS));
      assertEquals(0, raises.get(5, TimeUnit.SECONDS));
      jetty.awaitActive(0);
      assertEquals(List.of(), log.atLeast(Level.WARNING));
    }
  }

  @Test
  void appFailingBeforeStartGets500AndTheConnectionCloses() throws Exception {
    var app =
        blocking(
            (scope, receive, send) -> {
              throw new IllegalStateException("boom before start");
            });
    try (SseApps.LogCapture log = new SseApps.LogCapture(Level.WARNING);
        JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      String all = raw.request("GET", "/").readToEof();
      assertTrue(all.startsWith("HTTP/1.1 500 "), all);
      assertTrue(all.endsWith("\r\n\r\nInternal Server Error"), all);
      assertEquals(1, log.atLeast(Level.SEVERE).size(), "the failure is logged");
    }
  }

  @Test
  void appReturningWithoutStartOrDeclineGets500() throws Exception {
    var app = blocking((scope, receive, send) -> receive(receive));
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      String all = raw.request("GET", "/").readToEof();
      assertTrue(all.startsWith("HTTP/1.1 500 "), all);
    }
  }

  @Test
  void appFailingAfterStartTruncatesTheStream() throws Exception {
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, start());
              send(send, data("A"));
              throw new IllegalStateException("boom after start");
            });
    try (JettyHarness jetty = new JettyHarness(app);
        RawSse raw = new RawSse(jetty.uri)) {
      String all = raw.request("GET", "/").readToEof();
      assertTrue(all.startsWith("HTTP/1.1 200 "), all);
      assertEquals("data: A\n\n", raw.body());
      assertFalse(raw.terminated(), "no terminal chunk: " + all);
      jetty.awaitActive(0);
    }
  }

  /** An app that starts, sends one event and then only waits: nothing is written any more. */
  private static SseApps.Body idleStream(CompletableFuture<Map<String, Object>> disconnect) {
    return (scope, receive, send) -> {
      send(send, start());
      send(send, data("A"));
      receive(receive);
      disconnect.complete(receive(receive));
    };
  }

  @Test
  void anIdleHttp11ClientThatClosesIsNoticedWithoutAWrite() throws Exception {
    CompletableFuture<Map<String, Object>> disconnect = new CompletableFuture<>();
    try (JettyHarness jetty = new JettyHarness(blocking(idleStream(disconnect)))) {
      RawSse raw = new RawSse(jetty.uri);
      raw.request("GET", "/").awaitBody("data: A\n\n");
      long closed = System.nanoTime();
      raw.close();
      assertEquals(
          Map.of("type", Events.SSE_DISCONNECT, "reason", "client_closed"),
          disconnect.get(5, TimeUnit.SECONDS));
      System.out.printf(
          "HTTP/1.1 idle close noticed after %.1f ms%n", (System.nanoTime() - closed) / 1e6);
      jetty.awaitActive(0);
    }
  }

  @Test
  void anIdleHttp2StreamThatIsResetOrWhoseConnectionDropsIsNoticedWithoutAWrite() throws Exception {
    CompletableFuture<Map<String, Object>> reset = new CompletableFuture<>();
    CompletableFuture<Map<String, Object>> dropped = new CompletableFuture<>();
    var app =
        blocking(
            (scope, receive, send) ->
                idleStream(Scope.path(scope).equals("/reset") ? reset : dropped)
                    .run(scope, receive, send));
    try (JettyHarness jetty = new JettyHarness(app);
        H2Sse h2 = new H2Sse(jetty.uri)) {
      H2Sse.Sse a = h2.open("/reset");
      H2Sse.Sse b = h2.open("/drop");
      a.awaitBody("data: A\n\n");
      b.awaitBody("data: A\n\n");
      long t0 = System.nanoTime();
      a.cancel();
      assertEquals("client_closed", reset.get(5, TimeUnit.SECONDS).get("reason"));
      System.out.printf(
          "HTTP/2 stream reset noticed after %.1f ms%n", (System.nanoTime() - t0) / 1e6);
      assertFalse(dropped.isDone(), "the sibling stream lives on");
      long t1 = System.nanoTime();
      h2.drop();
      assertEquals("client_closed", dropped.get(5, TimeUnit.SECONDS).get("reason"));
      System.out.printf(
          "HTTP/2 connection drop noticed after %.1f ms%n", (System.nanoTime() - t1) / 1e6);
      jetty.awaitActive(0);
    }
  }

  @Test
  void aThousandStreamsOpenedAndDroppedLeaveNoExchangeOrTimerBehind() throws Exception {
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, event(Events.SSE_KEEPALIVE, "interval", 5));
              send(send, start());
              send(send, data("hi"));
              receive(receive);
              receive(receive);
              assertNull(attempt(send, data("gone")));
            });
    PagiConfig config =
        PagiConfig.builder()
            .lifespanMode(PagiConfig.LifespanMode.OFF)
            .sseIdleTimeout(java.time.Duration.ofMinutes(5))
            .build();
    try (JettyHarness jetty = new JettyHarness(app, config, "/*")) {
      for (int batch = 0; batch < 10; batch++) {
        List<RawSse> clients = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          clients.add(new RawSse(jetty.uri).request("GET", "/s"));
        }
        for (RawSse c : clients) {
          c.awaitBody("data: hi\n\n");
        }
        assertTrue(timers(jetty) >= 100, "keepalive and idle timers run while streams live");
        for (RawSse c : clients) {
          c.close();
        }
      }
      jetty.awaitActive(0);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (timers(jetty) > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(0, timers(jetty), "no keepalive or idle timer left on the shared scheduler");
    }
  }

  /** Tasks waiting on the servlet's shared scheduler. */
  private static int timers(JettyHarness jetty) throws Exception {
    Field f = PagiServlet.class.getDeclaredField("runtime");
    f.setAccessible(true);
    Object runtime = f.get(jetty.servlet);
    Object scheduler = runtime.getClass().getMethod("scheduler").invoke(runtime);
    return ((ScheduledThreadPoolExecutor) scheduler).getQueue().size();
  }
}
