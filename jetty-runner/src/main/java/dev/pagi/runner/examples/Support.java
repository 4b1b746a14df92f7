package dev.pagi.runner.examples;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.Receive;
import dev.pagi.Send;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** What the example apps share: lifespan handling, small responses, an async loop, a timer. */
final class Support {
  private Support() {}

  /** One daemon timer thread for every example's delays; tasks only start sends. */
  static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "pagi-examples-timer");
            t.setDaemon(true);
            return t;
          });

  /**
   * Runs the lifespan protocol: {@code startup} fills the shared state (an exception becomes {@code
   * lifespan.startup.failed} with its message), {@code shutdown} runs on {@code lifespan.shutdown}.
   */
  static CompletionStage<Void> lifespan(
      Map<String, Object> scope,
      Receive receive,
      Send send,
      Consumer<Map<String, Object>> startup,
      Runnable shutdown) {
    @SuppressWarnings("unchecked")
    Map<String, Object> state = (Map<String, Object>) scope.get("state");
    return loop(
        () ->
            receive
                .receive()
                .thenCompose(
                    event -> {
                      String type = Events.type(event);
                      if (Events.LIFESPAN_STARTUP.equals(type)) {
                        try {
                          startup.accept(state);
                        } catch (RuntimeException e) {
                          return send.send(
                                  Map.of(
                                      Events.TYPE,
                                      Events.LIFESPAN_STARTUP_FAILED,
                                      "message",
                                      String.valueOf(e.getMessage())))
                              .thenApply(v -> false);
                        }
                        return send.send(Events.of(Events.LIFESPAN_STARTUP_COMPLETE))
                            .thenApply(v -> true);
                      }
                      shutdown.run();
                      return send.send(Events.of(Events.LIFESPAN_SHUTDOWN_COMPLETE))
                          .thenApply(v -> false);
                    }));
  }

  /** The lifespan protocol with nothing to set up or tear down. */
  static CompletionStage<Void> lifespan(Map<String, Object> scope, Receive receive, Send send) {
    return lifespan(scope, receive, send, state -> {}, () -> {});
  }

  /** A complete response with a body. */
  static CompletionStage<Void> respond(Send send, int status, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return send.send(
            Events.responseStart(
                status,
                List.of(
                    Header.of("content-type", contentType),
                    Header.of("content-length", Integer.toString(bytes.length)))))
        .thenCompose(v -> send.send(Events.body(bytes)));
  }

  static CompletionStage<Void> text(Send send, int status, String body) {
    return respond(send, status, "text/plain; charset=utf-8", body);
  }

  static CompletionStage<Void> json(Send send, int status, Object value) {
    return respond(send, status, "application/json", Json.write(value) + "\n");
  }

  static CompletionStage<Void> notFound(Send send) {
    return text(send, 404, "Not Found\n");
  }

  /**
   * Reads the whole request body event by event (never holding more than one chunk) and reports its
   * size, the number of {@code http.request} events and its SHA-256.
   */
  static CompletionStage<Map<String, Object>> digestBody(Receive receive) {
    MessageDigest sha = sha256();
    long[] counts = {0, 0};
    boolean[] disconnected = {false};
    return loop(() ->
            receive
                .receive()
                .thenApply(
                    event -> {
                      if (!Events.HTTP_REQUEST.equals(Events.type(event))) {
                        disconnected[0] = true;
                        return false;
                      }
                      byte[] chunk = Events.body(event);
                      sha.update(chunk);
                      counts[0] += chunk.length;
                      counts[1]++;
                      return Events.more(event);
                    }))
        .thenApply(
            v -> {
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("size", counts[0]);
              out.put("chunks", counts[1]);
              out.put("sha256", HexFormat.of().formatHex(sha.digest()));
              out.put("complete", !disconnected[0]);
              return out;
            });
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A stage completing after {@code millis} on the shared timer. */
  static CompletionStage<Void> delay(long millis) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    TIMER.schedule(() -> f.complete(null), millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    return f;
  }

  /**
   * Repeats {@code step} while its stage yields true. Iterates instead of recursing when steps
   * complete synchronously, so a long body does not grow the stack.
   */
  static CompletionStage<Void> loop(Supplier<CompletionStage<Boolean>> step) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    new Runnable() {
      @Override
      public void run() {
        while (true) {
          CompletableFuture<Boolean> f;
          try {
            f = step.get().toCompletableFuture();
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
          }
          if (f.isDone() && !f.isCompletedExceptionally()) {
            if (!f.join()) {
              done.complete(null);
              return;
            }
            continue;
          }
          f.whenComplete(
              (more, err) -> {
                if (err != null) {
                  done.completeExceptionally(err);
                } else if (more) {
                  run();
                } else {
                  done.complete(null);
                }
              });
          return;
        }
      }
    }.run();
    return done;
  }
}
