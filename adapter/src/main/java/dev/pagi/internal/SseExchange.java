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
import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One {@code sse} request: its scope, {@code receive}, {@code send}, timers and the single
 * terminate path.
 *
 * <h2>Concurrency</h2>
 *
 * The same model as {@link HttpExchange}: state is guarded by {@code this}; application threads,
 * container threads and the shared scheduler (keepalive and idle timers) change it under the lock,
 * then — with the lock released — pump I/O, complete stages and run callbacks. The {@link Phase}
 * transition makes every ending happen once: a clean end queues the end marker behind the pending
 * events ({@link #finish}), an abnormal one ({@link #terminate}) drops them.
 *
 * <p>The file is long because every transition of {@link Stream} and {@link Phase} lives here, next
 * to the lock that guards them; encoding ({@link SseWire}), timers ({@link SseTimers}), I/O ({@link
 * OutputPump}, {@link InputPump}) and response pieces ({@link Responses}) are elsewhere.
 */
public final class SseExchange implements ServletRuntime.Live, AsyncListener {
  private static final Logger LOG = Logger.getLogger(SseExchange.class.getName());
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final String SEND_TYPES =
      "'sse.start', 'sse.send', 'sse.comment', 'sse.keepalive', 'sse.close',"
          + " 'sse.http.response.start', 'sse.http.response.body'";
  private static final long MIN_KEEPALIVE_NANOS = 1_000_000L;

  /**
   * Request attribute holding why the stream ended (the {@code sse.close} reason or a standard
   * reason), for access logs.
   */
  public static final String END_REASON_ATTRIBUTE = "dev.pagi.sse.end_reason";

  /**
   * What the application chose to send; first-send-wins between the stream and the decline.
   *
   * <pre>
   * AWAITING_START ─sse.start─▶ STREAMING ─sse.close─▶ CLOSED
   *       │                         └─────return─────▶ FINISHED ◀─ backstop 500 ─ AWAITING_START
   *       └─sse.http.response.start─▶ DECLINING ─final body or return─▶ DECLINED
   * </pre>
   */
  enum Stream {
    /** Nothing sent yet. Initial state. */
    AWAITING_START,
    /** Entered on {@code sse.start}. */
    STREAMING,
    /**
     * Entered on the application's {@code sse.close}: later sends raise, a second close is ignored.
     */
    CLOSED,
    /** Entered when the application returned, or the server answered for it: sends are no-ops. */
    FINISHED,
    /** Entered on {@code sse.http.response.start}. */
    DECLINING,
    /** Entered on the final {@code sse.http.response.body}, or the return while declining. */
    DECLINED
  }

  /** Where the exchange is in its ending. */
  enum Phase {
    /** Initial state. */
    LIVE,
    /** The end marker is queued behind the pending output; entered by {@link #finish}. */
    ENDING,
    /** The container was released; entered once, by the drained end or {@link #terminate}. */
    ENDED
  }

  private final ServletRuntime rt;
  private final HttpServletRequest req;
  private final HttpServletResponse resp;
  private final AsyncContext async;
  private final FlowControl flow;
  private final OutputPump output;
  private final InputPump input;
  private final SseTimers timers;
  private final Map<String, Object> scope;
  private final long maxBody;

  private Stream stream = Stream.AWAITING_START;
  private Phase phase = Phase.LIVE;
  private boolean abnormal;
  private String disconnectReason;
  private String closeReason;
  private Throwable abortCause;
  private boolean bodyDone;
  private boolean noBodyDelivered;
  private long bodyRead;
  private long keepaliveNanos;
  private byte[] keepaliveBytes;
  private int keepaliveGeneration;
  private CompletableFuture<Map<String, Object>> pendingReceive;

  /**
   * Starts async processing; call from {@code service()}.
   *
   * @param rt the servlet runtime
   * @param req the request
   * @param resp the response
   * @param scope the common scope keys from {@link ScopeBuilder}, type {@code sse}
   * @param hasBody whether a request body may follow
   * @throws IOException when the container cannot give the streams
   */
  public SseExchange(
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
    this.flow = new FlowControl(rt.config().highWaterMark(), rt.config().lowWaterMark());
    this.timers = new SseTimers(rt.scheduler());
    this.async = req.startAsync();
    async.setTimeout(0);
    async.addListener(this);
    this.output =
        OutputPump.install(
            resp, flow, this::ended, error -> terminate(Reasons.of(error, true), false, null));
    this.input =
        hasBody
            ? InputPump.forRequest(
                req,
                rt.config().readChunkSize(),
                this::onBody,
                error -> terminate(Reasons.of(error, false), false, null))
            : null;
    this.bodyDone = !hasBody;
    scope.put(Scope.TRANSPORT, flow);
    if (scope instanceof ArrayMap compact) {
      compact.trim();
    }
    this.scope = scope;
    rt.register(this);
    rt.container().onClientGone(req, this::clientGone);
    if (!hasBody) {
      rt.container().watchIdleClient(req);
    }
  }

  /**
   * @param req a request that is not a WebSocket upgrade
   * @return whether its {@code Accept} header lists the media type {@code text/event-stream}
   */
  public static boolean isSseRequest(HttpServletRequest req) {
    String upgrade = req.getHeader("Upgrade");
    if (upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
      return false;
    }
    for (Enumeration<String> values = req.getHeaders("Accept"); values.hasMoreElements(); ) {
      for (String range : values.nextElement().split(",")) {
        int semi = range.indexOf(';');
        String media = (semi < 0 ? range : range.substring(0, semi)).trim();
        if (media.equalsIgnoreCase("text/event-stream")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Calls the application and watches its stage. */
  public void run() {
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

  // ---- receive

  private CompletionStage<Map<String, Object>> receive() {
    CompletableFuture<Map<String, Object>> f;
    synchronized (this) {
      if (pendingReceive != null) {
        return CompletableFuture.failedFuture(
            new ProtocolException("Cannot call receive() while another receive() is pending"));
      }
      if (lockedOver()) {
        return lockedDisconnectStage();
      }
      if (bodyDone) {
        if (input == null && !noBodyDelivered) {
          noBodyDelivered = true;
          return CompletableFuture.completedFuture(requestEvent(new byte[0], false));
        }
        pendingReceive = new CompletableFuture<>();
        return pendingReceive;
      }
      f = pendingReceive = new CompletableFuture<>();
    }
    input.demand();
    return f;
  }

  private static Map<String, Object> requestEvent(byte[] body, boolean more) {
    return Map.of("type", Events.SSE_REQUEST, "body", body, "more", more ? 1 : 0);
  }

  /** Whether the stream is over for the application: closed, ended, or its decline sent. */
  private boolean lockedOver() {
    return phase == Phase.ENDED
        || stream == Stream.CLOSED
        || abnormal
        || declined() && phase != Phase.LIVE;
  }

  private boolean declined() {
    return stream == Stream.DECLINING || stream == Stream.DECLINED;
  }

  /**
   * What a receive gets once the stream is over: {@code sse.disconnect}, unless it was declined.
   */
  private CompletableFuture<Map<String, Object>> lockedDisconnectStage() {
    if (declined()) {
      return CompletableFuture.failedFuture(
          Messages.receiveAfter(
              Events.SSE_HTTP_RESPONSE_START,
              "a declined stream delivers no '" + Events.SSE_DISCONNECT + "'"));
    }
    String reason = closeReason != null ? closeReason : disconnectReason;
    return CompletableFuture.completedFuture(
        Map.of(
            "type",
            Events.SSE_DISCONNECT,
            "reason",
            reason != null ? reason : Reasons.CLIENT_CLOSED));
  }

  private void onBody(byte[] data, boolean last) {
    CompletableFuture<Map<String, Object>> f;
    boolean tooLarge;
    synchronized (this) {
      bodyRead += data.length;
      tooLarge = maxBody > 0 && bodyRead > maxBody;
      f = tooLarge ? null : pendingReceive;
      if (!tooLarge) {
        bodyDone = last;
        pendingReceive = null;
      }
    }
    if (tooLarge) {
      terminate(Reasons.BODY_TOO_LARGE, false, null);
      return;
    }
    if (last) {
      rt.container().watchIdleClient(req);
    }
    if (f != null) {
      f.complete(requestEvent(data, !last));
    }
  }

  /** Answers a pending receive once the stream is over. */
  private void releaseReceive() {
    CompletableFuture<Map<String, Object>> f;
    CompletableFuture<Map<String, Object>> answer;
    synchronized (this) {
      f = pendingReceive;
      // A receive still waiting for a body chunk keeps waiting; one waiting for the end is
      // answered.
      if (f == null || !lockedOver() || !bodyDone && phase != Phase.ENDED) {
        return;
      }
      pendingReceive = null;
      answer = lockedDisconnectStage();
    }
    answer.whenComplete(
        (event, error) -> {
          if (error != null) {
            f.completeExceptionally(error);
          } else {
            f.complete(event);
          }
        });
  }

  // ---- send

  private CompletionStage<Void> send(Map<String, Object> event) {
    try {
      return dispatch(event);
    } catch (ProtocolException e) {
      return CompletableFuture.failedFuture(e);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new ProtocolException("Invalid event " + Messages.describe(event) + ": " + e, e));
    }
  }

  /**
   * The checks every send passes first, in the spec's precedence: after the application's own
   * {@code sse.close} a send raises (a second close is ignored); after the client left or the
   * application returned it is a silent no-op.
   *
   * @return true when the send is a no-op
   */
  private boolean lockedNoop(String type) {
    if (stream == Stream.CLOSED) {
      if (type.equals(Events.SSE_CLOSE)) {
        return true;
      }
      throw Messages.after(type, Events.SSE_CLOSE);
    }
    return abnormal || stream == Stream.FINISHED;
  }

  private CompletionStage<Void> dispatch(Map<String, Object> event) {
    if (event == null) {
      throw new ProtocolException("Expected an event map but got null");
    }
    String type = Events.type(event);
    synchronized (this) {
      if (lockedNoop(type)) {
        return DONE;
      }
    }
    return switch (type) {
      case Events.SSE_START -> start(event);
      case Events.SSE_SEND -> data(type, SseWire.event(event));
      case Events.SSE_COMMENT -> data(type, SseWire.comment(comment(event, type, true)));
      case Events.SSE_KEEPALIVE -> keepalive(event);
      case Events.SSE_CLOSE -> close(event);
      case Events.SSE_HTTP_RESPONSE_START -> declineStart(event);
      case Events.SSE_HTTP_RESPONSE_BODY -> declineBody(event);
      default -> throw Messages.unrecognized(type, "sse", SEND_TYPES);
    };
  }

  private static String comment(Map<String, Object> event, String type, boolean required) {
    String comment = Fields.string(event, type, "comment");
    if (comment == null) {
      if (required) {
        throw Messages.missing(type, "comment", "a String");
      }
      return "";
    }
    return comment;
  }

  /** Throws unless the stream is in {@code STREAMING}; the state names what came first. */
  private void lockedRequireStreaming(String type) {
    switch (stream) {
      case AWAITING_START -> throw Messages.expected(Events.SSE_START, type);
      case DECLINING, DECLINED -> throw Messages.after(type, Events.SSE_HTTP_RESPONSE_START);
      default -> {}
    }
  }

  private CompletionStage<Void> start(Map<String, Object> event) {
    String type = Events.SSE_START;
    int status = Responses.status(event, type, 200L);
    List<Header> headers = Headers.parse(type, "headers", event.get("headers"));
    long keepalive;
    int generation;
    synchronized (this) {
      if (lockedNoop(type)) {
        return DONE;
      }
      switch (stream) {
        case STREAMING -> throw Messages.after(type, type);
        case DECLINING, DECLINED -> throw Messages.after(type, Events.SSE_HTTP_RESPONSE_START);
        default -> {}
      }
      List<Header> kept = new ArrayList<>(headers.size());
      for (Header h : headers) {
        if (!h.name().equalsIgnoreCase("content-length")) {
          kept.add(h);
        }
      }
      Set<String> names = Responses.apply(resp, type, status, kept);
      if (!names.contains("content-type")) {
        resp.setHeader("Content-Type", "text/event-stream");
      }
      if (!names.contains("cache-control")) {
        resp.setHeader("Cache-Control", "no-cache");
      }
      if ("1.1".equals(scope.get(Scope.HTTP_VERSION))
          && !names.contains("connection")
          && !requestSaysClose()) {
        resp.setHeader("Connection", "keep-alive");
      }
      stream = Stream.STREAMING;
      keepalive = keepaliveNanos;
      generation = keepaliveGeneration;
      output.flush();
    }
    timers.idle(rt.config().sseIdleTimeout().toNanos(), this::idle);
    timers.keepalive(keepalive, () -> keepaliveTick(generation));
    output.pump();
    return DONE;
  }

  private boolean requestSaysClose() {
    String connection = req.getHeader("Connection");
    return connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
  }

  /** {@code sse.send} and {@code sse.comment}: already encoded, written and flushed at once. */
  private CompletionStage<Void> data(String type, byte[] bytes) {
    boolean accepted;
    synchronized (this) {
      if (lockedNoop(type)) {
        return DONE;
      }
      lockedRequireStreaming(type);
      accepted = output.write(bytes);
      output.flush();
    }
    timers.activity();
    CompletionStage<Void> stage = accepted ? flow.enqueued(bytes.length) : DONE;
    output.pump();
    return stage;
  }

  private CompletionStage<Void> keepalive(Map<String, Object> event) {
    String type = Events.SSE_KEEPALIVE;
    double seconds = Fields.seconds(event, type, "interval");
    byte[] bytes = SseWire.comment(comment(event, type, false));
    long nanos = seconds == 0 ? 0 : Math.max(MIN_KEEPALIVE_NANOS, (long) (seconds * 1e9));
    boolean started;
    int generation;
    synchronized (this) {
      if (lockedNoop(type)) {
        return DONE;
      }
      if (declined()) {
        throw Messages.after(type, Events.SSE_HTTP_RESPONSE_START);
      }
      keepaliveNanos = nanos;
      keepaliveBytes = bytes;
      generation = ++keepaliveGeneration;
      started = stream == Stream.STREAMING;
    }
    if (started) {
      timers.keepalive(nanos, () -> keepaliveTick(generation));
    }
    return DONE;
  }

  /**
   * One keepalive comment, skipped while earlier bytes are still queued: the connection is not idle
   * then, and a stalled client must not make comments pile up. A tick of a replaced setting that
   * was already running when the new one came writes nothing.
   */
  private void keepaliveTick(int generation) {
    byte[] bytes;
    boolean accepted;
    synchronized (this) {
      if (phase != Phase.LIVE
          || stream != Stream.STREAMING
          || generation != keepaliveGeneration
          || flow.bufferedAmount() > 0) {
        return;
      }
      bytes = keepaliveBytes;
      accepted = output.write(bytes);
      output.flush();
    }
    if (accepted) {
      flow.enqueued(bytes.length);
    }
    output.pump();
  }

  private CompletionStage<Void> close(Map<String, Object> event) {
    String type = Events.SSE_CLOSE;
    String reason = Fields.string(event, type, "reason");
    synchronized (this) {
      if (lockedNoop(type)) {
        return DONE;
      }
      lockedRequireStreaming(type);
      stream = Stream.CLOSED;
      closeReason = reason;
    }
    finish(reason, "closed by the application");
    return DONE;
  }

  private CompletionStage<Void> declineStart(Map<String, Object> event) {
    String type = Events.SSE_HTTP_RESPONSE_START;
    int status = Responses.status(event, type, null);
    List<Header> headers = Headers.parse(type, "headers", event.get("headers"));
    synchronized (this) {
      if (lockedNoop(type)) {
        return DONE;
      }
      switch (stream) {
        case STREAMING -> throw Messages.after(type, Events.SSE_START);
        case DECLINING, DECLINED -> throw Messages.after(type, type);
        default -> {}
      }
      Set<String> names = Responses.apply(resp, type, status, headers);
      if (!names.contains("connection")) {
        Responses.closeConnection(req, resp);
      }
      stream = Stream.DECLINING;
    }
    timers.cancel();
    return DONE;
  }

  private CompletionStage<Void> declineBody(Map<String, Object> event) {
    String type = Events.SSE_HTTP_RESPONSE_BODY;
    byte[] body = Fields.bytes(event, type, "body");
    boolean more = Fields.flag(event, type, "more");
    boolean accepted;
    synchronized (this) {
      if (lockedNoop(type)) {
        return DONE;
      }
      switch (stream) {
        case AWAITING_START -> throw Messages.expected(Events.SSE_HTTP_RESPONSE_START, type);
        case STREAMING -> throw Messages.after(type, Events.SSE_START);
        case DECLINED -> throw Messages.after(type, "the final " + type);
        default -> {}
      }
      accepted = output.write(body);
      if (more) {
        output.flush();
      } else {
        stream = Stream.DECLINED;
      }
    }
    CompletionStage<Void> stage = accepted ? flow.enqueued(body.length) : DONE;
    if (more) {
      output.pump();
    } else {
      finish(null, "declined");
    }
    return stage;
  }

  // ---- endings

  private void appDone(Throwable failure) {
    Throwable cause = Responses.unwrap(failure);
    Stream state;
    boolean live;
    boolean gone;
    synchronized (this) {
      state = stream;
      live = phase == Phase.LIVE;
      gone = abnormal;
      if (live) {
        stream = declined() ? Stream.DECLINED : Stream.FINISHED;
      }
    }
    if (!live) {
      if (cause != null) {
        // After the client left, a failure is the expected echo of it, not an error.
        LOG.log(
            gone ? Level.FINE : Level.SEVERE,
            "PAGI application failed after its SSE stream ended",
            cause);
      }
      return;
    }
    switch (state) {
      case AWAITING_START -> backstop(cause);
      case STREAMING, DECLINING -> {
        if (cause == null) {
          finish(
              null, state == Stream.STREAMING ? "ended by the application's return" : "declined");
        } else {
          LOG.log(Level.SEVERE, "PAGI application failed after " + started(state), cause);
          failAfterDrain(cause);
        }
      }
      default -> {}
    }
  }

  private static String started(Stream state) {
    return state == Stream.STREAMING ? Events.SSE_START : Events.SSE_HTTP_RESPONSE_START;
  }

  /** The application produced neither a stream nor a decline: 500, logged, connection closed. */
  private void backstop(Throwable cause) {
    if (cause != null) {
      LOG.log(Level.SEVERE, "PAGI application failed before sse.start", cause);
    } else {
      LOG.severe(
          "PAGI application returned without sending sse.start or a decline for "
              + req.getMethod()
              + " "
              + req.getRequestURI()
              + "; answered 500");
    }
    synchronized (this) {
      if (phase != Phase.LIVE) {
        return;
      }
      phase = Phase.ENDING;
      disconnectReason = Reasons.SERVER_ERROR;
      Responses.serverError(req, resp, output);
    }
    timers.cancel();
    output.pump();
  }

  /**
   * The clean end: the end marker goes behind the queued output; {@link #ended} follows.
   *
   * @param reason the application's {@code sse.close} reason, or null
   * @param how for the log
   */
  private void finish(String reason, String how) {
    synchronized (this) {
      if (phase != Phase.LIVE) {
        return;
      }
      phase = Phase.ENDING;
      output.end();
    }
    timers.cancel();
    recordEnd(reason, how);
    releaseReceive();
    output.pump();
  }

  /**
   * Idle timeout or shutdown: a stream whose output has drained ends cleanly (terminal chunk, or
   * END_STREAM on HTTP/2); one with bytes still queued for a stalled client is aborted.
   */
  private void serverEnd(String reason) {
    boolean clean;
    synchronized (this) {
      if (phase == Phase.ENDED || phase == Phase.ENDING && flow.bufferedAmount() == 0) {
        // Gone already, or a clean end is about to be written.
        return;
      }
      clean =
          phase == Phase.LIVE
              && (stream == Stream.STREAMING && flow.bufferedAmount() == 0
                  || stream == Stream.AWAITING_START);
      if (clean) {
        phase = Phase.ENDING;
        abnormal = true;
        disconnectReason = reason;
        if (stream == Stream.AWAITING_START) {
          resp.setStatus(503);
          Responses.closeConnection(req, resp);
          resp.setContentLength(0);
        }
        output.end();
      }
    }
    if (!clean) {
      terminate(reason, true, new IOException("SSE stream ended: " + reason));
      return;
    }
    timers.cancel();
    recordEnd(reason, "ended by the server");
    releaseReceive();
    output.pump();
  }

  private void idle() {
    serverEnd(Reasons.IDLE_TIMEOUT);
  }

  /**
   * The application failed after the response started: the events it already sent still reach the
   * client, then the stream is aborted (no terminal chunk, or a reset) instead of ending cleanly. A
   * backlog at or above the high-water mark (a stalled client) is dropped and aborted at once.
   */
  private void failAfterDrain(Throwable cause) {
    boolean queued;
    synchronized (this) {
      if (phase != Phase.LIVE) {
        return;
      }
      queued = flow.bufferedAmount() < flow.highWaterMark();
      if (queued) {
        phase = Phase.ENDING;
        abnormal = true;
        disconnectReason = Reasons.SERVER_ERROR;
        abortCause = cause;
        output.end();
      }
    }
    if (!queued) {
      terminate(Reasons.SERVER_ERROR, true, cause);
      return;
    }
    timers.cancel();
    recordEnd(Reasons.SERVER_ERROR, "aborted after an application failure");
    releaseReceive();
    output.pump();
  }

  /** Every queued byte up to the end marker was written: release the container. */
  private void ended() {
    Throwable abort;
    synchronized (this) {
      if (phase == Phase.ENDED) {
        return;
      }
      phase = Phase.ENDED;
      abort = abortCause;
    }
    flow.close();
    timers.cancel();
    try {
      if (abort != null) {
        rt.container().abort(req, async, abort);
      } else {
        async.complete();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "async context already completed", e);
    }
    releaseReceive();
    rt.unregister(this);
  }

  /**
   * The abnormal end, exactly once: queued output is dropped, {@code sse.disconnect} goes to a
   * pending receive, and the container is released — aborted when a started stream must not look
   * complete.
   */
  void terminate(String reason, boolean abort, Throwable cause) {
    // First, even when already ended: a container callback must not return while a write runs on
    // another thread (OutputPump#stop).
    output.stop();
    Stream state;
    synchronized (this) {
      if (phase == Phase.ENDED) {
        return;
      }
      phase = Phase.ENDED;
      abnormal = true;
      if (disconnectReason == null) {
        disconnectReason = reason;
      }
      state = stream;
    }
    timers.cancel();
    flow.close();
    recordEnd(reason, "ended");
    releaseReceive();
    try {
      if (abort) {
        rt.container().abort(req, async, cause);
      } else if (state == Stream.AWAITING_START) {
        // Never an empty 200: a client that is gone never sees this, one that sent a bad or
        // oversized body does.
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
    rt.unregister(this);
  }

  /** The reason never reaches the wire; it goes to the log and to a request attribute. */
  private void recordEnd(String reason, String how) {
    if (reason != null) {
      try {
        req.setAttribute(END_REASON_ATTRIBUTE, reason);
      } catch (RuntimeException e) {
        // The container recycled the request: only the log line remains.
      }
    }
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine(
          "SSE stream "
              + req.getMethod()
              + " "
              + req.getRequestURI()
              + " "
              + how
              + ": reason="
              + reason);
    }
  }

  @Override
  public void shutdown() {
    serverEnd(Reasons.SERVER_SHUTDOWN);
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

  /** Notified by container support when the client went away while the stream was idle. */
  public void clientGone() {
    terminate(Reasons.CLIENT_CLOSED, false, null);
  }

  /** Whether a keepalive or idle timer of this stream is still scheduled (for tests). */
  boolean timersScheduled() {
    return timers.scheduled();
  }
}
