package dev.pagi.tck.suite;

import static dev.pagi.tck.suite.TckSuite.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.tck.app.Json;
import dev.pagi.tck.suite.PagiRule.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;

/**
 * §1.A outbound event validation (P-IN through {@code /http/raise/<case>}), and the state ×
 * event-type table of §2.A (P-SIDE through {@code /http/table/<state>/<event>}).
 *
 * <p>The table, as this adapter documents it ({@code ok}: accepted; {@code raise}: the send fails
 * and nothing reaches the wire; {@code noop}: accepted, nothing happens):
 *
 * <pre>
 * state \ event      start  body   trailers  fullflush*  unknown
 * before             ok     raise  raise     ok          raise
 * streaming          raise  ok     raise     ok          raise     (trailers not promised)
 * trailers-pending   raise  raise  ok        ok          raise
 * complete / ended   raise  raise  raise     ok          raise
 * gone (any state)   noop   noop   noop      noop        noop
 * </pre>
 *
 * {@code *} {@code http.fullflush} raises wherever {@code ok} is shown when the extension is not
 * advertised.
 */
public interface HttpValidationRules extends TckSuite {

  /** Runs a P-IN raise case and returns its report. */
  private Map<String, Object> raiseCase(String name) throws Exception {
    return getJson("/http/raise/" + name);
  }

  private void assertRaises(String... names) throws Exception {
    for (String name : names) {
      Map<String, Object> report = raiseCase(name);
      assertEquals(1, report.get("raised"), () -> name + " should raise: " + report);
    }
  }

  @Test
  @PagiRule(1)
  default void rule001_unrecognizedTypeRaises() throws Exception {
    assertRaises("unknown-type", "missing-type");
  }

  @Test
  @PagiRule(1)
  default void rule001_eventFromAnotherScopeRaises() throws Exception {
    assertRaises("sse-start-in-http", "websocket-accept-in-http");
  }

  @Test
  @PagiRule(127)
  default void rule127_eventsOfUnadvertisedExtensionsRaise() throws Exception {
    assertRaises("custom-unadvertised", "ext-unadvertised");
  }

  @Test
  @PagiRule(2)
  default void rule002_startFieldsValidated() throws Exception {
    assertRaises(
        "start-without-status",
        "start-status-not-integer",
        "start-headers-not-array",
        "start-header-not-pair",
        "start-trailers-not-flag");
  }

  @Test
  @PagiRule(2)
  default void rule002_bodyFieldsValidated() throws Exception {
    assertRaises(
        "body-and-file",
        "body-fh",
        "body-offset-negative",
        "body-length-negative",
        "body-offset-not-integer",
        "body-not-bytes",
        "body-more-not-flag");
  }

  @Test
  @PagiRule(2)
  default void rule002_trailersFieldsValidated() throws Exception {
    assertRaises("trailers-headers-not-array");
  }

  @Test
  @PagiRule(3)
  default void rule003_extraFieldsAccepted() throws Exception {
    Map<String, Object> report = raiseCase("start-extra-field");
    assertEquals(0, report.get("raised"), () -> "extra field: " + report);
  }

  @Test
  @PagiRule({4, 74})
  default void rule074_headerInjectionRaisesAndNeverReachesTheWire() throws Exception {
    for (String name :
        List.of(
            "start-crlf-value",
            "start-lf-value",
            "start-nul-value",
            "start-ctl-name",
            "start-crlf-name",
            "trailers-crlf-value")) {
      ContentResponse r = client().get("/http/raise/" + name);
      assertEquals(200, r.getStatus(), name);
      assertEquals(1, Json.object(r.getContentAsString()).get("raised"), name);
      assertTrue(r.getHeaders().getValuesList("set-cookie").isEmpty(), name);
      assertFalse(r.getHeaders().contains("x-bad"), name);
      assertTrue(r.getTrailers() == null || !r.getTrailers().contains("x-injected"), name);
    }
  }

  @Test
  @PagiRule({4, 74})
  default void rule074_headerInjectionNeverReachesTheRawWire() throws Exception {
    assumeHttp1("the raw HTTP/1.1 bytes are where a CRLF injection would show");
    for (String name : List.of("start-crlf-value", "start-lf-value", "start-crlf-name")) {
      try (RawHttp raw = raw()) {
        raw.send(raw.request("GET", "/http/raise/" + name, "Connection: close"));
        String wire = raw.readToEof();
        assertTrue(wire.startsWith("HTTP/1.1 200"), () -> name + ": " + wire);
        assertFalse(wire.toLowerCase().contains("pwned"), () -> name + ": " + wire);
      }
    }
  }

  @Test
  @PagiRule(74)
  default void rule074_tabInHeaderValueAllowedVerbatim() throws Exception {
    ContentResponse r = client().get("/http/raise/start-tab-value");
    assertEquals(200, r.getStatus());
    assertEquals(0, Json.object(r.getContentAsString()).get("raised"));
    assertEquals("a\tb", r.getHeaders().get("x-tab"));
  }

  @Test
  @PagiRule(5)
  default void rule005_missingBodyAndMoreMeanEmptyAndFinal() throws Exception {
    String id = newId("flags");
    ContentResponse r = client().get("/http/response/flags?tck=" + id);
    assertEquals(200, r.getStatus());
    assertEquals("", r.getContentAsString());
    Map<String, Object> flags = TckSuite.first(sideAwait(id, "flags"), "flags");
    assertEquals(1, flags.get("response_complete"), "a body event without 'more' is the last");
  }

  @Test
  @PagiRule({6, 124})
  default void rule124_fullflushRaisesExactlyWhenNotAdvertised() throws Exception {
    Map<String, Object> report = getJson("/http/response/fullflush");
    int advertised = (Integer) report.get("advertised");
    assertEquals(1 - advertised, report.get("raised"), () -> "fullflush: " + report);
  }

  // ---- the state × event-type table

  /**
   * Runs one row of the table: one request per event type, each cell's outcome read from the side
   * channel, all mismatches reported together.
   */
  private void row(String state, Map<String, String> expected) throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, String> cell : expected.entrySet()) {
      String event = cell.getKey();
      String id = newId("table-" + state + "-" + event);
      String path = "/http/table/" + state + "/" + event + "?tck=" + id;
      String body = null;
      if (state.startsWith("gone")) {
        Partial request = partialPost(path);
        sideAwait(id, "ready");
        request.abort();
      } else {
        ContentResponse r = client().get(path);
        body = r.getContentAsString();
      }
      List<Map<String, Object>> attempts = named(sideAwait(id, "attempt"), "attempt");
      if (attempts.isEmpty()) {
        wrong.add(state + "/" + event + ": the app recorded no attempt");
        continue;
      }
      Map<String, Object> a = attempts.get(0);
      String want = cell.getValue();
      if (event.equals("fullflush") && want.equals("ok") && a.get("advertised").equals(0)) {
        want = "raise";
      }
      boolean raised = a.get("raised").equals(1);
      if (raised != want.equals("raise")) {
        wrong.add(state + "/" + event + ": expected " + want + " but got " + a);
      }
      String wire = expectedBody(state, event, want);
      if (body != null && wire != null && !wire.equals(body)) {
        wrong.add(state + "/" + event + ": expected body '" + wire + "' but got '" + body + "'");
      }
    }
    assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
  }

  private static String expectedBody(String state, String event, String outcome) {
    boolean ok = outcome.equals("ok");
    return switch (state) {
      case "before" -> event.equals("start") && ok ? "|end" : "end";
      case "streaming" -> "begin" + (event.equals("body") && ok ? "ATTEMPT" : "") + "|end";
      case "trailers-pending" -> "begin";
      case "complete", "ended" -> "done";
      default -> null;
    };
  }

  private static Map<String, String> cells(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  @Test
  @PagiRule(value = 19, level = Level.INFO)
  default void rule019_tableBeforeStart() throws Exception {
    row(
        "before",
        cells(
            "start",
            "ok",
            "body",
            "raise",
            "trailers",
            "raise",
            "fullflush",
            "ok",
            "unknown",
            "raise"));
  }

  @Test
  @PagiRule(value = 18, level = Level.INFO)
  default void rule018_tableWhileStreaming() throws Exception {
    row(
        "streaming",
        cells(
            "start",
            "raise",
            "body",
            "ok",
            "trailers",
            "raise",
            "fullflush",
            "ok",
            "unknown",
            "raise"));
  }

  @Test
  @PagiRule(22)
  default void rule022_tableWhileTrailersPending() throws Exception {
    row(
        "trailers-pending",
        cells(
            "start",
            "raise",
            "body",
            "raise",
            "trailers",
            "ok",
            "fullflush",
            "ok",
            "unknown",
            "raise"));
  }

  @Test
  @PagiRule(value = 20, level = Level.INFO)
  default void rule020_tableAfterCompletion() throws Exception {
    Map<String, String> afterEnd =
        cells(
            "start",
            "raise",
            "body",
            "raise",
            "trailers",
            "raise",
            "fullflush",
            "ok",
            "unknown",
            "raise");
    row("complete", afterEnd);
    row("ended", afterEnd);
  }

  @Test
  @PagiRule(21)
  default void rule021_tableAfterClientLeft() throws Exception {
    Map<String, String> noop =
        cells(
            "start",
            "noop",
            "body",
            "noop",
            "trailers",
            "noop",
            "fullflush",
            "noop",
            "unknown",
            "noop");
    row("gone", noop);
    row("gone-before-start", noop);
  }

  @Test
  @PagiRule({21, 57})
  default void rule021_sendsAfterDisconnectAreSilentNoOps() throws Exception {
    String id = newId("sends-after-gone");
    Partial request = partialPost("/http/connection/sends-after-gone?tck=" + id);
    sideAwait(id, "ready");
    request.abort();
    List<Map<String, Object>> log = sideAwait(id, "receive");
    Map<String, Object> sent = TckSuite.first(log, "sent");
    assertEquals(0, sent.get("raises"), () -> "sends after the client left raised: " + sent);
    Map<String, Object> before = TckSuite.map(sent.get("before"));
    Map<String, Object> after = TckSuite.map(sent.get("after"));
    assertEquals(0, before.get("is_connected"));
    assertEquals(0, after.get("is_connected"), "is_connected never turns true again");
    assertEquals("client_closed", before.get("disconnect_reason"));
    assertEquals("client_closed", after.get("disconnect_reason"), "the first reason is kept");
    assertEquals("http.disconnect", TckSuite.first(log, "receive").get("type"));
    request.result().get(5, TimeUnit.SECONDS);
  }
}
