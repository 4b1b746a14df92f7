package dev.pagi;

import dev.pagi.internal.JsonEncoders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A convenience wrapper around one {@code sse} scope: start the stream once, send text, JSON or
 * full events, keep it alive, learn when it ends, and clean up in callbacks.
 *
 * <pre>{@code
 * PagiApp app = (scope, receive, send) -> {
 *   Sse sse = new Sse(scope, receive, send);
 *   String subscription = hub.subscribe(message -> sse.trySendJson(message));
 *   sse.onClose((s, reason) -> hub.unsubscribe(subscription));
 *   return sse.keepalive(Duration.ofSeconds(25))
 *       .thenCompose(v -> sse.sendEvent("connected", Map.of("since", sse.lastEventId())))
 *       .thenCompose(v -> sse.run());
 * };
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * The stream starts with the first send, or explicitly with {@link #start()} (idempotent). From
 * then on the helper watches {@code receive()} for {@code sse.disconnect}; read a request body with
 * {@link #body()} <em>before</em> starting. The stream ends when the client leaves, when the server
 * ends it (idle timeout, shutdown), or when the application calls {@link #close()}. {@link #run()}
 * completes at that moment. Either way the {@link #onClose} callbacks run exactly once, in
 * registration order, with the reason ({@code client_closed}, {@code write_error}, {@code
 * idle_timeout}, {@code server_shutdown}, or the reason given to {@code close}); one callback's
 * exception is logged and does not stop the others. Before the stream starts, the request can be
 * declined instead: {@link #notFound()}, {@link #noContent()} (an EventSource stops reconnecting),
 * {@link #decline}.
 *
 * <h2>Threads</h2>
 *
 * All methods are non-blocking and thread-safe; a broadcaster may call {@code trySend*} from its
 * own thread while the handler waits in {@link #run()}. Sends are applied in call order, and the
 * returned stages apply the stream's backpressure ({@link Transport}). Callbacks run on the thread
 * that observed the end (a container thread, or the one calling {@code close}). {@link #every}
 * waits on one scheduler thread shared by all helpers and runs its task on the common pool.
 *
 * <h2>JSON</h2>
 *
 * {@link #sendJson} and non-string event data use Jackson when it is on the class path; otherwise
 * set an encoder with {@link #jsonEncoder(Function)}. The adapter itself never needs Jackson.
 */
public final class Sse {
  private static final Logger LOG = Logger.getLogger(Sse.class.getName());
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  // Shared answers of trySend*: minimal stages, so no caller can change them for the others.
  private static final CompletionStage<Boolean> SENT = CompletableFuture.completedStage(true);
  private static final CompletionStage<Boolean> NOT_SENT = CompletableFuture.completedStage(false);

  /** Where the stream is, as PAGI::SSE reports it. */
  public enum State {
    /** Not started yet. */
    PENDING,
    /** {@code sse.start} sent. */
    STARTED,
    /** Ended: closed, disconnected, or declined. */
    CLOSED
  }

  private final Map<String, Object> scope;
  private final Receive receive;
  private final Send send;
  private final Map<String, Object> stash;
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private final List<BiConsumer<Sse, String>> onClose = new ArrayList<>();
  private final List<BiConsumer<Sse, Throwable>> onError = new ArrayList<>();
  private final List<Pause> pauses = new ArrayList<>();
  private volatile Function<Object, String> json;
  private CompletableFuture<Void> started;
  private boolean watching;
  private boolean declined;
  private boolean bodyRead;

  /**
   * @param scope an {@code sse} scope
   * @param receive the stream's receive
   * @param send the stream's send
   * @throws IllegalArgumentException when the scope type is not {@code sse}
   */
  @SuppressWarnings("unchecked")
  public Sse(Map<String, Object> scope, Receive receive, Send send) {
    if (!Scope.TYPE_SSE.equals(Scope.type(scope))) {
      throw new IllegalArgumentException(
          "Expected a scope of type 'sse' but got '" + Scope.type(scope) + "'");
    }
    this.scope = scope;
    this.receive = Objects.requireNonNull(receive, "receive");
    this.send = Objects.requireNonNull(send, "send");
    Object s = scope.get("pagi.stash");
    this.stash = s instanceof Map<?, ?> m ? (Map<String, Object>) m : new ConcurrentHashMap<>();
  }

  // ---- scope accessors

  /**
   * @return the scope this helper wraps
   */
  public Map<String, Object> scope() {
    return scope;
  }

  /**
   * @return {@code scope.path}
   */
  public String path() {
    return Scope.path(scope);
  }

  /**
   * @return {@code scope.raw_path} as ISO-8859-1 (still percent-encoded)
   */
  public String rawPath() {
    Object raw = scope.get(Scope.RAW_PATH);
    return raw instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : path();
  }

  /**
   * @return {@code scope.query_string} as ISO-8859-1 (still percent-encoded)
   */
  public String queryString() {
    return Scope.queryString(scope);
  }

  /**
   * @return {@code scope.method}
   */
  public String method() {
    return Scope.method(scope);
  }

  /**
   * @return {@code scope.scheme}
   */
  public String scheme() {
    return (String) scope.get(Scope.SCHEME);
  }

  /**
   * @return {@code scope.http_version}
   */
  public String httpVersion() {
    return (String) scope.get(Scope.HTTP_VERSION);
  }

  /**
   * @return the request headers
   */
  public List<Header> headers() {
    return Scope.headers(scope);
  }

  /**
   * @param name a header name, any case
   * @return its first value, or {@code null}
   */
  public String header(String name) {
    return Scope.header(scope, name);
  }

  /**
   * @param name a header name, any case
   * @return all its values, in order
   */
  public List<String> headerAll(String name) {
    List<String> out = new ArrayList<>();
    for (Header h : headers()) {
      if (h.name().equalsIgnoreCase(name)) {
        out.add(h.value());
      }
    }
    return out;
  }

  /**
   * @return the {@code Last-Event-ID} a reconnecting EventSource sends, or {@code null}
   */
  public String lastEventId() {
    return header("last-event-id");
  }

  /**
   * @param name a path parameter a router stored in {@code scope.path_params}
   * @return its value, or {@code null}
   */
  public Object pathParam(String name) {
    return pathParams().get(name);
  }

  /**
   * @return {@code scope.path_params}, empty when no router set it
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> pathParams() {
    Object p = scope.get("path_params");
    return p instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /**
   * @return per-request storage: {@code scope["pagi.stash"]} when middleware put a map there,
   *     otherwise a map owned by this helper
   */
  public Map<String, Object> stash() {
    return stash;
  }

  /**
   * @return the lifespan state (a shallow copy per request), empty when there is none
   */
  public Map<String, Object> state() {
    return Scope.state(scope);
  }

  /**
   * @return the stream's {@code pagi.transport}, or {@code null} when the server gives none
   */
  public Transport transport() {
    return Scope.transport(scope);
  }

  /**
   * @return bytes queued for the client but not yet written (0 without a transport)
   */
  public long bufferedAmount() {
    Transport t = transport();
    return t == null ? 0 : t.bufferedAmount();
  }

  // ---- state

  /**
   * @return whether {@code sse.start} was sent
   */
  public synchronized boolean isStarted() {
    return started != null && !declined;
  }

  /**
   * @return whether the stream ended (closed, disconnected, or declined)
   */
  public boolean isClosed() {
    return closed.isDone();
  }

  /**
   * @return pending, started or closed
   */
  public State connectionState() {
    return isClosed() ? State.CLOSED : isStarted() ? State.STARTED : State.PENDING;
  }

  /**
   * @return why the stream ended, or {@code null} while it is open
   */
  public String disconnectReason() {
    return closed.getNow(null);
  }

  // ---- configuration and callbacks

  /**
   * Sets the JSON encoder for {@link #sendJson} and non-string event data.
   *
   * @param encoder turns a value into JSON text
   * @return this
   */
  public Sse jsonEncoder(Function<Object, String> encoder) {
    this.json = Objects.requireNonNull(encoder, "encoder");
    return this;
  }

  /**
   * Registers cleanup for the end of the stream. Runs at once when it has already ended.
   *
   * @param callback receives this helper and the reason
   * @return this
   */
  public Sse onClose(BiConsumer<Sse, String> callback) {
    synchronized (this) {
      if (!closed.isDone()) {
        onClose.add(callback);
        return this;
      }
    }
    runSafely(() -> callback.accept(this, closed.join()));
    return this;
  }

  /**
   * Registers a callback for failures of the helper's own sends and of {@link #each} / {@link
   * #every} tasks.
   *
   * @param callback receives this helper and the failure
   * @return this
   */
  public synchronized Sse onError(BiConsumer<Sse, Throwable> callback) {
    onError.add(callback);
    return this;
  }

  // ---- lifecycle

  /**
   * Reads the whole request body ({@code sse.request} events). Call it before the stream starts.
   *
   * @return the body bytes
   */
  public CompletionStage<byte[]> body() {
    synchronized (this) {
      if (watching || bodyRead) {
        return CompletableFuture.failedFuture(
            new ProtocolException("Cannot read the body: it was read or the stream started"));
      }
      bodyRead = true;
    }
    CompletableFuture<byte[]> out = new CompletableFuture<>();
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    readBody(buf, out);
    return out;
  }

  private void readBody(java.io.ByteArrayOutputStream buf, CompletableFuture<byte[]> out) {
    receive
        .receive()
        .whenComplete(
            (event, error) -> {
              if (error != null) {
                out.completeExceptionally(error);
              } else if (Events.SSE_REQUEST.equals(Events.type(event))) {
                buf.writeBytes(Events.body(event));
                if (Events.more(event)) {
                  readBody(buf, out);
                } else {
                  out.complete(buf.toByteArray());
                }
              } else {
                ended(Events.string(event, "reason"));
                out.complete(buf.toByteArray());
              }
            });
  }

  /**
   * Starts the stream with status 200; later calls return the first call's stage.
   *
   * @return a stage completing when {@code sse.start} was accepted
   */
  public CompletionStage<Void> start() {
    return start(200, List.of());
  }

  /**
   * Starts the stream; later calls (with any arguments) return the first call's stage.
   *
   * @param status the HTTP status
   * @param headers extra response headers
   * @return a stage completing when {@code sse.start} was accepted
   */
  public CompletionStage<Void> start(int status, List<Header> headers) {
    CompletableFuture<Void> f;
    synchronized (this) {
      if (started != null) {
        return started;
      }
      if (closed.isDone()) {
        return DONE;
      }
      f = started = new CompletableFuture<>();
    }
    Map<String, Object> event = Events.of(Events.SSE_START);
    event.put("status", status);
    event.put("headers", headers);
    forward(send.send(event), f);
    f.thenRun(this::watch);
    return f;
  }

  /** Watches receive for the end of the stream, once the stream has started. */
  private void watch() {
    synchronized (this) {
      if (watching) {
        return;
      }
      watching = true;
    }
    nextEvent();
  }

  private void nextEvent() {
    receive
        .receive()
        .whenComplete(
            (event, error) -> {
              if (error != null) {
                ended("x-receive-failed");
              } else if (Events.SSE_DISCONNECT.equals(Events.type(event))) {
                String reason = Events.string(event, "reason");
                ended(reason == null ? "client_closed" : reason);
              } else {
                nextEvent();
              }
            });
  }

  /**
   * Waits for the end of the stream, starting it first when needed.
   *
   * @return a stage completing with the reason when the stream ends
   */
  public CompletionStage<String> run() {
    synchronized (this) {
      if (declined) {
        return closed;
      }
    }
    return start().thenCompose(v -> closed);
  }

  /**
   * Ends the stream with {@code sse.close} and runs the {@link #onClose} callbacks with reason
   * {@code closed}. Before the stream started only the callbacks run.
   *
   * @return a stage completing when the close was accepted
   */
  public CompletionStage<Void> close() {
    return close("closed");
  }

  /**
   * Ends the stream with {@code sse.close} carrying {@code reason} (logged by the server, never
   * sent) and runs the {@link #onClose} callbacks with it. Idempotent.
   *
   * @param reason why, for logs and callbacks
   * @return a stage completing when the close was accepted
   */
  public CompletionStage<Void> close(String reason) {
    boolean sendClose;
    synchronized (this) {
      if (closed.isDone()) {
        return DONE;
      }
      sendClose = started != null && !declined;
    }
    CompletionStage<Void> stage = DONE;
    if (sendClose) {
      Map<String, Object> event = Events.of(Events.SSE_CLOSE);
      event.put("reason", reason);
      stage = started.thenCompose(v -> send.send(event));
    }
    ended(reason);
    return stage;
  }

  private void ended(String reason) {
    List<BiConsumer<Sse, String>> callbacks;
    List<Pause> paused;
    synchronized (this) {
      if (!closed.complete(reason)) {
        return;
      }
      callbacks = new ArrayList<>(onClose);
      onClose.clear();
      paused = new ArrayList<>(pauses);
      pauses.clear();
    }
    for (Pause p : paused) {
      if (p.timer != null) {
        p.timer.cancel(false);
      }
      p.loop.complete(null);
    }
    for (BiConsumer<Sse, String> cb : callbacks) {
      runSafely(() -> cb.accept(this, reason));
    }
  }

  // ---- sends

  /**
   * Sends a data-only event, starting the stream when needed.
   *
   * @param data the text; newlines become separate {@code data:} lines
   * @return a stage completing when the event was accepted (with backpressure)
   */
  public CompletionStage<Void> send(String data) {
    return sendEvent(Map.of("data", data));
  }

  /**
   * Sends {@code value} encoded as JSON as the event data.
   *
   * @param value anything the JSON encoder accepts
   * @return a stage completing when the event was accepted
   */
  public CompletionStage<Void> sendJson(Object value) {
    String text;
    try {
      text = encoder().apply(value);
    } catch (RuntimeException e) {
      return failed(e);
    }
    return send(text);
  }

  /**
   * Sends an event with a type.
   *
   * @param event the event type ({@code event:} field)
   * @param data a string, or any other value to send as JSON
   * @return a stage completing when the event was accepted
   */
  public CompletionStage<Void> sendEvent(String event, Object data) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("event", event);
    fields.put("data", data);
    return sendEvent(fields);
  }

  /**
   * Sends a full event.
   *
   * @param fields {@code data} (required; a non-string value is sent as JSON), optional {@code
   *     event}, {@code id} and {@code retry} (milliseconds)
   * @return a stage completing when the event was accepted; failed when a field is invalid
   */
  public CompletionStage<Void> sendEvent(Map<String, ?> fields) {
    Map<String, Object> event = Events.of(Events.SSE_SEND);
    try {
      Object data = fields.get("data");
      if (data == null) {
        throw new ProtocolException("Expected field 'data' in an SSE event but it is missing");
      }
      event.put("data", data instanceof CharSequence cs ? cs.toString() : encoder().apply(data));
      for (String key : List.of("event", "id")) {
        Object v = fields.get(key);
        if (v != null) {
          event.put(key, v.toString());
        }
      }
      Object retry = fields.get("retry");
      if (retry != null) {
        event.put("retry", retry instanceof Duration d ? d.toMillis() : retry);
      }
    } catch (RuntimeException e) {
      return failed(e);
    }
    return afterStart(event);
  }

  /**
   * Sends a comment line (ignored by EventSource clients).
   *
   * @param comment the text; a {@code :} is prepended
   * @return a stage completing when the comment was accepted
   */
  public CompletionStage<Void> comment(String comment) {
    Map<String, Object> event = Events.of(Events.SSE_COMMENT);
    event.put("comment", comment);
    return afterStart(event);
  }

  /**
   * Sends {@code event} once the stream has started. On a started stream the send goes straight
   * through, and a send the server accepted at once is returned as it is: a broadcaster calling
   * this for thousands of streams does not allocate stages per stream.
   */
  private CompletionStage<Void> afterStart(Map<String, Object> event) {
    CompletionStage<Void> start = started();
    CompletionStage<Void> stage;
    if (succeeded(start)) {
      try {
        stage = send.send(event);
      } catch (RuntimeException e) {
        return failed(e);
      }
    } else {
      stage = start.thenCompose(v -> send.send(event));
    }
    return succeeded(stage) ? stage : stage.whenComplete(this::reportError);
  }

  private static boolean succeeded(CompletionStage<?> stage) {
    return stage instanceof CompletableFuture<?> f && f.isDone() && !f.isCompletedExceptionally();
  }

  /**
   * Like {@link #send(String)}, for broadcasting: never fails.
   *
   * @param data the text
   * @return a stage with true when the event was accepted, false when the stream is closed or the
   *     send failed
   */
  public CompletionStage<Boolean> trySend(String data) {
    return attempt(() -> send(data));
  }

  /**
   * Like {@link #sendJson}, for broadcasting: never fails.
   *
   * @param value the value
   * @return a stage with true when the event was accepted
   */
  public CompletionStage<Boolean> trySendJson(Object value) {
    return attempt(() -> sendJson(value));
  }

  /**
   * Like {@link #sendEvent(Map)}, for broadcasting: never fails.
   *
   * @param fields the event fields
   * @return a stage with true when the event was accepted
   */
  public CompletionStage<Boolean> trySendEvent(Map<String, ?> fields) {
    return attempt(() -> sendEvent(fields));
  }

  private CompletionStage<Boolean> attempt(Supplier<CompletionStage<Void>> action) {
    if (isClosed()) {
      return NOT_SENT;
    }
    try {
      CompletionStage<Void> stage = action.get();
      if (succeeded(stage)) {
        return isClosed() ? NOT_SENT : SENT;
      }
      return stage.handle((v, e) -> e == null && !isClosed());
    } catch (RuntimeException e) {
      return NOT_SENT;
    }
  }

  /**
   * Asks the server to send keepalive comments; replaces an earlier setting.
   *
   * @param interval time between comments; zero stops them
   * @return a stage completing when the setting was accepted
   */
  public CompletionStage<Void> keepalive(Duration interval) {
    return keepalive(interval, "");
  }

  /**
   * Asks the server to send keepalive comments with the given text.
   *
   * @param interval time between comments; zero stops them
   * @param comment the comment text
   * @return a stage completing when the setting was accepted
   */
  public CompletionStage<Void> keepalive(Duration interval, String comment) {
    Map<String, Object> event = Events.of(Events.SSE_KEEPALIVE);
    event.put("interval", interval.toNanos() / 1e9);
    event.put("comment", comment);
    return send.send(event).whenComplete(this::reportError);
  }

  // ---- iteration

  /**
   * Calls {@code fn} for each item in order, waiting for each returned stage; when a stage yields a
   * {@code Map}, it is sent as an event (see {@link #sendEvent(Map)}). Stops early when the stream
   * closes.
   *
   * @param items the items
   * @param fn gets the item and its index
   * @param <T> the item type
   * @return a stage completing after the last item, or failing with the first failure
   */
  public <T> CompletionStage<Void> each(
      Iterable<T> items, BiFunction<T, Integer, CompletionStage<?>> fn) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    step(items.iterator(), 0, fn, done);
    return done;
  }

  private <T> void step(
      Iterator<T> it,
      int index,
      BiFunction<T, Integer, CompletionStage<?>> fn,
      CompletableFuture<Void> done) {
    if (isClosed() || !it.hasNext()) {
      done.complete(null);
      return;
    }
    CompletionStage<?> stage;
    try {
      stage = fn.apply(it.next(), index);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage
        .thenCompose(
            result -> {
              if (result instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, ?> fields = (Map<String, ?>) m;
                return sendEvent(fields);
              }
              return DONE;
            })
        .whenComplete(
            (v, error) -> {
              if (error != null) {
                reportError(null, error);
                done.completeExceptionally(unwrap(error));
              } else {
                step(it, index + 1, fn, done);
              }
            });
  }

  /**
   * Runs {@code task} now and then again {@code interval} after each run completes, until the
   * stream closes. When a run fails, the stream is closed (reason {@code error}), the {@link
   * #onError} and {@link #onClose} callbacks run, and the returned stage fails.
   *
   * @param interval the pause between runs, positive
   * @param task the work of one run
   * @return a stage completing when the stream closed
   */
  public CompletionStage<Void> every(Duration interval, Supplier<CompletionStage<?>> task) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("Expected a positive interval but got " + interval);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    tick(interval, task, done);
    return done;
  }

  private void tick(
      Duration interval, Supplier<CompletionStage<?>> task, CompletableFuture<Void> done) {
    if (isClosed()) {
      done.complete(null);
      return;
    }
    CompletableFuture.supplyAsync(task::get)
        .thenCompose(stage -> stage)
        .whenComplete(
            (v, error) -> {
              if (error != null) {
                reportError(null, error);
                close("error");
                done.completeExceptionally(unwrap(error));
              } else if (isClosed()) {
                done.complete(null);
              } else {
                pause(interval, () -> tick(interval, task, done), done);
              }
            });
  }

  /** Schedules the next run; a close cancels the pause so nothing is left on the timer. */
  private void pause(Duration interval, Runnable next, CompletableFuture<Void> done) {
    synchronized (this) {
      if (closed.isDone()) {
        done.complete(null);
        return;
      }
      Pause pause = new Pause(done);
      pauses.add(pause);
      pause.timer =
          Timer.SCHEDULER.schedule(
              () -> {
                synchronized (this) {
                  pauses.remove(pause);
                }
                next.run();
              },
              interval.toNanos(),
              TimeUnit.NANOSECONDS);
    }
  }

  /** A pending {@link #every} pause: its timer and the loop it belongs to. */
  private static final class Pause {
    final CompletableFuture<Void> loop;
    ScheduledFuture<?> timer;

    Pause(CompletableFuture<Void> loop) {
      this.loop = loop;
    }
  }

  // ---- decline

  /**
   * Declines the stream with {@code 404 Not Found}.
   *
   * @return a stage completing when the response was accepted
   */
  public CompletionStage<Void> notFound() {
    return decline(404, List.of(Header.of("content-type", "text/plain")), "Not Found");
  }

  /**
   * Declines the stream with {@code 204 No Content}: an EventSource stops reconnecting.
   *
   * @return a stage completing when the response was accepted
   */
  public CompletionStage<Void> noContent() {
    return decline(204, List.of(), "");
  }

  /**
   * Answers with a normal HTTP response instead of a stream ({@code sse.http.response.start} and
   * {@code .body}); the helper is closed afterwards with reason {@code declined}.
   *
   * @param status the HTTP status
   * @param headers the response headers
   * @param body the body, UTF-8 encoded
   * @return a stage completing when the response was accepted; failed after the stream started
   */
  public CompletionStage<Void> decline(int status, List<Header> headers, String body) {
    synchronized (this) {
      if (started != null && !declined) {
        return CompletableFuture.failedFuture(
            new ProtocolException("Cannot decline after 'sse.start'"));
      }
      if (declined) {
        return CompletableFuture.failedFuture(
            new ProtocolException("Cannot decline twice: the response was already sent"));
      }
      declined = true;
      // Later sends fail instead of starting a stream the server would refuse anyway.
      started =
          CompletableFuture.failedFuture(
              new ProtocolException("Cannot send events: the stream was declined"));
    }
    Map<String, Object> start = Events.of(Events.SSE_HTTP_RESPONSE_START);
    start.put("status", status);
    start.put("headers", headers);
    Map<String, Object> end = Events.of(Events.SSE_HTTP_RESPONSE_BODY);
    end.put("body", body.getBytes(StandardCharsets.UTF_8));
    end.put("more", 0);
    return send.send(start)
        .thenCompose(v -> send.send(end))
        .whenComplete((v, e) -> ended("declined"));
  }

  // ---- internals

  private CompletionStage<Void> started() {
    CompletableFuture<Void> f;
    synchronized (this) {
      f = started;
    }
    return f != null ? f : start();
  }

  private Function<Object, String> encoder() {
    Function<Object, String> f = json;
    return f != null ? f : JsonEncoders.defaultEncoder();
  }

  private CompletionStage<Void> failed(Throwable e) {
    reportError(null, e);
    return CompletableFuture.failedFuture(e);
  }

  private void reportError(Object ignored, Throwable error) {
    if (error == null) {
      return;
    }
    List<BiConsumer<Sse, Throwable>> callbacks;
    synchronized (this) {
      callbacks = new ArrayList<>(onError);
    }
    Throwable cause = unwrap(error);
    for (BiConsumer<Sse, Throwable> cb : callbacks) {
      runSafely(() -> cb.accept(this, cause));
    }
  }

  private static void forward(CompletionStage<Void> from, CompletableFuture<Void> to) {
    from.whenComplete(
        (v, e) -> {
          if (e != null) {
            to.completeExceptionally(unwrap(e));
          } else {
            to.complete(null);
          }
        });
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private static void runSafely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Sse callback failed", e);
    }
  }

  @Override
  public String toString() {
    return "Sse[" + path() + ", " + connectionState().name().toLowerCase(Locale.ROOT) + "]";
  }

  /** One daemon thread for every helper's {@link #every} pauses, created on first use. */
  private static final class Timer {
    static final ScheduledExecutorService SCHEDULER;

    static {
      ScheduledThreadPoolExecutor s =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, "pagi-sse-every");
                t.setDaemon(true);
                return t;
              });
      s.setRemoveOnCancelPolicy(true);
      SCHEDULER = s;
    }
  }
}
