package dev.pagi.testwar;

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
 * The app inside the test WAR: answers {@code war <root_path> <path> <http_version> tls=<keys>};
 * completes lifespan, or fails it when the context-param says so.
 */
public final class WarHello implements PagiApp {
  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    if (Scope.TYPE_LIFESPAN.equals(Scope.type(scope))) {
      return receive
          .receive()
          .thenCompose(
              e ->
                  send.send(
                      System.getProperty("pagi.testwar.fail") != null
                          ? Map.of(
                              Events.TYPE,
                              Events.LIFESPAN_STARTUP_FAILED,
                              "message",
                              System.getProperty("pagi.testwar.fail"))
                          : Events.of(Events.LIFESPAN_STARTUP_COMPLETE)));
    }
    Object tls = Scope.extensions(scope).get(Scope.EXT_TLS);
    String line =
        "war "
            + scope.get(Scope.ROOT_PATH)
            + " "
            + Scope.path(scope)
            + " "
            + scope.get(Scope.HTTP_VERSION)
            + " tls="
            + (tls instanceof Map<?, ?> m
                ? "version:"
                    + m.get("tls_version")
                    + ",client:"
                    + m.get("client_cert_name")
                    + ",server_cert:"
                    + (m.get("server_cert") != null)
                : "none")
            + " loader="
            + (PagiApp.class.getClassLoader() == WarHello.class.getClassLoader() ? "war" : "other");
    return send.send(Events.responseStart(200, List.of(Header.of("content-type", "text/plain"))))
        .thenCompose(v -> send.send(Events.body(line)));
  }
}
