package dev.pagi.tck.app;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import dev.pagi.Transport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Probes for {@code websocket} scopes, under {@code /ws/}. Each records what it receives under the
 * test id ({@code ?tck=<id>}): {@code connect}, every {@code receive} ({@code text} or {@code
 * bytes} length), every {@code disconnect} ({@code code}, {@code reason}).
 *
 * <ul>
 *   <li>{@code /ws/echo[?subprotocol=p]}: accepts and echoes; the text {@code scope} is answered
 *       with the scope as JSON (P-ECHO), {@code close:<code>:<reason>} with that close. On
 *       disconnect it calls {@code receive} once more and records that event too (rule 43), then
 *       tries a send and records {@code late-send}.
 *   <li>{@code /ws/reject}: {@code websocket.close} before accept.
 *   <li>{@code /ws/deny?status=<n>&chunks=<k>}: a denial with {@code x-deny: auth} and the body
 *       {@code {"error":"unauthorized"}} in {@code k} chunks.
 *   <li>{@code /ws/hold}: records {@code connect}, then waits until {@code GET /ws/go?tck=<id>}
 *       before it accepts and echoes (rules 36, 39).
 *   <li>{@code /ws/stall}: accepts, then waits for {@code /ws/go} before it starts receiving.
 *   <li>{@code /ws/ignored}: sends {@code websocket.send} and {@code websocket.keepalive} before
 *       accept, then accepts twice and sends both denial events, and reports with a text message
 *       {@code {"raised":[...]}} which of them raised (rules 37, 38, 41).
 *   <li>{@code /ws/raise/<case>}: accepts, tries one invalid send (see {@link #INVALID}), then
 *       echoes; the text {@code report} is answered with {@code {"raised":0|1,"error":...}} (P-IN).
 *       The client speaks first, so the report never races the handshake.
 *   <li>{@code /ws/raise-accept}: tries an accept whose subprotocol carries CR LF, records the
 *       outcome as {@code accept-raised}, then closes (403).
 *   <li>{@code /ws/close?code=<c>&reason=<r>}: accepts, closes, then tries a text send.
 *   <li>{@code /ws/keepalive?interval=<s>&timeout=<s>}: accepts, starts keepalive, receives.
 *   <li>{@code /ws/throw-before}, {@code /ws/throw-after}: fail before or after accept.
 *   <li>{@code /ws/burst}: accepts, registers flow-control callbacks, sends 16 KiB messages until a
 *       send waits and records {@code buffered}; after the drain it records {@code drained}.
 * </ul>
 */
final class WsProbes implements PagiApp {

  /** Invalid events by case name, tried after accept (P-IN). */
  static final Map<String, Supplier<Map<String, Object>>> INVALID = new LinkedHashMap<>();

  static {
    INVALID.put("unknown-type", () -> Events.of("websocket.bogus"));
    INVALID.put("http-in-websocket", () -> Events.responseStart(200, List.of()));
    INVALID.put("send-both", () -> with(Events.websocketText("a"), "bytes", new byte[] {1}));
    INVALID.put("send-neither", () -> Events.of(Events.WEBSOCKET_SEND));
    INVALID.put("close-code-not-integer", () -> with(Events.websocketClose(1000, ""), "code", "x"));
    INVALID.put("close-code-invalid", () -> Events.websocketClose(1005, ""));
    INVALID.put("keepalive-without-interval", () -> Events.of(Events.WEBSOCKET_KEEPALIVE));
    INVALID.put(
        "accept-headers-not-array", () -> with(Events.websocketAccept(), "headers", "x: y"));
  }

  private static final Map<String, CompletableFuture<Void>> GO = new ConcurrentHashMap<>();

  private static Map<String, Object> with(Map<String, Object> event, String key, Object value) {
    event.put(key, value);
    return event;
  }

  private static CompletableFuture<Void> go(String id) {
    return GO.computeIfAbsent(String.valueOf(id), k -> new CompletableFuture<>());
  }

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String path = TckApp.relativePath(scope);
    String id = TckApp.testId(scope);
    if (!Scope.TYPE_WEBSOCKET.equals(Scope.type(scope))) {
      if (path.equals("/ws/go")) {
        go(id).complete(null);
        return Reply.send(send, 200, "text/plain", "go");
      }
      return Reply.send(send, 404, "text/plain", "no websocket probe for http at " + path);
    }
    Probe p = new Probe(scope, receive, send, id);
    return switch (path) {
      case "/ws/echo" -> p.connect().thenCompose(v -> p.accept()).thenCompose(v -> p.echoLoop());
      case "/ws/reject" ->
          p.connect().thenCompose(v -> send.send(Events.websocketClose(4003, "go away")));
      case "/ws/deny" -> p.connect().thenCompose(v -> p.deny());
      case "/ws/hold" ->
          p.connect()
              .thenCompose(v -> go(id))
              .thenCompose(v -> p.accept())
              .thenCompose(v -> p.echoLoop());
      case "/ws/stall" ->
          p.connect()
              .thenCompose(v -> p.accept())
              .thenCompose(v -> go(id))
              .thenCompose(v -> p.loop(e -> CompletableFuture.completedFuture(null)));
      case "/ws/ignored" -> p.connect().thenCompose(v -> p.ignored());
      case "/ws/raise-accept" -> p.connect().thenCompose(v -> p.raiseAccept());
      case "/ws/close" -> p.connect().thenCompose(v -> p.accept()).thenCompose(v -> p.close());
      case "/ws/keepalive" ->
          p.connect()
              .thenCompose(v -> p.accept())
              .thenCompose(v -> send.send(p.keepalive()))
              .thenCompose(v -> p.echoLoop());
      case "/ws/throw-before" ->
          p.connect()
              .thenCompose(
                  v -> CompletableFuture.failedFuture(new IllegalStateException("tck: before")));
      case "/ws/throw-after" ->
          p.connect()
              .thenCompose(v -> p.accept())
              .thenCompose(
                  v -> CompletableFuture.failedFuture(new IllegalStateException("tck: after")));
      case "/ws/burst" -> p.connect().thenCompose(v -> p.accept()).thenCompose(v -> p.burst());
      default -> {
        if (path.startsWith("/ws/raise/")) {
          Supplier<Map<String, Object>> bad = INVALID.get(path.substring("/ws/raise/".length()));
          if (bad != null) {
            yield p.connect()
                .thenCompose(v -> p.accept())
                .thenCompose(v -> Reply.attempt(send, bad.get()))
                .thenCompose(
                    r -> {
                      p.report = Json.write(r);
                      return p.echoLoop();
                    });
          }
        }
        yield p.connect().thenCompose(v -> send.send(Events.websocketClose(1000, "")));
      }
    };
  }

  /** One connection of a probe. */
  private static final class Probe {
    final Map<String, Object> scope;
    final Receive receive;
    final Send send;
    final String id;
    volatile String report;

    Probe(Map<String, Object> scope, Receive receive, Send send, String id) {
      this.scope = scope;
      this.receive = receive;
      this.send = send;
      this.id = id;
    }

    String query(String name, String otherwise) {
      String v = TckApp.query(scope, name);
      return v == null ? otherwise : v;
    }

    CompletionStage<Void> connect() {
      return receive.receive().thenAccept(e -> ProbeRegistry.record(id, Events.type(e)));
    }

    CompletionStage<Void> accept() {
      Map<String, Object> accept = Events.websocketAccept();
      String sub = TckApp.query(scope, "subprotocol");
      if (sub != null) {
        accept.put("subprotocol", sub);
      }
      return send.send(accept);
    }

    /**
     * Receives until the disconnect, recording each event and handing messages to {@code each}.
     * Iterates while events are already queued, so a long backlog cannot grow the stack.
     */
    CompletionStage<Map<String, Object>> loop(
        Function<Map<String, Object>, CompletionStage<?>> each) {
      CompletableFuture<Map<String, Object>> done = new CompletableFuture<>();
      drain(each, done);
      return done;
    }

    private void drain(
        Function<Map<String, Object>, CompletionStage<?>> each,
        CompletableFuture<Map<String, Object>> done) {
      while (true) {
        CompletableFuture<Map<String, Object>> next = receive.receive().toCompletableFuture();
        if (!next.isDone()) {
          next.whenComplete(
              (e, err) -> {
                if (step(each, done, e, err)) {
                  drain(each, done);
                }
              });
          return;
        }
        Map<String, Object> e;
        try {
          e = next.join();
        } catch (RuntimeException err) {
          done.completeExceptionally(err);
          return;
        }
        if (!step(each, done, e, null)) {
          return;
        }
      }
    }

    /** Handles one event; true when the loop may continue on this thread at once. */
    private boolean step(
        Function<Map<String, Object>, CompletionStage<?>> each,
        CompletableFuture<Map<String, Object>> done,
        Map<String, Object> e,
        Throwable err) {
      if (err != null) {
        done.completeExceptionally(err);
        return false;
      }
      record(e);
      if (Events.type(e).equals(Events.WEBSOCKET_DISCONNECT)) {
        done.complete(e);
        return false;
      }
      CompletableFuture<?> handled = each.apply(e).toCompletableFuture();
      if (handled.isDone() && !handled.isCompletedExceptionally()) {
        return true;
      }
      handled.whenComplete(
          (v, err2) -> {
            if (err2 != null) {
              done.completeExceptionally(err2);
            } else {
              drain(each, done);
            }
          });
      return false;
    }

    void record(Map<String, Object> e) {
      Map<String, Object> detail = new LinkedHashMap<>();
      for (String k : List.of("code", "reason", "text")) {
        if (e.containsKey(k)) {
          detail.put(k, e.get(k));
        }
      }
      if (e.get("bytes") instanceof byte[] b) {
        detail.put("bytes", b.length);
      }
      ProbeRegistry.record(id, Events.type(e), detail);
    }

    /** Echoes; after the disconnect: one more receive and one send, both recorded. */
    CompletionStage<Void> echoLoop() {
      return loop(this::echo)
          .thenCompose(d -> receive.receive())
          .thenCompose(
              again -> {
                ProbeRegistry.record(id, "after-disconnect", Map.of("type", Events.type(again)));
                return Reply.attempt(send, Events.websocketText("late"));
              })
          .thenAccept(r -> ProbeRegistry.record(id, "late-send", r));
    }

    CompletionStage<?> echo(Map<String, Object> e) {
      if ("scope".equals(e.get("text"))) {
        return send.send(Events.websocketText(Json.write(scope)));
      }
      if ("report".equals(e.get("text")) && report != null) {
        return send.send(Events.websocketText(report));
      }
      if (e.get("text") instanceof String t && t.startsWith("close:")) {
        String[] parts = t.split(":", 3);
        return send.send(Events.websocketClose(Integer.parseInt(parts[1]), parts[2]));
      }
      Map<String, Object> out = Events.of(Events.WEBSOCKET_SEND);
      if (e.get("text") != null) {
        out.put("text", e.get("text"));
      } else {
        out.put("bytes", e.get("bytes"));
      }
      return send.send(out);
    }

    CompletionStage<Void> deny() {
      int status = Integer.parseInt(query("status", "401"));
      int chunks = Integer.parseInt(query("chunks", "1"));
      Map<String, Object> start = Events.of(Events.WEBSOCKET_HTTP_RESPONSE_START);
      start.put("status", status);
      start.put(
          "headers",
          List.of(
              Header.of("content-type", "application/json"),
              Header.of("x-deny", "auth"),
              Header.of("retry-after", "7")));
      byte[] body =
          "{\"error\":\"unauthorized\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      CompletionStage<Void> stage = send.send(start);
      int size = (body.length + chunks - 1) / chunks;
      for (int i = 0; i < chunks; i++) {
        int from = i * size;
        int to = Math.min(body.length, from + size);
        Map<String, Object> chunk = Events.of(Events.WEBSOCKET_HTTP_RESPONSE_BODY);
        chunk.put("body", java.util.Arrays.copyOfRange(body, from, to));
        chunk.put("more", i < chunks - 1 ? 1 : 0);
        stage = stage.thenCompose(v -> send.send(chunk));
      }
      return stage;
    }

    /** Events that must be ignored, not raise: the report says which raised. */
    CompletionStage<Void> ignored() {
      List<Object> raised = new ArrayList<>();
      Map<String, Object> keepalive = Events.of(Events.WEBSOCKET_KEEPALIVE);
      keepalive.put("interval", 0.05);
      Map<String, Object> denyStart = Events.of(Events.WEBSOCKET_HTTP_RESPONSE_START);
      denyStart.put("status", 401);
      Map<String, Object> denyBody = Events.of(Events.WEBSOCKET_HTTP_RESPONSE_BODY);
      denyBody.put("body", "nope".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      Function<Map<String, Object>, Function<Void, CompletionStage<Void>>> tryIt =
          event ->
              v ->
                  Reply.attempt(send, event)
                      .thenAccept(r -> raised.add(Map.of(Events.type(event), r.get("raised"))));
      return CompletableFuture.<Void>completedFuture(null)
          .thenCompose(tryIt.apply(Events.websocketText("before accept")))
          .thenCompose(tryIt.apply(keepalive))
          .thenCompose(v -> send.send(Events.websocketAccept()))
          .thenCompose(tryIt.apply(Events.websocketAccept()))
          .thenCompose(tryIt.apply(denyStart))
          .thenCompose(tryIt.apply(denyBody))
          .thenCompose(v -> send.send(Events.websocketText(Json.write(Map.of("raised", raised)))))
          .thenCompose(v -> echoLoop());
    }

    CompletionStage<Void> raiseAccept() {
      Map<String, Object> accept = Events.websocketAccept();
      accept.put("subprotocol", "chat\r\nX-Injected: yes");
      return Reply.attempt(send, accept)
          .thenCompose(
              r -> {
                ProbeRegistry.record(id, "accept-raised", r);
                return send.send(Events.websocketClose(1000, ""));
              });
    }

    CompletionStage<Void> close() {
      int code = Integer.parseInt(query("code", "1000"));
      String reason = query("reason", "");
      return send.send(Events.websocketClose(code, reason))
          .thenCompose(v -> Reply.attempt(send, Events.websocketText("after close")))
          .thenCompose(
              r -> {
                ProbeRegistry.record(id, "send-after-close", r);
                return loop(e -> CompletableFuture.completedFuture(null));
              })
          .thenApply(d -> null);
    }

    Map<String, Object> keepalive() {
      Map<String, Object> k = Events.of(Events.WEBSOCKET_KEEPALIVE);
      k.put("interval", Double.parseDouble(query("interval", "0.5")));
      String timeout = TckApp.query(scope, "timeout");
      if (timeout != null) {
        k.put("timeout", Double.parseDouble(timeout));
      }
      return k;
    }

    /** Sends until a send waits, records the transport's view, then waits for the drain. */
    CompletionStage<Void> burst() {
      Transport t = Scope.transport(scope);
      if (t == null) {
        ProbeRegistry.record(id, "no-transport");
        return loop(e -> CompletableFuture.completedFuture(null)).thenApply(d -> null);
      }
      t.onHighWater(() -> ProbeRegistry.record(id, "high"));
      t.onDrain(() -> ProbeRegistry.record(id, "drain"));
      byte[] chunk = new byte[16 * 1024];
      for (int sent = 1; sent <= 4096; sent++) {
        CompletionStage<Void> s = send.send(Events.websocketBytes(chunk));
        if (!s.toCompletableFuture().isDone()) {
          Map<String, Object> view = new LinkedHashMap<>();
          view.put("buffered", t.bufferedAmount());
          view.put("high", t.highWaterMark());
          view.put("low", t.lowWaterMark());
          view.put("sent", sent);
          ProbeRegistry.record(id, "waiting", view);
          return s.thenCompose(
                  v -> {
                    ProbeRegistry.record(id, "released", Map.of("buffered", t.bufferedAmount()));
                    return loop(e -> CompletableFuture.completedFuture(null));
                  })
              .thenApply(d -> null);
        }
      }
      ProbeRegistry.record(id, "never-waited");
      return loop(e -> CompletableFuture.completedFuture(null)).thenApply(d -> null);
    }
  }
}
