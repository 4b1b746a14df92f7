package dev.pagi.tck.app;

import dev.pagi.Events;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Lifespan handling of the TCK app: completes startup, puts {@code tck_lifespan: "started"} into
 * {@code state} (so request probes can echo it) and records both phases under the side-channel id
 * {@code lifespan}.
 */
final class LifespanProbe {
  static final String ID = "lifespan";

  private LifespanProbe() {}

  static CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    return receive
        .receive()
        .thenCompose(
            startup -> {
              ProbeRegistry.record(ID, Events.type(startup));
              Scope.state(scope).put("tck_lifespan", "started");
              return send.send(Events.of(Events.LIFESPAN_STARTUP_COMPLETE));
            })
        .thenCompose(v -> receive.receive())
        .thenCompose(
            shutdown -> {
              ProbeRegistry.record(ID, Events.type(shutdown));
              return send.send(Events.of(Events.LIFESPAN_SHUTDOWN_COMPLETE));
            });
  }
}
