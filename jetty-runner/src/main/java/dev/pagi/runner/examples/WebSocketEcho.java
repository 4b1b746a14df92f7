package dev.pagi.runner.examples;

import dev.pagi.Events;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Accepts every WebSocket and sends each text or binary message straight back; a plain HTTP request
 * gets a hint instead.
 */
public final class WebSocketEcho implements PagiApp {
  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    return switch (Scope.type(scope)) {
      case Scope.TYPE_LIFESPAN -> Support.lifespan(scope, receive, send);
      case Scope.TYPE_WEBSOCKET -> echo(receive, send);
      case Scope.TYPE_HTTP -> Support.text(send, 200, "Connect a WebSocket client to this URL.\n");
      default -> throw new IllegalArgumentException("unsupported scope " + Scope.type(scope));
    };
  }

  /**
   * The echo loop, usable inside other apps: accepts on {@code websocket.connect} (if it has not
   * been received yet), then sends every message back until {@code websocket.disconnect}.
   *
   * @param receive the scope's receive
   * @param send the scope's send
   * @return completes after the disconnect
   */
  public static CompletionStage<Void> echo(Receive receive, Send send) {
    return Support.loop(
        () ->
            receive
                .receive()
                .thenCompose(
                    event -> {
                      String type = Events.type(event);
                      if (Events.WEBSOCKET_CONNECT.equals(type)) {
                        return send.send(Events.of(Events.WEBSOCKET_ACCEPT)).thenApply(v -> true);
                      }
                      if (Events.WEBSOCKET_RECEIVE.equals(type)) {
                        Map<String, Object> reply = new LinkedHashMap<>();
                        reply.put(Events.TYPE, Events.WEBSOCKET_SEND);
                        if (event.get("text") != null) {
                          reply.put("text", event.get("text"));
                        } else {
                          reply.put("bytes", event.get("bytes"));
                        }
                        return send.send(reply).thenApply(v -> true);
                      }
                      return CompletableFuture.completedFuture(false);
                    }));
  }
}
