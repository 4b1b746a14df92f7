package dev.pagi.tck.app;

import static dev.pagi.tck.app.SseProbes.ev;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@code sse} state × event table, under {@code /sse/state/<state>/<event>?tck=<id>}: drives
 * the stream into one state, tries one send event there, records {@code attempt} ({@code state},
 * {@code event}, {@code raised}, {@code error}) on the side channel, then finishes the response the
 * way the state allows, so the client can see on the wire whether the event took effect.
 *
 * <p>States: {@code before} (nothing sent), {@code streaming} ({@code sse.start}, {@code data:
 * begin}), {@code closed} (the same, then {@code sse.close}), {@code declining} ({@code
 * sse.http.response.start} 404, body {@code begin} more=1), {@code declined} (the same with
 * more=0), {@code gone} (keepalive every 100 ms, start, {@code begin}, records {@code ready}, then
 * waits for {@code sse.disconnect}) and {@code gone-before-start} (records {@code ready} and waits
 * for {@code sse.disconnect}; the client sends a POST whose body never completes, then leaves).
 *
 * <p>Events: {@code start} ({@code x-attempt: start}), {@code send} ({@code ATTEMPT}), {@code
 * comment} ({@code ATTEMPT}), {@code keepalive} (every 50 ms, comment {@code ka}), {@code close},
 * {@code decline-start} (403, {@code x-attempt: decline}), {@code decline-body} ({@code ATTEMPT}
 * more=1), {@code foreign} ({@code http.response.body}) and {@code unknown} ({@code sse.bogus}).
 *
 * <p>Finishing: {@code before} starts the stream (or, after an accepted decline start, sends the
 * decline body {@code end}) and {@code streaming} goes on; both send {@code data: end} and wait for
 * the gate {@code <id>} (10 s at most) before returning, so the client can watch for keepalive
 * comments first. {@code declining} sends the final decline body {@code end}. The other states
 * return at once.
 */
final class SseStateProbes implements PagiApp {

  /** The events tried, by name. */
  static final Map<String, Supplier<Map<String, Object>>> EVENTS = new LinkedHashMap<>();

  static {
    EVENTS.put(
        "start", () -> ev(Events.SSE_START, "headers", List.of(Header.of("x-attempt", "start"))));
    EVENTS.put("send", () -> ev(Events.SSE_SEND, "data", "ATTEMPT"));
    EVENTS.put("comment", () -> ev(Events.SSE_COMMENT, "comment", "ATTEMPT"));
    EVENTS.put("keepalive", () -> ev(Events.SSE_KEEPALIVE, "interval", 0.05, "comment", "ka"));
    EVENTS.put("close", () -> ev(Events.SSE_CLOSE, "reason", "x-attempt"));
    EVENTS.put(
        "decline-start",
        () ->
            ev(
                Events.SSE_HTTP_RESPONSE_START,
                "status",
                403,
                "headers",
                List.of(
                    Header.of("content-type", "text/plain"), Header.of("x-attempt", "decline"))));
    EVENTS.put(
        "decline-body",
        () -> ev(Events.SSE_HTTP_RESPONSE_BODY, "body", bytes("ATTEMPT"), "more", 1));
    EVENTS.put("foreign", () -> Events.body("ATTEMPT"));
    EVENTS.put("unknown", () -> ev("sse.bogus"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String[] parts = TckApp.relativePath(scope).substring("/sse/state/".length()).split("/");
    Supplier<Map<String, Object>> event = parts.length == 2 ? EVENTS.get(parts[1]) : null;
    if (!Scope.TYPE_SSE.equals(Scope.type(scope)) || event == null) {
      return Reply.send(send, 404, "text/plain", "no sse state probe here");
    }
    String state = parts[0];
    String id = TckApp.testId(scope);
    CompletionStage<Void> ready =
        switch (state) {
          case "before" -> DONE;
          case "streaming" -> SseProbes.all(send, ev(Events.SSE_START), Events.sseSend("begin"));
          case "closed" ->
              SseProbes.all(
                  send, ev(Events.SSE_START), Events.sseSend("begin"), ev(Events.SSE_CLOSE));
          case "declining", "declined" ->
              SseProbes.all(
                  send,
                  ev(
                      Events.SSE_HTTP_RESPONSE_START,
                      "status",
                      404,
                      "headers",
                      List.of(Header.of("content-type", "text/plain"))),
                  ev(
                      Events.SSE_HTTP_RESPONSE_BODY,
                      "body",
                      bytes("begin"),
                      "more",
                      state.equals("declining") ? 1 : 0));
          case "gone" ->
              SseProbes.all(
                      send,
                      ev(Events.SSE_KEEPALIVE, "interval", 0.1),
                      ev(Events.SSE_START),
                      Events.sseSend("begin"))
                  .thenCompose(v -> gone(id, receive));
          case "gone-before-start" -> gone(id, receive);
          default -> null;
        };
    if (ready == null) {
      return Reply.send(send, 404, "text/plain", "unknown sse state " + state);
    }
    return ready
        .thenCompose(v -> Reply.attempt(send, event.get()))
        .thenCompose(
            result -> {
              Map<String, Object> rec = new LinkedHashMap<>(result);
              rec.put("state", state);
              rec.put("event", parts[1]);
              ProbeRegistry.record(id, "attempt", rec);
              return finish(state, parts[1], result.get("raised").equals(0), id, send);
            });
  }

  private static CompletionStage<Void> gone(String id, Receive receive) {
    ProbeRegistry.record(id, "ready");
    return SseProbes.untilDisconnect(receive).thenAccept(e -> {});
  }

  private static CompletionStage<Void> finish(
      String state, String event, boolean accepted, String id, Send send) {
    switch (state) {
      case "before" -> {
        if (event.equals("decline-start") && accepted) {
          return send.send(ev(Events.SSE_HTTP_RESPONSE_BODY, "body", bytes("end")));
        }
        return Reply.attempt(send, ev(Events.SSE_START)).thenCompose(r -> streamEnd(id, send));
      }
      case "streaming" -> {
        return streamEnd(id, send);
      }
      case "declining" -> {
        return Reply.attempt(send, ev(Events.SSE_HTTP_RESPONSE_BODY, "body", bytes("end")))
            .thenAccept(r -> {});
      }
      default -> {
        return DONE;
      }
    }
  }

  /** {@code data: end}, then the gate: the client says when it has seen enough. */
  private static CompletionStage<Void> streamEnd(String id, Send send) {
    return Reply.attempt(send, Events.sseSend("end"))
        .thenCompose(
            r ->
                ProbeRegistry.gate(id)
                    .orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(timeout -> null));
  }
}
