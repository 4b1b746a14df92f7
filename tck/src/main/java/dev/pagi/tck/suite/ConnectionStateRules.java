package dev.pagi.tck.suite;

import static dev.pagi.tck.suite.TckSuite.named;
import static dev.pagi.tck.suite.TckSuite.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.tck.suite.PagiRule.Level;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * §3.B {@code pagi.connection}, observed from inside the app through the side channel ({@code
 * /http/connection/...}). "Never fires" assertions wait a bounded 0.3 s for anything more.
 */
public interface ConnectionStateRules extends TckSuite {

  /** Everything recorded for {@code id} once {@code last} exists, after a short settle. */
  private List<Map<String, Object>> settled(String id, String last) throws Exception {
    List<Map<String, Object>> log = sideAwait(id, last);
    return side(id, null, log.size() + 1, 0.3);
  }

  private static Map<String, Object> one(List<Map<String, Object>> log, String what) {
    List<Map<String, Object>> found = named(log, what);
    assertEquals(1, found.size(), () -> "exactly one '" + what + "' in " + names(log));
    return found.get(0);
  }

  @Test
  @PagiRule(54)
  default void rule054_requiredMethodsBeforeTheResponse() throws Exception {
    String id = newId("clean");
    assertEquals(
        "clean|end", client().get("/http/connection/clean?tck=" + id).getContentAsString());
    Map<String, Object> before = one(settled(id, "complete"), "before");
    assertEquals(1, before.get("is_connected"));
    assertEquals(null, before.get("disconnect_reason"));
    assertEquals(0, before.get("future_done"));
    assertEquals(0, before.get("response_started"));
  }

  @Test
  @PagiRule(52)
  default void rule052_responseStartedTracksTheStart() throws Exception {
    String id = newId("clean");
    client().get("/http/connection/clean?tck=" + id);
    List<Map<String, Object>> log = settled(id, "complete");
    assertEquals(0, one(log, "before").get("response_started"));
    assertEquals(1, one(log, "started").get("response_started"));
    assertEquals(1, one(log, "sent").get("response_started"));
  }

  @Test
  @PagiRule(value = 53, level = Level.SHOULD)
  default void rule053_responseCompleteAfterTheFinalBody() throws Exception {
    String id = newId("clean");
    client().get("/http/connection/clean?tck=" + id);
    List<Map<String, Object>> log = settled(id, "complete");
    assertEquals(0, one(log, "before").get("response_complete"));
    assertEquals(0, one(log, "started").get("response_complete"));
    assertEquals(0, one(log, "streaming").get("response_complete"));
    assertEquals(1, one(log, "sent").get("response_complete"));
  }

  @Test
  @PagiRule({55, 59, 63})
  default void rule055_cleanEndFiresOnlyOnComplete() throws Exception {
    String id = newId("clean");
    client().get("/http/connection/clean?tck=" + id);
    List<Map<String, Object>> log = settled(id, "complete");
    assertTrue(named(log, "disconnect").isEmpty(), () -> "on_disconnect fired: " + log);
    Map<String, Object> complete = one(log, "complete");
    assertEquals(0, complete.get("is_connected"), "closed once complete");
    assertEquals(null, complete.get("disconnect_reason"));
    assertEquals(0, complete.get("future_done"), "disconnect_future stays pending");
  }

  @Test
  @PagiRule(55)
  default void rule055_cleanEndWithConnectionClose() throws Exception {
    assumeHttp1("Connection: close is an HTTP/1.1 header");
    String id = newId("clean-close");
    try (RawHttp raw = raw()) {
      raw.send(raw.request("GET", "/http/connection/clean?tck=" + id, "Connection: close"));
      assertEquals("clean|end", raw.readResponse(false).text());
    }
    List<Map<String, Object>> log = settled(id, "complete");
    assertTrue(named(log, "disconnect").isEmpty(), () -> "on_disconnect fired: " + log);
    one(log, "complete");
  }

  @Test
  @PagiRule({55, 58, 59, 60, 61, 63})
  default void rule058_abnormalEndInTheSpecOrder() throws Exception {
    String id = newId("order");
    Partial request = partialPost("/http/connection/order?tck=" + id);
    sideAwait(id, "ready");
    request.abort();
    List<Map<String, Object>> log = settled(id, "receive");
    List<Object> order = names(log);
    assertEquals(List.of("ready", "future", "disconnect", "receive"), order);
    assertEquals("client_closed", one(log, "future").get("reason"));
    Map<String, Object> d = one(log, "disconnect");
    assertEquals("client_closed", d.get("reason"));
    assertEquals(0, d.get("is_connected"), "1. is_connected false");
    assertEquals("client_closed", d.get("disconnect_reason"), "2. reason set");
    assertEquals(1, d.get("future_done"), "3. future resolved");
    assertEquals(0, d.get("receive_done"), "5. receive resolves after the callbacks");
    assertEquals("http.disconnect", one(log, "receive").get("type"));
  }

  @Test
  @PagiRule(56)
  default void rule056_lateRegistrationAfterCompletion() throws Exception {
    String id = newId("late");
    assertEquals("late", client().get("/http/connection/late?tck=" + id).getContentAsString());
    List<Map<String, Object>> log = settled(id, "o3");
    assertEquals(List.of("c1", "c2-late", "registered", "o1", "o3"), names(log));
  }

  @Test
  @PagiRule(56)
  default void rule056_lateRegistrationAfterDisconnect() throws Exception {
    String id = newId("late-gone");
    Partial request = partialPost("/http/connection/late-gone?tck=" + id);
    sideAwait(id, "ready");
    request.abort();
    List<Map<String, Object>> log = settled(id, "o3");
    assertEquals(List.of("ready", "d1", "d2-late", "registered", "o1", "o3"), names(log));
    assertEquals("client_closed", one(log, "d2-late").get("reason"));
  }
}
