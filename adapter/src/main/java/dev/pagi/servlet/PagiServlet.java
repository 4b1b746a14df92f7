package dev.pagi.servlet;

import dev.pagi.PagiApp;
import dev.pagi.Scope;
import dev.pagi.internal.AppLoader;
import dev.pagi.internal.ContainerSupport;
import dev.pagi.internal.HttpExchange;
import dev.pagi.internal.Lifespan;
import dev.pagi.internal.RequestHints;
import dev.pagi.internal.ScopeBuilder;
import dev.pagi.internal.ServletRuntime;
import dev.pagi.internal.SseExchange;
import dev.pagi.internal.WebSocketUpgrade;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Runs a {@link PagiApp} on any Jakarta Servlet 6 container, non-blocking end to end.
 *
 * <p>The servlet must be registered with async support. Where the application comes from, first
 * match wins:
 *
 * <ol>
 *   <li>the constructor ({@code new PagiServlet(app)} in programmatic registration);
 *   <li>the init-param (or context-param) {@code pagi.app}: a class name with a public no-arg
 *       constructor, or {@code com.example.Apps::hello} naming a public static no-arg factory;
 *   <li>exactly one {@code META-INF/services/dev.pagi.PagiApp} entry ({@link
 *       java.util.ServiceLoader}).
 * </ol>
 *
 * <p>A request whose {@code Accept} header lists the media type {@code text/event-stream} (any
 * method, not a WebSocket upgrade) gets an {@code sse} scope; every other request an {@code http}
 * scope.
 *
 * <p>Mount it at {@code /*} or under a prefix such as {@code /api/*}; the scope's {@code root_path}
 * is the context path plus that prefix, and {@code path} is always the full path. Settings come
 * from {@link PagiConfig} or init-params {@code pagi.max-body-size}, {@code pagi.high-water-mark},
 * {@code pagi.low-water-mark}, {@code pagi.read-chunk-size}, {@code pagi.reuse-read-buffer}, {@code
 * pagi.lifespan}, {@code pagi.lifespan-timeout}, {@code pagi.shutdown-timeout} (seconds), {@code
 * pagi.sse-idle-timeout}, {@code pagi.ws-handshake-timeout}, {@code pagi.ws-max-message-size},
 * {@code pagi.ws-max-receive-queue}, {@code pagi.fullflush}.
 *
 * <p>{@code init} runs the lifespan startup and waits for it (bounded): {@code
 * lifespan.startup.failed} or a timeout fails {@code init} with a {@code ServletException}, so the
 * servlet is never in service, and with load-on-startup the deployment fails where the container
 * fails deployments on servlet start failures (Jetty's {@code throwUnavailableOnStartupException},
 * Tomcat's {@code failCtxIfServletStartFails}). {@code destroy} ends live exchanges with {@code
 * server_shutdown}, then runs {@code lifespan.shutdown}; where the container tells (Jetty),
 * WebSocket sessions are closed with 1001 as soon as the server or context begins to stop, while
 * connections are still open.
 *
 * <pre>{@code
 * ServletRegistration.Dynamic reg = ctx.addServlet("pagi", new PagiServlet(app));
 * reg.setAsyncSupported(true);
 * reg.setLoadOnStartup(1);
 * reg.addMapping("/*");
 * }</pre>
 */
public class PagiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(PagiServlet.class.getName());

  private transient PagiApp app;
  private transient PagiConfig config;
  private transient ServletRuntime runtime;
  private transient Lifespan lifespan;
  private transient Runnable stopHook;

  /** How long a stopping server waits for WebSocket sessions to finish their close handshakes. */
  private static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(2);

  /** For containers: the application comes from init-params or {@code ServiceLoader}. */
  public PagiServlet() {}

  /**
   * @param app the application
   */
  public PagiServlet(PagiApp app) {
    this.app = Objects.requireNonNull(app, "app");
  }

  /**
   * @param app the application
   * @param config settings; init-params are not read when given
   */
  public PagiServlet(PagiApp app, PagiConfig config) {
    this.app = Objects.requireNonNull(app, "app");
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public void init(ServletConfig servletConfig) throws ServletException {
    super.init(servletConfig);
    try {
      if (app == null) {
        app = AppLoader.load(servletConfig);
      }
      if (config == null) {
        config = ConfigParams.read(servletConfig);
      }
    } catch (IllegalArgumentException e) {
      throw new UnavailableException(e.getMessage());
    }
    runtime =
        new ServletRuntime(app, config, ContainerSupport.detect(servletConfig.getServletContext()));
    stopHook =
        runtime
            .container()
            .onStopping(getServletContext(), () -> runtime.shutdownLongLived(STOP_GRACE));
    if (config.lifespanMode() == PagiConfig.LifespanMode.OFF) {
      return;
    }
    Lifespan l = new Lifespan();
    try {
      Lifespan.Outcome outcome = l.start(app, config.lifespanStartupTimeout());
      if (outcome == Lifespan.Outcome.STARTED) {
        lifespan = l;
        runtime.lifespanState(l.state());
      } else if (config.lifespanMode() == PagiConfig.LifespanMode.ON) {
        LOG.warning("PAGI lifespan is 'on' but the application declined it");
      }
    } catch (Lifespan.StartupFailure e) {
      LOG.severe("PAGI lifespan startup failed: " + e.getMessage());
      stopHook.run();
      runtime.stop();
      // A plain ServletException, not UnavailableException: containers (Jetty) quietly park a
      // servlet whose init throws UnavailableException, while a ServletException from a
      // load-on-startup servlet fails the deployment where the container is told to.
      throw new ServletException("PAGI lifespan startup failed: " + e.getMessage());
    }
  }

  /** How long {@link #destroy} waits for requests still inside {@code service()}. */
  private static final java.time.Duration SERVICE_DRAIN = java.time.Duration.ofSeconds(5);

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp)
      throws ServletException, IOException {
    if (req.getDispatcherType() == DispatcherType.ASYNC) {
      if (WebSocketUpgrade.dispatched(req, resp)) {
        return;
      }
      Object failure = req.getAttribute(ContainerSupport.ABORT_ATTRIBUTE);
      if (failure != null) {
        // The exchange asked to abort a started response: an exception on a committed response
        // makes the container drop the connection or reset the stream.
        throw new ServletException("PAGI application failed after the response started");
      }
      return;
    }
    // One pass over the headers builds the scope and notices what needs a closer look.
    RequestHints hints = new RequestHints();
    Map<String, Object> scope = ScopeBuilder.build(runtime, req, Scope.TYPE_HTTP, hints);
    if (hints.webSocket() && WebSocketUpgrade.service(runtime, req, resp)) {
      return;
    }
    long contentLength = hints.contentLength(req);
    long max = config.maxBodySize();
    if (max > 0 && contentLength > max) {
      resp.setStatus(413);
      if (!String.valueOf(req.getProtocol()).startsWith("HTTP/2")) {
        resp.setHeader("Connection", "close");
      }
      resp.setContentType("text/plain; charset=utf-8");
      resp.getWriter().write("Payload Too Large\n");
      return;
    }
    boolean sse = hints.eventStream() && SseExchange.isSseRequest(req);
    if (sse) {
      scope.put(Scope.TYPE, Scope.TYPE_SSE);
    }
    boolean hasBody =
        contentLength > 0
            || contentLength < 0
                && (hints.transferEncoding() || "2".equals(scope.get(Scope.HTTP_VERSION)));
    if (hasBody) {
      runtime.container().admitBodyUpTo(req, max);
    }
    if (sse) {
      new SseExchange(runtime, req, resp, scope, hasBody).run();
      return;
    }
    runtime.enterService();
    try {
      new HttpExchange(runtime, req, resp, scope, hasBody).run();
    } finally {
      runtime.exitService();
    }
  }

  @Override
  public void destroy() {
    if (runtime == null) {
      return;
    }
    stopHook.run();
    runtime.shutdownLive(SERVICE_DRAIN);
    if (lifespan != null) {
      lifespan.stop(config.lifespanShutdownTimeout());
    }
    runtime.stop();
  }

  /**
   * @return live exchanges of this servlet (a gauge for tests and monitoring); an http request
   *     whose application finished inside {@code service()} is not counted while its response
   *     drains
   */
  public int activeExchanges() {
    return runtime == null ? 0 : runtime.activeExchanges();
  }
}
