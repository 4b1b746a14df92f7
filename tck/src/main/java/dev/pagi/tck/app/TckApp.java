package dev.pagi.tck.app;

import dev.pagi.PagiApp;
import dev.pagi.Receive;
import dev.pagi.Scope;
import dev.pagi.Send;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The TCK application: one PAGI app with a probe endpoint per rule, routed by path prefix.
 *
 * <ul>
 *   <li>{@code /__tck/probe/<id>?count=<n>&wait=<s>[&what=<name>]}: the side channel ({@link
 *       ProbeRegistry}); waits until {@code n} observations (named {@code what}, if given) exist.
 *   <li>{@code /__tck/release/<id>}: opens the gate {@code id} ({@link ProbeRegistry#gate}).
 *   <li>{@code /http/...}: {@link HttpProbes}.
 *   <li>{@code /ws/state/...}: {@link WsStateProbes} (the websocket state × event table).
 *   <li>{@code /ws/fault/...}: {@link WsFaultProbes} (websocket faults).
 *   <li>{@code /ws/...}: {@link WsProbes} (websocket scopes, plus {@code GET /ws/go}).
 *   <li>{@code /sse/state/...}: {@link SseStateProbes} (the sse state × event table).
 *   <li>{@code /sse/fault/...}: {@link SseFaultProbes} (sse faults).
 *   <li>{@code /sse/...}: {@link SseProbes}.
 * </ul>
 *
 * <p>Lifespan is handled by {@link LifespanProbe}; each app instance records it under its own id,
 * published to requests as {@code state.tck_lifespan_id}.
 *
 * <p>Deploy it with {@code pagi.app=dev.pagi.tck.app.TckApp} (or programmatically) at {@code /*} or
 * a prefix; the suite takes the resulting base URL.
 */
public final class TckApp implements PagiApp {
  /** Runs the side channel's bounded blocking waits off the container threads. */
  private static final ExecutorService WAITERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "pagi-tck-probe");
            t.setDaemon(true);
            return t;
          });

  private static final java.util.concurrent.atomic.AtomicInteger INSTANCES =
      new java.util.concurrent.atomic.AtomicInteger();

  private final Map<String, PagiApp> routes = new LinkedHashMap<>();
  private final String lifespanId = LifespanProbe.ID + "-" + INSTANCES.incrementAndGet();

  /** Creates the app with every probe group. */
  public TckApp() {
    routes.put("/http/", new HttpProbes());
    routes.put("/ws/state/", new WsStateProbes());
    routes.put("/ws/fault/", new WsFaultProbes());
    routes.put("/ws/", new WsProbes());
    routes.put("/sse/state/", new SseStateProbes());
    routes.put("/sse/fault/", new SseFaultProbes());
    routes.put("/sse/", new SseProbes());
  }

  @Override
  public CompletionStage<?> call(Map<String, Object> scope, Receive receive, Send send)
      throws Exception {
    if (Scope.TYPE_LIFESPAN.equals(Scope.type(scope))) {
      return LifespanProbe.call(lifespanId, scope, receive, send);
    }
    String path = relativePath(scope);
    if (path.startsWith("/__tck/probe/")) {
      return probe(path.substring("/__tck/probe/".length()), scope, send);
    }
    if (path.startsWith("/__tck/release/")) {
      ProbeRegistry.release(path.substring("/__tck/release/".length()));
      return Reply.send(send, 200, "text/plain", "released");
    }
    for (Map.Entry<String, PagiApp> route : routes.entrySet()) {
      if (path.startsWith(route.getKey())) {
        return route.getValue().call(scope, receive, send);
      }
    }
    return Reply.send(send, 404, "text/plain", "no TCK probe at " + path);
  }

  /**
   * @param scope a request scope
   * @return {@code path} without the {@code root_path} prefix
   */
  public static String relativePath(Map<String, Object> scope) {
    String path = Scope.path(scope);
    Object root = scope.get(Scope.ROOT_PATH);
    if (root instanceof String r && !r.isEmpty() && path.startsWith(r)) {
      return path.substring(r.length());
    }
    return path;
  }

  /**
   * @param scope a request scope
   * @param name a query parameter name
   * @return its first value (not percent-decoded), or {@code null}
   */
  public static String query(Map<String, Object> scope, String name) {
    for (String pair : Scope.queryString(scope).split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      if (k.equals(name)) {
        return eq < 0 ? "" : pair.substring(eq + 1);
      }
    }
    return null;
  }

  /**
   * @param scope a request scope
   * @return the test id from {@code x-tck-id} or {@code ?tck=}, or {@code null}
   */
  public static String testId(Map<String, Object> scope) {
    String id = Scope.header(scope, "x-tck-id");
    return id != null ? id : query(scope, "tck");
  }

  private static CompletionStage<?> probe(String id, Map<String, Object> scope, Send send) {
    String count = query(scope, "count");
    String wait = query(scope, "wait");
    String what = query(scope, "what");
    int n = count == null ? 1 : Integer.parseInt(count);
    long millis = (long) ((wait == null ? 5 : Double.parseDouble(wait)) * 1000);
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return ProbeRegistry.await(id, what, n, millis);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.<Map<String, Object>>of();
              }
            },
            WAITERS)
        .thenCompose(list -> Reply.json(send, list));
  }
}
