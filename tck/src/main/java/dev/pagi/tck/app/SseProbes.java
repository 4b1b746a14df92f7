package dev.pagi.tck.app;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Probes for {@code sse} scopes, under {@code /sse/}. In-band (P-IN) reports go into a later {@code
 * sse.send} ({@code data: {"raised":..}}) or into a decline body; observations after the response
 * (P-SIDE) go to the {@link ProbeRegistry} under the request's test id.
 *
 * <ul>
 *   <li>{@code echo}: the scope as JSON, as one event (sse) or a 200 body (http).
 *   <li>{@code body}: the {@code sse.request} events, then whether the next receive waited.
 *   <li>{@code wire}: a fixed series of events and comments covering the serialisation rules.
 *   <li>{@code raise/<case>}: starts, tries the invalid event {@code case} ({@link #INVALID}),
 *       reports.
 *   <li>{@code declined/<case>}: declines with 404, tries stream event {@code case}, reports in the
 *       body.
 *   <li>{@code decline/404}, {@code decline/204}, {@code decline/401}, {@code decline/twice}.
 *   <li>{@code close}, {@code close-then-wait}, {@code return}, {@code early}, {@code start-twice},
 *       {@code keepalive}, {@code keepalive-last-wins}, {@code disconnect}, {@code headers}, {@code
 *       headers-custom}, {@code throw-before}, {@code throw-after}, {@code idle-disconnect}.
 * </ul>
 */
final class SseProbes implements PagiApp {
  static final String SECRET_REASON = "x-tck-reason-never-on-the-wire";

  /** Invalid events for {@code raise/<case>}, sent after {@code sse.start}. */
  static final Map<String, Supplier<Map<String, Object>>> INVALID = new LinkedHashMap<>();

  /** Stream events for {@code declined/<case>}, sent after {@code sse.http.response.start}. */
  static final Map<String, Supplier<Map<String, Object>>> STREAM_EVENTS = new LinkedHashMap<>();

  static {
    INVALID.put("event-newline", () -> ev(Events.SSE_SEND, "data", "x", "event", "a\ndata: pwn"));
    INVALID.put("event-cr", () -> ev(Events.SSE_SEND, "data", "x", "event", "a\rdata: pwn"));
    INVALID.put("id-newline", () -> ev(Events.SSE_SEND, "data", "x", "id", "1\ndata: pwn"));
    INVALID.put("retry-negative", () -> ev(Events.SSE_SEND, "data", "x", "retry", -1));
    INVALID.put("retry-not-integer", () -> ev(Events.SSE_SEND, "data", "x", "retry", "soon"));
    INVALID.put("retry-fraction", () -> ev(Events.SSE_SEND, "data", "x", "retry", 1.5));
    INVALID.put("send-without-data", () -> ev(Events.SSE_SEND));
    INVALID.put("send-data-not-string", () -> ev(Events.SSE_SEND, "data", 42));
    INVALID.put("comment-without-comment", () -> ev(Events.SSE_COMMENT));
    INVALID.put("keepalive-without-interval", () -> ev(Events.SSE_KEEPALIVE));
    INVALID.put("close-reason-not-string", () -> ev(Events.SSE_CLOSE, "reason", 7));
    INVALID.put("decline-start", () -> ev(Events.SSE_HTTP_RESPONSE_START, "status", 404));
    INVALID.put("decline-body", () -> ev(Events.SSE_HTTP_RESPONSE_BODY, "body", bytes("x")));
    INVALID.put("unknown-type", () -> ev("sse.bogus"));
    INVALID.put("http-start-in-sse", () -> Events.responseStart(200, List.of()));
    INVALID.put(
        "start-header-crlf",
        () ->
            ev(
                Events.SSE_START,
                "headers",
                List.of(new Header("x-bad", "safe\r\nSet-Cookie: pwned=1"))));

    STREAM_EVENTS.put("send", () -> ev(Events.SSE_SEND, "data", "x"));
    STREAM_EVENTS.put("comment", () -> ev(Events.SSE_COMMENT, "comment", "c"));
    STREAM_EVENTS.put("keepalive", () -> ev(Events.SSE_KEEPALIVE, "interval", 1));
    STREAM_EVENTS.put("close", () -> ev(Events.SSE_CLOSE));
    STREAM_EVENTS.put("start", () -> ev(Events.SSE_START));
  }

  static Map<String, Object> ev(String type, Object... kv) {
    Map<String, Object> e = Events.of(type);
    for (int i = 0; i < kv.length; i += 2) {
      e.put((String) kv[i], kv[i + 1]);
    }
    return e;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, Object> data(String data) {
    return Events.sseSend(data);
  }

  private static Executor after(long millis) {
    return CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS);
  }

  private static CompletionStage<Void> sleep(long millis) {
    return CompletableFuture.runAsync(() -> {}, after(millis));
  }

  /** Sends the events one after the other. */
  @SafeVarargs
  static CompletionStage<Void> all(Send send, Map<String, Object>... events) {
    CompletionStage<Void> s = CompletableFuture.completedFuture(null);
    for (Map<String, Object> e : events) {
      s = s.thenCompose(v -> send.send(e));
    }
    return s;
  }

  /** Receives until {@code sse.disconnect} (skipping request events) and returns it. */
  static CompletionStage<Map<String, Object>> untilDisconnect(Receive receive) {
    return receive
        .receive()
        .thenCompose(
            e ->
                Events.SSE_DISCONNECT.equals(Events.type(e))
                    ? CompletableFuture.completedFuture(e)
                    : untilDisconnect(receive));
  }

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String name = TckApp.relativePath(scope).substring("/sse/".length());
    String id = TckApp.testId(scope);
    if (name.equals("echo")) {
      return echo(scope, receive, send);
    }
    if (!Scope.TYPE_SSE.equals(Scope.type(scope))) {
      return Reply.send(send, 406, "text/plain", "sse probes need Accept: text/event-stream");
    }
    if (name.startsWith("raise/")) {
      return raise(name.substring("raise/".length()), send);
    }
    if (name.startsWith("declined/")) {
      return declined(name.substring("declined/".length()), send);
    }
    if (name.startsWith("decline/")) {
      return decline(name.substring("decline/".length()), id, receive, send);
    }
    return switch (name) {
      case "body" -> body(receive, send);
      case "wire" -> wire(send);
      case "close" -> close(id, send);
      case "close-then-wait" ->
          all(send, ev(Events.SSE_START), data("A"), ev(Events.SSE_CLOSE))
              .thenCompose(v -> sleep(3000));
      case "return" -> all(send, ev(Events.SSE_START), data("A"));
      case "early" -> early(send);
      case "start-twice" ->
          all(send, ev(Events.SSE_START))
              .thenCompose(v -> Reply.attempt(send, ev(Events.SSE_START, "status", 500)))
              .thenCompose(r -> send.send(data("after")));
      case "keepalive" -> keepalive(send);
      case "keepalive-last-wins" -> keepaliveLastWins(send);
      case "disconnect" -> disconnect(id, receive, send, true);
      case "idle-disconnect" -> disconnect(id, receive, send, false);
      case "headers" -> all(send, ev(Events.SSE_START), data("A"));
      case "headers-custom" ->
          all(
              send,
              ev(
                  Events.SSE_START,
                  "status",
                  201,
                  "headers",
                  List.of(
                      Header.of("content-type", "text/event-stream; charset=utf-8"),
                      Header.of("x-tck", "custom"))),
              data("A"));
      case "throw-before" -> throw new IllegalStateException("TCK probe fails before sse.start");
      case "throw-after" ->
          all(send, ev(Events.SSE_START), data("A"))
              .thenCompose(
                  v ->
                      CompletableFuture.failedFuture(
                          new IllegalStateException("TCK probe fails after sse.start")));
      default -> Reply.send(send, 404, "text/plain", "no sse probe " + name);
    };
  }

  private static CompletionStage<?> echo(Map<String, Object> scope, Receive receive, Send send) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scope", scope);
    out.put("has_connection", scope.containsKey(Scope.CONNECTION) ? 1 : 0);
    out.put("has_transport", scope.get(Scope.TRANSPORT) != null ? 1 : 0);
    String type = Scope.type(scope);
    if (Scope.TYPE_HTTP.equals(type)) {
      return Reply.readBody(receive).thenCompose(r -> Reply.json(send, out));
    }
    if (!Scope.TYPE_SSE.equals(type)) {
      throw new IllegalArgumentException("the sse echo does not serve '" + type + "' scopes");
    }
    // The body is read first in both cases: an HTTP/2 server that answers before the request body
    // has arrived may follow the complete response with RST_STREAM(NO_ERROR), which some clients
    // (Jetty's HttpClient 12.1) wrongly report as a failed exchange.
    return Reply.readBody(receive)
        .thenCompose(r -> all(send, ev(Events.SSE_START), data(Json.write(out))));
  }

  private static CompletionStage<?> body(Receive receive, Send send) {
    List<Object> events = new ArrayList<>();
    CompletableFuture<Void> read = new CompletableFuture<>();
    readAll(receive, events, read);
    return read.thenCompose(
            v -> {
              // The next receive must wait for the end of the stream.
              CompletableFuture<Map<String, Object>> next = receive.receive().toCompletableFuture();
              return next.applyToEither(sleep(300).thenApply(x -> null), e -> e);
            })
        .thenCompose(
            next -> {
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("events", events);
              out.put("next", next == null ? "waiting" : Events.type(next));
              return all(send, ev(Events.SSE_START), data(Json.write(out)));
            });
  }

  private static void readAll(Receive receive, List<Object> events, CompletableFuture<Void> done) {
    receive
        .receive()
        .whenComplete(
            (e, err) -> {
              if (err != null) {
                done.completeExceptionally(err);
                return;
              }
              Map<String, Object> seen = new LinkedHashMap<>();
              seen.put("type", Events.type(e));
              seen.put("body", new String(Events.body(e), StandardCharsets.UTF_8));
              seen.put("more", Events.more(e) ? 1 : 0);
              events.add(seen);
              if (Events.SSE_REQUEST.equals(Events.type(e)) && Events.more(e)) {
                readAll(receive, events, done);
              } else {
                done.complete(null);
              }
            });
  }

  /** Rules 83, 84 and 87 in one stream; the suite compares the decoded body byte for byte. */
  private static CompletionStage<?> wire(Send send) {
    return all(
        send,
        ev(Events.SSE_START),
        data("line1\nline2\nline3"),
        data("l1\r\nl2"),
        data("l1\rl2"),
        data("a\nb\r\nc\rd"),
        data("a\n"),
        ev(Events.SSE_SEND, "data", "x", "id", "42", "retry", 3000, "event", "click"),
        ev(Events.SSE_COMMENT, "comment", ":keepalive"),
        ev(Events.SSE_COMMENT, "comment", "ping"),
        ev(Events.SSE_COMMENT, "comment", "a\r\nb"),
        data("\u2713"),
        data("end"));
  }

  private static CompletionStage<?> raise(String name, Send send) {
    Supplier<Map<String, Object>> event = INVALID.get(name);
    if (event == null) {
      return Reply.send(send, 404, "text/plain", "unknown raise case " + name);
    }
    return send.send(ev(Events.SSE_START))
        .thenCompose(v -> Reply.attempt(send, event.get()))
        .thenCompose(r -> send.send(data(Json.write(r))));
  }

  private static CompletionStage<?> declined(String name, Send send) {
    Supplier<Map<String, Object>> event = STREAM_EVENTS.get(name);
    if (event == null) {
      return Reply.send(send, 404, "text/plain", "unknown stream event " + name);
    }
    return send.send(
            ev(
                Events.SSE_HTTP_RESPONSE_START,
                "status",
                404,
                "headers",
                List.of(Header.of("content-type", "application/json"))))
        .thenCompose(v -> Reply.attempt(send, event.get()))
        .thenCompose(
            r -> send.send(ev(Events.SSE_HTTP_RESPONSE_BODY, "body", bytes(Json.write(r)))));
  }

  private static CompletionStage<?> decline(String name, String id, Receive receive, Send send) {
    CompletionStage<Void> sent =
        switch (name) {
          case "404" ->
              all(
                  send,
                  ev(
                      Events.SSE_HTTP_RESPONSE_START,
                      "status",
                      404,
                      "headers",
                      List.of(Header.of("content-type", "text/plain"))),
                  ev(Events.SSE_HTTP_RESPONSE_BODY, "body", bytes("no such stream")));
          case "204" ->
              all(
                  send,
                  ev(Events.SSE_HTTP_RESPONSE_START, "status", 204),
                  ev(Events.SSE_HTTP_RESPONSE_BODY));
          case "401" ->
              all(
                  send,
                  ev(
                      Events.SSE_HTTP_RESPONSE_START,
                      "status",
                      401,
                      "headers",
                      List.of(
                          Header.of("content-type", "text/plain"),
                          Header.of("www-authenticate", "Bearer"))),
                  ev(Events.SSE_HTTP_RESPONSE_BODY, "body", bytes("Unauth"), "more", 1),
                  ev(Events.SSE_HTTP_RESPONSE_BODY, "body", bytes("orized"), "more", 0));
          case "twice" ->
              send.send(ev(Events.SSE_HTTP_RESPONSE_START, "status", 404))
                  .thenCompose(
                      v -> Reply.attempt(send, ev(Events.SSE_HTTP_RESPONSE_START, "status", 500)))
                  .thenCompose(
                      r ->
                          send.send(
                              ev(Events.SSE_HTTP_RESPONSE_BODY, "body", bytes("first wins"))));
          default -> Reply.send(send, 404, "text/plain", "unknown decline case " + name);
        };
    // After a decline no sse.disconnect may come: record what a receive gives within 1 s.
    return sent.thenCompose(
        v ->
            receive
                .receive()
                .toCompletableFuture()
                .handle(
                    (e, err) ->
                        err != null
                            ? "raised"
                            : Events.SSE_REQUEST.equals(Events.type(e)) ? null : Events.type(e))
                .thenCompose(
                    first ->
                        first != null
                            ? CompletableFuture.completedFuture(first)
                            : receive
                                .receive()
                                .toCompletableFuture()
                                .handle((e, err) -> err != null ? "raised" : Events.type(e))
                                .applyToEither(sleep(1000).thenApply(x -> "nothing"), s -> s))
                .thenAccept(
                    what -> ProbeRegistry.record(id, "after-decline", Map.of("receive", what))));
  }

  private static CompletionStage<?> close(String id, Send send) {
    return all(send, ev(Events.SSE_START), data("A"), ev(Events.SSE_CLOSE, "reason", SECRET_REASON))
        .thenCompose(v -> Reply.attempt(send, ev(Events.SSE_CLOSE)))
        .thenCompose(
            second ->
                Reply.attempt(send, data("LATE"))
                    .thenCompose(
                        late ->
                            Reply.attempt(send, ev(Events.SSE_COMMENT, "comment", "LATE"))
                                .thenAccept(
                                    comment -> {
                                      Map<String, Object> seen = new LinkedHashMap<>();
                                      seen.put("second_close", second.get("raised"));
                                      seen.put("send_after_close", late.get("raised"));
                                      seen.put("comment_after_close", comment.get("raised"));
                                      ProbeRegistry.record(id, "close", seen);
                                    })));
  }

  private static CompletionStage<?> early(Send send) {
    return Reply.attempt(send, data("early"))
        .thenCompose(r -> all(send, ev(Events.SSE_START), data("raised=" + r.get("raised"))));
  }

  private static CompletionStage<?> keepalive(Send send) {
    return all(
            send, ev(Events.SSE_KEEPALIVE, "interval", 0.2, "comment", "ka"), ev(Events.SSE_START))
        .thenCompose(v -> sleep(1000))
        .thenCompose(v -> all(send, ev(Events.SSE_KEEPALIVE, "interval", 0), data("stopped")))
        .thenCompose(v -> sleep(1000));
  }

  private static CompletionStage<?> keepaliveLastWins(Send send) {
    return all(
            send,
            ev(Events.SSE_START),
            ev(Events.SSE_KEEPALIVE, "interval", 0.3, "comment", "old"),
            ev(Events.SSE_KEEPALIVE, "interval", 0.1, "comment", "new"))
        .thenCompose(v -> sleep(500))
        .thenCompose(v -> send.send(data("done")));
  }

  /**
   * Waits for the client to leave. With {@code keepalive} the server writes a comment every 200 ms,
   * the portable way to notice a vanished client; without, only a server that watches idle
   * connections notices.
   */
  private static CompletionStage<?> disconnect(
      String id, Receive receive, Send send, boolean keepalive) {
    return all(
            send,
            ev(Events.SSE_KEEPALIVE, "interval", keepalive ? 0.2 : 0),
            ev(Events.SSE_START),
            data("A"))
        .thenCompose(v -> untilDisconnect(receive))
        .thenCompose(
            e -> {
              List<Map<String, Object>> after =
                  List.of(
                      data("gone"), ev(Events.SSE_COMMENT, "comment", "c"), ev(Events.SSE_CLOSE));
              CompletionStage<Integer> raised = CompletableFuture.completedFuture(0);
              for (Map<String, Object> event : after) {
                raised =
                    raised.thenCompose(
                        n ->
                            Reply.attempt(send, event)
                                .thenApply(r -> n + ((Integer) r.get("raised"))));
              }
              return raised.thenAccept(
                  n -> {
                    Map<String, Object> seen = new LinkedHashMap<>();
                    seen.put("reason", e.get("reason"));
                    seen.put("raised_after", n);
                    ProbeRegistry.record(id, "disconnect", seen);
                  });
            });
  }
}
