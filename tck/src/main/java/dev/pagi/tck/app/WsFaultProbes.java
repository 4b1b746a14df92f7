package dev.pagi.tck.app;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Fault probes for {@code websocket} scopes, under {@code /ws/fault/}.
 *
 * <ul>
 *   <li>{@code accept-crlf}: tries a {@code websocket.accept} whose header value carries CR LF,
 *       then accepts and sends the attempt's report as the first text message, then waits for the
 *       disconnect.
 *   <li>{@code deny-crlf}: tries a denial start whose header value carries CR LF, then denies with
 *       401 and the attempt's report as the body.
 *   <li>{@code deny-parts}: denies with 401, sends {@code part} (more=1), waits for the gate {@code
 *       <id>}, then sends {@code |rest} (more=0).
 *   <li>{@code fail-denying}: denies with 401, sends {@code part} (more=1), waits for the gate
 *       {@code <id>}, then fails.
 * </ul>
 */
final class WsFaultProbes implements PagiApp {

  private static final String BAD = "safe\r\nSet-Cookie: pwned=1";

  private static Map<String, Object> denyStart(List<Header> headers) {
    Map<String, Object> e = Events.of(Events.WEBSOCKET_HTTP_RESPONSE_START);
    e.put("status", 401);
    e.put("headers", headers);
    return e;
  }

  private static Map<String, Object> denyBody(String body, boolean more) {
    Map<String, Object> e = Events.of(Events.WEBSOCKET_HTTP_RESPONSE_BODY);
    e.put("body", body.getBytes(StandardCharsets.UTF_8));
    e.put("more", more ? 1 : 0);
    return e;
  }

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String name = TckApp.relativePath(scope).substring("/ws/fault/".length());
    String id = TckApp.testId(scope);
    if (!Scope.TYPE_WEBSOCKET.equals(Scope.type(scope))) {
      return Reply.send(send, 404, "text/plain", "no websocket fault probe for http");
    }
    CompletionStage<Map<String, Object>> connect = receive.receive();
    return switch (name) {
      case "accept-crlf" -> {
        Map<String, Object> bad = Events.websocketAccept();
        bad.put("headers", List.of(new Header("x-bad", BAD)));
        yield connect
            .thenCompose(e -> Reply.attempt(send, bad))
            .thenCompose(
                r ->
                    send.send(Events.websocketAccept())
                        .thenCompose(v -> send.send(Events.websocketText(Json.write(r)))))
            .thenCompose(v -> untilDisconnect(receive));
      }
      case "deny-crlf" ->
          connect
              .thenCompose(e -> Reply.attempt(send, denyStart(List.of(new Header("x-bad", BAD)))))
              .thenCompose(
                  r ->
                      send.send(denyStart(List.of(Header.of("content-type", "application/json"))))
                          .thenCompose(v -> send.send(denyBody(Json.write(r), false))));
      case "deny-parts" ->
          connect
              .thenCompose(
                  e -> send.send(denyStart(List.of(Header.of("content-type", "text/plain")))))
              .thenCompose(v -> send.send(denyBody("part", true)))
              .thenCompose(v -> ProbeRegistry.gate(id).orTimeout(10, TimeUnit.SECONDS))
              .thenCompose(v -> send.send(denyBody("|rest", false)));
      case "fail-denying" ->
          connect
              .thenCompose(
                  e -> send.send(denyStart(List.of(Header.of("content-type", "text/plain")))))
              .thenCompose(v -> send.send(denyBody("part", true)))
              .thenCompose(v -> ProbeRegistry.gate(id).orTimeout(10, TimeUnit.SECONDS))
              .thenCompose(
                  v ->
                      CompletableFuture.failedFuture(
                          new IllegalStateException("tck: failed while denying")));
      default -> connect.thenCompose(e -> send.send(Events.websocketClose(1000, "")));
    };
  }

  private static CompletionStage<Void> untilDisconnect(Receive receive) {
    return receive
        .receive()
        .thenCompose(
            e ->
                Events.WEBSOCKET_DISCONNECT.equals(Events.type(e))
                    ? CompletableFuture.completedFuture(null)
                    : untilDisconnect(receive));
  }
}
