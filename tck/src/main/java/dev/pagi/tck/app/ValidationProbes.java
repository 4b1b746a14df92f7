package dev.pagi.tck.app;

import dev.pagi.Connection;
import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The state × event-type table, under {@code /http/table/<state>/<event>}: drives the request into
 * one response state, tries one send event there, records {@code attempt} ({@code state}, {@code
 * event}, {@code raised}, {@code error}, {@code advertised} = whether {@code fullflush} is
 * advertised) on the side channel, and finishes the response if it still can.
 *
 * <p>States: {@code before} (nothing sent), {@code streaming} (start, {@code begin} more=1), {@code
 * trailers-pending} (start with {@code trailers: 1}, final body {@code begin}), {@code complete}
 * (full response {@code done}, tried at once), {@code ended} (full response, tried from {@code
 * on_complete}), {@code gone} (start, {@code begin} more=1, then the client leaves; records {@code
 * ready} first) and {@code gone-before-start} (the client leaves before any send).
 *
 * <p>Events: {@code start} (200 with {@code x-attempt: start}), {@code body} ({@code ATTEMPT}
 * more=1), {@code trailers}, {@code fullflush}, {@code unknown} ({@code http.bogus}).
 */
final class ValidationProbes implements PagiApp {

  /** The events tried, by name. */
  static final Map<String, Supplier<Map<String, Object>>> EVENTS = new LinkedHashMap<>();

  static {
    EVENTS.put("start", () -> Events.responseStart(200, List.of(Header.of("x-attempt", "start"))));
    EVENTS.put("body", () -> Events.body("ATTEMPT".getBytes(), true));
    EVENTS.put(
        "trailers",
        () -> {
          Map<String, Object> e = Events.of(Events.HTTP_RESPONSE_TRAILERS);
          e.put("headers", List.of(Header.of("x-attempt", "trailers")));
          return e;
        });
    EVENTS.put("fullflush", () -> Events.of(Events.HTTP_FULLFLUSH));
    EVENTS.put("unknown", () -> Events.of("http.bogus"));
  }

  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String[] parts = TckApp.relativePath(scope).substring("/http/table/".length()).split("/");
    String state = parts[0];
    Supplier<Map<String, Object>> event = parts.length > 1 ? EVENTS.get(parts[1]) : null;
    if (event == null) {
      return Reply.send(send, 404, "text/plain", "unknown table event");
    }
    String id = TckApp.testId(scope);
    Connection conn = Scope.connection(scope);
    boolean advertised = Scope.hasExtension(scope, Scope.EXT_FULLFLUSH);
    CompletionStage<Void> ready;
    switch (state) {
      case "before" -> ready = DONE;
      case "streaming", "gone" ->
          ready =
              Reply.start(send, 200, "content-type", "text/plain")
                  .thenCompose(v -> Reply.chunk(send, "begin", true));
      case "trailers-pending" -> {
        Map<String, Object> start =
            Events.responseStart(200, List.of(Header.of("content-type", "text/plain")));
        start.put("trailers", 1);
        ready = send.send(start).thenCompose(v -> Reply.chunk(send, "begin", false));
      }
      case "complete" -> ready = Reply.send(send, 200, "text/plain", "done");
      case "ended" -> {
        CompletableFuture<Void> completed = new CompletableFuture<>();
        conn.onComplete(() -> completed.complete(null));
        ready = Reply.send(send, 200, "text/plain", "done").thenCompose(v -> completed);
      }
      case "gone-before-start" -> ready = DONE;
      default -> {
        return Reply.send(send, 404, "text/plain", "unknown table state " + state);
      }
    }
    if (state.startsWith("gone")) {
      ready =
          ready.thenCompose(
              v -> {
                ProbeRegistry.record(id, "ready");
                return Reply.untilDisconnect(receive).thenApply(seen -> null);
              });
    }
    return ready
        .thenCompose(v -> Reply.attempt(send, event.get()))
        .thenCompose(
            result -> {
              Map<String, Object> rec = new LinkedHashMap<>(result);
              rec.put("state", state);
              rec.put("event", parts[1]);
              rec.put("advertised", advertised ? 1 : 0);
              ProbeRegistry.record(id, "attempt", rec);
              return finish(state, conn, send);
            });
  }

  private static CompletionStage<Void> finish(String state, Connection conn, Send send) {
    switch (state) {
      case "before" -> {
        return conn.responseStarted()
            ? Reply.chunk(send, "|end", false)
            : Reply.send(send, 200, "text/plain", "end");
      }
      case "streaming" -> {
        return conn.responseComplete() ? DONE : Reply.chunk(send, "|end", false);
      }
      case "trailers-pending" -> {
        return conn.responseComplete() ? DONE : send.send(Events.of(Events.HTTP_RESPONSE_TRAILERS));
      }
      default -> {
        return DONE;
      }
    }
  }
}
