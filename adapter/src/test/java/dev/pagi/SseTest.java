package dev.pagi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@link Sse} helper against a recording {@code send} and a scripted {@code receive}. */
@Timeout(10)
class SseTest {
  private final List<Map<String, Object>> sent = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<CompletableFuture<Map<String, Object>>> receives =
      new LinkedBlockingQueue<>();
  private final Send send =
      event -> {
        sent.add(event);
        return CompletableFuture.completedFuture(null);
      };
  private final Receive receive =
      () -> {
        CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
        receives.add(f);
        return f;
      };

  private static Map<String, Object> scope(Header... headers) {
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put(Scope.TYPE, Scope.TYPE_SSE);
    scope.put(Scope.PATH, "/events");
    scope.put(Scope.METHOD, "GET");
    scope.put(Scope.HEADERS, List.of(headers));
    return scope;
  }

  private Sse sse(Header... headers) {
    return new Sse(scope(headers), receive, send);
  }

  private List<String> types() {
    return sent.stream().map(Events::type).toList();
  }

  private void disconnect(String reason) throws InterruptedException {
    // The helper's watch loop may first see the (empty) request event.
    CompletableFuture<Map<String, Object>> f = receives.poll(5, TimeUnit.SECONDS);
    f.complete(Map.of("type", Events.SSE_REQUEST, "body", new byte[0], "more", 0));
    receives
        .poll(5, TimeUnit.SECONDS)
        .complete(Map.of("type", Events.SSE_DISCONNECT, "reason", reason));
  }

  @Test
  void aScopeOfAnotherTypeIsRefused() {
    Map<String, Object> http = scope();
    http.put(Scope.TYPE, Scope.TYPE_HTTP);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Sse(http, receive, send));
    assertEquals("Expected a scope of type 'sse' but got 'http'", e.getMessage());
  }

  @Test
  void theFirstSendStartsTheStreamOnce() {
    Sse sse = sse();
    assertEquals(Sse.State.PENDING, sse.connectionState());
    sse.send("a");
    sse.start();
    sse.send("b");
    assertEquals(List.of("sse.start", "sse.send", "sse.send"), types());
    assertTrue(sse.isStarted());
    assertEquals(Sse.State.STARTED, sse.connectionState());
    assertSame(sse.start(), sse.start(500, List.of()), "start is idempotent");
  }

  @Test
  void sendJsonAndSendEventEncodeNonStringDataAsJson() {
    Sse sse = sse();
    sse.sendJson(Map.of("k", 1));
    sse.sendEvent(
        new LinkedHashMap<>(
            Map.of(
                "data", List.of(1, 2), "event", "tick", "id", 7, "retry", Duration.ofSeconds(3))));
    assertEquals("{\"k\":1}", sent.get(1).get("data"));
    Map<String, Object> event = sent.get(2);
    assertEquals("[1,2]", event.get("data"));
    assertEquals("tick", event.get("event"));
    assertEquals("7", event.get("id"));
    assertEquals(3000L, event.get("retry"));
  }

  @Test
  void aCustomJsonEncoderIsUsed() {
    Sse sse = sse().jsonEncoder(v -> "<" + v + ">");
    sse.sendJson(42);
    assertEquals("<42>", sent.get(1).get("data"));
  }

  @Test
  void runCompletesWhenTheClientLeavesAndOnCloseRunsOnceInOrder() throws Exception {
    Sse sse = sse();
    List<String> calls = new ArrayList<>();
    sse.onClose((s, reason) -> calls.add("first " + reason));
    sse.onClose(
        (s, reason) -> {
          throw new IllegalStateException("a failing callback does not stop the others");
        });
    sse.onClose((s, reason) -> calls.add("third " + reason));
    CompletableFuture<String> run = sse.run().toCompletableFuture();
    assertFalse(run.isDone());
    disconnect("client_closed");
    assertEquals("client_closed", run.get(5, TimeUnit.SECONDS));
    assertEquals(List.of("first client_closed", "third client_closed"), calls);
    assertTrue(sse.isClosed());
    assertEquals("client_closed", sse.disconnectReason());
    sse.close();
    assertEquals(2, calls.size(), "callbacks run once");
    sse.onClose((s, reason) -> calls.add("late " + reason));
    assertEquals("late client_closed", calls.get(2), "late registration runs at once");
  }

  @Test
  void trySendReportsFalseOnceTheStreamEnded() throws Exception {
    Sse sse = sse();
    assertTrue(sse.trySend("a").toCompletableFuture().get());
    disconnect("write_error");
    sse.run().toCompletableFuture().get(5, TimeUnit.SECONDS);
    int before = sent.size();
    assertFalse(sse.trySend("b").toCompletableFuture().get());
    assertFalse(sse.trySendJson(Map.of()).toCompletableFuture().get());
    assertFalse(sse.trySendEvent(Map.of("data", "x")).toCompletableFuture().get());
    assertEquals(before, sent.size(), "nothing is sent after the end");
  }

  @Test
  void trySendNeverFails() throws Exception {
    Send failing = e -> CompletableFuture.failedFuture(new ProtocolException("nope"));
    Sse sse = new Sse(scope(), receive, failing);
    assertFalse(sse.trySend("a").toCompletableFuture().get());
  }

  @Test
  void closeSendsSseCloseWithTheReasonAndRunsCallbacks() throws Exception {
    Sse sse = sse();
    List<String> reasons = new ArrayList<>();
    sse.onClose((s, r) -> reasons.add(r));
    sse.send("a");
    sse.close("job_complete").toCompletableFuture().get();
    sse.close("again");
    assertEquals(List.of("sse.start", "sse.send", "sse.close"), types());
    assertEquals("job_complete", sent.get(2).get("reason"));
    assertEquals(List.of("job_complete"), reasons);
    assertEquals("job_complete", sse.run().toCompletableFuture().get());
  }

  @Test
  void closeBeforeStartOnlyRunsTheCallbacks() {
    Sse sse = sse();
    List<String> reasons = new ArrayList<>();
    sse.onClose((s, r) -> reasons.add(r));
    sse.close();
    assertEquals(List.of(), sent);
    assertEquals(List.of("closed"), reasons);
  }

  @Test
  void keepaliveAndCommentBecomeTheirEvents() {
    Sse sse = sse();
    sse.keepalive(Duration.ofMillis(2500), "ping");
    sse.comment("hello");
    assertEquals(2.5, sent.get(0).get("interval"));
    assertEquals("ping", sent.get(0).get("comment"));
    assertEquals(List.of("sse.keepalive", "sse.start", "sse.comment"), types());
  }

  @Test
  void accessorsReadTheScope() {
    Map<String, Object> scope =
        scope(Header.of("last-event-id", "41"), Header.of("x-a", "1"), Header.of("x-a", "2"));
    scope.put("path_params", Map.of("channel", "news"));
    scope.put(Scope.STATE, Map.of("db", "pool"));
    Sse sse = new Sse(scope, receive, send);
    assertEquals("41", sse.lastEventId());
    assertEquals("1", sse.header("X-A"));
    assertEquals(List.of("1", "2"), sse.headerAll("x-a"));
    assertEquals("news", sse.pathParam("channel"));
    assertEquals("pool", sse.state().get("db"));
    assertEquals("/events", sse.path());
    assertEquals(0, sse.bufferedAmount());
    sse.stash().put("k", "v");
    assertEquals("v", sse.stash().get("k"));
  }

  @Test
  void eachSendsTheMapsItsCallbackReturns() throws Exception {
    Sse sse = sse();
    sse.each(
            List.of("a", "b", "c"),
            (item, i) ->
                CompletableFuture.completedFuture(
                    i == 1 ? null : Map.of("data", item, "id", String.valueOf(i))))
        .toCompletableFuture()
        .get();
    assertEquals(List.of("sse.start", "sse.send", "sse.send"), types());
    assertEquals("a", sent.get(1).get("data"));
    assertEquals("2", sent.get(2).get("id"));
  }

  @Test
  void everyRepeatsUntilTheStreamCloses() throws Exception {
    Sse sse = sse();
    AtomicInteger n = new AtomicInteger();
    CompletionStage<Void> loop =
        sse.every(
            Duration.ofMillis(5),
            () -> {
              int i = n.incrementAndGet();
              CompletionStage<Void> s = sse.send("tick " + i);
              return i == 3 ? s.thenCompose(v -> sse.close("enough")) : s;
            });
    loop.toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(3, n.get());
    assertEquals(List.of("sse.start", "sse.send", "sse.send", "sse.send", "sse.close"), types());
  }

  @Test
  void theEndOfTheStreamCancelsAPendingEveryPause() throws Exception {
    Sse sse = sse();
    CompletableFuture<Void> loop =
        sse.every(Duration.ofHours(1), () -> sse.send("once")).toCompletableFuture();
    disconnect("client_closed");
    loop.get(5, TimeUnit.SECONDS);
    assertEquals(List.of("sse.start", "sse.send"), types());
  }

  @Test
  void aFailingEveryTaskClosesTheStreamAndReportsTheError() throws Exception {
    Sse sse = sse();
    List<String> seen = new ArrayList<>();
    sse.onError((s, e) -> seen.add("error " + e.getMessage()));
    sse.onClose((s, r) -> seen.add("close " + r));
    sse.start();
    CompletionStage<Void> loop =
        sse.every(
            Duration.ofMillis(5),
            () -> CompletableFuture.failedFuture(new IllegalStateException("broken feed")));
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> loop.toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertEquals("broken feed", e.getCause().getMessage());
    assertEquals(List.of("error broken feed", "close error"), seen);
  }

  @Test
  void declineHelpersSendAPlainResponse() throws Exception {
    Sse sse = sse();
    sse.notFound().toCompletableFuture().get();
    assertEquals(List.of("sse.http.response.start", "sse.http.response.body"), types());
    assertEquals(404, sent.get(0).get("status"));
    assertEquals("Not Found", new String((byte[]) sent.get(1).get("body")));
    assertTrue(sse.isClosed());
    assertEquals("declined", sse.run().toCompletableFuture().get());
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> sse.send("x").toCompletableFuture().get());
    assertEquals("Cannot send events: the stream was declined", e.getCause().getMessage());
  }

  @Test
  void noContentDeclinesWith204AndDecliningAfterStartFails() throws Exception {
    Sse a = sse();
    a.noContent().toCompletableFuture().get();
    assertEquals(204, sent.get(0).get("status"));
    Sse b = sse();
    b.start();
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> b.decline(401, List.of(), "no").toCompletableFuture().get());
    assertEquals("Cannot decline after 'sse.start'", e.getCause().getMessage());
  }

  @Test
  void bodyReadsTheRequestBeforeTheStreamStarts() throws Exception {
    Sse sse = sse();
    CompletableFuture<byte[]> body = sse.body().toCompletableFuture();
    receives
        .poll(5, TimeUnit.SECONDS)
        .complete(Map.of("type", Events.SSE_REQUEST, "body", "he".getBytes(), "more", 1));
    receives
        .poll(5, TimeUnit.SECONDS)
        .complete(Map.of("type", Events.SSE_REQUEST, "body", "llo".getBytes(), "more", 0));
    assertEquals("hello", new String(body.get(5, TimeUnit.SECONDS)));
  }

  @Test
  void aSendOnAStartedStreamIsTheServersOwnStage() throws Exception {
    CompletableFuture<Void> accepted = CompletableFuture.completedFuture(null);
    Sse sse = new Sse(scope(), receive, e -> accepted);
    sse.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertSame(accepted, sse.send("a"), "no stage of the helper's own per send");
    assertSame(accepted, sse.comment("c"));
    CompletableFuture<Boolean> tried = sse.trySend("b").toCompletableFuture();
    assertTrue(tried.isDone() && tried.get());
  }

  @Test
  void aSendThatThrowsFailsItsStageAndReachesOnError() throws Exception {
    List<Throwable> errors = new ArrayList<>();
    Send throwing =
        e -> {
          if (Events.SSE_SEND.equals(Events.type(e))) {
            throw new ProtocolException("bad");
          }
          return CompletableFuture.completedFuture(null);
        };
    Sse sse = new Sse(scope(), receive, throwing).onError((s, t) -> errors.add(t));
    sse.start().toCompletableFuture().get(5, TimeUnit.SECONDS);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> sse.send("x").toCompletableFuture().get());
    assertEquals("bad", e.getCause().getMessage());
    assertEquals(1, errors.size());
    assertFalse(sse.trySend("y").toCompletableFuture().get());
  }
}
