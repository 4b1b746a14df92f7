package dev.pagi.tck.suite;

import static dev.pagi.tck.suite.TckSuite.named;
import static dev.pagi.tck.suite.TckSuite.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.tck.suite.PagiRule.Level;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** §7 {@code pagi.transport}: buffered amount, watermarks, blocking sends and their callbacks. */
public interface FlowControlRules extends TckSuite {

  private static long num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).longValue();
  }

  @Test
  @PagiRule(115)
  default void rule115_bufferedAmountIdleAndAfterCompletion() throws Exception {
    Map<String, Object> identity = getJson("/http/identity");
    assertEquals(0L, num(identity, "buffered"), "nothing queued before the first send");
    String id = newId("clean");
    client().get("/http/connection/clean?tck=" + id);
    Map<String, Object> complete = TckSuite.first(sideAwait(id, "complete"), "complete");
    assertEquals(0L, num(complete, "buffered_amount"), "0 once drained");
  }

  @Test
  @PagiRule(value = 116, level = Level.SHOULD)
  default void rule116_watermarksAreIntegers() throws Exception {
    Map<String, Object> identity = getJson("/http/identity");
    long high = num(identity, "high");
    long low = num(identity, "low");
    assertTrue(low > 0 && low <= high, () -> "marks " + identity);
  }

  /** Runs {@code /http/flow} against a slow reader and returns the probe's log. */
  private List<Map<String, Object>> flowScenario() throws Exception {
    String id = newId("flow");
    long received;
    try (SlowReader reader = SlowReader.get(tckTarget(), "/http/flow?max=33554432&tck=" + id)) {
      side(id, "blocked", 1, 10);
      while (named(side(id, "drain", 1, 0), "drain").isEmpty()) {
        if (reader.readSome() < 0) {
          break;
        }
      }
      side(id, "blocked", 2, 10);
      received = reader.readBody();
    }
    List<Map<String, Object>> log = sideAwait(id, "done");
    assertTrue(named(log, "never-blocked").isEmpty(), () -> "a burst never blocked: " + log);
    assertEquals(num(TckSuite.first(log, "done"), "total"), received, "every byte arrived");
    return log;
  }

  @Test
  @PagiRule({117, 120})
  default void rule117_sendsWaitForTheDrainAndMemoryStaysBounded() throws Exception {
    List<Map<String, Object>> log = flowScenario();
    Map<String, Object> done = TckSuite.first(log, "done");
    long high = num(done, "high");
    long low = num(done, "low");
    long chunk = num(done, "chunk");
    assertTrue(
        num(done, "max_buffered") <= high + chunk,
        () -> "buffered beyond the high mark plus one send: " + done);
    assertEquals(2, named(log, "blocked").size(), () -> "two bursts: " + names(log));
    for (Map<String, Object> b : named(log, "blocked")) {
      assertTrue(num(b, "buffered") > 0, () -> "blocked with nothing buffered: " + b);
    }
    for (Map<String, Object> r : named(log, "released")) {
      assertTrue(num(r, "buffered") < low, () -> "released at or above the low mark: " + r);
    }
  }

  @Test
  @PagiRule(
      value = {118, 119},
      level = Level.SHOULD)
  default void rule118_highWaterAndDrainCallbacksCycle() throws Exception {
    List<Map<String, Object>> log = flowScenario();
    long low = num(TckSuite.first(log, "done"), "low");
    List<Object> expected =
        List.of(
            "high",
            "high-late",
            "blocked",
            "drain",
            "released",
            "high",
            "high-late",
            "blocked",
            "drain",
            "released",
            "done");
    assertEquals(expected, names(log), "the hysteresis cycle, twice");
    for (Map<String, Object> h : named(log, "high")) {
      assertTrue(num(h, "buffered") >= low, () -> "on_high_water below the marks: " + h);
    }
    for (Map<String, Object> d : named(log, "drain")) {
      assertTrue(num(d, "buffered") < low, () -> "on_drain at or above the low mark: " + d);
    }
  }
}
