package dev.pagi.tck.app;

import dev.pagi.Events;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import dev.pagi.Transport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The flow-control probe, {@code /http/flow?chunk=<bytes>&max=<bytes>}: two bursts against a client
 * that reads slowly, everything recorded on the side channel.
 *
 * <p>It registers {@code on_high_water} ({@code high}) and {@code on_drain} ({@code drain}), both
 * recording {@code buffered}, and starts a response. Each burst sends {@code chunk}-byte bodies
 * until a send does not complete at once, records {@code blocked} ({@code burst}, {@code
 * buffered}), waits for that send and records {@code released} ({@code buffered}). On the first
 * block it also registers a second {@code on_high_water} ({@code high-late}), which must run at
 * once. A burst that passes {@code max} bytes without blocking records {@code never-blocked}. The
 * end records {@code done} with {@code total}, {@code max_buffered} (the largest {@code
 * buffered_amount} seen after a send), {@code high}, {@code low} and {@code chunk}.
 */
final class FlowProbes implements PagiApp {

  private static final class Run {
    final String id;
    final Send send;
    final Transport transport;
    final byte[] chunk;
    final long max;
    long total;
    long maxBuffered;

    Run(String id, Send send, Transport transport, int chunk, long max) {
      this.id = id;
      this.send = send;
      this.transport = transport;
      this.chunk = new byte[chunk];
      this.max = max;
    }

    Map<String, Object> at(String key, Object value) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(key, value);
      m.put("buffered", transport.bufferedAmount());
      return m;
    }

    CompletionStage<Void> burst(int n) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      long limit = total + max;
      Runnable[] next = new Runnable[1];
      next[0] =
          () -> {
            while (true) {
              CompletableFuture<Void> sent =
                  send.send(Events.body(chunk, true)).toCompletableFuture();
              total += chunk.length;
              maxBuffered = Math.max(maxBuffered, transport.bufferedAmount());
              if (sent.isDone() && !sent.isCompletedExceptionally()) {
                if (total >= limit) {
                  ProbeRegistry.record(id, "never-blocked", at("burst", n));
                  done.complete(null);
                  return;
                }
                continue;
              }
              if (n == 1) {
                transport.onHighWater(() -> ProbeRegistry.record(id, "high-late", at("burst", n)));
              }
              ProbeRegistry.record(id, "blocked", at("burst", n));
              sent.whenComplete(
                  (v, err) -> {
                    ProbeRegistry.record(id, "released", at("burst", n));
                    if (err != null) {
                      done.completeExceptionally(err);
                    } else {
                      done.complete(null);
                    }
                  });
              return;
            }
          };
      next[0].run();
      return done;
    }
  }

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String id = TckApp.testId(scope);
    Transport transport = Scope.transport(scope);
    String chunk = TckApp.query(scope, "chunk");
    String max = TckApp.query(scope, "max");
    Run run =
        new Run(
            id,
            send,
            transport,
            chunk == null ? 16 * 1024 : Integer.parseInt(chunk),
            max == null ? 64L << 20 : Long.parseLong(max));
    transport.onHighWater(() -> ProbeRegistry.record(id, "high", run.at("burst", 0)));
    transport.onDrain(() -> ProbeRegistry.record(id, "drain", run.at("burst", 0)));
    return Reply.start(send, 200, "content-type", "application/octet-stream")
        .thenCompose(v -> run.burst(1))
        .thenCompose(v -> run.burst(2))
        .thenCompose(v -> send.send(Events.body(new byte[0], false)))
        .thenAccept(
            v -> {
              Map<String, Object> done = new LinkedHashMap<>();
              done.put("total", run.total);
              done.put("max_buffered", run.maxBuffered);
              done.put("high", transport.highWaterMark());
              done.put("low", transport.lowWaterMark());
              done.put("chunk", run.chunk.length);
              ProbeRegistry.record(id, "done", done);
            });
  }
}
