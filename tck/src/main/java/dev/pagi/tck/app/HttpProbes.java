package dev.pagi.tck.app;

import dev.pagi.Connection;
import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Probes for {@code http} scopes, under {@code /http/}; sub-groups are routed to {@link
 * ResponseProbes} ({@code /http/response/}), {@link RequestProbes} ({@code /http/request/}), {@link
 * ValidationProbes} ({@code /http/table/}), {@link ConnectionProbes} ({@code /http/connection/}),
 * {@link FlowProbes} ({@code /http/flow}) and {@link FaultProbes} ({@code /http/fault/}).
 *
 * <ul>
 *   <li>{@code /http/echo[/...]}: P-ECHO, the scope, the request body and the event count as JSON.
 *   <li>{@code /http/raise/<case>}: P-IN, tries one send named by {@code case} (see {@link #CASES})
 *       before the response starts, or after a start promising trailers, and answers {@code
 *       {"raised":0|1,"error":...}}.
 *   <li>{@code /http/identity}: serial numbers of this request's scope, {@code pagi.connection} and
 *       {@code pagi.transport} objects, {@code response_started} on entry, {@code client}, and the
 *       transport's {@code buffered}, {@code high} and {@code low}.
 *   <li>{@code /http/state}: increments {@code state.counter} (a private top-level key) and {@code
 *       state.box.n} (shared through a reference) and answers both.
 *   <li>{@code /http/ok}: records {@code invoked} and answers 200.
 *   <li>{@code /http/inert}: answers 200 and completes its stage with an arbitrary value.
 *   <li>{@code /http/none}, {@code /http/throw}, {@code /http/fail}: no response (return, throw
 *       from {@code call}, failed stage); callbacks record the terminal signal.
 *   <li>{@code /http/throw-after-start[?gate=<id>]}: start, {@code part} (then waits for the gate,
 *       so the client holds {@code part}), then a failed stage.
 *   <li>{@code /http/none-after-gone?mode=return|throw}: waits for the client to go, then ends
 *       without a response.
 * </ul>
 */
final class HttpProbes implements PagiApp {

  /** One P-IN case: the event to try, and whether to try it after a start with trailers. */
  record Case(boolean afterStart, Supplier<Map<String, Object>> event) {}

  /** P-IN cases by name. */
  static final Map<String, Case> CASES = new LinkedHashMap<>();

  static {
    before("unknown-type", () -> Events.of("http.bogus"));
    before("missing-type", LinkedHashMap::new);
    before("sse-start-in-http", () -> Events.of(Events.SSE_START));
    before("websocket-accept-in-http", () -> Events.of(Events.WEBSOCKET_ACCEPT));
    before("custom-unadvertised", () -> Events.of("myproto.message"));
    before("ext-unadvertised", () -> Events.of("ext.tck.experiment"));
    before("start-without-status", () -> Events.of(Events.HTTP_RESPONSE_START));
    before("start-status-not-integer", () -> start("status", "200"));
    before("start-headers-not-array", () -> start("headers", "x: y"));
    before("start-header-not-pair", () -> start("headers", List.of(List.of("x-only-name"))));
    before("start-trailers-not-flag", () -> start("trailers", "yes"));
    before("start-extra-field", () -> start("x_tck_extra", 1));
    before("start-crlf-value", () -> header("x-bad", "safe\r\nSet-Cookie: pwned=1"));
    before("start-lf-value", () -> header("x-bad", "safe\nSet-Cookie: pwned=1"));
    before("start-nul-value", () -> header("x-bad", "a\0b"));
    before("start-ctl-name", () -> header("x-b\u0001ad", "v"));
    before("start-crlf-name", () -> header("x-bad\r\nset-cookie", "pwned=1"));
    before("start-tab-value", () -> header("x-tab", "a\tb"));
    before("body-before-start", () -> Events.body("too early"));
    before("trailers-before-start", () -> Events.of(Events.HTTP_RESPONSE_TRAILERS));
    after("body-and-file", () -> body("file", "/dev/null"));
    after("body-fh", () -> body("fh", new Object()));
    after("body-offset-negative", () -> file("offset", -1));
    after("body-length-negative", () -> file("length", -1));
    after("body-offset-not-integer", () -> file("offset", "10"));
    after("body-not-bytes", () -> body("body", 42));
    after("body-more-not-flag", () -> body("more", "yes"));
    after("body-file-missing", () -> file("file", "/nonexistent/pagi-tck/missing.bin"));
    after("trailers-headers-not-array", () -> trailers("x: y"));
    after("trailers-crlf-value", () -> trailers(List.of(List.of("x-t", "a\r\nx-injected: 1"))));
  }

  private static void before(String name, Supplier<Map<String, Object>> event) {
    CASES.put(name, new Case(false, event));
  }

  private static void after(String name, Supplier<Map<String, Object>> event) {
    CASES.put(name, new Case(true, event));
  }

  private static Map<String, Object> start(String key, Object value) {
    Map<String, Object> e = Events.responseStart(200, List.of());
    e.put(key, value);
    return e;
  }

  private static Map<String, Object> header(String name, String value) {
    return Events.responseStart(200, List.of(new Header(name, value)));
  }

  private static Map<String, Object> body(String key, Object value) {
    Map<String, Object> e = Events.body("x");
    e.put(key, value);
    return e;
  }

  private static Map<String, Object> file(String key, Object value) {
    Map<String, Object> e = Events.of(Events.HTTP_RESPONSE_BODY);
    e.put("file", ResponseProbes.file(16).toString());
    e.put(key, value);
    return e;
  }

  private static Map<String, Object> trailers(Object headers) {
    Map<String, Object> e = Events.of(Events.HTTP_RESPONSE_TRAILERS);
    e.put("headers", headers);
    return e;
  }

  private static final AtomicInteger SERIAL = new AtomicInteger();
  private static final Map<Object, Integer> SERIALS = new IdentityHashMap<>();

  private static int serial(Object o) {
    synchronized (SERIALS) {
      if (SERIALS.size() > 10_000) {
        SERIALS.clear();
      }
      return SERIALS.computeIfAbsent(o, k -> SERIAL.incrementAndGet());
    }
  }

  private final Map<String, PagiApp> groups = new LinkedHashMap<>();

  HttpProbes() {
    groups.put("/http/response/", new ResponseProbes());
    groups.put("/http/request/", new RequestProbes());
    groups.put("/http/table/", new ValidationProbes());
    groups.put("/http/connection/", new ConnectionProbes());
    groups.put("/http/flow", new FlowProbes());
    groups.put("/http/fault/", new FaultProbes());
  }

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send)
      throws Exception {
    String path = TckApp.relativePath(scope);
    for (Map.Entry<String, PagiApp> group : groups.entrySet()) {
      if (path.startsWith(group.getKey())) {
        return group.getValue().call(scope, receive, send);
      }
    }
    String id = TckApp.testId(scope);
    Connection conn = Scope.connection(scope);
    if (path.equals("/http/echo") || path.startsWith("/http/echo/")) {
      return Reply.readBody(receive)
          .thenCompose(
              read -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("scope", scope);
                out.put("body", read.get("body"));
                out.put("events", read.get("events"));
                return Reply.json(send, out);
              });
    }
    if (path.startsWith("/http/raise/")) {
      return raise(path.substring("/http/raise/".length()), conn, send);
    }
    switch (path) {
      case "/http/identity" -> {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scope", serial(scope));
        out.put("connection", serial(conn));
        out.put("transport", serial(scope.get(Scope.TRANSPORT)));
        out.put("response_started", conn.responseStarted() ? 1 : 0);
        out.put("client", scope.get(Scope.CLIENT));
        dev.pagi.Transport t = Scope.transport(scope);
        out.put("buffered", t.bufferedAmount());
        out.put("high", t.highWaterMark());
        out.put("low", t.lowWaterMark());
        return Reply.json(send, out);
      }
      case "/http/state" -> {
        Map<String, Object> state = Scope.state(scope);
        Object counter = state.get("counter");
        state.put("counter", counter instanceof Integer i ? i + 1 : -1);
        @SuppressWarnings("unchecked")
        Map<String, Object> box = (Map<String, Object>) state.get("box");
        int n = box == null ? -1 : ((AtomicInteger) box.get("n")).incrementAndGet();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("counter", state.get("counter"));
        out.put("box_n", n);
        out.put("ready", state.get("tck_lifespan"));
        return Reply.json(send, out);
      }
      case "/http/ok" -> {
        ProbeRegistry.record(id, "invoked");
        return Reply.send(send, 200, "text/plain", "ok");
      }
      case "/http/inert" -> {
        return Reply.send(send, 200, "text/plain", "inert").thenApply(v -> new Object[] {"x", 42});
      }
      case "/http/none", "/http/throw", "/http/fail" -> {
        terminalSignals(id, conn);
        if (path.equals("/http/throw")) {
          throw new IllegalStateException("tck: thrown before http.response.start");
        }
        if (path.equals("/http/fail")) {
          return CompletableFuture.failedFuture(
              new IllegalStateException("tck: failed before http.response.start"));
        }
        return CompletableFuture.completedFuture(null);
      }
      case "/http/throw-after-start" -> {
        terminalSignals(id, conn);
        String gate = TckApp.query(scope, "gate");
        return Reply.start(send, 200, "content-type", "text/plain")
            .thenCompose(v -> Reply.chunk(send, "part", true))
            .thenCompose(
                v ->
                    gate == null
                        ? CompletableFuture.completedFuture(null)
                        : ProbeRegistry.gate(gate)
                            .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                            .exceptionally(timeout -> null))
            .thenCompose(
                v ->
                    CompletableFuture.failedFuture(
                        new IllegalStateException("tck: failed after http.response.start")));
      }
      case "/http/none-after-gone" -> {
        terminalSignals(id, conn);
        boolean fail = "throw".equals(TckApp.query(scope, "mode"));
        ProbeRegistry.record(id, "ready");
        return Reply.untilDisconnect(receive)
            .thenCompose(
                seen -> {
                  ProbeRegistry.record(id, "gone", Map.of("events", seen));
                  return fail
                      ? CompletableFuture.failedFuture(
                          new IllegalStateException("tck: failed after the client left"))
                      : CompletableFuture.completedFuture(null);
                });
      }
      default -> {
        return Reply.send(send, 404, "text/plain", "no http probe at " + path);
      }
    }
  }

  /** Records the terminal signal and the connection state seen from inside it. */
  static void terminalSignals(String id, Connection conn) {
    conn.onComplete(() -> ProbeRegistry.record(id, "complete", snapshot(conn)));
    conn.onDisconnect(
        reason -> {
          Map<String, Object> s = snapshot(conn);
          s.put("reason", reason);
          ProbeRegistry.record(id, "disconnect", s);
        });
  }

  /** The connection's synchronous state, flags as 0/1. */
  static Map<String, Object> snapshot(Connection conn) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("is_connected", conn.isConnected() ? 1 : 0);
    s.put("disconnect_reason", conn.disconnectReason());
    s.put("future_done", conn.disconnectFuture().toCompletableFuture().isDone() ? 1 : 0);
    s.put("response_started", conn.responseStarted() ? 1 : 0);
    Boolean complete = conn.responseComplete();
    s.put("response_complete", complete == null ? null : complete ? 1 : 0);
    return s;
  }

  private CompletionStage<?> raise(String name, Connection conn, Send send) {
    Case c = CASES.get(name);
    if (c == null) {
      return Reply.send(send, 404, "text/plain", "unknown raise case " + name);
    }
    CompletionStage<Void> ready =
        c.afterStart()
            ? send.send(
                with(
                    Events.responseStart(
                        200, List.of(Header.of("content-type", "application/json"))),
                    "trailers",
                    1))
            : CompletableFuture.completedFuture(null);
    return ready
        .thenCompose(v -> Reply.attempt(send, c.event().get()))
        .thenCompose(
            result -> {
              if (!conn.responseStarted()) {
                return Reply.json(send, result);
              }
              return send.send(Events.body(Json.write(result)))
                  .thenCompose(
                      v ->
                          conn.responseComplete()
                              ? CompletableFuture.completedFuture(null)
                              : send.send(Events.of(Events.HTTP_RESPONSE_TRAILERS)));
            });
  }

  private static Map<String, Object> with(Map<String, Object> event, String key, Object value) {
    event.put(key, value);
    return event;
  }
}
