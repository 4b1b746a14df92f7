package dev.pagi;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A PAGI application: one asynchronous function, called once per connection.
 *
 * <p>The server calls {@link #call} with a {@code scope} describing the connection (see {@link
 * Scope} for its keys), a {@link Receive} that yields the next event from the client, and a {@link
 * Send} that emits an event back. Events are plain {@code Map<String,Object>} keyed exactly as the
 * PAGI specification names them, so the specification reads directly; {@link Events} has the type
 * constants, builders and typed accessors. For Server-Sent Events, {@link Sse} wraps an {@code sse}
 * scope and {@link EventSourceApp} serves a whole endpoint.
 *
 * <h2>Completion contract</h2>
 *
 * The returned stage means "this connection is done". Its value is inert: the server never looks at
 * it. A failed stage (or an exception thrown by {@code call} itself) is an application error:
 * before {@code http.response.start} (or {@code sse.start}) the server answers 500; after it the
 * server aborts the response so the client never mistakes it for a complete one. Every {@code send}
 * must be awaited (composed into the returned stage) before the stage completes; work left running
 * after the stage completes races connection cleanup.
 *
 * <h2>Scope types</h2>
 *
 * An application that does not support {@code scope.type} must fail (throw or return a failed
 * stage): the server answers http and sse with 500, refuses a WebSocket handshake with 500, and
 * treats lifespan as declined.
 *
 * <h2>Java types for the specification's data types</h2>
 *
 * <table>
 *   <caption>Spec type to Java type</caption>
 *   <tr><th>spec</th><th>Java</th></tr>
 *   <tr><td>Bytes ({@code body}, {@code raw_path}, {@code query_string}, {@code bytes})</td>
 *       <td>{@code byte[]} (a {@code String} is accepted on send and encoded as UTF-8)</td></tr>
 *   <tr><td>String ({@code path}, {@code text}, {@code data}, {@code event}, {@code id})</td>
 *       <td>{@code String}</td></tr>
 *   <tr><td>Int ({@code status}, {@code more}, {@code code}, {@code retry})</td>
 *       <td>{@code Integer}/{@code Long} as received; any integral {@code Number} accepted on
 *       send; flags ({@code more}, {@code trailers}) also accept {@code Boolean}</td></tr>
 *   <tr><td>Float ({@code interval}, {@code timeout})</td><td>any {@code Number}, seconds</td></tr>
 *   <tr><td>headers</td><td>{@code List<Header>}; names lower-case; values are strings whose
 *       characters are bytes 0-255 (ISO-8859-1). On send, a two-element {@code List} or
 *       array per header is accepted too.</td></tr>
 *   <tr><td>ArrayRef / HashRef</td><td>{@code List} / {@code Map<String,Object>}</td></tr>
 *   <tr><td>undef</td><td>{@code null} or an absent key</td></tr>
 *   <tr><td>Future</td><td>{@code CompletionStage}</td></tr>
 * </table>
 *
 * <h2>Example</h2>
 *
 * <pre>{@code
 * PagiApp hello = (scope, receive, send) -> {
 *   if (!Scope.TYPE_HTTP.equals(Scope.type(scope))) {
 *     throw new IllegalArgumentException("unsupported scope " + Scope.type(scope));
 *   }
 *   return send.send(Events.responseStart(200, List.of(Header.of("content-type", "text/plain"))))
 *       .thenCompose(v -> send.send(Events.body("Hello from PAGI!")));
 * };
 * }</pre>
 *
 * <h2>Middleware</h2>
 *
 * Middleware is a {@link Middleware} ({@code PagiApp -> PagiApp}). A middleware that adds keys to
 * the scope passes a copy ({@link Scope#with}) to the inner app and never mutates the scope it was
 * given, so outer layers see the scope exactly as they passed it.
 *
 * <h2>Threads</h2>
 *
 * {@code call} runs on a container thread and must not block it. Stages returned by {@code receive}
 * and {@code send} complete on container or timer threads; continuations attached with the
 * non-async {@code then*} methods run there too, so they must not block either.
 */
@FunctionalInterface
public interface PagiApp {

  /**
   * Runs the application for one connection.
   *
   * @param scope what the connection is; never mutated by the server after the call
   * @param receive the next event from the client
   * @param send an event back to the client
   * @return a stage that completes when the application is done with the connection
   * @throws Exception treated exactly like a failed stage
   */
  CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send) throws Exception;

  /**
   * Wraps this application in the given middleware, the first one outermost.
   *
   * @param middleware layers to apply
   * @return the composed application
   */
  default PagiApp with(Middleware... middleware) {
    PagiApp app = this;
    for (int i = middleware.length - 1; i >= 0; i--) {
      app = middleware[i].apply(app);
    }
    return app;
  }
}
