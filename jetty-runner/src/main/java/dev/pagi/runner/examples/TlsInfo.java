package dev.pagi.runner.examples;

import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Answers JSON with {@code scheme}, {@code http_version} and the {@code tls} scope extension
 * ({@code null} on cleartext): certificates as PEM, {@code tls_version} and {@code cipher_suite} as
 * numbers. Run it with {@code --tls-port} to see the extension.
 */
public final class TlsInfo implements PagiApp {
  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    if (Scope.TYPE_LIFESPAN.equals(Scope.type(scope))) {
      return Support.lifespan(scope, receive, send);
    }
    if (!Scope.TYPE_HTTP.equals(Scope.type(scope))) {
      throw new IllegalArgumentException("tls-info serves http only");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scheme", scope.get(Scope.SCHEME));
    out.put("http_version", scope.get(Scope.HTTP_VERSION));
    out.put("tls", Scope.extensions(scope).get(Scope.EXT_TLS));
    return Support.json(send, 200, out);
  }
}
