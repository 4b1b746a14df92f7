package dev.pagi.tck.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.pagi.tck.suite.PagiRule.Level;
import dev.pagi.tck.suite.StateTable.Cell;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code sse} state × event matrix (checklist §2.B, §3.C): in every state of a stream every
 * send event type is tried, one stream per cell ({@code /sse/state/<state>/<event>}), and the
 * outcome is checked twice — in the app (P-SIDE: raised or not, and a raise names the event in a
 * {@code ProtocolException}) and on the wire (status, headers, the exact event-stream body, how it
 * ended).
 *
 * <pre>
 * {@value #TABLE}</pre>
 *
 * {@code ok}: accepted and on the wire; {@code raise}: the send fails and nothing reaches the wire;
 * {@code noop}: nothing happens. {@code *}: the specification is silent and the cell pins this
 * adapter's documented behaviour (level INFO, {@link #rule028_cellsTheSpecificationLeavesOpen});
 * the reference server ignores these instead of raising (rules 27, 28, 31) and accepts {@code
 * sse.keepalive} before {@code sse.start} as this adapter does (rule 35).
 *
 * <p>{@code gone}: the client left after {@code sse.start} (noticed through a keepalive write);
 * {@code gone-before-start}: the client left a POST before the app started (noticed by the body
 * read). After the client left and before any {@code sse.close}, every send is a silent no-op
 * (rules 21, 34), even of a type the scope does not know.
 */
@Timeout(60)
public abstract class SseStateMatrixRules extends SuiteBase {

  /** The table this class proves. */
  static final String TABLE =
      """
      state              start   send    comment keepalive close   decline-start decline-body foreign unknown
      before             ok      raise*  raise*  ok*       raise*  ok            raise*       raise   raise
      streaming          raise*  ok      ok      ok        ok      raise         raise        raise   raise
      closed             raise*  raise   raise   raise     noop    raise         raise        raise   raise
      declining          raise   raise   raise   raise     raise   raise*        ok           raise   raise
      declined           raise   raise   raise   raise     raise   raise*        raise*       raise   raise
      gone               noop    noop    noop    noop      noop    noop          noop         noop    noop
      gone-before-start  noop    noop    noop    noop      noop    noop          noop         noop    noop
      """;

  private static final Map<String, String> STATES = new LinkedHashMap<>();
  private static final Map<String, String> TYPES = new LinkedHashMap<>();

  static {
    STATES.put("before", "before sse.start");
    STATES.put("streaming", "while streaming");
    STATES.put("closed", "after sse.close");
    STATES.put("declining", "while declining (sse.http.response.start sent)");
    STATES.put("declined", "after the decline's final body");
    STATES.put("gone", "after the client left");
    STATES.put("gone-before-start", "after the client left before sse.start");
    TYPES.put("start", "sse.start");
    TYPES.put("send", "sse.send");
    TYPES.put("comment", "sse.comment");
    TYPES.put("keepalive", "sse.keepalive");
    TYPES.put("close", "sse.close");
    TYPES.put("decline-start", "sse.http.response.start");
    TYPES.put("decline-body", "sse.http.response.body");
    TYPES.put("foreign", "http.response.body");
    TYPES.put("unknown", "sse.bogus");
  }

  private static final List<Cell> CELLS = StateTable.parse(TABLE, STATES, names());

  private static Map<String, String> names() {
    Map<String, String> names = new LinkedHashMap<>(TYPES);
    names.put("foreign", "http.response.body (an http event)");
    names.put("unknown", "sse.bogus (an unknown type)");
    return names;
  }

  static Stream<Cell> before() {
    return StateTable.specified(CELLS, "before");
  }

  static Stream<Cell> streaming() {
    return StateTable.specified(CELLS, "streaming");
  }

  static Stream<Cell> closed() {
    return StateTable.specified(CELLS, "closed");
  }

  static Stream<Cell> declining() {
    return StateTable.specified(CELLS, "declining");
  }

  static Stream<Cell> declined() {
    return StateTable.specified(CELLS, "declined");
  }

  static Stream<Cell> gone() {
    return StateTable.specified(CELLS, "gone");
  }

  static Stream<Cell> goneBeforeStart() {
    return StateTable.specified(CELLS, "gone-before-start");
  }

  static Stream<Cell> informational() {
    return StateTable.informational(CELLS);
  }

  private static final String SOURCE = "dev.pagi.tck.suite.SseStateMatrixRules#";

  @ParameterizedTest(name = "{0}")
  @MethodSource(SOURCE + "before")
  @PagiRule({1, 27, 66})
  void rule027_beforeSseStart(Cell cell) throws Exception {
    check(cell);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(SOURCE + "streaming")
  @PagiRule({1, 29, 65, 83, 84, 85})
  void rule029_whileStreaming(Cell cell) throws Exception {
    check(cell);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(SOURCE + "closed")
  @PagiRule({1, 29, 32, 33})
  void rule033_afterSseClose(Cell cell) throws Exception {
    check(cell);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(SOURCE + "declining")
  @PagiRule({1, 30, 88})
  void rule030_whileDeclining(Cell cell) throws Exception {
    check(cell);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(SOURCE + "declined")
  @PagiRule({1, 30})
  void rule030_afterTheDecline(Cell cell) throws Exception {
    check(cell);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(SOURCE + "gone")
  @PagiRule({21, 34})
  void rule034_afterTheClientLeft(Cell cell) throws Exception {
    check(cell);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(SOURCE + "goneBeforeStart")
  @PagiRule({21, 34})
  void rule034_afterTheClientLeftBeforeSseStart(Cell cell) throws Exception {
    check(cell);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(SOURCE + "informational")
  @PagiRule(
      value = {27, 28, 31, 35},
      level = Level.INFO)
  void rule028_cellsTheSpecificationLeavesOpen(Cell cell) throws Exception {
    check(cell);
  }

  // ---- one cell

  private String path(Cell cell, String id) {
    return "/sse/state/" + cell.state() + "/" + cell.event() + "?tck=" + id;
  }

  private void check(Cell cell) throws Exception {
    String id = newId("sse-state-" + cell.state() + "-" + cell.event());
    String type = TYPES.get(cell.event());
    switch (cell.state()) {
      case "gone" -> {
        try (SseStream s = SseStream.open(tckTarget(), client(), "GET", path(cell, id), null)) {
          s.awaitBody("data: begin\n\n", 5);
          sideAwait(id, "ready");
        }
        assertAttempt(id, cell, type);
      }
      case "gone-before-start" -> {
        leaveAnOpenSsePost(path(cell, id), id);
        assertAttempt(id, cell, type);
      }
      default -> {
        try (SseStream s = SseStream.open(tckTarget(), client(), "GET", path(cell, id), null)) {
          assertAttempt(id, cell, type);
          assertWire(cell, id, s);
        }
      }
    }
  }

  /** What the client must see: status, {@code x-attempt} header, body, keepalive comments. */
  private record Wire(int status, String attemptHeader, String body, boolean keepalive) {}

  private static final String BEGIN = "data: begin\n\n";
  private static final String END = "data: end\n\n";

  private static Wire expected(Cell cell) {
    boolean ok = cell.accepted();
    String event = cell.event();
    return switch (cell.state()) {
      case "before" -> {
        if (ok && event.equals("decline-start")) {
          yield new Wire(403, "decline", "end", false);
        }
        boolean keepalive = ok && event.equals("keepalive");
        yield new Wire(200, ok && event.equals("start") ? "start" : null, END, keepalive);
      }
      case "streaming" -> {
        String attempt =
            !ok
                ? ""
                : switch (event) {
                  case "send" -> "data: ATTEMPT\n\n";
                  case "comment" -> ":ATTEMPT\n\n";
                  default -> "";
                };
        boolean closes = ok && event.equals("close");
        yield new Wire(
            200, null, closes ? BEGIN : BEGIN + attempt + END, ok && event.equals("keepalive"));
      }
      case "closed" -> new Wire(200, null, BEGIN, false);
      case "declining" ->
          new Wire(
              404,
              null,
              ok && event.equals("decline-body") ? "beginATTEMPTend" : "beginend",
              false);
      case "declined" -> new Wire(404, null, "begin", false);
      default -> throw new IllegalArgumentException(cell.state());
    };
  }

  private void assertWire(Cell cell, String id, SseStream s) throws Exception {
    Wire want = expected(cell);
    assertEquals(want.status(), s.status(), () -> cell + ": status");
    if (want.body().endsWith(END)) {
      // The app waits on the gate after 'data: end': look for keepalive comments first.
      s.awaitBody(END, 5);
      if (want.keepalive()) {
        s.awaitBody(":ka\n\n", 5);
      } else if (cell.event().equals("keepalive")) {
        assertFalse(s.anythingWithin(0.3), () -> cell + ": a keepalive comment came: " + s.body());
      }
    }
    release(id);
    assertEquals(SseStream.End.CLEAN, s.awaitEnd(5), () -> cell + ": " + s.body());
    assertEquals(want.body(), s.body().replace(":ka\n\n", ""), () -> cell + ": the body");
    assertEquals(want.attemptHeader(), s.header("x-attempt"), () -> cell + ": x-attempt header");
    if (want.status() != 200) {
      assertFalse(
          String.valueOf(s.header("content-type")).contains("event-stream"),
          () -> cell + ": a declined stream is no event stream");
    }
  }
}
