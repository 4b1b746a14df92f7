package com.example;

import dev.pagi.*;
import java.util.List;

public final class Hello implements PagiApp {
  @Override
  public java.util.concurrent.CompletionStage<?> call(
      java.util.Map<String, Object> scope, Receive receive, Send send) {
    if (!Scope.TYPE_HTTP.equals(Scope.type(scope))) {
      // Lifespan (and any scope type we do not serve): decline by raising.
      throw new IllegalArgumentException("unsupported scope " + Scope.type(scope));
    }
    String who = Scope.queryString(scope).isEmpty() ? "world" : Scope.queryString(scope);
    return send.send(Events.responseStart(200, List.of(Header.of("content-type", "text/plain"))))
        .thenCompose(v -> send.send(Events.body("Hello, " + who + "!\n")));
  }
}
