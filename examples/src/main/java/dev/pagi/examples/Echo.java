package dev.pagi.examples;

import dev.pagi.PagiApp;
import dev.pagi.Scope;
import dev.pagi.WebSocket;

/**
 * WebSocket echo: every text message comes back prefixed with {@code echo: }, binary messages come
 * back as they are. Run it with {@code ExampleServer echo 8080} and connect to {@code
 * ws://127.0.0.1:8080/}.
 */
public final class Echo {
  private Echo() {}

  /**
   * @return the echo application
   */
  public static PagiApp app() {
    return (scope, receive, send) -> {
      if (!Scope.TYPE_WEBSOCKET.equals(Scope.type(scope))) {
        throw new IllegalArgumentException("the echo example serves WebSocket only");
      }
      WebSocket ws = WebSocket.of(scope, receive, send);
      return ws.accept()
          .thenCompose(
              v ->
                  ws.eachMessage(
                      m ->
                          m.get("text") instanceof String text
                              ? ws.sendText("echo: " + text)
                              : ws.sendBytes((byte[]) m.get("bytes"))));
    };
  }
}
