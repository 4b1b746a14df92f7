package dev.pagi.tck.app;

import static dev.pagi.tck.app.SseProbes.ev;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import dev.pagi.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Fault probes for {@code sse} scopes, under {@code /sse/fault/}; observations go to the side
 * channel under the test id.
 *
 * <ul>
 *   <li>{@code leave/<phase>}: the client (a POST whose body stays open) leaves in one phase, after
 *       the probe recorded {@code ready}: {@code before-read} (the probe reads only once the gate
 *       {@code <id>} opens), {@code mid-body} (one chunk read), {@code after-start} ({@code
 *       sse.start} only) or {@code mid-stream} (start and {@code data: A}). The probe receives
 *       until {@code sse.disconnect}, records {@code gone} ({@code events} as {@code type} or
 *       {@code type:more}, {@code reason}), tries {@code sse.send} and records {@code late}.
 *   <li>{@code read-body}: records {@code invoked}, reads the body and records {@code end} ({@code
 *       type}, {@code reason}, {@code bytes}); a complete body is answered with one event.
 *   <li>{@code decline-crlf}: tries a decline whose header value carries CR LF, then declines with
 *       404 and the attempt's report as the body.
 *   <li>{@code fail-declining}: declines with 404, sends {@code part} (more=1), waits for the gate
 *       {@code <id>}, then fails.
 *   <li>{@code burst}: starts, registers {@code on_high_water} ({@code high}) and {@code on_drain}
 *       ({@code drain}), sends 16 KiB events until a send waits and records {@code blocked} ({@code
 *       buffered}, {@code high}, {@code low}, {@code event}, {@code max_buffered}), then {@code
 *       released} ({@code buffered}) once it completes, and ends with {@code data: done}.
 * </ul>
 */
final class SseFaultProbes implements PagiApp {

  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String name = TckApp.relativePath(scope).substring("/sse/fault/".length());
    String id = TckApp.testId(scope);
    if (!Scope.TYPE_SSE.equals(Scope.type(scope))) {
      return Reply.send(send, 406, "text/plain", "sse fault probes need Accept: text/event-stream");
    }
    if (name.startsWith("leave/")) {
      return leave(name.substring("leave/".length()), id, receive, send);
    }
    return switch (name) {
      case "read-body" -> readBody(id, receive, send);
      case "decline-crlf" -> declineCrlf(send);
      case "fail-declining" ->
          SseProbes.all(
                  send,
                  ev(
                      Events.SSE_HTTP_RESPONSE_START,
                      "status",
                      404,
                      "headers",
                      List.of(Header.of("content-type", "text/plain"))),
                  ev(Events.SSE_HTTP_RESPONSE_BODY, "body", bytes("part"), "more", 1))
              .thenCompose(v -> ProbeRegistry.gate(id).orTimeout(10, TimeUnit.SECONDS))
              .thenCompose(
                  v ->
                      CompletableFuture.failedFuture(
                          new IllegalStateException("tck: failed while declining")));
      case "burst" -> burst(id, scope, send);
      default -> Reply.send(send, 404, "text/plain", "no sse fault probe " + name);
    };
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String describe(Map<String, Object> e) {
    String type = Events.type(e);
    return Events.SSE_REQUEST.equals(type) ? type + ":" + (Events.more(e) ? 1 : 0) : type;
  }

  private static CompletionStage<?> leave(String phase, String id, Receive receive, Send send) {
    List<String> events = new ArrayList<>();
    CompletionStage<Void> ready =
        switch (phase) {
          case "before-read" -> {
            ProbeRegistry.record(id, "ready");
            yield ProbeRegistry.gate(id).orTimeout(10, TimeUnit.SECONDS);
          }
          case "mid-body" ->
              receive
                  .receive()
                  .thenAccept(
                      e -> {
                        events.add(describe(e));
                        ProbeRegistry.record(id, "ready");
                      });
          case "after-start" ->
              send.send(ev(Events.SSE_START)).thenRun(() -> ProbeRegistry.record(id, "ready"));
          case "mid-stream" ->
              SseProbes.all(send, ev(Events.SSE_START), Events.sseSend("A"))
                  .thenRun(() -> ProbeRegistry.record(id, "ready"));
          default -> null;
        };
    if (ready == null) {
      return Reply.send(send, 404, "text/plain", "unknown phase " + phase);
    }
    Map<String, Object> gone = new LinkedHashMap<>();
    return ready
        .thenCompose(v -> untilDisconnect(receive, events))
        .thenCompose(
            e -> {
              gone.put("events", events);
              gone.put("reason", e.get("reason"));
              ProbeRegistry.record(id, "gone", gone);
              return Reply.attempt(send, Events.sseSend("late"));
            })
        .thenAccept(r -> ProbeRegistry.record(id, "late", r));
  }

  /** Receives until {@code sse.disconnect}, recording each event, and returns it. */
  private static CompletionStage<Map<String, Object>> untilDisconnect(
      Receive receive, List<String> events) {
    return receive
        .receive()
        .thenCompose(
            e -> {
              events.add(describe(e));
              return Events.SSE_DISCONNECT.equals(Events.type(e))
                  ? CompletableFuture.completedFuture(e)
                  : untilDisconnect(receive, events);
            });
  }

  private static CompletionStage<?> readBody(String id, Receive receive, Send send) {
    ProbeRegistry.record(id, "invoked");
    return Reply.readBody(receive)
        .thenCompose(
            read -> {
              @SuppressWarnings("unchecked")
              Map<String, Object> last = (Map<String, Object>) read.get("last");
              int length = ((byte[]) read.get("body")).length;
              Map<String, Object> end = new LinkedHashMap<>();
              end.put("type", Events.type(last));
              end.put("reason", last.get("reason"));
              end.put("bytes", length);
              ProbeRegistry.record(id, "end", end);
              return Events.SSE_REQUEST.equals(Events.type(last))
                  ? SseProbes.all(send, ev(Events.SSE_START), Events.sseSend("bytes=" + length))
                  : DONE;
            });
  }

  private static CompletionStage<?> declineCrlf(Send send) {
    Map<String, Object> bad =
        ev(
            Events.SSE_HTTP_RESPONSE_START,
            "status",
            404,
            "headers",
            List.of(new Header("x-bad", "safe\r\nSet-Cookie: pwned=1")));
    return Reply.attempt(send, bad)
        .thenCompose(
            r ->
                SseProbes.all(
                    send,
                    ev(
                        Events.SSE_HTTP_RESPONSE_START,
                        "status",
                        404,
                        "headers",
                        List.of(Header.of("content-type", "application/json"))),
                    ev(Events.SSE_HTTP_RESPONSE_BODY, "body", bytes(Json.write(r)))));
  }

  /** Sends 16 KiB events until one waits; everything the transport says goes to the log. */
  private static CompletionStage<?> burst(String id, Map<String, Object> scope, Send send) {
    Transport t = Scope.transport(scope);
    t.onHighWater(() -> ProbeRegistry.record(id, "high", Map.of("buffered", t.bufferedAmount())));
    t.onDrain(() -> ProbeRegistry.record(id, "drain", Map.of("buffered", t.bufferedAmount())));
    String data = "x".repeat(16 * 1024);
    long[] maxBuffered = {0};
    return send.send(ev(Events.SSE_START))
        .thenCompose(
            v -> {
              for (int sent = 1; sent <= 4096; sent++) {
                CompletableFuture<Void> s = send.send(Events.sseSend(data)).toCompletableFuture();
                maxBuffered[0] = Math.max(maxBuffered[0], t.bufferedAmount());
                if (!s.isDone()) {
                  Map<String, Object> blocked = new LinkedHashMap<>();
                  blocked.put("buffered", t.bufferedAmount());
                  blocked.put("high", t.highWaterMark());
                  blocked.put("low", t.lowWaterMark());
                  blocked.put("event", data.length() + "data: \n\n".length());
                  blocked.put("max_buffered", maxBuffered[0]);
                  blocked.put("sent", sent);
                  ProbeRegistry.record(id, "blocked", blocked);
                  return s.thenRun(
                      () ->
                          ProbeRegistry.record(
                              id, "released", Map.of("buffered", t.bufferedAmount())));
                }
              }
              ProbeRegistry.record(id, "never-blocked");
              return DONE;
            })
        .thenCompose(v -> send.send(Events.sseSend("done")));
  }
}
