package dev.pagi.tck.app;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.Receive;
import dev.pagi.Send;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Small building blocks shared by the probes. */
public final class Reply {
  private Reply() {}

  /**
   * Sends a complete response.
   *
   * @param send the app's send
   * @param status the status
   * @param contentType the content type
   * @param body the body
   * @return a stage completing after the final body
   */
  public static CompletionStage<Void> send(Send send, int status, String contentType, String body) {
    return send.send(Events.responseStart(status, List.of(Header.of("content-type", contentType))))
        .thenCompose(v -> send.send(Events.body(body)));
  }

  /**
   * Sends a 200 JSON response.
   *
   * @param send the app's send
   * @param value rendered with {@link Json#write}
   * @return a stage completing after the final body
   */
  public static CompletionStage<Void> json(Send send, Object value) {
    return send(send, 200, "application/json", Json.write(value));
  }

  /**
   * The P-IN probe: runs one send and reports whether it raised instead of failing the app.
   *
   * @param send the app's send
   * @param event the event to try
   * @return a stage with {@code {"raised": 0|1, "error": "<class>: <message>"}}
   */
  public static CompletionStage<Map<String, Object>> attempt(Send send, Map<String, Object> event) {
    CompletionStage<Void> stage;
    try {
      stage = send.send(event);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return stage.handle(
        (v, err) -> {
          Map<String, Object> out = new LinkedHashMap<>();
          Throwable cause =
              err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
          out.put("raised", cause == null ? 0 : 1);
          out.put(
              "error",
              cause == null ? null : cause.getClass().getName() + ": " + cause.getMessage());
          return out;
        });
  }

  /**
   * Reads the whole request body ({@code http.request} or {@code sse.request} events until {@code
   * more} is 0, or a disconnect).
   *
   * @param receive the app's receive
   * @return a stage with the body and the last event's type under {@code "last"}
   */
  public static CompletionStage<Map<String, Object>> readBody(Receive receive) {
    CompletableFuture<Map<String, Object>> done = new CompletableFuture<>();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int[] events = {0};
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
                      events[0]++;
                      String type = Events.type(e);
                      if (type.endsWith(".request")) {
                        buf.writeBytes(Events.body(e));
                        if (Events.more(e)) {
                          next[0].run();
                          return;
                        }
                      }
                      Map<String, Object> out = new LinkedHashMap<>();
                      out.put("body", buf.toByteArray());
                      out.put("events", events[0]);
                      out.put("last", e);
                      done.complete(out);
                    });
    next[0].run();
    return done;
  }
}
