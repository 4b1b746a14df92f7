package dev.pagi.tck.app;

import dev.pagi.Events;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lifespan handling of the TCK app, recorded under the side-channel id the app instance owns.
 *
 * <p>On {@code lifespan.startup} it records the scope's keys ({@code lifespan.startup} with {@code
 * scope_type}, {@code version}, {@code spec_version}, {@code state_is_map}), tries an unknown
 * {@code lifespan.bogus} send ({@code unknown-type} with {@code raised}), fills {@code state}
 * ({@code tck_lifespan: "started"}, {@code tck_lifespan_id}, {@code counter: 0}, {@code box: {n:
 * AtomicInteger}}), records {@code startup.complete} and completes startup from another thread so
 * the server really waits. On {@code lifespan.shutdown} it records it and completes.
 */
final class LifespanProbe {
  static final String ID = "lifespan";

  private LifespanProbe() {}

  static CompletionStage<?> call(String id, Map<String, Object> scope, Receive receive, Send send) {
    return receive
        .receive()
        .thenCompose(
            startup -> {
              Map<String, Object> seen = new LinkedHashMap<>();
              seen.put("scope_type", Scope.type(scope));
              @SuppressWarnings("unchecked")
              Map<String, Object> pagi = (Map<String, Object>) scope.get(Scope.PAGI);
              seen.put("version", pagi == null ? null : pagi.get("version"));
              seen.put("spec_version", pagi == null ? null : pagi.get("spec_version"));
              seen.put("state_is_map", scope.get(Scope.STATE) instanceof Map ? 1 : 0);
              ProbeRegistry.record(id, Events.type(startup), seen);
              return Reply.attempt(send, Events.of("lifespan.bogus"));
            })
        .thenComposeAsync(
            bogus -> {
              ProbeRegistry.record(id, "unknown-type", bogus);
              Map<String, Object> state = Scope.state(scope);
              state.put("tck_lifespan", "started");
              state.put("tck_lifespan_id", id);
              state.put("counter", 0);
              Map<String, Object> box = new ConcurrentHashMap<>();
              box.put("n", new AtomicInteger());
              state.put("box", box);
              ProbeRegistry.record(id, "startup.complete");
              return send.send(Events.of(Events.LIFESPAN_STARTUP_COMPLETE));
            },
            CompletableFuture.delayedExecutor(0, java.util.concurrent.TimeUnit.MILLISECONDS))
        .thenCompose(v -> receive.receive())
        .thenCompose(
            shutdown -> {
              ProbeRegistry.record(id, Events.type(shutdown));
              return send.send(Events.of(Events.LIFESPAN_SHUTDOWN_COMPLETE));
            });
  }
}
