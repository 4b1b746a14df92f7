package dev.pagi.tck.suite;

import static dev.pagi.tck.suite.TckSuite.named;
import static dev.pagi.tck.suite.TckSuite.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults in {@code http} scopes (issue list "fault and hostile-input cases"), through {@code
 * /http/fault/}: a client that leaves in each phase of the exchange, and an app that fails after
 * its response completed. The other faults have their own rules: app failures before and after the
 * start ({@link HttpCompletionRules}), header injection ({@link HttpValidationRules}), bodies over
 * the limit and malformed framing ({@link HttpRequestRules}), slow readers ({@link
 * FlowControlRules}).
 */
public interface HttpFaultRules extends TckSuite {

  /**
   * The client leaves in one phase: the app's receive ends with {@code http.disconnect}, never with
   * a complete body; {@code on_disconnect} gets {@code client_closed} and {@code on_complete} never
   * runs; a send afterwards is a silent no-op. {@code idle} (a GET whose request was read, nothing
   * written) needs a server that notices a vanished client without reading or writing: targets
   * declaring {@link TckTarget#IDLE_DISCONNECT}.
   */
  @ParameterizedTest(name = "the client leaves {0}")
  @ValueSource(strings = {"before-read", "mid-body", "after-start", "mid-stream"})
  @PagiRule({21, 60, 61})
  default void rule061_aClientLeavingInAnyPhaseGivesHttpDisconnectClientClosed(String phase)
      throws Exception {
    String id = newId("leave-" + phase);
    String path = "/http/fault/leave/" + phase + "?tck=" + id;
    Partial request = partialPost(path);
    sideAwait(id, "ready");
    request.abort();
    if (phase.equals("before-read")) {
      release(id);
    }
    List<Map<String, Object>> log = side(id, "late", 1, 10);
    Map<String, Object> gone = TckSuite.first(log, "gone");
    List<Object> events = TckSuite.list(gone.get("events"));
    assertEquals("http.disconnect", events.get(events.size() - 1), () -> phase + ": " + events);
    assertFalse(events.contains("http.request:0"), () -> "a body that never ended: " + events);
    assertEquals("client_closed", TckSuite.first(log, "disconnect").get("reason"), phase);
    assertEquals("client_closed", gone.get("disconnect_reason"), phase);
    assertEquals(0, gone.get("is_connected"), phase);
    assertTrue(named(log, "complete").isEmpty(), () -> "on_complete ran: " + names(log));
    assertEquals(0, TckSuite.first(log, "late").get("raised"), () -> "a send afterwards: " + log);
  }

  /**
   * A client that leaves while its body is short of the {@code Content-Length} it declared: the app
   * never sees that body as complete, whatever the container reports for the reset (Tomcat over
   * HTTP/2 may report a normal end), and learns {@code client_closed}.
   */
  @Test
  @PagiRule({60, 61})
  default void rule061_aBodyEndingShortOfItsContentLengthIsNeverComplete() throws Exception {
    String id = newId("leave-declared");
    Partial request = partialPost("/http/fault/leave/mid-body?tck=" + id, 1000);
    sideAwait(id, "ready");
    request.abort();
    List<Map<String, Object>> log = side(id, "late", 1, 10);
    Map<String, Object> gone = TckSuite.first(log, "gone");
    assertEquals("1000", gone.get("content_length"), "the declared length reached the server");
    List<Object> events = TckSuite.list(gone.get("events"));
    assertEquals("http.disconnect", events.get(events.size() - 1), events::toString);
    assertFalse(events.contains("http.request:0"), () -> "a body that never ended: " + events);
    assertEquals("client_closed", TckSuite.first(log, "disconnect").get("reason"));
  }

  /**
   * An app that fails after its response completed: the client has the whole response, {@code
   * on_complete} ran and {@code on_disconnect} never does (the failure is only logged).
   */
  @Test
  @PagiRule(55)
  default void rule055_aFailureAfterTheCompleteResponseChangesNothing() throws Exception {
    String id = newId("fail-after-complete");
    ContentResponse r = client().get("/http/fault/fail-after-complete?tck=" + id);
    assertEquals(200, r.getStatus());
    assertEquals("done", r.getContentAsString());
    List<Map<String, Object>> log = sideAwait(id, "complete");
    List<Map<String, Object>> settled = side(id, null, log.size() + 1, 0.3);
    assertEquals(List.of("complete"), names(settled));
  }
}
