package dev.pagi.tck.suite;

import static dev.pagi.tck.suite.TckSuite.first;
import static dev.pagi.tck.suite.TckSuite.named;
import static dev.pagi.tck.suite.TckSuite.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.PagiApp;
import dev.pagi.tck.app.LifespanApps;
import dev.pagi.tck.app.ProbeRegistry;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lifespan rules that need the server started and stopped around the test (§2.D, §6): each test
 * deploys one of {@link LifespanApps} through the container's {@link #deploy}. Harness-level: the
 * side channel is read in-process ({@link ProbeRegistry}), since the server is gone when shutdown
 * is checked, and the adapter's log through {@link LogCapture}.
 */
@Timeout(30)
public abstract class LifespanRules {

  /** One deployed app. */
  public interface Deployment extends AutoCloseable {
    /**
     * @return the base URL of the app
     */
    URI base();

    /** Stops the server (servlet {@code destroy}, so lifespan shutdown) and waits for it. */
    @Override
    void close();
  }

  /**
   * Deploys {@code app} in a {@code PagiServlet} with load-on-startup and lifespan {@code auto}.
   *
   * @param app the application
   * @param strict whether a servlet that fails to initialise fails the deployment (it throws);
   *     otherwise the deployment starts with the servlet unavailable
   * @return the running deployment
   * @throws Exception when the deployment fails
   */
  protected abstract Deployment deploy(PagiApp app, boolean strict) throws Exception;

  private HttpClient http;
  private LogCapture logs;

  @BeforeEach
  void open() throws Exception {
    http = new HttpClient();
    http.start();
    logs = new LogCapture();
  }

  @AfterEach
  void close() throws Exception {
    logs.close();
    http.stop();
  }

  private static String newId(String what) {
    return "lifespan-" + what + "-" + UUID.randomUUID();
  }

  private ContentResponse get(Deployment d, String path) throws Exception {
    return http.newRequest(d.base().resolve(path)).timeout(10, TimeUnit.SECONDS).send();
  }

  private static List<Map<String, Object>> log(String id, String what) throws Exception {
    return ProbeRegistry.await(id, what, 1, 5000);
  }

  private static long seq(Map<String, Object> entry) {
    return ((Number) entry.get("seq")).longValue();
  }

  @Test
  @PagiRule({45, 107})
  void rule107_requestsWaitForStartupComplete() throws Exception {
    String id = newId("gate");
    try (Deployment d = deploy(LifespanApps.recording(id), true)) {
      assertEquals(200, get(d, "/ok").getStatus());
      List<Map<String, Object>> log = log(id, "request");
      assertEquals(List.of("lifespan.startup", "startup.complete", "request"), names(log));
      assertTrue(seq(first(log, "request")) > seq(first(log, "startup.complete")));
      assertEquals(1, first(log, "request").get("ready"), "state set during startup is visible");
    }
  }

  @Test
  @PagiRule({44, 109})
  void rule109_shutdownAfterRequestsEndedAndAwaited() throws Exception {
    String id = newId("shutdown");
    CompletableFuture<Result> held = new CompletableFuture<>();
    Deployment d = deploy(LifespanApps.recording(id), true);
    try {
      http.newRequest(d.base().resolve("/hold")).send(held::complete);
      log(id, "holding");
    } finally {
      d.close();
    }
    // close() returned: the server waited for the app's shutdown signal.
    List<Map<String, Object>> log = ProbeRegistry.await(id, "shutdown.complete", 1, 0);
    assertEquals(
        List.of(
            "lifespan.startup",
            "startup.complete",
            "holding",
            "disconnect",
            "lifespan.shutdown",
            "shutdown.complete"),
        names(log));
    held.get(10, TimeUnit.SECONDS);
  }

  @Test
  @PagiRule(108)
  void rule108_startupFailedMakesTheServletUnavailable() throws Exception {
    String id = newId("failed");
    try (Deployment d = deploy(LifespanApps.failingStartup(id, "tck-boom-108"), false)) {
      int status = get(d, "/ok").getStatus();
      assertNotEquals(200, status, "a servlet whose startup failed served a request");
      assertTrue(status >= 400, () -> "status " + status);
    }
    assertTrue(named(ProbeRegistry.await(id, "request", 1, 300), "request").isEmpty());
    assertTrue(
        logs.messages(Level.SEVERE).stream().anyMatch(m -> m.contains("tck-boom-108")),
        () -> "the failure message is logged: " + logs.messages(Level.INFO));
  }

  @Test
  @PagiRule(108)
  void rule108_startupFailedFailsAStrictDeployment() {
    String id = newId("failed-strict");
    assertThrows(Exception.class, () -> deploy(LifespanApps.failingStartup(id, "boom"), true));
  }

  private void declined(String how) throws Exception {
    String id = newId("decline-" + how);
    try (Deployment d = deploy(LifespanApps.declining(id, how), true)) {
      assertEquals(200, get(d, "/ok").getStatus());
    }
    List<Map<String, Object>> log = ProbeRegistry.await(id, "lifespan.shutdown", 1, 300);
    assertEquals(List.of("lifespan.called", "request"), names(log), "no lifespan.shutdown");
  }

  @Test
  @PagiRule(110)
  void rule110_declineByRaising() throws Exception {
    declined("raise");
  }

  @Test
  @PagiRule(110)
  void rule110_declineByReturningWithoutASignal() throws Exception {
    declined("return");
  }

  @Test
  @PagiRule(value = 111, level = PagiRule.Level.SHOULD)
  void rule111_failureAfterStartupIsLoggedAndServingGoesOn() throws Exception {
    String id = newId("after-startup");
    try (Deployment d = deploy(LifespanApps.failingAfterStartup(id), true)) {
      assertEquals(200, get(d, "/ok").getStatus());
    }
    assertTrue(
        logs.messages(Level.SEVERE).stream().anyMatch(m -> m.contains("background task died")),
        () -> "logged at error level: " + logs.messages(Level.ALL));
  }
}
