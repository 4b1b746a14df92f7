package dev.pagi.runner.examples;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import dev.pagi.Transport;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streams {@code mib} MiB (default 8, at most 1024) in 64 KiB chunks, sending the next chunk only
 * when the previous {@code send} completed: {@code pagi.transport} holds a send back while the
 * buffered amount is over the high-water mark, so memory stays bounded however slowly the client
 * reads. The last line reports how often the high-water mark was hit. Try {@code curl --limit-rate
 * 200k URL?mib=2 | tail -1}.
 */
public final class FlowControl implements PagiApp {
  private static final int CHUNK = 64 * 1024;

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    if (Scope.TYPE_LIFESPAN.equals(Scope.type(scope))) {
      return Support.lifespan(scope, receive, send);
    }
    if (!Scope.TYPE_HTTP.equals(Scope.type(scope))) {
      throw new IllegalArgumentException("flow-control serves http only");
    }
    int mib = Math.min(1024, Streaming.param(Scope.queryString(scope), "mib", 8));
    long chunks = mib * 16L;
    Transport transport = Scope.transport(scope);
    AtomicInteger highWater = new AtomicInteger();
    AtomicInteger drains = new AtomicInteger();
    if (transport != null) {
      transport.onHighWater(highWater::incrementAndGet);
      transport.onDrain(drains::incrementAndGet);
    }
    byte[] data = new byte[CHUNK];
    Arrays.fill(data, (byte) '.');
    for (int i = 63; i < CHUNK; i += 64) {
      data[i] = '\n';
    }
    var connection = Scope.connection(scope);
    long[] sent = {0};
    return send.send(
            Events.responseStart(
                200, List.of(Header.of("content-type", "text/plain; charset=utf-8"))))
        .thenCompose(
            v ->
                Support.loop(
                    () -> {
                      if (sent[0] >= chunks || connection != null && !connection.isConnected()) {
                        return java.util.concurrent.CompletableFuture.completedFuture(false);
                      }
                      sent[0]++;
                      return send.send(Events.body(data, true)).thenApply(x -> true);
                    }))
        .thenCompose(
            v ->
                send.send(
                    Events.body(
                        ("sent "
                                + sent[0] * CHUNK
                                + " bytes; high-water mark ("
                                + (transport == null ? "?" : transport.highWaterMark())
                                + ") hit "
                                + highWater.get()
                                + " times, drained "
                                + drains.get()
                                + " times\n")
                            .getBytes(StandardCharsets.UTF_8),
                        false)));
  }
}
