package dev.pagi.servlet;

import dev.pagi.Events;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Send;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Small WebSocket apps for adapter tests; each records every event it receives. */
final class WsApps {
  private WsApps() {}

  /** Events an app received, plus the scope it got, in arrival order. */
  static final class Seen {
    final BlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
    final CompletableFuture<Map<String, Object>> scope = new CompletableFuture<>();
    final CompletableFuture<Throwable> done = new CompletableFuture<>();

    Map<String, Object> next() throws InterruptedException {
      Map<String, Object> e = events.poll(10, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError("the app received nothing within 10 s");
      }
      return e;
    }

    /** The next event of the given type, skipping others. */
    Map<String, Object> next(String type) throws InterruptedException {
      Map<String, Object> e;
      do {
        e = next();
      } while (!Events.type(e).equals(type));
      return e;
    }
  }

  /**
   * Receives until {@code websocket.disconnect}, calling {@code onMessage} for each {@code
   * websocket.receive} (its stage is awaited before the next receive).
   */
  static CompletionStage<Void> loop(
      Receive receive, Seen seen, Function<Map<String, Object>, CompletionStage<?>> onMessage) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable[] next = new Runnable[1];
    next[0] =
        () ->
            receive
                .receive()
                .whenComplete(
                    (e, err) -> {
                      if (err != null) {
                        done.completeExceptionally(err);
                        return;
                      }
                      seen.events.add(e);
                      if (Events.type(e).equals(Events.WEBSOCKET_DISCONNECT)) {
                        done.complete(null);
                        return;
                      }
                      onMessage
                          .apply(e)
                          .whenComplete(
                              (v, err2) -> {
                                if (err2 != null) {
                                  done.completeExceptionally(err2);
                                } else {
                                  next[0].run();
                                }
                              });
                    });
    next[0].run();
    return done;
  }

  /** Accepts (with {@code accept} as the event) and echoes every message. */
  static PagiApp echo(Seen seen, Map<String, Object> accept) {
    return (scope, receive, send) -> {
      seen.scope.complete(scope);
      CompletionStage<Void> run =
          receive
              .receive()
              .thenCompose(
                  connect -> {
                    seen.events.add(connect);
                    return send.send(accept);
                  })
              .thenCompose(v -> loop(receive, seen, e -> echoOne(send, e)));
      return run.whenComplete((v, t) -> seen.done.complete(t));
    };
  }

  static PagiApp echo(Seen seen) {
    return echo(seen, Events.websocketAccept());
  }

  static CompletionStage<Void> echoOne(Send send, Map<String, Object> e) {
    Map<String, Object> out = Events.of(Events.WEBSOCKET_SEND);
    if (e.get("text") != null) {
      out.put("text", e.get("text"));
    } else {
      out.put("bytes", e.get("bytes"));
    }
    return send.send(out);
  }
}
