package dev.pagi.tck.app;

import dev.pagi.Events;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Send;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Probes for {@code http} scopes, under {@code /http/}.
 *
 * <ul>
 *   <li>{@code /http/echo}: P-ECHO, the scope and the request body as JSON.
 *   <li>{@code /http/raise/<case>}: P-IN, tries one invalid send named by {@code case} (see {@link
 *       #INVALID}) before the response starts and answers {@code {"raised":0|1,"error":...}}.
 * </ul>
 */
final class HttpProbes implements PagiApp {

  /** Invalid (or, for {@code extra-field}, valid) events by case name, for P-IN probes. */
  static final Map<String, Supplier<Map<String, Object>>> INVALID = new LinkedHashMap<>();

  static {
    INVALID.put("unknown-type", () -> Events.of("http.bogus"));
    INVALID.put("missing-type", () -> new LinkedHashMap<>());
    INVALID.put("sse-start-in-http", () -> Events.of(Events.SSE_START));
    INVALID.put("websocket-accept-in-http", () -> Events.of(Events.WEBSOCKET_ACCEPT));
    INVALID.put("start-without-status", () -> Events.of(Events.HTTP_RESPONSE_START));
    INVALID.put(
        "start-status-not-integer",
        () -> with(Events.of(Events.HTTP_RESPONSE_START), "status", "200"));
    INVALID.put(
        "start-headers-not-array",
        () -> with(Events.responseStart(200, List.of()), "headers", "x: y"));
  }

  private static Map<String, Object> with(Map<String, Object> event, String key, Object value) {
    event.put(key, value);
    return event;
  }

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String path = TckApp.relativePath(scope);
    if (path.equals("/http/echo")) {
      return Reply.readBody(receive)
          .thenCompose(
              read -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("scope", scope);
                out.put("body", read.get("body"));
                out.put("events", read.get("events"));
                return Reply.json(send, out);
              });
    }
    if (path.startsWith("/http/raise/")) {
      Supplier<Map<String, Object>> event = INVALID.get(path.substring("/http/raise/".length()));
      if (event == null) {
        return Reply.send(send, 404, "text/plain", "unknown raise case " + path);
      }
      return Reply.attempt(send, event.get()).thenCompose(result -> Reply.json(send, result));
    }
    return Reply.send(send, 404, "text/plain", "no http probe at " + path);
  }
}
