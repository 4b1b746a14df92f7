package dev.pagi.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.runner.examples.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo page in headless Chromium: what a person sees, asserted from the DOM, with a screenshot
 * in {@code target/demo-page.png}. The SSE clock must tick and, after a server restart on the same
 * port, resume from {@code Last-Event-ID}. Needs Debian's {@code chromium} and {@code
 * chromium-driver} (installed by {@code .ci/run}).
 */
@Timeout(120)
class DemoPageIT {
  @TempDir Path dir;

  @Test
  void everyPanelWorks() throws Exception {
    Path chromium = WebDriver.which("chromium");
    Path chromedriver = WebDriver.which("chromedriver");
    Assumptions.assumeTrue(
        chromium != null && chromedriver != null,
        "chromium and chromedriver are not on the PATH (apt-get install chromium chromium-driver)");
    byte[] data = new byte[300_000];
    new Random(42).nextBytes(data);
    Path file = dir.resolve("upload.bin");
    Files.write(file, data);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    PagiServer server = PagiServer.builder().app(new Demo()).port(0).build().start();
    try (server;
        WebDriver browser = new WebDriver(chromedriver, chromium)) {
      browser.open(server.uri());
      assertEquals("http/1.1", browser.awaitText("#protocol", "^(http/1.1|h2|h2c)$"));

      browser.sendKeys("#upload-file", file.toString());
      browser.awaitText("#upload-status", "^(done|failed.*)$");
      assertEquals("done", browser.text("#upload-status"));
      assertEquals("300000", browser.text("#upload-size"));
      assertEquals(sha, browser.text("#upload-sha256"));
      assertEquals(sha, browser.text("#upload-local-sha256"));
      assertEquals("yes", browser.text("#upload-match"));

      browser.click("#stream-start");
      browser.awaitText("#stream-status", "^done$");
      String stream = browser.text("#stream-out");
      assertTrue(stream.startsWith("chunk 1 of 10"), stream);
      assertTrue(stream.contains("chunk 10 of 10"), stream);

      browser.awaitText("#ws-status", "^open$");
      browser.sendKeys("#ws-input", "hello over PAGI");
      browser.click("#ws-send");
      String log = browser.awaitText("#ws-log", "\u2190 hello over PAGI");
      assertTrue(log.contains("\u2192 hello over PAGI"), log);

      browser.awaitText("#sse-status", "^live$");
      browser.awaitText("#clock-id", "^[2-9]|^[1-9][0-9]+$");
      assertTrue(browser.text("#clock").matches("\\d\\d:\\d\\d:\\d\\d"), browser.text("#clock"));
      browser.screenshot(Path.of("target", "demo-page.png"));
      long lastId = Long.parseLong(browser.text("#clock-id"));
      int port = server.port();
      server.close();
      browser.awaitText("#sse-status", "^reconnecting$");
      try (PagiServer again = PagiServer.builder().app(new Demo()).port(port).build().start()) {
        browser.awaitText("#clock-reconnects", "^1$");
        browser.awaitText("#sse-status", "^live$");
        long resumed = Long.parseLong(browser.awaitText("#clock-id", "^[0-9]+$"));
        assertTrue(resumed > lastId, "resumed at " + resumed + " after " + lastId);
      }
    }
  }
}
