package dev.pagi.internal;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.ProtocolException;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One {@code http} request: its scope, {@code receive}, {@code send} and the single terminate path.
 *
 * <h2>Concurrency</h2>
 *
 * State is guarded by {@code this}. Application threads ({@code receive}, {@code send}) and
 * container threads (read and write listeners, async events) change it under the lock, then — with
 * the lock released — pump I/O, complete stages and run callbacks. Every end (clean completion,
 * client gone, write error, app failure, shutdown) goes through {@link #ended()} or {@link
 * #terminate}, each guarded by the {@link #phase} transition so it happens exactly once.
 */
public final class HttpExchange
    implements ServletRuntime.Live, AsyncListener, OutputPump.Sink, Receive, Send {
  private static final Logger LOG = Logger.getLogger(HttpExchange.class.getName());
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final Map<String, Object> DISCONNECT = Map.of("type", Events.HTTP_DISCONNECT);
  private static final String SEND_TYPES =
      "'http.response.start', 'http.response.body', 'http.response.trailers', 'http.fullflush'";

  /**
   * Progress of the response.
   *
   * <pre>
   * AWAITING_START ─start─▶ STREAMING ─final body─▶ COMPLETE
   *                              │                     ▲
   *                              └─final body, trailers promised─▶ AWAITING_TRAILERS ─trailers─┘
   * </pre>
   */
  enum ResponseState {
    /** Nothing sent yet. Initial state. */
    AWAITING_START,
    /** Entered on {@code http.response.start}. */
    STREAMING,
    /** Entered on the final body when the start promised trailers. */
    AWAITING_TRAILERS,
    /** Entered on the final body, the trailers, a file body, or the server's own response. */
    COMPLETE
  }

  /** Whether the exchange is still live. */
  enum Phase {
    /** Initial state. */
    LIVE,
    /** Entered exactly once, by a clean end or {@link #terminate}. */
    ENDED
  }

  private final ServletRuntime rt;
  private final HttpServletRequest req;
  private final HttpServletResponse resp;
  private final AsyncContext async;
  private final ConnectionState connection = new ConnectionState();
  private final FlowControl flow;
  private final OutputPump output;
  private final boolean hasBody;
  // Created by the first receive(): most requests with a possible body (every HTTP/2 GET) never
  // read it.
  private InputPump input;
  private final Map<String, Object> scope;
  private final long maxBody;
  private final boolean head;

  private ResponseState response = ResponseState.AWAITING_START;
  private Phase phase = Phase.LIVE;
  private boolean serverResponse;
  private boolean abnormal;
  private boolean bodyDone;
  private boolean registered;
  private long bodyRead;
  private CompletableFuture<Map<String, Object>> pendingReceive;
  // Created when the start promises trailers.
  private Map<String, String> trailerFields;

  /**
   * Starts async processing; call from {@code service()}.
   *
   * @param rt the servlet runtime
   * @param req the request
   * @param resp the response
   * @param scope the common scope keys from {@link ScopeBuilder}
   * @param hasBody whether a request body may follow
   * @throws IOException when the container cannot give the streams
   */
  public HttpExchange(
      ServletRuntime rt,
      HttpServletRequest req,
      HttpServletResponse resp,
      Map<String, Object> scope,
      boolean hasBody)
      throws IOException {
    this.rt = rt;
    this.req = req;
    this.resp = resp;
    this.maxBody = rt.config().maxBodySize();
    this.head = "HEAD".equals(scope.get(Scope.METHOD));
    this.flow = new FlowControl(rt.config().highWaterMark(), rt.config().lowWaterMark());
    this.async = req.startAsync();
    this.output = OutputPump.install(resp, flow, this);
    this.hasBody = hasBody;
    this.bodyDone = !hasBody;
    ScopeBuilder.add(scope, Scope.CONNECTION, connection);
    ScopeBuilder.add(scope, Scope.TRANSPORT, flow);
    if (rt.config().fullflush()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> ext = (Map<String, Object>) scope.get(Scope.EXTENSIONS);
      ext.put(Scope.EXT_FULLFLUSH, Map.of());
    }
    this.scope = Collections.unmodifiableMap(scope);
  }

  /** Calls the application and watches its stage. */
  public void run() {
    CompletionStage<?> stage;
    try {
      // The exchange is the app's receive and send itself: two objects fewer per request.
      stage = rt.app().call(scope, this, this);
      if (stage == null) {
        throw new ProtocolException("Expected a CompletionStage from PagiApp.call but got null");
      }
    } catch (Throwable t) {
      appDone(t);
      return;
    }
    if (stage instanceof CompletableFuture<?> f && f.isDone()) {
      // The common synchronous app: no callback to allocate and run.
      Throwable failure = null;
      try {
        f.join();
      } catch (Throwable t) {
        failure = t;
      }
      appDone(failure);
      watchIfLive();
      return;
    }
    stage.whenComplete((v, t) -> appDone(t));
    watchIfLive();
    registerIfLive();
  }

  /**
   * Before {@code service()} returns, an exchange still live asks the container for the events that
   * end it early: no async timeout, the async listener, and the container's notice of a client
   * gone. An exchange that already ended there (most small responses: the app answered at once and
   * the container took every byte) never needs them, and skips three round trips through the
   * container's request lock. Nothing is missed by asking late: containers deliver async events
   * only once the dispatch that started async has returned.
   */
  private void watchIfLive() {
    synchronized (this) {
      if (phase == Phase.ENDED) {
        return;
      }
    }
    try {
      async.setTimeout(0);
      async.addListener(this);
      rt.container().onClientGone(req, this::clientGone);
    } catch (IllegalStateException e) {
      // Completed on another thread (the application's) since the check: nothing left to watch.
      synchronized (this) {
        if (phase != Phase.ENDED) {
          throw e;
        }
      }
    }
  }

  /**
   * Joins the runtime's live set when the application is still running as {@code service()}
   * returns. An exchange whose application finished there has its whole response queued: it only
   * drains, ends by itself (or with the connection when the container stops), and needs no shutdown
   * notice, so most requests never touch the shared set.
   */
  private void registerIfLive() {
    synchronized (this) {
      if (phase == Phase.ENDED) {
        return;
      }
      registered = true;
    }
    rt.register(this);
    boolean ended;
    synchronized (this) {
      ended = phase == Phase.ENDED;
    }
    if (ended) {
      // It ended while registering; the end may have unregistered before the add.
      rt.unregister(this);
    } else if (rt.stopping()) {
      // A request that reached service() after the shutdown began.
      shutdown();
    }
  }

  // ---- receive

  @Override
  public CompletionStage<Map<String, Object>> receive() {
    CompletableFuture<Map<String, Object>> f;
    InputPump pump;
    synchronized (this) {
      if (pendingReceive != null) {
        return CompletableFuture.failedFuture(
            new ProtocolException("Cannot call receive() while another receive() is pending"));
      }
      if (phase == Phase.ENDED || response == ResponseState.COMPLETE) {
        return CompletableFuture.completedFuture(DISCONNECT);
      }
      if (bodyDone) {
        if (!hasBody && !noBodyDelivered) {
          noBodyDelivered = true;
          return CompletableFuture.completedFuture(requestEvent(new byte[0], false));
        }
        pendingReceive = new CompletableFuture<>();
        return pendingReceive;
      }
      f = pendingReceive = new CompletableFuture<>();
      if (input == null) {
        input =
            InputPump.forRequest(
                req,
                rt.config().readChunkSize(),
                rt.config().reuseReadBuffer(),
                this::onBody,
                error -> terminate(Reasons.of(error, false), false, null));
      }
      pump = input;
    }
    pump.demand();
    return f;
  }

  private boolean noBodyDelivered;

  private static Map<String, Object> requestEvent(byte[] body, boolean more) {
    return Map.of("type", Events.HTTP_REQUEST, "body", body, "more", more ? 1 : 0);
  }

  private void onBody(byte[] data, boolean last) {
    CompletableFuture<Map<String, Object>> f;
    synchronized (this) {
      bodyRead += data.length;
      if (maxBody > 0 && bodyRead > maxBody) {
        f = null;
      } else {
        bodyDone = last;
        f = pendingReceive;
        pendingReceive = null;
      }
    }
    if (f == null) {
      terminate(Reasons.BODY_TOO_LARGE, false, null);
      return;
    }
    f.complete(requestEvent(data, !last));
  }

  // ---- send

  @Override
  public CompletionStage<Void> send(Map<String, Object> event) {
    try {
      return dispatch(event);
    } catch (ProtocolException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new ProtocolException("Invalid event " + Messages.describe(event) + ": " + e, e));
    }
  }

  private synchronized boolean gone() {
    return phase == Phase.ENDED && abnormal;
  }

  private CompletionStage<Void> dispatch(Map<String, Object> event) {
    if (event == null) {
      throw new ProtocolException("Expected an event map but got null");
    }
    if (gone()) {
      return DONE;
    }
    String type = Events.type(event);
    return switch (type) {
      case Events.HTTP_RESPONSE_START -> start(event);
      case Events.HTTP_RESPONSE_BODY -> body(event);
      case Events.HTTP_RESPONSE_TRAILERS -> trailers(event);
      case Events.HTTP_FULLFLUSH -> fullflush();
      default -> throw Messages.unrecognized(type, "http", SEND_TYPES);
    };
  }

  private CompletionStage<Void> start(Map<String, Object> event) {
    String type = Events.HTTP_RESPONSE_START;
    int status = Responses.status(event, type, null);
    List<Header> headers = Headers.parse(type, "headers", event.get("headers"));
    boolean trailers = Fields.flag(event, type, "trailers");
    synchronized (this) {
      if (phase == Phase.ENDED && abnormal) {
        return DONE;
      }
      if (response != ResponseState.AWAITING_START) {
        throw Messages.after(type, type);
      }
      if (trailers && "1.0".equals(scope.get(Scope.HTTP_VERSION))) {
        throw new ProtocolException(
            "Cannot promise trailers in 'http.response.start': HTTP/1.0 cannot carry them");
      }
      lengthKnown = Responses.applyHeaders(resp, type, status, headers) || !bodyAllowed(status);
      if (trailers) {
        trailerFields = new LinkedHashMap<>();
        resp.setTrailerFields(this::trailerFields);
      }
      response = ResponseState.STREAMING;
      trailersPromised = trailers;
    }
    connection.markResponseStarted();
    return DONE;
  }

  private boolean trailersPromised;
  // Whether the response length is settled (the app gave it, or the status has no body), and
  // whether anything was queued after the start.
  private boolean lengthKnown;
  private boolean bodyQueued;

  private static boolean bodyAllowed(int status) {
    return status >= 200 && status != 204 && status != 304;
  }

  private synchronized Map<String, String> trailerFields() {
    return new LinkedHashMap<>(trailerFields);
  }

  private CompletionStage<Void> body(Map<String, Object> event) {
    String type = Events.HTTP_RESPONSE_BODY;
    boolean hasBody = event.get("body") != null;
    boolean hasFile = event.get("file") != null;
    if (event.get("fh") != null) {
      throw Messages.fieldType(type, "fh", "absent (use 'file' with a path)", event.get("fh"));
    }
    if (hasBody && hasFile) {
      throw new ProtocolException(
          "Expected at most one of 'body' and 'file' in '" + type + "' but got both");
    }
    byte[] bytes = Fields.bytes(event, type, "body");
    boolean more = Fields.flag(event, type, "more");
    FileChannel channel = null;
    long offset = 0;
    long length = 0;
    if (hasFile) {
      String file = Fields.string(event, type, "file");
      offset = Fields.integer(event, type, "offset", 0L);
      Long len = event.get("length") == null ? null : Fields.integer(event, type, "length", 0L);
      if (offset < 0) {
        throw Messages.fieldType(type, "offset", "a non-negative integer", offset);
      }
      if (len != null && len < 0) {
        throw Messages.fieldType(type, "length", "a non-negative integer", len);
      }
      if (gone()) {
        return DONE;
      }
      try {
        channel = FileChannel.open(Path.of(file), StandardOpenOption.READ);
        long size = channel.size();
        long available = Math.max(0, size - offset);
        length = len == null ? available : Math.min(len, available);
      } catch (IOException | RuntimeException e) {
        closeQuietly(channel);
        throw new ProtocolException("Cannot open file '" + file + "' for '" + type + "': " + e, e);
      }
      more = false;
    }
    if (head) {
      // HEAD: headers only. The body is not handed to the container at all (some containers
      // count it against the Content-Length the app declared for the GET it mirrors).
      closeQuietly(channel);
      channel = null;
      bytes = new byte[0];
    }
    boolean accepted;
    boolean end;
    synchronized (this) {
      if (phase == Phase.ENDED && abnormal) {
        closeQuietly(channel);
        return DONE;
      }
      switch (response) {
        case AWAITING_START -> {
          closeQuietly(channel);
          throw Messages.expected(Events.HTTP_RESPONSE_START, type);
        }
        case AWAITING_TRAILERS, COMPLETE -> {
          closeQuietly(channel);
          throw Messages.after(type, "the final " + type);
        }
        default -> {}
      }
      if (!more && channel == null && !bodyQueued && !lengthKnown && !trailersPromised && !head) {
        // The whole body in one event: tell the container its length up front, as it would work
        // out itself after buffering it, so it writes the response at once.
        resp.setContentLengthLong(bytes.length);
      }
      bodyQueued = true;
      accepted = channel != null ? output.file(channel, offset, length) : output.write(bytes);
      end = !more;
      if (more) {
        output.flush();
      } else if (trailersPromised) {
        response = ResponseState.AWAITING_TRAILERS;
        end = false;
      } else {
        response = ResponseState.COMPLETE;
        output.end();
      }
    }
    if (end) {
      connection.markResponseComplete();
    }
    CompletionStage<Void> stage =
        accepted ? flow.enqueued(channel != null ? length : bytes.length) : DONE;
    output.pump();
    return stage;
  }

  private CompletionStage<Void> trailers(Map<String, Object> event) {
    String type = Events.HTTP_RESPONSE_TRAILERS;
    List<Header> headers = Headers.parse(type, "headers", event.get("headers"));
    synchronized (this) {
      if (phase == Phase.ENDED && abnormal) {
        return DONE;
      }
      if (response == ResponseState.AWAITING_START) {
        throw Messages.expected(Events.HTTP_RESPONSE_START, type);
      }
      if (!trailersPromised) {
        throw new ProtocolException(
            "Cannot send '" + type + "': 'http.response.start' did not set 'trailers: 1'");
      }
      if (response == ResponseState.COMPLETE) {
        throw Messages.after(type, type);
      }
      for (Header h : headers) {
        trailerFields.merge(h.name(), h.value(), (a, b) -> a + ", " + b);
      }
      response = ResponseState.COMPLETE;
      output.end();
    }
    connection.markResponseComplete();
    output.pump();
    return DONE;
  }

  private CompletionStage<Void> fullflush() {
    if (!rt.config().fullflush()) {
      throw new ProtocolException(
          "Cannot send 'http.fullflush': extension 'fullflush' is not advertised");
    }
    synchronized (this) {
      if (phase == Phase.ENDED || response == ResponseState.AWAITING_START) {
        return DONE;
      }
      bodyQueued = true;
      output.flush();
    }
    output.pump();
    return DONE;
  }

  // ---- endings

  private void appDone(Throwable failure) {
    Throwable cause = Responses.unwrap(failure);
    ResponseState state;
    boolean live;
    synchronized (this) {
      state = response;
      live = phase == Phase.LIVE;
      if (live && state != ResponseState.COMPLETE) {
        response = ResponseState.COMPLETE;
        if (state == ResponseState.AWAITING_START) {
          serverResponse = true;
        }
      }
    }
    if (!live) {
      if (cause != null && !abnormalEnd()) {
        LOG.log(Level.SEVERE, "PAGI application failed after its response completed", cause);
      }
      return;
    }
    switch (state) {
      case AWAITING_START -> backstop(cause);
      case STREAMING, AWAITING_TRAILERS -> {
        if (cause == null) {
          synchronized (this) {
            output.end();
          }
          connection.markResponseComplete();
          output.pump();
        } else {
          LOG.log(Level.SEVERE, "PAGI application failed after http.response.start", cause);
          terminate(Reasons.SERVER_ERROR, true, cause);
        }
      }
      case COMPLETE -> {
        if (cause != null) {
          LOG.log(Level.SEVERE, "PAGI application failed after its final body", cause);
        }
      }
    }
  }

  private synchronized boolean abnormalEnd() {
    return abnormal;
  }

  /** The app produced no response: 500, logged, connection closed. */
  private void backstop(Throwable cause) {
    if (cause != null) {
      LOG.log(Level.SEVERE, "PAGI application failed before http.response.start", cause);
    } else {
      LOG.severe(
          "PAGI application returned without sending http.response.start for "
              + req.getMethod()
              + " "
              + req.getRequestURI()
              + "; answered 500");
    }
    connection.markResponseStarted();
    synchronized (this) {
      Responses.serverError(req, resp, output);
    }
    connection.markResponseComplete();
    output.pump();
  }

  /** Every queued byte was written: the clean end (or the end of the server's own 500). */
  @Override
  public void ended() {
    boolean serverError;
    boolean unregister;
    synchronized (this) {
      if (phase == Phase.ENDED) {
        return;
      }
      phase = Phase.ENDED;
      serverError = serverResponse;
      abnormal = serverError;
      unregister = registered;
    }
    flow.close();
    try {
      async.complete();
    } catch (IllegalStateException e) {
      LOG.log(Level.FINE, "async context already completed", e);
    }
    if (serverError) {
      connection.disconnect(Reasons.SERVER_ERROR);
    } else {
      connection.complete();
    }
    releaseReceive();
    if (unregister) {
      rt.unregister(this);
    }
  }

  /**
   * The abnormal end, exactly once: connection state in the spec's order, then {@code
   * http.disconnect} to a pending receive, then the container is released (aborted when the
   * response had started and must not look complete).
   */
  void terminate(String reason, boolean abort, Throwable cause) {
    // First, even when already ended: a container callback must not return while a write runs on
    // another thread (OutputPump#stop).
    output.stop();
    ResponseState state;
    boolean unregister;
    synchronized (this) {
      if (phase == Phase.ENDED) {
        return;
      }
      phase = Phase.ENDED;
      abnormal = true;
      state = response;
      response = ResponseState.COMPLETE;
      unregister = registered;
    }
    flow.close();
    connection.disconnect(reason);
    releaseReceive();
    try {
      if (abort) {
        rt.container().abort(req, async, cause);
      } else if (state == ResponseState.AWAITING_START) {
        // Never let the container turn an abnormal end into an empty 200; a client that is
        // gone never sees this, one that sent a bad or oversized body does.
        resp.setStatus(Responses.statusFor(reason));
        Responses.closeConnection(req, resp);
        resp.setContentLength(0);
        async.complete();
      } else {
        async.complete();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "container already released the request", e);
    }
    if (unregister) {
      rt.unregister(this);
    }
  }

  private void releaseReceive() {
    CompletableFuture<Map<String, Object>> f;
    synchronized (this) {
      f = pendingReceive;
      pendingReceive = null;
    }
    if (f != null) {
      f.complete(DISCONNECT);
    }
  }

  @Override
  public void shutdown() {
    terminate(Reasons.SERVER_SHUTDOWN, false, null);
  }

  /** A write failed: the output pump stopped. */
  @Override
  public void failed(Throwable error) {
    terminate(Reasons.of(error, true), false, null);
  }

  // ---- AsyncListener

  @Override
  public void onComplete(AsyncEvent event) {
    terminate(Reasons.CLIENT_CLOSED, false, null);
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    terminate(Reasons.CLIENT_TIMEOUT, false, null);
  }

  @Override
  public void onError(AsyncEvent event) {
    terminate(Reasons.of(event.getThrowable(), true), false, null);
  }

  @Override
  public void onStartAsync(AsyncEvent event) {}

  /** Notified by container support when the client went away while the exchange was idle. */
  public void clientGone() {
    terminate(Reasons.CLIENT_CLOSED, false, null);
  }

  private static void closeQuietly(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // Closing a read-only channel cannot lose data.
      }
    }
  }
}
