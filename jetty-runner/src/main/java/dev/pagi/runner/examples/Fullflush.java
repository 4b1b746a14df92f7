package dev.pagi.runner.examples;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Sends a first chunk, forces it onto the wire with {@code http.fullflush} (when the server
 * advertises the {@code fullflush} extension), waits a second, then ends with a second chunk. With
 * {@code curl -N} the first line appears a second before the second.
 */
public final class Fullflush implements PagiApp {
  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    if (Scope.TYPE_LIFESPAN.equals(Scope.type(scope))) {
      return Support.lifespan(scope, receive, send);
    }
    if (!Scope.TYPE_HTTP.equals(Scope.type(scope))) {
      throw new IllegalArgumentException("fullflush serves http only");
    }
    boolean advertised = Scope.hasExtension(scope, Scope.EXT_FULLFLUSH);
    return send.send(
            Events.responseStart(
                200, List.of(Header.of("content-type", "text/plain; charset=utf-8"))))
        .thenCompose(v -> send.send(Events.body("first chunk\n".getBytes(), true)))
        .thenCompose(
            v ->
                advertised
                    ? send.send(Events.of(Events.HTTP_FULLFLUSH))
                    : java.util.concurrent.CompletableFuture.completedFuture(null))
        .thenCompose(v -> Support.delay(1000))
        .thenCompose(
            v ->
                send.send(
                    Events.body(
                        ("second chunk, one second later (fullflush "
                                + (advertised ? "advertised" : "not advertised")
                                + ")\n")
                            .getBytes(),
                        false)));
  }
}
