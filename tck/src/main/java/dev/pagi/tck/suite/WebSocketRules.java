package dev.pagi.tck.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pagi.tck.app.Json;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rules for {@code websocket} scopes: pagi-rules.md §2.C, §3.D, §5 and rule 13. A container's test
 * class extends this (usually as a {@code @Nested} class) and says where the TCK app runs. Over
 * HTTP/1.1 every rule runs, the wire-level ones on a {@link RawWebSocket}; over h2c the rules that
 * a high-level client can observe run over RFC 8441, and the raw-socket ones are skipped.
 *
 * <p>Over HTTP/2 the client always speaks first and starts with a warm-up round trip ({@link
 * TckWebSocket#warmUp()}): Jetty 12.1's WebSocket over HTTP/2 now and then loses an early server
 * frame, with or without this adapter.
 */
@Timeout(60)
public abstract class WebSocketRules extends SuiteBase {

  /** WebSocket client speaking the target's protocol. */
  protected TckWebSocket ws;

  @BeforeEach
  void openWebSocket() {
    ws = new TckWebSocket(target());
  }

  @AfterEach
  void closeWebSocket() throws Exception {
    if (ws != null) {
      ws.close();
    }
  }

  private boolean http2() {
    return target().protocol() == TckTarget.Protocol.H2C;
  }

  /** Wire-level rules run on a raw HTTP/1.1 socket, so only in the HTTP/1.1 run. */
  private void rawOnly() {
    assumeTrue(!http2(), "checked on the raw HTTP/1.1 socket");
  }

  private static String newId() {
    return "ws-" + UUID.randomUUID();
  }

  private RawWebSocket raw(String path, String... headers) throws Exception {
    return new RawWebSocket(target()).handshake(target(), path, headers);
  }

  private RawWebSocket open(String path, String... headers) throws Exception {
    RawWebSocket r = raw(path, headers);
    String head = r.readHead();
    assertTrue(head.startsWith("HTTP/1.1 101 "), head);
    return r;
  }

  /** The probe entries for {@code id}, once at least {@code count} exist (5 s at most). */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> probe(String id, int count) throws Exception {
    ContentResponse r = client().get("/__tck/probe/" + id + "?count=" + count + "&wait=5");
    return (List<Map<String, Object>>) Json.read(r.getContentAsString());
  }

  /** Waits (at most 20 s) for the first probe entry named {@code what}. */
  private Map<String, Object> await(String id, String what) throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    int count = 1;
    List<Map<String, Object>> list = List.of();
    while (System.nanoTime() < deadline) {
      list = probe(id, count);
      for (Map<String, Object> e : list) {
        if (what.equals(e.get("what"))) {
          return e;
        }
      }
      if (list.size() < count) {
        break;
      }
      count = list.size() + 1;
    }
    throw new AssertionError(
        "no '"
            + what
            + "' observed for "
            + id
            + " in "
            + list.size()
            + " entries, last "
            + (list.isEmpty() ? null : list.get(list.size() - 1)));
  }

  private Map<String, Object> disconnect(String id) throws Exception {
    return await(id, "websocket.disconnect");
  }

  /** Asks an echo probe for its scope. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> echoedScope(String path, String... subprotocols) throws Exception {
    ws.connect(path, subprotocols);
    ws.warmUp();
    ws.text("scope");
    String e = ws.next();
    assertTrue(e.startsWith("text:"), e);
    return (Map<String, Object>) Json.read(e.substring(5));
  }

  private int upgradeStatus(String path) throws Exception {
    ExecutionException failed = assertThrows(ExecutionException.class, () -> ws.connect(path));
    assertTrue(failed.getCause() instanceof UpgradeException, String.valueOf(failed.getCause()));
    return ((UpgradeException) failed.getCause()).getResponseStatusCode();
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

  // ---- rule 13, 106: the scope

  @Test
  @PagiRule(13)
  @SuppressWarnings("unchecked")
  void rule013_websocketScopeKeys() throws Exception {
    Map<String, Object> scope = echoedScope("/ws/echo?x=1");
    assertEquals("websocket", scope.get("type"));
    assertEquals("0.3", ((Map<String, Object>) scope.get("pagi")).get("version"));
    assertEquals(http2() ? "2" : "1.1", scope.get("http_version"));
    assertEquals("ws", scope.get("scheme"));
    assertEquals(target().rootPath() + "/ws/echo", scope.get("path"));
    assertEquals("x=1", ((Map<String, Object>) scope.get("query_string")).get("latin1"));
    assertTrue(scope.get("root_path") instanceof String);
    assertTrue(scope.get("extensions") instanceof Map);
    assertEquals(List.of(), scope.get("subprotocols"));
    List<List<String>> headers = (List<List<String>>) scope.get("headers");
    Set<String> names = new java.util.HashSet<>();
    headers.forEach(h -> names.add(h.get(0)));
    assertTrue(names.contains("sec-websocket-version"), names.toString());
    if (!http2()) {
      assertTrue(
          names.containsAll(List.of("upgrade", "connection", "sec-websocket-key")),
          names.toString());
    }
    names.forEach(n -> assertEquals(n.toLowerCase(java.util.Locale.ROOT), n));
  }

  @Test
  @PagiRule(106)
  void rule106_noConnectionObjectOnWebSocketScopes() throws Exception {
    Map<String, Object> scope = echoedScope("/ws/echo");
    assertFalse(scope.containsKey("pagi.connection"), "pagi.connection on a websocket scope");
  }

  @Test
  @PagiRule(value = 114, level = PagiRule.Level.SHOULD)
  void rule114_transportOnWebSocketScopes() throws Exception {
    Map<String, Object> scope = echoedScope("/ws/echo");
    assertTrue(scope.containsKey("pagi.transport"), "pagi.transport on a websocket scope");
  }

  // ---- §2.C order

  @Test
  @PagiRule(36)
  void rule036_noHandshakeResponseBeforeAccept() throws Exception {
    rawOnly();
    String id = newId();
    try (RawWebSocket r = raw("/ws/hold?tck=" + id)) {
      await(id, "websocket.connect");
      r.timeout(500);
      assertThrows(SocketTimeoutException.class, r::readHead, "a response before accept");
      r.timeout(5000);
      assertEquals(200, client().get("/ws/go?tck=" + id).getStatus());
      String head = r.readHead();
      assertTrue(head.startsWith("HTTP/1.1 101 "), head);
    }
  }

  @Test
  @PagiRule(value = {37, 38, 41})
  @SuppressWarnings("unchecked")
  void rule038_eventsBeforeAcceptAndDenialAfterAcceptAreIgnored() throws Exception {
    rawOnly();
    try (RawWebSocket r = open("/ws/ignored")) {
      RawWebSocket.Frame first = r.read();
      assertEquals(RawWebSocket.TEXT, first.opcode(), "the first frame is the report");
      List<Map<String, Object>> raised =
          (List<Map<String, Object>>) Json.object(first.text()).get("raised");
      assertEquals(5, raised.size(), raised.toString());
      for (Map<String, Object> r1 : raised) {
        assertEquals(0, r1.values().iterator().next(), "raised: " + raised);
      }
    }
  }

  @Test
  @PagiRule(value = 39, level = PagiRule.Level.MAY)
  void rule039_framesSentBeforeTheAcceptAreDelivered() throws Exception {
    rawOnly();
    String id = newId();
    try (RawWebSocket r = raw("/ws/hold?tck=" + id)) {
      r.text("early");
      await(id, "websocket.connect");
      client().get("/ws/go?tck=" + id);
      assertTrue(r.readHead().startsWith("HTTP/1.1 101 "));
      assertEquals("early", r.read().text());
    }
  }

  @Test
  @PagiRule({40, 93})
  void rule093_closeBeforeAcceptAnswers403() throws Exception {
    if (http2()) {
      assertEquals(403, upgradeStatus("/ws/reject"));
      return;
    }
    try (RawWebSocket r = raw("/ws/reject")) {
      String head = r.readHead();
      assertTrue(head.startsWith("HTTP/1.1 403 "), head);
    }
  }

  @Test
  @PagiRule({41, 94, 125})
  void rule094_denialResponseCarriesStatusHeadersAndBody() throws Exception {
    if (http2()) {
      assertEquals(401, upgradeStatus("/ws/deny?status=401"));
      return;
    }
    try (RawWebSocket r = raw("/ws/deny?status=401")) {
      String head = r.readHead();
      assertTrue(head.startsWith("HTTP/1.1 401 "), head);
      assertEquals("auth", header(head, "x-deny"));
      assertTrue(r.readRest().endsWith("{\"error\":\"unauthorized\"}"));
    }
    try (RawWebSocket r = raw("/ws/deny?status=429&chunks=3")) {
      String head = r.readHead();
      assertTrue(head.startsWith("HTTP/1.1 429 "), head);
      assertEquals("7", header(head, "retry-after"));
      String rest = r.readRest();
      String body = header(head, "transfer-encoding") == null ? rest : dechunk(rest);
      assertEquals("{\"error\":\"unauthorized\"}", body);
    }
  }

  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", i);
      int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(chunked, eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
  }

  @Test
  @PagiRule(42)
  void rule042_noDataFrameAfterOurClose() throws Exception {
    rawOnly();
    String id = newId();
    try (RawWebSocket r = open("/ws/close?code=4001&reason=bye&tck=" + id)) {
      RawWebSocket.Frame close = r.read();
      assertEquals(RawWebSocket.CLOSE, close.opcode(), "the Close is the first frame");
      assertEquals(0, await(id, "send-after-close").get("raised"));
      r.close(4001, "bye");
      assertTrue(r.eof(), "nothing but the end may follow the Close");
    }
  }

  @Test
  @PagiRule({42, 43})
  void rule043_afterTheDisconnectReceiveRepeatsItAndSendIsANoOp() throws Exception {
    String id = newId();
    ws.connect("/ws/echo?tck=" + id);
    ws.session().close(1000, "", org.eclipse.jetty.websocket.api.Callback.NOOP);
    disconnect(id);
    assertEquals("websocket.disconnect", await(id, "after-disconnect").get("type"));
    Map<String, Object> late = await(id, "late-send");
    assertEquals(0, late.get("raised"), "send after the disconnect raised: " + late);
  }

  // ---- §3.D

  @Test
  @PagiRule(value = 69, level = PagiRule.Level.SHOULD)
  void rule069_appFailureBeforeAcceptIs500AndAfterItCloses1011() throws Exception {
    if (http2()) {
      assertEquals(500, upgradeStatus("/ws/throw-before"));
      return;
    }
    try (RawWebSocket r = raw("/ws/throw-before")) {
      assertTrue(r.readHead().startsWith("HTTP/1.1 500 "));
    }
    try (RawWebSocket r = open("/ws/throw-after")) {
      RawWebSocket.Frame close = r.readUntil(RawWebSocket.CLOSE);
      assertTrue(Set.of(1011, 1006).contains(close.closeCode()), "close code " + close.closeCode());
    }
  }

  // ---- §5

  @Test
  @PagiRule(89)
  void rule089_subprotocolsAreSplitAndTrimmed() throws Exception {
    assertEquals(
        List.of("echo", "chat"), echoedScope("/ws/echo", "echo", "chat").get("subprotocols"));
    if (!http2()) {
      try (RawWebSocket r =
          open("/ws/echo", "Sec-WebSocket-Protocol:  a ,b", "Sec-WebSocket-Protocol: c")) {
        r.text("scope");
        assertEquals(List.of("a", "b", "c"), Json.object(r.read().text()).get("subprotocols"));
      }
    }
  }

  @Test
  @PagiRule(90)
  void rule090_switchingProtocolsHeaders() throws Exception {
    rawOnly();
    try (RawWebSocket r = open("/ws/echo?subprotocol=chat", "Sec-WebSocket-Protocol: echo, chat")) {
      // open() checked the 101; read it again from a fresh handshake below for the headers.
    }
    try (RawWebSocket r = raw("/ws/echo?subprotocol=chat", "Sec-WebSocket-Protocol: echo, chat")) {
      String head = r.readHead();
      assertEquals("websocket", header(head, "upgrade").toLowerCase(java.util.Locale.ROOT));
      assertTrue(header(head, "connection").toLowerCase(java.util.Locale.ROOT).contains("upgrade"));
      assertEquals(RawWebSocket.SAMPLE_ACCEPT, header(head, "sec-websocket-accept"));
      assertEquals("chat", header(head, "sec-websocket-protocol"));
    }
    try (RawWebSocket r = raw("/ws/echo", "Sec-WebSocket-Protocol: echo, chat")) {
      assertNull(header(r.readHead(), "sec-websocket-protocol"), "no subprotocol was accepted");
    }
  }

  @Test
  @PagiRule(91)
  void rule091_subprotocolInjectionRaises() throws Exception {
    rawOnly();
    String id = newId();
    try (RawWebSocket r = raw("/ws/raise-accept?tck=" + id, "Sec-WebSocket-Protocol: chat")) {
      assertTrue(r.readHead().startsWith("HTTP/1.1 403 "));
      assertEquals(1, await(id, "accept-raised").get("raised"));
    }
  }

  @Test
  @PagiRule(2)
  void rule002_invalidWebSocketEventsRaise() throws Exception {
    for (String c :
        List.of(
            "unknown-type",
            "http-in-websocket",
            "send-both",
            "send-neither",
            "close-code-not-integer",
            "close-code-invalid",
            "keepalive-without-interval")) {
      try (TckWebSocket client = new TckWebSocket(target())) {
        client.connect("/ws/raise/" + c);
        client.warmUp();
        client.text("report");
        String report = client.next();
        assertTrue(report.startsWith("text:"), c + ": " + report);
        assertEquals(1, Json.object(report.substring(5)).get("raised"), c + ": " + report);
      }
    }
  }

  @Test
  @PagiRule(95)
  void rule095_textAndBinaryMessages() throws Exception {
    ws.connect("/ws/echo");
    ws.warmUp();
    ws.text("héllo ✓ 𝄞");
    assertEquals("text:héllo ✓ 𝄞", ws.next());
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    ws.bytes(all);
    assertEquals("bytes:256", ws.next());
    if (!http2()) {
      try (RawWebSocket r = open("/ws/echo")) {
        r.send(true, 0, RawWebSocket.BINARY, all);
        RawWebSocket.Frame f = r.read();
        assertEquals(RawWebSocket.BINARY, f.opcode());
        assertArrayEquals(all, f.payload());
        r.text("é");
        f = r.read();
        assertEquals(RawWebSocket.TEXT, f.opcode());
        assertEquals("é", f.text());
      }
    }
  }

  @Test
  @PagiRule(96)
  void rule096_fragmentsMakeOneMessageAndPingsArePonged() throws Exception {
    rawOnly();
    String id = newId();
    try (RawWebSocket r = open("/ws/echo?tck=" + id)) {
      r.send(false, 0, RawWebSocket.TEXT, "a".getBytes(StandardCharsets.UTF_8));
      r.send(false, 0, RawWebSocket.CONTINUATION, "b".getBytes(StandardCharsets.UTF_8));
      r.send(true, 0, RawWebSocket.CONTINUATION, "c".getBytes(StandardCharsets.UTF_8));
      assertEquals("abc", r.read().text());
      r.send(true, 0, RawWebSocket.PING, "abc".getBytes(StandardCharsets.UTF_8));
      RawWebSocket.Frame pong = r.read();
      assertEquals(RawWebSocket.PONG, pong.opcode());
      assertEquals("abc", pong.text());
      r.close(1000, "");
      disconnect(id);
      long messages =
          probe(id, 1).stream().filter(e -> "websocket.receive".equals(e.get("what"))).count();
      assertEquals(1, messages, "one message; pings do not reach the app");
    }
  }

  @Test
  @PagiRule(97)
  void rule097_invalidUtf8Closes1007() throws Exception {
    rawOnly();
    String id = newId();
    try (RawWebSocket r = open("/ws/echo?tck=" + id)) {
      r.send(true, 0, RawWebSocket.TEXT, new byte[] {(byte) 0xff, (byte) 0xfe});
      assertEquals(1007, r.readUntil(RawWebSocket.CLOSE).closeCode());
      Map<String, Object> d = disconnect(id);
      assertEquals(1007, d.get("code"));
      assertEquals("protocol_error", d.get("reason"));
    }
  }

  @Test
  @PagiRule(value = 98, level = PagiRule.Level.SHOULD)
  void rule098_protocolErrorsClose1002() throws Exception {
    rawOnly();
    byte[][] closeCodes = {
      {0, 0},
      {3, (byte) 0xe7},
      {3, (byte) 0xec},
      {3, (byte) 0xed},
      {3, (byte) 0xee},
      {0x13, (byte) 0x88}
    };
    List<int[]> frames =
        List.of(new int[] {4, RawWebSocket.TEXT}, new int[] {0, 3}, new int[] {0, 0xB});
    for (int[] f : frames) {
      assertProtocolError(r -> r.send(true, f[0], f[1], "x".getBytes(StandardCharsets.UTF_8)));
    }
    for (byte[] code : closeCodes) {
      assertProtocolError(r -> r.send(true, 0, RawWebSocket.CLOSE, code));
    }
  }

  private interface Fault {
    void send(RawWebSocket r) throws Exception;
  }

  private void assertProtocolError(Fault fault) throws Exception {
    String id = newId();
    try (RawWebSocket r = open("/ws/echo?tck=" + id)) {
      fault.send(r);
      assertEquals(1002, r.readUntil(RawWebSocket.CLOSE).closeCode());
      Map<String, Object> d = disconnect(id);
      assertEquals(1002, d.get("code"));
      assertEquals("protocol_error", d.get("reason"));
    }
  }

  @Test
  @PagiRule(99)
  void rule099_peerCloseGivesItsOwnCodeAndReason() throws Exception {
    String id = newId();
    if (http2()) {
      ws.connect("/ws/echo?tck=" + id);
      ws.session().close(4004, "gone fishing", org.eclipse.jetty.websocket.api.Callback.NOOP);
      Map<String, Object> d = disconnect(id);
      assertEquals(4004, d.get("code"));
      assertEquals("gone fishing", d.get("reason"));
      return;
    }
    try (RawWebSocket r = open("/ws/echo?tck=" + id)) {
      r.close(4004, "gone fishing");
      RawWebSocket.Frame reply = r.readUntil(RawWebSocket.CLOSE);
      assertTrue(Set.of(1000, 4004, 1005).contains(reply.closeCode()), "" + reply.closeCode());
      Map<String, Object> d = disconnect(id);
      assertEquals(4004, d.get("code"));
      assertEquals("gone fishing", d.get("reason"));
    }
  }

  @Test
  @PagiRule(99)
  void rule099_closeWithoutCodeGives1005() throws Exception {
    rawOnly();
    String empty = newId();
    try (RawWebSocket r = open("/ws/echo?tck=" + empty)) {
      r.send(true, 0, RawWebSocket.CLOSE, new byte[0]);
      r.readUntil(RawWebSocket.CLOSE);
      Map<String, Object> d = disconnect(empty);
      // Tomcat's Jakarta WebSocket reports a Close without a code as 1000, and that is all an
      // adapter can see.
      assumeTrue(
          !Integer.valueOf(1000).equals(d.get("code")),
          "the container reports a Close without a code as 1000");
      assertEquals(1005, d.get("code"));
      assertEquals("", d.get("reason"));
    }
  }

  @Test
  @PagiRule(100)
  void rule100_abnormalDropGives1006ClientClosed() throws Exception {
    String id = newId();
    if (http2()) {
      ws.connect("/ws/echo?tck=" + id);
      ws.session().disconnect();
    } else {
      open("/ws/echo?tck=" + id).close();
    }
    Map<String, Object> d = disconnect(id);
    assertEquals(1006, d.get("code"));
    assertEquals("client_closed", d.get("reason"));
  }

  @Test
  @PagiRule(101)
  void rule101_appCloseSendsItsCodeAndReason() throws Exception {
    if (http2()) {
      ws.connect("/ws/echo");
      ws.warmUp();
      ws.text("close:4001:bye");
      assertEquals("close:4001:bye", ws.next());
      return;
    }
    try (RawWebSocket r = open("/ws/close?code=4001&reason=bye")) {
      RawWebSocket.Frame close = r.readUntil(RawWebSocket.CLOSE);
      assertEquals(4001, close.closeCode());
      assertEquals("bye", close.closeReason());
    }
  }

  @Test
  @PagiRule(value = 102, level = PagiRule.Level.SHOULD)
  void rule102_boundedInboundQueueCloses1008() throws Exception {
    rawOnly();
    String id = newId();
    try (RawWebSocket r = open("/ws/stall?tck=" + id)) {
      // Past the reference limit of 1000 queued messages.
      for (int i = 0; i < 1100; i++) {
        r.text("m" + i);
      }
      assertEquals(1008, r.readUntil(RawWebSocket.CLOSE).closeCode());
      client().get("/ws/go?tck=" + id);
      Map<String, Object> d = disconnect(id);
      assertEquals(1008, d.get("code"));
      assertEquals("queue_overflow", d.get("reason"));
      List<Map<String, Object>> seen = probe(id, 1);
      long messages = seen.stream().filter(e -> "websocket.receive".equals(e.get("what"))).count();
      assertTrue(messages > 0 && messages < 1100, messages + " messages before the disconnect");
      assertEquals("websocket.disconnect", seen.get(seen.size() - 1).get("what"));
    }
  }

  @Test
  @PagiRule(value = 103, level = PagiRule.Level.MAY)
  void rule103_oversizedMessageFailsTheConnection() throws Exception {
    rawOnly();
    String id = newId();
    try (RawWebSocket r = open("/ws/echo?tck=" + id)) {
      r.send(true, 0, RawWebSocket.BINARY, new byte[2 * 1024 * 1024 + 1]);
      Map<String, Object> d = disconnect(id);
      assertTrue(Set.of(1009, 1006).contains(d.get("code")), d.toString());
    }
    ws.connect("/ws/echo");
    ws.text("still serving");
    assertEquals("text:still serving", ws.next());
  }

  @Test
  @PagiRule(104)
  void rule104_unansweredPingsEndWithKeepaliveTimeout() throws Exception {
    rawOnly();
    String id = newId();
    try (RawWebSocket r = open("/ws/keepalive?interval=0.2&timeout=0.3&tck=" + id)) {
      assertEquals(RawWebSocket.PING, r.read().opcode());
      Map<String, Object> d = disconnect(id);
      assertEquals(1006, d.get("code"));
      assertEquals("keepalive_timeout", d.get("reason"));
      assertTrue(closing(r), "the connection is dropped, or a Close frame ends it");
    }
  }

  /**
   * Whether the server ends the connection: EOF, or a Close frame (where the container has no way
   * to drop a connection outright, the adapter sends Close and lets the container's idle check
   * release it).
   */
  private static boolean closing(RawWebSocket r) throws Exception {
    try {
      while (true) {
        if (r.read().opcode() == RawWebSocket.CLOSE) {
          return true;
        }
      }
    } catch (java.io.EOFException | java.net.SocketException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  @Test
  @PagiRule(104)
  void rule104_answeredPingsKeepTheConnection() throws Exception {
    rawOnly();
    String id = newId();
    try (RawWebSocket r = open("/ws/keepalive?interval=0.05&timeout=0.3&tck=" + id)) {
      for (int i = 0; i < 10; i++) {
        RawWebSocket.Frame ping = r.readUntil(RawWebSocket.PING);
        r.send(true, 0, RawWebSocket.PONG, ping.payload());
      }
      r.text("alive");
      RawWebSocket.Frame f;
      while ((f = r.read()).opcode() == RawWebSocket.PING) {
        r.send(true, 0, RawWebSocket.PONG, f.payload());
      }
      assertEquals("alive", f.text());
    }
  }

  @Test
  @PagiRule(value = 105, level = PagiRule.Level.MAY)
  void rule105_webSocketOverHttp2() throws Exception {
    assumeTrue(http2(), "the h2c run covers RFC 8441");
    var session = ws.connect("/ws/echo?subprotocol=chat", "chat");
    assertEquals(200, session.getUpgradeResponse().getStatusCode());
    assertEquals("chat", session.getUpgradeResponse().getAcceptedSubProtocol());
    ws.warmUp();
    ws.text("over h2");
    assertEquals("text:over h2", ws.next());
  }

  @Test
  @PagiRule(
      value = {115, 117, 118, 119},
      level = PagiRule.Level.SHOULD)
  void rule120_flowControlOnAWebSocket() throws Exception {
    rawOnly();
    String id = newId();
    try (RawWebSocket r = open("/ws/burst?tck=" + id)) {
      Map<String, Object> waiting = await(id, "waiting");
      long buffered = ((Number) waiting.get("buffered")).longValue();
      assertTrue(buffered >= ((Number) waiting.get("high")).longValue(), waiting.toString());
      await(id, "high");
      int sent = ((Number) waiting.get("sent")).intValue();
      r.timeout(10_000);
      for (int i = 0; i < sent; i++) {
        assertEquals(RawWebSocket.BINARY, r.read().opcode());
      }
      await(id, "drain");
      Map<String, Object> released = await(id, "released");
      assertTrue(
          ((Number) released.get("buffered")).longValue()
              < ((Number) waiting.get("low")).longValue(),
          released.toString());
    }
  }
}
