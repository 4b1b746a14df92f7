package dev.pagi.tck.suite;

import static dev.pagi.tck.suite.TckSuite.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagi.tck.app.Json;
import dev.pagi.tck.suite.PagiRule.Level;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults in {@code websocket} scopes (issue list "fault and hostile-input cases") on a raw HTTP/1.1
 * socket: a client that leaves in the middle of a message or while the app is held back by flow
 * control, header injection in an accept or a denial, and an app failing during its denial. The h2c
 * run skips them. The other WebSocket faults are in {@link WebSocketRules}: a client that drops an
 * idle connection (rule 100), invalid frames and payloads (rules 97, 98), a flooding client (102),
 * an oversized message (103), unanswered pings (104), app failures before and after the accept
 * (69), subprotocol injection (91).
 */
@Timeout(60)
public abstract class WebSocketFaultRules extends SuiteBase {

  @BeforeEach
  void rawSocketOnly() {
    Assumptions.assumeTrue(
        tckTarget().protocol() == TckTarget.Protocol.H1,
        "the WebSocket faults are driven from a raw HTTP/1.1 socket");
  }

  private RawWebSocket open(String path) throws Exception {
    RawWebSocket r = new RawWebSocket(tckTarget()).handshake(tckTarget(), path);
    String head = r.readHead();
    assertTrue(head.startsWith("HTTP/1.1 101 "), head);
    return r;
  }

  private Map<String, Object> disconnect(String id) throws Exception {
    return TckSuite.first(side(id, "websocket.disconnect", 1, 10), "websocket.disconnect");
  }

  /**
   * The client sends the first fragment of a message and drops the connection: the app gets no part
   * of the message, only {@code websocket.disconnect} 1006 {@code client_closed}.
   */
  @Test
  @PagiRule(100)
  void rule100_aClientLeavingMidMessageGives1006ClientClosed() throws Exception {
    String id = newId("ws-mid-message");
    try (RawWebSocket r = open("/ws/echo?tck=" + id)) {
      r.send(false, 0, RawWebSocket.TEXT, "par".getBytes(StandardCharsets.UTF_8));
    }
    Map<String, Object> d = disconnect(id);
    assertEquals(1006, d.get("code"));
    assertEquals("client_closed", d.get("reason"));
    assertTrue(
        named(side(id, null, 1, 0), "websocket.receive").isEmpty(), "a part of a message came");
  }

  /**
   * The client drops the connection while the app's send waits for a drain (the client stopped
   * reading): the waiting send is released, not failed, and the app gets {@code
   * websocket.disconnect} 1006 with the condition's reason — {@code client_closed} when the end was
   * read, {@code write_error} when a write found the connection gone.
   */
  @Test
  @PagiRule({100, 117})
  void rule100_aClientLeavingMidStreamReleasesTheWaitingSendWith1006() throws Exception {
    String id = newId("ws-mid-stream");
    try (RawWebSocket r = open("/ws/burst?tck=" + id)) {
      side(id, "waiting", 1, 10);
    }
    Map<String, Object> d = disconnect(id);
    assertEquals(1006, d.get("code"));
    assertTrue(
        List.of("client_closed", "write_error").contains(d.get("reason")), () -> "reason " + d);
    assertFalse(named(side(id, "released", 1, 5), "released").isEmpty(), "the send still waits");
  }

  private static String head(String text) {
    int end = text.indexOf("\r\n\r\n");
    return (end < 0 ? text : text.substring(0, end)).toLowerCase(Locale.ROOT);
  }

  /**
   * An accept or a denial whose header value carries CR LF raises before anything is written; the
   * app's next, valid, event answers the handshake and no injected header appears.
   */
  @Test
  @PagiRule({4, 74})
  void rule074_headerInjectionInAnAcceptOrADenialRaises() throws Exception {
    try (RawWebSocket r = new RawWebSocket(tckTarget())) {
      r.handshake(tckTarget(), "/ws/fault/accept-crlf");
      String head = r.readHead();
      assertTrue(head.startsWith("HTTP/1.1 101 "), head);
      assertFalse(head(head).contains("pwned"), head);
      RawWebSocket.Frame report = r.read();
      assertEquals(1, Json.object(report.text()).get("raised"), report.text());
      r.close(1000, "");
    }
    try (RawWebSocket r = new RawWebSocket(tckTarget())) {
      r.handshake(tckTarget(), "/ws/fault/deny-crlf");
      String head = r.readHead();
      assertTrue(head.startsWith("HTTP/1.1 401 "), head);
      assertFalse(head(head).contains("pwned"), head);
      assertTrue(r.readRest().contains("\"raised\":1"), "the report in the denial body");
    }
  }

  private RawHttp denialRequest(String path) throws Exception {
    RawHttp raw = raw();
    raw.send(
        raw.request(
            "GET",
            path,
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: " + RawWebSocket.SAMPLE_KEY,
            "Sec-WebSocket-Version: 13"));
    return raw;
  }

  /**
   * A denial body sent in parts: each part reaches the client as it is sent, before the rest (the
   * denial body is structured like {@code http.response.body}, rule 24) — which is also what lets a
   * client see a failure in the middle of a denial.
   */
  @Test
  @PagiRule(
      value = {24, 94},
      level = Level.SHOULD)
  void rule094_eachDenialBodyPartReachesTheClientBeforeTheRest() throws Exception {
    String id = newId("ws-deny-parts");
    try (RawHttp raw = denialRequest("/ws/fault/deny-parts?tck=" + id)) {
      raw.readUntil("part");
      release(id);
      RawHttp.Response response = raw.readResponse(false);
      assertEquals(401, response.status());
      assertEquals("part|rest", response.text());
    }
  }

  /**
   * An app failing after its denial started: the part it sent reaches the client, then the response
   * is cut off so it never looks complete.
   */
  @Test
  @PagiRule(
      value = {69, 125},
      level = Level.SHOULD)
  void rule069_aFailureWhileDenyingNeverLooksComplete() throws Exception {
    String id = newId("ws-fail-denying");
    try (RawHttp raw = denialRequest("/ws/fault/fail-denying?tck=" + id)) {
      raw.readUntil("part");
      release(id);
      RawHttp.Response response = raw.readResponse(false);
      assertEquals(401, response.status());
      assertEquals("part", response.text());
      assertTrue(raw.closedByServer());
      Assumptions.assumeTrue(
          response.header("content-length") != null
              || String.valueOf(response.header("transfer-encoding")).contains("chunked"),
          "the container sent the denial close-delimited (Connection: close, no length, not"
              + " chunked): on HTTP/1.1 its end cannot be told from an abort");
      assertFalse(response.complete(), () -> "a clean end after a failure: " + raw.text());
    }
  }
}
