package dev.pagi.tck.suite;

import static dev.pagi.tck.suite.TckSuite.named;
import static dev.pagi.tck.suite.TckSuite.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Result;
import org.junit.jupiter.api.Test;

/** §3.A: the completion contract, the 500 backstop, aborts after the start. */
public interface HttpCompletionRules extends TckSuite {

  /** Asserts the backstop: 500, and on HTTP/1.1 the connection closes despite keep-alive. */
  private void assertBackstop(String path) throws Exception {
    String id = newId("backstop");
    if (tckTarget().protocol() == TckTarget.Protocol.H1) {
      try (RawHttp raw = raw()) {
        raw.send(raw.request("GET", path + "?tck=" + id));
        RawHttp.Response r = raw.readResponse(false);
        assertEquals(500, r.status(), path);
        assertTrue(r.complete(), "a complete 500 response");
        assertTrue(raw.closedByServer(), "the connection closes after the backstop 500");
      }
    } else {
      assertEquals(500, client().get(path + "?tck=" + id).getStatus(), path);
    }
    List<Map<String, Object>> log = sideAwait(id, "disconnect");
    Map<String, Object> d = TckSuite.first(log, "disconnect");
    assertEquals("server_error", d.get("reason"), () -> "log " + log);
    assertEquals(1, d.get("response_started"), "the server's 500 counts as started");
    assertTrue(named(log, "complete").isEmpty(), () -> "on_complete fired too: " + log);
  }

  @Test
  @PagiRule(47)
  default void rule047_resolvedValueIsInert() throws Exception {
    ContentResponse r = client().get("/http/inert");
    assertEquals(200, r.getStatus());
    assertEquals("inert", r.getContentAsString());
  }

  @Test
  @PagiRule({48, 52, 60})
  default void rule048_noResponseGivesBackstop500AndClose() throws Exception {
    assertBackstop("/http/none");
  }

  @Test
  @PagiRule({49, 16})
  default void rule049_exceptionBeforeStartIsTheBackstop() throws Exception {
    assertBackstop("/http/throw");
    assertBackstop("/http/fail");
  }

  /** The client leaves while the app has no response; the app then ends (mode: return, throw). */
  private void goneBeforeResponse(String mode) throws Exception {
    String id = newId("gone-" + mode);
    LogCapture logs = tckTarget().has(TckTarget.IN_PROCESS) ? new LogCapture() : null;
    try {
      Partial request = partialPost("/http/none-after-gone?mode=" + mode + "&tck=" + id);
      sideAwait(id, "ready");
      request.abort();
      List<Map<String, Object>> log = sideAwait(id, "gone");
      assertEquals("client_closed", TckSuite.first(log, "disconnect").get("reason"));
      Map<String, Object> d = TckSuite.first(log, "disconnect");
      assertEquals(0, d.get("response_started"), "no 500 was synthesized");
      List<Map<String, Object>> settled = side(id, null, log.size() + 1, 0.3);
      assertEquals(names(log), names(settled), "nothing more happened");
    } finally {
      if (logs != null) {
        logs.close();
        List<String> errors = logs.messages(Level.WARNING);
        assertTrue(errors.isEmpty(), () -> "logged after the client left: " + errors);
      }
    }
  }

  @Test
  @PagiRule(50)
  default void rule050_noBackstopWhenTheClientLeftAndAppReturns() throws Exception {
    goneBeforeResponse("return");
  }

  @Test
  @PagiRule(50)
  default void rule050_noBackstopWhenTheClientLeftAndAppThrows() throws Exception {
    goneBeforeResponse("throw");
  }

  @Test
  @PagiRule(51)
  default void rule051_exceptionAfterStartNeverLooksComplete() throws Exception {
    String id = newId("after-start");
    String gate = newId("part-read");
    String path = "/http/throw-after-start?tck=" + id + "&gate=" + gate;
    if (tckTarget().protocol() == TckTarget.Protocol.H1) {
      try (RawHttp raw = raw()) {
        raw.send(raw.request("GET", path));
        raw.readUntil("part");
        release(gate);
        RawHttp.Response r = raw.readResponse(false);
        assertEquals(200, r.status());
        assertEquals("part", r.text());
        assertFalse(r.complete(), () -> "a clean end after a failure: " + raw.text());
        assertTrue(raw.closedByServer());
      }
    } else {
      CompletableFuture<Result> done = new CompletableFuture<>();
      CountDownLatch part = new CountDownLatch(1);
      client().request(path).onResponseContent((r, b) -> part.countDown()).send(done::complete);
      assertTrue(part.await(5, TimeUnit.SECONDS), "part arrives before the failure");
      release(gate);
      Result result = done.get(10, TimeUnit.SECONDS);
      assertTrue(result.isFailed(), "the stream must be reset, not ended cleanly");
    }
    Map<String, Object> d = TckSuite.first(sideAwait(id, "disconnect"), "disconnect");
    assertEquals("server_error", d.get("reason"));
  }
}
