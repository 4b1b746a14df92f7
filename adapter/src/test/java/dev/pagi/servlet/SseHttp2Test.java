package dev.pagi.servlet;

import static dev.pagi.servlet.SseApps.blocking;
import static dev.pagi.servlet.SseApps.data;
import static dev.pagi.servlet.SseApps.event;
import static dev.pagi.servlet.SseApps.receive;
import static dev.pagi.servlet.SseApps.send;
import static dev.pagi.servlet.SseApps.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.Events;
import dev.pagi.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many SSE streams multiplexed on one HTTP/2 connection: each ends on its own. */
@Timeout(60)
class SseHttp2Test {
  private static final int STREAMS = 50;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopTicker() {
    ticker.shutdownNow();
  }

  @Test
  void fiftyStreamsShareOneConnectionAndOneResetLeavesTheOthersLive() throws Exception {
    CompletableFuture<Void> go = new CompletableFuture<>();
    Map<String, Object> reasons = new ConcurrentHashMap<>();
    Set<Object> clients = ConcurrentHashMap.newKeySet();
    var app =
        blocking(
            (scope, receive, send) -> {
              clients.add(scope.get(Scope.CLIENT));
              assertEquals("2", scope.get(Scope.HTTP_VERSION));
              send(send, start());
              send(send, data("hello " + Scope.path(scope)));
              receive(receive);
              CompletableFuture<Map<String, Object>> end = receive.receive().toCompletableFuture();
              CompletableFuture.anyOf(go, end).get();
              if (end.isDone()) {
                reasons.put(Scope.path(scope), end.get().get("reason"));
                return;
              }
              send(send, data("after"));
              send(send, event(Events.SSE_CLOSE, "reason", "done"));
            });
    try (JettyHarness jetty = new JettyHarness(app);
        H2Sse h2 = new H2Sse(jetty.uri)) {
      List<H2Sse.Sse> streams = new ArrayList<>();
      for (int i = 0; i < STREAMS; i++) {
        streams.add(h2.open("/s/" + i));
      }
      for (int i = 0; i < STREAMS; i++) {
        streams.get(i).awaitBody("data: hello /s/" + i + "\n\n");
        assertEquals(200, streams.get(i).status.get(5, TimeUnit.SECONDS));
      }
      assertEquals(1, clients.size(), "one connection: " + clients);
      assertEquals(STREAMS, jetty.servlet.activeExchanges());

      streams.get(7).cancel();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!reasons.containsKey("/s/7") && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(Map.of("/s/7", "client_closed"), reasons);
      jetty.awaitActive(STREAMS - 1);

      go.complete(null);
      for (int i = 0; i < STREAMS; i++) {
        if (i == 7) {
          continue;
        }
        H2Sse.Sse s = streams.get(i);
        assertEquals(
            "data: hello /s/" + i + "\n\ndata: after\n\n", s.ended.get(5, TimeUnit.SECONDS));
        assertFalse(s.reset.isDone(), "stream " + i + " ended cleanly");
      }
      jetty.awaitActive(0);
    }
  }

  @Test
  void idleTimeoutEndsOnlyTheQuietStream() throws Exception {
    CompletableFuture<Object> quietReason = new CompletableFuture<>();
    var app =
        blocking(
            (scope, receive, send) -> {
              send(send, start());
              send(send, data("hello"));
              receive(receive);
              ScheduledFuture<?> ticks = null;
              if (!Scope.path(scope).equals("/quiet")) {
                ticks =
                    ticker.scheduleAtFixedRate(
                        () -> send.send(data("tick")), 50, 100, TimeUnit.MILLISECONDS);
              }
              Map<String, Object> end = receive(receive);
              if (ticks != null) {
                ticks.cancel(false);
              } else {
                quietReason.complete(end.get("reason"));
              }
            });
    PagiConfig config =
        PagiConfig.builder()
            .lifespanMode(PagiConfig.LifespanMode.OFF)
            .sseIdleTimeout(Duration.ofSeconds(1))
            .build();
    try (JettyHarness jetty = new JettyHarness(app, config, "/*");
        H2Sse h2 = new H2Sse(jetty.uri)) {
      List<H2Sse.Sse> busy = new ArrayList<>();
      H2Sse.Sse quiet = h2.open("/quiet");
      for (int i = 1; i < STREAMS; i++) {
        busy.add(h2.open("/busy/" + i));
      }
      assertEquals("data: hello\n\n", quiet.ended.get(10, TimeUnit.SECONDS));
      assertFalse(quiet.reset.isDone(), "the idle stream ends with END_STREAM, not a reset");
      assertEquals("idle_timeout", quietReason.get(5, TimeUnit.SECONDS));
      for (H2Sse.Sse s : busy) {
        String now = s.body();
        s.awaitBody(now + "data: tick\n\ndata: tick\n\n");
        assertFalse(s.ended.isDone() || s.reset.isDone(), "a busy sibling lives on");
      }
      assertEquals(STREAMS - 1, jetty.servlet.activeExchanges());
      for (H2Sse.Sse s : busy) {
        s.cancel();
      }
      jetty.awaitActive(0);
      assertTrue(quiet.ended.isDone());
    }
  }
}
