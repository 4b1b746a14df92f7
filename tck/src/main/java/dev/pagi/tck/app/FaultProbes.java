package dev.pagi.tck.app;

import dev.pagi.Connection;
import dev.pagi.Events;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Fault probes for {@code http} scopes, under {@code /http/fault/}. Callbacks record {@code
 * complete} and {@code disconnect} (with the reason) as in {@link HttpProbes#terminalSignals}.
 *
 * <ul>
 *   <li>{@code leave/<phase>?tck=<id>}: the client leaves in one phase of the exchange, after the
 *       probe recorded {@code ready}: {@code before-read} (the body was never read; the probe reads
 *       only once the gate {@code <id>} opens), {@code mid-body} (one chunk read, a receive
 *       pending), {@code after-start} (response started, no body) or {@code mid-stream} (start and
 *       one chunk). The probe receives until {@code http.disconnect} and records {@code gone}
 *       ({@code events}: each event as {@code type} or {@code type:more}; {@code content_length}:
 *       the request's header), then tries one more send and records {@code late}.
 *   <li>{@code fail-after-complete?tck=<id>}: a complete response {@code done}, then a failed
 *       stage.
 * </ul>
 */
final class FaultProbes implements PagiApp {

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String path = TckApp.relativePath(scope).substring("/http/fault/".length());
    String id = TckApp.testId(scope);
    Connection conn = Scope.connection(scope);
    HttpProbes.terminalSignals(id, conn);
    if (path.equals("fail-after-complete")) {
      return Reply.send(send, 200, "text/plain", "done")
          .thenCompose(
              v ->
                  CompletableFuture.failedFuture(
                      new IllegalStateException("tck: failed after the complete response")));
    }
    if (!path.startsWith("leave/")) {
      return Reply.send(send, 404, "text/plain", "no fault probe " + path);
    }
    String phase = path.substring("leave/".length());
    List<String> events = new ArrayList<>();
    CompletionStage<Void> ready =
        switch (phase) {
          case "before-read" -> {
            ProbeRegistry.record(id, "ready");
            yield ProbeRegistry.gate(id).orTimeout(10, TimeUnit.SECONDS);
          }
          case "mid-body" ->
              receive.receive().thenAccept(e -> events.add(describe(e))).thenRun(() -> ready(id));
          case "after-start" ->
              Reply.start(send, 200, "content-type", "text/plain").thenRun(() -> ready(id));
          case "mid-stream" ->
              Reply.start(send, 200, "content-type", "text/plain")
                  .thenCompose(v -> Reply.chunk(send, "A", true))
                  .thenRun(() -> ready(id));
          default -> null;
        };
    if (ready == null) {
      return Reply.send(send, 404, "text/plain", "unknown phase " + phase);
    }
    return ready
        .thenCompose(v -> untilDisconnect(receive, events))
        .thenCompose(
            v -> {
              Map<String, Object> gone = HttpProbes.snapshot(conn);
              gone.put("events", events);
              gone.put("content_length", Scope.header(scope, "content-length"));
              ProbeRegistry.record(id, "gone", gone);
              Map<String, Object> late =
                  conn.responseStarted()
                      ? Events.body("late".getBytes(), true)
                      : Events.responseStart(200, List.of());
              return Reply.attempt(send, late);
            })
        .thenAccept(r -> ProbeRegistry.record(id, "late", r));
  }

  private static void ready(String id) {
    ProbeRegistry.record(id, "ready");
  }

  private static String describe(Map<String, Object> e) {
    String type = Events.type(e);
    return Events.HTTP_REQUEST.equals(type) ? type + ":" + (Events.more(e) ? 1 : 0) : type;
  }

  /** Receives until an event that is not {@code http.request}, recording each. */
  private static CompletionStage<Void> untilDisconnect(Receive receive, List<String> events) {
    return receive
        .receive()
        .thenCompose(
            e -> {
              events.add(describe(e));
              return Events.HTTP_REQUEST.equals(Events.type(e))
                  ? untilDisconnect(receive, events)
                  : CompletableFuture.completedFuture(null);
            });
  }
}
