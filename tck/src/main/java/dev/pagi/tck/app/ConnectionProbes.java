package dev.pagi.tck.app;

import dev.pagi.Connection;
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
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code pagi.connection} probes, under {@code /http/connection/}. Everything is recorded on the
 * side channel; snapshots carry {@code is_connected}, {@code disconnect_reason}, {@code
 * future_done}, {@code response_started}, {@code response_complete} (flags as 0/1).
 *
 * <ul>
 *   <li>{@code clean}: snapshots {@code before}, {@code started}, {@code streaming}, {@code sent}
 *       around a two-chunk response; the callbacks record {@code complete} (with {@code
 *       buffered_amount}) or {@code disconnect}.
 *   <li>{@code late}: on_complete callbacks {@code c1} (which registers a late on_complete {@code
 *       c2-late} and a late on_disconnect {@code d-late}, then records {@code registered}), {@code
 *       o1}, one that throws, {@code o3}.
 *   <li>{@code late-gone}: the same around an abnormal end: on_disconnect {@code d1} (registers
 *       {@code d2-late} and on_complete {@code c-late}, records {@code registered}), {@code o1},
 *       one that throws, {@code o3}. Records {@code ready}, then reads until the client leaves.
 *   <li>{@code order}: records {@code ready}, then awaits {@code receive} while the client leaves;
 *       records {@code future} (from {@code disconnect_future}), {@code disconnect} (snapshot plus
 *       {@code receive_done}: whether the pending receive had resolved) and {@code receive}.
 *   <li>{@code sends-after-gone}: start and a chunk, {@code ready}; after the client leaves, 20
 *       more sends; records {@code sent} with {@code raises}, snapshots before and after, then
 *       {@code receive} with the next event's type.
 * </ul>
 */
final class ConnectionProbes implements PagiApp {

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String path = TckApp.relativePath(scope).substring("/http/connection/".length());
    String id = TckApp.testId(scope);
    Connection conn = Scope.connection(scope);
    switch (path) {
      case "clean" -> {
        Transport transport = Scope.transport(scope);
        conn.onComplete(
            () -> {
              Map<String, Object> s = HttpProbes.snapshot(conn);
              s.put("buffered_amount", transport.bufferedAmount());
              ProbeRegistry.record(id, "complete", s);
            });
        conn.onDisconnect(
            reason -> ProbeRegistry.record(id, "disconnect", Map.of("reason", reason)));
        ProbeRegistry.record(id, "before", HttpProbes.snapshot(conn));
        return Reply.start(send, 200, "content-type", "text/plain")
            .thenCompose(
                v -> {
                  ProbeRegistry.record(id, "started", HttpProbes.snapshot(conn));
                  return Reply.chunk(send, "clean", true);
                })
            .thenCompose(
                v -> {
                  ProbeRegistry.record(id, "streaming", HttpProbes.snapshot(conn));
                  return Reply.chunk(send, "|end", false);
                })
            .thenAccept(v -> ProbeRegistry.record(id, "sent", HttpProbes.snapshot(conn)));
      }
      case "late" -> {
        conn.onComplete(
            () -> {
              ProbeRegistry.record(id, "c1");
              conn.onComplete(() -> ProbeRegistry.record(id, "c2-late"));
              conn.onDisconnect(r -> ProbeRegistry.record(id, "d-late"));
              ProbeRegistry.record(id, "registered");
            });
        conn.onComplete(() -> ProbeRegistry.record(id, "o1"));
        conn.onComplete(
            () -> {
              throw new IllegalStateException("tck: a failing on_complete callback");
            });
        conn.onComplete(() -> ProbeRegistry.record(id, "o3"));
        return Reply.send(send, 200, "text/plain", "late");
      }
      case "late-gone" -> {
        conn.onDisconnect(
            reason -> {
              ProbeRegistry.record(id, "d1", Map.of("reason", reason));
              conn.onDisconnect(r -> ProbeRegistry.record(id, "d2-late", Map.of("reason", r)));
              conn.onComplete(() -> ProbeRegistry.record(id, "c-late"));
              ProbeRegistry.record(id, "registered");
            });
        conn.onDisconnect(r -> ProbeRegistry.record(id, "o1"));
        conn.onDisconnect(
            r -> {
              throw new IllegalStateException("tck: a failing on_disconnect callback");
            });
        conn.onDisconnect(r -> ProbeRegistry.record(id, "o3"));
        ProbeRegistry.record(id, "ready");
        return Reply.untilDisconnect(receive);
      }
      case "order" -> {
        AtomicReference<CompletableFuture<Map<String, Object>>> pending = new AtomicReference<>();
        conn.disconnectFuture()
            .thenAccept(reason -> ProbeRegistry.record(id, "future", Map.of("reason", reason)));
        conn.onDisconnect(
            reason -> {
              Map<String, Object> s = HttpProbes.snapshot(conn);
              s.put("reason", reason);
              CompletableFuture<Map<String, Object>> p = pending.get();
              s.put("receive_done", p != null && p.isDone() ? 1 : 0);
              ProbeRegistry.record(id, "disconnect", s);
            });
        ProbeRegistry.record(id, "ready");
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable[] next = new Runnable[1];
        next[0] =
            () -> {
              CompletableFuture<Map<String, Object>> f = receive.receive().toCompletableFuture();
              pending.set(f);
              f.whenComplete(
                  (e, err) -> {
                    if (err == null && Events.type(e).equals(Events.HTTP_REQUEST)) {
                      next[0].run();
                      return;
                    }
                    Map<String, Object> s = HttpProbes.snapshot(conn);
                    s.put("type", err == null ? Events.type(e) : Reply.describe(err));
                    ProbeRegistry.record(id, "receive", s);
                    done.complete(null);
                  });
            };
        next[0].run();
        return done;
      }
      case "sends-after-gone" -> {
        return Reply.start(send, 200, "content-type", "text/plain")
            .thenCompose(v -> Reply.chunk(send, "first", true))
            .thenCompose(
                v -> {
                  ProbeRegistry.record(id, "ready");
                  return Reply.untilDisconnect(receive);
                })
            .thenCompose(
                seen -> {
                  Map<String, Object> before = HttpProbes.snapshot(conn);
                  CompletionStage<Integer> raises = CompletableFuture.completedFuture(0);
                  for (int i = 0; i < 20; i++) {
                    int n = i;
                    raises =
                        raises.thenCompose(
                            count ->
                                Reply.attempt(send, Events.body(("late" + n).getBytes(), true))
                                    .thenApply(r -> count + (Integer) r.get("raised")));
                  }
                  return raises.thenApply(
                      count -> {
                        Map<String, Object> rec = new LinkedHashMap<>();
                        rec.put("raises", count);
                        rec.put("before", before);
                        rec.put("after", HttpProbes.snapshot(conn));
                        ProbeRegistry.record(id, "sent", rec);
                        return null;
                      });
                })
            .thenCompose(v -> receive.receive())
            .thenAccept(e -> ProbeRegistry.record(id, "receive", Map.of("type", Events.type(e))));
      }
      default -> {
        return Reply.send(send, 404, "text/plain", "no connection probe " + path);
      }
    }
  }
}
