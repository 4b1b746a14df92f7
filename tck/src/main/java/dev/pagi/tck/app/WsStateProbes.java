package dev.pagi.tck.app;

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
 * The {@code websocket} state × event table, under {@code /ws/state/<state>/<event>?tck=<id>}:
 * drives the connection into one state, tries one send event there, records {@code attempt} ({@code
 * state}, {@code event}, {@code raised}, {@code error}) on the side channel, then finishes the way
 * the state allows, so the client can see on the wire whether the event took effect.
 *
 * <p>States: {@code connecting} ({@code websocket.connect} received, nothing sent), {@code open}
 * (accepted, and the client's first message {@code hello} received), {@code closing} (the same,
 * then {@code websocket.close} 4000 {@code closing}; the client holds back its answer), {@code
 * denied} (a denial 401 with body {@code denied}, tried once the gate {@code <id>} says the client
 * read the whole response) and {@code gone} (accepted, records {@code ready}, tried after {@code
 * websocket.disconnect}).
 *
 * <p>Events: {@code accept} ({@code x-attempt: accept}), {@code send-text} and {@code send-bytes}
 * ({@code ATTEMPT}), {@code close} (4001 {@code attempt}), {@code keepalive} (every 50 ms), {@code
 * deny-start} (401, {@code x-attempt: deny}), {@code deny-body} ({@code ATTEMPT}), {@code foreign}
 * ({@code http.response.body}) and {@code unknown} ({@code websocket.bogus}).
 *
 * <p>Finishing: in {@code connecting} an accepted denial start gets the body {@code denied}; unless
 * the attempt decided the handshake, the probe accepts. Wherever a connection is open it then sends
 * the text {@code end} and waits for the disconnect.
 */
final class WsStateProbes implements PagiApp {

  /** The events tried, by name. */
  static final Map<String, Supplier<Map<String, Object>>> EVENTS = new LinkedHashMap<>();

  static {
    EVENTS.put(
        "accept",
        () -> {
          Map<String, Object> e = Events.websocketAccept();
          e.put("headers", List.of(Header.of("x-attempt", "accept")));
          return e;
        });
    EVENTS.put("send-text", () -> Events.websocketText("ATTEMPT"));
    EVENTS.put("send-bytes", () -> Events.websocketBytes(bytes("ATTEMPT")));
    EVENTS.put("close", () -> Events.websocketClose(4001, "attempt"));
    EVENTS.put(
        "keepalive",
        () -> {
          Map<String, Object> e = Events.of(Events.WEBSOCKET_KEEPALIVE);
          e.put("interval", 0.05);
          return e;
        });
    EVENTS.put(
        "deny-start",
        () ->
            denyStart(
                List.of(Header.of("content-type", "text/plain"), Header.of("x-attempt", "deny"))));
    EVENTS.put("deny-body", () -> denyBody("ATTEMPT"));
    EVENTS.put("foreign", () -> Events.body("ATTEMPT"));
    EVENTS.put("unknown", () -> Events.of("websocket.bogus"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, Object> denyStart(List<Header> headers) {
    Map<String, Object> e = Events.of(Events.WEBSOCKET_HTTP_RESPONSE_START);
    e.put("status", 401);
    e.put("headers", headers);
    return e;
  }

  private static Map<String, Object> denyBody(String body) {
    Map<String, Object> e = Events.of(Events.WEBSOCKET_HTTP_RESPONSE_BODY);
    e.put("body", bytes(body));
    return e;
  }

  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String[] parts = TckApp.relativePath(scope).substring("/ws/state/".length()).split("/");
    Supplier<Map<String, Object>> event = parts.length == 2 ? EVENTS.get(parts[1]) : null;
    if (!Scope.TYPE_WEBSOCKET.equals(Scope.type(scope)) || event == null) {
      return Reply.send(send, 404, "text/plain", "no websocket state probe here");
    }
    String state = parts[0];
    String id = TckApp.testId(scope);
    CompletionStage<Void> connected = receive.receive().thenAccept(e -> {});
    CompletionStage<Void> ready =
        switch (state) {
          case "connecting" -> connected;
          case "open" -> connected.thenCompose(v -> acceptAndHello(send, receive));
          case "closing" ->
              connected
                  .thenCompose(v -> acceptAndHello(send, receive))
                  .thenCompose(v -> send.send(Events.websocketClose(4000, "closing")));
          case "denied" ->
              connected
                  .thenCompose(
                      v -> send.send(denyStart(List.of(Header.of("content-type", "text/plain")))))
                  .thenCompose(v -> send.send(denyBody("denied")))
                  .thenCompose(
                      v ->
                          ProbeRegistry.gate(id)
                              .orTimeout(10, TimeUnit.SECONDS)
                              .exceptionally(timeout -> null));
          case "gone" ->
              connected
                  .thenCompose(v -> send.send(Events.websocketAccept()))
                  .thenCompose(
                      v -> {
                        ProbeRegistry.record(id, "ready");
                        return untilDisconnect(receive);
                      });
          default -> null;
        };
    if (ready == null) {
      return send.send(Events.websocketClose(1000, ""));
    }
    return ready
        .thenCompose(v -> Reply.attempt(send, event.get()))
        .thenCompose(
            result -> {
              Map<String, Object> rec = new LinkedHashMap<>(result);
              rec.put("state", state);
              rec.put("event", parts[1]);
              ProbeRegistry.record(id, "attempt", rec);
              return finish(state, parts[1], result.get("raised").equals(0), send, receive);
            });
  }

  private static CompletionStage<Void> acceptAndHello(Send send, Receive receive) {
    return send.send(Events.websocketAccept())
        .thenCompose(v -> receive.receive())
        .thenAccept(e -> {});
  }

  /** Receives until {@code websocket.disconnect}. */
  private static CompletionStage<Void> untilDisconnect(Receive receive) {
    return receive
        .receive()
        .thenCompose(
            e ->
                Events.WEBSOCKET_DISCONNECT.equals(Events.type(e))
                    ? DONE
                    : untilDisconnect(receive));
  }

  private static CompletionStage<Void> finish(
      String state, String event, boolean accepted, Send send, Receive receive) {
    CompletionStage<Void> open;
    switch (state) {
      case "connecting" -> {
        if (accepted && event.equals("deny-start")) {
          return send.send(denyBody("denied"));
        }
        if (accepted && event.equals("close")) {
          return DONE;
        }
        open =
            accepted && event.equals("accept")
                ? DONE
                : Reply.attempt(send, Events.websocketAccept()).thenAccept(r -> {});
      }
      case "open" -> open = DONE;
      default -> {
        return DONE;
      }
    }
    return open.thenCompose(v -> Reply.attempt(send, Events.websocketText("end")))
        .thenCompose(r -> untilDisconnect(receive));
  }
}
