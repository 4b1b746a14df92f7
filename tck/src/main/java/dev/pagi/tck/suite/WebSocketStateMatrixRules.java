package dev.pagi.tck.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pagi.tck.suite.PagiRule.Level;
import dev.pagi.tck.suite.StateTable.Cell;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code websocket} state × event matrix (checklist §2.C, §3.D): in every state of a connection
 * every send event type is tried, one connection per cell ({@code /ws/state/<state>/<event>}), and
 * the outcome is checked in the app (P-SIDE: raised or not, and a raise names the event in a {@code
 * ProtocolException}) and on a raw HTTP/1.1 socket (handshake status and headers, the frames that
 * follow, nothing after our Close). The h2c run skips it: the frames are read on the raw socket.
 *
 * <pre>
 * {@value #TABLE}</pre>
 *
 * {@code ok}: accepted and on the wire; {@code raise}: the send fails and nothing reaches the wire;
 * {@code noop}: nothing happens. {@code *}: the specification is silent and the cell pins this
 * adapter's behaviour, which is the reference server's (level INFO, {@link
 * #rule037_cellsTheSpecificationLeavesOpen}: sends and keepalives before the accept and a second
 * accept are ignored, rules 37 and 38; a denial body without its start is ignored, rule 41; after
 * its own Close nothing the app sends has an effect, not even an unknown type raises).
 *
 * <p>{@code closing}: the app sent {@code websocket.close} and the client has not answered yet
 * (containers differ in how long they keep the connection then: Tomcat reports the session closed
 * at once, Jetty and Undertow drop the connection soon after); {@code denied}: the app's denial
 * response has been read to its end by the client; {@code gone}: the client dropped the connection
 * and the app has seen {@code websocket.disconnect}. Once the connection is over, every send is a
 * silent no-op (rule 21), even of a type the scope does not know; this adapter counts its own Close
 * as the end, so the outcome does not depend on the container's timing.
 */
@Timeout(60)
public abstract class WebSocketStateMatrixRules extends SuiteBase {

  /** The table this class proves. */
  static final String TABLE =
      """
      state       accept  send-text send-bytes close  keepalive deny-start deny-body foreign unknown
      connecting  ok      noop*     noop*      ok     noop*     ok         noop*     raise   raise
      open        noop*   ok        ok         ok     ok        noop       noop      raise   raise
      closing     noop*   noop      noop       noop*  noop*     noop       noop      noop*   noop*
      denied      noop    noop      noop       noop   noop      noop       noop      noop    noop
      gone        noop    noop      noop       noop   noop      noop       noop      noop    noop
      """;

  private static final Map<String, String> STATES = new LinkedHashMap<>();
  private static final Map<String, String> TYPES = new LinkedHashMap<>();
  private static final Map<String, String> NAMES = new LinkedHashMap<>();

  static {
    STATES.put("connecting", "before websocket.accept");
    STATES.put("open", "after websocket.accept");
    STATES.put("closing", "after the app's websocket.close");
    STATES.put("denied", "after a denial response");
    STATES.put("gone", "after the client left");
    TYPES.put("accept", "websocket.accept");
    TYPES.put("send-text", "websocket.send");
    TYPES.put("send-bytes", "websocket.send");
    TYPES.put("close", "websocket.close");
    TYPES.put("keepalive", "websocket.keepalive");
    TYPES.put("deny-start", "websocket.http.response.start");
    TYPES.put("deny-body", "websocket.http.response.body");
    TYPES.put("foreign", "http.response.body");
    TYPES.put("unknown", "websocket.bogus");
    NAMES.putAll(TYPES);
    NAMES.put("send-text", "websocket.send (text)");
    NAMES.put("send-bytes", "websocket.send (bytes)");
    NAMES.put("foreign", "http.response.body (an http event)");
    NAMES.put("unknown", "websocket.bogus (an unknown type)");
  }

  private static final List<Cell> CELLS = StateTable.parse(TABLE, STATES, NAMES);

  static Stream<Cell> connecting() {
    return StateTable.specified(CELLS, "connecting");
  }

  static Stream<Cell> open() {
    return StateTable.specified(CELLS, "open");
  }

  static Stream<Cell> closing() {
    return StateTable.specified(CELLS, "closing");
  }

  static Stream<Cell> denied() {
    return StateTable.specified(CELLS, "denied");
  }

  static Stream<Cell> gone() {
    return StateTable.specified(CELLS, "gone");
  }

  static Stream<Cell> informational() {
    return StateTable.informational(CELLS);
  }

  private static final String SOURCE = "dev.pagi.tck.suite.WebSocketStateMatrixRules#";

  @ParameterizedTest(name = "{0}")
  @MethodSource(SOURCE + "connecting")
  @PagiRule({1, 36, 40, 93, 94})
  void rule036_beforeWebSocketAccept(Cell cell) throws Exception {
    check(cell);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(SOURCE + "open")
  @PagiRule({1, 41, 95, 101, 104})
  void rule041_afterWebSocketAccept(Cell cell) throws Exception {
    check(cell);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(SOURCE + "closing")
  @PagiRule({41, 42})
  void rule042_afterTheAppsWebSocketClose(Cell cell) throws Exception {
    check(cell);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(SOURCE + "denied")
  @PagiRule({21, 41})
  void rule021_afterADenialResponse(Cell cell) throws Exception {
    check(cell);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(SOURCE + "gone")
  @PagiRule({21, 42})
  void rule042_afterTheClientLeft(Cell cell) throws Exception {
    check(cell);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(SOURCE + "informational")
  @PagiRule(
      value = {21, 37, 38, 41},
      level = Level.INFO)
  void rule037_cellsTheSpecificationLeavesOpen(Cell cell) throws Exception {
    check(cell);
  }

  // ---- one cell

  private void check(Cell cell) throws Exception {
    Assumptions.assumeTrue(
        tckTarget().protocol() == TckTarget.Protocol.H1,
        "the state table reads handshakes and frames on a raw HTTP/1.1 socket");
    String id = newId("ws-state-" + cell.state() + "-" + cell.event());
    String type = TYPES.get(cell.event());
    String path = "/ws/state/" + cell.state() + "/" + cell.event() + "?tck=" + id;
    try (RawWebSocket r = new RawWebSocket(tckTarget()).handshake(tckTarget(), path)) {
      switch (cell.state()) {
        case "connecting" -> connecting(cell, id, type, r);
        case "open" -> open(cell, id, type, r);
        case "closing" -> closing(cell, id, type, r);
        case "denied" -> {
          String head = r.readHead();
          assertTrue(head.startsWith("HTTP/1.1 401 "), head);
          assertTrue(r.readRest().contains("denied"), "the denial body, then the end");
          release(id);
          assertAttempt(id, cell, type);
        }
        case "gone" -> {
          assertTrue(r.readHead().startsWith("HTTP/1.1 101 "));
          sideAwait(id, "ready");
          r.close();
          assertAttempt(id, cell, type);
        }
        default -> throw new IllegalArgumentException(cell.state());
      }
    }
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private void connecting(Cell cell, String id, String type, RawWebSocket r) throws Exception {
    String head = r.readHead();
    assertAttempt(id, cell, type);
    boolean ok = cell.accepted();
    switch (ok ? cell.event() : "") {
      case "close" -> assertTrue(head.startsWith("HTTP/1.1 403 "), () -> cell + ": " + head);
      case "deny-start" -> {
        assertTrue(head.startsWith("HTTP/1.1 401 "), () -> cell + ": " + head);
        assertEquals("deny", header(head, "x-attempt"), head);
        String rest = r.readRest();
        assertTrue(rest.contains("denied") && !rest.contains("ATTEMPT"), rest);
      }
      default -> {
        assertTrue(head.startsWith("HTTP/1.1 101 "), () -> cell + ": " + head);
        assertEquals(ok ? "accept" : null, header(head, "x-attempt"), head);
        RawWebSocket.Frame first = r.read();
        assertEquals(RawWebSocket.TEXT, first.opcode(), () -> cell + ": the first frame");
        assertEquals("end", first.text(), () -> cell + ": nothing before the app's 'end'");
        if (cell.event().equals("keepalive")) {
          assertTrue(assertQuiet(cell, r), () -> cell + ": the connection ended");
        }
        goodbye(r);
      }
    }
  }

  private void open(Cell cell, String id, String type, RawWebSocket r) throws Exception {
    assertTrue(r.readHead().startsWith("HTTP/1.1 101 "));
    r.text("hello");
    assertAttempt(id, cell, type);
    boolean ok = cell.accepted();
    RawWebSocket.Frame first = r.read();
    if (ok && cell.event().equals("close")) {
      assertEquals(RawWebSocket.CLOSE, first.opcode(), () -> cell + ": the first frame");
      assertEquals(4001, first.closeCode());
      assertEquals("attempt", first.closeReason());
      r.close(4001, "attempt");
      assertNothingUntilEof(cell, r);
      return;
    }
    if (ok && cell.event().startsWith("send-")) {
      int opcode = cell.event().equals("send-text") ? RawWebSocket.TEXT : RawWebSocket.BINARY;
      assertEquals(opcode, first.opcode(), () -> cell + ": the first frame");
      assertEquals("ATTEMPT", first.text());
      first = r.read();
    }
    while (ok && cell.event().equals("keepalive") && first.opcode() == RawWebSocket.PING) {
      first = r.read();
    }
    assertEquals(RawWebSocket.TEXT, first.opcode(), () -> cell + ": the app's 'end'");
    assertEquals("end", first.text(), () -> cell + ": nothing before the app's 'end'");
    if (ok && cell.event().equals("keepalive")) {
      assertEquals(RawWebSocket.PING, r.readUntil(RawWebSocket.PING).opcode());
    }
    goodbye(r);
  }

  private void closing(Cell cell, String id, String type, RawWebSocket r) throws Exception {
    assertTrue(r.readHead().startsWith("HTTP/1.1 101 "));
    r.text("hello");
    RawWebSocket.Frame close = r.read();
    assertEquals(RawWebSocket.CLOSE, close.opcode(), "the app's Close");
    assertEquals(4000, close.closeCode());
    assertAttempt(id, cell, type);
    if (cell.event().equals("keepalive") && !assertQuiet(cell, r)) {
      return;
    }
    try {
      r.close(4000, "closing");
    } catch (IOException e) {
      // The container dropped the connection after its Close without waiting for ours.
    }
    assertNothingUntilEof(cell, r);
  }

  /**
   * No frame for 0.3 s (the bounded "never happens" wait).
   *
   * @return false when the server ended the connection meanwhile
   */
  private static boolean assertQuiet(Cell cell, RawWebSocket r) throws Exception {
    r.timeout(300);
    try {
      RawWebSocket.Frame f = r.read();
      fail(cell + ": a frame came, opcode " + f.opcode());
    } catch (SocketTimeoutException e) {
      r.timeout(5000);
      return true;
    } catch (EOFException | SocketException e) {
      // the end, and nothing before it
    }
    return false;
  }

  /** After both Close frames: no frame at all, then the end of the connection. */
  private static void assertNothingUntilEof(Cell cell, RawWebSocket r) throws Exception {
    try {
      RawWebSocket.Frame f = r.read();
      fail(cell + ": a frame after the Close handshake, opcode " + f.opcode() + ": " + f.text());
    } catch (EOFException | SocketException e) {
      // the end
    }
  }

  /** Our Close, then the server's answer (or the end). */
  private static void goodbye(RawWebSocket r) throws Exception {
    r.close(1000, "");
    try {
      RawWebSocket.Frame f;
      do {
        f = r.read();
        assertFalse(
            f.opcode() == RawWebSocket.TEXT || f.opcode() == RawWebSocket.BINARY,
            () -> "unexpected data frame");
      } while (f.opcode() != RawWebSocket.CLOSE);
    } catch (EOFException | SocketException e) {
      // the end
    }
  }
}
