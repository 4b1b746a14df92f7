package dev.pagi.runner.examples;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The launcher's built-in demo: one HTML page (no build step) that shows an SSE clock with
 * reconnect, a WebSocket echo, a streaming response and a file upload that reports its size and
 * SHA-256. Routes: {@code /} the page, {@code /clock} (SSE, an event {@code tick} per second,
 * resuming its count from {@code Last-Event-ID}), {@code /echo} (WebSocket), {@code /stream}
 * (chunked text), {@code /upload} (POST, JSON report).
 */
public final class Demo implements PagiApp {
  /** Always {@code HH:mm:ss}: {@code LocalTime.toString()} drops zero seconds. */
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private static final byte[] PAGE = page();

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String type = Scope.type(scope);
    if (Scope.TYPE_LIFESPAN.equals(type)) {
      return Support.lifespan(scope, receive, send);
    }
    String path = Scope.path(scope).substring(((String) scope.get(Scope.ROOT_PATH)).length());
    if (Scope.TYPE_WEBSOCKET.equals(type)) {
      if (!path.equals("/echo")) {
        return send.send(Map.of(Events.TYPE, Events.WEBSOCKET_CLOSE, "code", 1008));
      }
      return WebSocketEcho.echo(receive, send);
    }
    if (Scope.TYPE_SSE.equals(type)) {
      if (!path.equals("/clock")) {
        return send.send(
                Map.of(
                    Events.TYPE,
                    Events.SSE_HTTP_RESPONSE_START,
                    "status",
                    404,
                    "headers",
                    List.of()))
            .thenCompose(
                v ->
                    send.send(
                        Map.of(Events.TYPE, Events.SSE_HTTP_RESPONSE_BODY, "body", new byte[0])));
      }
      return clock(scope, receive, send);
    }
    return switch (path) {
      case "", "/" ->
          send.send(
                  Events.responseStart(
                      200,
                      List.of(
                          Header.of("content-type", "text/html; charset=utf-8"),
                          Header.of("content-length", Integer.toString(PAGE.length)),
                          Header.of("cache-control", "no-cache"))))
              .thenCompose(v -> send.send(Events.body(PAGE)));
      case "/stream" -> Streaming.stream(scope, send);
      case "/upload" ->
          "POST".equals(Scope.method(scope))
              ? Support.digestBody(receive)
                  .thenCompose(
                      r ->
                          Boolean.TRUE.equals(r.get("complete"))
                              ? Support.json(send, 200, r)
                              : CompletableFuture.completedFuture(null))
              : Support.text(send, 405, "POST a file here\n");
      case "/clock" -> Support.text(send, 406, "Ask for text/event-stream\n");
      default -> Support.notFound(send);
    };
  }

  /** One {@code tick} event per second until the client leaves or the server shuts down. */
  private static CompletionStage<Void> clock(
      Map<String, Object> scope, Receive receive, Send send) {
    long first = 1;
    String last = Scope.header(scope, "last-event-id");
    if (last != null) {
      try {
        first = Long.parseLong(last.trim()) + 1;
      } catch (NumberFormatException e) {
        first = 1;
      }
    }
    AtomicBoolean open = new AtomicBoolean(true);
    CompletableFuture<Void> done = new CompletableFuture<>();
    Support.loop(
            () -> receive.receive().thenApply(e -> !Events.SSE_DISCONNECT.equals(Events.type(e))))
        .whenComplete(
            (v, err) -> {
              open.set(false);
              done.complete(null);
            });
    long[] id = {first};
    boolean[] firstEvent = {true};
    send.send(
            Map.of(
                Events.TYPE,
                Events.SSE_START,
                "status",
                200,
                "headers",
                List.of(Header.of("content-type", "text/event-stream"))))
        .thenCompose(
            v ->
                Support.loop(
                    () -> {
                      if (!open.get()) {
                        return CompletableFuture.completedFuture(false);
                      }
                      Map<String, Object> tick = new LinkedHashMap<>();
                      tick.put(Events.TYPE, Events.SSE_SEND);
                      tick.put("event", "tick");
                      tick.put("id", Long.toString(id[0]++));
                      tick.put("data", LocalTime.now().format(CLOCK));
                      if (firstEvent[0]) {
                        tick.put("retry", 2000);
                        firstEvent[0] = false;
                      }
                      return send.send(tick)
                          .thenCompose(x -> Support.delay(1000))
                          .thenApply(x -> open.get());
                    }))
        .whenComplete(
            (v, err) -> {
              open.set(false);
              done.complete(null);
            });
    return done;
  }

  private static byte[] page() {
    try (InputStream in = Demo.class.getResourceAsStream("demo.html")) {
      if (in == null) {
        throw new IllegalStateException("demo.html missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
