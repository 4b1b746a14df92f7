package dev.pagi.tck.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.tck.app.Json;
import java.util.Map;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rules for {@code http} scopes. A container's test class extends this (usually as a
 * {@code @Nested} class) and says where the TCK app runs.
 */
@Timeout(30)
public abstract class HttpRules {
  /** The client for this test, speaking the target's protocol. */
  protected TckClient client;

  /**
   * @return where the TCK app runs and how to talk to it
   */
  protected abstract TckTarget target();

  @BeforeEach
  void openClient() {
    client = new TckClient(target());
  }

  @AfterEach
  void closeClient() throws Exception {
    client.close();
  }

  /** Runs a P-IN raise case and returns its report. */
  private Map<String, Object> raiseCase(String name) throws Exception {
    ContentResponse r = client.get("/http/raise/" + name);
    assertEquals(200, r.getStatus(), () -> "raise probe " + name + ": " + r.getContentAsString());
    return Json.object(r.getContentAsString());
  }

  private void assertRaises(String name) throws Exception {
    Map<String, Object> report = raiseCase(name);
    assertEquals(1, report.get("raised"), () -> name + " should raise: " + report);
  }

  @Test
  @PagiRule(1)
  void rule001_unrecognizedTypeRaises() throws Exception {
    assertRaises("unknown-type");
    assertRaises("missing-type");
  }

  @Test
  @PagiRule(1)
  void rule001_eventFromAnotherScopeRaises() throws Exception {
    assertRaises("sse-start-in-http");
    assertRaises("websocket-accept-in-http");
  }

  @Test
  @PagiRule(2)
  void rule002_missingOrMistypedFieldsRaise() throws Exception {
    assertRaises("start-without-status");
    assertRaises("start-status-not-integer");
    assertRaises("start-headers-not-array");
  }

  @Test
  @PagiRule(7)
  void rule007_scopeTypeAndVersion() throws Exception {
    ContentResponse r = client.get("/http/echo");
    assertEquals(200, r.getStatus());
    Map<String, Object> scope = scopeOf(r);
    assertEquals("http", scope.get("type"));
    @SuppressWarnings("unchecked")
    Map<String, Object> pagi = (Map<String, Object>) scope.get("pagi");
    assertEquals("0.3", pagi.get("version"));
    Object spec = pagi.get("spec_version");
    assertTrue(spec == null || "0.3".equals(spec), () -> "spec_version: " + spec);
  }

  /**
   * @param r a response of {@code /http/echo}
   * @return the echoed scope
   */
  @SuppressWarnings("unchecked")
  protected static Map<String, Object> scopeOf(ContentResponse r) {
    return (Map<String, Object>) Json.object(r.getContentAsString()).get("scope");
  }
}
