package dev.pagi.runner.examples;

import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Reads the request body as {@code http.request} events, one chunk at a time (a slow app pushes
 * back on the client instead of buffering), and answers JSON with its {@code size}, the number of
 * {@code chunks} and its {@code sha256}.
 */
public final class RequestBody implements PagiApp {
  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    if (Scope.TYPE_LIFESPAN.equals(Scope.type(scope))) {
      return Support.lifespan(scope, receive, send);
    }
    if (!Scope.TYPE_HTTP.equals(Scope.type(scope))) {
      throw new IllegalArgumentException("request-body serves http only, not " + Scope.type(scope));
    }
    return Support.digestBody(receive)
        .thenCompose(
            report ->
                Boolean.TRUE.equals(report.get("complete"))
                    ? Support.json(send, 200, report)
                    : java.util.concurrent.CompletableFuture.completedFuture(null));
  }
}
