package dev.pagi.tck.app;

import dev.pagi.Events;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Request probes, under {@code /http/request/}.
 *
 * <ul>
 *   <li>{@code body}: reads the whole body and answers {@code {"bytes","sha256","events","types",
 *       "mores"}}: the byte count, its SHA-256, and the type and {@code more} flag of each event.
 *   <li>{@code after-response}: answers {@code done}, then calls {@code receive} once (bounded to 2
 *       s) and records {@code after} with the event {@code type} (or {@code timeout}).
 *   <li>{@code until-gone}: records {@code ready}, then receives until a non-request event, which
 *       it records as {@code end} with the bytes read; sends nothing. The terminal callbacks record
 *       {@code complete} / {@code disconnect} with the reason.
 *   <li>{@code continue?mode=read|reject}: {@code read} echoes the body; {@code reject} answers 401
 *       without calling {@code receive}.
 * </ul>
 */
final class RequestProbes implements PagiApp {

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String path = TckApp.relativePath(scope).substring("/http/request/".length());
    String id = TckApp.testId(scope);
    switch (path) {
      case "body" -> {
        return readAll(receive).thenCompose(out -> Reply.json(send, out));
      }
      case "after-response" -> {
        return Reply.send(send, 200, "text/plain", "done")
            .thenCompose(
                v ->
                    receive
                        .receive()
                        .toCompletableFuture()
                        .orTimeout(2, TimeUnit.SECONDS)
                        .handle(
                            (e, err) -> {
                              ProbeRegistry.record(
                                  id,
                                  "after",
                                  Map.of("type", err == null ? Events.type(e) : "timeout"));
                              return null;
                            }));
      }
      case "until-gone" -> {
        HttpProbes.terminalSignals(id, Scope.connection(scope));
        ProbeRegistry.record(id, "ready");
        return readAll(receive)
            .thenAccept(
                out -> {
                  Map<String, Object> end = new LinkedHashMap<>();
                  end.put("bytes", out.get("bytes"));
                  List<?> types = (List<?>) out.get("types");
                  end.put("type", types.get(types.size() - 1));
                  ProbeRegistry.record(id, "end", end);
                });
      }
      case "continue" -> {
        if ("reject".equals(TckApp.query(scope, "mode"))) {
          return Reply.send(send, 401, "text/plain", "no");
        }
        return Reply.readBody(receive)
            .thenCompose(
                read ->
                    send.send(
                            Events.responseStart(
                                200, List.of(dev.pagi.Header.of("content-type", "text/plain"))))
                        .thenCompose(v -> send.send(Events.body((byte[]) read.get("body")))));
      }
      default -> {
        return Reply.send(send, 404, "text/plain", "no request probe " + path);
      }
    }
  }

  /** Receives until {@code more} is 0 or a non-request event, summarising every event. */
  private static CompletionStage<Map<String, Object>> readAll(Receive receive) {
    CompletableFuture<Map<String, Object>> done = new CompletableFuture<>();
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<String> types = new ArrayList<>();
    List<Integer> mores = new ArrayList<>();
    long[] bytes = {0};
    Runnable[] next = new Runnable[1];
    next[0] =
        () ->
            receive
                .receive()
                .whenComplete(
                    (e, err) -> {
                      if (err != null) {
                        done.completeExceptionally(err);
                        return;
                      }
                      String type = Events.type(e);
                      types.add(type);
                      if (type.equals(Events.HTTP_REQUEST)) {
                        byte[] b = Events.body(e);
                        sha.update(b);
                        bytes[0] += b.length;
                        mores.add(Events.more(e) ? 1 : 0);
                        if (Events.more(e)) {
                          next[0].run();
                          return;
                        }
                      }
                      Map<String, Object> out = new LinkedHashMap<>();
                      out.put("bytes", bytes[0]);
                      out.put("sha256", HexFormat.of().formatHex(sha.digest()));
                      out.put("events", types.size());
                      out.put("types", types);
                      out.put("mores", mores);
                      done.complete(out);
                    });
    next[0].run();
    return done;
  }
}
