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

  /**
   * Sends {@code http.response.start}.
   *
   * @param send the app's send
   * @param status the status
   * @param headers name, value, name, value, ...
   * @return the send's stage
   */
  public static CompletionStage<Void> start(Send send, int status, String... headers) {
    List<Header> list = new java.util.ArrayList<>();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      list.add(Header.of(headers[i], headers[i + 1]));
    }
    return send.send(Events.responseStart(status, list));
  }

  /**
   * Sends one {@code http.response.body} with text.
   *
   * @param send the app's send
   * @param text UTF-8 body bytes
   * @param more whether more body follows
   * @return the send's stage
   */
  public static CompletionStage<Void> chunk(Send send, String text, boolean more) {
    return send.send(Events.body(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), more));
  }

  /**
   * Receives until {@code http.disconnect} (or any event that is not {@code http.request}).
   *
   * @param receive the app's receive
   * @return a stage with the types of every event received, the disconnect last
   */
  public static CompletionStage<List<String>> untilDisconnect(Receive receive) {
    CompletableFuture<List<String>> done = new CompletableFuture<>();
    List<String> seen = new java.util.ArrayList<>();
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
                      String type = Events.type(e);
                      seen.add(type);
                      if (type.equals(Events.HTTP_REQUEST)) {
                        next[0].run();
                      } else {
                        done.complete(seen);
                      }
                    });
    next[0].run();
    return done;
  }

  /**
   * @param t a failure, possibly wrapped
   * @return {@code "<class>: <message>"} of the cause, or {@code null}
   */
  public static String describe(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return cause == null ? null : cause.getClass().getName() + ": " + cause.getMessage();
  }
}
