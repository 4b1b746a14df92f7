package dev.pagi.runner.examples;

import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** {@code GET /?name=you} answers {@code Hello, you!}; the smallest complete PAGI app. */
public final class Hello implements PagiApp {
  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    if (Scope.TYPE_LIFESPAN.equals(Scope.type(scope))) {
      return Support.lifespan(scope, receive, send);
    }
    if (!Scope.TYPE_HTTP.equals(Scope.type(scope))) {
      throw new IllegalArgumentException("hello serves http only, not " + Scope.type(scope));
    }
    String name = "world";
    for (String pair : Scope.queryString(scope).split("&")) {
      if (pair.startsWith("name=") && pair.length() > 5) {
        name = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
      }
    }
    return Support.text(send, 200, "Hello, " + name + "!\n");
  }
}
