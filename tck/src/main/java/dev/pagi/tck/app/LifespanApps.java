package dev.pagi.tck.app;

import dev.pagi.Events;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Small apps for the harness-level lifespan rules ({@code dev.pagi.tck.suite.LifespanRules}): each
 * records on the side channel under the id it is created with, and answers requests at {@code /ok}
 * (records {@code request} with {@code ready} = {@code state.ready}) and {@code /hold} (records
 * {@code holding}, then waits for the client or the server to end the request and records {@code
 * disconnect} with the reason).
 */
public final class LifespanApps {
  /** Hops to another thread, so the server really has to wait for the signal. */
  private static final Executor LATER = CompletableFuture.delayedExecutor(0, TimeUnit.MILLISECONDS);

  private LifespanApps() {}

  /**
   * Completes startup from another thread (recording {@code startup.complete} with {@code state
   * .ready = 1} first) and shutdown likewise ({@code shutdown.complete}); records {@code
   * lifespan.startup} and {@code lifespan.shutdown} as they arrive.
   *
   * @param id the side-channel id
   * @return the app
   */
  public static PagiApp recording(String id) {
    return (scope, receive, send) -> {
      if (!isLifespan(scope)) {
        return request(id, scope, receive, send);
      }
      return receive
          .receive()
          .thenComposeAsync(
              startup -> {
                ProbeRegistry.record(id, Events.type(startup));
                Scope.state(scope).put("ready", 1);
                ProbeRegistry.record(id, "startup.complete");
                return send.send(Events.of(Events.LIFESPAN_STARTUP_COMPLETE));
              },
              LATER)
          .thenCompose(v -> receive.receive())
          .thenComposeAsync(
              shutdown -> {
                ProbeRegistry.record(id, Events.type(shutdown));
                ProbeRegistry.record(id, "shutdown.complete");
                return send.send(Events.of(Events.LIFESPAN_SHUTDOWN_COMPLETE));
              },
              LATER);
    };
  }

  /**
   * Answers {@code lifespan.startup} with {@code lifespan.startup.failed}.
   *
   * @param id the side-channel id
   * @param message the failure message
   * @return the app
   */
  public static PagiApp failingStartup(String id, String message) {
    return (scope, receive, send) -> {
      if (!isLifespan(scope)) {
        return request(id, scope, receive, send);
      }
      Map<String, Object> failed = Events.of(Events.LIFESPAN_STARTUP_FAILED);
      failed.put("message", message);
      return receive.receive().thenCompose(startup -> send.send(failed));
    };
  }

  /**
   * Declines lifespan by raising from {@code call} ({@code raise}) or by returning without a signal
   * ({@code return}); records {@code lifespan.called} and any later lifespan event.
   *
   * @param id the side-channel id
   * @param how {@code raise} or {@code return}
   * @return the app
   */
  public static PagiApp declining(String id, String how) {
    return (scope, receive, send) -> {
      if (!isLifespan(scope)) {
        return request(id, scope, receive, send);
      }
      ProbeRegistry.record(id, "lifespan.called");
      if (how.equals("raise")) {
        throw new UnsupportedOperationException("tck: this app does not do lifespan");
      }
      return CompletableFuture.completedFuture(null);
    };
  }

  /**
   * Completes startup, then fails its lifespan stage.
   *
   * @param id the side-channel id
   * @return the app
   */
  public static PagiApp failingAfterStartup(String id) {
    return (scope, receive, send) -> {
      if (!isLifespan(scope)) {
        return request(id, scope, receive, send);
      }
      return receive
          .receive()
          .thenCompose(startup -> send.send(Events.of(Events.LIFESPAN_STARTUP_COMPLETE)))
          .thenCompose(
              v ->
                  CompletableFuture.failedFuture(
                      new IllegalStateException("tck: background task died after startup")));
    };
  }

  private static boolean isLifespan(Map<String, Object> scope) {
    return Scope.TYPE_LIFESPAN.equals(Scope.type(scope));
  }

  private static CompletionStage<?> request(
      String id, Map<String, Object> scope, Receive receive, Send send) {
    if (Scope.path(scope).endsWith("/hold")) {
      Scope.connection(scope)
          .onDisconnect(reason -> ProbeRegistry.record(id, "disconnect", Map.of("reason", reason)));
      ProbeRegistry.record(id, "holding");
      return Reply.start(send, 200, "content-type", "text/plain")
          .thenCompose(v -> Reply.chunk(send, "holding", true))
          .thenCompose(v -> Reply.untilDisconnect(receive));
    }
    Map<String, Object> seen = new LinkedHashMap<>();
    seen.put("ready", Scope.state(scope).get("ready"));
    ProbeRegistry.record(id, "request", seen);
    return Reply.send(send, 200, "text/plain", "ok");
  }
}
