package dev.pagi.examples;

import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import dev.pagi.Sse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Example: {@code GET /jobs/<steps>} runs a job and streams its progress as {@code progress}
 * events, then a {@code done} event, then ends the stream with {@code sse.close} (reason {@code
 * job_complete}, logged by the server, never sent). The client is released at once; the job's own
 * cleanup runs afterwards, after the close, without holding the connection.
 *
 * <pre>
 * event: progress
 * data: {"step":1,"of":3}
 *
 * ...
 * event: done
 * data: {"steps":3}
 * </pre>
 */
public final class JobRunner implements PagiApp {
  private final Executor worker;
  private final Consumer<String> cleanup;

  /**
   * @param stepTime how long each simulated step takes, in milliseconds
   * @param cleanup runs after the stream was closed, with the job's name
   */
  public JobRunner(long stepTime, Consumer<String> cleanup) {
    this.worker = CompletableFuture.delayedExecutor(stepTime, TimeUnit.MILLISECONDS);
    this.cleanup = cleanup;
  }

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    if (!Scope.TYPE_SSE.equals(Scope.type(scope))) {
      throw new IllegalArgumentException("JobRunner serves only sse scopes");
    }
    Sse sse = new Sse(scope, receive, send);
    int steps;
    try {
      steps = Integer.parseInt(sse.path().substring(sse.path().lastIndexOf('/') + 1));
    } catch (NumberFormatException e) {
      return sse.notFound();
    }
    CompletionStage<Void> job = sse.start();
    for (int i = 1; i <= steps; i++) {
      String progress = "{\"step\":" + i + ",\"of\":" + steps + "}";
      job =
          job.thenCompose(v -> CompletableFuture.runAsync(() -> {}, worker))
              .thenCompose(v -> sse.sendEvent("progress", progress));
    }
    return job.thenCompose(v -> sse.sendEvent("done", "{\"steps\":" + steps + "}"))
        .thenCompose(v -> sse.close("job_complete"))
        .thenRunAsync(() -> cleanup.accept(sse.path()), worker);
  }
}
