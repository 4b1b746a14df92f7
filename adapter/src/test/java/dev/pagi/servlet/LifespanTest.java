package dev.pagi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Scope;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LifespanTest {
  /** Held strongly so the configured logger is the one PagiServlet uses. */
  private static final Logger SERVLET_LOG = Logger.getLogger(PagiServlet.class.getName());

  private final HttpClient client = HttpClient.newHttpClient();
  private final List<String> log = new CopyOnWriteArrayList<>();

  /** Lifespan sets counter=0 and box; each request bumps both and answers "counter,box". */
  private PagiApp stateApp() {
    return (scope, receive, send) -> {
      Map<String, Object> state = Scope.state(scope);
      if (Scope.type(scope).equals(Scope.TYPE_LIFESPAN)) {
        return receive
            .receive()
            .thenCompose(
                e -> {
                  log.add(Events.type(e));
                  state.put("counter", 0);
                  state.put("box", new AtomicInteger());
                  return send.send(Events.of(Events.LIFESPAN_STARTUP_COMPLETE));
                })
            .thenCompose(v -> receive.receive())
            .thenCompose(
                e -> {
                  log.add(Events.type(e));
                  return send.send(Events.of(Events.LIFESPAN_SHUTDOWN_COMPLETE));
                });
      }
      int counter = (Integer) state.get("counter") + 1;
      state.put("counter", counter);
      int box = ((AtomicInteger) state.get("box")).incrementAndGet();
      return send.send(Events.responseStart(200, List.of(Header.of("content-type", "text/plain"))))
          .thenCompose(v -> send.send(Events.body(counter + "," + box)));
    };
  }

  @Test
  void requestStateIsAShallowCopyOfLifespanState() throws Exception {
    try (JettyHarness jetty = new JettyHarness(stateApp(), PagiConfig.defaults(), "/*")) {
      for (int i = 1; i <= 3; i++) {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(jetty.uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("1," + i, r.body());
      }
    }
    assertEquals(List.of("lifespan.startup", "lifespan.shutdown"), log);
  }

  @Test
  void startupFailureStopsTheDeploymentWithTheMessage() {
    PagiApp app =
        (scope, receive, send) -> {
          Map<String, Object> failed = Events.of(Events.LIFESPAN_STARTUP_FAILED);
          failed.put("message", "database unreachable");
          return receive.receive().thenCompose(e -> send.send(failed));
        };
    List<String> logged = captureServletLog();
    assertThrows(
        IllegalStateException.class, () -> new JettyHarness(app, PagiConfig.defaults(), "/*"));
    assertEquals(List.of("PAGI lifespan startup failed: database unreachable"), logged);
  }

  @Test
  void startupTimeoutCountsAsFailure() {
    PagiApp app = (scope, receive, send) -> new CompletableFuture<Void>();
    PagiConfig config = PagiConfig.builder().lifespanStartupTimeout(Duration.ofMillis(200)).build();
    List<String> logged = captureServletLog();
    assertThrows(IllegalStateException.class, () -> new JettyHarness(app, config, "/*"));
    assertEquals(
        List.of("PAGI lifespan startup failed: lifespan startup did not complete within PT0.2S"),
        logged);
  }

  @Test
  void appThatRaisesForLifespanStillServesRequestsAndGetsNoShutdown() throws Exception {
    PagiApp app =
        (scope, receive, send) -> {
          log.add(Scope.type(scope));
          if (!Scope.type(scope).equals(Scope.TYPE_HTTP)) {
            throw new IllegalArgumentException("unsupported " + Scope.type(scope));
          }
          return send.send(Events.responseStart(204, List.of()))
              .thenCompose(v -> send.send(Events.body(new byte[0])));
        };
    try (JettyHarness jetty = new JettyHarness(app, PagiConfig.defaults(), "/*")) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(jetty.uri).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(204, r.statusCode());
    }
    assertEquals(List.of("lifespan", "http"), log);
  }

  /** Records what PagiServlet logs at SEVERE during this test. */
  private static List<String> captureServletLog() {
    List<String> out = new CopyOnWriteArrayList<>();
    SERVLET_LOG.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (r.getLevel() == Level.SEVERE) {
              out.add(r.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
    return out;
  }
}
