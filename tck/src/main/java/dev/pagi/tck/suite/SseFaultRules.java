package dev.pagi.tck.suite;

import static dev.pagi.tck.suite.TckSuite.named;
import static dev.pagi.tck.suite.TckSuite.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.tck.app.Json;
import dev.pagi.tck.suite.PagiRule.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults in {@code sse} scopes (issue list "fault and hostile-input cases"), through {@code
 * /sse/fault/}: a client that leaves in each phase, a request body over the limit, header injection
 * in a decline, an app failing while it declines, and a client that stops reading. The other SSE
 * faults are in {@link SseRules}: a client leaving an idle or a streaming GET (rule 67), app
 * failures before and after {@code sse.start} (rule 68), CR/LF in {@code event}, {@code id} and the
 * {@code sse.start} headers (rules 74, 83).
 */
@Timeout(60)
public abstract class SseFaultRules extends SuiteBase {

  /**
   * The client leaves in one phase (the POST body stays open, so the server notices through its
   * read): the app's receive ends with {@code sse.disconnect} and reason {@code client_closed},
   * never with a complete body, and a send afterwards is a silent no-op.
   */
  @ParameterizedTest(name = "the client leaves {0}")
  @ValueSource(strings = {"before-read", "mid-body", "after-start", "mid-stream"})
  @PagiRule({21, 34, 67})
  void rule067_aClientLeavingInAnyPhaseGivesSseDisconnectClientClosed(String phase)
      throws Exception {
    String id = newId("sse-leave-" + phase);
    leaveAnOpenSsePost("/sse/fault/leave/" + phase + "?tck=" + id, id);
    if (phase.equals("before-read")) {
      release(id);
    }
    List<Map<String, Object>> log = side(id, "late", 1, 10);
    Map<String, Object> gone = TckSuite.first(log, "gone");
    List<Object> events = TckSuite.list(gone.get("events"));
    assertEquals("sse.disconnect", events.get(events.size() - 1), () -> phase + ": " + events);
    assertFalse(events.contains("sse.request:0"), () -> "a body that never ended: " + events);
    assertEquals("client_closed", gone.get("reason"), phase);
    assertEquals(0, TckSuite.first(log, "late").get("raised"), () -> "a send afterwards: " + log);
  }

  /**
   * A body over the limit: with a {@code Content-Length} saying so, 413 before the app runs;
   * streamed, the app's receive ends with {@code sse.disconnect} and {@code body_too_large}, and
   * the client gets 413 if it still reads.
   */
  @Test
  @PagiRule({60, 79})
  void rule079_anSseBodyOverTheLimitGets413OrBodyTooLarge() throws Exception {
    long limit = tckTarget().maxBodySize();
    String declared = newId("sse-cl-too-large");
    String path = "/sse/fault/read-body?tck=" + declared;
    if (tckTarget().protocol() == TckTarget.Protocol.H1) {
      try (RawHttp raw = raw()) {
        raw.send(
            raw.request(
                "POST", path, "Accept: text/event-stream", "Content-Length: " + (limit + 1)));
        assertEquals(413, raw.readResponse(false).status());
      }
    } else {
      // Declare the length, send no body: the answer must come from the headers alone.
      CompletableFuture<Integer> status = new CompletableFuture<>();
      AsyncRequestContent open = new AsyncRequestContent();
      org.eclipse.jetty.client.Request request =
          client()
              .request(path)
              .method(HttpMethod.POST)
              .headers(
                  h ->
                      h.put(HttpHeader.ACCEPT, "text/event-stream")
                          .put("content-length", String.valueOf(limit + 1)))
              .body(open)
              .onResponseBegin(response -> status.complete(response.getStatus()));
      request.send(result -> status.complete(-1));
      assertEquals(413, status.get(10, TimeUnit.SECONDS));
      request.abort(new java.io.IOException("tck: done"));
    }
    assertTrue(
        named(side(declared, "invoked", 1, 0.3), "invoked").isEmpty(), "the app ran for a 413");

    String streamed = newId("sse-too-large");
    CompletableFuture<Result> done =
        postPastTheLimit(
            client()
                .request("/sse/fault/read-body?tck=" + streamed)
                .headers(h -> h.put(HttpHeader.ACCEPT, "text/event-stream")));
    Map<String, Object> end = TckSuite.first(sideAwait(streamed, "end"), "end");
    assertEquals("sse.disconnect", end.get("type"), () -> "the body was read whole: " + end);
    assertEquals("body_too_large", end.get("reason"));
    Result result = done.get(10, TimeUnit.SECONDS);
    if (result.getResponse() != null && result.getResponse().getStatus() > 0) {
      assertEquals(413, result.getResponse().getStatus());
    }
  }

  /** A decline whose header value carries CR LF raises; the retried decline goes out clean. */
  @Test
  @PagiRule({4, 74})
  void rule074_aHeaderWithCrLfOnADeclineRaisesAndNeverReachesTheWire() throws Exception {
    try (SseStream s =
        SseStream.open(tckTarget(), client(), "GET", "/sse/fault/decline-crlf", null)) {
      assertEquals(404, s.status());
      assertEquals(SseStream.End.CLEAN, s.awaitEnd(5));
      assertEquals(1, Json.object(s.body()).get("raised"), s.body());
      assertEquals(0, s.headerCount("set-cookie"));
      assertEquals(0, s.headerCount("x-bad"));
      if (s instanceof SseStream.H1 raw) {
        String head = raw.raw().substring(0, raw.raw().indexOf("\r\n\r\n"));
        assertFalse(head.toLowerCase(java.util.Locale.ROOT).contains("pwned"), head);
      }
    }
  }

  /**
   * An app failing after its decline started: what it sent reaches the client, then the response is
   * cut off (no terminal chunk, or a reset stream) so it never looks complete.
   */
  @Test
  @PagiRule(
      value = {51, 68},
      level = Level.SHOULD)
  void rule068_aFailureWhileDecliningNeverLooksComplete() throws Exception {
    String id = newId("sse-fail-declining");
    try (SseStream s =
        SseStream.open(tckTarget(), client(), "GET", "/sse/fault/fail-declining?tck=" + id, null)) {
      assertEquals(404, s.status());
      s.awaitBody("part", 5);
      release(id);
      SseStream.End end = s.awaitEnd(5);
      assertEquals("part", s.body());
      Assumptions.assumeTrue(
          s.header("content-length") != null
              || !(s instanceof SseStream.H1)
              || String.valueOf(s.header("transfer-encoding")).contains("chunked"),
          "the container sent the decline close-delimited (Connection: close, no length, not"
              + " chunked): on HTTP/1.1 its end cannot be told from an abort");
      assertEquals(SseStream.End.TRUNCATED, end, () -> "a clean end: " + s.body());
    }
  }

  /**
   * A client that stops reading: {@code sse.send} waits once the buffer reaches the high mark, the
   * buffer never grows past the mark plus one event, the wait ends below the low mark once the
   * client reads again, and every byte arrives.
   */
  @Test
  @PagiRule({117, 120})
  void rule117_sseSendsWaitForASlowReaderAndMemoryStaysBounded() throws Exception {
    String id = newId("sse-burst");
    try (SlowReader reader =
        SlowReader.get(tckTarget(), "/sse/fault/burst?tck=" + id, "Accept: text/event-stream")) {
      side(id, "blocked", 1, 10);
      while (named(side(id, "drain", 1, 0), "drain").isEmpty()) {
        if (reader.readSome() < 0) {
          break;
        }
      }
      reader.readBody();
    }
    List<Map<String, Object>> log = side(id, "released", 1, 10);
    assertTrue(named(log, "never-blocked").isEmpty(), () -> "no send waited: " + names(log));
    Map<String, Object> blocked = TckSuite.first(log, "blocked");
    long high = num(blocked, "high");
    assertTrue(num(blocked, "buffered") > 0, () -> "waiting with nothing buffered: " + blocked);
    assertTrue(
        num(blocked, "max_buffered") <= high + num(blocked, "event"),
        () -> "buffered beyond the high mark plus one event: " + blocked);
    Map<String, Object> released = TckSuite.first(log, "released");
    assertTrue(
        num(released, "buffered") < num(blocked, "low"),
        () -> "released at or above the low mark: " + released);
    List<Object> order = names(log);
    assertTrue(
        order.indexOf("high") >= 0 && order.indexOf("high") < order.indexOf("drain"),
        () -> "on_high_water, then on_drain: " + order);
  }

  private static long num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).longValue();
  }
}
