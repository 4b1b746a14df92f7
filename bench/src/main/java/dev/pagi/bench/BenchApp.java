package dev.pagi.bench;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import dev.pagi.Transport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The PAGI side of every scenario, mounted at {@code /pagi}: {@code hello}, {@code stream?bytes=N},
 * {@code upload} (SHA-256 of the body), the SSE fan-out stream {@code sse} and the WebSocket echo
 * {@code ws}. The plain-servlet side ({@link PlainServlet}) serves the same bytes.
 */
final class BenchApp implements PagiApp {
  static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
  static final int CHUNK = 64 * 1024;
  static final byte[] BLOCK = filled(CHUNK);

  private final Broadcaster<Map<String, Object>> broadcaster;

  BenchApp(Broadcaster<Map<String, Object>> broadcaster) {
    this.broadcaster = broadcaster;
  }

  static byte[] filled(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String type = Scope.type(scope);
    String path = Scope.path(scope);
    if (Scope.TYPE_SSE.equals(type)) {
      return sse(scope, receive, send);
    }
    if (Scope.TYPE_WEBSOCKET.equals(type)) {
      return echo(receive, send);
    }
    if (!Scope.TYPE_HTTP.equals(type)) {
      throw new IllegalArgumentException("unsupported scope type " + type);
    }
    if (path.endsWith("/hello")) {
      return send.send(Events.responseStart(200, List.of(Header.of("content-type", "text/plain"))))
          .thenCompose(v -> send.send(Events.body(HELLO)));
    }
    if (path.endsWith("/stream")) {
      long total = Long.parseLong(Scope.queryString(scope).replace("bytes=", ""));
      return send.send(
              Events.responseStart(
                  200,
                  List.of(
                      Header.of("content-type", "application/octet-stream"),
                      Header.of("content-length", Long.toString(total)))))
          .thenCompose(v -> stream(send, total));
    }
    if (path.endsWith("/upload")) {
      return upload(receive, send);
    }
    return send.send(Events.responseStart(404, List.of()))
        .thenCompose(v -> send.send(Events.body("not found")));
  }

  private static CompletionStage<Void> stream(Send send, long left) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    new Object() {
      long remaining = left;

      void next() {
        // Iterate while sends complete synchronously; recurse only through async completions.
        while (true) {
          int n = (int) Math.min(CHUNK, remaining);
          remaining -= n;
          boolean more = remaining > 0;
          byte[] chunk = n == CHUNK ? BLOCK : java.util.Arrays.copyOf(BLOCK, n);
          CompletableFuture<Void> f = send.send(Events.body(chunk, more)).toCompletableFuture();
          if (!more) {
            f.whenComplete((v, e) -> finish(e));
            return;
          }
          if (!f.isDone()) {
            f.whenComplete(
                (v, e) -> {
                  if (e != null) {
                    finish(e);
                  } else {
                    next();
                  }
                });
            return;
          }
          if (f.isCompletedExceptionally()) {
            f.whenComplete((v, e) -> finish(e));
            return;
          }
        }
      }

      void finish(Throwable e) {
        if (e != null) {
          done.completeExceptionally(e);
        } else {
          done.complete(null);
        }
      }
    }.next();
    return done;
  }

  private static CompletionStage<Void> upload(Receive receive, Send send) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    CompletableFuture<Long> read = new CompletableFuture<>();
    long[] total = {0};
    Runnable[] loop = new Runnable[1];
    loop[0] =
        () ->
            receive
                .receive()
                .whenComplete(
                    (e, err) -> {
                      if (err != null) {
                        read.completeExceptionally(err);
                        return;
                      }
                      if (!Events.HTTP_REQUEST.equals(Events.type(e))) {
                        read.completeExceptionally(
                            new IllegalStateException("client left: " + Events.type(e)));
                        return;
                      }
                      byte[] b = Events.body(e);
                      sha.update(b);
                      total[0] += b.length;
                      if (Events.more(e)) {
                        loop[0].run();
                      } else {
                        read.complete(total[0]);
                      }
                    });
    loop[0].run();
    return read.thenCompose(
        n ->
            send.send(Events.responseStart(200, List.of(Header.of("content-type", "text/plain"))))
                .thenCompose(
                    v ->
                        send.send(
                            Events.body(n + " " + HexFormat.of().formatHex(sha.digest()) + "\n"))));
  }

  private CompletionStage<Void> sse(Map<String, Object> scope, Receive receive, Send send) {
    Transport transport = Scope.transport(scope);
    return receive
        .receive()
        .thenCompose(request -> send.send(Events.of(Events.SSE_START)))
        .thenCompose(
            v -> {
              Broadcaster.Subscriber<Map<String, Object>> sub =
                  event -> {
                    // Skip a stream whose previous event is still queued (the plain SSE servlet
                    // does the same): when the machine cannot keep up, events are shed rather
                    // than queued, so a delivered event is never older than about one tick.
                    if (transport != null && transport.bufferedAmount() > 0) {
                      return false;
                    }
                    send.send(event);
                    return true;
                  };
              broadcaster.add(sub);
              return receive.receive().whenComplete((e, err) -> broadcaster.remove(sub));
            })
        .thenApply(e -> null);
  }

  private static CompletionStage<Void> echo(Receive receive, Send send) {
    return receive
        .receive()
        .thenCompose(connect -> send.send(Events.of(Events.WEBSOCKET_ACCEPT)))
        .thenCompose(v -> echoLoop(receive, send));
  }

  private static CompletionStage<Void> echoLoop(Receive receive, Send send) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable[] loop = new Runnable[1];
    loop[0] =
        () ->
            receive
                .receive()
                .thenCompose(
                    e -> {
                      if (!Events.WEBSOCKET_RECEIVE.equals(Events.type(e))) {
                        done.complete(null);
                        return CompletableFuture.<Void>completedFuture(null);
                      }
                      Object text = e.get("text");
                      return text != null
                          ? send.send(Events.websocketText((String) text))
                          : send.send(Events.websocketBytes((byte[]) e.get("bytes")));
                    })
                .whenComplete(
                    (v, err) -> {
                      if (err != null) {
                        done.completeExceptionally(err);
                      } else if (!done.isDone()) {
                        loop[0].run();
                      }
                    });
    loop[0].run();
    return done;
  }
}
