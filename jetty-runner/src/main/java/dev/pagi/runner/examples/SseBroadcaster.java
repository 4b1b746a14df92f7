package dev.pagi.runner.examples;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A chat-style broadcaster. {@code GET /} with {@code Accept: text/event-stream} subscribes ({@code
 * sse} scope); {@code POST /} with a text body publishes it to every subscriber as an event {@code
 * message} with an increasing {@code id}. Try: {@code curl -N -H 'Accept: text/event-stream' URL}
 * in one terminal and {@code curl -d hi URL} in another.
 */
public final class SseBroadcaster implements PagiApp {
  private final Set<Send> subscribers = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    return switch (Scope.type(scope)) {
      case Scope.TYPE_LIFESPAN -> Support.lifespan(scope, receive, send);
      case Scope.TYPE_SSE -> subscribe(receive, send);
      case Scope.TYPE_HTTP -> publish(scope, receive, send);
      default -> throw new IllegalArgumentException("unsupported scope " + Scope.type(scope));
    };
  }

  private CompletionStage<Void> subscribe(Receive receive, Send send) {
    return send.send(
            Map.of(
                Events.TYPE,
                Events.SSE_START,
                "status",
                200,
                "headers",
                List.of(Header.of("content-type", "text/event-stream"))))
        .thenCompose(
            v -> {
              subscribers.add(send);
              return Support.loop(
                  () ->
                      receive
                          .receive()
                          .thenApply(
                              e -> {
                                if (!Events.SSE_DISCONNECT.equals(Events.type(e))) {
                                  return true;
                                }
                                System.err.println(
                                    "sse-broadcaster: subscriber left: " + e.get("reason"));
                                return false;
                              }));
            })
        .whenComplete((v, err) -> subscribers.remove(send));
  }

  private CompletionStage<Void> publish(Map<String, Object> scope, Receive receive, Send send) {
    if (!"POST".equals(Scope.method(scope))) {
      return Support.text(
          send,
          200,
          subscribers.size()
              + " subscriber(s). Subscribe with Accept: text/event-stream; publish with POST.\n");
    }
    StringBuilder body = new StringBuilder();
    return Support.loop(
            () ->
                receive
                    .receive()
                    .thenApply(
                        e -> {
                          if (!Events.HTTP_REQUEST.equals(Events.type(e))) {
                            return false;
                          }
                          if (body.length() < 64 * 1024) {
                            body.append(new String(Events.body(e), StandardCharsets.UTF_8));
                          }
                          return Events.more(e);
                        }))
        .thenCompose(
            v -> {
              String id = Long.toString(ids.incrementAndGet());
              CompletableFuture<?>[] sends =
                  subscribers.stream()
                      .map(
                          s ->
                              s.send(
                                      Map.of(
                                          Events.TYPE,
                                          Events.SSE_SEND,
                                          "event",
                                          "message",
                                          "id",
                                          id,
                                          "data",
                                          body.toString()))
                                  .toCompletableFuture()
                                  .exceptionally(err -> null))
                      .toArray(CompletableFuture[]::new);
              return CompletableFuture.allOf(sends)
                  .thenCompose(
                      x -> Support.text(send, 202, "sent to " + sends.length + " subscriber(s)\n"));
            });
  }
}
