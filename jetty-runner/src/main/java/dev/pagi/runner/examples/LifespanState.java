package dev.pagi.runner.examples;

import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows the lifespan {@code state}: startup puts a start time and a request counter into it, every
 * request scope gets a shallow copy (so the counter object is shared) and reports both. Set the
 * environment variable {@code PAGI_EXAMPLE_FAIL_STARTUP} to a message to see a failed startup: the
 * launcher prints the message and exits without ever accepting a connection.
 */
public final class LifespanState implements PagiApp {
  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    if (Scope.TYPE_LIFESPAN.equals(Scope.type(scope))) {
      return Support.lifespan(
          scope,
          receive,
          send,
          state -> {
            String failure = System.getenv("PAGI_EXAMPLE_FAIL_STARTUP");
            if (failure != null && !failure.isEmpty()) {
              throw new IllegalStateException(failure);
            }
            state.put("started_at", Instant.now().toString());
            state.put("requests", new AtomicLong());
          },
          () -> System.err.println("lifespan-state: shutdown"));
    }
    if (!Scope.TYPE_HTTP.equals(Scope.type(scope))) {
      throw new IllegalArgumentException("lifespan-state serves http only");
    }
    Map<String, Object> state = Scope.state(scope);
    Map<String, Object> out = new LinkedHashMap<>();
    if (state == null || !(state.get("requests") instanceof AtomicLong counter)) {
      out.put("lifespan", "not run (is --lifespan off?)");
    } else {
      out.put("started_at", state.get("started_at"));
      out.put("requests", counter.incrementAndGet());
    }
    return Support.json(send, 200, out);
  }
}
