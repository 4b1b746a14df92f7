package dev.pagi.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium driven through chromedriver's W3C WebDriver HTTP API with {@code
 * java.net.http}: just the calls the demo page test needs.
 */
final class WebDriver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

  private final Process driver;
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private final String session;

  /** Path of an executable on the PATH, or null. */
  static Path which(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  WebDriver(Path chromedriver, Path chromium) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    driver =
        new ProcessBuilder(chromedriver.toString(), "--port=" + port)
            .redirectErrorStream(true)
            .start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  if (line.contains("started successfully")) {
                    ready.complete(null);
                  }
                }
              } catch (java.io.IOException e) {
                // driver gone
              }
              ready.completeExceptionally(new IllegalStateException("chromedriver exited"));
            },
            "chromedriver-output");
    reader.setDaemon(true);
    reader.start();
    ready.get(30, TimeUnit.SECONDS);
    base = URI.create("http://127.0.0.1:" + port + "/");
    Map<String, Object> options =
        Map.of(
            "binary",
            chromium.toString(),
            "args",
            List.of(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,900"));
    JsonNode created =
        call(
            "POST",
            "session",
            Map.of(
                "capabilities",
                Map.of(
                    "alwaysMatch",
                    Map.of("browserName", "chrome", "goog:chromeOptions", options))));
    session = created.get("sessionId").asText();
    call("POST", "session/" + session + "/timeouts", Map.of("script", 20_000, "implicit", 0));
  }

  void open(URI uri) throws Exception {
    call("POST", "session/" + session + "/url", Map.of("url", uri.toString()));
  }

  String element(String css) throws Exception {
    return call(
            "POST",
            "session/" + session + "/element",
            Map.of("using", "css selector", "value", css))
        .get(ELEMENT)
        .asText();
  }

  void sendKeys(String css, String text) throws Exception {
    call(
        "POST", "session/" + session + "/element/" + element(css) + "/value", Map.of("text", text));
  }

  void click(String css) throws Exception {
    call("POST", "session/" + session + "/element/" + element(css) + "/click", Map.of());
  }

  String text(String css) throws Exception {
    return call("GET", "session/" + session + "/element/" + element(css) + "/text", null).asText();
  }

  /**
   * Waits inside the page (a MutationObserver, bounded by the script timeout) until the text of
   * {@code css} matches {@code regex}, and returns that text.
   */
  String awaitText(String css, String regex) throws Exception {
    String script =
        "const [sel, re, done] = arguments;"
            + "const check = () => { const el = document.querySelector(sel);"
            + "  if (el && new RegExp(re).test(el.textContent)) { done(el.textContent); return true; }"
            + "  return false; };"
            + "if (!check()) { const o = new MutationObserver(() => { if (check()) o.disconnect(); });"
            + "  o.observe(document.body, {subtree: true, childList: true, characterData: true}); }";
    return call(
            "POST",
            "session/" + session + "/execute/async",
            Map.of("script", script, "args", List.of(css, regex)))
        .asText();
  }

  void screenshot(Path file) throws Exception {
    String png = call("GET", "session/" + session + "/screenshot", null).asText();
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(png));
  }

  private JsonNode call(String method, String path, Object body) throws Exception {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
    if (body == null) {
      req.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      req.header("content-type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = JSON.readTree(r.body());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("WebDriver " + method + " " + path + ": " + r.body());
    }
    return json.get("value");
  }

  @Override
  public void close() throws Exception {
    try {
      if (session != null) {
        call("DELETE", "session/" + session, null);
      }
    } finally {
      driver.destroy();
      if (!driver.waitFor(10, TimeUnit.SECONDS)) {
        driver.destroyForcibly();
      }
    }
  }
}
