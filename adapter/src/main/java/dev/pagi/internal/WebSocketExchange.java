package dev.pagi.internal;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.ProtocolException;
import dev.pagi.Scope;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One {@code websocket} connection: its scope, {@code receive}, {@code send}, the handshake the
 * application decides, and the single end.
 *
 * <h2>Handshake</h2>
 *
 * {@code service()} starts async processing and calls the application; no container thread waits
 * for its decision. {@code websocket.accept} asks for an async re-dispatch, and the upgrade ({@code
 * ServerContainer.upgradeHttpToWebSocket}) runs inside that dispatch on a container thread, exactly
 * where a synchronous servlet would call it — the portable spot on every container. A denial,
 * {@code websocket.close} before accept (403), a handshake timeout (504) or an application failure
 * (500) is an ordinary HTTP response written through an {@link OutputPump}. The handshake timer
 * keeps running until the session opens, so a handshake can never hang.
 *
 * <h2>States</h2>
 *
 * <pre>
 * CONNECTING ─accept─▶ UPGRADING ─onOpen─▶ OPEN ─our Close─▶ CLOSING
 *   │   │                  │                 │                  │
 *   │   └─denial start─▶ DENYING             └─peer Close, drop, abort, close timeout──▶ CLOSED
 *   │                      │ final body
 *   └─403/500/503/504─▶ ANSWERING ─response written─────────────────────────────────────▶ CLOSED
 * </pre>
 *
 * Independently, {@link WebSocketInbound} holds the {@code websocket.disconnect} event once the end
 * is decided (first decision wins); {@code receive} yields it after the messages queued before it.
 *
 * <h2>Concurrency</h2>
 *
 * State is guarded by {@code this}. Application threads ({@code receive}, {@code send}), container
 * threads (endpoint callbacks, async events) and timer threads change it under the lock, then —
 * with the lock released — complete stages, pump output and call the container. {@link #finish} is
 * the one terminal path; it releases timers, queues and the live-exchange registration.
 *
 * <p>The file is long because it is one state machine with every transition in one place; the parts
 * with their own state live beside it: {@link WebSocketInbound} (receive side), {@link
 * WebSocketOutbound} and {@link WebSocketWire} (send side), {@link WebSocketKeepalive}, {@link
 * HttpAnswer} (refused handshakes), {@link WebSocketEvents} (validation) and {@link
 * WebSocketCloses} (close codes to disconnect events).
 */
public final class WebSocketExchange implements ServletRuntime.Live, AsyncListener {
  private static final Logger LOG = Logger.getLogger(WebSocketExchange.class.getName());
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final String SEND_TYPES =
      "'websocket.accept', 'websocket.send', 'websocket.send.partial', 'websocket.close',"
          + " 'websocket.keepalive', 'websocket.http.response.start',"
          + " 'websocket.http.response.body'";

  /** Disconnect reason when the application did not decide the handshake in time. */
  static final String HANDSHAKE_TIMEOUT = "x-handshake-timeout";

  /** Where the connection is; see the class diagram. */
  enum State {
    /** Waiting for the application's accept or denial. Initial state. */
    CONNECTING,
    /** Entered on {@code websocket.http.response.start}: the denial is being written. */
    DENYING,
    /** Entered when an HTTP answer (denial or the server's own) is fully queued. */
    ANSWERING,
    /** Entered on {@code websocket.accept}: the container performs the handshake. */
    UPGRADING,
    /** Entered when the container opens the session: messages flow both ways. */
    OPEN,
    /** Entered when our Close frame is queued: no data frame follows it. */
    CLOSING,
    /** Entered exactly once, by {@link #finish}. */
    CLOSED
  }

  private final ServletRuntime rt;
  private final HttpServletRequest req;
  private final HttpServletResponse resp;
  private final ServerContainer container;
  private final Map<String, Object> scope;
  private final List<String> offered;
  private final boolean http2;
  private final FlowControl flow;
  private final WebSocketOutbound outbound;
  private final WebSocketKeepalive keepalive;
  private final WebSocketInbound inbound;
  private volatile AsyncContext async;

  private State state = State.CONNECTING;
  private ScheduledFuture<?> handshakeTimer;
  private ScheduledFuture<?> closeTimer;
  private WebSocketEvents.Accept accepted;
  private HttpAnswer answer;
  private Throwable lastError;
  private String partialKind;

  private WebSocketExchange(
      ServletRuntime rt, HttpServletRequest req, HttpServletResponse resp, Object container) {
    this.rt = rt;
    this.req = req;
    this.resp = resp;
    this.container = (ServerContainer) container;
    this.flow = new FlowControl(rt.config().highWaterMark(), rt.config().lowWaterMark());
    this.outbound = new WebSocketOutbound(flow, this::writeFailed);
    this.keepalive = new WebSocketKeepalive(rt.scheduler(), new Pinger());
    this.inbound = new WebSocketInbound(rt.config().websocketMaxReceiveQueue());
    Map<String, Object> s = ScopeBuilder.websocket(rt, req);
    @SuppressWarnings("unchecked")
    Map<String, Object> ext = (Map<String, Object>) s.get(Scope.EXTENSIONS);
    ext.put(Scope.EXT_WEBSOCKET_HTTP_RESPONSE, Map.of());
    ext.put(Scope.EXT_WEBSOCKET_SEND_PARTIAL, Map.of());
    s.put(Scope.TRANSPORT, flow);
    this.scope = Collections.unmodifiableMap(s);
    this.offered = Scope.subprotocols(scope);
    this.http2 = "2".equals(scope.get(Scope.HTTP_VERSION));
  }

  /** Starts a handshake: async processing, the handshake timer, then the application. */
  static void start(
      ServletRuntime rt, HttpServletRequest req, HttpServletResponse resp, Object container) {
    new WebSocketExchange(rt, req, resp, container).run();
  }

  /** The async re-dispatch of an accepted handshake: upgrade on this container thread. */
  static void upgrade(Object exchange, HttpServletRequest req, HttpServletResponse resp)
      throws IOException {
    ((WebSocketExchange) exchange).upgradeNow(req, resp);
  }

  private void run() {
    async = req.startAsync();
    async.setTimeout(0);
    async.addListener(this);
    rt.register(this);
    rt.container().onClientGone(req, this::clientGone);
    synchronized (this) {
      handshakeTimer =
          rt.scheduler()
              .schedule(
                  this::handshakeTimedOut,
                  rt.config().websocketHandshakeTimeout().toNanos(),
                  TimeUnit.NANOSECONDS);
    }
    CompletionStage<?> stage;
    try {
      stage = rt.app().call(scope, this::receive, this::send);
      if (stage == null) {
        throw new ProtocolException("Expected a CompletionStage from PagiApp.call but got null");
      }
    } catch (Throwable t) {
      appDone(t);
      return;
    }
    stage.whenComplete((v, t) -> appDone(t));
  }

  long maxMessageSize() {
    return rt.config().websocketMaxMessageSize();
  }

  // ---- receive

  private CompletionStage<Map<String, Object>> receive() {
    return inbound.receive();
  }

  void onText(String text) {
    deliver(Map.of("type", Events.WEBSOCKET_RECEIVE, "text", text));
  }

  void onBytes(byte[] bytes) {
    deliver(Map.of("type", Events.WEBSOCKET_RECEIVE, "bytes", bytes));
  }

  void onPong() {
    keepalive.pong();
  }

  private void deliver(Map<String, Object> message) {
    if (!inbound.message(message)) {
      // The application is not draining: shed it instead of buffering without bound.
      closeWith(1008, Reasons.QUEUE_OVERFLOW, 1008, Reasons.QUEUE_OVERFLOW);
    }
  }

  private void decide(int code, String reason) {
    inbound.decide(code, reason);
  }

  // ---- send

  private CompletionStage<Void> send(Map<String, Object> event) {
    try {
      if (event == null) {
        throw new ProtocolException("Expected an event map but got null");
      }
      synchronized (this) {
        if (state == State.CLOSING || state == State.CLOSED) {
          // Once our Close is queued or the connection ended, every send is a no-op, checked
          // before the type and the fields (Spec.pod "Error Handling"). CLOSING counts too: how
          // soon a container turns it into CLOSED is its own timing.
          return DONE;
        }
      }
      String type = Events.type(event);
      return switch (type) {
        case Events.WEBSOCKET_ACCEPT -> accept(WebSocketEvents.accept(event, offered));
        case Events.WEBSOCKET_SEND -> data(Events.WEBSOCKET_SEND, WebSocketEvents.send(event));
        case Events.WEBSOCKET_SEND_PARTIAL ->
            data(Events.WEBSOCKET_SEND_PARTIAL, WebSocketEvents.partial(event));
        case Events.WEBSOCKET_CLOSE -> close(WebSocketEvents.close(event));
        case Events.WEBSOCKET_KEEPALIVE -> keepalive(WebSocketEvents.keepalive(event));
        case Events.WEBSOCKET_HTTP_RESPONSE_START -> denyStart(WebSocketEvents.denyStart(event));
        case Events.WEBSOCKET_HTTP_RESPONSE_BODY -> denyBody(WebSocketEvents.denyBody(event));
        default -> throw Messages.unrecognized(type, "websocket", SEND_TYPES);
      };
    } catch (ProtocolException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new ProtocolException("Invalid event " + Messages.describe(event) + ": " + e, e));
    }
  }

  /** A second accept, or one after a denial or the end, is ignored. */
  private CompletionStage<Void> accept(WebSocketEvents.Accept a) {
    synchronized (this) {
      if (state != State.CONNECTING) {
        return DONE;
      }
      state = State.UPGRADING;
      accepted = a;
    }
    req.setAttribute(WebSocketUpgrade.EXCHANGE_ATTRIBUTE, this);
    try {
      async.dispatch();
    } catch (IllegalStateException e) {
      // The request ended meanwhile (client gone, timeout): the end is already decided.
      LOG.log(Level.FINE, "cannot dispatch the WebSocket upgrade", e);
      finish(1006, Reasons.CLIENT_CLOSED, 0);
    }
    return DONE;
  }

  /**
   * {@code websocket.send} and {@code websocket.send.partial}: ignored before accept and after our
   * Close or the end; queued while the handshake completes.
   */
  private CompletionStage<Void> data(String type, WebSocketEvents.Data d) {
    boolean partial = type.equals(Events.WEBSOCKET_SEND_PARTIAL);
    synchronized (this) {
      if (state != State.UPGRADING && state != State.OPEN) {
        return DONE;
      }
      boolean first = partialKind == null;
      if (!partial && !first) {
        throw Messages.partialOpen(type, partialKind);
      }
      if (partial && !first && !partialKind.equals(d.kind())) {
        throw Messages.partialKind(partialKind, d.kind());
      }
      if (!outbound.message(d.text(), d.bytes(), d.size(), partial, first, !d.more())) {
        return DONE;
      }
      partialKind = partial && d.more() ? d.kind() : null;
    }
    CompletionStage<Void> stage = flow.enqueued(d.size());
    outbound.pump();
    return stage;
  }

  private CompletionStage<Void> close(WebSocketEvents.Close c) {
    State s;
    synchronized (this) {
      s = state;
    }
    switch (s) {
      case CONNECTING -> serverAnswer(403, "Forbidden", 1006, "");
      case UPGRADING, OPEN -> closeWith(c.code(), c.reason());
      default -> {}
    }
    return DONE;
  }

  private CompletionStage<Void> keepalive(WebSocketEvents.Keepalive k) {
    synchronized (this) {
      if (state != State.UPGRADING && state != State.OPEN) {
        return DONE;
      }
    }
    keepalive.configure(k.interval(), k.timeout());
    return DONE;
  }

  private CompletionStage<Void> denyStart(WebSocketEvents.DenyStart d) {
    synchronized (this) {
      if (state != State.CONNECTING) {
        return DONE;
      }
      state = State.DENYING;
    }
    decide(1006, "");
    startAnswer(d.status(), d.headers());
    return DONE;
  }

  private CompletionStage<Void> denyBody(WebSocketEvents.DenyBody d) {
    HttpAnswer out;
    synchronized (this) {
      if (state != State.DENYING || answer == null) {
        return DONE;
      }
      out = answer;
      if (!d.more()) {
        state = State.ANSWERING;
      }
    }
    boolean accepted = out.write(d.body());
    if (d.more()) {
      out.flush();
    } else {
      out.end();
    }
    CompletionStage<Void> stage = accepted ? flow.enqueued(d.body().length) : DONE;
    out.pump();
    return stage;
  }

  // ---- the HTTP answer of a handshake that is not accepted

  /** Status and headers of an HTTP answer, and the pump that writes its body. */
  private void startAnswer(int status, List<Header> headers) {
    try {
      HttpAnswer a =
          HttpAnswer.start(
              resp,
              http2,
              status,
              headers,
              flow,
              new OutputPump.Sink() {
                @Override
                public void ended() {
                  answered(1006, "");
                }

                @Override
                public void failed(Throwable error) {
                  answered(1006, Reasons.of(error, true));
                }
              });
      synchronized (this) {
        answer = a;
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "cannot answer the WebSocket handshake", e);
      answered(1006, Reasons.of(e, true));
    }
  }

  /**
   * The server's own answer ({@code text/plain}) while the handshake is undecided.
   *
   * @return false when the handshake was already decided
   */
  private boolean serverAnswer(int status, String text, int code, String reason) {
    synchronized (this) {
      if (state != State.CONNECTING) {
        return false;
      }
      state = State.ANSWERING;
    }
    decide(code, reason);
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    resp.setContentLength(body.length);
    startAnswer(status, List.of(new Header("content-type", "text/plain; charset=utf-8")));
    HttpAnswer out;
    synchronized (this) {
      out = answer;
    }
    if (out != null) {
      out.write(body);
      out.end();
      out.pump();
    }
    return true;
  }

  /** The HTTP answer is written (or failed): the handshake is over. */
  private void answered(int code, String reason) {
    finish(code, reason, 0);
    try {
      async.complete();
    } catch (IllegalStateException e) {
      LOG.log(Level.FINE, "async context already completed", e);
    }
  }

  /** Ends a started denial so the client cannot take it for complete. */
  private void abortAnswer(Throwable cause, String reason) {
    HttpAnswer out;
    synchronized (this) {
      out = answer;
    }
    if (out != null) {
      out.stop();
    }
    finish(1006, reason, 0);
    try {
      rt.container().abort(req, async, cause);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "container already released the request", e);
    }
  }

  // ---- upgrade and the open session

  private void upgradeNow(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    WebSocketEvents.Accept a;
    synchronized (this) {
      if (state != State.UPGRADING && state != State.CLOSING) {
        a = null;
      } else {
        a = accepted;
      }
    }
    if (a == null) {
      // The handshake ended while the dispatch was pending (timeout, shutdown).
      HttpAnswer.plain(response, http2, 503, "Service Unavailable");
      return;
    }
    ServerEndpointConfig config =
        ServerEndpointConfig.Builder.create(WebSocketEndpoint.class, "/")
            .subprotocols(a.subprotocol() == null ? List.of() : List.of(a.subprotocol()))
            .configurator(new WebSocketEndpoint.Configurator(this, a.subprotocol(), a.headers()))
            .build();
    Exception failure = null;
    try {
      container.upgradeHttpToWebSocket(request, response, config, Map.of());
    } catch (DeploymentException | IOException | RuntimeException e) {
      failure = e;
    }
    // Jetty writes the handshake response at once; Tomcat sets 101 and writes it when this
    // dispatch returns.
    if (response.isCommitted() || response.getStatus() == 101) {
      if (failure != null) {
        LOG.log(Level.FINE, "WebSocket upgrade failed after the handshake response", failure);
      }
      return;
    }
    // The container refused the handshake before writing anything: answer here, on its thread.
    if (failure == null) {
      finish(1006, Reasons.PROTOCOL_ERROR, 0);
      HttpAnswer.plain(response, http2, 400, "Bad WebSocket handshake");
    } else {
      LOG.log(Level.SEVERE, "WebSocket upgrade failed", failure);
      finish(1006, Reasons.SERVER_ERROR, 0);
      HttpAnswer.plain(response, http2, 500, "Internal Server Error");
    }
  }

  /** The container opened the session. */
  void opened(Session session) {
    WebSocketWire wire =
        rt.container().webSocketWire(session, r -> rt.blockingExecutor().execute(r));
    boolean ended;
    synchronized (this) {
      cancel(handshakeTimer);
      handshakeTimer = null;
      if (state == State.UPGRADING) {
        state = State.OPEN;
      }
      ended = state == State.CLOSED;
    }
    if (ended) {
      wire.abort(1001, "");
      return;
    }
    outbound.attach(wire);
  }

  /** Queues our Close frame (the first one wins) and bounds the wait for the peer's. */
  private void closeWith(int code, String reason) {
    closeWith(code, reason, 0, null);
  }

  /**
   * Queues our Close frame and, in the same step, decides the disconnect event when {@code
   * disconnectReason} is given: neither the peer's answer nor the application's reaction can come
   * between the two.
   */
  private void closeWith(int code, String reason, int disconnectCode, String disconnectReason) {
    Runnable release = () -> {};
    synchronized (this) {
      if (state != State.UPGRADING && state != State.OPEN) {
        if (disconnectReason != null) {
          release = inbound.decideLater(disconnectCode, disconnectReason);
        }
      } else if (outbound.close(code, reason)) {
        if (disconnectReason != null) {
          release = inbound.decideLater(disconnectCode, disconnectReason);
        }
        state = State.CLOSING;
        partialKind = null;
        closeTimer =
            rt.scheduler()
                .schedule(
                    this::closeTimedOut,
                    rt.config().websocketHandshakeTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
      }
    }
    keepalive.stop();
    outbound.pump();
    release.run();
  }

  /** The container closed the session: after the peer's Close, a fault, or a drop. */
  void closed(int code, String text) {
    Throwable error;
    synchronized (this) {
      error = lastError;
    }
    WebSocketCloses.Disconnect d = WebSocketCloses.of(code, text, error);
    finish(d.code(), d.reason(), 0);
  }

  void errored(Throwable error) {
    synchronized (this) {
      if (lastError == null) {
        lastError = error;
      }
    }
  }

  private void writeFailed(Throwable error) {
    finish(1006, Reasons.of(error, true), 1011);
  }

  private void closeTimedOut() {
    finish(1006, Reasons.CLIENT_TIMEOUT, 1001);
  }

  /** Keepalive's view of the session. */
  private final class Pinger implements WebSocketKeepalive.Target {
    @Override
    public Phase phase() {
      synchronized (WebSocketExchange.this) {
        return switch (state) {
          case CONNECTING, DENYING, UPGRADING -> Phase.OPENING;
          case OPEN -> Phase.OPEN;
          default -> Phase.ENDED;
        };
      }
    }

    @Override
    public boolean ping() {
      synchronized (WebSocketExchange.this) {
        if (state != State.OPEN) {
          return false;
        }
      }
      boolean queued = outbound.ping(new byte[0]);
      outbound.pump();
      return queued;
    }

    @Override
    public void timedOut() {
      finish(1006, Reasons.KEEPALIVE_TIMEOUT, 1001);
    }
  }

  // ---- endings

  private void appDone(Throwable failure) {
    Throwable cause = unwrap(failure);
    State s;
    synchronized (this) {
      s = state;
    }
    switch (s) {
      case CONNECTING -> {
        if (cause != null) {
          LOG.log(Level.SEVERE, "PAGI application failed before websocket.accept", cause);
        } else {
          LOG.severe(
              "PAGI application returned without websocket.accept or a denial for "
                  + req.getRequestURI()
                  + "; answered 500");
        }
        serverAnswer(500, "Internal Server Error", 1006, Reasons.SERVER_ERROR);
      }
      case DENYING -> {
        if (cause != null) {
          LOG.log(Level.SEVERE, "PAGI application failed during its denial response", cause);
          abortAnswer(cause, Reasons.SERVER_ERROR);
        } else {
          HttpAnswer out;
          synchronized (this) {
            state = State.ANSWERING;
            out = answer;
          }
          if (out != null) {
            out.end();
            out.pump();
          }
        }
      }
      case UPGRADING, OPEN -> {
        if (cause != null) {
          LOG.log(Level.SEVERE, "PAGI application failed after websocket.accept", cause);
          closeWith(1011, "");
        } else {
          closeWith(1000, "");
        }
      }
      default -> {
        if (cause != null) {
          LOG.log(Level.SEVERE, "PAGI application failed after its WebSocket ended", cause);
        }
      }
    }
  }

  private void handshakeTimedOut() {
    State s;
    synchronized (this) {
      handshakeTimer = null;
      s = state;
    }
    switch (s) {
      case CONNECTING -> {
        LOG.warning(
            "PAGI application did not accept or deny the WebSocket handshake for "
                + req.getRequestURI()
                + " within "
                + rt.config().websocketHandshakeTimeout()
                + "; answered 504");
        serverAnswer(504, "Gateway Timeout", 1006, HANDSHAKE_TIMEOUT);
      }
      case DENYING, ANSWERING -> {
        abortAnswer(
            new java.util.concurrent.TimeoutException("WebSocket denial not finished"),
            HANDSHAKE_TIMEOUT);
      }
      case UPGRADING -> {
        finish(1006, HANDSHAKE_TIMEOUT, 0);
      }
      default -> {}
    }
  }

  /** The client went away before the handshake was answered. */
  private void clientGone() {
    HttpAnswer out;
    synchronized (this) {
      if (state != State.CONNECTING && state != State.DENYING && state != State.ANSWERING) {
        return;
      }
      out = answer;
    }
    if (out != null) {
      out.stop();
    }
    answered(1006, Reasons.CLIENT_CLOSED);
  }

  @Override
  public boolean longLived() {
    return true;
  }

  @Override
  public void shutdown() {
    State s;
    synchronized (this) {
      s = state;
    }
    switch (s) {
      case CONNECTING -> serverAnswer(503, "Service Unavailable", 1006, Reasons.SERVER_SHUTDOWN);
      case DENYING, ANSWERING -> {
        abortAnswer(new IOException("server shutdown"), Reasons.SERVER_SHUTDOWN);
      }
      case UPGRADING, OPEN, CLOSING -> {
        closeWith(1001, Reasons.SERVER_SHUTDOWN, 1006, Reasons.SERVER_SHUTDOWN);
      }
      default -> {}
    }
  }

  /**
   * The one terminal path: the state becomes {@code CLOSED} before the application can learn of the
   * end, then timers, queues, flow control and the registration are released and the disconnect
   * event is decided (unless an earlier decision stands).
   *
   * @param abortCode 0 to leave the connection to the container; otherwise drop it (where the
   *     container cannot drop a connection outright, a Close frame with this code is sent)
   */
  private void finish(int code, String reason, int abortCode) {
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      cancel(handshakeTimer);
      cancel(closeTimer);
      handshakeTimer = null;
      closeTimer = null;
      partialKind = null;
    }
    keepalive.stop();
    if (abortCode != 0) {
      outbound.abort(abortCode, reason);
    } else {
      outbound.stop();
    }
    flow.close();
    decide(code, reason);
    rt.unregister(this);
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  // ---- AsyncListener (only meaningful before the upgrade)

  @Override
  public void onComplete(AsyncEvent event) {
    clientGone();
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    clientGone();
  }

  @Override
  public void onError(AsyncEvent event) {
    clientGone();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {}

  private static Throwable unwrap(Throwable t) {
    while (t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException) {
      if (t.getCause() == null) {
        break;
      }
      t = t.getCause();
    }
    return t;
  }
}
