package dev.pagi.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pagi.Events;
import dev.pagi.Header;
import dev.pagi.PagiApp;
import dev.pagi.Scope;
import dev.pagi.Sse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A real browser's {@code EventSource} against the adapter: headless Chromium driven through
 * chromedriver's W3C WebDriver HTTP API. Skipped when Chromium or chromedriver is not installed
 * (Debian: {@code apt-get install chromium chromium-driver}).
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserEventSourceTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private Process driver;
  private Path profile;
  private URI webdriver;
  private String session;

  /** Every connection the event endpoints saw: path and Last-Event-ID. */
  private final List<String> connections = new CopyOnWriteArrayList<>();

  private static final String PAGE =
      "<!doctype html><title>pagi sse</title><script>\n"
          + "window.log = {a: [], b: []};\n"
          + "function watch(name) {\n"
          + "  const es = new EventSource('/events/' + name);\n"
          + "  es.onopen = () => log[name].push('open');\n"
          + "  es.onmessage = e => log[name].push('message ' + e.data + ' id=' + e.lastEventId);\n"
          + "  es.onerror = () => log[name].push('error ' + es.readyState);\n"
          + "  return es;\n"
          + "}\n"
          + "window.streams = {a: watch('a')};\n"
          + "</script>";

  /**
   * {@code /events/a}: first connection {@code retry: 100}, id 1, then returns; the reconnect
   * (which must carry {@code Last-Event-ID: 1}) gets id 2 and returns; the third is declined with
   * 204. {@code /events/b}: one event with {@code retry: 20000}, then returns.
   */
  private PagiApp app() {
    return (scope, receive, send) -> {
      if (Scope.TYPE_HTTP.equals(Scope.type(scope))) {
        return send.send(
                Events.responseStart(
                    200, List.of(Header.of("content-type", "text/html; charset=utf-8"))))
            .thenCompose(v -> send.send(Events.body(PAGE)));
      }
      if (!Scope.TYPE_SSE.equals(Scope.type(scope))) {
        throw new IllegalArgumentException("no " + Scope.type(scope));
      }
      Sse sse = new Sse(scope, receive, send);
      String path = sse.path();
      connections.add(path + " last-event-id=" + sse.lastEventId());
      long seen = connections.stream().filter(c -> c.startsWith(path + " ")).count();
      if (path.equals("/events/b")) {
        return sse.sendEvent(Map.of("data", "slow", "retry", 20_000));
      }
      if (seen == 1) {
        return sse.sendEvent(Map.of("data", "first", "id", "1", "retry", 100));
      }
      if (seen == 2) {
        return sse.sendEvent(Map.of("data", "second " + sse.lastEventId(), "id", "2"));
      }
      return sse.noContent();
    };
  }

  @org.junit.jupiter.api.BeforeEach
  void forgetConnections() {
    connections.clear();
  }

  @BeforeAll
  void startBrowser() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Chromium is not installed: apt-get install chromium chromium-driver to run the browser"
            + " EventSource test");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    driver =
        new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Void> ready =
        CompletableFuture.runAsync(
            () -> {
              try {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.contains("started successfully")) {
                    return;
                  }
                }
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              throw new IllegalStateException("chromedriver exited before it was ready");
            });
    ready.get(30, TimeUnit.SECONDS);
    // Keep draining its output so it never blocks on a full pipe.
    CompletableFuture.runAsync(
        () -> {
          try {
            while (out.readLine() != null) {
              // discard
            }
          } catch (IOException e) {
            // the driver went away
          }
        });
    webdriver = URI.create("http://127.0.0.1:" + port);
    profile = Files.createTempDirectory("pagi-chromium");
    Map<String, Object> caps =
        Map.of(
            "capabilities",
            Map.of(
                "alwaysMatch",
                Map.of(
                    "browserName",
                    "chrome",
                    "goog:chromeOptions",
                    Map.of(
                        "binary",
                        CHROMIUM.toString(),
                        "args",
                        List.of(
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--no-first-run",
                            "--disable-dev-shm-usage",
                            "--user-data-dir=" + profile)))));
    @SuppressWarnings("unchecked")
    Map<String, Object> value = (Map<String, Object>) call("POST", "/session", caps).get("value");
    session = (String) value.get("sessionId");
    call("POST", "/session/" + session + "/timeouts", Map.of("script", 20_000));
  }

  @AfterAll
  void stopBrowser() throws Exception {
    if (session != null) {
      call("DELETE", "/session/" + session, null);
    }
    if (driver != null) {
      driver.descendants().forEach(ProcessHandle::destroy);
      driver.destroy();
      driver.waitFor(10, TimeUnit.SECONDS);
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private Map<String, Object> call(String method, String path, Object body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(webdriver.resolve(path)).timeout(Duration.ofSeconds(60));
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("content-type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    @SuppressWarnings("unchecked")
    Map<String, Object> result = JSON.readValue(r.body(), Map.class);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("WebDriver " + method + " " + path + ": " + r.body());
    }
    return result;
  }

  /** What the page's log showed when a condition was met, or when the wait ran out. */
  private record Seen(boolean met, List<String> log) {}

  /** Like {@link #watchLog}, failing when the condition is not met in time. */
  private List<String> awaitLog(String name, String condition, double seconds) throws Exception {
    Seen seen = watchLog(name, condition, seconds);
    assertTrue(seen.met(), () -> "condition " + condition + " not met: " + seen.log());
    return seen.log();
  }

  /**
   * Evaluates {@code condition} (a JS expression over {@code log}) in the page every 20 ms until it
   * holds or {@code seconds} passed; the browser does the waiting, the test makes one call.
   */
  @SuppressWarnings("unchecked")
  private Seen watchLog(String name, String condition, double seconds) throws Exception {
    String script =
        "const done = arguments[arguments.length - 1];\n"
            + "const log = window.log."
            + name
            + ";\n"
            + "const deadline = Date.now() + "
            + (long) (seconds * 1000)
            + ";\n"
            + "(function check() {\n"
            + "  if ("
            + condition
            + ") { done({ok: true, log: log}); return; }\n"
            + "  if (Date.now() > deadline) { done({ok: false, log: log}); return; }\n"
            + "  setTimeout(check, 20);\n"
            + "})();";
    Map<String, Object> result =
        (Map<String, Object>)
            call(
                    "POST",
                    "/session/" + session + "/execute/async",
                    Map.of("script", script, "args", List.of()))
                .get("value");
    return new Seen((Boolean) result.get("ok"), (List<String>) result.get("log"));
  }

  @Test
  void eventSourceReconnectsWithLastEventIdHonoursRetryAndStopsAfter204() throws Exception {
    try (JettyHarness jetty = new JettyHarness(app())) {
      call("POST", "/session/" + session + "/url", Map.of("url", jetty.uri.toString()));

      // retry: 100 makes the browser come back well before its 3 s default.
      List<String> log = awaitLog("a", "log.includes('message second 1 id=2')", 2.5);
      assertEquals(
          List.of("open", "message first id=1", "error 0", "open", "message second 1 id=2"),
          log.subList(0, 5));
      List<String> a = connections.stream().filter(c -> c.startsWith("/events/a ")).toList();
      assertEquals("/events/a last-event-id=null", a.get(0));
      assertEquals("/events/a last-event-id=1", a.get(1));

      // The third connection is declined with 204: the EventSource closes for good.
      log = awaitLog("a", "log.includes('error 2')", 10);
      assertEquals("error 2", log.get(log.size() - 1));
      assertEquals(
          3,
          connections.stream().filter(c -> c.startsWith("/events/a ")).count(),
          connections::toString);
      assertTrue(watchLog("a", "log.length > " + log.size(), 1.5).log().size() == log.size());
      assertEquals(
          3,
          connections.stream().filter(c -> c.startsWith("/events/a ")).count(),
          "no reconnect after 204");
      jetty.awaitActive(0);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; connections " + connections, e);
    }
  }

  @Test
  void aLongRetryKeepsTheBrowserAway() throws Exception {
    try (JettyHarness jetty = new JettyHarness(app())) {
      call("POST", "/session/" + session + "/url", Map.of("url", jetty.uri.toString()));
      call(
          "POST",
          "/session/" + session + "/execute/sync",
          Map.of(
              "script",
              "window.streams.a.close(); window.streams.b = watch('b');",
              "args",
              List.of()));
      List<String> log = awaitLog("b", "log.includes('message slow id=')", 10);
      // retry: 20000 — unlike the 100 ms stream above, it must not come back within seconds.
      Seen later = watchLog("b", "log.includes('open', 1)", 2.5);
      assertTrue(!later.met(), () -> "reconnected despite retry: 20000: " + later.log());
      assertTrue(log.contains("open"), log::toString);
      assertEquals(
          1,
          connections.stream().filter(c -> c.startsWith("/events/b ")).count(),
          connections::toString);
    }
  }
}
