package dev.pagi.tck.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.tck.app.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rules for {@code sse} scopes (checklist §2.B, §3.C, rules 12, 25-35, 64-68, 83-88). Over HTTP/1.1
 * the streams are read from a raw socket, so framing is checked byte for byte (terminal chunk,
 * nothing after it, EOF); over h2c the same rules are checked on decoded DATA frames, a clean
 * END_STREAM standing for the terminal chunk.
 *
 * <p>Not asserted: {@code Connection: keep-alive} on HTTP/1.1 streams (rule 86). HTTP/1.1 makes
 * persistence the default (RFC 9112 §9.3) and containers may drop the token: Jetty removes it from
 * every HTTP/1.1 response. Idle timeout and server shutdown (rule 67) depend on the server's
 * configuration and are covered by the adapter's own tests. Noticing a client that leaves an idle
 * stream without any write is optional; targets that can declare {@link TckTarget#IDLE_DISCONNECT}.
 */
@Timeout(30)
public abstract class SseRules extends SuiteBase {
  private final List<SseStream> streams = new ArrayList<>();

  @AfterEach
  void closeStreams() {
    streams.forEach(SseStream::close);
  }

  private boolean h1() {
    return target().protocol() == TckTarget.Protocol.H1;
  }

  private SseStream open(String path) throws Exception {
    return open("GET", path, null);
  }

  private SseStream open(String method, String path, String body) throws Exception {
    SseStream s = SseStream.open(target(), client(), method, path, body);
    streams.add(s);
    return s;
  }

  private static String newId() {
    return "sse-" + UUID.randomUUID();
  }

  /** P-SIDE: the observations recorded under {@code id}, waiting (bounded) for {@code count}. */
  private List<Map<String, Object>> probe(String id, int count) throws Exception {
    ContentResponse r = client().get("/__tck/probe/" + id + "?count=" + count + "&wait=5");
    assertEquals(200, r.getStatus());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list = (List<Map<String, Object>>) Json.read(r.getContentAsString());
    assertTrue(list.size() >= count, () -> "expected " + count + " observations: " + list);
    return list;
  }

  /** The JSON object carried by the first event of a stream. */
  private static Map<String, Object> firstEventJson(SseStream s) throws Exception {
    String body = s.awaitBody("\n\n", 5);
    assertTrue(body.startsWith("data: "), body);
    return Json.object(body.substring(6, body.indexOf("\n\n")));
  }

  /** Asserts a clean end: the terminal chunk then EOF and nothing between (h1), END_STREAM (h2). */
  private void assertCleanEnd(SseStream s) throws Exception {
    assertEquals(
        SseStream.End.CLEAN,
        s.awaitEnd(5),
        () -> s instanceof SseStream.H1 raw ? "received: " + raw.raw() : "body: " + s.body());
    if (s instanceof SseStream.H1 raw) {
      assertTrue(raw.terminated(), raw::raw);
      assertEquals("", raw.afterTerminal(), "nothing after the terminal chunk");
    }
  }

  private Map<String, Object> raised(String probe) throws Exception {
    SseStream s = open("/sse/raise/" + probe);
    assertEquals(200, s.status(), probe);
    try {
      return firstEventJson(s);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("raise probe " + probe + ": " + e.getMessage(), e);
    }
  }

  private void assertRaises(String probe) throws Exception {
    Map<String, Object> report = raised(probe);
    assertEquals(1, report.get("raised"), () -> probe + " should raise: " + report);
  }

  // ---- 1.B rule 12: the scope

  @Test
  @PagiRule(12)
  void rule012_sseScopeHasTheHttpKeysAndNoConnection() throws Exception {
    Map<String, Object> echo = firstEventJson(open("/sse/echo?x=1"));
    @SuppressWarnings("unchecked")
    Map<String, Object> scope = (Map<String, Object>) echo.get("scope");
    assertEquals("sse", scope.get("type"));
    for (String key :
        List.of(
            "pagi",
            "http_version",
            "method",
            "scheme",
            "path",
            "raw_path",
            "query_string",
            "root_path",
            "headers",
            "server",
            "extensions")) {
      assertTrue(scope.containsKey(key), () -> "missing " + key + " in " + scope.keySet());
    }
    assertEquals(h1() ? "1.1" : "2", scope.get("http_version"));
    assertEquals("GET", scope.get("method"));
    assertEquals(target().rootPath() + "/sse/echo", scope.get("path"));
    assertEquals(0, echo.get("has_connection"), "pagi.connection does not apply to sse");
  }

  @Test
  @PagiRule(value = 12, level = PagiRule.Level.SHOULD)
  void rule012_sseScopeHasTransport() throws Exception {
    assertEquals(1, firstEventJson(open("/sse/echo")).get("has_transport"));
  }

  // ---- 2.B

  /**
   * The scope type {@code /sse/echo} reports for a request. Streams go over the suite's own
   * connections: after an SSE stream the server closes an HTTP/1.1 connection, as the reference
   * does, so a pooled client must not reuse it.
   */
  @SuppressWarnings("unchecked")
  private String typeFor(String method, String accept) throws Exception {
    SseStream s =
        SseStream.open(
            target(), client(), method, "/sse/echo", method.equals("GET") ? null : "x", accept);
    streams.add(s);
    assertEquals(200, s.status());
    s.awaitEnd(5);
    String body = s.body();
    if (String.valueOf(s.header("content-type")).startsWith("text/event-stream")) {
      body = body.substring(6, body.indexOf("\n\n"));
    }
    return (String) ((Map<String, Object>) Json.object(body).get("scope")).get("type");
  }

  @Test
  @PagiRule(25)
  void rule025_acceptListingEventStreamGivesAnSseScopeForAnyMethod() throws Exception {
    assertEquals("sse", typeFor("GET", "text/html, text/event-stream;q=0.9"));
    assertEquals("sse", typeFor("POST", "text/html, text/event-stream;q=0.9"));
    assertEquals("sse", typeFor("PUT", "text/event-stream"));
    assertEquals("http", typeFor("GET", "text/html"));
  }

  @Test
  @PagiRule(25)
  void rule025_aWebSocketUpgradeIsNeverAnSseScope() throws Exception {
    Assumptions.assumeTrue(h1(), "the HTTP/1.1 Upgrade header does not exist in HTTP/2");
    try (RawHttp raw = new RawHttp(target())) {
      String response =
          raw.send(
                  "GET "
                      + target().rootPath()
                      + "/sse/echo HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
                      + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
              .readUntil("\r\n\r\n");
      assertFalse(
          response.toLowerCase(Locale.ROOT).contains("content-type: text/event-stream"), response);
    }
  }

  @Test
  @PagiRule(26)
  @SuppressWarnings("unchecked")
  void rule026_getGivesOneEmptySseRequestAndTheNextReceiveWaits() throws Exception {
    Map<String, Object> report = firstEventJson(open("/sse/body"));
    assertEquals(
        List.of(Map.of("type", "sse.request", "body", "", "more", 0)), report.get("events"));
    assertEquals("waiting", report.get("next"));
  }

  @Test
  @PagiRule(26)
  @SuppressWarnings("unchecked")
  void rule026_aPostBodyArrivesAsSseRequestEvents() throws Exception {
    String body = "x".repeat(100_000);
    Map<String, Object> report = firstEventJson(open("POST", "/sse/body", body));
    List<Map<String, Object>> events = (List<Map<String, Object>>) report.get("events");
    StringBuilder got = new StringBuilder();
    for (Map<String, Object> e : events) {
      assertEquals("sse.request", e.get("type"));
      got.append(e.get("body"));
    }
    assertEquals(body, got.toString());
    assertEquals(0, events.get(events.size() - 1).get("more"));
    assertEquals("waiting", report.get("next"));
  }

  @Test
  @PagiRule(27)
  void rule027_streamEventsBeforeSseStartNeverReachTheWire() throws Exception {
    SseStream s = open("/sse/early");
    assertEquals(200, s.status());
    s.awaitEnd(5);
    assertFalse(s.body().contains("early"), s.body());
    assertTrue(s.body().startsWith("data: raised="), s.body());
  }

  @Test
  @PagiRule(value = 28, level = PagiRule.Level.MAY)
  void rule028_aSecondSseStartChangesNothingOnTheWire() throws Exception {
    SseStream s = open("/sse/start-twice");
    assertEquals(200, s.status());
    assertEquals("data: after\n\n", s.awaitBody("after\n\n", 5));
    assertCleanEnd(s);
    if (s instanceof SseStream.H1 raw) {
      assertEquals(1, raw.raw().split("HTTP/1.1 ", -1).length - 1, raw::raw);
    }
  }

  @Test
  @PagiRule(29)
  void rule029_declineAfterSseStartRaises() throws Exception {
    assertRaises("decline-start");
  }

  @Test
  @PagiRule(29)
  void rule029_declineBodyAfterSseStartRaises() throws Exception {
    assertRaises("decline-body");
  }

  @Test
  @PagiRule(30)
  void rule030_streamEventsAfterDeclineRaise() throws Exception {
    for (String event : List.of("send", "comment", "keepalive", "close", "start")) {
      ContentResponse r =
          client()
              .request("/sse/declined/" + event)
              .headers(h -> h.put(HttpHeader.ACCEPT, "text/event-stream"))
              .send();
      assertEquals(404, r.getStatus(), event);
      assertEquals(1, Json.object(r.getContentAsString()).get("raised"), event);
    }
  }

  @Test
  @PagiRule(value = 31, level = PagiRule.Level.MAY)
  void rule031_theFirstDeclineStartWins() throws Exception {
    ContentResponse r =
        client()
            .request("/sse/decline/twice")
            .headers(h -> h.put(HttpHeader.ACCEPT, "text/event-stream"))
            .send();
    assertEquals(404, r.getStatus());
    assertEquals("first wins", r.getContentAsString());
  }

  private Map<String, Object> closeProbe(SseStream s, String id) throws Exception {
    assertCleanEnd(s);
    assertEquals("data: A\n\n", s.body());
    return probe(id, 1).get(0);
  }

  @Test
  @PagiRule(32)
  void rule032_aSecondSseCloseIsIgnored() throws Exception {
    String id = newId();
    Map<String, Object> seen = closeProbe(open("/sse/close?tck=" + id), id);
    assertEquals(0, seen.get("second_close"), "a second sse.close is ignored");
  }

  @Test
  @PagiRule({33, 34})
  void rule033_sendsAfterSseCloseRaise() throws Exception {
    String id = newId();
    SseStream s = open("/sse/close?tck=" + id);
    Map<String, Object> seen = closeProbe(s, id);
    assertEquals(1, seen.get("send_after_close"), "sse.send after sse.close raises");
    assertEquals(1, seen.get("comment_after_close"), "sse.comment after sse.close raises");
    assertFalse(s.body().contains("LATE"));
  }

  @Test
  @PagiRule({21, 34})
  void rule034_afterTheClientLeftEverySendIsASilentNoOp() throws Exception {
    String id = newId();
    SseStream s = open("/sse/disconnect?tck=" + id);
    s.awaitBody("data: A\n\n", 5);
    s.close();
    Map<String, Object> seen = probe(id, 1).get(0);
    assertEquals(0, seen.get("raised_after"), "send, comment and close after the client left");
  }

  @Test
  @PagiRule({35, 85})
  void rule085_keepaliveCommentsAtTheIntervalUntilIntervalZero() throws Exception {
    SseStream s = open("/sse/keepalive");
    String body = s.awaitBody("data: stopped\n\n", 5);
    String before = body.substring(0, body.indexOf("data: stopped"));
    assertTrue(
        before.split(":ka\n\n", -1).length - 1 >= 2, () -> "two or more keepalives: " + body);
    assertEquals("", before.replace(":ka\n\n", ""), "only keepalive comments before: " + body);
    s.anythingWithin(0.7);
    assertEquals(body, s.body(), "no keepalive after interval 0");
  }

  @Test
  @PagiRule(35)
  void rule035_theLastKeepaliveSettingWins() throws Exception {
    SseStream s = open("/sse/keepalive-last-wins");
    String body = s.awaitBody("data: done\n\n", 5);
    assertTrue(body.contains(":new\n\n"), body);
    assertFalse(body.contains("old"), body);
  }

  // ---- 3.C

  @Test
  @PagiRule(64)
  void rule064_returnAndSseCloseLookTheSameOnTheWire() throws Exception {
    SseStream closed = open("/sse/close");
    SseStream returned = open("/sse/return");
    assertCleanEnd(closed);
    assertCleanEnd(returned);
    assertEquals(returned.body(), closed.body());
    if (closed instanceof SseStream.H1 a && returned instanceof SseStream.H1 b) {
      String x = a.raw();
      String y = b.raw();
      assertEquals(y.substring(y.indexOf("\r\n\r\n")), x.substring(x.indexOf("\r\n\r\n")));
      assertFalse(x.contains("x-tck-reason"), "the close reason never reaches the wire");
    }
  }

  @Test
  @PagiRule(65)
  void rule065_sseCloseEndsTheStreamBeforeTheAppReturns() throws Exception {
    SseStream s = open("/sse/close-then-wait");
    // The app returns only 3 s after its sse.close; the stream must end well before.
    assertEquals(SseStream.End.CLEAN, s.awaitEnd(2));
    assertEquals("data: A\n\n", s.body());
  }

  @Test
  @PagiRule(66)
  void rule066_declineSendsNormalResponseAndNoDisconnect() throws Exception {
    String id = newId();
    SseStream s = open("/sse/decline/404?tck=" + id);
    assertEquals(404, s.status());
    assertEquals(SseStream.End.CLEAN, s.awaitEnd(5));
    assertEquals("no such stream", s.body());
    assertFalse(String.valueOf(s.header("content-type")).contains("event-stream"));
    if (s instanceof SseStream.H1 raw) {
      assertTrue(raw.awaitEof(5), "the connection closes after the decline");
    }
    Object receive = probe(id, 1).get(0).get("receive");
    assertNotEquals("sse.disconnect", receive, "no sse.disconnect after a decline");
  }

  @Test
  @PagiRule(67)
  void rule067_aClientThatLeavesGivesSseDisconnectClientClosed() throws Exception {
    String id = newId();
    SseStream s = open("/sse/disconnect?tck=" + id);
    s.awaitBody("data: A\n\n", 5);
    s.close();
    assertEquals("client_closed", probe(id, 1).get(0).get("reason"));
  }

  @Test
  @PagiRule(value = 67, level = PagiRule.Level.MAY)
  void rule067_anIdleClientThatLeavesIsNoticedWithoutWriting() throws Exception {
    Assumptions.assumeTrue(
        target().has(TckTarget.IDLE_DISCONNECT),
        "the target does not declare 'idle-disconnect': it learns of a vanished client from the"
            + " next write (an event or a keepalive comment)");
    String id = newId();
    SseStream s = open("/sse/idle-disconnect?tck=" + id);
    s.awaitBody("data: A\n\n", 5);
    s.close();
    assertEquals("client_closed", probe(id, 1).get(0).get("reason"));
  }

  @Test
  @PagiRule({16, 68})
  void rule068_anAppFailingBeforeSseStartGetsInternalServerError() throws Exception {
    SseStream s = open("/sse/throw-before");
    assertEquals(500, s.status());
    s.awaitEnd(5);
  }

  @Test
  @PagiRule(value = 68, level = PagiRule.Level.SHOULD)
  void rule068_anAppFailingAfterSseStartEndsTheStream() throws Exception {
    SseStream s = open("/sse/throw-after");
    assertEquals(200, s.status());
    // How it ends is the server's choice (the reference writes a terminator, this adapter aborts);
    // it must end, and over HTTP/1.1 the event sent before the failure is there.
    s.awaitEnd(5);
    if (h1()) {
      assertTrue(s.body().startsWith("data: A\n\n"), s.body());
    }
  }

  // ---- 4.B wire

  @Test
  @PagiRule(83)
  void rule083_dataIsSplitIntoOneLinePerSegmentAndFieldsAreWritten() throws Exception {
    String body = open("/sse/wire").awaitBody("data: end\n\n", 5);
    assertEquals(
        "data: line1\ndata: line2\ndata: line3\n\n"
            + "data: l1\ndata: l2\n\n"
            + "data: l1\ndata: l2\n\n"
            + "data: a\ndata: b\ndata: c\ndata: d\n\n"
            + "data: a\ndata: \n\n",
        body.substring(0, body.indexOf("event:")));
    String event = body.substring(body.indexOf("event:"), body.indexOf(":keepalive"));
    assertTrue(event.endsWith("\n\n"), event);
    for (String line : List.of("event: click\n", "data: x\n", "id: 42\n", "retry: 3000\n")) {
      assertTrue(event.contains(line), () -> line + " in " + event);
    }
    assertFalse(body.contains("\r"), "no CR inside the event stream");
  }

  @Test
  @PagiRule(84)
  void rule084_commentLinesGetAColonPrefix() throws Exception {
    String body = open("/sse/wire").awaitBody("data: end\n\n", 5);
    assertTrue(body.contains("\n\n:keepalive\n\n:ping\n\n:a\n:b\n\ndata: "), body);
  }

  @Test
  @PagiRule(87)
  void rule087_textFieldsAreUtf8OnTheWire() throws Exception {
    SseStream s = open("/sse/wire");
    String body = s.awaitBody("data: end\n\n", 5);
    assertTrue(body.contains("data: \u2713\n\n"), body);
    if (s instanceof SseStream.H1 raw) {
      assertTrue(
          raw.raw().contains("data: \u00e2\u009c\u0093\n"), "UTF-8 bytes E2 9C 93 on the wire");
    }
  }

  @Test
  @PagiRule({4, 83})
  void rule083_newlineInEventOrIdRaisesAndWritesNothing() throws Exception {
    for (String probe : List.of("event-newline", "event-cr", "id-newline")) {
      SseStream s = open("/sse/raise/" + probe);
      Map<String, Object> report = firstEventJson(s);
      assertEquals(1, report.get("raised"), probe);
      s.awaitEnd(5);
      // The report quotes the rejected value; no line of the stream may start with it.
      assertFalse(("\n" + s.body()).contains("\ndata: pwn"), s.body());
      assertFalse(("\n" + s.body()).contains("\ndata: x\n"), s.body());
    }
  }

  @Test
  @PagiRule(83)
  void rule083_retryMustBeNonNegativeInteger() throws Exception {
    assertRaises("retry-negative");
    assertRaises("retry-not-integer");
    assertRaises("retry-fraction");
  }

  @Test
  @PagiRule({1, 2})
  void rule002_missingOrMistypedSseFieldsRaise() throws Exception {
    for (String probe :
        List.of(
            "send-without-data",
            "send-data-not-string",
            "comment-without-comment",
            "keepalive-without-interval",
            "close-reason-not-string",
            "unknown-type",
            "http-start-in-sse")) {
      assertRaises(probe);
    }
  }

  @Test
  @PagiRule(86)
  void rule086_sseStartSuppliesTheStreamHeaders() throws Exception {
    SseStream s = open("/sse/headers");
    assertEquals(200, s.status());
    assertEquals("text/event-stream", s.header("content-type"));
    assertTrue(String.valueOf(s.header("cache-control")).contains("no-cache"));
    assertNotNull(s.header("date"));
    assertEquals(0, s.headerCount("content-length"));
    if (h1()) {
      assertEquals(
          "chunked", String.valueOf(s.header("transfer-encoding")).toLowerCase(Locale.ROOT));
    }
    s.awaitEnd(5);
  }

  @Test
  @PagiRule(86)
  void rule086_aCustomStatusAndHeadersPassThrough() throws Exception {
    SseStream s = open("/sse/headers-custom");
    assertEquals(201, s.status());
    assertEquals("custom", s.header("x-tck"));
    assertEquals(1, s.headerCount("content-type"));
    assertTrue(s.header("content-type").startsWith("text/event-stream"));
    s.awaitEnd(5);
  }

  @Test
  @PagiRule({74, 86})
  void rule074_aHeaderWithCrLfOnSseStartRaisesAndNeverReachesTheWire() throws Exception {
    SseStream s = open("/sse/raise/start-header-crlf");
    s.awaitEnd(5);
    assertFalse(s.body().contains("pwned"), s.body());
    assertEquals(0, s.headerCount("set-cookie"));
  }

  @Test
  @PagiRule(88)
  void rule088_aDeclineCarriesItsStatusHeadersAndConcatenatedBody() throws Exception {
    SseStream s = open("/sse/decline/401");
    assertEquals(401, s.status());
    assertEquals("Bearer", s.header("www-authenticate"));
    assertEquals(SseStream.End.CLEAN, s.awaitEnd(5));
    assertEquals("Unauthorized", s.body());
  }

  @Test
  @PagiRule(88)
  void rule088_noContentDeclineHasNoBody() throws Exception {
    SseStream s = open("/sse/decline/204");
    assertEquals(204, s.status());
    assertEquals(SseStream.End.CLEAN, s.awaitEnd(5));
    assertEquals("", s.body());
  }
}
