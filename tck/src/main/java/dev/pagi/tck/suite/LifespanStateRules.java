package dev.pagi.tck.suite;

import static dev.pagi.tck.suite.TckSuite.map;
import static dev.pagi.tck.suite.TckSuite.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lifespan rules observable while the TCK app runs (§1.B, §2.D, §6): its lifespan probe records
 * under the id it publishes as {@code state.tck_lifespan_id}. Rules that need the server started
 * and stopped are in {@link LifespanRules}.
 */
public interface LifespanStateRules extends TckSuite {

  private List<Map<String, Object>> lifespanLog() throws Exception {
    Map<String, Object> state = map(map(getJson("/http/echo").get("scope")).get("state"));
    assertNotNull(state, "the TCK app runs lifespan, so requests carry state");
    String id = (String) state.get("tck_lifespan_id");
    return sideAwait(id, "startup.complete");
  }

  @Test
  @PagiRule(14)
  default void rule014_lifespanScope() throws Exception {
    Map<String, Object> startup = TckSuite.first(lifespanLog(), "lifespan.startup");
    assertEquals("lifespan", startup.get("scope_type"));
    assertEquals("0.3", startup.get("version"));
    Object spec = startup.get("spec_version");
    assertTrue(spec == null || "0.3".equals(spec), () -> "spec_version " + spec);
    assertEquals(1, startup.get("state_is_map"));
  }

  @Test
  @PagiRule(44)
  default void rule044_startupFirstThenNothingUntilShutdown() throws Exception {
    List<Map<String, Object>> log = lifespanLog();
    assertEquals("lifespan.startup", log.get(0).get("what"));
    assertTrue(named(log, "lifespan.shutdown").isEmpty(), () -> "shutdown while running: " + log);
  }

  @Test
  @PagiRule(46)
  default void rule046_unknownLifespanSendRaises() throws Exception {
    Map<String, Object> bogus = TckSuite.first(lifespanLog(), "unknown-type");
    assertEquals(1, bogus.get("raised"), () -> "lifespan.bogus: " + bogus);
  }

  @Test
  @PagiRule({45, 107})
  default void rule107_requestsRunOnlyAfterStartupComplete() throws Exception {
    long completed =
        ((Number) TckSuite.first(lifespanLog(), "startup.complete").get("seq")).longValue();
    String id = newId("after-startup");
    assertEquals(200, client().get("/http/ok?tck=" + id).getStatus());
    long invoked =
        ((Number) TckSuite.first(sideAwait(id, "invoked"), "invoked").get("seq")).longValue();
    assertTrue(invoked > completed, "a request ran before lifespan.startup.complete");
    assertEquals("started", getJson("/http/state").get("ready"));
  }

  @Test
  @PagiRule(112)
  default void rule112_stateIsAShallowCopyPerRequest() throws Exception {
    Map<String, Object> first = getJson("/http/state");
    Map<String, Object> second = getJson("/http/state");
    Map<String, Object> third = getJson("/http/state");
    for (Map<String, Object> r : List.of(first, second, third)) {
      assertEquals(1, r.get("counter"), () -> "a top-level write leaked between requests: " + r);
    }
    int n = (Integer) first.get("box_n");
    assertEquals(n + 1, second.get("box_n"), "a shared reference is shared");
    assertEquals(n + 2, third.get("box_n"), "a shared reference is shared");
  }
}
