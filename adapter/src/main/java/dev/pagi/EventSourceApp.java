package dev.pagi;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An application serving one EventSource endpoint: for each client it starts the stream (with
 * optional extra headers, e.g. CORS), hands a {@link Client} to a handler that pushes strings or
 * events, and ends when the handler closes the client or the client leaves.
 *
 * <pre>{@code
 * PagiApp events = new EventSourceApp(
 *     (client, scope) -> {
 *       client.push("foo");                                 // data: foo
 *       client.push("multi", "line");                       // data: multi / data: line
 *       client.push(Map.of("id", 1, "data", "with id"));    // id: 1 / data: with id
 *       client.close();
 *     },
 *     List.of(Header.of("access-control-allow-origin", "https://app.example"),
 *             Header.of("access-control-allow-credentials", "true")));
 * }</pre>
 *
 * The handler may keep the client and push later from any thread (a broadcaster); until it calls
 * {@link Client#close()} the stream stays open. A request that is not an SSE request (no {@code
 * Accept: text/event-stream}) gets {@code 406 Not Acceptable}; the lifespan scope is declined.
 */
public final class EventSourceApp implements PagiApp {

  /** Serves one client. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Called once per client, after the stream has started, on the thread that started it.
     *
     * @param client where to push events
     * @param scope the {@code sse} scope
     * @throws Exception ends the stream abnormally (the client sees a truncated stream)
     */
    void handle(Client client, Map<String, Object> scope) throws Exception;
  }

  /** One connected EventSource. Thread-safe. */
  public static final class Client {
    private final Sse sse;

    Client(Sse sse) {
      this.sse = sse;
    }

    /**
     * Pushes one event whose data has one line per argument.
     *
     * @param lines the data lines
     * @return a stage completing when the event was accepted (with backpressure)
     */
    public CompletionStage<Void> push(String... lines) {
      return sse.send(String.join("\n", lines));
    }

    /**
     * Pushes one event with fields {@code data} and optional {@code id}, {@code event}, {@code
     * retry}.
     *
     * @param event the fields; non-string data is sent as JSON
     * @return a stage completing when the event was accepted
     */
    public CompletionStage<Void> push(Map<String, ?> event) {
      return sse.sendEvent(event);
    }

    /**
     * Ends the stream. Idempotent.
     *
     * @return a stage completing when the close was accepted
     */
    public CompletionStage<Void> close() {
      return sse.close();
    }

    /**
     * @return whether the stream ended (closed, or the client left)
     */
    public boolean isClosed() {
      return sse.isClosed();
    }

    /**
     * @return the full helper, for keepalives, callbacks and scope accessors
     */
    public Sse sse() {
      return sse;
    }
  }

  private final Handler handler;
  private final List<Header> headers;

  /**
   * @param handler serves each client
   */
  public EventSourceApp(Handler handler) {
    this(handler, List.of());
  }

  /**
   * @param handler serves each client
   * @param headers extra response headers on every stream, e.g. CORS with credentials
   */
  public EventSourceApp(Handler handler, List<Header> headers) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.headers = List.copyOf(headers);
  }

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) {
    String type = Scope.type(scope);
    if (Scope.TYPE_HTTP.equals(type)) {
      return send.send(
              Events.responseStart(
                  406,
                  List.of(
                      Header.of("content-type", "text/plain; charset=utf-8"),
                      Header.of("vary", "accept"))))
          .thenCompose(
              v ->
                  send.send(
                      Events.body(
                          "This endpoint serves text/event-stream;"
                              + " send 'Accept: text/event-stream'.\n")));
    }
    if (!Scope.TYPE_SSE.equals(type)) {
      throw new IllegalArgumentException("EventSourceApp does not serve '" + type + "' scopes");
    }
    Sse sse = new Sse(scope, receive, send);
    Client client = new Client(sse);
    return sse.start(200, headers)
        .thenCompose(
            v -> {
              try {
                handler.handle(client, scope);
              } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
              }
              return sse.run();
            });
  }
}
